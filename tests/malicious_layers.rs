//! Layers crafted to escape their directory, pulled rootless from a real
//! registry: each one is either refused or contained, and nothing outside the
//! layer directory changes.

mod common;

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use common::*;

/// A directory the test user can write to, outside the skiff store, that a
/// successful escape would touch.
fn victim_dir(env: &Env) -> PathBuf {
    let d = env.root().join("victim");
    env.write_user_file(&d.join("keep.txt"), b"untouched\n");
    d
}

fn snapshot(dir: &Path) -> Vec<(String, u64, u64)> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| {
            let m = e.metadata().unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                m.len(),
                m.nlink(),
            )
        })
        .collect();
    v.sort();
    v
}

/// Pushes a one-layer image of `entries`, pulls it, and returns (exit code, stderr).
fn pull_layer(env: &Env, repo: &str, entries: &[RawEntry]) -> (i32, String) {
    let reg = registry();
    let layer = gzip(&tar_with_raw_entries(entries));
    push_raw_image(reg, repo, vec![layer]);
    let out = env.skiff(&["pull", "-q", &reg.url(repo)]);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn assert_untouched(victim: &Path, before: &[(String, u64, u64)]) {
    assert_eq!(snapshot(victim), before, "victim dir changed");
    assert_eq!(
        std::fs::read_to_string(victim.join("keep.txt")).unwrap(),
        "untouched\n"
    );
}

#[test]
fn dot_dot_paths_are_refused() {
    let env = Env::new();
    let victim = victim_dir(&env);
    let before = snapshot(&victim);
    // The store is <root>/data/skiff/storage/layers/<x>/diff: enough ../ to reach <root>.
    let escape = "../../../../../../victim/pwned";
    let (code, err) = pull_layer(
        &env,
        "evil/dotdot:latest",
        &[
            RawEntry::file("ok.txt", "ok"),
            RawEntry::file(escape, "pwned"),
        ],
    );
    assert_eq!(code, 125, "{err}");
    assert!(err.contains("escapes the layer root"), "{err}");
    assert_untouched(&victim, &before);
    assert_eq!(env.skiff_ok(&["images", "-q"]), "", "no image recorded");
}

#[test]
fn absolute_symlink_cannot_redirect_writes() {
    let env = Env::new();
    let victim = victim_dir(&env);
    let before = snapshot(&victim);
    let (code, err) = pull_layer(
        &env,
        "evil/abslink:latest",
        &[
            RawEntry::symlink("evil", victim.display().to_string()),
            RawEntry::file("evil/pwned", "pwned"),
        ],
    );
    // Either refused, or written inside the layer at <layer>/<victim path>.
    if code == 0 {
        let image = registry().url("evil/abslink:latest");
        let top = env
            .skiff_ok(&[
                "image",
                "inspect",
                "--format",
                "{{.GraphDriver.Data.UpperDir}}",
                &image,
            ])
            .trim()
            .to_string();
        let inside = Path::new(&top)
            .join(victim.strip_prefix("/").unwrap())
            .join("pwned");
        assert!(inside.exists(), "write went nowhere visible: {err}");
    } else {
        assert_eq!(code, 125, "{err}");
    }
    assert_untouched(&victim, &before);
}

#[test]
fn relative_symlink_climbing_out_is_contained() {
    let env = Env::new();
    let victim = victim_dir(&env);
    let before = snapshot(&victim);
    let (code, err) = pull_layer(
        &env,
        "evil/rellink:latest",
        &[
            RawEntry::symlink("up", "../../../../../../../../.."),
            RawEntry::file(format!("up{}/pwned", victim.display()), "pwned"),
        ],
    );
    assert!(code == 0 || code == 125, "{err}");
    assert_untouched(&victim, &before);
}

#[test]
fn hardlink_to_outside_file_is_never_made() {
    let env = Env::new();
    let victim = victim_dir(&env);
    let before = snapshot(&victim);
    let target = victim.join("keep.txt");
    for (repo, link_target) in [
        ("evil/hardabs:latest", target.display().to_string()),
        (
            "evil/hardrel:latest",
            "../../../../../../victim/keep.txt".to_string(),
        ),
        ("evil/hardpasswd:latest", "/etc/passwd".to_string()),
    ] {
        let (code, err) = pull_layer(&env, repo, &[RawEntry::hardlink("hl", &link_target)]);
        assert_eq!(code, 125, "{repo}: {err}");
        assert_untouched(&victim, &before);
    }
    assert_eq!(std::fs::metadata(&target).unwrap().nlink(), 1);
    assert_eq!(std::fs::metadata("/etc/passwd").unwrap().nlink(), 1);
}

#[test]
fn symlink_swapped_in_for_a_directory_is_contained() {
    let env = Env::new();
    let victim = victim_dir(&env);
    let before = snapshot(&victim);
    let (code, err) = pull_layer(
        &env,
        "evil/swap:latest",
        &[
            RawEntry::dir("d"),
            RawEntry::file("d/a", "a"),
            RawEntry::symlink("d", victim.display().to_string()),
            RawEntry::file("d/pwned", "pwned"),
        ],
    );
    assert!(code == 0 || code == 125, "{err}");
    assert_untouched(&victim, &before);
}

#[test]
fn device_nodes_are_skipped_rootless_with_a_warning() {
    let env = Env::new();
    let (code, err) = pull_layer(
        &env,
        "odd/devices:latest",
        &[
            RawEntry::file("ok.txt", "ok"),
            RawEntry::char_device("dev/null2", 1, 3),
        ],
    );
    if test_user().switch || !is_root() {
        assert_eq!(code, 0, "{err}");
        assert!(
            err.to_lowercase().contains("device"),
            "expected a warning: {err}"
        );
    }
}
