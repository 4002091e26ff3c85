use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::action_error;
use crate::accounts::api::ConfirmEmail;
use crate::components::{ErrorSummary, Submit};

/// The link in the confirmation email leads here; the button confirms. Confirming on a POST
/// (not on the GET) keeps mail scanners that open links from using up the token.
#[component]
pub fn ConfirmPage() -> impl IntoView {
    let action = ServerAction::<ConfirmEmail>::new();
    let error = action_error(action);
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    view! {
        <Title text="E-Mail-Adresse bestätigen – Dorfplatz" />
        <div class="wrap narrow">
            <h1>"E-Mail-Adresse bestätigen"</h1>
            <ErrorSummary error />
            <p>"Bitte bestätigen Sie mit einem Klick, dass diese E-Mail-Adresse Ihnen gehört."</p>
            <ActionForm action attr:class="form">
                <input type="hidden" name="token" value=token />
                <Submit label="E-Mail-Adresse bestätigen" pending=action.pending() />
            </ActionForm>
        </div>
    }
}
