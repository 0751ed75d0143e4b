//! A whole count: what a ballot asks (its shape and rules), the choices cast, and the outcome,
//! the same at the close and in a recount of the published list.

use serde::{Deserialize, Serialize};

use super::majority::{Answer, Majority, Quorum, Tally, Verdict, decide};
use super::schulze::{Ranking, Schulze, schulze};
use super::sections::{PartCount, count_parts};
use super::{MAX_OPTIONS, MAX_PARTS, MAX_VARIANTS};

/// What a ballot asks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Shape {
    /// One proposal: yes, no or abstain.
    Proposal,
    /// Competing options (option 0 keeps the current text), ranked.
    Ranking { options: usize },
    /// Parts with their number of variants each (variant 0 is the current text).
    Sections { variants: Vec<usize> },
}

/// What a ballot asks and how it is counted, fixed when it opens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Spec {
    pub shape: Shape,
    pub majority: Majority,
    pub quorum: Quorum,
    /// The tie-break order of a ranking's options (a permutation, best first), drawn at the opening.
    #[serde(default)]
    pub drawn: Vec<usize>,
}

/// One voter's choice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Choice {
    Answer(Answer),
    Ranking(Ranking),
    /// Per part: a variant, or `None` to leave it open.
    Parts(Vec<Option<u32>>),
}

/// Why a spec or a choice cannot be counted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CountError {
    #[error("the ballot's shape is out of bounds")]
    Shape,
    #[error("the drawn order is not a permutation of the options")]
    Drawn,
    #[error("ballot {0} does not fit the question")]
    Choice(usize),
}

impl Spec {
    /// Checks the shape's bounds and the drawn order.
    pub fn check(&self) -> Result<(), CountError> {
        match &self.shape {
            Shape::Proposal => Ok(()),
            Shape::Ranking { options } => {
                if !(2..=MAX_OPTIONS).contains(options) {
                    return Err(CountError::Shape);
                }
                let mut seen = vec![false; *options];
                for &d in &self.drawn {
                    match seen.get_mut(d) {
                        Some(s) if !*s => *s = true,
                        _ => return Err(CountError::Drawn),
                    }
                }
                if self.drawn.len() == *options { Ok(()) } else { Err(CountError::Drawn) }
            }
            Shape::Sections { variants } => {
                let fits = (1..=MAX_PARTS).contains(&variants.len())
                    && variants.iter().all(|v| (2..=MAX_VARIANTS).contains(v));
                if fits { Ok(()) } else { Err(CountError::Shape) }
            }
        }
    }
}

impl Choice {
    /// Whether the choice answers `shape`: the right kind, one entry per option or part, ranks
    /// from 1 to the number of options, variants that exist.
    pub fn fits(&self, shape: &Shape) -> bool {
        match (self, shape) {
            (Choice::Answer(_), Shape::Proposal) => true,
            (Choice::Ranking(ranks), Shape::Ranking { options }) => {
                let top = u32::try_from(*options).unwrap_or(u32::MAX);
                ranks.len() == *options && ranks.iter().flatten().all(|r| (1..=top).contains(r))
            }
            (Choice::Parts(parts), Shape::Sections { variants }) => {
                parts.len() == variants.len()
                    && parts.iter().zip(variants).all(|(c, n)| c.is_none_or(|v| (v as usize) < *n))
            }
            _ => false,
        }
    }
}

/// What a ballot decided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Outcome {
    Proposal {
        tally: Tally,
        /// Voters the quorum needed.
        needed: u32,
        verdict: Verdict,
    },
    Ranking {
        voters: u32,
        needed: u32,
        quorum_met: bool,
        schulze: Schulze,
    },
    Sections {
        voters: u32,
        needed: u32,
        quorum_met: bool,
        parts: Vec<PartCount>,
    },
}

impl Outcome {
    /// What is adopted: for a proposal whether it passed; for a ranking the winning option (0
    /// keeps the current text); for sections each part's winning variant. `None`: nothing (the
    /// quorum was missed or the proposal failed).
    pub fn adopted(&self) -> Option<Vec<usize>> {
        match self {
            Outcome::Proposal { verdict: Verdict::Adopted, .. } => Some(vec![1]),
            Outcome::Proposal { .. } => None,
            Outcome::Ranking { quorum_met: true, schulze, .. } => schulze.winner().map(|w| vec![w]),
            Outcome::Sections { quorum_met: true, parts, .. } => Some(parts.iter().map(|p| p.winner).collect()),
            _ => None,
        }
    }
}

/// Counts `choices` under `spec` with `eligible` people allowed to vote.
pub fn count(spec: &Spec, eligible: u32, choices: &[Choice]) -> Result<Outcome, CountError> {
    spec.check()?;
    if let Some(bad) = choices.iter().position(|c| !c.fits(&spec.shape)) {
        return Err(CountError::Choice(bad));
    }
    let voters = u32::try_from(choices.len()).unwrap_or(u32::MAX);
    let needed = spec.quorum.needed(eligible);
    Ok(match &spec.shape {
        Shape::Proposal => {
            let mut tally = Tally::default();
            for choice in choices {
                if let Choice::Answer(a) = choice {
                    tally.add(*a);
                }
            }
            Outcome::Proposal { tally, needed, verdict: decide(spec.majority, spec.quorum, eligible, tally) }
        }
        Shape::Ranking { options } => {
            let rankings: Vec<Ranking> = choices
                .iter()
                .filter_map(|c| match c {
                    Choice::Ranking(r) => Some(r.clone()),
                    _ => None,
                })
                .collect();
            let schulze = schulze(*options, &rankings, &spec.drawn);
            Outcome::Ranking { voters, needed, quorum_met: voters >= needed, schulze }
        }
        Shape::Sections { variants } => {
            let parts: Vec<Vec<Option<u32>>> = choices
                .iter()
                .filter_map(|c| match c {
                    Choice::Parts(p) => Some(p.clone()),
                    _ => None,
                })
                .collect();
            Outcome::Sections { voters, needed, quorum_met: voters >= needed, parts: count_parts(variants, &parts) }
        }
    })
}
