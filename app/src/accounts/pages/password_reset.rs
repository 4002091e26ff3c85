use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::action_error;
use crate::accounts::api::{RequestPasswordReset, ResetPassword};
use crate::accounts::domain::PASSWORD_MIN_CHARS;
use crate::components::{ErrorSummary, Field, Notice, Submit};

#[component]
pub fn PasswordResetPage() -> impl IntoView {
    let action = ServerAction::<RequestPasswordReset>::new();
    let error = action_error(action);
    view! {
        <Title text="Passwort zurücksetzen – Dorfplatz" />
        <div class="wrap narrow">
            <h1>"Passwort zurücksetzen"</h1>
            <Notice />
            <p>"Geben Sie die E-Mail-Adresse Ihres Kontos ein. Wir schicken Ihnen einen Link, mit dem Sie ein neues Passwort vergeben."</p>
            <ErrorSummary error />
            <ActionForm action attr:class="form" attr:novalidate=true>
                <Field name="email" label="E-Mail-Adresse" kind="email" autocomplete="email" required=true error />
                <Submit label="Link anfordern" pending=action.pending() />
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
        <Title text="Neues Passwort – Dorfplatz" />
        <div class="wrap narrow">
            <h1>"Neues Passwort vergeben"</h1>
            <ErrorSummary error />
            <ActionForm action attr:class="form" attr:novalidate=true>
                <input type="hidden" name="token" value=token />
                <Field name="password" label="Neues Passwort" kind="password" autocomplete="new-password" required=true
                    minlength=PASSWORD_MIN_CHARS hint=format!("Mindestens {PASSWORD_MIN_CHARS} Zeichen.") error />
                <Submit label="Passwort speichern" pending=action.pending() />
            </ActionForm>
        </div>
    }
}
