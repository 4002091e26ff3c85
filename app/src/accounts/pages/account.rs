use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

use super::action_error;
use crate::LayoutResource;
use crate::accounts::api::{ChangeEmail, ChangePassword, DeleteAccount};
use crate::accounts::domain::PASSWORD_MIN_CHARS;
use crate::components::{ErrorSummary, Field, Notice, Submit};

#[component]
pub fn AccountPage() -> impl IntoView {
    let layout = expect_context::<LayoutResource>();
    let change_password = ServerAction::<ChangePassword>::new();
    let password_error = action_error(change_password);
    let change_email = ServerAction::<ChangeEmail>::new();
    let email_error = action_error(change_email);
    let delete = ServerAction::<DeleteAccount>::new();
    let delete_error = action_error(delete);
    view! {
        <Title text="Ihr Konto – Dorfplatz" />
        <div class="wrap narrow">
            <Suspense fallback=crate::components::page::loading>
                {move || Suspend::new(async move {
                    let Some(me) = layout.await.ok().and_then(|l| l.me) else {
                        return view! { <Redirect path="/login?notice=login_required&next=/account" /> }.into_any();
                    };
                    let roles = std::iter::once("Einwohnerin/Einwohner")
                        .chain(me.roles.iter().map(|r| r.label()))
                        .collect::<Vec<_>>()
                        .join(", ");
                    view! {
                        <h1>"Ihr Konto"</h1>
                        <Notice />
                        <dl class="facts">
                            <dt>"Anzeigename"</dt><dd>{me.display_name.clone()}</dd>
                            <dt>"E-Mail-Adresse"</dt><dd>{me.email.clone()}</dd>
                            <dt>"Rollen"</dt><dd>{roles}</dd>
                        </dl>

                        <section aria-labelledby="h-password">
                            <h2 id="h-password">"Passwort ändern"</h2>
                            <ErrorSummary form="pw" error=password_error />
                            <ActionForm action=change_password attr:class="form" attr:novalidate=true>
                                <Field name="current_password" label="Aktuelles Passwort" kind="password" autocomplete="current-password" required=true form="pw" error=password_error />
                                <Field name="password" label="Neues Passwort" kind="password" autocomplete="new-password" required=true
                                    minlength=PASSWORD_MIN_CHARS hint=format!("Mindestens {PASSWORD_MIN_CHARS} Zeichen.") form="pw" error=password_error />
                                <Submit label="Passwort ändern" pending=change_password.pending() />
                            </ActionForm>
                        </section>

                        <section aria-labelledby="h-email">
                            <h2 id="h-email">"E-Mail-Adresse ändern"</h2>
                            <p>"Die neue Adresse gilt, sobald Sie den Link bestätigt haben, den wir an sie schicken."</p>
                            <ErrorSummary form="em" error=email_error />
                            <ActionForm action=change_email attr:class="form" attr:novalidate=true>
                                <Field name="email" label="Neue E-Mail-Adresse" kind="email" autocomplete="email" required=true form="em" error=email_error />
                                <Field name="current_password" label="Aktuelles Passwort" kind="password" autocomplete="current-password" required=true form="em" error=email_error />
                                <Submit label="Bestätigungslink senden" pending=change_email.pending() />
                            </ActionForm>
                        </section>

                        <section aria-labelledby="h-delete" class="danger-zone">
                            <h2 id="h-delete">"Konto löschen"</h2>
                            <p>"Ihre E-Mail-Adresse, Ihr Name und Ihr Passwort werden gelöscht. Öffentliche Beiträge bleiben unter „gelöschtes Konto“ stehen. Das kann nicht rückgängig gemacht werden."</p>
                            <ErrorSummary form="del" error=delete_error />
                            <ActionForm action=delete attr:class="form" attr:novalidate=true>
                                <Field name="current_password" label="Zur Bestätigung: Ihr Passwort" kind="password" autocomplete="current-password" required=true form="del" error=delete_error />
                                <Submit label="Konto endgültig löschen" class="button button-danger" pending=delete.pending() />
                            </ActionForm>
                        </section>
                    }.into_any()
                })}
            </Suspense>
        </div>
    }
}
