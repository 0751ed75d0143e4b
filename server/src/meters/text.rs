//! The Prometheus text exposition format (version 0.0.4) of a server's meters and gauges.

use std::fmt::Write;

use super::histogram::BUCKETS;
use super::{Histogram, Labeled, Meters};

/// A value read when scraped, with at most one label.
#[derive(Debug, Clone, PartialEq)]
pub struct Gauge {
    pub name: &'static str,
    pub help: &'static str,
    pub label: Option<(&'static str, &'static str)>,
    pub value: f64,
}

/// The whole exposition: the gauges, then every counter and histogram of `meters`.
pub fn render(meters: &Meters, gauges: &[Gauge]) -> String {
    let mut out = String::with_capacity(8 * 1024);
    let mut last_name = "";
    for gauge in gauges {
        if gauge.name != last_name {
            header(&mut out, gauge.name, gauge.help, "gauge");
            last_name = gauge.name;
        }
        sample(&mut out, gauge.name, gauge.label, gauge.value);
    }
    let counters: [(&str, &str, &str, &Labeled); 6] = [
        ("kompromiss_sync_messages_total", "Sync messages received, by kind.", "kind", &meters.sync_messages),
        ("kompromiss_changes_total", "Document changes stored, by where they came from.", "source", &meters.changes),
        (
            "kompromiss_sync_closed_total",
            "Sync connections the server closed: refusals, limits and protocol errors, by reason.",
            "reason",
            &meters.sync_closed,
        ),
        (
            "kompromiss_sync_slots_refused_total",
            "Sync connections refused for want of a connection slot, by reason.",
            "reason",
            &meters.slots_refused,
        ),
        ("kompromiss_sign_in_failures_total", "Sign-ins that failed, by reason.", "reason", &meters.sign_in_failures),
        (
            "kompromiss_cluster_dropped_total",
            "Notifications between instances dropped, by reason.",
            "reason",
            &meters.cluster_dropped,
        ),
    ];
    for (name, help, label, counter) in counters {
        header(&mut out, name, help, "counter");
        for (value, n) in counter.snapshot() {
            sample(&mut out, name, Some((label, value)), n as f64);
        }
    }
    histogram(
        &mut out,
        "kompromiss_storage_write_seconds",
        "Time to store one batch of changes; every edit waits for it before it is sent on.",
        &meters.storage_writes,
    );
    histogram(
        &mut out,
        "kompromiss_fanout_seconds",
        "Time from a batch's first message to the last peer's frame written.",
        &meters.fanout,
    );
    histogram(
        &mut out,
        "kompromiss_cluster_lag_seconds",
        "Time from another instance storing changes to this one having merged them.",
        &meters.cluster_lag,
    );
    out
}

fn header(out: &mut String, name: &str, help: &str, kind: &str) {
    let _ = writeln!(out, "# HELP {name} {}", help.replace('\\', "\\\\").replace('\n', "\\n"));
    let _ = writeln!(out, "# TYPE {name} {kind}");
}

fn sample(out: &mut String, name: &str, label: Option<(&str, &str)>, value: f64) {
    out.push_str(name);
    if let Some((key, value)) = label {
        let _ = write!(out, "{{{key}=\"{}\"}}", escape(value));
    }
    let _ = writeln!(out, " {}", number(value));
}

fn histogram(out: &mut String, name: &str, help: &str, histogram: &Histogram) {
    header(out, name, help, "histogram");
    let (cumulative, count, sum) = histogram.read();
    for (bound, n) in BUCKETS.iter().map(|b| number(*b)).chain(["+Inf".to_owned()]).zip(cumulative) {
        let _ = writeln!(out, "{name}_bucket{{le=\"{bound}\"}} {n}");
    }
    let _ = writeln!(out, "{name}_sum {}", number(sum));
    let _ = writeln!(out, "{name}_count {count}");
}

/// A label value with backslash, double quote and newline escaped.
pub(super) fn escape(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

/// A sample value: integers without a fraction, others as Rust writes them (Prometheus reads both).
fn number(value: f64) -> String {
    if value.is_nan() {
        "NaN".into()
    } else if value.is_infinite() {
        if value > 0.0 { "+Inf".into() } else { "-Inf".into() }
    } else if value.fract() == 0.0 && value.abs() < 9.0e15 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}
