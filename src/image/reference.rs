//! Image references: Docker's grammar (distribution/reference) and its
//! normalization of short names, e.g. `busybox` -> `docker.io/library/busybox:latest`.
//!
//! ```text
//! reference  := name [ ":" tag ] [ "@" digest ]
//! name       := [registry "/"] component ("/" component)*
//! registry   := host [":" port]      host: DNS name, IPv4, or "[" IPv6 "]"
//! component  := [a-z0-9]+ ((("." | "_" | "__" | "-"+) [a-z0-9]+))*
//! tag        := [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
//! ```
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::storage::Digest;

pub const DEFAULT_REGISTRY: &str = "docker.io";
pub const DEFAULT_TAG: &str = "latest";
const OFFICIAL_NAMESPACE: &str = "library";
/// Docker's limit on `registry/repository`.
const NAME_MAX: usize = 255;
const TAG_MAX: usize = 128;

/// Why a string is not a reference; rendered as `invalid reference "<input>": <kind>`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid reference {input:?}: {kind}")]
pub struct ReferenceError {
    pub input: String,
    pub kind: ReferenceErrorKind,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReferenceErrorKind {
    #[error("empty reference")]
    Empty,
    #[error("a 64-character hexadecimal string is an image ID, not a repository name")]
    ImageId,
    #[error("repository name must be lowercase")]
    Uppercase,
    #[error("missing repository name")]
    MissingRepository,
    #[error("invalid repository name component {0:?}")]
    Component(String),
    #[error("invalid registry host {0:?}")]
    Registry(String),
    #[error(
        "invalid tag {0:?}: tags are 1-128 characters of letters, digits, '_', '.' and '-', not starting with '.' or '-'"
    )]
    Tag(String),
    /// The digest parser's own message, which names the digest.
    #[error("{0}")]
    Digest(String),
    #[error("repository name must not be longer than {NAME_MAX} characters")]
    TooLong,
}

/// A fully normalized image reference. `tag` is `None` only for references
/// given by digest alone (or after [`Reference::without_digest`] on one).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Reference {
    registry: String,
    repository: String,
    tag: Option<String>,
    digest: Option<Digest>,
}

impl Reference {
    /// Parses and normalizes `s` the way the Docker CLI does. The tag defaults
    /// to `latest` only when no digest is given; `name:tag@digest` keeps both.
    pub fn parse(s: &str) -> Result<Reference, ReferenceError> {
        let err = |kind| ReferenceError {
            input: s.to_string(),
            kind,
        };
        if s.is_empty() {
            return Err(err(ReferenceErrorKind::Empty));
        }
        if s.len() == 64 && s.bytes().all(is_lower_hex) {
            return Err(err(ReferenceErrorKind::ImageId));
        }
        let (rest, digest) = match s.split_once('@') {
            Some((n, d)) => {
                let d = d
                    .parse::<Digest>()
                    .map_err(|e| err(ReferenceErrorKind::Digest(e.to_string())))?;
                (n, Some(d))
            }
            None => (s, None),
        };
        let (name, tag) = split_tag(rest);
        if let Some(t) = tag
            && !valid_tag(t)
        {
            return Err(err(ReferenceErrorKind::Tag(t.to_string())));
        }
        let (registry, path) = match split_registry(name) {
            Some((r, p)) => {
                if !valid_registry(r) {
                    return Err(err(ReferenceErrorKind::Registry(r.to_string())));
                }
                (r, p)
            }
            None => (DEFAULT_REGISTRY, name),
        };
        if path.is_empty() {
            return Err(err(ReferenceErrorKind::MissingRepository));
        }
        if path.bytes().any(|b| b.is_ascii_uppercase()) {
            return Err(err(ReferenceErrorKind::Uppercase));
        }
        if let Some(bad) = path.split('/').find(|c| !valid_component(c)) {
            return Err(err(ReferenceErrorKind::Component(bad.to_string())));
        }
        let registry = normalize_registry(registry);
        let repository = if registry == DEFAULT_REGISTRY && !path.contains('/') {
            format!("{OFFICIAL_NAMESPACE}/{path}")
        } else {
            path.to_string()
        };
        if registry.len() + 1 + repository.len() > NAME_MAX {
            return Err(err(ReferenceErrorKind::TooLong));
        }
        let tag = match tag {
            Some(t) => Some(t.to_string()),
            None if digest.is_none() => Some(DEFAULT_TAG.to_string()),
            None => None,
        };
        Ok(Reference {
            registry: registry.to_string(),
            repository,
            tag,
            digest,
        })
    }

    /// Whether `s` names its registry: its first path component contains '.'
    /// or ':', is `localhost`, or has an uppercase letter (Docker's rule).
    pub fn has_explicit_registry(s: &str) -> bool {
        split_registry(s.split_once('@').map_or(s, |(n, _)| n)).is_some()
    }

    /// The same image under another registry, for unqualified-search
    /// registries: the familiar path (`busybox`, `user/app`) is moved to
    /// `registry`, and gains `library/` again only on docker.io.
    pub fn with_registry(&self, registry: &str) -> Reference {
        let registry = normalize_registry(registry);
        let familiar = self.familiar_path();
        let repository = if registry == DEFAULT_REGISTRY && !familiar.contains('/') {
            format!("{OFFICIAL_NAMESPACE}/{familiar}")
        } else {
            familiar.to_string()
        };
        Reference {
            registry: registry.to_string(),
            repository,
            tag: self.tag.clone(),
            digest: self.digest.clone(),
        }
    }

    pub fn registry(&self) -> &str {
        &self.registry
    }
    pub fn repository(&self) -> &str {
        &self.repository
    }
    pub fn tag(&self) -> Option<&str> {
        self.tag.as_deref()
    }
    pub fn digest(&self) -> Option<&Digest> {
        self.digest.as_ref()
    }

    /// `registry/repository`, e.g. `docker.io/library/busybox`.
    pub fn name(&self) -> String {
        format!("{}/{}", self.registry, self.repository)
    }

    /// The name as the Docker CLI shows it: `busybox`, `user/app`, or the
    /// full name for other registries.
    pub fn familiar_name(&self) -> String {
        if self.registry == DEFAULT_REGISTRY {
            self.familiar_path().to_string()
        } else {
            self.name()
        }
    }

    /// [`familiar_name`](Self::familiar_name) with the tag and digest, e.g. `busybox:latest`.
    pub fn familiar(&self) -> String {
        let mut s = self.familiar_name();
        self.push_suffix(&mut s);
        s
    }

    /// Replaces the tag; the digest, if any, is kept. `tag` must satisfy
    /// [`valid_tag`] (callers take it from a parsed reference or check it).
    pub fn with_tag(&self, tag: &str) -> Reference {
        debug_assert!(valid_tag(tag), "invalid tag {tag:?}");
        Reference {
            tag: Some(tag.to_string()),
            ..self.clone()
        }
    }

    pub fn with_digest(&self, d: Digest) -> Reference {
        Reference {
            digest: Some(d),
            ..self.clone()
        }
    }

    /// Drops the digest; a digest-only reference is left with neither tag nor
    /// digest (it then names the repository).
    pub fn without_digest(&self) -> Reference {
        Reference {
            digest: None,
            ..self.clone()
        }
    }

    pub fn without_tag(&self) -> Reference {
        Reference {
            tag: None,
            ..self.clone()
        }
    }

    fn familiar_path(&self) -> &str {
        if self.registry != DEFAULT_REGISTRY {
            return &self.repository;
        }
        match self.repository.strip_prefix("library/") {
            Some(rest) if !rest.contains('/') => rest,
            _ => &self.repository,
        }
    }

    fn push_suffix(&self, s: &mut String) {
        if let Some(t) = &self.tag {
            s.push(':');
            s.push_str(t);
        }
        if let Some(d) = &self.digest {
            s.push('@');
            s.push_str(&d.to_string());
        }
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = self.name();
        self.push_suffix(&mut s);
        f.write_str(&s)
    }
}

impl FromStr for Reference {
    type Err = ReferenceError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Reference::parse(s)
    }
}

impl Serialize for Reference {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Reference {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Reference::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// Whether `s` may be an image ID or a prefix of one: 3 to 64 lowercase hex
/// digits, optionally after `sha256:`. Callers try a local ID match before
/// parsing `s` as a reference (a short hex string is also a valid name).
pub fn looks_like_image_id(s: &str) -> bool {
    let hex = s.strip_prefix("sha256:").unwrap_or(s);
    (3..=64).contains(&hex.len()) && hex.bytes().all(is_lower_hex)
}

/// Whether `t` is a valid tag.
pub fn valid_tag(t: &str) -> bool {
    let b = t.as_bytes();
    !b.is_empty()
        && b.len() <= TAG_MAX
        && is_word(b[0])
        && b.iter().all(|&c| is_word(c) || c == b'.' || c == b'-')
}

/// Whether `host` is a valid registry: a DNS name or IPv4 address, or an IPv6
/// address in brackets, with an optional numeric port.
pub fn valid_registry(host: &str) -> bool {
    let (h, port) = if let Some(rest) = host.strip_prefix('[') {
        let Some((addr, after)) = rest.split_once(']') else {
            return false;
        };
        if addr.is_empty() || !addr.bytes().all(|b| b.is_ascii_hexdigit() || b == b':') {
            return false;
        }
        match after {
            "" => return true,
            a => match a.strip_prefix(':') {
                Some(p) => ("", p),
                None => return false,
            },
        }
    } else {
        match host.split_once(':') {
            Some((h, p)) => (h, p),
            None => (host, "0"),
        }
    };
    let port_ok = !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit());
    let host_ok =
        host.starts_with('[') || (!h.is_empty() && h.split('.').all(valid_domain_component));
    port_ok && host_ok
}

/// Whether `path` is a valid repository path (`a/b-c/d`), lowercase components only.
pub fn valid_repository(path: &str) -> bool {
    !path.is_empty() && path.split('/').all(valid_component)
}

/// `index.docker.io` and `registry-1.docker.io` are Docker Hub's API hosts;
/// references always say `docker.io`.
fn normalize_registry(r: &str) -> &str {
    match r {
        "index.docker.io" | "registry-1.docker.io" => DEFAULT_REGISTRY,
        other => other,
    }
}

/// Splits `name[:tag]`; a ':' followed by a '/' belongs to a registry port.
fn split_tag(s: &str) -> (&str, Option<&str>) {
    match s.rfind(':') {
        Some(i) if !s[i + 1..].contains('/') => (&s[..i], Some(&s[i + 1..])),
        _ => (s, None),
    }
}

/// Docker's rule: the first component is a registry if it contains '.' or
/// ':', is `localhost`, or is not all lowercase.
fn split_registry(name: &str) -> Option<(&str, &str)> {
    let (first, rest) = name.split_once('/')?;
    let is_registry = first.contains(['.', ':'])
        || first == "localhost"
        || first.bytes().any(|b| b.is_ascii_uppercase());
    is_registry.then_some((first, rest))
}

fn valid_domain_component(c: &str) -> bool {
    let b = c.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter().all(|&x| x.is_ascii_alphanumeric() || x == b'-')
}

/// `[a-z0-9]+` runs joined by exactly one separator: `.`, `_`, `__`, or any
/// number of `-`.
fn valid_component(c: &str) -> bool {
    let b = c.as_bytes();
    if b.is_empty() || !is_alnum(b[0]) || !is_alnum(b[b.len() - 1]) {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        if is_alnum(b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while !is_alnum(b[i]) {
            i += 1;
        }
        let sep = &c[start..i];
        if !(sep == "." || sep == "_" || sep == "__" || sep.bytes().all(|x| x == b'-')) {
            return false;
        }
    }
    true
}

fn is_alnum(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit()
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn is_lower_hex(b: u8) -> bool {
    b.is_ascii_digit() || (b'a'..=b'f').contains(&b)
}

#[cfg(test)]
mod tests {
    use super::*;

    const D: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    #[test]
    fn normalizes_like_docker() {
        let cases: &[(&str, &str)] = &[
            ("busybox", "docker.io/library/busybox:latest"),
            ("busybox:1.36", "docker.io/library/busybox:1.36"),
            ("docker/docker", "docker.io/docker/docker:latest"),
            ("library/debian", "docker.io/library/debian:latest"),
            ("docker.io/debian", "docker.io/library/debian:latest"),
            (
                "docker.io/library/debian",
                "docker.io/library/debian:latest",
            ),
            ("index.docker.io/debian", "docker.io/library/debian:latest"),
            (
                "index.docker.io/docker/docker",
                "docker.io/docker/docker:latest",
            ),
            ("registry-1.docker.io/a/b", "docker.io/a/b:latest"),
            (
                "127.0.0.1:5000/docker/docker",
                "127.0.0.1:5000/docker/docker:latest",
            ),
            ("127.0.0.1:5000/debian", "127.0.0.1:5000/debian:latest"),
            ("127.0.0.1:5000/x:tag", "127.0.0.1:5000/x:tag"),
            ("192.168.0.1:8/debian", "192.168.0.1:8/debian:latest"),
            ("localhost/x", "localhost/x:latest"),
            ("localhost:5000/a/b", "localhost:5000/a/b:latest"),
            ("[::1]:5000/x", "[::1]:5000/x:latest"),
            ("[fc00::1]/docker/docker", "[fc00::1]/docker/docker:latest"),
            ("quay.io/a/b:1.2", "quay.io/a/b:1.2"),
            ("foo_bar.com:8080", "docker.io/library/foo_bar.com:8080"),
            ("foo/foo_bar.com:8080", "docker.io/foo/foo_bar.com:8080"),
            ("x/a.b-c__d---e", "docker.io/x/a.b-c__d---e:latest"),
            ("a.b-c.io/f", "a.b-c.io/f:latest"),
            ("x/a-b--c__d.e_f", "docker.io/x/a-b--c__d.e_f:latest"),
            (
                "busybox:Latest_1.x-y",
                "docker.io/library/busybox:Latest_1.x-y",
            ),
            ("Foo/bar", "Foo/bar:latest"),
            (
                "docker.io/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a",
                "docker.io/library/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a:latest",
            ),
        ];
        for (input, want) in cases {
            let r = Reference::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(r.to_string(), *want, "{input}");
            // Display output parses back to the same reference.
            assert_eq!(Reference::parse(&r.to_string()).unwrap(), r, "{input}");
        }
    }

    #[test]
    fn digests() {
        let r = Reference::parse(&format!("localhost:5000/a/b@{D}")).unwrap();
        assert_eq!(r.registry(), "localhost:5000");
        assert_eq!(r.repository(), "a/b");
        assert_eq!(r.tag(), None);
        assert_eq!(r.digest().unwrap().to_string(), D);
        assert_eq!(r.to_string(), format!("localhost:5000/a/b@{D}"));

        let r = Reference::parse(&format!("busybox:1@{D}")).unwrap();
        assert_eq!(r.tag(), Some("1"));
        assert_eq!(r.to_string(), format!("docker.io/library/busybox:1@{D}"));
        assert_eq!(r.familiar(), format!("busybox:1@{D}"));
        assert_eq!(
            r.without_digest().to_string(),
            "docker.io/library/busybox:1"
        );
    }

    #[test]
    fn rejects_invalid() {
        use ReferenceErrorKind as K;
        let long = format!("a/{}", "b".repeat(250));
        let long_tag = format!("x:{}", "t".repeat(129));
        let id = "1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a";
        let cases: Vec<(&str, K)> = vec![
            ("", K::Empty),
            (id, K::ImageId),
            ("Busybox", K::Uppercase),
            ("docker/Docker", K::Uppercase),
            ("docker.io/docker/Docker", K::Uppercase),
            ("a:b:c", K::Component("a:b".into())),
            ("-docker", K::Component("-docker".into())),
            ("-docker/docker", K::Component("-docker".into())),
            ("docker///docker", K::Component("".into())),
            ("docker.io/docker///docker", K::Component("".into())),
            ("a/b_-c", K::Component("b_-c".into())),
            ("a/b___c", K::Component("b___c".into())),
            ("a/b.", K::Component("b.".into())),
            ("-docker.io/docker/docker", K::Registry("-docker.io".into())),
            (
                "https://github.com/docker/docker",
                K::Registry("https:".into()),
            ),
            ("localhost:port/x", K::Registry("localhost:port".into())),
            ("[zz::1]:5000/x", K::Registry("[zz::1]:5000".into())),
            ("[::1]x/y", K::Registry("[::1]x".into())),
            ("localhost:5000/", K::MissingRepository),
            ("x:.bad", K::Tag(".bad".into())),
            ("x:", K::Tag("".into())),
            (&long_tag, K::Tag("t".repeat(129))),
            (&long, K::TooLong),
        ];
        for (input, kind) in cases {
            let e = Reference::parse(input).expect_err(input);
            assert_eq!(e.kind, kind, "{input}");
            assert_eq!(e.input, input);
        }
        let e = Reference::parse("busybox@sha256:abc").unwrap_err();
        assert!(matches!(e.kind, K::Digest(_)), "{e}");
        assert!(
            e.to_string()
                .starts_with("invalid reference \"busybox@sha256:abc\": invalid digest")
        );
        assert_eq!(
            Reference::parse("Busybox").unwrap_err().to_string(),
            "invalid reference \"Busybox\": repository name must be lowercase"
        );
    }

    #[test]
    fn name_length_limit_is_inclusive() {
        // docker.io/u/ + 243 = 255 characters: allowed.
        let ok = format!("u/{}", "b".repeat(255 - "docker.io/u/".len()));
        assert_eq!(Reference::parse(&ok).unwrap().name().len(), 255);
    }

    #[test]
    fn explicit_registry() {
        for s in [
            "localhost/x",
            "localhost:5000/x",
            "quay.io/a",
            "[::1]/x",
            "Foo/bar",
        ] {
            assert!(Reference::has_explicit_registry(s), "{s}");
        }
        let dig = format!("busybox@{D}");
        for s in [
            "busybox",
            "user/app",
            "localhost",
            "a.b",
            "x:1",
            dig.as_str(),
        ] {
            assert!(!Reference::has_explicit_registry(s), "{s}");
        }
    }

    #[test]
    fn familiar_names() {
        let cases = [
            ("busybox", "busybox"),
            ("docker.io/user/app", "user/app"),
            ("docker.io/library/a/b", "library/a/b"),
            ("quay.io/library/x", "quay.io/library/x"),
            ("localhost:5000/x", "localhost:5000/x"),
        ];
        for (input, want) in cases {
            assert_eq!(
                Reference::parse(input).unwrap().familiar_name(),
                want,
                "{input}"
            );
        }
        let r = Reference::parse("busybox").unwrap();
        assert_eq!(r.name(), "docker.io/library/busybox");
        assert_eq!(r.familiar(), "busybox:latest");
    }

    #[test]
    fn rehoming_short_names() {
        let r = Reference::parse("busybox:1").unwrap();
        assert_eq!(r.with_registry("quay.io").to_string(), "quay.io/busybox:1");
        assert_eq!(
            r.with_registry("docker.io").to_string(),
            "docker.io/library/busybox:1"
        );
        let q = r.with_registry("quay.io");
        assert_eq!(q.with_registry("index.docker.io"), r);
        let u = Reference::parse("user/app").unwrap();
        assert_eq!(
            u.with_registry("localhost:5000").to_string(),
            "localhost:5000/user/app:latest"
        );
    }

    #[test]
    fn tag_and_digest_edits() {
        let r = Reference::parse("busybox").unwrap();
        let d: Digest = D.parse().unwrap();
        let t = r.with_tag("musl");
        assert_eq!(t.to_string(), "docker.io/library/busybox:musl");
        let both = t.with_digest(d.clone());
        assert_eq!(
            both.to_string(),
            format!("docker.io/library/busybox:musl@{D}")
        );
        assert_eq!(
            both.without_tag().to_string(),
            format!("docker.io/library/busybox@{D}")
        );
        assert_eq!(
            both.without_tag().without_digest().to_string(),
            "docker.io/library/busybox"
        );
        assert_eq!(both.with_tag("x").digest(), Some(&d));
    }

    #[test]
    fn image_ids() {
        assert!(looks_like_image_id("abc"));
        assert!(looks_like_image_id("0123456789ab"));
        assert!(looks_like_image_id(&D[7..]));
        assert!(looks_like_image_id(D));
        assert!(!looks_like_image_id("ab"));
        assert!(!looks_like_image_id("abcg"));
        assert!(!looks_like_image_id("ABC"));
        assert!(!looks_like_image_id(&format!("{}0", &D[7..])));
    }

    #[test]
    fn tags_and_registries() {
        assert!(valid_tag("_x"));
        assert!(valid_tag(&"a".repeat(128)));
        assert!(!valid_tag("-x"));
        assert!(!valid_tag("a/b"));
        for ok in [
            "docker.io",
            "localhost:5000",
            "[::1]",
            "[fe80::1]:443",
            "10.0.0.1:1",
            "a-b.c",
        ] {
            assert!(valid_registry(ok), "{ok}");
        }
        for bad in ["", "a..b", "a-.b", ":5000", "a:", "[::1", "[]:1", "a_b.com"] {
            assert!(!valid_registry(bad), "{bad}");
        }
    }

    #[test]
    fn serde_roundtrip() {
        let r = Reference::parse("quay.io/a/b:1").unwrap();
        let j = serde_json::to_string(&r).unwrap();
        assert_eq!(j, "\"quay.io/a/b:1\"");
        let back: Reference = serde_json::from_str(&j).unwrap();
        assert_eq!(back, r);
        assert!(serde_json::from_str::<Reference>("\"Bad\"").is_err());
    }
}
