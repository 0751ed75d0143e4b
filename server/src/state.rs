//! Shared application state handed to every handler.

use std::net::SocketAddr;
use std::sync::Arc;

use kompromiss_shared::ids::{DocumentId, PeerId};
use leptos::config::LeptosOptions;
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

use crate::auth::oidc::Oidc;
use crate::auth::settings::AuthSettings;
use crate::config::Config;
use crate::db::Db;
use crate::drafts::DraftSummaryAt;
use crate::keyed_rate::KeyedRate;
use crate::recent::Recent;
use crate::sync::inbound::InboundBudget;
use crate::sync::refusals::Refusals;
use crate::sync::registry::Registry;
use crate::sync::slots::{SlotLimits, Slots};
use crate::versions::TimelineAt;

/// Snapshot downloads per second one person (or address) may make on average.
pub const SNAPSHOTS_PER_SEC: u32 = 2;
/// Version reads and draft operations (timeline, old versions, comparisons, creating, catching
/// up, previewing, merging, restoring) per second one person (or all anonymous readers) may ask.
pub const VERSION_OPS_PER_SEC: u32 = 5;

/// Metric writes (entered values, import previews and imports) per person per second: each reads
/// and writes up to a file's worth of rows.
pub const METRIC_WRITES_PER_SEC: u32 = 2;
/// Draft summaries kept (each a few hundred bytes): the concept page lists up to 50 per render.
pub const MAX_DRAFT_SUMMARIES: usize = 4096;
/// Timelines kept (each at most `MAX_STRETCHES` stretches, some tens of kilobytes).
pub const MAX_TIMELINES: usize = 64;

/// Settings resolved at start-up (after the listener is bound).
#[derive(Debug, Clone)]
pub struct RuntimeConfig {
    /// Base URL people use, without trailing slash; also the only accepted `Origin`.
    pub public_url: String,
    pub dev_login: bool,
    /// Cookies carry `Secure` when the public URL is https.
    pub secure_cookies: bool,
    /// Without a configured public URL the origin check falls back to "same host as the request".
    pub public_url_configured: bool,
    /// How long a client may take to send a request body.
    pub body_timeout: std::time::Duration,
    /// Named in the header of exported pages.
    pub organisation: String,
}

impl RuntimeConfig {
    /// Fills in what depends on the bound address.
    pub fn resolve(config: &Config, addr: SocketAddr) -> Self {
        let public_url = match &config.public_url {
            Some(_) => config.public_url(),
            None => format!("http://{addr}"),
        };
        Self {
            secure_cookies: public_url.starts_with("https://"),
            dev_login: config.dev_login_enabled(),
            public_url_configured: config.public_url.is_some(),
            body_timeout: config.network.body_timeout(),
            organisation: match config.organisation.trim() {
                "" => "Kompromiss".to_owned(),
                name => name.chars().take(120).collect(),
            },
            public_url,
        }
    }
}

/// The server's peer id and storage id, as loaded from the database, and its ballot key.
#[derive(Debug, Clone)]
pub struct ServerNames {
    pub peer_id: PeerId,
    pub storage_id: String,
    pub ballot_key: Arc<crate::ballots::seal::BallotKey>,
}

/// Everything handlers share; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<RuntimeConfig>,
    /// Sign-in and role settings.
    pub auth: Arc<AuthSettings>,
    /// The OpenID Connect relying party, when an issuer is configured.
    pub oidc: Option<Arc<Oidc>>,
    /// The authorization version, polled from the database; open connections re-check on change.
    pub authz_version: watch::Receiver<i64>,
    pub db: Db,
    pub registry: Registry,
    /// The server's automerge-repo peer id, the same on every connection of this process.
    pub server_peer: PeerId,
    /// The server's automerge-repo storage id, the same across restarts (`peerMetadata.storageId`).
    pub storage_id: String,
    /// Connection slots for `/sync`.
    pub slots: Slots,
    /// Refused writes per person: audit aggregation and reconnect backoff.
    pub refusals: Refusals,
    /// Snapshot downloads per person (or address): a few per second.
    pub snapshot_rate: KeyedRate,
    /// Version reads and draft operations per person: each reads or writes a whole document.
    pub version_rate: KeyedRate,
    /// Metric writes per person (see `METRIC_WRITES_PER_SEC`).
    pub metric_rate: KeyedRate,
    /// Concepts whose open pages will hear of a ballot event within a second.
    pub ballot_events: Arc<crate::ballots::announce::Pending>,
    /// Seals secret ballot papers until the close (see `ballots::seal`).
    pub ballot_key: Arc<crate::ballots::seal::BallotKey>,
    /// What each open draft changes, by draft, with the versions it was computed from.
    pub draft_summaries: Arc<Recent<DocumentId, DraftSummaryAt>>,
    /// The part of a document's timeline that its changes alone determine, by document.
    pub timelines: Arc<Recent<DocumentId, Arc<TimelineAt>>>,
    /// Bytes of unfinished sync messages, for all connections together.
    pub inbound: InboundBudget,
    /// How long a sync message may take to arrive once it has begun.
    pub message_deadline: std::time::Duration,
    /// Seconds a new `/sync` connection has to join.
    pub join_deadline: std::time::Duration,
    /// Per-connection message rate limit.
    pub max_messages_per_sec: u32,
    pub shutdown: CancellationToken,
    pub leptos: LeptosOptions,
    /// The bearer token a metrics scraper must present, if one is configured.
    pub meters_token: Option<Arc<secrecy::SecretString>>,
}

impl AppState {
    /// Builds the state from its parts.
    #[expect(clippy::too_many_arguments, reason = "assembled once in run()")]
    pub fn new(
        config: Arc<RuntimeConfig>,
        auth: Arc<AuthSettings>,
        oidc: Option<Arc<Oidc>>,
        authz_version: watch::Receiver<i64>,
        db: Db,
        registry: Registry,
        shutdown: CancellationToken,
        raw: &Config,
        identity: &ServerNames,
    ) -> Self {
        let leptos = LeptosOptions::builder()
            .output_name("client")
            .site_root(raw.site_root.display().to_string())
            .site_pkg_dir("pkg")
            .build();
        Self {
            config,
            auth,
            oidc,
            authz_version,
            db,
            registry,
            server_peer: identity.peer_id.clone(),
            storage_id: identity.storage_id.clone(),
            ballot_key: identity.ballot_key.clone(),
            ballot_events: Arc::default(),
            slots: Slots::new(SlotLimits {
                all: raw.max_connections,
                anonymous: raw.network.anonymous_share(raw.max_connections),
                anonymous_per_address: raw.network.max_anonymous_per_address,
                anonymous_connects_per_sec: raw.network.anonymous_connects_per_sec,
            }),
            refusals: Refusals::default(),
            snapshot_rate: KeyedRate::new(SNAPSHOTS_PER_SEC),
            version_rate: KeyedRate::new(VERSION_OPS_PER_SEC),
            metric_rate: KeyedRate::new(METRIC_WRITES_PER_SEC),
            draft_summaries: Arc::new(Recent::new(MAX_DRAFT_SUMMARIES)),
            timelines: Arc::new(Recent::new(MAX_TIMELINES)),
            join_deadline: raw.network.join_deadline(),
            inbound: InboundBudget::new(raw.network.sync_inbound_budget_mib.saturating_mul(1 << 20)),
            message_deadline: raw.network.message_deadline(),
            max_messages_per_sec: raw.max_messages_per_sec,
            shutdown,
            leptos,
            meters_token: raw.meters.metrics_token.clone().map(Arc::new),
        }
    }
}

impl axum::extract::FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}
