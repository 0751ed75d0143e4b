//! Property: random concurrent edit sequences from three peers, relayed by the server, converge.

use std::time::{Duration, Instant};

use automerge::ReadDoc;
use automerge::transaction::Transactable;
use kompromiss_shared::schema::{self, KEY_TITLE};
use kompromiss_tests::app::TestApp;
use kompromiss_tests::client::SyncClient;
use kompromiss_tests::db::TestDb;
use proptest::prelude::*;

use super::helpers::{create_doc, open};

#[derive(Debug, Clone)]
enum Op {
    Insert { peer: usize, at: f64, text: String },
    Delete { peer: usize, at: f64, len: usize },
    Pump { peer: usize },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..3usize, 0.0..1.0f64, "[a-zäöß ]{1,4}").prop_map(|(peer, at, text)| Op::Insert { peer, at, text }),
        (0..3usize, 0.0..1.0f64, 1..4usize).prop_map(|(peer, at, len)| Op::Delete { peer, at, len }),
        (0..3usize).prop_map(|peer| Op::Pump { peer }),
    ]
}

async fn apply(c: &mut SyncClient, id: kompromiss_shared::ids::DocumentId, op: &Op) {
    let text_obj = schema::child(c.doc(id), &automerge::ROOT, KEY_TITLE).expect("title is text");
    let len = c.doc(id).length(&text_obj);
    match op {
        Op::Insert { at, text, .. } => {
            let pos = ((len as f64) * at) as usize;
            c.edit(id, |d| d.splice_text(&text_obj, pos, 0, text).map(|_| ()).expect("insert")).await.expect("send");
        }
        Op::Delete { at, len: n, .. } if len > 0 => {
            let pos = (((len - 1) as f64) * at) as usize;
            let n = (*n).min(len - pos);
            c.edit(id, |d| d.splice_text(&text_obj, pos, n as isize, "").map(|_| ()).expect("delete"))
                .await
                .expect("send");
        }
        Op::Delete { .. } => {}
        Op::Pump { .. } => {
            let _ = c.next_event(Duration::from_millis(2)).await.expect("pump");
        }
    }
}

/// Pumps all clients until they hold identical heads and each is saved on the server.
async fn settle(clients: &mut [SyncClient], id: kompromiss_shared::ids::DocumentId) {
    let started = Instant::now();
    loop {
        let heads: Vec<_> = clients.iter_mut().map(|c| c.doc(id).get_heads()).collect();
        let same = heads.windows(2).all(|w| w[0] == w[1]);
        if same && clients.iter_mut().all(|c| c.is_saved(id)) {
            return;
        }
        assert!(started.elapsed() < Duration::from_secs(20), "peers did not converge");
        for c in clients.iter_mut() {
            let _ = c.next_event(Duration::from_millis(20)).await.expect("pump");
        }
    }
}

#[test]
fn random_concurrent_edits_from_three_peers_converge_through_the_server() {
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    let db = TestDb::sqlite();
    let app = rt.block_on(TestApp::spawn(&db));
    let config = ProptestConfig { cases: 12, failure_persistence: None, ..ProptestConfig::default() };
    proptest!(config, |(ops in proptest::collection::vec(op(), 1..40))| {
        rt.block_on(async {
            let id = create_doc(&app).await;
            let mut clients = Vec::new();
            for name in ["p0", "p1", "p2"] {
                clients.push(open(&app, name, id).await);
            }
            for op in &ops {
                let peer = match op { Op::Insert { peer, .. } | Op::Delete { peer, .. } | Op::Pump { peer } => *peer };
                apply(&mut clients[peer], id, op).await;
            }
            settle(&mut clients, id).await;
            let texts: Vec<String> = clients.iter_mut().map(|c| schema::read_string(c.doc(id), &automerge::ROOT, KEY_TITLE)).collect();
            assert!(texts.windows(2).all(|w| w[0] == w[1]), "texts differ: {texts:?}");
            let stored = super::helpers::server_view(&app, id).await;
            assert_eq!(stored.title, texts[0], "the server stored the converged text");
        });
    });
    rt.block_on(app.stop());
}
