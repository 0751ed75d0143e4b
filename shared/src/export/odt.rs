//! The XML parts of an OpenDocument text (ODT): content from [`Block`]s, styles with A4 pages,
//! German hyphenation, a header with organisation and title, page numbers, and LibreOffice's own
//! line numbering switched on. The server zips them (mimetype first, stored).
//!
//! No crate writes ODT well, so the XML is written here, from fixed templates; every text goes
//! through [`xml_text`], which escapes markup and drops what XML 1.0 cannot carry.

use super::blocks::{Block, Span};
use super::typst::Page;

const NS: &str = r#"xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.3""#;

/// The media type, the archive's first entry.
pub const MIMETYPE: &str = "application/vnd.oasis.opendocument.text";

/// Text as XML character data: `& < > " '` escaped, characters XML 1.0 forbids dropped.
pub fn xml_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if c.is_control() || matches!(c, '\u{FFFE}' | '\u{FFFF}') => {}
            c => out.push(c),
        }
    }
    out
}

/// Runs as paragraph content, bold, italic and struck through by the automatic text styles (a
/// struck run is a span inside the bold or italic one).
fn spans(runs: &[Span]) -> String {
    runs.iter()
        .map(|s| {
            let text = xml_text(&s.text);
            let text = if s.strike {
                format!("<text:span text:style-name=\"Durchgestrichen\">{text}</text:span>")
            } else {
                text
            };
            match (s.strong, s.emph) {
                (false, false) => text,
                (true, false) => format!("<text:span text:style-name=\"Fett\">{text}</text:span>"),
                (false, true) => format!("<text:span text:style-name=\"Kursiv\">{text}</text:span>"),
                (true, true) => format!("<text:span text:style-name=\"FettKursiv\">{text}</text:span>"),
            }
        })
        .collect()
}

/// An embedded picture: its path in the archive and its size in centimetres.
#[derive(Debug, Clone)]
pub struct Picture {
    pub path: String,
    pub caption: String,
    pub width_cm: f32,
    pub height_cm: f32,
}

/// `content.xml`: the blocks, then the pictures each with its caption under `pictures_heading`.
pub fn content(blocks: &[Block], pictures_heading: &str, pictures: &[Picture]) -> String {
    let mut body = String::new();
    let mut tables = 0;
    for block in blocks {
        match block {
            Block::Heading { level, spans: s } => body.push_str(&format!(
                "<text:h text:style-name=\"Heading_20_{level}\" text:outline-level=\"{level}\">{}</text:h>\n",
                spans(s)
            )),
            Block::Para(s) => {
                body.push_str(&format!("<text:p text:style-name=\"Text_20_body\">{}</text:p>\n", spans(s)))
            }
            Block::Item { depth, marker, spans: s } => body.push_str(&format!(
                "<text:p text:style-name=\"Liste{}\">{} {}</text:p>\n",
                (*depth).min(3),
                xml_text(marker),
                spans(s)
            )),
            Block::Table(rows) => {
                tables += 1;
                let columns = rows.iter().map(Vec::len).max().unwrap_or(1).max(1);
                body.push_str(&format!(
                    "<table:table table:name=\"Tabelle{tables}\"><table:table-column table:number-columns-repeated=\"{columns}\"/>\n"
                ));
                for row in rows {
                    body.push_str("<table:table-row>");
                    for c in 0..columns {
                        let cell = row.get(c).map_or_else(String::new, |s| spans(s));
                        body.push_str(&format!(
                            "<table:table-cell office:value-type=\"string\"><text:p>{cell}</text:p></table:table-cell>"
                        ));
                    }
                    body.push_str("</table:table-row>\n");
                }
                body.push_str("</table:table>\n");
            }
            Block::Rule => body.push_str("<text:p text:style-name=\"Text_20_body\">—</text:p>\n"),
        }
    }
    if !pictures.is_empty() {
        body.push_str(&format!(
            "<text:h text:style-name=\"Heading_20_2\" text:outline-level=\"2\">{}</text:h>\n",
            xml_text(pictures_heading)
        ));
    }
    for (i, p) in pictures.iter().enumerate() {
        body.push_str(&format!(
            "<text:p text:style-name=\"Text_20_body\"><draw:frame draw:name=\"Diagramm{n}\" text:anchor-type=\"as-char\" svg:width=\"{w:.1}cm\" svg:height=\"{h:.1}cm\"><draw:image xlink:href=\"{path}\" xlink:type=\"simple\" xlink:show=\"embed\" xlink:actuate=\"onLoad\"/></draw:frame></text:p>\n<text:p text:style-name=\"Text_20_body\">{caption}</text:p>\n",
            n = i + 1,
            w = p.width_cm,
            h = p.height_cm,
            path = xml_text(&p.path),
            caption = xml_text(&p.caption),
        ));
    }
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content {NS}>
<office:automatic-styles>
<style:style style:name="Fett" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>
<style:style style:name="Kursiv" style:family="text"><style:text-properties fo:font-style="italic"/></style:style>
<style:style style:name="FettKursiv" style:family="text"><style:text-properties fo:font-weight="bold" fo:font-style="italic"/></style:style>
<style:style style:name="Durchgestrichen" style:family="text"><style:text-properties style:text-line-through-style="solid" style:text-line-through-type="single"/></style:style>
</office:automatic-styles>
<office:body><office:text>
{body}</office:text></office:body>
</office:document-content>
"#
    )
}

/// `styles.xml`: page, fonts, headings, list indents, header and footer, and line numbering on.
pub fn styles(page: &Page<'_>) -> String {
    let lists: String = (0u8..4)
        .map(|d| {
            format!(
                "<style:style style:name=\"Liste{d}\" style:family=\"paragraph\" style:parent-style-name=\"Text_20_body\"><style:paragraph-properties fo:margin-left=\"{:.1}cm\" fo:text-indent=\"-0.4cm\" fo:margin-bottom=\"0.1cm\"/></style:style>\n",
                0.6 + 0.6 * f32::from(d)
            )
        })
        .collect();
    let headings: String = (1..=6)
        .map(|l| {
            let size = [17.0, 14.0, 12.5, 11.5, 11.0, 11.0][l - 1];
            format!(
                "<style:style style:name=\"Heading_20_{l}\" style:display-name=\"Heading {l}\" style:family=\"paragraph\" style:default-outline-level=\"{l}\"><style:paragraph-properties fo:margin-top=\"0.4cm\" fo:margin-bottom=\"0.2cm\" fo:keep-with-next=\"always\"/><style:text-properties fo:font-size=\"{size}pt\" fo:font-weight=\"bold\" fo:hyphenate=\"false\"/></style:style>\n"
            )
        })
        .collect();
    format!(
        r##"<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles {NS}>
<office:styles>
<style:default-style style:family="paragraph"><style:paragraph-properties fo:hyphenation-ladder-count="no-limit"/><style:text-properties style:font-name="Liberation Serif" fo:font-family="'Liberation Serif'" fo:font-size="11pt" fo:language="de" fo:country="DE" fo:hyphenate="true" fo:hyphenation-remain-char-count="2" fo:hyphenation-push-char-count="2"/></style:default-style>
<style:style style:name="Standard" style:family="paragraph"/>
<style:style style:name="Text_20_body" style:display-name="Text body" style:family="paragraph" style:parent-style-name="Standard"><style:paragraph-properties fo:margin-top="0cm" fo:margin-bottom="0.25cm" fo:line-height="125%"/></style:style>
<style:style style:name="Kopfzeile" style:family="paragraph" style:parent-style-name="Standard"><style:text-properties fo:font-size="8pt" fo:color="#505050"/></style:style>
{headings}{lists}<text:linenumbering-configuration text:number-lines="true" text:count-empty-lines="false" text:count-in-text-boxes="false" text:offset="0.5cm" style:num-format="1" text:number-position="left" text:increment="1" text:restart-on-page="false"/>
</office:styles>
<office:automatic-styles>
<style:page-layout style:name="A4"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" style:print-orientation="portrait" fo:margin-top="1.6cm" fo:margin-bottom="1.6cm" fo:margin-left="2.8cm" fo:margin-right="2cm"/><style:header-style><style:header-footer-properties fo:min-height="0.6cm" fo:margin-bottom="0.5cm"/></style:header-style><style:footer-style><style:header-footer-properties fo:min-height="0.6cm" fo:margin-top="0.5cm"/></style:footer-style></style:page-layout>
</office:automatic-styles>
<office:master-styles>
<style:master-page style:name="Standard" style:page-layout-name="A4">
<style:header><text:p text:style-name="Kopfzeile">{org} · {title}</text:p></style:header>
<style:footer><text:p text:style-name="Kopfzeile">{stand} · Seite <text:page-number text:select-page="current"/> von <text:page-count/></text:p></style:footer>
</style:master-page>
</office:master-styles>
</office:document-styles>
"##,
        org = xml_text(page.organisation),
        title = xml_text(page.title),
        stand = xml_text(page.stand),
    )
}

/// `meta.xml`: the title and the language.
pub fn meta(page: &Page<'_>) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-meta {NS}><office:meta><dc:title>{}</dc:title><dc:language>de-DE</dc:language><meta:generator>Kompromiss</meta:generator></office:meta></office:document-meta>\n",
        xml_text(page.title)
    )
}

/// `META-INF/manifest.xml` for the parts and the `pictures` (SVG) in the archive.
pub fn manifest(pictures: &[Picture]) -> String {
    let pics: String = pictures
        .iter()
        .map(|p| {
            format!(
                " <manifest:file-entry manifest:full-path=\"{}\" manifest:media-type=\"image/svg+xml\"/>\n",
                xml_text(&p.path)
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.3\">\n <manifest:file-entry manifest:full-path=\"/\" manifest:version=\"1.3\" manifest:media-type=\"{MIMETYPE}\"/>\n <manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>\n <manifest:file-entry manifest:full-path=\"styles.xml\" manifest:media-type=\"text/xml\"/>\n <manifest:file-entry manifest:full-path=\"meta.xml\" manifest:media-type=\"text/xml\"/>\n{pics}</manifest:manifest>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_forbidden_characters_dropped() {
        assert_eq!(xml_text("<a & \"b\"> 'c'\u{1}\u{FFFF}"), "&lt;a &amp; &quot;b&quot;&gt; &apos;c&apos;");
    }

    #[test]
    fn struck_text_gets_a_line_through_style() {
        let xml = content(&crate::export::blocks::parse("Wir ~~alle~~ **~~neu~~**"), "Diagramme", &[]);
        assert!(xml.contains("<text:span text:style-name=\"Durchgestrichen\">alle</text:span>"), "{xml}");
        assert!(xml.contains(
            "<text:span text:style-name=\"Fett\"><text:span text:style-name=\"Durchgestrichen\">neu</text:span></text:span>"
        ));
        assert!(xml.contains("style:name=\"Durchgestrichen\" style:family=\"text\""), "the style is defined");
    }

    #[test]
    fn styles_switch_line_numbering_on_and_hyphenate_in_german() {
        let xml =
            styles(&Page { organisation: "BÜNDNIS 90/DIE GRÜNEN Sachsen", title: "Konzept", stand: "Stand 12/2026" });
        assert!(xml.contains("text:linenumbering-configuration text:number-lines=\"true\""));
        assert!(xml.contains("fo:language=\"de\" fo:country=\"DE\" fo:hyphenate=\"true\""));
    }
}
