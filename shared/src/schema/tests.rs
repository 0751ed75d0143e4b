//! Schema tests: templates fill documents, odd documents still read, splices are minimal.

use super::*;
use automerge::AutoCommit;
use proptest::prelude::*;

use crate::test_support::concept;

#[test]
fn a_document_from_the_template_reads_back_as_the_template() {
    let doc = concept();
    let view = read_concept(&doc);
    assert_eq!(view.title, "Social-Media-Konzept des Landesverbandes");
    assert_eq!(view.sections[0].heading, "Ziele");
    assert_eq!(view.sections[0].id, "ziele");
    assert_eq!(view.platforms[0].name, "Mastodon");
    assert_eq!(view.platforms[0].id, "p1");
    assert_eq!(view.platforms[2].decision, Decision::Verlassen);
}

#[test]
fn a_document_of_another_shape_reads_as_empty_fields() {
    let mut doc = AutoCommit::new();
    doc.put(ROOT, "title", 42).expect("put");
    doc.put_object(ROOT, "sections", ObjType::Map).expect("put");
    let view = read_concept(&doc);
    assert_eq!(view, ConceptView::default());
}

#[test]
fn an_unknown_decision_counts_as_open() {
    assert_eq!(Decision::parse("vielleicht"), Decision::Offen);
    for d in Decision::ALL {
        assert_eq!(Decision::parse(d.as_str()), d);
    }
}

proptest! {
    #[test]
    fn a_splice_applied_to_the_old_text_gives_the_new_text(old in "[a-cäß ]{0,12}", new in "[a-cäß ]{0,12}") {
        let mut chars: Vec<char> = old.chars().collect();
        if let Some((pos, del, ins)) = text_splice(&old, &new) {
            chars.splice(pos..pos + del, ins.chars());
        }
        prop_assert_eq!(chars.into_iter().collect::<String>(), new);
    }
}

#[test]
fn set_text_edits_only_the_changed_part_and_merges_with_a_concurrent_edit() {
    let mut a = concept();
    let mut b = a.fork();
    let path = FieldPath::Section { id: "ziele".into(), field: KEY_BODY.into() };
    let base = read_concept(&a).sections[0].body.clone();
    assert!(set_text(&mut a, &path, &format!("A: {base}")).expect("edit a"));
    assert!(set_text(&mut b, &path, &format!("{base} :B")).expect("edit b"));
    a.merge(&mut b).expect("merge");
    assert_eq!(read_concept(&a).sections[0].body, format!("A: {base} :B"));
}

#[test]
fn platforms_and_sections_can_be_added_decided_and_removed() {
    let mut doc = concept();
    add_platform(&mut doc, "neu", &["a_reach".to_owned()]).expect("add");
    assert!(set_decision(&mut doc, "neu", Decision::Nutzen).expect("decide"));
    let path = FieldPath::Platform { id: "neu".into(), field: KEY_NAME.into() };
    assert!(set_text(&mut doc, &path, "Bluesky").expect("name"));
    let p = read_concept(&doc).platforms.pop().expect("platform");
    assert_eq!((p.name.as_str(), p.decision), ("Bluesky", Decision::Nutzen));
    add_section(&mut doc, "faq", "Fragen").expect("section");
    assert_eq!(read_concept(&doc).sections.last().map(|s| s.heading.clone()), Some("Fragen".into()));
    assert!(remove_item(&mut doc, KEY_PLATFORMS, "neu").expect("remove"));
    assert!(!read_concept(&doc).platforms.iter().any(|p| p.id == "neu"));
    assert!(!set_text(&mut doc, &path, "weg").expect("edit of a removed platform"));
}

#[test]
fn a_caret_keeps_its_place_when_text_changes_before_or_after_it() {
    // "Hallo Welt", caret after "Hallo" (5); someone inserts "liebe " at 6.
    let splice =
        splice_of(&['H', 'a', 'l', 'l', 'o', ' ', 'W'], &['H', 'a', 'l', 'l', 'o', ' ', 'l', 'W']).expect("changed");
    assert_eq!(splice, (6, 0, 1));
    assert_eq!(map_caret(5, splice), 5);
    assert_eq!(map_caret(7, splice), 8);
    // Deleting a range that contains the caret puts it at the splice.
    assert_eq!(map_caret(4, (2, 5, 1)), 3);
}

#[test]
fn a_caret_keeps_its_place_when_others_type_at_both_ends_at_once() {
    let old: Vec<char> = "Mastodon zuerst, dann Instagram".chars().collect();
    let new: Vec<char> = "VORNE Mastodon zuerst, dann Instagram HINTEN".chars().collect();
    // A selection of "don zu" (5..11) moves by the six characters typed before it.
    assert_eq!(map_caret_between(&old, &new, 5), 11);
    assert_eq!(map_caret_between(&old, &new, 11), 17);
    assert_eq!(map_caret_between(&old, &new, 0), 0, "at the start it stays at the start");
    // One splice: as before.
    let typed: Vec<char> = "Mastodon zuerst, dann auch Instagram".chars().collect();
    assert_eq!(map_caret_between(&old, &typed, 3), 3);
    assert_eq!(map_caret_between(&old, &typed, 25), 30);
    // The text around the caret was deleted: the caret goes where the deletion was.
    let gone: Vec<char> = "VORNE Instagram HINTEN".chars().collect();
    assert!(map_caret_between(&old, &gone, 10) <= gone.len());
}

#[test]
fn a_caret_keeps_its_place_when_a_word_typed_before_it_arrives_in_two_updates() {
    // Seen in the browser: "VO" of "VORNE " arrived first, then "RNE " together with " HI" at
    // the end. The 16 units before the selection ("VOWozu ") are split by "RNE ".
    let old: Vec<char> = "VOWozu nutzen wir Social Media? Gesellschaftliche Diskurse.".chars().collect();
    let new: Vec<char> = "VORNE Wozu nutzen wir Social Media? Gesellschaftliche Diskurse. HI".chars().collect();
    // "nutzen " (7..14) stays selected: it moves by the four characters typed before it.
    assert_eq!(map_caret_between(&old, &new, 7), 11);
    assert_eq!(map_caret_between(&old, &new, 14), 18);
    // Only the text before the caret was split: its tail and the text after it agree.
    assert_eq!(map_caret_by_context(&old, &new, 7), Some(11));
}

#[test]
fn an_assessment_is_co_edited_like_the_text_and_only_its_own_keys_are_taken() {
    let template = crate::template::builtin_or_default("social-media-konzept").expect("template");
    let mut a = automerge::AutoCommit::new();
    let mut n = 0;
    init_from_template(&mut a, &template, || {
        n += 1;
        format!("p{n}")
    })
    .expect("init");
    let mut b = a.fork();
    let reach = FieldPath::Platform { id: "p1".into(), field: "a_reach".into() };
    assert!(set_text(&mut a, &reach, "Mitglieder über 40").expect("a types"));
    assert!(set_text(&mut b, &reach, "Presse").expect("b types"));
    assert!(set_check(&mut b, "p1", "a_dp_eu", "nicht_erfuellt").expect("check"));
    a.merge(&mut b).expect("merge");
    let p = read_concept(&a).platforms.into_iter().next().expect("platform");
    let merged = &p.assessment["a_reach"];
    assert!(merged.contains("Mitglieder über 40") && merged.contains("Presse"), "both kept: {merged}");
    assert_eq!(p.assessment["a_dp_eu"], "nicht_erfuellt");
    assert_eq!(p.assessment["a_dp_eu_note"], "", "a check's note exists from the start");
    assert!(!set_check(&mut a, "p1", "a_dp_eu", "vielleicht").expect("unknown state"), "only the three states");
    for c in &template.assessment {
        assert!(
            c.text_keys().iter().chain([&c.key]).all(|k| is_assessment_key(k)),
            "{} is not an assessment key",
            c.key
        );
    }
    for bad in ["rationale_x", "a_", "a_Groß", "b_reach", &format!("a_{}", "x".repeat(60))] {
        let path = FieldPath::Platform { id: "p1".into(), field: bad.into() };
        assert!(!set_text(&mut a, &path, "x").expect("refused"), "{bad}");
    }
}
