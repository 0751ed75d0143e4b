//! Reads an archive line by line, bounded, and checks it as it goes: the order of the tables, every
//! row against its columns, and at the end the row counts and the SHA-256 of everything before.
//!
//! Synchronous (it runs on a blocking thread beside the restore); never panics on garbage.

use std::io::{BufRead, BufReader, Read};

use flate2::bufread::MultiGzDecoder;
use sha2::{Digest, Sha256};

use super::BackupError;
use super::format::{Cell, FORMAT, FORMAT_VERSION, Header, LineError, Mark, decode_mark, decode_row};
use super::tables::{TABLES, Table};

/// The longest line read (a row holding a 48 MiB automerge chunk, base64-encoded); longer lines
/// are refused before they are held whole. Documents are limited to 16 MiB by default
/// (`KOMPROMISS_MAX_DOCUMENT_BYTES`), so a stored chunk stays far below it.
pub const MAX_LINE_BYTES: usize = 64 * 1024 * 1024;

/// What the archive holds, in order.
#[derive(Debug)]
pub enum Item {
    Header(Header),
    Table(&'static Table),
    Row(Vec<Cell>),
    /// The end line was read and everything checked out; nothing follows.
    Verified {
        rows: u64,
    },
}

/// An archive being read.
pub struct ArchiveReader {
    input: Box<dyn BufRead + Send>,
    /// Gzip-compressed: a stream that yields nothing was cut off, not a file of another kind.
    gzip: bool,
    hash: Sha256,
    /// Lines read so far (for messages: "line 1234").
    line_no: u64,
    line: Vec<u8>,
    header_seen: bool,
    /// Index into `TABLES` of the next table expected.
    next_table: usize,
    current: Option<&'static Table>,
    /// Rows per table read so far, in table order.
    rows: Vec<(String, u64)>,
    done: bool,
}

impl ArchiveReader {
    /// Reads from `input`, gzip-compressed (as written) or plain (as after `gunzip`).
    pub fn new(input: impl Read + Send + 'static) -> Result<Self, BackupError> {
        let mut buffered = BufReader::with_capacity(256 * 1024, input);
        let gzip = buffered.fill_buf()?.starts_with(&[0x1f, 0x8b]);
        let input: Box<dyn BufRead + Send> = if gzip {
            Box::new(BufReader::with_capacity(256 * 1024, MultiGzDecoder::new(buffered)))
        } else {
            Box::new(buffered)
        };
        Ok(ArchiveReader {
            input,
            gzip,
            hash: Sha256::new(),
            line_no: 0,
            line: Vec::new(),
            header_seen: false,
            next_table: 0,
            current: None,
            rows: Vec::new(),
            done: false,
        })
    }

    /// The next item; after `Verified`, `None`.
    pub fn next_item(&mut self) -> Result<Option<Item>, BackupError> {
        if self.done {
            return Ok(None);
        }
        if !self.read_line()? {
            return Err(if self.line_no == 0 && !self.gzip {
                BackupError::NotAnArchive
            } else {
                BackupError::Truncated
            });
        }
        let line_no = self.line_no;
        let damaged = |e: LineError| BackupError::Damaged { line: line_no, reason: e.to_string() };
        let body = &self.line[..self.line.len() - 1];
        if !self.header_seen {
            let header = match decode_mark(body) {
                Ok(Mark::Header(h)) if h.format == FORMAT => h,
                _ => return Err(BackupError::NotAnArchive),
            };
            if header.version != FORMAT_VERSION {
                return Err(BackupError::FormatVersion(header.version));
            }
            self.hash.update(&self.line);
            self.header_seen = true;
            return Ok(Some(Item::Header(header)));
        }
        if body.first() == Some(&b'[') {
            let table = self.current.ok_or_else(|| damaged(LineError::Json))?;
            self.hash.update(&self.line);
            let cells = decode_row(body, table).map_err(damaged)?;
            if let Some((_, n)) = self.rows.last_mut() {
                *n += 1;
            }
            return Ok(Some(Item::Row(cells)));
        }
        match decode_mark(body).map_err(damaged)? {
            Mark::Table { name, columns } => {
                let expected = TABLES.get(self.next_table).ok_or_else(|| BackupError::Damaged {
                    line: line_no,
                    reason: format!("unerwartete Tabelle / unexpected table {name}"),
                })?;
                let names: Vec<&str> = expected.columns.iter().map(|c| c.name).collect();
                if name != expected.name || columns != names {
                    return Err(BackupError::Damaged {
                        line: line_no,
                        reason: format!(
                            "Tabelle {name} statt {} / table {name} instead of {}",
                            expected.name, expected.name
                        ),
                    });
                }
                self.hash.update(&self.line);
                self.next_table += 1;
                self.current = Some(expected);
                self.rows.push((name, 0));
                Ok(Some(Item::Table(expected)))
            }
            Mark::End { rows, sha256 } => {
                let computed = hex::encode(std::mem::take(&mut self.hash).finalize());
                if sha256 != computed {
                    return Err(BackupError::Tampered);
                }
                if self.next_table != TABLES.len() || rows != self.rows {
                    return Err(BackupError::Damaged {
                        line: line_no,
                        reason: "Zeilenzahlen stimmen nicht / row counts do not match".into(),
                    });
                }
                // Nothing may follow; reading to the end also checks gzip's own checksum.
                let mut rest = [0u8; 1];
                if self.input.read(&mut rest).map_err(io_error)? != 0 {
                    return Err(BackupError::Damaged {
                        line: line_no + 1,
                        reason: "Daten nach dem Ende / data after the end".into(),
                    });
                }
                self.done = true;
                Ok(Some(Item::Verified { rows: self.rows.iter().map(|(_, n)| n).sum() }))
            }
            Mark::Header(_) => Err(damaged(LineError::Json)),
        }
    }

    /// Reads one whole line (with its newline) into `self.line`; false at the end of the input.
    fn read_line(&mut self) -> Result<bool, BackupError> {
        self.line.clear();
        let limit = (MAX_LINE_BYTES + 1) as u64;
        let n = (&mut self.input).take(limit).read_until(b'\n', &mut self.line).map_err(io_error)?;
        if n == 0 {
            return Ok(false);
        }
        self.line_no += 1;
        if self.line.last() != Some(&b'\n') {
            return Err(if self.line.len() > MAX_LINE_BYTES {
                BackupError::LineTooLong { line: self.line_no }
            } else {
                BackupError::Truncated
            });
        }
        Ok(true)
    }
}

/// A read error of the (decompressed) input: a cut-off stream is a truncated archive, anything
/// else the decompressor refuses a damaged one.
fn io_error(e: std::io::Error) -> BackupError {
    match e.kind() {
        std::io::ErrorKind::UnexpectedEof => BackupError::Truncated,
        std::io::ErrorKind::InvalidInput | std::io::ErrorKind::InvalidData => BackupError::Compression,
        _ => BackupError::Io(e),
    }
}
