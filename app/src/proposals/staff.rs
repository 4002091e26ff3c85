//! Staff pages of proposals: the topic and village lists, and proposals per topic and status.

use leptos::prelude::*;
use leptos_meta::Title;

use super::api::{SaveProposalLists, get_proposal_choices, get_proposal_report};
use super::domain::Status;
use crate::accounts::Me;
use crate::components::{ErrorSummary, Notice, Restricted, Submit, TextArea};
use crate::i18n::{t, t_args};
use crate::petitions::rules::thousands;

/// `/staff/lists`
#[component]
pub fn ProposalListsPage() -> impl IntoView {
    view! {
        <Title text=t_args("page-title", &[("title", &t("proposal-lists-title"))]) />
        <div class="wrap narrow">
            <Restricted next="/staff/lists" allow=Me::is_staff denial=t("proposal-lists-denial")>
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
        <h1>{t("proposal-lists-title")}</h1>
        <Notice />
        <p>{t("proposal-lists-intro")}</p>
        <ErrorSummary error />
        <Suspense fallback=crate::components::page::loading>
            {move || Suspend::new(async move {
                match choices.await {
                    Err(e) => view! { <p class="error-summary" role="alert">{e.message()}</p> }.into_any(),
                    Ok(c) => {
                        let lines = |list: &[super::Choice]| list.iter().filter(|x| x.active).map(|x| x.name.clone()).collect::<Vec<_>>().join("\n");
                        view! {
                            <ActionForm action attr:class="form" attr:novalidate=true>
                                <TextArea name="topics" label=t("proposal-lists-topics") rows=8 value=lines(&c.topics) error />
                                <TextArea name="districts" label=t("proposal-lists-districts") rows=12 value=lines(&c.districts) error />
                                <Submit label=t("proposal-lists-save") pending=action.pending() />
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
        <Title text=t_args("page-title", &[("title", &t("proposal-reports-title"))]) />
        <div class="wrap">
            <Restricted next="/staff/reports" allow=Me::is_staff denial=t("proposal-reports-denial")>
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
        <h2 id="by-board">{t("proposal-reports-boards")}</h2>
        <p><a href="/staff/reports/boards.csv" download="">{t("proposal-reports-csv")}</a></p>
        <Suspense fallback=crate::components::page::loading>
            {move || Suspend::new(async move {
                match report.await {
                    Err(e) => view! { <p class="error-summary" role="alert">{e.message()}</p> }.into_any(),
                    Ok(rows) => view! {
                        <div class="table-scroll" tabindex="0" role="region" aria-label=t("proposal-reports-boards")>
                            <table class="data" id="board-report">
                                <caption class="visually-hidden">{t("proposal-reports-boards")}</caption>
                                <thead>
                                    <tr>
                                        <th scope="col">{t("proposal-reports-board")}</th>
                                        <th scope="col" class="number">{t("proposal-reports-held")}</th>
                                        <th scope="col" class="number">{t("proposal-reports-cancelled")}</th>
                                        <th scope="col" class="number">{t("proposal-reports-attendance")}</th>
                                        <th scope="col" class="number">{t("proposal-reports-adopted")}</th>
                                        <th scope="col" class="number">{t("proposal-reports-rejected")}</th>
                                        <th scope="col" class="number">{t("proposal-reports-postponed")}</th>
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
                        <p class="hint">{t("proposal-reports-attendance-hint")}</p>
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
        <h1>{t("proposal-reports-title")}</h1>
        <p>{t("proposal-reports-petitions")}" "
            <a href="/staff/lists">{t("proposal-reports-edit-lists")}</a></p>
        <h2 id="by-topic">{t("proposal-reports-topics")}</h2>
        <p><a href="/staff/reports/proposals.csv" download="">{t("proposal-reports-csv")}</a></p>
        <Suspense fallback=crate::components::page::loading>
            {move || Suspend::new(async move {
                match report.await {
                    Err(e) => view! { <p class="error-summary" role="alert">{e.message()}</p> }.into_any(),
                    Ok(rows) => view! {
                        <div class="table-scroll" tabindex="0" role="region" aria-label=t("proposal-reports-topics")>
                            <table class="data" id="topic-report">
                                <caption class="visually-hidden">{t("proposal-reports-topics")}</caption>
                                <thead>
                                    <tr>
                                        <th scope="col">{t("proposal-topic")}</th>
                                        {Status::ALL.into_iter().map(|s| view! { <th scope="col" class="number">{s.title()}</th> }).collect_view()}
                                        <th scope="col" class="number">{t("proposal-reports-total")}</th>
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
