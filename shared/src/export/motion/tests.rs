//! Motion texts: the instructions name the base's lines and quote what goes and what comes.

use super::*;
use crate::decision::Decision;
use crate::diff::concept_diff;
use crate::schema::{PlatformView, SectionView};

fn section(id: &str, heading: &str, body: &str) -> SectionView {
    SectionView { id: id.into(), heading: heading.into(), body: body.into() }
}

fn concept(body: &str) -> ConceptView {
    ConceptView {
        title: "Social-Media-Konzept".into(),
        sections: vec![
            section("s1", "Ziele", "Wir wollen junge Menschen erreichen."),
            section("s2", "Plattformen", body),
        ],
        platforms: vec![PlatformView {
            id: "p1".into(),
            name: "Mastodon".into(),
            decision: Decision::Offen,
            target_groups: String::new(),
            rationale: String::new(),
            assessment: Default::default(),
        }],
        ..Default::default()
    }
}

fn motion(old: &ConceptView, new: &ConceptView) -> String {
    let head = MotionHead { draft_title: "Kürzer", concept_title: &old.title, authors: &["Anna Beispiel".to_owned()] };
    markdown(&head, old, &concept_diff(old, new))
}

#[test]
fn a_replacement_names_its_lines_and_quotes_both_texts() {
    // Line 1 heading "Ziele", 2 its body, 3 heading "Plattformen", 4.. the body.
    let long = "Wir nutzen Mastodon und Instagram. ".repeat(6);
    let old = concept(&long);
    let mut new = old.clone();
    new.sections[1].body = long.replacen("Instagram", "Pixelfed", 1);
    let text = motion(&old, &new);
    assert!(
        text.contains("1. In Zeile 4 (Abschnitt „Plattformen“, Text) „Instagram.“ ersetzen durch „Pixelfed.“."),
        "{text}"
    );
    assert!(text.contains("**Antragsteller\\*innen:** Anna Beispiel"), "{text}");
}

#[test]
fn a_change_on_a_later_line_counts_the_wrapped_lines_before_it() {
    let long = "Wir nutzen Mastodon und Instagram. ".repeat(6); // 210 characters: three lines of 80
    let old = concept(&long);
    let mut new = old.clone();
    new.sections[1].body = format!("{}Und TikTok.", long);
    let text = motion(&old, &new);
    assert!(
        text.contains(
            "In Zeile 6 (Abschnitt „Plattformen“, Text) nach „Mastodon und Instagram.“ einfügen: „Und TikTok.“"
        ),
        "{text}"
    );
}

#[test]
fn deletions_decisions_and_new_sections_have_their_own_wording() {
    let old = concept("Erster Satz. Zweiter Satz.");
    let mut new = old.clone();
    new.sections[1].body = "Erster Satz.".into();
    new.platforms[0].decision = Decision::Nutzen;
    new.sections.push(section("s3", "Hass im Netz", "Meldestelle nennen."));
    let text = motion(&old, &new);
    assert!(text.contains("In Zeile 4 (Abschnitt „Plattformen“, Text) streichen: „Zweiter Satz.“"), "{text}");
    assert!(text.contains("In Zeile 5 (Plattform „Mastodon“) die Entscheidung „offen“ ändern in „nutzen“"), "{text}");
    assert!(
        text.contains("Nach Zeile 4 neuen Abschnitt „Hass im Netz“ einfügen – Text: „Meldestelle nennen.“"),
        "{text}"
    );
}

#[test]
fn quoted_text_cannot_start_markdown() {
    let old = concept("Alt.");
    let mut new = old.clone();
    new.sections[1].body = "# *Neu*".into();
    assert!(motion(&old, &new).contains("„\\# \\*Neu\\*“"));
}

#[test]
fn an_unchanged_draft_says_so() {
    let old = concept("Alt.");
    assert!(motion(&old, &old.clone()).contains("Der Entwurf ändert nichts am Konzept."));
}

#[test]
fn whitespace_only_changes_give_no_instruction_and_the_start_is_before_line_one() {
    let old = concept("Erster Satz. Zweiter Satz.");
    let mut new = old.clone();
    new.sections[1].body = "Erster Satz.\n\nZweiter Satz.".into();
    assert!(motion(&old, &new).contains("Der Entwurf ändert nichts am Konzept."), "{}", motion(&old, &new));
    let mut first = old.clone();
    first.sections.insert(0, section("s0", "Vorwort", "Kurz."));
    assert!(
        motion(&old, &first).contains("Vor Zeile 1 neuen Abschnitt „Vorwort“ einfügen"),
        "{}",
        motion(&old, &first)
    );
}
