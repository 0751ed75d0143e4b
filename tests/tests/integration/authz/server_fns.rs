//! The server function channel: each call with a cookie and with a token, and what it may change.

use kompromiss_tests::app::TestApp;
use serde_json::Value;

use super::fixture::Doc::{self, Granted, Public, Secret};
use super::fixture::EVERYONE;
use super::fixture::Who::{Admin, Editor, Member, NoRole};
use super::world::World;

/// What a server function may change, compared before and after the call.
#[derive(Clone, Copy, Debug)]
enum Effect {
    Reads,
    Tokens,
    Mappings,
    UserRoles,
    Grants,
    Moderators,
    /// The secret concept's drafts: their status and authors.
    Drafts,
    /// The secret concept's ballots: open or closed, and turnout.
    Ballots,
    /// The secret concept's metric values and imports.
    Metrics,
    /// The secret concept's evaluations: which years are stored, and which presented.
    Evaluations,
}
use Effect::{Ballots, Drafts, Evaluations, Grants, Mappings, Metrics, Moderators, Reads, Tokens, UserRoles};

/// A server function call (form-encoded `args`), made with a session cookie and with an API token.
struct Call {
    name: &'static str,
    args: &'static str,
    expect: [u16; 5],
    shows: &'static [Doc],
    effect: Effect,
}

const SIGNED_IN: [u16; 5] = [401, 200, 200, 200, 200];
const ADMINS: [u16; 5] = [401, 403, 403, 403, 200];
/// Administering the secret document: it looks missing to those who cannot read it.
const SECRET_ADMINS: [u16; 5] = [401, 404, 403, 403, 200];
const PUBLIC_EDIT: [u16; 5] = [401, 403, 403, 403, 400];
const OWNER: [u16; 5] = [401, 404, 200, 404, 404];
const LISTS: &[Doc] = &[Secret, Public, Granted];
/// Reading the secret document: roles read it, the no-role person finds nothing.
const READERS_SECRET: [u16; 5] = [401, 404, 200, 200, 200];
/// Acting on the member's draft of the secret concept: its author only; other readers are refused.
const DRAFT_AUTHOR: [u16; 5] = [401, 404, 200, 403, 403];
/// Merging a draft of the secret concept: those who may edit the concept.
const SECRET_EDITORS: [u16; 5] = [401, 404, 403, 200, 200];

const CALLS: &[Call] = &[
    Call { name: "get_overview", args: "", expect: SIGNED_IN, shows: LISTS, effect: Reads },
    Call { name: "get_account", args: "", expect: SIGNED_IN, shows: &[], effect: Reads },
    Call { name: "create_token", args: "name={unique}", expect: SIGNED_IN, shows: &[], effect: Tokens },
    Call { name: "get_admin", args: "", expect: ADMINS, shows: LISTS, effect: Reads },
    Call { name: "set_role_mapping", args: "group={unique}&role=editor", expect: ADMINS, shows: &[], effect: Mappings },
    Call {
        name: "set_user_role",
        args: "user_id={target}&role=editor&change=grant",
        expect: ADMINS,
        shows: &[],
        effect: UserRoles,
    },
    Call { name: "get_sharing", args: "doc={secret}", expect: SECRET_ADMINS, shows: &[Secret], effect: Reads },
    Call { name: "get_sharing", args: "doc={granted}", expect: ADMINS, shows: &[Granted], effect: Reads },
    Call {
        name: "set_grant",
        args: "doc={secret}&kind=group&name={unique}&level=read",
        expect: SECRET_ADMINS,
        shows: &[],
        effect: Grants,
    },
    Call {
        name: "set_grant",
        args: "doc={granted}&kind=group&name={unique}&level=read",
        expect: ADMINS,
        shows: &[],
        effect: Grants,
    },
    // The public may only read: an admin asking for more is refused as invalid.
    Call {
        name: "set_grant",
        args: "doc={public}&kind=public&name=&level=edit",
        expect: PUBLIC_EDIT,
        shows: &[],
        effect: Grants,
    },
    // Naming a moderator of a document's discussion is administering the document.
    Call {
        name: "set_moderator",
        args: "doc={secret}&user={target}&named=true",
        expect: SECRET_ADMINS,
        shows: &[],
        effect: Moderators,
    },
    Call {
        name: "set_moderator",
        args: "doc={granted}&user={target}&named=true",
        expect: ADMINS,
        shows: &[],
        effect: Moderators,
    },
    Call { name: "get_audit", args: "", expect: ADMINS, shows: &[], effect: Reads },
    // A concept's history and who wrote what: whoever may read it (the rest: as if missing).
    Call { name: "get_timeline", args: "doc={secret}", expect: READERS_SECRET, shows: &[Secret], effect: Reads },
    Call { name: "get_timeline", args: "doc={granted}", expect: SIGNED_IN, shows: &[Granted], effect: Reads },
    Call { name: "get_authorship", args: "doc={secret}", expect: READERS_SECRET, shows: &[Secret], effect: Reads },
    // Drafts of the secret concept (`{draft}`: the member's; `{fresh-draft}`: a new one of the
    // member's, `{version}` its version): its readers read them, whoever may take part starts one,
    // only authors change one, only the concept's editors merge one.
    Call { name: "get_draft", args: "id={draft}", expect: READERS_SECRET, shows: &[Secret], effect: Reads },
    Call {
        name: "create_draft",
        args: "concept={secret}&title=Kompromiss&reason=&scope=",
        expect: READERS_SECRET,
        shows: &[],
        effect: Drafts,
    },
    Call { name: "catch_up_draft", args: "id={draft}", expect: DRAFT_AUTHOR, shows: &[], effect: Reads },
    Call { name: "invite_author", args: "id={draft}&user={target}", expect: DRAFT_AUTHOR, shows: &[], effect: Drafts },
    Call {
        name: "set_draft_open",
        args: "id={fresh-draft}&open=false",
        expect: DRAFT_AUTHOR,
        shows: &[],
        effect: Drafts,
    },
    Call {
        name: "preview_merge",
        args: r#"{"id":"{fresh-draft}","version":"{version}","parts":[]}"#,
        expect: SECRET_EDITORS,
        shows: &[Secret],
        effect: Reads,
    },
    Call {
        name: "merge_draft",
        args: r#"{"id":"{fresh-draft}","version":"{version}","parts":[]}"#,
        expect: SECRET_EDITORS,
        shows: &[],
        effect: Drafts,
    },
    // Ballots on the secret concept (`{ballot}`: an open one; `{fresh-ballot}`: a new open one;
    // `{decided-ballot}`: a new one the member adopted and an editor closed): its readers see
    // them and, being members or more, vote; only its editors open, close and merge.
    Call { name: "get_ballots", args: "concept={secret}", expect: READERS_SECRET, shows: &[], effect: Reads },
    Call { name: "get_ballot", args: "id={ballot}", expect: READERS_SECRET, shows: &[Secret], effect: Reads },
    Call { name: "get_turnout", args: "id={ballot}", expect: READERS_SECRET, shows: &[], effect: Reads },
    Call {
        name: "open_ballot",
        args: r#"{"concept":"{secret}","new":{"title":"Abstimmung","kind":"proposal","drafts":["{fresh-draft}"],"majority":"simple","quorum":{"kind":"none"}}}"#,
        expect: SECRET_EDITORS,
        shows: &[],
        effect: Ballots,
    },
    Call {
        name: "cast_vote",
        args: r#"{"id":"{fresh-ballot}","vote":{"choice":{"answer":"yes"}}}"#,
        expect: READERS_SECRET,
        shows: &[],
        effect: Ballots,
    },
    Call { name: "close_ballot", args: "id={fresh-ballot}", expect: SECRET_EDITORS, shows: &[], effect: Ballots },
    Call {
        name: "preview_decision",
        args: "id={decided-ballot}",
        expect: SECRET_EDITORS,
        shows: &[Secret],
        effect: Reads,
    },
    Call { name: "merge_decision", args: "id={decided-ballot}", expect: SECRET_EDITORS, shows: &[], effect: Reads },
    // Metrics of the secret concept: its readers read them; only its editors enter and import
    // (`{n}`: a value not entered before; `{metrics-file}`: a CSV file, base64, with such a value).
    Call { name: "get_metrics", args: "concept={secret}", expect: READERS_SECRET, shows: &[Secret], effect: Reads },
    Call {
        name: "get_metric_record",
        args: "concept={secret}&platform={platform}&metric=follower&month=2026-01",
        expect: READERS_SECRET,
        shows: &[],
        effect: Reads,
    },
    Call {
        name: "enter_metrics",
        args: r#"{"concept":"{secret}","values":{"platform":"{platform}","month":"2026-01","source":"Matrix","values":[["follower",{n}]]}}"#,
        expect: SECRET_EDITORS,
        shows: &[],
        effect: Metrics,
    },
    Call {
        name: "import_metrics",
        args: r#"{"concept":"{secret}","file":{"name":"matrix.csv","data":"{metrics-file}"},"store":false}"#,
        expect: SECRET_EDITORS,
        shows: &[],
        effect: Reads,
    },
    Call {
        name: "import_metrics",
        args: r#"{"concept":"{secret}","file":{"name":"matrix.csv","data":"{metrics-file}"},"store":true}"#,
        expect: SECRET_EDITORS,
        shows: &[],
        effect: Metrics,
    },
    // Evaluations of the secret concept: its readers read them; its editors write and freeze
    // (`{fresh-year}`: a year nobody wrote on yet, so that each call can change something).
    Call {
        name: "get_evaluation",
        args: "concept={secret}&year=2026",
        expect: READERS_SECRET,
        shows: &[Secret],
        effect: Reads,
    },
    Call {
        name: "edit_evaluation",
        args: r#"{"concept":"{secret}","year":{fresh-year},"edit":{"revision":0,"platform":null,"text":"Zusammenfassung"}}"#,
        expect: SECRET_EDITORS,
        shows: &[],
        effect: Evaluations,
    },
    Call {
        name: "freeze_evaluation",
        args: r#"{"concept":"{secret}","year":{fresh-year},"freeze":{"revision":0,"on":"2027-03-14","body":"Landesparteirat"}}"#,
        expect: SECRET_EDITORS,
        shows: &[],
        effect: Evaluations,
    },
    // Only its owner (the member) may revoke a token, not even an admin.
    Call { name: "revoke_token", args: "id={members-token}", expect: OWNER, shows: &[], effect: Tokens },
];

/// With an API token these differ from `expect`: a token cannot mint further tokens.
const BY_TOKEN: &[(&str, [u16; 5])] = &[("create_token", [401, 403, 403, 403, 403])];

impl World {
    pub(super) async fn server_functions(&mut self) {
        for case in CALLS {
            let by_token = BY_TOKEN.iter().find(|(name, _)| *name == case.name).map_or(case.expect, |(_, e)| *e);
            for (cookie, expect) in [(true, case.expect), (false, by_token)] {
                let channel = if cookie { "cookie" } else { "token" };
                for (i, who) in EVERYONE.into_iter().enumerate() {
                    let args = self.fill(case.args).await;
                    let before = self.snapshot(case.effect).await;
                    let answer = self.call(who, case.name, &args, cookie).await;
                    let what = format!("server function {}({}) with a {channel}", case.name, case.args);
                    let status = answer.0;
                    if status >= 400 && !answer.1.contains(&format!("refused:{}", refusal(status))) {
                        self.fail(format!("{who:?} {what}: no `refused:{}` in {}", refusal(status), answer.1));
                    }
                    self.judge(&what, who, expect[i], answer, case.shows);
                    let changed = self.snapshot(case.effect).await != before;
                    let mutates = !matches!(case.effect, Reads);
                    if mutates && changed != (status == 200) {
                        self.fail(format!("{who:?} {what}: answered {status} but the data changed: {changed}"));
                    }
                }
            }
        }
    }

    /// The state a server function may change, as an admin sees it.
    async fn snapshot(&self, effect: Effect) -> Value {
        let admin = |name: &'static str| async move {
            let (status, body) = self.call(Admin, name, "", true).await;
            assert_eq!(status, 200, "{}: {name} as admin", self.backend);
            serde_json::from_str::<Value>(&body).expect("json")
        };
        match effect {
            Reads => Value::Null,
            Tokens => {
                let mut all = Vec::new();
                for who in [NoRole, Member, Editor, Admin] {
                    all.push(self.token_ids(who).await);
                }
                all.into()
            }
            Mappings => admin("get_admin").await["mappings"].clone(),
            UserRoles => {
                let users = admin("get_admin").await["users"].as_array().cloned().unwrap_or_default();
                users
                    .iter()
                    .map(|u| Value::from(vec![u["id"].clone(), u["role"].clone(), u["holdings"].clone()]))
                    .collect()
            }
            Ballots => {
                let args = format!("concept={}", self.id(Secret));
                let (status, body) = self.call(Admin, "get_ballots", &args, true).await;
                assert_eq!(status, 200, "{}: ballots as admin: {body}", self.backend);
                let list: Value = serde_json::from_str(&body).expect("json");
                let ballots = list.as_array().cloned().unwrap_or_default();
                ballots
                    .iter()
                    .map(|b| Value::from(vec![b["id"].clone(), b["open"].clone(), b["voted"].clone()]))
                    .collect()
            }
            Evaluations => {
                let args = format!("concept={}&year=2026", self.id(Secret));
                let (status, body) = self.call(Admin, "get_evaluation", &args, true).await;
                assert_eq!(status, 200, "{}: evaluation as admin: {body}", self.backend);
                serde_json::from_str::<Value>(&body).expect("json")["years"].clone()
            }
            Metrics => {
                let args = format!("concept={}&year=2026", self.id(Secret));
                let (status, body) = self.call(Admin, "get_metrics", &args, true).await;
                assert_eq!(status, 200, "{}: metrics as admin: {body}", self.backend);
                let view: Value = serde_json::from_str(&body).expect("json");
                Value::from(vec![view["values"].clone(), view["imports"].clone()])
            }
            Drafts => {
                let path = format!("/api/documents/{}/drafts", self.id(Secret));
                let (status, body) = self.get(Admin, &path, false).await;
                assert_eq!(status, 200, "{}: drafts as admin: {body}", self.backend);
                let list: Value = serde_json::from_str(&body).expect("json");
                let drafts = list["drafts"].as_array().cloned().unwrap_or_default();
                drafts
                    .iter()
                    .map(|d| Value::from(vec![d["id"].clone(), d["status"].clone(), d["authors"].clone()]))
                    .collect()
            }
            Grants | Moderators => {
                let field = if matches!(effect, Grants) { "grants" } else { "moderators" };
                let mut all = Vec::new();
                for doc in [Secret, Public, Granted] {
                    let args = format!("doc={}", self.id(doc));
                    let (status, body) = self.call(Admin, "get_sharing", &args, true).await;
                    assert_eq!(status, 200, "{}: sharing as admin", self.backend);
                    all.push(serde_json::from_str::<Value>(&body).expect("json")[field].clone());
                }
                all.into()
            }
        }
    }
}

/// The refusal code a server function answers with this status.
fn refusal(status: u16) -> &'static str {
    match status {
        401 => "sign-in",
        403 => "forbidden",
        404 => "not-found",
        _ => "invalid",
    }
}

/// A POST of `args` to a server function: form-encoded, or JSON when they are an object.
pub(crate) fn server_fn(
    http: &reqwest::Client,
    app: &TestApp,
    suffix: &str,
    name: &str,
    args: &str,
) -> reqwest::RequestBuilder {
    let kind = if args.starts_with('{') { "application/json" } else { "application/x-www-form-urlencoded" };
    http.post(format!("{}/api/fn/{name}{suffix}", app.http())).header("content-type", kind).body(args.to_owned())
}

/// The hash suffix of server function paths, read from a form's action on the admin page.
pub(crate) fn server_fn_suffix(admin_page: &str) -> String {
    let start = admin_page.find("/api/fn/set_user_role").expect("the admin page posts to set_user_role");
    let rest = &admin_page[start + "/api/fn/set_user_role".len()..];
    rest.chars().take_while(char::is_ascii_alphanumeric).collect()
}
