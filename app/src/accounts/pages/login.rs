use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::action_error;
use crate::accounts::api::Login;
use crate::components::{ErrorSummary, Field, Notice, Submit};
use crate::i18n::{t, t_args};

#[component]
pub fn LoginPage() -> impl IntoView {
    let action = ServerAction::<Login>::new();
    let error = action_error(action);
    let query = use_query_map();
    let next = move || query.read().get("next");
    view! {
        <Title text=t_args("page-title", &[("title", &t("account-login"))]) />
        <div class="wrap narrow">
            <h1>{t("account-login")}</h1>
            <Notice />
            <ErrorSummary error />
            <ActionForm action attr:class="form" attr:novalidate=true>
                <Field name="email" label=t("account-email") kind="email" autocomplete="username" required=true error />
                <Field name="password" label=t("account-password") kind="password" autocomplete="current-password" required=true error />
                {move || next().map(|n| view! { <input type="hidden" name="next" value=n /> })}
                <Submit label=t("account-login") pending=action.pending() />
            </ActionForm>
            <p><A href="/password-reset">{t("account-forgot-password")}</A></p>
            <p>{t("account-no-account")}" "<A href="/register">{t("account-create")}</A></p>
        </div>
    }
}
