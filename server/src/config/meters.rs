//! Who may read `/metrics`: a bearer token, a separate address, or both.

use std::net::SocketAddr;

use clap::Args;
use secrecy::SecretString;

/// Access to the Prometheus metrics. With neither setting `/metrics` does not exist (404).
#[derive(Debug, Clone, Args, Default)]
pub struct MetersArgs {
    /// Bearer token a scraper sends (`Authorization: Bearer …`). With it `/metrics` is served on
    /// the main address to whoever presents it; on KOMPROMISS_METRICS_BIND it is asked for too.
    #[arg(long, env = "KOMPROMISS_METRICS_TOKEN")]
    pub metrics_token: Option<SecretString>,

    /// A separate address (e.g. 127.0.0.1:9464 or an internal interface) that serves only
    /// `/metrics`; without a token, whoever reaches the address may read it.
    #[arg(long, env = "KOMPROMISS_METRICS_BIND")]
    pub metrics_bind: Option<SocketAddr>,
}

impl MetersArgs {
    /// Metrics for the bearer of `token` (tests and embedding programs).
    pub fn with_token(token: &str) -> Self {
        Self { metrics_token: Some(SecretString::from(token)), metrics_bind: None }
    }
}
