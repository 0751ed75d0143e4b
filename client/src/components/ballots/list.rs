//! The concept's ballots: one line each (question, status, turnout, result) and, for editors,
//! the form that opens one on the concept's open drafts.

use kompromiss_shared::ballots::{Majority, Outcome, Quorum, Verdict};
use kompromiss_shared::dto::ballots::{BallotKind, BallotSummary, Eligibility, NewBallot};
use kompromiss_shared::perm::Role;
use leptos::prelude::*;

use super::ballot_refusal;
use crate::api::ballots::{get_ballots, open_ballot};
use crate::i18n::{Key, Lang, use_lang};
use crate::time::parse_berlin;

/// The verdict of a proposal in words.
pub fn verdict_text(lang: Lang, verdict: Verdict) -> &'static str {
    lang.t(match verdict {
        Verdict::Adopted => Key::VerdictAdopted,
        Verdict::Rejected => Key::VerdictRejected,
        Verdict::Tied => Key::VerdictTied,
        Verdict::QuorumMissed => Key::VerdictQuorumMissed,
    })
}

fn row(lang: Lang, concept: &str, b: BallotSummary) -> impl IntoView + use<> {
    let status = lang.t(if b.open { Key::BallotOpenStatus } else { Key::BallotClosedStatus });
    let result = match &b.outcome {
        Some(Outcome::Proposal { verdict, .. }) => Some(verdict_text(lang, *verdict).to_owned()),
        Some(Outcome::Ranking { quorum_met: false, .. } | Outcome::Sections { quorum_met: false, .. }) => {
            Some(lang.t(Key::VerdictQuorumMissed).to_owned())
        }
        _ => None,
    };
    view! {
        <li data-testid="ballot-row">
            <a href=format!("/d/{concept}/abstimmung/{}", b.id)>{b.title}</a>
            " " <span class="badge">{status}</span>
            {b.secret.then(|| view! { " " <span class="badge">{lang.t(Key::BallotSecretBadge)}</span> })}
            " · " <span class="turnout">{lang.turnout(b.voted, b.eligible)}</span>
            {result.map(|r| view! { " · " <strong>{r}</strong> })}
        </li>
    }
}

/// The ballots of a concept; `drafts` are its open drafts (id, title) for the form. `changed`
/// moves when the server tells of a ballot event (a vote, a close): the list is fetched again, so
/// turnout stays live.
#[component]
pub fn BallotsSection(
    concept: String,
    drafts: Vec<(String, String)>,
    can_open: bool,
    changed: RwSignal<u64>,
) -> impl IntoView {
    let lang = use_lang();
    let concept = StoredValue::new(concept);
    let list = Resource::new(move || (concept.get_value(), changed.get()), |(c, _)| get_ballots(c));
    let form = can_open.then(|| view! { <OpenBallotForm concept=concept.get_value() drafts/> });
    view! {
        <section class="ballots" aria-labelledby="ballots-heading" data-testid="ballots">
            <h2 id="ballots-heading">{lang.t(Key::Ballots)}</h2>
            <p><a href=format!("/d/{}/beschluesse", concept.get_value()) data-testid="decisions-link">{lang.t(Key::Decisions)}</a></p>
            <Transition fallback=move || view! { <p class="notice">{lang.t(Key::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(ballots) if ballots.is_empty() => view! { <p class="empty">{lang.t(Key::NoBallots)}</p> }.into_any(),
                        Ok(ballots) => {
                            let c = concept.get_value();
                            view! { <ul class="ballot-list">{ballots.into_iter().map(|b| row(lang, &c, b)).collect_view()}</ul> }.into_any()
                        }
                        Err(_) => view! { <p class="error">{lang.t(Key::ActionFailed)}</p> }.into_any(),
                    }
                })}
            </Transition>
            {form}
        </section>
    }
    .into_any()
}

/// The editors' form: question, kind, drafts, rules, who may vote and until when.
#[component]
fn OpenBallotForm(concept: String, drafts: Vec<(String, String)>) -> impl IntoView {
    let lang = use_lang();
    let concept = StoredValue::new(concept);
    let shown = RwSignal::new(false);
    let title = RwSignal::new(String::new());
    let kind = RwSignal::new(BallotKind::Proposal);
    let chosen = RwSignal::new(Vec::<String>::new());
    let majority = RwSignal::new(Majority::Simple);
    let quorum = RwSignal::new("none".to_owned());
    let quorum_voters = RwSignal::new(String::new());
    let secret = RwSignal::new(false);
    let changeable = RwSignal::new(false);
    let editors_only = RwSignal::new(false);
    let group = RwSignal::new(String::new());
    let opens = RwSignal::new(String::new());
    let closes = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<&'static str>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let quorum = match quorum.get_untracked().as_str() {
            "half" => Quorum::Half,
            "two_thirds" => Quorum::TwoThirds,
            "voters" => Quorum::Voters(quorum_voters.get_untracked().trim().parse().unwrap_or(0)),
            _ => Quorum::None,
        };
        let (opens_raw, closes_raw) = (opens.get_untracked(), closes.get_untracked());
        let opens_at = if opens_raw.trim().is_empty() { None } else { parse_berlin(&opens_raw) };
        let closes_at = if closes_raw.trim().is_empty() { None } else { parse_berlin(&closes_raw) };
        if (!closes_raw.trim().is_empty() && closes_at.is_none())
            || (!opens_raw.trim().is_empty() && opens_at.is_none())
        {
            error.set(Some(lang.t(Key::BallotBadClose)));
            return;
        }
        let group = group.get_untracked();
        let new = NewBallot {
            title: title.get_untracked(),
            kind: kind.get_untracked(),
            drafts: chosen.get_untracked(),
            majority: majority.get_untracked(),
            quorum,
            secret: secret.get_untracked(),
            changeable: changeable.get_untracked(),
            eligibility: Eligibility {
                min_role: editors_only.get_untracked().then_some(Role::Editor),
                group: (!group.trim().is_empty()).then_some(group),
            },
            opens_at,
            closes_at,
        };
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            match open_ballot(concept.get_value(), new).await {
                Ok(id) => {
                    #[cfg(feature = "hydrate")]
                    let _ = web_sys::window()
                        .map(|w| w.location().set_href(&format!("/d/{}/abstimmung/{id}", concept.get_value())));
                    #[cfg(not(feature = "hydrate"))]
                    let _ = id;
                }
                Err(e) => error.set(Some(ballot_refusal(lang, &e))),
            }
            busy.set(false);
        });
    };
    let drafts = StoredValue::new(drafts);
    let draft_boxes = move || {
        let drafts = drafts.get_value();
        if drafts.is_empty() {
            return view! { <p class="hint">{lang.t(Key::NoOpenDrafts)}</p> }.into_any();
        }
        drafts
            .into_iter()
            .map(|(id, name)| {
                let value = id.clone();
                view! {
                    <label class="check">
                        <input type="checkbox" data-testid="ballot-draft" value=id
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                let id = value.clone();
                                chosen.update(|c| { c.retain(|x| *x != id); if on { c.push(id); } });
                            }/>
                        " " {name}
                    </label>
                }
            })
            .collect_view()
            .into_any()
    };
    let kind_option = move |k: BallotKind, key: Key| {
        view! {
            <label class="check">
                <input type="radio" name="ballot-kind" value=k.as_str() checked=k == BallotKind::Proposal
                    on:change=move |_| kind.set(k)/>
                " " {lang.t(key)}
            </label>
        }
    };
    let majority_option = move |m: Majority, key: Key| {
        view! {
            <label class="check">
                <input type="radio" name="ballot-majority" checked=m == Majority::Simple on:change=move |_| majority.set(m)/>
                " " {lang.t(key)}
            </label>
        }
    };
    let quorum_option = move |q: &'static str, key: Key| {
        view! {
            <label class="check">
                <input type="radio" name="ballot-quorum" value=q checked=q == "none" on:change=move |_| quorum.set(q.to_owned())/>
                " " {lang.t(key)}
            </label>
        }
    };
    view! {
        <button type="button" class="secondary" data-testid="new-ballot" aria-expanded=move || shown.get().to_string()
            on:click=move |_| shown.update(|s| *s = !*s)>
            {lang.t(Key::OpenBallotButton)}
        </button>
        <Show when=move || shown.get()>
            <form class="ballot-form" on:submit=submit data-testid="ballot-form">
                <label class="field">
                    <span class="label">{lang.t(Key::BallotQuestion)}</span>
                    <input required maxlength="200" data-testid="ballot-title" bind:value=title/>
                </label>
                <fieldset>
                    <legend>{lang.t(Key::BallotKindLabel)}</legend>
                    {kind_option(BallotKind::Proposal, Key::KindProposal)}
                    {kind_option(BallotKind::Ranking, Key::KindRanking)}
                    {kind_option(BallotKind::Sections, Key::KindSections)}
                </fieldset>
                <fieldset>
                    <legend>{lang.t(Key::BallotDraftsLabel)}</legend>
                    {draft_boxes()}
                </fieldset>
                <fieldset>
                    <legend>{lang.t(Key::MajorityLabel)}</legend>
                    {majority_option(Majority::Simple, Key::MajoritySimple)}
                    {majority_option(Majority::Absolute, Key::MajorityAbsolute)}
                    {majority_option(Majority::TwoThirds, Key::MajorityTwoThirds)}
                </fieldset>
                <fieldset>
                    <legend>{lang.t(Key::QuorumLabel)}</legend>
                    {quorum_option("none", Key::QuorumNone)}
                    {quorum_option("half", Key::QuorumHalf)}
                    {quorum_option("two_thirds", Key::QuorumTwoThirdsOf)}
                    {quorum_option("voters", Key::QuorumVoters)}
                    " " <input type="number" min="1" class="short" aria-label=lang.t(Key::QuorumVoters) bind:value=quorum_voters/>
                </fieldset>
                <fieldset>
                    <legend>{lang.t(Key::EligibleLabel)}</legend>
                    <label class="check">
                        <input type="checkbox" bind:checked=editors_only/> " " {lang.t(Key::EligibleEditors)}
                    </label>
                    <label class="field">
                        <span class="label">{lang.t(Key::EligibleGroup)}</span>
                        <input maxlength="200" bind:value=group/>
                    </label>
                    <p class="hint">{lang.t(Key::EligibleEveryone)}</p>
                </fieldset>
                <label class="check"><input type="checkbox" data-testid="ballot-secret" bind:checked=secret/> " " {lang.t(Key::SecretLabel)}</label>
                <label class="check"><input type="checkbox" bind:checked=changeable/> " " {lang.t(Key::ChangeableLabel)}</label>
                <label class="field">
                    <span class="label">{lang.t(Key::OpensAtLabel)}</span>
                    <input type="datetime-local" bind:value=opens/>
                </label>
                <label class="field">
                    <span class="label">{lang.t(Key::ClosesAtLabel)}</span>
                    <input type="datetime-local" bind:value=closes/>
                </label>
                <button type="submit" data-testid="open-ballot" disabled=move || busy.get()>
                    {move || lang.t(if busy.get() { Key::OpeningBallot } else { Key::OpenBallotButton })}
                </button>
                {move || error.get().map(|text| view! { <p class="error" role="alert">{text}</p> })}
            </form>
        </Show>
    }
    .into_any()
}
