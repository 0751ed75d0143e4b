use automerge::{AutoCommit, ReadDoc};
use proptest::prelude::*;

use super::*;
use crate::decision::Decision;
use crate::diff::concept_diff;
use crate::schema::{read_concept, read_concept_at};
use crate::test_support::concept;

/// One edit: which section (index), which field (heading or body), where (fraction of its
/// length), how much to delete and what to insert.
#[derive(Debug, Clone)]
struct Edit {
    section: usize,
    body: bool,
    at: f64,
    delete: usize,
    insert: String,
}

fn edit() -> impl Strategy<Value = Edit> {
    (0usize..100, any::<bool>(), 0.0f64..1.0, 0usize..6, "[a-zäöüß ]{0,12}")
        .prop_map(|(section, body, at, delete, insert)| Edit { section, body, at, delete, insert })
}

/// Applies an edit to one of the sections `range` picks from (by index modulo its length).
fn apply(doc: &mut AutoCommit, e: &Edit, range: std::ops::Range<usize>) {
    let view = read_concept(doc);
    let sections: Vec<&SectionView> = view.sections[range.start..range.end.min(view.sections.len())].iter().collect();
    let section = sections[e.section % sections.len()];
    let field = if e.body { KEY_BODY } else { KEY_HEADING };
    let old: Vec<char> = if e.body { section.body.chars().collect() } else { section.heading.chars().collect() };
    let pos = (e.at * old.len() as f64) as usize;
    let end = (pos + e.delete).min(old.len());
    let new: String =
        old[..pos].iter().chain(e.insert.chars().collect::<Vec<_>>().iter()).chain(old[end..].iter()).collect();
    schema::set_text(doc, &FieldPath::Section { id: section.id.clone(), field: field.into() }, &new)
        .expect("edit applies");
}

fn section<'a>(view: &'a ConceptView, id: &str) -> &'a SectionView {
    view.sections.iter().find(|s| s.id == id).expect("section")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Fork, edit both sides concurrently (the concept the first half of the sections, the draft
    /// the second half and a platform decision), catch up, diff, merge.
    #[test]
    fn fork_catch_up_diff_and_merge(
        concept_edits in proptest::collection::vec(edit(), 0..8),
        draft_edits in proptest::collection::vec(edit(), 1..8),
        leave in any::<bool>(),
    ) {
        let mut main = concept();
        let half = read_concept(&main).sections.len() / 2;
        let total = read_concept(&main).sections.len();
        let mut draft = main.fork();
        let base = main.get_heads();
        for e in &concept_edits {
            apply(&mut main, e, 0..half);
        }
        for e in &draft_edits {
            apply(&mut draft, e, half..total);
        }
        if leave {
            schema::set_decision(&mut draft, "p1", Decision::Verlassen).expect("decision");
        }
        let draft_alone = read_concept(&draft);

        // Catch up: the concept's changes since the base come into the draft.
        let news: Vec<Change> = main.get_changes(&base).into_iter().cloned().collect();
        draft.apply_changes(news).expect("catch up");
        let new_base = main.get_heads();
        let caught_up = read_concept(&draft);
        let now = read_concept(&main);

        // The diff against the new base shows exactly the draft's own edits.
        let at_base = read_concept_at(draft.document(), Some(&new_base));
        prop_assert_eq!(&at_base, &now, "the draft holds the concept as it is now");
        let diff = concept_diff(&at_base, &caught_up);
        let changed: HashSet<String> = diff.sections.iter().map(|s| s.id.clone()).collect();
        let expected: HashSet<String> = draft_alone
            .sections
            .iter()
            .zip(&read_concept_at(draft.document(), Some(&base)).sections)
            .filter(|(after, before)| after != before)
            .map(|(after, _)| after.id.clone())
            .collect();
        prop_assert_eq!(changed, expected);
        prop_assert_eq!(diff.platforms.len(), usize::from(leave));
        for s in &caught_up.sections[..half] {
            prop_assert_eq!(s, section(&now, &s.id), "the concept's own edits came over whole");
        }
        for s in &caught_up.sections[half..] {
            prop_assert_eq!(s, section(&draft_alone, &s.id), "the draft's own edits are kept");
        }

        // Section-wise: one of the draft's sections alone.
        let version = draft.get_heads();
        let chosen = caught_up.sections[half].id.clone();
        let mut partly = main.fork();
        adopt(&mut partly, &caught_up, &at_base, std::slice::from_ref(&chosen)).expect("adopt");
        let partly_view = read_concept(&partly);
        for s in &partly_view.sections {
            let want = if s.id == chosen { section(&caught_up, &s.id) } else { section(&now, &s.id) };
            prop_assert_eq!(s, want);
        }
        prop_assert_eq!(&partly_view.platforms, &now.platforms, "platforms not chosen stay");

        // Whole merge of the recorded version: the concept becomes the draft.
        apply(&mut draft, &Edit { section: 0, body: true, at: 0.0, delete: 0, insert: "später ".into() }, half..total);
        let own = own_changes(draft.document(), &new_base, &version);
        main.apply_changes(own).expect("merge");
        prop_assert_eq!(read_concept(&main), caught_up, "the merge takes the recorded version, not later edits");
    }
}

#[test]
fn own_changes_of_an_unchanged_draft_are_none_and_versions_are_known() {
    let mut main = concept();
    let draft = main.fork();
    let base = main.get_heads();
    assert!(own_changes(draft.clone().document(), &base, &base).is_empty());
    assert!(has_version(main.document(), &base));
    assert!(!has_version(main.document(), &[ChangeHash([7; 32])]));
}

#[test]
fn an_added_section_goes_after_the_one_it_follows_and_a_removed_one_goes() {
    let mut main = concept();
    let base = read_concept(&main);
    let mut draft = main.fork();
    let second = base.sections[1].id.clone();
    let third = base.sections[2].id.clone();
    // The draft adds a section at the end and moves nothing; it is inserted after the second.
    schema::add_section(&mut draft, "neu", "Mastodon-Strategie").expect("add");
    schema::remove_item(&mut draft, KEY_SECTIONS, &third).expect("remove");
    let mut view = read_concept(&draft);
    let added = view.sections.pop().expect("added");
    view.sections.insert(2, added);
    let changed =
        adopt(&mut main, &view, &base, &["neu".to_string(), third.clone(), "fehlt".to_string()]).expect("adopt");
    assert_eq!(changed, vec!["neu".to_string(), third.clone()]);
    let ids: Vec<String> = read_concept(&main).sections.iter().map(|s| s.id.clone()).collect();
    let at = ids.iter().position(|i| *i == "neu").expect("inserted");
    assert_eq!(ids[at - 1], second);
    assert!(!ids.contains(&third));
    let heading = read_concept(&main).sections[at].heading.clone();
    assert_eq!(heading, "Mastodon-Strategie");
    let _ = main.get_heads().len();
    assert!(ReadDoc::length(&main, automerge::ROOT) > 0);
}
