//! `TestApp`: the real server on 127.0.0.1 port 0 (bound before spawning, so no sleeps are needed).

use std::net::SocketAddr;

use kompromiss_server::config::Config;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::db::TestDb;

/// A running server.
pub struct TestApp {
    pub addr: SocketAddr,
    pub config: Config,
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
        init_logs();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind port 0");
        let addr = listener.local_addr().expect("local address");
        let shutdown = CancellationToken::new();
        let task = tokio::spawn(kompromiss_server::run(config.clone(), listener, shutdown.clone()));
        let app = TestApp { addr, config, shutdown, task };
        app.wait_ready().await;
        app
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

    /// `ws://127.0.0.1:PORT/sync`
    pub fn ws(&self) -> String {
        format!("ws://{}/sync", self.addr)
    }

    /// Stops the server gracefully and waits until every document is flushed.
    pub async fn stop(self) {
        self.shutdown.cancel();
        self.task.await.expect("server task").expect("server ran without error");
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
