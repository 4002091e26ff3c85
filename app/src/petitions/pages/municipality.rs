use leptos::prelude::*;
use leptos_meta::Title;

use super::QuorumCard;
use crate::accounts::Me;
use crate::components::{ErrorSummary, Field, Notice, Restricted, Select, Submit};
use crate::petitions::api::{UpdateMunicipality, get_legal_frame};
use crate::petitions::rules::State;

/// Staff enter the state, the population and the eligible citizens; the page shows the
/// signatures a petition needs and the rules that follow from the state's law.
#[component]
pub fn MunicipalityPage() -> impl IntoView {
    view! {
        <Title text="Gemeindedaten – Dorfplatz" />
        <div class="wrap">
            <Restricted next="/staff/municipality" allow=Me::is_staff
                denial="Diese Seite ist der Gemeindeverwaltung vorbehalten.">
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
        <h1>"Gemeindedaten für Bürgerbegehren"</h1>
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
                            let rules_heading = format!("Geltende Regeln ({}, Fassung {})", f.citation, f.rule_set_id);
                            let rules = f.rules.clone();
                            view! {
                                <QuorumCard frame=f missing="Noch nicht berechenbar: Bitte tragen Sie Einwohnerzahl und Zahl der Bürgerinnen und Bürger ein.">
                                    <h3>{rules_heading}</h3>
                                    <ul>
                                        {rules.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}
                                    </ul>
                                </QuorumCard>
                                <h2>"Angaben bearbeiten"</h2>
                                <p>{format!("Gemeinde: {name} (den Namen ändert die Administration unter „Einstellungen“).")}</p>
                                <ActionForm action attr:class="form" attr:novalidate=true>
                                    <Select name="state" label="Bundesland" options=states selected=m.state.code().to_owned() error />
                                    <Field name="population" label="Amtliche Einwohnerzahl" required=true
                                        hint="Bestimmt die Stufe des Quorums, z. B. 14012."
                                        value=m.population.map(|n| n.to_string()).unwrap_or_default() error />
                                    <Field name="eligible_citizens" label="Zahl der Bürgerinnen und Bürger (Unterschriftsberechtigte)" required=true
                                        hint="Meist die Wahlberechtigten der letzten Kommunalwahl."
                                        value=m.eligible_citizens.map(|n| n.to_string()).unwrap_or_default() error />
                                    <Field name="eligible_source" label="Quelle dieser Zahl" required=true maxlength=200usize
                                        hint="Zum Beispiel „Wahlberechtigte der Kommunalwahl 2025“ oder „Melderegister“."
                                        value=m.eligible_source.clone() error />
                                    <Field name="eligible_reference_date" label="Stichtag dieser Zahl" kind="date" required=true
                                        value=m.eligible_reference_date.map(|d| d.to_string()).unwrap_or_default() error />
                                    <Submit label="Speichern" pending=action.pending() />
                                </ActionForm>
                            }.into_any()
                        }
                    }
                })
            }}
        </Suspense>
    }
}
