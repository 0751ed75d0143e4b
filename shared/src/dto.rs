//! Data sent between server and browser outside the sync protocol (lists, who am I).

use serde::{Deserialize, Serialize};

use crate::perm::{Level, Role, Subject};
use crate::schema::ConceptView;

/// One entry of the document list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocSummary {
    pub id: String,
    pub title: String,
    /// Milliseconds since the Unix epoch.
    pub updated_at: i64,
}

/// A template offered for new documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateSummary {
    pub id: String,
    pub name_de: String,
    pub name_en: String,
}

/// What the page needs to know about the visitor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Me {
    /// Display name when signed in.
    pub display_name: Option<String>,
    /// The development sign-in is on (and announced in a banner).
    pub dev_login: bool,
    /// Sign-in through the party's OpenID Connect provider is configured.
    pub oidc: bool,
    /// The effective role, when signed in and holding one.
    pub role: Option<Role>,
}

impl Me {
    /// May create documents (editors and admins).
    pub fn can_create(&self) -> bool {
        crate::perm::may_create_documents(self.role)
    }

    /// May administer roles, grants and read the audit log.
    pub fn is_admin(&self) -> bool {
        crate::perm::is_admin(self.role)
    }
}

/// A document page's first render.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocPage {
    pub id: String,
    pub view: ConceptView,
    /// The visitor may edit (else the page is read-only).
    pub can_edit: bool,
    /// The visitor's level on this document.
    pub level: Level,
}

/// Why a request was refused, as the browser learns it (mapped to an HTTP status by the server).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum Refusal {
    #[error("sign-in required")]
    SignIn,
    #[error("not allowed")]
    Forbidden,
    #[error("not found")]
    NotFound,
    /// A field was invalid; names the field.
    #[error("invalid {0}")]
    Invalid(String),
    #[error("internal error")]
    Internal,
}

impl Refusal {
    /// The HTTP status for this refusal.
    pub fn status(&self) -> u16 {
        match self {
            Refusal::SignIn => 401,
            Refusal::Forbidden => 403,
            Refusal::NotFound => 404,
            Refusal::Invalid(_) => 400,
            Refusal::Internal => 500,
        }
    }

    /// A stable code carried in server-function errors (`refused:<code>`).
    pub fn code(&self) -> String {
        match self {
            Refusal::SignIn => "sign-in".into(),
            Refusal::Forbidden => "forbidden".into(),
            Refusal::NotFound => "not-found".into(),
            Refusal::Invalid(field) => format!("invalid:{field}"),
            Refusal::Internal => "internal".into(),
        }
    }
}

/// A personal API token as listed (never with its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenInfo {
    pub id: String,
    pub name: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

/// A token just created: the secret is shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedToken {
    pub info: TokenInfo,
    pub secret: String,
}

/// The account page: who I am and my tokens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub me: Me,
    /// Groups from the last sign-in.
    pub groups: Vec<String>,
    pub tokens: Vec<TokenInfo>,
}

/// Why someone holds a role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum RoleReason {
    /// The sign-in claims named a group that is mapped to the role.
    Claim { group: String },
    /// An admin (or the command line) granted it.
    Grant { by: Option<String> },
    /// Named in `KOMPROMISS_ADMINS`.
    Config,
}

/// One role a person holds, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleHolding {
    pub role: Role,
    pub reason: RoleReason,
}

/// A person as admins see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserEntry {
    pub id: String,
    pub display_name: String,
    pub email: Option<String>,
    /// The sign-in provider's subject (or `dev:…` for the development sign-in).
    pub subject: String,
    pub groups: Vec<String>,
    /// The highest role held, if any.
    pub role: Option<Role>,
    pub holdings: Vec<RoleHolding>,
    pub last_sign_in_at: Option<i64>,
}

/// A claim group mapped to a role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleMapping {
    pub group: String,
    pub role: Role,
    /// From configuration (`KOMPROMISS_ROLE_MAP`): shown, not editable in the UI.
    pub from_config: bool,
}

/// The admin overview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminData {
    pub me: Me,
    pub users: Vec<UserEntry>,
    pub mappings: Vec<RoleMapping>,
    pub documents: Vec<DocSummary>,
}

/// A grant on a document as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantEntry {
    pub subject: Subject,
    /// A readable name: the person's display name for user grants, else the group or role.
    pub label: String,
    pub level: Level,
    pub created_at: i64,
}

/// A document's sharing settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocSharing {
    pub me: Me,
    pub doc: DocSummary,
    pub grants: Vec<GrantEntry>,
    /// People who can be named in a user grant (id, display name).
    pub people: Vec<(String, String)>,
}

/// One audit log line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: i64,
    /// Display name of who did it (none for the system or a failed sign-in).
    pub actor: Option<String>,
    /// e.g. `sign-in`, `sign-in-failed`, `role-granted`, `grant-changed`, `token-created`, `write-refused`.
    pub action: String,
    pub target: Option<String>,
    pub detail: Option<String>,
}

/// A filter over the audit log; newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct AuditQuery {
    /// Exact action name.
    pub action: Option<String>,
    /// Part of the actor's display name.
    pub actor: Option<String>,
    /// Only entries with an id below this (paging).
    pub before: Option<i64>,
    /// At most this many (server caps at 200).
    pub limit: Option<u32>,
}

/// The audit page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub me: Me,
    pub entries: Vec<AuditEntry>,
    /// Every action name, for the filter.
    pub actions: Vec<String>,
}
