//! One section of the concept: read as a heading and its text, edited in place.

use kompromiss_shared::schema::{ConceptView, FieldPath, KEY_BODY, KEY_HEADING, KEY_SECTIONS};
use leptos::prelude::*;

use super::discussion::{InlineThreads, PassageComment, Scope};
use super::field::TextField;
use super::parts::{EditButton, EditCtx};
use super::reading::{ReadAs, ReadText};
use crate::i18n::{Key, use_lang};
use crate::markdown;
use crate::sync::session;

fn section_field(view: RwSignal<ConceptView>, id: String, body: bool) -> Signal<String> {
    Signal::derive(move || {
        view.with(|v| {
            v.sections
                .iter()
                .find(|s| s.id == id)
                .map(|s| if body { s.body.clone() } else { s.heading.clone() })
                .unwrap_or_default()
        })
    })
}

/// A section: its heading and rendered text, or (while edited) its fields with a preview.
#[component]
pub fn SectionPart(id: String, view: RwSignal<ConceptView>) -> impl IntoView {
    let lang = use_lang();
    let edit = use_context::<EditCtx>().expect("the editor provides EditCtx");
    let heading = section_field(view, id.clone(), false);
    let body = section_field(view, id.clone(), true);
    let part = format!("s-{id}");
    let editing = {
        let part = part.clone();
        Signal::derive(move || edit.editing(&part))
    };
    let heading_path = FieldPath::Section { id: id.clone(), field: KEY_HEADING.into() };
    let body_path = FieldPath::Section { id: id.clone(), field: KEY_BODY.into() };
    let (read_heading, read_body) = (heading_path.clone(), body_path.clone());
    let (edit_heading, edit_body) = (heading_path, body_path.clone());
    let remove_id = id.clone();
    let preview = move || markdown::render(&body.get());
    view! {
        <section class="section part" id=format!("s-{id}") data-section=id.clone() data-part=part.clone()>
            <Show when=move || editing.get()
                fallback=move || view! {
                    <ReadText path=read_heading.clone() text=heading read_as=ReadAs::Heading/>
                    <ReadText path=read_body.clone() text=body read_as=ReadAs::Markdown/>
                }>
                <TextField path=edit_heading.clone() value=heading label=lang.t(Key::Heading) class="heading-input" editable=edit.editable/>
                <TextField path=edit_body.clone() value=body label=lang.t(Key::Body) multiline=true class="body-input" editable=edit.editable/>
                <details class="preview" open>
                    <summary>{lang.t(Key::Preview)}</summary>
                    <div class="markdown" inner_html=preview></div>
                </details>
                <button class="remove" type="button" on:click={
                    let id = remove_id.clone();
                    move |_| session::remove(KEY_SECTIONS, id.clone())
                }>
                    {lang.t(Key::RemoveSection)}
                </button>
            </Show>
            <div class="part-tools">
                <EditButton part=part.clone() name=heading focus=body_path.dom_id()/>
            </div>
            <PassageComment path=body_path.clone() scope=Scope::Section(id.clone())/>
            <InlineThreads part=part.clone()/>
        </section>
    }
}
