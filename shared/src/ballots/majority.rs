//! Yes/no/abstain: the quorum (how many must take part) and the majority (how many must agree),
//! as party conventions and motion tools count them.

use serde::{Deserialize, Serialize};

/// One answer to a single proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Answer {
    Yes,
    No,
    Abstain,
}

/// How many agreed, disagreed and abstained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Tally {
    pub yes: u32,
    pub no: u32,
    pub abstain: u32,
}

impl Tally {
    pub fn add(&mut self, answer: Answer) {
        let n = match answer {
            Answer::Yes => &mut self.yes,
            Answer::No => &mut self.no,
            Answer::Abstain => &mut self.abstain,
        };
        *n = n.saturating_add(1);
    }

    /// Everyone who voted, abstentions included (what a quorum counts).
    pub fn voters(&self) -> u32 {
        self.yes.saturating_add(self.no).saturating_add(self.abstain)
    }
}

/// The majority a proposal needs. Abstentions never count toward it, except that the absolute
/// majority needs more yes votes than no votes and abstentions together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Majority {
    /// Einfache Mehrheit: more yes than no.
    Simple,
    /// Absolute Mehrheit: more yes than no and abstentions together.
    Absolute,
    /// Zweidrittelmehrheit: at least twice as many yes as no, and at least one yes (so that
    /// nobody voting yes, 0:0 included, never adopts anything).
    TwoThirds,
}

/// How many must take part for a result to count (abstentions take part).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "voters")]
pub enum Quorum {
    None,
    /// At least this many voters.
    Voters(u32),
    /// At least half of the eligible, rounded up (42 → 21, 43 → 22).
    Half,
    /// At least two thirds of the eligible, rounded up (42 → 28, 43 → 29).
    TwoThirds,
}

impl Quorum {
    /// The voters needed among `eligible`.
    pub fn needed(self, eligible: u32) -> u32 {
        let e = u64::from(eligible);
        let needed = match self {
            Quorum::None => 0,
            Quorum::Voters(n) => u64::from(n),
            Quorum::Half => e.div_ceil(2),
            Quorum::TwoThirds => (2 * e).div_ceil(3),
        };
        u32::try_from(needed).unwrap_or(u32::MAX)
    }

    pub fn met(self, eligible: u32, voters: u32) -> bool {
        voters >= self.needed(eligible)
    }
}

/// What a proposal's ballot decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Adopted,
    Rejected,
    /// Exactly at the line the majority must cross: not adopted.
    Tied,
    /// Too few took part: no decision either way.
    QuorumMissed,
}

impl Majority {
    /// Whether `tally` adopts the proposal under this rule; `Tied` when it falls exactly on the line.
    pub fn verdict(self, tally: Tally) -> Verdict {
        let (yes, no, abstain) = (u64::from(tally.yes), u64::from(tally.no), u64::from(tally.abstain));
        let (ayes, against) = match self {
            Majority::Simple => (yes, no),
            Majority::Absolute => (yes, no + abstain),
            // Exactly two thirds (yes = 2·no) is enough, so this rule has no tie; 0:0 needs a yes.
            Majority::TwoThirds => {
                return if yes >= 1 && yes >= 2 * no { Verdict::Adopted } else { Verdict::Rejected };
            }
        };
        match ayes.cmp(&against) {
            std::cmp::Ordering::Greater => Verdict::Adopted,
            std::cmp::Ordering::Equal => Verdict::Tied,
            std::cmp::Ordering::Less => Verdict::Rejected,
        }
    }
}

/// The verdict with the quorum checked first.
pub fn decide(majority: Majority, quorum: Quorum, eligible: u32, tally: Tally) -> Verdict {
    if !quorum.met(eligible, tally.voters()) {
        return Verdict::QuorumMissed;
    }
    majority.verdict(tally)
}
