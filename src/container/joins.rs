//! Containers that join other containers' namespaces (`container:NAME`
//! modes, pod members): which ones, and from where a start must run.
use super::lifecycle::{monitor_alive, refresh};
use super::record::Status;
use super::spec::{self, SpecOptions};
use super::store::ContainerStore;
use crate::config::Paths;

/// The containers whose namespaces `o` joins (`container:NAME` modes).
pub fn joined_containers(o: &SpecOptions) -> Vec<&str> {
    use spec::{NamespaceMode, NetworkMode};
    let mut out = Vec::new();
    if let NetworkMode::Container(n) = &o.network {
        out.push(n.as_str());
    }
    for m in [&o.ipc, &o.pid, &o.uts, &o.cgroupns] {
        if let NamespaceMode::Container(n) = m {
            out.push(n.as_str());
        }
    }
    out
}

/// The monitor pid of container `key` if it is running.
pub fn running_monitor(paths: &Paths, key: &str) -> Option<i32> {
    let store = ContainerStore::open(paths);
    let c = refresh(&store, store.lookup(key).ok()?).ok()?;
    (c.state.status == Status::Running && monitor_alive(&c.state)).then_some(c.state.monitor_pid)
}

/// Rootless, a namespace can only be joined from inside the user namespace
/// that owns it, and each skiff command makes a user namespace of its own:
/// a container that joins another's namespaces must be started from inside
/// that container's. Returns the monitor pid whose user namespace a start
/// of `key` should join: that of its pod's infra container, or of a
/// container its options name, when running.
pub fn namespace_holder(paths: &Paths, key: &str) -> Option<i32> {
    let store = ContainerStore::open(paths);
    let c = store.lookup(key).ok()?;
    if c.infra {
        return None;
    }
    if let Some(pod) = &c.pod
        && let Ok(p) = super::pod::Pod::load(&super::pod::PodStore::open(paths).dir(pod))
    {
        return running_monitor(paths, &p.infra_id);
    }
    joined_containers(&c.options)
        .into_iter()
        .find_map(|n| running_monitor(paths, n))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::container::spec::{NamespaceMode, NetworkMode};

    #[test]
    fn containers_named_by_namespace_modes() {
        let mut o = SpecOptions::default();
        assert!(joined_containers(&o).is_empty());
        o.network = NetworkMode::Container("infra".into());
        o.uts = NamespaceMode::Container("infra".into());
        o.pid = NamespaceMode::Container("other".into());
        o.ipc = NamespaceMode::Host;
        assert_eq!(joined_containers(&o), vec!["infra", "other", "infra"]);
    }

    #[test]
    fn nothing_to_join_without_a_store() {
        let d = tempfile::tempdir().unwrap();
        let paths =
            Paths::detect(Some(&d.path().join("data")), Some(&d.path().join("run"))).unwrap();
        assert_eq!(running_monitor(&paths, "nope"), None);
        assert_eq!(namespace_holder(&paths, "nope"), None);
    }
}
