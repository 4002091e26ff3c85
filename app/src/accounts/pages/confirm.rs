use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::action_error;
use crate::accounts::api::ConfirmEmail;
use crate::components::{ErrorSummary, Submit};
use crate::i18n::{t, t_args};

/// The link in the confirmation email leads here; the button confirms. Confirming on a POST
/// (not on the GET) keeps mail scanners that open links from using up the token.
#[component]
pub fn ConfirmPage() -> impl IntoView {
    let action = ServerAction::<ConfirmEmail>::new();
    let error = action_error(action);
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    view! {
        <Title text=t_args("page-title", &[("title", &t("account-confirm-title"))]) />
        <div class="wrap narrow">
            <h1>{t("account-confirm-title")}</h1>
            <ErrorSummary error />
            <p>{t("account-confirm-lead")}</p>
            <ActionForm action attr:class="form">
                <input type="hidden" name="token" value=token />
                <Submit label=t("account-confirm-title") pending=action.pending() />
            </ActionForm>
        </div>
    }
}
