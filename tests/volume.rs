//! `volume create|ls|inspect|rm|prune`, rootless.

mod common;

use std::path::PathBuf;

use common::*;

fn volumes_dir(env: &Env) -> PathBuf {
    env.data_dir().join("skiff/volumes")
}

/// Makes a container record that mounts `volume` (what `volumes_in_use` reads).
fn fake_container_using(env: &Env, id: &str, volume: &str) {
    let rec = serde_json::json!({
        "id": id,
        "mounts": [
            {"destination": "/data", "volume_name": volume},
            {"destination": "/etc/hosts", "volume_name": null}
        ]
    });
    env.write_user_file(
        &env.data_dir()
            .join(format!("skiff/containers/{id}/container.json")),
        rec.to_string().as_bytes(),
    );
}

#[test]
fn create_ls_inspect() {
    let env = Env::new();
    assert_eq!(
        env.skiff_ok(&["volume", "ls"]),
        "DRIVER    VOLUME NAME\n",
        "empty store"
    );
    assert_eq!(
        env.skiff_ok(&[
            "volume",
            "create",
            "data",
            "--label",
            "app=web",
            "-l",
            "tier",
            "--opt",
            "o=size=1m"
        ])
        .trim(),
        "data"
    );
    // Creating it again keeps the first volume (labels unchanged).
    assert_eq!(
        env.skiff_ok(&["volume", "create", "data", "--label", "app=other"])
            .trim(),
        "data"
    );
    let anon = env.skiff_ok(&["volume", "create"]).trim().to_string();
    assert_eq!(anon.len(), 64, "{anon}");
    assert!(anon.bytes().all(|b| b.is_ascii_hexdigit()));

    let data = volumes_dir(&env).join("data/_data");
    assert!(data.is_dir());

    let table = env.skiff_ok(&["volume", "ls"]);
    let mut want = [anon.clone(), "data".to_string()];
    want.sort();
    let expected: String = std::iter::once("DRIVER    VOLUME NAME\n".to_string())
        .chain(want.iter().map(|n| format!("local     {n}\n")))
        .collect();
    assert_eq!(table, expected);
    assert_eq!(
        env.skiff_ok(&["volume", "ls", "-q"]),
        format!("{}\n{}\n", want[0], want[1])
    );
    assert_eq!(
        env.skiff_ok(&[
            "volume",
            "ls",
            "--filter",
            "label=app=web",
            "--format",
            "{{.Name}} {{.Driver}} {{.Scope}} {{.Labels}}"
        ]),
        "data local local app=web,tier=\n"
    );
    assert_eq!(
        env.skiff_ok(&["volume", "ls", "-q", "-f", "name=dat"]),
        "data\n"
    );
    let json: serde_json::Value =
        serde_json::from_str(&env.skiff_ok(&["volume", "ls", "--format", "json"])).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 2);
    assert_eq!(
        env.skiff_ok(&[
            "volume",
            "list",
            "--format",
            "table {{.Name}}",
            "-f",
            "name=data"
        ]),
        "VOLUME NAME\ndata\n"
    );

    let out = env.skiff_ok(&["volume", "inspect", "data"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let v = &v[0];
    assert_eq!(v["Name"], "data");
    assert_eq!(v["Driver"], "local");
    assert_eq!(v["Scope"], "local");
    assert_eq!(v["Mountpoint"], data.display().to_string());
    assert_eq!(v["Labels"], serde_json::json!({"app": "web", "tier": ""}));
    assert_eq!(v["Options"], serde_json::json!({"o": "size=1m"}));
    assert!(v["CreatedAt"].as_str().unwrap().ends_with('Z'));
    assert_eq!(
        env.skiff_ok(&[
            "volume",
            "inspect",
            "--format",
            "{{.Name}}:{{.Driver}}",
            "data",
            &anon
        ]),
        format!("data:local\n{anon}:local\n")
    );
    let (code, err) = env.skiff_err(&["volume", "inspect", "data", "nope"]);
    assert_eq!(code, 125);
    assert!(err.contains("no such volume: nope"), "{err}");

    for (args, msg) in [
        (&["volume", "create", "x"][..], "invalid volume name \"x\""),
        (&["volume", "create", "-d", "nfs", "v2"], "driver \"nfs\""),
        (
            &["volume", "create", "--opt", "foo=1", "v3"],
            "option \"foo\"",
        ),
        (&["volume", "ls", "--filter", "size=1"], "invalid filter"),
    ] {
        let (code, err) = env.skiff_err(args);
        assert_eq!(code, 125, "{args:?}");
        assert!(err.contains(msg), "{args:?}: {err}");
    }
}

#[test]
fn rm_refuses_volumes_in_use() {
    let env = Env::new();
    env.skiff_ok(&["volume", "create", "busy"]);
    env.skiff_ok(&["volume", "create", "free"]);
    fake_container_using(&env, "c0ffee", "busy");

    assert_eq!(
        env.skiff_ok(&["volume", "ls", "-q", "--filter", "dangling=true"]),
        "free\n"
    );
    assert_eq!(
        env.skiff_ok(&["volume", "ls", "-q", "--filter", "dangling=false"]),
        "busy\n"
    );
    for args in [
        &["volume", "rm", "busy"][..],
        &["volume", "rm", "-f", "busy"],
    ] {
        let (code, err) = env.skiff_err(args);
        assert_eq!(code, 125);
        assert!(
            err.contains("volume busy is being used by a container"),
            "{err}"
        );
    }
    assert!(volumes_dir(&env).join("busy/_data").is_dir());

    // One failure does not stop the others.
    let out = env.skiff(&["volume", "rm", "nope", "free"]);
    assert_eq!(out.status.code(), Some(125));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "free\n");
    assert!(String::from_utf8_lossy(&out.stderr).contains("no such volume: nope"));
    assert!(!volumes_dir(&env).join("free").exists());
    env.skiff_ok(&["volume", "rm", "-f", "nope"]);
}

#[test]
fn prune_removes_unused_volumes() {
    let env = Env::new();
    env.skiff_ok(&["volume", "create", "keep"]);
    env.skiff_ok(&["volume", "create", "old", "--label", "tmp=1"]);
    env.skiff_ok(&["volume", "create", "older"]);
    fake_container_using(&env, "c0ffee", "keep");
    env.write_user_file(&volumes_dir(&env).join("old/_data/f"), b"12345");

    // Named volumes survive a plain prune (only anonymous ones go).
    assert_eq!(
        env.skiff_ok(&["volume", "prune", "-f"]),
        "Total reclaimed space: 0B\n"
    );
    assert_eq!(
        env.skiff_ok(&["volume", "prune", "-f", "-a", "--filter", "label=tmp"]),
        "Deleted Volumes:\nold\n\nTotal reclaimed space: 5B\n"
    );
    assert_eq!(
        env.skiff_ok(&["volume", "prune", "--force", "--all"]),
        "Deleted Volumes:\nolder\n\nTotal reclaimed space: 0B\n"
    );
    assert_eq!(env.skiff_ok(&["volume", "ls", "-q"]), "keep\n");
}

#[test]
fn rm_deletes_files_owned_by_subordinate_ids() {
    let env = Env::new();
    env.skiff_ok(&["volume", "create", "owned"]);
    let data = volumes_dir(&env).join("owned/_data");
    // What a container running as uid 1000 would leave: a private dir that
    // the user cannot enter outside the user namespace.
    let script = format!(
        "set -e; mkdir {d}/sub; echo x > {d}/sub/f; chown -R 1000:1000 {d}/sub; chmod 700 {d}/sub",
        d = data.display()
    );
    env.skiff_ok(&["unshare", "sh", "-c", &script]);
    let out = env.run_as_user("ls", &[data.join("sub").display().to_string()]);
    assert!(!out.status.success(), "the test needs an unreadable dir");
    assert_eq!(env.skiff_ok(&["volume", "rm", "owned"]), "owned\n");
    assert!(!volumes_dir(&env).join("owned").exists());
}
