use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::action_error;
use crate::accounts::api::Login;
use crate::components::{ErrorSummary, Field, Notice, Submit};

#[component]
pub fn LoginPage() -> impl IntoView {
    let action = ServerAction::<Login>::new();
    let error = action_error(action);
    let query = use_query_map();
    let next = move || query.read().get("next");
    view! {
        <Title text="Anmelden – Dorfplatz" />
        <div class="wrap narrow">
            <h1>"Anmelden"</h1>
            <Notice />
            <ErrorSummary error />
            <ActionForm action attr:class="form" attr:novalidate=true>
                <Field name="email" label="E-Mail-Adresse" kind="email" autocomplete="username" required=true error />
                <Field name="password" label="Passwort" kind="password" autocomplete="current-password" required=true error />
                {move || next().map(|n| view! { <input type="hidden" name="next" value=n /> })}
                <Submit label="Anmelden" pending=action.pending() />
            </ActionForm>
            <p><A href="/password-reset">"Passwort vergessen?"</A></p>
            <p>"Noch kein Konto? "<A href="/register">"Konto anlegen"</A></p>
        </div>
    }
}
