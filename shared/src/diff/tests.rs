use proptest::prelude::*;

use super::*;
use crate::lines::FieldRef;
use crate::schema::{PlatformView, SectionView};

fn same(text: &str) -> Piece {
    Piece { kind: PieceKind::Same, text: text.into() }
}

fn deleted(text: &str) -> Piece {
    Piece { kind: PieceKind::Deleted, text: text.into() }
}

fn inserted(text: &str) -> Piece {
    Piece { kind: PieceKind::Inserted, text: text.into() }
}

const KANAELE: &str = "Der Kreisverband nutzt soziale Medien, um Mitglieder, Interessierte und die lokale Presse \
    schnell über Termine, Beschlüsse und Positionen zu informieren. Wir setzen dabei auf wenige Kanäle, die wir \
    verlässlich pflegen können, statt auf viele, die nach kurzer Zeit verwaisen.";

fn section(id: &str, heading: &str, body: &str) -> SectionView {
    SectionView { id: id.into(), heading: heading.into(), body: body.into() }
}

/// Lines: 1–2 Ziele, 3–4 Zielgruppen, 5–9 Kanäle (body 6–9), 10–12 Instagram, 13–14 Facebook.
fn base() -> ConceptView {
    ConceptView {
        title: "Social-Media-Konzept".into(),
        template: String::new(),
        sections: vec![
            section("ziele", "1. Ziele", "Wir informieren Mitglieder und Presse über unsere Arbeit."),
            section("zielgruppen", "2. Zielgruppen", "Mitglieder, Interessierte und lokale Medien."),
            section("kanaele", "3. Kanäle", KANAELE),
        ],
        platforms: vec![
            PlatformView {
                id: "p-insta".into(),
                name: "Instagram".into(),
                decision: Decision::Evaluieren,
                target_groups: "Junge Wählerinnen und Wähler".into(),
                rationale: "Bilder und kurze Videos erreichen Erstwählende.".into(),
                assessment: Default::default(),
            },
            PlatformView {
                id: "p-fb".into(),
                name: "Facebook".into(),
                decision: Decision::Nutzen,
                target_groups: "Ältere Mitglieder".into(),
                rationale: String::new(),
                assessment: Default::default(),
            },
        ],
    }
}

fn with_body(id: &str, from: &str, to: &str) -> ConceptView {
    let mut view = base();
    view.sections.iter_mut().filter(|s| s.id == id).for_each(|s| s.body = s.body.replace(from, to));
    view
}

fn rewritten_sentence() -> ConceptView {
    with_body(
        "kanaele",
        "Wir setzen dabei auf wenige Kanäle, die wir verlässlich pflegen können, statt auf viele, die nach kurzer \
         Zeit verwaisen.",
        "Wir konzentrieren uns auf zwei Kanäle, die wir verlässlich pflegen können.",
    )
}

fn with_decision(decision: Decision) -> ConceptView {
    let mut view = base();
    view.platforms[0].decision = decision;
    view
}

#[test]
fn a_changed_word_is_one_deletion_and_one_insertion() {
    assert_eq!(
        text_diff("Wir nutzen Instagram aktiv.", "Wir nutzen Instagram nur noch selten."),
        [same("Wir nutzen Instagram "), deleted("aktiv."), inserted("nur noch selten.")]
    );
    assert_eq!(text_diff("eins zwei drei", "eins drei"), [same("eins "), deleted("zwei "), same("drei")]);
    assert_eq!(text_diff("", ""), []);
    assert_eq!(text_diff("", "neu"), [inserted("neu")]);
}

#[test]
fn a_sentence_rewritten_in_section_three_reports_its_lines() {
    let diff = concept_diff(&base(), &rewritten_sentence());
    let pieces = vec![
        same(
            "Der Kreisverband nutzt soziale Medien, um Mitglieder, Interessierte und die lokale Presse schnell über \
             Termine, Beschlüsse und Positionen zu informieren. Wir ",
        ),
        deleted("setzen dabei"),
        inserted("konzentrieren uns"),
        same(" auf "),
        deleted("wenige"),
        inserted("zwei"),
        same(" Kanäle, die wir verlässlich pflegen"),
        deleted(" können, statt auf viele, die nach kurzer Zeit verwaisen."),
        inserted(" können."),
    ];
    let expected = SectionDiff {
        id: "kanaele".into(),
        heading: "3. Kanäle".into(),
        change: ItemChange::Changed,
        fields: vec![FieldDiff { kind: FieldKind::Body, pieces, lines: Some((8, 9)) }],
        lines: Some((8, 9)),
    };
    assert_eq!(diff, ConceptDiff { title: None, sections: vec![expected], platforms: vec![] });
    assert_eq!(diff.summary(), Summary { sections: 1, platforms: 0 });

    let last_line_only = concept_diff(&base(), &with_body("kanaele", "verwaisen.", "veralten."));
    assert_eq!(last_line_only.sections[0].lines, Some((9, 9)));
}

#[test]
fn a_changed_decision_is_reported_at_the_platform_name_line() {
    let diff = concept_diff(&base(), &with_decision(Decision::Verlassen));
    let expected = PlatformDiff {
        id: "p-insta".into(),
        name: "Instagram".into(),
        change: ItemChange::Changed,
        decision: Some((Decision::Evaluieren, Decision::Verlassen)),
        fields: vec![],
        lines: Some((10, 10)),
    };
    assert_eq!(diff, ConceptDiff { title: None, sections: vec![], platforms: vec![expected] });
    assert_eq!(diff.summary(), Summary { sections: 0, platforms: 1 });
}

#[test]
fn added_and_removed_items_stand_where_they_are_or_were() {
    let mut new = base();
    new.sections.remove(1);
    new.sections.insert(0, section("praeambel", "Präambel", ""));
    new.sections.push(section("netiquette", "4. Netiquette", "Wir antworten sachlich."));
    new.platforms.remove(1);
    new.platforms.insert(
        0,
        PlatformView {
            id: "p-mastodon".into(),
            name: "Mastodon".into(),
            decision: Decision::Nutzen,
            target_groups: String::new(),
            rationale: String::new(),
            assessment: Default::default(),
        },
    );
    let diff = concept_diff(&base(), &new);
    let field = |kind, piece, lines| FieldDiff { kind, pieces: vec![piece], lines: Some(lines) };
    assert_eq!(
        diff.sections,
        [
            SectionDiff {
                id: "praeambel".into(),
                heading: "Präambel".into(),
                change: ItemChange::Added,
                fields: vec![field(FieldKind::Heading, inserted("Präambel"), (0, 0))],
                lines: Some((0, 0)),
            },
            SectionDiff {
                id: "zielgruppen".into(),
                heading: "2. Zielgruppen".into(),
                change: ItemChange::Removed,
                fields: vec![
                    field(FieldKind::Heading, deleted("2. Zielgruppen"), (3, 3)),
                    field(FieldKind::Body, deleted("Mitglieder, Interessierte und lokale Medien."), (4, 4)),
                ],
                lines: Some((3, 4)),
            },
            SectionDiff {
                id: "netiquette".into(),
                heading: "4. Netiquette".into(),
                change: ItemChange::Added,
                fields: vec![
                    field(FieldKind::Heading, inserted("4. Netiquette"), (9, 9)),
                    field(FieldKind::Body, inserted("Wir antworten sachlich."), (9, 9)),
                ],
                lines: Some((9, 9)),
            },
        ]
    );
    assert_eq!(
        diff.platforms,
        [
            PlatformDiff {
                id: "p-mastodon".into(),
                name: "Mastodon".into(),
                change: ItemChange::Added,
                decision: Some((Decision::Offen, Decision::Nutzen)),
                fields: vec![field(FieldKind::Name, inserted("Mastodon"), (9, 9))],
                lines: Some((9, 9)),
            },
            PlatformDiff {
                id: "p-fb".into(),
                name: "Facebook".into(),
                change: ItemChange::Removed,
                decision: Some((Decision::Nutzen, Decision::Offen)),
                fields: vec![
                    field(FieldKind::Name, deleted("Facebook"), (13, 13)),
                    field(FieldKind::TargetGroups, deleted("Ältere Mitglieder"), (14, 14)),
                ],
                lines: Some((13, 14)),
            },
        ]
    );
    assert_eq!(diff.summary(), Summary { sections: 3, platforms: 2 });
}

#[test]
fn the_same_concept_reordered_is_no_change_but_a_new_title_is() {
    assert!(concept_diff(&base(), &base()).is_empty());
    let mut reordered = base();
    reordered.sections.reverse();
    assert!(concept_diff(&base(), &reordered).is_empty());
    let mut retitled = base();
    retitled.title = "Social-Media-Konzept 2026".into();
    let diff = concept_diff(&base(), &retitled);
    assert_eq!(diff.title, Some(vec![same("Social-Media-Konzept"), inserted(" 2026")]));
    assert!(!diff.is_empty());
    assert_eq!(diff.summary(), Summary::default());
}

#[test]
fn texts_past_the_size_bound_fall_back_to_one_deletion_and_one_insertion() {
    let filler = "Wir pflegen wenige Kanäle verlässlich. ".repeat(2000);
    let old = format!("{filler}Instagram evaluieren.{filler}");
    let new = format!("{filler}Instagram verlassen.{filler}");
    assert!(old.len() + new.len() > MAX_DIFF_BYTES);
    assert_eq!(
        text_diff(&old, &new),
        [same(&format!("{filler}Instagram ")), deleted("evaluier"), inserted("verlass"), same(&format!("en.{filler}"))]
    );
    let (old, new) = (format!("{filler}{filler}Kanäle"), format!("{filler}{filler}Kanöle"));
    assert!(old.len() + new.len() > MAX_DIFF_BYTES);
    let prefix = format!("{filler}{filler}Kan");
    assert_eq!(
        text_diff(&old, &new),
        [same(&prefix), deleted("ä"), inserted("ö"), same("le")],
        "cut between characters"
    );
    assert_eq!(
        text_diff("Instagram evaluieren.", "Instagram verlassen."),
        [same("Instagram "), deleted("evaluieren."), inserted("verlassen.")],
        "below the bound words stay whole"
    );
}

#[test]
fn changes_on_the_same_lines_overlap() {
    let draft = concept_diff(&base(), &rewritten_sentence());
    let kanaele_body = FieldRef { item: "kanaele".into(), kind: FieldKind::Body };
    let same_line = concept_diff(&base(), &with_body("kanaele", "verwaisen.", "veralten."));
    assert_eq!(overlaps(&draft, &same_line), std::slice::from_ref(&kanaele_body));
    assert_eq!(overlaps(&same_line, &draft), [kanaele_body]);
    let other_line = concept_diff(&base(), &with_body("kanaele", "Der Kreisverband", "Unser Kreisverband"));
    assert_eq!(overlaps(&draft, &other_line), []);
    assert_eq!(overlaps(&draft, &draft), [], "an identical change is no clash");
}

#[test]
fn decisions_both_changed_and_removed_items_changed_elsewhere_overlap() {
    let leave = concept_diff(&base(), &with_decision(Decision::Verlassen));
    let use_it = concept_diff(&base(), &with_decision(Decision::Nutzen));
    let insta_name = FieldRef { item: "p-insta".into(), kind: FieldKind::Name };
    assert_eq!(overlaps(&leave, &use_it), [insta_name]);
    assert_eq!(overlaps(&leave, &leave), []);

    let mut removed = base();
    removed.sections.remove(1);
    let removed = concept_diff(&base(), &removed);
    let changed = concept_diff(&base(), &with_body("zielgruppen", "lokale Medien", "Lokalpresse"));
    let heading = FieldRef { item: "zielgruppen".into(), kind: FieldKind::Heading };
    assert_eq!(overlaps(&removed, &changed), std::slice::from_ref(&heading));
    assert_eq!(overlaps(&changed, &removed), [heading]);
    assert_eq!(overlaps(&removed, &removed), []);
}

proptest! {
    #[test]
    fn old_and_new_text_can_be_rebuilt_from_the_pieces(
        old in "[a-cäß ,.\t\r\n-]{0,80}",
        new in "[a-cäß ,.\t\r\n-]{0,80}",
    ) {
        let pieces = text_diff(&old, &new);
        let join = |skip: PieceKind| pieces.iter().filter(|p| p.kind != skip).map(|p| p.text.as_str()).collect::<String>();
        prop_assert_eq!(join(PieceKind::Inserted), old);
        prop_assert_eq!(join(PieceKind::Deleted), new);
        prop_assert!(pieces.iter().all(|p| !p.text.is_empty()));
        prop_assert!(pieces.windows(2).all(|w| w[0].kind != w[1].kind), "{:?}", pieces);
    }
}
