//! The Kompromiss web UI: routes, pages and the browser's sync client. Rendered on the server
//! (`ssr`) and hydrated in the browser (`hydrate`); never both features at once.
#![forbid(unsafe_code)]
#![recursion_limit = "256"]

pub mod api;
pub mod app;
pub mod components;
pub mod i18n;
pub mod markdown;
pub mod marked;
pub mod pages;
pub mod sync;
pub mod time;

/// Browser entry point: attaches the server-rendered page to the live app.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    sync::offline::register_service_worker();
    leptos::mount::hydrate_body(app::App);
    // A marker for tests (and styles) that the page is live.
    if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = root.set_attribute("data-hydrated", "1");
    }
}
