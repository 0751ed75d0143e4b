//! Ballots between server and browser (and in the published list): opening one, what it asks,
//! voting, turnout and the result.

use serde::{Deserialize, Serialize};

use crate::ballots::{Choice, Majority, Outcome, Quorum, Spec};
use crate::diff::ConceptDiff;
use crate::dto::history::Person;
use crate::perm::Role;

/// Longest ballot title in characters.
pub const MAX_TITLE_CHARS: usize = 200;
/// Longest claim group name in an eligibility rule.
pub const MAX_GROUP_CHARS: usize = 200;
/// The furthest a closing time may lie ahead: a year, in milliseconds.
pub const MAX_PERIOD_MS: i64 = 366 * 24 * 3600 * 1000;

/// What a ballot asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BallotKind {
    /// One draft: Ja / Nein / Enthaltung.
    Proposal,
    /// Competing drafts and "keep the current text", ranked (Schulze).
    Ranking,
    /// Section by section: for each part the drafts change, one variant.
    Sections,
}

impl BallotKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BallotKind::Proposal => "proposal",
            BallotKind::Ranking => "ranking",
            BallotKind::Sections => "sections",
        }
    }

    pub fn parse(raw: &str) -> Option<BallotKind> {
        match raw {
            "proposal" => Some(BallotKind::Proposal),
            "ranking" => Some(BallotKind::Ranking),
            "sections" => Some(BallotKind::Sections),
            _ => None,
        }
    }
}

/// Who may vote, besides being able to take part in the concept: a role (or higher) or a claim
/// group; with both, either qualifies; with neither, everyone who takes part.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Eligibility {
    #[serde(default)]
    pub min_role: Option<Role>,
    #[serde(default)]
    pub group: Option<String>,
}

/// A ballot to open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewBallot {
    pub title: String,
    pub kind: BallotKind,
    /// The drafts voted on (open drafts of the concept), each frozen at its version now.
    pub drafts: Vec<String>,
    pub majority: Majority,
    pub quorum: Quorum,
    #[serde(default)]
    pub secret: bool,
    #[serde(default)]
    pub changeable: bool,
    #[serde(default)]
    pub eligibility: Eligibility,
    /// Milliseconds since the epoch; `None`: open at once.
    #[serde(default)]
    pub opens_at: Option<i64>,
    /// Milliseconds since the epoch; `None`: closed by hand.
    #[serde(default)]
    pub closes_at: Option<i64>,
}

/// One option as frozen at the opening.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrozenOption {
    /// `None`: keep the concept as it was at the opening.
    pub draft: Option<String>,
    pub title: String,
    /// The draft's version (or the concept's) that is voted on.
    pub version: String,
    /// The concept's version the draft's changes are against.
    pub base: String,
}

/// One part of a section-wise ballot and its variants (indexes into the options; 0 is the
/// current text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrozenPart {
    pub id: String,
    pub name: String,
    pub variants: Vec<usize>,
}

/// What a ballot asks, frozen.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Frozen {
    pub options: Vec<FrozenOption>,
    #[serde(default)]
    pub parts: Vec<FrozenPart>,
}

impl Frozen {
    /// The options an outcome's `adopted` takes: the winning option itself, or section by
    /// section the option of each part's winning variant (the current text, 0, included).
    pub fn adopted_options(&self, adopted: &[usize]) -> Vec<usize> {
        if self.parts.is_empty() {
            return adopted.to_vec();
        }
        self.parts.iter().zip(adopted).filter_map(|(p, &v)| p.variants.get(v).copied()).collect()
    }
}

/// An option as voters see it: its frozen text's changes, numbered by the concept's lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptionView {
    pub option: FrozenOption,
    pub diff: ConceptDiff,
}

/// A ballot as the eligible and the concept's readers see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BallotView {
    pub id: String,
    pub concept_id: String,
    pub concept_title: String,
    pub title: String,
    pub kind: BallotKind,
    pub secret: bool,
    pub changeable: bool,
    pub spec: Spec,
    pub eligibility: Eligibility,
    pub open: bool,
    /// When voting begins (or began).
    pub opened_at: i64,
    /// Voting has not begun yet.
    #[serde(default)]
    pub starts_later: bool,
    pub closes_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub opened_by: Option<Person>,
    /// How many may vote, and how many have.
    pub eligible: u32,
    pub voted: u32,
    pub options: Vec<OptionView>,
    pub parts: Vec<FrozenPart>,
    /// The caller may vote now (eligible, open, not voted yet or allowed to change).
    pub may_vote: bool,
    pub has_voted: bool,
    /// An open ballot: the caller's own choice.
    pub my_choice: Option<Choice>,
    /// After the close (or an open ballot's votes while it runs): who chose what.
    pub votes: Vec<NamedVote>,
    pub outcome: Option<Outcome>,
    /// The decision went into the concept at this version.
    pub merged: Option<String>,
    /// The caller may close it, and merge its decision.
    pub can_manage: bool,
}

/// How many have voted, of how many, and whether it still runs (polled by open ballot pages).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Turnout {
    pub voted: u32,
    pub eligible: u32,
    pub open: bool,
}

/// An open ballot's vote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedVote {
    pub voter: Person,
    pub choice: Choice,
}

/// A vote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vote {
    pub choice: Choice,
    /// Changing a secret vote: the receipt given with the first.
    #[serde(default)]
    pub receipt: Option<String>,
}

/// A vote's answer: a secret ballot's receipt (shown once).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Voted {
    pub receipt: Option<String>,
}

/// A concept's ballots, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BallotSummary {
    pub id: String,
    pub title: String,
    pub kind: BallotKind,
    pub secret: bool,
    pub open: bool,
    pub closes_at: Option<i64>,
    pub eligible: u32,
    pub voted: u32,
    pub outcome: Option<Outcome>,
}

/// One entry of the published list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListedVote {
    /// A secret ballot's receipt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt: Option<String>,
    /// An open ballot's voter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voter: Option<String>,
    pub choice: Choice,
}

/// The published list of a closed ballot: enough to recount it (`kompromiss ballot verify`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BallotList {
    pub ballot: String,
    pub title: String,
    /// The options' titles (option 0 keeps the current text) and, section by section, the parts'.
    #[serde(default)]
    pub options: Vec<String>,
    #[serde(default)]
    pub parts: Vec<String>,
    pub spec: Spec,
    pub eligible: u32,
    pub votes: Vec<ListedVote>,
    pub outcome: Outcome,
}

impl BallotList {
    /// Recounts the list; the outcome when it matches the published one.
    pub fn verify(&self) -> Result<Outcome, String> {
        let choices: Vec<Choice> = self.votes.iter().map(|v| v.choice.clone()).collect();
        let recount = crate::ballots::count(&self.spec, self.eligible, &choices).map_err(|e| e.to_string())?;
        if recount == self.outcome { Ok(recount) } else { Err("the recount differs from the published result".into()) }
    }
}

/// Longest excerpt of a thread's first comment on the decisions page.
pub const EXCERPT_CHARS: usize = 140;

/// A concept's decisions ("Beschlüsse"): every ballot with its options, rules, turnout and
/// result, the trail from the discussion to the merged text, and how each platform's current
/// decision was reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionTrail {
    pub concept_id: String,
    pub concept_title: String,
    pub ballots: Vec<TrailBallot>,
    pub platforms: Vec<PlatformDecision>,
}

/// One ballot on the decisions page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrailBallot {
    pub summary: BallotSummary,
    pub majority: Majority,
    pub quorum: Quorum,
    pub opened_at: i64,
    pub closed_at: Option<i64>,
    /// The drafts voted on, with their authors and the discussion on them.
    pub options: Vec<TrailOption>,
    pub merged: Option<TrailMerge>,
}

/// A draft voted on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrailOption {
    pub draft: String,
    pub title: String,
    pub authors: Vec<Person>,
    /// The draft's discussion: where the compromise came from.
    pub threads: Vec<TrailThread>,
    /// The ballot's decision took (some of) it.
    pub adopted: bool,
}

/// A thread of a draft's discussion, as an excerpt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrailThread {
    pub id: String,
    pub by: Person,
    pub excerpt: String,
    pub comments: u32,
}

/// A decision carried into the concept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrailMerge {
    pub version: String,
    pub at: i64,
    pub by: Option<Person>,
}

/// How a platform's current decision was reached: the ballot whose merged decision set it, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlatformDecision {
    pub id: String,
    pub name: String,
    pub decision: crate::decision::Decision,
    /// (ballot id, ballot title, when it went into the concept, the decision before).
    pub by_ballot: Option<(String, String, i64, crate::decision::Decision)>,
}
