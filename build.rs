//! Builds `skiff-init` (src/init/main.rs), the `--init` program, as a
//! standalone static executable that the skiff binary embeds. It is compiled
//! by the same rustc, for the same target, but as its own crate: it must not
//! be the skiff binary (CVE-2019-5736) and must run in any image, hence
//! static. glibc's libc.a (libc6-dev) provides the C library.
use std::env;
use std::path::PathBuf;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=src/init/main.rs");
    println!("cargo:rerun-if-changed=build.rs");
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("OUT_DIR")).join("skiff-init");
    let rustc = env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let target = env::var("TARGET").expect("TARGET");
    let mut cmd = Command::new(rustc);
    cmd.args([
        "--edition",
        "2024",
        "--crate-type",
        "bin",
        "--crate-name",
        "skiff_init",
        "--target",
        &target,
        "-C",
        "opt-level=s",
        "-C",
        "panic=abort",
        "-C",
        "codegen-units=1",
        "-C",
        "target-feature=+crt-static",
        "-C",
        "strip=symbols",
        "-o",
    ])
    .arg(&out)
    .arg("src/init/main.rs");
    if let Ok(linker) = env::var("RUSTC_LINKER") {
        cmd.arg("-C").arg(format!("linker={linker}"));
    }
    let status = cmd
        .status()
        .unwrap_or_else(|e| panic!("running rustc for skiff-init: {e}"));
    assert!(
        status.success(),
        "building skiff-init failed ({status}): a static build needs the C library's \
         static archive (libc6-dev's libc.a on Debian/Ubuntu, glibc-static on Fedora)"
    );
}
