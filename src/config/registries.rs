//! Registry configuration: containers-registries.conf(5) (v2, and the old v1
//! `[registries.search]` form), its drop-in directories, and the
//! `[registries]` table of skiff's own `skiff.toml`.
//!
//! Files are read in this order, each later one overriding the earlier:
//! 1. the main file: `$CONTAINERS_REGISTRIES_CONF` if set, else
//!    `$XDG_CONFIG_HOME/containers/registries.conf` if it exists (it replaces
//!    the system file), else `/etc/containers/registries.conf`;
//! 2. `/etc/containers/registries.conf.d/*.conf`, then
//!    `$XDG_CONFIG_HOME/containers/registries.conf.d/*.conf`, each sorted by name;
//! 3. the `[registries]` table of `<config>/skiff.toml`, for example:
//!
//! ```toml
//! [registries]
//! unqualified-search-registries = ["docker.io"]
//! [[registries.registry]]
//! prefix = "registry.k8s.io"
//! location = "127.0.0.1:5000/k8s"
//! insecure = true
//! [[registries.registry.mirror]]
//! location = "mirror.example.com/k8s"
//! ```
//!
//! Overriding follows containers-registries.conf.d(5): a later
//! `unqualified-search-registries` replaces the list, a `[[registry]]` with
//! the same prefix replaces the earlier entry, aliases merge by name (an empty
//! value removes one). Unknown keys are ignored in containers' files (they are
//! shared with other tools and versions) but rejected in skiff.toml.
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::config::Paths;
use crate::config::settings::toml_error_line;
use crate::image::reference::{Reference, valid_registry, valid_repository};

const SYSTEM_MAIN: &str = "/etc/containers/registries.conf";
const SYSTEM_DROPINS: &str = "/etc/containers/registries.conf.d";

#[derive(Debug, thiserror::Error)]
pub enum RegistriesError {
    #[error("{path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
    #[error("pulling {reference} is blocked by the registry entry {prefix:?} in {path}")]
    Blocked {
        reference: String,
        prefix: String,
        path: PathBuf,
    },
    #[error("{path}: location {location:?} turns {reference} into the invalid name {rewritten:?}")]
    Rewrite {
        reference: String,
        location: String,
        rewritten: String,
        path: PathBuf,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShortNameMode {
    Enforcing,
    Permissive,
    Disabled,
}

/// When a mirror may serve a pull (`pull-from-mirror`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PullFromMirror {
    All,
    DigestOnly,
    TagOnly,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mirror {
    pub location: String,
    pub insecure: bool,
    pub pull_from_mirror: PullFromMirror,
}

/// One `[[registry]]` entry, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registry {
    /// `host[/path]` or `*.domain`; matched on path-component boundaries.
    pub prefix: String,
    /// Replaces the matched prefix; empty only for wildcard prefixes (no rewrite).
    pub location: String,
    pub insecure: bool,
    pub blocked: bool,
    pub mirror_by_digest_only: bool,
    pub mirrors: Vec<Mirror>,
    /// The file that defined it, for error messages.
    pub source: PathBuf,
}

/// A place to pull from: a mirror or the (possibly rewritten) primary location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// `host[:port]`, e.g. `localhost:5000`; `docker.io` is left for the
    /// registry client to map to its API host.
    pub host: String,
    /// The repository on that host, after rewriting.
    pub repository: String,
    /// TLS verification off / plain HTTP allowed by configuration. Loopback
    /// hosts may use plain HTTP regardless: see [`is_loopback_host`].
    pub insecure: bool,
    pub mirror: bool,
}

#[derive(Debug, Clone, Default)]
pub struct RegistriesConfig {
    search: Vec<String>,
    registries: Vec<Registry>,
    aliases: BTreeMap<String, String>,
    short_name_mode: Option<ShortNameMode>,
}

/// Which files [`RegistriesConfig::load_from`] reads.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    pub main: Option<PathBuf>,
    /// The main file was named explicitly ($CONTAINERS_REGISTRIES_CONF): it must exist.
    pub main_required: bool,
    pub dropin_dirs: Vec<PathBuf>,
    pub skiff_toml: Option<PathBuf>,
}

impl Sources {
    /// The standard locations, from the environment and `paths`.
    pub fn detect(paths: &Paths) -> Sources {
        let user_containers =
            directories::BaseDirs::new().map(|b| b.config_dir().join("containers"));
        let env_main = std::env::var_os("CONTAINERS_REGISTRIES_CONF").filter(|v| !v.is_empty());
        let main_required = env_main.is_some();
        let main = match env_main {
            Some(p) => PathBuf::from(p),
            None => match &user_containers {
                Some(d) if d.join("registries.conf").exists() => d.join("registries.conf"),
                _ => PathBuf::from(SYSTEM_MAIN),
            },
        };
        let mut dropin_dirs = vec![PathBuf::from(SYSTEM_DROPINS)];
        dropin_dirs.extend(user_containers.map(|d| d.join("registries.conf.d")));
        Sources {
            main: Some(main),
            main_required,
            dropin_dirs,
            skiff_toml: Some(paths.config.join("skiff.toml")),
        }
    }
}

// ---- raw file formats ----

#[derive(Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
struct RawConf {
    unqualified_search_registries: Option<Vec<String>>,
    #[serde(default)]
    registry: Vec<RawRegistry>,
    aliases: Option<BTreeMap<String, String>>,
    short_name_mode: Option<String>,
    /// The v1 format: `[registries.search]`, `[registries.insecure]`, `[registries.block]`.
    registries: Option<RawV1>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct RawRegistry {
    #[serde(default)]
    prefix: String,
    #[serde(default)]
    location: String,
    #[serde(default)]
    insecure: bool,
    #[serde(default)]
    blocked: bool,
    #[serde(default)]
    mirror_by_digest_only: bool,
    #[serde(default)]
    mirror: Vec<RawMirror>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct RawMirror {
    #[serde(default)]
    location: String,
    #[serde(default)]
    insecure: bool,
    pull_from_mirror: Option<String>,
}

#[derive(Deserialize, Default)]
struct RawV1 {
    search: Option<RawV1List>,
    insecure: Option<RawV1List>,
    block: Option<RawV1List>,
}

#[derive(Deserialize, Default)]
struct RawV1List {
    #[serde(default)]
    registries: Vec<String>,
}

#[derive(Deserialize, Default)]
struct SkiffFile {
    registries: Option<RawConf>,
}

/// What one file contributes before merging.
#[derive(Default)]
struct Layer {
    search: Option<Vec<String>>,
    registries: Vec<Registry>,
    aliases: BTreeMap<String, String>,
    short_name_mode: Option<ShortNameMode>,
}

impl RegistriesConfig {
    /// Reads the standard files (see the module docs).
    pub fn load(paths: &Paths) -> Result<RegistriesConfig, RegistriesError> {
        RegistriesConfig::load_from(&Sources::detect(paths))
    }

    /// Reads exactly the files named in `src`; missing ones are skipped
    /// unless `main_required`.
    pub fn load_from(src: &Sources) -> Result<RegistriesConfig, RegistriesError> {
        let mut cfg = RegistriesConfig::default();
        if let Some(main) = &src.main {
            match read_optional(main)? {
                Some(text) => cfg.merge(parse_conf(&text, main)?),
                None if src.main_required => {
                    return Err(RegistriesError::Read {
                        path: main.clone(),
                        source: std::io::ErrorKind::NotFound.into(),
                    });
                }
                None => {}
            }
        }
        for dir in &src.dropin_dirs {
            for file in dropin_files(dir)? {
                if let Some(text) = read_optional(&file)? {
                    cfg.merge(parse_conf(&text, &file)?);
                }
            }
        }
        if let Some(path) = &src.skiff_toml
            && let Some(text) = read_optional(path)?
        {
            cfg.merge(parse_skiff_toml(&text, path)?);
        }
        Ok(cfg)
    }

    /// Parses one registries.conf text (v1 or v2), as if it were the only file.
    pub fn from_toml_str(s: &str) -> Result<RegistriesConfig, RegistriesError> {
        let mut cfg = RegistriesConfig::default();
        cfg.merge(parse_conf(s, Path::new("registries.conf"))?);
        Ok(cfg)
    }

    /// `unqualified-search-registries` (v1: `[registries.search]`), in order.
    pub fn search_registries(&self) -> &[String] {
        &self.search
    }

    /// The `[aliases]` entry for a short name, e.g. `fedora` ->
    /// `registry.fedoraproject.org/fedora`.
    pub fn alias(&self, short_name: &str) -> Option<&str> {
        self.aliases.get(short_name).map(String::as_str)
    }

    pub fn short_name_mode(&self) -> Option<ShortNameMode> {
        self.short_name_mode
    }

    pub fn registries(&self) -> &[Registry] {
        &self.registries
    }

    /// Where to pull `r` from: the usable mirrors in order, then the primary
    /// location. Fails if the matching entry is blocked.
    pub fn endpoints(&self, r: &Reference) -> Result<Vec<Endpoint>, RegistriesError> {
        let name = r.name();
        let Some(reg) = self.find(&name) else {
            return Ok(vec![Endpoint {
                host: r.registry().to_string(),
                repository: r.repository().to_string(),
                insecure: false,
                mirror: false,
            }]);
        };
        if reg.blocked {
            return Err(RegistriesError::Blocked {
                reference: r.to_string(),
                prefix: reg.prefix.clone(),
                path: reg.source.clone(),
            });
        }
        let by_digest = r.digest().is_some();
        let mut out = Vec::with_capacity(reg.mirrors.len() + 1);
        for m in &reg.mirrors {
            let usable = match (reg.mirror_by_digest_only, m.pull_from_mirror) {
                (true, _) | (false, PullFromMirror::DigestOnly) => by_digest,
                (false, PullFromMirror::TagOnly) => !by_digest,
                (false, PullFromMirror::All) => true,
            };
            if usable {
                let (host, repository) = rewrite(reg, &m.location, &name, r)?;
                out.push(Endpoint {
                    host,
                    repository,
                    insecure: m.insecure,
                    mirror: true,
                });
            }
        }
        let (host, repository) = rewrite(reg, &reg.location, &name, r)?;
        out.push(Endpoint {
            host,
            repository,
            insecure: reg.insecure,
            mirror: false,
        });
        Ok(out)
    }

    /// Where to push `r`: the name as given (pushes are never rewritten or
    /// mirrored, as in containers/image), with the matching entry's `insecure`.
    pub fn push_endpoint(&self, r: &Reference) -> Endpoint {
        Endpoint {
            host: r.registry().to_string(),
            repository: r.repository().to_string(),
            insecure: self.find(&r.name()).is_some_and(|reg| reg.insecure),
            mirror: false,
        }
    }

    /// Whether `host` (`host[:port]`, a scheme is ignored) is marked insecure
    /// by a registry entry matching it, or is the location of an insecure
    /// registry or mirror.
    pub fn is_insecure(&self, host: &str) -> bool {
        let host = strip_scheme(host).trim_end_matches('/');
        self.registries.iter().any(|r| {
            (r.insecure && (prefix_matches(&r.prefix, host) || location_host(&r.location) == host))
                || r.mirrors
                    .iter()
                    .any(|m| m.insecure && location_host(&m.location) == host)
        })
    }

    /// The entry whose prefix is the longest match for `name`
    /// (`registry/repository`); exact prefixes win ties against wildcards.
    fn find(&self, name: &str) -> Option<&Registry> {
        self.registries
            .iter()
            .filter(|r| prefix_matches(&r.prefix, name))
            .max_by_key(|r| (r.prefix.len(), !r.prefix.starts_with("*.")))
    }

    fn merge(&mut self, layer: Layer) {
        if let Some(s) = layer.search {
            self.search = s;
        }
        for reg in layer.registries {
            match self.registries.iter_mut().find(|e| e.prefix == reg.prefix) {
                Some(existing) => *existing = reg,
                None => self.registries.push(reg),
            }
        }
        for (k, v) in layer.aliases {
            if v.is_empty() {
                self.aliases.remove(&k);
            } else {
                self.aliases.insert(k, v);
            }
        }
        if layer.short_name_mode.is_some() {
            self.short_name_mode = layer.short_name_mode;
        }
    }
}

/// localhost, 127.0.0.0/8 and ::1, with or without a port or brackets: hosts
/// that may be reached over plain HTTP without configuration, as Docker allows.
pub fn is_loopback_host(host: &str) -> bool {
    let h = if let Some(rest) = host.strip_prefix('[') {
        rest.split_once(']').map_or(rest, |(a, _)| a)
    } else if host.matches(':').count() == 1 {
        host.split_once(':').map_or(host, |(a, _)| a)
    } else {
        host
    };
    if h.eq_ignore_ascii_case("localhost") {
        return true;
    }
    match h.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(a)) => a.is_loopback(),
        Ok(std::net::IpAddr::V6(a)) => {
            a.is_loopback() || a.to_ipv4_mapped().is_some_and(|v| v.is_loopback())
        }
        Err(_) => false,
    }
}

fn strip_scheme(s: &str) -> &str {
    s.strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .unwrap_or(s)
}

fn location_host(location: &str) -> &str {
    location.split('/').next().unwrap_or("")
}

/// `prefix` matches `name` on a path-component boundary; `*.example.com`
/// matches any subdomain host (with any port) of example.com.
fn prefix_matches(prefix: &str, name: &str) -> bool {
    if let Some(domain) = prefix.strip_prefix("*.") {
        let host = location_host(name);
        let host = if host.starts_with('[') {
            host
        } else {
            host.split(':').next().unwrap_or(host)
        };
        return host
            .strip_suffix(domain)
            .is_some_and(|sub| sub.len() > 1 && sub.ends_with('.'));
    }
    name.strip_prefix(prefix)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// Applies `location` to `name` under entry `reg`, giving (host, repository).
fn rewrite(
    reg: &Registry,
    location: &str,
    name: &str,
    r: &Reference,
) -> Result<(String, String), RegistriesError> {
    let rewritten = if location.is_empty() {
        name.to_string()
    } else if reg.prefix.starts_with("*.") {
        let rest = name.split_once('/').map_or("", |(_, rest)| rest);
        format!("{location}/{rest}")
    } else {
        format!("{location}{}", &name[reg.prefix.len()..])
    };
    let valid = rewritten.split_once('/').and_then(|(host, repo)| {
        (valid_registry(host) && valid_repository(repo))
            .then(|| (host.to_string(), repo.to_string()))
    });
    valid.ok_or_else(|| RegistriesError::Rewrite {
        reference: r.to_string(),
        location: location.to_string(),
        rewritten,
        path: reg.source.clone(),
    })
}

fn read_optional(path: &Path) -> Result<Option<String>, RegistriesError> {
    match std::fs::read_to_string(path) {
        Ok(t) => Ok(Some(t)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(RegistriesError::Read {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// `*.conf` files of a drop-in dir, sorted by name; a missing dir has none.
fn dropin_files(dir: &Path) -> Result<Vec<PathBuf>, RegistriesError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(RegistriesError::Read {
                path: dir.to_path_buf(),
                source,
            });
        }
    };
    let mut files = Vec::new();
    for e in entries {
        let e = e.map_err(|source| RegistriesError::Read {
            path: dir.to_path_buf(),
            source,
        })?;
        let p = e.path();
        if p.extension().is_some_and(|x| x == "conf") && p.is_file() {
            files.push(p);
        }
    }
    files.sort();
    Ok(files)
}

fn invalid(path: &Path, message: impl Into<String>) -> RegistriesError {
    RegistriesError::Invalid {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

fn parse_conf(text: &str, path: &Path) -> Result<Layer, RegistriesError> {
    let raw: RawConf =
        toml::from_str(text).map_err(|e| invalid(path, toml_error_line(text, &e)))?;
    if let Some(v1) = raw.registries {
        let has_v2 = raw.unqualified_search_registries.is_some()
            || !raw.registry.is_empty()
            || raw.aliases.is_some()
            || raw.short_name_mode.is_some();
        if has_v2 {
            return Err(invalid(
                path,
                "mixes the v1 [registries.*] tables with v2 keys",
            ));
        }
        return convert_v1(v1, path);
    }
    validate(raw, path)
}

fn parse_skiff_toml(text: &str, path: &Path) -> Result<Layer, RegistriesError> {
    let table: toml::Table =
        toml::from_str(text).map_err(|e| invalid(path, toml_error_line(text, &e)))?;
    let Some(regs) = table.get("registries") else {
        return Ok(Layer::default());
    };
    check_skiff_keys(regs).map_err(|m| invalid(path, m))?;
    let file: SkiffFile =
        toml::from_str(text).map_err(|e| invalid(path, toml_error_line(text, &e)))?;
    validate(file.registries.unwrap_or_default(), path)
}

/// skiff.toml is ours: reject keys we do not know instead of ignoring typos.
fn check_skiff_keys(v: &toml::Value) -> Result<(), String> {
    const TOP: &[&str] = &[
        "unqualified-search-registries",
        "short-name-mode",
        "aliases",
        "registry",
    ];
    const REG: &[&str] = &[
        "prefix",
        "location",
        "insecure",
        "blocked",
        "mirror-by-digest-only",
        "mirror",
    ];
    const MIRROR: &[&str] = &["location", "insecure", "pull-from-mirror"];
    fn keys(v: &toml::Value, allowed: &[&str], at: &str) -> Result<(), String> {
        let t = v
            .as_table()
            .ok_or_else(|| format!("{at} must be a table"))?;
        match t.keys().find(|k| !allowed.contains(&k.as_str())) {
            Some(k) => Err(format!(
                "unknown key \"{at}.{k}\" (known keys: {})",
                allowed.join(", ")
            )),
            None => Ok(()),
        }
    }
    keys(v, TOP, "registries")?;
    let entries = v
        .get("registry")
        .and_then(|r| r.as_array())
        .map_or(&[][..], |a| a.as_slice());
    for (i, reg) in entries.iter().enumerate() {
        keys(reg, REG, &format!("registries.registry[{i}]"))?;
        let mirrors = reg
            .get("mirror")
            .and_then(|m| m.as_array())
            .map_or(&[][..], |a| a.as_slice());
        for (j, m) in mirrors.iter().enumerate() {
            keys(m, MIRROR, &format!("registries.registry[{i}].mirror[{j}]"))?;
        }
    }
    Ok(())
}

/// A search registry or v1 entry: a host, nothing else.
fn parse_host(s: &str, path: &Path, what: &str) -> Result<String, RegistriesError> {
    if s.contains('/') || !valid_registry(s) {
        return Err(invalid(
            path,
            format!("{what}: {s:?} is not a registry host"),
        ));
    }
    Ok(match s {
        "index.docker.io" | "registry-1.docker.io" => "docker.io".to_string(),
        other => other.to_string(),
    })
}

/// Trims trailing slashes and refuses URL schemes, as containers/image does.
fn parse_location(s: &str, path: &Path) -> Result<String, RegistriesError> {
    let t = s.trim_end_matches('/');
    if t.starts_with("http://") || t.starts_with("https://") {
        return Err(invalid(
            path,
            format!("invalid location {s:?}: URI schemes are not supported"),
        ));
    }
    if !t.is_empty() && !valid_registry(location_host(t)) {
        return Err(invalid(
            path,
            format!("invalid location {s:?}: bad registry host"),
        ));
    }
    Ok(t.to_string())
}

fn validate(raw: RawConf, path: &Path) -> Result<Layer, RegistriesError> {
    let search = match raw.unqualified_search_registries {
        Some(list) => Some(
            list.iter()
                .map(|s| parse_host(s, path, "unqualified-search-registries"))
                .collect::<Result<Vec<_>, _>>()?,
        ),
        None => None,
    };
    let short_name_mode = match raw.short_name_mode.as_deref() {
        None | Some("") => None,
        Some("enforcing") => Some(ShortNameMode::Enforcing),
        Some("permissive") => Some(ShortNameMode::Permissive),
        Some("disabled") => Some(ShortNameMode::Disabled),
        Some(other) => return Err(invalid(path, format!("invalid short-name-mode {other:?}"))),
    };
    let mut registries: Vec<Registry> = Vec::new();
    for r in raw.registry {
        let location = parse_location(&r.location, path)?;
        let prefix = if r.prefix.is_empty() {
            location.clone()
        } else {
            r.prefix.trim_end_matches('/').to_string()
        };
        if prefix.is_empty() {
            return Err(invalid(path, "a [[registry]] needs a prefix or a location"));
        }
        let wildcard = prefix.starts_with("*.");
        if wildcard {
            if prefix[2..].contains(['/', '@', ':', '*']) || !valid_registry(&prefix[2..]) {
                return Err(invalid(
                    path,
                    format!("invalid prefix {prefix:?}: a wildcard prefix is *.domain"),
                ));
            }
        } else if prefix.contains('*') || !valid_registry(location_host(&prefix)) {
            return Err(invalid(path, format!("invalid prefix {prefix:?}")));
        }
        if location.is_empty() && !wildcard {
            return Err(invalid(
                path,
                format!("registry {prefix:?}: an empty location needs a wildcard prefix"),
            ));
        }
        if registries.iter().any(|e| e.prefix == prefix) {
            return Err(invalid(
                path,
                format!("registry prefix {prefix:?} is defined more than once"),
            ));
        }
        let mut mirrors = Vec::with_capacity(r.mirror.len());
        for m in r.mirror {
            let mloc = parse_location(&m.location, path)?;
            if mloc.is_empty() {
                return Err(invalid(
                    path,
                    format!("registry {prefix:?}: a mirror needs a location"),
                ));
            }
            let pull_from_mirror = match m.pull_from_mirror.as_deref() {
                None | Some("") | Some("all") => PullFromMirror::All,
                Some("digest-only") => PullFromMirror::DigestOnly,
                Some("tag-only") => PullFromMirror::TagOnly,
                Some(other) => {
                    return Err(invalid(path, format!("invalid pull-from-mirror {other:?}")));
                }
            };
            if r.mirror_by_digest_only && pull_from_mirror != PullFromMirror::All {
                return Err(invalid(
                    path,
                    format!(
                        "registry {prefix:?}: pull-from-mirror cannot be combined with mirror-by-digest-only"
                    ),
                ));
            }
            mirrors.push(Mirror {
                location: mloc,
                insecure: m.insecure,
                pull_from_mirror,
            });
        }
        registries.push(Registry {
            prefix,
            location,
            insecure: r.insecure,
            blocked: r.blocked,
            mirror_by_digest_only: r.mirror_by_digest_only,
            mirrors,
            source: path.to_path_buf(),
        });
    }
    let mut aliases = BTreeMap::new();
    for (k, v) in raw.aliases.unwrap_or_default() {
        let key_ok = !Reference::has_explicit_registry(&k)
            && !k.contains([':', '@'])
            && Reference::parse(&k).is_ok();
        if !key_ok {
            return Err(invalid(
                path,
                format!("alias {k:?} must be a short name without tag or digest"),
            ));
        }
        let value_ok = Reference::has_explicit_registry(&v) && Reference::parse(&v).is_ok();
        if !v.is_empty() && !value_ok {
            return Err(invalid(
                path,
                format!("alias {k:?}: {v:?} is not a fully qualified image name"),
            ));
        }
        aliases.insert(k, v);
    }
    Ok(Layer {
        search,
        registries,
        aliases,
        short_name_mode,
    })
}

fn convert_v1(v1: RawV1, path: &Path) -> Result<Layer, RegistriesError> {
    let list = |l: Option<RawV1List>| l.map(|l| l.registries).unwrap_or_default();
    let search = match v1.search {
        Some(l) => Some(
            l.registries
                .iter()
                .map(|s| parse_host(s, path, "registries.search"))
                .collect::<Result<Vec<_>, _>>()?,
        ),
        None => None,
    };
    let mut registries: Vec<Registry> = Vec::new();
    let mut entry = |host: String| -> usize {
        if let Some(i) = registries.iter().position(|r| r.prefix == host) {
            return i;
        }
        registries.push(Registry {
            prefix: host.clone(),
            location: host,
            insecure: false,
            blocked: false,
            mirror_by_digest_only: false,
            mirrors: Vec::new(),
            source: path.to_path_buf(),
        });
        registries.len() - 1
    };
    let mut flags = Vec::new();
    for h in list(v1.insecure) {
        flags.push((entry(parse_host(&h, path, "registries.insecure")?), true));
    }
    for h in list(v1.block) {
        flags.push((entry(parse_host(&h, path, "registries.block")?), false));
    }
    for (i, insecure) in flags {
        if insecure {
            registries[i].insecure = true;
        } else {
            registries[i].blocked = true;
        }
    }
    Ok(Layer {
        search,
        registries,
        ..Layer::default()
    })
}

#[cfg(test)]
#[path = "registries/tests.rs"]
mod tests;
