//! A connection's outgoing bytes, shared by its task and the document actors: a frame goes straight
//! into the socket when the socket has room, and waits in a bounded backlog when it has not.
//!
//! Why not a queue per connection drained by the connection's task: a keystroke fanned out to a
//! hundred readers then woke a hundred tasks, each polling its whole `select!` to write one frame.
//! Writing from the actor costs one system call per reader and wakes nobody on the server
//! (measured in docs/benchmarks.md, session 9).

use std::collections::VecDeque;
use std::io::{self, IoSlice};
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::Notify;

use super::inbound::Pending;

/// The write half of a connection's socket.
pub type RawWrite = Box<dyn AsyncWrite + Send + Unpin>;

/// Bytes a peer may fall behind before it counts as too slow and is disconnected. Bodies shared
/// between peers count in full, so this bounds what one peer can pin, not only what it copies.
pub const BACKLOG_BYTES: usize = 64 << 20;
/// Frames a peer may fall behind before it counts as too slow.
pub const BACKLOG_FRAMES: usize = 4096;

/// Why a frame was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    #[error("the peer fell too far behind")]
    Backlog,
    #[error("the socket is closed")]
    Closed,
}

/// One frame, or what is left of it: a head of its own and a body shared with other peers.
struct Piece {
    head: Vec<u8>,
    body: Option<Arc<[u8]>>,
    /// Bytes of head and body already in the socket.
    sent: usize,
}

impl Piece {
    fn len(&self) -> usize {
        self.head.len() + self.body.as_ref().map_or(0, |b| b.len())
    }

    fn unsent(&self) -> [&[u8]; 2] {
        let body = self.body.as_deref().unwrap_or_default();
        match self.sent.checked_sub(self.head.len()) {
            None => [&self.head[self.sent..], body],
            Some(into_body) => [&[], &body[into_body..]],
        }
    }

    /// Writes as much as the socket takes: `Ready(Ok(()))` once the piece is all out.
    fn write(&mut self, io: &mut RawWrite, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while self.sent < self.len() {
            let [head, body] = self.unsent();
            let written = if head.is_empty() {
                Pin::new(&mut *io).poll_write(cx, body)
            } else {
                Pin::new(&mut *io).poll_write_vectored(cx, &[IoSlice::new(head), IoSlice::new(body)])
            };
            match written {
                Poll::Ready(Ok(0)) => return Poll::Ready(Err(io::ErrorKind::WriteZero.into())),
                Poll::Ready(Ok(n)) => self.sent += n,
                Poll::Ready(Err(error)) => return Poll::Ready(Err(error)),
                Poll::Pending => return Poll::Pending,
            }
        }
        Poll::Ready(Ok(()))
    }
}

struct Inner {
    io: RawWrite,
    /// Frames taken but not yet (fully) in the socket, oldest first.
    backlog: VecDeque<Piece>,
    /// Unsent bytes in `backlog`.
    backlog_bytes: usize,
    /// The socket failed, the peer fell too far behind, or the connection said goodbye
    /// (`close`): nothing more is taken.
    failed: bool,
}

/// Cloneable handle to a connection's outgoing bytes. Frames from all handles keep their order.
#[derive(Clone)]
pub struct Outbound {
    inner: Arc<Mutex<Inner>>,
    /// Tells the connection's task that the backlog is no longer empty (or the socket failed).
    backlog_waiting: Arc<Notify>,
}

impl std::fmt::Debug for Outbound {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Outbound").finish_non_exhaustive()
    }
}

impl Outbound {
    /// Wraps a socket's write half.
    pub fn new(io: RawWrite) -> Self {
        let inner = Inner { io, backlog: VecDeque::new(), backlog_bytes: 0, failed: false };
        Self { inner: Arc::new(Mutex::new(inner)), backlog_waiting: Arc::new(Notify::new()) }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // Every critical section leaves `Inner` consistent, so a panic elsewhere cannot tear it.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Sends one WebSocket binary frame whose payload is `head` followed by `body`. Never waits:
    /// what the socket does not take now is queued for the connection's task to write.
    pub fn binary(&self, head: &[u8], body: Option<Arc<[u8]>>) -> Result<(), SendError> {
        let len = head.len() + body.as_ref().map_or(0, |b| b.len());
        let mut frame = Vec::with_capacity(10 + head.len());
        frame_header(&mut frame, len);
        frame.extend_from_slice(head);
        self.push(Piece { head: frame, body, sent: 0 })
    }

    /// Sends bytes that already are whole WebSocket frames (the WebSocket library's own).
    fn raw(&self, bytes: &[u8]) -> Result<(), SendError> {
        self.push(Piece { head: bytes.to_vec(), body: None, sent: 0 })
    }

    fn push(&self, mut piece: Piece) -> Result<(), SendError> {
        let mut inner = self.lock();
        if inner.failed {
            return Err(SendError::Closed);
        }
        if inner.backlog.is_empty() {
            // Nobody waits on the socket while the backlog is empty, so a waker that does nothing
            // displaces none; if the socket is full, the connection's task is told below.
            let mut cx = Context::from_waker(Waker::noop());
            match piece.write(&mut inner.io, &mut cx) {
                Poll::Ready(Ok(())) => return Ok(()),
                Poll::Ready(Err(_)) => {
                    inner.failed = true;
                    self.backlog_waiting.notify_one();
                    return Err(SendError::Closed);
                }
                Poll::Pending => {}
            }
        } else if inner.backlog.len() >= BACKLOG_FRAMES || inner.backlog_bytes + piece.len() > BACKLOG_BYTES {
            inner.failed = true;
            self.backlog_waiting.notify_one();
            return Err(SendError::Backlog);
        }
        inner.backlog_bytes += piece.len() - piece.sent;
        inner.backlog.push_back(piece);
        self.backlog_waiting.notify_one();
        Ok(())
    }

    /// Waits until frames are queued, then writes them out. An error means the connection is over:
    /// the socket failed or the peer fell too far behind.
    ///
    /// Cancel-safe: the connection's `select!` drops a pending drain whenever another branch
    /// fires; the next drain finds the backlog itself instead of waiting for the next frame's
    /// wake-up, which the dropped one may have taken.
    pub async fn drain(&self) -> io::Result<()> {
        if !self.has_work() {
            // A frame pushed after the check leaves a permit, so this cannot miss it.
            self.backlog_waiting.notified().await;
        }
        std::future::poll_fn(|cx| self.poll_drain(cx)).await
    }

    fn has_work(&self) -> bool {
        let inner = self.lock();
        inner.failed || !inner.backlog.is_empty()
    }

    /// Writes what is queued, within `limit` (the connection's goodbye).
    pub async fn drain_within(&self, limit: std::time::Duration) {
        let _ = tokio::time::timeout(limit, std::future::poll_fn(|cx| self.poll_drain(cx))).await;
    }

    /// Takes nothing more: after the connection's goodbye, frames still in flight from actors
    /// are refused (and their senders forget the peer) rather than sent after the close frame.
    pub fn close(&self) {
        self.lock().failed = true;
    }

    fn poll_drain(&self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let mut guard = self.lock();
        let inner = &mut *guard;
        if inner.failed {
            return Poll::Ready(Err(io::ErrorKind::BrokenPipe.into()));
        }
        while let Some(piece) = inner.backlog.front_mut() {
            let before = piece.sent;
            let written = piece.write(&mut inner.io, cx);
            inner.backlog_bytes -= piece.sent - before;
            match written {
                Poll::Ready(Ok(())) => {
                    inner.backlog.pop_front();
                }
                Poll::Ready(Err(error)) => {
                    inner.failed = true;
                    return Poll::Ready(Err(error));
                }
                Poll::Pending => return Poll::Pending,
            }
        }
        Poll::Ready(Ok(()))
    }
}

/// The header of an unmasked, final binary frame (server to client) with a payload of `len` bytes.
fn frame_header(out: &mut Vec<u8>, len: usize) {
    out.push(0x82);
    match len {
        0..=125 => out.push(len as u8),
        126..=0xffff => {
            out.push(126);
            out.extend_from_slice(&(len as u16).to_be_bytes());
        }
        _ => {
            out.push(127);
            out.extend_from_slice(&(len as u64).to_be_bytes());
        }
    }
}

/// The socket as the WebSocket library sees it: reads from the read half; its writes (control
/// frames, the connection's own messages) join the same ordered stream as the actors' frames.
pub struct WsIo<R> {
    pub read: R,
    pub out: Outbound,
    /// Bytes read that are not yet a complete message, counted against the server's budget.
    pub pending: Pending,
}

impl<R: AsyncRead + Unpin> AsyncRead for WsIo<R> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.read).poll_read(cx, buf);
        if let Poll::Ready(Ok(())) = &polled
            && let Err(over) = self.pending.add(buf.filled().len() - before)
        {
            return Poll::Ready(Err(io::Error::other(over)));
        }
        polled
    }
}

impl<R: Unpin> AsyncWrite for WsIo<R> {
    fn poll_write(self: Pin<&mut Self>, _cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        // Always takes the whole buffer, so a frame is never split by frames from elsewhere.
        Poll::Ready(match self.out.raw(buf) {
            Ok(()) => Ok(buf.len()),
            Err(_) => Err(io::ErrorKind::BrokenPipe.into()),
        })
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        // The connection's task drains the backlog; the library need not wait for it.
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.out.poll_drain(cx)
    }
}

#[cfg(test)]
mod tests;
