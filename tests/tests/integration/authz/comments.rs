//! The comment actions of the matrix: who may open a thread, reply, resolve, report, moderate.
//! (Reading the discussion and the moderation queue are rows of the REST table.)

use serde_json::{Value, json};

use super::fixture::Doc::{self, Granted, Missing, Public, Secret};
use super::fixture::EVERYONE;
use super::fixture::Who::Admin;
use super::world::World;

/// One write: the path after `/api/documents/{doc}/comments`, its body, and the status per person
/// (Anonymous, NoRole, Member, Editor, Admin) on each document.
struct Write {
    what: &'static str,
    path: &'static str,
    body: fn(&str) -> Value,
    expect: [(Doc, [u16; 5]); 4],
}

const WRITES: &[Write] = &[
    Write {
        what: "open a thread",
        path: "",
        body: |platform| json!({ "target": { "kind": "platform", "platform_id": platform }, "body": "Dafür" }),
        expect: [
            (Secret, [401, 404, 201, 201, 201]),
            (Public, [401, 403, 201, 201, 201]),
            (Granted, [401, 201, 201, 201, 201]),
            (Missing, [401, 404, 404, 404, 404]),
        ],
    },
    Write {
        what: "reply",
        path: "/{thread}/replies",
        body: |_| json!({ "body": "Antwort" }),
        expect: [
            (Secret, [401, 404, 201, 201, 201]),
            (Public, [401, 403, 201, 201, 201]),
            (Granted, [401, 201, 201, 201, 201]),
            (Missing, [401, 404, 404, 404, 404]),
        ],
    },
    Write {
        what: "resolve someone else's thread",
        path: "/{thread}/resolve",
        body: |_| json!({}),
        expect: [
            (Secret, [401, 404, 403, 204, 204]),
            (Public, [401, 403, 403, 204, 204]),
            (Granted, [401, 204, 403, 204, 204]),
            (Missing, [401, 404, 404, 404, 404]),
        ],
    },
    Write {
        what: "report a comment",
        path: "/{thread}/{comment}/reports",
        body: |_| json!({ "reason": "spam" }),
        expect: [
            (Secret, [401, 404, 201, 201, 201]),
            (Public, [401, 201, 201, 201, 201]),
            (Granted, [401, 201, 201, 201, 201]),
            (Missing, [401, 404, 404, 404, 404]),
        ],
    },
    Write {
        what: "hide a comment",
        path: "/{thread}/{comment}/hide",
        body: |_| json!({ "reason": "Spam" }),
        expect: [
            (Secret, [401, 404, 403, 204, 204]),
            (Public, [401, 403, 403, 204, 204]),
            (Granted, [401, 204, 403, 204, 204]),
            (Missing, [401, 404, 404, 404, 404]),
        ],
    },
    Write {
        what: "lock a thread",
        path: "/{thread}/lock",
        body: |_| json!({}),
        expect: [
            (Secret, [401, 404, 403, 204, 204]),
            (Public, [401, 403, 403, 204, 204]),
            (Granted, [401, 204, 403, 204, 204]),
            (Missing, [401, 404, 404, 404, 404]),
        ],
    },
];

impl World {
    pub(super) async fn comments(&mut self) {
        // Threads to act on are written by helpers (admins), in turn: everybody may write only
        // 20 comments a minute, and the matrix needs about a hundred.
        let mut helpers = Vec::new();
        for n in 0..8 {
            helpers.push(self.app.token_for(&format!("Vorlage {n}"), Some("admin")).await);
        }
        let mut turn = 0;
        for write in WRITES {
            for (doc, expect) in write.expect {
                let platform = self.first_platform(doc).await;
                for (i, who) in EVERYONE.into_iter().enumerate() {
                    // A fresh thread for each attempt, so that one person's success (a
                    // resolution, a lock) does not decide the next person's answer.
                    turn += 1;
                    let helper = &helpers[turn % helpers.len()];
                    let (thread, comment) = self.helper_thread(doc, &platform, helper).await;
                    let path = write.path.replace("{thread}", &thread).replace("{comment}", &comment);
                    let url = format!("{}/api/documents/{}/comments{path}", self.app.http(), self.id(doc));
                    let req = self.http.post(url).header("accept", "application/json").json(&(write.body)(&platform));
                    let res = self.authorize(req, who, false).send().await.expect("comment request");
                    let answer = (res.status().as_u16(), res.text().await.expect("body"));
                    self.judge(&format!("REST {} on {doc:?}", write.what), who, expect[i], answer, &[]);
                }
            }
        }
    }

    /// The first platform entry's id (a made-up one for the missing document).
    async fn first_platform(&self, doc: Doc) -> String {
        if doc == Missing {
            return "p1".into();
        }
        let (status, body) = self.get(Admin, &format!("/api/documents/{}", self.id(doc)), false).await;
        assert_eq!(status, 200, "{}: the admin reads {doc:?}", self.backend);
        let page: Value = serde_json::from_str(&body).expect("document");
        page["view"]["platforms"][0]["id"].as_str().expect("a platform").to_owned()
    }

    /// A new thread with one comment by a helper (made-up ids on the missing document: the answer
    /// must not depend on them).
    async fn helper_thread(&self, doc: Doc, platform: &str, helper: &str) -> (String, String) {
        if doc == Missing {
            return ("t0000000000000000".into(), "c0000000000000000".into());
        }
        let url = format!("{}/api/documents/{}/comments", self.app.http(), self.id(doc));
        let body = json!({ "target": { "kind": "platform", "platform_id": platform }, "body": "Vorlage" });
        let req = self.http.post(url).bearer_auth(helper).json(&body);
        let created: Value = req.send().await.expect("thread").json().await.expect("json");
        let thread = created["id"].as_str().expect("thread id").to_owned();
        let url = format!("{}/api/documents/{}/comments", self.app.http(), self.id(doc));
        let list: Value =
            self.authorize(self.http.get(url), Admin, false).send().await.expect("list").json().await.expect("json");
        let threads = list["threads"].as_array().expect("threads");
        let t = threads.iter().find(|t| t["id"] == thread.as_str()).expect("the new thread");
        (thread, t["comments"][0]["id"].as_str().expect("comment id").to_owned())
    }
}
