//! Fuzz targets as property tests: the parsers that take what peers send (sync frames, change
//! chunks, comments, metric files) get random bytes and mutations of valid inputs, at least
//! 100,000 cases each (`KOMPROMISS_FUZZ_CASES`; a longer run: `KOMPROMISS_FUZZ_CASES=2000000`).
//! They must never panic, and what they accept must be what it claims to be.

mod change_chunks;
mod comment_input;
mod frame_decoder;
mod metrics_csv;
mod mutate;

/// Cases per target: `KOMPROMISS_FUZZ_CASES`, default 100,000.
pub fn cases() -> u32 {
    std::env::var("KOMPROMISS_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000)
}

/// The configuration of every target: many cases, failures kept in `proptest-regressions/`.
pub fn config() -> proptest::test_runner::Config {
    proptest::test_runner::Config {
        cases: cases(),
        max_shrink_iters: 2_000,
        ..proptest::test_runner::Config::default()
    }
}
