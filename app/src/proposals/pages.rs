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
use crate::i18n::{t, t_args};
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
    view! { <span class=format!("badge proposal-{}", status.code())>{status.title()}</span> }
}

#[component]
fn Card(p: ProposalCard) -> impl IntoView {
    view! {
        <li class="card proposal-card">
            <h3><A href=format!("/proposals/{}", p.id)>{p.title.clone()}</A></h3>
            <p class="meta">
                {status_badge(p.status)}" · "{p.topic.clone()}
                {p.district.clone().map(|d| format!(" · {d}"))}
                " · "{t_args("proposal-by-on", &[("author", &p.author), ("date", &german_date_text(german_date(p.created_at)))])}
            </p>
            {match p.hidden_reason.clone() {
                Some(reason) => view! { <p class="hidden-note">{t_args("proposal-hidden-reason", &[("reason", &reason)])}</p> }.into_any(),
                None => view! { <p>{p.teaser.clone()}</p> }.into_any(),
            }}
            <p class="meta">
                {t_args(if p.supports == 1 { "proposal-supports-one" } else { "proposal-supports-other" }, &[("n", &thousands(p.supports))])}
                " · "{t_args(if p.comments == 1 { "proposal-comments-one" } else { "proposal-comments-other" }, &[("n", &thousands(p.comments))])}
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
        <Title text=t_args("page-title", &[("title", &t("proposal-list-title"))]) />
        <div class="wrap">
            <h1>{t("proposal-list-title")}</h1>
            <p class="lead">{t("proposal-list-lead")}</p>
            <Notice />
            <p>
                <A href="/proposals/new" attr:class="button">{t("proposal-submit")}</A>" "
                <a href="/proposals/feed.atom">{t("proposal-feed")}</a>
            </p>
            <Suspense fallback=crate::components::page::loading>
                {move || Suspend::new(async move {
                    match list.await {
                        Err(e) => view! { <p class="error-summary" role="alert">{e.message()}</p> }.into_any(),
                        Ok(l) => {
                            let current = q();
                            let topic_options = choice_options(&l.topics, &t("proposal-filter-all-topics"));
                            let district_options = choice_options(&l.districts, &t("proposal-filter-all-districts"));
                            let status_options: Vec<(String, String)> = std::iter::once((String::new(), t("proposal-filter-any-status")))
                                .chain(Status::ALL.into_iter().map(|s| (s.code().to_owned(), s.title())))
                                .collect();
                            let sort_options: Vec<(String, String)> = Sort::ALL.into_iter().map(|s| (s.code().to_owned(), s.title())).collect();
                            let no_error = Signal::derive(|| None);
                            let prev = (l.page > 1).then(|| page_link(&current, l.page - 1));
                            let next = (l.page < l.pages).then(|| page_link(&current, l.page + 1));
                            view! {
                                <form method="get" action="/proposals" class="form filter-form" role="search">
                                    <Field name="q" label=t("proposal-filter-search") kind="search" value=current.q.clone() error=no_error />
                                    <Select name="topic" label=t("proposal-topic") options=topic_options selected=current.topic.map(|t| t.to_string()).unwrap_or_default() error=no_error />
                                    <Select name="district" label=t("proposal-district") options=district_options selected=current.district.map(|d| d.to_string()).unwrap_or_default() error=no_error />
                                    <Select name="status" label=t("proposal-status") options=status_options selected=current.status.clone() error=no_error />
                                    <Select name="sort" label=t("proposal-sort") options=sort_options selected=l.sort.code().to_owned() error=no_error />
                                    <button type="submit" class="button">{t("proposal-filter-show")}</button>
                                </form>
                                <p id="proposal-total" aria-live="polite">{match l.total {
                                    0 => t("proposal-found-none"),
                                    1 => t("proposal-found-one"),
                                    n => t_args("proposal-found-other", &[("n", &thousands(n))]),
                                }}</p>
                                <ul class="proposal-list">
                                    {l.items.into_iter().map(|p| view! { <Card p /> }).collect_view()}
                                </ul>
                                {(l.pages > 1).then(|| view! {
                                    <nav aria-label=t("proposal-pages") class="pager">
                                        {prev.map(|href| view! { <a href=href rel="prev">{t("proposal-page-prev")}</a> })}
                                        <span>{format!(" {} ", t_args("proposal-page-of", &[("page", &l.page.to_string()), ("pages", &l.pages.to_string())]))}</span>
                                        {next.map(|href| view! { <a href=href rel="next">{t("proposal-page-next")}</a> })}
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
        <Title text=t_args("page-title", &[("title", &t("proposal-submit"))]) />
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
        <h1>{t("proposal-submit")}</h1>
        <p>{t("proposal-new-intro")}</p>
        <ErrorSummary error />
        <Suspense fallback=crate::components::page::loading>
            {move || Suspend::new(async move {
                match choices.await {
                    Err(e) => view! { <p class="error-summary" role="alert">{e.message()}</p> }.into_any(),
                    Ok(c) => view! {
                        <ActionForm action attr:class="form" attr:novalidate=true>
                            <ProposalFields topics=c.topics districts=c.districts error title=String::new() body=String::new() topic=String::new() district=String::new() />
                            <Submit label=t("proposal-submit") pending=action.pending() />
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
        <Field name="title" label=t("proposal-field-title") required=true maxlength=TITLE_MAX_CHARS value=title
            hint=t("proposal-field-title-hint") error />
        <TextArea name="body" label=t("proposal-field-body") rows=10 required=true maxlength=BODY_MAX_CHARS value=body
            hint=t_args("proposal-field-body-hint", &[("max", &thousands(BODY_MAX_CHARS as u64))]) error />
        <Select name="topic" label=t("proposal-topic") options=choice_options(&topics, &t("proposal-field-choose")) selected=topic error />
        <Select name="district" label=t("proposal-field-district") options=choice_options(&districts, &t("proposal-field-whole-municipality")) selected=district error />
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
                                <Title text=t_args("page-title", &[("title", &t("proposal-one-title"))]) />
                                <h1>{t("proposal-not-found")}</h1>
                                <p>{e.message()}</p>
                                <p><A href="/proposals">{t("proposal-to-all")}</A></p>
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
        .map(|s| (s.code().to_owned(), s.title()))
        .collect();
    let official = perms.steps.iter().any(|s| *s != Status::Withdrawn);
    let (answer_heading, answer_label, answer_hint) = if official {
        (
            t("proposal-answer-heading"),
            t("proposal-answer-label"),
            t("proposal-answer-hint"),
        )
    } else {
        (
            t("proposal-withdraw-heading"),
            t("proposal-withdraw-label"),
            t("proposal-withdraw-hint"),
        )
    };
    view! {
        <Title text=t_args("page-title", &[("title", &format!("{} – {}", c.title, t("proposal-list-title")))]) />
        <p class="breadcrumb"><A href="/proposals">{t("proposal-list-title")}</A></p>
        <h1>{c.title.clone()}</h1>
        <p class="meta">
            {status_badge(c.status)}" · "{c.topic.clone()}
            {c.district.clone().map(|d| format!(" · {d}"))}
            " · "{t_args("proposal-submitted-by-on", &[("author", &c.author), ("date", &german_date_text(german_date(c.created_at)))])}
            {d.edited.then(|| format!(" · {}", t("proposal-edited")))}
        </p>
        <Notice />
        <div class="columns">
            <div class="column-main">
                {match c.hidden_reason.clone() {
                    Some(reason) => view! { <p class="hidden-note">{t_args("proposal-hidden-reason", &[("reason", &reason)])}</p> }.into_any(),
                    None => view! { <div class="prose proposal-body" inner_html=d.body_html.clone()></div> }.into_any(),
                }}
                {perms.can_edit.then(|| view! {
                    <p><A href=format!("/proposals/{id}/edit")>{t("proposal-edit")}</A></p>
                })}
                <ProposalModeration id hidden=c.hidden_reason.is_some() perms=perms.clone() />
                <EasySummaryBox kind=EasySubject::Proposal id />
                <section id="history" aria-labelledby="history-heading">
                    <h2 id="history-heading">{t("proposal-history-heading")}</h2>
                    <ol class="timeline">
                        {d.history.iter().map(|h| view! {
                            <li>
                                <time datetime=h.at.to_rfc3339()>{german_date_text(german_date(h.at))}</time>
                                ": "{h.status.title()}
                                {h.by.clone().map(|b| format!(" ({b})"))}
                                {h.answer_html.clone().map(|a| view! { <div class="prose official-answer" inner_html=a></div> })}
                            </li>
                        }).collect_view()}
                    </ol>
                </section>
                {(!d.agenda.is_empty()).then(|| view! {
                    <section id="agenda" aria-labelledby="agenda-heading">
                        <h2 id="agenda-heading">{t("proposal-agenda-heading")}</h2>
                        <ul>
                            {d.agenda.iter().map(|a| view! {
                                <li>
                                    <A href=format!("/sessions/{}#agenda", a.session_id)>{format!("{}, {}", a.board, a.session_title)}</A>
                                    {format!(
                                        " {}{}",
                                        t_args("proposal-agenda-item", &[("date", &crate::boards::domain::day_text(a.starts)), ("number", &a.number.to_string())]),
                                        a.result.map(|r| format!(": {}", r.title())).unwrap_or_default()
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
                    <h2 id="support-heading">{t("proposal-support-heading")}</h2>
                    <p class="figure-large" id="support-count">{thousands(c.supports)}</p>
                    <ErrorSummary error=support_error form="support" />
                    {if !perms.signed_in {
                        view! { <p><A href=format!("/login?next=/proposals/{id}")>{t("proposal-support-login")}</A>{t("proposal-support-login-after")}</p> }.into_any()
                    } else if perms.supported {
                        view! {
                            <p>{t("proposal-supporting")}</p>
                            <ActionForm action=support attr:class="form">
                                <input type="hidden" name="id" value=id.to_string() />
                                <input type="hidden" name="support" value="0" />
                                <button type="submit" class="button button-secondary">{t("proposal-support-withdraw")}</button>
                            </ActionForm>
                        }.into_any()
                    } else if perms.can_support {
                        view! {
                            <ActionForm action=support attr:class="form">
                                <input type="hidden" name="id" value=id.to_string() />
                                <input type="hidden" name="support" value="1" />
                                <Checkbox name="notify" form="support" label=t("proposal-support-notify") error=support_error />
                                <button type="submit" class="button">{t("proposal-support-button")}</button>
                            </ActionForm>
                        }.into_any()
                    } else {
                        view! { <p>{t("proposal-support-closed")}</p> }.into_any()
                    }}
                </section>
                {(!steps.is_empty()).then(|| view! {
                    <section class="card" id="answer" aria-labelledby="answer-heading">
                        <h2 id="answer-heading">{answer_heading}</h2>
                        <ErrorSummary error=answer_error form="answer" />
                        <ActionForm action=answer attr:class="form" attr:novalidate=true>
                            <input type="hidden" name="id" value=id.to_string() />
                            <Select name="status" form="answer" label=t("proposal-answer-status") options=steps.clone() error=answer_error />
                            <TextArea name="answer" form="answer" rows=6 label=answer_label hint=answer_hint error=answer_error />
                            <Submit label=t("proposal-answer-save") pending=answer.pending() />
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
    // The thread's comments use the same two actions: each form claims only its own error.
    let this = || [("target", "proposal".to_string()), ("id", id.to_string())];
    let report_error = crate::components::own_error_at(report, &this());
    let moderate_error = crate::components::own_error_at(moderate, &this());
    let back = format!("/proposals/{id}");
    view! {
        <div class="comment-actions">
            {perms.can_report.then(|| view! {
                <details open=move || report_error.get().is_some()>
                    <summary>{t("proposal-report")}</summary>
                    <ActionForm action=report attr:class="form" attr:novalidate=true>
                        <ErrorSummary error=report_error form="report" />
                        <input type="hidden" name="target" value="proposal" />
                        <input type="hidden" name="id" value=id.to_string() />
                        <TextArea name="reason" form="report" label=t("proposal-report-reason") rows=2 required=true error=report_error />
                        <Submit label=t("proposal-report-send") pending=report.pending() />
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
                        <button type="submit" class="link-button">{t("proposal-restore")}</button>
                    </ActionForm>
                    <ErrorSummary error=moderate_error form="restore" />
                }.into_any()
            } else {
                view! {
                    <details open=move || moderate_error.get().is_some()>
                        <summary>{t("proposal-hide")}</summary>
                        <ActionForm action=moderate attr:class="form" attr:novalidate=true>
                            <ErrorSummary error=moderate_error form="hide" />
                            <input type="hidden" name="target" value="proposal" />
                            <input type="hidden" name="id" value=id.to_string() />
                            <input type="hidden" name="decision" value="hide" />
                            <input type="hidden" name="back" value=back.clone() />
                            <TextArea name="reason" form="hide" label=t("proposal-hide-reason") rows=2 required=true
                                hint=t("proposal-hide-reason-hint") error=moderate_error />
                            <Submit label=t("proposal-hide-button") pending=moderate.pending() />
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
        <Title text=t_args("page-title", &[("title", &t("proposal-edit"))]) />
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
        <h1>{t("proposal-edit")}</h1>
        <ErrorSummary error />
        <Suspense fallback=crate::components::page::loading>
            {move || Suspend::new(async move {
                match proposal.await {
                    Err(e) => view! { <p class="error-summary" role="alert">{e.message()}</p> }.into_any(),
                    Ok(d) if !d.permissions.can_edit => {
                        crate::components::page::set_status(403);
                        view! { <p>{t("proposal-edit-not-allowed")}</p> }.into_any()
                    }
                    Ok(d) => view! {
                        <p>{t("proposal-edit-intro")}</p>
                        <ActionForm action attr:class="form" attr:novalidate=true>
                            <input type="hidden" name="id" value=d.card.id.to_string() />
                            <ProposalFields topics=d.topics.clone() districts=d.districts.clone() error
                                title=d.card.title.clone() body=d.body.clone()
                                topic=d.topic_id.to_string() district=d.district_id.map(|x| x.to_string()).unwrap_or_default() />
                            <Submit label=t("proposal-edit-save") pending=action.pending() />
                        </ActionForm>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
