use leptos::prelude::*;
use leptos_meta::Title;

use crate::accounts::Me;
use crate::components::{ErrorSummary, Field, Restricted, Select, Submit, TextArea};
use crate::i18n::{t, t_args};
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
        <Title text=t_args("page-title", &[("title", &t("petitions-start"))]) />
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
            Kind::Initiating.title(),
        ),
        (Kind::Cassatory.as_str().to_owned(), Kind::Cassatory.title()),
    ];
    view! {
        <h1>{t("petitions-start")}</h1>
        <p>{t("petition-new-intro")}</p>
        <ErrorSummary error />
        <ActionForm action attr:class="form" attr:novalidate=true>
            <Field name="title" label=t("petition-new-title") required=true maxlength=TITLE_MAX_CHARS
                hint=t("petition-new-title-hint") error />
            <TextArea name="question" label=t("petition-new-question") rows=3 required=true maxlength=QUESTION_MAX_CHARS
                hint=t_args("petition-new-question-hint", &[("max", &QUESTION_MAX_CHARS.to_string())]) error />
            <TextArea name="justification" label=t("petition-justification") rows=10 required=true maxlength=JUSTIFICATION_MAX_CHARS
                hint=t_args("petition-new-justification-hint", &[("max", &thousands(JUSTIFICATION_MAX_CHARS as u64))]) error />
            <Select name="kind" label=t("petition-new-kind") options=kinds selected="initiating".to_owned() error />
            <fieldset>
                <legend>{t("petition-new-cassatory-only")}</legend>
                <Field name="council_meeting_on" label=t("petition-new-council-meeting-on") kind="date" error />
                <Field name="council_published_on" label=t("petition-new-council-published-on") kind="date"
                    hint=t("petition-new-council-published-on-hint") error />
            </fieldset>
            <Field name="end_date" label=t("petition-new-end-date") kind="date" error />
            {(0..3).map(|i| view! {
                <fieldset>
                    <legend>{t_args("petition-new-representative", &[("number", &(i + 1).to_string())])}{(i > 0).then(|| format!(" {}", t("petition-new-optional")))}</legend>
                    <Field name=representative_field(i, "name") label=t("petition-new-representative-name") required=i == 0 maxlength=REPRESENTATIVE_NAME_MAX_CHARS error />
                    <Field name=representative_field(i, "address") label=t("petition-new-representative-address") required=i == 0 maxlength=REPRESENTATIVE_ADDRESS_MAX_CHARS
                        hint=t("petition-new-representative-address-hint") error />
                    <Field name=representative_field(i, "email") label=t("petition-new-representative-email") kind="email" error />
                </fieldset>
            }).collect_view()}
            <Submit label=t("petition-new-save") pending=action.pending() />
        </ActionForm>
    }
}
