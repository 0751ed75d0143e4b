//! Editing in place: which parts of the concept (the title, a section, a platform entry, or
//! everything) are open for editing, and the buttons that open and close them.

use std::collections::HashSet;

use leptos::prelude::*;

use crate::i18n::{Key, use_lang};

/// Where this device remembers "Alles bearbeiten".
#[cfg(feature = "hydrate")]
const EDIT_ALL_KEY: &str = "kompromiss.editAll";

/// The page's editing state.
#[derive(Clone, Copy)]
pub struct EditCtx {
    /// "Alles bearbeiten": every part shows its fields.
    pub all: RwSignal<bool>,
    /// Parts opened one by one (`title`, `s-{id}`, `p-{id}`).
    pub open: RwSignal<HashSet<String>>,
    /// The visitor may edit and the live replica is there.
    pub editable: Signal<bool>,
}

impl EditCtx {
    /// The page's editing state; "Alles bearbeiten" is remembered on this device (a writer
    /// keeps it across reloads), read once the page is live.
    pub fn new(editable: Signal<bool>) -> Self {
        let ctx = EditCtx { all: RwSignal::new(false), open: RwSignal::new(HashSet::new()), editable };
        #[cfg(feature = "hydrate")]
        {
            let storage = || web_sys::window().and_then(|w| w.local_storage().ok().flatten());
            let all = ctx.all;
            // The first run (after hydration) reads the device's choice; later runs store changes.
            Effect::new(move |seen: Option<bool>| {
                let on = all.get();
                if seen.is_none() {
                    let stored =
                        storage().and_then(|s| s.get_item(EDIT_ALL_KEY).ok().flatten()).as_deref() == Some("1");
                    if stored != on {
                        all.set(stored);
                    }
                    return stored;
                }
                if let Some(s) = storage() {
                    let _ = if on { s.set_item(EDIT_ALL_KEY, "1") } else { s.remove_item(EDIT_ALL_KEY) };
                }
                on
            });
        }
        ctx
    }

    /// True while `part` shows its fields (tracked).
    pub fn editing(self, part: &str) -> bool {
        self.editable.get() && (self.all.get() || self.open.with(|o| o.contains(part)))
    }

    /// Opens `part` for editing and, once drawn, puts the caret into the field `focus` (a DOM id).
    pub fn open_part(self, part: String, focus: Option<String>) {
        self.open.update(|o| {
            o.insert(part);
        });
        #[cfg(feature = "hydrate")]
        if let Some(id) = focus {
            request_animation_frame(move || {
                let el = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(&id));
                if let Some(el) = el.and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok()) {
                    let _ = el.focus();
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = focus;
    }

    pub fn close_part(self, part: &str) {
        self.open.update(|o| {
            o.remove(part);
        });
    }
}

/// "Bearbeiten" / "Fertig" for one part, for those who may edit; `name` says which part to
/// screen readers ("Bearbeiten: Ziele"). `focus` is the field that gets the caret.
#[component]
pub fn EditButton(part: String, name: Signal<String>, focus: String) -> impl IntoView {
    let lang = use_lang();
    let Some(edit) = use_context::<EditCtx>() else { return ().into_any() };
    let key = StoredValue::new(part);
    let focus = StoredValue::new(focus);
    let editing = move || key.with_value(|k| edit.editing(k));
    let toggle = move |_| {
        if editing() {
            key.with_value(|k| edit.close_part(k));
        } else {
            edit.open_part(key.get_value(), Some(focus.get_value()));
        }
    };
    view! {
        <Show when=move || edit.editable.get() && !edit.all.get()>
            <button type="button" class="edit-part" data-edit=key.get_value() on:click=toggle
                aria-label=move || format!("{}: {}", lang.t(if editing() { Key::DoneEditing } else { Key::EditPart }), name.get())>
                {move || lang.t(if editing() { Key::DoneEditing } else { Key::EditPart })}
            </button>
        </Show>
    }
    .into_any()
}

/// "Alles bearbeiten": every part at once, for those who write a lot.
#[component]
pub fn EditAllToggle() -> impl IntoView {
    let lang = use_lang();
    let Some(edit) = use_context::<EditCtx>() else { return ().into_any() };
    view! {
        <button type="button" class="secondary edit-all" data-testid="edit-all" disabled=move || !edit.editable.get()
            aria-pressed=move || if edit.all.get() { "true" } else { "false" }
            on:click=move |_| edit.all.update(|a| *a = !*a)>
            {lang.t(Key::EditAll)}
        </button>
    }
    .into_any()
}
