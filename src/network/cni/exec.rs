//! The CNI protocol (spec 1.0.0, compatible with 0.3.x/0.4.0 results): a
//! network configuration list's plugins run one after the other for ADD
//! (each gets the previous one's result), in reverse for DEL and CHECK
//! (each gets the final ADD result). A plugin is an executable found by its
//! `type` in the plugin dirs; it reads its config on stdin, the command and
//! the container's identity from `CNI_*` variables, and prints a result or
//! an error object on stdout.
use std::io::Write;
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::CniError;

/// Where distributions install the plugins (Debian: /usr/lib/cni).
pub const PLUGIN_DIRS: &[&str] = &[
    "/usr/local/libexec/cni",
    "/usr/libexec/cni",
    "/usr/local/lib/cni",
    "/usr/lib/cni",
    "/opt/cni/bin",
];

/// The dirs of [`PLUGIN_DIRS`].
pub fn default_plugin_dirs() -> Vec<PathBuf> {
    PLUGIN_DIRS.iter().map(PathBuf::from).collect()
}

/// Finds plugin `ty` in `dirs`.
pub fn find_plugin(ty: &str, dirs: &[PathBuf]) -> Result<PathBuf, CniError> {
    // A type is a file name, never a path.
    if !ty.is_empty() && !ty.contains('/') && ty != "." && ty != ".." {
        for d in dirs {
            let p = d.join(ty);
            if p.is_file() {
                return Ok(p);
            }
        }
    }
    Err(CniError::NotFound {
        plugin: ty.to_string(),
        dirs: dirs
            .iter()
            .map(|d| d.display().to_string())
            .collect::<Vec<_>>()
            .join(":"),
    })
}

/// A network configuration list (a `.conflist` file).
#[derive(Clone, Debug, PartialEq)]
pub struct NetworkList {
    pub name: String,
    pub cni_version: String,
    /// Each plugin's configuration object, with at least `type`.
    pub plugins: Vec<Map<String, Value>>,
}

impl NetworkList {
    /// Checks and takes apart a conflist document.
    pub fn from_value(v: &Value) -> Result<NetworkList, String> {
        let obj = v.as_object().ok_or("not a JSON object")?;
        let text = |k: &str| -> Result<String, String> {
            obj.get(k)
                .and_then(Value::as_str)
                .map(str::to_string)
                .ok_or_else(|| format!("{k:?} is missing or not a string"))
        };
        let name = text("name")?;
        let cni_version = text("cniVersion")?;
        let list = obj
            .get("plugins")
            .and_then(Value::as_array)
            .ok_or("\"plugins\" is missing or not a list")?;
        if list.is_empty() {
            return Err("\"plugins\" is empty".into());
        }
        let mut plugins = Vec::new();
        for (i, p) in list.iter().enumerate() {
            let p = p
                .as_object()
                .ok_or_else(|| format!("plugin {i} is not an object"))?;
            if !p.get("type").is_some_and(Value::is_string) {
                return Err(format!("plugin {i} has no \"type\""));
            }
            plugins.push(p.clone());
        }
        Ok(NetworkList {
            name,
            cni_version,
            plugins,
        })
    }

    pub fn to_value(&self) -> Value {
        json!({
            "cniVersion": self.cni_version,
            "name": self.name,
            "plugins": self.plugins,
        })
    }

    /// What plugin `i` reads on stdin: its own object plus the list's name
    /// and version, the runtime config for the capabilities it declares,
    /// and the previous result.
    fn plugin_config(&self, i: usize, inv: &Invocation, prev: Option<&Value>) -> Value {
        let mut c = self.plugins[i].clone();
        c.insert("cniVersion".into(), json!(self.cni_version));
        c.insert("name".into(), json!(self.name));
        c.remove("runtimeConfig");
        c.remove("prevResult");
        let wanted: Map<String, Value> = c
            .get("capabilities")
            .and_then(Value::as_object)
            .map(|caps| {
                caps.iter()
                    .filter(|(_, on)| on.as_bool() == Some(true))
                    .filter_map(|(k, _)| inv.runtime_config.get(k).map(|v| (k.clone(), v.clone())))
                    .collect()
            })
            .unwrap_or_default();
        if !wanted.is_empty() {
            c.insert("runtimeConfig".into(), Value::Object(wanted));
        }
        if let Some(p) = prev {
            c.insert("prevResult".into(), p.clone());
        }
        Value::Object(c)
    }

    fn plugin_type(&self, i: usize) -> &str {
        self.plugins[i]
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("")
    }

    /// ADD through the whole list; the last plugin's result. A failing
    /// plugin's error is returned after a best-effort DEL of the list, as
    /// the spec asks, so nothing half-made is left.
    pub fn add(&self, inv: &Invocation) -> Result<Value, CniError> {
        let mut prev: Option<Value> = None;
        for i in 0..self.plugins.len() {
            let conf = self.plugin_config(i, inv, prev.as_ref());
            match run(self.plugin_type(i), "ADD", inv, &conf) {
                Ok(Some(r)) => prev = Some(r),
                Ok(None) => {
                    let e = CniError::Plugin {
                        plugin: self.plugin_type(i).to_string(),
                        msg: "ADD printed no result".into(),
                    };
                    let _ = self.del(inv, prev.as_ref());
                    return Err(e);
                }
                Err(e) => {
                    let _ = self.del(inv, prev.as_ref());
                    return Err(e);
                }
            }
        }
        Ok(prev.unwrap_or(Value::Null))
    }

    /// DEL through the list in reverse with the final ADD result. Every
    /// plugin is called even when one fails (each frees what it made); the
    /// first error is returned.
    pub fn del(&self, inv: &Invocation, result: Option<&Value>) -> Result<(), CniError> {
        let mut first = None;
        for i in (0..self.plugins.len()).rev() {
            let conf = self.plugin_config(i, inv, result);
            if let Err(e) = run(self.plugin_type(i), "DEL", inv, &conf) {
                first.get_or_insert(e);
            }
        }
        first.map_or(Ok(()), Err)
    }

    /// CHECK through the list (in order) against the final ADD result.
    pub fn check(&self, inv: &Invocation, result: &Value) -> Result<(), CniError> {
        for i in 0..self.plugins.len() {
            let conf = self.plugin_config(i, inv, Some(result));
            run(self.plugin_type(i), "CHECK", inv, &conf)?;
        }
        Ok(())
    }
}

/// The container side of a call: who, where, and the runtime's data.
#[derive(Clone, Debug, Default)]
pub struct Invocation {
    pub container_id: String,
    /// The network namespace's path; empty for a DEL when it is gone.
    pub netns: String,
    pub ifname: String,
    /// `CNI_ARGS` (`K=V;K=V`).
    pub args: String,
    /// Capability name -> value (`portMappings`: [...]).
    pub runtime_config: Map<String, Value>,
    pub plugin_dirs: Vec<PathBuf>,
}

/// A plugin's error object.
#[derive(Deserialize)]
struct PluginError {
    #[serde(default)]
    msg: String,
    #[serde(default)]
    details: String,
}

/// Runs one plugin; `Ok(None)` when it printed nothing (DEL, CHECK).
fn run(ty: &str, command: &str, inv: &Invocation, conf: &Value) -> Result<Option<Value>, CniError> {
    let path = find_plugin(ty, &inv.plugin_dirs)?;
    let mut cmd = Command::new(&path);
    cmd.env_clear()
        .env("CNI_COMMAND", command)
        .env("CNI_CONTAINERID", &inv.container_id)
        .env("CNI_NETNS", &inv.netns)
        .env("CNI_IFNAME", &inv.ifname)
        .env("CNI_ARGS", &inv.args)
        .env("CNI_PATH", join_dirs(&inv.plugin_dirs))
        .env("PATH", tool_path());
    let stdin = serde_json::to_vec(conf).map_err(|e| CniError::Plugin {
        plugin: ty.to_string(),
        msg: format!("encoding its config: {e}"),
    })?;
    let out = exec(&mut cmd, &stdin).map_err(|e| CniError::Plugin {
        plugin: ty.to_string(),
        msg: format!("running {}: {e}", path.display()),
    })?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        let msg = match serde_json::from_str::<PluginError>(&stdout) {
            Ok(e) if !e.msg.is_empty() => {
                if e.details.is_empty() {
                    e.msg
                } else {
                    format!("{}: {}", e.msg, e.details)
                }
            }
            _ => String::from_utf8_lossy(&out.stderr)
                .lines()
                .chain(stdout.lines())
                .rfind(|l| !l.trim().is_empty())
                .map(str::to_string)
                .unwrap_or_else(|| format!("{command} failed ({})", out.status)),
        };
        return Err(CniError::Plugin {
            plugin: ty.to_string(),
            msg: one_line(&msg),
        });
    }
    if stdout.trim().is_empty() {
        return Ok(None);
    }
    serde_json::from_str(&stdout)
        .map(Some)
        .map_err(|e| CniError::Plugin {
            plugin: ty.to_string(),
            msg: format!("{command} printed no valid result: {e}"),
        })
}

fn exec(cmd: &mut Command, stdin: &[u8]) -> std::io::Result<std::process::Output> {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    // Plugins read all of stdin before writing: no deadlock with a config
    // that fits the pipe or not.
    if let Some(mut i) = child.stdin.take() {
        i.write_all(stdin)?;
    }
    child.wait_with_output()
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn join_dirs(dirs: &[PathBuf]) -> String {
    dirs.iter()
        .map(|d| d.display().to_string())
        .collect::<Vec<_>>()
        .join(":")
}

/// The caller's PATH with the system dirs added: plugins run iptables, and
/// a command started from a minimal environment may lack /usr/sbin.
fn tool_path() -> String {
    let mut dirs: Vec<String> = std::env::var("PATH")
        .unwrap_or_default()
        .split(':')
        .filter(|d| !d.is_empty())
        .map(str::to_string)
        .collect();
    for d in [
        "/usr/local/sbin",
        "/usr/local/bin",
        "/usr/sbin",
        "/usr/bin",
        "/sbin",
        "/bin",
    ] {
        if !dirs.iter().any(|x| x == d) {
            dirs.push(d.to_string());
        }
    }
    dirs.join(":")
}

/// The CNI versions plugin `ty` speaks (its VERSION command).
pub fn supported_versions(ty: &str, dirs: &[PathBuf]) -> Result<Vec<String>, CniError> {
    let inv = Invocation {
        plugin_dirs: dirs.to_vec(),
        ..Default::default()
    };
    let r = run(ty, "VERSION", &inv, &json!({"cniVersion": "1.0.0"}))?;
    Ok(r.as_ref()
        .and_then(|v| v.get("supportedVersions"))
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default())
}

/// The parts of a result skiff uses.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct CniResult {
    #[serde(default)]
    pub interfaces: Vec<Interface>,
    #[serde(default)]
    pub ips: Vec<IpConfig>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct Interface {
    pub name: String,
    #[serde(default)]
    pub mac: String,
    /// The namespace path for an interface inside a container.
    #[serde(default)]
    pub sandbox: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct IpConfig {
    /// CIDR form: `10.89.0.2/24`.
    pub address: String,
    #[serde(default)]
    pub gateway: Option<IpAddr>,
    /// Index into `interfaces`.
    #[serde(default)]
    pub interface: Option<usize>,
}

/// One address of the container, taken apart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Address {
    pub ip: IpAddr,
    pub prefix_len: u8,
    pub gateway: Option<IpAddr>,
    pub mac: String,
}

impl CniResult {
    pub fn parse(v: &Value) -> Result<CniResult, String> {
        CniResult::deserialize(v).map_err(|e| format!("unexpected CNI result: {e}"))
    }

    /// The addresses on the container's interface `ifname` (those naming
    /// no interface count too), IPv4 first.
    pub fn addresses(&self, ifname: &str) -> Vec<Address> {
        let mut out: Vec<Address> = self
            .ips
            .iter()
            .filter_map(|c| {
                let itf = c.interface.and_then(|i| self.interfaces.get(i));
                if itf.is_some_and(|i| i.name != ifname || i.sandbox.is_empty()) {
                    return None;
                }
                let (ip, len) = c.address.split_once('/')?;
                Some(Address {
                    ip: ip.parse().ok()?,
                    prefix_len: len.parse().ok()?,
                    gateway: c.gateway,
                    mac: itf.map(|i| i.mac.clone()).unwrap_or_default(),
                })
            })
            .collect();
        out.sort_by_key(|a| a.ip.is_ipv6());
        out
    }
}

/// Whether one of `dirs` holds plugin `ty`.
pub fn has_plugin(ty: &str, dirs: &[PathBuf]) -> bool {
    find_plugin(ty, dirs).is_ok()
}

#[cfg(test)]
#[path = "exec_tests.rs"]
mod tests;
