//! The open document's session: the page's entry points for edits, focus and lifecycle.
//! In the browser they drive the live session; during server rendering they do nothing.

use kompromiss_shared::schema::ConceptView;
use leptos::prelude::RwSignal;

use super::{PeerPresence, Status};

/// The signals a session keeps current.
#[derive(Clone, Copy)]
pub struct Signals {
    pub view: RwSignal<ConceptView>,
    pub status: RwSignal<Status>,
    pub presence: RwSignal<Vec<PeerPresence>>,
    /// True once a live replica backs the page (fields become editable).
    pub live: RwSignal<bool>,
    /// True while local changes wait to be written to this device's storage.
    pub local_pending: RwSignal<bool>,
    /// Local changes the server has not acknowledged yet (shown while offline).
    pub waiting: RwSignal<usize>,
    /// Counts the server's "the discussion changed" events: the page fetches it again.
    pub comments_changed: RwSignal<u64>,
    /// Counts ballot events from the server: the page fetches the ballots again.
    pub ballots_changed: RwSignal<u64>,
}

#[cfg(feature = "hydrate")]
pub use super::live::{
    add_platform, add_section, anchor_at, chars_in, check, close, decide, edit, focus, open, place, remove,
    selection_in_control, text_then,
};

#[cfg(not(feature = "hydrate"))]
mod inert {
    use super::*;
    use kompromiss_shared::schema::{Decision, FieldPath};

    /// Opens the live session (browser only).
    pub fn open(_doc_id: String, _name: String, _signals: Signals) {}
    /// Closes the live session (browser only).
    pub fn close() {}
    /// Sets a text field (browser only).
    pub fn edit(_path: FieldPath, _value: String) {}
    /// Reports which field has focus (browser only).
    pub fn focus(_dom_id: Option<String>) {}
    /// Sets a platform's decision (browser only).
    pub fn decide(_platform_id: String, _decision: Decision) {}
    /// Sets a checklist item of a platform's assessment (browser only).
    pub fn check(_platform_id: String, _key: String, _state: &'static str) {}
    /// Appends a platform (browser only).
    pub fn add_platform() {}
    /// Appends a section (browser only).
    pub fn add_section(_heading: String) {}
    /// Removes a section or platform (browser only).
    pub fn remove(_list: &'static str, _id: String) {}
    /// The field's text when the anchor was made (browser only).
    pub fn text_then(_anchor: &kompromiss_shared::anchor::Anchor) -> Option<String> {
        None
    }
    /// The characters selected in a field's control (browser only).
    pub fn selection_in_control(_path: &FieldPath) -> Option<(usize, usize)> {
        None
    }
    /// The anchor on characters of a field (browser only).
    pub fn anchor_at(_path: FieldPath, _start: usize, _end: usize) -> Option<String> {
        None
    }
    /// Where an anchor's passage is in the live replica (browser only).
    pub fn place(_anchor: &kompromiss_shared::anchor::Anchor) -> Option<Option<(usize, usize)>> {
        None
    }
}

#[cfg(not(feature = "hydrate"))]
pub use inert::*;
