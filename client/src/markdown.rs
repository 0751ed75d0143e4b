//! Markdown to HTML for previews, always through the ammonia sanitizer.

use pulldown_cmark::{Event, Options, Parser, html};

/// The Markdown the concept and comments use: CommonMark with tables and strikethrough.
pub fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// Renders Markdown and removes anything unsafe (scripts, event handlers, `javascript:` links).
pub fn render(markdown: &str) -> String {
    sanitize(&to_html(Parser::new_ext(markdown, options())))
}

/// HTML of parsed Markdown, not yet sanitized.
pub fn to_html<'a>(events: impl Iterator<Item = Event<'a>>) -> String {
    let mut unsafe_html = String::new();
    html::push_html(&mut unsafe_html, events);
    unsafe_html
}

/// Keeps only safe HTML; comment highlights (`<mark class data-threads>`) stay.
pub fn sanitize(unsafe_html: &str) -> String {
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer nofollow"))
        .add_tags(["mark"])
        .add_tag_attributes("mark", ["class", "data-threads"])
        .clean(unsafe_html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn markdown_renders_and_scripts_do_not() {
        let html = render(
            "# Ziele\n\n**fett** <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>",
        );
        assert!(html.contains("<h1>Ziele</h1>"));
        assert!(html.contains("<strong>fett</strong>"));
        assert!(!html.contains("<script"));
        assert!(!html.contains("javascript:"));
        assert!(!html.contains("onerror"));
    }
}
