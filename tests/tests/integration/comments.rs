//! Comments over the JSON API on SQLite and PostgreSQL: the whole life of a thread, platform
//! discussions with stances, the limits, and who may do what.

use kompromiss_shared::anchor::{self, Anchor};
use kompromiss_shared::comments::MAX_COMMENTS_PER_MINUTE;
use kompromiss_shared::dto::comments::{Discussion, ThreadTarget};
use kompromiss_shared::ids::DocumentId;
use kompromiss_shared::perm::{Level, Subject};
use kompromiss_shared::schema::{FieldPath, KEY_BODY};
use kompromiss_tests::app::TestApp;
use kompromiss_tests::db::TestDb;
use serde_json::{Value, json};

use super::helpers::{WAIT, create_doc, open, view};

/// A person's calls to one document's comments.
struct Api<'a> {
    app: &'a TestApp,
    http: reqwest::Client,
    doc: DocumentId,
    token: Option<String>,
}

impl Api<'_> {
    fn url(&self, rest: &str) -> String {
        format!("{}/api/documents/{}/comments{rest}", self.app.http(), self.doc)
    }

    async fn send(&self, method: reqwest::Method, rest: &str, body: Option<Value>) -> (u16, Value) {
        let mut req = self.http.request(method, self.url(rest)).header("accept", "application/json");
        if let Some(token) = &self.token {
            req = req.bearer_auth(token);
        }
        if let Some(body) = body {
            req = req.json(&body);
        }
        let res = req.send().await.expect("request");
        let status = res.status().as_u16();
        let text = res.text().await.expect("body");
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    async fn list(&self) -> (u16, Option<Discussion>) {
        let (status, body) = self.send(reqwest::Method::GET, "", None).await;
        (status, serde_json::from_value(body).ok())
    }

    async fn post(&self, rest: &str, body: Value) -> (u16, Value) {
        self.send(reqwest::Method::POST, rest, Some(body)).await
    }
}

fn api<'a>(app: &'a TestApp, doc: DocumentId, token: Option<&str>) -> Api<'a> {
    Api { app, http: reqwest::Client::new(), doc, token: token.map(str::to_owned) }
}

/// One member token per comment to write, `comments` in all, none used more often than the
/// limit of comments a person may write in a minute.
async fn writers(app: &TestApp, comments: usize) -> Vec<String> {
    let mut tokens = Vec::new();
    for i in 0..comments.div_ceil(MAX_COMMENTS_PER_MINUTE as usize) {
        tokens.push(app.token_for(&format!("Schreibende {i}"), Some("member")).await);
    }
    tokens
        .iter()
        .flat_map(|t| std::iter::repeat_n(t.clone(), MAX_COMMENTS_PER_MINUTE as usize))
        .take(comments)
        .collect()
}

/// An anchor on the first occurrence of `words` in the first section's body, as the server holds it.
async fn anchor_on(app: &TestApp, doc: DocumentId, words: &str) -> Anchor {
    let mut c = open(app, "leserin", doc).await;
    let section = view(&mut c, doc).sections[0].clone();
    let field = FieldPath::Section { id: section.id, field: KEY_BODY.into() };
    let byte = section.body.find(words).unwrap_or_else(|| panic!("{words:?} in {:?}", section.body));
    let start = section.body[..byte].chars().count();
    let end = start + words.chars().count();
    let d = c.doc(doc);
    let heads = d.get_heads();
    anchor::create(d, &heads, &field, start, end).expect("anchor")
}

#[tokio::test]
async fn a_thread_lives_through_reply_edit_delete_resolve_and_reopen() {
    for db in TestDb::all().await {
        let backend = db.backend();
        let app = TestApp::spawn(&db).await;
        let doc = create_doc(&app).await;
        let words = {
            let mut c = open(&app, "leserin", doc).await;
            let text = view(&mut c, doc).sections[0].body.clone();
            text.split_whitespace().take(2).collect::<Vec<_>>().join(" ")
        };
        let anchor = anchor_on(&app, doc, &words).await;
        let anna_token = app.token_for("Anna Mitglied", Some("member")).await;
        let ben_token = app.token_for("Ben Mitglied", Some("member")).await;
        let (anna, ben, editor) = (
            api(&app, doc, Some(&anna_token)),
            api(&app, doc, Some(&ben_token)),
            api(&app, doc, Some(&app.editor_token)),
        );

        let (status, created) = anna
            .post("", json!({ "target": { "kind": "passage", "anchor": anchor }, "body": "Warum **zuerst**?" }))
            .await;
        assert_eq!(status, 201, "{backend}: {created}");
        let thread = created["id"].as_str().expect("thread id").to_owned();
        let (status, reply) =
            editor.post(&format!("/{thread}/replies"), json!({ "body": "Weil dort unsere Leute sind." })).await;
        assert_eq!(status, 201, "{backend}: {reply}");
        let reply_id = reply["id"].as_str().expect("reply id").to_owned();

        let (status, list) = ben.list().await;
        assert_eq!(status, 200);
        let t = &list.expect("discussion").threads[0];
        assert!(matches!(&t.target, ThreadTarget::Passage { anchor: a } if a.quote == words), "{backend}: {t:?}");
        assert_eq!(t.created_by.name, "Anna Mitglied");
        assert_eq!(t.comments.len(), 2);
        assert_eq!(t.comments[0].body.as_deref(), Some("Warum **zuerst**?"));
        let first = t.comments[0].id.clone();

        // Only the author changes a comment; the old words are kept.
        let path = format!("/{thread}/{first}");
        let (status, _) = ben.send(reqwest::Method::PATCH, &path, Some(json!({ "body": "Gekapert" }))).await;
        assert_eq!(status, 403, "{backend}: someone else's comment");
        let (status, _) =
            anna.send(reqwest::Method::PATCH, &path, Some(json!({ "body": "Warum zuerst Mastodon?" }))).await;
        assert_eq!(status, 204, "{backend}: own comment");
        let store = kompromiss_server::db::Db::connect(&db.url(), Default::default()).await.expect("db");
        let kept = kompromiss_server::db::comments::revisions(&store, &first).await.expect("revisions");
        assert_eq!(kept.iter().map(|(b, _)| b.as_str()).collect::<Vec<_>>(), ["Warum **zuerst**?"], "{backend}");
        store.close().await;

        // Deleting leaves a placeholder without the words.
        let (status, _) = editor.send(reqwest::Method::DELETE, &format!("/{thread}/{first}"), None).await;
        assert_eq!(status, 403, "{backend}: an editor does not delete others' words");
        let (status, _) = anna.send(reqwest::Method::DELETE, &format!("/{thread}/{first}"), None).await;
        assert_eq!(status, 204);
        let t = ben.list().await.1.expect("discussion").threads.remove(0);
        assert!(t.comments[0].deleted && t.comments[0].body.is_none(), "{backend}: {:?}", t.comments[0]);
        assert!(t.comments[0].edited_at.is_some());
        assert_eq!(t.comments[1].id, reply_id);

        // The author or an editor resolves and reopens; another member may not.
        assert_eq!(ben.post(&format!("/{thread}/resolve"), json!({})).await.0, 403, "{backend}");
        assert_eq!(anna.post(&format!("/{thread}/resolve"), json!({})).await.0, 204, "{backend}");
        let t = ben.list().await.1.expect("discussion").threads.remove(0);
        assert_eq!(t.resolved.as_ref().map(|(p, _)| p.name.as_str()), Some("Anna Mitglied"));
        assert_eq!(editor.post(&format!("/{thread}/reopen"), json!({})).await.0, 204, "{backend}");
        assert!(ben.list().await.1.expect("discussion").threads[0].resolved.is_none());

        // Unknown threads and comments are 404.
        assert_eq!(ben.post("/t0000000000000000/replies", json!({ "body": "Hallo" })).await.0, 404);
        let other_doc = create_doc(&app).await;
        let elsewhere = api(&app, other_doc, Some(&ben_token));
        assert_eq!(elsewhere.post(&format!("/{thread}/replies"), json!({ "body": "Hallo" })).await.0, 404, "{backend}");
        app.stop().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn a_platform_discussion_carries_stances_and_bad_input_is_refused_with_its_field() {
    for db in TestDb::all().await {
        let backend = db.backend();
        let app = TestApp::spawn(&db).await;
        let doc = create_doc(&app).await;
        let platform = {
            let mut c = open(&app, "leserin", doc).await;
            view(&mut c, doc).platforms.iter().find(|p| p.name == "Instagram").expect("Instagram").id.clone()
        };
        let member = app.token_for("Mira Mitglied", Some("member")).await;
        let mira = api(&app, doc, Some(&member));
        let target = json!({ "kind": "platform", "platform_id": platform });
        let (status, created) =
            mira.post("", json!({ "target": target, "body": "Reichweite bei Jüngeren", "stance": "for" })).await;
        assert_eq!(status, 201, "{backend}: {created}");
        let thread = created["id"].as_str().expect("id").to_owned();
        assert_eq!(
            mira.post(&format!("/{thread}/replies"), json!({ "body": "Datenschutz!", "stance": "against" })).await.0,
            201
        );
        let t = mira.list().await.1.expect("discussion").threads.remove(0);
        let stances: Vec<_> = t.comments.iter().map(|c| c.stance.map(|s| s.as_str())).collect();
        assert_eq!(stances, [Some("for"), Some("against")], "{backend}");

        let anchor = anchor_on(&app, doc, &{
            let mut c = open(&app, "leserin", doc).await;
            view(&mut c, doc).sections[0].body.split_whitespace().next().expect("a word").to_owned()
        })
        .await;
        let passage = json!({ "kind": "passage", "anchor": anchor });
        for (body, field) in [
            (json!({ "target": passage, "body": "Text", "stance": "for" }), "stance"),
            (
                json!({ "target": { "kind": "platform", "platform_id": "gibt-es-nicht" }, "body": "Text" }),
                "platform_id",
            ),
            (json!({ "target": passage, "body": "   " }), "body"),
            (json!({ "target": passage, "body": "x".repeat(10_001) }), "body"),
            (json!({ "target": passage }), "body"),
            (json!({ "target": { "kind": "passage", "anchor": { "start": "ü@ab" } }, "body": "Text" }), "body"),
        ] {
            let (status, answer) = mira.post("", body.clone()).await;
            assert_eq!(status, 400, "{backend}: {body}: {answer}");
            assert_eq!(answer["error"]["field"], field, "{backend}: {answer}");
        }
        // A passage that is no longer there cannot be commented on.
        let mut gone = anchor.clone();
        gone.field = FieldPath::Section { id: "fehlt".into(), field: KEY_BODY.into() };
        let (status, answer) =
            mira.post("", json!({ "target": { "kind": "passage", "anchor": gone }, "body": "Text" })).await;
        assert_eq!((status, answer["error"]["field"].as_str()), (400, Some("anchor")), "{backend}");
        app.stop().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn only_those_who_may_take_part_write_and_those_who_may_not_read_learn_nothing() {
    for db in TestDb::all().await {
        let backend = db.backend();
        let app = TestApp::spawn(&db).await;
        let doc = create_doc(&app).await;
        let public_doc = create_doc(&app).await;
        let store = kompromiss_server::db::Db::connect(&db.url(), Default::default()).await.expect("db");
        kompromiss_server::db::grants::set(&store, public_doc, &Subject::Public, Some(Level::Read), None)
            .await
            .expect("grant");
        store.close().await;
        let outsider = app.token_for("Ohne Rolle", None).await;
        let member = app.token_for("Mitglied", Some("member")).await;
        let platform = {
            let mut c = open(&app, "leserin", doc).await;
            view(&mut c, doc).platforms[0].id.clone()
        };
        let target = json!({ "kind": "platform", "platform_id": platform });
        let (status, created) =
            api(&app, doc, Some(&member)).post("", json!({ "target": target, "body": "Erster" })).await;
        assert_eq!(status, 201, "{backend}: {created}");
        let thread = created["id"].as_str().expect("id").to_owned();

        // Without read access: the same answer as for a missing document, for every action.
        let missing = kompromiss_server::concepts::new_document_id();
        for (who, d, expect) in [(Some(&outsider), doc, 404), (None, doc, 401), (Some(&outsider), missing, 404)] {
            let a = api(&app, d, who.map(String::as_str));
            assert_eq!(a.list().await.0, expect, "{backend}: list");
            assert_eq!(a.post("", json!({ "target": target, "body": "x" })).await.0, expect, "{backend}: open");
            assert_eq!(a.post(&format!("/{thread}/replies"), json!({ "body": "x" })).await.0, expect, "{backend}");
            assert_eq!(a.post(&format!("/{thread}/resolve"), json!({})).await.0, expect, "{backend}: resolve");
        }
        // Reading a public document without sign-in shows its threads; writing needs sign-in.
        let public_target = {
            let mut c = open(&app, "leserin", public_doc).await;
            json!({ "kind": "platform", "platform_id": view(&mut c, public_doc).platforms[0].id })
        };
        let (status, _) =
            api(&app, public_doc, Some(&member)).post("", json!({ "target": public_target, "body": "Hallo" })).await;
        assert_eq!(status, 201);
        let anonymous = api(&app, public_doc, None);
        let (status, list) = anonymous.list().await;
        assert_eq!((status, list.map(|d| d.threads.len())), (200, Some(1)), "{backend}");
        assert_eq!(anonymous.post("", json!({ "target": public_target, "body": "Hallo" })).await.0, 401);
        let reader = api(&app, public_doc, Some(&outsider));
        assert_eq!(reader.list().await.0, 200, "{backend}: public reading");
        assert_eq!(reader.post("", json!({ "target": public_target, "body": "Hallo" })).await.0, 403, "{backend}");
        app.stop().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn a_person_writing_faster_than_the_limit_is_asked_to_wait() {
    for db in TestDb::all().await {
        let backend = db.backend();
        let app = TestApp::spawn(&db).await;
        let doc = create_doc(&app).await;
        let platform = {
            let mut c = open(&app, "leserin", doc).await;
            view(&mut c, doc).platforms[0].id.clone()
        };
        let member = app.token_for("Schnell", Some("member")).await;
        let a = api(&app, doc, Some(&member));
        let (_, created) =
            a.post("", json!({ "target": { "kind": "platform", "platform_id": platform }, "body": "1" })).await;
        let thread = created["id"].as_str().expect("id").to_owned();
        let mut statuses = Vec::new();
        for n in 0..MAX_COMMENTS_PER_MINUTE {
            statuses.push(a.post(&format!("/{thread}/replies"), json!({ "body": format!("{n}") })).await.0);
        }
        let created = statuses.iter().filter(|s| **s == 201).count() as i64;
        assert_eq!(created, MAX_COMMENTS_PER_MINUTE - 1, "{backend}: {statuses:?}");
        assert_eq!(statuses.last(), Some(&429), "{backend}");
        app.stop().await;
        db.cleanup().await;
    }
}

/// Every change to the discussion reaches the document's open connections within a second, as a
/// content-free event (the page fetches what its person may see).
#[tokio::test]
async fn every_change_to_the_discussion_reaches_open_connections_within_a_second() {
    use kompromiss_shared::doc_events::{DocEvent, decode};
    use kompromiss_tests::client::Event;
    for db in TestDb::all().await {
        let backend = db.backend();
        let app = TestApp::spawn(&db).await;
        let doc = create_doc(&app).await;
        let mut watcher = open(&app, "zuschauerin", doc).await;
        let platform = view(&mut watcher, doc).platforms[0].id.clone();
        let member = app.token_for("Mitglied", Some("member")).await;
        let a = api(&app, doc, Some(&member));

        let mut heard = async |what: &str| {
            let until = tokio::time::Instant::now() + std::time::Duration::from_secs(1);
            loop {
                match tokio::time::timeout_at(until, watcher.pump()).await {
                    Ok(Ok(Event::Ephemeral(d, data))) if d == doc && decode(&data) == Some(DocEvent::Comments) => {
                        return;
                    }
                    Ok(Ok(_)) => continue,
                    other => panic!("{backend}: no event within a second after {what}: {other:?}"),
                }
            }
        };
        let (_, created) =
            a.post("", json!({ "target": { "kind": "platform", "platform_id": platform }, "body": "1" })).await;
        heard("a new thread").await;
        let thread = created["id"].as_str().expect("id").to_owned();
        let (_, reply) = a.post(&format!("/{thread}/replies"), json!({ "body": "2" })).await;
        heard("a reply").await;
        let reply = reply["id"].as_str().expect("id").to_owned();
        a.send(reqwest::Method::PATCH, &format!("/{thread}/{reply}"), Some(json!({ "body": "3" }))).await;
        heard("an edit").await;
        a.post(&format!("/{thread}/resolve"), json!({})).await;
        heard("a resolution").await;
        a.post(&format!("/{thread}/reopen"), json!({})).await;
        heard("reopening").await;
        a.send(reqwest::Method::DELETE, &format!("/{thread}/{reply}"), None).await;
        heard("a deletion").await;
        app.stop().await;
        db.cleanup().await;
    }
}

/// Moderation: a member reports a reply, an editor sees it in the queue and hides it with a
/// reason everyone sees; the author still sees their words; restoring and locking work; every
/// step is in the audit log without the comment's words.
#[tokio::test]
async fn a_reported_comment_is_hidden_with_a_reason_restored_and_its_thread_locked() {
    use kompromiss_shared::audit::AuditAction;
    use kompromiss_shared::dto::audit::AuditQuery;
    use kompromiss_shared::dto::comments::ModerationQueue;
    for db in TestDb::all().await {
        let backend = db.backend();
        let app = TestApp::spawn(&db).await;
        let doc = create_doc(&app).await;
        let platform = {
            let mut c = open(&app, "leserin", doc).await;
            view(&mut c, doc).platforms[0].id.clone()
        };
        let (author_token, member_token) =
            (app.token_for("Autorin", Some("member")).await, app.token_for("Melderin", Some("member")).await);
        let (author, member, editor) = (
            api(&app, doc, Some(&author_token)),
            api(&app, doc, Some(&member_token)),
            api(&app, doc, Some(&app.editor_token)),
        );
        let (_, created) = author
            .post("", json!({ "target": { "kind": "platform", "platform_id": platform }, "body": "Sachlich" }))
            .await;
        let thread = created["id"].as_str().expect("id").to_owned();
        let (_, reply) = author.post(&format!("/{thread}/replies"), json!({ "body": "Ihr seid alle Idioten" })).await;
        let reply = reply["id"].as_str().expect("id").to_owned();

        // The author softens the words before anyone reports them: moderators see both.
        let path = format!("/{thread}/{reply}");
        let (status, _) =
            author.send(reqwest::Method::PATCH, &path, Some(json!({ "body": "Ihr seid alle Idioten!" }))).await;
        assert_eq!(status, 204, "{backend}");
        let report = format!("/{thread}/{reply}/reports");
        assert_eq!(member.post(&report, json!({ "reason": "beleidigung" })).await.0, 400, "{backend}: unknown reason");
        let (status, _) = member.post(&report, json!({ "reason": "insult", "note": "Bitte prüfen" })).await;
        assert_eq!(status, 201, "{backend}");
        assert_eq!(member.post(&report, json!({ "reason": "insult" })).await.0, 200, "{backend}: reported already");

        let queue_url = format!("{}/api/documents/{doc}/reports", app.http());
        let get_queue = async |token: &str| {
            let res = reqwest::Client::new().get(&queue_url).bearer_auth(token).send().await.expect("queue");
            (res.status().as_u16(), res.json::<ModerationQueue>().await.ok())
        };
        assert_eq!(get_queue(&member_token).await.0, 403, "{backend}: members do not moderate");
        let (status, queue) = get_queue(&app.editor_token).await;
        let queue = queue.expect("queue");
        assert_eq!((status, queue.reports.len()), (200, 1), "{backend}");
        assert_eq!(
            (queue.reports[0].body.as_str(), queue.reports[0].note.as_str()),
            ("Ihr seid alle Idioten!", "Bitte prüfen")
        );
        assert_eq!(queue.reports[0].earlier, ["Ihr seid alle Idioten"], "{backend}: the earlier wording");

        let hide = format!("/{thread}/{reply}/hide");
        assert_eq!(member.post(&hide, json!({ "reason": "Beleidigung" })).await.0, 403, "{backend}");
        let (status, answer) = editor.post(&hide, json!({ "reason": "  " })).await;
        assert_eq!((status, answer["error"]["field"].as_str()), (400, Some("reason")), "{backend}");
        assert_eq!(editor.post(&hide, json!({ "reason": "Beleidigung" })).await.0, 204, "{backend}");
        let seen_by_member = member.list().await.1.expect("list").threads.remove(0).comments.remove(1);
        assert_eq!(seen_by_member.hidden.as_deref(), Some("Beleidigung"), "{backend}");
        assert_eq!(seen_by_member.body, None, "{backend}: the words are gone for others");
        let seen_by_author = author.list().await.1.expect("list").threads.remove(0).comments.remove(1);
        assert_eq!(seen_by_author.body.as_deref(), Some("Ihr seid alle Idioten!"), "{backend}: the author sees them");
        assert!(get_queue(&app.editor_token).await.1.expect("queue").reports.is_empty(), "{backend}: handled");

        assert_eq!(editor.post(&format!("/{thread}/{reply}/restore"), json!({})).await.0, 204);
        let restored = member.list().await.1.expect("list").threads.remove(0).comments.remove(1);
        assert_eq!((restored.hidden, restored.body.as_deref()), (None, Some("Ihr seid alle Idioten!")), "{backend}");

        // A locked thread takes no replies or edits; unlocked, it does again.
        assert_eq!(member.post(&format!("/{thread}/lock"), json!({})).await.0, 403, "{backend}");
        assert_eq!(editor.post(&format!("/{thread}/lock"), json!({})).await.0, 204, "{backend}");
        assert!(member.list().await.1.expect("list").threads[0].locked);
        let (status, answer) = member.post(&format!("/{thread}/replies"), json!({ "body": "Noch was" })).await;
        assert_eq!((status, answer["error"]["field"].as_str()), (409, Some("locked")), "{backend}");
        let (status, _) = author
            .send(reqwest::Method::PATCH, &format!("/{thread}/{reply}"), Some(json!({ "body": "Entschuldigung" })))
            .await;
        assert_eq!(status, 409, "{backend}");
        assert_eq!(editor.post(&format!("/{thread}/unlock"), json!({})).await.0, 204);
        assert_eq!(member.post(&format!("/{thread}/replies"), json!({ "body": "Noch was" })).await.0, 201, "{backend}");

        let store = kompromiss_server::db::Db::connect(&db.url(), Default::default()).await.expect("db");
        for (action, count) in [
            (AuditAction::CommentReported, 1),
            (AuditAction::CommentHidden, 1),
            (AuditAction::CommentRestored, 1),
            (AuditAction::ThreadLocked, 1),
            (AuditAction::ThreadUnlocked, 1),
        ] {
            let query = AuditQuery { action: Some(action), ..AuditQuery::default() };
            let entries = kompromiss_server::db::audit::list(&store, &query).await.expect("audit");
            assert_eq!(entries.len(), count, "{backend}: {action}");
            assert!(entries.iter().all(|e| !format!("{e:?}").contains("Idioten")), "{backend}: no words in the log");
        }
        store.close().await;
        app.stop().await;
        db.cleanup().await;
    }
}

/// `@Name` tells the person named, a reply tells the thread's other writers, a resolution tells
/// the thread's author, hiding tells the comment's author; the bell counts what is unread, and
/// people who may not read the document are neither offered nor told.
#[tokio::test]
async fn mentions_replies_resolutions_and_hiding_reach_the_right_people() {
    use kompromiss_shared::dto::notifications::{Mentionable, NotificationKind, Notifications};
    for db in TestDb::all().await {
        let backend = db.backend();
        let app = TestApp::spawn(&db).await;
        let doc = create_doc(&app).await;
        let platform = {
            let mut c = open(&app, "leserin", doc).await;
            view(&mut c, doc).platforms[0].id.clone()
        };
        let anna_token = app.token_for("Anna Berger", Some("member")).await;
        let ben_token = app.token_for("Ben Schulz", Some("member")).await;
        let outsider_token = app.token_for("Olaf Außen", None).await;
        let (anna, ben, editor) = (
            api(&app, doc, Some(&anna_token)),
            api(&app, doc, Some(&ben_token)),
            api(&app, doc, Some(&app.editor_token)),
        );
        let http = reqwest::Client::new();
        let bell = async |token: &str| -> Notifications {
            let res =
                http.get(format!("{}/api/notifications", app.http())).bearer_auth(token).send().await.expect("bell");
            assert_eq!(res.status(), 200);
            res.json().await.expect("json")
        };

        // The picker offers readers only.
        let offered: Mentionable = http
            .get(format!("{}/api/documents/{doc}/people?q=be", app.http()))
            .bearer_auth(&anna_token)
            .send()
            .await
            .expect("people")
            .json()
            .await
            .expect("json");
        let names: Vec<&str> = offered.people.iter().map(|p| p.name.as_str()).collect();
        assert!(names.contains(&"Ben Schulz") && names.contains(&"Anna Berger"), "{backend}: {names:?}");
        assert!(!names.contains(&"Olaf Außen"), "{backend}: no access, not offered");

        let target = json!({ "kind": "platform", "platform_id": platform });
        let (_, created) =
            anna.post("", json!({ "target": target, "body": "Was meint @Ben Schulz dazu? Und @Olaf Außen?" })).await;
        let thread = created["id"].as_str().expect("id").to_owned();
        let (_, reply) = ben.post(&format!("/{thread}/replies"), json!({ "body": "Dafür." })).await;
        let reply = reply["id"].as_str().expect("id").to_owned();
        assert_eq!(editor.post(&format!("/{thread}/resolve"), json!({})).await.0, 204);
        assert_eq!(editor.post(&format!("/{thread}/{reply}/hide"), json!({ "reason": "Test" })).await.0, 204);

        // Newest first; two made in the same millisecond may come in either order.
        let kinds = |n: &Notifications| {
            let mut k: Vec<&str> = n.items.iter().map(|i| i.kind.as_str()).collect();
            k.sort_unstable();
            k
        };
        let for_ben = bell(&ben_token).await;
        assert_eq!(kinds(&for_ben), ["hidden", "mention"], "{backend}");
        assert_eq!(for_ben.unread, 2);
        let mention = for_ben.items.iter().find(|i| i.kind == NotificationKind::Mention).expect("mention");
        assert_eq!(mention.link, format!("/d/{doc}#thread-{thread}"));
        assert_eq!(mention.actor.name, "Anna Berger");
        let mention_id = mention.id.clone();
        let for_anna = bell(&anna_token).await;
        assert_eq!(kinds(&for_anna), ["reply", "resolved"], "{backend}");
        assert!(bell(&outsider_token).await.items.is_empty(), "{backend}: not told about what they cannot read");
        assert!(bell(&app.editor_token).await.items.is_empty(), "{backend}: nobody tells themselves");

        let mark = async |token: &str, body: Value| {
            let res = http.post(format!("{}/api/notifications/read", app.http())).bearer_auth(token).json(&body);
            res.send().await.expect("mark").status().as_u16()
        };
        assert_eq!(mark(&ben_token, json!({ "ids": [mention_id] })).await, 204);
        assert_eq!(bell(&ben_token).await.unread, 1, "{backend}");
        let other_id = for_ben.items.iter().find(|i| i.id != mention_id).expect("the other").id.clone();
        assert_eq!(mark(&anna_token, json!({ "ids": [other_id] })).await, 204);
        assert_eq!(bell(&ben_token).await.unread, 1, "{backend}: nobody marks another person's");
        assert_eq!(mark(&ben_token, json!({ "all": true })).await, 204);
        assert_eq!(bell(&ben_token).await.unread, 0);
        let anonymous = http.get(format!("{}/api/notifications", app.http())).send().await.expect("bell");
        assert_eq!(anonymous.status(), 401);
        app.stop().await;
        db.cleanup().await;
    }
}

/// When every word of a commented passage is deleted, the thread stays and the server reports
/// it as removed (with the words as they were); typing around it does not.
#[tokio::test]
async fn a_thread_whose_words_are_deleted_is_reported_removed_and_keeps_its_quote() {
    use kompromiss_shared::schema;
    for db in TestDb::all().await {
        let backend = db.backend();
        let app = TestApp::spawn(&db).await;
        let doc = create_doc(&app).await;
        let anchor = anchor_on(&app, doc, "Gesellschaftliche Diskurse").await;
        let member = app.token_for("Mitglied", Some("member")).await;
        let a = api(&app, doc, Some(&member));
        let (status, _) =
            a.post("", json!({ "target": { "kind": "passage", "anchor": anchor }, "body": "Welche?" })).await;
        assert_eq!(status, 201, "{backend}");
        let removed = async || a.list().await.1.expect("list").threads[0].removed;

        let mut editor = open(&app, "redaktion", doc).await;
        let body = view(&mut editor, doc).sections[0].body.clone();
        let path = FieldPath::Section { id: view(&mut editor, doc).sections[0].id.clone(), field: KEY_BODY.into() };
        // Typed as people type: one end, then the other (one splice each).
        let prepended = format!("Vorweg. {body}");
        editor
            .edit(doc, |d| {
                schema::set_text(d, &path, &prepended).expect("edit");
            })
            .await
            .expect("edit");
        let before = format!("{prepended} Danach.");
        editor
            .edit(doc, |d| {
                schema::set_text(d, &path, &before).expect("edit");
            })
            .await
            .expect("edit");
        editor.wait_until(WAIT, |c| c.is_saved(doc)).await.expect("saved");
        assert!(!removed().await, "{backend}: typing around the passage keeps it");
        // The server places the passage where its words are now (for the highlight on the page).
        let at = a.list().await.1.expect("list").threads[0].at.expect("placed");
        let placed: String = before.chars().skip(at.0).take(at.1 - at.0).collect();
        assert_eq!(placed, "Gesellschaftliche Diskurse", "{backend}");

        let without = before.replace("Gesellschaftliche Diskurse", "");
        editor
            .edit(doc, |d| {
                schema::set_text(d, &path, &without).expect("edit");
            })
            .await
            .expect("edit");
        editor.wait_until(WAIT, |c| c.is_saved(doc)).await.expect("saved");
        assert!(removed().await, "{backend}: every word gone");
        let t = a.list().await.1.expect("list").threads.remove(0);
        assert_eq!(t.at, None, "{backend}: nothing left to highlight");
        assert!(matches!(t.target, ThreadTarget::Passage { anchor } if anchor.quote == "Gesellschaftliche Diskurse"));
        app.stop().await;
        db.cleanup().await;
    }
}

/// An administrator of a document names a member as moderator of its discussion: the member then
/// sees the queue and hides comments there (and only there) until removed; both steps are
/// audited.
#[tokio::test]
async fn a_member_named_moderator_moderates_that_document_until_removed() {
    use kompromiss_server::cli::admin::AdminCommand;
    use kompromiss_shared::audit::AuditAction;
    use kompromiss_shared::dto::audit::AuditQuery;

    use super::authz::server_fns::{server_fn, server_fn_suffix};
    for db in TestDb::all().await {
        let backend = db.backend();
        let app = TestApp::spawn(&db).await;
        let (doc, other) = (create_doc(&app).await, create_doc(&app).await);
        let platform = {
            let mut c = open(&app, "leserin", doc).await;
            view(&mut c, doc).platforms[0].id.clone()
        };
        let mod_id = app
            .admin(AdminCommand::CreateUser { name: "Moni Moderation".into(), role: Some("member".into()) })
            .await
            .expect("user");
        let mod_token =
            app.admin(AdminCommand::CreateToken { user: mod_id.clone(), name: "t".into() }).await.expect("t");
        let author_token = app.token_for("Autor", Some("member")).await;
        let (author, moderator) = (api(&app, doc, Some(&author_token)), api(&app, doc, Some(&mod_token)));
        let (_, created) = author
            .post("", json!({ "target": { "kind": "platform", "platform_id": platform }, "body": "Alles Mist hier" }))
            .await;
        let thread = created["id"].as_str().expect("id").to_owned();
        let comment = created["comment"].as_str().expect("comment").to_owned();
        let queue = async |d: DocumentId| {
            let url = format!("{}/api/documents/{d}/reports", app.http());
            reqwest::Client::new().get(url).bearer_auth(&mod_token).send().await.expect("queue").status().as_u16()
        };
        let hide = format!("/{thread}/{comment}/hide");
        assert_eq!(queue(doc).await, 403, "{backend}: not yet a moderator");
        assert_eq!(moderator.post(&hide, json!({ "reason": "Ton" })).await.0, 403, "{backend}");
        assert!(!moderator.list().await.1.expect("list").can_moderate, "{backend}");

        let http = reqwest::Client::new();
        let admin_cookie = app.dev_cookie("Ada Admin", "admin").await;
        let page = http.get(format!("{}/admin", app.http())).header("cookie", &admin_cookie).send().await;
        let suffix = server_fn_suffix(&page.expect("admin page").text().await.expect("html"));
        let set = |named: bool, cookie: String| {
            let args = format!("doc={doc}&user={mod_id}&named={named}");
            let req = server_fn(&http, &app, &suffix, "set_moderator", &args).header("cookie", cookie);
            async move { req.send().await.expect("set_moderator").status().as_u16() }
        };
        let editor_cookie = app.dev_cookie("Emil Redaktion", "editor").await;
        assert_eq!(set(true, editor_cookie).await, 403, "{backend}: editors do not name moderators");
        assert_eq!(set(true, admin_cookie.clone()).await, 200, "{backend}");

        assert_eq!(queue(doc).await, 200, "{backend}: named moderator sees the queue");
        assert_eq!(queue(other).await, 403, "{backend}: only on that document");
        assert!(moderator.list().await.1.expect("list").can_moderate, "{backend}");
        assert_eq!(moderator.post(&hide, json!({ "reason": "Ton" })).await.0, 204, "{backend}");
        assert_eq!(author.list().await.1.expect("list").threads[0].comments[0].hidden.as_deref(), Some("Ton"));

        assert_eq!(set(false, admin_cookie.clone()).await, 200, "{backend}");
        assert_eq!(queue(doc).await, 403, "{backend}: removed");

        // At most MAX_PER_DOCUMENT named moderators: the next one is refused as invalid.
        let store = kompromiss_server::db::Db::connect(&db.url(), Default::default()).await.expect("db");
        for i in 0..kompromiss_server::db::moderators::MAX_PER_DOCUMENT {
            let name = format!("Mod {i}");
            let id = app.admin(AdminCommand::CreateUser { name, role: None }).await.expect("user");
            assert!(kompromiss_server::db::moderators::set(&store, doc, &id, true, None, 1).await.expect("set"));
        }
        let (status, body) = {
            let args = format!("doc={doc}&user={mod_id}&named=true");
            let res = server_fn(&http, &app, &suffix, "set_moderator", &args)
                .header("cookie", admin_cookie)
                .send()
                .await
                .expect("set_moderator");
            (res.status().as_u16(), res.text().await.expect("body"))
        };
        assert_eq!(status, 400, "{backend}: {body}");
        assert!(body.contains("limit"), "{backend}: {body}");
        assert_eq!(queue(doc).await, 403, "{backend}: not named past the limit");
        store.close().await;
        let store = kompromiss_server::db::Db::connect(&db.url(), Default::default()).await.expect("db");
        for action in [AuditAction::ModeratorNamed, AuditAction::ModeratorRemoved] {
            let query = AuditQuery { action: Some(action), ..AuditQuery::default() };
            let entries = kompromiss_server::db::audit::list(&store, &query).await.expect("audit");
            assert_eq!(entries.len(), 1, "{backend}: {action}");
        }
        store.close().await;
        app.stop().await;
        db.cleanup().await;
    }
}

/// However large a discussion grows, one answer carries at most `MAX_LISTED_CHARS` characters of
/// comment words: the newest threads that fit, and `older` to page back for the rest.
#[tokio::test]
async fn a_discussion_larger_than_one_answer_is_listed_newest_first_and_paged_back() {
    use kompromiss_server::db::comments::MAX_LISTED_CHARS;
    // Megabytes of comments: not while another test measures this process's memory.
    let _turn = super::helpers::MEMORY_TURN.lock().await;
    for db in TestDb::all().await {
        let backend = db.backend();
        let app = TestApp::spawn(&db).await;
        let doc = create_doc(&app).await;
        let platform = {
            let mut c = open(&app, "leserin", doc).await;
            view(&mut c, doc).platforms[0].id.clone()
        };
        let per_comment = 10_000usize;
        // Two big threads, each a little over half the bound: only one fits beside a small one.
        let per_thread = (MAX_LISTED_CHARS as usize / 2) / per_comment + 1;
        let writers = writers(&app, 2 * per_thread + 1).await;
        let mut writers = writers.iter();
        let mut thread_ids = Vec::new();
        for name in ["alt", "mittel"] {
            let words = name.repeat(per_comment / name.len());
            let a = api(&app, doc, Some(writers.next().expect("writer")));
            let (status, created) =
                a.post("", json!({ "target": { "kind": "platform", "platform_id": platform }, "body": words })).await;
            assert_eq!(status, 201, "{backend}");
            let thread = created["id"].as_str().expect("id").to_owned();
            for _ in 1..per_thread {
                let a = api(&app, doc, Some(writers.next().expect("writer")));
                assert_eq!(a.post(&format!("/{thread}/replies"), json!({ "body": words })).await.0, 201, "{backend}");
            }
            thread_ids.push(thread);
            // Threads are ordered by creation time in milliseconds.
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        let a = api(&app, doc, Some(writers.next().expect("writer")));
        let (_, created) =
            a.post("", json!({ "target": { "kind": "platform", "platform_id": platform }, "body": "neu" })).await;
        thread_ids.push(created["id"].as_str().expect("id").to_owned());

        let first = a.list().await.1.expect("list");
        let ids: Vec<&str> = first.threads.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, [thread_ids[1].as_str(), thread_ids[2].as_str()], "{backend}: the newest that fit");
        assert_eq!(first.older.as_deref(), Some(thread_ids[1].as_str()), "{backend}");
        let chars: usize = first
            .threads
            .iter()
            .flat_map(|t| &t.comments)
            .filter_map(|c| c.body.as_ref())
            .map(|b| b.chars().count())
            .sum();
        assert!(chars <= MAX_LISTED_CHARS as usize, "{backend}: {chars}");
        let (status, rest) = a.send(reqwest::Method::GET, &format!("?before={}", thread_ids[1]), None).await;
        assert_eq!(status, 200, "{backend}");
        let rest: Discussion = serde_json::from_value(rest).expect("discussion");
        assert_eq!(
            rest.threads.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(),
            [thread_ids[0].as_str()],
            "{backend}"
        );
        assert_eq!(rest.threads[0].comments.len(), per_thread, "{backend}: whole threads only");
        assert_eq!(rest.older, None, "{backend}: nothing older");
        let too_long = format!("?before={}", "x".repeat(65));
        assert_eq!(a.send(reqwest::Method::GET, &too_long, None).await.0, 400, "{backend}: a cursor is a thread id");
        let (status, none) = a.send(reqwest::Method::GET, "?before=kein-thread", None).await;
        assert_eq!((status, none["threads"].as_array().map(Vec::len)), (200, Some(0)), "{backend}: unknown cursor");
        app.stop().await;
        db.cleanup().await;
    }
}

/// The server-rendered page carries the comments of the panel's first threads only; every
/// passage keeps its place (for the highlights), and the page's data says what is missing.
#[tokio::test]
async fn the_first_render_of_a_long_discussion_carries_its_newest_threads_whole() {
    use kompromiss_shared::comments::PANEL_THREADS;
    let db = TestDb::sqlite();
    let app = TestApp::spawn(&db).await;
    let doc = create_doc(&app).await;
    let anchor = anchor_on(&app, doc, "Gesellschaftliche Diskurse").await;
    let count = PANEL_THREADS + 5;
    let writers = writers(&app, count).await;
    for (i, token) in writers.iter().enumerate() {
        let a = api(&app, doc, Some(token));
        let body =
            json!({ "target": { "kind": "passage", "anchor": anchor }, "body": format!("Beitrag Nummer {i:03}") });
        assert_eq!(a.post("", body).await.0, 201);
        if i % 10 == 9 {
            tokio::time::sleep(std::time::Duration::from_millis(2)).await;
        }
    }
    let html = reqwest::Client::new()
        .get(format!("{}/d/{doc}", app.http()))
        .bearer_auth(&app.editor_token)
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(html.contains(&format!("Beitrag Nummer {:03}", count - 1)), "the newest thread is whole");
    assert!(!html.contains("Beitrag Nummer 000"), "the oldest thread's words come after the page loads");
    assert!(html.contains("partial"), "the page data says so");
    assert_eq!(html.matches("<mark class=\"hl\"").count(), 1, "one passage, highlighted once");
    // The API answers whole.
    let all = api(&app, doc, Some(&app.editor_token)).list().await.1.expect("list");
    assert!(all.threads.iter().all(|t| !t.partial && t.comments.len() == 1));
    app.stop().await;
    db.cleanup().await;
}
