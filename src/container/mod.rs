//! Containers: records, spec generation from image config plus options,
//! lifecycle, the per-container monitor, logs and volumes.
pub mod initbin;
pub mod logs;
pub mod names;
pub mod spec;
pub mod volumes;

/// Names of the volumes some container's record mounts (the `volume_name`
/// of each entry in `mounts` of `<data>/containers/*/container.json`).
/// Records that cannot be read are skipped: this answers "may I delete it?",
/// and a volume is kept while any readable record names it.
pub fn volumes_in_use(paths: &crate::config::Paths) -> std::collections::HashSet<String> {
    let mut used = std::collections::HashSet::new();
    let Ok(rd) = std::fs::read_dir(paths.data.join("containers")) else {
        return used;
    };
    for e in rd.flatten() {
        let Ok(data) = std::fs::read(e.path().join("container.json")) else {
            continue;
        };
        let Ok(rec) = serde_json::from_slice::<serde_json::Value>(&data) else {
            continue;
        };
        let mounts = rec.get("mounts").and_then(|m| m.as_array());
        for m in mounts.into_iter().flatten() {
            if let Some(n) = m.get("volume_name").and_then(|n| n.as_str()) {
                used.insert(n.to_string());
            }
        }
    }
    used
}
