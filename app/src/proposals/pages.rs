//! Proposal pages: the list with filters and search, submitting, one proposal with its
//! support, status history and the official answer form, and editing by the author.

use leptos::prelude::*;

use crate::accessibility::EasySubject;
use crate::accessibility::pages::EasySummaryBox;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::{
    AnswerProposal, EditProposal, SubmitProposal, SupportProposal, get_proposal,
    get_proposal_choices, list_proposals,
};
use super::domain::{BODY_MAX_CHARS, Sort, Status, TITLE_MAX_CHARS};
use super::{Choice, ListQuery, ProposalCard, ProposalDetail, ProposalPermissions};
use crate::accounts::Me;
use crate::admin::encode_query;
use crate::comments::Thread;
use crate::comments::api::{ModerateContent, ReportContent};
use crate::comments::domain::SubjectKind;
use crate::comments::thread::{CommentThread, load_thread, use_thread_query};
use crate::components::{
    Checkbox, ErrorSummary, Field, Notice, Restricted, Select, Submit, TextArea,
};
use crate::petitions::rules::{german_date, german_date_text, thousands};

fn choice_options(choices: &[Choice], none: &str) -> Vec<(String, String)> {
    std::iter::once((String::new(), none.to_owned()))
        .chain(
            choices
                .iter()
                .filter(|c| c.active)
                .map(|c| (c.id.to_string(), c.name.clone())),
        )
        .collect()
}

fn status_badge(status: Status) -> impl IntoView {
    view! { <span class=format!("badge proposal-{}", status.code())>{status.label()}</span> }
}

#[component]
fn Card(p: ProposalCard) -> impl IntoView {
    view! {
        <li class="card proposal-card">
            <h3><A href=format!("/proposals/{}", p.id)>{p.title.clone()}</A></h3>
            <p class="meta">
                {status_badge(p.status)}" · "{p.topic.clone()}
                {p.district.clone().map(|d| format!(" · {d}"))}
                " · "{format!("von {} am {}", p.author, german_date_text(german_date(p.created_at)))}
            </p>
            {match p.hidden_reason.clone() {
                Some(reason) => view! { <p class="hidden-note">{format!("ausgeblendet: {reason}")}</p> }.into_any(),
                None => view! { <p>{p.teaser.clone()}</p> }.into_any(),
            }}
            <p class="meta">
                {format!("{} Unterstützung{}", thousands(p.supports), if p.supports == 1 { "" } else { "en" })}
                " · "{format!("{} Kommentar{}", thousands(p.comments), if p.comments == 1 { "" } else { "e" })}
            </p>
        </li>
    }
}

fn list_query(q: &leptos_router::params::ParamsMap) -> ListQuery {
    ListQuery {
        q: q.get("q").unwrap_or_default(),
        topic: q.get("topic").and_then(|t| t.parse().ok()),
        district: q.get("district").and_then(|d| d.parse().ok()),
        status: q.get("status").unwrap_or_default(),
        sort: q.get("sort").unwrap_or_default(),
        page: q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1),
    }
}

fn page_link(q: &ListQuery, page: u64) -> String {
    let mut parts = Vec::new();
    if !q.q.is_empty() {
        parts.push(format!("q={}", encode_query(&q.q)));
    }
    if let Some(t) = q.topic {
        parts.push(format!("topic={t}"));
    }
    if let Some(d) = q.district {
        parts.push(format!("district={d}"));
    }
    if !q.status.is_empty() {
        parts.push(format!("status={}", encode_query(&q.status)));
    }
    if !q.sort.is_empty() {
        parts.push(format!("sort={}", encode_query(&q.sort)));
    }
    parts.push(format!("page={page}"));
    format!("/proposals?{}", parts.join("&"))
}

/// `/proposals`
#[component]
pub fn ProposalsPage() -> impl IntoView {
    let query = use_query_map();
    let q = move || list_query(&query.read());
    let list = Resource::new(q, list_proposals);
    view! {
        <Title text="Vorschläge – Dorfplatz" />
        <div class="wrap">
            <h1>"Vorschläge"</h1>
            <p class="lead">"Ideen für die Gemeinde: Bürgerinnen und Bürger schlagen vor, andere unterstützen und diskutieren, der Entwicklungsbeirat berät und antwortet öffentlich."</p>
            <Notice />
            <p>
                <A href="/proposals/new" attr:class="button">"Vorschlag einreichen"</A>" "
                <a href="/proposals/feed.atom">"Neue Vorschläge als Feed (Atom)"</a>
            </p>
            <Suspense fallback=crate::components::page::loading>
                {move || Suspend::new(async move {
                    match list.await {
                        Err(e) => view! { <p class="error-summary" role="alert">{e.message()}</p> }.into_any(),
                        Ok(l) => {
                            let current = q();
                            let topic_options = choice_options(&l.topics, "alle Themen");
                            let district_options = choice_options(&l.districts, "alle Ortsteile");
                            let status_options: Vec<(String, String)> = std::iter::once((String::new(), "jeder Stand".to_owned()))
                                .chain(Status::ALL.into_iter().map(|s| (s.code().to_owned(), s.label().to_owned())))
                                .collect();
                            let sort_options: Vec<(String, String)> = Sort::ALL.into_iter().map(|s| (s.code().to_owned(), s.label().to_owned())).collect();
                            let no_error = Signal::derive(|| None);
                            let prev = (l.page > 1).then(|| page_link(&current, l.page - 1));
                            let next = (l.page < l.pages).then(|| page_link(&current, l.page + 1));
                            view! {
                                <form method="get" action="/proposals" class="form filter-form" role="search">
                                    <Field name="q" label="Suche in Titel und Text" kind="search" value=current.q.clone() error=no_error />
                                    <Select name="topic" label="Thema" options=topic_options selected=current.topic.map(|t| t.to_string()).unwrap_or_default() error=no_error />
                                    <Select name="district" label="Ortsteil" options=district_options selected=current.district.map(|d| d.to_string()).unwrap_or_default() error=no_error />
                                    <Select name="status" label="Stand" options=status_options selected=current.status.clone() error=no_error />
                                    <Select name="sort" label="Reihenfolge" options=sort_options selected=l.sort.code().to_owned() error=no_error />
                                    <button type="submit" class="button">"Anzeigen"</button>
                                </form>
                                <p id="proposal-total" aria-live="polite">{match l.total {
                                    0 => "Keine Vorschläge gefunden.".to_owned(),
                                    1 => "1 Vorschlag gefunden.".to_owned(),
                                    n => format!("{} Vorschläge gefunden.", thousands(n)),
                                }}</p>
                                <ul class="proposal-list">
                                    {l.items.into_iter().map(|p| view! { <Card p /> }).collect_view()}
                                </ul>
                                {(l.pages > 1).then(|| view! {
                                    <nav aria-label="Seiten" class="pager">
                                        {prev.map(|href| view! { <a href=href rel="prev">"Vorherige Seite"</a> })}
                                        <span>{format!(" Seite {} von {} ", l.page, l.pages)}</span>
                                        {next.map(|href| view! { <a href=href rel="next">"Nächste Seite"</a> })}
                                    </nav>
                                })}
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
        </div>
    }
}

/// `/proposals/new`
#[component]
pub fn NewProposalPage() -> impl IntoView {
    view! {
        <Title text="Vorschlag einreichen – Dorfplatz" />
        <div class="wrap narrow">
            <Restricted next="/proposals/new" allow=|_: &Me| true denial="">
                <NewProposalForm />
            </Restricted>
        </div>
    }
}

#[component]
fn NewProposalForm() -> impl IntoView {
    let action = ServerAction::<SubmitProposal>::new();
    let error = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    let choices = Resource::new(|| (), |_| get_proposal_choices());
    view! {
        <h1>"Vorschlag einreichen"</h1>
        <p>"Beschreiben Sie, was sich ändern soll und warum. Andere können Ihren Vorschlag unterstützen und kommentieren; der Entwicklungsbeirat beantwortet ihn öffentlich. Bis zur ersten Antwort können Sie ihn noch ändern."</p>
        <ErrorSummary error />
        <Suspense fallback=crate::components::page::loading>
            {move || Suspend::new(async move {
                match choices.await {
                    Err(e) => view! { <p class="error-summary" role="alert">{e.message()}</p> }.into_any(),
                    Ok(c) => view! {
                        <ActionForm action attr:class="form" attr:novalidate=true>
                            <ProposalFields topics=c.topics districts=c.districts error title=String::new() body=String::new() topic=String::new() district=String::new() />
                            <Submit label="Vorschlag einreichen" pending=action.pending() />
                        </ActionForm>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ProposalFields(
    topics: Vec<Choice>,
    districts: Vec<Choice>,
    error: Signal<Option<crate::error::AppError>>,
    title: String,
    body: String,
    topic: String,
    district: String,
) -> impl IntoView {
    view! {
        <Field name="title" label="Titel" required=true maxlength=TITLE_MAX_CHARS value=title
            hint="Kurz und genau, zum Beispiel „Bürgerbus nach Lemgo“." error />
        <TextArea name="body" label="Beschreibung" rows=10 required=true maxlength=BODY_MAX_CHARS value=body
            hint=format!("Mindestens 30, höchstens {} Zeichen. Absätze trennen Sie mit einer Leerzeile; **fett**, *kursiv*, Listen mit „- “ und Links sind möglich.", thousands(BODY_MAX_CHARS as u64)) error />
        <Select name="topic" label="Thema" options=choice_options(&topics, "Bitte wählen") selected=topic error />
        <Select name="district" label="Ortsteil (freiwillig)" options=choice_options(&districts, "die ganze Gemeinde") selected=district error />
    }
}

/// `/proposals/:id`
#[component]
pub fn ProposalPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|i| i.parse::<i64>().ok());
    let support = ServerAction::<SupportProposal>::new();
    let answer = ServerAction::<AnswerProposal>::new();
    let reload = RwSignal::new(0u32);
    let thread_query = use_thread_query();
    let proposal = Resource::new(
        move || {
            (
                id(),
                support.version().get(),
                answer.version().get(),
                thread_query.get(),
                reload.get(),
            )
        },
        |(id, _, _, at, _)| async move {
            let Some(id) = id else {
                return Err(crate::error::AppError::NotFound);
            };
            let d = get_proposal(id).await?;
            let thread = load_thread(SubjectKind::Proposal, id, at).await;
            Ok((d, thread))
        },
    );
    view! {
        <div class="wrap">
            <Suspense fallback=crate::components::page::loading>
                {move || Suspend::new(async move {
                    match proposal.await {
                        Err(e) => {
                            crate::components::page::set_status(e.status());
                            view! {
                                <Title text="Vorschlag – Dorfplatz" />
                                <h1>"Vorschlag nicht gefunden"</h1>
                                <p>{e.message()}</p>
                                <p><A href="/proposals">"Zu allen Vorschlägen"</A></p>
                            }.into_any()
                        }
                        Ok((d, thread)) => view! { <Proposal d thread support answer reload /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn Proposal(
    d: ProposalDetail,
    thread: Option<Thread>,
    support: ServerAction<SupportProposal>,
    answer: ServerAction<AnswerProposal>,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let support_error = Signal::derive(move || support.value().get().and_then(|r| r.err()));
    let answer_error = Signal::derive(move || answer.value().get().and_then(|r| r.err()));
    let c = d.card.clone();
    let id = c.id;
    let perms = d.permissions.clone();
    let steps: Vec<(String, String)> = perms
        .steps
        .iter()
        .map(|s| (s.code().to_owned(), s.label().to_owned()))
        .collect();
    let official = perms.steps.iter().any(|s| *s != Status::Withdrawn);
    let (answer_heading, answer_label, answer_hint) = if official {
        (
            "Stand ändern und antworten",
            "Öffentliche Antwort",
            "Erscheint im Verlauf des Vorschlags und geht per E-Mail an die Einreichenden und an Unterstützende, die das wünschen.",
        )
    } else {
        (
            "Vorschlag zurückziehen",
            "Begründung (freiwillig)",
            "Erscheint im Verlauf des Vorschlags.",
        )
    };
    view! {
        <Title text=format!("{} – Vorschläge – Dorfplatz", c.title) />
        <p class="breadcrumb"><A href="/proposals">"Vorschläge"</A></p>
        <h1>{c.title.clone()}</h1>
        <p class="meta">
            {status_badge(c.status)}" · "{c.topic.clone()}
            {c.district.clone().map(|d| format!(" · {d}"))}
            " · "{format!("eingereicht von {} am {}", c.author, german_date_text(german_date(c.created_at)))}
            {d.edited.then_some(" · bearbeitet")}
        </p>
        <Notice />
        <div class="columns">
            <div class="column-main">
                {match c.hidden_reason.clone() {
                    Some(reason) => view! { <p class="hidden-note">{format!("ausgeblendet: {reason}")}</p> }.into_any(),
                    None => view! { <div class="prose proposal-body" inner_html=d.body_html.clone()></div> }.into_any(),
                }}
                {perms.can_edit.then(|| view! {
                    <p><A href=format!("/proposals/{id}/edit")>"Vorschlag bearbeiten"</A></p>
                })}
                <ProposalModeration id hidden=c.hidden_reason.is_some() perms=perms.clone() />
                <EasySummaryBox kind=EasySubject::Proposal id />
                <section id="history" aria-labelledby="history-heading">
                    <h2 id="history-heading">"Verlauf und Antworten"</h2>
                    <ol class="timeline">
                        {d.history.iter().map(|h| view! {
                            <li>
                                <time datetime=h.at.to_rfc3339()>{german_date_text(german_date(h.at))}</time>
                                ": "{h.status.label()}
                                {h.by.clone().map(|b| format!(" ({b})"))}
                                {h.answer_html.clone().map(|a| view! { <div class="prose official-answer" inner_html=a></div> })}
                            </li>
                        }).collect_view()}
                    </ol>
                </section>
                {(!d.agenda.is_empty()).then(|| view! {
                    <section id="agenda" aria-labelledby="agenda-heading">
                        <h2 id="agenda-heading">"Im Beirat beraten"</h2>
                        <ul>
                            {d.agenda.iter().map(|a| view! {
                                <li>
                                    <A href=format!("/sessions/{}#agenda", a.session_id)>{format!("{}, {}", a.board, a.session_title)}</A>
                                    {format!(
                                        " am {}, TOP {}{}",
                                        crate::boards::domain::day_text(a.starts),
                                        a.number,
                                        a.result.map(|r| format!(": {}", r.label())).unwrap_or_default()
                                    )}
                                </li>
                            }).collect_view()}
                        </ul>
                    </section>
                }.into_any())}
                {thread.map(|t| view! { <CommentThread t reload /> }.into_any())}
            </div>
            <aside class="column-side">
                <section class="card" id="support" aria-labelledby="support-heading">
                    <h2 id="support-heading">"Unterstützung"</h2>
                    <p class="figure-large" id="support-count">{thousands(c.supports)}</p>
                    <ErrorSummary error=support_error form="support" />
                    {if !perms.signed_in {
                        view! { <p><A href=format!("/login?next=/proposals/{id}")>"Melden Sie sich an"</A>", um den Vorschlag zu unterstützen."</p> }.into_any()
                    } else if perms.supported {
                        view! {
                            <p>"Sie unterstützen diesen Vorschlag."</p>
                            <ActionForm action=support attr:class="form">
                                <input type="hidden" name="id" value=id.to_string() />
                                <input type="hidden" name="support" value="0" />
                                <button type="submit" class="button button-secondary">"Unterstützung zurücknehmen"</button>
                            </ActionForm>
                        }.into_any()
                    } else if perms.can_support {
                        view! {
                            <ActionForm action=support attr:class="form">
                                <input type="hidden" name="id" value=id.to_string() />
                                <input type="hidden" name="support" value="1" />
                                <Checkbox name="notify" form="support" label="Per E-Mail über Antworten informieren" error=support_error />
                                <button type="submit" class="button">"Vorschlag unterstützen"</button>
                            </ActionForm>
                        }.into_any()
                    } else {
                        view! { <p>"Dieser Vorschlag sammelt keine Unterstützung mehr."</p> }.into_any()
                    }}
                </section>
                {(!steps.is_empty()).then(|| view! {
                    <section class="card" id="answer" aria-labelledby="answer-heading">
                        <h2 id="answer-heading">{answer_heading}</h2>
                        <ErrorSummary error=answer_error form="answer" />
                        <ActionForm action=answer attr:class="form" attr:novalidate=true>
                            <input type="hidden" name="id" value=id.to_string() />
                            <Select name="status" form="answer" label="Neuer Stand" options=steps.clone() error=answer_error />
                            <TextArea name="answer" form="answer" rows=6 label=answer_label hint=answer_hint error=answer_error />
                            <Submit label="Speichern" pending=answer.pending() />
                        </ActionForm>
                    </section>
                })}
            </aside>
        </div>
    }
}

/// Reporting a proposal (residents) and hiding or restoring it (moderators), in `<details>`
/// so that they stay out of the way.
#[component]
fn ProposalModeration(id: i64, hidden: bool, perms: ProposalPermissions) -> impl IntoView {
    let report = ServerAction::<ReportContent>::new();
    let moderate = ServerAction::<ModerateContent>::new();
    let report_error = Signal::derive(move || report.value().get().and_then(|r| r.err()));
    let moderate_error = Signal::derive(move || moderate.value().get().and_then(|r| r.err()));
    let back = format!("/proposals/{id}");
    view! {
        <div class="comment-actions">
            {perms.can_report.then(|| view! {
                <details open=move || report_error.get().is_some()>
                    <summary>"Vorschlag melden"</summary>
                    <ActionForm action=report attr:class="form" attr:novalidate=true>
                        <ErrorSummary error=report_error form="report" />
                        <input type="hidden" name="target" value="proposal" />
                        <input type="hidden" name="id" value=id.to_string() />
                        <TextArea name="reason" form="report" label="Was ist an diesem Vorschlag nicht in Ordnung?" rows=2 required=true error=report_error />
                        <Submit label="Meldung senden" pending=report.pending() />
                    </ActionForm>
                </details>
            })}
            {perms.can_moderate.then(|| if hidden {
                view! {
                    <ActionForm action=moderate attr:class="inline-form">
                        <input type="hidden" name="target" value="proposal" />
                        <input type="hidden" name="id" value=id.to_string() />
                        <input type="hidden" name="decision" value="restore" />
                        <input type="hidden" name="back" value=back.clone() />
                        <button type="submit" class="link-button">"Vorschlag wieder einblenden"</button>
                    </ActionForm>
                    <ErrorSummary error=moderate_error form="restore" />
                }.into_any()
            } else {
                view! {
                    <details open=move || moderate_error.get().is_some()>
                        <summary>"Vorschlag ausblenden"</summary>
                        <ActionForm action=moderate attr:class="form" attr:novalidate=true>
                            <ErrorSummary error=moderate_error form="hide" />
                            <input type="hidden" name="target" value="proposal" />
                            <input type="hidden" name="id" value=id.to_string() />
                            <input type="hidden" name="decision" value="hide" />
                            <input type="hidden" name="back" value=back.clone() />
                            <TextArea name="reason" form="hide" label="Öffentlicher Grund" rows=2 required=true
                                hint="Erscheint anstelle des Textes: „ausgeblendet: …“" error=moderate_error />
                            <Submit label="Ausblenden" pending=moderate.pending() />
                        </ActionForm>
                    </details>
                }.into_any()
            })}
        </div>
    }
}

/// `/proposals/:id/edit`
#[component]
pub fn EditProposalPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    view! {
        <Title text="Vorschlag bearbeiten – Dorfplatz" />
        <div class="wrap narrow">
            <Restricted next=format!("/proposals/{}/edit", id()) allow=|_: &Me| true denial="">
                <EditForm />
            </Restricted>
        </div>
    }
}

#[component]
fn EditForm() -> impl IntoView {
    let params = use_params_map();
    let action = ServerAction::<EditProposal>::new();
    let error = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    let proposal = Resource::new(
        move || params.read().get("id").and_then(|i| i.parse::<i64>().ok()),
        |id| async move {
            match id {
                Some(id) => get_proposal(id).await,
                None => Err(crate::error::AppError::NotFound),
            }
        },
    );
    view! {
        <h1>"Vorschlag bearbeiten"</h1>
        <ErrorSummary error />
        <Suspense fallback=crate::components::page::loading>
            {move || Suspend::new(async move {
                match proposal.await {
                    Err(e) => view! { <p class="error-summary" role="alert">{e.message()}</p> }.into_any(),
                    Ok(d) if !d.permissions.can_edit => {
                        crate::components::page::set_status(403);
                        view! { <p>"Diesen Vorschlag können Sie nicht (mehr) bearbeiten: nur die Einreichenden können ihn ändern, und nur bis zur ersten Antwort."</p> }.into_any()
                    }
                    Ok(d) => view! {
                        <p>"Die bisherige Fassung bleibt gespeichert; der Vorschlag wird als „bearbeitet“ gekennzeichnet."</p>
                        <ActionForm action attr:class="form" attr:novalidate=true>
                            <input type="hidden" name="id" value=d.card.id.to_string() />
                            <ProposalFields topics=d.topics.clone() districts=d.districts.clone() error
                                title=d.card.title.clone() body=d.body.clone()
                                topic=d.topic_id.to_string() district=d.district_id.map(|x| x.to_string()).unwrap_or_default() />
                            <Submit label="Änderungen speichern" pending=action.pending() />
                        </ActionForm>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
