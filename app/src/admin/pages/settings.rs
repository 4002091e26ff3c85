use leptos::prelude::*;
use leptos_meta::Title;

use super::{AdminNav, AdminOnly};
use crate::admin::api::ApplyPrivacyTemplate;
use crate::components::{ErrorSummary, Field, Notice, Submit, TextArea};
use crate::site::api::{UpdateSiteSettings, get_site_settings};

#[component]
pub fn AdminSettingsPage() -> impl IntoView {
    view! {
        <Title text="Einstellungen – Dorfplatz" />
        <div class="wrap">
            <AdminOnly next="/admin/settings">
                <SettingsForm />
            </AdminOnly>
        </div>
    }
}

#[component]
fn SettingsForm() -> impl IntoView {
    let action = ServerAction::<UpdateSiteSettings>::new();
    let error = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    let current = Resource::new(move || action.version().get(), |_| get_site_settings());
    view! {
        <h1>"Administration: Einstellungen"</h1>
        <AdminNav />
        <Notice />
        <ErrorSummary error />
        <Suspense fallback=crate::components::page::loading>
            {move || Suspend::new(async move {
                match current.await {
                    Err(e) => view! { <p class="error-summary" role="alert">{e.message()}</p> }.into_any(),
                    Ok(s) => view! {
                        <ActionForm action attr:class="form" attr:novalidate=true>
                            <Field name="municipality_name" label="Name der Gemeinde" required=true maxlength=100usize
                                hint="Erscheint im Kopf jeder Seite und in E-Mails, z. B. „Gemeinde Kalletal“." value=s.municipality_name error />
                            <TextArea name="impressum" label="Impressum (Markdown)" value=s.impressum rows=10 error />
                            <TextArea name="privacy" label="Datenschutzerklärung (Markdown)" value=s.privacy rows=14 error />
                            <Submit label="Speichern" pending=action.pending() />
                        </ActionForm>
                        <PrivacyTemplate />
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Offers the starting text of the privacy statement (what Dorfplatz processes here, with
/// this installation's retention periods).
#[component]
fn PrivacyTemplate() -> impl IntoView {
    let apply = ServerAction::<ApplyPrivacyTemplate>::new();
    let error = Signal::derive(move || apply.value().get().and_then(|r| r.err()));
    view! {
        <section aria-labelledby="privacy-template-heading" class="card">
            <h2 id="privacy-template-heading">"Vorlage für die Datenschutzerklärung"</h2>
            <p>"Dorfplatz kennt die Daten, die es verarbeitet: Konten, Unterschriften mit der Rechtsgrundlage der Gemeindeordnung Ihres Landes, das Melderegister, E-Mails, Protokolle und die hier eingestellten Löschfristen. Die Vorlage ersetzt den Text oben; danach ergänzen Sie die Teile in eckigen Klammern (verantwortliche Stelle, Datenschutzbeauftragte, Hosting, Aufsichtsbehörde)."</p>
            <ErrorSummary error form="privacy-template" />
            <ActionForm action=apply attr:class="inline-form">
                <button type="submit" class="button button-secondary">"Vorlage als Datenschutzerklärung übernehmen"</button>
            </ActionForm>
        </section>
    }
}
