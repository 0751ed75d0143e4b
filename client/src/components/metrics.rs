//! The metrics page's parts: charts with their data tables, the values per month with where each
//! comes from, entering values by hand, and importing a CSV file.

pub(crate) mod charts;
mod entry;
mod import;
mod values;

pub use charts::ChartsSection;
pub use entry::EntryForm;
pub use import::{ImportSection, ImportState};
pub use values::ValuesSection;

use leptos::prelude::ServerFnError;

use crate::api::refusal_code;
use crate::components::notice::refusal_text;
use crate::i18n::{Key, Lang};

/// A refused metrics action in words.
pub(crate) fn metrics_refusal(lang: Lang, error: &ServerFnError) -> &'static str {
    let key = match refusal_code(error).as_deref() {
        Some("invalid:rate") => Key::MetricsTooFast,
        Some("invalid:metrics-full") => Key::MetricsFull,
        Some("invalid:source") => Key::BadSource,
        Some("invalid:file") => Key::FileUnreadable,
        _ => return refusal_text(lang, error),
    };
    lang.t(key)
}
