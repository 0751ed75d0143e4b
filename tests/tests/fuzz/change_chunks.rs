//! The change-chunk checks that run before Automerge sees a peer's data (`sync::validate`,
//! `sync::decoded_size`), and the document core behind them: never a panic; what is accepted
//! loads in Automerge with at most the operations counted; a refused message leaves the document
//! as it was.

use std::sync::OnceLock;

use automerge::transaction::Transactable;
use automerge::{AutoCommit, Automerge, ROOT};
use kompromiss_server::sync::decoded_size::{self, Caps};
use kompromiss_server::sync::doc_sync::{DocLimits, DocSync, StoredSize};
use kompromiss_server::sync::validate;
use kompromiss_server::sync::{ConnId, DocAccess};
use proptest::prelude::*;

use super::mutate;

/// A small concept's history: changes one by one, concatenated, and saved whole.
fn seeds() -> Vec<Vec<u8>> {
    static SEEDS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    SEEDS
        .get_or_init(|| {
            let mut doc = AutoCommit::new();
            let text = doc.put_object(ROOT, "body", automerge::ObjType::Text).expect("text");
            for (i, word) in ["Mastodon ", "zuerst, ", "dann ", "Instagram."].iter().enumerate() {
                doc.splice_text(&text, 0, 0, word).expect("type");
                doc.put(ROOT, "rev", i as i64).expect("put");
                doc.commit();
            }
            let changes: Vec<Vec<u8>> = doc.get_changes(&[]).iter().map(|c| c.raw_bytes().to_vec()).collect();
            let mut seeds = changes.clone();
            seeds.push(changes.concat());
            seeds.push(doc.save());
            seeds.push(doc.save_nocompress());
            seeds
        })
        .clone()
}

const MAX_OPS: u64 = 10_000;

proptest! {
    #![proptest_config(super::config())]

    #[test]
    fn change_chunks(bytes in mutate::input(seeds(), 1024)) {
        let caps = Caps { max_ops: MAX_OPS, max_inflated_bytes: 1 << 20 };
        let measured = decoded_size::measure(&bytes, &caps);
        if let Ok(inspected) = validate::inspect(&[&bytes], MAX_OPS) {
            prop_assert!(measured.is_ok(), "inspect accepted what measure refused");
            let mut doc = Automerge::new();
            prop_assert!(doc.load_incremental(&bytes).is_ok(), "accepted, but Automerge cannot load it");
            let loaded: u64 = doc.get_changes(&[]).iter().map(|c| c.len() as u64).sum();
            prop_assert!(loaded <= inspected.ops, "Automerge decoded {} ops, {} were counted", loaded, inspected.ops);
        }
    }
}

/// Sync messages with mutated changes against one long-lived document core: a refused message
/// leaves it unchanged.
#[test]
fn sync_messages_against_the_document_core() {
    let mut base = AutoCommit::new();
    base.put(ROOT, "title", "Konzept").expect("put");
    base.commit();
    let stored = base.save();
    let fresh = || {
        let mut core = DocSync::new(
            Automerge::load(&stored).expect("load"),
            StoredSize::default(),
            DocLimits { bytes: 1 << 20, ops: MAX_OPS },
        );
        core.attach(ConnId(1), DocAccess::Edit);
        core
    };
    let core = std::cell::RefCell::new(fresh());
    let mut runner = proptest::test_runner::TestRunner::new(super::config());
    let strategy = (mutate::input(seeds(), 512), any::<bool>());
    runner
        .run(&strategy, |(changes, with_heads)| {
            let mut core = core.borrow_mut();
            let message = automerge::sync::Message {
                heads: if with_heads { core.doc().get_heads() } else { Vec::new() },
                need: Vec::new(),
                have: Vec::new(),
                changes: vec![changes].into(),
                supported_capabilities: None,
                version: automerge::sync::MessageVersion::V2,
            };
            let before = core.doc().get_heads();
            match core.receive(ConnId(1), &message.encode(), false) {
                Ok(()) => {
                    if let Some(unsaved) = core.unsaved() {
                        core.mark_saved(&unsaved);
                    }
                }
                // Half-applied: the actor reloads from storage; so does this test.
                Err(kompromiss_server::sync::doc_sync::ReceiveError::Apply) => *core = fresh(),
                Err(_) => prop_assert_eq!(core.doc().get_heads(), before, "a refused message changed the document"),
            }
            let _ = core.outgoing();
            Ok(())
        })
        .expect("no panic, refusals change nothing");
}
