//! Container state: the spec's `state` object, and the record persisted in
//! `<root>/<id>/state.json` (the state plus what later commands need).
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use oci_spec::runtime::Hooks;
use serde::{Deserialize, Serialize};

use super::error::{IoContext, RuntimeError};
use crate::sys::process::start_time;

pub const STATE_FILE: &str = "state.json";
pub const FIFO_FILE: &str = "exec.fifo";
pub const LOCK_FILE: &str = "lock";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Creating,
    Created,
    Running,
    Stopped,
    Paused,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Creating => "creating",
            Status::Created => "created",
            Status::Running => "running",
            Status::Stopped => "stopped",
            Status::Paused => "paused",
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The state of a container as runtime-spec 1.2 defines it, plus runc's
/// extra fields (`rootfs`, `created`, `owner`) that tools read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct State {
    #[serde(rename = "ociVersion")]
    pub oci_version: String,
    pub id: String,
    pub status: Status,
    /// Absent once stopped (the spec: "MUST be present when running or created").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pid: Option<i32>,
    pub bundle: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
    pub rootfs: String,
    pub created: String,
    pub owner: String,
}

/// What `state.json` holds: the state (as of the last transition) and the
/// facts needed to recognise the init and clean up after it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Record {
    #[serde(flatten)]
    pub state: State,
    pub skiff: Internal,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Internal {
    /// The init's pid in the runtime's pid namespace (kept when stopped).
    pub init_pid: i32,
    /// Start time of the init, so a recycled pid is never mistaken for it.
    pub init_start_time: u64,
    pub rootless: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cgroups_path: Option<String>,
    /// poststart and poststop hooks, which run after create returned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hooks: Option<Hooks>,
}

impl Record {
    pub fn path(dir: &Path) -> PathBuf {
        dir.join(STATE_FILE)
    }

    pub fn load(dir: &Path, id: &str) -> Result<Record, RuntimeError> {
        let p = Record::path(dir);
        let data = match std::fs::read(&p) {
            Ok(d) => d,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(RuntimeError::NotFound(id.to_string()));
            }
            Err(e) => return Err(RuntimeError::io(format!("reading {}", p.display()), e)),
        };
        serde_json::from_slice(&data).map_err(|e| {
            RuntimeError::io(
                format!("parsing {}", p.display()),
                std::io::Error::new(std::io::ErrorKind::InvalidData, e),
            )
        })
    }

    pub fn save(&self, dir: &Path) -> Result<(), RuntimeError> {
        let p = Record::path(dir);
        // Runtime state lives in a runtime dir (tmpfs, gone at reboot): an
        // atomic rename suffices, fsync would only add latency.
        crate::storage::atomic::replace_json(&p, self).ctx(|| format!("writing {}", p.display()))
    }

    /// Whether the recorded init process still exists (not a zombie, and the
    /// pid was not reused).
    pub fn init_alive(&self) -> bool {
        let st = self.skiff.init_start_time;
        matches!(start_time(self.skiff.init_pid), Ok(Some(t)) if t == st && t != 0)
    }

    /// The status now: a recorded created/running/paused container whose init
    /// is gone is stopped.
    pub fn refresh(&mut self) {
        let alive = self.init_alive();
        self.state.status = current_status(self.state.status, alive);
        if self.state.status == Status::Stopped {
            self.state.pid = None;
        }
    }
}

/// The transition table's "the process exited" edge.
pub fn current_status(recorded: Status, init_alive: bool) -> Status {
    match recorded {
        Status::Created | Status::Running | Status::Paused if !init_alive => Status::Stopped,
        s => s,
    }
}

/// Which operations the spec allows in which state. `Err` names the state.
pub fn check_transition(op: &'static str, id: &str, status: Status) -> Result<(), RuntimeError> {
    let ok = match op {
        "start" => status == Status::Created,
        // "kill of a container that is neither created nor running MUST error";
        // a paused container is running as far as signals go.
        "kill" => matches!(status, Status::Created | Status::Running | Status::Paused),
        "delete" => status == Status::Stopped,
        "pause" => status == Status::Running,
        "resume" => status == Status::Paused,
        "exec" => matches!(status, Status::Created | Status::Running),
        "update" => matches!(status, Status::Created | Status::Running | Status::Paused),
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(RuntimeError::WrongState {
            id: id.to_string(),
            op,
            status: status.as_str(),
        })
    }
}

/// Container ids become directory names: keep them to a safe alphabet.
pub fn validate_id(id: &str) -> Result<(), RuntimeError> {
    let ok = !id.is_empty()
        && id.len() <= 1024
        && id != "."
        && id != ".."
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'+' | b'-' | b'.'));
    if ok {
        Ok(())
    } else {
        Err(RuntimeError::InvalidId(id.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Record {
        Record {
            state: State {
                oci_version: "1.2.0".into(),
                id: "c1".into(),
                status: Status::Created,
                pid: Some(std::process::id() as i32),
                bundle: "/b".into(),
                annotations: BTreeMap::from([("k".to_string(), "v".to_string())]),
                rootfs: "/b/rootfs".into(),
                created: "2024-01-01T00:00:00Z".into(),
                owner: "root".into(),
            },
            skiff: Internal {
                init_pid: std::process::id() as i32,
                init_start_time: start_time(std::process::id() as i32).unwrap().unwrap(),
                ..Default::default()
            },
        }
    }

    #[test]
    fn state_json_shape() {
        let mut s = sample().state;
        let v = serde_json::to_value(&s).unwrap();
        assert_eq!(v["ociVersion"], "1.2.0");
        assert_eq!(v["status"], "created");
        assert_eq!(v["annotations"]["k"], "v");
        s.status = Status::Stopped;
        s.pid = None;
        let v = serde_json::to_value(&s).unwrap();
        assert!(v.get("pid").is_none());
        assert_eq!(v["status"], "stopped");
    }

    #[test]
    fn record_round_trip_and_refresh() {
        let dir = tempfile::tempdir().unwrap();
        let mut r = sample();
        r.save(dir.path()).unwrap();
        let mut back = Record::load(dir.path(), "c1").unwrap();
        assert_eq!(back.state, r.state);
        back.refresh();
        assert_eq!(back.state.status, Status::Created, "this process is alive");
        // A different start time means the pid was reused: stopped.
        r.skiff.init_start_time += 1;
        r.refresh();
        assert_eq!(r.state.status, Status::Stopped);
        assert_eq!(r.state.pid, None);
        assert!(matches!(
            Record::load(&dir.path().join("nope"), "x"),
            Err(RuntimeError::NotFound(_))
        ));
    }

    #[test]
    fn transitions() {
        use Status::*;
        assert_eq!(current_status(Running, false), Stopped);
        assert_eq!(current_status(Paused, false), Stopped);
        assert_eq!(current_status(Running, true), Running);
        assert_eq!(current_status(Creating, false), Creating);
        assert!(check_transition("start", "c", Created).is_ok());
        for s in [Running, Stopped, Paused, Creating] {
            assert!(check_transition("start", "c", s).is_err(), "{s}");
        }
        assert!(check_transition("delete", "c", Stopped).is_ok());
        for s in [Created, Running, Paused] {
            let e = check_transition("delete", "c", s).unwrap_err().to_string();
            assert!(e.contains("--force"), "{e}");
        }
        assert!(check_transition("kill", "c", Stopped).is_err());
        assert!(check_transition("kill", "c", Created).is_ok());
        assert!(check_transition("pause", "c", Running).is_ok());
        assert!(check_transition("pause", "c", Created).is_err());
        assert!(check_transition("resume", "c", Paused).is_ok());
        assert!(check_transition("resume", "c", Running).is_err());
    }

    #[test]
    fn ids() {
        for ok in ["a", "web-1", "x.y_z+1", "0123456789abcdef"] {
            assert!(validate_id(ok).is_ok(), "{ok}");
        }
        for bad in ["", ".", "..", "a/b", "a b", "../x", "é"] {
            assert!(validate_id(bad).is_err(), "{bad}");
        }
    }
}
