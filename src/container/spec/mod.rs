//! TEMP stub (replaced by the spec branch)
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ImageDefaults {
    pub entrypoint: Option<Vec<String>>,
    pub cmd: Option<Vec<String>>,
    pub env: Vec<String>,
    pub working_dir: Option<String>,
    pub user: Option<String>,
    pub volumes: Vec<String>,
    pub stop_signal: Option<String>,
    pub exposed_ports: Vec<String>,
    pub labels: BTreeMap<String, String>,
}
impl ImageDefaults {
    pub fn from_config_json(v: &serde_json::Value) -> ImageDefaults {
        let c = &v["config"];
        let sv = |x: &serde_json::Value| {
            x.as_array().map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(String::from))
                    .collect::<Vec<_>>()
            })
        };
        ImageDefaults {
            entrypoint: sv(&c["Entrypoint"]),
            cmd: sv(&c["Cmd"]),
            env: sv(&c["Env"]).unwrap_or_default(),
            working_dir: c["WorkingDir"].as_str().map(String::from),
            ..Default::default()
        }
    }
}
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SpecOptions {
    pub command: Vec<String>,
    pub entrypoint: Option<Vec<String>>,
    pub env: Vec<String>,
    pub tty: bool,
    pub interactive: bool,
    pub hostname: Option<String>,
    pub init: bool,
    pub stop_signal: Option<String>,
    pub stop_timeout: Option<u64>,
}
impl SpecOptions {
    pub fn has_resource_limits(&self) -> bool {
        false
    }
}
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub enum RestartPolicy {
    #[default]
    No,
    OnFailure(Option<u32>),
    Always,
    UnlessStopped,
}
pub trait VolumeSource {
    fn named(&mut self, name: &str) -> Result<PathBuf, String>;
    fn anonymous(&mut self) -> Result<(String, PathBuf), String>;
}
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ResolvedMount {
    pub destination: String,
    pub source: String,
    pub options: Vec<String>,
    pub volume_name: Option<String>,
    pub anonymous: bool,
}
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct SpecError(String);
pub fn resolve_mounts(
    _: &ImageDefaults,
    _: &SpecOptions,
    _: &mut dyn VolumeSource,
) -> Result<Vec<ResolvedMount>, SpecError> {
    Ok(vec![])
}
pub struct SpecEnv<'a> {
    pub id: &'a str,
    pub rootfs: &'a Path,
    pub rootless: bool,
    pub host_uid: u32,
    pub host_gid: u32,
    pub etc_files: &'a [(String, PathBuf)],
    pub init_binary: Option<&'a Path>,
    pub cgroups_path: Option<String>,
}
pub fn build_spec(
    img: &ImageDefaults,
    o: &SpecOptions,
    _m: &[ResolvedMount],
    env: &SpecEnv,
) -> Result<oci_spec::runtime::Spec, SpecError> {
    let mut v = serde_json::to_value(crate::runtime::container::default_spec(false)).unwrap();
    let mut args = o
        .entrypoint
        .clone()
        .or(img.entrypoint.clone())
        .unwrap_or_default();
    if !o.command.is_empty() {
        args.extend(o.command.clone())
    } else if o.entrypoint.is_none() {
        args.extend(img.cmd.clone().unwrap_or_default())
    }
    v["process"]["args"] = serde_json::json!(args);
    v["process"]["terminal"] = serde_json::json!(o.tty);
    let mut e = img.env.clone();
    e.extend(o.env.clone());
    if !e.iter().any(|x| x.starts_with("PATH=")) {
        e.push("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into())
    }
    v["process"]["env"] = serde_json::json!(e);
    v["root"] = serde_json::json!({"path": env.rootfs, "readonly": false});
    v["hostname"] = serde_json::json!(&env.id[..12]);
    if env.rootless {
        v["mounts"]
            .as_array_mut()
            .unwrap()
            .retain(|m| m["type"] != "cgroup");
        for m in v["mounts"].as_array_mut().unwrap() {
            if m["destination"] == "/sys" {
                *m = serde_json::json!({"destination": "/sys", "type": "none", "source": "/sys", "options": ["rbind", "nosuid", "noexec", "nodev", "ro"]});
            }
        }
        v["linux"]["namespaces"]
            .as_array_mut()
            .unwrap()
            .retain(|n| n["type"] != "network" && n["type"] != "cgroup");
        v["linux"].as_object_mut().unwrap().remove("resources");
    }
    serde_json::from_value(v).map_err(|e| SpecError(e.to_string()))
}
pub fn write_etc_files(
    _dir: &Path,
    _h: &str,
    _n: &str,
    _o: &SpecOptions,
) -> Result<Vec<(String, PathBuf)>, SpecError> {
    Ok(vec![])
}
