//! The metrics file import (`shared::metrics::import::read`): any bytes (UTF-8, UTF-16, Windows
//! codepages, CRLF, broken quoting) give a plan or a list of problems, never a panic, and every
//! line number it reports is a line of the file.

use std::sync::OnceLock;

use kompromiss_shared::metrics::example_csv;
use kompromiss_shared::metrics::import::{self, KnownPlatform};
use kompromiss_shared::template::{MetricDef, builtin_or_default};
use proptest::prelude::*;

use super::mutate;

fn metrics() -> &'static [MetricDef] {
    static METRICS: OnceLock<Vec<MetricDef>> = OnceLock::new();
    METRICS.get_or_init(|| builtin_or_default("social-media-konzept").expect("template").metrics)
}

fn platforms() -> Vec<KnownPlatform> {
    ["Mastodon", "Instagram", "TikTok"]
        .iter()
        .enumerate()
        .map(|(i, name)| KnownPlatform { id: format!("p{i}"), name: (*name).into() })
        .collect()
}

fn seeds() -> Vec<Vec<u8>> {
    let text = example_csv(metrics(), &["Mastodon", "Instagram", "TikTok"], 2026);
    let crlf = text.replace('\n', "\r\n");
    let utf16: Vec<u8> = [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect();
    let latin: Vec<u8> = text.chars().map(|c| if (c as u32) < 256 { c as u8 } else { b'?' }).collect();
    let commas = text.replace(';', ",");
    let quoted = text.replace("Mastodon", "\"Mast;odon\"\"x\"");
    vec![text.into_bytes(), crlf.into_bytes(), utf16, latin, commas.into_bytes(), quoted.into_bytes()]
}

proptest! {
    #![proptest_config(super::config())]

    #[test]
    fn metrics_csv(bytes in mutate::input(seeds(), 2048)) {
        // Line breaks as any editor shows them (LF, CRLF, a lone CR); counted in the raw bytes,
        // which for UTF-16 files is more than there are, never fewer.
        let lone_cr = bytes.windows(2).filter(|w| w[0] == b'\r' && w[1] != b'\n').count();
        let lines = (bytes.iter().filter(|b| **b == b'\n').count() + lone_cr + 2) as u64;
        match import::read(&bytes, metrics(), &platforms()) {
            Ok(plan) => {
                for row in &plan.rows {
                    prop_assert!(row.line >= 2 && row.line <= lines, "row on line {} of {}", row.line, lines);
                }
            }
            Err(rejected) => {
                for problem in &rejected.problems {
                    prop_assert!(problem.line <= lines, "problem on line {} of {}", problem.line, lines);
                }
            }
        }
    }
}
