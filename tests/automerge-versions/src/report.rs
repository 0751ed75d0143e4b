//! Result records (one JSON object per version and metric) and the Markdown comparison table.

use std::io::Write;

use serde_json::{Map, Value, json};

/// The versions compared, in table order: (module key, crate version).
pub const VERSIONS: [(&str, &str); 3] = [("06", "0.6.1"), ("07", "0.7.4"), ("12", "0.12.0")];

/// Prints records of one version as JSON lines on stdout, as soon as they are measured.
#[derive(Debug)]
pub struct Emitter {
    pub version: &'static str,
}

impl Emitter {
    /// `value` is `None` when the version lacks the feature ("n/a"); `extra` must be a JSON object.
    pub fn emit(&self, metric: &str, value: Option<f64>, unit: &str, extra: Value) {
        let mut rec = Map::new();
        rec.insert("version".into(), json!(self.version));
        rec.insert("metric".into(), json!(metric));
        rec.insert("value".into(), value.map_or(Value::Null, |v| json!(v)));
        rec.insert("unit".into(), json!(unit));
        if let Value::Object(extra) = extra {
            rec.extend(extra);
        }
        let mut out = std::io::stdout().lock();
        // A closed stdout only loses the line; the parent would then report the metric as missing.
        let _ = writeln!(out, "{}", Value::Object(rec));
        let _ = out.flush();
    }
}

/// Table rows: metric, label, whether a ratio against 0.6.1 is meaningful.
const ROWS: &[(&str, &str, bool)] = &[
    ("build_ms", "build: replay 259,778 edits, one commit each (informative)", true),
    ("save_bytes", "save() size", true),
    ("load_median_ms", "load: Automerge::load, median of 5", true),
    ("load_min_ms", "load: min of 5", true),
    ("apply_changes_median_us", "remote keystroke: apply_changes, median", true),
    ("apply_changes_p99_us", "remote keystroke: apply_changes, p99", true),
    ("apply_changes_first_us", "remote keystroke: apply_changes, first after load", true),
    ("load_incremental_median_us", "remote keystroke: load_incremental, median", true),
    ("load_incremental_p99_us", "remote keystroke: load_incremental, p99", true),
    ("sync_apply_median_us", "remote keystroke via sync: receiver's CPU, median", true),
    ("sync_apply_p99_us", "remote keystroke via sync: receiver's CPU, p99", true),
    ("sync_receive_median_us", "  of which receive_sync_message, median", true),
    ("sync_generate_median_us", "  of which generate_sync_message (reply), median", true),
    ("sync_msgs_per_keystroke", "remote keystroke via sync: messages both ways", false),
    ("local_keystroke_median_us", "local keystroke: splice_text + commit, median", true),
    ("full_sync_ms", "fresh peer full sync: total time", true),
    ("full_sync_round_trips", "fresh peer full sync: round trips", false),
    ("full_sync_bytes", "fresh peer full sync: bytes both ways", true),
    ("rss_load_mib", "resident memory of loaded doc (VmRSS growth)", true),
    ("rss_after_read_mib", "VmRSS growth after get_heads + text read", true),
    ("heap_live_mib", "live heap bytes held by the loaded doc (counting allocator)", true),
    ("hwm_load_mib", "peak memory growth during load (VmHWM)", true),
    ("fork_at_median_ms", "fork_at(heads after #26,000), median of 5", true),
    ("diff_median_ms", "diff(h10, h90), median of 3", true),
    ("diff_patches", "diff(h10, h90): patches", false),
    ("text_at_median_ms", "(extra) text_at(h10), median of 5", true),
    ("cursor_create_us", "(extra) get_cursor at h10, median of 5", true),
    ("cursor_resolve_old_us", "(extra) get_cursor_position at h10, median of 5", true),
    ("cursor_resolve_now_us", "(extra) get_cursor_position at current heads, median of 5", true),
    ("loadavg_1min", "(context) 1-min load average at the end of the version's scenarios", false),
];

fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 || v.abs() >= 100.0 {
        format!("{v:.0}")
    } else if v.abs() >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.3}")
    }
}

fn fmt_ratio(r: f64) -> String {
    if r >= 10.0 { format!("{r:.0}×") } else { format!("{r:.2}×") }
}

/// Builds the Markdown table from all records of the run (missing metrics show "—", n/a shows "n/a").
pub fn markdown(records: &[Value]) -> String {
    let find = |version: &str, metric: &str| records.iter().find(|r| r["version"] == version && r["metric"] == metric);
    let mut md = String::from(
        "| metric | unit | 0.6.1 | 0.7.4 | 0.12.0 | 0.7.4 / 0.6.1 | 0.12.0 / 0.6.1 |\n|---|---|--:|--:|--:|--:|--:|\n",
    );
    for &(metric, label, ratio) in ROWS {
        let unit = VERSIONS
            .iter()
            .find_map(|(_, v)| find(v, metric).and_then(|r| r["unit"].as_str()))
            .unwrap_or("")
            .to_owned();
        let values: Vec<Option<&Value>> = VERSIONS.iter().map(|(_, v)| find(v, metric).map(|r| &r["value"])).collect();
        let cell = |v: Option<&Value>| match v {
            None => "—".to_owned(),
            Some(v) => v.as_f64().map_or_else(|| "n/a".to_owned(), fmt_num),
        };
        let base = values[0].and_then(Value::as_f64);
        let ratio_cell = |v: Option<&Value>| match (ratio, base, v.and_then(Value::as_f64)) {
            (true, Some(b), Some(x)) if b > 0.0 => fmt_ratio(x / b),
            _ => String::new(),
        };
        md.push_str(&format!(
            "| {label} | {unit} | {} | {} | {} | {} | {} |\n",
            cell(values[0]),
            cell(values[1]),
            cell(values[2]),
            ratio_cell(values[1]),
            ratio_cell(values[2]),
        ));
    }
    let notes: Vec<String> = records
        .iter()
        .filter_map(|r| {
            Some(format!("- {} `{}`: {}", r["version"].as_str()?, r["metric"].as_str()?, r["note"].as_str()?))
        })
        .collect();
    if !notes.is_empty() {
        md.push_str("\nNotes:\n");
        md.push_str(&notes.join("\n"));
        md.push('\n');
    }
    md
}
