use serde_json::{Value, json};

use super::*;

const IMAGE_COLUMNS: &[Column] = &[
    Column {
        header: "REPOSITORY",
        field: "Repository",
    },
    Column {
        header: "TAG",
        field: "Tag",
    },
    Column {
        header: "IMAGE ID",
        field: "ID",
    },
    Column {
        header: "CREATED",
        field: "CreatedSince",
    },
    Column {
        header: "SIZE",
        field: "Size",
    },
];

const IMAGE_HEADERS: &[(&str, &str)] = &[
    ("ID", "IMAGE ID"),
    ("Repository", "REPOSITORY"),
    ("Tag", "TAG"),
    ("CreatedSince", "CREATED"),
    ("Size", "SIZE"),
];

fn image_rows() -> Vec<Value> {
    vec![
        json!({"ID": "0123456789ab", "Repository": "ubuntu", "Tag": "latest",
               "CreatedSince": "2 weeks ago", "Size": "77.8MB", "Labels": {}}),
        json!({"ID": "ba9876543210", "Repository": "docker.io/library/alpine", "Tag": "3.19",
               "CreatedSince": "3 months ago", "Size": "7.38MB",
               "Labels": {"maintainer": "me"}}),
    ]
}

fn render_images(format: &str) -> Result<String, OutputError> {
    render(
        &Format::parse(Some(format)),
        IMAGE_COLUMNS,
        IMAGE_HEADERS,
        &image_rows(),
    )
}

#[test]
fn format_parse() {
    let cases: &[(Option<&str>, Format)] = &[
        (None, Format::Table(None)),
        (Some(""), Format::Table(None)),
        (Some("  "), Format::Table(None)),
        (Some("table"), Format::Table(None)),
        (Some("table  "), Format::Table(None)),
        (Some("json"), Format::Json),
        (
            Some("table {{.ID}}"),
            Format::Table(Some(" {{.ID}}".into())),
        ),
        (Some("table{{.ID}}"), Format::Table(Some("{{.ID}}".into()))),
        (Some("{{.ID}}"), Format::Template("{{.ID}}".into())),
        (Some("{{json .}}"), Format::Template("{{json .}}".into())),
        (Some("JSON"), Format::Template("JSON".into())),
    ];
    for (input, want) in cases {
        assert_eq!(Format::parse(*input), *want, "Format::parse({input:?})");
    }
}

#[test]
fn default_table_matches_docker_layout() {
    let out = render(
        &Format::Table(None),
        IMAGE_COLUMNS,
        IMAGE_HEADERS,
        &image_rows(),
    )
    .unwrap();
    let want = "\
REPOSITORY                 TAG       IMAGE ID       CREATED        SIZE
ubuntu                     latest    0123456789ab   2 weeks ago    77.8MB
docker.io/library/alpine   3.19      ba9876543210   3 months ago   7.38MB
";
    assert_eq!(out, want);
}

#[test]
fn default_table_without_rows_prints_header() {
    let out = render(&Format::Table(None), IMAGE_COLUMNS, IMAGE_HEADERS, &[]).unwrap();
    assert_eq!(out, "REPOSITORY   TAG       IMAGE ID   CREATED   SIZE\n");
}

#[test]
fn default_table_formats_values_like_go() {
    let columns = [
        Column {
            header: "A",
            field: "A",
        },
        Column {
            header: "B",
            field: "B",
        },
        Column {
            header: "C",
            field: "C",
        },
        Column {
            header: "D",
            field: "D",
        },
    ];
    let rows = [json!({"A": ["x", "y"], "B": {"k": 1, "a": true}, "C": null})];
    let out = render(&Format::Table(None), &columns, &[], &rows).unwrap();
    assert_eq!(
        out,
        "A         B                 C            D\n\
         [x y]     map[a:true k:1]   <no value>   <no value>\n"
    );
}

#[test]
fn custom_table_uses_header_map() {
    let out = render_images("table {{.ID}}\t{{.Repository}}:{{.Tag}}").unwrap();
    let want = "\
IMAGE ID       REPOSITORY:TAG
0123456789ab   ubuntu:latest
ba9876543210   docker.io/library/alpine:3.19
";
    assert_eq!(out, want);
}

#[test]
fn custom_table_literal_escapes_and_functions_in_header() {
    // `\t` typed literally in the flag value, as shells pass it.
    let out = render_images(r"table {{upper .Tag}}\t{{json .Size}}\t{{truncate .ID 4}}").unwrap();
    let want = "\
TAG       SIZE       IMAGE ID
LATEST    \"77.8MB\"   0123
3.19      \"7.38MB\"   ba98
";
    assert_eq!(out, want);
}

#[test]
fn custom_table_header_falls_back_to_uppercase_field() {
    let out = render_images("table {{.Repository}}\t{{.Labels}}").unwrap();
    let want = "\
REPOSITORY                 LABELS
ubuntu                     map[]
docker.io/library/alpine   map[maintainer:me]
";
    assert_eq!(out, want);
}

#[test]
fn custom_table_failing_header_is_partial_like_docker() {
    // The header for `.Labels` is a string, so `index` on it fails; Docker
    // prints the header up to the failure and carries on with the rows.
    let out = render_images(r#"table {{.Tag}}\t{{index .Labels "maintainer"}}"#).unwrap();
    assert_eq!(out, "TAG       \nlatest    \n3.19      me\n");
}

#[test]
fn template_renders_one_line_per_row() {
    let cases: &[(&str, &str)] = &[
        (
            "{{.Repository}}:{{.Tag}}",
            "ubuntu:latest\ndocker.io/library/alpine:3.19\n",
        ),
        // Surrounding spaces are trimmed, as Docker does for list formats.
        ("  {{.Tag}}  ", "latest\n3.19\n"),
        (r"{{.Tag}}\n--", "latest\n--\n3.19\n--\n"),
        (
            r"{{.ID}}\t{{.Tag}}",
            "0123456789ab\tlatest\nba9876543210\t3.19\n",
        ),
        ("{{.Nope}}", "<no value>\n<no value>\n"),
        ("{{len .Labels}}", "0\n1\n"),
        (
            "{{json .}}",
            concat!(
                r#"{"CreatedSince":"2 weeks ago","ID":"0123456789ab","Labels":{},"Repository":"ubuntu","Size":"77.8MB","Tag":"latest"}"#,
                "\n",
                r#"{"CreatedSince":"3 months ago","ID":"ba9876543210","Labels":{"maintainer":"me"},"Repository":"docker.io/library/alpine","Size":"7.38MB","Tag":"3.19"}"#,
                "\n",
            ),
        ),
    ];
    for (tmpl, want) in cases {
        assert_eq!(render_images(tmpl).unwrap(), *want, "template {tmpl:?}");
    }
    let none = render(
        &Format::Template("{{.ID}}".into()),
        IMAGE_COLUMNS,
        IMAGE_HEADERS,
        &[],
    )
    .unwrap();
    assert_eq!(none, "");
}

#[test]
fn json_is_a_pretty_array() {
    let rows = [
        json!({"ID": "abc", "Names": ["a", "b"]}),
        json!({"ID": "def", "Names": []}),
    ];
    let out = render(&Format::Json, IMAGE_COLUMNS, IMAGE_HEADERS, &rows).unwrap();
    let want = r#"[
    {
        "ID": "abc",
        "Names": [
            "a",
            "b"
        ]
    },
    {
        "ID": "def",
        "Names": []
    }
]
"#;
    assert_eq!(out, want);
    let parsed: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(parsed, Value::Array(rows.to_vec()));
    assert_eq!(
        render(&Format::Json, IMAGE_COLUMNS, IMAGE_HEADERS, &[]).unwrap(),
        "[]\n"
    );
}

fn inspect_value() -> Value {
    json!({
        "Id": "sha256:abcdef",
        "RepoTags": ["ubuntu:latest", "ubuntu:22.04"],
        "RepoDigests": [],
        "Size": 77_800_000u64,
        "Big": u64::MAX,
        "Neg": -5,
        "Ratio": 1.5,
        "Architecture": "amd64",
        "Os": "linux",
        "Parent": "",
        "Comment": null,
        "Config": {
            "Env": ["PATH=/usr/bin", "LANG=C"],
            "Cmd": ["/bin/bash"],
            "Labels": {"org.opencontainers.image.version": "22.04", "b": "x<y>&"},
            "ExposedPorts": {"80/tcp": {}},
            "Entrypoint": null,
            "Tty": false,
            "User": "",
            "Weird": "tab\there \"q\" \u{2028}"
        },
        "RootFS": {"Type": "layers", "Layers": ["sha256:1", "sha256:2"]}
    })
}

#[test]
fn inspect_templates() {
    let cases: &[(&str, &str)] = &[
        ("{{.Id}}", "sha256:abcdef"),
        ("{{.Os}}/{{.Architecture}}", "linux/amd64"),
        ("{{.Config.Env}}", "[PATH=/usr/bin LANG=C]"),
        ("{{.RepoDigests}}", "[]"),
        (
            "{{.Size}} {{.Big}} {{.Neg}} {{.Ratio}}",
            "77800000 18446744073709551615 -5 1.5",
        ),
        ("{{.Config.Tty}}", "false"),
        ("{{.Comment}}", "<no value>"),
        ("{{.Config.Entrypoint}}", "<no value>"),
        ("{{.Missing}}", "<no value>"),
        ("{{.Missing.Deeper}}", "<no value>"),
        ("{{.Config.ExposedPorts}}", "map[80/tcp:map[]]"),
        ("{{.RootFS}}", "map[Layers:[sha256:1 sha256:2] Type:layers]"),
        (
            "{{range .RepoTags}}{{.}} {{end}}",
            "ubuntu:latest ubuntu:22.04 ",
        ),
        (
            "{{range $i, $t := .RepoTags}}{{$i}}={{$t}};{{end}}",
            "0=ubuntu:latest;1=ubuntu:22.04;",
        ),
        ("{{range .RepoDigests}}x{{else}}none{{end}}", "none"),
        (
            "{{range $k, $v := .Config.Labels}}{{$k}}={{$v}},{{end}}",
            "b=x<y>&,org.opencontainers.image.version=22.04,",
        ),
        (
            r#"{{index .Config.Labels "org.opencontainers.image.version"}}"#,
            "22.04",
        ),
        (r#"{{index .Config.Labels "absent"}}"#, ""),
        (r#"{{index .Config.ExposedPorts "absent"}}"#, "<no value>"),
        (r#"{{index .Config.Entrypoint "k"}}"#, ""),
        ("{{index .RepoTags 1}}", "ubuntu:22.04"),
        ("{{index .RootFS.Layers 0}}", "sha256:1"),
        ("{{if .Config.Tty}}tty{{else}}notty{{end}}", "notty"),
        ("{{if .Parent}}p{{else}}no parent{{end}}", "no parent"),
        (r#"{{if eq .Os "linux"}}L{{end}}"#, "L"),
        ("{{with .Config}}{{.Cmd}}{{end}}", "[/bin/bash]"),
        (r#"{{join .Config.Env ","}}"#, "PATH=/usr/bin,LANG=C"),
        (r#"{{join .Config.Entrypoint " "}}"#, ""),
        (r#"{{join .Config.Env "\n"}}"#, "PATH=/usr/bin\nLANG=C"),
        (r#"{{split .Id ":"}}"#, "[sha256 abcdef]"),
        (r#"{{index (split .Id ":") 1}}"#, "abcdef"),
        (r#"{{split "abc" ""}}"#, "[a b c]"),
        ("{{upper .Os}} {{lower \"AbC\"}}", "LINUX abc"),
        (
            r#"{{title "hello wORLD-foo_bar x.y"}}"#,
            "Hello WORLD-Foo_bar X.Y",
        ),
        ("{{truncate .Id 6}}|{{truncate .Os 99}}", "sha256|linux"),
        (r#"{{truncate "héllo" 2}}"#, "hé"),
        ("[{{pad .Os 2 1}}][{{pad .Parent 2 1}}]", "[  linux ][]"),
        ("{{.Os | upper}}", "LINUX"),
        (r#"{{printf "%s-%d" .Os .Size}}"#, "linux-77800000"),
        ("{{len .RepoTags}}", "2"),
        (r"{{.Os}}\t{{.Architecture}}\n", "linux\tamd64\n"),
        (r#"{{"\\t"}}"#, "\\t"),
        (r#"{{/* a "}}" comment */}}ok"#, "ok"),
        ("{{json .RepoTags}}", r#"["ubuntu:latest","ubuntu:22.04"]"#),
        ("{{json .Comment}}", "null"),
        ("{{json .Missing}}", "null"),
        (
            "{{json .Size}} {{json .Ratio}} {{json .Config.Tty}}",
            "77800000 1.5 false",
        ),
        ("{{json .Config.Weird}}", r#""tab\there \"q\" \u2028""#),
        (
            "{{json .Config.Labels}}",
            r#"{"b":"x<y>&","org.opencontainers.image.version":"22.04"}"#,
        ),
        (
            "{{json .RootFS}}",
            r#"{"Layers":["sha256:1","sha256:2"],"Type":"layers"}"#,
        ),
    ];
    let v = inspect_value();
    for (tmpl, want) in cases {
        let got = render_template(tmpl, &v);
        assert_eq!(
            got.as_deref().ok(),
            Some(*want),
            "template {tmpl:?}: {got:?}"
        );
    }
}

#[test]
fn json_func_output_round_trips() {
    let v = inspect_value();
    let out = render_template("{{json .}}", &v).unwrap();
    assert!(!out.contains('\n'));
    let back: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(back, v);
}

#[test]
fn json_float_forms_match_go() {
    let cases: &[(Value, &str)] = &[
        (json!(0.0), "0"),
        (json!(2.0), "2"),
        (json!(0.1), "0.1"),
        (json!(-3.25), "-3.25"),
        (json!(1e20), "100000000000000000000"),
        (json!(1e21), "1e+21"),
        (json!(1.5e300), "1.5e+300"),
        (json!(0.000001), "0.000001"),
        (json!(1.5e-7), "1.5e-7"),
        (json!(1e-10), "1e-10"),
        (json!("\u{1}\u{8}\u{c}\r\\"), r#""\u0001\b\f\r\\""#),
    ];
    for (v, want) in cases {
        let got = render_template("{{json .}}", v).unwrap();
        assert_eq!(got, *want, "json of {v}");
    }
}

#[test]
fn parse_errors_are_one_line_and_name_the_template() {
    let v = inspect_value();
    for tmpl in [
        "{{.Foo",
        "{{.Foo}",
        "{{if .Os}}x",
        "{{end}}",
        "{{nosuchfunc .Os}}",
        "{{.Os}}\n{{",
    ] {
        let err = render_template(tmpl, &v).unwrap_err();
        let msg = err.to_string();
        assert!(
            matches!(err, OutputError::Parse { .. } | OutputError::Execute { .. }),
            "{tmpl:?}: {err:?}"
        );
        assert!(!msg.contains('\n'), "{tmpl:?}: multi-line error {msg:?}");
        assert!(msg.contains(&format!("{tmpl:?}")), "{tmpl:?}: {msg}");
    }
    // Block structure, which gotmpl 0.6 does not check itself.
    let cases: &[(&str, &str)] = &[
        ("{{if .Os}}x", "unexpected EOF: unclosed {{if}}"),
        (
            "{{range .A}}{{if .B}}{{end}}",
            "unexpected EOF: unclosed {{range}}",
        ),
        ("{{.A}}{{end}}{{.B}}", "1:7: unexpected {{end}}"),
        ("a\n {{- end}}", "2:2: unexpected {{end}}"),
        ("{{else}}", "unexpected {{else}}"),
        ("{{define \"x\"}}{{else}}{{end}}", "unexpected"),
        ("{{if .A}}{{break}}{{end}}", "{{break}} outside {{range}}"),
        ("{{continue}}", "{{continue}} outside {{range}}"),
    ];
    for (tmpl, needle) in cases {
        let err = render_template(tmpl, &v).unwrap_err();
        assert!(
            matches!(err, OutputError::Parse { .. }),
            "{tmpl:?}: {err:?}"
        );
        assert!(
            err.to_string().contains(needle),
            "{tmpl:?}: {err} lacks {needle:?}"
        );
    }
    for ok in [
        "{{if .A}}{{else if .B}}{{else}}{{end}}",
        "{{range .A}}{{if .B}}{{break}}{{end}}{{continue}}{{end}}",
        "{{- if .A -}} x {{- end -}}",
        "{{with .A}}{{else with .B}}{{end}}",
        "{{-3}}",
        "{{/* {{end}} */}}",
        "{{\"{{end}}\"}}",
    ] {
        assert!(
            render_template(ok, &v).is_ok(),
            "{ok:?}: {:?}",
            render_template(ok, &v)
        );
    }
    let err = render_template("{{.Foo", &v).unwrap_err();
    assert!(matches!(err, OutputError::Parse { .. }), "{err:?}");
    assert!(
        err.to_string()
            .starts_with(r#"invalid --format template "{{.Foo": "#),
        "{err}"
    );
    // The same error surfaces from list rendering, before any row runs.
    let err = render_images("table {{.ID").unwrap_err();
    assert!(matches!(err, OutputError::Parse { .. }), "{err:?}");
}

#[test]
fn execution_errors() {
    let v = inspect_value();
    let cases: &[(&str, &str)] = &[
        ("{{upper .Size}}", "expected string; got int"),
        ("{{join .Os \",\"}}", "expected []string; got string"),
        (
            "{{join .Config.Env}}",
            "wrong number of args for join: want 2 got 1",
        ),
        ("{{truncate .Os -1}}", "negative"),
        ("{{truncate .Os \"x\"}}", "expected int; got string"),
        (
            "{{pad .Os 1}}",
            "wrong number of args for pad: want 3 got 2",
        ),
        ("{{index .RepoTags 5}}", "index out of range"),
        ("{{index .Size 0}}", "cannot index"),
        ("{{.Os.Field}}", "can't evaluate field Field"),
    ];
    for (tmpl, needle) in cases {
        let err = render_template(tmpl, &v).unwrap_err();
        let msg = err.to_string();
        assert!(
            matches!(err, OutputError::Execute { .. }),
            "{tmpl:?}: {err:?}"
        );
        assert!(msg.contains(needle), "{tmpl:?}: {msg:?} lacks {needle:?}");
        assert!(!msg.contains('\n'));
    }
    // A failing row fails list rendering too.
    let err = render_images("table {{upper .Labels}}").unwrap_err();
    assert!(matches!(err, OutputError::Execute { .. }), "{err:?}");
    let err = render_images("{{upper .Labels}}").unwrap_err();
    assert!(matches!(err, OutputError::Execute { .. }), "{err:?}");
}

#[test]
fn escapes_only_outside_actions() {
    let cases: &[(&str, &str)] = &[
        (r"a\tb\nc", "a\tb\nc"),
        (r"\\t", "\\\t"),
        (r#"{{"\t"}}\t"#, "{{\"\\t\"}}\t"),
        (r"{{`\n`}}\n", "{{`\\n`}}\n"),
        (r#"{{"}}\n"}}\n"#, "{{\"}}\\n\"}}\n"),
        (r"{{.A}}\t{{.B}}", "{{.A}}\t{{.B}}"),
        (r"{{.A\t", r"{{.A\t"),
        ("é\\t", "é\t"),
    ];
    for (input, want) in cases {
        assert_eq!(
            template::expand_escapes(input),
            *want,
            "expand_escapes({input:?})"
        );
    }
}
