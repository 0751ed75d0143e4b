//! Drafts on SQLite and PostgreSQL: start, co-author, catch up, merge whole and section-wise,
//! withdraw and reopen, with who may do what on REST and sync, and who wrote the merged words.

use kompromiss_shared::anchor;
use kompromiss_shared::decision::Decision;
use kompromiss_shared::dto::drafts::{CaughtUp, DraftDetail, DraftList, DraftStatus, MergeInfo, MergePreview};
use kompromiss_shared::dto::history::ChangeHistory;
use kompromiss_shared::ids::DocumentId;
use kompromiss_shared::schema::{self, FieldPath, KEY_BODY};
use kompromiss_tests::app::TestApp;
use kompromiss_tests::client::{Event, SyncClient};
use kompromiss_tests::db::TestDb;
use serde_json::{Value, json};

use super::helpers::{
    WAIT, api_get as get, api_post as post, create_doc, list_docs, person, server_view, set_body, start_draft as start,
    writes,
};

async fn detail(app: &TestApp, token: &str, draft: &str) -> DraftDetail {
    let (status, body) = get(app, token, &format!("/api/drafts/{draft}")).await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_value(body).expect("draft detail")
}

/// Whether the token's person is told the document exists over sync (else: unavailable).
async fn sync_sees(app: &TestApp, token: &str, id: DocumentId) -> bool {
    let mut c = SyncClient::connect(&app.ws_as(token), "prober").await.expect("connect");
    c.request(id).await.expect("request");
    loop {
        match c.next_event(WAIT).await.expect("event") {
            Some(Event::Sync(_)) if !c.doc(id).get_heads().is_empty() => return true,
            Some(Event::Unavailable(_)) => return false,
            Some(Event::Error(message)) => panic!("refused: {message}"),
            Some(Event::Closed) | None => panic!("no answer"),
            Some(_) => continue,
        }
    }
}

#[tokio::test]
async fn a_draft_is_started_written_caught_up_and_merged_with_each_role_held_to_its_part() {
    for db in TestDb::all().await {
        let backend = db.backend();
        let app = TestApp::spawn(&db).await;
        let concept = create_doc(&app).await;
        let mia = person(&app, "Mia Mitglied", Some("member")).await;
        let ben = person(&app, "Ben Mitglied", Some("member")).await;
        let out = person(&app, "Olaf Außen", None).await;
        let editor = app.editor_token.clone();
        let before = server_view(&app, concept).await;
        let (s1, s2) = (before.sections[1].clone(), before.sections[2].clone());
        let instagram = before.platforms.iter().find(|p| p.name.contains("Instagram")).expect("instagram").id.clone();

        // A member starts a draft; it is no document of its own in the list.
        let draft = start(&app, &mia.token, concept, "Instagram verlassen").await;
        assert!(list_docs(&app).await.iter().all(|d| d["id"] != draft.to_string()), "{backend}: not listed");
        let (status, _) =
            post(&app, &out.token, &format!("/api/documents/{concept}/drafts"), json!({ "title": "x" })).await;
        assert_eq!(status, 404, "{backend}: an outsider cannot start one");
        let (status, _) =
            post(&app, &mia.token, &format!("/api/documents/{concept}/drafts"), json!({ "title": " " })).await;
        assert_eq!(status, 400, "{backend}: a title is needed");

        // Who sees and writes what.
        let missing = DocumentId::from_random(rand::random());
        let (hidden, _) = get(&app, &out.token, &format!("/api/drafts/{draft}")).await;
        let (absent, _) = get(&app, &out.token, &format!("/api/drafts/{missing}")).await;
        assert_eq!((hidden, absent), (404, 404), "{backend}: an outsider cannot tell a draft from nothing");
        assert!(!sync_sees(&app, &out.token, draft).await, "{backend}: nor over sync");
        assert!(sync_sees(&app, &ben.token, draft).await, "{backend}: a reader of the concept reads the draft");
        let rewritten = format!("Wir verlassen Instagram, weil Meta unsere Daten nutzt. {}", s1.body);
        assert!(
            !writes(&app, &ben.token, draft, set_body(&s1.id, "Gekapert".into())).await,
            "{backend}: not an author"
        );
        assert!(
            !writes(&app, &mia.token, concept, set_body(&s1.id, "Gekapert".into())).await,
            "{backend}: members do not edit the concept"
        );
        assert!(
            writes(&app, &mia.token, draft, set_body(&s1.id, rewritten.clone())).await,
            "{backend}: the author writes"
        );
        let leave = instagram.clone();
        assert!(
            writes(&app, &mia.token, draft, move |d| {
                schema::set_decision(d, &leave, Decision::Verlassen).expect("decision");
            })
            .await
        );

        // Mia comments on her new words in the draft: the thread stays with the draft.
        let words = "Wir verlassen Instagram";
        let anchor = {
            let mut c = SyncClient::connect(&app.ws_as(&mia.token), "anker").await.expect("connect");
            c.request(draft).await.expect("request");
            c.wait_until(WAIT, |c| {
                schema::read_concept(c.doc(draft)).sections.iter().any(|s| s.body.starts_with(words))
            })
            .await
            .expect("her words arrive");
            let field = FieldPath::Section { id: s1.id.clone(), field: KEY_BODY.into() };
            let d = c.doc(draft);
            let heads = d.get_heads();
            anchor::create(d, &heads, &field, 0, words.chars().count()).expect("anchor")
        };
        let thread = json!({ "target": { "kind": "passage", "anchor": anchor }, "body": "Reicht das als Begründung?" });
        assert_eq!(
            post(&app, &mia.token, &format!("/api/documents/{draft}/comments"), thread).await.0,
            201,
            "{backend}"
        );
        assert_eq!(get(&app, &out.token, &format!("/api/documents/{draft}/comments")).await.0, 404, "{backend}");

        // The editor changes another section of the concept meanwhile.
        let editor_words = format!("{} Die Redaktion ergänzt diesen Satz.", s2.body);
        assert!(writes(&app, &editor, concept, set_body(&s2.id, editor_words.clone())).await, "{backend}");

        let d = detail(&app, &ben.token, &draft.to_string()).await;
        assert_eq!(d.status, DraftStatus::Open);
        assert!(!d.can_edit && !d.is_author && !d.can_merge, "{backend}: {d:?}");
        assert_eq!(d.diff.sections.len(), 1, "{backend}: the draft's own change: {:?}", d.diff);
        assert_eq!(d.diff.sections[0].id, s1.id);
        assert!(d.diff.sections[0].lines.is_some(), "{backend}: numbered");
        assert_eq!(d.diff.platforms.len(), 1);
        assert_eq!(d.diff.platforms[0].decision.map(|(_, new)| new), Some(Decision::Verlassen));
        assert!(d.meanwhile.as_ref().is_some_and(|m| m.sections.iter().any(|s| s.id == s2.id)), "{backend}: behind");
        let (status, list) = get(&app, &ben.token, &format!("/api/documents/{concept}/drafts")).await;
        assert_eq!(status, 200);
        let list: DraftList = serde_json::from_value(list).expect("list");
        assert_eq!(list.drafts.len(), 1);
        assert_eq!((list.drafts[0].changes.sections, list.drafts[0].changes.platforms), (1, 1));
        assert!(list.drafts[0].behind && list.can_create);
        assert_eq!(list.drafts[0].authors[0].name, "Mia Mitglied");
        let (status, _) = get(&app, &out.token, &format!("/api/documents/{concept}/drafts")).await;
        assert_eq!(status, 404, "{backend}");

        // Catching up: authors only; afterwards the diff shows the draft's own changes alone.
        assert_eq!(post(&app, &ben.token, &format!("/api/drafts/{draft}/catch-up"), json!({})).await.0, 403);
        let (status, caught) = post(&app, &mia.token, &format!("/api/drafts/{draft}/catch-up"), json!({})).await;
        assert_eq!(status, 200, "{backend}: {caught}");
        let caught: CaughtUp = serde_json::from_value(caught).expect("caught up");
        assert!(caught.changes > 0 && caught.conflicts.is_empty(), "{backend}: {caught:?}");
        let d = detail(&app, &mia.token, &draft.to_string()).await;
        assert!(d.meanwhile.is_none() && d.can_edit && d.is_author, "{backend}: {d:?}");
        assert_eq!(d.diff.sections.iter().map(|s| s.id.clone()).collect::<Vec<_>>(), vec![s1.id.clone()], "{backend}");

        // A co-author joins.
        assert_eq!(
            post(&app, &ben.token, &format!("/api/drafts/{draft}/authors"), json!({ "user_id": ben.id })).await.0,
            403
        );
        assert_eq!(
            post(&app, &mia.token, &format!("/api/drafts/{draft}/authors"), json!({ "user_id": ben.id })).await.0,
            204
        );
        assert!(detail(&app, &ben.token, &draft.to_string()).await.can_edit, "{backend}: the co-author writes");

        // Merging: editors only, after a preview, from the recorded version.
        let request = json!({ "version": d.version });
        assert_eq!(post(&app, &mia.token, &format!("/api/drafts/{draft}/merge"), request.clone()).await.0, 403);
        let (status, preview) = post(&app, &editor, &format!("/api/drafts/{draft}/preview"), request.clone()).await;
        assert_eq!(status, 200, "{backend}: {preview}");
        let preview: MergePreview = serde_json::from_value(preview).expect("preview");
        assert_eq!(preview.concept.sections[1].body, rewritten);
        assert_eq!(preview.concept.sections[2].body, editor_words);
        // Words written after the recorded version are not merged.
        assert!(writes(&app, &mia.token, draft, set_body(&s2.id, "Später geschrieben.".into())).await);
        let (status, merged) = post(&app, &editor, &format!("/api/drafts/{draft}/merge"), request.clone()).await;
        assert_eq!(status, 200, "{backend}: {merged}");
        let merged: MergeInfo = serde_json::from_value(merged).expect("merge");
        let after = server_view(&app, concept).await;
        assert_eq!(after.sections[1].body, rewritten, "{backend}");
        assert_eq!(after.sections[2].body, editor_words, "{backend}: later words stay out");
        let insta = after.platforms.iter().find(|p| p.id == instagram).expect("instagram");
        assert_eq!(insta.decision, Decision::Verlassen);
        let d = detail(&app, &mia.token, &draft.to_string()).await;
        assert_eq!(d.status, DraftStatus::Merged);
        assert_eq!(d.merged.as_ref().map(|m| m.concept_version.clone()), Some(merged.concept_version));
        assert!(!d.can_edit, "{backend}: a merged draft is closed");
        assert!(!writes(&app, &mia.token, draft, set_body(&s1.id, "Nachher".into())).await, "{backend}");
        assert_eq!(post(&app, &editor, &format!("/api/drafts/{draft}/merge"), request).await.0, 409, "{backend}: once");

        // The draft's thread is still the draft's, and its passage resolves in the concept too.
        let (_, threads) = get(&app, &ben.token, &format!("/api/documents/{draft}/comments")).await;
        assert_eq!(threads["threads"].as_array().map(Vec::len), Some(1), "{backend}: {threads}");
        let mut c = SyncClient::connect(&app.ws_as(&ben.token), "leser").await.expect("connect");
        c.request(concept).await.expect("request");
        c.wait_until(WAIT, |c| {
            schema::read_concept(c.doc(concept)).sections.get(1).is_some_and(|s| s.body == rewritten)
        })
        .await
        .expect("merged");
        assert_eq!(
            anchor::resolve(c.doc(concept), &anchor),
            anchor::Resolved::Passage { start: 0, end: words.chars().count() }
        );

        // The merged words are the member's in the concept's history.
        let (status, history) = get(&app, &editor, &format!("/api/documents/{concept}/changes")).await;
        assert_eq!(status, 200);
        let history: ChangeHistory = serde_json::from_value(history).expect("history");
        let names: Vec<String> =
            history.runs.iter().filter_map(|r| r.author.as_ref().map(|a| a.name.clone())).collect();
        assert!(names.iter().any(|n| n == "Mia Mitglied"), "{backend}: {names:?}");

        app.stop().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn a_section_wise_merge_adopts_only_the_chosen_parts_and_authors_withdraw_and_reopen() {
    for db in TestDb::all().await {
        let backend = db.backend();
        let app = TestApp::spawn(&db).await;
        let concept = create_doc(&app).await;
        let mia = person(&app, "Mia Mitglied", Some("member")).await;
        let ben = person(&app, "Ben Mitglied", Some("member")).await;
        let editor = app.editor_token.clone();
        let before = server_view(&app, concept).await;
        let (s3, s4) = (before.sections[3].clone(), before.sections[4].clone());

        let draft = start(&app, &mia.token, concept, "Zwei Abschnitte").await;
        let changed = |list: Value| {
            let list: DraftList = serde_json::from_value(list).expect("list");
            list.drafts[0].changes.sections
        };
        let drafts_path = format!("/api/documents/{concept}/drafts");
        assert!(writes(&app, &mia.token, draft, set_body(&s3.id, "Neu in Abschnitt drei.".into())).await);
        assert_eq!(changed(get(&app, &ben.token, &drafts_path).await.1), 1, "{backend}");
        assert!(writes(&app, &mia.token, draft, set_body(&s4.id, "Neu in Abschnitt vier.".into())).await);
        // The list's summary follows the draft (it is kept only while the draft stays as it was).
        assert_eq!(changed(get(&app, &ben.token, &drafts_path).await.1), 2, "{backend}");
        let d = detail(&app, &editor, &draft.to_string()).await;
        assert_eq!(d.diff.summary().sections, 2, "{backend}");
        let bad = json!({ "version": d.version, "parts": ["gibt-es-nicht"] });
        assert_eq!(post(&app, &editor, &format!("/api/drafts/{draft}/merge"), bad).await.0, 400, "{backend}");
        let bad = json!({ "version": "zz" });
        assert_eq!(post(&app, &editor, &format!("/api/drafts/{draft}/merge"), bad).await.0, 400, "{backend}");
        let request = json!({ "version": d.version, "parts": [s3.id] });
        let (status, body) = post(&app, &editor, &format!("/api/drafts/{draft}/merge"), request).await;
        assert_eq!(status, 200, "{backend}: {body}");
        let after = server_view(&app, concept).await;
        assert_eq!(after.sections[3].body, "Neu in Abschnitt drei.");
        assert_eq!(after.sections[4].body, s4.body, "{backend}: the other section stays as it was");
        let d = detail(&app, &ben.token, &draft.to_string()).await;
        assert_eq!(d.merged.expect("merged").parts, vec![s3.id.clone()]);

        // A scope names parts of the concept, each once, at most MAX_PARTS of them.
        let path = format!("/api/documents/{concept}/drafts");
        let scoped =
            json!({ "title": "Nur zwei Teile", "reason": "", "scope": [s3.id, before.platforms[0].id, s3.id] });
        let (status, created) = post(&app, &mia.token, &path, scoped).await;
        assert_eq!(status, 201, "{backend}: {created}");
        let scoped = detail(&app, &ben.token, created["id"].as_str().expect("id")).await;
        assert_eq!(scoped.scope, vec![s3.id.clone(), before.platforms[0].id.clone()], "{backend}");
        let unknown = json!({ "title": "Unbekannt", "reason": "", "scope": ["gibt-es-nicht"] });
        assert_eq!(post(&app, &mia.token, &path, unknown).await.0, 400, "{backend}");
        let many = vec![s3.id.clone(); kompromiss_shared::dto::drafts::MAX_PARTS + 1];
        let too_many = json!({ "title": "Zu viele", "reason": "", "scope": many });
        assert_eq!(post(&app, &mia.token, &path, too_many).await.0, 400, "{backend}");

        // Withdraw and reopen: the author only; a withdrawn draft is not written.
        let other = start(&app, &mia.token, concept, "Zurückgezogen").await;
        assert_eq!(post(&app, &ben.token, &format!("/api/drafts/{other}/withdraw"), json!({})).await.0, 403);
        assert_eq!(post(&app, &mia.token, &format!("/api/drafts/{other}/withdraw"), json!({})).await.0, 204);
        assert_eq!(detail(&app, &ben.token, &other.to_string()).await.status, DraftStatus::Withdrawn);
        assert!(!writes(&app, &mia.token, other, set_body(&s3.id, "x".into())).await, "{backend}: withdrawn");
        assert_eq!(post(&app, &mia.token, &format!("/api/drafts/{other}/reopen"), json!({})).await.0, 204);
        assert!(writes(&app, &mia.token, other, set_body(&s3.id, "wieder offen".into())).await, "{backend}");
        assert_eq!(
            post(&app, &mia.token, &format!("/api/drafts/{draft}/reopen"), json!({})).await.0,
            409,
            "{backend}: merged stays merged"
        );
        app.stop().await;
        db.cleanup().await;
    }
}
