//! The counting rules against published examples and at every boundary.

use proptest::prelude::*;

use super::count::{Choice, CountError, Outcome, Shape, Spec, count};
use super::majority::{Answer, Majority, Quorum, Tally, Verdict, decide};
use super::schulze::{Ranking, schulze};
use super::sections::count_parts;

/// Groups of voters with the same order, like `(5, "ACBED")`.
type Profile<'a> = &'a [(u32, &'a str)];

/// Ballots from a profile like `[(5, "ACBED"), …]`: each letter an option, best first.
fn profile(n: usize, groups: Profile) -> Vec<Ranking> {
    let mut out = Vec::new();
    for (count, order) in groups {
        let mut ranking = vec![None; n];
        for (place, letter) in order.bytes().enumerate() {
            ranking[usize::from(letter - b'A')] = Some(place as u32 + 1);
        }
        out.extend(std::iter::repeat_n(ranking, *count as usize));
    }
    out
}

fn letters(order: &[usize]) -> String {
    order.iter().map(|&i| char::from(b'A' + i as u8)).collect()
}

/// The 45-voter example with its published pairwise and strongest-path matrices.
#[test]
fn schulze_reproduces_the_published_45_voter_example() {
    let ballots = profile(
        5,
        &[
            (5, "ACBED"),
            (5, "ADECB"),
            (8, "BEDAC"),
            (3, "CABED"),
            (7, "CAEBD"),
            (2, "CBADE"),
            (7, "DCEBA"),
            (8, "EBADC"),
        ],
    );
    let s = schulze(5, &ballots, &[0, 1, 2, 3, 4]);
    let d = [[0, 20, 26, 30, 22], [25, 0, 16, 33, 18], [19, 29, 0, 17, 24], [15, 12, 28, 0, 14], [23, 27, 21, 31, 0]];
    let p = [[0, 28, 28, 30, 24], [25, 0, 28, 33, 24], [25, 29, 0, 29, 24], [25, 28, 28, 0, 24], [25, 28, 28, 31, 0]];
    assert_eq!(s.pairwise, d.map(Vec::from).to_vec());
    assert_eq!(s.paths, p.map(Vec::from).to_vec());
    assert_eq!(letters(&s.order), "EACBD");
    assert!(s.tiers.iter().all(|t| t.len() == 1), "a strict ranking: {:?}", s.tiers);
    assert!(!s.drawn());
}

#[test]
fn schulze_reproduces_further_published_profiles() {
    let cases: [(usize, Profile, &str); 3] = [
        (
            4,
            &[
                (5, "ACBD"),
                (2, "ACDB"),
                (3, "ADCB"),
                (4, "BACD"),
                (3, "CBDA"),
                (3, "CDBA"),
                (1, "DACB"),
                (5, "DBAC"),
                (4, "DCBA"),
            ],
            "DACB",
        ),
        (
            5,
            &[
                (3, "ABDEC"),
                (5, "ADEBC"),
                (1, "ADECB"),
                (2, "BADEC"),
                (2, "BDECA"),
                (4, "CABDE"),
                (6, "CBADE"),
                (2, "DBECA"),
                (5, "DECAB"),
            ],
            "BADEC",
        ),
        // Tennessee: M = A, N = B, C = C, K = D.
        (4, &[(42, "ABCD"), (26, "BCDA"), (15, "CDBA"), (17, "DCBA")], "BCDA"),
    ];
    for (n, groups, expected) in cases {
        let s = schulze(n, &profile(n, groups), &(0..n).collect::<Vec<_>>());
        assert_eq!(letters(&s.order), expected, "{groups:?}");
        assert!(s.tiers.iter().all(|t| t.len() == 1));
    }
}

#[test]
fn a_schulze_tie_is_shown_as_a_tier_and_settled_by_the_drawn_order() {
    let ballots = profile(4, &[(3, "ABCD"), (2, "DABC"), (2, "DBCA"), (2, "CBDA")]);
    let s = schulze(4, &ballots, &[3, 2, 1, 0]);
    let mut top = s.tiers[0].clone();
    top.sort_unstable();
    assert_eq!(letters(&top), "BD", "{:?}", s.tiers);
    let ahead: Vec<usize> = s.order[..2].to_vec();
    assert_eq!(letters(&ahead), "DB", "the drawn order D, C, B, A settles B against D");
    let mut rest = s.order[2..].to_vec();
    rest.sort_unstable();
    assert_eq!(letters(&rest), "AC");
    assert!(s.drawn());
    let other = schulze(4, &ballots, &[0, 1, 2, 3]);
    assert_eq!(other.winner(), Some(1), "another drawn order, another winner of the tie");
}

#[test]
fn unranked_options_come_last_and_equal_ranks_are_ties() {
    // One voter ranks B first, leaves A and C unranked; another ranks A and C equal, above B.
    let ballots = vec![vec![None, Some(1), None], vec![Some(1), Some(2), Some(1)]];
    let s = schulze(3, &ballots, &[0, 1, 2]);
    assert_eq!(s.pairwise[1][0], 1, "B over unranked A");
    assert_eq!(s.pairwise[0][2] + s.pairwise[2][0], 0, "A and C: nobody prefers one");
    assert_eq!(s.pairwise[0][1], 1);
}

#[test]
fn majorities_at_every_boundary() {
    let t = |yes, no, abstain| Tally { yes, no, abstain };
    use Majority::{Absolute, Simple, TwoThirds};
    use Verdict::{Adopted, Rejected, Tied};
    let cases = [
        (Simple, t(5, 4, 10), Adopted),
        (Simple, t(4, 4, 1), Tied),
        (Simple, t(3, 4, 0), Rejected),
        (Simple, t(0, 0, 7), Tied),
        (Simple, t(0, 0, 0), Tied),
        (Absolute, t(6, 3, 2), Adopted),
        (Absolute, t(5, 3, 2), Tied),
        (Absolute, t(5, 4, 2), Rejected),
        (Absolute, t(0, 0, 3), Rejected),
        (TwoThirds, t(8, 4, 9), Adopted),
        (TwoThirds, t(7, 4, 0), Rejected),
        (TwoThirds, t(1, 0, 0), Adopted),
        (TwoThirds, t(0, 0, 5), Rejected),
        (TwoThirds, t(0, 0, 0), Rejected),
    ];
    for (rule, tally, expected) in cases {
        assert_eq!(rule.verdict(tally), expected, "{rule:?} {tally:?}");
    }
}

#[test]
fn quorums_round_up_and_count_abstentions() {
    assert_eq!((Quorum::Half.needed(42), Quorum::Half.needed(43)), (21, 22));
    assert_eq!((Quorum::TwoThirds.needed(42), Quorum::TwoThirds.needed(43)), (28, 29));
    assert_eq!((Quorum::None.needed(42), Quorum::Voters(10).needed(42)), (0, 10));
    assert_eq!(Quorum::TwoThirds.needed(u32::MAX), u32::MAX - u32::MAX / 3);
    let abstaining = Tally { yes: 15, no: 5, abstain: 1 };
    assert_eq!(decide(Majority::Simple, Quorum::Half, 42, abstaining), Verdict::Adopted, "21 of 42: exactly reached");
    assert_eq!(decide(Majority::Simple, Quorum::Half, 43, abstaining), Verdict::QuorumMissed, "21 of 43: one short");
    let two_thirds = Tally { yes: 20, no: 8, abstain: 1 };
    assert_eq!(decide(Majority::Simple, Quorum::TwoThirds, 43, two_thirds), Verdict::Adopted, "29 of 43");
    assert_eq!(decide(Majority::Simple, Quorum::TwoThirds, 44, two_thirds), Verdict::QuorumMissed, "29 of 44");
    let all_abstain = Tally { yes: 0, no: 0, abstain: 30 };
    assert_eq!(decide(Majority::Simple, Quorum::Half, 42, all_abstain), Verdict::Tied, "quorum met, nothing decided");
}

#[test]
fn section_parts_go_to_the_most_votes_and_a_tie_keeps_the_current_text() {
    let choices = vec![
        vec![Some(1), Some(0), None],
        vec![Some(1), Some(2), None],
        vec![Some(0), Some(2), Some(1)],
        vec![Some(2), Some(0), None],
    ];
    let parts = count_parts(&[3, 3, 2], &choices);
    assert_eq!((parts[0].winner, parts[0].tied), (1, false));
    assert_eq!(parts[0].votes, vec![1, 2, 1]);
    assert_eq!((parts[1].winner, parts[1].tied), (0, true), "0 and 2 tie at two votes each");
    assert_eq!((parts[2].winner, parts[2].abstain), (1, 3), "one vote for the draft, three left it open");
    assert_eq!(count_parts(&[2], &[vec![None]])[0].winner, 0, "nobody chose: the current text");
}

fn proposal_spec() -> Spec {
    Spec { shape: Shape::Proposal, majority: Majority::Simple, quorum: Quorum::None, drawn: vec![] }
}

#[test]
fn a_count_refuses_choices_that_do_not_fit_and_bad_shapes() {
    let ranking = Spec { shape: Shape::Ranking { options: 3 }, drawn: vec![2, 0, 1], ..proposal_spec() };
    let fits = Choice::Ranking(vec![Some(1), None, Some(3)]);
    assert!(count(&ranking, 10, std::slice::from_ref(&fits)).is_ok());
    for bad in [
        Choice::Ranking(vec![Some(1), Some(2)]),
        Choice::Ranking(vec![Some(0), None, None]),
        Choice::Ranking(vec![Some(4), None, None]),
        Choice::Answer(Answer::Yes),
        Choice::Parts(vec![Some(0)]),
    ] {
        assert_eq!(count(&ranking, 10, &[fits.clone(), bad.clone()]), Err(CountError::Choice(1)), "{bad:?}");
    }
    for drawn in [vec![0, 1], vec![0, 1, 1], vec![0, 1, 3]] {
        let spec = Spec { drawn: drawn.clone(), ..ranking.clone() };
        assert_eq!(count(&spec, 10, &[]), Err(CountError::Drawn), "{drawn:?}");
    }
    let one = Spec { shape: Shape::Ranking { options: 1 }, drawn: vec![0], ..proposal_spec() };
    assert_eq!(count(&one, 10, &[]), Err(CountError::Shape));
    let sections = Spec { shape: Shape::Sections { variants: vec![2, 3] }, ..proposal_spec() };
    assert!(count(&sections, 10, &[Choice::Parts(vec![Some(1), Some(2)])]).is_ok());
    assert_eq!(count(&sections, 10, &[Choice::Parts(vec![Some(2), None])]), Err(CountError::Choice(0)));
    let no_parts = Spec { shape: Shape::Sections { variants: vec![] }, ..proposal_spec() };
    assert_eq!(count(&no_parts, 10, &[]), Err(CountError::Shape));
}

#[test]
fn what_an_outcome_adopts() {
    let answers = |a: &[Answer]| a.iter().copied().map(Choice::Answer).collect::<Vec<_>>();
    let passed = count(&proposal_spec(), 5, &answers(&[Answer::Yes, Answer::Yes, Answer::No])).expect("count");
    assert_eq!(passed.adopted(), Some(vec![1]));
    let failed = count(&proposal_spec(), 5, &answers(&[Answer::Yes, Answer::No])).expect("count");
    assert_eq!(failed.adopted(), None);
    let quorum = Spec { quorum: Quorum::Half, ..proposal_spec() };
    let missed = count(&quorum, 5, &answers(&[Answer::Yes, Answer::Yes])).expect("count");
    assert!(matches!(missed, Outcome::Proposal { verdict: Verdict::QuorumMissed, needed: 3, .. }));
    assert_eq!(missed.adopted(), None);
}

proptest! {
    /// The order in which ballots arrive never changes an outcome (a list published in any order
    /// recounts the same).
    #[test]
    fn the_order_of_ballots_never_changes_the_outcome(
        ranks in prop::collection::vec(prop::collection::vec(prop::option::of(1u32..=4), 4), 0..40),
        seed in any::<u64>(),
    ) {
        let spec = Spec { shape: Shape::Ranking { options: 4 }, drawn: vec![3, 1, 0, 2], ..proposal_spec() };
        let choices: Vec<Choice> = ranks.into_iter().map(Choice::Ranking).collect();
        let mut shuffled = choices.clone();
        // A deterministic shuffle from the seed.
        let mut state = seed | 1;
        for i in (1..shuffled.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            shuffled.swap(i, (state % (i as u64 + 1)) as usize);
        }
        prop_assert_eq!(count(&spec, 50, &choices), count(&spec, 50, &shuffled));
    }

    /// The Schulze order holds every option once, and a Condorcet winner (beating every other
    /// option head to head) always wins.
    #[test]
    fn schulze_orders_every_option_once_and_elects_a_condorcet_winner(
        ranks in prop::collection::vec(prop::collection::vec(prop::option::of(1u32..=5), 5), 1..30),
    ) {
        let s = schulze(5, &ranks, &[0, 1, 2, 3, 4]);
        let mut order = s.order.clone();
        order.sort_unstable();
        prop_assert_eq!(order, vec![0, 1, 2, 3, 4]);
        if let Some(c) = (0..5).find(|&c| (0..5).all(|o| o == c || s.pairwise[c][o] > s.pairwise[o][c])) {
            prop_assert_eq!(s.winner(), Some(c));
        }
    }
}
