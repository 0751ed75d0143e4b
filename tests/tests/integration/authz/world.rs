//! The matrix's world: the server, its people and documents, shared request steps, and the judging of answers.

use kompromiss_server::cli::admin::AdminCommand;
use kompromiss_shared::ids::DocumentId;
use kompromiss_tests::app::TestApp;
use kompromiss_tests::db::TestDb;
use serde_json::Value;

use super::fixture::Doc::{self, Granted, Missing, Public, Secret};
use super::fixture::Who::{self, Admin, Editor, Member, NoRole};
use super::fixture::{EVERYONE, Person, person};
use super::server_fns::{server_fn, server_fn_suffix};
use super::sync::Outcome::Stored;
use super::sync::attempt;
use crate::helpers::create_doc;

/// The server, its people and documents, and what went wrong so far.
pub(super) struct World {
    pub(super) app: TestApp,
    pub(super) backend: &'static str,
    /// Follows no redirects, so that a sign-in redirect is seen as such.
    pub(super) http: reqwest::Client,
    /// Indexed by `Who`.
    people: Vec<Person>,
    docs: [(Doc, DocumentId); 4],
    /// The hash Leptos appends to server function paths (the same for every function of one module).
    fn_suffix: String,
    /// The member's draft of the secret concept.
    draft: String,
    /// The draft `{fresh-draft}` last created, for `{version}`.
    fresh: Option<String>,
    /// An open ballot on the secret concept.
    ballot: String,
    /// Numbers the groups and people that arguments create, so that each call changes something new.
    unique: u32,
    /// The last year an evaluation call wrote on (each call takes the next: 20 calls, 2030 onwards).
    evaluation_year: u16,
    /// Every wrong cell of the matrix, reported together at the end.
    pub(super) failures: Vec<String>,
}

impl World {
    pub(super) async fn set_up(db: &TestDb) -> World {
        let app = TestApp::spawn(db).await;
        // A bounded wait, so that a request the server never answers fails with its path.
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(30))
            .build()
            .expect("client");
        let mut people = Vec::new();
        for who in EVERYONE {
            people.push(person(&app, who).await);
        }
        let missing = kompromiss_server::concepts::new_document_id();
        let docs = [
            (Secret, create_doc(&app).await),
            (Public, create_doc(&app).await),
            (Granted, create_doc(&app).await),
            (Missing, missing),
        ];
        let mut world = World {
            app,
            backend: db.backend(),
            http,
            people,
            docs,
            fn_suffix: String::new(),
            draft: String::new(),
            fresh: None,
            ballot: String::new(),
            unique: 0,
            evaluation_year: 2029,
            failures: Vec::new(),
        };
        for (doc, id) in &docs[..3] {
            let titled = attempt(&world.app, Some(&world.app.editor_token), *id, Some(doc.marker())).await;
            assert_eq!(titled, Ok(Stored), "{}: titling the {doc:?} document", world.backend);
        }
        let admin_page = world.get(Admin, "/admin", true).await.1;
        world.fn_suffix = server_fn_suffix(&admin_page);
        let no_role = world.person(NoRole).user_id.clone().expect("user id");
        let grants = [(Public, "public", String::new(), "read"), (Granted, "user", no_role, "edit")];
        for (doc, kind, name, level) in grants {
            let args = format!("doc={}&kind={kind}&name={name}&level={level}", world.id(doc));
            let (status, body) = world.call(Admin, "set_grant", &args, true).await;
            assert_eq!(status, 200, "{}: setting up the grant on {doc:?}: {body}", world.backend);
        }
        world.draft = world.new_draft().await;
        world.ballot = world.new_ballot(&world.draft).await;
        world
    }

    pub(super) fn person(&self, who: Who) -> &Person {
        &self.people[who as usize]
    }

    pub(super) fn id(&self, doc: Doc) -> DocumentId {
        self.docs.iter().find(|(d, _)| *d == doc).expect("document").1
    }

    pub(super) fn fail(&mut self, message: String) {
        self.failures.push(format!("{}: {message}", self.backend));
    }

    /// A new draft of the secret concept, started by the member; its id.
    async fn new_draft(&self) -> String {
        let args = format!("concept={}&title=Entwurf&reason=&scope=", self.id(Secret));
        let (status, body) = self.call(Member, "create_draft", &args, true).await;
        assert_eq!(status, 200, "{}: the member starts a draft: {body}", self.backend);
        serde_json::from_str(&body).expect("draft id")
    }

    /// A new open ballot on the secret concept, opened by the editor on `draft` (the member's);
    /// its id.
    async fn new_ballot(&self, draft: &str) -> String {
        let args = serde_json::json!({
            "concept": self.id(Secret).to_string(),
            "new": { "title": "Abstimmung", "kind": "proposal", "drafts": [draft],
                     "majority": "simple", "quorum": { "kind": "none" } },
        });
        let (status, body) = self.call(Editor, "open_ballot", &args.to_string(), true).await;
        assert_eq!(status, 200, "{}: the editor opens a ballot: {body}", self.backend);
        serde_json::from_str(&body).expect("ballot id")
    }

    /// A new ballot the member adopted and the editor closed; its id.
    async fn decided_ballot(&self) -> String {
        // Its own draft: merging the decision merges the draft.
        let ballot = self.new_ballot(&self.new_draft().await).await;
        let vote = serde_json::json!({ "id": ballot, "vote": { "choice": { "answer": "yes" } } });
        let (status, body) = self.call(Member, "cast_vote", &vote.to_string(), true).await;
        assert_eq!(status, 200, "{}: the member votes: {body}", self.backend);
        let (status, body) = self.call(Editor, "close_ballot", &format!("id={ballot}"), true).await;
        assert_eq!(status, 200, "{}: the editor closes: {body}", self.backend);
        ballot
    }

    /// Replaces `{secret}`, `{public}`, `{granted}`, `{missing}`, `{unique}`, `{target}` (a new
    /// person without a role), `{members-token}` (the id of a new token of the member), `{draft}`
    /// (the member's draft of the secret concept), `{fresh-draft}` (a new one), `{version}` (the
    /// fresh draft's version), `{ballot}`, `{fresh-ballot}` and `{decided-ballot}`.
    pub(super) async fn fill(&mut self, template: &str) -> String {
        let mut out = template.replace("{draft}", &self.draft).replace("{ballot}", &self.ballot);
        if out.contains("{fresh-ballot}") {
            out = out.replace("{fresh-ballot}", &self.new_ballot(&self.draft).await);
        }
        if out.contains("{decided-ballot}") {
            out = out.replace("{decided-ballot}", &self.decided_ballot().await);
        }
        if out.contains("{fresh-draft}") {
            let fresh = self.new_draft().await;
            out = out.replace("{fresh-draft}", &fresh);
            self.fresh = Some(fresh);
        }
        if out.contains("{version}") {
            let fresh = self.fresh.clone().expect("{version} follows {fresh-draft}");
            let (status, body) = self.call(Admin, "get_draft", &format!("id={fresh}"), true).await;
            assert_eq!(status, 200, "{}: the fresh draft as admin: {body}", self.backend);
            let detail: Value = serde_json::from_str(&body).expect("draft");
            out = out.replace("{version}", detail["version"].as_str().expect("version"));
        }
        for (doc, id) in self.docs {
            out = out.replace(&format!("{{{}}}", format!("{doc:?}").to_lowercase()), &id.to_string());
        }
        if out.contains("{platform}") {
            let args = format!("concept={}", self.id(Doc::Secret));
            let (status, body) = self.call(Admin, "get_metrics", &args, true).await;
            assert_eq!(status, 200, "{}: metrics as admin: {body}", self.backend);
            let view: Value = serde_json::from_str(&body).expect("metrics");
            out = out.replace("{platform}", view["platforms"][0]["id"].as_str().expect("a platform"));
        }
        if out.contains("{fresh-year}") {
            self.evaluation_year += 1;
            assert!(self.evaluation_year <= 2100, "more evaluation calls than years");
            out = out.replace("{fresh-year}", &self.evaluation_year.to_string());
        }
        if out.contains("{n}") {
            self.unique += 1;
            out = out.replace("{n}", &(self.unique * 100).to_string());
        }
        if out.contains("{metrics-file}") {
            use base64::Engine;
            self.unique += 1;
            let file = format!("Plattform;Monat;Follower\nMastodon;2026-02;{}\n", self.unique);
            out = out.replace("{metrics-file}", &base64::engine::general_purpose::STANDARD.encode(file));
        }
        if out.contains("{unique}") {
            self.unique += 1;
            out = out.replace("{unique}", &format!("gruppe-{}", self.unique));
        }
        if out.contains("{target}") {
            self.unique += 1;
            let name = format!("Ziel {}", self.unique);
            let id = self.app.admin(AdminCommand::CreateUser { name, role: None }).await.expect("target");
            out = out.replace("{target}", &id);
        }
        if out.contains("{members-token}") {
            let before = self.token_ids(Member).await;
            let user = self.person(Member).user_id.clone().expect("user id");
            self.app.admin(AdminCommand::CreateToken { user, name: "Opfer".into() }).await.expect("token");
            let new = self.token_ids(Member).await.into_iter().find(|id| !before.contains(id)).expect("new token");
            out = out.replace("{members-token}", &new);
        }
        out
    }

    /// The ids of a person's live tokens.
    pub(super) async fn token_ids(&self, who: Who) -> Vec<String> {
        let (_, body) = self.call(who, "get_account", "", true).await;
        let account: Value = serde_json::from_str(&body).expect("account");
        let tokens = account["tokens"].as_array().cloned().unwrap_or_default();
        tokens.iter().map(|t| t["id"].as_str().expect("token id").to_owned()).collect()
    }

    /// A GET with the person's cookie (`page`) or token; the status and body.
    pub(super) async fn get(&self, who: Who, path: &str, page: bool) -> (u16, String) {
        let mut req = self.http.get(format!("{}{path}", self.app.http()));
        req = self.authorize(req, who, page);
        let res = req.send().await.expect("request");
        let status = res.status().as_u16();
        if status == 303 {
            let location = res.headers().get("location").and_then(|l| l.to_str().ok()).unwrap_or_default().to_owned();
            return (status, location);
        }
        (status, String::from_utf8_lossy(&res.bytes().await.expect("body")).into_owned())
    }

    pub(super) fn authorize(&self, req: reqwest::RequestBuilder, who: Who, cookie: bool) -> reqwest::RequestBuilder {
        let p = self.person(who);
        match (cookie, &p.cookie, &p.token) {
            (true, Some(c), _) => req.header("cookie", c),
            (false, _, Some(t)) => req.bearer_auth(t),
            _ => req,
        }
    }

    /// Calls a server function; the status and body. Version operations are paced per person
    /// (`state::VERSION_OPS_PER_SEC`): a call refused as too fast is made again a little later.
    pub(super) async fn call(&self, who: Who, name: &str, args: &str, cookie: bool) -> (u16, String) {
        for _ in 0..40 {
            let req = self.authorize(server_fn(&self.http, &self.app, &self.fn_suffix, name, args), who, cookie);
            let res = req.send().await.expect("server function");
            let status = res.status().as_u16();
            let body = res.text().await.expect("body");
            if !body.contains("refused:invalid:rate") {
                return (status, body);
            }
            tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        }
        panic!("{}: {name} stayed too fast for 10 s", self.backend);
    }

    /// Checks a response's status, its refusal, and which document titles it shows.
    pub(super) fn judge(&mut self, what: &str, who: Who, expected: u16, (status, body): (u16, String), shows: &[Doc]) {
        let what = format!("{who:?} {what}");
        if status != expected {
            let excerpt: String = body.chars().take(200).collect();
            return self.fail(format!("{what}: expected {expected}, got {status} ({excerpt})"));
        }
        if status == 303 && !body.starts_with("/anmelden?next=") {
            self.fail(format!("{what}: redirected to {body}, not to the sign-in"));
        }
        // A refusal shows no title; an answer shows exactly the readable ones among those it lists.
        let allowed = (200..300).contains(&status);
        for doc in [Secret, Public, Granted] {
            if allowed && !shows.contains(&doc) {
                continue;
            }
            let visible = allowed && doc.readable_by(who);
            if body.contains(doc.marker()) != visible {
                let verb = if visible { "lacks" } else { "leaks" };
                self.fail(format!("{what}: the answer {verb} the title of the {doc:?} document"));
            }
        }
    }
}
