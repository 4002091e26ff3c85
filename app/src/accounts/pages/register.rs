use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use super::action_error;
use crate::accounts::api::Register;
use crate::accounts::domain::{DISPLAY_NAME_MAX_CHARS, EMAIL_MAX_CHARS, PASSWORD_MIN_CHARS};
use crate::components::{ErrorSummary, Field, Submit};

#[component]
pub fn RegisterPage() -> impl IntoView {
    let action = ServerAction::<Register>::new();
    let error = action_error(action);
    view! {
        <Title text="Registrieren – Dorfplatz" />
        <div class="wrap narrow">
            <h1>"Konto anlegen"</h1>
            <p>"Mit einem Konto können Sie Vorschläge einreichen, unterstützen und diskutieren. Wir schicken Ihnen einen Link, mit dem Sie Ihre E-Mail-Adresse bestätigen."</p>
            <ErrorSummary error />
            <ActionForm action attr:class="form" attr:novalidate=true>
                <Field name="email" label="E-Mail-Adresse" kind="email" autocomplete="email" required=true maxlength=EMAIL_MAX_CHARS error />
                <Field name="display_name" label="Anzeigename" autocomplete="nickname" required=true maxlength=DISPLAY_NAME_MAX_CHARS
                    hint="Unter diesem Namen erscheinen Ihre Beiträge öffentlich, z. B. „Anna S.“." error />
                <Field name="password" label="Passwort" kind="password" autocomplete="new-password" required=true minlength=PASSWORD_MIN_CHARS
                    hint=format!("Mindestens {PASSWORD_MIN_CHARS} Zeichen.") error />
                <p class="small">"Mit der Registrierung akzeptieren Sie die "<A href="/datenschutz">"Datenschutzerklärung"</A>"."</p>
                <Submit label="Konto anlegen" pending=action.pending() />
            </ActionForm>
            <p>"Sie haben schon ein Konto? "<A href="/login">"Anmelden"</A></p>
        </div>
    }
}
