//! A document version as text: its Automerge heads, hex, joined by commas (URLs, SQL, DTOs).

use automerge::ChangeHash;

/// Most heads one version may name (concurrent writers that have not merged yet); more is not
/// a version anyone saw, and a URL or a column stays short.
pub const MAX_HEADS: usize = 64;

/// The text of a version (heads sorted, so one version has one spelling).
pub fn encode(heads: &[ChangeHash]) -> String {
    let mut hex: Vec<String> = heads.iter().map(|h| h.to_string()).collect();
    hex.sort();
    hex.join(",")
}

/// A version from its text: 1 to `MAX_HEADS` distinct hashes of 64 hex digits (the empty string
/// is the empty document's version). `None` for anything else.
pub fn parse(raw: &str) -> Option<Vec<ChangeHash>> {
    if raw.is_empty() {
        return Some(Vec::new());
    }
    if raw.len() > MAX_HEADS * 65 {
        return None;
    }
    let mut heads = Vec::new();
    for part in raw.split(',') {
        if part.len() != 64 || !part.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let hash: ChangeHash = part.parse().ok()?;
        if heads.contains(&hash) {
            return None;
        }
        heads.push(hash);
    }
    (heads.len() <= MAX_HEADS).then_some(heads)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_version_reads_back_and_anything_else_is_refused() {
        let a = ChangeHash([1; 32]);
        let b = ChangeHash([0xab; 32]);
        let text = encode(&[b, a]);
        assert_eq!(text, format!("{},{}", "01".repeat(32), "ab".repeat(32)));
        let mut back = parse(&text).expect("parses");
        back.sort();
        assert_eq!(back, vec![a, b]);
        assert_eq!(parse(""), Some(vec![]));
        for bad in ["xyz", &"01".repeat(31), &format!("{0},{0}", "01".repeat(32)), &format!("{},", "01".repeat(32))] {
            assert_eq!(parse(bad), None, "{bad}");
        }
        let many: Vec<String> = (0..=MAX_HEADS).map(|i| format!("{i:064x}")).collect();
        assert_eq!(parse(&many.join(",")), None);
    }
}
