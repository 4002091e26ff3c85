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
                                <Title text="Bürgerbegehren – Dorfplatz" />
                                <h1>"Bürgerbegehren"</h1>
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
        format!(
            "Ergebnis des Bürgerentscheids: Ja {}, Nein {} – die Vorlage ist {}.",
            thousands(d.referendum_yes.unwrap_or(0)),
            thousands(d.referendum_no.unwrap_or(0)),
            o.label()
        )
    });
    view! {
        <Title text=format!("{} – Bürgerbegehren – Dorfplatz", s.title) />
        <p class="breadcrumb"><A href="/petitions">"Bürgerbegehren"</A></p>
        <h1>{s.title.clone()}</h1>
        <p><span class=format!("badge stage-{}", s.stage.as_str())>{s.stage.label()}</span>" · "{s.kind.label()}</p>
        <p class="question" id="question">{s.question.clone()}</p>
        {result.map(|r| view! { <p class="notice">{r}</p> })}
        {d.referendum_on.filter(|_| d.referendum_outcome.is_none()).map(|day| view! {
            <p class="notice">{format!("Der Bürgerentscheid findet am {} statt.", german_date_text(day))}</p>
        })}
        <div class="columns">
            <div class="column-main prose">
                <h2>"Begründung"</h2>
                {paragraphs.into_iter().map(|p| view! { <p>{p}</p> }).collect_view()}
                {d.council_meeting_on.map(|day| view! {
                    <p>{format!("Das Bürgerbegehren richtet sich gegen den Beschluss des Rates vom {}{}.",
                        german_date_text(day),
                        d.council_published_on.map(|p| format!(", bekannt gemacht am {}", german_date_text(p))).unwrap_or_default())}</p>
                })}
                <h2>"Kostenschätzung der Verwaltung"</h2>
                <p>{d.cost_estimate.clone().unwrap_or_else(|| "Liegt noch nicht vor.".to_owned())}</p>
                <h2>"Vertretungsberechtigte Personen"</h2>
                <ul>
                    {d.representatives.iter().map(|r| view! { <li>{format!("{}, {}", r.name, r.address)}</li> }).collect_view()}
                </ul>
                <EasySummaryBox kind=EasySubject::Petition id=d.id />
            </div>
            <aside class="column-side">
                <Progress tally=s.tally.clone() days_left=d.days_left ends_on=s.ends_on explanation=d.required_explanation.clone() citation=d.rule_citation.clone() />
                {collecting.then(|| view! {
                    <p><a class="button" href=format!("/petitions/{slug}/sign")>"Jetzt unterschreiben"</a></p>
                    <p><a href=format!("/petitions/{slug}/list.pdf")>"Unterschriftenliste zum Ausdrucken (PDF)"</a></p>
                })}
                {can_manage.then(|| view! {
                    <p><a href=format!("/petitions/{slug}/manage")>"Verfahren verwalten"</a></p>
                })}
                {d.permissions.staff.then(|| view! {
                    <p><a href=format!("/petitions/{slug}/report")>"Auswertung und Prüfbericht"</a></p>
                })}
            </aside>
        </div>
        <section aria-labelledby="chart-heading">
            <h2 id="chart-heading">"Unterschriften pro Tag"</h2>
            <DayChart days=d.per_day.clone() />
        </section>
        <section aria-labelledby="timeline-heading">
            <h2 id="timeline-heading">"Verlauf des Verfahrens"</h2>
            {if d.timeline.is_empty() {
                view! { <p>"Noch keine Verfahrensschritte."</p> }.into_any()
            } else {
                view! {
                    <ol class="timeline">
                        {d.timeline.iter().map(|e| view! {
                            <li>
                                <time datetime=e.at.to_rfc3339()>{german_date_text(crate::petitions::rules::german_date(e.at))}</time>
                                ": "{e.step.label()}
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
            <h2 id="tally-heading">"Stand der Unterschriften"</h2>
            {match required {
                Some(r) => view! {
                    <p class="figure-large"><span id="tally-counting">{thousands(tally.counting)}</span>" von "{thousands(r)}</p>
                    <label for="tally-progress">"Anteil der erforderlichen Unterschriften"</label>
                    <progress id="tally-progress" max=r.to_string() value=tally.counting.min(r).to_string()>{format!("{} %", tally.percent())}</progress>
                    <p class="hint">{explanation.unwrap_or_default()}</p>
                }.into_any(),
                None => view! {
                    <p>"Die erforderliche Zahl wird festgelegt, wenn die Verwaltung das Bürgerbegehren veröffentlicht."</p>
                }.into_any(),
            }}
            <dl class="tally-figures">
                <dt>"Bestätigte Unterschriften insgesamt"</dt>
                <dd id="tally-confirmed">{thousands(tally.confirmed)}</dd>
                <dt>"davon auf Papier"</dt>
                <dd id="tally-paper">{thousands(tally.paper)}</dd>
                <dt>{if tally.online_signatures_count { "davon online" } else { "Online-Unterstützung" }}</dt>
                <dd id="tally-online">{thousands(tally.online)}</dd>
                <dt>"Noch nicht per E-Mail bestätigt"</dt>
                <dd id="tally-pending">{thousands(tally.pending_confirmation)}</dd>
            </dl>
            {tally.checked().then(|| view! { <CheckedFigures tally=tally.clone() /> }.into_any())}
            {(!tally.online_signatures_count).then(|| view! {
                <p class="hint">{format!("Nach {citation} zählen nur eigenhändige Unterschriften. Online-Unterstützerinnen und -Unterstützer erhalten einen persönlichen Unterschriftenbogen; sobald er unterschrieben bei der Gemeinde eingeht, zählt er als Papierunterschrift.")}</p>
            })}
            {match (days_left, ends_on) {
                (Some(0), _) => Some(view! { <p>"Die Sammlung ist beendet."</p> }.into_any()),
                (Some(1), _) => Some(view! { <p><strong>"Heute ist der letzte Tag der Sammlung."</strong></p> }.into_any()),
                (Some(n), Some(end)) => Some(view! { <p>{format!("Noch {n} Tage (bis {}).", german_date_text(end))}</p> }.into_any()),
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
        <h3 class="tally-subheading">"Prüfung durch die Gemeinde"</h3>
        <dl class="tally-figures">
            <dt>"gültig"</dt>
            <dd id="tally-valid">{thousands(tally.valid)}</dd>
            <dt>"ungültig"</dt>
            <dd id="tally-invalid">{thousands(tally.invalid)}</dd>
            <dt>"noch nicht entschieden"</dt>
            <dd id="tally-undecided">{thousands(tally.pending)}</dd>
        </dl>
        {(!reasons.is_empty()).then(|| view! {
            <details>
                <summary>"Gründe für ungültige Unterschriften"</summary>
                <ul id="tally-reasons">
                    {reasons.into_iter().map(|r| view! { <li>{format!("{}: {}", r.status.label(), thousands(r.count))}</li> }).collect_view()}
                </ul>
            </details>
        })}
        {match (tally.required, tally.quorum_reached()) {
            (Some(r), true) => Some(view! { <p id="tally-quorum"><strong>{format!("Das Quorum von {} gültigen Unterschriften ist erreicht.", thousands(r))}</strong></p> }.into_any()),
            (Some(r), false) => Some(view! { <p id="tally-quorum">{format!("Für das Quorum fehlen noch {} gültige Unterschriften.", thousands(r.saturating_sub(tally.valid_counting)))}</p> }.into_any()),
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
        return view! { <p>"Noch keine gezählten Unterschriften."</p> }.into_any();
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
    let label = format!(
        "Säulendiagramm: {} gezählte Unterschriften an {} Tagen, höchstens {} an einem Tag.",
        thousands(total),
        days.len(),
        thousands(max as u64)
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
                <summary>"Zahlen als Tabelle"</summary>
                <table class="table">
                    <thead><tr><th scope="col">"Tag"</th><th scope="col">"Gezählte Unterschriften"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </details>
        </figure>
    }
    .into_any()
}
