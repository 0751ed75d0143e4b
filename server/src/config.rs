//! Typed configuration from flags and environment variables, with the documented defaults.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Args;

use crate::db::settings::{DbArgs, SqliteDurability};

pub mod meters;
pub mod network;

/// Development or production: production refuses the development sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Mode {
    #[default]
    Development,
    Production,
}

/// How the server runs. Every field has a flag and an environment variable; the README lists them.
#[derive(Debug, Clone, Args)]
pub struct Config {
    #[command(flatten)]
    pub db: DbArgs,

    #[command(flatten)]
    pub auth: crate::auth::settings::AuthArgs,

    #[command(flatten)]
    pub network: network::NetworkArgs,

    #[command(flatten)]
    pub meters: meters::MetersArgs,

    /// `development` or `production` (production refuses the development sign-in).
    #[arg(long, env = "KOMPROMISS_MODE", value_enum, default_value_t = Mode::Development)]
    pub mode: Mode,

    /// Address and port to listen on.
    #[arg(long, env = "KOMPROMISS_BIND", default_value = "127.0.0.1:3000")]
    pub bind: SocketAddr,

    /// Public base URL (scheme, host, port) people use; default derived from the bind address.
    #[arg(long, env = "KOMPROMISS_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// Directory with the built web bundle (`pkg/` with the wasm and JS, plus assets).
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
    pub site_root: PathBuf,

    /// Most WebSocket sync connections held at once.
    #[arg(long, env = "KOMPROMISS_MAX_CONNECTIONS", default_value_t = kompromiss_shared::limits::DEFAULT_MAX_CONNECTIONS)]
    pub max_connections: usize,

    /// Messages per second one sync connection may send on average (bursts up to twice that).
    #[arg(long, env = "KOMPROMISS_MAX_MESSAGES_PER_SEC", default_value_t = 2000)]
    pub max_messages_per_sec: u32,

    /// Largest stored document in bytes; changes that would grow a document past it are refused.
    #[arg(long, env = "KOMPROMISS_MAX_DOCUMENT_BYTES", default_value_t = kompromiss_shared::limits::MAX_DOCUMENT_BYTES)]
    pub max_document_bytes: usize,

    /// Most operations a document may hold once decoded (one per character typed or deleted, per
    /// field set); a message that would pass it is refused before it is decoded.
    #[arg(long, env = "KOMPROMISS_MAX_DOCUMENT_OPS", default_value_t = kompromiss_shared::limits::MAX_DOCUMENT_OPS)]
    pub max_document_ops: u64,

    /// Seconds an open document stays in memory without any peer before it is evicted.
    #[arg(long, env = "KOMPROMISS_DOC_IDLE_SECS", default_value_t = 30)]
    pub doc_idle_secs: u64,

    /// File with the key that seals secret ballot papers until the close (created on first use;
    /// keep it beside the server, not with the database's backups). Default: `ballot.key` in the
    /// data directory. Several instances share one file.
    #[arg(long, env = "KOMPROMISS_BALLOT_KEY_FILE")]
    pub ballot_key_file: Option<PathBuf>,

    /// The organisation named in the header of every exported page (PDF, ODT), e.g.
    /// "BÜNDNIS 90/DIE GRÜNEN Sachsen"; empty: "Kompromiss".
    #[arg(long, env = "KOMPROMISS_ORGANISATION", default_value = "")]
    pub organisation: String,

    /// Log format: `pretty` or `json`.
    #[arg(long, env = "KOMPROMISS_LOG_FORMAT", default_value = "pretty")]
    pub log_format: String,
}

impl Config {
    /// The database URL actually used, with the embedded default filled in.
    pub fn database_url(&self) -> String {
        self.db.database_url()
    }

    /// True when no database was configured and the embedded SQLite file is used.
    pub fn is_embedded_default(&self) -> bool {
        self.db.database_url.is_none()
    }

    /// Whether the development sign-in is offered: never with an OpenID Connect issuer or in
    /// production; else the explicit setting, else only for the embedded default on a loopback
    /// address. (A container binds 0.0.0.0: there it would let anyone on the network sign in as
    /// an admin, so it has to be asked for.)
    pub fn dev_login_enabled(&self) -> bool {
        self.auth.oidc_issuer.is_none()
            && self.mode != Mode::Production
            && self.auth.dev_login.unwrap_or_else(|| self.is_embedded_default() && self.bind.ip().is_loopback())
    }

    /// Settings that cannot work together; checked before anything starts.
    pub fn check(&self) -> anyhow::Result<()> {
        if self.mode == Mode::Production && self.auth.dev_login == Some(true) {
            anyhow::bail!("KOMPROMISS_DEV_LOGIN=true is refused in production mode");
        }
        if let Some(token) = &self.meters.metrics_token
            && secrecy::ExposeSecret::expose_secret(token).len() < 16
        {
            anyhow::bail!("KOMPROMISS_METRICS_TOKEN must be at least 16 characters (an empty one would open /metrics)");
        }
        if self.auth.oidc_issuer.is_some() && self.auth.oidc_client_id.is_none() {
            anyhow::bail!("KOMPROMISS_OIDC_ISSUER is set but KOMPROMISS_OIDC_CLIENT_ID is not");
        }
        Ok(())
    }

    /// The ballot key's file.
    pub fn ballot_key_file(&self) -> PathBuf {
        self.ballot_key_file.clone().unwrap_or_else(|| self.db.data_dir.join("ballot.key"))
    }

    /// The public base URL without a trailing slash.
    pub fn public_url(&self) -> String {
        match &self.public_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => format!("http://{}", self.bind),
        }
    }

    /// A configuration for tests: port 0, the given database, the given site root.
    pub fn for_tests(database_url: String, data_dir: PathBuf) -> Self {
        let mut auth = crate::auth::settings::AuthArgs::defaults();
        auth.dev_login = Some(true);
        Self {
            db: DbArgs { database_url: Some(database_url), sqlite_synchronous: SqliteDurability::Full, data_dir },
            auth,
            network: network::NetworkArgs::defaults(),
            meters: meters::MetersArgs::default(),
            mode: Mode::Development,
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            public_url: None,
            site_root: PathBuf::from("target/site"),
            max_connections: kompromiss_shared::limits::DEFAULT_MAX_CONNECTIONS,
            max_document_bytes: kompromiss_shared::limits::MAX_DOCUMENT_BYTES,
            max_document_ops: kompromiss_shared::limits::MAX_DOCUMENT_OPS,
            max_messages_per_sec: 2000,
            doc_idle_secs: 30,
            ballot_key_file: None,
            organisation: "BÜNDNIS 90/DIE GRÜNEN Sachsen".into(),
            log_format: "pretty".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The defaults of `kompromiss serve` without flags: embedded SQLite, 127.0.0.1:3000.
    fn plain() -> Config {
        let mut config = Config::for_tests("unused".into(), PathBuf::from("./data"));
        config.db.database_url = None;
        config.auth.dev_login = None;
        config.bind = "127.0.0.1:3000".parse().expect("address");
        config
    }

    #[test]
    fn the_development_sign_in_is_on_only_for_the_embedded_default_on_a_loopback_address() {
        assert!(plain().dev_login_enabled(), "the README's run command");
        let mut v6 = plain();
        v6.bind = "[::1]:3000".parse().expect("address");
        assert!(v6.dev_login_enabled());

        let mut container = plain();
        container.bind = "0.0.0.0:3000".parse().expect("address");
        assert!(!container.dev_login_enabled(), "reachable from the network: off unless asked for");
        container.auth.dev_login = Some(true);
        assert!(container.dev_login_enabled(), "asked for explicitly");

        let mut postgres = plain();
        postgres.db.database_url = Some("postgres://postgres@127.0.0.1:5432/kompromiss".into());
        assert!(!postgres.dev_login_enabled(), "a configured database: off by default");
    }

    #[test]
    fn a_metrics_token_too_short_to_be_secret_is_refused() {
        let mut config = plain();
        config.meters = meters::MetersArgs::with_token("");
        assert!(config.check().is_err(), "an empty token would open /metrics");
        config.meters = meters::MetersArgs::with_token("kurz");
        assert!(config.check().is_err());
        config.meters = meters::MetersArgs::with_token("ein-langes-geheimnis-2026");
        assert!(config.check().is_ok());
    }

    #[test]
    fn an_issuer_or_production_mode_turns_the_development_sign_in_off() {
        let mut oidc = plain();
        oidc.auth.dev_login = Some(true);
        oidc.auth.oidc_issuer = Some("http://127.0.0.1:4000".into());
        assert!(!oidc.dev_login_enabled());

        let mut production = plain();
        production.mode = Mode::Production;
        assert!(!production.dev_login_enabled());
        production.auth.dev_login = Some(true);
        assert!(production.check().is_err(), "asking for it in production is a configuration error");
    }
}
