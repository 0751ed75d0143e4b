//! PDF, ODT and DOCX exports on SQLite and PostgreSQL, read back as a reader would: the PDF's
//! text through poppler's `pdftotext` (line numbers and wording in order, a plausible page
//! count), the archives opened and their XML parsed (ODT's line numbering on, the draft's DOCX
//! with insertions and deletions attributed to its author).

use std::io::Read;
use std::process::Command;

use kompromiss_shared::lines::number;
use kompromiss_shared::schema::{ConceptView, template_view};
use kompromiss_shared::template::builtin_or_default;
use kompromiss_tests::app::TestApp;
use kompromiss_tests::db::TestDb;

use super::helpers::{api_bytes, create_doc, person, set_body, start_draft, writes};

/// A GET as the token's person, waiting out the export pace (429) the way a person clicking twice would.
async fn fetch(app: &TestApp, token: &str, path: &str) -> (u16, String, Vec<u8>) {
    for _ in 0..20 {
        let answer = api_bytes(app, token, path).await;
        if answer.0 != 429 {
            return answer;
        }
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    panic!("{path}: still paced after 10 s");
}

/// The template concept as the server creates it.
fn template_concept() -> ConceptView {
    template_view(&builtin_or_default("social-media-konzept").expect("template")).expect("init")
}

/// `pdftotext -layout` of a PDF, and its page count from `pdfinfo`.
pub fn pdf_text(pdf: &[u8]) -> (String, u32) {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("export.pdf");
    std::fs::write(&path, pdf).expect("write");
    let text =
        Command::new("pdftotext").arg("-layout").arg(&path).arg("-").output().expect("pdftotext (poppler-utils)");
    assert!(text.status.success(), "pdftotext failed: {}", String::from_utf8_lossy(&text.stderr));
    let info = Command::new("pdfinfo").arg(&path).output().expect("pdfinfo");
    let pages = String::from_utf8_lossy(&info.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:").map(|n| n.trim().parse().expect("page count")))
        .expect("Pages line");
    (String::from_utf8(text.stdout).expect("utf-8"), pages)
}

/// The numbers that start lines of the text (line numbers in the margin), in order.
fn margin_numbers(text: &str) -> Vec<u32> {
    text.lines()
        .filter_map(|l| {
            let t = l.trim_start();
            let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
            let rest = &t[digits.len()..];
            (!digits.is_empty() && rest.starts_with(' ') && !rest.trim().is_empty())
                .then(|| digits.parse().ok())
                .flatten()
        })
        .collect()
}

/// The entries of a zip archive by name.
fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>, zip::CompressionMethod)> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip archive");
    (0..archive.len())
        .map(|i| {
            let mut f = archive.by_index(i).expect("entry");
            let mut data = Vec::new();
            f.read_to_end(&mut data).expect("read entry");
            (f.name().to_owned(), data, f.compression())
        })
        .collect()
}

fn entry<'a>(entries: &'a [(String, Vec<u8>, zip::CompressionMethod)], name: &str) -> &'a str {
    let data = &entries.iter().find(|e| e.0 == name).unwrap_or_else(|| panic!("{name} missing")).1;
    std::str::from_utf8(data).expect("utf-8")
}

#[tokio::test]
async fn concepts_drafts_and_evaluations_export_to_pdf_odt_and_docx() {
    let expected = template_concept();
    let total = number(&expected).total();
    for db in TestDb::all().await {
        let backend = db.backend();
        let app = TestApp::spawn(&db).await;
        let member = person(&app, "Mia Mitglied", Some("member")).await;
        let outsider = person(&app, "Olaf Außen", None).await;
        let concept = create_doc(&app).await;

        // PDF of the concept: every line number once and in order, the wording in order.
        let (status, kind, pdf) = fetch(&app, &member.token, &format!("/api/documents/{concept}/export/pdf")).await;
        assert_eq!((status, kind.as_str()), (200, "application/pdf"), "{backend}");
        let (text, pages) = pdf_text(&pdf);
        let numbers = margin_numbers(&text);
        let want: Vec<u32> = (1..=total).collect();
        assert_eq!(numbers, want, "{backend}: line numbers 1..={total} in order:\n{text}");
        let mut at = 0;
        for s in &expected.sections {
            let found = text[at..].find(&s.heading).unwrap_or_else(|| panic!("{backend}: {} out of order", s.heading));
            at += found;
            let first_words: String = s.body.split_whitespace().take(3).collect::<Vec<_>>().join(" ");
            assert!(text[at..].contains(&first_words), "{backend}: {first_words}");
        }
        for p in &expected.platforms {
            at += text[at..].find(&p.name).unwrap_or_else(|| panic!("{backend}: {} out of order", p.name));
        }
        assert!(text.contains("Social-Media-Konzept des Landesverbandes") && text.contains("Seite 1 von"), "{backend}");
        assert!((2..=12).contains(&pages), "{backend}: {pages} pages");
        assert_eq!(fetch(&app, &outsider.token, &format!("/api/documents/{concept}/export/pdf")).await.0, 404);

        // ODT: an archive with the mimetype first and stored, XML that parses, line numbering on.
        let (status, kind, odt) = fetch(&app, &member.token, &format!("/api/documents/{concept}/export/odt")).await;
        assert_eq!((status, kind.as_str()), (200, "application/vnd.oasis.opendocument.text"), "{backend}");
        let entries = unzip(&odt);
        assert_eq!(entries[0].0, "mimetype", "{backend}");
        assert_eq!(entries[0].2, zip::CompressionMethod::Stored);
        assert_eq!(entries[0].1, b"application/vnd.oasis.opendocument.text");
        for name in ["content.xml", "styles.xml", "meta.xml", "META-INF/manifest.xml"] {
            roxmltree::Document::parse(entry(&entries, name)).unwrap_or_else(|e| panic!("{backend}: {name}: {e}"));
        }
        let styles = roxmltree::Document::parse(entry(&entries, "styles.xml")).expect("styles");
        let numbering = styles
            .descendants()
            .find(|n| n.tag_name().name() == "linenumbering-configuration")
            .expect("line numbering configured");
        let text_ns = "urn:oasis:names:tc:opendocument:xmlns:text:1.0";
        assert_eq!(numbering.attribute((text_ns, "number-lines")), Some("true"), "{backend}");
        let content = entry(&entries, "content.xml");
        assert!(content.contains("Mastodon – nutzen") && content.contains("Datenschutz"), "{backend}");

        // A draft: its PDF is a motion text naming the base's lines, its DOCX tracked changes.
        let draft = start_draft(&app, &member.token, concept, "Ziele schärfen").await;
        let ziele = &expected.sections[0].body;
        let changed = ziele.replacen("Social Media", "soziale Netzwerke", 1);
        assert_ne!(&changed, ziele);
        assert!(writes(&app, &member.token, draft, set_body("ziele", changed)).await, "{backend}: draft edit");
        let (status, _, pdf) = fetch(&app, &member.token, &format!("/api/documents/{draft}/export/pdf")).await;
        assert_eq!(status, 200, "{backend}");
        let (motion, _) = pdf_text(&pdf);
        let flat = motion.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains("Änderungsantrag: Ziele schärfen"), "{backend}: {flat}");
        assert!(
            flat.contains("In Zeile 2 (Abschnitt „Ziele“, Text) „Social Media?“ ersetzen durch „soziale Netzwerke?“"),
            "{backend}: {flat}"
        );
        assert!(flat.contains("Mia Mitglied"), "{backend}: the motion names its author");

        let (status, _, docx) = fetch(&app, &member.token, &format!("/api/documents/{draft}/export/docx")).await;
        assert_eq!(status, 200, "{backend}");
        let entries = unzip(&docx);
        let document = entry(&entries, "word/document.xml");
        let xml = roxmltree::Document::parse(document).expect("document.xml parses");
        let w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
        let changes = |tag: &str| -> Vec<(String, String)> {
            xml.descendants()
                .filter(|n| n.tag_name().name() == tag && n.tag_name().namespace() == Some(w))
                .map(|n| {
                    let text: String = n.descendants().filter(|t| t.is_text()).filter_map(|t| t.text()).collect();
                    (n.attribute((w, "author")).unwrap_or_default().to_owned(), text)
                })
                .collect()
        };
        let (ins, del) = (changes("ins"), changes("del"));
        assert!(ins.contains(&("Mia Mitglied".to_owned(), "soziale Netzwerke?".to_owned())), "{backend}: {ins:?}");
        assert!(del.contains(&("Mia Mitglied".to_owned(), "Social Media?".to_owned())), "{backend}: {del:?}");
        assert!(document.contains("Gesellschaftliche Diskurse"), "{backend}: the unchanged text is there too");
        for format in ["pdf", "odt", "docx"] {
            let path = format!("/api/documents/{draft}/export/{format}");
            assert_eq!(fetch(&app, &outsider.token, &path).await.0, 404, "{backend}: {format}");
        }

        // The year's evaluation as PDF (with its charts) and ODT (charts as pictures).
        let (status, _, pdf) =
            fetch(&app, &member.token, &format!("/api/documents/{concept}/evaluations/2026/export/pdf")).await;
        assert_eq!(status, 200, "{backend}");
        let (text, _) = pdf_text(&pdf);
        assert!(
            text.contains("Evaluation 2026") && text.contains("Zusammenfassung") && text.contains("Diagramme"),
            "{backend}"
        );
        let (status, _, odt) =
            fetch(&app, &member.token, &format!("/api/documents/{concept}/evaluations/2026/export/odt")).await;
        assert_eq!(status, 200, "{backend}");
        let entries = unzip(&odt);
        assert_eq!(entries.iter().filter(|e| e.0.ends_with(".svg")).count(), 9, "{backend}: a chart per figure");
        let manifest = entry(&entries, "META-INF/manifest.xml");
        roxmltree::Document::parse(manifest).expect("manifest parses");

        // Typesetting is paced per person: a burst of PDFs gets 429 before long.
        let path = format!("/api/documents/{concept}/export/pdf");
        let burst = (0..8).map(|_| api_bytes(&app, &member.token, &path));
        let statuses: Vec<u16> = futures::future::join_all(burst).await.into_iter().map(|a| a.0).collect();
        assert!(statuses.contains(&429) && statuses.iter().all(|s| *s == 200 || *s == 429), "{backend}: {statuses:?}");
        app.stop().await;
    }
}

#[test]
fn german_words_are_hyphenated_where_typst_breaks_lines() {
    let markup = "#set text(lang: \"de\", hyphenate: true)\n#block(width: 2.2cm)[Datenschutzgrundverordnung Landesparteiratsbeschluss Öffentlichkeitsarbeit]";
    let pdf = kompromiss_pdf::render(markup, Vec::new()).expect("pdf");
    let (text, _) = pdf_text(&pdf);
    // typst marks its hyphens as soft hyphens (U+00AD), which pdftotext keeps.
    let hyphenated = text.lines().filter(|l| l.trim_end().ends_with(['-', '\u{AD}'])).count();
    assert!(hyphenated >= 3, "the words were not hyphenated:\n{text}");
}

#[test]
fn hostile_text_prints_literally_and_never_breaks_the_pdf() {
    let mut view = template_concept();
    let nasty = "Ti\"tel \\ #let x = 1 ]) $a$ @ref <x> `code` \u{1} = Ende";
    view.title = nasty.to_owned();
    view.sections[0].heading = "#".to_owned();
    view.sections[0].body = "| A | B |\n|---|---|\n| ] | #x |".to_owned();
    view.sections[1].body = format!("{} und - 10 Euro", "Wort".repeat(2500));
    view.sections[2].body = String::new();
    view.platforms[0].name = "]) #panic()".to_owned();
    let page = kompromiss_shared::export::typst::Page { organisation: "\"#", title: nasty, stand: "\\" };
    let template = builtin_or_default("social-media-konzept");
    let markup = kompromiss_shared::export::typst::concept(&view, template.as_ref(), &page);
    let pdf = kompromiss_pdf::render(&markup, Vec::new()).expect("hostile text still typesets");
    let (text, _) = pdf_text(&pdf);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("Ti\"tel \\ #let x = 1 ]) $a$ @ref <x> `code` = Ende"), "{flat}");
    assert!(flat.contains("]) #panic()") && flat.contains("#x"), "{flat}");
    assert_eq!(margin_numbers(&text), (1..=number(&view).total()).collect::<Vec<_>>(), "numbers still in order");
}
