//! `/d/:id/abstimmung/:ballot`: one ballot — what is voted on (each option's frozen changes with
//! line numbers), the rules, turnout, the voting form, the result, and the editors' close and
//! merge of the decision.

use kompromiss_shared::ballots::{Majority, Quorum};
use kompromiss_shared::dto::ballots::{BallotKind, BallotView};
use kompromiss_shared::dto::drafts::MergePreview;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::ballots::{close_ballot, get_ballot, merge_decision, preview_decision};
use crate::api::me::get_me;
use crate::components::ballots::{ResultView, VoteForm, ballot_refusal};
use crate::components::drafts::DiffView;
use crate::components::header::Header;
use crate::components::notice::Refused;
use crate::i18n::{Key, Lang, use_lang};
use crate::time::format_berlin;

/// How often an open ballot's page asks for the turnout.
#[cfg(feature = "hydrate")]
const TURNOUT_EVERY_SECS: u64 = 5;

/// The page of one ballot.
#[component]
pub fn BallotPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let me = Resource::new(|| (), |_| get_me());
    let changed = RwSignal::new(0u32);
    // A secret ballot's receipt, shown once after the vote (kept across the page's refresh).
    let receipt = RwSignal::new(None::<String>);
    let data = Resource::new(
        move || (params.read().get("ballot").unwrap_or_default(), changed.get()),
        |(id, _)| get_ballot(id),
    );
    view! {
        <Title text=lang.t(Key::Ballots)/>
        <Transition fallback=move || view! { <p class="notice">{lang.t(Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                let me = me.await.unwrap_or_default();
                let body = match data.await {
                    Ok(ballot) => view! { <BallotBody ballot changed receipt lang/> }.into_any(),
                    Err(error) => view! { <Refused error/> }.into_any(),
                };
                view! { <Header me/> {body} }
            })}
        </Transition>
    }
}

fn rules(lang: Lang, b: &BallotView) -> String {
    let kind = lang.t(match b.kind {
        BallotKind::Proposal => Key::KindProposal,
        BallotKind::Ranking => Key::KindRanking,
        BallotKind::Sections => Key::KindSections,
    });
    let majority = lang.t(match b.spec.majority {
        Majority::Simple => Key::MajoritySimple,
        Majority::Absolute => Key::MajorityAbsolute,
        Majority::TwoThirds => Key::MajorityTwoThirds,
    });
    let quorum = match b.spec.quorum {
        Quorum::None => lang.t(Key::QuorumNone).to_owned(),
        Quorum::Half => lang.t(Key::QuorumHalf).to_owned(),
        Quorum::TwoThirds => lang.t(Key::QuorumTwoThirdsOf).to_owned(),
        Quorum::Voters(n) => format!("{} {n}", lang.t(Key::QuorumVoters)),
    };
    let majority = if b.kind == BallotKind::Proposal { format!(" · {majority}") } else { String::new() };
    format!("{kind}{majority} · {}: {quorum}", lang.t(Key::QuorumLabel))
}

#[component]
fn BallotBody(
    ballot: BallotView,
    changed: RwSignal<u32>,
    receipt: RwSignal<Option<String>>,
    lang: Lang,
) -> impl IntoView {
    let id = StoredValue::new(ballot.id.clone());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<&'static str>);
    let preview = RwSignal::new(None::<MergePreview>);
    let refresh = move || changed.update(|n| *n += 1);
    let close = move |_| {
        #[cfg(feature = "hydrate")]
        if !web_sys::window().and_then(|w| w.confirm_with_message(lang.t(Key::CloseConfirm)).ok()).unwrap_or(false) {
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            match close_ballot(id.get_value()).await {
                Ok(()) => refresh(),
                Err(e) => error.set(Some(ballot_refusal(lang, &e))),
            }
            busy.set(false);
        });
    };
    let show_preview = move |_| {
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            match preview_decision(id.get_value()).await {
                Ok(p) => preview.set(Some(p)),
                Err(e) => error.set(Some(ballot_refusal(lang, &e))),
            }
            busy.set(false);
        });
    };
    let merge = move |_| {
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            match merge_decision(id.get_value()).await {
                Ok(_) => {
                    preview.set(None);
                    refresh();
                }
                Err(e) => error.set(Some(ballot_refusal(lang, &e))),
            }
            busy.set(false);
        });
    };
    // While it runs, the turnout follows others' votes (every few seconds); a close shows the result.
    let turnout = RwSignal::new((ballot.voted, ballot.eligible));
    #[cfg(feature = "hydrate")]
    if ballot.open {
        let handle = set_interval_with_handle(
            move || {
                leptos::task::spawn_local(async move {
                    if let Ok(t) = crate::api::ballots::get_turnout(id.get_value()).await {
                        turnout.set((t.voted, t.eligible));
                        if !t.open {
                            refresh();
                        }
                    }
                });
            },
            std::time::Duration::from_secs(TURNOUT_EVERY_SECS),
        );
        if let Ok(handle) = handle {
            on_cleanup(move || handle.clear());
        }
    }
    let voted = Callback::new(move |code: Option<String>| {
        receipt.set(code);
        refresh();
    });
    let starts =
        ballot.starts_later.then(|| format!("{} {} · ", lang.t(Key::StartsAtShown), format_berlin(ballot.opened_at)));
    let period = match (ballot.open, ballot.closes_at, ballot.closed_at) {
        (true, Some(at), _) => format!("{} {}", lang.t(Key::ClosesAtShown), format_berlin(at)),
        (true, None, _) => lang.t(Key::ClosesByHand).to_owned(),
        (false, _, Some(at)) => format!("{} {}", lang.t(Key::ClosedAtShown), format_berlin(at)),
        (false, _, None) => lang.t(Key::BallotClosedStatus).to_owned(),
    };
    let options = ballot
        .options
        .iter()
        .filter(|o| o.option.draft.is_some())
        .map(|o| {
            let diff = o.diff.clone();
            view! {
                <article class="ballot-option" data-testid="ballot-option">
                    <h3>{o.option.title.clone()}</h3>
                    <DiffView diff=Signal::derive(move || diff.clone())/>
                </article>
            }
        })
        .collect_view();
    let status_line = if ballot.open { lang.t(Key::BallotOpenStatus) } else { lang.t(Key::BallotClosedStatus) };
    let can_merge = ballot.can_manage
        && !ballot.open
        && ballot.merged.is_none()
        && ballot.outcome.as_ref().and_then(|o| o.adopted()).is_some();
    let voting = if ballot.may_vote {
        view! { <VoteForm view=ballot.clone() voted/> }.into_any()
    } else if ballot.has_voted {
        view! { <p class="notice" data-testid="voted">{lang.t(Key::VotedNote)}</p> }.into_any()
    } else if ballot.starts_later {
        view! { <p class="notice">{lang.t(Key::BallotNotYet)}</p> }.into_any()
    } else if ballot.open {
        view! { <p class="notice">{lang.t(Key::NotEligible)}</p> }.into_any()
    } else {
        ().into_any()
    };
    let votes = (!ballot.votes.is_empty()).then(|| {
        let rows = ballot
            .votes
            .iter()
            .map(|v| view! { <li>{v.voter.name.clone()} ": " <span class="choice">{choice_text(lang, &ballot, &v.choice)}</span></li> })
            .collect_view();
        view! { <section class="named-votes"><h2>{lang.t(Key::WhoVotedHow)}</h2><ul>{rows}</ul></section> }
    });
    view! {
        <main class="page ballot-page" data-testid="ballot-page">
            <p class="draft-of">{lang.t(Key::BallotOf)} " " <a href=format!("/d/{}", ballot.concept_id)>{lang.quote(&ballot.concept_title)}</a></p>
            <h1>{ballot.title.clone()} " " <span class="badge" data-testid="ballot-status">{status_line}</span></h1>
            <p class="rules">{rules(lang, &ballot)}</p>
            <p class="period">{starts}{period}</p>
            <p class="turnout" data-testid="turnout" aria-live="polite">{move || { let (v, e) = turnout.get(); lang.turnout(v, e) }}</p>
            {ballot.secret.then(|| view! { <p class="hint secret-note">{lang.t(Key::SecretNote)}</p> })}
            {move || receipt.get().map(|code| view! {
                <div class="receipt" role="status" data-testid="receipt">
                    <p><strong>{lang.t(Key::ReceiptLabel)} ": "</strong><code data-testid="receipt-code">{code}</code></p>
                    <p class="hint">{lang.t(Key::ReceiptHint)}</p>
                </div>
            })}
            {voting}
            <ResultView view=ballot.clone()/>
            {votes}
            <section class="ballot-options" aria-labelledby="options-heading">
                <h2 id="options-heading">{lang.t(Key::OptionsHeading)}</h2>
                {options}
            </section>
            {(ballot.can_manage && ballot.open).then(|| view! {
                <button type="button" class="secondary" data-testid="close-ballot" on:click=close disabled=move || busy.get()>
                    {lang.t(Key::CloseBallot)}
                </button>
            })}
            {ballot.merged.is_some().then(|| view! { <p class="notice" data-testid="decision-merged">{lang.t(Key::DecisionMerged)}</p> })}
            {can_merge.then(|| view! {
                <section class="merge-box">
                    <button type="button" class="secondary" data-testid="preview-decision" on:click=show_preview disabled=move || busy.get()>
                        {lang.t(Key::PreviewDecision)}
                    </button>
                    {move || preview.get().map(|p| {
                        let diff = p.diff.clone();
                        view! {
                            <DiffView diff=Signal::derive(move || diff.clone())/>
                            <button type="button" data-testid="merge-decision" on:click=merge disabled=move || busy.get()>
                                {lang.t(Key::MergeDecision)}
                            </button>
                        }
                    })}
                </section>
            })}
            {move || error.get().map(|text| view! { <p class="error" role="alert">{text}</p> })}
        </main>
    }
    .into_any()
}

/// An open ballot's choice in words.
fn choice_text(lang: Lang, ballot: &BallotView, choice: &kompromiss_shared::ballots::Choice) -> String {
    use kompromiss_shared::ballots::{Answer, Choice};
    let title = |o: usize| ballot.options.get(o).map(|o| o.option.title.clone()).unwrap_or_default();
    match choice {
        Choice::Answer(a) => lang
            .t(match a {
                Answer::Yes => Key::VoteYes,
                Answer::No => Key::VoteNo,
                Answer::Abstain => Key::VoteAbstain,
            })
            .to_owned(),
        Choice::Ranking(ranks) => {
            let mut ranked: Vec<(u32, usize)> =
                ranks.iter().enumerate().filter_map(|(o, r)| r.map(|r| (r, o))).collect();
            ranked.sort_unstable();
            ranked.iter().map(|(r, o)| format!("{r}. {}", title(*o))).collect::<Vec<_>>().join(", ")
        }
        Choice::Parts(parts) => parts
            .iter()
            .zip(&ballot.parts)
            .map(|(c, part)| {
                let chosen = c.and_then(|v| part.variants.get(v as usize)).map(|&o| title(o));
                format!("{}: {}", part.name, chosen.unwrap_or_else(|| lang.t(Key::LeaveOpen).to_owned()))
            })
            .collect::<Vec<_>>()
            .join("; "),
    }
}
