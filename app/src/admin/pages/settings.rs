use leptos::prelude::*;
use leptos_meta::Title;

use super::{AdminNav, AdminOnly};
use crate::admin::api::ApplyPrivacyTemplate;
use crate::components::{ErrorSummary, Field, Notice, Submit, TextArea};
use crate::i18n::{t, t_args};
use crate::site::api::{UpdateSiteSettings, get_site_settings};

#[component]
pub fn AdminSettingsPage() -> impl IntoView {
    view! {
        <Title text=t_args("page-title", &[("title", &t("admin-nav-settings"))]) />
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
        <h1>{t("admin-settings-heading")}</h1>
        <AdminNav />
        <Notice />
        <ErrorSummary error />
        <Suspense fallback=crate::components::page::loading>
            {move || Suspend::new(async move {
                match current.await {
                    Err(e) => view! { <p class="error-summary" role="alert">{e.message()}</p> }.into_any(),
                    Ok(s) => view! {
                        <ActionForm action attr:class="form" attr:novalidate=true>
                            <Field name="municipality_name" label=t("admin-settings-name") required=true maxlength=100usize
                                hint=t("admin-settings-name-hint") value=s.municipality_name error />
                            <TextArea name="impressum" label=t("admin-settings-impressum") value=s.impressum rows=10 error />
                            <TextArea name="privacy" label=t("admin-settings-privacy") value=s.privacy rows=14 error />
                            <Submit label=t("admin-settings-save") pending=action.pending() />
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
            <h2 id="privacy-template-heading">{t("admin-privacy-template-heading")}</h2>
            <p>{t("admin-privacy-template-intro")}</p>
            <ErrorSummary error form="privacy-template" />
            <ActionForm action=apply attr:class="inline-form">
                <button type="submit" class="button button-secondary">{t("admin-privacy-template-apply")}</button>
            </ActionForm>
        </section>
    }
}
