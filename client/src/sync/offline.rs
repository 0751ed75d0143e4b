//! Offline support: the local replica in localStorage and the service worker that serves pages offline.

use base64::Engine;

fn key(doc_id: &str) -> String {
    format!("kompromiss:doc:{doc_id}")
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The locally saved replica of a document, if any.
pub fn load(doc_id: &str) -> Option<Vec<u8>> {
    let text = storage()?.get_item(&key(doc_id)).ok()??;
    base64::engine::general_purpose::STANDARD.decode(text).ok()
}

/// Saves the replica locally; a full storage is reported, not fatal.
pub fn save(doc_id: &str, bytes: &[u8]) {
    let text = base64::engine::general_purpose::STANDARD.encode(bytes);
    if let Some(s) = storage()
        && s.set_item(&key(doc_id), &text).is_err()
    {
        web_sys::console::warn_1(&"Kompromiss: local storage full; offline copy not updated".into());
    }
}

/// Registers `/sw.js`, which keeps the last pages and the app bundle for offline reloads.
pub fn register_service_worker() {
    if let Some(window) = web_sys::window() {
        let container = window.navigator().service_worker();
        let _ = container.register("/sw.js");
    }
}
