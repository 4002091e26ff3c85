use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::action_error;
use crate::accounts::api::{RequestPasswordReset, ResetPassword};
use crate::accounts::domain::PASSWORD_MIN_CHARS;
use crate::components::{ErrorSummary, Field, Notice, Submit};
use crate::i18n::{t, t_args};

#[component]
pub fn PasswordResetPage() -> impl IntoView {
    let action = ServerAction::<RequestPasswordReset>::new();
    let error = action_error(action);
    view! {
        <Title text=t_args("page-title", &[("title", &t("account-reset-title"))]) />
        <div class="wrap narrow">
            <h1>{t("account-reset-title")}</h1>
            <Notice />
            <p>{t("account-reset-lead")}</p>
            <ErrorSummary error />
            <ActionForm action attr:class="form" attr:novalidate=true>
                <Field name="email" label=t("account-email") kind="email" autocomplete="email" required=true error />
                <Submit label=t("account-reset-submit") pending=action.pending() />
            </ActionForm>
        </div>
    }
}

#[component]
pub fn NewPasswordPage() -> impl IntoView {
    let action = ServerAction::<ResetPassword>::new();
    let error = action_error(action);
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    view! {
        <Title text=t_args("page-title", &[("title", &t("account-new-password"))]) />
        <div class="wrap narrow">
            <h1>{t("account-new-password-heading")}</h1>
            <ErrorSummary error />
            <ActionForm action attr:class="form" attr:novalidate=true>
                <input type="hidden" name="token" value=token />
                <Field name="password" label=t("account-new-password") kind="password" autocomplete="new-password" required=true
                    minlength=PASSWORD_MIN_CHARS hint=t_args("account-password-hint", &[("min", &PASSWORD_MIN_CHARS.to_string())]) error />
                <Submit label=t("account-new-password-submit") pending=action.pending() />
            </ActionForm>
        </div>
    }
}
