//! Staff pages of proposals: the topic and village lists, and proposals per topic and status.

use leptos::prelude::*;
use leptos_meta::Title;

use super::api::{SaveProposalLists, get_proposal_choices, get_proposal_report};
use super::domain::Status;
use crate::accounts::Me;
use crate::components::{ErrorSummary, Notice, Restricted, Submit, TextArea};
use crate::petitions::rules::thousands;

/// `/staff/lists`
#[component]
pub fn ProposalListsPage() -> impl IntoView {
    view! {
        <Title text="Themen und Ortsteile – Dorfplatz" />
        <div class="wrap narrow">
            <Restricted next="/staff/lists" allow=Me::is_staff denial="Die Listen pflegt die Gemeindeverwaltung.">
                <ListsForm />
            </Restricted>
        </div>
    }
}

#[component]
fn ListsForm() -> impl IntoView {
    let action = ServerAction::<SaveProposalLists>::new();
    let error = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    let choices = Resource::new(move || action.version().get(), |_| get_proposal_choices());
    view! {
        <h1>"Themen und Ortsteile"</h1>
        <Notice />
        <p>"Die Auswahl beim Einreichen eines Vorschlags. Ein Eintrag pro Zeile, in der gewünschten Reihenfolge. Gestrichene Einträge werden nicht mehr angeboten; Vorschläge, die sie tragen, behalten sie."</p>
        <ErrorSummary error />
        <Suspense fallback=crate::components::page::loading>
            {move || Suspend::new(async move {
                match choices.await {
                    Err(e) => view! { <p class="error-summary" role="alert">{e.message()}</p> }.into_any(),
                    Ok(c) => {
                        let lines = |list: &[super::Choice]| list.iter().filter(|x| x.active).map(|x| x.name.clone()).collect::<Vec<_>>().join("\n");
                        view! {
                            <ActionForm action attr:class="form" attr:novalidate=true>
                                <TextArea name="topics" label="Themen" rows=8 value=lines(&c.topics) error />
                                <TextArea name="districts" label="Ortsteile" rows=12 value=lines(&c.districts) error />
                                <Submit label="Listen speichern" pending=action.pending() />
                            </ActionForm>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// `/staff/reports`: proposals per topic and status, with the CSV download.
#[component]
pub fn ParticipationReportPage() -> impl IntoView {
    view! {
        <Title text="Berichte zur Beteiligung – Dorfplatz" />
        <div class="wrap">
            <Restricted next="/staff/reports" allow=Me::is_staff denial="Die Berichte sieht nur die Gemeindeverwaltung.">
                <TopicReport />
                <BoardReport />
            </Restricted>
        </div>
    }
}

#[component]
fn BoardReport() -> impl IntoView {
    let report = Resource::new(|| (), |_| crate::boards::api::get_board_report());
    view! {
        <h2 id="by-board">"Beiräte: Sitzungen, Anwesenheit und Empfehlungen"</h2>
        <p><a href="/staff/reports/boards.csv" download="">"Als CSV herunterladen"</a></p>
        <Suspense fallback=crate::components::page::loading>
            {move || Suspend::new(async move {
                match report.await {
                    Err(e) => view! { <p class="error-summary" role="alert">{e.message()}</p> }.into_any(),
                    Ok(rows) => view! {
                        <div class="table-scroll" tabindex="0" role="region" aria-label="Beiräte: Sitzungen, Anwesenheit und Empfehlungen">
                            <table class="data" id="board-report">
                                <caption class="visually-hidden">"Beiräte: Sitzungen, Anwesenheit und Empfehlungen"</caption>
                                <thead>
                                    <tr>
                                        <th scope="col">"Gremium"</th>
                                        <th scope="col" class="number">"Sitzungen durchgeführt"</th>
                                        <th scope="col" class="number">"abgesagt"</th>
                                        <th scope="col" class="number">"Anwesenheit"</th>
                                        <th scope="col" class="number">"Empfehlungen beschlossen"</th>
                                        <th scope="col" class="number">"abgelehnt"</th>
                                        <th scope="col" class="number">"vertagt"</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {rows.into_iter().map(|r| view! {
                                        <tr>
                                            <th scope="row">{r.board.clone()}</th>
                                            <td class="number">{thousands(r.held)}</td>
                                            <td class="number">{thousands(r.cancelled)}</td>
                                            <td class="number">{r.attendance_percent.map(|p| format!("{p} %")).unwrap_or_else(|| "–".into())}</td>
                                            <td class="number">{thousands(r.adopted)}</td>
                                            <td class="number">{thousands(r.rejected)}</td>
                                            <td class="number">{thousands(r.postponed)}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <p class="hint">"Anwesenheit: anwesende stimmberechtigte Mitglieder im Verhältnis zu allen stimmberechtigten Mitgliedern, über die durchgeführten Sitzungen mit erfasster Anwesenheit."</p>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn TopicReport() -> impl IntoView {
    let report = Resource::new(|| (), |_| get_proposal_report());
    view! {
        <h1>"Berichte zur Beteiligung"</h1>
        <p>"Die Auswertung der Unterschriften eines Bürgerbegehrens steht auf seiner Seite („Auswertung und Prüfbericht“). "
            <a href="/staff/lists">"Themen und Ortsteile der Vorschläge bearbeiten"</a></p>
        <h2 id="by-topic">"Vorschläge nach Thema und Stand"</h2>
        <p><a href="/staff/reports/proposals.csv" download="">"Als CSV herunterladen"</a></p>
        <Suspense fallback=crate::components::page::loading>
            {move || Suspend::new(async move {
                match report.await {
                    Err(e) => view! { <p class="error-summary" role="alert">{e.message()}</p> }.into_any(),
                    Ok(rows) => view! {
                        <div class="table-scroll" tabindex="0" role="region" aria-label="Vorschläge nach Thema und Stand">
                            <table class="data" id="topic-report">
                                <caption class="visually-hidden">"Vorschläge nach Thema und Stand"</caption>
                                <thead>
                                    <tr>
                                        <th scope="col">"Thema"</th>
                                        {Status::ALL.into_iter().map(|s| view! { <th scope="col" class="number">{s.label()}</th> }).collect_view()}
                                        <th scope="col" class="number">"zusammen"</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {rows.into_iter().map(|r| {
                                        let total = r.total();
                                        view! {
                                            <tr>
                                                <th scope="row">{r.topic.clone()}</th>
                                                {r.counts.iter().map(|(_, n)| view! { <td class="number">{thousands(*n)}</td> }).collect_view()}
                                                <td class="number">{thousands(total)}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
