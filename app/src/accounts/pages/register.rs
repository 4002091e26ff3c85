use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use super::action_error;
use crate::accounts::api::Register;
use crate::accounts::domain::{DISPLAY_NAME_MAX_CHARS, EMAIL_MAX_CHARS, PASSWORD_MIN_CHARS};
use crate::components::{ErrorSummary, Field, Submit};
use crate::i18n::{t, t_args};

#[component]
pub fn RegisterPage() -> impl IntoView {
    let action = ServerAction::<Register>::new();
    let error = action_error(action);
    view! {
        <Title text=t_args("page-title", &[("title", &t("account-register-title"))]) />
        <div class="wrap narrow">
            <h1>{t("account-create")}</h1>
            <p>{t("account-register-lead")}</p>
            <ErrorSummary error />
            <ActionForm action attr:class="form" attr:novalidate=true>
                <Field name="email" label=t("account-email") kind="email" autocomplete="email" required=true maxlength=EMAIL_MAX_CHARS error />
                <Field name="display_name" label=t("account-display-name") autocomplete="nickname" required=true maxlength=DISPLAY_NAME_MAX_CHARS
                    hint=t("account-display-name-hint") error />
                <Field name="password" label=t("account-password") kind="password" autocomplete="new-password" required=true minlength=PASSWORD_MIN_CHARS
                    hint=t_args("account-password-hint", &[("min", &PASSWORD_MIN_CHARS.to_string())]) error />
                <p class="small">{t("account-register-consent")}" "<A href="/datenschutz">{t("account-privacy-link")}</A>"."</p>
                <Submit label=t("account-create") pending=action.pending() />
            </ActionForm>
            <p>{t("account-have-account")}" "<A href="/login">{t("account-login")}</A></p>
        </div>
    }
}
