//! Registry credentials, compatible with Podman's auth.json and Docker's
//! config.json: `{"auths": {"<registry>": {"auth": "base64(user:password)"}}}`,
//! `credHelpers`, `credsStore` and the `docker-credential-<name>` helpers.
//!
//! `skiff login` writes to `--authfile`, else `$REGISTRY_AUTH_FILE`, else
//! Podman's default `$XDG_RUNTIME_DIR/containers/auth.json` (without
//! XDG_RUNTIME_DIR: `/run/containers/<uid>/auth.json`). Lookups read that file,
//! then `$XDG_CONFIG_HOME/containers/auth.json`, then Docker's
//! `$DOCKER_CONFIG/config.json` (default `~/.docker/config.json`) and the legacy
//! `~/.dockercfg`. As in Podman, a file named by `--authfile` or
//! `$REGISTRY_AUTH_FILE` is the only one read.
use std::collections::BTreeMap;
use std::fmt;
use std::io::Write;
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use base64::Engine;
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::config::Paths;

/// The server name Docker uses for Docker Hub in config.json and helpers.
const DOCKER_HUB_LEGACY: &str = "https://index.docker.io/v1/";

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
    #[error("credential helper {helper}: {message}")]
    Helper { helper: String, message: String },
    #[error("invalid registry name {0:?}")]
    Registry(String),
}

/// The username for an identity token, as in Docker's credential helpers.
pub const IDENTITY_TOKEN_USER: &str = "<token>";

/// A username and password. An identity token (an OAuth2 refresh token, to
/// be exchanged at the registry's token endpoint instead of a Basic login)
/// is carried as Docker's helpers do: username `<token>`, the token as password.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Credentials {
    pub username: String,
    pub password: String,
}

impl Credentials {
    pub fn new(username: impl Into<String>, password: impl Into<String>) -> Credentials {
        Credentials {
            username: username.into(),
            password: password.into(),
        }
    }

    pub fn identity_token(token: impl Into<String>) -> Credentials {
        Credentials::new(IDENTITY_TOKEN_USER, token)
    }

    /// The identity token, if these credentials are one.
    pub fn as_identity_token(&self) -> Option<&str> {
        (self.username == IDENTITY_TOKEN_USER).then_some(self.password.as_str())
    }

    /// `user:password` as given to `--creds`; `None` without a ':'.
    pub fn from_user_pass(s: &str) -> Option<Credentials> {
        let (u, p) = s.split_once(':')?;
        Some(Credentials::new(u, p))
    }
}

/// Secrets stay out of logs and error messages.
impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .finish()
    }
}

/// One file to read credentials from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthFile {
    pub path: PathBuf,
    /// `~/.dockercfg`: a bare map of server -> entry, without `"auths"`.
    pub legacy: bool,
}

#[derive(Debug, Clone)]
pub struct AuthStore {
    write: PathBuf,
    read: Vec<AuthFile>,
    /// Where `docker-credential-*` helpers live; `None` searches $PATH.
    helper_dir: Option<PathBuf>,
}

#[derive(Deserialize, Default)]
struct Entry {
    #[serde(default)]
    auth: Option<String>,
    #[serde(default)]
    identitytoken: Option<String>,
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    password: Option<String>,
}

#[derive(Deserialize, Default)]
struct FileContents {
    #[serde(default)]
    auths: BTreeMap<String, Entry>,
    #[serde(default, rename = "credHelpers")]
    cred_helpers: BTreeMap<String, String>,
    #[serde(default, rename = "credsStore")]
    creds_store: Option<String>,
}

#[derive(Deserialize)]
struct HelperReply {
    #[serde(rename = "Username", default)]
    username: String,
    #[serde(rename = "Secret", default)]
    secret: String,
}

impl AuthStore {
    /// The standard files, from `authfile` (`--authfile`) and the environment.
    pub fn new(paths: &Paths, authfile: Option<&Path>) -> AuthStore {
        let explicit = authfile
            .map(Path::to_path_buf)
            .or_else(|| env_path("REGISTRY_AUTH_FILE"));
        if let Some(p) = explicit {
            let read = vec![AuthFile {
                path: p.clone(),
                legacy: false,
            }];
            return AuthStore::with_files(p, read);
        }
        let write = default_auth_file(paths);
        let mut read = vec![AuthFile {
            path: write.clone(),
            legacy: false,
        }];
        let base = directories::BaseDirs::new();
        if let Some(b) = &base {
            read.push(AuthFile {
                path: b.config_dir().join("containers/auth.json"),
                legacy: false,
            });
        }
        let home = base.as_ref().map(|b| b.home_dir().to_path_buf());
        if let Some(dir) =
            env_path("DOCKER_CONFIG").or_else(|| home.as_ref().map(|h| h.join(".docker")))
        {
            read.push(AuthFile {
                path: dir.join("config.json"),
                legacy: false,
            });
        }
        if let Some(h) = home {
            read.push(AuthFile {
                path: h.join(".dockercfg"),
                legacy: true,
            });
        }
        AuthStore::with_files(write, read)
    }

    /// Writes go to `write`; lookups read `read` in order (normally starting
    /// with `write`).
    pub fn with_files(write: PathBuf, read: Vec<AuthFile>) -> AuthStore {
        AuthStore {
            write,
            read,
            helper_dir: None,
        }
    }

    /// Runs credential helpers from `dir` instead of searching $PATH.
    pub fn with_helper_dir(mut self, dir: PathBuf) -> AuthStore {
        self.helper_dir = Some(dir);
        self
    }

    /// The file `store` and `remove` change.
    pub fn auth_file(&self) -> &Path {
        &self.write
    }

    /// Credentials for `registry` (`host[:port]`, optionally with a
    /// namespace such as `quay.io/org/repo`, whose most specific entry wins).
    /// A failing helper is reported only if no later file has credentials.
    pub fn lookup(&self, registry: &str) -> Result<Option<Credentials>, AuthError> {
        let key = normalize_registry_key(registry);
        if key.is_empty() {
            return Err(AuthError::Registry(registry.to_string()));
        }
        let host = key.split('/').next().unwrap_or(&key);
        // quay.io/a/b, quay.io/a, quay.io
        let mut candidates = vec![key.as_str()];
        let mut rest = key.as_str();
        while let Some((parent, _)) = rest.rsplit_once('/') {
            candidates.push(parent);
            rest = parent;
        }
        let mut helper_err = None;
        for f in &self.read {
            match self.lookup_in(f, host, &candidates) {
                Ok(Some(c)) => return Ok(Some(c)),
                Ok(None) => {}
                Err(e @ AuthError::Helper { .. }) => {
                    helper_err.get_or_insert(e);
                }
                Err(e) => return Err(e),
            }
        }
        helper_err.map_or(Ok(None), Err)
    }

    fn lookup_in(
        &self,
        f: &AuthFile,
        host: &str,
        candidates: &[&str],
    ) -> Result<Option<Credentials>, AuthError> {
        let Some(value) = read_json(&f.path)? else {
            return Ok(None);
        };
        let contents = if f.legacy {
            FileContents {
                auths: from_value(&f.path, value)?,
                ..FileContents::default()
            }
        } else {
            from_value(&f.path, value)?
        };
        if let Some(helper) = contents.cred_helpers.get(host) {
            return self.ask_helper(helper, host);
        }
        for cand in candidates {
            let exact = contents.auths.get_key_value(*cand);
            let equivalent = || {
                contents
                    .auths
                    .iter()
                    .find(|(k, _)| normalize_key(k, f.legacy) == *cand)
            };
            if let Some((k, entry)) = exact.or_else(equivalent)
                && let Some(c) = decode_entry(entry, &f.path, k)?
            {
                return Ok(Some(c));
            }
        }
        match &contents.creds_store {
            Some(store) if !store.is_empty() => self.ask_helper(store, host),
            _ => Ok(None),
        }
    }

    fn ask_helper(&self, name: &str, host: &str) -> Result<Option<Credentials>, AuthError> {
        let program = match &self.helper_dir {
            Some(d) => d.join(format!("docker-credential-{name}")),
            None => PathBuf::from(format!("docker-credential-{name}")),
        };
        // Docker keys Docker Hub as its v1 URL, Podman as "docker.io".
        let servers: &[&str] = if host == "docker.io" {
            &[DOCKER_HUB_LEGACY, "docker.io"]
        } else {
            &[host]
        };
        for server in servers {
            if let Some(c) = run_credential_helper(&program, server)? {
                return Ok(Some(c));
            }
        }
        Ok(None)
    }

    /// Saves credentials for `registry` in the auth file, keeping everything
    /// else in it; returns the file's path.
    pub fn store(&self, registry: &str, creds: &Credentials) -> Result<PathBuf, AuthError> {
        let key = normalize_registry_key(registry);
        if key.is_empty() {
            return Err(AuthError::Registry(registry.to_string()));
        }
        let mut root = self.read_write_target()?;
        let auths = auths_mut(&mut root, &self.write)?;
        // Older spellings of the same registry would shadow nothing (exact
        // keys win) but would linger after a logout: drop them.
        auths.retain(|k, _| k == &key || normalize_registry_key(k) != key);
        let mut entry = Map::new();
        match creds.as_identity_token() {
            Some(t) => entry.insert("identitytoken".into(), Value::String(t.to_string())),
            None => {
                let raw = format!("{}:{}", creds.username, creds.password);
                let b64 = base64::engine::general_purpose::STANDARD.encode(raw);
                entry.insert("auth".into(), Value::String(b64))
            }
        };
        auths.insert(key, Value::Object(entry));
        self.write_target(&root)?;
        Ok(self.write.clone())
    }

    /// Forgets `registry` in the auth file; `false` if it had no entry there.
    pub fn remove(&self, registry: &str) -> Result<bool, AuthError> {
        let key = normalize_registry_key(registry);
        if key.is_empty() {
            return Err(AuthError::Registry(registry.to_string()));
        }
        if read_json(&self.write)?.is_none() {
            return Ok(false);
        }
        let mut root = self.read_write_target()?;
        let auths = auths_mut(&mut root, &self.write)?;
        let before = auths.len();
        auths.retain(|k, _| normalize_registry_key(k) != key);
        if auths.len() == before {
            return Ok(false);
        }
        self.write_target(&root)?;
        Ok(true)
    }

    /// Forgets every registry in the auth file, keeping its other settings.
    pub fn remove_all(&self) -> Result<(), AuthError> {
        if read_json(&self.write)?.is_none() {
            return Ok(());
        }
        let mut root = self.read_write_target()?;
        auths_mut(&mut root, &self.write)?.clear();
        self.write_target(&root)
    }

    fn read_write_target(&self) -> Result<Map<String, Value>, AuthError> {
        match read_json(&self.write)? {
            None => Ok(Map::new()),
            Some(Value::Object(m)) => Ok(m),
            Some(_) => Err(invalid(&self.write, "not a JSON object")),
        }
    }

    /// Atomic replace; the directory is created 0700 and the file is 0600
    /// (the temp file is created that way before it is renamed into place).
    fn write_target(&self, root: &Map<String, Value>) -> Result<(), AuthError> {
        let io_err = |source| AuthError::Io {
            path: self.write.clone(),
            source,
        };
        if let Some(dir) = self.write.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir)
                .map_err(|source| AuthError::Io {
                    path: dir.to_path_buf(),
                    source,
                })?;
        }
        let mut data =
            serde_json::to_vec_pretty(root).map_err(|e| invalid(&self.write, e.to_string()))?;
        data.push(b'\n');
        crate::storage::atomic::write_file(&self.write, &data).map_err(io_err)
    }
}

/// The canonical key for a registry in auth files: a URL scheme and, when
/// there was one, the URL path are dropped (`https://index.docker.io/v1/` ->
/// `docker.io`); Docker Hub's API hosts become `docker.io`. A namespace
/// written without a scheme (`quay.io/org`) is kept, as Podman does.
pub fn normalize_registry_key(s: &str) -> String {
    normalize_key(s, false)
}

/// Legacy files always carry URLs, so their path is always dropped.
fn normalize_key(s: &str, legacy: bool) -> String {
    let s = s.trim();
    let stripped = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"));
    let key = match stripped {
        Some(rest) => rest.split('/').next().unwrap_or(""),
        None if legacy => s.split('/').next().unwrap_or(""),
        None => s.trim_end_matches('/'),
    };
    let (host, path) = match key.split_once('/') {
        Some((h, p)) => (h, Some(p)),
        None => (key, None),
    };
    let host = match host {
        "index.docker.io" | "registry-1.docker.io" => "docker.io",
        h => h,
    };
    match path {
        Some(p) => format!("{host}/{p}"),
        None => host.to_string(),
    }
}

/// Runs `<program> get` with `server` on stdin, the docker-credential-helpers
/// protocol. `Ok(None)` when the helper has nothing for that server.
pub(crate) fn run_credential_helper(
    program: &Path,
    server: &str,
) -> Result<Option<Credentials>, AuthError> {
    let helper = program.display().to_string();
    let fail = |message: String| AuthError::Helper {
        helper: helper.clone(),
        message,
    };
    let mut attempts = 0;
    let mut child = loop {
        let spawned = Command::new(program)
            .arg("get")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn();
        match spawned {
            Ok(c) => break c,
            // A helper being replaced at this moment (or just written by
            // another thread of this process) is briefly busy: retry.
            Err(e) if e.raw_os_error() == Some(libc::ETXTBSY) && attempts < 20 => {
                attempts += 1;
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(fail("not found (is it installed and on $PATH?)".into()));
            }
            Err(e) => return Err(fail(e.to_string())),
        }
    };
    if let Some(mut stdin) = child.stdin.take() {
        // A helper that exits without reading gives EPIPE here; its exit
        // status below says what went wrong.
        let _ = stdin.write_all(server.as_bytes());
    }
    let out = child.wait_with_output().map_err(|e| fail(e.to_string()))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let text = format!("{} {}", stdout.trim(), stderr.trim());
        if text.to_ascii_lowercase().contains("credentials not found") {
            return Ok(None);
        }
        let first = text.trim().lines().next().unwrap_or("").to_string();
        return Err(fail(format!("{}: {first}", out.status)));
    }
    let reply: HelperReply =
        serde_json::from_str(stdout.trim()).map_err(|e| fail(format!("unreadable reply: {e}")))?;
    if reply.username.is_empty() && reply.secret.is_empty() {
        return Ok(None);
    }
    // A `<token>` username already means "identity token" in our Credentials.
    Ok(Some(Credentials::new(reply.username, reply.secret)))
}

fn decode_entry(e: &Entry, path: &Path, key: &str) -> Result<Option<Credentials>, AuthError> {
    // Docker writes the username in `auth` beside the token; the token is
    // what authenticates.
    if let Some(t) = e.identitytoken.as_deref().filter(|t| !t.is_empty()) {
        return Ok(Some(Credentials::identity_token(t)));
    }
    if let Some(auth) = e.auth.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        let bad = || {
            invalid(
                path,
                format!("credentials for {key:?} are not base64 of \"user:password\""),
            )
        };
        // Some writers drop the padding.
        let engine = base64::engine::GeneralPurpose::new(
            &base64::alphabet::STANDARD,
            base64::engine::GeneralPurposeConfig::new()
                .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
        );
        let raw = engine.decode(auth).map_err(|_| bad())?;
        let text = String::from_utf8(raw).map_err(|_| bad())?;
        let (u, p) = text.split_once(':').ok_or_else(bad)?;
        return Ok(Some(Credentials::new(u, p)));
    }
    // Old Docker versions wrote the fields in clear.
    match (&e.username, &e.password) {
        (Some(u), Some(p)) if !u.is_empty() => Ok(Some(Credentials::new(u.clone(), p.clone()))),
        // `{}`: Docker's placeholder when a credsStore holds the secret.
        _ => Ok(None),
    }
}

fn auths_mut<'a>(
    root: &'a mut Map<String, Value>,
    path: &Path,
) -> Result<&'a mut Map<String, Value>, AuthError> {
    root.entry("auths")
        .or_insert_with(|| Value::Object(Map::new()))
        .as_object_mut()
        .ok_or_else(|| invalid(path, "\"auths\" is not a JSON object"))
}

/// The file's JSON, `None` if it does not exist; an empty file is `{}`.
fn read_json(path: &Path) -> Result<Option<Value>, AuthError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(AuthError::Io {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    if text.trim().is_empty() {
        return Ok(Some(Value::Object(Map::new())));
    }
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| invalid(path, format!("invalid JSON: {e}")))
}

fn from_value<T: serde::de::DeserializeOwned>(path: &Path, v: Value) -> Result<T, AuthError> {
    serde_json::from_value(v).map_err(|e| invalid(path, format!("unexpected content: {e}")))
}

fn invalid(path: &Path, message: impl Into<String>) -> AuthError {
    AuthError::Invalid {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

fn env_path(var: &str) -> Option<PathBuf> {
    std::env::var_os(var)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// Podman's default: `$XDG_RUNTIME_DIR/containers/auth.json`, else
/// `/run/containers/<uid>/auth.json`. An ordinary user without
/// XDG_RUNTIME_DIR rarely has that dir, so skiff's runtime dir is used then.
fn default_auth_file(paths: &Paths) -> PathBuf {
    if let Some(run) = env_path("XDG_RUNTIME_DIR") {
        return run.join("containers/auth.json");
    }
    let uid = crate::sys::real_uid();
    let dir = PathBuf::from(format!("/run/containers/{uid}"));
    if uid == 0 || dir.is_dir() {
        dir.join("auth.json")
    } else {
        paths.runtime.join("auth.json")
    }
}

#[cfg(test)]
#[path = "auth/tests.rs"]
mod tests;
