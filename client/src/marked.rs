//! Texts of the reading view with their comment highlights: plain fields and Markdown bodies
//! rendered with one `<mark>` per highlighted run, and a selection in the rendered text mapped
//! back to the characters of the source (where a comment's anchor is made).

use kompromiss_shared::highlights::{Run, byte_spans, pieces};
use pulldown_cmark::{CowStr, Event, Parser, Tag, TagEnd};

use crate::markdown;

/// The opening tag of a highlight covering `threads`.
fn open_mark(threads: &[String]) -> String {
    format!("<mark class=\"hl\" data-threads=\"{}\">", escape(&threads.join(" ")))
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A plain text field as HTML: its text escaped, highlighted runs in `<mark>`.
pub fn plain(text: &str, runs: &[Run]) -> String {
    pieces(text, runs)
        .into_iter()
        .map(
            |(piece, threads)| {
                if threads.is_empty() {
                    escape(piece)
                } else {
                    format!("{}{}</mark>", open_mark(threads), escape(piece))
                }
            },
        )
        .collect()
}

/// Markdown rendered and sanitized, highlighted runs in `<mark>`: each piece of text inside its
/// own element, so that the marks never cross a tag.
pub fn markdown(source: &str, runs: &[Run]) -> String {
    if runs.is_empty() {
        return markdown::render(source);
    }
    let spans = byte_spans(source, runs);
    let mut events: Vec<Event> = Vec::new();
    let mut in_image = 0usize;
    for (event, range) in Parser::new_ext(source, markdown::options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Image { .. }) => {
                in_image += 1;
                events.push(event);
            }
            Event::End(TagEnd::Image) => {
                in_image = in_image.saturating_sub(1);
                events.push(event);
            }
            Event::Text(text) if in_image == 0 => {
                let literal = source.get(range.clone()) == Some(&*text);
                if literal {
                    let mut at = range.start;
                    for &(s, e, threads) in spans.iter().filter(|(s, e, _)| *s < range.end && *e > range.start) {
                        let (s, e) = (s.max(range.start), e.min(range.end));
                        if s > at {
                            events.push(Event::Text(CowStr::from(source[at..s].to_owned())));
                        }
                        events.push(Event::InlineHtml(CowStr::from(open_mark(threads))));
                        events.push(Event::Text(CowStr::from(source[s..e].to_owned())));
                        events.push(Event::InlineHtml(CowStr::from("</mark>")));
                        at = e;
                    }
                    if at < range.end {
                        events.push(Event::Text(CowStr::from(source[at..range.end].to_owned())));
                    }
                } else {
                    wrap_whole(&mut events, Event::Text(text), &spans, &range);
                }
            }
            Event::Code(code) if in_image == 0 => wrap_whole(&mut events, Event::Code(code), &spans, &range),
            other => events.push(other),
        }
    }
    markdown::sanitize(&markdown::to_html(events.into_iter()))
}

/// Pushes `event`, inside a mark when a run overlaps its source range.
fn wrap_whole<'a>(
    events: &mut Vec<Event<'a>>,
    event: Event<'a>,
    spans: &[(usize, usize, &[String])],
    range: &std::ops::Range<usize>,
) {
    match spans.iter().find(|(s, e, _)| *s < range.end && *e > range.start) {
        Some((_, _, threads)) => {
            events.push(Event::InlineHtml(CowStr::from(open_mark(threads))));
            events.push(event);
            events.push(Event::InlineHtml(CowStr::from("</mark>")));
        }
        None => events.push(event),
    }
}

/// Each character a reader sees of rendered Markdown, with the index (in characters) of the
/// source character it came from, in reading order.
pub fn visible(source: &str) -> Vec<(char, usize)> {
    let char_at: Vec<usize> = {
        let mut v = vec![0; source.len() + 1];
        let mut n = 0;
        for (b, _) in source.char_indices() {
            v[b] = n;
            n += 1;
        }
        v[source.len()] = n;
        v
    };
    let mut out = Vec::new();
    let mut in_image = 0usize;
    for (event, range) in Parser::new_ext(source, markdown::options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Image { .. }) => in_image += 1,
            Event::End(TagEnd::Image) => in_image = in_image.saturating_sub(1),
            Event::Text(text) | Event::Code(text) if in_image == 0 => {
                let raw = &source[range.clone()];
                match raw.find(&*text) {
                    // The characters are in the source as they are shown: one to one.
                    Some(offset) => {
                        let from = range.start + offset;
                        out.extend(text.char_indices().map(|(b, c)| (c, char_at[from + b])));
                    }
                    // Escapes and entities: every shown character points at the construct.
                    None => out.extend(text.chars().map(|c| (c, char_at[range.start]))),
                }
            }
            Event::SoftBreak | Event::HardBreak if in_image == 0 => out.push(('\n', char_at[range.start])),
            _ => {}
        }
    }
    out
}

/// The source characters `start..end` behind a selection of characters `from..to` of the
/// rendered text (`shown`: the text as the page shows it, which has the same characters as
/// [`visible`] plus line breaks between blocks). `None` when the selection covers nothing the
/// source has.
pub fn source_range(source: &str, shown: &str, from: usize, to: usize) -> Option<(usize, usize)> {
    let seen = visible(source);
    let mut mapped: Vec<usize> = Vec::new();
    let mut j = 0;
    for (i, c) in shown.chars().enumerate() {
        if i >= to {
            break;
        }
        // Characters the page adds between blocks are skipped; the others follow the source.
        if j < seen.len() && seen[j].0 == c {
            if i >= from {
                mapped.push(seen[j].1);
            }
            j += 1;
        }
    }
    let (first, last) = (*mapped.iter().min()?, *mapped.iter().max()?);
    Some((first, last + 1))
}

#[cfg(test)]
mod tests;
