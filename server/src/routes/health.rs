//! Liveness and readiness probes.

use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;

use crate::state::AppState;

/// How long readiness waits for the database: a probe needs an answer, not the pool's own
/// 10 s acquire timeout.
const DATABASE_CHECK: Duration = Duration::from_secs(2);

/// `GET /healthz`: the process answers.
pub async fn healthz() -> &'static str {
    "ok"
}

/// `GET /readyz`: the database answers (within `DATABASE_CHECK`) and the server is not shutting down.
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    if state.shutdown.is_cancelled() {
        return (StatusCode::SERVICE_UNAVAILABLE, "shutting down");
    }
    if tokio::time::timeout(DATABASE_CHECK, state.db.ping()).await.unwrap_or(false) {
        (StatusCode::OK, "ready")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
    }
}
