//! Counting ballots: majority and quorum rules, the Schulze method, section-wise choices, and the
//! whole count of a published list. Pure functions used by the server at the close and by
//! `kompromiss ballot verify` to recount.

pub mod count;
pub mod majority;
pub mod schulze;
pub mod sections;

pub use count::{Choice, Outcome, Shape, Spec, count};
pub use majority::{Answer, Majority, Quorum, Tally, Verdict};
pub use schulze::Schulze;

/// Most options of a ranking ballot (drafts plus "keep the current text").
pub const MAX_OPTIONS: usize = 20;
/// Most parts a section-wise ballot asks about.
pub const MAX_PARTS: usize = 200;
/// Most variants of one part (the current text and one per draft).
pub const MAX_VARIANTS: usize = MAX_OPTIONS;

#[cfg(test)]
mod tests;
