use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::detail::use_slug;
use crate::accounts::Me;
use crate::components::{ErrorSummary, Field, Notice, Restricted, Select, Submit, TextArea};
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
        <Title text="Verfahren verwalten – Dorfplatz" />
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
                        view! { <h1>"Verfahren verwalten"</h1><p class="error-summary" role="alert">{e.message()}</p> }.into_any()
                    }
                    Ok(d) if !d.permissions.initiator && !d.permissions.staff => {
                        crate::components::page::set_status(403);
                        view! {
                            <h1>"Keine Berechtigung"</h1>
                            <p>"Dieses Verfahren verwalten nur die Initiatorinnen und Initiatoren und die Gemeindeverwaltung."</p>
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
        <h1>"Verfahren verwalten"</h1>
        <p>"Stand: "<strong>{stage.label()}</strong></p>
        {if steps.is_empty() {
            view! { <p>"Im Moment ist kein Schritt von Ihnen zu tun."</p> }.into_any()
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
            "Angenommen".to_owned(),
        ),
        (
            Outcome::Rejected.as_str().to_owned(),
            "Abgelehnt".to_owned(),
        ),
    ];
    let (heading, button, fields) = match step {
        Step::RequestCostEstimate => (
            "Kostenschätzung anfragen",
            "Kostenschätzung bei der Verwaltung anfragen",
            view! { <p>"Die Verwaltung schätzt die Kosten der verlangten Maßnahme; die Schätzung steht danach auf jeder Unterschriftenliste. Bei einem Bürgerbegehren gegen einen Ratsbeschluss ruht die Frist, bis sie vorliegt."</p> }.into_any(),
        ),
        Step::EnterCostEstimate => (
            "Kostenschätzung mitteilen",
            "Kostenschätzung speichern",
            view! { <TextArea name="cost_estimate" form=code label="Kostenschätzung der Verwaltung" rows=5 required=true maxlength=COST_ESTIMATE_MAX_CHARS
                hint="Sie steht auf jeder Unterschriftenliste." error /> }.into_any(),
        ),
        Step::ApprovePublication => (
            "Veröffentlichung freigeben",
            "Veröffentlichen und Sammlung beginnen",
            view! { <p>"Mit der Freigabe wird das Bürgerbegehren öffentlich, die erforderliche Zahl der Unterschriften wird aus den aktuellen Gemeindedaten festgelegt und die Sammlung beginnt."</p> }.into_any(),
        ),
        Step::Submit => (
            "Unterschriften einreichen",
            "Bürgerbegehren einreichen",
            view! { <p>"Mit der Einreichung endet die Sammlung; danach prüft die Verwaltung die Unterschriften und der Rat entscheidet über die Zulässigkeit."</p> }.into_any(),
        ),
        Step::DeclareAdmissible => ("Zulässigkeit feststellen", "Rat hat das Bürgerbegehren für zulässig erklärt", ().into_any()),
        Step::DeclareInadmissible => (
            "Unzulässigkeit feststellen",
            "Rat hat das Bürgerbegehren für unzulässig erklärt",
            view! { <TextArea name="note" form=code label="Begründung des Rates" rows=4 error /> }.into_any(),
        ),
        Step::CouncilAdopts => (
            "Rat entspricht dem Anliegen",
            "Rat hat dem Anliegen entsprochen",
            view! { <TextArea name="note" form=code label="Beschluss des Rates (freiwillig)" rows=3 error /> }.into_any(),
        ),
        Step::ScheduleReferendum => (
            "Bürgerentscheid ansetzen",
            "Abstimmungstag speichern",
            view! { <Field name="referendum_on" form=code label="Tag des Bürgerentscheids" kind="date" required=true error /> }.into_any(),
        ),
        Step::RecordResult => (
            "Ergebnis des Bürgerentscheids",
            "Ergebnis speichern",
            view! {
                <Field name="yes_votes" form=code label="Ja-Stimmen" required=true error />
                <Field name="no_votes" form=code label="Nein-Stimmen" required=true error />
                <Select name="outcome" form=code label="Ergebnis" options=outcomes error />
            }.into_any(),
        ),
        Step::Withdraw => (
            "Bürgerbegehren zurückziehen",
            "Zurückziehen",
            view! { <TextArea name="note" form=code label="Erklärung (freiwillig, öffentlich)" rows=3 error /> }.into_any(),
        ),
        Step::Expire => ("", "", ().into_any()),
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
            <h2 id="sheets-heading">"Eingegangene Unterschriftenbögen"</h2>
            <p>"Code eines unterschrieben zurückgegebenen persönlichen Bogens eingeben oder scannen; Enter speichert. Ab dann zählt die Unterschrift als Papierunterschrift."</p>
            <ErrorSummary error form="sheet" />
            <ActionForm action attr:class="form form-inline" attr:novalidate=true>
                <input type="hidden" name="slug" value=slug />
                <Field name="code" form="sheet" label="Bogencode" required=true maxlength=12usize autocomplete="off" error />
                <Submit label="Als eingegangen erfassen" pending=action.pending() />
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
            <h2 id="paper-heading">"Papierlisten erfassen"</h2>
            <p>"Eine Zeile der Unterschriftenliste nach der anderen. Übertragen Sie, was lesbar ist, und lassen Sie leer, was fehlt oder unleserlich ist: Die Prüfung gegen das Melderegister entscheidet, und was nicht eindeutig ist, kommt in die Prüfliste. Doppelte Unterschriften werden erkannt."</p>
            <p><a href=format!("/petitions/{slug}/review")>"Unterschriften prüfen (Ergebnisse, Prüfliste, ungültige Blätter, Export)"</a></p>
            <p><a href=format!("/petitions/{slug}/report")>"Auswertung und Prüfbericht (Zahlen, Diagramme, CSV, XLSX, PDF)"</a></p>
            <ErrorSummary error form="paper" />
            <ActionForm action attr:class="form paper-form" attr:novalidate=true>
                <input type="hidden" name="slug" value=slug.clone() />
                <Field name="sheet" form="paper" label="Blatt" required=true value=sheet kind="number" error />
                <Field name="line" form="paper" label="Zeile" required=true value=line kind="number" error />
                <Field name="family_name" form="paper" label="Familienname" maxlength=NAME_MAX_CHARS error />
                <Field name="given_names" form="paper" label="Vornamen" maxlength=NAME_MAX_CHARS error />
                <Field name="birth_date" form="paper" label="Geburtsdatum" hint="TT.MM.JJJJ" error />
                <Field name="street" form="paper" label="Straße" maxlength=NAME_MAX_CHARS error />
                <Field name="house_number" form="paper" label="Hausnummer" maxlength=HOUSE_NUMBER_MAX_CHARS error />
                <Field name="postal_code" form="paper" label="PLZ" maxlength=5usize error />
                <Field name="city" form="paper" label="Ort" maxlength=NAME_MAX_CHARS error />
                <Field name="signed_on" form="paper" label="Unterschriftsdatum (falls angegeben)" hint="TT.MM.JJJJ" error />
                <Submit label="Zeile speichern" pending=action.pending() />
            </ActionForm>
        </section>
    }
}
