//! The real `kompromiss serve` binary as a child process, for what only a process can show:
//! `kill -9` in the middle of editing. The binary is `KOMPROMISS_BIN` (the test script builds
//! the release binary), else the workspace's release or debug build.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use tokio::process::{Child, Command};

/// How long a started server may take to answer `/readyz`.
const START_WITHIN: Duration = Duration::from_secs(30);

/// The server binary the tests run.
pub fn binary() -> PathBuf {
    if let Some(bin) = std::env::var_os("KOMPROMISS_BIN") {
        return bin.into();
    }
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("target");
    let release = target.join("release").join("kompromiss");
    if release.exists() { release } else { target.join("debug").join("kompromiss") }
}

/// A running server process.
pub struct ServerProcess {
    pub port: u16,
    child: Child,
}

impl ServerProcess {
    /// Starts `kompromiss serve` on a free loopback port with this database and data directory,
    /// plus `env`; returns once it is ready.
    pub async fn start(database_url: &str, data_dir: &Path, env: &[(&str, &str)]) -> anyhow::Result<ServerProcess> {
        let port = {
            let probe = std::net::TcpListener::bind("127.0.0.1:0").context("a free port")?;
            probe.local_addr()?.port()
        };
        Self::launch(database_url, data_dir, port, env).await
    }

    /// Starts on a given port (a restart where the clients expect it).
    pub async fn start_on(database_url: &str, data_dir: &Path, port: u16) -> anyhow::Result<ServerProcess> {
        Self::launch(database_url, data_dir, port, &[]).await
    }

    async fn launch(
        database_url: &str,
        data_dir: &Path,
        port: u16,
        env: &[(&str, &str)],
    ) -> anyhow::Result<ServerProcess> {
        let mut command = Command::new(binary());
        command
            .arg("serve")
            .env("KOMPROMISS_BIND", format!("127.0.0.1:{port}"))
            .env("DATABASE_URL", database_url)
            .env("KOMPROMISS_DATA_DIR", data_dir)
            .env("KOMPROMISS_DEV_LOGIN", "false")
            .env("RUST_LOG", std::env::var("RUST_LOG").unwrap_or_else(|_| "warn".into()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .kill_on_drop(true);
        for (key, value) in env {
            command.env(key, value);
        }
        let child = command.spawn().with_context(|| format!("cannot run {}", binary().display()))?;
        let mut server = ServerProcess { port, child };
        server.wait_ready().await?;
        Ok(server)
    }

    async fn wait_ready(&mut self) -> anyhow::Result<()> {
        let started = Instant::now();
        let url = format!("{}/readyz", self.http());
        while started.elapsed() < START_WITHIN {
            if let Some(status) = self.child.try_wait()? {
                bail!("the server exited at start: {status}");
            }
            if reqwest::get(&url).await.is_ok_and(|r| r.status().is_success()) {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        bail!("the server was not ready within {START_WITHIN:?}")
    }

    /// The process id (for its memory and CPU time in /proc).
    pub fn pid(&self) -> u32 {
        self.child.id().unwrap_or_default()
    }

    /// `http://127.0.0.1:PORT`
    pub fn http(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The sync URL with a token.
    pub fn ws_as(&self, token: &str) -> String {
        format!("ws://127.0.0.1:{}/sync?access_token={token}", self.port)
    }

    /// `kill -9`: no flush, no goodbye; returns once the process is gone.
    pub async fn kill(mut self) {
        let _ = self.child.kill().await;
    }

    /// SIGTERM, then waits for the graceful stop.
    pub async fn stop(mut self) -> anyhow::Result<()> {
        let pid = self.child.id().context("already exited")?;
        let status = std::process::Command::new("kill").arg("-TERM").arg(pid.to_string()).status()?;
        anyhow::ensure!(status.success(), "kill -TERM failed");
        let exit = tokio::time::timeout(Duration::from_secs(60), self.child.wait()).await.context("no stop")??;
        anyhow::ensure!(exit.success(), "stopped with {exit}");
        Ok(())
    }
}
