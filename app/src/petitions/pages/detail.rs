use crate::comments::Thread;
use crate::comments::domain::SubjectKind;
use crate::comments::thread::{CommentThread, load_thread, use_thread_query};
use leptos::prelude::*;

use crate::accessibility::EasySubject;
use crate::accessibility::pages::EasySummaryBox;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::components::Notice;
use crate::i18n::{t, t_args};
use crate::petitions::api::get_petition;
use crate::petitions::lifecycle::Stage;
use crate::petitions::rules::{german_date_text, thousands};
use crate::petitions::view::{DayCount, PetitionDetail, Tally};

/// The slug of the current `/petitions/:slug…` route.
pub(super) fn use_slug() -> Memo<String> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get("slug").unwrap_or_default())
}

/// The public page of a petition: its text, the progress toward the quorum, signatures per
/// day, the days left and the procedure so far.
#[component]
pub fn PetitionPage() -> impl IntoView {
    let slug = use_slug();
    let reload = RwSignal::new(0u32);
    let thread_query = use_thread_query();
    let petition = Resource::new(
        move || (slug.get(), thread_query.get(), reload.get()),
        |(slug, at, _)| async move {
            let d = get_petition(slug).await?;
            let thread = if d.published {
                load_thread(SubjectKind::Petition, d.id, at).await
            } else {
                None
            };
            Ok::<_, crate::error::AppError>((d, thread))
        },
    );
    view! {
        <div class="wrap">
            <Notice />
            <Suspense fallback=crate::components::page::loading>
                {move || Suspend::new(async move {
                    match petition.await {
                        Err(e) => {
                            if e.status() == 404 {
                                crate::components::page::set_status(404);
                            }
                            view! {
                                <Title text=t_args("page-title", &[("title", &t("petitions-title"))]) />
                                <h1>{t("petitions-title")}</h1>
                                <p class="error-summary" role="alert">{e.message()}</p>
                            }.into_any()
                        }
                        Ok((d, thread)) => view! { <Detail d thread reload /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn Detail(d: PetitionDetail, thread: Option<Thread>, reload: RwSignal<u32>) -> impl IntoView {
    let s = d.summary.clone();
    let slug = s.slug.clone();
    let collecting = s.stage == Stage::Collecting;
    let can_manage = d.permissions.initiator || d.permissions.staff;
    let paragraphs: Vec<String> = d
        .justification
        .split("\n\n")
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect();
    let result = d.referendum_outcome.map(|o| {
        t_args(
            "petition-result",
            &[
                ("yes", &thousands(d.referendum_yes.unwrap_or(0))),
                ("no", &thousands(d.referendum_no.unwrap_or(0))),
                ("outcome", &o.title()),
            ],
        )
    });
    view! {
        <Title text=t_args("page-title", &[("title", &t_args("petition-detail-title", &[("title", &s.title)]))]) />
        <p class="breadcrumb"><A href="/petitions">{t("petitions-title")}</A></p>
        <h1>{s.title.clone()}</h1>
        <p><span class=format!("badge stage-{}", s.stage.as_str())>{s.stage.title()}</span>" · "{s.kind.title()}</p>
        <p class="question" id="question">{s.question.clone()}</p>
        {result.map(|r| view! { <p class="notice">{r}</p> })}
        {d.referendum_on.filter(|_| d.referendum_outcome.is_none()).map(|day| view! {
            <p class="notice">{t_args("petition-referendum-on", &[("date", &german_date_text(day))])}</p>
        })}
        <div class="columns">
            <div class="column-main prose">
                <h2>{t("petition-justification")}</h2>
                {paragraphs.into_iter().map(|p| view! { <p>{p}</p> }).collect_view()}
                {d.council_meeting_on.map(|day| view! {
                    <p>{t_args("petition-against-decision", &[
                        ("date", &german_date_text(day)),
                        ("published", &d.council_published_on.map(|p| t_args("petition-decision-published", &[("date", &german_date_text(p))])).unwrap_or_default()),
                    ])}</p>
                })}
                <h2>{t("petition-cost-estimate")}</h2>
                <p>{d.cost_estimate.clone().unwrap_or_else(|| t("petition-cost-estimate-missing"))}</p>
                <h2>{t("petition-representatives")}</h2>
                <ul>
                    {d.representatives.iter().map(|r| view! { <li>{format!("{}, {}", r.name, r.address)}</li> }).collect_view()}
                </ul>
                <EasySummaryBox kind=EasySubject::Petition id=d.id />
            </div>
            <aside class="column-side">
                <Progress tally=s.tally.clone() days_left=d.days_left ends_on=s.ends_on explanation=d.required_explanation.clone() citation=d.rule_citation.clone() />
                {collecting.then(|| view! {
                    <p><a class="button" href=format!("/petitions/{slug}/sign")>{t("petition-sign-now")}</a></p>
                    <p><a href=format!("/petitions/{slug}/list.pdf")>{t("petition-list-pdf")}</a></p>
                })}
                {can_manage.then(|| view! {
                    <p><a href=format!("/petitions/{slug}/manage")>{t("petition-manage")}</a></p>
                })}
                {d.permissions.staff.then(|| view! {
                    <p><a href=format!("/petitions/{slug}/report")>{t("petition-report-link")}</a></p>
                })}
            </aside>
        </div>
        <section aria-labelledby="chart-heading">
            <h2 id="chart-heading">{t("petition-per-day")}</h2>
            <DayChart days=d.per_day.clone() />
        </section>
        <section aria-labelledby="timeline-heading">
            <h2 id="timeline-heading">{t("petition-timeline")}</h2>
            {if d.timeline.is_empty() {
                view! { <p>{t("petition-timeline-empty")}</p> }.into_any()
            } else {
                view! {
                    <ol class="timeline">
                        {d.timeline.iter().map(|e| view! {
                            <li>
                                <time datetime=e.at.to_rfc3339()>{german_date_text(crate::petitions::rules::german_date(e.at))}</time>
                                ": "{e.step.title()}
                                {e.note.clone().map(|n| view! { <span class="timeline-note">" – "{n}</span> })}
                            </li>
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </section>
        {thread.map(|t| view! { <CommentThread t reload /> }.into_any())}
    }
}

/// Counted signatures against the required number, online support beside them.
#[component]
fn Progress(
    tally: Tally,
    days_left: Option<i64>,
    ends_on: Option<chrono::NaiveDate>,
    explanation: Option<String>,
    citation: String,
) -> impl IntoView {
    let required = tally.required;
    view! {
        <section class="card tally" aria-labelledby="tally-heading">
            <h2 id="tally-heading">{t("petition-tally-heading")}</h2>
            {match required {
                Some(r) => view! {
                    <p class="figure-large"><span id="tally-counting">{thousands(tally.counting)}</span>" "{t("petition-tally-of")}" "{thousands(r)}</p>
                    <label for="tally-progress">{t("petition-tally-share")}</label>
                    <progress id="tally-progress" max=r.to_string() value=tally.counting.min(r).to_string()>{format!("{} %", tally.percent())}</progress>
                    <p class="hint" lang="de">{explanation.unwrap_or_default()}</p>
                }.into_any(),
                None => view! {
                    <p>{t("petition-required-later")}</p>
                }.into_any(),
            }}
            <dl class="tally-figures">
                <dt>{t("petition-tally-confirmed")}</dt>
                <dd id="tally-confirmed">{thousands(tally.confirmed)}</dd>
                <dt>{t("petition-tally-paper")}</dt>
                <dd id="tally-paper">{thousands(tally.paper)}</dd>
                <dt>{if tally.online_signatures_count { t("petition-tally-online") } else { t("petition-tally-online-support") }}</dt>
                <dd id="tally-online">{thousands(tally.online)}</dd>
                <dt>{t("petition-tally-pending")}</dt>
                <dd id="tally-pending">{thousands(tally.pending_confirmation)}</dd>
            </dl>
            {tally.checked().then(|| view! { <CheckedFigures tally=tally.clone() /> }.into_any())}
            {(!tally.online_signatures_count).then(|| view! {
                <p class="hint">{t_args("petition-handwritten-only", &[("citation", &citation)])}</p>
            })}
            {match (days_left, ends_on) {
                (Some(0), _) => Some(view! { <p>{t("petition-collection-ended")}</p> }.into_any()),
                (Some(1), _) => Some(view! { <p><strong>{t("petition-last-day")}</strong></p> }.into_any()),
                (Some(n), Some(end)) => Some(view! { <p>{t_args("petition-days-left", &[("days", &n.to_string()), ("date", &german_date_text(end))])}</p> }.into_any()),
                _ => None,
            }}
        </section>
    }
}

/// What the check against the register found so far, with the quorum verdict.
#[component]
fn CheckedFigures(tally: Tally) -> impl IntoView {
    let reasons: Vec<_> = tally
        .invalid_by_reason
        .iter()
        .filter(|r| r.count > 0)
        .cloned()
        .collect();
    view! {
        <h3 class="tally-subheading">{t("petition-check-heading")}</h3>
        <dl class="tally-figures">
            <dt>{t("petition-check-valid")}</dt>
            <dd id="tally-valid">{thousands(tally.valid)}</dd>
            <dt>{t("petition-check-invalid")}</dt>
            <dd id="tally-invalid">{thousands(tally.invalid)}</dd>
            <dt>{t("petition-check-undecided")}</dt>
            <dd id="tally-undecided">{thousands(tally.pending)}</dd>
        </dl>
        {(!reasons.is_empty()).then(|| view! {
            <details>
                <summary>{t("petition-check-reasons")}</summary>
                <ul id="tally-reasons" lang="de">
                    {reasons.into_iter().map(|r| view! { <li>{format!("{}: {}", r.status.label(), thousands(r.count))}</li> }).collect_view()}
                </ul>
            </details>
        })}
        {match (tally.required, tally.quorum_reached()) {
            (Some(r), true) => Some(view! { <p id="tally-quorum"><strong>{t_args("petition-quorum-reached", &[("required", &thousands(r))])}</strong></p> }.into_any()),
            (Some(r), false) => Some(view! { <p id="tally-quorum">{t_args("petition-quorum-missing", &[("missing", &thousands(r.saturating_sub(tally.valid_counting)))])}</p> }.into_any()),
            (None, _) => None,
        }}
    }
}

/// Every day from the first to the last with signatures, days without any as zero, so the
/// chart's gaps are visible.
fn with_empty_days(days: &[DayCount]) -> Vec<DayCount> {
    let (Some(first), Some(last)) = (days.first(), days.last()) else {
        return Vec::new();
    };
    first
        .day
        .iter_days()
        .take_while(|d| *d <= last.day)
        .map(|day| DayCount {
            day,
            count: days
                .iter()
                .find(|d| d.day == day)
                .map(|d| d.count)
                .unwrap_or(0),
        })
        .collect()
}

/// Signatures per day as a bar chart, drawn on the server as SVG (readable without
/// JavaScript), with the same numbers as a table for screen readers and copying.
#[component]
fn DayChart(days: Vec<DayCount>) -> impl IntoView {
    if days.is_empty() {
        return view! { <p>{t("petition-chart-empty")}</p> }.into_any();
    }
    let days = with_empty_days(&days);
    let width = 640.0f64;
    let height = 180.0f64;
    let left = 40.0;
    let bottom = 24.0;
    let max = days.iter().map(|d| d.count).max().unwrap_or(1).max(1) as f64;
    let slot = (width - left) / days.len() as f64;
    let bar = (slot * 0.8).max(1.0);
    let plot = height - bottom - 8.0;
    let total: u64 = days.iter().map(|d| d.count).sum();
    let label = t_args(
        "petition-chart-label",
        &[
            ("total", &thousands(total)),
            ("days", &days.len().to_string()),
            ("max", &thousands(max as u64)),
        ],
    );
    let first = days
        .first()
        .map(|d| german_date_text(d.day))
        .unwrap_or_default();
    let last = days
        .last()
        .map(|d| german_date_text(d.day))
        .unwrap_or_default();
    let bars = days
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let h = (d.count as f64 / max * plot).max(if d.count > 0 { 1.0 } else { 0.0 });
            let x = left + i as f64 * slot + (slot - bar) / 2.0;
            let y = height - bottom - h;
            view! {
                <rect x=format!("{x:.1}") y=format!("{y:.1}") width=format!("{bar:.1}") height=format!("{h:.1}") class="chart-bar">
                    <title>{format!("{}: {}", german_date_text(d.day), thousands(d.count))}</title>
                </rect>
            }
        })
        .collect_view();
    let rows = days
        .iter()
        .map(|d| view! { <tr><td>{german_date_text(d.day)}</td><td class="number">{thousands(d.count)}</td></tr> })
        .collect_view();
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 {width} {height}") role="img" aria-label=label.clone() class="chart-svg">
                <line x1=left y1=height - bottom x2=width y2=height - bottom class="chart-axis" />
                <text x="0" y="14" class="chart-text">{thousands(max as u64)}</text>
                <text x="0" y=format!("{}", height - bottom) class="chart-text">"0"</text>
                {bars}
                <text x=left y=height - 6.0 class="chart-text">{first}</text>
                <text x=width y=height - 6.0 class="chart-text" text-anchor="end">{last}</text>
            </svg>
            <figcaption>{label}</figcaption>
            <details>
                <summary>{t("petition-chart-table")}</summary>
                <table class="table">
                    <thead><tr><th scope="col">{t("petition-chart-day")}</th><th scope="col">{t("petition-chart-counted")}</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </details>
        </figure>
    }
    .into_any()
}
