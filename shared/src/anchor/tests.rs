//! Anchor tests: a passage keeps its words while three replicas type around, inside and across
//! it and merge in any order; it is removed exactly when all its characters are gone.

use super::*;
use automerge::AutoCommit;
use automerge::transaction::Transactable;
use proptest::prelude::*;

use crate::test_support::concept;

use crate::schema::read_concept;

/// An anchor on `start..end` of `field` as `doc` holds it now.
fn anchor_on(doc: &mut AutoCommit, field: &FieldPath, start: usize, end: usize) -> Result<Anchor, AnchorError> {
    let heads = doc.get_heads();
    create(doc, &heads, field, start, end)
}

fn body(doc: &AutoCommit) -> (FieldPath, ObjId) {
    let id = read_concept(doc).sections[0].id.clone();
    let field = FieldPath::Section { id, field: KEY_BODY.into() };
    let text = text_of(doc, &field).expect("a text field");
    (field, text)
}

fn passage(doc: &AutoCommit, anchor: &Anchor) -> Option<String> {
    let text = text_of(doc, &anchor.field)?;
    match resolve(doc, anchor) {
        Resolved::Passage { start, end } => {
            Some(doc.text(&text).expect("text").chars().skip(start).take(end - start).collect())
        }
        _ => None,
    }
}

#[test]
fn a_passage_keeps_its_words_while_others_type_before_inside_and_after_it() {
    let mut doc = concept();
    let (field, text) = body(&doc);
    doc.splice_text(&text, 0, doc.length(&text) as isize, "Wir setzen auf Mastodon zuerst und prüfen X.")
        .expect("splice");
    let anchor = anchor_on(&mut doc, &field, 15, 30).expect("anchor");
    assert_eq!(anchor.quote, "Mastodon zuerst");
    doc.splice_text(&text, 0, 0, "Beschluss: ").expect("before");
    doc.splice_text(&text, 34, 0, " klar").expect("inside"); // after "Mastodon"
    doc.splice_text(&text, doc.length(&text), 0, " Ende.").expect("after");
    assert_eq!(passage(&doc, &anchor).as_deref(), Some("Mastodon klar zuerst"));

    // Cutting the first word keeps the rest; cutting everything removes the passage.
    doc.splice_text(&text, 26, 9, "").expect("cut 'Mastodon '");
    assert_eq!(passage(&doc, &anchor).as_deref(), Some("klar zuerst"));
    doc.splice_text(&text, 26, 11, "").expect("cut the rest");
    assert_eq!(resolve(&doc, &anchor), Resolved::Removed);
    assert_eq!(
        text_then(&doc, &anchor).as_deref(),
        Some("Wir setzen auf Mastodon zuerst und prüfen X."),
        "the text as it was"
    );
}

#[test]
fn text_typed_where_a_removed_passage_was_does_not_bring_it_back() {
    let mut doc = concept();
    let (field, text) = body(&doc);
    doc.splice_text(&text, 0, doc.length(&text) as isize, "Erstens TikTok meiden. Zweitens.").expect("splice");
    let anchor = anchor_on(&mut doc, &field, 8, 14).expect("anchor"); // "TikTok"
    let mut other = doc.fork();
    let other_text = text_of(&other, &field).expect("text");
    other.splice_text(&other_text, 10, 0, "-neu-").expect("typed inside"); // "Ti-neu-kTok"
    doc.splice_text(&text, 8, 6, "").expect("passage deleted");
    doc.merge(&mut other).expect("merge");
    assert!(doc.text(&text).expect("text").contains("-neu-"));
    assert_eq!(resolve(&doc, &anchor), Resolved::Removed, "only text typed since is left");
}

#[test]
fn anchors_on_fields_cursors_and_replicas_that_do_not_fit_say_so() {
    let mut doc = concept();
    let (field, _) = body(&doc);
    assert_eq!(anchor_on(&mut doc, &field, 3, 3), Err(AnchorError::Range));
    assert_eq!(anchor_on(&mut doc, &field, 0, 1_000_000), Err(AnchorError::Range));
    let nowhere = FieldPath::Section { id: "fehlt".into(), field: KEY_BODY.into() };
    assert_eq!(anchor_on(&mut doc, &nowhere, 0, 1), Err(AnchorError::NoField));
    let not_text = FieldPath::Section { id: "ziele".into(), field: "decision".into() };
    assert_eq!(text_of(&doc, &not_text), None);

    for bad in ["", "@", "12@", "@ab", "x@ab", "1@abc", "ü@ab", "1@ü", &format!("1@{}", "a".repeat(200))] {
        assert_eq!(CursorText::try_from(bad.to_string()), Err(AnchorError::Cursor), "{bad:?}");
    }
    let anchor = anchor_on(&mut doc, &FieldPath::Title, 0, 5).expect("anchor");
    let json = serde_json::to_string(&anchor).expect("json");
    let back: Anchor = serde_json::from_str(&json).expect("reads back");
    assert_eq!(back, anchor);
    assert!(serde_json::from_str::<Anchor>(&json.replace(anchor.start.as_str(), "ü")).is_err());

    // A replica without the anchor's changes cannot place it yet; it does not call it removed.
    let mut stranger = AutoCommit::new();
    let mut template_doc = concept();
    stranger.merge(&mut template_doc).expect("merge");
    assert_eq!(resolve(&stranger, &anchor), Resolved::Unknown);
    // The title moved to another field: the cursors do not resolve there.
    let moved = Anchor { field: field.clone(), ..anchor.clone() };
    assert_eq!(resolve(&doc, &moved), Resolved::Removed);
    doc.put(ROOT, "title", "kein Text mehr").expect("put");
    assert_eq!(resolve(&doc, &anchor), Resolved::Removed);
}

/// One edit of a replica: insert `len` new characters or delete up to `len`, at a place given as
/// a fraction of the text (so that edits land before, inside, across and after the passage).
#[derive(Debug, Clone)]
enum Edit {
    Insert {
        at: f64,
        len: usize,
    },
    Delete {
        at: f64,
        len: usize,
    },
    /// Merge another replica's changes into this one.
    Merge {
        from: usize,
    },
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0.0..=1.0f64, 1..4usize).prop_map(|(at, len)| Edit::Insert { at, len }),
        (0.0..=1.0f64, 1..12usize).prop_map(|(at, len)| Edit::Delete { at, len }),
        (0..3usize).prop_map(|from| Edit::Merge { from }),
    ]
}

/// Characters no template text uses: each inserted one is unique, so the text tells which
/// characters survived.
fn fresh(n: &mut u32) -> char {
    *n += 1;
    char::from_u32(0xE000 + *n).expect("private use")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn every_replica_resolves_an_anchor_to_the_same_surviving_characters(
        start in 0usize..20,
        len in 1usize..12,
        edits in proptest::collection::vec((0..3usize, edit()), 0..40),
    ) {
        let mut base = concept();
        let (field, text) = body(&base);
        let mut n = 0;
        let original: String = (0..30).map(|_| fresh(&mut n)).collect();
        base.splice_text(&text, 0, base.length(&text) as isize, &original).expect("splice");
        base.commit();
        let end = (start + len).min(30);
        let anchor = anchor_on(&mut base, &field, start, end).expect("anchor");
        let words: Vec<char> = original.chars().skip(start).take(end - start).collect();
        let outside: Vec<char> = original.chars().filter(|c| !words.contains(c)).collect();

        let mut replicas = vec![base.fork(), base.fork(), base.fork()];
        for (who, e) in edits {
            match e {
                Edit::Merge { from } if from != who => {
                    let mut other = replicas[from].clone();
                    replicas[who].merge(&mut other).expect("merge");
                }
                Edit::Merge { .. } => {}
                Edit::Insert { at, len } => {
                    let r = &mut replicas[who];
                    let at = (at * r.length(&text) as f64) as usize;
                    let typed: String = (0..len).map(|_| fresh(&mut n)).collect();
                    r.splice_text(&text, at, 0, &typed).expect("insert");
                    r.commit();
                }
                Edit::Delete { at, len } => {
                    let r = &mut replicas[who];
                    let total = r.length(&text);
                    let at = ((at * total as f64) as usize).min(total);
                    let len = len.min(total - at);
                    r.splice_text(&text, at, len as isize, "").expect("delete");
                    r.commit();
                }
            }
            // Mid-way, every replica resolves its own state without failing.
            for r in &replicas {
                prop_assert_ne!(resolve(r, &anchor), Resolved::Unknown);
            }
        }
        // Everyone gets everything, in a different order each.
        let (mut a, mut b, mut c) = (replicas[0].clone(), replicas[1].clone(), replicas[2].clone());
        a.merge(&mut b.clone()).expect("merge");
        a.merge(&mut c.clone()).expect("merge");
        b.merge(&mut c.clone()).expect("merge");
        b.merge(&mut replicas[0].clone()).expect("merge");
        c.merge(&mut replicas[1].clone()).expect("merge");
        c.merge(&mut replicas[0].clone()).expect("merge");
        let resolved: Vec<Resolved> = [&a, &b, &c].iter().map(|r| resolve(*r, &anchor)).collect();
        prop_assert_eq!(resolved[0], resolved[1]);
        prop_assert_eq!(resolved[0], resolved[2]);

        let now: String = a.text(&text).expect("text");
        let surviving: Vec<char> = words.iter().copied().filter(|w| now.contains(*w)).collect();
        match resolved[0] {
            Resolved::Removed => prop_assert!(surviving.is_empty(), "removed while {:?} survive", surviving),
            Resolved::Unknown => prop_assert!(false, "every replica has every change"),
            Resolved::Passage { .. } => {
                let covered = passage(&a, &anchor).expect("a passage");
                prop_assert!(!surviving.is_empty(), "a passage with none of its words: {:?}", covered);
                for w in &surviving {
                    prop_assert!(covered.contains(*w), "{:?} survives outside the passage", w);
                }
                for o in &outside {
                    prop_assert!(!covered.contains(*o), "the neighbour {:?} is inside the passage", o);
                }
            }
        }
    }
}
