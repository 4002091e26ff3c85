//! The staff dashboard of a petition's tally: the verdict, the figures, every breakdown as
//! a chart with its table beside it, and the downloads.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use super::api::get_tally_report;
use super::{Format, Row, TallyReport};
use crate::accounts::Me;
use crate::components::Restricted;
use crate::components::chart::{Bar, BarChart, ColumnChart, TALLY_SERIES};
use crate::petitions::rules::{german_datetime_text, thousands};

/// `/petitions/:slug/report`
#[component]
pub fn TallyReportPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    view! {
        <Title text="Auswertung der Unterschriften – Dorfplatz" />
        <div class="wrap">
            <Restricted next=format!("/petitions/{}/report", slug()) allow=Me::is_staff
                denial="Die Auswertung sieht nur die Gemeindeverwaltung.">
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
                        <h1>"Auswertung"</h1>
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
fn BreakdownTable(caption: &'static str, first: &'static str, rows: Vec<Row>) -> impl IntoView {
    view! {
        // Focusable, so that keyboard users can scroll a table wider than the screen.
        <div class="table-scroll" tabindex="0" role="region" aria-label=caption>
            <table class="data">
                <caption class="visually-hidden">{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">{first}</th>
                        <th scope="col" class="number">"Insgesamt"</th>
                        <th scope="col" class="number">"Gültig"</th>
                        <th scope="col" class="number">"Ungültig"</th>
                        <th scope="col" class="number">"Offen"</th>
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
            label: c.status.label().to_owned(),
            parts: vec![0, c.count, 0],
        })
        .collect();
    let figures = r.figures();
    let title = r.title.clone();
    view! {
        <p class="breadcrumb">
            <A href="/petitions">"Bürgerbegehren"</A>" › "
            <A href=format!("/petitions/{slug}")>{title}</A>
        </p>
        <h1>"Auswertung der Unterschriften"</h1>
        <p>{format!("Bürgerbegehren „{}“ · {} · {}", r.title, r.stage, r.rule)}</p>
        <p>"Stand der Zahlen: "<time id="report-as-of" datetime=r.as_of.to_rfc3339()>{german_datetime_text(r.as_of)}</time>
            " · "<a href=format!("/petitions/{slug}/report")>"Zahlen aktualisieren"</a></p>
        <p>{r.register.clone().map(|reg| format!("Geprüft gegen: {reg}.")).unwrap_or_else(|| "Es ist kein Melderegister eingelesen: alle Unterschriften sind noch ungeprüft.".to_owned())}</p>
        <div class=if reached { "card verdict verdict-reached" } else { "card verdict verdict-missing" } id="report-verdict">
            <p>{r.verdict()}</p>
        </div>

        <h2 id="downloads">"Herunterladen"</h2>
        <ul class="downloads">
            {Format::ALL.into_iter().map(|f| view! {
                <li><a class="button button-secondary" href=format!("/petitions/{slug}/report.{}", f.extension()) download="">{f.label()}</a></li>
            }).collect_view()}
        </ul>
        <p class="hint">"Die Dateien enthalten nur Zahlen, keine personenbezogenen Daten. Jede Datei wird im Protokoll vermerkt. "
            <a href=format!("/petitions/{slug}/review")>"Zur Prüfliste und zur Liste aller Unterschriften"</a></p>

        <h2 id="figures">"Zusammenfassung"</h2>
        <div class="table-scroll" tabindex="0" role="region" aria-label="Zusammenfassung">
            <table class="data" id="report-figures">
                <caption class="visually-hidden">"Zusammenfassung"</caption>
                <tbody>
                    {figures.into_iter().map(|(key, label, n)| view! {
                        <tr data-key=key><th scope="row">{label}</th><td class="number">{thousands(n)}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>

        <h2 id="reasons">"Ungültige Unterschriften nach Grund"</h2>
        <div class="report-block">
            <BarChart id="chart-reasons" title="Ungültige Unterschriften nach Grund".to_owned() series=TALLY_SERIES.to_vec() bars=reasons />
            <div class="table-scroll" tabindex="0" role="region" aria-label="Ungültige Unterschriften nach Grund">
                <table class="data" id="report-reasons">
                    <caption class="visually-hidden">"Ungültige Unterschriften nach Grund"</caption>
                    <thead><tr><th scope="col">"Grund"</th><th scope="col" class="number">"Anzahl"</th></tr></thead>
                    <tbody>
                        {r.invalid_by_reason.iter().map(|c| view! {
                            <tr data-key=c.status.code()><th scope="row">{c.status.label()}</th><td class="number">{thousands(c.count)}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </div>

        <h2 id="channels">"Nach Kanal"</h2>
        <div class="report-block">
            <BarChart id="chart-channels" title="Unterschriften nach Kanal".to_owned() series=TALLY_SERIES.to_vec() bars=bars(&r.by_channel) />
            <BreakdownTable caption="Unterschriften nach Kanal" first="Kanal" rows=r.by_channel.clone() />
        </div>

        <h2 id="districts">"Nach Ortsteil"</h2>
        <p class="hint">"Der Ortsteil stammt aus dem Melderegister; Unterschriften ohne eindeutige Person darin stehen unter „ohne Zuordnung“."</p>
        <div class="report-block">
            <BarChart id="chart-districts" title="Unterschriften nach Ortsteil".to_owned() series=TALLY_SERIES.to_vec() bars=bars(&r.by_district) />
            <BreakdownTable caption="Unterschriften nach Ortsteil" first="Ortsteil" rows=r.by_district.clone() />
        </div>

        <h2 id="days">"Nach Tag der Unterschrift"</h2>
        <div class="report-block">
            <ColumnChart id="chart-days" title="Unterschriften nach Tag".to_owned() series=TALLY_SERIES.to_vec() bars=day_bars(&r.by_day) />
            <BreakdownTable caption="Unterschriften nach Tag" first="Tag" rows=r.by_day.clone() />
        </div>
    }
}
