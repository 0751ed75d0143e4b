//! Kompromiss server: co-writing policy concepts. `run` wires storage, sync, auth and pages together.
#![forbid(unsafe_code)]

pub mod auth;
pub mod authorship;
pub mod backup;
pub mod ballots;
pub mod cli;
pub mod comments;
pub mod concepts;
pub mod config;
pub mod db;
pub mod drafts;
pub mod error;
pub mod evaluations;
pub mod exports;
pub mod history;
pub mod keyed_rate;
pub mod listen;
pub mod meters;
pub mod metrics;
pub mod moderation;
pub mod notifications;
pub mod pages;
pub mod recent;
pub mod router;
pub mod routes;
pub mod shutdown;
pub mod state;
pub mod sync;
pub mod telemetry;
pub mod versions;

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::config::Config;
use crate::state::{AppState, RuntimeConfig};

/// How long documents may take to flush once the server stops (after HTTP exchanges got
/// [`listen::STOP_WITHIN`]): a stop takes at most the sum.
pub const FLUSH_WITHIN: Duration = Duration::from_secs(20);

/// The sockets a server answers on: the application's, and the metrics address if it has one.
pub struct Listeners {
    pub app: TcpListener,
    /// Serves `/metrics` only (`KOMPROMISS_METRICS_BIND`).
    pub meters: Option<TcpListener>,
}

/// Serves until `shutdown` is cancelled, then closes connections, flushes documents and returns.
/// Binds the metrics address itself, if one is configured.
pub async fn run(config: Config, listener: TcpListener, shutdown: CancellationToken) -> anyhow::Result<()> {
    let meters = match config.meters.metrics_bind {
        Some(addr) => {
            Some(TcpListener::bind(addr).await.with_context(|| format!("cannot listen for metrics on {addr}"))?)
        }
        None => None,
    };
    run_with(config, Listeners { app: listener, meters }, shutdown).await
}

/// [`run`] on sockets bound by the caller (the tests bind port 0 first).
pub async fn run_with(config: Config, listeners: Listeners, shutdown: CancellationToken) -> anyhow::Result<()> {
    let Listeners { app: listener, meters: meters_listener } = listeners;
    config.check()?;
    let addr = listener.local_addr().context("listener has no address")?;
    let runtime = RuntimeConfig::resolve(&config, addr);
    // Held until `run` returns: one server per embedded database file.
    let _serving = db::serve_lock::take(&config.database_url())?;
    let db = config.db.connect().await.context("cannot open the database")?;
    let auth = auth::settings::AuthSettings::resolve(&config.auth, runtime.dev_login, runtime.secure_cookies)
        .context("sign-in settings")?;
    tracing::info!(backend = db.backend(), %addr, public_url = %runtime.public_url, "Kompromiss starting");
    if runtime.dev_login {
        tracing::warn!("DEVELOPMENT SIGN-IN IS ON: anyone can sign in under any name. Use it only for local testing.");
    } else if config.auth.dev_login == Some(true) {
        tracing::warn!("development sign-in requested but refused: an OpenID Connect issuer is configured");
    } else if config.auth.oidc_issuer.is_none() {
        tracing::warn!(
            "no sign-in configured: only API tokens from `kompromiss admin` work. Set KOMPROMISS_OIDC_ISSUER, \
             or KOMPROMISS_DEV_LOGIN=true for a local trial (the development sign-in is off by default \
             unless the embedded database is served on a loopback address)"
        );
    }
    let tracker = TaskTracker::new();
    let oidc = match auth.oidc.clone() {
        Some(settings) => {
            let oidc = Arc::new(auth::oidc::Oidc::new(settings, &runtime.public_url).context("OpenID Connect")?);
            // Discovery must not block start-up: the provider may come up later.
            if oidc.discover().await.is_err() {
                let (retry, cancel) = (oidc.clone(), shutdown.clone());
                tracker.spawn(async move { retry.discover_until_ready(cancel).await });
            } else {
                tracing::info!(issuer = oidc.issuer(), "OpenID Connect provider discovered");
            }
            Some(oidc)
        }
        None => None,
    };
    let authz_version = auth::changes::watch_version(db.clone(), shutdown.clone(), &tracker).await;
    db::checkpoint::spawn(db.clone(), shutdown.clone(), &tracker);
    let docs_cancel = CancellationToken::new();
    let registry = sync::registry::Registry::counted(
        db.clone(),
        tracker.clone(),
        docs_cancel.clone(),
        Duration::from_secs(config.doc_idle_secs.max(1)),
        sync::doc_sync::DocLimits { bytes: config.max_document_bytes, ops: config.max_document_ops },
        Arc::default(),
    );
    sync::cluster::spawn(config.database_url(), db.clone(), registry.clone(), shutdown.clone(), &tracker);
    let stored = db::server_identity::load_or_create(&db).await.context("the server's peer and storage id")?;
    let names = state::ServerNames {
        peer_id: kompromiss_shared::ids::PeerId::new(stored.peer_id).context("stored peer id")?,
        storage_id: stored.storage_id,
        ballot_key: Arc::new(
            ballots::seal::BallotKey::load_or_create(&config.ballot_key_file()).context("the ballot key")?,
        ),
    };
    let state = AppState::new(
        Arc::new(runtime),
        Arc::new(auth),
        oidc,
        authz_version,
        db.clone(),
        registry,
        shutdown.clone(),
        &config,
        &names,
    );
    listen::warn_if_few_descriptors(config.max_connections + config.network.max_http_connections + 256);
    let limits = listen::ListenLimits {
        max_connections: config.network.max_http_connections,
        header_timeout: config.network.header_timeout(),
        trusted_proxies: config.network.trusted_proxies.clone().into(),
    };
    tracker.spawn(ballots::sweep(state.clone()));
    if let Some(listener) = meters_listener {
        let addr = listener.local_addr().context("metrics listener has no address")?;
        tracing::info!(%addr, "metrics served on their own address");
        let (app, stop) = (router::meters_only(state.clone()), shutdown.clone());
        tracker.spawn(async move {
            let served = axum::serve(listener, app).with_graceful_shutdown(stop.cancelled_owned()).await;
            if let Err(error) = served {
                tracing::error!(%error, "the metrics address stopped serving");
            }
        });
    }
    let app = router::build(state);
    listen::serve(listener, app, limits, shutdown.clone()).await;
    // Connections are closed (their tasks see the same token); now let every document flush.
    docs_cancel.cancel();
    tracker.close();
    let flushed = tokio::time::timeout(FLUSH_WITHIN, tracker.wait()).await.is_ok();
    if !flushed {
        // Storage hangs: what was acknowledged is stored already; the rest the clients resend.
        tracing::error!("documents still flushing after {FLUSH_WITHIN:?}; stopping without them");
    }
    db.close().await;
    tracing::info!(flushed, "Kompromiss stopped");
    Ok(())
}
