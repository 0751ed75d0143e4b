//! `TestApp`: the real server on 127.0.0.1 port 0 (bound before spawning, so no sleeps are needed).

use std::net::SocketAddr;
use std::time::Duration;

use kompromiss_server::config::Config;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::db::TestDb;

/// How long a graceful stop may take: it closes connections and flushes open documents.
const STOP_TIMEOUT: Duration = Duration::from_secs(60);

/// A running server.
pub struct TestApp {
    pub addr: SocketAddr,
    pub config: Config,
    /// An API token of an editor account made at start (what most tests act as).
    pub editor_token: String,
    shutdown: CancellationToken,
    task: JoinHandle<anyhow::Result<()>>,
}

impl TestApp {
    /// Starts a server on the given database with the default test configuration.
    pub async fn spawn(db: &TestDb) -> TestApp {
        Self::spawn_with(Config::for_tests(db.url(), db.data_dir())).await
    }

    /// Starts a server with a custom configuration (its bind address is replaced by port 0).
    pub async fn spawn_with(config: Config) -> TestApp {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind port 0");
        Self::spawn_on(config, listener).await
    }

    /// Starts a server on an already bound listener (when its port must be known beforehand).
    pub async fn spawn_on(config: Config, listener: tokio::net::TcpListener) -> TestApp {
        Self::spawn_listening(config, kompromiss_server::Listeners { app: listener, meters: None }).await
    }

    /// Starts a server on bound listeners (the application's and, if given, the metrics address).
    pub async fn spawn_listening(config: Config, listeners: kompromiss_server::Listeners) -> TestApp {
        init_logs();
        let addr = listeners.app.local_addr().expect("local address");
        let shutdown = CancellationToken::new();
        let task = tokio::spawn(kompromiss_server::run_with(config.clone(), listeners, shutdown.clone()));
        let mut app = TestApp { addr, config, editor_token: String::new(), shutdown, task };
        app.wait_ready().await;
        app.editor_token = app.token_for("Test-Redaktion", Some("editor")).await;
        app
    }

    /// Runs a `kompromiss admin` command against this server's database; returns its output.
    pub async fn admin(&self, command: kompromiss_server::cli::admin::AdminCommand) -> anyhow::Result<String> {
        let db = self.config.db.connect().await?;
        let out = kompromiss_server::cli::admin::execute(&db, command).await;
        db.close().await;
        out
    }

    /// A new account (with the role, if any) and an API token for it.
    pub async fn token_for(&self, name: &str, role: Option<&str>) -> String {
        use kompromiss_server::cli::admin::AdminCommand;
        let id = self
            .admin(AdminCommand::CreateUser { name: name.into(), role: role.map(str::to_owned) })
            .await
            .expect("create user");
        self.admin(AdminCommand::CreateToken { user: id, name: "test".into() }).await.expect("create token")
    }

    /// A browser session cookie (`name=value`) from the development sign-in with a role.
    pub async fn dev_cookie(&self, name: &str, role: &str) -> String {
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
        let res = client
            .post(format!("{}/auth/dev-login", self.http()))
            .form(&[("display_name", name), ("role", role)])
            .send()
            .await
            .expect("dev sign-in");
        assert_eq!(res.status(), 303, "development sign-in");
        let cookie = res.headers()["set-cookie"].to_str().expect("cookie");
        cookie.split(';').next().expect("name=value").to_owned()
    }

    async fn wait_ready(&self) {
        // The listener is bound, so requests queue until the router runs; this only awaits start-up work.
        let url = format!("{}/readyz", self.http());
        for _ in 0..200 {
            if let Ok(r) = reqwest::get(&url).await
                && r.status().is_success()
            {
                return;
            }
            tokio::task::yield_now().await;
        }
        panic!("server did not become ready");
    }

    /// `http://127.0.0.1:PORT`
    pub fn http(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// `ws://127.0.0.1:PORT/sync?access_token=…` as the editor.
    pub fn ws(&self) -> String {
        self.ws_as(&self.editor_token)
    }

    /// The sync URL with another token.
    pub fn ws_as(&self, token: &str) -> String {
        format!("ws://{}/sync?access_token={token}", self.addr)
    }

    /// The sync URL without credentials.
    pub fn ws_anonymous(&self) -> String {
        format!("ws://{}/sync", self.addr)
    }

    /// Stops the server gracefully and waits (up to `STOP_TIMEOUT`) until every document is flushed.
    pub async fn stop(self) {
        self.shutdown.cancel();
        let stopped = tokio::time::timeout(STOP_TIMEOUT, self.task).await;
        stopped
            .unwrap_or_else(|_| panic!("the server did not stop within {STOP_TIMEOUT:?}"))
            .expect("server task")
            .expect("server ran without error");
    }

    /// Stops and starts again on the same database (a new port).
    pub async fn restart(self) -> TestApp {
        let config = self.config.clone();
        self.stop().await;
        Self::spawn_with(config).await
    }
}

/// Server logs in test output, filtered by `RUST_LOG` (quiet by default).
fn init_logs() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_test_writer().try_init();
}
