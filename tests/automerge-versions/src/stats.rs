//! Small measuring helpers: timing, order statistics, a seeded PRNG and /proc/self/status reads.

use std::time::{Duration, Instant};

use anyhow::{Context, Result};

/// Runs `f` and returns its result with the time it took.
pub fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let out = f();
    (out, start.elapsed())
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

pub fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

/// Median, minimum and 99th percentile (nearest rank) of a non-empty sample.
#[derive(Debug, Clone, Copy)]
pub struct Summary {
    pub median: f64,
    pub min: f64,
    pub p99: f64,
    pub n: usize,
}

pub fn summary(sample: &[f64]) -> Summary {
    let mut s = sample.to_vec();
    s.sort_by(f64::total_cmp);
    let n = s.len();
    if n == 0 {
        return Summary { median: f64::NAN, min: f64::NAN, p99: f64::NAN, n };
    }
    let median = if n % 2 == 1 { s[n / 2] } else { (s[n / 2 - 1] + s[n / 2]) / 2.0 };
    let rank = (n * 99).div_ceil(100).max(1);
    Summary { median, min: s[0], p99: s[rank - 1], n }
}

/// SplitMix64: a fixed-seed generator so every version gets the same keystrokes.
#[derive(Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..bound` (`bound` > 0); the modulo bias is irrelevant here.
    pub fn below(&mut self, bound: usize) -> usize {
        (self.next_u64() % bound as u64) as usize
    }
}

/// VmRSS and VmHWM of this process, in KiB.
#[derive(Debug, Clone, Copy)]
pub struct Mem {
    pub rss_kib: u64,
    pub hwm_kib: u64,
}

pub fn mem() -> Result<Mem> {
    let status = std::fs::read_to_string("/proc/self/status").context("reading /proc/self/status")?;
    let field = |name: &str| -> Result<u64> {
        let line = status.lines().find(|l| l.starts_with(name)).with_context(|| format!("no {name}"))?;
        let kib = line[name.len()..].trim().trim_end_matches("kB").trim();
        kib.parse().with_context(|| format!("parsing {line}"))
    };
    Ok(Mem { rss_kib: field("VmRSS:")?, hwm_kib: field("VmHWM:")? })
}

pub fn mib(kib: i64) -> f64 {
    kib as f64 / 1024.0
}

/// The 1-minute load average: other work on the machine during a measurement shows up here.
pub fn loadavg() -> Result<f64> {
    let text = std::fs::read_to_string("/proc/loadavg").context("reading /proc/loadavg")?;
    text.split_whitespace().next().context("empty /proc/loadavg")?.parse().context("parsing /proc/loadavg")
}
