//! Ballots on SQLite and PostgreSQL: opening on frozen drafts, who may vote, one vote per
//! person, the close in one transaction, the published list and its recount, and secrecy down
//! to the database's own row metadata.

use kompromiss_server::db::Db;
use kompromiss_shared::ballots::{Answer, Choice, Outcome, Verdict};
use kompromiss_shared::dto::ballots::{BallotList, BallotView};
use kompromiss_shared::ids::DocumentId;
use kompromiss_tests::app::TestApp;
use kompromiss_tests::db::TestDb;
use serde_json::{Value, json};

use super::helpers::{
    api_get as get, api_post as post, create_doc, person, server_view, set_body, start_draft, writes,
};

/// A concept with a draft by `author` that rewrites its second section.
async fn concept_with_draft(app: &TestApp, author: &str, title: &str, text: &str) -> (DocumentId, DocumentId) {
    let concept = create_doc(app).await;
    let draft = another_draft(app, concept, author, title, text).await;
    (concept, draft)
}

pub(super) async fn another_draft(
    app: &TestApp,
    concept: DocumentId,
    author: &str,
    title: &str,
    text: &str,
) -> DocumentId {
    let section = server_view(app, concept).await.sections[1].id.clone();
    let draft = start_draft(app, author, concept, title).await;
    assert!(writes(app, author, draft, set_body(&section, text.into())).await);
    draft
}

async fn view(app: &TestApp, token: &str, ballot: &str) -> BallotView {
    let (status, body) = get(app, token, &format!("/api/ballots/{ballot}")).await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_value(body).expect("ballot")
}

async fn open_ballot(app: &TestApp, token: &str, concept: DocumentId, body: Value) -> String {
    let (status, opened) = post(app, token, &format!("/api/documents/{concept}/ballots"), body).await;
    assert_eq!(status, 201, "{opened}");
    opened["id"].as_str().expect("id").to_owned()
}

async fn vote(app: &TestApp, token: &str, ballot: &str, choice: &Choice) -> (u16, Value) {
    post(app, token, &format!("/api/ballots/{ballot}/vote"), json!({ "choice": choice })).await
}

/// Writes `list` to a file and recounts it as `kompromiss ballot verify` does.
fn recount(list: &BallotList) -> anyhow::Result<String> {
    let path = std::env::temp_dir().join(format!("kompromiss-list-{}.json", rand::random::<u64>()));
    std::fs::write(&path, serde_json::to_vec(list).expect("json")).expect("write");
    let report = kompromiss_server::cli::ballot::verify(&path);
    let _ = std::fs::remove_file(path);
    report
}

#[tokio::test]
async fn a_proposal_is_opened_on_a_frozen_draft_voted_once_per_person_closed_and_recounted() {
    for db in TestDb::all().await {
        let backend = db.backend();
        let app = TestApp::spawn(&db).await;
        let mia = person(&app, "Mia Mitglied", Some("member")).await;
        let ben = person(&app, "Ben Mitglied", Some("member")).await;
        let out = person(&app, "Olaf Außen", None).await;
        let editor = app.editor_token.clone();
        let frozen_text = "Wir verlassen Instagram bis Ende 2026.";
        let (concept, draft) = concept_with_draft(&app, &mia.token, "Instagram verlassen", frozen_text).await;
        let new = json!({
            "title": "Instagram verlassen?", "kind": "proposal", "drafts": [draft.to_string()],
            "majority": "simple", "quorum": { "kind": "half" }, "changeable": false,
        });
        let path = format!("/api/documents/{concept}/ballots");
        assert_eq!(post(&app, &mia.token, &path, new.clone()).await.0, 403, "{backend}: members do not open ballots");
        assert_eq!(post(&app, &out.token, &path, new.clone()).await.0, 404, "{backend}: outsiders find nothing");
        let bad = json!({ "title": "x", "kind": "proposal", "drafts": [], "majority": "simple", "quorum": { "kind": "none" } });
        assert_eq!(post(&app, &editor, &path, bad).await.0, 400, "{backend}: a proposal needs its draft");
        let ballot = open_ballot(&app, &editor, concept, new).await;

        // What is voted on stays: its author cannot withdraw it while the ballot needs it.
        let (status, body) = post(&app, &mia.token, &format!("/api/drafts/{draft}/withdraw"), json!({})).await;
        assert_eq!(status, 409, "{backend}: {body}");
        // Later edits to the draft do not change what is voted on.
        let section = server_view(&app, concept).await.sections[1].id.clone();
        assert!(writes(&app, &mia.token, draft, set_body(&section, "Später geändert.".into())).await);
        let v = view(&app, &ben.token, &ballot).await;
        let frozen = &v.options[1].diff.sections[0];
        assert!(frozen.lines.is_some(), "{backend}: numbered");
        let words: String = serde_json::to_string(&frozen).expect("json");
        assert!(words.contains("Instagram bis Ende 2026") && !words.contains("Später"), "{backend}: {words}");
        assert!(v.may_vote && !v.has_voted && v.open && v.outcome.is_none(), "{backend}");
        assert!(v.eligible >= 3, "{backend}: members and editors may vote: {}", v.eligible);
        assert_eq!(get(&app, &out.token, &format!("/api/ballots/{ballot}")).await.0, 404, "{backend}");

        // One vote each; the wrong shape, the ineligible and a second vote are refused.
        let yes = Choice::Answer(Answer::Yes);
        assert_eq!(vote(&app, &mia.token, &ballot, &Choice::Ranking(vec![Some(1)])).await.0, 400, "{backend}");
        assert_eq!(vote(&app, &out.token, &ballot, &yes).await.0, 404, "{backend}");
        assert_eq!(vote(&app, &mia.token, &ballot, &yes).await.0, 200, "{backend}");
        assert_eq!(
            vote(&app, &mia.token, &ballot, &Choice::Answer(Answer::No)).await.0,
            409,
            "{backend}: not changeable"
        );
        assert_eq!(vote(&app, &ben.token, &ballot, &Choice::Answer(Answer::No)).await.0, 200);
        assert_eq!(vote(&app, &editor, &ballot, &yes).await.0, 200);
        let v = view(&app, &mia.token, &ballot).await;
        assert_eq!((v.voted, v.has_voted, v.may_vote), (3, true, false), "{backend}");
        assert_eq!(v.my_choice, Some(yes.clone()));
        assert_eq!(v.votes.len(), 3, "{backend}: an open ballot shows who chose what");
        assert_eq!(get(&app, &mia.token, &format!("/api/ballots/{ballot}/list")).await.0, 409, "{backend}: still open");

        let late = person(&app, "Lea Spät", Some("member")).await;
        assert_eq!(vote(&app, &late.token, &ballot, &yes).await.0, 403, "{backend}: not eligible when it opened");

        // Closing: editors only, once; afterwards votes are refused.
        let close = format!("/api/ballots/{ballot}/close");
        assert_eq!(post(&app, &mia.token, &close, json!({})).await.0, 403, "{backend}");
        assert_eq!(post(&app, &editor, &close, json!({})).await.0, 204, "{backend}");
        assert_eq!(post(&app, &editor, &close, json!({})).await.0, 409, "{backend}");
        assert_eq!(vote(&app, &late.token, &ballot, &yes).await.0, 409, "{backend}: closed");
        let v = view(&app, &ben.token, &ballot).await;
        let quorum = v.eligible.div_ceil(2);
        match v.outcome.clone().expect("a result") {
            Outcome::Proposal { tally, needed, verdict } => {
                assert_eq!((tally.yes, tally.no, tally.abstain, needed), (2, 1, 0, quorum), "{backend}");
                let expected = if 3 >= quorum { Verdict::Adopted } else { Verdict::QuorumMissed };
                assert_eq!(verdict, expected, "{backend}");
            }
            other => panic!("{backend}: {other:?}"),
        }

        // The list recounts to the result; a changed list does not.
        let (status, list) = get(&app, &ben.token, &format!("/api/ballots/{ballot}/list")).await;
        assert_eq!(status, 200, "{backend}: {list}");
        let list: BallotList = serde_json::from_value(list).expect("list");
        assert_eq!(list.votes.len(), 3);
        assert!(recount(&list).expect("recount").contains("nachgezählt"), "{backend}");
        let mut tampered = list.clone();
        tampered.votes[0].choice =
            if tampered.votes[0].choice == yes { Choice::Answer(Answer::No) } else { yes.clone() };
        assert!(recount(&tampered).is_err(), "{backend}: a changed list does not recount to the result");
        // The decision goes into the concept from the frozen version, once.
        let (preview_path, merge_path) =
            (format!("/api/ballots/{ballot}/preview"), format!("/api/ballots/{ballot}/merge"));
        assert_eq!(post(&app, &mia.token, &preview_path, json!({})).await.0, 403, "{backend}");
        let (status, preview) = post(&app, &editor, &preview_path, json!({})).await;
        assert_eq!(status, 200, "{backend}: {preview}");
        assert_eq!(preview["concept"]["sections"][1]["body"], frozen_text, "{backend}");
        assert_eq!(post(&app, &mia.token, &merge_path, json!({})).await.0, 403, "{backend}");
        let (status, merged) = post(&app, &editor, &merge_path, json!({})).await;
        assert_eq!(status, 200, "{backend}: {merged}");
        assert_eq!(server_view(&app, concept).await.sections[1].body, frozen_text, "{backend}: not the later edit");
        assert_eq!(post(&app, &editor, &merge_path, json!({})).await.0, 409, "{backend}: once");
        let (_, timeline) = get(&app, &ben.token, &format!("/api/documents/{concept}/timeline")).await;
        assert_eq!(timeline["decisions"][0]["ballot_id"], ballot.as_str(), "{backend}: the history names the decision");
        assert_eq!(timeline["decisions"][0]["version"], merged["version"], "{backend}");

        // The decisions page: the ballot, its adopted draft with its author, the merged version.
        let (status, trail) = get(&app, &ben.token, &format!("/api/documents/{concept}/decisions")).await;
        assert_eq!(status, 200, "{backend}: {trail}");
        assert_eq!(trail["ballots"][0]["summary"]["id"], ballot.as_str());
        assert_eq!(trail["ballots"][0]["options"][0]["adopted"], true, "{backend}: {trail}");
        assert_eq!(trail["ballots"][0]["options"][0]["authors"][0]["name"], "Mia Mitglied");
        assert_eq!(trail["ballots"][0]["merged"]["version"], merged["version"], "{backend}");
        assert_eq!(get(&app, &out.token, &format!("/api/documents/{concept}/decisions")).await.0, 404, "{backend}");

        let csv = reqwest::Client::new()
            .get(format!("{}/api/ballots/{ballot}/list?format=csv", app.http()))
            .bearer_auth(&ben.token)
            .send()
            .await
            .expect("csv");
        assert!(csv.headers()["content-type"].to_str().expect("type").starts_with("text/csv"));
        let csv = csv.text().await.expect("text");
        assert_eq!(csv.lines().count(), 4, "{backend}: a header and three papers: {csv}");
        assert!(csv.contains("Mia Mitglied,Ja"), "{backend}: {csv}");

        app.stop().await;
        db.cleanup().await;
    }
}

/// Every table of the database (the server's own, not sqlx's bookkeeping).
async fn all_tables(store: &Db) -> Vec<String> {
    let rows: Vec<(String,)> = match store {
        Db::Sqlite(pool) => sqlx::query_as("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            .fetch_all(pool)
            .await
            .expect("tables"),
        Db::Postgres(pool) => sqlx::query_as(
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
        )
        .fetch_all(pool)
        .await
        .expect("tables"),
    };
    rows.into_iter().map(|(t,)| t).filter(|t| t != "_sqlx_migrations").collect()
}

/// Everything a table holds, as text (text and integer columns), one line per row, for the
/// secrecy checks.
async fn table_rows(store: &Db, table: &str) -> Vec<String> {
    use sqlx::Row;
    let sql = format!("SELECT * FROM {table}");
    // The same reading for either backend's row type.
    macro_rules! as_text {
        ($pool:expr) => {{
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all($pool).await.expect("rows");
            rows.iter()
                .map(|r| {
                    (0..r.columns().len())
                        .map(|i| {
                            r.try_get::<String, _>(i)
                                .or_else(|_| r.try_get::<i64, _>(i).map(|n| n.to_string()))
                                .unwrap_or_default()
                        })
                        .collect::<Vec<_>>()
                        .join("|")
                })
                .collect()
        }};
    }
    match store {
        Db::Sqlite(pool) => as_text!(pool),
        Db::Postgres(pool) => as_text!(pool),
    }
}

#[tokio::test]
async fn a_secret_ranking_keeps_no_link_from_person_to_choice_and_receipts_find_the_papers() {
    for db in TestDb::all().await {
        let backend = db.backend();
        let app = TestApp::spawn(&db).await;
        let people = [
            person(&app, "Anna Geheim", Some("member")).await,
            person(&app, "Bodo Geheim", Some("member")).await,
            person(&app, "Cora Geheim", Some("member")).await,
        ];
        let editor = app.editor_token.clone();
        let (concept, first) = concept_with_draft(&app, &people[0].token, "Mastodon zuerst", "Mastodon zuerst.").await;
        let second = another_draft(&app, concept, &people[1].token, "TikTok testen", "TikTok ein Jahr testen.").await;
        let new = json!({
            "title": "Welcher Entwurf?", "kind": "ranking", "drafts": [first.to_string(), second.to_string()],
            "majority": "simple", "quorum": { "kind": "none" }, "secret": true, "changeable": true,
            "eligibility": { "min_role": "member" },
        });
        let ballot = open_ballot(&app, &editor, concept, new).await;
        // Options: 0 keeps the current text, 1 the first draft, 2 the second.
        let rankings = [vec![Some(3), Some(1), Some(2)], vec![Some(2), Some(1), None], vec![Some(3), Some(2), Some(1)]];
        let mut receipts = Vec::new();
        for (p, ranking) in people.iter().zip(&rankings) {
            let (status, voted) =
                vote(&app, &p.token, &ballot, &Choice::Ranking(vec![Some(1), Some(2), Some(3)])).await;
            assert_eq!(status, 200, "{backend}: {voted}");
            let receipt = voted["receipt"].as_str().expect("a receipt").to_owned();
            // Secret and changeable: the voter changes it with the receipt.
            let change = json!({ "choice": Choice::Ranking(ranking.clone()), "receipt": receipt.to_lowercase() });
            let (status, changed) = post(&app, &p.token, &format!("/api/ballots/{ballot}/vote"), change).await;
            assert_eq!(status, 200, "{backend}: {changed}");
            receipts.push(receipt);
        }
        let forged = json!({ "choice": Choice::Ranking(vec![Some(1), None, None]), "receipt": "AAAA-BBBB-CCCC-DDDD" });
        assert_eq!(
            post(&app, &people[0].token, &format!("/api/ballots/{ballot}/vote"), forged).await.0,
            400,
            "{backend}"
        );
        let v = view(&app, &people[0].token, &ballot).await;
        assert!(
            v.votes.is_empty() && v.my_choice.is_none() && v.outcome.is_none(),
            "{backend}: nothing before the close"
        );
        assert_eq!((v.voted, v.has_voted), (3, true), "{backend}: turnout only");

        // While it runs, the database holds no choice in the clear.
        let store = Db::connect(&db.url(), Default::default()).await.expect("db");
        let sealed = table_rows(&store, "ballot_sealed").await;
        assert_eq!(sealed.len(), 3, "{backend}");
        assert!(
            sealed.iter().all(|row| !row.contains("ranking") && !receipts.iter().any(|r| row.contains(r.as_str())))
        );

        assert_eq!(post(&app, &editor, &format!("/api/ballots/{ballot}/close"), json!({})).await.0, 204, "{backend}");
        let (status, list) = get(&app, &people[2].token, &format!("/api/ballots/{ballot}/list")).await;
        assert_eq!(status, 200, "{backend}: {list}");
        let list: BallotList = serde_json::from_value(list).expect("list");
        for (receipt, ranking) in receipts.iter().zip(&rankings) {
            let found =
                list.votes.iter().find(|v| v.receipt.as_deref() == Some(receipt.as_str())).expect("receipt found");
            assert_eq!(found.choice, Choice::Ranking(ranking.clone()), "{backend}: the changed choice counts");
            assert!(found.voter.is_none());
        }
        match view(&app, &people[0].token, &ballot).await.outcome.expect("result") {
            Outcome::Ranking { schulze, quorum_met, .. } => {
                assert!(quorum_met);
                assert_eq!(schulze.winner(), Some(1), "{backend}: two of three rank the first draft first");
            }
            other => panic!("{backend}: {other:?}"),
        }
        assert!(recount(&list).is_ok(), "{backend}");
        // The losing draft is free again; the winner stays until its decision is merged.
        let withdraw = |d: DocumentId| format!("/api/drafts/{d}/withdraw");
        assert_eq!(post(&app, &people[1].token, &withdraw(second), json!({})).await.0, 204, "{backend}");
        assert_eq!(post(&app, &people[0].token, &withdraw(first), json!({})).await.0, 409, "{backend}");

        // After the close: participation names people and nothing else; the list names choices
        // and no person; the sealed papers are gone.
        assert!(table_rows(&store, "ballot_sealed").await.is_empty(), "{backend}");
        let participation = table_rows(&store, "ballot_participation").await;
        assert!(participation.iter().all(|row| row.split('|').count() == 2), "{backend}: {participation:?}");
        let listed = table_rows(&store, "ballot_list").await.join("\n");
        for p in &people {
            assert!(!listed.contains(&p.id), "{backend}: the list names nobody");
        }
        assert!(table_rows(&store, "ballot_open_choices").await.is_empty(), "{backend}");
        // Every table the server wrote: a receipt appears only in the published list, and no row
        // that names a voter holds a choice.
        for table in all_tables(&store).await {
            for row in table_rows(&store, &table).await {
                if table != "ballot_list" {
                    assert!(!receipts.iter().any(|r| row.contains(r.as_str())), "{backend}: {table} holds a receipt");
                }
                if people.iter().any(|p| row.contains(&p.id)) {
                    assert!(!row.contains("\"ranking\""), "{backend}: {table} links a voter to a choice: {row}");
                }
            }
        }
        // No shared transaction: the list rows were all written by the close, none with a vote.
        if let Db::Postgres(pool) = &store {
            let list_xmins: Vec<(String,)> =
                sqlx::query_as("SELECT DISTINCT xmin::text FROM ballot_list WHERE ballot_id = $1")
                    .bind(&ballot)
                    .fetch_all(pool)
                    .await
                    .expect("xmin");
            let vote_xmins: Vec<(String,)> =
                sqlx::query_as("SELECT xmin::text FROM ballot_participation WHERE ballot_id = $1")
                    .bind(&ballot)
                    .fetch_all(pool)
                    .await
                    .expect("xmin");
            assert_eq!(list_xmins.len(), 1, "{backend}: one transaction wrote the whole list");
            assert!(vote_xmins.iter().all(|x| x != &list_xmins[0]), "{backend}: not a voter's transaction");
        }
        store.close().await;
        app.stop().await;
        db.cleanup().await;
    }
}

/// `n` members with tokens, made through one database connection: (user id, token).
async fn members(db: &TestDb, n: usize) -> Vec<(String, String)> {
    use kompromiss_server::cli::admin::{AdminCommand, execute};
    let store = Db::connect(&db.url(), Default::default()).await.expect("db");
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let create = AdminCommand::CreateUser { name: format!("Delegierte {i:03}"), role: Some("member".into()) };
        let id = execute(&store, create).await.expect("user").trim().to_owned();
        let token =
            execute(&store, AdminCommand::CreateToken { user: id.clone(), name: "t".into() }).await.expect("token");
        out.push((id, token.trim().to_owned()));
    }
    store.close().await;
    out
}

/// Spearman's rank correlation between two orders of the same items.
fn correlation(a: &[String], b: &[String]) -> f64 {
    let n = a.len() as f64;
    let place = |x: &String| b.iter().position(|y| y == x).expect("same items") as f64;
    let d2: f64 = a.iter().enumerate().map(|(i, x)| (i as f64 - place(x)).powi(2)).sum();
    1.0 - 6.0 * d2 / (n * (n * n - 1.0))
}

#[tokio::test]
async fn three_hundred_vote_at_once_each_counted_once_and_votes_racing_the_close_are_counted_or_refused() {
    for db in TestDb::all().await {
        let backend = db.backend();
        let app = TestApp::spawn(&db).await;
        let voters = members(&db, 300).await;
        let editor = app.editor_token.clone();
        let (concept, draft) = concept_with_draft(&app, &voters[0].1, "Mastodon ausbauen", "Mehr Mastodon.").await;
        let proposal = |title: &str, secret: bool| {
            json!({
                "title": title, "kind": "proposal", "drafts": [draft.to_string()], "majority": "absolute",
                "quorum": { "kind": "two_thirds" }, "secret": secret,
            })
        };
        let http = reqwest::Client::new();
        let cast = |ballot: String, token: String, answer: Answer| {
            let http = http.clone();
            let url = format!("{}/api/ballots/{ballot}/vote", app.http());
            async move {
                let res =
                    http.post(url).bearer_auth(token).json(&json!({ "choice": Choice::Answer(answer) })).send().await;
                let res = res.expect("vote");
                let status = res.status().as_u16();
                (status, res.json::<Value>().await.unwrap_or(Value::Null))
            }
        };
        let answer = |i: usize| match i % 3 {
            0 | 1 => Answer::Yes,
            _ => Answer::No,
        };

        // All at once: each vote counted exactly once; a second vote of each refused.
        let ballot = open_ballot(&app, &editor, concept, proposal("Alle zugleich", false)).await;
        let all = voters.iter().enumerate().map(|(i, (_, t))| cast(ballot.clone(), t.clone(), answer(i)));
        let statuses: Vec<u16> = futures::future::join_all(all).await.into_iter().map(|(s, _)| s).collect();
        assert!(statuses.iter().all(|s| *s == 200), "{backend}: {statuses:?}");
        let again = voters.iter().map(|(_, t)| cast(ballot.clone(), t.clone(), Answer::No));
        let statuses: Vec<u16> = futures::future::join_all(again).await.into_iter().map(|(s, _)| s).collect();
        assert!(statuses.iter().all(|s| *s == 409), "{backend}: second votes");
        assert_eq!(post(&app, &editor, &format!("/api/ballots/{ballot}/close"), json!({})).await.0, 204);
        match view(&app, &voters[1].1, &ballot).await.outcome.expect("result") {
            Outcome::Proposal { tally, verdict, .. } => {
                assert_eq!((tally.yes, tally.no, tally.abstain), (200, 100, 0), "{backend}");
                assert_eq!(verdict, Verdict::Adopted);
            }
            other => panic!("{other:?}"),
        }

        // A secret ballot closed while votes arrive: each is counted (and listed under its
        // receipt) or refused as too late, nothing in between.
        let ballot = open_ballot(&app, &editor, concept, proposal("Schluss mitten drin", true)).await;
        // The close is sent once a third of the answers are in, while the rest are under way.
        let answered = std::sync::atomic::AtomicUsize::new(0);
        let all = voters.iter().enumerate().map(|(i, (_, t))| {
            let vote = cast(ballot.clone(), t.clone(), answer(i));
            let answered = &answered;
            async move {
                let answer = vote.await;
                answered.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                answer
            }
        });
        let close = async {
            while answered.load(std::sync::atomic::Ordering::SeqCst) < 100 {
                tokio::time::sleep(std::time::Duration::from_millis(1)).await;
            }
            post(&app, &editor, &format!("/api/ballots/{ballot}/close"), json!({})).await.0
        };
        let (answers, closed) = tokio::join!(futures::future::join_all(all), close);
        assert_eq!(closed, 204, "{backend}");
        let mut accepted = Vec::new();
        for (i, (status, body)) in answers.iter().enumerate() {
            match status {
                200 => accepted.push((voters[i].0.clone(), body["receipt"].as_str().expect("receipt").to_owned())),
                409 => {}
                other => panic!("{backend}: vote {i} answered {other}: {body}"),
            }
        }
        let (status, list) = get(&app, &voters[0].1, &format!("/api/ballots/{ballot}/list")).await;
        assert_eq!(status, 200, "{backend}");
        let list: BallotList = serde_json::from_value(list).expect("list");
        assert_eq!(list.votes.len(), accepted.len(), "{backend}: every acknowledged vote, nothing else");
        for (_, receipt) in &accepted {
            assert!(list.votes.iter().any(|v| v.receipt.as_deref() == Some(receipt.as_str())), "{backend}");
        }
        assert!(recount(&list).is_ok(), "{backend}");
        eprintln!("{backend}: {} of 300 votes arrived before the close", accepted.len());
        assert!(accepted.len() >= 100, "{backend}: the answers already in were counted");

        // The stored list follows neither the order of voting nor anything else a voter did.
        let store = Db::connect(&db.url(), Default::default()).await.expect("db");
        let (voting, stored): (Vec<String>, Vec<String>) = match &store {
            Db::Postgres(pool) => {
                let ballot = &ballot;
                let by_ctid = |sql: &'static str| async move {
                    let rows: Vec<(String,)> = sqlx::query_as(sql).bind(ballot).fetch_all(pool).await.expect("rows");
                    rows.into_iter().map(|(x,)| x).collect::<Vec<_>>()
                };
                let people =
                    by_ctid("SELECT user_id FROM ballot_participation WHERE ballot_id = $1 ORDER BY ctid").await;
                let receipts = by_ctid("SELECT receipt FROM ballot_list WHERE ballot_id = $1 ORDER BY ctid").await;
                (people, receipts)
            }
            Db::Sqlite(pool) => {
                let rowid = sqlx::query("SELECT rowid FROM ballot_list").fetch_all(pool).await;
                assert!(rowid.is_err(), "sqlite: the list keeps no insertion order");
                let rowid = sqlx::query("SELECT rowid FROM ballot_participation").fetch_all(pool).await;
                assert!(rowid.is_err(), "sqlite: nor does participation");
                let rows: Vec<(String,)> = sqlx::query_as("SELECT receipt FROM ballot_list WHERE ballot_id = $1")
                    .bind(&ballot)
                    .fetch_all(pool)
                    .await
                    .expect("rows");
                // Without an insertion order, the order of the answers stands in for the voting.
                (accepted.iter().map(|(u, _)| u.clone()).collect(), rows.into_iter().map(|(x,)| x).collect())
            }
        };
        let receipt_of = |user: &String| accepted.iter().find(|(u, _)| u == user).map(|(_, r)| r.clone());
        let in_voting_order: Vec<String> = voting.iter().filter_map(receipt_of).collect();
        assert_eq!(in_voting_order.len(), stored.len(), "{backend}");
        if stored.len() >= 50 {
            let rho = correlation(&in_voting_order, &stored);
            assert!(rho.abs() < 0.35, "{backend}: the stored list follows the voting order (rho {rho})");
        }
        store.close().await;
        app.stop().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn section_by_section_the_winning_variants_are_assembled_and_a_tie_keeps_the_current_text() {
    for db in TestDb::all().await {
        let backend = db.backend();
        let app = TestApp::spawn(&db).await;
        let voters = members(&db, 3).await;
        let editor = app.editor_token.clone();
        let concept = create_doc(&app).await;
        let before = server_view(&app, concept).await;
        let (s1, s2, s3) =
            (before.sections[1].id.clone(), before.sections[2].id.clone(), before.sections[3].id.clone());
        // Draft A rewrites sections 1 and 2; draft B sections 2 and 3.
        let a = start_draft(&app, &voters[0].1, concept, "Entwurf A").await;
        assert!(writes(&app, &voters[0].1, a, set_body(&s1, "A eins.".into())).await);
        assert!(writes(&app, &voters[0].1, a, set_body(&s2, "A zwei.".into())).await);
        let b = start_draft(&app, &voters[1].1, concept, "Entwurf B").await;
        assert!(writes(&app, &voters[1].1, b, set_body(&s2, "B zwei.".into())).await);
        assert!(writes(&app, &voters[1].1, b, set_body(&s3, "B drei.".into())).await);
        let new = json!({
            "title": "Abschnittsweise", "kind": "sections", "drafts": [a.to_string(), b.to_string()],
            "majority": "simple", "quorum": { "kind": "voters", "voters": 2 },
        });
        let ballot = open_ballot(&app, &editor, concept, new).await;
        let v = view(&app, &voters[2].1, &ballot).await;
        let ids: Vec<&str> = v.parts.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, vec![s1.as_str(), s2.as_str(), s3.as_str()], "{backend}: the parts either draft changes");
        assert_eq!(v.parts[1].variants, vec![0, 1, 2], "{backend}: the current text, A and B");
        // Part 1: A wins 2:1. Part 2: A, B and the current text one each (a tie: current text).
        // Part 3: B wins 2:0 with one voter leaving it open.
        let choices = [vec![Some(1), Some(1), Some(1)], vec![Some(1), Some(2), None], vec![Some(0), Some(0), Some(1)]];
        for ((_, token), parts) in voters.iter().zip(choices) {
            assert_eq!(vote(&app, token, &ballot, &Choice::Parts(parts)).await.0, 200, "{backend}");
        }
        assert_eq!(post(&app, &editor, &format!("/api/ballots/{ballot}/close"), json!({})).await.0, 204);
        match view(&app, &editor, &ballot).await.outcome.expect("result") {
            Outcome::Sections { parts, quorum_met, .. } => {
                assert!(quorum_met);
                let winners: Vec<(usize, bool)> = parts.iter().map(|p| (p.winner, p.tied)).collect();
                assert_eq!(winners, vec![(1, false), (0, true), (1, false)], "{backend}: variant 1 of part 3 is B");
            }
            other => panic!("{other:?}"),
        }
        let (status, preview) = post(&app, &editor, &format!("/api/ballots/{ballot}/preview"), json!({})).await;
        assert_eq!(status, 200, "{backend}: {preview}");
        assert_eq!(preview["concept"]["sections"][2]["body"], before.sections[2].body.as_str(), "{backend}");
        let (status, _) = post(&app, &editor, &format!("/api/ballots/{ballot}/merge"), json!({})).await;
        assert_eq!(status, 200, "{backend}");
        let after = server_view(&app, concept).await;
        assert_eq!(after.sections[1].body, "A eins.", "{backend}");
        assert_eq!(after.sections[2].body, before.sections[2].body, "{backend}: the tie keeps the current text");
        assert_eq!(after.sections[3].body, "B drei.", "{backend}");
        assert_eq!(serde_json::to_value(&after).expect("json"), preview["concept"], "{backend}: as previewed");
        app.stop().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn open_concept_pages_hear_of_votes_within_seconds_gathered_into_one_event_a_second() {
    use kompromiss_shared::doc_events::{DocEvent, decode};
    use kompromiss_tests::client::Event;
    for db in TestDb::all().await {
        let backend = db.backend();
        let app = TestApp::spawn(&db).await;
        let voters = members(&db, 10).await;
        let (concept, draft) = concept_with_draft(&app, &voters[0].1, "Bluesky prüfen", "Bluesky prüfen.").await;
        let mut watcher = super::helpers::open(&app, "zuschauerin", concept).await;
        // Counts ballot events heard within `secs` seconds.
        let mut events = async |secs: u64| {
            let until = tokio::time::Instant::now() + std::time::Duration::from_secs(secs);
            let mut n = 0;
            while let Ok(event) = tokio::time::timeout_at(until, watcher.pump()).await {
                if let Ok(Event::Ephemeral(d, data)) = event
                    && d == concept
                    && decode(&data) == Some(DocEvent::Ballots)
                {
                    n += 1;
                }
            }
            n
        };
        let new = json!({ "title": "Bluesky?", "kind": "proposal", "drafts": [draft.to_string()],
            "majority": "simple", "quorum": { "kind": "none" }, "secret": true });
        let ballot = open_ballot(&app, &app.editor_token, concept, new).await;
        assert_eq!(events(2).await, 1, "{backend}: the opening is told, once");
        let all = voters.iter().map(|(_, t)| vote(&app, t, &ballot, &Choice::Answer(Answer::Yes)));
        assert!(futures::future::join_all(all).await.iter().all(|(s, _)| *s == 200));
        let heard = events(3).await;
        assert!((1..=2).contains(&heard), "{backend}: ten votes, {heard} events");
        app.stop().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn a_ballot_set_to_begin_later_takes_no_vote_before_its_time_and_none_after_its_close() {
    for db in TestDb::all().await {
        let backend = db.backend();
        let app = TestApp::spawn(&db).await;
        let mia = person(&app, "Mia Mitglied", Some("member")).await;
        let (concept, draft) = concept_with_draft(&app, &mia.token, "Threads prüfen", "Threads prüfen.").await;
        let now = kompromiss_server::db::now_millis();
        let path = format!("/api/documents/{concept}/ballots");
        let ballot = |opens: i64, closes: i64| {
            json!({ "title": "Threads?", "kind": "proposal", "drafts": [draft.to_string()], "majority": "simple",
                    "quorum": { "kind": "none" }, "opens_at": opens, "closes_at": closes })
        };
        let editor = app.editor_token.clone();
        assert_eq!(post(&app, &editor, &path, ballot(now - 60_000, now + 60_000)).await.0, 400, "{backend}: past");
        assert_eq!(post(&app, &editor, &path, ballot(now + 5_000, now + 4_000)).await.0, 400, "{backend}: backwards");
        let id = open_ballot(&app, &editor, concept, ballot(now + 1_500, now + 3_000)).await;
        let yes = Choice::Answer(Answer::Yes);
        let (status, body) = vote(&app, &mia.token, &id, &yes).await;
        assert_eq!(status, 409, "{backend}: not yet: {body}");
        let v = view(&app, &mia.token, &id).await;
        assert!(v.starts_later && !v.may_vote, "{backend}");
        tokio::time::sleep(std::time::Duration::from_millis(1_600)).await;
        assert_eq!(vote(&app, &mia.token, &id, &yes).await.0, 200, "{backend}: begun");
        tokio::time::sleep(std::time::Duration::from_millis(1_500)).await;
        let late = person(&app, "Lea Spät", Some("member")).await;
        assert_eq!(vote(&app, &late.token, &id, &yes).await.0, 409, "{backend}: past its time");
        // Reading a ballot past its time closes it and shows the result.
        let v = view(&app, &mia.token, &id).await;
        assert!(!v.open && v.outcome.is_some(), "{backend}: {v:?}");
        // Adopted and not merged yet: the draft stays; once merged, the ballot no longer holds it.
        let withdraw = format!("/api/drafts/{draft}/withdraw");
        assert_eq!(post(&app, &mia.token, &withdraw, json!({})).await.0, 409, "{backend}");
        assert_eq!(post(&app, &editor, &format!("/api/ballots/{id}/merge"), json!({})).await.0, 200, "{backend}");
        app.stop().await;
        db.cleanup().await;
    }
}
