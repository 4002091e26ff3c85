//! Printable petition documents: the blank signature list (A4 landscape, numbered lines)
//! and an online signer's personal sheet (A4 portrait, pre-filled, with a code staff scan
//! when it comes back). Every sheet carries the full text the law requires: the question,
//! the justification, the cost estimate and the representatives. The personal sheet's code
//! is also printed as a Code 39 barcode for hand scanners.

use chrono::NaiveDate;

use crate::infra::pdf::{Page, assemble, wrap};
use crate::petitions::rules::german_date_text;

/// The texts every sheet carries.
#[derive(Debug, Clone)]
pub struct PetitionText {
    pub municipality: String,
    pub title: String,
    pub question: String,
    pub justification: String,
    pub cost_estimate: Option<String>,
    pub council_decision: Option<String>,
    /// Name and address of each representative.
    pub representatives: Vec<(String, String)>,
    pub citation: String,
    pub ends_on: Option<NaiveDate>,
}

/// A signer's data printed on the personal sheet.
#[derive(Debug, Clone)]
pub struct SignerLine {
    pub family_name: String,
    pub given_names: String,
    pub birth_date: String,
    pub address: String,
}

/// The text every sheet carries, at a size that leaves room for what follows. Returns
/// whether it fitted (the field limits of a draft are chosen so that it always does).
fn petition_text(page: &mut Page, doc: &PetitionText, heading: &str, reserve: f32) -> bool {
    page.paragraph(heading, 13.0, true);
    page.gap(4.0);
    page.paragraph(
        &format!(
            "Die Unterzeichnenden beantragen, dass die Bürgerinnen und Bürger der Gemeinde {} an Stelle des Rates über folgende Frage entscheiden (Bürgerentscheid):",
            doc.municipality
        ),
        8.5,
        false,
    );
    page.gap(2.0);
    page.paragraph(&doc.question, 10.5, true);
    page.gap(4.0);
    let mut rest = Vec::new();
    rest.push(("Begründung: ".to_owned(), doc.justification.clone()));
    if let Some(decision) = &doc.council_decision {
        rest.push((String::new(), decision.clone()));
    }
    rest.push((
        "Kostenschätzung der Verwaltung: ".to_owned(),
        doc.cost_estimate.clone().unwrap_or_else(|| {
            "Nach dem Recht dieses Landes ist keine Kostenschätzung der Verwaltung vorgesehen."
                .to_owned()
        }),
    ));
    let reps = doc
        .representatives
        .iter()
        .map(|(name, address)| format!("{name}, {address}"))
        .collect::<Vec<_>>()
        .join("; ");
    rest.push((
        "Vertretungsberechtigte Personen: ".to_owned(),
        format!("{reps} ({})", doc.citation),
    ));
    // The legal text must be complete on every sheet: shrink it until it fits above the
    // space the rest of the sheet needs.
    let available = page.y - page.margin - reserve;
    let mut size = 8.5f32;
    let fits = loop {
        let lines: usize = rest
            .iter()
            .map(|(label, body)| {
                wrap(&format!("{label}{body}"), page.inner_width(), size, false).len()
            })
            .sum();
        let fits = lines as f32 * size * 1.25 + rest.len() as f32 * 2.0 <= available;
        if fits || size <= 6.0 {
            break fits;
        }
        size -= 0.5;
    };
    for (label, body) in rest {
        page.paragraph(&format!("{label}{body}"), size, false);
        page.gap(2.0);
    }
    if !fits {
        tracing::warn!(title = %doc.title, "petition text does not fit on the sheet");
    }
    fits
}

/// Lines per blank list sheet at most; fewer when the petition text is long.
pub const MAX_LIST_LINES: usize = 12;
const ROW_HEIGHT: f32 = 24.0;

/// The blank signature list: one A4 landscape sheet with numbered lines.
pub fn signature_list(doc: &PetitionText) -> Vec<u8> {
    let (page, _) = signature_list_page(doc);
    assemble(vec![page], &format!("Unterschriftenliste – {}", doc.title))
}

fn signature_list_page(doc: &PetitionText) -> (Page, bool) {
    let mut page = Page::new(842.0, 595.0);
    let x0 = page.margin;
    let right = page.width - page.margin;
    page.text_at(
        right - 150.0,
        page.height - page.margin - 10.0,
        9.0,
        false,
        "Blatt-Nr.: ____________",
    );
    let footer_height = 34.0;
    let header_height = 20.0;
    let fits = petition_text(
        &mut page,
        doc,
        &format!("Unterschriftenliste zum Bürgerbegehren „{}“", doc.title),
        header_height + 5.0 * ROW_HEIGHT + footer_height,
    );
    page.gap(6.0);
    let columns: [(&str, f32); 8] = [
        ("Nr.", 24.0),
        ("Familienname", 118.0),
        ("Vornamen", 110.0),
        ("Geburtsdatum", 66.0),
        ("Straße, Hausnummer", 150.0),
        ("PLZ, Ort", 118.0),
        ("Datum", 52.0),
        ("Unterschrift", 0.0),
    ];
    let rows = (((page.y - page.margin - footer_height - header_height) / ROW_HEIGHT).floor()
        as usize)
        .clamp(1, MAX_LIST_LINES);
    let top = page.y;
    let bottom = top - header_height - rows as f32 * ROW_HEIGHT;
    let mut x = x0;
    for (i, (label, width)) in columns.iter().enumerate() {
        page.text_at(x + 3.0, top - 13.0, 8.0, true, label);
        if i > 0 {
            page.line(x, top, x, bottom, 0.5);
        }
        x += width;
    }
    page.line(x0, top, right, top, 0.8);
    page.line(x0, top - header_height, right, top - header_height, 0.8);
    for row in 1..=rows {
        let y = top - header_height - row as f32 * ROW_HEIGHT;
        page.line(x0, y, right, y, 0.5);
        page.text_at(x0 + 4.0, y + 8.0, 9.0, false, &row.to_string());
    }
    page.line(x0, top, x0, bottom, 0.8);
    page.line(right, top, right, bottom, 0.8);
    page.y = bottom - 4.0;
    let ends = doc
        .ends_on
        .map(|d| {
            format!(
                " Bitte geben Sie die Liste bis spätestens {} ab.",
                german_date_text(d)
            )
        })
        .unwrap_or_default();
    page.paragraph(
        &format!(
            "Unterschreiben dürfen nur Bürgerinnen und Bürger der Gemeinde {}, jede Person nur einmal. Bitte alle Angaben vollständig und gut lesbar eintragen; unvollständige oder unleserliche Eintragungen können ungültig sein.{ends} Datenschutz: Die Angaben dienen allein dem Bürgerbegehren und der Prüfung der Unterschriften durch die Gemeindeverwaltung; sie werden nach Abschluss des Verfahrens gelöscht.",
            doc.municipality
        ),
        7.0,
        false,
    );
    (page, fits)
}

/// An online signer's personal sheet, pre-filled, to sign by hand and hand in.
pub fn personal_sheet(doc: &PetitionText, signer: &SignerLine, code: &str) -> Vec<u8> {
    let (page, _) = personal_sheet_page(doc, signer, code);
    assemble(vec![page], &format!("Unterschriftenbogen – {}", doc.title))
}

fn personal_sheet_page(doc: &PetitionText, signer: &SignerLine, code: &str) -> (Page, bool) {
    let mut page = Page::new(595.0, 842.0);
    let x0 = page.margin;
    let right = page.width - page.margin;
    let fits = petition_text(
        &mut page,
        doc,
        &format!("Unterschriftenbogen zum Bürgerbegehren „{}“", doc.title),
        250.0,
    );
    page.gap(10.0);
    page.paragraph("Ihre Angaben", 11.0, true);
    page.gap(4.0);
    for (label, value) in [
        ("Familienname", &signer.family_name),
        ("Vornamen", &signer.given_names),
        ("Geburtsdatum", &signer.birth_date),
        ("Anschrift", &signer.address),
    ] {
        page.y -= 16.0;
        let y = page.y;
        page.text_at(x0, y, 9.0, false, label);
        page.text_at(x0 + 100.0, y, 11.0, true, value);
        page.line(x0 + 98.0, y - 3.0, right, y - 3.0, 0.4);
    }
    page.y -= 44.0;
    let y = page.y;
    page.line(x0, y, x0 + 150.0, y, 0.6);
    page.line(x0 + 190.0, y, right, y, 0.6);
    page.text_at(x0, y - 11.0, 8.0, false, "Datum");
    page.text_at(
        x0 + 190.0,
        y - 11.0,
        8.0,
        false,
        "Eigenhändige Unterschrift",
    );
    page.gap(24.0);
    page.paragraph(&format!("Bogencode: {code}"), 18.0, true);
    // The barcode beside the code, for hand scanners.
    let (x, y) = (page.margin + 290.0, page.y - 8.0);
    page.barcode(x, y, 32.0, code);
    page.gap(14.0);
    let ends = doc
        .ends_on
        .map(|d| format!(" bis spätestens {}", german_date_text(d)))
        .unwrap_or_default();
    page.paragraph(
        &format!(
            "Sie haben das Bürgerbegehren online unterstützt. Gezählt wird nach dem Gesetz nur die eigenhändige Unterschrift: Bitte prüfen Sie Ihre Angaben, unterschreiben Sie diesen Bogen und geben Sie ihn{ends} bei den Vertretungsberechtigten oder der Gemeindeverwaltung {} ab. Ändern Sie die vorgedruckten Angaben bitte nicht; wenn sie falsch sind, unterschreiben Sie stattdessen auf einer Unterschriftenliste.",
            doc.municipality
        ),
        8.5,
        false,
    );
    page.gap(4.0);
    page.paragraph(
        "Datenschutz: Die Angaben dienen allein dem Bürgerbegehren und der Prüfung der Unterschrift durch die Gemeindeverwaltung; sie werden nach Abschluss des Verfahrens gelöscht.",
        7.0,
        false,
    );
    (page, fits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn short_doc() -> PetitionText {
        PetitionText {
            municipality: "Kalletal".into(),
            title: "Medizinisches Versorgungszentrum".into(),
            question: "Soll die Gemeinde Kalletal ein kommunales MVZ gründen?".into(),
            justification: "Die Hausärzte gehen in Rente. ".repeat(20),
            cost_estimate: Some("Einmalig 250.000 €, jährlich 40.000 €.".into()),
            council_decision: None,
            representatives: vec![(
                "Anna Schulte".into(),
                "Hauptstraße 1, 32689 Kalletal".into(),
            )],
            citation: "§ 26 GO NRW".into(),
            ends_on: None,
        }
    }

    #[test]
    fn the_longest_texts_a_draft_allows_fit_on_every_sheet() {
        use crate::petitions::draft::*;
        let words = |n: usize| "Versorgung ".repeat(n / 11).trim_end().to_owned();
        let doc = PetitionText {
            municipality: "Kalletal".into(),
            title: words(TITLE_MAX_CHARS),
            question: format!("{}?", words(QUESTION_MAX_CHARS - 1)),
            justification: words(JUSTIFICATION_MAX_CHARS),
            cost_estimate: Some(words(COST_ESTIMATE_MAX_CHARS)),
            council_decision: Some(
                "Das Bürgerbegehren richtet sich gegen den Beschluss des Rates vom 10.11.2026."
                    .into(),
            ),
            representatives: (0..3)
                .map(|_| {
                    (
                        words(REPRESENTATIVE_NAME_MAX_CHARS),
                        words(REPRESENTATIVE_ADDRESS_MAX_CHARS),
                    )
                })
                .collect(),
            citation: "§ 26 GO NRW".into(),
            ends_on: None,
        };
        assert!(signature_list_page(&doc).1, "list");
        let signer = SignerLine {
            family_name: "Müller".into(),
            given_names: "Anna".into(),
            birth_date: "17.05.1980".into(),
            address: "Lindenweg 3, 32689 Kalletal".into(),
        };
        assert!(personal_sheet_page(&doc, &signer, "ACDE-3579").1, "sheet");
        // A short text is set at the full size, and fits too.
        assert!(signature_list_page(&short_doc()).1);
    }

    #[test]
    fn documents_are_pdfs() {
        let list = signature_list(&short_doc());
        assert!(list.starts_with(b"%PDF-"));
        let sheet = personal_sheet(
            &short_doc(),
            &SignerLine {
                family_name: "Müller".into(),
                given_names: "Anna".into(),
                birth_date: "17.05.1980".into(),
                address: "Lindenweg 3, 32689 Kalletal".into(),
            },
            "ACDE-3579",
        );
        assert!(sheet.starts_with(b"%PDF-"));
    }
}
