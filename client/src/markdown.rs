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

/// Most bytes (source and HTML) the rendered-comment cache holds.
const CACHE_BYTES: usize = 16 * 1024 * 1024;
/// Longest text the cache takes (longer ones are rendered each time).
const CACHE_MAX_TEXT: usize = 20_000;

/// Rendered comments by their exact source text, oldest first out when full: a page with
/// thousands of comments is rendered for every reader, and a comment's words rarely change.
struct Cache {
    html: std::collections::HashMap<String, std::sync::Arc<str>>,
    order: std::collections::VecDeque<String>,
    bytes: usize,
}

static CACHE: std::sync::Mutex<Option<Cache>> = std::sync::Mutex::new(None);

/// [`render`] through a bounded cache (for comments: short texts shown again and again).
pub fn render_cached(markdown: &str) -> std::sync::Arc<str> {
    if markdown.len() > CACHE_MAX_TEXT {
        return render(markdown).into();
    }
    if let Ok(guard) = CACHE.lock()
        && let Some(hit) = guard.as_ref().and_then(|c| c.html.get(markdown))
    {
        return hit.clone();
    }
    let html: std::sync::Arc<str> = render(markdown).into();
    if let Ok(mut guard) = CACHE.lock() {
        let cache = guard.get_or_insert_with(|| Cache {
            html: std::collections::HashMap::new(),
            order: std::collections::VecDeque::new(),
            bytes: 0,
        });
        if !cache.html.contains_key(markdown) {
            cache.bytes += markdown.len() + html.len();
            cache.html.insert(markdown.to_owned(), html.clone());
            cache.order.push_back(markdown.to_owned());
            while cache.bytes > CACHE_BYTES {
                let Some(old) = cache.order.pop_front() else { break };
                if let Some(h) = cache.html.remove(&old) {
                    cache.bytes -= old.len() + h.len();
                }
            }
        }
    }
    html
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
    fn the_cache_answers_what_rendering_answers_and_stays_within_its_bound() {
        for text in ["**fett** <script>x</script>", "Nur Text", "**fett** <script>x</script>"] {
            assert_eq!(&*super::render_cached(text), render(text));
        }
        for i in 0..3_000 {
            super::render_cached(&format!("{i} {}", "x".repeat(10_000)));
        }
        let guard = super::CACHE.lock().expect("lock");
        let cache = guard.as_ref().expect("cache");
        assert!(cache.bytes <= super::CACHE_BYTES, "{}", cache.bytes);
        assert_eq!(cache.html.len(), cache.order.len());
    }

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
