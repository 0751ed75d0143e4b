//! Security headers on every response: a Content-Security-Policy whose scripts need this
//! response's nonce, no framing, no sniffing, same-origin referrers, HSTS behind https.

use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::state::AppState;

/// The nonce of one response: the page's scripts carry it, the policy names it.
#[derive(Debug, Clone)]
pub struct CspNonce(pub String);

impl CspNonce {
    /// 128 random bits, as hex (hex digits are valid in a CSP nonce).
    fn fresh() -> Self {
        Self(format!("{:032x}", rand::random::<u128>()))
    }
}

/// The policy for a response with `nonce`. Scripts: our own files and inline scripts with the
/// nonce (the hydration script), plus WebAssembly compilation; no `unsafe-inline` for scripts.
/// Styles may be inline (the components set style attributes). Sync runs on the same origin.
pub fn policy(nonce: &CspNonce) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{}' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'",
        nonce.0
    )
}

/// Adds the headers; the nonce goes into the request's extensions for the page renderer.
pub async fn add(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let nonce = CspNonce::fresh();
    request.extensions_mut().insert(nonce.clone());
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&policy(&nonce)) {
        headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    if state.config.secure_cookies {
        headers.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000"));
    }
    response
}
