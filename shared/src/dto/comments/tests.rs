use super::{CommentView, Discussion, Person, ThreadTarget, ThreadView};
use crate::anchor::{Anchor, CursorText};
use crate::comments::PANEL_THREADS;
use crate::schema::FieldPath;

fn thread(i: usize, passage: bool, resolved: bool) -> ThreadView {
    let who = Person { id: "u".into(), name: "U".into() };
    let cursor = CursorText::try_from("1@aabb".to_string()).expect("cursor");
    let target = if passage {
        ThreadTarget::Passage {
            anchor: Anchor {
                field: FieldPath::Title,
                start: cursor.clone(),
                end: cursor,
                quote: "x".into(),
                heads: vec![],
            },
        }
    } else {
        ThreadTarget::Platform { platform_id: "p".into() }
    };
    let comment = CommentView {
        id: format!("c{i}"),
        author: who.clone(),
        body: Some("Wort".into()),
        stance: None,
        created_at: i as i64,
        edited_at: None,
        deleted: false,
        hidden: None,
    };
    ThreadView {
        id: format!("t{i}"),
        target,
        created_by: who.clone(),
        created_at: i as i64,
        resolved: resolved.then_some((who, 0)),
        locked: false,
        removed: false,
        at: Some((0, 1)),
        comments: vec![comment],
        partial: false,
    }
}

#[test]
fn the_first_render_carries_platform_threads_and_the_newest_open_passages_whole() {
    let mut threads: Vec<ThreadView> = (0..PANEL_THREADS + 10).map(|i| thread(i, true, false)).collect();
    threads.push(thread(1000, false, false));
    threads.push(thread(1001, true, true));
    let d = Discussion { threads, can_moderate: false, older: None }.for_first_render();
    let whole: Vec<&str> = d.threads.iter().filter(|t| !t.partial).map(|t| t.id.as_str()).collect();
    assert_eq!(whole.len(), PANEL_THREADS + 1, "{whole:?}");
    assert!(whole.contains(&"t1000"), "platform threads stay whole");
    assert!(!whole.contains(&"t0") && whole.contains(&format!("t{}", PANEL_THREADS + 9).as_str()));
    assert!(d.is_partial());
    for t in d.threads.iter().filter(|t| t.partial) {
        assert!(t.comments.is_empty() && t.at.is_some(), "stubs keep their places for the highlights");
    }
    // A small discussion goes out whole.
    let small = Discussion { threads: vec![thread(1, true, false)], can_moderate: false, older: None };
    assert!(!small.for_first_render().is_partial());
}
