//! `kompromiss serve`: logging, the listening socket and the signals around [`crate::run`].

use anyhow::Context;
use tokio_util::sync::CancellationToken;

use crate::config::Config;

/// Sets up logging, binds, stops on SIGINT/SIGTERM, and serves until then.
pub async fn serve(config: Config) -> anyhow::Result<()> {
    crate::telemetry::init(&config.log_format);
    config.check()?;
    let listener = tokio::net::TcpListener::bind(config.bind)
        .await
        .with_context(|| format!("cannot listen on {}", config.bind))?;
    let shutdown = CancellationToken::new();
    tokio::spawn(crate::shutdown::on_signal(shutdown.clone()));
    crate::run(config, listener, shutdown).await
}
