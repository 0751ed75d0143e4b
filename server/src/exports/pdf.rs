//! Typesetting a PDF off the async threads, at most [`RENDERS`] at once and within [`DEADLINE`].

use std::time::Duration;

use tokio::sync::Semaphore;

use super::ExportError;

/// PDFs typeset at the same time: each takes a core for up to a few seconds.
const RENDERS: usize = 2;
/// How long a request waits for its turn and its typesetting together.
const DEADLINE: Duration = Duration::from_secs(60);

static TURNS: Semaphore = Semaphore::const_new(RENDERS);

/// The PDF of `markup` with its embedded `files`.
pub(super) async fn render(markup: String, files: Vec<Vec<u8>>) -> Result<Vec<u8>, ExportError> {
    let work = async {
        let _turn = TURNS.acquire().await.map_err(|_| ExportError::Render("shutting down".into()))?;
        let started = std::time::Instant::now();
        let result = tokio::task::spawn_blocking(move || kompromiss_pdf::render(&markup, files))
            .await
            .map_err(|e| ExportError::Render(e.to_string()))?;
        tracing::debug!(ms = started.elapsed().as_millis() as u64, "pdf typeset");
        result.map_err(|e| ExportError::Render(e.to_string()))
    };
    tokio::time::timeout(DEADLINE, work).await.map_err(|_| ExportError::Render("timed out".into()))?
}
