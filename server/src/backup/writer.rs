//! Writes an archive as it is read: lines hashed, gzip-compressed and handed on in bounded pieces.

use flate2::Compression;
use flate2::write::GzEncoder;
use sha2::{Digest, Sha256};
use std::io::Write;
use tokio::sync::mpsc;

use super::BackupError;
use super::format::{Cell, Header, Mark, encode_mark, encode_row};
use super::tables::Table;

/// Compressed bytes gathered before they are handed on (the channel holds a few such pieces).
const PIECE: usize = 256 * 1024;

/// Where compressed pieces go: a file writer or an HTTP body, through a bounded channel, so a slow
/// reader slows the dump instead of filling memory.
pub type Pieces = mpsc::Sender<std::io::Result<Vec<u8>>>;

/// An archive being written.
pub struct ArchiveWriter {
    gz: GzEncoder<Vec<u8>>,
    /// Over every uncompressed byte before the end line.
    hash: Sha256,
    out: Pieces,
    /// The line being encoded (reused).
    line: Vec<u8>,
    /// Rows per table, in table order, for the end line.
    rows: Vec<(String, u64)>,
}

impl ArchiveWriter {
    /// Starts an archive with its header.
    pub async fn start(out: Pieces, header: &Header) -> Result<Self, BackupError> {
        let mut w = ArchiveWriter {
            gz: GzEncoder::new(Vec::with_capacity(2 * PIECE), Compression::default()),
            hash: Sha256::new(),
            out,
            line: Vec::new(),
            rows: Vec::new(),
        };
        w.mark(&Mark::Header(header.clone())).await?;
        Ok(w)
    }

    /// Begins a table's rows.
    pub async fn table(&mut self, table: &Table) -> Result<(), BackupError> {
        self.rows.push((table.name.to_owned(), 0));
        let columns = table.columns.iter().map(|c| c.name.to_owned()).collect();
        self.mark(&Mark::Table { name: table.name.to_owned(), columns }).await
    }

    /// Appends a row of the current table.
    pub async fn row(&mut self, cells: &[Cell]) -> Result<(), BackupError> {
        self.line.clear();
        encode_row(&mut self.line, cells).map_err(|e| BackupError::Unreadable(e.to_string()))?;
        if let Some((_, n)) = self.rows.last_mut() {
            *n += 1;
        }
        self.put().await
    }

    /// Writes the end line and hands on the rest; returns the rows per table.
    pub async fn finish(mut self) -> Result<Vec<(String, u64)>, BackupError> {
        let sha256 = hex::encode(std::mem::take(&mut self.hash).finalize());
        self.line.clear();
        encode_mark(&mut self.line, &Mark::End { rows: self.rows.clone(), sha256 });
        self.gz.write_all(&self.line)?;
        let ArchiveWriter { gz, out, rows, .. } = self;
        let rest = gz.finish()?;
        out.send(Ok(rest)).await.map_err(|_| BackupError::Abandoned)?;
        Ok(rows)
    }

    async fn mark(&mut self, mark: &Mark) -> Result<(), BackupError> {
        self.line.clear();
        encode_mark(&mut self.line, mark);
        self.put().await
    }

    /// Hashes and compresses the current line; hands on a piece when one is full.
    async fn put(&mut self) -> Result<(), BackupError> {
        self.hash.update(&self.line);
        self.gz.write_all(&self.line)?;
        if self.gz.get_ref().len() >= PIECE {
            let piece = std::mem::replace(self.gz.get_mut(), Vec::with_capacity(2 * PIECE));
            self.send(piece).await?;
        }
        Ok(())
    }

    async fn send(&self, piece: Vec<u8>) -> Result<(), BackupError> {
        self.out.send(Ok(piece)).await.map_err(|_| BackupError::Abandoned)
    }
}
