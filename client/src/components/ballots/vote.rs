//! Voting: Ja / Nein / Enthaltung for one proposal, a rank per option for competing drafts, a
//! wording per part section by section; a secret ballot's receipt shown once.

use kompromiss_shared::ballots::{Answer, Choice};
use kompromiss_shared::dto::ballots::{BallotKind, BallotView, Vote};
use leptos::prelude::*;

use super::ballot_refusal;
use crate::api::ballots::cast_vote;
use crate::i18n::{Key, use_lang};

/// The voting form of an open ballot; `voted` runs after a vote was stored, with a secret
/// ballot's receipt (the page shows it once).
#[component]
pub fn VoteForm(view: BallotView, voted: Callback<Option<String>>) -> impl IntoView {
    let lang = use_lang();
    let id = StoredValue::new(view.id.clone());
    let n = view.options.len();
    let titles: Vec<String> = view.options.iter().map(|o| o.option.title.clone()).collect();
    let answer = RwSignal::new(None::<Answer>);
    let ranks = RwSignal::new(vec![None::<u32>; n]);
    let parts = RwSignal::new(vec![None::<u32>; view.parts.len()]);
    let receipt_in = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<&'static str>);
    let (kind, secret, changing) = (view.kind, view.secret, view.has_voted);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let choice = match kind {
            BallotKind::Proposal => match answer.get_untracked() {
                Some(a) => Choice::Answer(a),
                None => return error.set(Some(lang.t(Key::InvalidInput))),
            },
            BallotKind::Ranking => Choice::Ranking(ranks.get_untracked()),
            BallotKind::Sections => Choice::Parts(parts.get_untracked()),
        };
        let receipt = (secret && changing).then(|| receipt_in.get_untracked());
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            match cast_vote(id.get_value(), Vote { choice, receipt }).await {
                Ok(done) => voted.run(done.receipt),
                Err(e) => error.set(Some(ballot_refusal(lang, &e))),
            }
            busy.set(false);
        });
    };
    let fields = match kind {
        BallotKind::Proposal => {
            let choice = move |a: Answer, key: Key| {
                view! {
                    <label class="check big">
                        <input type="radio" name="answer" data-testid=format!("vote-{a:?}").to_lowercase()
                            on:change=move |_| answer.set(Some(a))/>
                        " " {lang.t(key)}
                    </label>
                }
            };
            view! {
                <fieldset class="answers">
                    <legend>{lang.t(Key::YourVote)}</legend>
                    {choice(Answer::Yes, Key::VoteYes)}
                    {choice(Answer::No, Key::VoteNo)}
                    {choice(Answer::Abstain, Key::VoteAbstain)}
                </fieldset>
            }
            .into_any()
        }
        BallotKind::Ranking => {
            let rows = titles
                .into_iter()
                .enumerate()
                .map(|(i, title)| {
                    let options = (1..=n).map(|r| view! { <option value=r.to_string()>{r}</option> }).collect_view();
                    view! {
                        <label class="rank">
                            <select data-testid="rank" data-option=i.to_string() aria-label=format!("{}: {title}", lang.t(Key::RankLabel))
                                on:change=move |ev| {
                                    let value = event_target_value(&ev).parse::<u32>().ok();
                                    ranks.update(|r| r[i] = value);
                                }>
                                <option value="">{lang.t(Key::Unranked)}</option>
                                {options}
                            </select>
                            " " {title}
                        </label>
                    }
                })
                .collect_view();
            view! {
                <fieldset class="ranking">
                    <legend>{lang.t(Key::YourVote)}</legend>
                    <p class="hint">{lang.t(Key::RankHint)}</p>
                    {rows}
                </fieldset>
            }
            .into_any()
        }
        BallotKind::Sections => view
            .parts
            .iter()
            .enumerate()
            .map(|(p, part)| {
                let variants = part
                    .variants
                    .iter()
                    .enumerate()
                    .map(|(v, &option)| {
                        let label = titles.get(option).cloned().unwrap_or_default();
                        view! {
                            <label class="check">
                                <input type="radio" name=format!("part-{p}") data-testid="variant"
                                    on:change=move |_| parts.update(|c| c[p] = Some(v as u32))/>
                                " " {label}
                            </label>
                        }
                    })
                    .collect_view();
                view! {
                    <fieldset class="part-choice">
                        <legend>{part.name.clone()}</legend>
                        {variants}
                        <label class="check">
                            <input type="radio" name=format!("part-{p}") checked=true on:change=move |_| parts.update(|c| c[p] = None)/>
                            " " {lang.t(Key::LeaveOpen)}
                        </label>
                    </fieldset>
                }
            })
            .collect_view()
            .into_any(),
    };
    view! {
        <form class="vote-form" on:submit=submit data-testid="vote-form">
            {fields}
            {(secret && changing).then(|| view! {
                <label class="field">
                    <span class="label">{lang.t(Key::ReceiptInput)}</span>
                    <input required autocomplete="off" data-testid="receipt-input" bind:value=receipt_in/>
                </label>
            })}
            <button type="submit" data-testid="cast-vote" disabled=move || busy.get()>
                {move || lang.t(if busy.get() { Key::Voting } else if changing { Key::ChangeVote } else { Key::CastVote })}
            </button>
            {move || error.get().map(|text| view! { <p class="error" role="alert">{text}</p> })}
        </form>
    }
    .into_any()
}
