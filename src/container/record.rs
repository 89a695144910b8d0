//! One container's record: what it was created from and where its life
//! stands. `container.json` in the container's data dir, replaced atomically
//! under the container's lock.
use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ContainerError;
use super::logs::LogDriver;
use super::spec::{ImageDefaults, ResolvedMount, RestartPolicy, SpecOptions};

pub const RECORD_FILE: &str = "container.json";

/// Docker's container states.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    #[default]
    Created,
    Running,
    Paused,
    Restarting,
    Removing,
    Exited,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Created => "created",
            Status::Running => "running",
            Status::Paused => "paused",
            Status::Restarting => "restarting",
            Status::Removing => "removing",
            Status::Exited => "exited",
        }
    }
    /// A monitor is (or should be) looking after the container.
    pub fn is_active(self) -> bool {
        matches!(
            self,
            Status::Running | Status::Paused | Status::Restarting | Status::Removing
        )
    }
}

/// Where the container's life stands. Written by the CLI (create, start,
/// stop requests) and by the monitor (exit, restarts).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct State {
    pub status: Status,
    /// The container's init as seen from the host (0 when not running).
    #[serde(default)]
    pub pid: i32,
    #[serde(default)]
    pub monitor_pid: i32,
    /// Start time (clock ticks since boot) of the monitor: tells it from a
    /// later process that reused the pid.
    #[serde(default)]
    pub monitor_start_time: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit_code: Option<i32>,
    /// Why the container is not running when that is not its own doing.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub error: String,
    #[serde(default)]
    pub restart_count: u32,
    /// Set by `stop`/`kill`: restart policies leave the container alone.
    #[serde(default)]
    pub stopped_by_user: bool,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Container {
    pub id: String,
    pub name: String,
    /// The image as the user named it, and what it resolved to.
    pub image: String,
    pub image_name: String,
    pub image_id: String,
    pub created: DateTime<Utc>,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    pub options: SpecOptions,
    pub image_defaults: ImageDefaults,
    #[serde(default)]
    pub mounts: Vec<ResolvedMount>,
    /// Published ports, host ports chosen.
    #[serde(default)]
    pub ports: Vec<crate::network::PortMapping>,
    /// Storage driver of the writable layer.
    pub driver: String,
    /// Image layer dirs, top first (the overlay lowers).
    #[serde(default)]
    pub lowers: Vec<std::path::PathBuf>,
    #[serde(default)]
    pub restart: RestartPolicy,
    #[serde(default)]
    pub auto_remove: bool,
    #[serde(default)]
    pub log_driver: LogDriver,
    /// The ID of the pod the container belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod: Option<String>,
    /// The pod's infra container: an image-less pause process holding the
    /// namespaces the pod's members join.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub infra: bool,
    #[serde(default)]
    pub state: State,
}

impl Container {
    pub fn load(dir: &Path) -> Result<Container, ContainerError> {
        let path = dir.join(RECORD_FILE);
        let data = std::fs::read(&path).map_err(|e| ContainerError::io(&path, e))?;
        serde_json::from_slice(&data).map_err(|e| ContainerError::Corrupt {
            path: path.clone(),
            message: e.to_string(),
        })
    }

    pub fn save(&self, dir: &Path) -> Result<(), ContainerError> {
        let path = dir.join(RECORD_FILE);
        let data = serde_json::to_vec(self).map_err(|e| ContainerError::Corrupt {
            path: path.clone(),
            message: e.to_string(),
        })?;
        // No fsync: a container's state is repaired by the next command
        // (`store::refresh`), and fsyncs per `run` would dominate its latency.
        crate::storage::atomic::replace_file(&path, &data).map_err(|e| ContainerError::io(&path, e))
    }

    pub fn short_id(&self) -> &str {
        &self.id[..12]
    }

    /// The command line as `ps` shows it.
    pub fn command_line(&self) -> Vec<String> {
        let o = &self.options;
        let img = &self.image_defaults;
        // Docker's rule: --entrypoint replaces the image's and drops its Cmd.
        let mut out = match &o.entrypoint {
            Some(ep) => ep.clone(),
            None => img.entrypoint.clone().unwrap_or_default(),
        };
        if !o.command.is_empty() {
            out.extend(o.command.iter().cloned());
        } else if o.entrypoint.is_none() {
            out.extend(img.cmd.iter().flatten().cloned());
        }
        out
    }
}
