//! Manifest and index parsing, media types, and platform selection.
use serde::{Deserialize, Serialize};

use crate::storage::Digest;

pub const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
pub const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
pub const OCI_CONFIG: &str = "application/vnd.oci.image.config.v1+json";
pub const OCI_LAYER: &str = "application/vnd.oci.image.layer.v1.tar";
pub const OCI_LAYER_GZIP: &str = "application/vnd.oci.image.layer.v1.tar+gzip";
pub const OCI_LAYER_ZSTD: &str = "application/vnd.oci.image.layer.v1.tar+zstd";
pub const DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";
pub const DOCKER_LIST: &str = "application/vnd.docker.distribution.manifest.list.v2+json";
pub const DOCKER_CONFIG: &str = "application/vnd.docker.container.image.v1+json";
pub const DOCKER_LAYER_GZIP: &str = "application/vnd.docker.image.rootfs.diff.tar.gzip";
pub const DOCKER_SCHEMA1: &str = "application/vnd.docker.distribution.manifest.v1+json";
pub const DOCKER_SCHEMA1_SIGNED: &str = "application/vnd.docker.distribution.manifest.v1+prettyjws";

/// What we ask registries for, best first.
/// The OCI media type for a layer of any known type (Docker's gzip layer
/// is the same bytes as OCI's tar+gzip); unknown types pass through.
pub fn oci_layer_type(media_type: &str) -> &str {
    match media_type {
        DOCKER_LAYER_GZIP => OCI_LAYER_GZIP,
        "application/vnd.docker.image.rootfs.diff.tar" => OCI_LAYER,
        other => other,
    }
}

pub const ACCEPT: &[&str] = &[OCI_INDEX, DOCKER_LIST, OCI_MANIFEST, DOCKER_MANIFEST];

#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    #[error(
        "{0} uses the Docker schema1 manifest format, which is deprecated and not supported; push it again with a current client"
    )]
    Schema1(String),
    #[error("{what} has unsupported media type {media_type:?}")]
    MediaType { what: String, media_type: String },
    #[error("invalid manifest for {what}: {source}")]
    Parse {
        what: String,
        source: serde_json::Error,
    },
    #[error("{what} has no image for platform {wanted} (available: {available})")]
    NoPlatform {
        what: String,
        wanted: String,
        available: String,
    },
    #[error("invalid platform {0:?}: expected os/arch[/variant], e.g. linux/arm64/v8")]
    BadPlatform(String),
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Descriptor {
    #[serde(rename = "mediaType", default)]
    pub media_type: String,
    pub digest: Digest,
    pub size: u64,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub platform: Option<Platform>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub annotations: Option<std::collections::BTreeMap<String, String>>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub urls: Option<Vec<String>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, Default)]
pub struct Platform {
    pub architecture: String,
    pub os: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub variant: Option<String>,
    #[serde(
        rename = "os.version",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub os_version: Option<String>,
}

impl std::fmt::Display for Platform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.os, self.architecture)?;
        if let Some(v) = &self.variant {
            write!(f, "/{v}")?;
        }
        Ok(())
    }
}

impl Platform {
    /// The platform this binary runs on, with the variant Docker assumes.
    pub fn host() -> Platform {
        let architecture = match std::env::consts::ARCH {
            "x86_64" => "amd64",
            "aarch64" => "arm64",
            "x86" => "386",
            "arm" => "arm",
            "powerpc64" => "ppc64le",
            "s390x" => "s390x",
            "riscv64" => "riscv64",
            other => other,
        }
        .to_string();
        let variant = match architecture.as_str() {
            "arm64" => Some("v8".to_string()),
            "arm" => Some("v7".to_string()),
            _ => None,
        };
        Platform {
            architecture,
            os: "linux".to_string(),
            variant,
            os_version: None,
        }
    }

    /// Parses `os/arch[/variant]` (also `arch` alone, meaning linux) and
    /// normalizes aliases (`x86_64`, `aarch64`, `armhf`) as containerd does.
    pub fn parse(s: &str) -> Result<Platform, ManifestError> {
        let parts: Vec<&str> = s.split('/').collect();
        let (os, arch, variant) = match parts.as_slice() {
            [arch] if !arch.is_empty() => ("linux", *arch, None),
            [os, arch] if !os.is_empty() && !arch.is_empty() => (*os, *arch, None),
            [os, arch, v] if !os.is_empty() && !arch.is_empty() && !v.is_empty() => {
                (*os, *arch, Some(*v))
            }
            _ => return Err(ManifestError::BadPlatform(s.to_string())),
        };
        let (architecture, mut variant) = normalize_arch(arch, variant);
        if architecture == "arm64" && variant.is_none() {
            variant = Some("v8".to_string());
        }
        Ok(Platform {
            architecture,
            os: os.to_lowercase(),
            variant,
            os_version: None,
        })
    }

    /// Whether an index entry's platform can run here. A missing variant on
    /// arm64 means v8; on arm, the wanted variant must be at least as new.
    fn score(&self, candidate: &Platform) -> Option<u32> {
        if candidate.os != self.os {
            return None;
        }
        let (carch, cvar) = normalize_arch(&candidate.architecture, candidate.variant.as_deref());
        if carch != self.architecture {
            return None;
        }
        let cvar = cvar.or_else(|| (carch == "arm64").then(|| "v8".to_string()));
        match (&self.variant, &cvar) {
            (None, None) => Some(100),
            (None, Some(_)) => Some(50),
            (Some(_), None) => Some(40),
            (Some(w), Some(c)) if w == c => Some(100),
            (Some(w), Some(c)) if carch == "arm" => {
                // armv7 hosts run v6 and v5 images too; prefer the newest.
                let wn = w.trim_start_matches('v').parse::<u32>().ok()?;
                let cn = c.trim_start_matches('v').parse::<u32>().ok()?;
                (cn < wn).then_some(60 + cn)
            }
            _ => None,
        }
    }
}

fn normalize_arch(arch: &str, variant: Option<&str>) -> (String, Option<String>) {
    let arch = arch.to_lowercase();
    let variant = variant.map(|v| v.to_lowercase());
    match arch.as_str() {
        "x86_64" | "x86-64" => ("amd64".into(), None),
        "i386" | "i686" => ("386".into(), None),
        "aarch64" | "arm64" => (
            "arm64".into(),
            match variant.as_deref() {
                Some("8") | Some("v8") | None => Some("v8".into()),
                Some(v) => Some(v.into()),
            },
        ),
        "armhf" => ("arm".into(), Some("v7".into())),
        "armel" => ("arm".into(), Some("v6".into())),
        "arm" => (
            "arm".into(),
            Some(match variant.as_deref() {
                None | Some("7") | Some("v7") => "v7".into(),
                Some("5") => "v5".into(),
                Some("6") => "v6".into(),
                Some("8") => "v8".into(),
                Some(v) => v.into(),
            }),
        ),
        _ => (arch, variant),
    }
}

/// An image manifest (OCI or Docker schema2; same shape).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ImageManifest {
    #[serde(rename = "schemaVersion")]
    pub schema_version: u32,
    #[serde(rename = "mediaType", skip_serializing_if = "Option::is_none", default)]
    pub media_type: Option<String>,
    pub config: Descriptor,
    pub layers: Vec<Descriptor>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub annotations: Option<std::collections::BTreeMap<String, String>>,
}

/// An OCI index or Docker manifest list.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ImageIndex {
    #[serde(rename = "schemaVersion")]
    pub schema_version: u32,
    #[serde(rename = "mediaType", skip_serializing_if = "Option::is_none", default)]
    pub media_type: Option<String>,
    pub manifests: Vec<Descriptor>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub annotations: Option<std::collections::BTreeMap<String, String>>,
}

pub enum Parsed {
    Manifest(Box<ImageManifest>),
    Index(ImageIndex),
}

/// Parses a manifest body. The Content-Type header wins; the body's own
/// mediaType is the fallback, and shape decides when both are absent.
pub fn parse(what: &str, content_type: &str, body: &[u8]) -> Result<Parsed, ManifestError> {
    let ct = content_type.split(';').next().unwrap_or("").trim();
    #[derive(Deserialize)]
    struct Probe {
        #[serde(rename = "schemaVersion", default)]
        schema_version: u32,
        #[serde(rename = "mediaType", default)]
        media_type: Option<String>,
        #[serde(default)]
        manifests: Option<serde_json::Value>,
    }
    let probe: Probe = serde_json::from_slice(body).map_err(|source| ManifestError::Parse {
        what: what.to_string(),
        source,
    })?;
    let mt = match ct {
        "" | "application/json" | "text/plain" | "application/octet-stream" => {
            probe.media_type.clone().unwrap_or_default()
        }
        other => other.to_string(),
    };
    let parse_err = |source| ManifestError::Parse {
        what: what.to_string(),
        source,
    };
    if mt == DOCKER_SCHEMA1 || mt == DOCKER_SCHEMA1_SIGNED || probe.schema_version == 1 {
        return Err(ManifestError::Schema1(what.to_string()));
    }
    match mt.as_str() {
        OCI_INDEX | DOCKER_LIST => Ok(Parsed::Index(
            serde_json::from_slice(body).map_err(parse_err)?,
        )),
        OCI_MANIFEST | DOCKER_MANIFEST => Ok(Parsed::Manifest(Box::new(
            serde_json::from_slice(body).map_err(parse_err)?,
        ))),
        "" if probe.manifests.is_some() => Ok(Parsed::Index(
            serde_json::from_slice(body).map_err(parse_err)?,
        )),
        "" => Ok(Parsed::Manifest(Box::new(
            serde_json::from_slice(body).map_err(parse_err)?,
        ))),
        other => Err(ManifestError::MediaType {
            what: what.to_string(),
            media_type: other.to_string(),
        }),
    }
}

/// Picks the best manifest in an index for `wanted`.
pub fn select<'a>(
    what: &str,
    index: &'a ImageIndex,
    wanted: &Platform,
) -> Result<&'a Descriptor, ManifestError> {
    let mut best: Option<(u32, &Descriptor)> = None;
    for d in &index.manifests {
        let Some(p) = &d.platform else { continue };
        if let Some(score) = wanted.score(p)
            && best.is_none_or(|(s, _)| score > s)
        {
            best = Some((score, d));
        }
    }
    best.map(|(_, d)| d)
        .ok_or_else(|| ManifestError::NoPlatform {
            what: what.to_string(),
            wanted: wanted.to_string(),
            available: index
                .manifests
                .iter()
                .filter_map(|d| d.platform.as_ref().map(|p| p.to_string()))
                .collect::<Vec<_>>()
                .join(", "),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(arch: &str, variant: Option<&str>, n: u8) -> Descriptor {
        Descriptor {
            media_type: OCI_MANIFEST.into(),
            digest: Digest::sha256_of(&[n]),
            size: 1,
            platform: Some(Platform {
                architecture: arch.into(),
                os: "linux".into(),
                variant: variant.map(Into::into),
                os_version: None,
            }),
            annotations: None,
            urls: None,
        }
    }

    fn index(entries: Vec<Descriptor>) -> ImageIndex {
        ImageIndex {
            schema_version: 2,
            media_type: Some(OCI_INDEX.into()),
            manifests: entries,
            annotations: None,
        }
    }

    #[test]
    fn selects_by_arch_and_variant() {
        let idx = index(vec![
            entry("amd64", None, 1),
            entry("arm64", Some("v8"), 2),
            entry("arm", Some("v6"), 3),
            entry("arm", Some("v7"), 4),
        ]);
        let pick = |p: &str| {
            select("x", &idx, &Platform::parse(p).unwrap())
                .unwrap()
                .digest
                .clone()
        };
        assert_eq!(pick("linux/amd64"), Digest::sha256_of(&[1]));
        assert_eq!(pick("linux/arm64"), Digest::sha256_of(&[2]));
        assert_eq!(pick("linux/aarch64"), Digest::sha256_of(&[2]));
        assert_eq!(pick("linux/arm/v7"), Digest::sha256_of(&[4]));
        assert_eq!(pick("linux/arm/v6"), Digest::sha256_of(&[3]));
        assert_eq!(pick("linux/arm/v8"), Digest::sha256_of(&[4]));
        let err = select("img", &idx, &Platform::parse("linux/s390x").unwrap()).unwrap_err();
        assert!(
            err.to_string().contains("linux/amd64, linux/arm64/v8"),
            "{err}"
        );
    }

    #[test]
    fn arm64_without_variant_matches_v8() {
        let idx = index(vec![entry("arm64", None, 7)]);
        let d = select("x", &idx, &Platform::parse("linux/arm64/v8").unwrap()).unwrap();
        assert_eq!(d.digest, Digest::sha256_of(&[7]));
    }

    #[test]
    fn bad_platforms() {
        assert!(Platform::parse("").is_err());
        assert!(Platform::parse("linux//").is_err());
        assert!(Platform::parse("a/b/c/d").is_err());
        assert_eq!(
            Platform::parse("arm64").unwrap().to_string(),
            "linux/arm64/v8"
        );
    }

    #[test]
    fn parse_detects_kinds() {
        let m = br#"{"schemaVersion":2,"config":{"mediaType":"x","digest":"sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824","size":1},"layers":[]}"#;
        assert!(matches!(
            parse("x", OCI_MANIFEST, m).unwrap(),
            Parsed::Manifest(_)
        ));
        assert!(matches!(parse("x", "", m).unwrap(), Parsed::Manifest(_)));
        let i = br#"{"schemaVersion":2,"manifests":[]}"#;
        assert!(matches!(
            parse("x", "application/json", i).unwrap(),
            Parsed::Index(_)
        ));
        let s1 = br#"{"schemaVersion":1,"name":"x","tag":"y","fsLayers":[]}"#;
        let e = parse("x", DOCKER_SCHEMA1_SIGNED, s1).err().unwrap();
        assert!(e.to_string().contains("schema1"));
        assert!(parse("x", "application/vnd.foo", m).is_err());
    }
}
