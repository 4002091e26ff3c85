use leptos::prelude::*;
use leptos_meta::Title;

use super::{AdminNav, AdminOnly};
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
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
