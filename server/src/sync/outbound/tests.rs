//! Tests of the shared outgoing stream: framing, order, the backlog and its bound.

use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use tokio::io::DuplexStream;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::Role;

use super::*;

/// An outbound stream into an in-memory pipe of `capacity` bytes, and a WebSocket client reading it.
async fn pipe(capacity: usize) -> (Outbound, WebSocketStream<DuplexStream>) {
    let (server, client) = tokio::io::duplex(capacity);
    let out = Outbound::new(Box::new(server));
    (out, WebSocketStream::from_raw_socket(client, Role::Client, None).await)
}

async fn next_binary(client: &mut WebSocketStream<DuplexStream>) -> Vec<u8> {
    match client.next().await {
        Some(Ok(Message::Binary(b))) => b.to_vec(),
        other => panic!("expected a binary frame, got {other:?}"),
    }
}

/// Queues `count` frames of a one-byte head and a 100-byte shared body into a 64-byte pipe, so
/// that most of them wait in the backlog.
async fn full_pipe(count: u8) -> (Outbound, WebSocketStream<DuplexStream>) {
    let (out, client) = pipe(64).await;
    for i in 0..count {
        out.binary(&[i], Some(payload(100, i).into())).expect("taken");
    }
    (out, client)
}

/// Reads the frames `full_pipe` queued, each within five seconds, in order.
async fn expect_queued_frames(client: &mut WebSocketStream<DuplexStream>, count: u8) {
    for i in 0..count {
        let mut want = vec![i];
        want.extend(payload(100, i));
        let got = tokio::time::timeout(Duration::from_secs(5), next_binary(client)).await;
        assert_eq!(got.unwrap_or_else(|_| panic!("frame {i} did not arrive")), want, "frame {i}");
    }
}

fn payload(len: usize, seed: u8) -> Vec<u8> {
    (0..len).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed)).collect()
}

#[tokio::test]
async fn frames_of_every_length_class_arrive_whole_and_in_order() {
    let (out, mut client) = pipe(1 << 20).await;
    let lengths = [0usize, 1, 125, 126, 65_535, 65_536, 200_000];
    for (i, len) in lengths.iter().enumerate() {
        let body: Arc<[u8]> = payload(*len, i as u8).into();
        // Split anywhere between the per-peer head and the shared body.
        let cut = len / 3;
        out.binary(&body[..cut], Some(body[cut..].into())).expect("taken");
    }
    let drainer = {
        let out = out.clone();
        tokio::spawn(async move {
            loop {
                if out.drain().await.is_err() {
                    break;
                }
            }
        })
    };
    for (i, len) in lengths.iter().enumerate() {
        assert_eq!(next_binary(&mut client).await, payload(*len, i as u8), "frame {i} ({len} bytes)");
    }
    drainer.abort();
}

#[tokio::test]
async fn a_full_socket_queues_frames_and_the_drain_delivers_them_in_order() {
    let (out, mut client) = full_pipe(50).await;
    assert!(out.lock().backlog.len() > 40, "the socket took only what fits");
    let drainer = {
        let out = out.clone();
        // One drain writes everything queued, waiting for the reader as it goes.
        tokio::spawn(async move { out.drain().await.expect("drains") })
    };
    expect_queued_frames(&mut client, 50).await;
    drainer.await.expect("drainer");
    let inner = out.lock();
    assert!(inner.backlog.is_empty() && inner.backlog_bytes == 0, "all written");
}

#[tokio::test]
async fn a_peer_that_never_reads_is_cut_off_at_the_backlog_bound_and_the_drain_reports_it() {
    let (out, _client) = pipe(1024).await;
    let body: Arc<[u8]> = payload(64, 1).into();
    let mut taken = 0;
    let refused = loop {
        match out.binary(b"h", Some(body.clone())) {
            Ok(()) => taken += 1,
            Err(e) => break e,
        }
        assert!(taken <= BACKLOG_FRAMES + 100, "the backlog is bounded");
    };
    assert_eq!(refused, SendError::Backlog);
    assert!(taken >= BACKLOG_FRAMES, "a backlog of {BACKLOG_FRAMES} frames is allowed, took {taken}");
    assert_eq!(out.binary(b"h", None), Err(SendError::Closed), "nothing more after the cut");
    assert!(out.drain().await.is_err(), "the connection's task learns that it is over");
}

#[tokio::test]
async fn the_backlog_bound_counts_bytes_too() {
    let (out, _client) = pipe(16).await;
    // Half the bound less room for the frame headers.
    let big: Arc<[u8]> = vec![7u8; BACKLOG_BYTES / 2 - 64].into();
    out.binary(b"", Some(big.clone())).expect("first is taken");
    out.binary(b"", Some(big.clone())).expect("second fits within the bound");
    assert_eq!(out.binary(b"", Some(big)), Err(SendError::Backlog));
}

#[tokio::test]
async fn the_websocket_librarys_own_frames_join_the_same_ordered_stream() {
    use futures::SinkExt;
    let (server, client) = tokio::io::duplex(1 << 16);
    let (read, write) = tokio::io::split(server);
    let out = Outbound::new(Box::new(write));
    let mut ws = WebSocketStream::from_raw_socket(
        WsIo { read, out: out.clone(), pending: crate::sync::inbound::InboundBudget::new(1 << 20).account() },
        Role::Server,
        None,
    )
    .await;
    let mut client = WebSocketStream::from_raw_socket(client, Role::Client, None).await;
    out.binary(b"first", None).expect("taken");
    ws.send(Message::Binary(b"second".to_vec().into())).await.expect("library send");
    out.binary(b"third", None).expect("taken");
    for want in ["first", "second", "third"] {
        assert_eq!(next_binary(&mut client).await, want.as_bytes());
    }
}

#[tokio::test]
async fn after_close_nothing_more_is_taken() {
    let (out, mut client) = pipe(1 << 16).await;
    out.binary(b"last words", None).expect("taken");
    out.close();
    assert_eq!(out.binary(b"too late", None), Err(SendError::Closed));
    assert_eq!(next_binary(&mut client).await, b"last words");
}

#[tokio::test]
async fn a_drain_cancelled_while_the_socket_is_full_is_taken_up_by_the_next_one() {
    // The connection's `select!` drops a pending drain whenever another branch fires first; the
    // next drain must still write what is queued, without waiting for a new frame to be pushed.
    let (out, mut client) = full_pipe(10).await;
    let cancelled = tokio::time::timeout(Duration::from_millis(20), out.drain()).await;
    assert!(cancelled.is_err(), "the socket is full, so the first drain is still pending when dropped");
    let drainer = {
        let out = out.clone();
        tokio::spawn(async move { out.drain().await.expect("drains") })
    };
    // Nothing more is pushed: the new drain alone must deliver them.
    expect_queued_frames(&mut client, 10).await;
    drainer.await.expect("drainer");
}
