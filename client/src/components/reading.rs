//! The concept as a document: its texts rendered with their comment highlights, the words a
//! reader selects there remembered for "comment on these words", a click on a highlight opening
//! its threads (beside the text on wide screens, under the passage on phones).

use std::collections::HashMap;

use kompromiss_shared::dto::comments::{Discussion, ThreadTarget};
use kompromiss_shared::highlights::{Passage, Run, runs};
use kompromiss_shared::schema::{
    ConceptView, FieldPath, KEY_BODY, KEY_HEADING, KEY_NAME, KEY_RATIONALE, KEY_TARGET_GROUPS,
};
use leptos::prelude::*;

use super::discussion::DiscussionCtx;
use crate::i18n::{Key, use_lang};
use crate::marked;

/// How a text of the concept is shown when read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadAs {
    Title,
    Heading,
    PlatformName,
    /// One paragraph of plain text.
    Line,
    /// Rendered Markdown.
    Markdown,
}

/// The text of a field in the concept, if the field is there.
pub fn field_text(view: &ConceptView, path: &FieldPath) -> Option<String> {
    match path {
        FieldPath::Title => Some(view.title.clone()),
        FieldPath::Section { id, field } => {
            view.sections.iter().find(|s| &s.id == id).and_then(|s| match field.as_str() {
                KEY_HEADING => Some(s.heading.clone()),
                KEY_BODY => Some(s.body.clone()),
                _ => None,
            })
        }
        FieldPath::Platform { id, field } => {
            view.platforms.iter().find(|p| &p.id == id).and_then(|p| match field.as_str() {
                KEY_NAME => Some(p.name.clone()),
                KEY_RATIONALE => Some(p.rationale.clone()),
                KEY_TARGET_GROUPS => Some(p.target_groups.clone()),
                _ => None,
            })
        }
    }
}

/// The highlighted runs of every field: the open passage threads, placed by `place` (the live
/// replica) or, where it cannot say, where the server found them.
pub fn highlights(
    discussion: &Discussion,
    place: impl Fn(&kompromiss_shared::anchor::Anchor) -> Option<Option<(usize, usize)>>,
) -> HashMap<FieldPath, Vec<Run>> {
    let mut by_field: HashMap<FieldPath, Vec<Passage>> = HashMap::new();
    for t in discussion.threads.iter().filter(|t| t.resolved.is_none()) {
        let ThreadTarget::Passage { anchor } = &t.target else { continue };
        let at = place(anchor).unwrap_or(t.at);
        if let Some((start, end)) = at {
            by_field.entry(anchor.field.clone()).or_default().push(Passage { start, end, thread: t.id.clone() });
        }
    }
    by_field.into_iter().map(|(field, passages)| (field, runs(&passages))).collect()
}

/// One text of the concept as read, with its highlights. Selecting words in it prepares a
/// comment; `data-path` tells the page which field the words belong to.
#[component]
pub fn ReadText(path: FieldPath, text: Signal<String>, read_as: ReadAs) -> impl IntoView {
    let lang = use_lang();
    let ctx = use_context::<DiscussionCtx>();
    let marks_path = path.clone();
    let marks = move || ctx.and_then(|c| c.highlights.with(|h| h.get(&marks_path).cloned())).unwrap_or_default();
    let html = move || {
        let (text, marks) = (text.get(), marks());
        if read_as == ReadAs::Markdown { marked::markdown(&text, &marks) } else { marked::plain(&text, &marks) }
    };
    let json = serde_json::to_string(&path).unwrap_or_default();
    let field = path.dom_id();
    let empty = lang.t(Key::EmptyText);
    match read_as {
        ReadAs::Title => view! { <h1 class="read doc-title" data-path=json data-field=field data-empty=empty inner_html=html></h1> }.into_any(),
        ReadAs::Heading => view! { <h2 class="read" data-path=json data-field=field data-empty=empty inner_html=html></h2> }.into_any(),
        ReadAs::PlatformName => view! { <h3 class="read" data-path=json data-field=field data-empty=empty inner_html=html></h3> }.into_any(),
        ReadAs::Line => view! { <p class="read" data-path=json data-field=field data-empty=empty inner_html=html></p> }.into_any(),
        ReadAs::Markdown => view! {
            <div class="read markdown" data-path=json data-field=field data-markdown="1" data-empty=empty inner_html=html></div>
        }
        .into_any(),
    }
}

/// Where a click on the reading view leads: the threads of a highlight, or (for those who may
/// edit) the part of the concept clicked into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Clicked {
    Threads { ids: Vec<String>, part: Option<String> },
    Edit { part: String, field: Option<String> },
    Nothing,
}

/// What a click on `target` inside the reading view means.
#[cfg(feature = "hydrate")]
pub fn clicked(target: &web_sys::Element) -> Clicked {
    let part = || target.closest("[data-part]").ok().flatten().and_then(|p| p.get_attribute("data-part"));
    if let Ok(Some(mark)) = target.closest("mark.hl") {
        let ids = mark.get_attribute("data-threads").unwrap_or_default();
        return Clicked::Threads { ids: ids.split_whitespace().map(str::to_owned).collect(), part: part() };
    }
    let inside_text = target.closest(".read").ok().flatten();
    let on_link = target.closest("a, button, input, textarea, select, summary").ok().flatten().is_some();
    let selecting = web_sys::window().and_then(|w| w.get_selection().ok().flatten()).is_some_and(|s| !s.is_collapsed());
    match (inside_text, part()) {
        (Some(text), Some(part)) if !on_link && !selecting => {
            Clicked::Edit { part, field: text.get_attribute("data-field") }
        }
        _ => Clicked::Nothing,
    }
}

/// Follows the page's text selection: words selected inside one text of the reading view become
/// `ctx.reading_selection` (source characters), a caret placed in such a text clears it. The
/// listener goes with the page.
#[cfg(feature = "hydrate")]
pub fn follow_selection(ctx: DiscussionCtx) {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let on_change = Closure::<dyn Fn()>::new(move || {
        if let Some(found) = selected_words(ctx) {
            ctx.reading_selection.set(found);
        }
    });
    let listener: js_sys::Function = on_change.as_ref().unchecked_ref::<js_sys::Function>().clone();
    let _ = document.add_event_listener_with_callback("selectionchange", &listener);
    on_change.forget();
    let listener = StoredValue::new_local(listener);
    on_cleanup(move || {
        if let (Some(document), Some(listener)) =
            (web_sys::window().and_then(|w| w.document()), listener.try_get_value())
        {
            let _ = document.remove_event_listener_with_callback("selectionchange", &listener);
        }
    });
}

/// `Some(new value)` when the selection is in a text of the reading view (`Some(None)`: a
/// caret there), `None` when it is elsewhere (the remembered words stay).
#[cfg(feature = "hydrate")]
fn selected_words(ctx: DiscussionCtx) -> Option<Option<(FieldPath, usize, usize)>> {
    use wasm_bindgen::JsCast;
    let window = web_sys::window()?;
    let document = window.document()?;
    let selection = window.get_selection().ok()??;
    if selection.range_count() == 0 {
        return None;
    }
    let range = selection.get_range_at(0).ok()?;
    let start_node = range.start_container().ok()?;
    let start_el = match start_node.dyn_ref::<web_sys::Element>() {
        Some(e) => e.clone(),
        None => start_node.parent_element()?,
    };
    let container = start_el.closest("[data-path]").ok()??;
    if selection.is_collapsed() {
        return Some(None);
    }
    // UTF-16 units before the selection's start and end, counted within the text's element.
    let units_to = |node: &web_sys::Node, offset: u32| -> Option<u32> {
        let r = document.create_range().ok()?;
        r.select_node_contents(&container).ok()?;
        r.set_end(node, offset).ok()?;
        Some(String::from(r.to_string()).encode_utf16().count() as u32)
    };
    let shown = container.text_content().unwrap_or_default();
    let from = units_to(&start_node, range.start_offset().ok()?)?;
    let end_node = range.end_container().ok()?;
    let to = if container.contains(Some(&end_node)) {
        units_to(&end_node, range.end_offset().ok()?)?
    } else {
        shown.encode_utf16().count() as u32
    };
    let (from, to) = (crate::sync::session::chars_in(&shown, from), crate::sync::session::chars_in(&shown, to));
    let path: FieldPath = serde_json::from_str(&container.get_attribute("data-path")?).ok()?;
    let source = ctx.view.with_untracked(|v| field_text(v, &path))?;
    let found = if container.has_attribute("data-markdown") {
        marked::source_range(&source, &shown, from, to)
    } else {
        let len = source.chars().count();
        (from.min(len) < to.min(len)).then(|| (from.min(len), to.min(len)))
    };
    Some(found.map(|(s, e)| (path, s, e)))
}

/// Shows the threads of a clicked highlight: on a wide screen the side panel scrolls to the
/// first (and focuses it); on a phone they open under the passage's part.
#[cfg(feature = "hydrate")]
pub fn show_threads(ctx: DiscussionCtx, ids: Vec<String>, part: Option<String>) {
    let wide =
        web_sys::window().and_then(|w| w.match_media("(min-width: 70rem)").ok().flatten()).is_some_and(|m| m.matches());
    let first = ids.first().cloned();
    ctx.focus.set(Some(super::discussion::Focus { ids, inline: if wide { None } else { part } }));
    let Some(first) = first else { return };
    request_animation_frame(move || {
        let Some(el) =
            web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(&format!("thread-{first}")))
        else {
            return;
        };
        el.scroll_into_view_with_bool(false);
        if let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el) {
            let _ = el.focus();
        }
    });
}

#[cfg(test)]
mod tests;
