//! Test images built here as an OCI image layout and pushed with `skopeo`
//! (an independent client, so a bug in skiff's push cannot hide one in its
//! pull). Every digest is computed here and checked against what the
//! registry serves after the push. Content comes from `/bin/busybox`
//! (busybox-static); all entries have fixed mtimes, so digests are stable.

use super::rawtar::{RawEntry, gzip, tar_with_raw_entries, zstd_compress};
use super::registry::Registry;
use super::scratch_dir;
use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;

pub const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
pub const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
pub const OCI_CONFIG: &str = "application/vnd.oci.image.config.v1+json";
pub const DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";
pub const LAYER_GZIP: &str = "application/vnd.oci.image.layer.v1.tar+gzip";
pub const LAYER_ZSTD: &str = "application/vnd.oci.image.layer.v1.tar+zstd";
pub const LAYER_TAR: &str = "application/vnd.oci.image.layer.v1.tar";
pub const PATH_ENV: &str = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
pub const CREATED: &str = "2024-01-01T00:00:00Z";

/// Symlinks to busybox in `/bin` of every fixture image.
pub const BUSYBOX_APPLETS: &[&str] = &[
    "sh", "echo", "ls", "cat", "sleep", "id", "env", "true", "false", "pwd", "mkdir", "rm",
    "touch", "stat", "ps", "kill", "hostname", "whoami", "uname", "wc", "head", "tail", "grep",
    "sed", "test", "printf", "readlink", "ln", "cp", "mv", "chmod", "date", "mount", "umount",
    "mknod", "tr", "cut", "seq", "yes", "nc", "httpd", "wget",
];
pub const ETC_PASSWD: &str =
    "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n";
pub const ETC_GROUP: &str = "root:x:0:\nnobody:x:65534:\n";

/// What the `layers` fixture contains, layer by layer (paths without `/`).
/// Layer 1 (gzip): the busybox tree, `data/removed.txt`, `opt/old/keep-not.txt`,
/// `etc/config.txt` = CONFIG_OLD.
/// Layer 2 (zstd): whiteout of `data/removed.txt`; opaque `opt/old/` with
/// `opt/old/new.txt`; `lib/file.txt` + hard link `lib/hard.txt`; `lib/rel -> file.txt`;
/// `lib/abs -> /lib/file.txt`; `bin/suid` mode 04755; `etc/xattr.txt` with
/// `user.skiff=test`; `home/user/owned.txt` owned by 1000:1000.
/// Layer 3 (plain tar): `etc/config.txt` = CONFIG_NEW.
pub mod layers_content {
    pub const CONFIG_OLD: &str = "config from layer 1\n";
    pub const CONFIG_NEW: &str = "config from layer 3\n";
    pub const REMOVED: &str = "data/removed.txt";
    pub const KEEP_NOT: &str = "opt/old/keep-not.txt";
    pub const NEW_IN_OPAQUE: &str = "opt/old/new.txt";
    pub const NEW_IN_OPAQUE_CONTENT: &str = "new in opaque dir\n";
    pub const FILE_TXT_CONTENT: &str = "hello from lib/file.txt\n";
    pub const SUID_CONTENT: &str = "#!/bin/sh\necho suid\n";
    pub const XATTR_FILE: &str = "etc/xattr.txt";
    pub const XATTR_NAME: &str = "user.skiff";
    pub const XATTR_VALUE: &str = "test";
    pub const OWNED_FILE: &str = "home/user/owned.txt";
    pub const OWNED_UID: u32 = 1000;
}

/// One pushed image manifest and what a correct pull must produce.
#[derive(Clone, Debug)]
pub struct FixtureImage {
    /// Repository in the registry, e.g. `busybox` or `private/busybox`.
    pub repo: String,
    pub tag: String,
    pub manifest_digest: String,
    pub manifest_media_type: String,
    /// Config digest = the image ID.
    pub config_digest: String,
    pub layer_digests: Vec<String>,
    pub layer_media_types: Vec<String>,
    pub diff_ids: Vec<String>,
    pub os: String,
    pub architecture: String,
    pub variant: Option<String>,
}

impl FixtureImage {
    /// "repo:tag" (prefix with `Registry::url` for a full reference).
    pub fn reference(&self) -> String {
        format!("{}:{}", self.repo, self.tag)
    }
    pub fn image_id(&self) -> &str {
        &self.config_digest
    }
    /// The 12-hex-digit short ID as `images` prints it.
    pub fn short_id(&self) -> &str {
        &self.config_digest["sha256:".len().."sha256:".len() + 12]
    }
}

/// The `multiarch` index and its per-platform images.
#[derive(Clone, Debug)]
pub struct MultiArchFixture {
    pub repo: String,
    pub tag: String,
    pub index_digest: String,
    /// linux/amd64, linux/arm64/v8, linux/arm/v7, in index order.
    pub platforms: Vec<FixtureImage>,
}

impl MultiArchFixture {
    pub fn reference(&self) -> String {
        format!("{}:{}", self.repo, self.tag)
    }
    /// The entry for `architecture` (and variant when given).
    pub fn platform(&self, architecture: &str, variant: Option<&str>) -> &FixtureImage {
        self.platforms
            .iter()
            .find(|p| {
                p.architecture == architecture
                    && (variant.is_none() || p.variant.as_deref() == variant)
            })
            .unwrap_or_else(|| panic!("no multiarch entry for {architecture} {variant:?}"))
    }
    /// The content of `/etc/arch` in that platform's image.
    pub fn arch_file_content(image: &FixtureImage) -> String {
        arch_label(&image.architecture, image.variant.as_deref())
    }
}

/// The fixtures as pushed to one registry.
#[derive(Clone, Debug)]
pub struct Fixtures {
    /// `busybox:latest`, OCI manifest, one gzip layer.
    pub busybox: FixtureImage,
    /// `busybox:v2s2`, the same content as a Docker schema2 manifest.
    pub busybox_v2s2: FixtureImage,
    /// `layers:latest`, three layers: gzip, zstd, uncompressed (see `layers_content`).
    pub layers: FixtureImage,
    /// `multiarch:latest`, an OCI index.
    pub multiarch: MultiArchFixture,
    /// The OCI layout the images were pushed from (refs `busybox`, `layers`,
    /// `multiarch`); readable by the test user, not to be modified.
    pub layout_dir: PathBuf,
}

fn arch_label(arch: &str, variant: Option<&str>) -> String {
    match (arch, variant) {
        ("arm", Some(v)) => format!("arm{v}"),
        (a, _) => a.to_string(),
    }
}

pub fn sha256_digest(data: &[u8]) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(data)))
}

/// Writes blobs and refs into an OCI image layout directory.
struct LayoutWriter {
    dir: PathBuf,
    refs: Vec<Value>,
}

impl LayoutWriter {
    fn new(dir: PathBuf) -> LayoutWriter {
        fs::create_dir_all(dir.join("blobs/sha256")).expect("create layout");
        LayoutWriter {
            dir,
            refs: Vec::new(),
        }
    }

    /// Store a blob; returns its descriptor.
    fn blob(&self, media_type: &str, data: &[u8]) -> Value {
        let digest = sha256_digest(data);
        let path = self
            .dir
            .join("blobs/sha256")
            .join(&digest["sha256:".len()..]);
        if !path.exists() {
            fs::write(&path, data).expect("write blob");
        }
        json!({"mediaType": media_type, "digest": digest, "size": data.len()})
    }

    fn add_ref(&mut self, name: &str, mut descriptor: Value) {
        descriptor["annotations"] = json!({"org.opencontainers.image.ref.name": name});
        self.refs.push(descriptor);
    }

    fn finish(self) -> PathBuf {
        let index = json!({"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": self.refs});
        fs::write(
            self.dir.join("index.json"),
            serde_json::to_vec(&index).unwrap(),
        )
        .expect("index.json");
        fs::write(
            self.dir.join("oci-layout"),
            br#"{"imageLayoutVersion":"1.0.0"}"#,
        )
        .expect("oci-layout");
        self.dir
    }
}

struct Layer {
    media_type: &'static str,
    blob: Vec<u8>,
    diff_id: String,
}

fn layer(tar: Vec<u8>, media_type: &'static str) -> Layer {
    let diff_id = sha256_digest(&tar);
    let blob = match media_type {
        LAYER_GZIP => gzip(&tar),
        LAYER_ZSTD => zstd_compress(&tar),
        _ => tar,
    };
    Layer {
        media_type,
        blob,
        diff_id,
    }
}

/// Write config + manifest for `layers`; returns the image (repo/tag empty).
fn write_image(
    w: &LayoutWriter,
    layers: &[Layer],
    arch: &str,
    variant: Option<&str>,
) -> FixtureImage {
    let diff_ids: Vec<&str> = layers.iter().map(|l| l.diff_id.as_str()).collect();
    let history: Vec<Value> = (1..=layers.len())
        .map(|i| json!({"created": CREATED, "created_by": format!("skiff test fixture layer {i}")}))
        .collect();
    let mut config = json!({
        "created": CREATED,
        "architecture": arch,
        "os": "linux",
        "config": {"Env": [PATH_ENV], "Cmd": ["/bin/sh"], "WorkingDir": "/"},
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": history,
    });
    if let Some(v) = variant {
        config["variant"] = json!(v);
    }
    let config_desc = w.blob(OCI_CONFIG, &serde_json::to_vec(&config).unwrap());
    let layer_descs: Vec<Value> = layers
        .iter()
        .map(|l| w.blob(l.media_type, &l.blob))
        .collect();
    let manifest = json!({
        "schemaVersion": 2,
        "mediaType": OCI_MANIFEST,
        "config": config_desc,
        "layers": layer_descs,
    });
    let manifest_bytes = serde_json::to_vec(&manifest).unwrap();
    w.blob(OCI_MANIFEST, &manifest_bytes);
    FixtureImage {
        repo: String::new(),
        tag: String::new(),
        manifest_digest: sha256_digest(&manifest_bytes),
        manifest_media_type: OCI_MANIFEST.into(),
        config_digest: config_desc["digest"].as_str().unwrap().into(),
        layer_digests: layer_descs
            .iter()
            .map(|d| d["digest"].as_str().unwrap().into())
            .collect(),
        layer_media_types: layers.iter().map(|l| l.media_type.to_string()).collect(),
        diff_ids: layers.iter().map(|l| l.diff_id.clone()).collect(),
        os: "linux".into(),
        architecture: arch.into(),
        variant: variant.map(String::from),
    }
}

fn manifest_descriptor(img: &FixtureImage, size: usize) -> Value {
    json!({"mediaType": img.manifest_media_type, "digest": img.manifest_digest, "size": size})
}

/// The busybox base tree: bin/busybox, applet symlinks, etc/passwd, etc/group, tmp, root.
pub fn busybox_entries() -> Vec<RawEntry> {
    static BUSYBOX: OnceLock<Vec<u8>> = OnceLock::new();
    let busybox = BUSYBOX.get_or_init(|| {
        fs::read("/bin/busybox").expect("read /bin/busybox (busybox-static; run contrib/setup.sh)")
    });
    let mut e = vec![
        RawEntry::dir("bin/"),
        RawEntry::file("bin/busybox", busybox).mode(0o755),
    ];
    e.extend(
        BUSYBOX_APPLETS
            .iter()
            .map(|a| RawEntry::symlink(format!("bin/{a}"), "busybox")),
    );
    e.extend([
        RawEntry::dir("etc/"),
        RawEntry::file("etc/passwd", ETC_PASSWD),
        RawEntry::file("etc/group", ETC_GROUP),
        RawEntry::dir("tmp/").mode(0o1777),
        RawEntry::dir("root/").mode(0o700),
    ]);
    e
}

fn layers_fixture_layers() -> Vec<Layer> {
    use layers_content as c;
    let mut l1 = busybox_entries();
    l1.extend([
        RawEntry::dir("data/"),
        RawEntry::file(c::REMOVED, "to be removed\n"),
        RawEntry::dir("opt/"),
        RawEntry::dir("opt/old/"),
        RawEntry::file(c::KEEP_NOT, "hidden by the opaque dir\n"),
        RawEntry::file("etc/config.txt", c::CONFIG_OLD),
    ]);
    let l2 = vec![
        RawEntry::dir("data/"),
        RawEntry::file("data/.wh.removed.txt", ""),
        RawEntry::dir("opt/old/"),
        RawEntry::file("opt/old/.wh..wh..opq", ""),
        RawEntry::file(c::NEW_IN_OPAQUE, c::NEW_IN_OPAQUE_CONTENT),
        RawEntry::dir("lib/"),
        RawEntry::file("lib/file.txt", c::FILE_TXT_CONTENT),
        RawEntry::hardlink("lib/hard.txt", "lib/file.txt"),
        RawEntry::symlink("lib/rel", "file.txt"),
        RawEntry::symlink("lib/abs", "/lib/file.txt"),
        RawEntry::file("bin/suid", c::SUID_CONTENT).mode(0o4755),
        RawEntry::file(c::XATTR_FILE, "has an xattr\n").xattr(c::XATTR_NAME, c::XATTR_VALUE),
        RawEntry::dir("home/"),
        RawEntry::dir("home/user/").owner(1000, 1000),
        RawEntry::file(c::OWNED_FILE, "owned by 1000\n").owner(1000, 1000),
    ];
    let l3 = vec![
        RawEntry::dir("etc/"),
        RawEntry::file("etc/config.txt", c::CONFIG_NEW),
    ];
    vec![
        layer(tar_with_raw_entries(&l1), LAYER_GZIP),
        layer(tar_with_raw_entries(&l2), LAYER_ZSTD),
        layer(tar_with_raw_entries(&l3), LAYER_TAR),
    ]
}

/// The layout with every fixture, built once per test process.
fn base_fixtures() -> &'static Fixtures {
    static BASE: OnceLock<Fixtures> = OnceLock::new();
    BASE.get_or_init(|| {
        let mut w = LayoutWriter::new(scratch_dir("fix").join("layout"));
        let named = |mut img: FixtureImage, repo: &str, tag: &str| {
            img.repo = repo.into();
            img.tag = tag.into();
            img
        };

        let bb_layer = layer(tar_with_raw_entries(&busybox_entries()), LAYER_GZIP);
        let busybox = named(
            write_image(&w, &[bb_layer], "amd64", None),
            "busybox",
            "latest",
        );
        w.add_ref(
            "busybox",
            manifest_descriptor(&busybox, manifest_size(&w, &busybox)),
        );

        let layers = named(
            write_image(&w, &layers_fixture_layers(), "amd64", None),
            "layers",
            "latest",
        );
        w.add_ref(
            "layers",
            manifest_descriptor(&layers, manifest_size(&w, &layers)),
        );

        let mut platforms = Vec::new();
        let mut entries = Vec::new();
        for (arch, variant) in [("amd64", None), ("arm64", Some("v8")), ("arm", Some("v7"))] {
            let mut tree = busybox_entries();
            tree.push(RawEntry::file("etc/arch", arch_label(arch, variant)));
            let l = layer(tar_with_raw_entries(&tree), LAYER_GZIP);
            let img = named(write_image(&w, &[l], arch, variant), "multiarch", "latest");
            let mut desc = manifest_descriptor(&img, manifest_size(&w, &img));
            desc["platform"] = json!({"architecture": arch, "os": "linux"});
            if let Some(v) = variant {
                desc["platform"]["variant"] = json!(v);
            }
            entries.push(desc);
            platforms.push(img);
        }
        let index = serde_json::to_vec(
            &json!({"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": entries}),
        )
        .unwrap();
        let index_desc = w.blob(OCI_INDEX, &index);
        w.add_ref("multiarch", index_desc);
        let multiarch = MultiArchFixture {
            repo: "multiarch".into(),
            tag: "latest".into(),
            index_digest: sha256_digest(&index),
            platforms,
        };
        let layout_dir = w.finish();
        // The v2s2 manifest digest is only known once skopeo has converted it.
        let busybox_v2s2 = FixtureImage {
            tag: "v2s2".into(),
            ..busybox.clone()
        };
        Fixtures {
            busybox,
            busybox_v2s2,
            layers,
            multiarch,
            layout_dir,
        }
    })
}

fn manifest_size(w: &LayoutWriter, img: &FixtureImage) -> usize {
    let path = w
        .dir
        .join("blobs/sha256")
        .join(&img.manifest_digest["sha256:".len()..]);
    fs::metadata(path).expect("manifest blob").len() as usize
}

/// Start `skopeo copy oci:<layout>:<ref> docker://<registry>/<dest>`.
fn skopeo_copy(
    reg: &Registry,
    layout: &Path,
    layout_ref: &str,
    dest: &str,
    flags: &[&str],
) -> (Child, String) {
    let mut cmd = Command::new("skopeo");
    cmd.args([
        "--insecure-policy",
        "copy",
        "--quiet",
        "--dest-tls-verify=false",
    ]);
    if let Some((u, p)) = reg.credentials() {
        cmd.arg(format!("--dest-creds={u}:{p}"));
    }
    cmd.args(flags)
        .arg(format!("oci:{}:{layout_ref}", layout.display()))
        .arg(format!("docker://{}", reg.url(dest)))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let what = format!("skopeo copy {layout_ref} -> {dest} {flags:?}");
    let child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("{what}: {e} (skopeo installed? run contrib/setup.sh)"));
    (child, what)
}

fn wait_ok((child, what): (Child, String)) {
    let out = child.wait_with_output().expect("wait for skopeo");
    assert!(
        out.status.success(),
        "{what} failed: {}",
        super::format_output(&out)
    );
}

/// Check the registry serves exactly the manifest we computed.
fn verify_pushed(reg: &Registry, repo: &str, tag: &str, expected: &str) {
    let resp = reg.manifest(repo, tag);
    let got = sha256_digest(&resp.body);
    assert_eq!(
        got,
        expected,
        "{repo}:{tag} in the registry differs from the fixture:\n{}",
        resp.text()
    );
}

/// Push every fixture under `prefix` (e.g. "private/"); returns what was pushed.
pub(crate) fn push_all(reg: &Registry, prefix: &str) -> Fixtures {
    let base = base_fixtures();
    let layout = &base.layout_dir;
    let mut fx = base.clone();
    for img in [&mut fx.busybox, &mut fx.busybox_v2s2, &mut fx.layers] {
        img.repo = format!("{prefix}{}", img.repo);
    }
    fx.multiarch.repo = format!("{prefix}{}", fx.multiarch.repo);
    for p in &mut fx.multiarch.platforms {
        p.repo = fx.multiarch.repo.clone();
    }

    // The busybox blobs go first so the v2s2 push finds them already there.
    let keep = ["--preserve-digests"];
    wait_ok(skopeo_copy(
        reg,
        layout,
        "busybox",
        &fx.busybox.reference(),
        &keep,
    ));
    let jobs = [
        skopeo_copy(
            reg,
            layout,
            "busybox",
            &fx.busybox_v2s2.reference(),
            &["--format", "v2s2"],
        ),
        skopeo_copy(reg, layout, "layers", &fx.layers.reference(), &keep),
        skopeo_copy(
            reg,
            layout,
            "multiarch",
            &fx.multiarch.reference(),
            &["--all", "--preserve-digests"],
        ),
    ];
    for job in jobs {
        wait_ok(job);
    }

    verify_pushed(
        reg,
        &fx.busybox.repo,
        &fx.busybox.tag,
        &fx.busybox.manifest_digest,
    );
    verify_pushed(
        reg,
        &fx.layers.repo,
        &fx.layers.tag,
        &fx.layers.manifest_digest,
    );
    verify_pushed(
        reg,
        &fx.multiarch.repo,
        &fx.multiarch.tag,
        &fx.multiarch.index_digest,
    );
    for p in &fx.multiarch.platforms {
        verify_pushed(reg, &p.repo, &p.manifest_digest, &p.manifest_digest);
    }

    // Record the schema2 manifest as skopeo wrote it.
    let resp = reg.manifest(&fx.busybox_v2s2.repo, &fx.busybox_v2s2.tag);
    let m: Value = serde_json::from_slice(&resp.body).expect("v2s2 manifest json");
    let v2 = &mut fx.busybox_v2s2;
    v2.manifest_digest = sha256_digest(&resp.body);
    v2.manifest_media_type = m["mediaType"].as_str().unwrap_or_default().into();
    assert_eq!(
        v2.manifest_media_type,
        DOCKER_MANIFEST,
        "skopeo --format v2s2 wrote {}",
        resp.text()
    );
    v2.config_digest = m["config"]["digest"]
        .as_str()
        .expect("config digest")
        .into();
    let layers = m["layers"].as_array().expect("layers");
    v2.layer_digests = layers
        .iter()
        .map(|l| l["digest"].as_str().unwrap().into())
        .collect();
    v2.layer_media_types = layers
        .iter()
        .map(|l| l["mediaType"].as_str().unwrap().into())
        .collect();
    fx
}

/// Media type by magic bytes: gzip, zstd, else plain tar.
fn sniff_media_type(data: &[u8]) -> &'static str {
    if data.starts_with(&[0x1f, 0x8b]) {
        LAYER_GZIP
    } else if data.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        LAYER_ZSTD
    } else {
        LAYER_TAR
    }
}

/// Digest of the uncompressed layer; of the bytes themselves when they do
/// not decompress (garbage layers must still be pushable).
fn raw_diff_id(data: &[u8], media_type: &str) -> String {
    let mut out = Vec::new();
    let ok = match media_type {
        LAYER_GZIP => flate2::read::GzDecoder::new(data)
            .read_to_end(&mut out)
            .is_ok(),
        LAYER_ZSTD => zstd::stream::read::Decoder::new(data)
            .and_then(|mut d| d.read_to_end(&mut out))
            .is_ok(),
        _ => return sha256_digest(data),
    };
    sha256_digest(if ok { &out } else { data })
}

/// Push an amd64 OCI image whose layers are these exact bytes (compression
/// detected by magic bytes) as `repo` or `repo:tag` (default tag `latest`).
/// skopeo computes blob digests from the bytes, so to test digest checks,
/// corrupt `Registry::blob_path` afterwards.
pub fn push_raw_image(reg: &Registry, repo_tag: &str, layers: Vec<Vec<u8>>) -> FixtureImage {
    let (repo, tag) = match repo_tag.rsplit_once(':') {
        Some((r, t)) if !t.contains('/') => (r, t),
        _ => (repo_tag, "latest"),
    };
    let mut w = LayoutWriter::new(scratch_dir("fix").join("layout"));
    let built: Vec<Layer> = layers
        .into_iter()
        .map(|blob| {
            let media_type = sniff_media_type(&blob);
            Layer {
                media_type,
                diff_id: raw_diff_id(&blob, media_type),
                blob,
            }
        })
        .collect();
    let mut img = write_image(&w, &built, "amd64", None);
    img.repo = repo.into();
    img.tag = tag.into();
    w.add_ref("raw", manifest_descriptor(&img, manifest_size(&w, &img)));
    let layout = w.finish();
    wait_ok(skopeo_copy(
        reg,
        &layout,
        "raw",
        &img.reference(),
        &["--preserve-digests"],
    ));
    verify_pushed(reg, repo, tag, &img.manifest_digest);
    let _ = fs::remove_dir_all(layout.parent().expect("scratch dir"));
    img
}
