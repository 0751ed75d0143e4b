//! `kompromiss-loadgen`: drives one writer and N readers against a sync server and prints JSON reports.
//! Method and results: docs/benchmarks.md.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context;
use automerge::ReadDoc;
use clap::{Parser, Subcommand, ValueEnum};
use kompromiss_tests::load::{self, Scenario, docs};

#[derive(Parser)]
struct Args {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Clone, Copy, ValueEnum)]
enum Doc {
    Small,
    Paper,
}

#[derive(Subcommand)]
enum Cmd {
    /// Fan-out latency: one writer, N readers.
    Run {
        #[arg(long)]
        url: String,
        #[arg(long, value_delimiter = ',', default_value = "1")]
        readers: Vec<usize>,
        /// Edits per second; 0 = as fast as possible.
        #[arg(long, default_value_t = 50.0)]
        rate: f64,
        #[arg(long, default_value_t = 1000)]
        edits: usize,
        #[arg(long, value_enum, default_value_t = Doc::Small)]
        doc: Doc,
        #[arg(long, default_value = "tests/data/automerge-paper.json.gz")]
        trace: PathBuf,
        #[arg(long, default_value = "target/bench-cache/paper.automerge")]
        cache: PathBuf,
        #[arg(long)]
        server_pid: Option<u32>,
        #[arg(long, default_value = "")]
        label: String,
        /// Readers answer at most once per this many ms, like the official client (0: every message).
        #[arg(long, default_value_t = 100)]
        reader_ack_ms: u64,
    },
    /// Cold open: seed the paper document, wait until the server evicted it, time a fresh client's
    /// open (storage read + load + sync to the client); then time a warm open for comparison.
    ColdOpen {
        #[arg(long)]
        url: String,
        /// Seconds to wait for eviction (set the server's KOMPROMISS_DOC_IDLE_SECS below this).
        #[arg(long, default_value_t = 4)]
        evict_wait: u64,
        #[arg(long, default_value = "tests/data/automerge-paper.json.gz")]
        trace: PathBuf,
        #[arg(long, default_value = "target/bench-cache/paper.automerge")]
        cache: PathBuf,
    },
    /// The machine's floor, relay side: a raw TCP relay for one `floor` run (see `load::floor`).
    FloorServer {
        #[arg(long)]
        listen: String,
        #[arg(long)]
        readers: usize,
    },
    /// The machine's floor, client side: one writer and N readers through a `floor-server`.
    Floor {
        #[arg(long)]
        addr: String,
        #[arg(long)]
        readers: usize,
        #[arg(long, default_value_t = 50.0)]
        rate: f64,
        #[arg(long, default_value_t = 1000)]
        edits: usize,
        #[arg(long, default_value = "raw-tcp-floor")]
        label: String,
    },
    /// Times `Automerge::load` of the paper document in this process (the raw baseline for a cold open).
    RawLoad {
        #[arg(long, default_value = "tests/data/automerge-paper.json.gz")]
        trace: PathBuf,
        #[arg(long, default_value = "target/bench-cache/paper.automerge")]
        cache: PathBuf,
        #[arg(long, default_value_t = 5)]
        repeat: usize,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    match Args::parse().command {
        Cmd::Run { url, readers, rate, edits, doc, trace, cache, server_pid, label, reader_ack_ms } => {
            for n in readers {
                let d = match doc {
                    Doc::Small => docs::small(),
                    Doc::Paper => docs::paper(&trace, &cache)?,
                };
                let text = match d.get(automerge::ROOT, docs::TEXT)? {
                    Some((_, id)) => id,
                    None => anyhow::bail!("document has no text"),
                };
                let s = Scenario {
                    url: url.clone(),
                    readers: n,
                    rate,
                    edits,
                    server_pid,
                    grace: Duration::from_secs(30),
                    reader_ack: (reader_ack_ms > 0).then(|| Duration::from_millis(reader_ack_ms)),
                };
                let report = load::run(&s, d, text).await.with_context(|| format!("{label} N={n}"))?;
                let doc_name = match doc {
                    Doc::Small => "small",
                    Doc::Paper => "paper",
                };
                println!("{}", serde_json::json!({ "label": label, "doc": doc_name, "report": report }));
            }
        }
        Cmd::ColdOpen { url, evict_wait, trace, cache } => {
            let doc = docs::paper(&trace, &cache)?;
            let text = match doc.get(automerge::ROOT, docs::TEXT)? {
                Some((_, id)) => id,
                None => anyhow::bail!("document has no text"),
            };
            let (id, heads) = load::seed(&url, doc, text).await?;
            tokio::time::sleep(Duration::from_secs(evict_wait)).await;
            let cold = load::time_open(&url, id, &heads).await?;
            let warm = load::time_open(&url, id, &heads).await?;
            println!(
                "{}",
                serde_json::json!({ "cold_open_ms": cold.as_secs_f64() * 1000.0, "warm_open_ms": warm.as_secs_f64() * 1000.0 })
            );
        }
        Cmd::FloorServer { listen, readers } => {
            let listener = tokio::net::TcpListener::bind(&listen).await.context("bind the relay")?;
            load::floor::serve(listener, readers).await?;
        }
        Cmd::Floor { addr, readers, rate, edits, label } => {
            let report = load::floor::run(&addr, readers, rate, edits).await?;
            println!("{}", serde_json::json!({ "label": label, "doc": "none", "report": report }));
        }
        Cmd::RawLoad { trace, cache, repeat } => {
            let bytes = docs::paper(&trace, &cache)?.save();
            let mut times = Vec::new();
            for _ in 0..repeat {
                let t = Instant::now();
                let doc = automerge::Automerge::load(&bytes)?;
                times.push(t.elapsed().as_secs_f64() * 1000.0);
                drop(doc);
            }
            times.sort_by(f64::total_cmp);
            println!("{}", serde_json::json!({ "raw_load_ms_median": times[times.len() / 2], "bytes": bytes.len() }));
        }
    }
    Ok(())
}
