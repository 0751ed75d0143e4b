//! A strict reader of the Prometheus text exposition format (0.0.4), for checking `/metrics`:
//! grammar, one TYPE per family before its samples, contiguous families, consistent histograms.

use std::collections::{BTreeMap, HashMap};

use anyhow::{anyhow, bail, ensure};

/// One sample line.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    pub name: String,
    pub labels: BTreeMap<String, String>,
    pub value: f64,
}

/// A parsed exposition: each family's type and samples.
#[derive(Debug, Default)]
pub struct Scrape {
    pub types: HashMap<String, String>,
    pub samples: Vec<Sample>,
}

impl Scrape {
    /// The value of the sample with this name and exactly these labels.
    pub fn value(&self, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
        let wanted: BTreeMap<String, String> = labels.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        self.samples.iter().find(|s| s.name == name && s.labels == wanted).map(|s| s.value)
    }

    /// The sum over every sample of this name (all label values).
    pub fn sum(&self, name: &str) -> f64 {
        self.samples.iter().filter(|s| s.name == name).map(|s| s.value).sum()
    }
}

fn is_name(s: &str, colon: bool) -> bool {
    let mut chars = s.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || (colon && c == ':'));
    first_ok && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || (colon && c == ':'))
}

fn parse_value(s: &str) -> anyhow::Result<f64> {
    match s {
        "NaN" => Ok(f64::NAN),
        "+Inf" | "Inf" => Ok(f64::INFINITY),
        "-Inf" => Ok(f64::NEG_INFINITY),
        _ => s.parse::<f64>().map_err(|_| anyhow!("not a value: {s:?}")),
    }
}

/// The family a sample belongs to: histograms' `_bucket`, `_sum`, `_count` lines belong to theirs.
fn family_of<'a>(name: &'a str, types: &HashMap<String, String>) -> &'a str {
    for suffix in ["_bucket", "_sum", "_count"] {
        if let Some(base) = name.strip_suffix(suffix)
            && types.get(base).is_some_and(|t| t == "histogram" || t == "summary")
        {
            return base;
        }
    }
    name
}

fn parse_sample(line: &str) -> anyhow::Result<Sample> {
    let name_end = line.find(['{', ' ']).ok_or_else(|| anyhow!("no value: {line:?}"))?;
    let name = &line[..name_end];
    ensure!(is_name(name, true), "bad metric name {name:?}");
    let mut rest = &line[name_end..];
    let mut labels = BTreeMap::new();
    if let Some(after) = rest.strip_prefix('{') {
        let mut chars = after.char_indices().peekable();
        let end;
        loop {
            // label name
            let start = match chars.peek() {
                Some((_, '}')) => {
                    end = chars.next().map(|(i, _)| i);
                    break;
                }
                Some((i, _)) => *i,
                None => bail!("unterminated labels: {line:?}"),
            };
            let eq = after[start..].find('=').ok_or_else(|| anyhow!("label without '=': {line:?}"))? + start;
            let key = &after[start..eq];
            ensure!(is_name(key, false), "bad label name {key:?}");
            while chars.peek().is_some_and(|(i, _)| *i <= eq) {
                chars.next();
            }
            ensure!(chars.next().map(|(_, c)| c) == Some('"'), "label value not quoted: {line:?}");
            let mut value = String::new();
            loop {
                match chars.next() {
                    Some((_, '\\')) => match chars.next() {
                        Some((_, '\\')) => value.push('\\'),
                        Some((_, '"')) => value.push('"'),
                        Some((_, 'n')) => value.push('\n'),
                        other => bail!("bad escape {other:?} in {line:?}"),
                    },
                    Some((_, '"')) => break,
                    Some((_, '\n')) | None => bail!("unterminated label value: {line:?}"),
                    Some((_, c)) => value.push(c),
                }
            }
            ensure!(labels.insert(key.to_owned(), value).is_none(), "label {key} twice: {line:?}");
            match chars.next() {
                Some((_, ',')) => {}
                Some((i, '}')) => {
                    end = Some(i);
                    break;
                }
                other => bail!("expected ',' or '}}', got {other:?}: {line:?}"),
            }
        }
        let end = end.ok_or_else(|| anyhow!("unterminated labels: {line:?}"))?;
        rest = &after[end + 1..];
    }
    let mut fields = rest.split(' ').filter(|f| !f.is_empty());
    let value = parse_value(fields.next().ok_or_else(|| anyhow!("no value: {line:?}"))?)?;
    if let Some(timestamp) = fields.next() {
        timestamp.parse::<i64>().map_err(|_| anyhow!("bad timestamp in {line:?}"))?;
    }
    ensure!(fields.next().is_none(), "trailing text: {line:?}");
    ensure!(rest.starts_with(' '), "no space before the value: {line:?}");
    Ok(Sample { name: name.to_owned(), labels, value })
}

/// Parses and checks a whole exposition.
pub fn parse(text: &str) -> anyhow::Result<Scrape> {
    ensure!(text.is_empty() || text.ends_with('\n'), "the exposition must end with a newline");
    let mut scrape = Scrape::default();
    let mut finished: Vec<String> = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        if line.is_empty() {
            continue;
        }
        if let Some(comment) = line.strip_prefix('#') {
            let mut words = comment.trim_start().splitn(3, ' ');
            match (words.next(), words.next(), words.next()) {
                (Some("TYPE"), Some(name), Some(kind)) => {
                    ensure!(is_name(name, true), "bad name in TYPE: {name:?}");
                    ensure!(
                        ["counter", "gauge", "histogram", "summary", "untyped"].contains(&kind),
                        "unknown type {kind:?}"
                    );
                    ensure!(!scrape.types.contains_key(name), "TYPE of {name} given twice");
                    ensure!(
                        !scrape.samples.iter().any(|s| family_of(&s.name, &scrape.types) == name),
                        "TYPE of {name} after its samples"
                    );
                    scrape.types.insert(name.to_owned(), kind.to_owned());
                }
                (Some("HELP"), Some(name), _) => ensure!(is_name(name, true), "bad name in HELP: {name:?}"),
                _ => {}
            }
            continue;
        }
        let sample = parse_sample(line)?;
        let family = family_of(&sample.name, &scrape.types).to_owned();
        if current.as_deref() != Some(family.as_str()) {
            ensure!(!finished.contains(&family), "samples of {family} are not together");
            if let Some(previous) = current.take() {
                finished.push(previous);
            }
            current = Some(family);
        }
        scrape.samples.push(sample);
    }
    check_histograms(&scrape)?;
    Ok(scrape)
}

fn check_histograms(scrape: &Scrape) -> anyhow::Result<()> {
    for (name, _) in scrape.types.iter().filter(|(_, kind)| *kind == "histogram") {
        let bucket = format!("{name}_bucket");
        let mut buckets: Vec<(f64, f64)> = Vec::new();
        for s in scrape.samples.iter().filter(|s| s.name == bucket) {
            let le = s.labels.get("le").ok_or_else(|| anyhow!("{bucket} without le"))?;
            buckets.push((parse_value(le)?, s.value));
        }
        ensure!(buckets.last().is_some_and(|(le, _)| le.is_infinite()), "{name} has no +Inf bucket last");
        ensure!(buckets.windows(2).all(|w| w[0].0 < w[1].0 && w[0].1 <= w[1].1), "{name}'s buckets are not cumulative");
        let count = scrape.value(&format!("{name}_count"), &[]).ok_or_else(|| anyhow!("{name}_count missing"))?;
        ensure!(scrape.value(&format!("{name}_sum"), &[]).is_some(), "{name}_sum missing");
        ensure!(buckets.last().map(|b| b.1) == Some(count), "{name}: +Inf bucket differs from the count");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_valid_exposition_is_read_and_broken_ones_are_refused() {
        let ok = "# HELP a_total A.\n# TYPE a_total counter\na_total{k=\"x\\\"y\"} 3\na_total{k=\"z\",} 1 1700000000\n\
                  # TYPE h histogram\nh_bucket{le=\"0.5\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum 0.7\nh_count 2\n";
        let scrape = parse(ok).expect("valid");
        assert_eq!(scrape.value("a_total", &[("k", "x\"y")]), Some(3.0));
        assert_eq!(scrape.sum("a_total"), 4.0);
        for broken in [
            "a 1",                                                                                     // no final newline
            "a{k=x} 1\n",                                                                              // unquoted
            "1a 1\n",                                                                                  // bad name
            "a one\n",                                                                                 // bad value
            "# TYPE a counter\n# TYPE a counter\na 1\n",                                               // two TYPE lines
            "a 1\n# TYPE a counter\n", // TYPE after samples
            "a 1\nb 1\na 2\n",         // family split
            "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n", // falls
            "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n", // no +Inf
        ] {
            assert!(parse(broken).is_err(), "accepted {broken:?}");
        }
    }
}
