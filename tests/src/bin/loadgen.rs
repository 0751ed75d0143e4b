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
        /// A second instance's sync URL: every second reader connects there, the writer to `--url`.
        #[arg(long)]
        reader_url: Option<String>,
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
    /// Hostile load: an editor (one writer, one reader) edits while one attack runs against the
    /// same server and document; reports the editor's acknowledgements, server CPU and memory.
    Hostile {
        /// `ws://host:port/sync`, without credentials.
        #[arg(long)]
        sync: String,
        /// `http://host:port`.
        #[arg(long)]
        http: String,
        /// An editor's API token (the honest editor, and the attacks that need write access).
        #[arg(long)]
        writer_token: String,
        /// A member's API token (may read, not write).
        #[arg(long)]
        member_token: String,
        #[arg(long)]
        server_pid: u32,
        #[arg(long, value_enum)]
        attack: load::attacks::Attack,
        #[arg(long, default_value_t = 20.0)]
        rate: f64,
        #[arg(long, default_value_t = 300)]
        edits: usize,
        /// Seconds the attack runs before the first edit.
        #[arg(long, default_value_t = 3)]
        warmup: u64,
    },
    /// The discussion benchmark: page render with 1,000 threads against the twin without, and a
    /// comment event's fan-out to many connections beside a plain edit's.
    Comments {
        #[arg(long)]
        sync: String,
        #[arg(long)]
        http: String,
        #[arg(long)]
        editor_token: String,
        /// A file with one member token per line.
        #[arg(long)]
        commenters: PathBuf,
        #[arg(long, default_value_t = 1000)]
        threads: usize,
        #[arg(long, default_value_t = 4)]
        replies: usize,
        #[arg(long, default_value_t = 30)]
        page_rounds: usize,
        #[arg(long, default_value_t = 100)]
        listeners: usize,
        #[arg(long, default_value_t = 20)]
        fanout_rounds: usize,
        #[arg(long, default_value = "tests/data/automerge-paper.json.gz")]
        trace: PathBuf,
        #[arg(long, default_value = "target/bench-cache/paper-concept.automerge")]
        cache: PathBuf,
    },
    /// The drafts and history benchmark: create a draft, compare distant versions, the timeline
    /// and 10 past versions of the paper concept, each beside Automerge alone.
    Drafts {
        #[arg(long)]
        sync: String,
        #[arg(long)]
        http: String,
        #[arg(long)]
        editor_token: String,
        #[arg(long)]
        member_token: String,
        #[arg(long, default_value_t = 5)]
        rounds: usize,
        #[arg(long, default_value = "tests/data/automerge-paper.json.gz")]
        trace: PathBuf,
        #[arg(long, default_value = "target/bench-cache/paper-concept.automerge")]
        cache: PathBuf,
    },
    /// Seeds the paper concept (the whole trace's history) and prints its id and heads as JSON
    /// (the backup benchmark's instance); with `--expect-heads`, only checks that a server holds
    /// document `--doc` at those heads (a restored instance).
    Seed {
        #[arg(long)]
        url: String,
        #[arg(long)]
        doc: Option<String>,
        #[arg(long)]
        expect_heads: Option<String>,
        #[arg(long, default_value = "tests/data/automerge-paper.json.gz")]
        trace: PathBuf,
        #[arg(long, default_value = "target/bench-cache/paper-concept.automerge")]
        cache: PathBuf,
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
    /// Times the exports of one concept in this process: PDF (typst), ODT XML, Markdown and HTML
    /// text, of the template concept (`--doc small`) or the paper concept (104,852 characters).
    Export {
        #[arg(long, value_enum, default_value_t = Doc::Small)]
        doc: Doc,
        #[arg(long, default_value = "tests/data/automerge-paper.json.gz")]
        trace: PathBuf,
        #[arg(long, default_value = "target/bench-cache/paper-concept.automerge")]
        cache: PathBuf,
        #[arg(long, default_value_t = 5)]
        repeat: usize,
        /// Where to leave the last PDF (for a page count).
        #[arg(long)]
        pdf_out: Option<PathBuf>,
    },
    /// Capacity: `--connections` signed-in sockets over `--docs` template concepts, opened and
    /// then idle; the server's memory per open document and per connection (see `load::idle`).
    Idle {
        #[arg(long)]
        sync: String,
        #[arg(long)]
        http: String,
        #[arg(long)]
        token: String,
        #[arg(long)]
        server_pid: u32,
        #[arg(long, default_value_t = 10_000)]
        connections: usize,
        #[arg(long, default_value_t = 1000)]
        docs: usize,
        /// Seconds every connection stays open and idle before memory is read.
        #[arg(long, default_value_t = 30)]
        hold: u64,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    match Args::parse().command {
        Cmd::Run { url, readers, rate, edits, doc, trace, cache, server_pid, label, reader_ack_ms, reader_url } => {
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
                    reader_url: reader_url.clone(),
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
        Cmd::Hostile { sync, http, writer_token, member_token, server_pid, attack, rate, edits, warmup } => {
            let target = |document| load::attacks::Target {
                sync: sync.clone(),
                http: http.clone(),
                writer_token: writer_token.clone(),
                member_token: member_token.clone(),
                document,
            };
            let url = format!("{sync}?access_token={writer_token}");
            let report = hostile(&url, server_pid, attack, rate, edits, warmup, target).await?;
            println!("{report}");
        }
        Cmd::Comments {
            sync,
            http,
            editor_token,
            commenters,
            threads,
            replies,
            page_rounds,
            listeners,
            fanout_rounds,
            trace,
            cache,
        } => {
            let commenters = std::fs::read_to_string(&commenters)
                .context("commenter tokens")?
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(|l| l.trim().to_owned())
                .collect();
            let (doc, field) = docs::paper_concept(&trace, &cache)?;
            let setup = load::comments::Setup { sync, http, editor_token, commenters };
            let plan =
                load::comments::Plan { threads, replies_per_thread: replies, page_rounds, listeners, fanout_rounds };
            println!("{}", load::comments::run(&setup, doc, field, &plan).await?);
        }
        Cmd::Drafts { sync, http, editor_token, member_token, rounds, trace, cache } => {
            let (doc, field) = docs::paper_concept(&trace, &cache)?;
            let setup = load::drafts::Setup { sync, http, editor_token, member_token, rounds };
            println!("{}", load::drafts::run(&setup, doc, field).await?);
        }
        Cmd::Seed { url, doc: Some(doc), expect_heads: Some(heads), .. } => {
            let id: kompromiss_shared::ids::DocumentId = doc.parse().map_err(|_| anyhow::anyhow!("document id"))?;
            let heads: Vec<automerge::ChangeHash> =
                heads.split(',').map(|h| h.parse()).collect::<Result<_, _>>().context("heads")?;
            let open = load::time_open(&url, id, &heads).await?;
            println!("{}", serde_json::json!({ "doc": doc, "open_ms": open.as_secs_f64() * 1000.0, "heads": "equal" }));
        }
        Cmd::Seed { url, trace, cache, .. } => {
            let (doc, field) = docs::paper_concept(&trace, &cache)?;
            let text = kompromiss_shared::anchor::text_of(&doc, &field).context("the field's text")?;
            let (id, heads) = load::seed(&url, doc, text).await?;
            let heads: Vec<String> = heads.iter().map(ToString::to_string).collect();
            println!("{}", serde_json::json!({ "doc": id.to_string(), "heads": heads.join(",") }));
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
        Cmd::Export { doc, trace, cache, repeat, pdf_out } => {
            let view = match doc {
                Doc::Small => {
                    let template =
                        kompromiss_shared::template::builtin_or_default("social-media-konzept").context("template")?;
                    let mut d = automerge::AutoCommit::new();
                    let mut n = 0;
                    kompromiss_shared::schema::init_from_template(&mut d, &template, || {
                        n += 1;
                        format!("p{n}")
                    })?;
                    kompromiss_shared::schema::read_concept(&d)
                }
                Doc::Paper => kompromiss_shared::schema::read_concept(&docs::paper_concept(&trace, &cache)?.0),
            };
            println!("{}", load::exports::run(&view, repeat, pdf_out.as_deref())?);
        }
        Cmd::Idle { sync, http, token, server_pid, connections, docs, hold } => {
            let ids = load::idle::create_documents(&http, &token, docs).await?;
            let url = format!("{sync}?access_token={token}");
            let report = load::idle::idle(&url, &ids, connections, server_pid, Duration::from_secs(hold)).await?;
            println!("{}", serde_json::to_string(&report)?);
        }
    }
    Ok(())
}

/// One row of the hostile-load table (see `Cmd::Hostile`).
async fn hostile(
    url: &str,
    pid: u32,
    attack: load::attacks::Attack,
    rate: f64,
    edits: usize,
    warmup: u64,
    target: impl FnOnce(kompromiss_shared::ids::DocumentId) -> load::attacks::Target,
) -> anyhow::Result<serde_json::Value> {
    use load::proc::{cpu_seconds, rss_mib};
    let doc = docs::small();
    let text = match doc.get(automerge::ROOT, docs::TEXT)? {
        Some((_, id)) => id,
        None => anyhow::bail!("document has no text"),
    };
    let scenario = Scenario {
        url: url.to_string(),
        reader_url: None,
        readers: 1,
        rate,
        edits,
        server_pid: Some(pid),
        grace: Duration::from_secs(30),
        reader_ack: Some(Duration::from_millis(100)),
    };
    let started = std::sync::Mutex::new(None);
    let started = &started;
    let report = load::run_with(&scenario, doc, text, |id| async move {
        let before = (rss_mib(pid), cpu_seconds(pid), Instant::now());
        let running = load::attacks::start(attack, target(id)).await?;
        tokio::time::sleep(Duration::from_secs(warmup)).await;
        *started.lock().map_err(|_| anyhow::anyhow!("lock"))? = Some((running, before, id));
        Ok(())
    })
    .await?;
    let (running, (rss_before, cpu_before, since), id) =
        started.lock().map_err(|_| anyhow::anyhow!("lock"))?.take().context("the attack never started")?;
    // A newcomer opens the document while the attack still runs.
    let open_started = Instant::now();
    let newcomer = async {
        let mut c = kompromiss_tests::client::SyncClient::connect(url, "neu").await?;
        c.request(id).await?;
        c.wait_until(Duration::from_secs(30), |c| !c.doc(id).get_heads().is_empty()).await
    };
    let open_ms = match newcomer.await {
        Ok(()) => serde_json::json!(open_started.elapsed().as_secs_f64() * 1000.0),
        Err(e) => serde_json::json!(format!("failed: {e:#}")),
    };
    let (rss_after, cpu_after, attack_seconds) = (rss_mib(pid), cpu_seconds(pid), since.elapsed().as_secs_f64());
    let tally = running.stop().await;
    let mib = |r: Option<(f64, f64)>| r.map(|r| r.0);
    Ok(serde_json::json!({
        "label": "hostile",
        "attack": attack,
        "tally": tally,
        "attack_seconds": attack_seconds,
        "server_cpu_seconds": cpu_after.zip(cpu_before).map(|(a, b)| a - b),
        "server_rss_before_mib": mib(rss_before),
        "server_rss_after_mib": mib(rss_after),
        "server_peak_rss_mib": rss_after.map(|r| r.1),
        "newcomer_open_ms": open_ms,
        "report": report,
    }))
}
