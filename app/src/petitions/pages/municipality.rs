use leptos::prelude::*;
use leptos_meta::Title;

use super::QuorumCard;
use crate::accounts::Me;
use crate::components::{ErrorSummary, Field, Notice, Restricted, Select, Submit};
use crate::i18n::{current_lang, t, t_args};
use crate::petitions::api::{UpdateMunicipality, get_legal_frame};
use crate::petitions::rules::State;

/// Staff enter the state, the population and the eligible citizens; the page shows the
/// signatures a petition needs and the rules that follow from the state's law.
#[component]
pub fn MunicipalityPage() -> impl IntoView {
    view! {
        <Title text=t_args("page-title", &[("title", &t("petition-municipality-title"))]) />
        <div class="wrap">
            <Restricted next="/staff/municipality" allow=Me::is_staff
                denial=t("petition-municipality-denial")>
                <MunicipalityForm />
            </Restricted>
        </div>
    }
}

#[component]
fn MunicipalityForm() -> impl IntoView {
    let action = ServerAction::<UpdateMunicipality>::new();
    let error = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    // Reload the figures after each successful save only: after an error the form keeps
    // what the person typed.
    let saves = Memo::new(move |before: Option<&u32>| {
        let before = before.copied().unwrap_or(0);
        if matches!(action.value().get(), Some(Ok(()))) {
            before + 1
        } else {
            before
        }
    });
    let frame = Resource::new(move || saves.get(), |_| get_legal_frame());
    let states: Vec<(String, String)> = State::ALL
        .into_iter()
        .map(|s| (s.code().to_owned(), s.name().to_owned()))
        .collect();
    view! {
        <h1>{t("petition-municipality-heading")}</h1>
        <Notice />
        <ErrorSummary error />
        <Suspense fallback=crate::components::page::loading>
            {move || {
                let states = states.clone();
                Suspend::new(async move {
                    match frame.await {
                        Err(e) => view! { <p class="error-summary" role="alert">{e.message()}</p> }.into_any(),
                        Ok(f) => {
                            let name = f.municipality.name.clone();
                            let m = f.municipality.figures.clone();
                            let rules_heading = t_args("petition-municipality-rules", &[("citation", &f.citation), ("version", &f.rule_set_id)]);
                            let rules = f.rules.clone();
                            view! {
                                <QuorumCard frame=f missing=t("petition-municipality-missing")>
                                    <h3>{rules_heading}</h3>
                                    {(current_lang().code != "de").then(|| view! { <p class="hint">{t("petitions-rules-german")}</p> })}
                                    <ul lang="de">
                                        {rules.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}
                                    </ul>
                                </QuorumCard>
                                <h2>{t("petition-municipality-edit")}</h2>
                                <p>{t_args("petition-municipality-name", &[("name", &name)])}</p>
                                <ActionForm action attr:class="form" attr:novalidate=true>
                                    <Select name="state" label=t("petition-municipality-state") options=states selected=m.state.code().to_owned() error />
                                    <Field name="population" label=t("petition-municipality-population") required=true
                                        hint=t("petition-municipality-population-hint")
                                        value=m.population.map(|n| n.to_string()).unwrap_or_default() error />
                                    <Field name="eligible_citizens" label=t("petition-municipality-citizens") required=true
                                        hint=t("petition-municipality-citizens-hint")
                                        value=m.eligible_citizens.map(|n| n.to_string()).unwrap_or_default() error />
                                    <Field name="eligible_source" label=t("petition-municipality-source") required=true maxlength=200usize
                                        hint=t("petition-municipality-source-hint")
                                        value=m.eligible_source.clone() error />
                                    <Field name="eligible_reference_date" label=t("petition-municipality-reference-date") kind="date" required=true
                                        value=m.eligible_reference_date.map(|d| d.to_string()).unwrap_or_default() error />
                                    <Submit label=t("petition-municipality-save") pending=action.pending() />
                                </ActionForm>
                            }.into_any()
                        }
                    }
                })
            }}
        </Suspense>
    }
}
