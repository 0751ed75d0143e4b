//! The machine's floor for a fan-out: a raw TCP relay and clients that only read, no WebSocket,
//! no Automerge. Run in the same benchmark as the real servers, it shows how much of a latency is
//! the machine (loopback TCP, scheduling on shared cores) and how much is the server's own work.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Bytes per relayed message: about one keystroke's sync frame with its envelope.
pub const MESSAGE_BYTES: usize = 256;

/// The relay: the first connection writes, the next `readers` connections read. Every message
/// from the writer goes to every reader at once, written straight into each socket in turn.
pub async fn serve(listener: TcpListener, readers: usize) -> anyhow::Result<()> {
    let (mut writer, _) = listener.accept().await?;
    writer.set_nodelay(true)?;
    let mut sockets = Vec::with_capacity(readers);
    for _ in 0..readers {
        let (socket, _) = listener.accept().await?;
        socket.set_nodelay(true)?;
        sockets.push(socket);
    }
    let mut message = [0u8; MESSAGE_BYTES];
    while writer.read_exact(&mut message).await.is_ok() {
        for socket in &mut sockets {
            match socket.try_write(&message) {
                Ok(n) if n == MESSAGE_BYTES => {}
                Ok(n) => socket.write_all(&message[n..]).await?,
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => socket.write_all(&message).await?,
                Err(e) => return Err(e.into()),
            }
        }
    }
    Ok(())
}

/// Latencies of one floor run, in ms.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FloorReport {
    pub readers: usize,
    pub rate: f64,
    pub edits: usize,
    pub deliveries: usize,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
}

/// Connects a writer and `readers` readers to the relay at `addr` and sends `edits` messages at
/// `rate` per second; each reader notes when each message arrived.
pub async fn run(addr: &str, readers: usize, rate: f64, edits: usize) -> anyhow::Result<FloorReport> {
    // The relay may still be starting: its first accepted connection must be the writer, so
    // nothing else may probe the port.
    let mut writer = connect_when_up(addr).await?;
    writer.set_nodelay(true)?;
    let sent: Arc<Mutex<Vec<Instant>>> = Arc::default();
    let mut tasks = Vec::with_capacity(readers);
    for _ in 0..readers {
        let mut socket = TcpStream::connect(addr).await.context("connect a reader")?;
        socket.set_nodelay(true)?;
        let sent = sent.clone();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(edits);
            let mut message = [0u8; MESSAGE_BYTES];
            for _ in 0..edits {
                socket.read_exact(&mut message).await?;
                let now = Instant::now();
                let i = u32::from_le_bytes([message[0], message[1], message[2], message[3]]) as usize;
                let at = *sent.lock().map_err(|_| anyhow!("lock"))?.get(i).context("unknown message")?;
                latencies.push(now.duration_since(at).as_secs_f64() * 1000.0);
            }
            anyhow::Ok(latencies)
        }));
    }
    // The relay starts relaying once everyone is connected; a quiet moment lets the accepts finish.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut tick = tokio::time::interval(Duration::from_secs_f64(1.0 / rate));
    for i in 0..edits {
        tick.tick().await;
        let mut message = [0u8; MESSAGE_BYTES];
        message[..4].copy_from_slice(&(i as u32).to_le_bytes());
        sent.lock().map_err(|_| anyhow!("lock"))?.push(Instant::now());
        writer.write_all(&message).await?;
    }
    let mut all = Vec::with_capacity(readers * edits);
    for task in tasks {
        all.extend(task.await??);
    }
    all.sort_by(f64::total_cmp);
    let pct = |p: f64| super::percentile(&all, p);
    Ok(FloorReport {
        readers,
        rate,
        edits,
        deliveries: all.len(),
        p50_ms: pct(0.50),
        p95_ms: pct(0.95),
        p99_ms: pct(0.99),
        max_ms: all.last().copied().unwrap_or(f64::NAN),
    })
}

async fn connect_when_up(addr: &str) -> anyhow::Result<TcpStream> {
    let until = Instant::now() + Duration::from_secs(10);
    loop {
        match TcpStream::connect(addr).await {
            Ok(socket) => return Ok(socket),
            Err(e) if Instant::now() < until && e.kind() == std::io::ErrorKind::ConnectionRefused => {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            Err(e) => return Err(e).context("connect the writer"),
        }
    }
}
