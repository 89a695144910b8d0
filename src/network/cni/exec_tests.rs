use super::*;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

/// A fake plugin: records its command, env and stdin under `log/`, prints
/// `result` for ADD, or fails with an error object when `result` is None.
fn plugin(dir: &Path, name: &str, result: Option<&str>) {
    let body = match result {
        Some(r) => format!("[ \"$CNI_COMMAND\" = ADD ] && printf '%s' '{r}'\nexit 0\n"),
        None => "[ \"$CNI_COMMAND\" = ADD ] || exit 0\n\
                 printf '%s' '{\"code\":7,\"msg\":\"boom\",\"details\":\"on\\ntwo lines\"}'\nexit 1\n"
            .to_string(),
    };
    let script = format!(
        "#!/bin/sh\nd=$(dirname \"$0\")/log\n\
         echo \"$CNI_COMMAND $(basename \"$0\")\" >> \"$d/order\"\n\
         cat > \"$d/$CNI_COMMAND-$(basename \"$0\").json\"\n\
         env | grep '^CNI_' | sort > \"$d/$CNI_COMMAND-$(basename \"$0\").env\"\n{body}"
    );
    let p = dir.join(name);
    std::fs::write(&p, script).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
}

const R1: &str = r#"{"cniVersion":"1.0.0","interfaces":[{"name":"br0","mac":"aa:00:00:00:00:01"},{"name":"eth0","mac":"02:00:00:00:00:02","sandbox":"/proc/1/ns/net"}],"ips":[{"interface":1,"address":"10.9.0.5/24","gateway":"10.9.0.1"}]}"#;
const R2: &str = r#"{"cniVersion":"1.0.0","interfaces":[{"name":"br0"},{"name":"eth0","mac":"02:00:00:00:00:02","sandbox":"/proc/1/ns/net"}],"ips":[{"interface":1,"address":"10.9.0.5/24","gateway":"10.9.0.1"},{"interface":1,"address":"fd00::5/64"}]}"#;

fn setup() -> (tempfile::TempDir, Invocation) {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir(d.path().join("log")).unwrap();
    let mut rc = Map::new();
    rc.insert(
        "portMappings".into(),
        json!([{"hostPort": 8080, "containerPort": 80, "protocol": "tcp", "hostIP": ""}]),
    );
    let inv = Invocation {
        container_id: "c0ffee".into(),
        netns: "/proc/1/ns/net".into(),
        ifname: "eth0".into(),
        args: "IgnoreUnknown=1".into(),
        runtime_config: rc,
        plugin_dirs: vec![d.path().join("nothere"), d.path().to_path_buf()],
    };
    (d, inv)
}

fn list(types: &[&str]) -> NetworkList {
    let plugins: Vec<Value> = types
        .iter()
        .map(|t| {
            if *t == "second" {
                json!({"type": t, "capabilities": {"portMappings": true, "bandwidth": true}})
            } else {
                json!({"type": t, "runtimeConfig": {"stale": 1}})
            }
        })
        .collect();
    NetworkList::from_value(&json!({"cniVersion": "1.0.0", "name": "net1", "plugins": plugins}))
        .unwrap()
}

fn read_json(p: PathBuf) -> Value {
    serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap()
}

#[test]
fn add_chains_results_and_del_goes_backwards() {
    let (d, inv) = setup();
    plugin(d.path(), "first", Some(R1));
    plugin(d.path(), "second", Some(R2));
    let l = list(&["first", "second"]);
    let r = l.add(&inv).unwrap();
    assert_eq!(r, serde_json::from_str::<Value>(R2).unwrap());
    let log = d.path().join("log");
    let c1 = read_json(log.join("ADD-first.json"));
    assert_eq!(c1["name"], "net1");
    assert_eq!(c1["cniVersion"], "1.0.0");
    assert!(c1.get("prevResult").is_none());
    // No capabilities declared: no runtime config, and a stale one is dropped.
    assert!(c1.get("runtimeConfig").is_none(), "{c1}");
    let c2 = read_json(log.join("ADD-second.json"));
    assert_eq!(c2["prevResult"], serde_json::from_str::<Value>(R1).unwrap());
    // Only the capabilities the runtime has data for.
    assert_eq!(
        c2["runtimeConfig"],
        json!({"portMappings": [{"hostPort": 8080, "containerPort": 80, "protocol": "tcp", "hostIP": ""}]})
    );
    let env = std::fs::read_to_string(log.join("ADD-second.env")).unwrap();
    for want in [
        "CNI_COMMAND=ADD",
        "CNI_CONTAINERID=c0ffee",
        "CNI_IFNAME=eth0",
        "CNI_NETNS=/proc/1/ns/net",
        "CNI_ARGS=IgnoreUnknown=1",
    ] {
        assert!(env.lines().any(|l| l == want), "{want} not in {env}");
    }
    assert!(env.contains(&format!("CNI_PATH={}", d.path().join("nothere").display())));

    let gone = Invocation {
        netns: String::new(),
        ..inv.clone()
    };
    l.del(&gone, Some(&r)).unwrap();
    let order = std::fs::read_to_string(log.join("order")).unwrap();
    assert_eq!(order, "ADD first\nADD second\nDEL second\nDEL first\n");
    // DEL gets the final result, and an empty CNI_NETNS when it is gone.
    assert_eq!(read_json(log.join("DEL-first.json"))["prevResult"], r);
    let env = std::fs::read_to_string(log.join("DEL-first.env")).unwrap();
    assert!(env.lines().any(|l| l == "CNI_NETNS="), "{env}");

    l.check(&inv, &r).unwrap();
    assert_eq!(read_json(log.join("CHECK-second.json"))["prevResult"], r);

    let parsed = CniResult::parse(&r).unwrap();
    let a = parsed.addresses("eth0");
    assert_eq!(a.len(), 2);
    assert_eq!(a[0].ip, "10.9.0.5".parse::<IpAddr>().unwrap());
    assert_eq!(a[0].prefix_len, 24);
    assert_eq!(a[0].gateway, Some("10.9.0.1".parse().unwrap()));
    assert_eq!(a[0].mac, "02:00:00:00:00:02");
    assert!(a[1].ip.is_ipv6());
    assert!(parsed.addresses("eth1").is_empty());
}

#[test]
fn a_failing_plugin_is_named_and_what_ran_is_undone() {
    let (d, inv) = setup();
    plugin(d.path(), "first", Some(R1));
    plugin(d.path(), "bad", None);
    let e = list(&["first", "bad"]).add(&inv).unwrap_err().to_string();
    assert_eq!(e, "CNI plugin bad: boom: on two lines");
    let order = std::fs::read_to_string(d.path().join("log/order")).unwrap();
    assert_eq!(order, "ADD first\nADD bad\nDEL bad\nDEL first\n");
    // The DEL after a failed ADD carries what the chain made so far.
    let del = read_json(d.path().join("log/DEL-first.json"));
    assert_eq!(
        del["prevResult"],
        serde_json::from_str::<Value>(R1).unwrap()
    );

    let e = list(&["first", "missing"])
        .add(&inv)
        .unwrap_err()
        .to_string();
    assert!(e.contains("missing") && e.contains("not found"), "{e}");
}

#[test]
fn conflists_are_checked() {
    for (bad, why) in [
        (json!([]), "not a JSON object"),
        (
            json!({"name": "n", "plugins": [{"type": "x"}]}),
            "cniVersion",
        ),
        (
            json!({"name": "n", "cniVersion": "1.0.0", "plugins": []}),
            "empty",
        ),
        (
            json!({"name": "n", "cniVersion": "1.0.0", "plugins": [{"bridge": "x"}]}),
            "no \"type\"",
        ),
    ] {
        let e = NetworkList::from_value(&bad).unwrap_err();
        assert!(e.contains(why), "{bad}: {e}");
    }
    assert!(find_plugin("../bin/sh", &[PathBuf::from("/usr/lib/cni")]).is_err());
}
