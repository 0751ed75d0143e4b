//! The people of the authorization matrix and the documents they ask for.

use kompromiss_server::cli::admin::AdminCommand;
use kompromiss_tests::app::TestApp;

/// Who asks. `NoRole` is signed in without a role but holds an `edit` grant on the granted document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Who {
    Anonymous,
    NoRole,
    Member,
    Editor,
    Admin,
}
use Who::{Admin, Anonymous, Editor, Member, NoRole};

/// Every person, in the order of the expectation rows below.
pub(super) const EVERYONE: [Who; 5] = [Anonymous, NoRole, Member, Editor, Admin];

/// The documents of the matrix; each title holds a marker that must not leak to those who may not read it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Doc {
    /// No grants: readable through a role only.
    Secret,
    /// `public` may read.
    Public,
    /// The no-role person may edit.
    Granted,
    /// Never created.
    Missing,
}
use Doc::{Granted, Missing, Public, Secret};

impl Doc {
    pub(super) fn marker(self) -> &'static str {
        match self {
            Secret => "Streng vertrauliches Konzept",
            Public => "Offenes Konzept",
            Granted => "Geteiltes Konzept",
            Missing => "Nie angelegtes Konzept",
        }
    }

    pub(super) fn readable_by(self, who: Who) -> bool {
        match self {
            Secret => matches!(who, Member | Editor | Admin),
            Public => true,
            Granted => who != Anonymous,
            Missing => false,
        }
    }
}

/// One person's credentials: the same account signs in with a session cookie and an API token.
pub(super) struct Person {
    pub(super) user_id: Option<String>,
    pub(super) cookie: Option<String>,
    pub(super) token: Option<String>,
}

/// Signs a person in (development sign-in) and gives the same account an API token.
pub(super) async fn person(app: &TestApp, who: Who) -> Person {
    let role = match who {
        Anonymous => return Person { user_id: None, cookie: None, token: None },
        NoRole | Member => "member",
        Editor => "editor",
        Admin => "admin",
    };
    let name = format!("Matrix {who:?}");
    let cookie = app.dev_cookie(&name, role).await;
    let users = app.admin(AdminCommand::Users).await.expect("users");
    let line = users.lines().find(|l| l.split('\t').nth(1) == Some(name.as_str())).expect("signed-in person listed");
    let user_id = line.split('\t').next().expect("id").to_owned();
    if who == NoRole {
        app.admin(AdminCommand::Revoke { user: user_id.clone(), role: role.into() }).await.expect("revoke role");
    }
    let token =
        app.admin(AdminCommand::CreateToken { user: user_id.clone(), name: "matrix".into() }).await.expect("token");
    Person { user_id: Some(user_id), cookie: Some(cookie), token: Some(token) }
}
