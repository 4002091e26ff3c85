use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{A, Redirect};

use super::action_error;
use crate::LayoutResource;
use crate::accounts::api::{
    ChangeEmail, ChangePassword, DeleteAccount, EndAllSessions, EndSession, my_sessions,
};
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

                        <section aria-labelledby="h-two-factor">
                            <h2 id="h-two-factor">"Zwei-Faktor-Anmeldung"</h2>
                            <p>{if me.two_factor {
                                "Eingeschaltet: Zur Anmeldung braucht es außer dem Passwort einen Code aus Ihrer App."
                            } else {
                                "Ausgeschaltet. Mit einem Code aus einer App auf Ihrem Telefon schützen Sie Ihr Konto auch dann, wenn jemand Ihr Passwort kennt."
                            }}</p>
                            <p><A href="/account/two-factor">{if me.two_factor { "Zwei-Faktor-Anmeldung verwalten" } else { "Zwei-Faktor-Anmeldung einrichten" }}</A></p>
                        </section>

                        <Sessions />

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

                        <section aria-labelledby="h-data">
                            <h2 id="h-data">"Meine Daten"</h2>
                            <p>"Alles, was über Ihr Konto gespeichert ist: Konto, Rollen, Anmeldungen, Vorschläge und Kommentare mit früheren Fassungen, Unterstützungen, „Gefällt mir“, Gefolgtes, Meldungen, Mitgliedschaften in Gremien und die Unterschriften, die mit Ihrer E-Mail-Adresse bestätigt wurden (Art. 15 und 20 DSGVO)."</p>
                            <p class="actions">
                                <a href="/account/data.html" class="button button-secondary" download="meine-daten.html">"Als lesbare Seite herunterladen (HTML)"</a>
                                <a href="/account/data.json" class="button button-secondary" download="meine-daten.json">"Maschinenlesbar herunterladen (JSON)"</a>
                            </p>
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

/// The account's signed-in browsers, each with a button to end it, and "Überall abmelden".
#[component]
fn Sessions() -> impl IntoView {
    let end = ServerAction::<EndSession>::new();
    let end_all = ServerAction::<EndAllSessions>::new();
    let end_error = action_error(end);
    let sessions = Resource::new(move || end.version().get(), |_| my_sessions());
    view! {
        <section aria-labelledby="h-sessions" id="sessions">
            <h2 id="h-sessions">"Angemeldete Geräte"</h2>
            <ErrorSummary form="sess" error=end_error />
            <Suspense fallback=crate::components::page::loading>
                {move || Suspend::new(async move {
                    match sessions.await {
                        Err(e) => view! { <p class="error-summary" role="alert">{e.message()}</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="session-list">
                                {list.into_iter().map(|s| {
                                    let label = format!("Abmelden: {}", s.browser);
                                    view! {
                                        <li>
                                            <strong>{s.browser.clone()}</strong>
                                            {s.current.then_some(" (dieses Gerät)")}
                                            <br />
                                            {format!(
                                                "Netz {} · angemeldet {} · zuletzt aktiv {}",
                                                if s.network.is_empty() { "unbekannt".to_owned() } else { s.network.clone() },
                                                crate::time::german_datetime_text(s.signed_in_at),
                                                crate::time::german_datetime_text(s.last_seen_at),
                                            )}
                                            <ActionForm action=end attr:class="inline-form">
                                                <input type="hidden" name="id" value=s.id.to_string() />
                                                <button type="submit" class="link-button" aria-label=label>"Abmelden"</button>
                                            </ActionForm>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Suspense>
            <ActionForm action=end_all attr:class="form">
                <Submit label="Überall abmelden" class="button button-secondary" pending=end_all.pending() />
            </ActionForm>
        </section>
    }
}
