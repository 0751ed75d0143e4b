//! Explicit limits the server enforces and the client respects.

/// Largest WebSocket frame (one protocol message) the server accepts, in bytes.
pub const MAX_FRAME_BYTES: usize = 4 * 1024 * 1024;

/// Largest saved document the server keeps, in bytes; changes that would grow past it are refused.
pub const MAX_DOCUMENT_BYTES: usize = 16 * 1024 * 1024;

/// Most operations a document may hold once decoded (about 250 pages of text typed once); the
/// server checks a message's decoded size before decoding it (configurable; this is the default).
pub const MAX_DOCUMENT_OPS: u64 = 500_000;

/// Most bytes the compressed parts of one sync message may inflate to.
pub const MAX_INFLATED_BYTES: usize = 32 * 1024 * 1024;

/// Largest ephemeral (presence) payload relayed, in bytes.
pub const MAX_EPHEMERAL_BYTES: usize = 16 * 1024;

/// Most open sync connections the server holds at once (configurable; this is the default).
pub const DEFAULT_MAX_CONNECTIONS: usize = 2048;

/// Most documents one connection may have open at once.
pub const MAX_DOCS_PER_CONNECTION: usize = 256;

/// Bytes a WebSocket endpoint reads from its socket at most per read call. Small on purpose:
/// tungstenite zeroes its whole read buffer before every read (128 KiB by default), which cost a
/// tenth of the server's CPU under fan-out; a larger message just takes more reads.
pub const WS_READ_BUFFER_BYTES: usize = 8 * 1024;
