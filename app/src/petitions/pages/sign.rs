use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::detail::use_slug;
use crate::components::{Checkbox, ErrorSummary, Field, Submit};
use crate::i18n::{t, t_args};
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
                                <Title text=t_args("page-title", &[("title", &t("petition-sign"))]) />
                                <h1>{t("petition-sign")}</h1>
                                <p class="error-summary" role="alert">{e.message()}</p>
                            }.into_any();
                        }
                    };
                    let s = d.summary;
                    let back = format!("/petitions/{}", s.slug);
                    if s.stage != Stage::Collecting || d.days_left == Some(0) {
                        return view! {
                            <Title text=t_args("page-title", &[("title", &t_args("petition-sign-title", &[("title", &s.title)]))]) />
                            <h1>{t_args("petition-sign-title", &[("title", &s.title)])}</h1>
                            <p class="error-summary" role="alert">{t("petition-sign-closed")}</p>
                            <p><A href=back>{t("petition-back")}</A></p>
                        }.into_any();
                    }
                    let handwritten = !s.tally.online_signatures_count;
                    view! {
                        <Title text=t_args("page-title", &[("title", &t_args("petition-sign-title", &[("title", &s.title)]))]) />
                        <p class="breadcrumb"><A href=back.clone()>{s.title.clone()}</A></p>
                        <h1>{t("petition-sign-heading")}</h1>
                        <p class="question">{s.question.clone()}</p>
                        <p>{t("petition-sign-intro")}</p>
                        {handwritten.then(|| view! {
                            <p class="hint">{t("petition-sign-handwritten")}</p>
                        })}
                        <SignForm slug=s.slug.clone() />
                    }.into_any()
                })}
            </Suspense>
        </div>
    }
}

/// The signing form, an island: with JavaScript it answers in place (the error at the
/// field, everything typed kept); without, it posts and comes back filled in. Plain links
/// only in here: the router does not run in the browser.
#[island]
fn SignForm(slug: String) -> impl IntoView {
    crate::components::island_action_error();
    let action = ServerAction::<SignPetition>::new();
    let error = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    view! {
        <ErrorSummary error />
        <ActionForm action attr:class="form" attr:novalidate=true>
            <input type="hidden" name="slug" value=slug />
            <fieldset>
                <legend>{t("petition-sign-your-details")}</legend>
                <Field name="family_name" label=t("petition-field-family-name") autocomplete="family-name" required=true maxlength=NAME_MAX_CHARS error />
                <Field name="given_names" label=t("petition-field-given-names") autocomplete="given-name" required=true maxlength=NAME_MAX_CHARS
                    hint=t("petition-field-given-names-hint") error />
                <Field name="birth_date" label=t("petition-field-birth-date") kind="date" autocomplete="bday" required=true error />
                <Field name="street" label=t("petition-field-street") autocomplete="address-line1" required=true maxlength=NAME_MAX_CHARS
                    hint=t("petition-field-street-hint") error />
                <Field name="house_number" label=t("petition-field-house-number") required=true maxlength=HOUSE_NUMBER_MAX_CHARS error />
                <Field name="postal_code" label=t("petition-field-postal-code") autocomplete="postal-code" required=true maxlength=5usize error />
                <Field name="city" label=t("petition-field-city") autocomplete="address-level2" required=true maxlength=NAME_MAX_CHARS error />
            </fieldset>
            <Field name="email" label=t("petition-field-email") kind="email" autocomplete="email" required=true
                hint=t("petition-field-email-hint") error />
            <Checkbox name="consent" label=t("petition-field-consent") required=true error>
                <p class="hint"><a href="/datenschutz">{t("petition-privacy-link")}</a></p>
            </Checkbox>
            <Checkbox name="notify" label=t("petition-field-notify") error />
            <Submit label=t("petition-sign") pending=action.pending() />
        </ActionForm>
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
        <Title text=t_args("page-title", &[("title", &t("petition-confirm"))]) />
        <div class="wrap narrow">
            <h1>{t("petition-confirm")}</h1>
            <ErrorSummary error />
            <Suspense fallback=crate::components::page::loading>
                {move || Suspend::new(async move {
                    match pending.await {
                        Err(e) => view! { <p class="error-summary" role="alert">{e.message()}</p> }.into_any(),
                        Ok((_, title)) => view! {
                            <p>{t_args("petition-confirm-ask", &[("title", &title)])}</p>
                            <ActionForm action attr:class="form">
                                <input type="hidden" name="token" value=token.get_untracked() />
                                <Submit label=t("petition-confirm") pending=action.pending() />
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
        <Title text=t_args("page-title", &[("title", &t("petition-receipt"))]) />
        <div class="wrap narrow">
            <h1>{t("petition-receipt")}</h1>
            <ErrorSummary error />
            <Suspense fallback=crate::components::page::loading>
                {move || Suspend::new(async move {
                    match receipt.await {
                        Err(e) => view! { <p class="error-summary" role="alert">{e.message()}</p> }.into_any(),
                        Ok(r) => {
                            let tok = token.get_untracked();
                            view! {
                                <p>
                                    {if r.withdrawn { t("petition-receipt-withdrawn-before") } else { t("petition-receipt-confirmed-before") }}" "
                                    <A href=format!("/petitions/{}", r.slug)>{r.title.clone()}</A>
                                    " "{if r.withdrawn { t("petition-receipt-withdrawn-after") } else { t("petition-receipt-confirmed-after") }}
                                </p>
                                {r.has_sheet.then(|| view! {
                                    <h2>{t("petition-receipt-sheet")}</h2>
                                    <p>{t("petition-receipt-sheet-text")}</p>
                                    <p><a class="button" href=format!("/petitions/receipt/sheet.pdf?token={tok}")>{t("petition-receipt-sheet-download")}</a></p>
                                })}
                                {r.can_withdraw.then(|| view! {
                                    <h2>{t("petition-withdraw")}</h2>
                                    <p>{t("petition-withdraw-text")}</p>
                                    <ActionForm action attr:class="form">
                                        <input type="hidden" name="token" value=tok.clone() />
                                        <Submit label=t("petition-withdraw") class="button button-danger" pending=action.pending() />
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
