//! Charts drawn on the server as SVG: readable without JavaScript, scalable, printable.
//! Every chart is an image with a text alternative (`<title>`, `<desc>`), and every page
//! puts a table with the same figures beside it, so nothing depends on seeing colours.

use leptos::prelude::*;

use crate::petitions::rules::thousands;

/// One bar, made of stacked parts (valid, invalid, open …) in the order of the legend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bar {
    pub label: String,
    pub parts: Vec<u64>,
}

/// A part of every bar: its name in the legend and its CSS class (the colour).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Series {
    pub name: &'static str,
    pub class: &'static str,
}

/// The three parts every tally chart shows.
pub const TALLY_SERIES: [Series; 3] = [
    Series {
        name: "gültig",
        class: "chart-valid",
    },
    Series {
        name: "ungültig",
        class: "chart-invalid",
    },
    Series {
        name: "offen",
        class: "chart-pending",
    },
];

fn scale(value: u64, max: u64, length: f64) -> f64 {
    if max == 0 {
        0.0
    } else {
        value as f64 / max as f64 * length
    }
}

#[component]
fn Legend(series: Vec<Series>) -> impl IntoView {
    view! {
        <ul class="chart-legend" aria-hidden="true">
            {series.into_iter().map(|s| view! {
                <li><span class=format!("chart-swatch {}", s.class)></span>{s.name}</li>
            }).collect_view()}
        </ul>
    }
}

/// Horizontal stacked bars, one per group, with the label left and the total right.
#[component]
pub fn BarChart(
    /// Unique on the page; ties the SVG to its title and description.
    id: &'static str,
    title: String,
    series: Vec<Series>,
    bars: Vec<Bar>,
) -> impl IntoView {
    const LABEL: f64 = 190.0;
    const BAR_AREA: f64 = 330.0;
    const ROW: f64 = 26.0;
    let width = LABEL + BAR_AREA + 70.0;
    let height = (bars.len().max(1) as f64) * ROW + 8.0;
    let max = bars
        .iter()
        .map(|b| b.parts.iter().sum::<u64>())
        .max()
        .unwrap_or(0);
    let desc = bars
        .iter()
        .map(|b| {
            let parts = b
                .parts
                .iter()
                .zip(&series)
                .map(|(n, s)| format!("{} {}", thousands(*n), s.name))
                .collect::<Vec<_>>()
                .join(", ");
            format!("{}: {}", b.label, parts)
        })
        .collect::<Vec<_>>()
        .join("; ");
    let (title_id, desc_id) = (format!("{id}-title"), format!("{id}-desc"));
    let labelled_by = format!("{title_id} {desc_id}");
    let rows = bars
        .into_iter()
        .enumerate()
        .map(|(i, bar)| {
            let y = i as f64 * ROW + 4.0;
            let total: u64 = bar.parts.iter().sum();
            let mut x = LABEL;
            let segments = bar
                .parts
                .iter()
                .zip(&series)
                .map(|(n, s)| {
                    let w = scale(*n, max, BAR_AREA);
                    let rect = view! {
                        <rect class=s.class x=format!("{x:.1}") y=format!("{y:.1}") width=format!("{w:.1}") height="18" />
                    };
                    x += w;
                    rect
                })
                .collect_view();
            let mut label = bar.label.clone();
            if label.chars().count() > 28 {
                label = label.chars().take(27).collect::<String>() + "…";
            }
            view! {
                <text x=format!("{:.1}", LABEL - 6.0) y=format!("{:.1}", y + 13.0) text-anchor="end" class="chart-text">{label}</text>
                {segments}
                <text x=format!("{:.1}", x + 4.0) y=format!("{:.1}", y + 13.0) class="chart-text">{thousands(total)}</text>
            }
        })
        .collect_view();
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 {width} {height}") role="img" aria-labelledby=labelled_by preserveAspectRatio="xMinYMin meet" class="chart-svg">
                <title id=title_id>{title}</title>
                <desc id=desc_id>{desc}</desc>
                {rows}
            </svg>
            <Legend series />
        </figure>
    }
}

/// Columns over time (one per day), stacked, with the first and last day written below.
#[component]
pub fn ColumnChart(
    id: &'static str,
    title: String,
    series: Vec<Series>,
    bars: Vec<Bar>,
) -> impl IntoView {
    const HEIGHT: f64 = 160.0;
    const WIDTH: f64 = 560.0;
    const AXIS: f64 = 44.0;
    let max = bars
        .iter()
        .map(|b| b.parts.iter().sum::<u64>())
        .max()
        .unwrap_or(0);
    let n = bars.len().max(1) as f64;
    let step = (WIDTH - AXIS) / n;
    let column = (step * 0.8).max(1.0);
    let total: u64 = bars.iter().flat_map(|b| b.parts.iter()).sum();
    let desc = match (bars.first(), bars.last()) {
        (Some(first), Some(last)) => format!(
            "{} Tage von {} bis {}, zusammen {}; höchster Tageswert {}.",
            bars.len(),
            first.label,
            last.label,
            thousands(total),
            thousands(max)
        ),
        _ => "Keine Unterschriften.".to_owned(),
    };
    let (first, last) = (
        bars.first().map(|b| b.label.clone()).unwrap_or_default(),
        bars.last().map(|b| b.label.clone()).unwrap_or_default(),
    );
    let (title_id, desc_id) = (format!("{id}-title"), format!("{id}-desc"));
    let labelled_by = format!("{title_id} {desc_id}");
    let columns = bars
        .into_iter()
        .enumerate()
        .map(|(i, bar)| {
            let x = AXIS + i as f64 * step;
            let mut top = HEIGHT;
            bar.parts
                .iter()
                .zip(&series)
                .map(|(v, s)| {
                    let h = scale(*v, max, HEIGHT - 10.0);
                    top -= h;
                    view! {
                        <rect class=s.class x=format!("{x:.1}") y=format!("{top:.1}") width=format!("{column:.1}") height=format!("{h:.1}") />
                    }
                })
                .collect_view()
        })
        .collect_view();
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 {WIDTH} {}", HEIGHT + 24.0) role="img" aria-labelledby=labelled_by preserveAspectRatio="xMinYMin meet" class="chart-svg">
                <title id=title_id>{title}</title>
                <desc id=desc_id>{desc}</desc>
                <text x=format!("{:.1}", AXIS - 6.0) y="14" text-anchor="end" class="chart-text">{thousands(max)}</text>
                <text x=format!("{:.1}", AXIS - 6.0) y=format!("{HEIGHT:.1}") text-anchor="end" class="chart-text">"0"</text>
                <line x1=format!("{AXIS:.1}") y1=format!("{HEIGHT:.1}") x2=format!("{WIDTH:.1}") y2=format!("{HEIGHT:.1}") class="chart-axis" />
                {columns}
                <text x=format!("{AXIS:.1}") y=format!("{:.1}", HEIGHT + 18.0) class="chart-text">{first}</text>
                <text x=format!("{WIDTH:.1}") y=format!("{:.1}", HEIGHT + 18.0) text-anchor="end" class="chart-text">{last}</text>
            </svg>
            <Legend series />
        </figure>
    }
}
