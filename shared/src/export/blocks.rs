//! Markdown as a few plain blocks (headings, paragraphs, list items, tables) of styled text runs:
//! what the PDF, ODT and DOCX writers print. Links print their text, images their description,
//! raw HTML its characters (never markup), so every writer escapes only text.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// A run of text with one style.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Span {
    pub text: String,
    pub strong: bool,
    pub emph: bool,
    /// Struck through (`~~…~~`): text a motion or an evaluation shows as removed.
    pub strike: bool,
}

/// One block of a printed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A heading, `level` 1 to 6 as in the Markdown.
    Heading {
        level: u8,
        spans: Vec<Span>,
    },
    Para(Vec<Span>),
    /// A list item at `depth` (0 for a top-level list), its marker ("•" or "3.") apart.
    Item {
        depth: u8,
        marker: String,
        spans: Vec<Span>,
    },
    /// A table's rows of cells; the first row is the header.
    Table(Vec<Vec<Vec<Span>>>),
    Rule,
}

/// What the parser is filling.
#[derive(Default)]
struct State {
    out: Vec<Block>,
    /// The spans of the block being read.
    spans: Vec<Span>,
    strong: u32,
    emph: u32,
    strike: u32,
    /// Per open list: the next number, `None` for bullets.
    lists: Vec<Option<u64>>,
    /// The open item's depth and marker, until its first block is flushed.
    item: Option<(u8, String)>,
    heading: Option<u8>,
    table: Option<Vec<Vec<Vec<Span>>>>,
}

impl State {
    fn text(&mut self, text: &str) {
        let (strong, emph, strike) = (self.strong > 0, self.emph > 0, self.strike > 0);
        match self.spans.last_mut() {
            Some(last) if (last.strong, last.emph, last.strike) == (strong, emph, strike) => last.text.push_str(text),
            _ => self.spans.push(Span { text: text.to_owned(), strong, emph, strike }),
        }
    }

    /// Ends the block being read (nothing if it is empty).
    fn flush(&mut self) {
        let spans = std::mem::take(&mut self.spans);
        if let Some(level) = self.heading.take() {
            self.out.push(Block::Heading { level, spans });
        } else if let Some((depth, marker)) = self.item.take() {
            self.out.push(Block::Item { depth, marker, spans });
        } else if spans.iter().any(|s| !s.text.trim().is_empty()) {
            self.out.push(Block::Para(spans));
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Heading { level, .. } => {
                self.flush();
                self.heading = Some(level_number(level));
            }
            Tag::Paragraph | Tag::CodeBlock(_) | Tag::BlockQuote(_) if self.item.is_none() => self.flush(),
            Tag::List(start) => {
                self.flush();
                self.lists.push(start);
            }
            Tag::Item => {
                self.flush();
                let depth = u8::try_from(self.lists.len().saturating_sub(1)).unwrap_or(u8::MAX);
                let marker = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        *n += 1;
                        format!("{}.", *n - 1)
                    }
                    _ => "•".to_owned(),
                };
                self.item = Some((depth, marker));
            }
            Tag::Table(_) => {
                self.flush();
                self.table = Some(Vec::new());
            }
            Tag::TableHead | Tag::TableRow => {
                if let Some(t) = &mut self.table {
                    t.push(Vec::new());
                }
            }
            Tag::TableCell => self.spans.clear(),
            Tag::Strong => self.strong += 1,
            Tag::Emphasis => self.emph += 1,
            Tag::Strikethrough => self.strike += 1,
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Heading(_) | TagEnd::Item | TagEnd::CodeBlock => self.flush(),
            TagEnd::Paragraph => {
                if self.item.is_none() {
                    self.flush();
                } else {
                    self.text(" ");
                }
            }
            TagEnd::List(_) => {
                self.flush();
                self.lists.pop();
            }
            TagEnd::TableCell => {
                let cell = std::mem::take(&mut self.spans);
                if let Some(row) = self.table.as_mut().and_then(|t| t.last_mut()) {
                    row.push(cell);
                }
            }
            TagEnd::Table => {
                if let Some(t) = self.table.take() {
                    self.out.push(Block::Table(t));
                }
            }
            TagEnd::Strong => self.strong = self.strong.saturating_sub(1),
            TagEnd::Emphasis => self.emph = self.emph.saturating_sub(1),
            TagEnd::Strikethrough => self.strike = self.strike.saturating_sub(1),
            _ => {}
        }
    }
}

fn level_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// The blocks of a Markdown text (CommonMark with tables and strikethrough).
pub fn parse(markdown: &str) -> Vec<Block> {
    let mut state = State::default();
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH) {
        match event {
            Event::Start(tag) => state.start(tag),
            Event::End(tag) => state.end(tag),
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => state.text(&t),
            Event::SoftBreak | Event::HardBreak => state.text(" "),
            Event::Rule => {
                state.flush();
                state.out.push(Block::Rule);
            }
            _ => {}
        }
    }
    state.flush();
    state.out
}

/// One numbered line of a Markdown body as runs of text: its list marker or heading marks
/// become plain text ("• ", bold), inline Markdown its styles. Markup that spans lines (a bold
/// run over a line break) shows its marks on each line, as the web page's source does.
pub fn line(markdown_line: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    for block in parse(markdown_line) {
        match block {
            Block::Heading { spans: s, .. } => spans.extend(s.into_iter().map(|x| Span { strong: true, ..x })),
            Block::Para(s) => spans.extend(s),
            Block::Item { marker, spans: s, depth } => {
                let indent = "  ".repeat(usize::from(depth));
                spans.push(Span { text: format!("{indent}{marker} "), ..Span::default() });
                spans.extend(s);
            }
            Block::Table(rows) => {
                for cell in rows.into_iter().flatten() {
                    spans.extend(cell);
                    spans.push(Span { text: " | ".to_owned(), ..Span::default() });
                }
            }
            Block::Rule => spans.push(Span { text: "—".to_owned(), ..Span::default() }),
        }
    }
    if spans.is_empty() {
        // A line Markdown reads as nothing of its own (a table's rule row, say) keeps its text.
        spans.push(Span { text: markdown_line.trim().to_owned(), ..Span::default() });
    }
    spans
}

/// A numbered line that continues a wrapped source line: inline Markdown only, so that words
/// which happen to start it ("- 10 Euro", "007.", "# 3") are not read as a list or heading.
pub fn continuation(markdown_line: &str) -> Vec<Span> {
    const MARK: char = '\u{200B}';
    let mut spans = line(&format!("{MARK}{markdown_line}"));
    if let Some(first) = spans.first_mut() {
        first.text = first.text.trim_start_matches(MARK).to_owned();
    }
    spans.retain(|s| !s.text.is_empty());
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(text: &str) -> Span {
        Span { text: text.to_owned(), ..Span::default() }
    }

    #[test]
    fn markdown_becomes_headings_paragraphs_items_and_tables() {
        let md = "## Ziele\n\nWir **erreichen** *junge* ~~alle~~ Menschen.\n\n- Mastodon\n- Instagram\n  1. Reels\n\n| A | B |\n|---|---|\n| 1 | 2 |\n";
        let blocks = parse(md);
        assert_eq!(blocks[0], Block::Heading { level: 2, spans: vec![plain("Ziele")] });
        assert_eq!(
            blocks[1],
            Block::Para(vec![
                plain("Wir "),
                Span { text: "erreichen".into(), strong: true, ..Span::default() },
                plain(" "),
                Span { text: "junge".into(), emph: true, ..Span::default() },
                plain(" "),
                Span { text: "alle".into(), strike: true, ..Span::default() },
                plain(" Menschen."),
            ])
        );
        assert_eq!(blocks[2], Block::Item { depth: 0, marker: "•".into(), spans: vec![plain("Mastodon")] });
        assert_eq!(blocks[3], Block::Item { depth: 0, marker: "•".into(), spans: vec![plain("Instagram")] });
        assert_eq!(blocks[4], Block::Item { depth: 1, marker: "1.".into(), spans: vec![plain("Reels")] });
        assert_eq!(
            blocks[5],
            Block::Table(vec![vec![vec![plain("A")], vec![plain("B")]], vec![vec![plain("1")], vec![plain("2")]]])
        );
    }

    #[test]
    fn html_and_links_print_as_text() {
        let blocks = parse("Siehe <script>x</script> [Beschluss](https://example.org)");
        let text: String = blocks
            .iter()
            .flat_map(|b| match b {
                Block::Para(s) => s.clone(),
                _ => Vec::new(),
            })
            .map(|s| s.text)
            .collect();
        assert_eq!(text, "Siehe <script>x</script> Beschluss");
    }

    #[test]
    fn a_numbered_line_keeps_its_list_marker_and_styles() {
        assert_eq!(line("- **Mastodon**: dezentral")[0], plain("• "));
        assert!(line("- **Mastodon**: dezentral")[1].strong);
        assert_eq!(line("|---|---|"), vec![plain("|---|---|")]);
    }

    #[test]
    fn a_continued_line_is_never_a_list_or_heading() {
        assert_eq!(continuation("- 10 Euro im Monat"), vec![plain("- 10 Euro im Monat")]);
        assert_eq!(continuation("007. Punkt"), vec![plain("007. Punkt")]);
        assert_eq!(continuation("# 3 und **fett**")[0], plain("# 3 und "));
        assert!(continuation("# 3 und **fett**")[1].strong);
    }
}
