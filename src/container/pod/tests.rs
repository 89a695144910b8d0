//! Pod records, lookup, status and joining, without containers running.
use super::*;

#[test]
fn share_lists() {
    use Shared::*;
    assert_eq!(parse_share("ipc,net,uts").unwrap(), vec![Ipc, Net, Uts]);
    assert_eq!(parse_share("net").unwrap(), vec![Net]);
    assert_eq!(parse_share("+pid").unwrap(), vec![Ipc, Net, Pid, Uts]);
    assert_eq!(parse_share("pid,net,net").unwrap(), vec![Net, Pid]);
    assert!(parse_share("").unwrap().is_empty());
    assert!(parse_share("none").unwrap().is_empty());
    let e = parse_share("net,cgroup").unwrap_err().to_string();
    assert!(
        e.contains("\"cgroup\"") && e.contains("ipc, net, pid and uts"),
        "{e}"
    );
    assert!(parse_share("net,none").is_err());
}

fn ctr(status: Status, infra: bool) -> Container {
    let mut c: Container = serde_json::from_value(serde_json::json!({
        "id": "a".repeat(64), "name": "c", "image": "", "image_name": "", "image_id": "",
        "created": "2024-01-01T00:00:00Z", "options": {}, "image_defaults": {},
        "driver": "vfs",
    }))
    .unwrap();
    c.state.status = status;
    c.infra = infra;
    c
}

#[test]
fn pod_status_from_containers() {
    use Status::*;
    let st = |l: &[Status]| status(&l.iter().map(|s| ctr(*s, false)).collect::<Vec<_>>());
    assert_eq!(st(&[]), "Created");
    assert_eq!(st(&[Created, Created]), "Created");
    assert_eq!(st(&[Running, Running]), "Running");
    assert_eq!(st(&[Running, Exited]), "Degraded");
    assert_eq!(st(&[Running, Created]), "Degraded");
    assert_eq!(st(&[Paused, Paused]), "Paused");
    assert_eq!(st(&[Exited, Exited]), "Exited");
    assert_eq!(st(&[Exited, Created]), "Stopped");
}

#[test]
fn records_read_without_the_pod_fields() {
    // A record written before pods existed still loads.
    let c = ctr(Status::Created, false);
    assert!(c.pod.is_none() && !c.infra);
    let v = serde_json::to_value(&c).unwrap();
    assert!(v.get("pod").is_none() && v.get("infra").is_none(), "{v}");
    let c = ctr(Status::Created, true);
    assert_eq!(serde_json::to_value(&c).unwrap()["infra"], true);
}

fn paths(dir: &Path) -> Paths {
    Paths::detect(Some(&dir.join("data")), Some(&dir.join("run"))).unwrap()
}

fn pod(store: &PodStore, name: &str, id: &str) -> Pod {
    let p = Pod {
        id: id.to_string(),
        name: name.to_string(),
        created: Utc::now(),
        labels: BTreeMap::new(),
        hostname: name.to_string(),
        infra_id: "f".repeat(64),
        share: Shared::DEFAULT.to_vec(),
        network: NetworkMode::Default,
        ports: Vec::new(),
    };
    std::fs::create_dir_all(store.dir(id)).unwrap();
    p.save(&store.dir(id)).unwrap();
    p
}

#[test]
fn lookup_by_name_id_and_prefix() {
    let d = tempfile::tempdir().unwrap();
    let store = PodStore::open(&paths(d.path()));
    assert!(store.list().unwrap().is_empty());
    let a = format!("abc{}", "1".repeat(61));
    let b = format!("abd{}", "2".repeat(61));
    pod(&store, "web", &a);
    pod(&store, "db", &b);
    assert_eq!(store.lookup("web").unwrap().id, a);
    assert_eq!(store.lookup(&b).unwrap().name, "db");
    assert_eq!(store.lookup("abc").unwrap().name, "web");
    assert!(matches!(store.lookup("ab"), Err(PodError::Ambiguous(_))));
    assert!(matches!(store.lookup("zz"), Err(PodError::NotFound(_))));
    assert!(store.exists(&a));
    // A dir without a record (a create that died) is skipped.
    std::fs::create_dir_all(store.dir(&"9".repeat(64))).unwrap();
    assert_eq!(store.list().unwrap().len(), 2);
}

#[test]
fn members_join_the_infra_namespaces() {
    let d = tempfile::tempdir().unwrap();
    let p = paths(d.path());
    let store = PodStore::open(&p);
    let id = "c".repeat(64);
    let infra = "f".repeat(64);
    pod(&store, "web", &id);
    let mut o = SpecOptions::default();
    let (got, _lock) = join(&p, "web", &mut o).unwrap();
    assert_eq!(got.id, id);
    assert_eq!(o.network, NetworkMode::Container(infra.clone()));
    assert_eq!(o.ipc, NamespaceMode::Container(infra.clone()));
    assert_eq!(o.uts, NamespaceMode::Container(infra.clone()));
    assert_eq!(o.pid, NamespaceMode::Private);
    assert_eq!(o.hostname.as_deref(), Some("web"));

    let refused = |f: &dyn Fn(&mut SpecOptions), want: &str| {
        let mut o = SpecOptions::default();
        f(&mut o);
        let e = join(&p, "web", &mut o).err().unwrap().to_string();
        assert!(e.contains(want), "{e}");
    };
    refused(
        &|o| o.publish = vec!["80".into()],
        "publish them on the pod",
    );
    refused(
        &|o| o.network = NetworkMode::Host,
        "--network cannot be set",
    );
    refused(&|o| o.ipc = NamespaceMode::Host, "--ipc cannot be set");
    refused(
        &|o| o.hostname = Some("x".into()),
        "--hostname cannot be set",
    );
    assert!(matches!(
        join(&p, "nope", &mut SpecOptions::default()),
        Err(PodError::NotFound(_))
    ));
}
