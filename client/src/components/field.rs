//! A text field bound to one text of the concept: local typing goes to the replica, remote
//! changes come in without moving the caret or losing the selection.

use kompromiss_shared::schema::FieldPath;
use leptos::prelude::*;

use crate::sync::session;

/// One editable text. `multiline` renders a textarea.
#[component]
pub fn TextField(
    path: FieldPath,
    value: Signal<String>,
    #[prop(into)] label: String,
    #[prop(optional)] multiline: bool,
    #[prop(optional)] class: &'static str,
    editable: Signal<bool>,
) -> impl IntoView {
    let dom_id = path.dom_id();
    let initial = value.get_untracked();
    let input_ref = NodeRef::<leptos::html::Input>::new();
    let area_ref = NodeRef::<leptos::html::Textarea>::new();
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let v = value.get();
        if let Some(el) = input_ref.get() {
            crate::sync::dom::set_value_keep_caret(&el, &v);
        }
        if let Some(el) = area_ref.get() {
            crate::sync::dom::set_value_keep_caret(&el, &v);
        }
    });
    let on_input = {
        let path = path.clone();
        move |ev: leptos::ev::Event| session::edit(path.clone(), event_target_value(&ev))
    };
    let selected_path = path.clone();
    let on_select = move |_| super::discussion::note_selection(&selected_path);
    let focus_id = dom_id.clone();
    let on_focus = move |_| session::focus(Some(focus_id.clone()));
    let on_blur = move |_| session::focus(None);
    let readonly = move || !editable.get();
    let label_for = dom_id.clone();
    if multiline {
        view! {
            <label class="field" for=label_for>
                <span class="label">{label}</span>
                <textarea id=dom_id class=class node_ref=area_ref rows="6" readonly=readonly
                    on:input=on_input on:focus=on_focus on:blur=on_blur on:select=on_select>{initial}</textarea>
            </label>
        }
        .into_any()
    } else {
        view! {
            <label class="field" for=label_for>
                <span class="label">{label}</span>
                <input id=dom_id class=class node_ref=input_ref value=initial readonly=readonly
                    on:input=on_input on:focus=on_focus on:blur=on_blur on:select=on_select/>
            </label>
        }
        .into_any()
    }
}
