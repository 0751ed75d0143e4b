//! Graceful shutdown on SIGINT/SIGTERM: cancel the token; `run` then drains and flushes.

use tokio_util::sync::CancellationToken;

/// Waits for Ctrl-C or SIGTERM, then cancels `token`.
pub async fn on_signal(token: CancellationToken) {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutdown requested");
    token.cancel();
}
