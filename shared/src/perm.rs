//! The permission model: roles, per-document levels, actions, and the pure rule deciding who may do what.
//!
//! A person's **role** comes from the sign-in provider's claims (mapped by configuration or by an
//! admin) or from a direct grant. A **level** is what a person may do with one document: the
//! highest of what their role gives on every document and of the document's own grants (grants
//! only add; the one grant without sign-in, `public`, gives at most reading).

use serde::{Deserialize, Serialize};

/// What a person is in the organisation, ordered by power.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Party member: reads every concept, takes part (comment, vote, suggest).
    Member,
    /// Working group or board: edits concepts.
    Editor,
    /// Manages role mappings and grants, reads the audit log.
    Admin,
}

impl Role {
    /// Every role, least powerful first.
    pub const ALL: [Role; 3] = [Role::Member, Role::Editor, Role::Admin];

    /// The configuration and database spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Member => "member",
            Role::Editor => "editor",
            Role::Admin => "admin",
        }
    }

    /// Parses `member`, `editor` or `admin` (also the German `mitglied`, `redaktion`).
    pub fn parse(raw: &str) -> Option<Role> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "member" | "mitglied" => Some(Role::Member),
            "editor" | "redaktion" => Some(Role::Editor),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }

    /// The level this role has on every document.
    pub fn doc_level(self) -> Level {
        match self {
            Role::Member => Level::Participate,
            Role::Editor => Level::Edit,
            Role::Admin => Level::Administer,
        }
    }
}

/// What one may do with one document; each level includes the ones below it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Nothing; the document looks missing.
    #[default]
    None,
    /// Read the document and its history.
    Read,
    /// Read, comment, suggest drafts and vote.
    Participate,
    /// Also change the text.
    Edit,
    /// Also change the document's grants.
    Administer,
}

impl Level {
    /// Levels a grant can give, lowest first.
    pub const GRANTABLE: [Level; 4] = [Level::Read, Level::Participate, Level::Edit, Level::Administer];

    /// The database spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::None => "none",
            Level::Read => "read",
            Level::Participate => "participate",
            Level::Edit => "edit",
            Level::Administer => "administer",
        }
    }

    /// Parses the database spelling.
    pub fn parse(raw: &str) -> Option<Level> {
        match raw.trim() {
            "none" => Some(Level::None),
            "read" => Some(Level::Read),
            "participate" => Some(Level::Participate),
            "edit" => Some(Level::Edit),
            "administer" => Some(Level::Administer),
            _ => None,
        }
    }

    /// Whether this level allows an action on the document.
    pub fn allows(self, action: Action) -> bool {
        self >= action.needs()
    }
}

/// Something a person does with a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Read,
    Comment,
    Suggest,
    Vote,
    Edit,
    Administer,
}

impl Action {
    /// Every action.
    pub const ALL: [Action; 6] =
        [Action::Read, Action::Comment, Action::Suggest, Action::Vote, Action::Edit, Action::Administer];

    /// The lowest level that allows the action.
    pub fn needs(self) -> Level {
        match self {
            Action::Read => Level::Read,
            Action::Comment | Action::Suggest | Action::Vote => Level::Participate,
            Action::Edit => Level::Edit,
            Action::Administer => Level::Administer,
        }
    }
}

/// Who a document grant is for.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "name", rename_all = "lowercase")]
pub enum Subject {
    /// Anyone, signed in or not (reading only).
    Public,
    /// Everyone holding a role.
    Role(Role),
    /// Everyone whose sign-in claims name this group (e.g. `lag-digitales`).
    Group(String),
    /// One person (their Kompromiss user id).
    User(String),
}

impl Subject {
    /// The database's (kind, name) pair.
    pub fn parts(&self) -> (&'static str, &str) {
        match self {
            Subject::Public => ("public", ""),
            Subject::Role(role) => ("role", role.as_str()),
            Subject::Group(name) => ("group", name),
            Subject::User(id) => ("user", id),
        }
    }

    /// From the database's (kind, name) pair; group and user names must be non-empty and short.
    pub fn from_parts(kind: &str, name: &str) -> Option<Subject> {
        let name = name.trim();
        let plain = !name.is_empty() && name.len() <= 200 && !name.chars().any(char::is_control);
        match kind {
            "public" => Some(Subject::Public),
            "role" => Role::parse(name).map(Subject::Role),
            "group" if plain => Some(Subject::Group(name.to_owned())),
            "user" if plain => Some(Subject::User(name.to_owned())),
            _ => None,
        }
    }

    /// The most a grant to this subject may give: the public only reads.
    pub fn cap(&self) -> Level {
        match self {
            Subject::Public => Level::Read,
            _ => Level::Administer,
        }
    }
}

/// A grant on one document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    pub subject: Subject,
    pub level: Level,
}

/// Who is asking, as far as the rules care.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Who<'a> {
    /// `None` when not signed in.
    pub user_id: Option<&'a str>,
    /// The effective role (highest of claims, grants and configuration).
    pub role: Option<Role>,
    /// Groups from the last sign-in's claims.
    pub groups: &'a [String],
}

/// The level a person has on a document with these grants.
pub fn level(who: &Who<'_>, grants: &[Grant]) -> Level {
    let signed_in = who.user_id.is_some();
    let from_role = who.role.filter(|_| signed_in).map_or(Level::None, Role::doc_level);
    grants
        .iter()
        .filter(|g| match &g.subject {
            Subject::Public => true,
            Subject::Role(role) => signed_in && who.role.is_some_and(|mine| mine >= *role),
            Subject::Group(group) => signed_in && who.groups.iter().any(|g| g == group),
            Subject::User(id) => who.user_id == Some(id.as_str()),
        })
        .map(|g| g.level.min(g.subject.cap()))
        .fold(from_role, Level::max)
}

/// The level a person has on a draft, from their level on its concept: whoever reads the concept
/// reads its drafts (and may comment on them if they may on the concept); only the draft's
/// authors write it, while it is open and while they may take part in the concept. Nobody
/// administers a draft through it (its concept's rules govern it).
pub fn draft_level(concept: Level, author: bool, open: bool) -> Level {
    if concept < Level::Read {
        Level::None
    } else if author && open && concept >= Level::Participate {
        Level::Edit
    } else {
        concept.min(Level::Participate)
    }
}

/// Whether a person may create documents.
pub fn may_create_documents(role: Option<Role>) -> bool {
    role.is_some_and(|r| r >= Role::Editor)
}

/// Whether a person may manage roles, grants and read the audit log.
pub fn is_admin(role: Option<Role>) -> bool {
    role == Some(Role::Admin)
}

#[cfg(test)]
mod tests;
