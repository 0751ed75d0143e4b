//! Language switch: a cookie that the pages read; German is the default.

use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use kompromiss_client::i18n::Lang;

/// `GET /sprache/{code}`: remembers the language and goes back to the page the visitor came from.
pub async fn set_lang(Path(code): Path<String>, headers: HeaderMap) -> Response {
    let lang = Lang::from_code(&code);
    let back =
        headers.get(header::REFERER).and_then(|v| v.to_str().ok()).and_then(url_path).unwrap_or_else(|| "/".to_owned());
    let cookie = format!("lang={}; Path=/; SameSite=Lax; Max-Age=31536000", lang.code());
    let mut response = (StatusCode::SEE_OTHER, [(header::LOCATION, back)]).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// The path and query of a same-site URL; never an absolute URL (no open redirect).
fn url_path(referer: &str) -> Option<String> {
    let after_scheme = referer.split_once("://")?.1;
    let path = after_scheme.find('/').map(|i| &after_scheme[i..])?;
    (path.starts_with('/') && !path.starts_with("//")).then(|| path.to_owned())
}

#[cfg(test)]
mod tests {
    use super::url_path;

    #[test]
    fn only_the_path_of_the_referer_is_used() {
        assert_eq!(url_path("http://127.0.0.1:3000/d/abc?x=1").as_deref(), Some("/d/abc?x=1"));
        assert_eq!(url_path("http://evil.example"), None);
        assert_eq!(url_path("http://host//evil.example/x"), None);
    }
}
