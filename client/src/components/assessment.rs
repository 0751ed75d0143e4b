//! A platform's structured assessment by its template's criteria: read as a short summary under
//! the entry, edited in place with the entry (texts co-edited like the rest of the concept,
//! checklist items as three choices, each with a note).

use kompromiss_shared::schema::{CHECK_STATES, ConceptView, FieldPath};
use kompromiss_shared::template::{Criterion, CriterionKind, Unit, builtin_or_default};
use leptos::prelude::*;

use super::field::TextField;
use super::reading::{ReadAs, ReadText};
use crate::i18n::{Key, Lang, use_lang};
use crate::sync::session;

/// The assessment criteria of the template a concept view names, if it has any.
fn criteria_of(view: RwSignal<ConceptView>) -> Option<Vec<Criterion>> {
    let template = builtin_or_default(&view.with_untracked(|v| v.template.clone()))?;
    (!template.assessment.is_empty()).then_some(template.assessment)
}

/// One assessment field of a platform, as a signal.
fn field(view: RwSignal<ConceptView>, id: String, key: String) -> Signal<String> {
    Signal::derive(move || {
        view.with(|v| {
            v.platforms.iter().find(|p| p.id == id).and_then(|p| p.assessment.get(&key).cloned()).unwrap_or_default()
        })
    })
}

/// The word for a checklist state.
pub fn check_label(lang: Lang, state: &str) -> &'static str {
    lang.t(match state {
        "erfuellt" => Key::CheckFulfilled,
        "nicht_erfuellt" => Key::CheckNotFulfilled,
        "ungeklaert" => Key::CheckUnclear,
        _ => Key::CheckNotAssessed,
    })
}

/// The criteria in their groups, in order.
fn grouped(lang: Lang, criteria: &[Criterion]) -> Vec<(String, Vec<Criterion>)> {
    let mut groups: Vec<(String, Vec<Criterion>)> = Vec::new();
    for c in criteria {
        let name = lang.pick(&c.group);
        match groups.last_mut() {
            Some((g, items)) if *g == name => items.push(c.clone()),
            _ => groups.push((name, vec![c.clone()])),
        }
    }
    groups
}

/// A platform's assessment as read: each group with its answers.
#[component]
pub fn AssessmentReading(id: String, view: RwSignal<ConceptView>) -> impl IntoView {
    let lang = use_lang();
    let Some(criteria) = criteria_of(view) else { return ().into_any() };
    let groups = grouped(lang, &criteria)
        .into_iter()
        .map(|(name, criteria)| {
            let items = criteria
                .into_iter()
                .map(|c| {
                    let label = lang.pick(&c.label);
                    let answer = match c.kind {
                        CriterionKind::Check => {
                            let state = field(view, id.clone(), c.key.clone());
                            let note_key = format!("{}_note", c.key);
                            let path = FieldPath::Platform { id: id.clone(), field: note_key.clone() };
                            let note = field(view, id.clone(), note_key);
                            view! {
                                <span class="check-state" data-state=move || state.get()>{move || check_label(lang, &state.get())}</span>
                                <Show when=move || !note.get().trim().is_empty()>
                                    " – " <ReadText path=path.clone() text=note read_as=ReadAs::Line/>
                                </Show>
                            }
                            .into_any()
                        }
                        _ => {
                            let path = FieldPath::Platform { id: id.clone(), field: c.key.clone() };
                            let text = field(view, id.clone(), c.key.clone());
                            let unit = c.unit.map_or("", Unit::suffix);
                            view! {
                                <ReadText path text read_as=ReadAs::Line/>
                                <Show when=move || !text.get().trim().is_empty()>{unit}</Show>
                            }
                            .into_any()
                        }
                    };
                    view! { <dt>{label}</dt><dd data-criterion=c.key.clone()>{answer}</dd> }
                })
                .collect_view();
            view! { <h4>{name}</h4><dl class="assessment-facts">{items}</dl> }
        })
        .collect_view();
    view! {
        <details class="assessment" data-testid="assessment">
            <summary>{lang.t(Key::Assessment)}</summary>
            {groups}
        </details>
    }
    .into_any()
}

/// A platform's assessment while the entry is edited.
#[component]
pub fn AssessmentFields(id: String, view: RwSignal<ConceptView>, editable: Signal<bool>) -> impl IntoView {
    let lang = use_lang();
    let Some(criteria) = criteria_of(view) else { return ().into_any() };
    let groups = grouped(lang, &criteria)
        .into_iter()
        .map(|(name, criteria)| {
            let items = criteria.into_iter().map(|c| criterion_field(lang, &id, view, editable, c)).collect_view();
            view! { <fieldset class="assessment-group"><legend>{name}</legend>{items}</fieldset> }
        })
        .collect_view();
    view! {
        <div class="assessment-fields" data-testid="assessment-fields">
            <h4>{lang.t(Key::Assessment)}</h4>
            {groups}
        </div>
    }
    .into_any()
}

fn criterion_field(lang: Lang, id: &str, view: RwSignal<ConceptView>, editable: Signal<bool>, c: Criterion) -> AnyView {
    let label = lang.pick(&c.label);
    match c.kind {
        CriterionKind::Check => {
            let state = field(view, id.to_owned(), c.key.clone());
            let note_key = format!("{}_note", c.key);
            let note = field(view, id.to_owned(), note_key.clone());
            let path = FieldPath::Platform { id: id.to_owned(), field: note_key };
            let name = format!("{}-{id}", c.key);
            let choices = CHECK_STATES
                .into_iter()
                .map(|s| {
                    let (platform, key) = (id.to_owned(), c.key.clone());
                    view! {
                        <label class="check">
                            <input type="radio" name=name.clone() value=s disabled=move || !editable.get()
                                prop:checked=move || state.get() == s
                                on:change=move |_| session::check(platform.clone(), key.clone(), s)/>
                            " " {check_label(lang, s)}
                        </label>
                    }
                })
                .collect_view();
            view! {
                <div class="criterion" data-criterion=c.key.clone()>
                    <p class="label" id=format!("{name}-label")>{label}</p>
                    <div role="radiogroup" aria-labelledby=format!("{name}-label") class="check-choices">{choices}</div>
                    <TextField path value=note label=lang.t(Key::CheckNote) editable/>
                </div>
            }
            .into_any()
        }
        kind => {
            let path = FieldPath::Platform { id: id.to_owned(), field: c.key.clone() };
            let value = field(view, id.to_owned(), c.key.clone());
            let hint = match kind {
                CriterionKind::Date => Some(lang.t(Key::DateHint)),
                CriterionKind::Number => Some(lang.t(Key::NumberHint)),
                _ => None,
            };
            view! {
                <div class="criterion" data-criterion=c.key.clone()>
                    <TextField path value label multiline=kind == CriterionKind::Text editable/>
                    {hint.map(|h| view! { <p class="hint">{h}</p> })}
                </div>
            }
            .into_any()
        }
    }
}
