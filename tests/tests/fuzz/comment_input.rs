//! What a comment request carries (JSON → `NewThread`/`NewReply`: body, stance, cursors, field
//! paths), the mention finder and the Markdown renderer with its sanitizer: never a panic; an
//! accepted cursor is one Automerge reads; rendered HTML carries no script.

use kompromiss_shared::dto::comments::{NewReply, NewThread, ThreadTarget};
use kompromiss_shared::mentions;
use proptest::prelude::*;

use super::mutate;

fn seeds() -> Vec<Vec<u8>> {
    [
        r#"{"target":{"kind":"passage","anchor":{"field":{"kind":"section","id":"ziele","field":"body"},"start":"12@a1b2c3d4","end":"19@a1b2c3d4","quote":"Reichweite","heads":["0f0e"]}},"body":"Warum **zuerst**? @Anna Beispiel <script>alert(1)</script>"}"#,
        r#"{"target":{"kind":"platform","platform_id":"p1"},"body":"Mastodon: [ja](javascript:alert(1)) <img src=x onerror=alert(1)>","stance":"for"}"#,
        r#"{"body":"Einverstanden, @Ben Beispiel. <a href=\"javascript:x\">x</a>","stance":"against"}"#,
        r##"{"body":"# Überschrift\n\n- a\n- b\n\n```\ncode\n```\n<iframe src=//x></iframe>"}"##,
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect()
}

/// Elements that must never come out of a comment.
const DENIED: &[&str] = &[
    "script", "style", "iframe", "object", "embed", "form", "frame", "frameset", "link", "meta", "base", "svg", "math",
    "textarea", "button", "select", "template", "noscript",
];

/// The attributes of a tag's inside (after its name): (name, value) pairs, quoted values read
/// whole, as a browser reads them.
fn attributes(mut rest: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if rest.is_empty() {
            return found;
        }
        let end = rest.find(|c: char| c.is_whitespace() || c == '=' || c == '/').unwrap_or(rest.len());
        let name = rest[..end].to_lowercase();
        rest = rest[end..].trim_start();
        let value = if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            let (value, next) = match after.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let inner = &after[1..];
                    let stop = inner.find(q).unwrap_or(inner.len());
                    (&inner[..stop], inner.get(stop + 1..).unwrap_or(""))
                }
                _ => {
                    let stop = after.find(char::is_whitespace).unwrap_or(after.len());
                    (&after[..stop], &after[stop..])
                }
            };
            rest = next;
            value.to_owned()
        } else {
            String::new()
        };
        found.push((name, value));
    }
}

/// Every real tag in the output (text is escaped, so a literal `<` starts a tag) is no script,
/// frame or form element, has no event handler, and no link or source leads to a script.
fn check_html(body: &str) -> Result<(), TestCaseError> {
    let html = kompromiss_client::markdown::render(body);
    let mut rest = html.as_str();
    while let Some(open) = rest.find('<') {
        let after = &rest[open + 1..];
        let close = after.find('>').ok_or_else(|| TestCaseError::fail(format!("unclosed tag in {html}")))?;
        let tag = &after[..close];
        rest = &after[close + 1..];
        let tag = tag.strip_prefix('/').unwrap_or(tag);
        let name: String = tag.chars().take_while(|c| c.is_ascii_alphanumeric()).collect::<String>().to_lowercase();
        prop_assert!(!DENIED.contains(&name.as_str()), "element <{}> in {}", name, html);
        for (attribute, value) in attributes(&tag[name.len()..]) {
            prop_assert!(!attribute.starts_with("on"), "event handler {} in {}", attribute, html);
            // As a browser's URL parser reads it: C0 controls and spaces trimmed at both ends, tabs
            // and line breaks dropped anywhere (other controls stay and end the scheme).
            let value: String = value
                .trim_matches(|c: char| c <= ' ')
                .chars()
                .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
                .collect::<String>()
                .to_lowercase();
            let scripted = ["javascript:", "vbscript:", "data:text/html"].iter().any(|s| value.starts_with(s));
            prop_assert!(!scripted, "{}={} in {}", attribute, value, html);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(super::config())]

    #[test]
    fn comment_input(bytes in mutate::input(seeds(), 600)) {
        let text = String::from_utf8_lossy(&bytes);
        let people = vec![("u1".to_owned(), "Anna Beispiel".to_owned()), ("u2".to_owned(), "Ben Beispiel".to_owned())];
        if let Ok(thread) = serde_json::from_str::<NewThread>(&text) {
            if let ThreadTarget::Passage { anchor } = &thread.target {
                prop_assert!(anchor.start.cursor().is_some() && anchor.end.cursor().is_some());
            }
            prop_assert!(thread.body.as_str().chars().count() <= 10_000);
            let _ = mentions::mentioned(thread.body.as_str(), &people);
            check_html(thread.body.as_str())?;
        }
        if let Ok(reply) = serde_json::from_str::<NewReply>(&text) {
            let _ = mentions::mentioned(reply.body.as_str(), &people);
            check_html(reply.body.as_str())?;
        }
        // Whatever the body, rendered on its own.
        let _ = mentions::mentioned(&text, &people);
        check_html(&text)?;
    }
}
