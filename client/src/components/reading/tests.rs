use kompromiss_shared::anchor::{Anchor, CursorText};
use kompromiss_shared::dto::comments::{Discussion, Person, ThreadTarget, ThreadView};
use kompromiss_shared::schema::FieldPath;

use super::highlights;

fn thread(id: &str, field: FieldPath, at: Option<(usize, usize)>, resolved: bool) -> ThreadView {
    let cursor = CursorText::try_from("1@aabb".to_string()).expect("cursor");
    let anchor = Anchor { field, start: cursor.clone(), end: cursor, quote: "x".into(), heads: vec![] };
    let who = Person { id: "u".into(), name: "U".into() };
    ThreadView {
        id: id.into(),
        target: ThreadTarget::Passage { anchor },
        created_by: who.clone(),
        created_at: 0,
        resolved: resolved.then_some((who, 1)),
        locked: false,
        removed: false,
        at,
        comments: vec![],
        partial: false,
    }
}

fn body(id: &str) -> FieldPath {
    FieldPath::Section { id: id.into(), field: "body".into() }
}

#[test]
fn open_threads_are_highlighted_where_the_replica_places_them_else_where_the_server_did() {
    let d = Discussion {
        threads: vec![
            thread("a", body("ziele"), Some((0, 5)), false),
            thread("b", body("ziele"), Some((3, 8)), false),
            thread("done", body("ziele"), Some((0, 9)), true),
            thread("t", FieldPath::Title, Some((1, 2)), false),
        ],
        can_moderate: false,
        older: None,
    };
    // Without a live replica: the server's places.
    let h = highlights(&d, |_| None);
    let runs = &h[&body("ziele")];
    assert_eq!(
        runs.iter().map(|r| (r.start, r.end, r.threads.len())).collect::<Vec<_>>(),
        vec![(0, 3, 1), (3, 5, 2), (5, 8, 1)]
    );
    assert_eq!(h[&FieldPath::Title].len(), 1);
    // The live replica moves every passage, and says when the words are gone.
    let h = highlights(&d, |a| Some(if a.field == FieldPath::Title { None } else { Some((10, 12)) }));
    assert_eq!(h[&body("ziele")].iter().map(|r| (r.start, r.end)).collect::<Vec<_>>(), vec![(10, 12)]);
    assert!(!h.contains_key(&FieldPath::Title));
}
