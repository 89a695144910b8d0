//! `--change` for `import`: the Dockerfile instructions that only touch the
//! image config, applied to a fresh config the way Docker and Podman do.
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

const ALLOWED: &str =
    "CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, STOPSIGNAL, USER, VOLUME, WORKDIR";

/// A `--change` that is not one of the allowed instructions or is malformed.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("invalid --change {change:?}: {reason}")]
pub struct ChangeError {
    pub change: String,
    pub reason: String,
}

/// The value of a set-like map in the image config (`"80/tcp": {}`).
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Empty {}

/// The `config` object of an image config, with Docker's field names.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunConfig {
    #[serde(rename = "User", default, skip_serializing_if = "String::is_empty")]
    pub user: String,
    #[serde(
        rename = "ExposedPorts",
        default,
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub exposed_ports: BTreeMap<String, Empty>,
    #[serde(rename = "Env", default, skip_serializing_if = "Vec::is_empty")]
    pub env: Vec<String>,
    #[serde(
        rename = "Entrypoint",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub entrypoint: Option<Vec<String>>,
    #[serde(rename = "Cmd", default, skip_serializing_if = "Option::is_none")]
    pub cmd: Option<Vec<String>>,
    #[serde(
        rename = "Volumes",
        default,
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub volumes: BTreeMap<String, Empty>,
    #[serde(
        rename = "WorkingDir",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub working_dir: String,
    #[serde(rename = "Labels", default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    #[serde(
        rename = "StopSignal",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub stop_signal: String,
    #[serde(rename = "OnBuild", default, skip_serializing_if = "Vec::is_empty")]
    pub on_build: Vec<String>,
}

impl RunConfig {
    /// Applies each change in order; later ones win, as in a Dockerfile.
    pub fn apply_all(&mut self, changes: &[String]) -> Result<(), ChangeError> {
        for c in changes {
            self.apply(c)?;
        }
        Ok(())
    }

    pub fn apply(&mut self, change: &str) -> Result<(), ChangeError> {
        let fail = |reason: String| ChangeError {
            change: change.to_string(),
            reason,
        };
        let trimmed = change.trim();
        let (kw, rest) = match trimmed.find(char::is_whitespace) {
            Some(i) => (&trimmed[..i], trimmed[i..].trim()),
            None => (trimmed, ""),
        };
        let kw = kw.to_ascii_uppercase();
        if !ALLOWED.split(", ").any(|a| a == kw) {
            return Err(fail(format!("only {ALLOWED} are allowed")));
        }
        if rest.is_empty() {
            return Err(fail(format!("{kw} requires at least one argument")));
        }
        match kw.as_str() {
            "CMD" => self.cmd = Some(command_form(rest).map_err(fail)?),
            "ENTRYPOINT" => self.entrypoint = Some(command_form(rest).map_err(fail)?),
            "ENV" => {
                for (k, v) in key_values(&kw, rest).map_err(fail)? {
                    let prefix = format!("{k}=");
                    let entry = format!("{k}={v}");
                    match self.env.iter_mut().find(|e| e.starts_with(&prefix)) {
                        Some(e) => *e = entry,
                        None => self.env.push(entry),
                    }
                }
            }
            "LABEL" => {
                for (k, v) in key_values(&kw, rest).map_err(fail)? {
                    self.labels.insert(k, v);
                }
            }
            "EXPOSE" => {
                for w in split_words(rest).map_err(fail)? {
                    for p in expand_port(&w).map_err(fail)? {
                        self.exposed_ports.insert(p, Empty {});
                    }
                }
            }
            "USER" => self.user = single_word(&kw, rest).map_err(fail)?,
            "STOPSIGNAL" => {
                let s = single_word(&kw, rest).map_err(fail)?;
                if !valid_signal(&s) {
                    return Err(fail(format!("{s:?} is not a signal name or number")));
                }
                self.stop_signal = s;
            }
            "WORKDIR" => {
                let dir = unquote(rest);
                // A relative WORKDIR is relative to the previous one, as in a Dockerfile.
                self.working_dir = if dir.starts_with('/') {
                    dir
                } else {
                    let base = if self.working_dir.is_empty() {
                        "/"
                    } else {
                        &self.working_dir
                    };
                    format!("{}/{dir}", base.trim_end_matches('/'))
                };
            }
            "VOLUME" => {
                let vols = if rest.starts_with('[') {
                    json_array(rest).map_err(fail)?
                } else {
                    split_words(rest).map_err(fail)?
                };
                for v in vols {
                    if v.is_empty() {
                        return Err(fail("VOLUME paths must not be empty".into()));
                    }
                    self.volumes.insert(v, Empty {});
                }
            }
            "ONBUILD" => {
                let trigger = rest
                    .split_whitespace()
                    .next()
                    .unwrap_or("")
                    .to_ascii_uppercase();
                if matches!(trigger.as_str(), "ONBUILD" | "FROM" | "MAINTAINER") {
                    return Err(fail(format!("ONBUILD {trigger} isn't allowed")));
                }
                self.on_build.push(rest.to_string());
            }
            _ => unreachable!("keyword checked against ALLOWED above"),
        }
        Ok(())
    }
}

/// Exec form (a JSON array of strings) or shell form (run by /bin/sh -c).
fn command_form(rest: &str) -> Result<Vec<String>, String> {
    if rest.starts_with('[') {
        // Like Docker: text that is not a valid JSON array is shell form.
        if let Ok(v) = json_array(rest) {
            return Ok(v);
        }
    }
    Ok(vec!["/bin/sh".into(), "-c".into(), rest.to_string()])
}

fn json_array(rest: &str) -> Result<Vec<String>, String> {
    serde_json::from_str::<Vec<String>>(rest)
        .map_err(|e| format!("not a JSON array of strings: {e}"))
}

fn single_word(kw: &str, rest: &str) -> Result<String, String> {
    let words = split_words(rest)?;
    match words.as_slice() {
        [w] if !w.is_empty() => Ok(w.clone()),
        _ => Err(format!("{kw} takes exactly one argument")),
    }
}

/// `K=V K2="V 2"`, or the legacy `K value with spaces` form.
fn key_values(kw: &str, rest: &str) -> Result<Vec<(String, String)>, String> {
    let words = split_words(rest)?;
    let Some(first) = words.first() else {
        return Err(format!("{kw} requires at least one argument"));
    };
    if !first.contains('=') {
        let key = rest.split_whitespace().next().unwrap_or("");
        let value = rest[key.len()..].trim();
        if value.is_empty() {
            return Err(format!("{kw} {key} needs a value: use {kw} {key}=VALUE"));
        }
        return Ok(vec![(key.to_string(), unquote(value))]);
    }
    words
        .into_iter()
        .map(|w| match w.split_once('=') {
            Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
            _ => Err(format!("{w:?} is not KEY=VALUE")),
        })
        .collect()
}

/// Splits on whitespace outside quotes; quotes are removed and a backslash
/// escapes the next character (outside single quotes), as Dockerfiles do.
fn split_words(s: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some('\''), c) => cur.push(c),
            (_, '\\') => {
                in_word = true;
                match chars.next() {
                    Some(n) => cur.push(n),
                    None => cur.push('\\'),
                }
            }
            (Some(_), c) => cur.push(c),
            (None, '"' | '\'') => {
                in_word = true;
                quote = Some(c);
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            (None, c) => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if let Some(q) = quote {
        return Err(format!("unterminated {q} quote"));
    }
    if in_word {
        words.push(cur);
    }
    Ok(words)
}

fn unquote(s: &str) -> String {
    let s = s.trim();
    for q in ['"', '\''] {
        if s.len() >= 2 && s.starts_with(q) && s.ends_with(q) {
            return s[1..s.len() - 1].to_string();
        }
    }
    s.to_string()
}

/// `80`, `80/udp`, `8000-8002/tcp` -> `80/tcp`, `80/udp`, `8000/tcp`...
fn expand_port(spec: &str) -> Result<Vec<String>, String> {
    let (ports, proto) = match spec.split_once('/') {
        Some((p, proto)) => (p, proto.to_ascii_lowercase()),
        None => (spec, "tcp".to_string()),
    };
    if !matches!(proto.as_str(), "tcp" | "udp" | "sctp") {
        return Err(format!(
            "invalid protocol {proto:?} in {spec:?}: use tcp, udp or sctp"
        ));
    }
    let port = |s: &str| {
        s.parse::<u16>()
            .ok()
            .filter(|p| *p > 0)
            .ok_or_else(|| format!("invalid port {s:?} in {spec:?}"))
    };
    let (lo, hi) = match ports.split_once('-') {
        Some((a, b)) => (port(a)?, port(b)?),
        None => {
            let p = port(ports)?;
            (p, p)
        }
    };
    if hi < lo {
        return Err(format!("invalid port range {ports:?}"));
    }
    Ok((lo..=hi).map(|p| format!("{p}/{proto}")).collect())
}

fn valid_signal(s: &str) -> bool {
    if let Ok(n) = s.parse::<u32>() {
        return (1..=64).contains(&n);
    }
    let name = s.to_ascii_uppercase();
    let name = name.strip_prefix("SIG").unwrap_or(&name);
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'+' || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(changes: &[&str]) -> Result<RunConfig, ChangeError> {
        let mut c = RunConfig::default();
        let owned: Vec<String> = changes.iter().map(|s| s.to_string()).collect();
        c.apply_all(&owned)?;
        Ok(c)
    }

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn change_table() {
        let cases: &[(&str, &str)] = &[
            (
                r#"CMD ["/bin/echo", "hi"]"#,
                r#"{"Cmd":["/bin/echo","hi"]}"#,
            ),
            ("CMD echo hi", r#"{"Cmd":["/bin/sh","-c","echo hi"]}"#),
            ("cmd [not json", r#"{"Cmd":["/bin/sh","-c","[not json"]}"#),
            ("ENTRYPOINT [\"/app\"]", r#"{"Entrypoint":["/app"]}"#),
            (
                "ENTRYPOINT /app --x",
                r#"{"Entrypoint":["/bin/sh","-c","/app --x"]}"#,
            ),
            (
                "ENV A=1 B=\"two words\"",
                r#"{"Env":["A=1","B=two words"]}"#,
            ),
            (
                "ENV GREETING hello world",
                r#"{"Env":["GREETING=hello world"]}"#,
            ),
            (
                "EXPOSE 80 53/udp",
                r#"{"ExposedPorts":{"53/udp":{},"80/tcp":{}}}"#,
            ),
            (
                "EXPOSE 8000-8001/tcp",
                r#"{"ExposedPorts":{"8000/tcp":{},"8001/tcp":{}}}"#,
            ),
            ("LABEL a=b \"c d\"=e", r#"{"Labels":{"a":"b","c d":"e"}}"#),
            ("USER 1000:1000", r#"{"User":"1000:1000"}"#),
            ("WORKDIR /srv", r#"{"WorkingDir":"/srv"}"#),
            ("WORKDIR app", r#"{"WorkingDir":"/app"}"#),
            (
                "VOLUME /data /logs",
                r#"{"Volumes":{"/data":{},"/logs":{}}}"#,
            ),
            ("VOLUME [\"/data\"]", r#"{"Volumes":{"/data":{}}}"#),
            ("STOPSIGNAL SIGKILL", r#"{"StopSignal":"SIGKILL"}"#),
            ("STOPSIGNAL 9", r#"{"StopSignal":"9"}"#),
            ("ONBUILD RUN make", r#"{"OnBuild":["RUN make"]}"#),
        ];
        for (change, want) in cases {
            let got = apply(&[change]).unwrap_or_else(|e| panic!("{change}: {e}"));
            assert_eq!(serde_json::to_string(&got).unwrap(), *want, "{change}");
        }
    }

    #[test]
    fn later_changes_override() {
        let c = apply(&[
            "ENV A=1",
            "ENV B=2",
            "ENV A=3",
            "WORKDIR /a",
            "WORKDIR b",
            "CMD x",
            "CMD [\"y\"]",
        ])
        .unwrap();
        assert_eq!(c.env, strings(&["A=3", "B=2"]));
        assert_eq!(c.working_dir, "/a/b");
        assert_eq!(c.cmd, Some(strings(&["y"])));
    }

    #[test]
    fn rejected_changes() {
        let e = apply(&["FROM x"]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid --change \"FROM x\": only CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, STOPSIGNAL, USER, VOLUME, WORKDIR are allowed"
        );
        for bad in [
            "RUN echo",
            "ENV",
            "ENV A",
            "ENV =x",
            "EXPOSE 70000",
            "EXPOSE 80/icmp",
            "EXPOSE 90-80",
            "USER a b",
            "STOPSIGNAL not a signal",
            "STOPSIGNAL SIG$",
            "ONBUILD FROM x",
            "LABEL a=\"unterminated",
            "VOLUME [\"\"]",
        ] {
            let e = apply(&[bad]).expect_err(bad);
            assert!(
                e.to_string()
                    .starts_with(&format!("invalid --change {bad:?}: ")),
                "{e}"
            );
        }
    }

    #[test]
    fn words_and_quotes() {
        assert_eq!(
            split_words(r#"a "b c" 'd\e' f\ g"#).unwrap(),
            strings(&["a", "b c", "d\\e", "f g"])
        );
        assert_eq!(split_words(r#"k="""#).unwrap(), strings(&["k="]));
        assert!(split_words("'x").is_err());
    }
}
