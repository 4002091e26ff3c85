//! Printable petition documents: the blank signature list (A4 landscape, numbered lines)
//! and an online signer's personal sheet (A4 portrait, pre-filled, with a code staff scan
//! when it comes back). Every sheet carries the full text the law requires: the question,
//! the justification, the cost estimate and the representatives.
//!
//! Written with `pdf-writer` and the standard Helvetica fonts every PDF reader has, so no
//! font file is shipped; text is encoded as Windows-1252 (WinAnsiEncoding), which covers
//! German. Line breaking uses approximate Helvetica widths that err on the wide side. The
//! personal sheet's code is also printed as a Code 39 barcode for hand scanners.

use chrono::NaiveDate;
use pdf_writer::{Content, Name, Pdf, Rect, Ref, Str, TextStr};

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

const REGULAR: Name<'static> = Name(b"F1");
const BOLD: Name<'static> = Name(b"F2");

/// Text to WinAnsi bytes. Letters outside it lose their accent rather than become '?' (a
/// name such as "Yılmaz" or "Dvořák" in minutes stays readable as "Yilmaz", "Dvorak");
/// whatever is left becomes '?'.
fn win_ansi(text: &str) -> Vec<u8> {
    use unicode_normalization::UnicodeNormalization;
    text.chars()
        .flat_map(|c| {
            if win_ansi_byte(c).is_some() {
                return vec![c];
            }
            let plain: Vec<char> = match c {
                'ı' => vec!['i'],
                'ł' => vec!['l'],
                'Ł' => vec!['L'],
                'đ' => vec!['d'],
                'Đ' => vec!['D'],
                _ => c
                    .nfd()
                    .filter(|d| !unicode_normalization::char::is_combining_mark(*d))
                    .collect(),
            };
            if plain.iter().all(|p| win_ansi_byte(*p).is_some()) && !plain.is_empty() {
                plain
            } else {
                vec!['?']
            }
        })
        .map(|c| win_ansi_byte(c).unwrap_or(b'?'))
        .collect()
}

fn win_ansi_byte(c: char) -> Option<u8> {
    Some(match c {
        ' '..='~' | '\u{a0}'..='ÿ' => c as u32 as u8,
        '€' => 0x80,
        '‚' => 0x82,
        '„' => 0x84,
        '…' => 0x85,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        'Š' => 0x8a,
        'Œ' => 0x8c,
        'Ž' => 0x8e,
        'š' => 0x9a,
        'œ' => 0x9c,
        'ž' => 0x9e,
        'Ÿ' => 0x9f,
        '\t' => b' ',
        _ => return None,
    })
}

/// Approximate advance width of a character in Helvetica, in thousandths of the font size;
/// rounded up so that measured lines never overflow.
fn char_width(c: char, bold: bool) -> f32 {
    let w = match c {
        ' ' | 'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '\'' | '!' | '|' | 'I' => 280.0,
        'f' | 't' | 'r' | '(' | ')' | '-' | '/' | '[' | ']' => 340.0,
        'm' => 840.0,
        'w' => 730.0,
        'M' => 840.0,
        'W' => 950.0,
        'c' | 'k' | 's' | 'v' | 'x' | 'y' | 'z' | 'J' => 510.0,
        '0'..='9' => 560.0,
        c if c.is_uppercase() => 730.0,
        c if c.is_lowercase() => 560.0,
        '–' | '„' | '“' | '"' => 560.0,
        '—' | '@' => 1020.0,
        _ => 600.0,
    };
    if bold { w * 1.1 } else { w }
}

fn text_width(text: &str, size: f32, bold: bool) -> f32 {
    text.chars().map(|c| char_width(c, bold)).sum::<f32>() * size / 1000.0
}

/// Breaks a text into lines of at most `width` points; paragraphs stay paragraphs.
fn wrap(text: &str, width: f32, size: f32, bold: bool) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_owned()
            } else {
                format!("{line} {word}")
            };
            if text_width(&candidate, size, bold) <= width || line.is_empty() {
                line = candidate;
            } else {
                lines.push(std::mem::take(&mut line));
                line = word.to_owned();
            }
            // A single word wider than the line (a long URL) is cut.
            while text_width(&line, size, bold) > width && line.chars().count() > 1 {
                let mut head = String::new();
                let mut rest = line.chars();
                for c in rest.by_ref() {
                    if text_width(&format!("{head}{c}"), size, bold) > width {
                        let tail: String = std::iter::once(c).chain(rest).collect();
                        lines.push(head);
                        line = tail;
                        break;
                    }
                    head.push(c);
                }
            }
        }
        lines.push(line);
    }
    lines
}

/// One page being laid out from the top down.
struct Page {
    content: Content,
    width: f32,
    height: f32,
    margin: f32,
    y: f32,
}

impl Page {
    fn new(width: f32, height: f32) -> Self {
        let margin = 36.0;
        Page {
            content: Content::new(),
            width,
            height,
            margin,
            y: height - margin,
        }
    }

    fn inner_width(&self) -> f32 {
        self.width - 2.0 * self.margin
    }

    fn text_at(&mut self, x: f32, y: f32, size: f32, bold: bool, text: &str) {
        self.content
            .begin_text()
            .set_font(if bold { BOLD } else { REGULAR }, size)
            .next_line(x, y)
            .show(Str(&win_ansi(text)))
            .end_text();
    }

    /// A wrapped paragraph at the current position; moves down.
    fn paragraph(&mut self, text: &str, size: f32, bold: bool) {
        let width = self.inner_width();
        for line in wrap(text, width, size, bold) {
            self.y -= size * 1.25;
            let (x, y) = (self.margin, self.y);
            self.text_at(x, y, size, bold, &line);
        }
    }

    fn gap(&mut self, points: f32) {
        self.y -= points;
    }

    /// A Code 39 barcode of `text` (upper-case letters, digits, '-') with its lower left
    /// corner at (x, y): what a hand scanner at the town hall reads into the code field.
    fn barcode(&mut self, x: f32, y: f32, height: f32, text: &str) {
        let Ok(code) = barcoders::sym::code39::Code39::new(text) else {
            return;
        };
        const MODULE: f32 = 1.1;
        let modules = code.encode();
        let mut i = 0;
        while i < modules.len() {
            if modules[i] == 1 {
                let start = i;
                while i < modules.len() && modules[i] == 1 {
                    i += 1;
                }
                self.content.rect(
                    x + start as f32 * MODULE,
                    y,
                    (i - start) as f32 * MODULE,
                    height,
                );
            } else {
                i += 1;
            }
        }
        self.content.fill_nonzero();
    }

    fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, width: f32) {
        self.content
            .set_line_width(width)
            .move_to(x1, y1)
            .line_to(x2, y2)
            .stroke();
    }
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

fn assemble(pages: Vec<Page>, title: &str) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let regular = Ref::new(3);
    let bold = Ref::new(4);
    let info = Ref::new(5);
    let mut next = 6;
    let mut ids = Vec::new();
    for _ in &pages {
        ids.push((Ref::new(next), Ref::new(next + 1)));
        next += 2;
    }
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(ids.iter().map(|(page, _)| *page))
        .count(ids.len() as i32);
    pdf.type1_font(regular)
        .base_font(Name(b"Helvetica"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.type1_font(bold)
        .base_font(Name(b"Helvetica-Bold"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.document_info(info)
        .title(TextStr(title))
        .producer(TextStr("Dorfplatz"));
    for (page, (page_id, content_id)) in pages.into_iter().zip(ids) {
        {
            let mut writer = pdf.page(page_id);
            writer
                .media_box(Rect::new(0.0, 0.0, page.width, page.height))
                .parent(tree)
                .contents(content_id);
            writer
                .resources()
                .fonts()
                .pair(REGULAR, regular)
                .pair(BOLD, bold);
        }
        pdf.stream(content_id, &page.content.finish());
    }
    pdf.finish()
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

/// Pages laid out one after another: a new page starts when the next block does not fit.
struct Flow {
    done: Vec<Page>,
    page: Page,
}

impl Flow {
    fn new() -> Self {
        Flow {
            done: Vec::new(),
            page: Page::new(595.0, 842.0),
        }
    }

    fn new_page(&mut self) {
        let full = std::mem::replace(&mut self.page, Page::new(595.0, 842.0));
        self.done.push(full);
    }

    /// Makes sure `space` points are left on the page, else starts a new one.
    fn ensure(&mut self, space: f32) {
        if self.page.y - space < self.page.margin {
            self.new_page();
        }
    }

    fn paragraph(&mut self, text: &str, size: f32, bold: bool) {
        let lines = wrap(text, self.page.inner_width(), size, bold).len();
        self.ensure(lines as f32 * size * 1.25);
        self.page.paragraph(text, size, bold);
    }

    /// A table: the first column left, the others right-aligned numbers. The header row is
    /// repeated when the table goes on over a page break.
    fn table(&mut self, title: &str, header: &[&str], rows: &[Vec<String>]) {
        const SIZE: f32 = 9.0;
        const ROW: f32 = 13.0;
        let numbers = header.len().saturating_sub(1);
        let number_width = 62.0;
        let right = self.page.width - self.page.margin;
        self.page.gap(6.0);
        self.ensure(ROW * 3.0 + 14.0);
        self.paragraph(title, 11.0, true);
        let head = |page: &mut Page| {
            page.y -= ROW;
            let y = page.y;
            page.text_at(page.margin, y, SIZE, true, header[0]);
            for (i, h) in header.iter().skip(1).enumerate() {
                let x = right - (numbers - i - 1) as f32 * number_width - text_width(h, SIZE, true);
                page.text_at(x, y, SIZE, true, h);
            }
            let m = page.margin;
            page.line(m, y - 3.0, right, y - 3.0, 0.6);
        };
        head(&mut self.page);
        let label_width = right - self.page.margin - numbers as f32 * number_width - 6.0;
        for row in rows {
            if self.page.y - ROW < self.page.margin {
                self.new_page();
                head(&mut self.page);
            }
            self.page.y -= ROW;
            let y = self.page.y;
            let mut label = row.first().cloned().unwrap_or_default();
            while text_width(&label, SIZE, false) > label_width && label.chars().count() > 1 {
                label.pop();
            }
            let m = self.page.margin;
            self.page.text_at(m, y, SIZE, false, &label);
            for (i, cell) in row.iter().skip(1).enumerate() {
                let x =
                    right - (numbers - i - 1) as f32 * number_width - text_width(cell, SIZE, false);
                self.page.text_at(x, y, SIZE, false, cell);
            }
        }
    }

    fn into_pages(mut self) -> Vec<Page> {
        self.done.push(self.page);
        self.done
    }

    fn finish(self, title: &str) -> Vec<u8> {
        assemble(self.into_pages(), title)
    }
}

/// The check report (*Prüfbericht*): the municipality, the petition, the rule applied, the
/// figures and every breakdown, the moment they refer to, and room for the signature of
/// the official responsible. A4 portrait, as many pages as the breakdowns need.
pub fn check_report(r: &crate::reports::TallyReport) -> Vec<u8> {
    use crate::petitions::rules::{german_datetime_text, thousands};
    let mut flow = Flow::new();
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

/// The published minutes (*Niederschrift*) of a session.
#[derive(Debug, Clone)]
pub struct MinutesPdf {
    pub municipality: String,
    pub board: String,
    pub title: String,
    /// The date line, already worded, e.g. "Donnerstag, 2. Juli 2026, 19:00 Uhr".
    pub when: String,
    pub markdown: String,
}

/// Body text size of the minutes.
const MINUTES_SIZE: f32 = 10.0;
/// Indentation per block quote or list level.
const MINUTES_INDENT: f32 = 20.0;
/// Baseline of the page footer, inside the bottom margin.
const FOOTER_Y: f32 = 20.0;

/// The Markdown of the minutes reduced to what paper needs.
#[derive(Debug, Clone, PartialEq)]
enum MinutesBlock {
    Heading {
        level: u8,
        text: String,
    },
    /// A paragraph, a list item's text or a code block; `marker` is the bullet or number
    /// of the list item it opens.
    Text {
        text: String,
        indent: f32,
        marker: Option<String>,
        size: f32,
    },
    Rule {
        indent: f32,
    },
    Table {
        indent: f32,
        rows: Vec<Vec<String>>,
        header_rows: usize,
    },
}

/// Walks the Markdown events and collects blocks. Inline markup is dropped (the standard
/// fonts have no italics loaded and bold inside a line would need per-word layout), but
/// nothing that carries meaning on paper is: link targets are added in brackets, struck
/// text is marked as such.
#[derive(Default)]
struct MinutesBlocks {
    blocks: Vec<MinutesBlock>,
    text: String,
    quotes: usize,
    /// One entry per open list: the next number of an ordered list.
    lists: Vec<Option<u64>>,
    /// The marker of a list item whose first block is still to come.
    marker: Option<String>,
    heading: Option<u8>,
    code: bool,
    /// Inside an image: its alt text stands in for a picture that is not printed.
    images: usize,
    /// Where in `text` each open link or strikethrough began.
    links: Vec<(usize, String)>,
    struck: Vec<usize>,
    table: Option<(Vec<Vec<String>>, usize)>,
}

impl MinutesBlocks {
    fn parse(markdown: &str) -> Vec<MinutesBlock> {
        use pulldown_cmark::{Options, Parser};
        // The same dialect as the minutes shown on the site (see `markdown.rs`).
        let options = Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES;
        let mut walker = MinutesBlocks::default();
        for event in Parser::new_ext(markdown, options) {
            walker.event(event);
        }
        walker.flush();
        walker.blocks
    }

    fn indent(&self) -> f32 {
        (self.quotes + self.lists.len()) as f32 * MINUTES_INDENT
    }

    /// Ends the text collected so far as a block of its own.
    fn flush(&mut self) {
        let text = std::mem::take(&mut self.text);
        let text = text.trim_end();
        if text.trim().is_empty() {
            return;
        }
        let block = match self.heading {
            Some(level) => MinutesBlock::Heading {
                level,
                text: text.split_whitespace().collect::<Vec<_>>().join(" "),
            },
            None => MinutesBlock::Text {
                text: text.to_owned(),
                indent: self.indent(),
                marker: self.marker.take(),
                size: if self.code { 9.0 } else { MINUTES_SIZE },
            },
        };
        self.blocks.push(block);
    }

    fn event(&mut self, event: pulldown_cmark::Event) {
        use pulldown_cmark::Event;
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) | Event::Code(text) if self.images == 0 => {
                self.text.push_str(&text);
            }
            Event::SoftBreak => self.text.push(' '),
            Event::HardBreak => self.text.push('\n'),
            Event::Rule => {
                self.flush();
                let indent = self.indent();
                self.blocks.push(MinutesBlock::Rule { indent });
            }
            // Raw HTML is not printed; math, footnotes and task lists are not enabled.
            _ => {}
        }
    }

    fn start(&mut self, tag: pulldown_cmark::Tag) {
        use pulldown_cmark::Tag;
        match tag {
            Tag::Paragraph => self.flush(),
            Tag::Heading { level, .. } => {
                self.flush();
                self.heading = Some(level as u8);
            }
            Tag::BlockQuote(_) => {
                self.flush();
                self.quotes += 1;
            }
            Tag::CodeBlock(_) => {
                self.flush();
                self.code = true;
            }
            Tag::List(first) => {
                self.flush();
                self.lists.push(first);
            }
            Tag::Item => {
                self.flush();
                self.marker = Some(match self.lists.last_mut() {
                    Some(Some(n)) => {
                        let marker = format!("{n}.");
                        *n += 1;
                        marker
                    }
                    _ => "•".to_owned(),
                });
            }
            Tag::Table(_) => {
                self.flush();
                self.table = Some((Vec::new(), 0));
            }
            Tag::TableHead | Tag::TableRow => {
                if let Some((rows, _)) = &mut self.table {
                    rows.push(Vec::new());
                }
            }
            Tag::TableCell => self.text.clear(),
            Tag::Link { dest_url, .. } => self.links.push((self.text.len(), dest_url.to_string())),
            Tag::Strikethrough => self.struck.push(self.text.len()),
            Tag::Image { .. } => self.images += 1,
            _ => {}
        }
    }

    fn end(&mut self, tag: pulldown_cmark::TagEnd) {
        use pulldown_cmark::TagEnd;
        match tag {
            TagEnd::Paragraph => self.flush(),
            TagEnd::Heading(_) => {
                self.flush();
                self.heading = None;
            }
            TagEnd::BlockQuote(_) => {
                self.flush();
                self.quotes = self.quotes.saturating_sub(1);
            }
            TagEnd::CodeBlock => {
                self.flush();
                self.code = false;
            }
            TagEnd::List(_) => {
                self.flush();
                self.lists.pop();
            }
            TagEnd::Item => {
                self.flush();
                self.marker = None;
            }
            TagEnd::Table => {
                if let Some((rows, header_rows)) = self.table.take() {
                    let indent = self.indent();
                    self.blocks.push(MinutesBlock::Table {
                        indent,
                        rows,
                        header_rows,
                    });
                }
            }
            TagEnd::TableHead => {
                if let Some((_, header_rows)) = &mut self.table {
                    *header_rows = 1;
                }
            }
            TagEnd::TableCell => {
                let cell = std::mem::take(&mut self.text);
                if let Some(row) = self.table.as_mut().and_then(|(rows, _)| rows.last_mut()) {
                    row.push(cell.trim().to_owned());
                }
            }
            TagEnd::Link => {
                if let Some((start, url)) = self.links.pop() {
                    // On paper a link is only useful with its address; a bare address
                    // (autolink) already shows it.
                    let shown = self.text.get(start..).unwrap_or_default().trim();
                    let address = url.strip_prefix("mailto:").unwrap_or(&url);
                    if !url.starts_with('#') && shown != url && shown != address {
                        self.text.push_str(&format!(" ({address})"));
                    }
                }
            }
            TagEnd::Strikethrough => {
                // Struck text printed plain would read as valid; dropping it would hide
                // what was struck.
                if let Some(start) = self.struck.pop()
                    && self.text.is_char_boundary(start)
                {
                    self.text.insert_str(start, "[gestrichen: ");
                    self.text.push(']');
                }
            }
            TagEnd::Image => self.images = self.images.saturating_sub(1),
            _ => {}
        }
    }
}

impl Flow {
    /// Wrapped lines from `indent` on, breaking across pages between lines. `marker` (a
    /// list bullet) is set right-aligned before the first line.
    fn text_block(&mut self, text: &str, indent: f32, size: f32, bold: bool, marker: Option<&str>) {
        let lead = size * 1.25;
        let width = self.page.inner_width() - indent;
        for (i, line) in wrap(text, width, size, bold).iter().enumerate() {
            self.ensure(lead);
            self.page.y -= lead;
            let (x, y) = (self.page.margin + indent, self.page.y);
            if i == 0
                && let Some(marker) = marker
            {
                let mx = x - 4.0 - text_width(marker, size, bold);
                self.page.text_at(mx, y, size, bold, marker);
            }
            self.page.text_at(x, y, size, bold, line);
        }
    }

    /// A table of equal columns, cells wrapped; header rows are repeated after a page
    /// break. (A row taller than a page would run off it; minutes do not have such.)
    fn wrapped_table(&mut self, indent: f32, rows: &[Vec<String>], header_rows: usize) {
        const SIZE: f32 = 9.0;
        const LEAD: f32 = SIZE * 1.25;
        let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
        if columns == 0 {
            return;
        }
        let left = self.page.margin + indent;
        let right = self.page.width - self.page.margin;
        let column = (right - left) / columns as f32;
        let lay_out = |row: &Vec<String>, bold: bool| -> Vec<Vec<String>> {
            row.iter()
                .map(|cell| wrap(cell, column - 6.0, SIZE, bold))
                .collect()
        };
        let draw = |page: &mut Page, cells: &[Vec<String>], bold: bool| {
            let height = cells.iter().map(Vec::len).max().unwrap_or(1) as f32 * LEAD + 4.0;
            for (i, lines) in cells.iter().enumerate() {
                for (j, line) in lines.iter().enumerate() {
                    let y = page.y - (j + 1) as f32 * LEAD;
                    page.text_at(left + i as f32 * column, y, SIZE, bold, line);
                }
            }
            page.y -= height;
            let y = page.y + 1.0;
            page.line(left, y, right, y, if bold { 0.6 } else { 0.3 });
        };
        let header: Vec<Vec<Vec<String>>> = rows
            .iter()
            .take(header_rows)
            .map(|row| lay_out(row, true))
            .collect();
        let header_height: f32 = header
            .iter()
            .map(|cells| cells.iter().map(Vec::len).max().unwrap_or(1) as f32 * LEAD + 4.0)
            .sum();
        for cells in &header {
            self.ensure(header_height + 2.0 * LEAD);
            draw(&mut self.page, cells, true);
        }
        for row in rows.iter().skip(header_rows) {
            let cells = lay_out(row, false);
            let height = cells.iter().map(Vec::len).max().unwrap_or(1) as f32 * LEAD + 4.0;
            if self.page.y - height < self.page.margin {
                self.new_page();
                for cells in &header {
                    draw(&mut self.page, cells, true);
                }
            }
            draw(&mut self.page, &cells, false);
        }
    }
}

/// The published minutes as A4 portrait pages: a header line (municipality · board), the
/// title, the date line, then the Markdown rendered as text, and "Seite n von m" in the
/// footer of every page.
pub fn minutes(doc: &MinutesPdf) -> Vec<u8> {
    let mut flow = Flow::new();
    flow.paragraph(
        &format!("{} · {}", doc.municipality, doc.board),
        10.0,
        false,
    );
    flow.page.gap(6.0);
    flow.paragraph(&doc.title, 16.0, true);
    flow.paragraph(&doc.when, 10.5, false);
    flow.page.gap(6.0);
    let (m, y, right) = (
        flow.page.margin,
        flow.page.y,
        flow.page.width - flow.page.margin,
    );
    flow.page.line(m, y, right, y, 0.6);
    flow.page.gap(8.0);

    for block in MinutesBlocks::parse(&doc.markdown) {
        match block {
            MinutesBlock::Heading { level, text } => {
                let size = match level {
                    1 => 14.0,
                    2 => 12.5,
                    3 => 11.5,
                    _ => 10.5,
                };
                let lines = wrap(&text, flow.page.inner_width(), size, true).len();
                flow.page.gap(size * 0.6);
                // A heading stays with the first lines of what it heads.
                flow.ensure(lines as f32 * size * 1.25 + 2.0 * MINUTES_SIZE * 1.25);
                flow.text_block(&text, 0.0, size, true, None);
                flow.page.gap(3.0);
            }
            MinutesBlock::Text {
                text,
                indent,
                marker,
                size,
            } => {
                flow.text_block(&text, indent, size, false, marker.as_deref());
                flow.page.gap(size * 0.4);
            }
            MinutesBlock::Rule { indent } => {
                flow.page.gap(4.0);
                flow.ensure(8.0);
                let (x, y, right) = (
                    flow.page.margin + indent,
                    flow.page.y,
                    flow.page.width - flow.page.margin,
                );
                flow.page.line(x, y, right, y, 0.5);
                flow.page.gap(8.0);
            }
            MinutesBlock::Table {
                indent,
                rows,
                header_rows,
            } => {
                flow.page.gap(2.0);
                flow.wrapped_table(indent, &rows, header_rows);
                flow.page.gap(6.0);
            }
        }
    }

    let mut pages = flow.into_pages();
    let count = pages.len();
    let footer = format!("{} – {}", doc.board, doc.title);
    for (i, page) in pages.iter_mut().enumerate() {
        let number = format!("Seite {} von {count}", i + 1);
        let number_x = page.width - page.margin - text_width(&number, 8.0, false);
        // The left part gives way to the page number if the title is long.
        let mut left = footer.clone();
        while text_width(&left, 8.0, false) > number_x - page.margin - 12.0
            && left.chars().count() > 1
        {
            left.pop();
        }
        if left.len() < footer.len() {
            left = format!("{}…", left.trim_end());
        }
        let m = page.margin;
        page.text_at(m, FOOTER_Y, 8.0, false, &left);
        page.text_at(number_x, FOOTER_Y, 8.0, false, &number);
    }
    assemble(pages, &doc.title)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_outside_win_ansi_lose_their_accent_not_their_place() {
        assert_eq!(win_ansi("Yılmaz"), b"Yilmaz");
        assert_eq!(win_ansi("Dvořák, Łódź"), b"Dvor\xe1k, L\xf3dz");
        assert_eq!(win_ansi("Grüße 5 €"), b"Gr\xfc\xdfe 5 \x80");
        assert_eq!(win_ansi("日本"), b"??");
    }

    pub(super) fn doc() -> PetitionText {
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
    fn german_text_is_encoded_for_the_standard_fonts() {
        assert_eq!(
            win_ansi("Straße „Ü“ – 5 €"),
            b"Stra\xdfe \x84\xdc\x93 \x96 5 \x80".to_vec()
        );
        assert_eq!(win_ansi("Łódź"), b"L\xf3dz".to_vec());
    }

    #[test]
    fn wrapped_lines_fit_their_width() {
        let text = "Die Unterzeichnenden beantragen, dass die Bürgerinnen und Bürger entscheiden. "
            .repeat(10);
        let lines = wrap(&text, 300.0, 9.0, false);
        assert!(lines.len() > 5);
        assert!(lines.iter().all(|l| text_width(l, 9.0, false) <= 300.0));
        assert_eq!(
            lines.join(" ").split_whitespace().count(),
            text.split_whitespace().count()
        );
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
        assert!(signature_list_page(&super::tests::doc()).1);
    }

    #[test]
    fn documents_are_pdfs() {
        let list = signature_list(&doc());
        assert!(list.starts_with(b"%PDF-"));
        let sheet = personal_sheet(
            &doc(),
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

    fn minutes_markdown() -> String {
        let mut md = String::from(
            "# Öffentlicher Teil\n\n## TOP 1 Eröffnung und Feststellung der Beschlussfähigkeit\n\n\
             Der Vorsitzende eröffnet die Sitzung um 19:00 Uhr und stellt fest, dass form- und \
             fristgerecht eingeladen wurde. Der Ausschuss ist *beschlussfähig*.\n\n",
        );
        for top in 2..=14 {
            md.push_str(&format!(
                "## TOP {top} Bürgerantrag Nr. {top}/2026\n\n\
                 Frau Schulte trägt den Antrag vor. **Die Verwaltung** erläutert die Kosten; \
                 siehe [Vorlage](https://kalletal.de/vorlagen/{top}). Es folgt eine längere \
                 Aussprache, in der die Mitglieder des Ausschusses die Auswirkungen auf den \
                 Haushalt, die Ortsteile und die Versorgung der älteren Bürgerinnen und Bürger \
                 erörtern.\n\n\
                 > Der Ausschuss nimmt den Antrag zur Kenntnis.\n\n\
                 - Ja-Stimmen: 7\n- Nein-Stimmen: 2\n- Enthaltungen: 1\n\n"
            ));
        }
        md.push_str(
            "### Ergebnis\n\nEmpfehlung: Gemeindeübergreifende Ärzteversorgung\n\n\
             <div>roh</div>\n\n![Lageplan](https://example.org/plan.png)\n",
        );
        md
    }

    #[test]
    fn markdown_becomes_blocks_for_paper() {
        let blocks = MinutesBlocks::parse(
            "# Titel\n\nText mit *Betonung* und [Link](https://kalletal.de).\n\n\
             > Zitat\n\n1. eins\n2. zwei\n   - innen\n\n~~alt~~ neu\n\n\
             <script>x</script>\n\nBild: ![Plan](p.png)\n\n\
             | Name | Stimme |\n|---|---|\n| Anna | Ja |\n",
        );
        let text = |text: &str, indent: f32, marker: Option<&str>| MinutesBlock::Text {
            text: text.into(),
            indent,
            marker: marker.map(str::to_owned),
            size: MINUTES_SIZE,
        };
        assert_eq!(
            blocks,
            vec![
                MinutesBlock::Heading {
                    level: 1,
                    text: "Titel".into()
                },
                text(
                    "Text mit Betonung und Link (https://kalletal.de).",
                    0.0,
                    None
                ),
                text("Zitat", MINUTES_INDENT, None),
                text("eins", MINUTES_INDENT, Some("1.")),
                text("zwei", MINUTES_INDENT, Some("2.")),
                text("innen", 2.0 * MINUTES_INDENT, Some("•")),
                text("[gestrichen: alt] neu", 0.0, None),
                text("Bild:", 0.0, None),
                MinutesBlock::Table {
                    indent: 0.0,
                    rows: vec![
                        vec!["Name".into(), "Stimme".into()],
                        vec!["Anna".into(), "Ja".into()]
                    ],
                    header_rows: 1,
                },
            ]
        );
    }

    #[test]
    fn minutes_are_a_paged_pdf_with_the_text() {
        let bytes = minutes(&MinutesPdf {
            municipality: "Kalletal".into(),
            board: "Ausschuss für Soziales".into(),
            title: "Niederschrift der 12. Sitzung".into(),
            when: "Donnerstag, 2. Juli 2026, 19:00 Uhr".into(),
            markdown: minutes_markdown(),
        });
        assert!(bytes.starts_with(b"%PDF-"));

        let mut file = tempfile::NamedTempFile::new().unwrap();
        std::io::Write::write_all(&mut file, &bytes).unwrap();
        let output = match std::process::Command::new("pdftotext")
            .arg("-layout")
            .arg(file.path())
            .arg("-")
            .output()
        {
            Ok(output) => output,
            Err(e) => panic!(
                "this test needs `pdftotext` (Debian/Ubuntu package poppler-utils) to read \
                 the PDF back: {e}"
            ),
        };
        assert!(
            output.status.success(),
            "pdftotext failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let text = String::from_utf8(output.stdout).unwrap();
        for expected in [
            "Kalletal · Ausschuss für Soziales",
            "Niederschrift der 12. Sitzung",
            "Donnerstag, 2. Juli 2026, 19:00 Uhr",
            "TOP 1 Eröffnung und Feststellung der Beschlussfähigkeit",
            "• Ja-Stimmen: 7",
            "Empfehlung: Gemeindeübergreifende Ärzteversorgung",
            "Seite 1 von",
            "Seite 2 von",
        ] {
            assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
        }
        assert!(!text.contains("roh"), "raw HTML is not printed");
        assert!(!text.contains("Lageplan"), "images are not printed");
        // Every page says how many there are.
        let pages = text.matches('\u{c}').count().max(1);
        assert!(
            text.contains(&format!("Seite {pages} von {pages}")),
            "{text}"
        );
    }
}
