//! Network limits: connection shares, the trusted reverse proxy, HTTP timeouts.

use std::net::IpAddr;
use std::time::Duration;

use clap::Args;

/// Limits on connections and slow clients. Every field has a flag and an environment variable;
/// docs/security.md lists them with their tests.
#[derive(Debug, Clone, Args)]
pub struct NetworkArgs {
    /// Most `/sync` connections without sign-in at once (default: half of KOMPROMISS_MAX_CONNECTIONS);
    /// the rest is kept for signed-in people and tokens.
    #[arg(long, env = "KOMPROMISS_MAX_ANONYMOUS_CONNECTIONS")]
    pub max_anonymous_connections: Option<usize>,

    /// Most `/sync` connections without sign-in from one client address.
    #[arg(long, env = "KOMPROMISS_MAX_ANONYMOUS_PER_ADDRESS", default_value_t = 64)]
    pub max_anonymous_per_address: usize,

    /// New `/sync` connections without sign-in per second from one client address (bursts of
    /// twice that); beyond it 429 before the upgrade.
    #[arg(long, env = "KOMPROMISS_ANONYMOUS_CONNECTS_PER_SEC", default_value_t = 10)]
    pub anonymous_connects_per_sec: u32,

    /// Seconds a new `/sync` connection has to send its `join`.
    #[arg(long, env = "KOMPROMISS_SYNC_JOIN_SECS", default_value_t = 5)]
    pub sync_join_secs: u64,

    /// Seconds a sync message may take to arrive once its first bytes came (a 4 MiB message on a
    /// slow phone link takes tens of seconds).
    #[arg(long, env = "KOMPROMISS_SYNC_MESSAGE_SECS", default_value_t = 60)]
    pub sync_message_secs: u64,

    /// Mebibytes of unfinished sync messages all connections together may hold; beyond it a
    /// connection with more than 64 KiB pending is closed (small messages still flow).
    #[arg(long, env = "KOMPROMISS_SYNC_INBOUND_BUDGET_MIB", default_value_t = 256)]
    pub sync_inbound_budget_mib: usize,

    /// Reverse proxies (comma-separated IP addresses) whose `X-Forwarded-For` names the client;
    /// from anyone else the header is ignored.
    #[arg(long, env = "KOMPROMISS_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<IpAddr>,

    /// Most HTTP connections at once (pages, API, WebSocket handshakes); keep it and
    /// KOMPROMISS_MAX_CONNECTIONS together below the process's descriptor limit.
    #[arg(long, env = "KOMPROMISS_MAX_HTTP_CONNECTIONS", default_value_t = 512)]
    pub max_http_connections: usize,

    /// Seconds a client may take to send a request's headers, and an idle keep-alive connection stays open.
    #[arg(long, env = "KOMPROMISS_HTTP_HEADER_TIMEOUT_SECS", default_value_t = 10)]
    pub http_header_timeout_secs: u64,

    /// Seconds a client may take to send a request's body.
    #[arg(long, env = "KOMPROMISS_HTTP_BODY_TIMEOUT_SECS", default_value_t = 30)]
    pub http_body_timeout_secs: u64,
}

impl NetworkArgs {
    /// The documented defaults.
    pub fn defaults() -> Self {
        Self {
            max_anonymous_connections: None,
            max_anonymous_per_address: 64,
            anonymous_connects_per_sec: 10,
            sync_join_secs: 5,
            sync_message_secs: 60,
            sync_inbound_budget_mib: 256,
            trusted_proxies: Vec::new(),
            max_http_connections: 512,
            http_header_timeout_secs: 10,
            http_body_timeout_secs: 30,
        }
    }

    /// The anonymous share of `max_connections`.
    pub fn anonymous_share(&self, max_connections: usize) -> usize {
        self.max_anonymous_connections.unwrap_or(max_connections / 2).min(max_connections)
    }

    pub fn join_deadline(&self) -> Duration {
        Duration::from_secs(self.sync_join_secs.max(1))
    }

    pub fn message_deadline(&self) -> Duration {
        Duration::from_secs(self.sync_message_secs.max(1))
    }

    pub fn header_timeout(&self) -> Duration {
        Duration::from_secs(self.http_header_timeout_secs.max(1))
    }

    pub fn body_timeout(&self) -> Duration {
        Duration::from_secs(self.http_body_timeout_secs.max(1))
    }
}
