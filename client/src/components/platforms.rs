//! The platform entries: cards to read (name, decision, target groups, rationale), each edited in place.

use kompromiss_shared::schema::{
    ConceptView, Decision, FieldPath, KEY_NAME, KEY_PLATFORMS, KEY_RATIONALE, KEY_TARGET_GROUPS, PlatformView,
};
use leptos::prelude::*;

use super::assessment::{AssessmentFields, AssessmentReading};
use super::discussion::{InlineThreads, PassageComment, PlatformDiscussion, Scope};
use super::field::TextField;
use super::parts::{EditButton, EditCtx};
use super::reading::{ReadAs, ReadText};
use crate::i18n::use_lang;
use crate::i18n::{Key, Lang};
use crate::sync::session;

/// The word for a platform decision.
pub(crate) fn decision_label(lang: Lang, d: Decision) -> &'static str {
    lang.t(match d {
        Decision::Nutzen => Key::DecisionNutzen,
        Decision::Evaluieren => Key::DecisionEvaluieren,
        Decision::Verlassen => Key::DecisionVerlassen,
        Decision::Offen => Key::DecisionOffen,
    })
}

/// All platform entries, as cards to read, each edited in place.
#[component]
pub fn PlatformTable(view: RwSignal<ConceptView>) -> impl IntoView {
    let lang = use_lang();
    let edit = use_context::<EditCtx>().expect("the editor provides EditCtx");
    let ids = move || view.with(|v| v.platforms.iter().map(|p| p.id.clone()).collect::<Vec<_>>());
    view! {
        <div class="platforms">
            <For each=ids key=|id| id.clone() children=move |id| view! { <PlatformRow id view/> }/>
            <Show when=move || edit.editable.get()>
                <button class="add" type="button" on:click=move |_| session::add_platform()>
                    {lang.t(Key::AddPlatform)}
                </button>
            </Show>
        </div>
    }
}

fn platform<T: Clone + Send + Sync + 'static>(
    view: RwSignal<ConceptView>,
    id: String,
    get: impl Fn(&PlatformView) -> T + Send + Sync + 'static,
    default: T,
) -> Signal<T> {
    Signal::derive(move || view.with(|v| v.platforms.iter().find(|p| p.id == id).map(&get).unwrap_or(default.clone())))
}

/// One platform entry's texts and decision.
#[derive(Clone, Copy)]
struct Entry {
    name: Signal<String>,
    groups: Signal<String>,
    rationale: Signal<String>,
    decision: Signal<Decision>,
}

#[component]
fn PlatformRow(id: String, view: RwSignal<ConceptView>) -> impl IntoView {
    let edit = use_context::<EditCtx>().expect("the editor provides EditCtx");
    let entry = Entry {
        name: platform(view, id.clone(), |p| p.name.clone(), String::new()),
        groups: platform(view, id.clone(), |p| p.target_groups.clone(), String::new()),
        rationale: platform(view, id.clone(), |p| p.rationale.clone(), String::new()),
        decision: platform(view, id.clone(), |p| p.decision, Decision::Offen),
    };
    let part = format!("p-{id}");
    let editing = {
        let part = part.clone();
        Signal::derive(move || edit.editing(&part))
    };
    let path = |key: &str| FieldPath::Platform { id: id.clone(), field: key.into() };
    let (focus_name, comment_path) = (path(KEY_NAME).dom_id(), path(KEY_RATIONALE));
    let (read_id, edit_id) = (id.clone(), id.clone());
    view! {
        <div class="platform part" data-platform=id.clone() data-part=part.clone()>
            <Show when=move || editing.get()
                fallback=move || view! { <PlatformReading id=read_id.clone() entry view/> }.into_any()>
                {let id = edit_id.clone(); move || view! { <PlatformFields id=id.clone() entry view/> }.into_any()}
            </Show>
            <div class="part-tools"><EditButton part=part.clone() name=entry.name focus=focus_name/></div>
            <PassageComment path=comment_path scope=Scope::Platform(id.clone())/>
            <PlatformDiscussion platform_id=id.clone()/>
            <InlineThreads part=part.clone()/>
        </div>
    }
}

/// A platform entry as read: its name, decision, target groups and rationale.
#[component]
fn PlatformReading(id: String, entry: Entry, view: RwSignal<ConceptView>) -> impl IntoView {
    let lang = use_lang();
    let path = |key: &str| FieldPath::Platform { id: id.clone(), field: key.into() };
    let decision = entry.decision;
    view! {
        <div class="platform-head">
            <ReadText path=path(KEY_NAME) text=entry.name read_as=ReadAs::PlatformName/>
            <span class="decision-badge" data-decision=move || decision.get().as_str()>
                {move || decision_label(lang, decision.get())}
            </span>
        </div>
        <dl class="platform-facts">
            <dt>{lang.t(Key::TargetGroups)}</dt>
            <dd><ReadText path=path(KEY_TARGET_GROUPS) text=entry.groups read_as=ReadAs::Line/></dd>
            <dt>{lang.t(Key::Rationale)}</dt>
            <dd><ReadText path=path(KEY_RATIONALE) text=entry.rationale read_as=ReadAs::Line/></dd>
        </dl>
        <AssessmentReading id=id.clone() view/>
    }
    .into_any()
}

/// A platform entry's fields, while edited.
#[component]
fn PlatformFields(id: String, entry: Entry, view: RwSignal<ConceptView>) -> impl IntoView {
    let lang = use_lang();
    let editable = use_context::<EditCtx>().expect("the editor provides EditCtx").editable;
    let path = |key: &str| FieldPath::Platform { id: id.clone(), field: key.into() };
    let decision = entry.decision;
    let (decide_id, remove_id) = (id.clone(), id.clone());
    view! {
        <div class="platform-fields">
            <TextField path=path(KEY_NAME) value=entry.name label=lang.t(Key::PlatformName) class="platform-name" editable/>
            <label class="field">
                <span class="label">{lang.t(Key::Decision)}</span>
                <select class="decision" data-decision=move || decision.get().as_str() disabled=move || !editable.get()
                    prop:value=move || decision.get().as_str()
                    on:change=move |ev| session::decide(decide_id.clone(), Decision::parse(&event_target_value(&ev)))>
                    {Decision::ALL.into_iter().map(|d| view! {
                        <option value=d.as_str() selected=move || decision.get() == d>{decision_label(lang, d)}</option>
                    }).collect_view()}
                </select>
            </label>
            <TextField path=path(KEY_TARGET_GROUPS) value=entry.groups label=lang.t(Key::TargetGroups) editable/>
            <TextField path=path(KEY_RATIONALE) value=entry.rationale label=lang.t(Key::Rationale) multiline=true editable/>
            <AssessmentFields id=id.clone() view editable/>
            <button class="remove" type="button" on:click=move |_| session::remove(KEY_PLATFORMS, remove_id.clone())>
                {lang.t(Key::RemovePlatform)}
            </button>
        </div>
    }
    .into_any()
}
