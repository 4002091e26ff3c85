//! Staff pages: the resident register (upload with progress, imports, purge) and a
//! petition's review queue (the doubtful signature beside its candidates, one decision at a
//! time, keyboard first).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::{
    DecideSignature, PurgeRegister, RestoreSheet, VoidSheet, get_register_overview, get_review,
};
use super::check::{FieldMatch, Status};
use super::view::{CandidateView, ImportView, ReviewItem, ReviewPage, match_title, status_title};
use crate::accounts::Me;
use crate::components::{Checkbox, ErrorSummary, Field, Notice, Restricted, Submit};
use crate::i18n::{t, t_args};
use crate::petitions::rules::thousands;

fn problem_text(code: &str) -> Option<String> {
    Some(t(match code {
        "too_large" => "register-problem-too-large",
        "empty" => "register-problem-empty",
        "no_file" => "register-problem-no-file",
        "bad_encoding" => "register-problem-bad-encoding",
        "upload_failed" => "register-problem-upload-failed",
        "import_running" => "register-problem-import-running",
        _ => return None,
    }))
}

/// `/staff/residents`: the register in use, uploading a new one, and deleting it.
#[component]
pub fn ResidentsPage() -> impl IntoView {
    view! {
        <Title text=t_args("page-title", &[("title", &t("register-title"))]) />
        <div class="wrap">
            <Restricted next="/staff/residents" allow=Me::is_staff
                denial=t("register-denial")>
                <Residents />
            </Restricted>
        </div>
    }
}

#[component]
fn Residents() -> impl IntoView {
    let query = use_query_map();
    let purge = ServerAction::<PurgeRegister>::new();
    let purge_error = Signal::derive(move || purge.value().get().and_then(|r| r.err()));
    let problem = move || {
        query
            .read()
            .get("problem")
            .and_then(|c| problem_text(&c))
            .map(|text| view! { <div class="error-summary" role="alert"><p>{text}</p></div> })
    };
    view! {
        <h1>{t("register-title")}</h1>
        <Notice />
        {problem}
        <p>{t("register-intro")}</p>
        <RegisterOverview />
        <h2 id="upload">{t("register-upload-heading")}</h2>
        <p>{t("register-upload-before")}" "
            <code lang="de">"Familienname;Vornamen;Geburtsdatum;Straße;Hausnummer;PLZ;Ort;Ortsteil;Staatsangehörigkeit;Einzugsdatum;Wohnungsstatus"</code>
            {t("register-upload-after")}</p>
        <form class="form" method="post" action="/staff/residents/import" enctype="multipart/form-data">
            <div class="field">
                <label for="register-file">{t("register-file-label")}</label>
                <input id="register-file" type="file" name="file" accept=".csv,text/csv" required />
            </div>
            <div class="field">
                <label for="register-encoding">{t("register-encoding-label")}</label>
                <select id="register-encoding" name="encoding">
                    <option value="">{t("register-encoding-auto")}</option>
                    <option value="utf-8">"UTF-8"</option>
                    <option value="windows-1252">"Windows-1252"</option>
                </select>
            </div>
            <button type="submit" class="button">{t("register-upload-submit")}</button>
        </form>
        <h2 id="purge">{t("register-purge-heading")}</h2>
        <p>{t("register-purge-intro")}</p>
        <ErrorSummary error=purge_error form="purge" />
        <ActionForm action=purge attr:class="form" attr:novalidate=true>
            <Checkbox name="confirm" form="purge" label=t("register-purge-confirm") error=purge_error />
            <Submit label=t("register-purge-submit") pending=purge.pending() class="button button-danger" />
        </ActionForm>
    }
}

/// The register in use, a running import's progress and the history: an island, because
/// while an import runs the figures are read again every two seconds (without JavaScript
/// the page offers a link to reload). The page itself never reloads on its own: that would
/// move screen readers back to the top and empty the forms.
#[island]
fn RegisterOverview() -> impl IntoView {
    let tick = RwSignal::new(0u32);
    let overview = Resource::new(move || tick.get(), |_| get_register_overview());
    Effect::new(move |_| {
        if let Some(Ok(o)) = overview.get()
            && o.running()
        {
            set_timeout(
                move || tick.update(|n| *n += 1),
                std::time::Duration::from_secs(2),
            );
        }
    });
    view! {
        <Transition fallback=crate::components::page::loading>
            {move || Suspend::new(async move {
                match overview.await {
                    Err(e) => view! { <p class="error-summary" role="alert">{e.message()}</p> }.into_any(),
                    Ok(o) => {
                        let running = o.running();
                        let in_use = o.imports.iter().find(|i| i.in_use).cloned();
                        view! {
                            <h2>{t("register-in-use-heading")}</h2>
                            {match in_use {
                                None => view! { <p>{t("register-none")}</p> }.into_any(),
                                Some(i) => view! {
                                    <p>{t_args("register-in-use", &[
                                        ("id", &i.id.to_string()),
                                        ("file", &i.file_name),
                                        ("finished", &i.finished.clone().unwrap_or_default()),
                                        ("rows", &thousands(i.rows)),
                                        ("eligible", &thousands(i.eligible)),
                                    ])}</p>
                                }.into_any(),
                            }}
                            {o.imports.iter().filter(|i| i.status == "running").map(|i| view! { <Running i=i.clone() /> }).collect_view()}
                            {running.then(|| view! { <p><a href="/staff/residents">{t("register-refresh")}</a></p> })}
                            <History imports=o.imports.clone() />
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn Running(i: ImportView) -> impl IntoView {
    let percent = i.percent();
    let id = format!("import-progress-{}", i.id);
    view! {
        <section class="card" aria-live="polite">
            <h3>{t_args("register-running-heading", &[("file", &i.file_name)])}</h3>
            <label for=id.clone()>{t_args("register-running-progress", &[("percent", &percent.to_string()), ("rows", &thousands(i.rows))])}</label>
            <progress id=id max="100" value=percent.to_string()>{t_args("register-percent", &[("percent", &percent.to_string())])}</progress>
            <p>{t_args("register-running-started", &[("date", &i.started)])}</p>
        </section>
    }
}

fn import_status(status: &str) -> String {
    t(match status {
        "running" => "register-import-running",
        "completed" => "register-import-completed",
        "failed" => "register-import-failed",
        "purged" => "register-import-purged",
        _ => "register-import-unknown",
    })
}

#[component]
fn History(imports: Vec<ImportView>) -> impl IntoView {
    (!imports.is_empty()).then(|| {
        view! {
            <h2>{t("register-history-heading")}</h2>
            <table class="table">
                <caption class="visually-hidden">{t("register-history-caption")}</caption>
                <thead><tr>
                    <th scope="col">{t("register-col-number")}</th><th scope="col">{t("register-col-file")}</th><th scope="col">{t("register-col-started")}</th>
                    <th scope="col">{t("register-col-status")}</th><th scope="col">{t("register-col-rows")}</th><th scope="col">{t("register-col-bad-lines")}</th>
                </tr></thead>
                <tbody>
                    {imports.into_iter().map(|i| {
                        let report = i.report.clone();
                        let more = i.bad_lines.saturating_sub(report.len() as u64);
                        view! {
                            <tr>
                                <td>{i.id}</td>
                                <td>{i.file_name.clone()}</td>
                                <td>{i.started.clone()}</td>
                                <td>{import_status(&i.status)}{i.in_use.then(|| format!(" ({})", t("register-import-in-use")))}</td>
                                <td>{thousands(i.rows)}</td>
                                <td>
                                    {thousands(i.bad_lines)}
                                    {(!report.is_empty()).then(|| view! {
                                        <details>
                                            <summary>{t("register-history-report")}</summary>
                                            // The import's findings are in German.
                                            <ul class="report" lang="de">
                                                {report.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}
                                            </ul>
                                            {(more > 0).then(|| view! { <p>{t_args("register-history-more", &[("n", &thousands(more))])}</p> })}
                                        </details>
                                    })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        }
    })
}

/// `/petitions/{slug}/review`: the check's results and the signatures that need a person.
#[component]
pub fn ReviewQueuePage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    view! {
        <Title text=t_args("page-title", &[("title", &t("register-review-title"))]) />
        <div class="wrap">
            <Restricted next=format!("/petitions/{}/review", slug()) allow=Me::is_staff
                denial=t("register-review-denial")>
                <Review />
            </Restricted>
        </div>
    }
}

#[component]
fn Review() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let slug = Signal::derive(move || params.read().get("slug").unwrap_or_default());
    let decide = ServerAction::<DecideSignature>::new();
    let void = ServerAction::<VoidSheet>::new();
    let restore = ServerAction::<RestoreSheet>::new();
    let page = Resource::new(
        move || {
            (
                slug.get(),
                query
                    .read()
                    .get("after")
                    .and_then(|a| a.parse::<i64>().ok()),
                decide.version().get() + void.version().get() + restore.version().get(),
            )
        },
        |(slug, after, _)| get_review(slug, after),
    );
    view! {
        <Notice />
        <Suspense fallback=crate::components::page::loading>
            {move || Suspend::new(async move {
                match page.await {
                    Err(e) => {
                        crate::components::page::set_status(e.status());
                        view! { <h1>{t("register-review-title")}</h1><p class="error-summary" role="alert">{e.message()}</p> }.into_any()
                    }
                    Ok(p) => view! { <ReviewBody p decide void restore /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ReviewBody(
    p: ReviewPage,
    decide: ServerAction<DecideSignature>,
    void: ServerAction<VoidSheet>,
    restore: ServerAction<RestoreSheet>,
) -> impl IntoView {
    let void_error = Signal::derive(move || void.value().get().and_then(|r| r.err()));
    let restore_error = Signal::derive(move || restore.value().get().and_then(|r| r.err()));
    let slug = p.slug.clone();
    let restore_slug = p.slug.clone();
    let total: u64 = p.counts.iter().map(|c| c.count).sum();
    view! {
        <h1>{t_args("register-review-heading", &[("title", &p.title)])}</h1>
        <p>
            <a href=format!("/petitions/{slug}/manage")>{t("register-review-back")}</a>
            " · "
            <a href=format!("/petitions/{slug}/signatures.csv") download="">{t("register-review-csv")}</a>
        </p>
        {(!p.register_in_use).then(|| view! {
            <p class="notice" role="status">
                {t("register-review-no-register")}" "
                <a href="/staff/residents">{t("register-review-import-link")}</a>
            </p>
        })}
        {p.purged.then(|| view! { <p class="notice" role="status">{t("register-review-purged")}</p> })}
        <h2>{t("register-review-state-heading")}</h2>
        <table class="table">
            <caption class="visually-hidden">{t("register-review-counts-caption")}</caption>
            <thead><tr><th scope="col">{t("register-col-status")}</th><th scope="col">{t("register-col-code")}</th><th scope="col" class="num">{t("register-col-count")}</th></tr></thead>
            <tbody>
                {p.counts.iter().map(|c| view! {
                    <tr><td>{status_title(c.status)}</td><td><code>{c.status.code()}</code></td><td class="num">{thousands(c.count)}</td></tr>
                }).collect_view()}
            </tbody>
            <tfoot><tr><th scope="row" colspan="2">{t("register-review-sum")}</th><td class="num">{thousands(total)}</td></tr></tfoot>
        </table>
        <h2 id="queue">{t_args("register-review-waiting", &[("n", &thousands(p.waiting))])}</h2>
        {match p.item.clone() {
            None if p.waiting == 0 => view! { <p>{t("register-review-nothing-waiting")}</p> }.into_any(),
            None if !p.register_in_use => view! { <p>{t("register-review-needs-register")}</p> }.into_any(),
            None => view! {
                <p>{t("register-review-end")}" "
                    <a href=format!("/petitions/{slug}/review#queue")>{t("register-review-restart")}</a></p>
            }.into_any(),
            Some(item) => view! { <ReviewItemView item slug=slug.clone() decide /> }.into_any(),
        }}
        <h2 id="sheets">{t("register-sheets-heading")}</h2>
        <p>{t("register-sheets-intro")}</p>
        {(!p.void_sheets.is_empty()).then(|| view! {
            <ul>
                {p.void_sheets.iter().map(|(n, reason)| view! { <li>{t_args("register-sheet-item", &[("n", &n.to_string()), ("reason", reason)])}</li> }).collect_view()}
            </ul>
        })}
        <ErrorSummary error=void_error form="void" />
        <ActionForm action=void attr:class="form" attr:novalidate=true>
            <input type="hidden" name="slug" value=slug.clone() />
            <Field name="sheet" form="void" label=t("register-sheet-label") kind="number" required=true error=void_error />
            <Field name="reason" form="void" label=t("register-sheet-reason") required=true maxlength=255usize
                hint=t("register-sheet-reason-hint") error=void_error />
            <Submit label=t("register-sheet-void") pending=void.pending() />
        </ActionForm>
        {(!p.void_sheets.is_empty()).then(move || view! {
            <ErrorSummary error=restore_error form="restore" />
            <ActionForm action=restore attr:class="form" attr:novalidate=true>
                <input type="hidden" name="slug" value=restore_slug />
                <Field name="sheet" form="restore" label=t("register-sheet-number") kind="number" required=true error=restore_error />
                <Submit label=t("register-sheet-restore") pending=restore.pending() />
            </ActionForm>
        })}
    }
}

fn mark(m: FieldMatch) -> (&'static str, &'static str) {
    match m {
        FieldMatch::Exact => ("match-exact", "="),
        FieldMatch::Near => ("match-near", "≈"),
        FieldMatch::Missing => ("match-missing", "?"),
        FieldMatch::Differs => ("match-differs", "≠"),
    }
}

fn cell(value: String, m: FieldMatch) -> impl IntoView {
    let (class, sign) = mark(m);
    view! {
        <td class=class>
            <span aria-hidden="true" class="match-sign">{sign}" "</span>
            {value}
            <span class="match-label">{format!(" ({})", match_title(m))}</span>
        </td>
    }
}

#[component]
fn ReviewItemView(
    item: ReviewItem,
    slug: String,
    decide: ServerAction<DecideSignature>,
) -> impl IntoView {
    let error = Signal::derive(move || decide.value().get().and_then(|r| r.err()));
    let s = item.signed.clone();
    let candidates = item.candidates.clone();
    let address = |street: &str, house: &str, postal: &str, city: &str| {
        format!("{street} {house}, {postal} {city}")
            .trim_matches([' ', ','])
            .to_owned()
    };
    let signed_address = address(&s.street, &s.house_number, &s.postal_code, &s.city);
    let skip = format!("/petitions/{slug}/review?after={}#queue", item.signature_id);
    view! {
        <section class="card review" aria-labelledby="review-heading">
            <h3 id="review-heading">{match item.signed_on.as_ref() {
                Some(d) => t_args("register-item-signed-on", &[("place", &item.place), ("date", d)]),
                None => item.place.clone(),
            }}</h3>
            // Focusable, so that keyboard users can scroll a wide comparison on a phone.
            <div class="table-scroll" tabindex="0" role="region" aria-label=t("register-compare-label")>
            <table class="table review-table">
                <caption>{t("register-compare-caption")}</caption>
                <thead><tr>
                    <th scope="col">{t("register-col-item")}</th>
                    <th scope="col">{t("register-col-signed")}</th>
                    {candidates.iter().enumerate().map(|(i, c)| view! {
                        <th scope="col">{t_args("register-col-person", &[("n", &(i + 1).to_string()), ("district", &c.district)])}</th>
                    }).collect_view()}
                </tr></thead>
                <tbody>
                    <tr><th scope="row">{t("register-row-family-name")}</th><td>{s.family_name.clone()}</td>
                        {candidates.iter().map(|c| cell(c.family_name.clone(), c.comparison.family_name)).collect_view()}</tr>
                    <tr><th scope="row">{t("register-row-given-names")}</th><td>{s.given_names.clone()}</td>
                        {candidates.iter().map(|c| cell(c.given_names.clone(), c.comparison.given_names)).collect_view()}</tr>
                    <tr><th scope="row">{t("register-row-birth-date")}</th><td>{s.birth_date.clone()}</td>
                        {candidates.iter().map(|c| cell(c.birth_date.clone(), c.comparison.birth_date)).collect_view()}</tr>
                    <tr><th scope="row">{t("register-row-address")}</th><td>{signed_address}</td>
                        {candidates.iter().map(|c| cell(address(&c.street, &c.house_number, &c.postal_code, &c.city), c.comparison.address)).collect_view()}</tr>
                    <tr><th scope="row">{t("register-row-outcome")}</th><td></td>
                        {candidates.iter().map(|c: &CandidateView| view! { <td>{status_title(c.outcome)}</td> }).collect_view()}</tr>
                </tbody>
            </table>
            </div>
            <ErrorSummary error form="decide" />
            <ActionForm action=decide attr:class="form" attr:novalidate=true>
                <input type="hidden" name="slug" value=slug.clone() />
                <input type="hidden" name="signature_id" value=item.signature_id.to_string() />
                <fieldset>
                    <legend>{t("register-decision-legend")}</legend>
                    {candidates.iter().enumerate().map(|(i, c)| {
                        let value = format!("person:{}", c.resident_id);
                        let id = format!("decide-person-{}", c.resident_id);
                        view! {
                            <div class="choice">
                                <input type="radio" id=id.clone() name="decision" value=value />
                                <label for=id>{t_args("register-decision-person", &[
                                    ("n", &(i + 1).to_string()),
                                    ("given", &c.given_names),
                                    ("family", &c.family_name),
                                    ("outcome", &status_title(c.outcome)),
                                ])}</label>
                            </div>
                        }
                    }).collect_view()}
                    {Status::REVIEW_REASONS.into_iter().map(|r| {
                        let id = format!("decide-{}", r.code());
                        view! {
                            <div class="choice">
                                <input type="radio" id=id.clone() name="decision" value=r.code() />
                                <label for=id>{t_args("register-decision-reason", &[("reason", &status_title(r))])}</label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <Submit label=t("register-decide") pending=decide.pending() />
                " "
                <a href=skip>{t("register-skip")}</a>
            </ActionForm>
        </section>
    }
}
