//! TEMP stub
use super::driver::Driver;
use std::path::{Path, PathBuf};
pub struct RootfsLayout {
    pub lowers: Vec<PathBuf>,
    pub upper: PathBuf,
    pub work: PathBuf,
    pub merged: PathBuf,
}
pub fn prepare(_d: Driver, l: &RootfsLayout, _r: bool) -> std::io::Result<()> {
    for p in [&l.upper, &l.work, &l.merged] {
        std::fs::create_dir_all(p)?
    }
    Ok(())
}
pub fn mount(_d: Driver, l: &RootfsLayout, r: bool) -> std::io::Result<()> {
    let lower = l
        .lowers
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(":");
    let mut o = format!(
        "lowerdir={lower},upperdir={},workdir={}",
        l.upper.display(),
        l.work.display()
    );
    if r {
        o.push_str(",userxattr")
    }
    crate::sys::fs::mount_overlay(&l.merged, &o)
}
pub fn unmount(_d: Driver, m: &Path) -> std::io::Result<()> {
    crate::sys::fs::unmount_detach(m)
}
