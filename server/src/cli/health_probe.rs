//! `kompromiss health`: a dependency-free probe of `/healthz` for container health checks.

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use anyhow::{Context, bail};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Connects to the server (an unspecified bind address means loopback) and checks `/healthz`.
pub async fn probe(bind: SocketAddr) -> anyhow::Result<()> {
    let mut addr = bind;
    if addr.ip().is_unspecified() {
        addr.set_ip(Ipv4Addr::LOCALHOST.into());
    }
    let answer = tokio::time::timeout(Duration::from_secs(5), async {
        let mut stream = tokio::net::TcpStream::connect(addr).await?;
        stream.write_all(b"GET /healthz HTTP/1.0\r\nHost: localhost\r\n\r\n").await?;
        let mut buf = Vec::new();
        stream.read_to_end(&mut buf).await?;
        Ok::<_, std::io::Error>(buf)
    })
    .await
    .context("health check timed out")?
    .context("server not reachable")?;
    let status_line = String::from_utf8_lossy(&answer);
    if !status_line.starts_with("HTTP/1.0 200") && !status_line.starts_with("HTTP/1.1 200") {
        bail!("unhealthy: {}", status_line.lines().next().unwrap_or_default());
    }
    Ok(())
}
