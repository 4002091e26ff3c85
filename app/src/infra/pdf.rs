//! PDF primitives every printed document of Dorfplatz shares: WinAnsi text, Helvetica
//! widths and line breaking, a page laid out from the top down, pages that flow into the
//! next, tables, and the assembly of a file. The documents themselves live with their
//! features: petition sheets in `petitions::server::documents`, the check report in
//! `reports::server::check_report`, the minutes in `boards::server::meetings::minutes_pdf`.
//!
//! Written with `pdf-writer` and the standard Helvetica fonts every PDF reader has, so no
//! font file is shipped; text is encoded as Windows-1252 (WinAnsiEncoding), which covers
//! German. Line breaking uses approximate Helvetica widths that err on the wide side.

use pdf_writer::{Content, Name, Pdf, Rect, Ref, Str, TextStr};

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

pub fn text_width(text: &str, size: f32, bold: bool) -> f32 {
    text.chars().map(|c| char_width(c, bold)).sum::<f32>() * size / 1000.0
}

/// Breaks a text into lines of at most `width` points; paragraphs stay paragraphs.
pub fn wrap(text: &str, width: f32, size: f32, bold: bool) -> Vec<String> {
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
pub struct Page {
    pub content: Content,
    pub width: f32,
    pub height: f32,
    pub margin: f32,
    pub y: f32,
}

impl Page {
    pub fn new(width: f32, height: f32) -> Self {
        let margin = 36.0;
        Page {
            content: Content::new(),
            width,
            height,
            margin,
            y: height - margin,
        }
    }

    pub fn inner_width(&self) -> f32 {
        self.width - 2.0 * self.margin
    }

    pub fn text_at(&mut self, x: f32, y: f32, size: f32, bold: bool, text: &str) {
        self.content
            .begin_text()
            .set_font(if bold { BOLD } else { REGULAR }, size)
            .next_line(x, y)
            .show(Str(&win_ansi(text)))
            .end_text();
    }

    /// A wrapped paragraph at the current position; moves down.
    pub fn paragraph(&mut self, text: &str, size: f32, bold: bool) {
        let width = self.inner_width();
        for line in wrap(text, width, size, bold) {
            self.y -= size * 1.25;
            let (x, y) = (self.margin, self.y);
            self.text_at(x, y, size, bold, &line);
        }
    }

    pub fn gap(&mut self, points: f32) {
        self.y -= points;
    }

    /// A Code 39 barcode of `text` (upper-case letters, digits, '-') with its lower left
    /// corner at (x, y): what a hand scanner at the town hall reads into the code field.
    pub fn barcode(&mut self, x: f32, y: f32, height: f32, text: &str) {
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

    pub fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, width: f32) {
        self.content
            .set_line_width(width)
            .move_to(x1, y1)
            .line_to(x2, y2)
            .stroke();
    }
}

/// Pages laid out one after another: a new page starts when the next block does not fit.
pub struct Flow {
    done: Vec<Page>,
    pub page: Page,
}

impl Flow {
    /// A4 portrait pages.
    pub fn a4_portrait() -> Self {
        Flow {
            done: Vec::new(),
            page: Page::new(595.0, 842.0),
        }
    }

    pub fn new_page(&mut self) {
        let full = std::mem::replace(&mut self.page, Page::new(595.0, 842.0));
        self.done.push(full);
    }

    /// Makes sure `space` points are left on the page, else starts a new one.
    pub fn ensure(&mut self, space: f32) {
        if self.page.y - space < self.page.margin {
            self.new_page();
        }
    }

    pub fn paragraph(&mut self, text: &str, size: f32, bold: bool) {
        let lines = wrap(text, self.page.inner_width(), size, bold).len();
        self.ensure(lines as f32 * size * 1.25);
        self.page.paragraph(text, size, bold);
    }

    /// A table: the first column left, the others right-aligned numbers. The header row is
    /// repeated when the table goes on over a page break.
    pub fn table(&mut self, title: &str, header: &[&str], rows: &[Vec<String>]) {
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

    pub fn into_pages(mut self) -> Vec<Page> {
        self.done.push(self.page);
        self.done
    }

    pub fn finish(self, title: &str) -> Vec<u8> {
        assemble(self.into_pages(), title)
    }
}

impl Flow {
    /// Wrapped lines from `indent` on, breaking across pages between lines. `marker` (a
    /// list bullet) is set right-aligned before the first line.
    pub fn text_block(
        &mut self,
        text: &str,
        indent: f32,
        size: f32,
        bold: bool,
        marker: Option<&str>,
    ) {
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
    pub fn wrapped_table(&mut self, indent: f32, rows: &[Vec<String>], header_rows: usize) {
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

pub fn assemble(pages: Vec<Page>, title: &str) -> Vec<u8> {
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
}
