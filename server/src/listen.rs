//! Accepts HTTP connections: a cap below the descriptor limit, a deadline for request headers
//! (which also ends idle keep-alive and silent sockets), the client's address, a bounded stop.

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::Request;
use axum::http::HeaderMap;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tower::ServiceExt;

mod idle;

use idle::{Connections, InFlight, Tracked};

/// How long open HTTP exchanges may take to finish once the server stops.
pub const STOP_WITHIN: Duration = Duration::from_secs(5);

/// What the accept loop enforces.
#[derive(Debug, Clone)]
pub struct ListenLimits {
    pub max_connections: usize,
    pub header_timeout: Duration,
    pub trusted_proxies: Arc<[IpAddr]>,
}

/// The client's address: the TCP peer, or for a trusted proxy the address it forwards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

impl ClientAddr {
    /// The client behind `peer`: from a trusted proxy, the right-most `X-Forwarded-For` entry
    /// that is not itself a trusted proxy (entries further left are the client's own claims).
    pub fn resolve(peer: IpAddr, headers: &HeaderMap, trusted: &[IpAddr]) -> Self {
        if !trusted.contains(&peer) {
            return Self(peer);
        }
        let forwarded = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .collect::<Vec<_>>();
        let client =
            forwarded.iter().rev().filter_map(|entry| entry.parse::<IpAddr>().ok()).find(|ip| !trusted.contains(ip));
        Self(client.unwrap_or(peer))
    }
}

/// Serves `app` on `listener` until `shutdown`, then lets open exchanges finish within [`STOP_WITHIN`].
///
/// At the cap, each newcomer takes the slot of the connection idle longest (see `idle`); when
/// every connection is answering a request, it waits for one to finish.
pub async fn serve(listener: TcpListener, app: Router, limits: ListenLimits, shutdown: CancellationToken) {
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let open = Arc::new(Connections::default());
    let connections = TaskTracker::new();
    loop {
        let (tcp, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of descriptors or a connection reset before accept: wait, then go on.
                    tracing::warn!(%error, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = shutdown.cancelled() => break,
        };
        let permit = match slots.clone().try_acquire_owned() {
            Ok(permit) => permit,
            Err(_) => {
                open.evict_oldest_idle();
                let permit = tokio::select! {
                    permit = slots.clone().acquire_owned() => permit,
                    () = shutdown.cancelled() => break,
                };
                let Ok(permit) = permit else { break };
                permit
            }
        };
        let tracked = open.track();
        // Sync frames are small and latency-bound: no Nagle delay on any connection.
        if let Err(error) = tcp.set_nodelay(true) {
            tracing::debug!(%error, "cannot set TCP_NODELAY");
        }
        let (app, limits, shutdown) = (app.clone(), limits.clone(), shutdown.clone());
        connections.spawn(async move {
            serve_connection(tcp, peer, app, &limits, tracked, shutdown).await;
            drop(permit);
        });
    }
    connections.close();
    if tokio::time::timeout(STOP_WITHIN, connections.wait()).await.is_err() {
        tracing::warn!("HTTP exchanges still open after {STOP_WITHIN:?}: abandoned");
    }
}

async fn serve_connection(
    tcp: tokio::net::TcpStream,
    peer: SocketAddr,
    app: Router,
    limits: &ListenLimits,
    tracked: Tracked,
    shutdown: CancellationToken,
) {
    let trusted = limits.trusted_proxies.clone();
    let close = tracked.close.clone();
    let tracked = Arc::new(tracked);
    let service = hyper::service::service_fn(move |mut request: Request<Incoming>| {
        let in_flight = tracked.request();
        let client = ClientAddr::resolve(peer.ip(), request.headers(), &trusted);
        request.extensions_mut().insert(client);
        let app = app.clone();
        async move {
            let Ok(response) = app.oneshot(request.map(axum::body::Body::new)).await;
            Ok::<_, Infallible>(response.map(|body| axum::body::Body::new(Answering { body, _in_flight: in_flight })))
        }
    });
    let connection = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .serve_connection(TokioIo::new(tcp), service)
        .with_upgrades();
    tokio::pin!(connection);
    tokio::select! {
        result = connection.as_mut() => log_end(result),
        () = close.cancelled() => tracing::debug!("idle HTTP connection closed for a newcomer"),
        () = shutdown.cancelled() => {
            connection.as_mut().graceful_shutdown();
            log_end(connection.await);
        }
    }
}

/// A response body that keeps its request counted as in flight until it is sent or dropped.
struct Answering {
    body: axum::body::Body,
    _in_flight: InFlight,
}

impl http_body::Body for Answering {
    type Data = axum::body::Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        std::pin::Pin::new(&mut self.body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.body.size_hint()
    }
}

fn log_end(result: Result<(), hyper::Error>) {
    if let Err(error) = result {
        // Timeouts, resets and malformed requests: the client's business, not ours.
        tracing::debug!(%error, "HTTP connection ended");
    }
}

/// Warns at start when the process may open fewer files than `needed` (each connection is one).
pub fn warn_if_few_descriptors(needed: usize) {
    let Some(soft) = descriptor_limit() else { return };
    if soft < needed as u64 {
        tracing::warn!(
            limit = soft,
            needed,
            "the descriptor limit is below the connection caps plus a reserve: raise it (ulimit -n, \
             LimitNOFILE) or lower KOMPROMISS_MAX_CONNECTIONS / KOMPROMISS_MAX_HTTP_CONNECTIONS"
        );
    }
}

/// The soft limit on open files, from `/proc/self/limits` (Linux); `None` elsewhere or unlimited.
fn descriptor_limit() -> Option<u64> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    line.trim_start_matches("Max open files").split_whitespace().next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(forwarded: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", forwarded.parse().expect("header"));
        headers
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn the_descriptor_limit_is_read() {
        assert!(descriptor_limit().is_some_and(|n| n > 0));
    }

    #[test]
    fn forwarded_for_counts_only_from_a_trusted_proxy_and_only_its_own_entry() {
        let proxy: IpAddr = "10.0.0.1".parse().expect("ip");
        let stranger: IpAddr = "198.51.100.7".parse().expect("ip");
        let claims = headers("1.2.3.4, 203.0.113.9");
        assert_eq!(ClientAddr::resolve(stranger, &claims, &[proxy]).0, stranger, "ignored from others");
        assert_eq!(ClientAddr::resolve(proxy, &claims, &[proxy]).0, "203.0.113.9".parse::<IpAddr>().expect("ip"));
        let chained = headers("1.2.3.4, 203.0.113.9, 10.0.0.2");
        let two: [IpAddr; 2] = [proxy, "10.0.0.2".parse().expect("ip")];
        assert_eq!(ClientAddr::resolve(proxy, &chained, &two).0, "203.0.113.9".parse::<IpAddr>().expect("ip"));
        assert_eq!(ClientAddr::resolve(proxy, &HeaderMap::new(), &[proxy]).0, proxy, "no header: the proxy");
        assert_eq!(ClientAddr::resolve(proxy, &headers("garbage"), &[proxy]).0, proxy);
    }
}
