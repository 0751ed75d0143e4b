//! Links: query-string encoding, and where a sign-in may lead back to (one rule for the sign-in page and the server).

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

/// A path on this site to return to after signing in, or `/`. Refuses `//host` and paths with a
/// backslash (browsers treat `/\host` as another site), control characters, and `/auth/…`
/// (a sign-in must not lead into another sign-in step), so sign-in is no open redirect.
pub fn return_path(raw: Option<&str>) -> String {
    match raw {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.contains('\\')
                && !path.chars().any(char::is_control)
                && !path.starts_with("/auth/") =>
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
        assert_eq!(return_path(Some("/d/abc")), "/d/abc");
        assert_eq!(return_path(Some("/d/abc?x=1")), "/d/abc?x=1");
        assert_eq!(return_path(Some("//evil.example")), "/");
        assert_eq!(return_path(Some("//evil.example/")), "/");
        assert_eq!(return_path(Some("https://evil.example")), "/");
        assert_eq!(return_path(Some("https://evil.example/")), "/");
        assert_eq!(return_path(Some("/\\evil")), "/");
        assert_eq!(return_path(Some("/\\evil.example/")), "/");
        assert_eq!(return_path(Some("/a\nb")), "/");
        assert_eq!(return_path(Some("/auth/login")), "/");
        assert_eq!(return_path(None), "/");
    }

    #[test]
    fn query_values_are_percent_encoded_and_empty_ones_left_out() {
        assert_eq!(encode("/d/a b?x=ü"), "%2Fd%2Fa%20b%3Fx%3D%C3%BC");
        assert_eq!(query(&[("action", ""), ("actor", "Anna B"), ("before", "42")]), "?actor=Anna%20B&before=42");
        assert_eq!(query(&[("action", "")]), "");
    }
}
