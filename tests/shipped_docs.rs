//! The shell completions and man pages shipped in the repository match what
//! the CLI generates; regenerate with `contrib/gen-docs.sh` after changing flags.

mod common;

use std::path::Path;

use common::*;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn shipped_completions_are_current() {
    let env = Env::new();
    for (shell, file) in [
        ("bash", "skiff.bash"),
        ("zsh", "_skiff"),
        ("fish", "skiff.fish"),
    ] {
        let generated = env.skiff_ok(&["completion", shell]);
        let shipped = std::fs::read_to_string(repo().join("contrib/completions").join(file))
            .unwrap_or_default();
        assert!(
            generated == shipped,
            "contrib/completions/{file} is stale: run contrib/gen-docs.sh"
        );
    }
}

#[test]
fn shipped_man_pages_are_current() {
    let env = Env::new();
    let dir = env.root().join("man");
    env.skiff_ok(&["generate-man", dir.to_str().unwrap()]);
    let list = |d: &Path| {
        let mut v: Vec<String> = std::fs::read_dir(d)
            .map(|r| {
                r.filter_map(Result::ok)
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v
    };
    let shipped_dir = repo().join("docs/man");
    let (generated, shipped) = (list(&dir), list(&shipped_dir));
    assert_eq!(
        generated, shipped,
        "docs/man is stale: run contrib/gen-docs.sh"
    );
    for name in &generated {
        let a = std::fs::read(dir.join(name)).unwrap();
        let b = std::fs::read(shipped_dir.join(name)).unwrap();
        assert!(a == b, "docs/man/{name} is stale: run contrib/gen-docs.sh");
    }
}
