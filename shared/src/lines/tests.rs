use proptest::prelude::*;

use super::*;
use crate::schema::{ConceptView, Decision, PlatformView, SectionView};

/// The text of each numbered line.
fn texts(text: &str, width: usize) -> Vec<&str> {
    wrap(text, width).into_iter().map(|r| &text[r]).collect()
}

#[test]
fn a_long_paragraph_wraps_greedily_at_eighty_characters() {
    let text = "Der Kreisverband nutzt soziale Medien, um Mitglieder, Interessierte und die lokale Presse \
                schnell über Termine, Beschlüsse und Positionen zu informieren. Wir setzen dabei auf wenige \
                Kanäle, die wir verlässlich pflegen können, statt auf viele, die nach kurzer Zeit verwaisen.";
    assert_eq!(
        texts(text, LINE_WIDTH),
        [
            "Der Kreisverband nutzt soziale Medien, um Mitglieder, Interessierte und die",
            "lokale Presse schnell über Termine, Beschlüsse und Positionen zu informieren.",
            "Wir setzen dabei auf wenige Kanäle, die wir verlässlich pflegen können, statt",
            "auf viele, die nach kurzer Zeit verwaisen.",
        ]
    );
    assert_eq!(wrap(text, LINE_WIDTH)[0], 0..75);
}

#[test]
fn umlauts_and_sharp_s_count_as_one_character_each() {
    // 80 characters but 91 bytes: exactly one full line.
    let text =
        "Große Übergänge für Bürgerinnen, Schülerinnen und Wähler: Maßnahmen gemäß prüfen und öffentlich begründen.";
    assert_eq!(
        texts(text, LINE_WIDTH),
        [
            "Große Übergänge für Bürgerinnen, Schülerinnen und Wähler: Maßnahmen gemäß prüfen",
            "und öffentlich begründen."
        ]
    );
    assert_eq!(wrap(text, LINE_WIDTH)[0], 0..91);
}

#[test]
fn a_word_longer_than_the_line_is_cut_hard_after_eighty_characters() {
    let text = "Die Datenschutzgrundverordnungskonformitätsprüfungsverfahrensbeschreibungsdokumentationspflichtenheft gilt ab sofort.";
    assert_eq!(
        texts(text, LINE_WIDTH),
        [
            "Die",
            "Datenschutzgrundverordnungskonformitätsprüfungsverfahrensbeschreibungsdokumentat",
            "ionspflichtenheft gilt ab sofort.",
        ]
    );
}

#[test]
fn hyphenated_compounds_break_after_the_hyphen() {
    let text = "Der Landesvorstand beschließt für alle Gliederungen ein gemeinsames Social-Media-Konzept.";
    assert_eq!(
        texts(text, LINE_WIDTH),
        ["Der Landesvorstand beschließt für alle Gliederungen ein gemeinsames Social-", "Media-Konzept."]
    );
    assert_eq!(
        texts("Unser Social-Media-Konzept regelt die Arbeit", 20),
        ["Unser Social-Media-", "Konzept regelt die", "Arbeit"]
    );
}

#[test]
fn a_hyphen_after_a_digit_is_no_break_and_one_before_a_space_stays_on_its_line() {
    assert_eq!(texts("Kosten 100-2000", 12), ["Kosten", "100-2000"]);
    assert_eq!(texts("Bundes- und Landesebene", 12), ["Bundes- und", "Landesebene"]);
}

#[test]
fn markdown_list_items_start_their_own_lines_and_keep_their_indentation() {
    let text = "Unsere Ziele:\n- Mitglieder informieren\n  - Unterpunkt mit Einrückung\n* Presse erreichen\n\
                1. Termine ankündigen und dabei stets die Barrierefreiheit aller Beiträge sicherstellen";
    assert_eq!(
        texts(text, LINE_WIDTH),
        [
            "Unsere Ziele:",
            "- Mitglieder informieren",
            "  - Unterpunkt mit Einrückung",
            "* Presse erreichen",
            "1. Termine ankündigen und dabei stets die Barrierefreiheit aller Beiträge",
            "sicherstellen",
        ]
    );
}

#[test]
fn empty_and_whitespace_only_lines_get_no_number() {
    let text = "Erster Absatz.\n\n   \n\t\nZweiter Absatz.\r\nDritter Absatz.  \n";
    assert_eq!(wrap(text, LINE_WIDTH), [0..14, 22..37, 39..54]);
    assert_eq!(wrap("", LINE_WIDTH), []);
    assert_eq!(wrap(" \n\t \r\n", LINE_WIDTH), []);
}

fn concept() -> ConceptView {
    ConceptView {
        title: "Social-Media-Konzept des Kreisverbands".into(),
        template: String::new(),
        sections: vec![
            SectionView {
                id: "ziele".into(),
                heading: "Ziele".into(),
                body: "Der Kreisverband nutzt soziale Medien, um Mitglieder, Interessierte und die lokale \
                       Presse zu informieren.\n\nWir pflegen wenige Kanäle."
                    .into(),
            },
            SectionView { id: "kanaele".into(), heading: "Kanäle".into(), body: String::new() },
        ],
        platforms: vec![PlatformView {
            id: "p1".into(),
            name: "Instagram".into(),
            decision: Decision::Evaluieren,
            target_groups: "Junge Wählerinnen und Wähler".into(),
            rationale: String::new(),
            assessment: Default::default(),
        }],
    }
}

#[test]
fn numbering_runs_on_across_sections_and_platforms() {
    let numbering = number(&concept());
    let firsts: Vec<(&str, FieldKind, u32, usize)> =
        numbering.fields.iter().map(|f| (f.field.item.as_str(), f.field.kind, f.first, f.lines.len())).collect();
    assert_eq!(
        firsts,
        [
            ("ziele", FieldKind::Heading, 1, 1),
            ("ziele", FieldKind::Body, 2, 3),
            ("kanaele", FieldKind::Heading, 5, 1),
            ("kanaele", FieldKind::Body, 6, 0),
            ("p1", FieldKind::Name, 6, 1),
            ("p1", FieldKind::TargetGroups, 7, 1),
            ("p1", FieldKind::Rationale, 8, 0),
        ]
    );
    assert_eq!(numbering.total(), 7);
    assert_eq!(number(&ConceptView::default()).total(), 0);
}

#[test]
fn line_of_finds_the_line_of_a_byte_or_the_next_one_after_whitespace() {
    let numbering = number(&concept());
    let body = numbering.field("ziele", FieldKind::Body).expect("numbered");
    assert_eq!(body.lines, [0..75, 76..105, 107..134]);
    assert_eq!(body.line_of(0), 2);
    assert_eq!(body.line_of(74), 2);
    assert_eq!(body.line_of(75), 3, "the space at the break belongs to no line");
    assert_eq!(body.line_of(105), 4, "the blank line between paragraphs");
    assert_eq!(body.line_of(10_000), 4, "clamped to the last line");
    assert_eq!(body.span(72..82), (2, 3));
    assert_eq!(body.span(75..76), (3, 3));
    assert_eq!(body.insertion_line(75), 2, "appending to line 2");
    assert_eq!(body.insertion_line(76), 3);
    assert_eq!(numbering.field("kanaele", FieldKind::Body).map(|f| f.line_of(0)), Some(6));
    assert_eq!(numbering.field("p1", FieldKind::Rationale).map(|f| f.line_of(3)), Some(8));
    assert_eq!(numbering.field("p1", FieldKind::Heading), None);
}

proptest! {
    #[test]
    fn lines_cover_every_non_whitespace_byte_exactly_once_and_fit_the_width(
        text in "[a-zäß\\- \t\n\r\u{a0}1]{0,120}",
        width in 1usize..24,
    ) {
        let lines = wrap(&text, width);
        let mut covered = vec![false; text.len()];
        let mut last_end = 0;
        for r in &lines {
            prop_assert!(r.start >= last_end && r.start < r.end, "ordered and non-empty: {lines:?}");
            let line = &text[r.clone()];
            prop_assert!(line.chars().count() <= width, "{line:?} wider than {width}");
            prop_assert!(!line.ends_with(char::is_whitespace) && !line.contains('\n'));
            covered[r.clone()].iter_mut().for_each(|c| *c = true);
            last_end = r.end;
        }
        for (i, c) in text.char_indices() {
            prop_assert!(covered[i] || c.is_whitespace(), "{c:?} at {i} lost in {lines:?}");
        }
    }
}
