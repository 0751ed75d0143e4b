//! `/d/:id/beschluesse`: a concept's decisions — every ballot with its rules, turnout and result,
//! the trail from a draft's discussion through the ballot to the merged version, and how each
//! platform's current decision was reached.

use kompromiss_shared::ballots::Outcome;
use kompromiss_shared::dto::ballots::{DecisionTrail, TrailBallot};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::ballots::get_decisions;
use crate::api::me::get_me;
use crate::components::header::Header;
use crate::components::notice::Refused;
use crate::components::platforms::decision_label;
use crate::i18n::{Key, Lang, use_lang};
use crate::time::format_berlin;

/// The decisions page of one concept.
#[component]
pub fn DecisionsPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let me = Resource::new(|| (), |_| get_me());
    let data = Resource::new(move || params.read().get("id").unwrap_or_default(), get_decisions);
    view! {
        <Title text=lang.t(Key::Decisions)/>
        <Transition fallback=move || view! { <p class="notice">{lang.t(Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                let me = me.await.unwrap_or_default();
                let body = match data.await {
                    Ok(trail) => decisions(lang, trail).into_any(),
                    Err(error) => view! { <Refused error/> }.into_any(),
                };
                view! { <Header me/> {body} }
            })}
        </Transition>
    }
}

fn result_line(lang: Lang, b: &TrailBallot) -> String {
    match &b.summary.outcome {
        None => lang.turnout(b.summary.voted, b.summary.eligible),
        Some(Outcome::Proposal { verdict, .. }) => {
            format!(
                "{} · {}",
                crate::components::ballots::verdict_text(lang, *verdict),
                lang.turnout(b.summary.voted, b.summary.eligible)
            )
        }
        Some(Outcome::Ranking { quorum_met: false, .. } | Outcome::Sections { quorum_met: false, .. }) => {
            lang.t(Key::VerdictQuorumMissed).to_owned()
        }
        Some(_) => lang.turnout(b.summary.voted, b.summary.eligible),
    }
}

fn ballot(lang: Lang, concept: &str, b: TrailBallot) -> impl IntoView + use<> {
    let status = lang.t(if b.summary.open { Key::BallotOpenStatus } else { Key::BallotClosedStatus });
    let result = result_line(lang, &b);
    let options = b
        .options
        .into_iter()
        .map(|o| {
            let authors = o.authors.iter().map(|a| a.name.clone()).collect::<Vec<_>>().join(", ");
            let threads = if o.threads.is_empty() {
                view! { <p class="hint">{lang.t(Key::TrailNoDiscussion)}</p> }.into_any()
            } else {
                let items = o
                    .threads
                    .into_iter()
                    .map(|t| {
                        view! {
                            <li data-testid="trail-thread">
                                {lang.quote(&t.excerpt)} " – " {t.by.name} " (" {lang.comments_count(t.comments)} ")"
                            </li>
                        }
                    })
                    .collect_view();
                view! { <p class="label">{lang.t(Key::TrailDiscussion)}</p><ul class="trail-threads">{items}</ul> }
                    .into_any()
            };
            view! {
                <li class="trail-option" data-testid="trail-option">
                    {lang.t(Key::TrailDraft)} " " <a href=format!("/d/{}", o.draft)>{o.title}</a>
                    {o.adopted.then(|| view! { " " <span class="badge">{lang.t(Key::TrailAdopted)}</span> })}
                    <span class="authors">" · " {lang.t(Key::DraftBy)} " " {authors}</span>
                    {threads}
                </li>
            }
        })
        .collect_view();
    let merged = match b.merged {
        Some(m) => view! {
            <p data-testid="trail-merged">
                {lang.t(Key::TrailMerged)} " " {format_berlin(m.at)}
                {m.by.map(|p| format!(" ({})", p.name))} " · "
                <a href=format!("/d/{concept}/verlauf")>{lang.t(Key::TrailOpenHistory)}</a>
            </p>
        }
        .into_any(),
        None if !b.summary.open => view! { <p class="hint">{lang.t(Key::TrailNotMerged)}</p> }.into_any(),
        None => ().into_any(),
    };
    view! {
        <section class="trail-ballot" data-testid="trail-ballot">
            <h2><a href=format!("/d/{concept}/abstimmung/{}", b.summary.id)>{b.summary.title}</a> " " <span class="badge">{status}</span></h2>
            <p class="hint">{format_berlin(b.opened_at)} {b.closed_at.map(|c| format!(" – {}", format_berlin(c)))}</p>
            <p><strong>{result}</strong></p>
            <ul class="trail-options">{options}</ul>
            {merged}
        </section>
    }
}

fn decisions(lang: Lang, trail: DecisionTrail) -> impl IntoView {
    let concept = trail.concept_id.clone();
    let ballots = if trail.ballots.is_empty() {
        view! { <p class="empty">{lang.t(Key::NoDecisions)}</p> }.into_any()
    } else {
        trail.ballots.into_iter().map(|b| ballot(lang, &concept, b)).collect_view().into_any()
    };
    let platforms = trail
        .platforms
        .into_iter()
        .map(|p| {
            let how = match p.by_ballot {
                Some((id, title, at, before)) => view! {
                    {lang.t(Key::PlatformByBallot)} " " <a href=format!("/d/{concept}/abstimmung/{id}")>{lang.quote(&title)}</a> ", "
                    {format_berlin(at)} " (" {lang.t(Key::DecisionBefore)} ": " {decision_label(lang, before)} ")"
                }
                .into_any(),
                None => lang.t(Key::PlatformNoBallot).into_any(),
            };
            view! {
                <tr data-testid="platform-decision">
                    <th scope="row">{p.name}</th>
                    <td>{decision_label(lang, p.decision)}</td>
                    <td>{how}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <main class="page decisions-page" data-testid="decisions-page">
            <p class="draft-of"><a href=format!("/d/{}", trail.concept_id)>{trail.concept_title.clone()}</a></p>
            <h1>{lang.t(Key::Decisions)}</h1>
            <p class="hint">{lang.t(Key::DecisionsIntro)}</p>
            {ballots}
            <h2>{lang.t(Key::PlatformDecisionsHeading)}</h2>
            <div class="table-wrap">
                <table class="platform-decisions">
                    <thead><tr>
                        <th scope="col">{lang.t(Key::Platform)}</th>
                        <th scope="col">{lang.t(Key::Decision)}</th>
                        <th scope="col">{lang.t(Key::Decisions)}</th>
                    </tr></thead>
                    <tbody>{platforms}</tbody>
                </table>
            </div>
        </main>
    }
}
