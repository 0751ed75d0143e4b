//! Section by section: for each part, every voter picks one variant (the current text is
//! variant 0); the variant with most votes wins the part, and a tie at the top keeps the current
//! text, as a tied proposal is not adopted.

use serde::{Deserialize, Serialize};

/// One part's count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartCount {
    /// Votes per variant.
    pub votes: Vec<u32>,
    /// Voters who left the part open.
    pub abstain: u32,
    /// The winning variant (0: the current text stays).
    pub winner: usize,
    /// The top was tied, so the current text stays.
    pub tied: bool,
}

/// Counts the choices for parts with `variants[p]` variants each; a choice per part is a variant
/// index or `None` (abstain). Choices must have been checked against the shape.
pub fn count_parts(variants: &[usize], choices: &[Vec<Option<u32>>]) -> Vec<PartCount> {
    variants
        .iter()
        .enumerate()
        .map(|(p, &n)| {
            let mut votes = vec![0u32; n];
            let mut abstain = 0u32;
            for choice in choices {
                match choice.get(p).copied().flatten().and_then(|v| votes.get_mut(v as usize)) {
                    Some(v) => *v = v.saturating_add(1),
                    None => abstain = abstain.saturating_add(1),
                }
            }
            let best = votes.iter().copied().max().unwrap_or(0);
            let top: Vec<usize> = (0..n).filter(|&v| votes[v] == best).collect();
            let tied = top.len() > 1;
            let winner = if tied || best == 0 { 0 } else { top[0] };
            PartCount { votes, abstain, winner, tied }
        })
        .collect()
}
