//! An instance with something in every kind of table: people, a concept, a discussion, a draft,
//! a closed ballot with votes, metrics; and an editor who keeps typing.

use kompromiss_shared::ballots::{Answer, Choice};
use kompromiss_shared::ids::DocumentId;
use kompromiss_shared::schema::{self, FieldPath};
use kompromiss_tests::app::TestApp;
use kompromiss_tests::client::SyncClient;
use serde_json::{Value, json};
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

use super::super::helpers::{
    WAIT, api_get, api_post, create_doc, open, person, server_view, set_body, start_draft, view, writes,
};

/// What the fixture made.
pub struct Filled {
    pub concept: DocumentId,
    pub ballot: String,
}

/// Fills the instance through its API, as people would.
pub async fn fill(app: &TestApp) -> Filled {
    let editor = app.editor_token.clone();
    let mia = person(app, "Mia Mitglied", Some("member")).await;
    let ben = person(app, "Ben Mitglied", Some("member")).await;
    let concept = create_doc(app).await;
    let concept_view = server_view(app, concept).await;
    let platform = concept_view.platforms[0].id.clone();

    let comments = format!("/api/documents/{concept}/comments");
    let target = json!({ "kind": "platform", "platform_id": platform });
    let (status, thread) = api_post(
        app,
        &mia.token,
        &comments,
        json!({ "target": target, "body": "Reichweite bei Jüngeren", "stance": "for" }),
    )
    .await;
    assert_eq!(status, 201, "{thread}");
    let reply = format!("{comments}/{}/replies", thread["id"].as_str().expect("thread id"));
    assert_eq!(api_post(app, &ben.token, &reply, json!({ "body": "Datenschutz!", "stance": "against" })).await.0, 201);

    let draft = start_draft(app, &mia.token, concept, "Instagram verlassen").await;
    let section = concept_view.sections[1].id.clone();
    assert!(writes(app, &mia.token, draft, set_body(&section, "Wir verlassen Instagram bis Ende 2026.".into())).await);

    let ballots = format!("/api/documents/{concept}/ballots");
    let new = json!({ "title": "Instagram verlassen?", "kind": "proposal", "drafts": [draft.to_string()],
                      "majority": "simple", "quorum": { "kind": "none" }, "changeable": false });
    let (status, opened) = api_post(app, &editor, &ballots, new).await;
    assert_eq!(status, 201, "{opened}");
    let ballot = opened["id"].as_str().expect("ballot id").to_owned();
    for (token, answer) in [(&mia.token, Answer::Yes), (&ben.token, Answer::No), (&editor, Answer::Yes)] {
        let vote = json!({ "choice": Choice::Answer(answer) });
        assert_eq!(api_post(app, token, &format!("/api/ballots/{ballot}/vote"), vote).await.0, 200);
    }
    assert_eq!(api_post(app, &editor, &format!("/api/ballots/{ballot}/close"), json!({})).await.0, 204);

    let metrics = format!("/api/documents/{concept}/metrics");
    for (month, follower) in [("2026-03", 104_000), ("2026-04", 104_950), ("2026-03", 104_100)] {
        let entry = json!({ "platform": platform, "month": month, "source": "Statistik der Plattform",
                            "values": [["follower", follower], ["beitraege", 900]] });
        let (status, entered) = api_post(app, &editor, &metrics, entry).await;
        assert_eq!(status, 200, "{entered}");
    }
    Filled { concept, ballot }
}

/// What the API answers the token's person about the concept's discussion, ballot, metrics and drafts.
pub async fn answers(app: &TestApp, token: &str, filled: &Filled) -> Vec<Value> {
    let concept = filled.concept;
    let mut out = Vec::new();
    for path in [
        format!("/api/documents/{concept}/comments"),
        format!("/api/ballots/{}", filled.ballot),
        format!("/api/documents/{concept}/metrics?year=2026"),
        format!("/api/documents/{concept}/drafts"),
    ] {
        let (status, body) = api_get(app, token, &path).await;
        assert_eq!(status, 200, "{path}: {body}");
        out.push(body);
    }
    out
}

/// An editor typing "Fassung n" into the title, one stored edit after another, until stopped;
/// `stored` is the last n the server acknowledged.
pub struct Typist {
    pub stored: watch::Receiver<u64>,
    stop: CancellationToken,
    task: tokio::task::JoinHandle<()>,
}

impl Typist {
    pub async fn start(app: &TestApp, concept: DocumentId) -> Typist {
        let mut c: SyncClient = open(app, "tippende", concept).await;
        let (tell, stored) = watch::channel(0);
        let stop = CancellationToken::new();
        let until = stop.clone();
        let task = tokio::spawn(async move {
            let mut n = 0;
            while !until.is_cancelled() {
                n += 1;
                let title = format!("Fassung {n}");
                c.edit(concept, |d| {
                    schema::set_text(d, &FieldPath::Title, &title).expect("edit");
                })
                .await
                .expect("edit sent");
                c.wait_until(WAIT, |c| c.is_saved(concept)).await.expect("edit stored");
                let _ = tell.send(n);
            }
            assert!(view(&mut c, concept).title.starts_with("Fassung"));
        });
        Typist { stored, stop, task }
    }

    /// Waits until `more` further edits are stored.
    pub async fn wait_for(&mut self, more: u64) {
        let target = *self.stored.borrow() + more;
        tokio::time::timeout(WAIT, self.stored.wait_for(|n| *n >= target)).await.expect("edits go on").expect("typist");
    }

    pub async fn stop(self) -> u64 {
        self.stop.cancel();
        self.task.await.expect("typist");
        *self.stored.borrow()
    }
}

/// The number in the title "Fassung n" of the concept as `app` serves it.
pub async fn title_number(app: &TestApp, concept: DocumentId) -> u64 {
    let title = server_view(app, concept).await.title;
    title.strip_prefix("Fassung ").and_then(|n| n.parse().ok()).unwrap_or_else(|| panic!("title {title}"))
}
