//! The published minutes (*Niederschrift*) of a meeting as a PDF: the Markdown of the
//! minutes reduced to what paper needs and laid out over as many pages as it takes.

use crate::infra::pdf::{Flow, assemble, text_width, wrap};

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

/// The published minutes as A4 portrait pages: a header line (municipality · board), the
/// title, the date line, then the Markdown rendered as text, and "Seite n von m" in the
/// footer of every page.
pub fn minutes(doc: &MinutesPdf) -> Vec<u8> {
    let mut flow = Flow::a4_portrait();
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
