//! Reading a log back: `logs` with --tail, --since/--until, -t and -f.
use std::borrow::Cow;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::{LogDriver, LogError, Stream, format_time};

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
pub(super) const BLOCK: usize = 64 * 1024;

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
pub(super) fn tail_start(
    file: &mut File,
    driver: LogDriver,
    n: usize,
) -> io::Result<(u64, Vec<Vec<u8>>)> {
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
                    // Only lines that go on after the boundary need a prefix.
                    decided = seen.map(|seen| !seen);
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
                    // Growing blocks keep a very long line linear to read.
                    let take = self.pos.min(BLOCK.max(self.acc.len()) as u64) as usize;
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
