use leptos::prelude::*;
use leptos_meta::Title;

use crate::accounts::Me;
use crate::components::{ErrorSummary, Field, Restricted, Select, Submit, TextArea};
use crate::petitions::api::CreatePetition;
use crate::petitions::draft::{
    JUSTIFICATION_MAX_CHARS, Kind, QUESTION_MAX_CHARS, REPRESENTATIVE_ADDRESS_MAX_CHARS,
    REPRESENTATIVE_NAME_MAX_CHARS, TITLE_MAX_CHARS, representative_field,
};
use crate::petitions::rules::thousands;

/// Initiators draft a petition. The draft stays private until the administration has given
/// its cost estimate and approved publication.
#[component]
pub fn NewPetitionPage() -> impl IntoView {
    view! {
        <Title text="Bürgerbegehren starten – Dorfplatz" />
        <div class="wrap narrow">
            <Restricted next="/petitions/new" allow=|_: &Me| true denial="">
                <DraftForm />
            </Restricted>
        </div>
    }
}

#[component]
fn DraftForm() -> impl IntoView {
    let action = ServerAction::<CreatePetition>::new();
    let error = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    let kinds = vec![
        (
            Kind::Initiating.as_str().to_owned(),
            Kind::Initiating.label().to_owned(),
        ),
        (
            Kind::Cassatory.as_str().to_owned(),
            Kind::Cassatory.label().to_owned(),
        ),
    ];
    view! {
        <h1>"Bürgerbegehren starten"</h1>
        <p>"Sie formulieren die Frage, begründen sie und nennen bis zu drei Personen, die die Unterzeichnenden vertreten. Danach bitten Sie die Verwaltung um ihre Kostenschätzung; mit ihr wird das Bürgerbegehren veröffentlicht und die Sammlung beginnt."</p>
        <ErrorSummary error />
        <ActionForm action attr:class="form" attr:novalidate=true>
            <Field name="title" label="Kurzer Titel" required=true maxlength=TITLE_MAX_CHARS
                hint="Zum Beispiel „Medizinisches Versorgungszentrum für Kalletal“." error />
            <TextArea name="question" label="Frage zur Abstimmung" rows=3 required=true maxlength=QUESTION_MAX_CHARS
                hint=format!("Mit Ja oder Nein zu beantworten, höchstens {QUESTION_MAX_CHARS} Zeichen, z. B. „Soll die Gemeinde … ?“") error />
            <TextArea name="justification" label="Begründung" rows=10 required=true maxlength=JUSTIFICATION_MAX_CHARS
                hint=format!("Sie steht auf jeder Unterschriftenliste, höchstens {} Zeichen. Absätze trennen Sie mit einer Leerzeile.", thousands(JUSTIFICATION_MAX_CHARS as u64)) error />
            <Select name="kind" label="Art des Bürgerbegehrens" options=kinds selected="initiating".to_owned() error />
            <fieldset>
                <legend>"Nur bei einem Bürgerbegehren gegen einen Ratsbeschluss"</legend>
                <Field name="council_meeting_on" label="Tag der Ratssitzung mit dem Beschluss" kind="date" error />
                <Field name="council_published_on" label="Tag der Bekanntmachung des Beschlusses" kind="date"
                    hint="Leer lassen, wenn der Beschluss nicht bekannt gemacht wurde. Aus beiden Tagen berechnen wir die gesetzliche Frist." error />
            </fieldset>
            <Field name="end_date" label="Geplantes Ende der Sammlung (freiwillig)" kind="date" error />
            {(0..3).map(|i| view! {
                <fieldset>
                    <legend>{format!("Vertretungsberechtigte Person {}", i + 1)}{(i > 0).then_some(" (freiwillig)")}</legend>
                    <Field name=representative_field(i, "name") label="Vor- und Familienname" required=i == 0 maxlength=REPRESENTATIVE_NAME_MAX_CHARS error />
                    <Field name=representative_field(i, "address") label="Anschrift" required=i == 0 maxlength=REPRESENTATIVE_ADDRESS_MAX_CHARS
                        hint="Straße, Hausnummer, PLZ und Ort; sie steht auf jeder Unterschriftenliste." error />
                    <Field name=representative_field(i, "email") label="E-Mail-Adresse (freiwillig, für Nachrichten zum Verfahren)" kind="email" error />
                </fieldset>
            }).collect_view()}
            <Submit label="Entwurf speichern" pending=action.pending() />
        </ActionForm>
    }
}
