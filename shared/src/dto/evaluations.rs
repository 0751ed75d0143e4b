//! The yearly evaluation between server and browser: assembled from the concept's decisions and
//! assessments, the year's metrics, changes and ballots, with the editors' commentary; frozen as
//! presented to the party council, after which it never changes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::decision::Decision;
use crate::dto::ballots::TrailBallot;
use crate::dto::comments::Person;
use crate::dto::metrics::MetricsView;
use crate::dto::timeline::{DecisionEvent, MergeEvent, NamedVersionView, StretchView};
use crate::template::Criterion;

/// Longest summary, in characters.
pub const MAX_SUMMARY_CHARS: usize = 20_000;
/// Longest commentary on one platform, in characters.
pub const MAX_COMMENTARY_CHARS: usize = 10_000;
/// Longest name of the body it was presented to, in characters.
pub const MAX_BODY_CHARS: usize = 100;

/// How a frozen evaluation was presented.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Presented {
    /// The date of the meeting (`YYYY-MM-DD`).
    pub on: String,
    /// The body it was presented to ("Landesparteirat").
    pub body: String,
    /// When it was frozen, and by whom.
    pub frozen_at: i64,
    pub frozen_by: Option<Person>,
}

/// One platform in an evaluation: its decision and assessment, and the editors' commentary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvaluatedPlatform {
    pub id: String,
    pub name: String,
    pub decision: Decision,
    pub target_groups: String,
    pub rationale: String,
    pub assessment: BTreeMap<String, String>,
    pub commentary: String,
}

/// What happened to the concept in the year.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct YearChanges {
    pub stretches: Vec<StretchView>,
    pub merges: Vec<MergeEvent>,
    pub decisions: Vec<DecisionEvent>,
    pub named: Vec<NamedVersionView>,
    /// The history could not be read (the figures above are then empty).
    pub unavailable: bool,
}

/// Another year's evaluation of the concept, for the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvaluationListed {
    pub year: u16,
    pub presented: Option<(String, String)>,
}

/// An evaluation as shown: live while a draft, from its snapshot once frozen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvaluationView {
    pub concept_id: String,
    pub concept_title: String,
    pub year: u16,
    /// `None`: a draft the editors still write.
    pub presented: Option<Presented>,
    pub summary: String,
    /// Counts edits; an edit names the revision it was made on (someone else's newer edit wins
    /// and the page says so).
    pub revision: i64,
    pub criteria: Vec<Criterion>,
    pub platforms: Vec<EvaluatedPlatform>,
    /// The year's metrics (with their definitions).
    pub metrics: MetricsView,
    pub changes: YearChanges,
    pub ballots: Vec<TrailBallot>,
    /// Every evaluation of the concept (this one included), newest first.
    pub years: Vec<EvaluationListed>,
    /// The visitor may write and freeze it (editors, while it is a draft).
    pub can_edit: bool,
    /// Whether it is stored yet (a year nobody wrote on is assembled but not stored).
    pub stored: bool,
}

/// An edit: the summary, or one platform's commentary, on a revision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvaluationEdit {
    pub revision: i64,
    /// `None`: the summary; else the platform whose commentary this is.
    pub platform: Option<String>,
    pub text: String,
}

/// Freezing as presented.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Freeze {
    pub revision: i64,
    pub on: String,
    pub body: String,
}
