//! The check report (*Prüfbericht*) as a PDF.

use crate::infra::pdf::Flow;

/// The check report (*Prüfbericht*): the municipality, the petition, the rule applied, the
/// figures and every breakdown, the moment they refer to, and room for the signature of
/// the official responsible. A4 portrait, as many pages as the breakdowns need.
pub fn check_report(r: &crate::reports::TallyReport) -> Vec<u8> {
    use crate::petitions::rules::{german_datetime_text, thousands};
    let mut flow = Flow::a4_portrait();
    flow.paragraph(&format!("Gemeinde {}", r.municipality), 10.0, false);
    flow.page.gap(6.0);
    flow.paragraph("Prüfbericht über die Unterschriften", 16.0, true);
    flow.paragraph(&format!("Bürgerbegehren „{}“", r.title), 12.0, true);
    flow.page.gap(6.0);
    for (label, value) in [
        ("Frage", r.question.clone()),
        ("Verfahrensstand", r.stage.clone()),
        ("Rechtsgrundlage", r.rule.clone()),
        (
            "Quorum",
            match r.required {
                Some(n) => format!("{} Unterschriften ({})", thousands(n), r.quorum_citation),
                None => "noch nicht festgesetzt".to_owned(),
            },
        ),
        (
            "Geprüft gegen",
            r.register
                .clone()
                .unwrap_or_else(|| "kein Melderegister eingelesen".to_owned()),
        ),
        ("Stand der Zahlen", german_datetime_text(r.as_of)),
    ] {
        flow.paragraph(&format!("{label}: {value}"), 9.5, false);
    }
    if !r.online_signatures_count {
        flow.paragraph(
            "Online gegebene Unterschriften zählen nach dem Recht dieses Landes erst, wenn der handschriftlich unterschriebene Bogen eingegangen ist.",
            8.5,
            false,
        );
    }
    flow.page.gap(6.0);
    flow.paragraph(&format!("Ergebnis: {}", r.verdict()), 11.0, true);

    let figures: Vec<Vec<String>> = r
        .figures()
        .into_iter()
        .map(|(_, label, n)| vec![label.to_owned(), thousands(n)])
        .collect();
    flow.table("Zusammenfassung", &["", "Anzahl"], &figures);
    let reasons: Vec<Vec<String>> = r
        .invalid_by_reason
        .iter()
        .map(|c| vec![c.status.label().to_owned(), thousands(c.count)])
        .collect();
    flow.table(
        "Ungültige Unterschriften nach Grund",
        &["Grund", "Anzahl"],
        &reasons,
    );
    for (title, first, rows) in [
        ("Nach Kanal", "Kanal", &r.by_channel),
        (
            "Nach Ortsteil (laut Melderegister)",
            "Ortsteil",
            &r.by_district,
        ),
        ("Nach Tag der Unterschrift", "Tag", &r.by_day),
    ] {
        let rows: Vec<Vec<String>> = rows
            .iter()
            .map(|row| {
                vec![
                    row.label.clone(),
                    thousands(row.total()),
                    thousands(row.valid),
                    thousands(row.invalid),
                    thousands(row.pending),
                ]
            })
            .collect();
        flow.table(
            title,
            &[first, "Insgesamt", "Gültig", "Ungültig", "Offen"],
            &rows,
        );
    }

    flow.page.gap(10.0);
    flow.ensure(120.0);
    flow.paragraph(
        "Die Angaben beruhen auf der Prüfung jeder Unterschrift gegen das Melderegister; zweifelhafte Unterschriften hat die Verwaltung einzeln entschieden. Der Bericht enthält keine personenbezogenen Daten.",
        8.5,
        false,
    );
    flow.page.gap(48.0);
    let (m, y) = (flow.page.margin, flow.page.y);
    flow.page.line(m, y, m + 200.0, y, 0.6);
    flow.page.line(m + 260.0, y, m + 523.0, y, 0.6);
    flow.page.text_at(m, y - 11.0, 8.0, false, "Ort, Datum");
    flow.page.text_at(
        m + 260.0,
        y - 11.0,
        8.0,
        false,
        "Unterschrift, Name und Amtsbezeichnung",
    );
    flow.finish(&format!("Prüfbericht – {}", r.title))
}
