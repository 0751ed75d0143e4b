//! The Schulze method (winning votes) over ranked ballots, with ties between winners settled by
//! an order drawn before the ballot opened.

use serde::{Deserialize, Serialize};

/// A voter's ranking: for each option its rank (1 is best; equal ranks are a tie; `None` is
/// unranked, below every ranked option).
pub type Ranking = Vec<Option<u32>>;

/// The whole count, to be shown and recomputed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schulze {
    /// `pairwise[i][j]`: voters who rank option i above option j.
    pub pairwise: Vec<Vec<u32>>,
    /// `paths[i][j]`: the strength of the strongest path from i to j (winning votes).
    pub paths: Vec<Vec<u32>>,
    /// The Schulze ranking in tiers, best first; options in one tier are tied.
    pub tiers: Vec<Vec<usize>>,
    /// The final order: the tiers with each tie settled by the drawn order.
    pub order: Vec<usize>,
}

impl Schulze {
    /// The winner after settling ties (None without options).
    pub fn winner(&self) -> Option<usize> {
        self.order.first().copied()
    }

    /// Whether the winner needed the drawn order (the first tier holds more than one option).
    pub fn drawn(&self) -> bool {
        self.tiers.first().is_some_and(|t| t.len() > 1)
    }
}

/// Whether a voter prefers option `i` to option `j`.
fn prefers(ranking: &Ranking, i: usize, j: usize) -> bool {
    match (ranking.get(i).copied().flatten(), ranking.get(j).copied().flatten()) {
        (Some(a), Some(b)) => a < b,
        (Some(_), None) => true,
        _ => false,
    }
}

/// Voters preferring each option to each other one.
pub fn pairwise(n: usize, ballots: &[Ranking]) -> Vec<Vec<u32>> {
    let mut d = vec![vec![0u32; n]; n];
    for ballot in ballots {
        for (i, row) in d.iter_mut().enumerate() {
            for (j, cell) in row.iter_mut().enumerate() {
                if i != j && prefers(ballot, i, j) {
                    *cell = cell.saturating_add(1);
                }
            }
        }
    }
    d
}

/// The strongest paths by winning votes (a Floyd–Warshall over the defeats).
pub fn strongest_paths(d: &[Vec<u32>]) -> Vec<Vec<u32>> {
    let n = d.len();
    let mut p = vec![vec![0u32; n]; n];
    for i in 0..n {
        for j in 0..n {
            if i != j && d[i][j] > d[j][i] {
                p[i][j] = d[i][j];
            }
        }
    }
    for i in 0..n {
        for j in 0..n {
            if i == j {
                continue;
            }
            for k in 0..n {
                if i != k && j != k {
                    p[j][k] = p[j][k].max(p[j][i].min(p[i][k]));
                }
            }
        }
    }
    p
}

/// Counts `ballots` over `n` options; `drawn` is the tie-break order (a permutation of the
/// options, best first), drawn and recorded when the ballot opened.
pub fn schulze(n: usize, ballots: &[Ranking], drawn: &[usize]) -> Schulze {
    let pairwise = pairwise(n, ballots);
    let paths = strongest_paths(&pairwise);
    let beats = |i: usize, j: usize| paths[i][j] > paths[j][i];
    // Tiers: the options nobody left beats, again and again.
    let mut left: Vec<usize> = (0..n).collect();
    let mut tiers = Vec::new();
    while !left.is_empty() {
        let top: Vec<usize> = left.iter().copied().filter(|&i| !left.iter().any(|&j| beats(j, i))).collect();
        // The relation is transitive, so some option is always unbeaten; guard anyway.
        let top = if top.is_empty() { left.clone() } else { top };
        left.retain(|i| !top.contains(i));
        tiers.push(top);
    }
    let place = |i: usize| drawn.iter().position(|&d| d == i).unwrap_or(usize::MAX);
    let order = tiers
        .iter()
        .flat_map(|tier| {
            let mut tier = tier.clone();
            tier.sort_by_key(|&i| (place(i), i));
            tier
        })
        .collect();
    Schulze { pairwise, paths, tiers, order }
}
