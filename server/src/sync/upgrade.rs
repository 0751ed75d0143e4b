//! The WebSocket handshake of `/sync`, done here rather than by axum so that the connection's
//! write half can be shared with document actors (see `outbound`).

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Method, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hyper_util::rt::TokioIo;
use kompromiss_shared::limits::{MAX_FRAME_BYTES, WS_READ_BUFFER_BYTES};
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;
use tokio_tungstenite::tungstenite::protocol::{Role, WebSocketConfig};

use super::inbound::Pending;
use super::outbound::{Outbound, WsIo};

/// How far past the frame limit a message is still read whole, to be refused with a reason.
const CUT_OFF_MARGIN: usize = 64 * 1024;

/// The upgraded connection: the WebSocket (reads and the library's own frames) and the shared
/// outgoing stream its frames and the actors' frames go through.
pub type Socket = WebSocketStream<WsIo<tokio::io::ReadHalf<TokioIo<hyper::upgrade::Upgraded>>>>;

/// Why a request to `/sync` is not a WebSocket handshake we accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Rejection {
    #[error("WebSocket handshakes use GET")]
    Method,
    #[error("not a WebSocket upgrade request")]
    NotUpgrade,
    #[error("only WebSocket version 13 is spoken")]
    Version,
    #[error("this connection cannot be upgraded")]
    NotUpgradable,
}

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        let status = match self {
            Rejection::Method => StatusCode::METHOD_NOT_ALLOWED,
            Rejection::NotUpgrade | Rejection::Version => StatusCode::BAD_REQUEST,
            Rejection::NotUpgradable => StatusCode::UPGRADE_REQUIRED,
        };
        (status, self.to_string()).into_response()
    }
}

/// A checked handshake request, ready to be answered.
pub struct Handshake {
    accept: String,
    on_upgrade: hyper::upgrade::OnUpgrade,
}

impl Handshake {
    /// Checks an HTTP/1.1 upgrade request (RFC 6455, section 4.2.1) and takes its upgrade handle.
    pub fn parse(request: &mut Request<Body>) -> Result<Self, Rejection> {
        if request.method() != Method::GET {
            return Err(Rejection::Method);
        }
        let headers = request.headers();
        if !has_token(headers, header::CONNECTION, "upgrade") || !has_token(headers, header::UPGRADE, "websocket") {
            return Err(Rejection::NotUpgrade);
        }
        if headers.get(header::SEC_WEBSOCKET_VERSION).map(HeaderValue::as_bytes) != Some(b"13") {
            return Err(Rejection::Version);
        }
        let key = headers.get(header::SEC_WEBSOCKET_KEY).ok_or(Rejection::NotUpgrade)?;
        let accept = derive_accept_key(key.as_bytes());
        let on_upgrade =
            request.extensions_mut().remove::<hyper::upgrade::OnUpgrade>().ok_or(Rejection::NotUpgradable)?;
        Ok(Self { accept, on_upgrade })
    }

    /// Answers `101 Switching Protocols` and runs `serve` on the socket once the upgrade is done.
    pub fn accept<F, Fut>(self, pending: Pending, serve: F) -> Response
    where
        F: FnOnce(Socket, Outbound) -> Fut + Send + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let on_upgrade = self.on_upgrade;
        tokio::spawn(async move {
            let upgraded = match on_upgrade.await {
                Ok(upgraded) => upgraded,
                Err(error) => {
                    tracing::debug!(%error, "WebSocket upgrade failed");
                    return;
                }
            };
            let (read, write) = tokio::io::split(TokioIo::new(upgraded));
            let out = Outbound::new(Box::new(write));
            // A small read buffer: see `WS_READ_BUFFER_BYTES`. A message (all its fragments) a
            // little over the frame limit reaches our own check and gets a protocol error; one
            // further over is cut off here.
            let cap = MAX_FRAME_BYTES + CUT_OFF_MARGIN;
            let config = WebSocketConfig::default()
                .read_buffer_size(WS_READ_BUFFER_BYTES)
                .max_message_size(Some(cap))
                .max_frame_size(Some(cap));
            let io = WsIo { read, out: out.clone(), pending };
            let socket = WebSocketStream::from_raw_socket(io, Role::Server, Some(config)).await;
            serve(socket, out).await;
        });
        let mut response = Response::new(Body::empty());
        *response.status_mut() = StatusCode::SWITCHING_PROTOCOLS;
        let headers = response.headers_mut();
        headers.insert(header::CONNECTION, HeaderValue::from_static("upgrade"));
        headers.insert(header::UPGRADE, HeaderValue::from_static("websocket"));
        if let Ok(accept) = HeaderValue::from_str(&self.accept) {
            headers.insert(header::SEC_WEBSOCKET_ACCEPT, accept);
        }
        response
    }
}

/// True when a comma-separated header lists `token` (case-insensitive).
fn has_token(headers: &HeaderMap, name: header::HeaderName, token: &str) -> bool {
    headers
        .get_all(name)
        .iter()
        .flat_map(|v| v.as_bytes().split(|b| *b == b','))
        .any(|t| t.trim_ascii().eq_ignore_ascii_case(token.as_bytes()))
}
