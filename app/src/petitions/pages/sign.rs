use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::detail::use_slug;
use crate::components::{Checkbox, ErrorSummary, Field, Submit};
use crate::petitions::api::{
    ConfirmSignature, SignPetition, WithdrawSignature, get_confirmation, get_petition, get_receipt,
};
use crate::petitions::lifecycle::Stage;
use crate::petitions::signer::{HOUSE_NUMBER_MAX_CHARS, NAME_MAX_CHARS};

/// Online signing without an account: the data the law requires, an email address for the
/// confirmation link and the consent to the privacy notice. Works without JavaScript.
#[component]
pub fn SignPage() -> impl IntoView {
    let slug = use_slug();
    let petition = Resource::new(move || slug.get(), get_petition);
    let action = ServerAction::<SignPetition>::new();
    let error = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    view! {
        <div class="wrap narrow">
            <Suspense fallback=crate::components::page::loading>
                {move || Suspend::new(async move {
                    let d = match petition.await {
                        Ok(d) => d,
                        Err(e) => {
                            if e.status() == 404 {
                                crate::components::page::set_status(404);
                            }
                            return view! {
                                <Title text="Unterschreiben – Dorfplatz" />
                                <h1>"Unterschreiben"</h1>
                                <p class="error-summary" role="alert">{e.message()}</p>
                            }.into_any();
                        }
                    };
                    let s = d.summary;
                    let back = format!("/petitions/{}", s.slug);
                    if s.stage != Stage::Collecting || d.days_left == Some(0) {
                        return view! {
                            <Title text=format!("Unterschreiben: {} – Dorfplatz", s.title) />
                            <h1>{format!("Unterschreiben: {}", s.title)}</h1>
                            <p class="error-summary" role="alert">"Für dieses Bürgerbegehren werden keine Unterschriften (mehr) gesammelt."</p>
                            <p><A href=back>"Zurück zum Bürgerbegehren"</A></p>
                        }.into_any();
                    }
                    let handwritten = !s.tally.online_signatures_count;
                    view! {
                        <Title text=format!("Unterschreiben: {} – Dorfplatz", s.title) />
                        <p class="breadcrumb"><A href=back.clone()>{s.title.clone()}</A></p>
                        <h1>"Bürgerbegehren unterschreiben"</h1>
                        <p class="question">{s.question.clone()}</p>
                        <p>"Das Gesetz verlangt für jede Unterschrift Ihren Namen, Ihr Geburtsdatum und Ihre Anschrift, damit die Gemeinde prüfen kann, ob Sie unterschreiben dürfen. Ein Konto brauchen Sie nicht; wir schicken Ihnen einen Link, mit dem Sie Ihre Unterschrift bestätigen."</p>
                        {handwritten.then(|| view! {
                            <p class="hint">"In Ihrem Bundesland zählen für das Quorum nur eigenhändige Unterschriften. Nach der Bestätigung erhalten Sie einen persönlichen Unterschriftenbogen zum Ausdrucken, Unterschreiben und Abgeben."</p>
                        })}
                        <ErrorSummary error />
                        <ActionForm action attr:class="form" attr:novalidate=true>
                            <input type="hidden" name="slug" value=s.slug.clone() />
                            <fieldset>
                                <legend>"Ihre Angaben"</legend>
                                <Field name="family_name" label="Familienname" autocomplete="family-name" required=true maxlength=NAME_MAX_CHARS error />
                                <Field name="given_names" label="Vornamen" autocomplete="given-name" required=true maxlength=NAME_MAX_CHARS
                                    hint="Alle Vornamen wie im Personalausweis." error />
                                <Field name="birth_date" label="Geburtsdatum" kind="date" autocomplete="bday" required=true error />
                                <Field name="street" label="Straße" autocomplete="address-line1" required=true maxlength=NAME_MAX_CHARS
                                    hint="Ihre Anschrift laut Melderegister (Hauptwohnung)." error />
                                <Field name="house_number" label="Hausnummer" required=true maxlength=HOUSE_NUMBER_MAX_CHARS error />
                                <Field name="postal_code" label="Postleitzahl" autocomplete="postal-code" required=true maxlength=5usize error />
                                <Field name="city" label="Ort" autocomplete="address-level2" required=true maxlength=NAME_MAX_CHARS error />
                            </fieldset>
                            <Field name="email" label="E-Mail-Adresse" kind="email" autocomplete="email" required=true
                                hint="Für den Bestätigungslink und Ihre Quittung mit dem Link zum Zurückziehen." error />
                            <Checkbox name="consent" label="Ich habe die Datenschutzhinweise gelesen und bin einverstanden, dass meine Angaben für dieses Bürgerbegehren verarbeitet und von der Gemeinde geprüft werden." required=true error>
                                <p class="hint"><A href="/datenschutz">"Datenschutzhinweise lesen"</A></p>
                            </Checkbox>
                            <Checkbox name="notify" label="Ich möchte per E-Mail erfahren, wie es mit dem Bürgerbegehren weitergeht (freiwillig)." error />
                            <Submit label="Unterschreiben" pending=action.pending() />
                        </ActionForm>
                    }.into_any()
                })}
            </Suspense>
        </div>
    }
}

fn token_from_query() -> Memo<String> {
    let query = use_query_map();
    Memo::new(move |_| query.read().get("token").unwrap_or_default())
}

/// The confirmation link leads here; a button confirms, so that link scanners in mail
/// systems, which only fetch pages, do not confirm on the signer's behalf.
#[component]
pub fn ConfirmSignaturePage() -> impl IntoView {
    let token = token_from_query();
    let pending = Resource::new(move || token.get(), get_confirmation);
    let action = ServerAction::<ConfirmSignature>::new();
    let error = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    view! {
        <Title text="Unterschrift bestätigen – Dorfplatz" />
        <div class="wrap narrow">
            <h1>"Unterschrift bestätigen"</h1>
            <ErrorSummary error />
            <Suspense fallback=crate::components::page::loading>
                {move || Suspend::new(async move {
                    match pending.await {
                        Err(e) => view! { <p class="error-summary" role="alert">{e.message()}</p> }.into_any(),
                        Ok((_, title)) => view! {
                            <p>{format!("Bitte bestätigen Sie Ihre Unterschrift für das Bürgerbegehren „{title}“.")}</p>
                            <ActionForm action attr:class="form">
                                <input type="hidden" name="token" value=token.get_untracked() />
                                <Submit label="Unterschrift bestätigen" pending=action.pending() />
                            </ActionForm>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

/// The receipt link: the personal sheet to print, and the withdrawal until submission.
#[component]
pub fn ReceiptPage() -> impl IntoView {
    let token = token_from_query();
    let receipt = Resource::new(move || token.get(), get_receipt);
    let action = ServerAction::<WithdrawSignature>::new();
    let error = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    view! {
        <Title text="Ihre Unterschrift – Dorfplatz" />
        <div class="wrap narrow">
            <h1>"Ihre Unterschrift"</h1>
            <ErrorSummary error />
            <Suspense fallback=crate::components::page::loading>
                {move || Suspend::new(async move {
                    match receipt.await {
                        Err(e) => view! { <p class="error-summary" role="alert">{e.message()}</p> }.into_any(),
                        Ok(r) => {
                            let t = token.get_untracked();
                            view! {
                                <p>
                                    {if r.withdrawn { "Sie haben Ihre Unterschrift für das Bürgerbegehren " } else { "Ihre Unterschrift für das Bürgerbegehren " }}
                                    <A href=format!("/petitions/{}", r.slug)>{r.title.clone()}</A>
                                    {if r.withdrawn { " zurückgezogen." } else { " ist bestätigt." }}
                                </p>
                                {r.has_sheet.then(|| view! {
                                    <h2>"Ihr Unterschriftenbogen"</h2>
                                    <p>"Bitte drucken Sie den Bogen aus, unterschreiben Sie ihn und geben Sie ihn ab. Erst dann zählt Ihre Unterschrift für das Quorum."</p>
                                    <p><a class="button" href=format!("/petitions/receipt/sheet.pdf?token={t}")>"Unterschriftenbogen herunterladen (PDF)"</a></p>
                                })}
                                {r.can_withdraw.then(|| view! {
                                    <h2>"Unterschrift zurückziehen"</h2>
                                    <p>"Bis zur Einreichung des Bürgerbegehrens können Sie Ihre Unterschrift zurückziehen. Sie wird dann nicht mehr gezählt."</p>
                                    <ActionForm action attr:class="form">
                                        <input type="hidden" name="token" value=t.clone() />
                                        <Submit label="Unterschrift zurückziehen" class="button button-danger" pending=action.pending() />
                                    </ActionForm>
                                })}
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
        </div>
    }
}
