//! The staff dashboard of a petition's tally: the verdict, the figures, every breakdown as
//! a chart with its table beside it, and the downloads.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use super::api::get_tally_report;
use super::{Format, NO_DISTRICT, Row, TallyReport};
use crate::accounts::Me;
use crate::components::Restricted;
use crate::components::chart::{Bar, BarChart, ColumnChart, TALLY_SERIES};
use crate::i18n::{t, t_args};
use crate::petitions::lifecycle::Stage;
use crate::petitions::rules::{german_datetime_text, thousands};
use crate::register::view::status_title;

/// A download's name in the page's language (`Format::label` stays for the files).
fn format_title(f: Format) -> String {
    t(match f {
        Format::Csv => "report-format-csv",
        Format::Xlsx => "report-format-xlsx",
        Format::Pdf => "report-format-pdf",
    })
}

/// The quorum verdict in the page's language (`TallyReport::verdict` is the documents').
fn verdict_title(r: &TallyReport) -> String {
    match (r.required, r.quorum_reached()) {
        (None, _) => t("report-verdict-unset"),
        (Some(req), true) => t_args(
            "report-verdict-reached",
            &[
                ("required", &thousands(req)),
                ("valid", &thousands(r.valid_counting)),
            ],
        ),
        (Some(req), false) => t_args(
            "report-verdict-missing",
            &[
                ("required", &thousands(req)),
                ("valid", &thousands(r.valid_counting)),
                ("missing", &thousands(req.saturating_sub(r.valid_counting))),
            ],
        ),
    }
}

/// The rows with the labels the server writes in German (channels, "ohne Zuordnung",
/// "ohne Datum") in the page's language; districts and dates stay as they are.
fn translated(rows: &[Row]) -> Vec<Row> {
    rows.iter()
        .cloned()
        .map(|mut r| {
            let key = match r.key.as_str() {
                "online" => Some("report-channel-online"),
                "paper" => Some("report-channel-paper"),
                "ohne_datum" => Some("report-no-date"),
                k if k == NO_DISTRICT => Some("report-no-district"),
                _ => None,
            };
            if let Some(key) = key {
                r.label = t(key);
            }
            r
        })
        .collect()
}

/// `/petitions/:slug/report`
#[component]
pub fn TallyReportPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    view! {
        <Title text=t_args("page-title", &[("title", &t("report-title"))]) />
        <div class="wrap">
            <Restricted next=format!("/petitions/{}/report", slug()) allow=Me::is_staff
                denial=t("report-denial")>
                <Report />
            </Restricted>
        </div>
    }
}

#[component]
fn Report() -> impl IntoView {
    let params = use_params_map();
    let report = Resource::new(
        move || params.read().get("slug").unwrap_or_default(),
        get_tally_report,
    );
    view! {
        <Suspense fallback=crate::components::page::loading>
            {move || Suspend::new(async move {
                match report.await {
                    Err(e) => view! {
                        <h1>{t("report-heading-short")}</h1>
                        <p class="error-summary" role="alert">{e.message()}</p>
                    }.into_any(),
                    Ok(r) => view! { <Dashboard r /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn bars(rows: &[Row]) -> Vec<Bar> {
    rows.iter()
        .map(|r| Bar {
            label: r.label.clone(),
            parts: vec![r.valid, r.invalid, r.pending],
        })
        .collect()
}

/// Every day from the first to the last dated one, days without signatures as zero, so
/// gaps in the chart are visible; undated lines stay in the table only.
fn day_bars(rows: &[Row]) -> Vec<Bar> {
    let dated: Vec<(chrono::NaiveDate, &Row)> = rows
        .iter()
        .filter_map(|r| {
            chrono::NaiveDate::parse_from_str(&r.key, "%Y-%m-%d")
                .ok()
                .map(|d| (d, r))
        })
        .collect();
    let (Some((first, _)), Some((last, _))) = (dated.first(), dated.last()) else {
        return Vec::new();
    };
    first
        .iter_days()
        .take_while(|d| d <= last)
        .map(|day| {
            let row = dated.iter().find(|(d, _)| *d == day).map(|(_, r)| *r);
            Bar {
                label: crate::petitions::rules::german_date_text(day),
                parts: row
                    .map(|r| vec![r.valid, r.invalid, r.pending])
                    .unwrap_or_else(|| vec![0, 0, 0]),
            }
        })
        .collect()
}

#[component]
fn BreakdownTable(caption: String, first: String, rows: Vec<Row>) -> impl IntoView {
    let region = caption.clone();
    view! {
        // Focusable, so that keyboard users can scroll a table wider than the screen.
        <div class="table-scroll" tabindex="0" role="region" aria-label=region>
            <table class="data">
                <caption class="visually-hidden">{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">{first}</th>
                        <th scope="col" class="number">{t("report-col-total")}</th>
                        <th scope="col" class="number">{t("report-col-valid")}</th>
                        <th scope="col" class="number">{t("report-col-invalid")}</th>
                        <th scope="col" class="number">{t("report-col-pending")}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|r| view! {
                        <tr>
                            <th scope="row">{r.label.clone()}</th>
                            <td class="number">{thousands(r.total())}</td>
                            <td class="number">{thousands(r.valid)}</td>
                            <td class="number">{thousands(r.invalid)}</td>
                            <td class="number">{thousands(r.pending)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn Dashboard(r: TallyReport) -> impl IntoView {
    let slug = r.slug.clone();
    let reached = r.quorum_reached();
    let reasons: Vec<Bar> = r
        .invalid_by_reason
        .iter()
        .map(|c| Bar {
            label: status_title(c.status),
            parts: vec![0, c.count, 0],
        })
        .collect();
    let figures = r.figures();
    let title = r.title.clone();
    let by_channel = translated(&r.by_channel);
    let by_district = translated(&r.by_district);
    let by_day = translated(&r.by_day);
    let stage = Stage::ALL
        .into_iter()
        .find(|s| s.label() == r.stage)
        .map(|s| s.title())
        .unwrap_or_else(|| r.stage.clone());
    view! {
        <p class="breadcrumb">
            <A href="/petitions">{t("report-breadcrumb")}</A>" › "
            <A href=format!("/petitions/{slug}")>{title}</A>
        </p>
        <h1>{t("report-title")}</h1>
        <p>{t_args("report-subtitle", &[("title", &r.title), ("stage", &stage), ("rule", &r.rule)])}</p>
        <p>{t("report-as-of")}" "<time id="report-as-of" datetime=r.as_of.to_rfc3339()>{german_datetime_text(r.as_of)}</time>
            " · "<a href=format!("/petitions/{slug}/report")>{t("report-refresh")}</a></p>
        <p>{r.register.clone().map(|reg| t_args("report-checked-against", &[("register", &reg)])).unwrap_or_else(|| t("report-no-register"))}</p>
        <div class=if reached { "card verdict verdict-reached" } else { "card verdict verdict-missing" } id="report-verdict">
            <p>{verdict_title(&r)}</p>
        </div>

        <h2 id="downloads">{t("report-downloads-heading")}</h2>
        <ul class="downloads">
            {Format::ALL.into_iter().map(|f| view! {
                <li><a class="button button-secondary" href=format!("/petitions/{slug}/report.{}", f.extension()) download="">{format_title(f)}</a></li>
            }).collect_view()}
        </ul>
        <p class="hint">{t("report-downloads-hint")}" "
            <a href=format!("/petitions/{slug}/review")>{t("report-review-link")}</a></p>

        <h2 id="figures">{t("report-summary")}</h2>
        <div class="table-scroll" tabindex="0" role="region" aria-label=t("report-summary")>
            <table class="data" id="report-figures">
                <caption class="visually-hidden">{t("report-summary")}</caption>
                <tbody>
                    {figures.into_iter().map(|(key, _, n)| view! {
                        <tr data-key=key><th scope="row">{t(&format!("report-figure-{}", key.replace('_', "-")))}</th><td class="number">{thousands(n)}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>

        <h2 id="reasons">{t("report-reasons-heading")}</h2>
        <div class="report-block">
            <BarChart id="chart-reasons" title=t("report-reasons-heading") series=TALLY_SERIES.to_vec() bars=reasons />
            <div class="table-scroll" tabindex="0" role="region" aria-label=t("report-reasons-heading")>
                <table class="data" id="report-reasons">
                    <caption class="visually-hidden">{t("report-reasons-heading")}</caption>
                    <thead><tr><th scope="col">{t("report-col-reason")}</th><th scope="col" class="number">{t("report-col-count")}</th></tr></thead>
                    <tbody>
                        {r.invalid_by_reason.iter().map(|c| view! {
                            <tr data-key=c.status.code()><th scope="row">{status_title(c.status)}</th><td class="number">{thousands(c.count)}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </div>

        <h2 id="channels">{t("report-channels-heading")}</h2>
        <div class="report-block">
            <BarChart id="chart-channels" title=t("report-by-channel") series=TALLY_SERIES.to_vec() bars=bars(&by_channel) />
            <BreakdownTable caption=t("report-by-channel") first=t("report-col-channel") rows=by_channel />
        </div>

        <h2 id="districts">{t("report-districts-heading")}</h2>
        <p class="hint">{t("report-districts-hint")}</p>
        <div class="report-block">
            <BarChart id="chart-districts" title=t("report-by-district") series=TALLY_SERIES.to_vec() bars=bars(&by_district) />
            <BreakdownTable caption=t("report-by-district") first=t("report-col-district") rows=by_district />
        </div>

        <h2 id="days">{t("report-days-heading")}</h2>
        <div class="report-block">
            <ColumnChart id="chart-days" title=t("report-by-day") series=TALLY_SERIES.to_vec() bars=day_bars(&by_day) />
            <BreakdownTable caption=t("report-by-day") first=t("report-col-day") rows=by_day />
        </div>
    }
}
