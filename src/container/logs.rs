//! TEMP stub
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::Path;
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum LogDriver {
    #[default]
    K8sFile,
    JsonFile,
    None,
}
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct LogError(String);
pub struct LogWriter(std::fs::File);
impl LogWriter {
    pub fn open(p: &Path, _d: LogDriver) -> Result<LogWriter, LogError> {
        Ok(LogWriter(
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(p)
                .map_err(|e| LogError(e.to_string()))?,
        ))
    }
    pub fn write(&mut self, s: Stream, d: &[u8]) -> Result<(), LogError> {
        let t = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Nanos, true);
        let n = if s == Stream::Stdout {
            "stdout"
        } else {
            "stderr"
        };
        for l in d.split_inclusive(|b| *b == b'\n') {
            let _ = write!(self.0, "{t} {n} F {}", String::from_utf8_lossy(l));
        }
        Ok(())
    }
    pub fn flush(&mut self) -> Result<(), LogError> {
        Ok(())
    }
}
pub struct ReadOptions {
    pub since: Option<chrono::DateTime<chrono::Utc>>,
    pub until: Option<chrono::DateTime<chrono::Utc>>,
    pub tail: Option<usize>,
    pub timestamps: bool,
    pub follow: bool,
}
pub fn read_logs(
    path: &Path,
    _d: LogDriver,
    _o: &ReadOptions,
    out: &mut dyn Write,
    _err: &mut dyn Write,
    _r: &mut dyn FnMut() -> bool,
) -> Result<(), LogError> {
    let t = std::fs::read_to_string(path).map_err(|e| LogError(e.to_string()))?;
    for l in t.lines() {
        let p: Vec<&str> = l.splitn(4, ' ').collect();
        if p.len() == 4 {
            let _ = out.write_all(p[3].as_bytes());
        }
    }
    Ok(())
}
pub fn parse_time(
    _s: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<chrono::DateTime<chrono::Utc>, LogError> {
    Ok(now)
}
impl std::str::FromStr for LogDriver {
    type Err = LogError;
    fn from_str(s: &str) -> Result<Self, LogError> {
        match s {
            "k8s-file" => Ok(Self::K8sFile),
            "json-file" => Ok(Self::JsonFile),
            "none" => Ok(Self::None),
            _ => Err(LogError(s.into())),
        }
    }
}
