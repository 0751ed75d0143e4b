//! A document's history on its page: stretches of work, merged drafts and named versions, and
//! what editors do with old versions (name them, restore a section's wording).

use serde::{Deserialize, Serialize};

use crate::dto::history::Person;

/// Most stretches one answer carries (the newest).
pub const MAX_STRETCHES: usize = 200;
/// The newest stretches whose touched sections are named (each costs two reads of the document).
pub const MAX_NAMED_PARTS: usize = 20;
/// Longest name of a version, in characters.
pub const MAX_VERSION_NAME_CHARS: usize = 200;

/// Consecutive changes of one person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StretchView {
    /// `None`: stored before the server recorded authors, or by nobody.
    pub author: Option<Person>,
    pub from: Option<i64>,
    pub to: Option<i64>,
    pub changes: usize,
    /// The document's version after it, and before it.
    pub version: String,
    pub before: String,
    /// Headings of the sections and names of the platform entries it changed (newest stretches only).
    pub parts: Option<Vec<String>>,
}

/// A draft merged into the concept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergeEvent {
    pub draft_id: String,
    pub title: String,
    pub at: i64,
    /// The concept's version the merge produced.
    pub version: String,
    pub by: Option<Person>,
}

/// A ballot's decision carried into the concept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionEvent {
    pub ballot_id: String,
    pub title: String,
    pub at: i64,
    /// The concept's version the decision produced.
    pub version: String,
    pub by: Option<Person>,
}

/// A version an editor named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedVersionView {
    pub name: String,
    pub version: String,
    pub at: i64,
    pub by: Option<Person>,
}

/// A document's timeline, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timeline {
    /// The document's title now.
    pub title: String,
    pub stretches: Vec<StretchView>,
    /// Stretches in all (the answer carries the newest `MAX_STRETCHES`).
    pub total: usize,
    pub merges: Vec<MergeEvent>,
    /// Ballots whose decision went into the concept ("Beschlüsse").
    #[serde(default)]
    pub decisions: Vec<DecisionEvent>,
    pub named: Vec<NamedVersionView>,
    /// The document's version now.
    pub version: String,
    /// The caller may name versions and restore wording.
    pub can_edit: bool,
}

/// An editor naming a version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NameVersion {
    pub name: String,
    pub version: String,
}

/// An editor restoring one section's (or platform entry's) wording from an earlier version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RestoreWording {
    pub version: String,
    pub item: String,
}

/// Who wrote each passage of a document now, for "who wrote this" colouring.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Authorship {
    /// The people named; runs point into this list.
    pub people: Vec<Person>,
    pub fields: Vec<FieldAuthors>,
}

/// One text field's runs of characters by author.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldAuthors {
    pub field: crate::schema::FieldPath,
    pub text: String,
    /// (first character, end character, index into `people`; `None`: unknown), in order.
    pub runs: Vec<(u32, u32, Option<u32>)>,
}
