//! The standalone HTML export: the Markdown export through the sanitizer, with print CSS (A4).

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The style of the HTML export: readable on screen, A4 with the title and page numbers in print.
const STYLE: &str = "body{font:11pt/1.5 \"DejaVu Sans\",system-ui,sans-serif;color:#1d1d1b;max-width:42rem;margin:2rem auto;padding:0 1rem}\
h1{font-size:1.8rem}table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:.2rem .5rem}figure.chart svg{max-width:100%;height:auto}h2{margin-top:2rem;border-bottom:1px solid #ccc}h3{margin-top:1.5rem}\
header.export{color:#5f6368;font-size:.9rem;border-bottom:2px solid #1b5e20;margin-bottom:1rem}\
@page{size:A4;margin:2cm 2cm 2.5cm;@bottom-right{content:\"Seite \" counter(page) \" von \" counter(pages)}}\
@media print{body{margin:0;max-width:none}header.export{position:running(header)}h2,h3{break-after:avoid}li{break-inside:avoid}}";

/// A standalone HTML file from the Markdown export (rendered through the sanitizer).
pub fn html(title: &str, markdown: &str, stand: &str) -> String {
    html_with(title, markdown, stand, "")
}

/// As [`html`], with `trusted` HTML of our own (charts) after the text.
pub(super) fn html_with(title: &str, markdown: &str, stand: &str, trusted: &str) -> String {
    let body = kompromiss_client::markdown::render(markdown);
    format!(
        "<!DOCTYPE html>\n<html lang=\"de\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{t}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<header class=\"export\">{t} · {s}</header>\n<main>\n{body}{trusted}</main>\n</body>\n</html>\n",
        t = escape(title),
        s = escape(stand),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_concept_exports_to_the_golden_html() {
        let md = include_str!("../../../tests/golden/konzept.md");
        let out = html("Social-Media-Konzept des Landesverbandes", md, "Stand 12/2026");
        let golden_path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/golden/konzept.html");
        if std::env::var("KOMPROMISS_BLESS").is_ok() {
            std::fs::write(golden_path, &out).expect("bless");
        }
        let golden = std::fs::read_to_string(golden_path).expect("golden file");
        assert_eq!(out, golden, "set KOMPROMISS_BLESS=1 to accept a deliberate change");
        assert!(out.contains("<h3>Mastodon – nutzen</h3>"), "platforms as headings");
        assert!(out.contains("<strong>Zielgruppen:</strong>"));
    }

    #[test]
    fn unsafe_markdown_does_not_reach_the_file() {
        let out = html(
            "<Titel>",
            "# A\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror=alert(1)>",
            "Stand 01/2027",
        );
        assert!(
            !out.contains("<script>alert") && !out.contains("href=\"javascript") && !out.contains("onerror"),
            "{out}"
        );
        assert!(out.contains("&lt;Titel&gt;"));
    }
}
