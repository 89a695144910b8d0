//! A small OCI distribution client: ping and auth (Basic and Bearer token
//! flows), manifests, blob streams, uploads and cross-repository mounts.
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use base64::Engine as _;
use reqwest::{Method, RequestBuilder, Response, StatusCode, header};

use crate::image::auth::Credentials;
use crate::storage::Digest;

#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    #[error("cannot reach registry {host}: {reason}")]
    Unreachable { host: String, reason: String },
    #[error(
        "unauthorized: access to {host}/{repo} was denied; log in with `skiff login {host}` or check the image name"
    )]
    Unauthorized { host: String, repo: String },
    #[error("{what}: manifest unknown (no such tag or digest in {host}/{repo})")]
    ManifestUnknown {
        what: String,
        host: String,
        repo: String,
    },
    #[error("repository {host}/{repo} not found")]
    NameUnknown { host: String, repo: String },
    #[error("blob {digest} not found in {host}/{repo}")]
    BlobUnknown {
        digest: Digest,
        host: String,
        repo: String,
    },
    #[error("registry {host} answered {status} to {method} {path}: {message}")]
    Http {
        host: String,
        method: String,
        path: String,
        status: u16,
        message: String,
    },
    #[error("registry {host}: invalid token response: {reason}")]
    Token { host: String, reason: String },
    #[error("registry {host} sent an invalid response: {reason}")]
    Protocol { host: String, reason: String },
    #[error("login to {host} failed: {reason}")]
    Login { host: String, reason: String },
    #[error("creating the HTTP client: {0}")]
    Client(String),
}

/// How to talk to one registry host.
#[derive(Clone, Debug)]
pub struct HostOptions {
    /// Plain HTTP is allowed, and TLS certificates are not verified.
    pub insecure: bool,
    /// `--tls-verify=true`: HTTPS only, even for loopback registries.
    pub require_tls: bool,
}

/// Creates HTTP clients; one per process is enough.
pub struct Transport {
    secure: reqwest::Client,
    lax: reqwest::Client,
}

impl Transport {
    pub fn new() -> Result<Transport, RegistryError> {
        // reqwest is built without a default crypto provider (aws-lc takes minutes
        // to compile); ring is installed once here.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let build = |lax: bool| {
            reqwest::Client::builder()
                .user_agent(concat!("skiff/", env!("CARGO_PKG_VERSION")))
                .connect_timeout(Duration::from_secs(30))
                .read_timeout(Duration::from_secs(120))
                .danger_accept_invalid_certs(lax)
                .build()
                .map_err(|e| RegistryError::Client(e.to_string()))
        };
        Ok(Transport {
            secure: build(false)?,
            lax: build(true)?,
        })
    }
}

/// A session with one repository on one registry: resolved scheme and auth.
pub struct Session<'t> {
    transport: &'t Transport,
    pub host: String,
    pub repo: String,
    base: String,
    lax: bool,
    creds: Option<Credentials>,
    push: bool,
    authorization: Mutex<Option<String>>,
    challenge: Mutex<Option<Challenge>>,
    /// Other repositories to ask pull access for (cross-repository mounts).
    extra_pull: Mutex<Vec<String>>,
}

#[derive(Clone, Debug)]
enum Challenge {
    Basic,
    Bearer(HashMap<String, String>),
}

/// `registry-1.docker.io` serves `docker.io`.
pub fn api_host(host: &str) -> &str {
    if host == "docker.io" {
        "registry-1.docker.io"
    } else {
        host
    }
}

fn describe(e: &reqwest::Error) -> String {
    use std::error::Error;
    let mut msg = e.to_string();
    let mut src = e.source();
    while let Some(s) = src {
        msg = s.to_string();
        src = s.source();
    }
    msg
}

impl<'t> Session<'t> {
    /// Pings `/v2/` over HTTPS, falling back to plain HTTP for loopback or
    /// insecure registries, and learns the auth challenge.
    pub async fn connect(
        transport: &'t Transport,
        host: &str,
        repo: &str,
        opts: &HostOptions,
        creds: Option<Credentials>,
        push: bool,
    ) -> Result<Session<'t>, RegistryError> {
        let api = api_host(host);
        let loopback = crate::config::registries::is_loopback_host(host);
        let mut attempts = vec![(format!("https://{api}"), opts.insecure)];
        if opts.insecure || (loopback && !opts.require_tls) {
            attempts.push((format!("http://{api}"), opts.insecure));
        }
        let mut errors: Vec<String> = Vec::new();
        for (base, lax) in attempts {
            let client = if lax {
                &transport.lax
            } else {
                &transport.secure
            };
            match client.get(format!("{base}/v2/")).send().await {
                Ok(resp) => {
                    let challenge = parse_challenge(resp.headers());
                    let status = resp.status();
                    if !(status.is_success() || status == StatusCode::UNAUTHORIZED) {
                        errors.push(format!("{base}/v2/ answered {status}"));
                        continue;
                    }
                    return Ok(Session {
                        transport,
                        host: host.to_string(),
                        repo: repo.to_string(),
                        base,
                        lax,
                        creds,
                        push,
                        authorization: Mutex::new(None),
                        challenge: Mutex::new(challenge),
                        extra_pull: Mutex::new(Vec::new()),
                    });
                }
                Err(e) => {
                    errors.push(describe(&e));
                    if e.is_connect() && !loopback && !opts.insecure {
                        break;
                    }
                }
            }
        }
        // The HTTPS failure explains more than the plain-HTTP retry's, unless
        // nothing listens at all.
        let cert = errors.iter().find(|e| {
            e.contains("certificate")
                || e.contains("InvalidCertificate")
                || e.contains("UnknownIssuer")
        });
        let last_err = match cert {
            Some(c) => format!(
                "TLS certificate not trusted ({c}); use --tls-verify=false or mark the registry insecure in registries.conf"
            ),
            None => errors.first().cloned().unwrap_or_default(),
        };
        Err(RegistryError::Unreachable {
            host: host.to_string(),
            reason: last_err,
        })
    }

    /// Asks for pull access to `repo` too (a token then covers mounting from
    /// it); the next request re-authenticates.
    pub fn add_pull_scope(&self, repo: &str) {
        let mut extra = self.extra_pull.lock().unwrap();
        if repo != self.repo && !extra.iter().any(|r| r == repo) {
            extra.push(repo.to_string());
            *self.authorization.lock().unwrap() = None;
        }
    }

    fn client(&self) -> &reqwest::Client {
        if self.lax {
            &self.transport.lax
        } else {
            &self.transport.secure
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}/v2/{}/{}", self.base, self.repo, path)
    }

    /// Checks the credentials against the registry (for `skiff login`).
    pub async fn verify_login(&self) -> Result<(), RegistryError> {
        let challenge = self.challenge.lock().unwrap().clone();
        match challenge {
            None => Ok(()),
            Some(_) if self.creds.is_none() => Err(RegistryError::Login {
                host: self.host.clone(),
                reason: "credentials required".into(),
            }),
            Some(_) => {
                self.authenticate(true).await?;
                let auth = self.authorization.lock().unwrap().clone();
                let mut req = self.client().get(format!("{}/v2/", self.base));
                if let Some(a) = auth {
                    req = req.header(header::AUTHORIZATION, a);
                }
                let resp = req.send().await.map_err(|e| self.unreachable(&e))?;
                if resp.status().is_success() {
                    Ok(())
                } else if resp.status() == StatusCode::UNAUTHORIZED {
                    Err(RegistryError::Login {
                        host: self.host.clone(),
                        reason: "invalid username or password".into(),
                    })
                } else {
                    Err(RegistryError::Login {
                        host: self.host.clone(),
                        reason: format!("registry answered {}", resp.status()),
                    })
                }
            }
        }
    }

    fn unreachable(&self, e: &reqwest::Error) -> RegistryError {
        RegistryError::Unreachable {
            host: self.host.clone(),
            reason: describe(e),
        }
    }

    /// Gets an Authorization header value for the current challenge.
    async fn authenticate(&self, for_login: bool) -> Result<(), RegistryError> {
        let challenge = self.challenge.lock().unwrap().clone();
        let value = match challenge {
            None => return Ok(()),
            Some(Challenge::Basic) => self.creds.as_ref().map(basic),
            Some(Challenge::Bearer(params)) => {
                let realm = params.get("realm").ok_or_else(|| RegistryError::Token {
                    host: self.host.clone(),
                    reason: "bearer challenge without realm".into(),
                })?;
                let mut url = reqwest::Url::parse(realm).map_err(|e| RegistryError::Token {
                    host: self.host.clone(),
                    reason: format!("bad realm {realm:?}: {e}"),
                })?;
                {
                    let mut q = url.query_pairs_mut();
                    if let Some(service) = params.get("service") {
                        q.append_pair("service", service);
                    }
                    if !for_login {
                        let actions = if self.push { "pull,push" } else { "pull" };
                        q.append_pair("scope", &format!("repository:{}:{actions}", self.repo));
                        for other in self.extra_pull.lock().unwrap().iter() {
                            q.append_pair("scope", &format!("repository:{other}:pull"));
                        }
                    }
                    if let Some(scope) = params.get("scope")
                        && for_login
                    {
                        q.append_pair("scope", scope);
                    }
                }
                let mut req = self.client().get(url);
                if let Some(c) = &self.creds {
                    req = req.header(header::AUTHORIZATION, basic(c));
                }
                let resp = req.send().await.map_err(|e| self.unreachable(&e))?;
                if resp.status() == StatusCode::UNAUTHORIZED
                    || resp.status() == StatusCode::FORBIDDEN
                {
                    return Err(if for_login {
                        RegistryError::Login {
                            host: self.host.clone(),
                            reason: "invalid username or password".into(),
                        }
                    } else {
                        RegistryError::Unauthorized {
                            host: self.host.clone(),
                            repo: self.repo.clone(),
                        }
                    });
                }
                if !resp.status().is_success() {
                    return Err(RegistryError::Token {
                        host: self.host.clone(),
                        reason: format!("token endpoint answered {}", resp.status()),
                    });
                }
                let body = resp.bytes().await.map_err(|e| self.unreachable(&e))?;
                #[derive(serde::Deserialize)]
                struct Token {
                    token: Option<String>,
                    access_token: Option<String>,
                }
                let t: Token = serde_json::from_slice(&body).map_err(|e| RegistryError::Token {
                    host: self.host.clone(),
                    reason: e.to_string(),
                })?;
                let token = t
                    .token
                    .or(t.access_token)
                    .ok_or_else(|| RegistryError::Token {
                        host: self.host.clone(),
                        reason: "no token in response".into(),
                    })?;
                Some(format!("Bearer {token}"))
            }
        };
        *self.authorization.lock().unwrap() = value;
        Ok(())
    }

    /// Sends a request built by `build`, authenticating on the first 401 and
    /// retrying once. `build` is called again for the retry.
    pub async fn send<F>(&self, build: F) -> Result<Response, RegistryError>
    where
        F: Fn(&reqwest::Client) -> RequestBuilder,
    {
        let mut retried = false;
        if self.authorization.lock().unwrap().is_none() && self.challenge.lock().unwrap().is_some()
        {
            self.authenticate(false).await?;
            retried = true;
        }
        loop {
            let mut req = build(self.client());
            if let Some(a) = self.authorization.lock().unwrap().clone() {
                req = req.header(header::AUTHORIZATION, a);
            }
            let resp = req.send().await.map_err(|e| self.unreachable(&e))?;
            if resp.status() == StatusCode::UNAUTHORIZED && !retried {
                if let Some(c) = parse_challenge(resp.headers()) {
                    *self.challenge.lock().unwrap() = Some(c);
                }
                self.authenticate(false).await?;
                retried = true;
                continue;
            }
            return Ok(resp);
        }
    }

    /// Turns a non-success response into the matching error.
    async fn fail(&self, method: &str, what: &str, resp: Response) -> RegistryError {
        let status = resp.status();
        let body = resp.bytes().await.unwrap_or_default();
        let (code, message) = error_envelope(&body);
        let path = what.to_string();
        match (status, code.as_deref()) {
            (StatusCode::UNAUTHORIZED, _)
            | (StatusCode::FORBIDDEN, _)
            | (_, Some("DENIED"))
            | (_, Some("UNAUTHORIZED")) => RegistryError::Unauthorized {
                host: self.host.clone(),
                repo: self.repo.clone(),
            },
            (_, Some("NAME_UNKNOWN")) => RegistryError::NameUnknown {
                host: self.host.clone(),
                repo: self.repo.clone(),
            },
            (_, Some("MANIFEST_UNKNOWN")) | (StatusCode::NOT_FOUND, None)
                if method == "GET manifest" =>
            {
                let sep = if what.contains(':') { "@" } else { ":" };
                RegistryError::ManifestUnknown {
                    what: format!("{}/{}{sep}{}", self.host, self.repo, what),
                    host: self.host.clone(),
                    repo: self.repo.clone(),
                }
            }
            _ => RegistryError::Http {
                host: self.host.clone(),
                method: method.to_string(),
                path,
                status: status.as_u16(),
                message: message
                    .unwrap_or_else(|| status.canonical_reason().unwrap_or("").to_string()),
            },
        }
    }

    /// Fetches a manifest by tag or digest: (body, content type, digest of body).
    pub async fn manifest(
        &self,
        reference: &str,
        accept: &[&str],
    ) -> Result<(Vec<u8>, String, Digest), RegistryError> {
        let url = self.url(&format!("manifests/{reference}"));
        let accept = accept.join(", ");
        let resp = self
            .send(|c| c.get(&url).header(header::ACCEPT, accept.as_str()))
            .await?;
        if !resp.status().is_success() {
            return Err(self.fail("GET manifest", reference, resp).await);
        }
        let ct = resp
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let body = resp
            .bytes()
            .await
            .map_err(|e| self.unreachable(&e))?
            .to_vec();
        let digest = Digest::sha256_of(&body);
        Ok((body, ct, digest))
    }

    /// Opens a blob for streaming (redirects are followed).
    pub async fn blob(&self, digest: &Digest) -> Result<Response, RegistryError> {
        let url = self.url(&format!("blobs/{digest}"));
        let resp = self.send(|c| c.get(&url)).await?;
        if resp.status() == StatusCode::NOT_FOUND {
            return Err(RegistryError::BlobUnknown {
                digest: digest.clone(),
                host: self.host.clone(),
                repo: self.repo.clone(),
            });
        }
        if !resp.status().is_success() {
            return Err(self.fail("GET blob", &digest.to_string(), resp).await);
        }
        Ok(resp)
    }

    pub async fn blob_exists(&self, digest: &Digest) -> Result<bool, RegistryError> {
        let url = self.url(&format!("blobs/{digest}"));
        let resp = self.send(|c| c.head(&url)).await?;
        match resp.status() {
            s if s.is_success() => Ok(true),
            StatusCode::NOT_FOUND => Ok(false),
            _ => Err(self.fail("HEAD blob", &digest.to_string(), resp).await),
        }
    }

    /// Tries a cross-repository mount; `Ok(true)` when the registry mounted it.
    pub async fn mount(&self, digest: &Digest, from_repo: &str) -> Result<bool, RegistryError> {
        let url = format!(
            "{}?mount={}&from={}",
            self.url("blobs/uploads/"),
            digest,
            from_repo
        );
        let resp = self.send(|c| c.post(&url)).await?;
        match resp.status() {
            StatusCode::CREATED => Ok(true),
            // 202: the registry started an ordinary upload instead; abandon it.
            s if s.is_success() => Ok(false),
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::NOT_FOUND => Ok(false),
            _ => Err(self.fail("POST mount", &digest.to_string(), resp).await),
        }
    }

    /// Uploads a blob in one monolithic PUT, streaming `body`.
    pub async fn upload<F>(&self, digest: &Digest, size: u64, body: F) -> Result<(), RegistryError>
    where
        F: Fn() -> reqwest::Body,
    {
        let start = self.url("blobs/uploads/");
        let resp = self
            .send(|c| c.post(&start).header(header::CONTENT_LENGTH, 0))
            .await?;
        if resp.status() != StatusCode::ACCEPTED {
            return Err(self.fail("POST upload", &digest.to_string(), resp).await);
        }
        let location = resp
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| RegistryError::Protocol {
                host: self.host.clone(),
                reason: "upload started without a Location header".into(),
            })?
            .to_string();
        let mut url = if location.starts_with("http://") || location.starts_with("https://") {
            reqwest::Url::parse(&location)
        } else {
            reqwest::Url::parse(&format!("{}{}", self.base, location))
        }
        .map_err(|e| RegistryError::Protocol {
            host: self.host.clone(),
            reason: format!("bad upload location {location:?}: {e}"),
        })?;
        url.query_pairs_mut()
            .append_pair("digest", &digest.to_string());
        let resp = self
            .send(|c| {
                c.request(Method::PUT, url.clone())
                    .header(header::CONTENT_TYPE, "application/octet-stream")
                    .header(header::CONTENT_LENGTH, size)
                    .body(body())
            })
            .await?;
        if !resp.status().is_success() {
            return Err(self.fail("PUT blob", &digest.to_string(), resp).await);
        }
        Ok(())
    }

    pub async fn put_manifest(
        &self,
        reference: &str,
        media_type: &str,
        body: Vec<u8>,
    ) -> Result<(), RegistryError> {
        let url = self.url(&format!("manifests/{reference}"));
        let resp = self
            .send(|c| {
                c.put(&url)
                    .header(header::CONTENT_TYPE, media_type)
                    .body(body.clone())
            })
            .await?;
        if !resp.status().is_success() {
            return Err(self.fail("PUT manifest", reference, resp).await);
        }
        Ok(())
    }
}

fn basic(c: &Credentials) -> String {
    let raw = format!("{}:{}", c.username, c.password);
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(raw)
    )
}

/// Parses `WWW-Authenticate: Bearer realm="...",service="...",scope="..."`.
fn parse_challenge(headers: &header::HeaderMap) -> Option<Challenge> {
    let v = headers.get(header::WWW_AUTHENTICATE)?.to_str().ok()?.trim();
    let (scheme, rest) = v.split_once(' ').unwrap_or((v, ""));
    if scheme.eq_ignore_ascii_case("basic") {
        return Some(Challenge::Basic);
    }
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    Some(Challenge::Bearer(parse_params(rest)))
}

fn parse_params(s: &str) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let mut rest = s.trim();
    while !rest.is_empty() {
        let Some((key, after)) = rest.split_once('=') else {
            break;
        };
        let key = key.trim().trim_start_matches(',').trim().to_lowercase();
        let after = after.trim_start();
        let (value, next) = if let Some(q) = after.strip_prefix('"') {
            // Quoted string; backslash escapes a character.
            let mut val = String::new();
            let mut chars = q.char_indices();
            let mut end = q.len();
            while let Some((i, ch)) = chars.next() {
                match ch {
                    '\\' => {
                        if let Some((_, n)) = chars.next() {
                            val.push(n);
                        }
                    }
                    '"' => {
                        end = i + 1;
                        break;
                    }
                    c => val.push(c),
                }
            }
            (val, &q[end.min(q.len())..])
        } else {
            let end = after.find(',').unwrap_or(after.len());
            (after[..end].trim().to_string(), &after[end..])
        };
        out.insert(key, value);
        rest = next.trim_start().trim_start_matches(',').trim_start();
    }
    out
}

/// Extracts the first `{"errors":[{"code","message"}]}` entry.
fn error_envelope(body: &[u8]) -> (Option<String>, Option<String>) {
    #[derive(serde::Deserialize)]
    struct Env {
        errors: Vec<E>,
    }
    #[derive(serde::Deserialize)]
    struct E {
        code: Option<String>,
        message: Option<String>,
    }
    match serde_json::from_slice::<Env>(body) {
        Ok(env) if !env.errors.is_empty() => {
            let e = &env.errors[0];
            (e.code.clone(), e.message.clone())
        }
        _ => (None, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_bearer_challenge() {
        let p = parse_params(
            r#"realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull""#,
        );
        assert_eq!(p["realm"], "https://auth.docker.io/token");
        assert_eq!(p["service"], "registry.docker.io");
        assert_eq!(p["scope"], "repository:library/busybox:pull");
        let q = parse_params(r#"realm="a\"b", service=plain"#);
        assert_eq!(q["realm"], "a\"b");
        assert_eq!(q["service"], "plain");
    }

    #[test]
    fn challenge_kinds() {
        let mut h = header::HeaderMap::new();
        h.insert(
            header::WWW_AUTHENTICATE,
            "Basic realm=\"x\"".parse().unwrap(),
        );
        assert!(matches!(parse_challenge(&h), Some(Challenge::Basic)));
        h.insert(
            header::WWW_AUTHENTICATE,
            "Bearer realm=\"https://t/\"".parse().unwrap(),
        );
        assert!(matches!(parse_challenge(&h), Some(Challenge::Bearer(_))));
    }

    #[test]
    fn envelope() {
        let (c, m) = error_envelope(
            br#"{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}"#,
        );
        assert_eq!(c.as_deref(), Some("MANIFEST_UNKNOWN"));
        assert_eq!(m.as_deref(), Some("manifest unknown"));
        assert_eq!(error_envelope(b"garbage"), (None, None));
    }
}
