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
use std::borrow::Cow;
use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, Datelike, Local, NaiveDate, NaiveDateTime, TimeZone, Timelike, Utc};
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

/// What `logs` was asked for.
#[derive(Clone, Debug, Default)]
pub struct ReadOptions {
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    pub tail: Option<usize>,
    pub timestamps: bool,
    pub follow: bool,
}

/// One parsed log record.
struct Record<'a> {
    time: DateTime<Utc>,
    stream: Stream,
    content: Cow<'a, [u8]>,
    /// The record ends a line (k8s `F`, or a json `log` ending in `\n`).
    ends_line: bool,
}

/// Parses one physical line (without its `\n`); `None` if it is not a record.
fn parse_record(driver: LogDriver, line: &[u8]) -> Option<Record<'_>> {
    match driver {
        LogDriver::K8sFile => {
            let mut parts = line.splitn(4, |&b| b == b' ');
            let time = parse_rfc3339(parts.next()?)?;
            let stream = parse_stream(parts.next()?)?;
            let ends_line = match parts.next()? {
                b"F" => true,
                b"P" => false,
                _ => return None,
            };
            let content = parts.next().unwrap_or_default();
            Some(Record {
                time,
                stream,
                content: Cow::Borrowed(content),
                ends_line,
            })
        }
        LogDriver::JsonFile => {
            #[derive(Deserialize)]
            struct Line<'a> {
                log: String,
                #[serde(borrow)]
                stream: Cow<'a, str>,
                #[serde(borrow)]
                time: Cow<'a, str>,
            }
            let l: Line<'_> = serde_json::from_slice(line).ok()?;
            let mut log = l.log.into_bytes();
            let ends_line = log.last() == Some(&b'\n');
            if ends_line {
                log.pop();
            }
            Some(Record {
                time: parse_rfc3339(l.time.as_bytes())?,
                stream: parse_stream(l.stream.as_bytes())?,
                content: Cow::Owned(log),
                ends_line,
            })
        }
        LogDriver::None => None,
    }
}

fn parse_rfc3339(b: &[u8]) -> Option<DateTime<Utc>> {
    let s = std::str::from_utf8(b).ok()?;
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

fn parse_stream(b: &[u8]) -> Option<Stream> {
    match b {
        b"stdout" => Some(Stream::Stdout),
        b"stderr" => Some(Stream::Stderr),
        _ => None,
    }
}

/// How long `follow` sleeps between checks that the container still runs.
const FOLLOW_CHECK: Duration = Duration::from_millis(200);
const BLOCK: usize = 64 * 1024;

/// Prints the log as `docker logs` does: stdout records to `out`, stderr to
/// `err`, partial records joined, with `timestamps` the record time
/// (RFC3339Nano, UTC) and a space before each line. With `follow`, waits for
/// more after the end until `running()` is false and the file is drained.
pub fn read_logs(
    path: &Path,
    driver: LogDriver,
    o: &ReadOptions,
    out: &mut dyn Write,
    err: &mut dyn Write,
    running: &mut dyn FnMut() -> bool,
) -> Result<(), LogError> {
    let rd = |source| LogError::Read {
        path: path.to_path_buf(),
        source,
    };
    if driver == LogDriver::None {
        return Ok(());
    }
    // A container that never started has no log yet.
    let mut file = loop {
        match File::open(path) {
            Ok(f) => break f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                if !o.follow || !running() {
                    return Ok(());
                }
                std::thread::sleep(FOLLOW_CHECK);
            }
            Err(e) => return Err(rd(e)),
        }
    };
    let mut prefix = Vec::new();
    if let Some(n) = o.tail {
        let start;
        (start, prefix) = tail_start(&mut file, driver, n).map_err(rd)?;
        file.seek(SeekFrom::Start(start)).map_err(rd)?;
    }
    let watch = if o.follow {
        crate::sys::inotify::FileWatch::new(path).ok()
    } else {
        None
    };
    let mut printer = Printer {
        o,
        out,
        err,
        mid_line: [false; 2],
    };
    for line in &prefix {
        if let Some(r) = parse_record(driver, line)
            && printer.record(&r)?
        {
            return printer.finish();
        }
    }
    let mut pending: Vec<u8> = Vec::with_capacity(BLOCK);
    let mut chunk = vec![0u8; BLOCK];
    let mut last_pass = false;
    loop {
        let n = file.read(&mut chunk).map_err(rd)?;
        if n > 0 {
            pending.extend_from_slice(&chunk[..n]);
            let mut done = 0;
            while let Some(i) = pending[done..].iter().position(|&b| b == b'\n') {
                let line = &pending[done..done + i];
                done += i + 1;
                if let Some(r) = parse_record(driver, line)
                    && printer.record(&r)?
                {
                    return printer.finish();
                }
            }
            pending.drain(..done);
            printer.flush()?;
            continue;
        }
        // At the end of the file.
        let until_passed = o.until.is_some_and(|u| Utc::now() > u);
        if !o.follow || last_pass || until_passed {
            break;
        }
        if !running() {
            // One more read: the last output may have landed after our read.
            last_pass = true;
            continue;
        }
        match &watch {
            Some(w) => {
                w.wait(FOLLOW_CHECK.as_millis() as i32).map_err(rd)?;
            }
            None => std::thread::sleep(FOLLOW_CHECK),
        }
    }
    // A final record cut short (the writer died mid-write) still shows.
    if !pending.is_empty()
        && let Some(r) = parse_record(driver, &pending)
    {
        printer.record(&r)?;
    }
    printer.finish()
}

struct Printer<'o, 'w> {
    o: &'o ReadOptions,
    out: &'w mut dyn Write,
    err: &'w mut dyn Write,
    /// Per stream: a partial record was printed, its line is not finished.
    mid_line: [bool; 2],
}

impl Printer<'_, '_> {
    /// Prints `r` if the filters let it through; true once past `until`.
    fn record(&mut self, r: &Record<'_>) -> Result<bool, LogError> {
        if self.o.until.is_some_and(|u| r.time > u) {
            return Ok(true);
        }
        if self.o.since.is_some_and(|s| r.time < s) {
            return Ok(false);
        }
        let mid = &mut self.mid_line[r.stream.index()];
        let w: &mut dyn Write = match r.stream {
            Stream::Stdout => &mut *self.out,
            Stream::Stderr => &mut *self.err,
        };
        if self.o.timestamps && !*mid {
            let mut ts = [0u8; 40];
            w.write_all(format_time(r.time, true, &mut ts))
                .and_then(|()| w.write_all(b" "))
                .map_err(LogError::Output)?;
        }
        w.write_all(&r.content).map_err(LogError::Output)?;
        if r.ends_line {
            w.write_all(b"\n").map_err(LogError::Output)?;
        }
        *mid = !r.ends_line;
        Ok(false)
    }

    fn flush(&mut self) -> Result<(), LogError> {
        self.out.flush().map_err(LogError::Output)?;
        self.err.flush().map_err(LogError::Output)
    }

    fn finish(mut self) -> Result<(), LogError> {
        self.flush()
    }
}

/// Where the last `n` lines begin, found by reading backwards in blocks (a
/// large log is not read whole): the offset to read on from, plus the partial
/// records before it that begin a line continued after it (a stdout line
/// split by a stderr record). A line is one or more records of one stream up
/// to a line-ending one; a stream's unfinished final line counts as a line.
fn tail_start(file: &mut File, driver: LogDriver, n: usize) -> io::Result<(u64, Vec<Vec<u8>>)> {
    let len = file.seek(SeekFrom::End(0))?;
    if n == 0 {
        return Ok((len, Vec::new()));
    }
    let mut lines = BackLines {
        file,
        pos: len,
        acc: Vec::new(),
    };
    let mut ends = 0;
    // Per stream: a record of it was seen after the boundary.
    let mut seen = [false; 2];
    let mut boundary = None;
    // Per stream, once the boundary is known: still collecting its prefix.
    let mut open = [false; 2];
    let mut decided = [false; 2];
    let mut prefix = Vec::new();
    while let Some((end, line)) = lines.next()? {
        let Some(r) = parse_record(driver, &line) else {
            continue;
        };
        let s = r.stream.index();
        if boundary.is_none() {
            let ends_line = r.ends_line || !seen[s];
            seen[s] = true;
            if ends_line {
                ends += 1;
                if ends > n {
                    boundary = Some(end);
                    decided[s] = true;
                }
            }
            if boundary.is_none() {
                continue;
            }
        } else if !decided[s] {
            decided[s] = true;
            open[s] = seen[s] && !r.ends_line;
            if open[s] {
                prefix.push(line);
            }
        } else if open[s] {
            if r.ends_line {
                open[s] = false;
            } else {
                prefix.push(line);
            }
        }
        if decided.iter().zip(&open).all(|(d, o)| *d && !*o) {
            break;
        }
    }
    prefix.reverse();
    Ok((boundary.unwrap_or(0), prefix))
}

/// Physical lines of a file from the last to the first.
struct BackLines<'f> {
    file: &'f mut File,
    /// `acc` holds the file's bytes `[pos, pos + acc.len())`, not yet returned.
    pos: u64,
    acc: Vec<u8>,
}

impl BackLines<'_> {
    /// The previous line: its end offset and its bytes without `\n`.
    fn next(&mut self) -> io::Result<Option<(u64, Vec<u8>)>> {
        loop {
            let body = &self.acc[..self.acc.len().saturating_sub(1)];
            let cut = match body.iter().rposition(|&b| b == b'\n') {
                Some(i) => i + 1,
                None if self.pos == 0 && self.acc.is_empty() => return Ok(None),
                None if self.pos == 0 => 0,
                None => {
                    let take = self.pos.min(BLOCK as u64) as usize;
                    self.pos -= take as u64;
                    let mut block = vec![0u8; take];
                    self.file.seek(SeekFrom::Start(self.pos))?;
                    self.file.read_exact(&mut block)?;
                    block.extend_from_slice(&self.acc);
                    self.acc = block;
                    continue;
                }
            };
            let end = self.pos + self.acc.len() as u64;
            let mut line = self.acc.split_off(cut);
            if line.last() == Some(&b'\n') {
                line.pop();
            }
            return Ok(Some((end, line)));
        }
    }
}

/// Parses a `--since`/`--until` value as Docker does: a Go duration before
/// `now` (`10m`, `1h30m`, `1.5h`), RFC3339 with or without zone and fraction
/// (zone-less is local time), `YYYY-MM-DD`, or unix seconds[.fraction].
pub fn parse_time(s: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, LogError> {
    let bad = || LogError::Time(s.to_string());
    if s != "0"
        && let Some(d) = parse_go_duration(s)
    {
        return now.checked_sub_signed(d).ok_or_else(bad);
    }
    if s.contains('-') && !s.starts_with('-') {
        return parse_datetime(s).ok_or_else(bad);
    }
    parse_unix(s).ok_or_else(bad)
}

/// Go's `time.ParseDuration`: `[-+]` then one or more `<decimal><unit>`.
fn parse_go_duration(s: &str) -> Option<chrono::Duration> {
    let (neg, mut rest) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    if rest.is_empty() {
        return None;
    }
    let mut nanos: f64 = 0.0;
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let (num, tail) = rest.split_at(num_len);
        if num.is_empty() || num == "." {
            return None;
        }
        let value: f64 = num.parse().ok()?;
        let unit_len = tail
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(tail.len());
        let (unit, tail) = tail.split_at(unit_len);
        let scale = match unit {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return None,
        };
        nanos += value * scale;
        rest = tail;
    }
    if nanos > i64::MAX as f64 {
        return None;
    }
    let d = chrono::Duration::nanoseconds(nanos as i64);
    Some(if neg { -d } else { d })
}

/// `YYYY-MM-DD`, then optionally `THH[:MM[:SS[.frac]]]`, then optionally a
/// zone (`Z` or `±HH:MM`); no zone means local time.
fn parse_datetime(s: &str) -> Option<DateTime<Utc>> {
    let date = NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()?;
    let mut rest = &s[10..];
    let (mut h, mut m, mut sec, mut nano) = (0, 0, 0, 0);
    if let Some(t) = rest.strip_prefix(['T', 't']) {
        let end = t.find(['Z', 'z', '+', '-']).unwrap_or(t.len());
        let (time, zone) = t.split_at(end);
        let (hms, frac) = match time.split_once('.') {
            Some((a, f)) => (a, Some(f)),
            None => (time, None),
        };
        let mut fields = hms.split(':');
        let num = |f: Option<&str>| -> Option<u32> {
            let f = f?;
            (f.len() == 2 && f.bytes().all(|b| b.is_ascii_digit()))
                .then(|| f.parse().ok())
                .flatten()
        };
        h = num(fields.next())?;
        if let Some(f) = fields.next() {
            m = num(Some(f))?;
            if let Some(f) = fields.next() {
                sec = num(Some(f))?;
            }
        }
        if fields.next().is_some() {
            return None;
        }
        if let Some(f) = frac {
            if f.is_empty() || f.len() > 9 || !f.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            nano = format!("{f:0<9}").parse().ok()?;
        }
        rest = zone;
    }
    let naive = NaiveDateTime::new(date, chrono::NaiveTime::from_hms_nano_opt(h, m, sec, nano)?);
    match rest {
        "" => Local
            .from_local_datetime(&naive)
            .earliest()
            .map(|t| t.with_timezone(&Utc)),
        "Z" | "z" => Some(Utc.from_utc_datetime(&naive)),
        z => {
            let sign = match z.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let (zh, zm) = z[1..].split_once(':')?;
            if zh.len() != 2 || zm.len() != 2 {
                return None;
            }
            let off = sign * (zh.parse::<i32>().ok()? * 3600 + zm.parse::<i32>().ok()? * 60);
            chrono::FixedOffset::east_opt(off)?
                .from_local_datetime(&naive)
                .single()
                .map(|t| t.with_timezone(&Utc))
        }
    }
}

/// `SECONDS[.FRACTION]` since the epoch.
fn parse_unix(s: &str) -> Option<DateTime<Utc>> {
    let (secs, frac) = match s.split_once('.') {
        Some((a, f)) => (a, f),
        None => (s, ""),
    };
    if secs.is_empty() || !secs.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if frac.len() > 9 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let nanos: u32 = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<9}").parse().ok()?
    };
    DateTime::from_timestamp(secs.parse().ok()?, nanos)
}

#[cfg(test)]
mod tests;
