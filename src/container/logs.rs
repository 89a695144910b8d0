//! Container logs: the writer the monitor feeds with the container's output,
//! and the reader behind `logs`.
//!
//! Two on-disk formats:
//! - `k8s-file` (the CRI format, what Podman's conmon writes), one record per
//!   line: `2024-05-01T10:00:00.123456789+00:00 stdout F text`. `F` ends a
//!   line; a chunk that ends without a newline is written at once as a `P`
//!   (partial) record, so nothing waits in memory and a crash loses nothing.
//! - `json-file` (Docker's): `{"log":"text\n","stream":"stdout","time":"...Z"}`;
//!   a partial line is a record whose `log` lacks the final newline.
//!
//! Bytes are stored as they came (a tty's `\r\n` stays `\r\n`).
use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use chrono::{DateTime, Datelike, Timelike, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, thiserror::Error)]
pub enum LogError {
    #[error("opening log file {path}: {source}")]
    Open { path: PathBuf, source: io::Error },
    #[error("writing log file {path}: {source}")]
    Write { path: PathBuf, source: io::Error },
    #[error("reading log file {path}: {source}")]
    Read { path: PathBuf, source: io::Error },
    #[error("writing log output: {0}")]
    Output(io::Error),
    #[error("invalid log driver {0:?}: supported drivers are k8s-file, json-file and none")]
    Driver(String),
    #[error(
        "invalid time {0:?}: use RFC3339 (2006-01-02T15:04:05Z), a date (2006-01-02), unix seconds or a duration (10m, 1h30m)"
    )]
    Time(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum LogDriver {
    #[default]
    #[serde(rename = "k8s-file")]
    K8sFile,
    #[serde(rename = "json-file")]
    JsonFile,
    #[serde(rename = "none")]
    None,
}

impl LogDriver {
    pub fn as_str(self) -> &'static str {
        match self {
            LogDriver::K8sFile => "k8s-file",
            LogDriver::JsonFile => "json-file",
            LogDriver::None => "none",
        }
    }
}

impl FromStr for LogDriver {
    type Err = LogError;
    fn from_str(s: &str) -> Result<LogDriver, LogError> {
        match s {
            "k8s-file" => Ok(LogDriver::K8sFile),
            "json-file" => Ok(LogDriver::JsonFile),
            "none" => Ok(LogDriver::None),
            _ => Err(LogError::Driver(s.to_string())),
        }
    }
}

impl fmt::Display for LogDriver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

impl Stream {
    pub fn as_str(self) -> &'static str {
        match self {
            Stream::Stdout => "stdout",
            Stream::Stderr => "stderr",
        }
    }
    fn index(self) -> usize {
        self as usize
    }
}

/// Appends the container's output to its log file. One `write` call per
/// chunk; buffers are reused, so steady-state writes do not allocate.
pub struct LogWriter {
    file: Option<File>,
    path: PathBuf,
    driver: LogDriver,
    buf: Vec<u8>,
    /// json-file: per stream, an incomplete UTF-8 sequence that ended a chunk
    /// (JSON strings cannot hold half a character).
    held: [([u8; 4], usize); 2],
    joined: Vec<u8>,
}

impl LogWriter {
    /// Opens (creating, mode 0600) `path` for appending. `None` opens nothing.
    pub fn open(path: &Path, driver: LogDriver) -> Result<LogWriter, LogError> {
        let file = match driver {
            LogDriver::None => None,
            _ => Some(
                OpenOptions::new()
                    .append(true)
                    .create(true)
                    .mode(0o600)
                    .custom_flags(libc::O_CLOEXEC)
                    .open(path)
                    .map_err(|source| LogError::Open {
                        path: path.to_path_buf(),
                        source,
                    })?,
            ),
        };
        Ok(LogWriter {
            file,
            path: path.to_path_buf(),
            driver,
            buf: Vec::with_capacity(8192),
            held: [([0; 4], 0); 2],
            joined: Vec::new(),
        })
    }

    /// Logs one chunk as read from the container's pipe or pty.
    pub fn write(&mut self, stream: Stream, data: &[u8]) -> Result<(), LogError> {
        self.write_at(stream, data, Utc::now())
    }

    fn write_at(
        &mut self,
        stream: Stream,
        data: &[u8],
        now: DateTime<Utc>,
    ) -> Result<(), LogError> {
        if self.file.is_none() || data.is_empty() {
            return Ok(());
        }
        self.buf.clear();
        match self.driver {
            LogDriver::K8sFile => {
                let mut ts = [0u8; 40];
                let ts = format_time(now, false, &mut ts);
                for piece in data.split_inclusive(|&b| b == b'\n') {
                    let (content, tag) = match piece.strip_suffix(b"\n") {
                        Some(c) => (c, b'F'),
                        None => (piece, b'P'),
                    };
                    self.buf.extend_from_slice(ts);
                    self.buf.push(b' ');
                    self.buf.extend_from_slice(stream.as_str().as_bytes());
                    self.buf.extend_from_slice(&[b' ', tag, b' ']);
                    self.buf.extend_from_slice(content);
                    self.buf.push(b'\n');
                }
            }
            LogDriver::JsonFile => {
                let (held, n) = &mut self.held[stream.index()];
                let mut joined = std::mem::take(&mut self.joined);
                let data = if *n > 0 {
                    joined.clear();
                    joined.extend_from_slice(&held[..*n]);
                    joined.extend_from_slice(data);
                    *n = 0;
                    &joined[..]
                } else {
                    data
                };
                let mut ts = [0u8; 40];
                let ts = format_time(now, true, &mut ts);
                let mut pieces = data.split_inclusive(|&b| b == b'\n').peekable();
                while let Some(mut piece) = pieces.next() {
                    if pieces.peek().is_none() && !piece.ends_with(b"\n") {
                        let cut = incomplete_utf8_tail(piece);
                        let (keep, hold) = piece.split_at(piece.len() - cut);
                        held[..cut].copy_from_slice(hold);
                        *n = cut;
                        piece = keep;
                        if piece.is_empty() {
                            break;
                        }
                    }
                    json_record(&mut self.buf, piece, stream, ts);
                }
                self.joined = joined;
            }
            LogDriver::None => {}
        }
        self.append()
    }

    /// At exit: writes anything still held back (a trailing incomplete UTF-8
    /// sequence in json-file; k8s-file holds nothing).
    pub fn flush(&mut self) -> Result<(), LogError> {
        if self.file.is_none() {
            return Ok(());
        }
        self.buf.clear();
        let mut ts = [0u8; 40];
        let ts = format_time(Utc::now(), true, &mut ts);
        for stream in [Stream::Stdout, Stream::Stderr] {
            let (held, n) = self.held[stream.index()];
            if n > 0 {
                json_record(&mut self.buf, &held[..n], stream, ts);
                self.held[stream.index()].1 = 0;
            }
        }
        self.append()
    }

    fn append(&mut self) -> Result<(), LogError> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let Some(file) = self.file.as_mut() else {
            return Ok(());
        };
        file.write_all(&self.buf).map_err(|source| LogError::Write {
            path: self.path.clone(),
            source,
        })
    }
}

/// RFC3339 with nanoseconds, UTC: `...+00:00` (k8s-file, as conmon) or `...Z`.
fn format_time(t: DateTime<Utc>, zulu: bool, out: &mut [u8; 40]) -> &[u8] {
    let len = {
        let mut w = &mut out[..];
        let _ = write!(
            w,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:09}{}",
            t.year(),
            t.month(),
            t.day(),
            t.hour(),
            t.minute(),
            t.second(),
            // A leap second shows as nanos >= 1e9 in chrono.
            t.nanosecond().min(999_999_999),
            if zulu { "Z" } else { "+00:00" }
        );
        40 - w.len()
    };
    &out[..len]
}

/// How many bytes at the end of `b` start a UTF-8 character they do not finish.
fn incomplete_utf8_tail(b: &[u8]) -> usize {
    for back in 1..=b.len().min(3) {
        let c = b[b.len() - back];
        if c & 0xC0 == 0x80 {
            continue; // continuation byte: look further back
        }
        let need = match c {
            0xC2..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF4 => 4,
            _ => return 0,
        };
        return if back < need { back } else { 0 };
    }
    0
}

/// Appends one json-file record for `log`. Invalid UTF-8 becomes U+FFFD, as
/// Go's encoder does.
fn json_record(buf: &mut Vec<u8>, log: &[u8], stream: Stream, ts: &[u8]) {
    buf.extend_from_slice(b"{\"log\":\"");
    for chunk in log.utf8_chunks() {
        json_escape(buf, chunk.valid());
        if !chunk.invalid().is_empty() {
            buf.extend_from_slice(b"\\ufffd");
        }
    }
    buf.extend_from_slice(b"\",\"stream\":\"");
    buf.extend_from_slice(stream.as_str().as_bytes());
    buf.extend_from_slice(b"\",\"time\":\"");
    buf.extend_from_slice(ts);
    buf.extend_from_slice(b"\"}\n");
}

fn json_escape(buf: &mut Vec<u8>, s: &str) {
    let b = s.as_bytes();
    let mut start = 0;
    for (i, &c) in b.iter().enumerate() {
        let esc: &[u8] = match c {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0..=0x1f => b"",
            _ => continue,
        };
        buf.extend_from_slice(&b[start..i]);
        if esc.is_empty() {
            let _ = write!(buf, "\\u{c:04x}");
        } else {
            buf.extend_from_slice(esc);
        }
        start = i + 1;
    }
    buf.extend_from_slice(&b[start..]);
}

mod read;
mod time;
pub use read::{ReadOptions, read_logs};
pub use time::parse_time;

#[cfg(test)]
mod tests;
