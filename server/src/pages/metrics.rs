//! Metrics on their pages: the same rules as the JSON API (crate::metrics), answered as refusals.

use kompromiss_client::api::metrics::MetricPages;
use kompromiss_client::api::{Answer, Req};
use kompromiss_shared::dto::metrics::{CellEntry, ImportAnswer, ImportFile, MetricsView, NewValues};
use kompromiss_shared::dto::refusal::Refusal;

use super::access::{parse_doc, principal};
use super::{PageServer, internal};
use crate::metrics::{self, MetricsError};

impl From<MetricsError> for Refusal {
    fn from(e: MetricsError) -> Self {
        match e {
            MetricsError::NotFound => Refusal::NotFound,
            MetricsError::SignIn => Refusal::SignIn,
            MetricsError::Forbidden => Refusal::Forbidden,
            MetricsError::Invalid(field) => Refusal::Invalid(field.into()),
            MetricsError::Full => Refusal::Invalid("metrics-full".into()),
            MetricsError::TooFast => Refusal::Invalid("rate".into()),
            other => internal(other),
        }
    }
}

impl MetricPages for PageServer {
    fn metrics<'a>(&'a self, req: &'a Req, concept: String, year: Option<u16>) -> Answer<'a, MetricsView> {
        Box::pin(async move { Ok(metrics::view(&self.state, &principal(req), parse_doc(&concept)?, year).await?) })
    }

    fn metric_record<'a>(
        &'a self,
        req: &'a Req,
        concept: String,
        platform: String,
        metric: String,
        month: String,
    ) -> Answer<'a, Vec<CellEntry>> {
        Box::pin(async move {
            let month = month.parse().map_err(|_| Refusal::Invalid("month".into()))?;
            let concept = parse_doc(&concept)?;
            Ok(metrics::cell_record(&self.state, &principal(req), concept, &platform, &metric, month).await?)
        })
    }

    fn enter_metrics<'a>(&'a self, req: &'a Req, concept: String, values: NewValues) -> Answer<'a, u32> {
        Box::pin(async move { Ok(metrics::enter(&self.state, &principal(req), parse_doc(&concept)?, values).await?) })
    }

    fn import_metrics<'a>(
        &'a self,
        req: &'a Req,
        concept: String,
        file: ImportFile,
        store: bool,
    ) -> Answer<'a, ImportAnswer> {
        Box::pin(async move {
            let concept = parse_doc(&concept)?;
            let (name, bytes) = metrics::decode_upload(&file)?;
            Ok(metrics::import(&self.state, &principal(req), concept, &name, &bytes, !store).await?)
        })
    }
}
