//! The sync channel: requesting and editing documents over the WebSocket, honestly or blindly.

use automerge::AutoCommit;
use automerge::sync::SyncDoc;
use kompromiss_shared::ids::DocumentId;
use kompromiss_shared::protocol::Message;
use kompromiss_shared::schema::{self, FieldPath};
use kompromiss_tests::app::TestApp;
use kompromiss_tests::client::{Event, Replica, SyncClient};

use super::fixture::Doc::{self, Granted, Missing, Public, Secret};
use super::fixture::EVERYONE;
use super::world::World;
use crate::helpers::{WAIT, exists, open, server_view};

/// What a sync attempt ended in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Outcome {
    /// The document arrived.
    Arrives,
    /// doc-unavailable, as for a missing document.
    Unavailable,
    /// A protocol error, then the connection closed.
    Refused,
    /// The edit was acknowledged and is on the server.
    Stored,
}
use Outcome::{Arrives, Refused, Stored, Unavailable};

/// Requesting a document, or editing it (an edit of `Missing` creates a new document).
struct SyncCase {
    edit: bool,
    doc: Doc,
    expect: [Outcome; 5],
}

const SYNC: &[SyncCase] = &[
    SyncCase { edit: false, doc: Secret, expect: [Unavailable, Unavailable, Arrives, Arrives, Arrives] },
    SyncCase { edit: false, doc: Public, expect: [Arrives; 5] },
    SyncCase { edit: false, doc: Granted, expect: [Unavailable, Arrives, Arrives, Arrives, Arrives] },
    SyncCase { edit: false, doc: Missing, expect: [Unavailable; 5] },
    SyncCase { edit: true, doc: Secret, expect: [Unavailable, Unavailable, Refused, Stored, Stored] },
    SyncCase { edit: true, doc: Public, expect: [Refused, Refused, Refused, Stored, Stored] },
    SyncCase { edit: true, doc: Granted, expect: [Unavailable, Stored, Refused, Stored, Stored] },
    SyncCase { edit: true, doc: Missing, expect: [Unavailable, Unavailable, Refused, Stored, Stored] },
];

impl World {
    pub(super) async fn sync(&mut self) {
        for case in SYNC {
            for (i, who) in EVERYONE.into_iter().enumerate() {
                let what = format!("{who:?} sync {} {:?}", if case.edit { "edit" } else { "request" }, case.doc);
                let id = if case.edit && case.doc == Missing {
                    kompromiss_server::concepts::new_document_id()
                } else {
                    self.id(case.doc)
                };
                let before = if case.doc == Missing { None } else { Some(server_view(&self.app, id).await.title) };
                let title = format!("{} / {who:?}", before.as_deref().unwrap_or(Missing.marker()));
                let outcome =
                    attempt(&self.app, self.person(who).token.as_deref(), id, case.edit.then_some(title.as_str()))
                        .await;
                if outcome != Ok(case.expect[i]) {
                    let got = outcome.as_ref().map_or_else(|e| format!("no verdict: {e}"), |o| format!("{o:?}"));
                    self.fail(format!("{what}: expected {:?}, got {got}", case.expect[i]));
                }
                let stored = outcome == Ok(Stored);
                let after =
                    if exists(&self.app, id).await { Some(server_view(&self.app, id).await.title) } else { None };
                let want = if stored { Some(title) } else { before };
                if after != want {
                    self.fail(format!("{what}: the server holds {after:?}, expected {want:?}"));
                }
            }
        }
    }
}

/// Connects as a token's owner, or anonymously.
async fn connect(app: &TestApp, token: Option<&str>) -> SyncClient {
    let url = token.map_or_else(|| app.ws_anonymous(), |t| app.ws_as(t));
    SyncClient::connect(&url, "matrix").await.expect("connect")
}

/// Requests a document and, with a title, sets it: by a normal edit when the document arrived,
/// else by pushing a change blindly (based on the server's copy, as an attacker might).
pub(super) async fn attempt(
    app: &TestApp,
    token: Option<&str>,
    id: DocumentId,
    title: Option<&str>,
) -> Result<Outcome, String> {
    let mut c = connect(app, token).await;
    c.request(id).await.map_err(|e| e.to_string())?;
    let first = settle(&mut c, id, |c| !c.doc(id).get_heads().is_empty(), Arrives).await?;
    let Some(title) = title else { return Ok(first) };
    let retitle = |d: &mut AutoCommit| {
        schema::set_text(d, &FieldPath::Title, title).expect("edit");
    };
    if first == Arrives {
        c.edit(id, retitle).await.map_err(|e| e.to_string())?;
    } else {
        let mut base =
            if exists(app, id).await { open(app, "base", id).await.doc(id).fork() } else { AutoCommit::new() };
        let heads = base.get_heads();
        retitle(&mut base);
        blind_push(&mut c, id, base, &heads).await;
    }
    settle(&mut c, id, |c| c.is_saved(id), Stored).await
}

/// Sends a sync message that carries the changes since `heads`, without a prior exchange.
async fn blind_push(c: &mut SyncClient, id: DocumentId, doc: AutoCommit, heads: &[automerge::ChangeHash]) {
    let mut replica = Replica { doc, state: automerge::sync::State::new(), unavailable: false };
    let mut message = replica.doc.sync().generate_sync_message(&mut replica.state).expect("sync message");
    let changes: Vec<Vec<u8>> = replica.doc.get_changes(heads).iter().map(|c| c.raw_bytes().to_vec()).collect();
    message.changes = changes.into();
    c.docs.insert(id, replica);
    let m = Message::Sync {
        sender_id: c.peer_id.clone(),
        target_id: c.server_peer.clone(),
        document_id: id,
        data: message.encode(),
    };
    c.send(&m).await.expect("send");
}

/// Pumps until `done` (→ `success`), doc-unavailable, or a protocol error followed by a close;
/// an error when none of these comes within `WAIT` (however much else arrives).
pub(super) async fn settle(
    c: &mut SyncClient,
    id: DocumentId,
    done: impl Fn(&mut SyncClient) -> bool,
    success: Outcome,
) -> Result<Outcome, String> {
    let verdict = async {
        loop {
            match c.next_event(WAIT).await {
                Ok(Some(Event::Sync(d))) if d == id && done(c) => return Ok(success),
                Ok(Some(Event::Unavailable(d))) if d == id => return Ok(Unavailable),
                Ok(Some(Event::Error(message))) => {
                    return match c.next_event(WAIT).await {
                        Ok(Some(Event::Closed)) | Err(_) => Ok(Refused),
                        other => Err(format!("error `{message}` without a close: {other:?}")),
                    };
                }
                Ok(Some(Event::Closed)) => return Err("closed without a protocol error".into()),
                Ok(Some(_)) => continue,
                Ok(None) => return Err("no answer".into()),
                Err(e) => return Err(e.to_string()),
            }
        }
    };
    tokio::time::timeout(WAIT, verdict).await.unwrap_or_else(|_| Err(format!("no verdict within {WAIT:?}")))
}

/// Connects as the token's owner and waits until the document arrives.
pub(super) async fn hold(app: &TestApp, token: &str, id: DocumentId) -> SyncClient {
    let mut c = connect(app, Some(token)).await;
    c.request(id).await.expect("request");
    c.wait_until(WAIT, |c| !c.doc(id).get_heads().is_empty()).await.expect("document arrives");
    c
}
