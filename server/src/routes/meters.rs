//! `GET /metrics`: the server's meters in the Prometheus text format, for a scraper with the
//! configured token or on the separate metrics address.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use secrecy::ExposeSecret;

use crate::auth::secret;
use crate::meters::{self, Gauge};
use crate::state::AppState;

/// The Prometheus text format's media type.
const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// `GET /metrics` on the main address: only with a configured token, and only for its bearer.
/// Without a token the endpoint does not exist here (it may be served on its own address).
pub async fn get_meters(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if state.meters_token.is_none() {
        return StatusCode::NOT_FOUND.into_response();
    }
    scrape(&state, &headers)
}

/// `GET /metrics` on `KOMPROMISS_METRICS_BIND`: open to whoever reaches the address, unless a
/// token is configured too.
pub async fn get_meters_on_own_address(State(state): State<AppState>, headers: HeaderMap) -> Response {
    scrape(&state, &headers)
}

fn scrape(state: &AppState, headers: &HeaderMap) -> Response {
    if let Some(token) = &state.meters_token {
        let presented = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or("");
        // Hashes, so the comparison takes as long whatever the length presented.
        if !secret::equal(&secret::hash(presented), &secret::hash(token.expose_secret())) {
            let challenge = [(header::WWW_AUTHENTICATE, "Bearer realm=\"metrics\"")];
            return (StatusCode::UNAUTHORIZED, challenge, "metrics need the configured bearer token").into_response();
        }
    }
    let body = meters::render(state.registry.meters(), &gauges(state));
    ([(header::CONTENT_TYPE, CONTENT_TYPE), (header::CACHE_CONTROL, "no-store")], body).into_response()
}

/// The values read at scrape time from their owners.
fn gauges(state: &AppState) -> Vec<Gauge> {
    let (signed_in, anonymous) = state.slots.open();
    let connections = "Open sync connections, by whether they are signed in (or use a token).";
    let mut gauges = vec![
        Gauge {
            name: "kompromiss_open_documents",
            help: "Documents open in memory (with peers, or idle until evicted).",
            label: None,
            value: state.registry.open_count() as f64,
        },
        Gauge {
            name: "kompromiss_sync_connections",
            help: connections,
            label: Some(("signed_in", "true")),
            value: signed_in as f64,
        },
        Gauge {
            name: "kompromiss_sync_connections",
            help: connections,
            label: Some(("signed_in", "false")),
            value: anonymous as f64,
        },
        Gauge {
            name: "kompromiss_sync_slots_free",
            help: "Sync connections that may still be opened.",
            label: None,
            value: state.slots.available() as f64,
        },
    ];
    gauges.push(Gauge {
        name: "kompromiss_cluster_listening",
        help: "1 while this instance listens for other instances' changes (PostgreSQL), else 0.",
        label: None,
        value: if state.registry.meters().cluster_listening.load(std::sync::atomic::Ordering::Relaxed) {
            1.0
        } else {
            0.0
        },
    });
    if let Some(bytes) = resident_bytes() {
        gauges.push(Gauge {
            name: "process_resident_memory_bytes",
            help: "Resident memory size in bytes.",
            label: None,
            value: bytes as f64,
        });
    }
    gauges
}

/// This process's resident memory (Linux; elsewhere none).
fn resident_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}
