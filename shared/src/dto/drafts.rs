//! Drafts over HTTP: the concept's list of drafts, one draft with its changes, and what its
//! authors and the concept's editors send (create, merge).

use serde::{Deserialize, Serialize};

use crate::diff::{ConceptDiff, Summary};
use crate::dto::history::Person;
use crate::lines::FieldRef;
use crate::schema::ConceptView;

/// Longest draft title, in characters.
pub const MAX_TITLE_CHARS: usize = 200;
/// Longest reason (Begründung), in characters.
pub const MAX_REASON_CHARS: usize = 10_000;
/// Most sections and platform entries a draft's scope or a section-wise merge names.
pub const MAX_PARTS: usize = 200;

/// Where a draft stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DraftStatus {
    /// Being written; its authors can change it.
    Open,
    /// Its authors took it back; they can reopen it.
    Withdrawn,
    /// Merged into the concept ("übernommen").
    Merged,
}

/// A recorded merge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergeInfo {
    /// The concept's version the merge produced.
    pub concept_version: String,
    /// The draft's version that was taken.
    pub draft_version: String,
    /// The sections and platform entries adopted; empty: the whole draft.
    pub parts: Vec<String>,
    pub by: Option<Person>,
    pub at: i64,
}

/// One draft in the concept's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftSummary {
    pub id: String,
    pub title: String,
    pub status: DraftStatus,
    pub authors: Vec<Person>,
    /// How many sections and platform entries it changes.
    pub changes: Summary,
    /// The concept changed since the draft last caught up.
    pub behind: bool,
    pub created_at: i64,
    pub merged: Option<MergeInfo>,
}

/// A concept's drafts, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftList {
    pub drafts: Vec<DraftSummary>,
    /// The caller may start a draft.
    pub can_create: bool,
}

/// One draft, with what it changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftDetail {
    pub id: String,
    pub concept_id: String,
    pub concept_title: String,
    pub title: String,
    pub reason: String,
    /// Sections and platform entries it means to change (empty: any).
    pub scope: Vec<String>,
    pub status: DraftStatus,
    pub authors: Vec<Person>,
    pub created_at: i64,
    /// The concept's version the draft contains (it started from it or caught up with it).
    pub base_version: String,
    /// The draft's version now: what a merge or a ballot takes.
    pub version: String,
    /// The concept as it was at `base_version`: the page diffs the live draft against it.
    pub base_view: ConceptView,
    /// The draft's own changes against the concept at `base_version`, numbered by its lines.
    pub diff: ConceptDiff,
    /// What changed in the concept since `base_version` (`None`: nothing; catching up brings it).
    pub meanwhile: Option<ConceptDiff>,
    /// Passages both the draft and the concept changed, found at the last catch-up.
    pub conflicts: Vec<FieldRef>,
    pub merged: Option<MergeInfo>,
    /// The caller is an author and the draft is open: they can edit it and catch it up.
    pub can_edit: bool,
    /// The caller is an author: they can withdraw, reopen and invite co-authors.
    pub is_author: bool,
    /// The caller may merge it into the concept.
    pub can_merge: bool,
}

/// A new draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewDraft {
    pub title: String,
    #[serde(default)]
    pub reason: String,
    /// Section and platform ids it means to change (empty: the whole concept).
    #[serde(default)]
    pub scope: Vec<String>,
}

/// The answer to a new draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedDraft {
    pub id: String,
}

/// A merge, or its preview: the draft's version the editor saw, and which parts to adopt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergeRequest {
    /// The draft's version (from `DraftDetail::version`); a draft that moved on since is merged
    /// as it was then.
    pub version: String,
    /// Section and platform ids to adopt; empty: the whole draft.
    #[serde(default)]
    pub parts: Vec<String>,
}

/// What the concept will look like after a merge, and how that differs from it now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergePreview {
    pub concept: ConceptView,
    pub diff: ConceptDiff,
}

/// The answer to a catch-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaughtUp {
    /// Changes brought into the draft.
    pub changes: usize,
    /// Passages both sides changed.
    pub conflicts: Vec<FieldRef>,
}

/// An author inviting a co-author.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteAuthor {
    pub user_id: String,
}
