//! Throwaway registries: Debian's `docker-registry` (distribution 2.8) on
//! 127.0.0.1 with filesystem storage in a scratch dir, plain HTTP, optionally
//! behind htpasswd basic auth. `registry()`/`auth_registry()` are shared by
//! all tests of one test binary and come with the fixtures pushed.

use super::fixtures::{self, Fixtures};
use super::scratch_dir;
use base64::Engine as _;
use std::fs;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Sender};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

pub const AUTH_USER: &str = "testuser";
pub const AUTH_PASS: &str = "testpass";
const REGISTRY_BIN: &str = "/usr/bin/docker-registry";
const START_TIMEOUT: Duration = Duration::from_secs(10);
/// Every manifest type, so the registry returns what it stores unconverted.
pub const MANIFEST_ACCEPT: &str = "application/vnd.oci.image.manifest.v1+json, \
    application/vnd.oci.image.index.v1+json, \
    application/vnd.docker.distribution.manifest.v2+json, \
    application/vnd.docker.distribution.manifest.list.v2+json";

pub struct Registry {
    addr: String,
    dir: PathBuf,
    auth: bool,
    child: Mutex<Child>,
    fixtures: OnceLock<Fixtures>,
}

/// The shared anonymous registry, fixtures pushed as `busybox`, `layers`, `multiarch`.
pub fn registry() -> &'static Registry {
    static REG: OnceLock<Registry> = OnceLock::new();
    let reg = REG.get_or_init(|| Registry::start(false));
    reg.fixtures.get_or_init(|| fixtures::push_all(reg, ""));
    reg
}

/// The shared registry requiring `AUTH_USER`/`AUTH_PASS`; fixtures under `private/`.
pub fn auth_registry() -> &'static Registry {
    static REG: OnceLock<Registry> = OnceLock::new();
    let reg = REG.get_or_init(|| Registry::start(true));
    reg.fixtures
        .get_or_init(|| fixtures::push_all(reg, "private/"));
    reg
}

/// Children are spawned from one thread that lives as long as the process:
/// PR_SET_PDEATHSIG fires when the spawning *thread* exits, and test threads
/// end with each test while the shared registries must outlive them.
fn spawn_from_keeper(cmd: Command) -> std::io::Result<Child> {
    type Job = (Command, Sender<std::io::Result<Child>>);
    static KEEPER: OnceLock<Mutex<Sender<Job>>> = OnceLock::new();
    let keeper = KEEPER.get_or_init(|| {
        let (tx, rx) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("registry-keeper".into())
            .spawn(move || {
                for (mut cmd, reply) in rx {
                    let _ = reply.send(cmd.spawn());
                }
            })
            .expect("spawn keeper thread");
        Mutex::new(tx)
    });
    let (tx, rx) = mpsc::channel();
    keeper
        .lock()
        .unwrap()
        .send((cmd, tx))
        .expect("keeper thread alive");
    rx.recv().expect("keeper reply")
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("bind an ephemeral port")
        .port()
}

impl Registry {
    /// A new private, empty registry (for tests that corrupt or delete
    /// content); killed and removed on drop.
    pub fn start(auth: bool) -> Registry {
        Self::start_inner(auth, false)
    }

    /// A new private registry serving HTTPS with a self-signed certificate
    /// for 127.0.0.1 (for insecure-registry tests); killed on drop.
    pub fn start_tls() -> Registry {
        Self::start_inner(false, true)
    }

    /// A new private registry with this `auth:` section (e.g. token auth);
    /// `credentials()` reports the harness user for it.
    pub fn start_with_auth_yaml(auth_yaml: &str) -> Registry {
        Self::start_full(true, false, Some(auth_yaml.to_string()))
    }

    fn start_inner(auth: bool, tls: bool) -> Registry {
        Self::start_full(auth, tls, None)
    }

    fn start_full(auth: bool, tls: bool, custom_auth: Option<String>) -> Registry {
        let dir = scratch_dir("reg");
        let storage = dir.join("storage");
        fs::create_dir(&storage).expect("create registry storage");
        let mut auth_yaml = custom_auth.clone().unwrap_or_default();
        if auth && custom_auth.is_none() {
            let out = Command::new("htpasswd")
                .args(["-Bbn", AUTH_USER, AUTH_PASS])
                .output()
                .expect("run htpasswd (apache2-utils; run contrib/setup.sh)");
            assert!(
                out.status.success(),
                "htpasswd failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            fs::write(dir.join("htpasswd"), &out.stdout).expect("write htpasswd");
            auth_yaml = format!(
                "auth:\n  htpasswd:\n    realm: skiff-test\n    path: {}\n",
                dir.join("htpasswd").display()
            );
        }
        let mut tls_yaml = String::new();
        if tls {
            let (cert, key) = self_signed_cert(&dir, "skiff-test", Some("IP:127.0.0.1"));
            tls_yaml = format!(
                "  tls:\n    certificate: {}\n    key: {}\n",
                cert.display(),
                key.display()
            );
        }
        let mut last_log = String::new();
        for _attempt in 0..5 {
            let addr = format!("127.0.0.1:{}", free_port());
            let config = format!(
                "version: 0.1\n\
                 log:\n  level: warn\n  accesslog:\n    disabled: true\n\
                 storage:\n  filesystem:\n    rootdirectory: {}\n  delete:\n    enabled: true\n  \
                 maintenance:\n    uploadpurging:\n      enabled: false\n\
                 http:\n  addr: {addr}\n{tls_yaml}\
                 {auth_yaml}",
                storage.display()
            );
            let config_path = dir.join("config.yml");
            fs::write(&config_path, config).expect("write registry config");
            let log_path = dir.join("registry.log");
            let log = fs::File::create(&log_path).expect("create registry log");
            let mut cmd = Command::new(REGISTRY_BIN);
            cmd.arg("serve")
                .arg(&config_path)
                .stdin(Stdio::null())
                .stdout(log.try_clone().expect("dup log"))
                .stderr(log)
                .process_group(0);
            // SAFETY: between fork and exec only async-signal-safe calls are
            // allowed; prctl is a plain syscall that touches no memory of ours.
            unsafe {
                cmd.pre_exec(|| {
                    if libc::prctl(
                        libc::PR_SET_PDEATHSIG,
                        libc::SIGKILL as libc::c_ulong,
                        0,
                        0,
                        0,
                    ) != 0
                    {
                        return Err(std::io::Error::last_os_error());
                    }
                    Ok(())
                });
            }
            let mut child = spawn_from_keeper(cmd).unwrap_or_else(|e| {
                panic!("start {REGISTRY_BIN} (docker-registry; run contrib/setup.sh): {e}")
            });
            let deadline = Instant::now() + START_TIMEOUT;
            loop {
                if let Ok(Some(_)) = child.try_wait() {
                    break;
                }
                // A TLS server answers a plain HTTP request with 400.
                if let Ok(resp) = http_request(&addr, "GET", "/v2/", &[])
                    && (resp.status == 200 || resp.status == 401 || (tls && resp.status == 400))
                {
                    return Registry {
                        addr,
                        dir,
                        auth,
                        child: Mutex::new(child),
                        fixtures: OnceLock::new(),
                    };
                }
                if Instant::now() > deadline {
                    let _ = child.kill();
                    let _ = child.wait();
                    break;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            last_log = fs::read_to_string(&log_path).unwrap_or_default();
            if !last_log.contains("address already in use") {
                break;
            }
        }
        panic!("docker-registry did not come up within {START_TIMEOUT:?}; log:\n{last_log}");
    }

    /// "127.0.0.1:PORT".
    pub fn addr(&self) -> &str {
        &self.addr
    }

    /// "127.0.0.1:PORT/<repo_tag>", an image reference for skiff or skopeo.
    pub fn url(&self, repo_tag: &str) -> String {
        format!("{}/{repo_tag}", self.addr)
    }

    pub fn requires_auth(&self) -> bool {
        self.auth
    }

    /// `Some((user, pass))` for the auth registry.
    pub fn credentials(&self) -> Option<(&'static str, &'static str)> {
        self.auth.then_some((AUTH_USER, AUTH_PASS))
    }

    /// The fixtures pushed to the shared registries. Panics for a private
    /// registry from `Registry::start`, which starts empty.
    pub fn fixtures(&self) -> &Fixtures {
        self.fixtures
            .get()
            .expect("this registry has no fixtures (use registry()/auth_registry())")
    }

    /// The storage root (`rootdirectory` in the registry config).
    pub fn storage_dir(&self) -> PathBuf {
        self.dir.join("storage")
    }

    /// Where the registry keeps the bytes of a blob, e.g. to corrupt it.
    pub fn blob_path(&self, digest: &str) -> PathBuf {
        let hex = digest.strip_prefix("sha256:").expect("sha256 digest");
        assert!(
            hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()),
            "bad digest {digest}"
        );
        self.storage_dir()
            .join("docker/registry/v2/blobs/sha256")
            .join(&hex[..2])
            .join(hex)
            .join("data")
    }

    pub fn log(&self) -> String {
        fs::read_to_string(self.dir.join("registry.log")).unwrap_or_default()
    }

    /// A GET with credentials when the registry requires them.
    pub fn get(&self, path: &str, headers: &[(&str, &str)]) -> HttpResponse {
        let auth = self.credentials().map(|(u, p)| basic_auth(u, p));
        let mut all: Vec<(&str, &str)> = headers.to_vec();
        if let Some(a) = &auth {
            all.push(("Authorization", a));
        }
        http_request(&self.addr, "GET", path, &all)
            .unwrap_or_else(|e| panic!("GET {path} from {}: {e}", self.addr))
    }

    /// A GET without credentials.
    pub fn get_anonymous(&self, path: &str) -> HttpResponse {
        http_request(&self.addr, "GET", path, &[]).unwrap_or_else(|e| panic!("GET {path}: {e}"))
    }

    /// The raw manifest stored under `repo:reference`, as served (no conversion).
    pub fn manifest(&self, repo: &str, reference: &str) -> HttpResponse {
        let resp = self.get(
            &format!("/v2/{repo}/manifests/{reference}"),
            &[("Accept", MANIFEST_ACCEPT)],
        );
        assert_eq!(
            resp.status,
            200,
            "manifest {repo}:{reference}: {}",
            resp.text()
        );
        resp
    }

    /// Repositories listed by `/v2/_catalog`.
    pub fn catalog(&self) -> Vec<String> {
        let resp = self.get("/v2/_catalog?n=1000", &[]);
        assert_eq!(resp.status, 200, "catalog: {}", resp.text());
        let v: serde_json::Value = serde_json::from_slice(&resp.body).expect("catalog json");
        v["repositories"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|r| r.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        if let Ok(mut child) = self.child.lock() {
            let _ = child.kill();
            let _ = child.wait();
        }
        let _ = fs::remove_dir_all(&self.dir);
    }
}

pub fn basic_auth(user: &str, pass: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pass}"))
    )
}

#[derive(Debug)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// First header with this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// A minimal HTTP/1.1 client for the local registry: one request per
/// connection, Content-Length or chunked bodies.
pub fn http_request(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
) -> std::io::Result<HttpResponse> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    stream.write_all(req.as_bytes())?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    parse_response(&raw, method == "HEAD")
}

fn parse_response(raw: &[u8], head: bool) -> std::io::Result<HttpResponse> {
    let bad = |m: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, m.to_string());
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| bad("no header end"))?;
    let head_text = std::str::from_utf8(&raw[..end]).map_err(|_| bad("non-utf8 headers"))?;
    let mut lines = head_text.split("\r\n");
    let status_line = lines.next().ok_or_else(|| bad("empty response"))?;
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| bad("bad status line"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let rest = &raw[end + 4..];
    let chunked = headers.iter().any(|(k, v)| {
        k.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked")
    });
    let body = if head {
        Vec::new()
    } else if chunked {
        decode_chunked(rest).ok_or_else(|| bad("bad chunked body"))?
    } else {
        rest.to_vec()
    };
    Ok(HttpResponse {
        status,
        headers,
        body,
    })
}

fn decode_chunked(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let eol = data.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&data[..eol]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        data = &data[eol + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(data.get(..size)?);
        data = data.get(size + 2..)?;
    }
}

/// Path helper for tests that want the raw storage layout.
pub fn repository_dir(reg: &Registry, repo: &str) -> PathBuf {
    reg.storage_dir()
        .join("docker/registry/v2/repositories")
        .join(Path::new(repo))
}

/// Writes `cert.pem` and `key.pem` (RSA 2048, self-signed, 2 days) into `dir`.
pub fn self_signed_cert(dir: &Path, cn: &str, san: Option<&str>) -> (PathBuf, PathBuf) {
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    let mut cmd = Command::new("openssl");
    cmd.args([
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
    ])
    .arg("-subj")
    .arg(format!("/CN={cn}"))
    .arg("-keyout")
    .arg(&key)
    .arg("-out")
    .arg(&cert);
    if let Some(san) = san {
        cmd.arg("-addext").arg(format!("subjectAltName={san}"));
    }
    let out = cmd.output().expect("run openssl");
    assert!(
        out.status.success(),
        "openssl: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (cert, key)
}
