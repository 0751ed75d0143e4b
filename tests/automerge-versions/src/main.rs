//! Command line: `all` runs each version in child processes and writes results; `scenarios`/`rss` are the children.

mod alloc;
mod history;
mod live;
mod report;
mod stats;
mod trace;
mod versions;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

#[global_allocator]
static ALLOC: alloc::Counting = alloc::Counting;

/// Fresh processes measuring the resident memory of one loaded document, per version.
const RSS_RUNS: usize = 3;

const USAGE: &str = "usage:
  automerge-versions all --trace TRACE.json.gz --work-dir DIR --out RESULTS.jsonl [--md TABLE.md]
  automerge-versions scenarios --version 06|07|12 --trace TRACE.json.gz --doc SAVED.automerge
  automerge-versions rss --version 06|07|12 --doc SAVED.automerge";

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = args.split_first() else { bail!("{USAGE}") };
    let mut opts = BTreeMap::new();
    for pair in rest.chunks(2) {
        match pair {
            [key, value] if key.starts_with("--") => {
                opts.insert(key.trim_start_matches("--").to_owned(), value.clone())
            }
            _ => bail!("unexpected arguments {pair:?}\n{USAGE}"),
        };
    }
    let opt = |name: &str| opts.get(name).map(PathBuf::from).with_context(|| format!("missing --{name}\n{USAGE}"));
    let version = || opts.get("version").map(String::as_str).with_context(|| format!("missing --version\n{USAGE}"));
    match command.as_str() {
        "all" => all(&opt("trace")?, &opt("work-dir")?, &opt("out")?, opts.get("md").map(Path::new)),
        "scenarios" => {
            let trace = trace::load(&opt("trace")?)?;
            let doc = opt("doc")?;
            match version()? {
                "06" => versions::v06::scenarios(&trace, &doc),
                "07" => versions::v07::scenarios(&trace, &doc),
                "12" => versions::v12::scenarios(&trace, &doc),
                other => bail!("unknown version {other}"),
            }
        }
        "rss" => {
            let doc = opt("doc")?;
            match version()? {
                "06" => versions::v06::rss(&doc),
                "07" => versions::v07::rss(&doc),
                "12" => versions::v12::rss(&doc),
                other => bail!("unknown version {other}"),
            }
        }
        other => bail!("unknown command {other}\n{USAGE}"),
    }
}

/// Runs this binary as a child with `args`; returns its JSON lines, or a note if it failed.
fn child(args: &[&str]) -> Result<(Vec<Value>, Option<String>)> {
    let exe = std::env::current_exe().context("locating this binary")?;
    let mut proc = Command::new(exe).args(args).stdout(Stdio::piped()).spawn().context("spawning child")?;
    let stdout = proc.stdout.take().context("child without stdout")?;
    let mut records = Vec::new();
    for line in BufReader::new(stdout).lines() {
        records.push(serde_json::from_str(&line?).context("child printed a non-JSON line")?);
    }
    let status = proc.wait()?;
    Ok((records, (!status.success()).then(|| format!("child `{}` failed: {status}", args.join(" ")))))
}

/// The median run of each metric over several `rss` children.
fn median_records(runs: Vec<Vec<Value>>) -> Vec<Value> {
    let mut by_metric: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for rec in runs.into_iter().flatten() {
        by_metric.entry(rec["metric"].as_str().unwrap_or_default().to_owned()).or_default().push(rec);
    }
    by_metric
        .into_values()
        .map(|mut recs| {
            recs.sort_by(|a, b| {
                a["value"].as_f64().unwrap_or(f64::NAN).total_cmp(&b["value"].as_f64().unwrap_or(f64::NAN))
            });
            let runs: Vec<Value> = recs.iter().map(|r| r["value"].clone()).collect();
            let mut rec = recs[recs.len() / 2].clone();
            rec["n"] = json!(runs.len());
            rec["runs"] = Value::Array(runs);
            rec
        })
        .collect()
}

fn all(trace: &Path, work_dir: &Path, out: &Path, md: Option<&Path>) -> Result<()> {
    std::fs::create_dir_all(work_dir).with_context(|| format!("creating {}", work_dir.display()))?;
    let trace_arg = trace.to_str().context("trace path is not UTF-8")?;
    let mut records: Vec<Value> = Vec::new();
    let mut stdout = std::io::stdout().lock();
    for (key, version) in report::VERSIONS {
        let doc = work_dir.join(format!("paper-{key}.automerge"));
        let doc_arg = doc.to_str().context("work dir is not UTF-8")?;
        let (mut recs, failed) = child(&["scenarios", "--version", key, "--trace", trace_arg, "--doc", doc_arg])?;
        if let Some(note) = failed {
            recs.push(json!({ "version": version, "metric": "error", "value": null, "unit": "", "note": note }));
        }
        let mut rss_runs = Vec::new();
        for _ in 0..RSS_RUNS {
            eprintln!("[{version}] rss");
            let (recs, failed) = child(&["rss", "--version", key, "--doc", doc_arg])?;
            if let Some(note) = failed {
                records.push(json!({ "version": version, "metric": "error", "value": null, "unit": "", "note": note }));
            }
            rss_runs.push(recs);
        }
        recs.extend(median_records(rss_runs));
        for rec in &recs {
            writeln!(stdout, "{rec}")?;
        }
        records.extend(recs);
    }
    let jsonl: String = records.iter().map(|r| format!("{r}\n")).collect();
    std::fs::write(out, jsonl).with_context(|| format!("writing {}", out.display()))?;
    let table = report::markdown(&records);
    match md {
        Some(md) => std::fs::write(md, &table).with_context(|| format!("writing {}", md.display()))?,
        None => eprintln!("\n{table}"),
    }
    Ok(())
}
