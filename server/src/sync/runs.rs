//! Groups the changes of one write into runs of one actor's consecutive changes by one author:
//! what `change_authors` stores.

use std::sync::Arc;

use automerge::{ActorId, Change};

use crate::db::attribution::{Author, AuthorRun};

/// The runs of `changes` (in any order); a change `author_of` does not know is left out (its
/// author stays unknown). `claimed` says which actor ids are already recorded as belonging to an
/// author: every other run claims its actor id for its author.
pub fn group<'a>(
    changes: impl IntoIterator<Item = &'a Change>,
    author_of: impl Fn(&Change) -> Option<Arc<Author>>,
    claimed: impl Fn(&ActorId, &Author) -> bool,
) -> Vec<AuthorRun> {
    let mut attributed: Vec<(&ActorId, u64, Arc<Author>)> =
        changes.into_iter().filter_map(|c| Some((c.actor_id(), c.seq(), author_of(c)?))).collect();
    attributed.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    let mut runs: Vec<AuthorRun> = Vec::new();
    let mut last_actor: Option<&ActorId> = None;
    for (actor, seq, author) in attributed {
        let same_actor = last_actor == Some(actor);
        if let Some(run) = runs.last_mut()
            && same_actor
            && run.last_seq + 1 == seq
            && run.author == author
        {
            run.last_seq = seq;
            continue;
        }
        let claim = !claimed(actor, &author);
        runs.push(AuthorRun { actor: actor.to_hex_string(), first_seq: seq, last_seq: seq, author, claim });
        last_actor = Some(actor);
    }
    runs
}

#[cfg(test)]
mod tests {
    use automerge::transaction::Transactable;
    use automerge::{AutoCommit, ROOT};

    use super::*;
    use crate::db::attribution::Channel;

    fn author(user: &str, channel: Channel) -> Arc<Author> {
        Arc::new(Author { user_id: Some(user.into()), channel, token_id: None })
    }

    #[test]
    fn consecutive_changes_of_one_author_make_one_run_and_a_new_author_or_a_gap_a_new_one() {
        let mut ada = AutoCommit::new().with_actor(ActorId::from(&[1u8; 16][..]));
        for i in 0..5 {
            ada.put(ROOT, "n", i).expect("put");
            ada.commit();
        }
        let changes: Vec<Change> = ada.get_changes(&[]).into_iter().cloned().collect();
        let (browser, script) = (author("u1", Channel::Session), author("u1", Channel::Token));
        // Changes 1–2 through the page, 3 unknown, 4–5 by a script of the same person.
        let of = |c: &Change| match c.seq() {
            1 | 2 => Some(browser.clone()),
            3 => None,
            _ => Some(script.clone()),
        };
        let runs = group(changes.iter().rev(), of, |_, _| false);
        let spans: Vec<(u64, u64, Channel, bool)> =
            runs.iter().map(|r| (r.first_seq, r.last_seq, r.author.channel, r.claim)).collect();
        assert_eq!(spans, vec![(1, 2, Channel::Session, true), (4, 5, Channel::Token, true)]);
        assert!(runs.iter().all(|r| r.actor == "01".repeat(16)));

        let known = group(changes.iter(), |_| Some(browser.clone()), |_, a| a.user_id.as_deref() == Some("u1"));
        assert_eq!(known.len(), 1);
        assert!(!known[0].claim, "an actor already recorded for its author is not claimed again");
        let other = author("u2", Channel::Session);
        let forged = group(changes.iter(), |_| Some(other.clone()), |_, a| a.user_id.as_deref() == Some("u1"));
        assert!(forged[0].claim, "another person's run under a recorded actor id claims it (and fails at storage)");
    }
}
