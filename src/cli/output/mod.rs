//! `--format` output for list and inspect commands, compatible with Docker and
//! Podman: aligned tables, Go templates and JSON.
//!
//! Commands build one JSON object per row with Docker's field names (images:
//! `ID`, `Repository`, `Tag`, `CreatedSince`, `Size`, ...) and hand them to
//! [`render`]. Choices where Docker and we differ, because our rows are JSON
//! maps rather than Go structs:
//! - `{{.Missing}}` prints `<no value>` (Go's behaviour for maps) instead of
//!   failing; so does a missing header in a custom table's header line unless
//!   the command names it, in which case the field name upper-cased is used.
//! - `{{index .Labels "k"}}` on a missing key prints "" when the map holds
//!   strings only (Docker's `map[string]string`), `<no value>` otherwise.
//! - `null` is accepted wherever a string or list is expected (Go's zero
//!   values); floats print in Rust's positional form (`1000000`, not `1e+06`).
//! - `{{json .}}` sorts object keys, as Go does for maps.

mod tabwriter;
mod template;

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

/// Errors from rendering output. Each renders as one line.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("invalid --format template {template:?}: {message}")]
    Parse { template: String, message: String },
    #[error("executing --format template {template:?}: {message}")]
    Execute { template: String, message: String },
    #[error("encoding JSON output: {0}")]
    Json(#[from] serde_json::Error),
}

/// What `--format` asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Format {
    /// An aligned table: the command's default columns, or a custom
    /// `table {{.ID}}\t{{.Name}}` template (stored without the `table` word).
    Table(Option<String>),
    /// A JSON array of all rows (Podman's `--format json`).
    Json,
    /// A Go template executed once per row, one line each.
    Template(String),
}

impl Format {
    /// `None`, empty, or `table` -> the default table; `json` -> JSON;
    /// `table …` -> a custom table (Docker treats any `table` prefix so);
    /// anything else -> a per-row template.
    pub fn parse(s: Option<&str>) -> Format {
        let Some(s) = s else {
            return Format::Table(None);
        };
        if s.trim().is_empty() {
            return Format::Table(None);
        }
        if s == "json" {
            return Format::Json;
        }
        match s.strip_prefix("table") {
            Some(rest) if rest.trim_matches(' ').is_empty() => Format::Table(None),
            Some(rest) => Format::Table(Some(rest.to_string())),
            None => Format::Template(s.to_string()),
        }
    }
}

/// One column of a command's default table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Column {
    pub header: &'static str,
    pub field: &'static str,
}

/// Docker's table writer: `tabwriter.NewWriter(out, 10, 1, 3, ' ', 0)`.
const TABLE_MINWIDTH: usize = 10;
const TABLE_PADDING: usize = 3;

/// Renders `rows` as `format` asks; the result ends with a newline except when
/// empty (a template over no rows).
///
/// - default table: `columns` give headers and fields;
/// - custom table: the header line is the same template run over a map of
///   field -> header name built from `headers`, then `columns`, then each row
///   key upper-cased; Docker's string functions pass headers through
///   unchanged. A header that fails to render is printed partially, as Docker
///   does; a row that fails is an error;
/// - template: executed per row, a newline after each;
/// - json: a pretty-printed array (4-space indent, like Podman).
pub fn render(
    format: &Format,
    columns: &[Column],
    headers: &[(&str, &str)],
    rows: &[serde_json::Value],
) -> Result<String, OutputError> {
    match format {
        Format::Json => {
            let mut buf = Vec::new();
            let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
            let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
            rows.serialize(&mut ser)?;
            let mut out = String::from_utf8_lossy(&buf).into_owned();
            out.push('\n');
            Ok(out)
        }
        Format::Template(t) => {
            let src = prepare(t);
            let tmpl = template::compile(&src, template::Funcs::Data)?;
            let mut out = String::new();
            for row in rows {
                out.push_str(&run_row(&tmpl, &src, row)?);
                out.push('\n');
            }
            Ok(out)
        }
        Format::Table(None) => {
            let mut text = String::new();
            push_line(&mut text, columns.iter().map(|c| c.header.to_string()));
            for row in rows {
                let cells = columns.iter().map(|c| {
                    let v = row
                        .get(c.field)
                        .map_or(gotmpl::Value::Nil, template::to_value);
                    template::display(&v)
                });
                push_line(&mut text, cells);
            }
            Ok(tabwriter::align(&text, TABLE_MINWIDTH, TABLE_PADDING))
        }
        Format::Table(Some(t)) => {
            let src = prepare(t);
            let row_tmpl = template::compile(&src, template::Funcs::Data)?;
            let header_tmpl = template::compile(&src, template::Funcs::Header)?;
            let header_data = header_map(columns, headers, rows);
            let mut text = match template::execute(&header_tmpl, &src, &header_data) {
                Ok(s) => s,
                Err((partial, _)) => partial,
            };
            text.push('\n');
            for row in rows {
                text.push_str(&run_row(&row_tmpl, &src, row)?);
                text.push('\n');
            }
            Ok(tabwriter::align(&text, TABLE_MINWIDTH, TABLE_PADDING))
        }
    }
}

/// [`render`], without the header line when `noheading` asks (Podman's
/// `--noheading`, for tables only).
pub fn render_list(
    format: &Format,
    columns: &[Column],
    headers: &[(&str, &str)],
    rows: &[serde_json::Value],
    noheading: bool,
) -> Result<String, OutputError> {
    let out = render(format, columns, headers, rows)?;
    if noheading
        && matches!(format, Format::Table(_))
        && let Some(i) = out.find('\n')
    {
        return Ok(out[i + 1..].to_string());
    }
    Ok(out)
}

/// Prints `inspect` documents: a pretty JSON array, or with a `--format`
/// template, the template once per document.
pub fn print_inspect(docs: Vec<serde_json::Value>, format: Option<&str>) -> anyhow::Result<()> {
    match format {
        None | Some("") | Some("json") => {
            println!(
                "{}",
                serde_json::to_string_pretty(&serde_json::Value::Array(docs))?
            );
        }
        Some(t) => {
            for d in &docs {
                println!("{}", render_template(t, d)?);
            }
        }
    }
    Ok(())
}

/// Executes an inspect-style `--format` template over one value. `\t` and
/// `\n` written literally are expanded. No newline is appended: callers print
/// each result with `println!`.
pub fn render_template(tmpl: &str, value: &serde_json::Value) -> Result<String, OutputError> {
    let src = template::expand_escapes(tmpl);
    let t = template::compile(&src, template::Funcs::Data)?;
    run_row(&t, &src, value)
}

/// Docker trims surrounding spaces from list formats, then expands escapes.
fn prepare(t: &str) -> String {
    template::expand_escapes(t.trim_matches(' '))
}

fn run_row(
    t: &gotmpl::Template,
    src: &str,
    row: &serde_json::Value,
) -> Result<String, OutputError> {
    template::execute(t, src, &template::to_value(row)).map_err(|(_, e)| e)
}

fn push_line(text: &mut String, cells: impl Iterator<Item = String>) {
    for (i, cell) in cells.enumerate() {
        if i > 0 {
            text.push('\t');
        }
        text.push_str(&cell);
    }
    text.push('\n');
}

fn header_map(
    columns: &[Column],
    headers: &[(&str, &str)],
    rows: &[serde_json::Value],
) -> gotmpl::Value {
    let mut map: BTreeMap<Arc<str>, gotmpl::Value> = BTreeMap::new();
    let mut add = |field: &str, header: String| {
        map.entry(Arc::from(field))
            .or_insert_with(|| gotmpl::Value::from(header));
    };
    for (field, header) in headers {
        add(field, header.to_string());
    }
    for c in columns {
        add(c.field, c.header.to_string());
    }
    for row in rows {
        if let Some(obj) = row.as_object() {
            for key in obj.keys() {
                add(key, key.to_uppercase());
            }
        }
    }
    gotmpl::Value::from(map)
}

#[cfg(test)]
mod tests;
