//! AppArmor: the profile named by `process.apparmorProfile` is requested for
//! the next execve by writing `exec <profile>` to the process's attr file.
//! When the kernel has no AppArmor (the module parameter is missing or not
//! "Y"), the profile is skipped with one note on stderr, as runc and crun
//! do: a config written for an AppArmor host still runs elsewhere.
use std::io::Write;
use std::path::{Path, PathBuf};

use super::SecurityError;

const ENABLED: &str = "/sys/module/apparmor/parameters/enabled";
/// The stacking-aware interface (Linux 5.1+) first, then the legacy one.
const ATTR_FILES: [&str; 2] = [
    "/proc/thread-self/attr/apparmor/exec",
    "/proc/thread-self/attr/exec",
];

/// Whether the running kernel has AppArmor enabled.
pub fn apparmor_enabled() -> bool {
    enabled_at(Path::new(ENABLED))
}

fn enabled_at(param: &Path) -> bool {
    std::fs::read_to_string(param).is_ok_and(|s| s.trim_start().starts_with('Y'))
}

/// A profile name the kernel can take: non-empty, one line, no NUL.
pub fn check_profile_name(profile: &str) -> Result<(), SecurityError> {
    if profile.is_empty() || profile.contains(['\n', '\0']) || profile.trim() != profile {
        return Err(SecurityError::InvalidConfig(format!(
            "apparmorProfile {profile:?} is not a valid profile name"
        )));
    }
    Ok(())
}

/// Applies `profile` on the next execve (see the module docs).
pub fn apply_apparmor(profile: Option<&str>) -> Result<(), SecurityError> {
    let attrs: Vec<PathBuf> = ATTR_FILES.iter().map(PathBuf::from).collect();
    apply_at(profile, Path::new(ENABLED), &attrs)
}

fn apply_at(profile: Option<&str>, param: &Path, attrs: &[PathBuf]) -> Result<(), SecurityError> {
    let Some(profile) = profile.filter(|p| !p.is_empty()) else {
        return Ok(());
    };
    check_profile_name(profile)?;
    if !enabled_at(param) {
        eprintln!("skiff: AppArmor is not enabled in this kernel; profile {profile:?} not applied");
        return Ok(());
    }
    let mut last_err = None;
    for attr in attrs {
        let opened = std::fs::OpenOptions::new().write(true).open(attr);
        match opened {
            // The kernel parses the whole command from one write.
            Ok(mut f) => {
                return f
                    .write_all(format!("exec {profile}").as_bytes())
                    .map_err(|source| SecurityError::AppArmor {
                        profile: profile.to_string(),
                        path: attr.clone(),
                        source,
                    });
            }
            Err(e) => last_err = Some((attr.clone(), e)),
        }
    }
    let (path, source) = last_err.unwrap_or_else(|| {
        (
            PathBuf::from(ATTR_FILES[0]),
            std::io::Error::from(std::io::ErrorKind::NotFound),
        )
    });
    Err(SecurityError::AppArmor {
        profile: profile.to_string(),
        path,
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_exec_command_when_enabled() {
        let dir = tempfile::tempdir().unwrap();
        let param = dir.path().join("enabled");
        std::fs::write(&param, "Y\n").unwrap();
        let missing = dir.path().join("no-such-attr");
        let attr = dir.path().join("exec");
        std::fs::write(&attr, "").unwrap();
        apply_at(Some("docker-default"), &param, &[missing, attr.clone()]).unwrap();
        assert_eq!(
            std::fs::read_to_string(&attr).unwrap(),
            "exec docker-default"
        );
    }

    #[test]
    fn skips_when_disabled_or_absent() {
        let dir = tempfile::tempdir().unwrap();
        let attr = dir.path().join("exec");
        std::fs::write(&attr, "").unwrap();
        let param = dir.path().join("enabled");
        std::fs::write(&param, "N\n").unwrap();
        apply_at(Some("p"), &param, std::slice::from_ref(&attr)).unwrap();
        apply_at(
            Some("p"),
            &dir.path().join("absent"),
            std::slice::from_ref(&attr),
        )
        .unwrap();
        assert_eq!(std::fs::read_to_string(&attr).unwrap(), "");
        // No profile: nothing to do even when enabled.
        std::fs::write(&param, "Y").unwrap();
        apply_at(None, &param, std::slice::from_ref(&attr)).unwrap();
        assert_eq!(std::fs::read_to_string(&attr).unwrap(), "");
    }

    #[test]
    fn error_names_profile_and_file() {
        let dir = tempfile::tempdir().unwrap();
        let param = dir.path().join("enabled");
        std::fs::write(&param, "Y").unwrap();
        let err = apply_at(Some("myprof"), &param, &[dir.path().join("gone")])
            .unwrap_err()
            .to_string();
        assert!(err.contains("myprof") && err.contains("gone"), "{err}");
        assert!(!err.contains('\n'));
    }

    #[test]
    fn rejects_bad_profile_names() {
        assert!(check_profile_name("a\nb").is_err());
        assert!(check_profile_name(" x").is_err());
        check_profile_name("docker-default").unwrap();
    }
}
