//! Metrics on their page: a year of a concept's values, one value's record, entering values,
//! and checking then importing a CSV file.

use kompromiss_shared::dto::metrics::{CellEntry, ImportAnswer, ImportFile, MetricsView, NewValues};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::{Answer, Req, ask};

/// What the server answers and does about metrics.
#[cfg(feature = "ssr")]
pub trait MetricPages {
    /// A year of a concept's metrics (the current year if `None`).
    fn metrics<'a>(&'a self, req: &'a Req, concept: String, year: Option<u16>) -> Answer<'a, MetricsView>;
    /// Every entry of one value, newest first.
    fn metric_record<'a>(
        &'a self,
        req: &'a Req,
        concept: String,
        platform: String,
        metric: String,
        month: String,
    ) -> Answer<'a, Vec<CellEntry>>;
    /// Stores a platform's values for a month (editors); how many changed.
    fn enter_metrics<'a>(&'a self, req: &'a Req, concept: String, values: NewValues) -> Answer<'a, u32>;
    /// Checks a file, or imports it when `store` (editors).
    fn import_metrics<'a>(
        &'a self,
        req: &'a Req,
        concept: String,
        file: ImportFile,
        store: bool,
    ) -> Answer<'a, ImportAnswer>;
}

/// A year of a concept's metrics.
#[server(prefix = "/api/fn", endpoint = "get_metrics")]
pub async fn get_metrics(concept: String, year: Option<u16>) -> Result<MetricsView, ServerFnError> {
    ask!(|p, r| p.metrics(r, concept, year))
}

/// Every entry of one value: what it was, who entered it, when and from where.
#[server(prefix = "/api/fn", endpoint = "get_metric_record")]
pub async fn get_metric_record(
    concept: String,
    platform: String,
    metric: String,
    month: String,
) -> Result<Vec<CellEntry>, ServerFnError> {
    ask!(|p, r| p.metric_record(r, concept, platform, metric, month))
}

/// Stores a platform's values for a month; how many changed.
#[server(prefix = "/api/fn", endpoint = "enter_metrics", input = leptos::server_fn::codec::Json)]
pub async fn enter_metrics(concept: String, values: NewValues) -> Result<u32, ServerFnError> {
    ask!(|p, r| p.enter_metrics(r, concept, values))
}

/// Checks a file (`store` false) or imports it.
#[server(prefix = "/api/fn", endpoint = "import_metrics", input = leptos::server_fn::codec::Json)]
pub async fn import_metrics(concept: String, file: ImportFile, store: bool) -> Result<ImportAnswer, ServerFnError> {
    ask!(|p, r| p.import_metrics(r, concept, file, store))
}
