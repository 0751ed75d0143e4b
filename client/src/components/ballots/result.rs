//! A closed ballot's result: counts, shares and the verdict for a proposal; the Schulze ranking
//! with its pairwise and strongest-path tables; each part's variants and the chosen one.

use kompromiss_shared::ballots::{Outcome, Schulze};
use kompromiss_shared::dto::ballots::BallotView;
use leptos::prelude::*;

use super::list::verdict_text;
use crate::i18n::{Key, Lang, use_lang};

/// A square table of counts between options, with a caption, for screen readers and print.
fn matrix(lang: Lang, caption: Key, names: &[String], cells: &[Vec<u32>]) -> impl IntoView + use<> {
    let head = names.iter().map(|n| view! { <th scope="col">{n.clone()}</th> }).collect_view();
    let rows = names
        .iter()
        .zip(cells)
        .enumerate()
        .map(|(i, (name, row))| {
            let cells = row
                .iter()
                .enumerate()
                .map(|(j, c)| view! { <td>{if i == j { "–".to_owned() } else { c.to_string() }}</td> })
                .collect_view();
            view! { <tr><th scope="row">{name.clone()}</th>{cells}</tr> }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="matrix">
                <caption>{lang.t(caption)}</caption>
                <thead><tr><td></td>{head}</tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// Turnout, and the quorum when there is one.
fn turnout_line(lang: Lang, voters: u32, eligible: u32, needed: u32) -> String {
    if needed == 0 {
        lang.turnout(voters, eligible)
    } else {
        format!("{} · {}", lang.turnout(voters, eligible), lang.quorum_needed(needed))
    }
}

fn ranking(lang: Lang, names: &[String], s: &Schulze) -> impl IntoView + use<> {
    let mut place = 0;
    let tiers = s
        .tiers
        .iter()
        .map(|tier| {
            place += 1;
            let mut tier = tier.clone();
            tier.sort_by_key(|o| s.order.iter().position(|x| x == o));
            let tied = tier.len() > 1;
            let names = tier.iter().map(|&o| names.get(o).cloned().unwrap_or_default()).collect::<Vec<_>>().join(" = ");
            view! { <li data-testid="ranking-place">{names}{tied.then(|| view! { " " <span class="hint">"(" {lang.t(Key::TiedWithNext)} ")"</span> })}</li> }
        })
        .collect_view();
    view! {
        <h3>{lang.t(Key::RankingHeading)}</h3>
        <ol class="ranking-result" data-testid="ranking-result">{tiers}</ol>
        {s.drawn().then(|| view! { <p class="hint">{lang.t(Key::DrawnNote)}</p> })}
        {matrix(lang, Key::PairwiseHeading, names, &s.pairwise)}
        {matrix(lang, Key::PathsHeading, names, &s.paths)}
    }
}

/// The result of a closed ballot.
#[component]
pub fn ResultView(view: BallotView) -> impl IntoView {
    let lang = use_lang();
    let Some(outcome) = view.outcome.clone() else { return ().into_any() };
    let names: Vec<String> = view.options.iter().map(|o| o.option.title.clone()).collect();
    let body = match outcome {
        Outcome::Proposal { tally, needed, verdict } => {
            let voters = tally.voters();
            view! {
                <p class="verdict" data-testid="verdict"><strong>{verdict_text(lang, verdict)}</strong></p>
                <ul class="tally">
                    <li>{lang.t(Key::VoteYes)} ": " {lang.votes_share(tally.yes, voters)}</li>
                    <li>{lang.t(Key::VoteNo)} ": " {lang.votes_share(tally.no, voters)}</li>
                    <li>{lang.t(Key::VoteAbstain)} ": " {lang.votes_share(tally.abstain, voters)}</li>
                </ul>
                <p class="hint">{turnout_line(lang, voters, view.eligible, needed)}</p>
            }
            .into_any()
        }
        Outcome::Ranking { voters, needed, quorum_met, schulze } => view! {
            {(!quorum_met).then(|| view! { <p class="verdict"><strong>{lang.t(Key::VerdictQuorumMissed)}</strong></p> })}
            {ranking(lang, &names, &schulze)}
            <p class="hint">{turnout_line(lang, voters, view.eligible, needed)}</p>
        }
        .into_any(),
        Outcome::Sections { voters, needed, quorum_met, parts } => {
            let rows = parts
                .iter()
                .zip(&view.parts)
                .map(|(count, part)| {
                    let variants = part
                        .variants
                        .iter()
                        .enumerate()
                        .map(|(v, &o)| {
                            let votes = count.votes.get(v).copied().unwrap_or(0);
                            let won = v == count.winner;
                            view! {
                                <li class:won=won>
                                    {names.get(o).cloned().unwrap_or_default()} ": " {lang.votes_share(votes, voters)}
                                    {won.then(|| view! { " " <strong>"✓ " {lang.t(Key::WinnerPart)}</strong> })}
                                </li>
                            }
                        })
                        .collect_view();
                    view! { <li><strong>{part.name.clone()}</strong><ul>{variants}</ul></li> }
                })
                .collect_view();
            view! {
                {(!quorum_met).then(|| view! { <p class="verdict"><strong>{lang.t(Key::VerdictQuorumMissed)}</strong></p> })}
                <ul class="parts-result" data-testid="parts-result">{rows}</ul>
                <p class="hint">{turnout_line(lang, voters, view.eligible, needed)}</p>
            }
            .into_any()
        }
    };
    let id = view.id.clone();
    view! {
        <section class="result" aria-labelledby="result-heading" data-testid="result">
            <h2 id="result-heading">{lang.t(Key::ResultHeading)}</h2>
            {body}
            <p class="downloads">
                <a href=format!("/api/ballots/{id}/list?format=csv") download>{lang.t(Key::DownloadCsv)}</a>
                " · "
                <a href=format!("/api/ballots/{id}/list") download>{lang.t(Key::DownloadJson)}</a>
            </p>
            <p class="hint">{lang.t(Key::RecountHint)}</p>
        </section>
    }
    .into_any()
}
