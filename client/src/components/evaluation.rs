//! Parts of the evaluation page: a text the editors write (summary or commentary) saved on the
//! revision they read, one platform's section, the year's changes and ballots, and the freeze form.

use kompromiss_shared::dto::evaluations::{EvaluatedPlatform, EvaluationEdit, EvaluationView, Freeze, YearChanges};
use kompromiss_shared::metrics::figures::year_figures;
use kompromiss_shared::template::CriterionKind;
use leptos::prelude::*;

use crate::api::evaluations::{edit_evaluation, freeze_evaluation};
use crate::api::refusal_code;
use crate::components::assessment::check_label;
use crate::components::notice::refusal_text;
use crate::components::platforms::decision_label;
use crate::i18n::{Key, Lang, use_lang};
use crate::time::format_berlin;

/// What the page knows of the evaluation while one writes: where, and on which revision.
#[derive(Clone, Copy)]
pub struct Writing {
    pub concept: StoredValue<String>,
    pub year: u16,
    pub revision: RwSignal<i64>,
}

fn refusal(lang: Lang, e: &ServerFnError) -> &'static str {
    match refusal_code(e).as_deref() {
        Some("invalid:stale") => lang.t(Key::EvaluationStale),
        Some("invalid:frozen") => lang.t(Key::EvaluationIsFrozen),
        Some("invalid:rate") => lang.t(Key::MetricsTooFast),
        _ => refusal_text(lang, e),
    }
}

/// A text of the evaluation: paragraphs to read, or a textarea with a save button for editors.
#[component]
pub fn EvaluationText(
    writing: Option<Writing>,
    platform: Option<String>,
    text: String,
    label: &'static str,
    testid: &'static str,
) -> impl IntoView {
    let lang = use_lang();
    let Some(writing) = writing else {
        return if text.trim().is_empty() {
            view! { <p class="hint">{lang.t(Key::NoCommentary)}</p> }.into_any()
        } else {
            let paragraphs = text.split("\n\n").map(|p| view! { <p>{p.to_owned()}</p> }).collect_view();
            view! { <div class="evaluation-text" data-testid=testid>{paragraphs}</div> }.into_any()
        };
    };
    let value = RwSignal::new(text);
    let busy = RwSignal::new(false);
    let said = RwSignal::new(None::<(bool, &'static str)>);
    let platform = StoredValue::new(platform);
    let save = move |_| {
        let edit = EvaluationEdit {
            revision: writing.revision.get_untracked(),
            platform: platform.get_value(),
            text: value.get_untracked(),
        };
        busy.set(true);
        said.set(None);
        leptos::task::spawn_local(async move {
            match edit_evaluation(writing.concept.get_value(), writing.year, edit).await {
                Ok(revision) => {
                    writing.revision.set(revision);
                    said.set(Some((true, lang.t(Key::TextSaved))));
                }
                Err(e) => said.set(Some((false, refusal(lang, &e)))),
            }
            busy.set(false);
        });
    };
    view! {
        <div class="evaluation-edit">
            <label class="field">
                <span class="label">{label}</span>
                <textarea rows="5" data-testid=testid bind:value=value></textarea>
            </label>
            <button type="button" class="secondary" disabled=move || busy.get() on:click=save data-testid=format!("{testid}-save")>
                {move || lang.t(if busy.get() { Key::SavingText } else { Key::SaveText })}
            </button>
            {move || said.get().map(|(ok, text)| if ok {
                view! { <span class="notice" role="status">" " {text}</span> }.into_any()
            } else {
                view! { <p class="error" role="alert">{text}</p> }.into_any()
            })}
        </div>
    }
    .into_any()
}

/// One platform: decision, rationale, assessment, the year's figures and the commentary.
pub fn platform_section(
    lang: Lang,
    view: &EvaluationView,
    p: EvaluatedPlatform,
    writing: Option<Writing>,
) -> impl IntoView + use<> {
    let facts = view
        .criteria
        .iter()
        .map(|c| {
            let answer = p.assessment.get(&c.key).cloned().unwrap_or_default();
            let shown = match c.kind {
                CriterionKind::Check => {
                    let note = p.assessment.get(&format!("{}_note", c.key)).cloned().unwrap_or_default();
                    let state = check_label(lang, &answer).to_owned();
                    if note.trim().is_empty() { state } else { format!("{state} – {note}") }
                }
                _ if answer.trim().is_empty() => "–".to_owned(),
                _ => answer,
            };
            view! { <dt>{lang.pick(&c.label)}</dt><dd data-criterion=c.key.clone()>{shown}</dd> }
        })
        .collect_view();
    let m = &view.metrics;
    let figures = year_figures(m, &m.metrics, &m.derived, &p.id, m.year)
        .into_iter()
        .map(|(name, v, unit)| {
            view! { <tr><th scope="row">{lang.pick(name)}</th><td class="num">{lang.figure_in(v, unit)}</td></tr> }
        })
        .collect_view();
    let heading = format!("evaluation-platform-{}", p.id);
    let labelled = heading.clone();
    view! {
        <section class="evaluation-platform" aria-labelledby=labelled data-testid="evaluation-platform">
            <h2 id=heading>{p.name.clone()} " " <span class="decision-badge" data-decision=p.decision.as_str()>{decision_label(lang, p.decision)}</span></h2>
            <dl class="platform-facts">
                <dt>{lang.t(Key::TargetGroups)}</dt><dd>{p.target_groups.clone()}</dd>
                <dt>{lang.t(Key::Rationale)}</dt><dd>{p.rationale.clone()}</dd>
            </dl>
            <h3>{lang.t(Key::Assessment)}</h3>
            <dl class="assessment-facts">{facts}</dl>
            <h3>{lang.t(Key::YearFigures)} " " {m.year}</h3>
            <table class="year-figures"><tbody>{figures}</tbody></table>
            <h3>{lang.t(Key::EvaluationCommentary)}</h3>
            <EvaluationText writing platform=Some(p.id.clone()) text=p.commentary.clone() label=lang.t(Key::EvaluationCommentary) testid="commentary"/>
        </section>
    }
}

/// The year's changes to the concept.
pub fn changes_section(lang: Lang, changes: &YearChanges) -> impl IntoView + use<> {
    let empty = changes.stretches.is_empty()
        && changes.merges.is_empty()
        && changes.decisions.is_empty()
        && changes.named.is_empty();
    let body = if changes.unavailable {
        view! { <p class="hint">{lang.t(Key::ChangesUnavailable)}</p> }.into_any()
    } else if empty {
        view! { <p class="empty">{lang.t(Key::NoYearChanges)}</p> }.into_any()
    } else {
        let unknown = lang.t(Key::UnknownAuthor);
        let stretches = changes.stretches.iter().map(|s| {
            let who = s.author.as_ref().map_or(unknown, |p| p.name.as_str());
            let (from, to) =
                (s.from.map(format_berlin).unwrap_or_default(), s.to.map(format_berlin).unwrap_or_default());
            view! { <li>{lang.stretch(who, s.changes, &from, &to)}</li> }
        });
        let merges = changes.merges.iter().map(
            |m| view! { <li>{lang.t(Key::MergedDrafts)} ": " {m.title.clone()} " (" {format_berlin(m.at)} ")"</li> },
        );
        let decisions = changes
            .decisions
            .iter()
            .map(|d| view! { <li>{lang.t(Key::Decisions)} ": " {d.title.clone()} " (" {format_berlin(d.at)} ")"</li> });
        let named = changes.named.iter().map(
            |n| view! { <li>{lang.t(Key::NamedVersions)} ": " {n.name.clone()} " (" {format_berlin(n.at)} ")"</li> },
        );
        view! {
            <ul class="year-changes">
                {stretches.collect_view()}{merges.collect_view()}{decisions.collect_view()}{named.collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <section aria-labelledby="changes-heading">
            <h2 id="changes-heading">{lang.t(Key::YearChangesHeading)}</h2>
            {body}
        </section>
    }
}

/// The freeze form (editors, while a draft).
#[component]
pub fn FreezeForm(writing: Writing) -> impl IntoView {
    let lang = use_lang();
    let on = RwSignal::new(String::new());
    let body = RwSignal::new(lang.t(Key::PresentedToDefault).to_owned());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<&'static str>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if on.get_untracked().trim().is_empty() {
            error.set(Some(lang.t(Key::BadDate)));
            return;
        }
        #[cfg(feature = "hydrate")]
        if !web_sys::window().and_then(|w| w.confirm_with_message(lang.t(Key::FreezeConfirm)).ok()).unwrap_or(false) {
            return;
        }
        let freeze =
            Freeze { revision: writing.revision.get_untracked(), on: on.get_untracked(), body: body.get_untracked() };
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            match freeze_evaluation(writing.concept.get_value(), writing.year, freeze).await {
                Ok(()) => {
                    #[cfg(feature = "hydrate")]
                    let _ = web_sys::window().map(|w| w.location().reload());
                }
                Err(e) => error.set(Some(refusal(lang, &e))),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="freeze" aria-labelledby="freeze-heading">
            <h2 id="freeze-heading">{lang.t(Key::FreezeHeading)}</h2>
            <p class="hint">{lang.t(Key::FreezeHint)}</p>
            <form on:submit=submit data-testid="freeze-form">
                <label class="field">
                    <span class="label">{lang.t(Key::PresentedOn)}</span>
                    <input type="date" required bind:value=on data-testid="presented-on"/>
                </label>
                <label class="field">
                    <span class="label">{lang.t(Key::PresentedTo)}</span>
                    <input required maxlength="100" bind:value=body data-testid="presented-to"/>
                </label>
                <button type="submit" disabled=move || busy.get() data-testid="freeze">
                    {move || lang.t(if busy.get() { Key::Freezing } else { Key::FreezeButton })}
                </button>
                {move || error.get().map(|t| view! { <p class="error" role="alert">{t}</p> })}
            </form>
        </section>
    }
    .into_any()
}
