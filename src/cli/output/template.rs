//! Go `text/template` support for `--format`: Docker's extra template
//! functions on top of `gotmpl`, conversion of JSON rows to template values,
//! Go-compatible printing and the `json` function's encoding.

use std::collections::BTreeMap;
use std::sync::Arc;

use gotmpl::{Template, TemplateError, Value};

use super::OutputError;

/// Which implementations the Docker functions get: real ones for rows, or the
/// header variants that pass their first (string) argument through unchanged,
/// so `table {{upper .Name}}` still prints the `NAME` header as is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Funcs {
    Data,
    Header,
}

/// Parses `src` with Docker's function set. A missing key prints `<no value>`
/// (Go's default for maps), since our rows are JSON maps, not structs.
pub(super) fn compile(src: &str, funcs: Funcs) -> Result<Template, OutputError> {
    let mut t = Template::new("");
    t = match funcs {
        Funcs::Data => t
            .func("json", json_func)
            .func("split", split_func)
            .func("join", join_func)
            .func("title", |a| map_str("title", a, go_title))
            .func("lower", |a| {
                map_str("lower", a, |s| {
                    s.chars().flat_map(char::to_lowercase).collect()
                })
            })
            .func("upper", |a| {
                map_str("upper", a, |s| {
                    s.chars().flat_map(char::to_uppercase).collect()
                })
            })
            .func("pad", pad_func)
            .func("truncate", truncate_func)
            .func("index", index_func),
        Funcs::Header => {
            for (name, arity) in [
                ("json", 1),
                ("split", 2),
                ("join", 2),
                ("title", 1),
                ("lower", 1),
                ("upper", 1),
                ("pad", 3),
                ("truncate", 2),
            ] {
                t = t.func(name, move |args| header_passthrough(name, arity, args));
            }
            t.func("index", index_func)
        }
    };
    let parse_error = |message: String| OutputError::Parse {
        template: src.to_string(),
        message: one_line(&message),
    };
    let t = t.parse(src).map_err(|e| parse_error(e.to_string()))?;
    check_blocks(src).map_err(parse_error)?;
    Ok(t)
}

/// gotmpl 0.6 accepts an unclosed `{{if}}` and silently stops at a stray
/// `{{end}}`, dropping the rest of the template; Go rejects both, so we check
/// the block structure ourselves, with Go's messages.
fn check_blocks(src: &str) -> Result<(), String> {
    let mut stack: Vec<&str> = Vec::new();
    let mut pos = 0;
    while let Some(found) = src[pos..].find("{{") {
        let start = pos + found;
        let len = action_end(&src[start..]);
        let action = &src[start..start + len];
        pos = start + len;
        let inner = action.strip_prefix("{{").unwrap_or(action);
        let inner = inner.strip_suffix("}}").unwrap_or(inner);
        // `{{- x}}` trims space before the action; `{{-3}}` is a number.
        let inner = match inner.strip_prefix('-') {
            Some(rest) if rest.starts_with(char::is_whitespace) => rest,
            _ => inner,
        };
        let word_end = inner
            .trim_start()
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(inner.trim_start().len());
        let word = &inner.trim_start()[..word_end];
        let at = || {
            let line_start = src[..start].rfind('\n').map_or(0, |i| i + 1);
            let line = src[..start].matches('\n').count() + 1;
            let col = src[line_start..start].chars().count() + 1;
            format!("template: {line}:{col}:")
        };
        match word {
            "if" | "range" | "with" | "define" | "block" => stack.push(word),
            "end" => {
                stack
                    .pop()
                    .ok_or_else(|| format!("{} unexpected {{{{end}}}}", at()))?;
            }
            "else" if !matches!(stack.last(), Some(&("if" | "range" | "with"))) => {
                return Err(format!("{} unexpected {{{{else}}}}", at()));
            }
            "break" | "continue" => {
                let in_range = stack
                    .iter()
                    .rev()
                    .take_while(|k| !matches!(**k, "define" | "block"))
                    .any(|k| *k == "range");
                if !in_range {
                    return Err(format!("{} {{{{{word}}}}} outside {{{{range}}}}", at()));
                }
            }
            _ => {}
        }
    }
    match stack.last() {
        Some(kind) => Err(format!("template: unexpected EOF: unclosed {{{{{kind}}}}}")),
        None => Ok(()),
    }
}

/// Runs `t` over `data`. On error the partial output is returned alongside,
/// because Docker prints whatever a failed header template produced.
pub(super) fn execute(
    t: &Template,
    src: &str,
    data: &Value,
) -> Result<String, (String, OutputError)> {
    let mut out = String::new();
    match t.execute_fmt(&mut out, data) {
        Ok(()) => Ok(out),
        Err(e) => {
            let err = OutputError::Execute {
                template: src.to_string(),
                message: one_line(&e.to_string()),
            };
            Err((out, err))
        }
    }
}

fn one_line(s: &str) -> String {
    s.replace('\n', "\\n")
}

/// Docker users write `\t` and `\n` literally in the flag value. Replace them
/// in the template's text, but not inside actions, where Go string literals
/// already understand escapes (and a raw newline would end the literal).
pub(super) fn expand_escapes(src: &str) -> String {
    let mut out = String::with_capacity(src.len());
    let mut rest = src;
    while !rest.is_empty() {
        if rest.starts_with("{{") {
            let end = action_end(rest);
            out.push_str(&rest[..end]);
            rest = &rest[end..];
        } else if let Some(r) = rest.strip_prefix("\\t") {
            out.push('\t');
            rest = r;
        } else if let Some(r) = rest.strip_prefix("\\n") {
            out.push('\n');
            rest = r;
        } else {
            let c = rest.chars().next().unwrap_or_default();
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// Byte length of the action starting at `s` (which begins with `{{`),
/// skipping quoted strings, raw strings, char literals and comments; the whole
/// rest of `s` when unterminated (the parser then reports it).
fn action_end(s: &str) -> usize {
    let b = s.as_bytes();
    let mut i = 2;
    while i < b.len() {
        match b[i] {
            b'}' if b.get(i + 1) == Some(&b'}') => return i + 2,
            q @ (b'"' | b'\'') => {
                i += 1;
                while i < b.len() && b[i] != q {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'`' => {
                i += 1;
                while i < b.len() && b[i] != b'`' {
                    i += 1;
                }
                i += 1;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = s[i + 2..].find("*/").map_or(b.len(), |p| i + 2 + p + 2);
            }
            _ => i += 1,
        }
    }
    s.len()
}

/// JSON -> template value. Integers stay integers so `printf "%d"` and `eq`
/// work; key order becomes sorted, as Go's maps print.
pub(super) fn to_value(v: &serde_json::Value) -> Value {
    match v {
        serde_json::Value::Null => Value::Nil,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::Int(i)
            } else if let Some(u) = n.as_u64() {
                Value::Uint(u)
            } else {
                Value::Float(n.as_f64().unwrap_or(f64::NAN))
            }
        }
        serde_json::Value::String(s) => Value::String(Arc::from(s.as_str())),
        serde_json::Value::Array(a) => {
            Value::List(a.iter().map(to_value).collect::<Vec<_>>().into())
        }
        serde_json::Value::Object(m) => Value::Map(Arc::new(
            m.iter()
                .map(|(k, v)| (Arc::from(k.as_str()), to_value(v)))
                .collect::<BTreeMap<_, _>>(),
        )),
    }
}

/// How `{{.Field}}` prints a value: `<no value>` for nil, `[a b]` for lists,
/// `map[k:v]` for maps (Go's `fmt` forms, which gotmpl's `Display` follows).
pub(super) fn display(v: &Value) -> String {
    match v {
        Value::Nil => "<no value>".to_string(),
        Value::String(s) => s.to_string(),
        other => other.to_string(),
    }
}

fn exec_err(msg: String) -> TemplateError {
    TemplateError::Exec(msg)
}

fn check_arity(name: &str, args: &[Value], want: usize) -> gotmpl::Result<()> {
    if args.len() == want {
        Ok(())
    } else {
        Err(exec_err(format!(
            "wrong number of args for {name}: want {want} got {}",
            args.len()
        )))
    }
}

/// A string argument. Nil counts as "": our JSON has `null` where Docker's
/// typed structs have an empty string or a nil slice.
fn str_arg<'a>(name: &str, v: &'a Value) -> gotmpl::Result<&'a str> {
    match v {
        Value::String(s) => Ok(s),
        Value::Nil => Ok(""),
        other => Err(exec_err(format!(
            "error calling {name}: wrong type for value; expected string; got {}",
            other.type_name()
        ))),
    }
}

fn int_arg(name: &str, v: &Value) -> gotmpl::Result<i64> {
    match v {
        Value::Int(n) => Ok(*n),
        Value::Uint(n) => i64::try_from(*n)
            .map_err(|_| exec_err(format!("error calling {name}: {n} overflows int"))),
        other => Err(exec_err(format!(
            "error calling {name}: wrong type for value; expected int; got {}",
            other.type_name()
        ))),
    }
}

fn non_negative(name: &str, n: i64) -> gotmpl::Result<usize> {
    usize::try_from(n).map_err(|_| exec_err(format!("error calling {name}: negative count {n}")))
}

fn map_str(name: &str, args: &[Value], f: fn(&str) -> String) -> gotmpl::Result<Value> {
    check_arity(name, args, 1)?;
    Ok(Value::from(f(str_arg(name, &args[0])?)))
}

fn json_func(args: &[Value]) -> gotmpl::Result<Value> {
    check_arity("json", args, 1)?;
    let mut out = String::new();
    encode_json(&args[0], &mut out);
    Ok(Value::from(out))
}

fn split_func(args: &[Value]) -> gotmpl::Result<Value> {
    check_arity("split", args, 2)?;
    let s = str_arg("split", &args[0])?;
    let sep = str_arg("split", &args[1])?;
    // Go's strings.Split with an empty separator splits into characters.
    let parts: Vec<Value> = if sep.is_empty() {
        s.chars().map(|c| Value::from(c.to_string())).collect()
    } else {
        s.split(sep).map(Value::from).collect()
    };
    Ok(Value::from(parts))
}

fn join_func(args: &[Value]) -> gotmpl::Result<Value> {
    check_arity("join", args, 2)?;
    let sep = str_arg("join", &args[1])?;
    let items: Vec<String> = match &args[0] {
        Value::List(l) => l
            .iter()
            .map(|v| match v {
                Value::String(s) => s.to_string(),
                other => other.to_string(),
            })
            .collect(),
        Value::Nil => Vec::new(),
        other => {
            return Err(exec_err(format!(
                "error calling join: wrong type for value; expected []string; got {}",
                other.type_name()
            )));
        }
    };
    Ok(Value::from(items.join(sep)))
}

fn pad_func(args: &[Value]) -> gotmpl::Result<Value> {
    check_arity("pad", args, 3)?;
    let s = str_arg("pad", &args[0])?;
    let before = non_negative("pad", int_arg("pad", &args[1])?)?;
    let after = non_negative("pad", int_arg("pad", &args[2])?)?;
    if s.is_empty() {
        return Ok(Value::from(""));
    }
    Ok(Value::from(format!(
        "{}{s}{}",
        " ".repeat(before),
        " ".repeat(after)
    )))
}

/// Docker's `truncate`, counting characters rather than bytes so a cut never
/// splits a UTF-8 sequence (identical for ASCII).
fn truncate_func(args: &[Value]) -> gotmpl::Result<Value> {
    check_arity("truncate", args, 2)?;
    let s = str_arg("truncate", &args[0])?;
    let n = non_negative("truncate", int_arg("truncate", &args[1])?)?;
    Ok(Value::from(s.chars().take(n).collect::<String>()))
}

/// Go's `index`, except that a key missing from a map whose values are all
/// strings (or from a nil or empty map) gives "" rather than `<no value>`:
/// Docker's label maps are `map[string]string`, whose zero value `index`
/// returns, and scripts rely on `{{index .Config.Labels "k"}}` printing "".
fn index_func(args: &[Value]) -> gotmpl::Result<Value> {
    let Some((item, keys)) = args.split_first() else {
        return Err(exec_err(
            "wrong number of args for index: want at least 1 got 0".into(),
        ));
    };
    let mut cur = item.clone();
    for key in keys {
        cur = match (&cur, key) {
            (Value::Map(m), Value::String(k)) if !m.contains_key(k.as_ref()) => {
                if m.values().all(|v| matches!(v, Value::String(_))) {
                    Value::from("")
                } else {
                    Value::Nil
                }
            }
            (Value::Nil, Value::String(_)) => Value::from(""),
            _ => cur
                .index(key)
                .map_err(|e| exec_err(format!("error calling index: {e}")))?,
        };
    }
    Ok(cur)
}

fn header_passthrough(name: &str, arity: usize, args: &[Value]) -> gotmpl::Result<Value> {
    check_arity(name, args, arity)?;
    match &args[0] {
        Value::String(s) => Ok(Value::String(Arc::clone(s))),
        other => Err(exec_err(format!(
            "error calling {name}: wrong type for value; expected string; got {}",
            other.type_name()
        ))),
    }
}

/// Go's deprecated `strings.Title`, which Docker still uses: upper-case every
/// letter that follows a separator (anything but letters, digits and `_`).
fn go_title(s: &str) -> String {
    let is_separator = |c: char| {
        if c.is_ascii() {
            !(c.is_ascii_alphanumeric() || c == '_')
        } else if c.is_alphanumeric() {
            false
        } else {
            c.is_whitespace()
        }
    };
    let mut prev = ' ';
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if is_separator(prev) {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        prev = c;
    }
    out
}

/// Go's `encoding/json` with HTML escaping off (Docker's `json` function):
/// compact, map keys sorted, U+2028/U+2029 escaped, Go's float forms.
pub(super) fn encode_json(v: &Value, out: &mut String) {
    match v {
        // Functions cannot be encoded; Go's encoder fails and Docker prints
        // nothing for them. None come from JSON rows; keep the output valid.
        Value::Nil | Value::Function(_) => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(n) => out.push_str(&n.to_string()),
        Value::Uint(n) => out.push_str(&n.to_string()),
        Value::Float(f) => out.push_str(&json_float(*f)),
        Value::String(s) => encode_json_str(s, out),
        Value::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                encode_json(item, out);
            }
            out.push(']');
        }
        Value::Map(m) => {
            out.push('{');
            for (i, (k, item)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                encode_json_str(k, out);
                out.push(':');
                encode_json(item, out);
            }
            out.push('}');
        }
    }
}

fn encode_json_str(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Go's JSON float form: positional unless below 1e-6 or from 1e21 on, then
/// shortest exponent form like `1e+21` or `1.5e-7`.
fn json_float(f: f64) -> String {
    if !f.is_finite() {
        return "null".to_string();
    }
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let s = format!("{f:e}");
        let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
        match exp.strip_prefix('-') {
            Some(e) => format!("{mantissa}e-{e}"),
            None => format!("{mantissa}e+{exp:0>2}"),
        }
    } else {
        format!("{f}")
    }
}
