//! A real client we did not write drives the runtime: Debian's rootless
//! Podman with `--runtime <skiff-runtime>` runs, execs into and stops a
//! container. Skipped (with a note) where podman is not installed.

mod common;

use common::*;

fn podman(env: &Env, runtime: &str, args: &[&str]) -> std::process::Output {
    let mut full = vec!["--runtime", runtime];
    full.extend_from_slice(args);
    env.run_as_user("podman", &full)
}

#[test]
fn podman_run_exec_stop_with_skiff_runtime() {
    if std::process::Command::new("podman")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("skipped: podman is not installed (contrib/setup.sh installs it)");
        return;
    }
    let env = Env::new();
    // `skiff-runtime` is skiff under another argv[0], next to the test copy.
    let rt = skiff_bin().with_file_name("skiff-runtime");
    if !rt.exists() {
        let _ = std::os::unix::fs::symlink("skiff", &rt);
    }
    let rt = rt.to_str().unwrap().to_string();

    // A busybox image made with podman itself, from the harness's fixture layout.
    let layout = &registry().fixtures().layout_dir;
    let out = env.run_as_user(
        "podman",
        &["pull", "-q", &format!("oci:{}:busybox", layout.display())],
    );
    assert!(out.status.success(), "{}", format_output(&out));
    let image = String::from_utf8_lossy(&out.stdout).trim().to_string();

    let out = podman(&env, &rt, &["run", "--rm", &image, "echo", "ok"]);
    assert!(out.status.success(), "{}", format_output(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "ok");

    let out = podman(
        &env,
        &rt,
        &["run", "-d", "--name", "c1", &image, "sleep", "300"],
    );
    assert!(out.status.success(), "{}", format_output(&out));
    let out = podman(&env, &rt, &["exec", "c1", "sh", "-c", "echo in; exit 7"]);
    assert_eq!(out.status.code(), Some(7), "{}", format_output(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "in");
    let out = podman(&env, &rt, &["stop", "-t", "1", "c1"]);
    assert!(out.status.success(), "{}", format_output(&out));
    let out = podman(
        &env,
        &rt,
        &["inspect", "--format", "{{.State.Status}}", "c1"],
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "exited",
        "{}",
        format_output(&out)
    );
    let out = podman(&env, &rt, &["rm", "c1"]);
    assert!(out.status.success(), "{}", format_output(&out));
    let _ = env.run_as_user("podman", &["system", "reset", "-f"]);
}
