//! Typesetting a PDF off the async threads, at most [`RENDERS`] at once; a request gives up
//! after [`DEADLINE`], and its typesetting keeps its turn until it ends, so giving up never lets
//! more than [`RENDERS`] run.

use std::time::Duration;

use tokio::sync::Semaphore;

use super::ExportError;

/// PDFs typeset at the same time: each takes a core, and a long concept some hundred MiB.
const RENDERS: usize = 2;
/// How long a request waits for its turn and its typesetting together.
const DEADLINE: Duration = Duration::from_secs(60);

static TURNS: Semaphore = Semaphore::const_new(RENDERS);

/// Runs `work` on a blocking thread in one of the [`RENDERS`] turns.
pub(super) async fn in_turn<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, ExportError> + Send + 'static,
) -> Result<T, ExportError> {
    let run = async {
        let turn = TURNS.acquire().await.map_err(|_| ExportError::Render("shutting down".into()))?;
        tokio::task::spawn_blocking(move || {
            let _turn = turn;
            work()
        })
        .await
        .map_err(|e| ExportError::Render(e.to_string()))?
    };
    tokio::time::timeout(DEADLINE, run).await.map_err(|_| ExportError::Render("timed out".into()))?
}

/// The PDF of `markup` with its embedded `files`.
pub(super) async fn render(markup: String, files: Vec<Vec<u8>>) -> Result<Vec<u8>, ExportError> {
    in_turn(move || {
        let started = std::time::Instant::now();
        let result = kompromiss_pdf::render(&markup, files).map_err(|e| ExportError::Render(e.to_string()));
        tracing::debug!(ms = started.elapsed().as_millis() as u64, "pdf typeset");
        result
    })
    .await
}
