//! The structured list of platforms: name, decision, target groups, rationale.

use kompromiss_shared::schema::{
    ConceptView, Decision, FieldPath, KEY_NAME, KEY_PLATFORMS, KEY_RATIONALE, KEY_TARGET_GROUPS, PlatformView,
};
use leptos::prelude::*;

use super::discussion::{PassageComment, PlatformDiscussion, Scope};
use super::field::TextField;
use crate::i18n::use_lang;
use crate::i18n::{Key, Lang};
use crate::sync::session;

fn decision_label(lang: Lang, d: Decision) -> &'static str {
    lang.t(match d {
        Decision::Nutzen => Key::DecisionNutzen,
        Decision::Evaluieren => Key::DecisionEvaluieren,
        Decision::Verlassen => Key::DecisionVerlassen,
        Decision::Offen => Key::DecisionOffen,
    })
}

/// All platform entries, editable.
#[component]
pub fn PlatformTable(view: RwSignal<ConceptView>, editable: Signal<bool>) -> impl IntoView {
    let lang = use_lang();
    let ids = move || view.with(|v| v.platforms.iter().map(|p| p.id.clone()).collect::<Vec<_>>());
    view! {
        <div class="platforms">
            <For each=ids key=|id| id.clone() children=move |id| view! { <PlatformRow id view editable/> }/>
            <button class="add" type="button" disabled=move || !editable.get() on:click=move |_| session::add_platform()>
                {lang.t(Key::AddPlatform)}
            </button>
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

#[component]
fn PlatformRow(id: String, view: RwSignal<ConceptView>, editable: Signal<bool>) -> impl IntoView {
    let lang = use_lang();
    let name = platform(view, id.clone(), |p| p.name.clone(), String::new());
    let groups = platform(view, id.clone(), |p| p.target_groups.clone(), String::new());
    let rationale = platform(view, id.clone(), |p| p.rationale.clone(), String::new());
    let decision = platform(view, id.clone(), |p| p.decision, Decision::Offen);
    let field = |key: &str| FieldPath::Platform { id: id.clone(), field: key.into() };
    let (decide_id, remove_id) = (id.clone(), id.clone());
    view! {
        <div class="platform" data-platform=id.clone()>
            <TextField path=field(KEY_NAME) value=name label=lang.t(Key::PlatformName) class="platform-name" editable/>
            <label class="field">
                <span class="label">{lang.t(Key::Decision)}</span>
                <select class="decision" disabled=move || !editable.get()
                    prop:value=move || decision.get().as_str()
                    on:change=move |ev| session::decide(decide_id.clone(), Decision::parse(&event_target_value(&ev)))>
                    {Decision::ALL.into_iter().map(|d| view! {
                        <option value=d.as_str() selected=move || decision.get() == d>{decision_label(lang, d)}</option>
                    }).collect_view()}
                </select>
            </label>
            <TextField path=field(KEY_TARGET_GROUPS) value=groups label=lang.t(Key::TargetGroups) editable/>
            <TextField path=field(KEY_RATIONALE) value=rationale label=lang.t(Key::Rationale) multiline=true editable/>
            <PassageComment path=field(KEY_RATIONALE) scope=Scope::Platform(id.clone())/>
            <PlatformDiscussion platform_id=id.clone()/>
            <button class="remove" type="button" disabled=move || !editable.get()
                on:click=move |_| session::remove(KEY_PLATFORMS, remove_id.clone())>
                {lang.t(Key::RemovePlatform)}
            </button>
        </div>
    }
}
