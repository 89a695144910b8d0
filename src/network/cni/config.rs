//! skiff's default network: a conflist written to
//! `<config>/cni/skiff.conflist` the first time it is needed (a file the
//! user put there is used as it is), and the changes made to it for one
//! container (the IPAM dir, plugins with nothing to do).
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::CniError;
use super::exec::{self, NetworkList};

pub const NETWORK_NAME: &str = "skiff";
pub const BRIDGE: &str = "skiff0";
/// Not Podman's 10.88.0.0/16, so both can run on one host.
pub const SUBNET: &str = "10.89.0.0/24";
pub const GATEWAY: &str = "10.89.0.1";
/// The versions we speak, best first.
const VERSIONS: &[&str] = &["1.0.0", "0.4.0"];

pub fn conflist_path(config_dir: &Path) -> PathBuf {
    config_dir
        .join("cni")
        .join(format!("{NETWORK_NAME}.conflist"))
}

/// The default list: a bridge with host-local addresses and masquerading,
/// portmap for published ports, and the firewall plugin (so forwarding
/// works on hosts whose FORWARD policy is DROP) when it is installed.
pub fn default_conflist(version: &str, firewall: bool) -> Value {
    let mut plugins = vec![
        json!({
            "type": "bridge",
            "bridge": BRIDGE,
            "isGateway": true,
            "ipMasq": true,
            "hairpinMode": true,
            "ipam": {
                "type": "host-local",
                "routes": [{"dst": "0.0.0.0/0"}],
                "ranges": [[{"subnet": SUBNET, "gateway": GATEWAY}]],
            },
        }),
        json!({"type": "portmap", "capabilities": {"portMappings": true}}),
    ];
    if firewall {
        plugins.push(json!({"type": "firewall"}));
    }
    json!({"cniVersion": version, "name": NETWORK_NAME, "plugins": plugins})
}

/// The newest version of ours that the bridge plugin speaks.
fn pick_version(dirs: &[PathBuf]) -> Result<&'static str, CniError> {
    let supported = exec::supported_versions("bridge", dirs)?;
    Ok(VERSIONS
        .iter()
        .find(|v| supported.iter().any(|s| s == *v))
        .copied()
        .unwrap_or(VERSIONS[0]))
}

/// Reads the network list, writing the default one first if there is none.
pub fn load_or_create(config_dir: &Path, dirs: &[PathBuf]) -> Result<NetworkList, CniError> {
    let path = conflist_path(config_dir);
    let bad = |msg: String| CniError::Config {
        path: path.display().to_string(),
        msg,
    };
    let text = match std::fs::read(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let v = default_conflist(pick_version(dirs)?, exec::has_plugin("firewall", dirs));
            write_new(&path, &v).map_err(|e| bad(format!("writing it: {e}")))?;
            return NetworkList::from_value(&v).map_err(bad);
        }
        Err(e) => return Err(bad(e.to_string())),
    };
    let v: Value = serde_json::from_slice(&text).map_err(|e| bad(e.to_string()))?;
    NetworkList::from_value(&v).map_err(bad)
}

/// Writes `v` at `path` unless someone else (another container starting)
/// did meanwhile.
fn write_new(path: &Path, v: &Value) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::Builder::new().prefix(".tmp-").tempfile_in(dir)?;
    let mut data = serde_json::to_vec_pretty(v).map_err(std::io::Error::other)?;
    data.push(b'\n');
    tmp.write_all(&data)?;
    tmp.as_file().sync_all()?;
    match tmp.persist_noclobber(path) {
        Ok(_) => Ok(()),
        Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e.error),
    }
}

/// The list as run for one container: host-local keeps its leases under
/// skiff's data dir unless the list says where, and portmap is left out
/// when nothing is published (it would only add work to start and stop).
pub fn for_container(list: &NetworkList, data_dir: &Path, publishes: bool) -> NetworkList {
    let mut l = list.clone();
    l.plugins
        .retain(|p| publishes || p.get("type").and_then(Value::as_str) != Some("portmap"));
    let leases = data_dir.join("cni").join("networks");
    for p in &mut l.plugins {
        if let Some(ipam) = p.get_mut("ipam").and_then(Value::as_object_mut)
            && ipam.get("type").and_then(Value::as_str) == Some("host-local")
            && !ipam.contains_key("dataDir")
        {
            ipam.insert("dataDir".into(), json!(leases));
        }
    }
    l
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_list_is_a_valid_bridge_chain() {
        let v = default_conflist("1.0.0", true);
        let l = NetworkList::from_value(&v).unwrap();
        assert_eq!(l.name, "skiff");
        let types: Vec<&str> = l
            .plugins
            .iter()
            .map(|p| p["type"].as_str().unwrap())
            .collect();
        assert_eq!(types, ["bridge", "portmap", "firewall"]);
        assert_eq!(l.plugins[0]["ipam"]["ranges"][0][0]["subnet"], SUBNET);
        let no_fw = NetworkList::from_value(&default_conflist("0.4.0", false)).unwrap();
        assert_eq!(no_fw.plugins.len(), 2);
        assert_eq!(no_fw.cni_version, "0.4.0");
    }

    #[test]
    fn per_container_changes() {
        let l = NetworkList::from_value(&default_conflist("1.0.0", true)).unwrap();
        let c = for_container(&l, Path::new("/var/lib/skiff"), false);
        let types: Vec<&str> = c
            .plugins
            .iter()
            .map(|p| p["type"].as_str().unwrap())
            .collect();
        assert_eq!(types, ["bridge", "firewall"]);
        assert_eq!(
            c.plugins[0]["ipam"]["dataDir"],
            "/var/lib/skiff/cni/networks"
        );
        assert_eq!(for_container(&l, Path::new("/d"), true).plugins.len(), 3);
        // A dataDir the user chose stays.
        let mut own = l.clone();
        own.plugins[0]["ipam"]
            .as_object_mut()
            .unwrap()
            .insert("dataDir".into(), json!("/srv/leases"));
        assert_eq!(
            for_container(&own, Path::new("/d"), true).plugins[0]["ipam"]["dataDir"],
            "/srv/leases"
        );
    }

    #[test]
    fn a_missing_list_is_written_once_and_a_users_list_is_kept() {
        let d = tempfile::tempdir().unwrap();
        let plugins = tempfile::tempdir().unwrap();
        // A bridge that answers VERSION with 0.4.0 only.
        let bridge = plugins.path().join("bridge");
        std::fs::write(
            &bridge,
            "#!/bin/sh\ncat >/dev/null\nprintf '%s' '{\"cniVersion\":\"0.4.0\",\"supportedVersions\":[\"0.3.1\",\"0.4.0\"]}'\n",
        )
        .unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&bridge, std::fs::Permissions::from_mode(0o755)).unwrap();
        let dirs = vec![plugins.path().to_path_buf()];
        let l = load_or_create(d.path(), &dirs).unwrap();
        assert_eq!(l.cni_version, "0.4.0");
        assert_eq!(l.plugins.len(), 2, "no firewall plugin here");
        let path = conflist_path(d.path());
        let written: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(NetworkList::from_value(&written).unwrap(), l);

        std::fs::write(
            &path,
            r#"{"cniVersion":"1.0.0","name":"mine","plugins":[{"type":"ptp"}]}"#,
        )
        .unwrap();
        assert_eq!(load_or_create(d.path(), &dirs).unwrap().name, "mine");
        std::fs::write(&path, "{").unwrap();
        let e = load_or_create(d.path(), &dirs).unwrap_err().to_string();
        assert!(e.contains("skiff.conflist"), "{e}");
    }
}
