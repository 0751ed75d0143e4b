//! Building links: query-string encoding and the check on where a sign-in may lead back to.

/// Percent-encodes a query-string value (everything but unreserved characters).
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A query string from pairs, leaving out empty values (`""` if none remain, else `?a=b&…`).
pub fn query(pairs: &[(&str, &str)]) -> String {
    let parts: Vec<String> =
        pairs.iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| format!("{k}={}", encode(v))).collect();
    if parts.is_empty() { String::new() } else { format!("?{}", parts.join("&")) }
}

/// Where to go after signing in: a path on this site, or `/`. Refuses `//host` and `/\host`,
/// which browsers treat as another site, so the sign-in cannot be used as an open redirect.
pub fn safe_next(raw: Option<&str>) -> String {
    match raw {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.starts_with("/\\")
                && !path.chars().any(char::is_control) =>
        {
            path.to_owned()
        }
        _ => "/".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_kept_as_the_place_to_return_to() {
        assert_eq!(safe_next(Some("/d/abc?x=1")), "/d/abc?x=1");
        assert_eq!(safe_next(Some("//evil.example/")), "/");
        assert_eq!(safe_next(Some("/\\evil.example/")), "/");
        assert_eq!(safe_next(Some("https://evil.example/")), "/");
        assert_eq!(safe_next(Some("/a\nb")), "/");
        assert_eq!(safe_next(None), "/");
    }

    #[test]
    fn query_values_are_percent_encoded_and_empty_ones_left_out() {
        assert_eq!(encode("/d/a b?x=ü"), "%2Fd%2Fa%20b%3Fx%3D%C3%BC");
        assert_eq!(query(&[("action", ""), ("actor", "Anna B"), ("before", "42")]), "?actor=Anna%20B&before=42");
        assert_eq!(query(&[("action", "")]), "");
    }
}
