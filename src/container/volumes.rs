//! TEMP stub
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
pub struct VolumeStore(PathBuf);
pub struct Volume {
    pub name: String,
}
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct VolumeError(String);
impl VolumeStore {
    pub fn open(d: &Path) -> Result<Self, VolumeError> {
        Ok(Self(d.join("volumes")))
    }
    pub fn ensure(&self, n: &str) -> Result<PathBuf, VolumeError> {
        Ok(self.0.join(n))
    }
    pub fn create(
        &self,
        _n: Option<&str>,
        _l: BTreeMap<String, String>,
        _o: BTreeMap<String, String>,
        _a: bool,
    ) -> Result<Volume, VolumeError> {
        Ok(Volume { name: "x".into() })
    }
    pub fn path(&self, n: &str) -> PathBuf {
        self.0.join(n)
    }
    pub fn remove(&self, _n: &str, _f: bool, _u: &dyn Fn(&str) -> bool) -> Result<(), VolumeError> {
        Ok(())
    }
}
