//! A document's history as stretches of work: consecutive changes of one person with no long
//! pause between them, each ending at a version one can open. Pure: the server feeds it the
//! document's changes in order and who stored each when.

use std::collections::HashSet;

use automerge::ChangeHash;

/// A pause longer than this (ms) starts a new stretch even for the same person.
pub const GAP_MS: i64 = 30 * 60 * 1000;

/// One change as the grouping needs it.
#[derive(Debug, Clone)]
pub struct ChangeMeta {
    pub hash: ChangeHash,
    pub deps: Vec<ChangeHash>,
    /// Who stored it (a person's id; `None`: unknown) and when (ms; `None`: unknown).
    pub author: Option<String>,
    pub at: Option<i64>,
}

/// Consecutive changes of one person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stretch {
    pub author: Option<String>,
    /// Time of its first and last change (the previous stretch's time when unknown).
    pub from: Option<i64>,
    pub to: Option<i64>,
    pub changes: usize,
    /// The document's heads after its last change.
    pub heads: Vec<ChangeHash>,
    /// The heads before its first change.
    pub before: Vec<ChangeHash>,
}

/// Groups `changes` (in an order where each comes after its dependencies) into stretches,
/// oldest first.
pub fn stretches(changes: &[ChangeMeta]) -> Vec<Stretch> {
    let mut out: Vec<Stretch> = Vec::new();
    let mut heads: HashSet<ChangeHash> = HashSet::new();
    let sorted = |set: &HashSet<ChangeHash>| {
        let mut v: Vec<ChangeHash> = set.iter().copied().collect();
        v.sort();
        v
    };
    for change in changes {
        let continues = out.last().is_some_and(|last| {
            last.author == change.author
                && match (last.to, change.at) {
                    (Some(to), Some(at)) => at - to <= GAP_MS,
                    _ => true,
                }
        });
        if !continues {
            let before = sorted(&heads);
            if let Some(last) = out.last_mut() {
                last.heads.clone_from(&before);
            }
            let at = change.at.or_else(|| out.last().and_then(|l| l.to));
            out.push(Stretch {
                author: change.author.clone(),
                from: at,
                to: at,
                changes: 0,
                heads: Vec::new(),
                before,
            });
        }
        for dep in &change.deps {
            heads.remove(dep);
        }
        heads.insert(change.hash);
        if let Some(last) = out.last_mut() {
            last.changes += 1;
            if change.at.is_some() {
                last.to = change.at.max(last.to);
                last.from = last.from.or(change.at);
            }
        }
    }
    if let Some(last) = out.last_mut() {
        last.heads = sorted(&heads);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(n: u8, deps: &[u8], author: Option<&str>, at: Option<i64>) -> ChangeMeta {
        ChangeMeta {
            hash: ChangeHash([n; 32]),
            deps: deps.iter().map(|d| ChangeHash([*d; 32])).collect(),
            author: author.map(str::to_owned),
            at,
        }
    }

    #[test]
    fn one_persons_changes_group_until_someone_else_writes_or_a_long_pause() {
        let min = 60_000;
        let changes = [
            change(1, &[], Some("anna"), Some(0)),
            change(2, &[1], Some("anna"), Some(5 * min)),
            change(3, &[2], Some("ben"), Some(6 * min)),
            change(4, &[3], Some("ben"), Some(6 * min + GAP_MS + 1)),
            change(5, &[4], None, None),
        ];
        let s = stretches(&changes);
        let summary: Vec<(Option<&str>, usize)> = s.iter().map(|s| (s.author.as_deref(), s.changes)).collect();
        assert_eq!(summary, vec![(Some("anna"), 2), (Some("ben"), 1), (Some("ben"), 1), (None, 1)]);
        assert_eq!((s[0].from, s[0].to), (Some(0), Some(5 * min)));
        assert_eq!(s[0].heads, vec![ChangeHash([2; 32])]);
        assert_eq!(s[1].before, vec![ChangeHash([2; 32])]);
        assert_eq!(s[3].from, s[2].to, "an unknown time takes the one before");
    }

    #[test]
    fn concurrent_changes_leave_two_heads() {
        let changes = [
            change(1, &[], Some("anna"), Some(0)),
            change(2, &[1], Some("anna"), Some(1)),
            change(3, &[1], Some("ben"), Some(2)),
        ];
        let s = stretches(&changes);
        assert_eq!(s[1].heads, vec![ChangeHash([2; 32]), ChangeHash([3; 32])]);
    }
}
