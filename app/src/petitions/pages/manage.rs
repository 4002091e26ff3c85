use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::detail::use_slug;
use crate::accounts::Me;
use crate::components::{ErrorSummary, Field, Notice, Restricted, Select, Submit, TextArea};
use crate::i18n::{t, t_args};
use crate::petitions::api::{EnterPaperSignature, ReceiveSheet, TakeStep, get_petition};
use crate::petitions::draft::{COST_ESTIMATE_MAX_CHARS, Outcome};
use crate::petitions::lifecycle::{Stage, Step};
use crate::petitions::signer::{HOUSE_NUMBER_MAX_CHARS, NAME_MAX_CHARS};
use crate::petitions::view::PetitionDetail;

/// The procedure's next steps for initiators and staff, and the staff's paper entry.
#[component]
pub fn ManagePetitionPage() -> impl IntoView {
    let slug = use_slug();
    view! {
        <Title text=t_args("page-title", &[("title", &t("petition-manage"))]) />
        <div class="wrap">
            <Restricted next=format!("/petitions/{}/manage", slug.get_untracked()) allow=|_: &Me| true denial="">
                <Manage />
            </Restricted>
        </div>
    }
}

#[component]
fn Manage() -> impl IntoView {
    let slug = use_slug();
    // Every saved step comes back here with a new query (`?notice=…`): read the petition
    // again then, so the page shows the new stage and the steps that follow.
    let location = leptos_router::hooks::use_location();
    let petition = Resource::new(
        move || (slug.get(), location.search.get()),
        |(slug, _)| get_petition(slug),
    );
    view! {
        <Notice />
        <Suspense fallback=crate::components::page::loading>
            {move || Suspend::new(async move {
                match petition.await {
                    Err(e) => {
                        crate::components::page::set_status(e.status());
                        view! { <h1>{t("petition-manage")}</h1><p class="error-summary" role="alert">{e.message()}</p> }.into_any()
                    }
                    Ok(d) if !d.permissions.initiator && !d.permissions.staff => {
                        crate::components::page::set_status(403);
                        view! {
                            <h1>{t("petition-manage-forbidden")}</h1>
                            <p>{t("petition-manage-forbidden-text")}</p>
                        }.into_any()
                    }
                    Ok(d) => view! { <Steps d /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Steps(d: PetitionDetail) -> impl IntoView {
    let slug = d.summary.slug.clone();
    let stage = d.summary.stage;
    let staff = d.permissions.staff;
    let steps = d.permissions.steps.clone();
    view! {
        <p class="breadcrumb"><A href=format!("/petitions/{slug}")>{d.summary.title.clone()}</A></p>
        <h1>{t("petition-manage")}</h1>
        <p>{t("petition-manage-stage")}" "<strong>{stage.title()}</strong></p>
        {if steps.is_empty() {
            view! { <p>{t("petition-manage-nothing")}</p> }.into_any()
        } else {
            view! {
                <div class="step-forms">
                    {steps.into_iter().map(|step| view! { <StepForm step slug=slug.clone() /> }).collect_view()}
                </div>
            }.into_any()
        }}
        {(staff && matches!(stage, Stage::Collecting | Stage::Submitted)).then(|| view! {
            <SheetForm slug=slug.clone() />
            <PaperForm slug=slug.clone() />
        })}
    }
}

/// One step's form, with its own action so that its errors show at its own fields.
#[component]
fn StepForm(step: Step, slug: String) -> impl IntoView {
    let action = ServerAction::<TakeStep>::new();
    let error = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    let code = crate::petitions::lifecycle::step_code(step);
    let outcomes = vec![
        (
            Outcome::Accepted.as_str().to_owned(),
            t("petition-outcome-option-accepted"),
        ),
        (
            Outcome::Rejected.as_str().to_owned(),
            t("petition-outcome-option-rejected"),
        ),
    ];
    let (heading, button, fields) = match step {
        Step::RequestCostEstimate => (
            t("petition-manage-request-cost-estimate"),
            t("petition-manage-request-cost-estimate-button"),
            view! { <p>{t("petition-manage-request-cost-estimate-text")}</p> }.into_any(),
        ),
        Step::EnterCostEstimate => (
            t("petition-manage-enter-cost-estimate"),
            t("petition-manage-enter-cost-estimate-button"),
            view! { <TextArea name="cost_estimate" form=code label=t("petition-cost-estimate") rows=5 required=true maxlength=COST_ESTIMATE_MAX_CHARS
                hint=t("petition-manage-cost-estimate-hint") error /> }.into_any(),
        ),
        Step::ApprovePublication => (
            t("petition-manage-approve"),
            t("petition-manage-approve-button"),
            view! { <p>{t("petition-manage-approve-text")}</p> }.into_any(),
        ),
        Step::Submit => (
            t("petition-manage-submit"),
            t("petition-manage-submit-button"),
            view! { <p>{t("petition-manage-submit-text")}</p> }.into_any(),
        ),
        Step::DeclareAdmissible => (t("petition-manage-admissible"), t("petition-step-declare-admissible"), ().into_any()),
        Step::DeclareInadmissible => (
            t("petition-manage-inadmissible"),
            t("petition-step-declare-inadmissible"),
            view! { <TextArea name="note" form=code label=t("petition-manage-council-reason") rows=4 error /> }.into_any(),
        ),
        Step::CouncilAdopts => (
            t("petition-manage-adopts"),
            t("petition-step-council-adopts"),
            view! { <TextArea name="note" form=code label=t("petition-manage-council-decision") rows=3 error /> }.into_any(),
        ),
        Step::ScheduleReferendum => (
            t("petition-manage-schedule"),
            t("petition-manage-schedule-button"),
            view! { <Field name="referendum_on" form=code label=t("petition-manage-referendum-on") kind="date" required=true error /> }.into_any(),
        ),
        Step::RecordResult => (
            t("petition-manage-result"),
            t("petition-manage-result-button"),
            view! {
                <Field name="yes_votes" form=code label=t("petition-manage-yes-votes") required=true error />
                <Field name="no_votes" form=code label=t("petition-manage-no-votes") required=true error />
                <Select name="outcome" form=code label=t("petition-manage-outcome") options=outcomes error />
            }.into_any(),
        ),
        Step::Withdraw => (
            t("petition-manage-withdraw"),
            t("petition-manage-withdraw-button"),
            view! { <TextArea name="note" form=code label=t("petition-manage-withdraw-note") rows=3 error /> }.into_any(),
        ),
        Step::Expire => (String::new(), String::new(), ().into_any()),
    };
    let heading_id = format!("step-{code}");
    view! {
        <section class="card" aria-labelledby=heading_id.clone()>
            <h2 id=heading_id.clone()>{heading}</h2>
            <ErrorSummary error form=code />
            <ActionForm action attr:class="form" attr:novalidate=true>
                <input type="hidden" name="slug" value=slug />
                <input type="hidden" name="step" value=code id=format!("{code}-step") />
                {fields}
                <Submit label=button pending=action.pending() class=if step == Step::Withdraw { "button button-danger" } else { "button" } />
            </ActionForm>
        </section>
    }
}

/// Staff scan or type the code of a returned personal sheet.
#[component]
fn SheetForm(slug: String) -> impl IntoView {
    let action = ServerAction::<ReceiveSheet>::new();
    let error = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    view! {
        <section class="card" id="sheets" aria-labelledby="sheets-heading">
            <h2 id="sheets-heading">{t("petition-sheets-heading")}</h2>
            <p>{t("petition-sheets-text")}</p>
            <ErrorSummary error form="sheet" />
            <ActionForm action attr:class="form form-inline" attr:novalidate=true>
                <input type="hidden" name="slug" value=slug />
                <Field name="code" form="sheet" label=t("petition-sheets-code") required=true maxlength=12usize autocomplete="off" error />
                <Submit label=t("petition-sheets-button") pending=action.pending() />
            </ActionForm>
        </section>
    }
}

/// Staff type in returned paper lists line by line; after each line the form comes back
/// with the same sheet and the next line number, ready for the keyboard.
#[component]
fn PaperForm(slug: String) -> impl IntoView {
    let action = ServerAction::<EnterPaperSignature>::new();
    let error = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    let query = use_query_map();
    let sheet = query.read_untracked().get("sheet").unwrap_or_default();
    let line = query
        .read_untracked()
        .get("line")
        .unwrap_or_else(|| "1".to_owned());
    view! {
        <section class="card" id="paper" aria-labelledby="paper-heading">
            <h2 id="paper-heading">{t("petition-paper-heading")}</h2>
            <p>{t("petition-paper-text")}</p>
            <p><a href=format!("/petitions/{slug}/review")>{t("petition-paper-review-link")}</a></p>
            <p><a href=format!("/petitions/{slug}/report")>{t("petition-paper-report-link")}</a></p>
            <ErrorSummary error form="paper" />
            <ActionForm action attr:class="form paper-form" attr:novalidate=true>
                <input type="hidden" name="slug" value=slug.clone() />
                <Field name="sheet" form="paper" label=t("petition-paper-sheet") required=true value=sheet kind="number" error />
                <Field name="line" form="paper" label=t("petition-paper-line") required=true value=line kind="number" error />
                <Field name="family_name" form="paper" label=t("petition-field-family-name") maxlength=NAME_MAX_CHARS error />
                <Field name="given_names" form="paper" label=t("petition-field-given-names") maxlength=NAME_MAX_CHARS error />
                <Field name="birth_date" form="paper" label=t("petition-field-birth-date") hint=t("petition-paper-date-hint") error />
                <Field name="street" form="paper" label=t("petition-field-street") maxlength=NAME_MAX_CHARS error />
                <Field name="house_number" form="paper" label=t("petition-field-house-number") maxlength=HOUSE_NUMBER_MAX_CHARS error />
                <Field name="postal_code" form="paper" label=t("petition-paper-postal-code") maxlength=5usize error />
                <Field name="city" form="paper" label=t("petition-field-city") maxlength=NAME_MAX_CHARS error />
                <Field name="signed_on" form="paper" label=t("petition-paper-signed-on") hint=t("petition-paper-date-hint") error />
                <Submit label=t("petition-paper-save") pending=action.pending() />
            </ActionForm>
        </section>
    }
}
