use super::read::{BLOCK, tail_start};
use super::*;
use chrono::{Local, NaiveDateTime, TimeZone};
use std::fs::File;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

const T0: &str = "2024-05-01T10:00:00.123456789Z";
const T1: &str = "2024-05-01T10:00:01Z";
const T2: &str = "2024-05-01T10:00:02.5Z";

fn writer(driver: LogDriver) -> (tempfile::TempDir, PathBuf, LogWriter) {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("ctr.log");
    let w = LogWriter::open(&p, driver).unwrap();
    (d, p, w)
}

fn read_all(p: &Path, driver: LogDriver, o: &ReadOptions) -> (String, String) {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    read_logs(p, driver, o, &mut out, &mut err, &mut || false).unwrap();
    (
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

#[test]
fn driver_names() {
    for (s, d) in [
        ("k8s-file", LogDriver::K8sFile),
        ("json-file", LogDriver::JsonFile),
        ("none", LogDriver::None),
    ] {
        assert_eq!(s.parse::<LogDriver>().unwrap(), d);
        assert_eq!(d.to_string(), s);
        assert_eq!(serde_json::to_string(&d).unwrap(), format!("\"{s}\""));
    }
    assert_eq!(LogDriver::default(), LogDriver::K8sFile);
    let e = "journald".parse::<LogDriver>().unwrap_err().to_string();
    assert!(e.contains("\"journald\"") && e.contains("k8s-file"), "{e}");
}

#[test]
fn k8s_writer_format_partial_and_crlf() {
    let (_d, p, mut w) = writer(LogDriver::K8sFile);
    w.write_at(Stream::Stdout, b"one\ntwo", t(T0)).unwrap();
    w.write_at(Stream::Stderr, b"tty line\r\n\n", t(T1))
        .unwrap();
    w.write_at(Stream::Stdout, b"", t(T1)).unwrap();
    w.flush().unwrap();
    let text = std::fs::read_to_string(&p).unwrap();
    assert_eq!(
        text,
        "2024-05-01T10:00:00.123456789+00:00 stdout F one\n\
         2024-05-01T10:00:00.123456789+00:00 stdout P two\n\
         2024-05-01T10:00:01.000000000+00:00 stderr F tty line\r\n\
         2024-05-01T10:00:01.000000000+00:00 stderr F \n"
    );
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&p).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
}

#[test]
fn writer_appends_to_existing_log() {
    let (_d, p, mut w) = writer(LogDriver::K8sFile);
    w.write_at(Stream::Stdout, b"first\n", t(T0)).unwrap();
    drop(w);
    let mut w = LogWriter::open(&p, LogDriver::K8sFile).unwrap();
    w.write_at(Stream::Stdout, b"second\n", t(T1)).unwrap();
    assert_eq!(
        read_all(&p, LogDriver::K8sFile, &ReadOptions::default()).0,
        "first\nsecond\n"
    );
}

#[test]
fn json_writer_format_escapes_and_utf8() {
    let (_d, p, mut w) = writer(LogDriver::JsonFile);
    w.write_at(Stream::Stdout, b"a \"q\"\t\\\r\n\x01b", t(T0))
        .unwrap();
    // "é" split across two chunks is written whole; an invalid byte is U+FFFD.
    w.write_at(Stream::Stderr, b"caf\xc3", t(T1)).unwrap();
    w.write_at(Stream::Stderr, b"\xa9 \xff\n", t(T1)).unwrap();
    // A split character left at exit is flushed.
    w.write_at(Stream::Stdout, b"\xe2\x82", t(T2)).unwrap();
    let before = std::fs::read_to_string(&p).unwrap().lines().count();
    w.flush().unwrap();
    let text = std::fs::read_to_string(&p).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(before, 4);
    assert_eq!(
        lines[..4],
        [
            r#"{"log":"a \"q\"\t\\\r\n","stream":"stdout","time":"2024-05-01T10:00:00.123456789Z"}"#,
            r#"{"log":"\u0001b","stream":"stdout","time":"2024-05-01T10:00:00.123456789Z"}"#,
            r#"{"log":"caf","stream":"stderr","time":"2024-05-01T10:00:01.000000000Z"}"#,
            r#"{"log":"é \ufffd\n","stream":"stderr","time":"2024-05-01T10:00:01.000000000Z"}"#,
        ]
    );
    assert!(
        lines[4].starts_with(r#"{"log":"\ufffd","stream":"stdout","#),
        "{}",
        lines[4]
    );
    // Every line is valid JSON with Docker's keys.
    for l in &lines {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        assert!(v["log"].is_string() && v["stream"].is_string() && v["time"].is_string());
    }
}

#[test]
fn none_driver_writes_nothing() {
    let (_d, p, mut w) = writer(LogDriver::None);
    w.write(Stream::Stdout, b"x\n").unwrap();
    w.flush().unwrap();
    assert!(!p.exists());
    assert_eq!(read_all(&p, LogDriver::None, &ReadOptions::default()).0, "");
}

/// Writes the same interleaved output through `driver`.
fn sample(driver: LogDriver) -> (tempfile::TempDir, PathBuf) {
    let (d, p, mut w) = writer(driver);
    w.write_at(Stream::Stdout, b"out 1\nout ", t(T0)).unwrap();
    w.write_at(Stream::Stderr, b"err 1\r\n", t(T0)).unwrap();
    w.write_at(Stream::Stdout, b"2 joined\n", t(T1)).unwrap();
    w.write_at(Stream::Stderr, b"err 2\n", t(T2)).unwrap();
    w.write_at(Stream::Stdout, b"out 3\nno newline", t(T2))
        .unwrap();
    w.flush().unwrap();
    (d, p)
}

#[test]
fn round_trip_both_drivers() {
    for driver in [LogDriver::K8sFile, LogDriver::JsonFile] {
        let (_d, p) = sample(driver);
        let (out, err) = read_all(&p, driver, &ReadOptions::default());
        assert_eq!(out, "out 1\nout 2 joined\nout 3\nno newline", "{driver}");
        assert_eq!(err, "err 1\r\nerr 2\n", "{driver}");
    }
}

#[test]
fn timestamps_prefix_each_line_once() {
    for driver in [LogDriver::K8sFile, LogDriver::JsonFile] {
        let (_d, p) = sample(driver);
        let o = ReadOptions {
            timestamps: true,
            ..Default::default()
        };
        let (out, err) = read_all(&p, driver, &o);
        assert_eq!(
            out,
            "2024-05-01T10:00:00.123456789Z out 1\n\
             2024-05-01T10:00:00.123456789Z out 2 joined\n\
             2024-05-01T10:00:02.500000000Z out 3\n\
             2024-05-01T10:00:02.500000000Z no newline",
            "{driver}"
        );
        assert_eq!(
            err,
            "2024-05-01T10:00:00.123456789Z err 1\r\n2024-05-01T10:00:02.500000000Z err 2\n"
        );
    }
}

#[test]
fn since_and_until_filter_by_record_time() {
    for driver in [LogDriver::K8sFile, LogDriver::JsonFile] {
        let (_d, p) = sample(driver);
        let since = ReadOptions {
            since: Some(t(T1)),
            ..Default::default()
        };
        let (out, err) = read_all(&p, driver, &since);
        // The record at T1 is included (Docker's since is inclusive).
        assert_eq!(out, "2 joined\nout 3\nno newline");
        assert_eq!(err, "err 2\n");
        let until = ReadOptions {
            until: Some(t(T1)),
            ..Default::default()
        };
        let (out, err) = read_all(&p, driver, &until);
        assert_eq!(out, "out 1\nout 2 joined\n");
        assert_eq!(err, "err 1\r\n");
    }
}

#[test]
fn tail_counts_lines_not_records() {
    for driver in [LogDriver::K8sFile, LogDriver::JsonFile] {
        let (_d, p) = sample(driver);
        let tail = |n| {
            read_all(
                &p,
                driver,
                &ReadOptions {
                    tail: Some(n),
                    ..Default::default()
                },
            )
        };
        assert_eq!(tail(0), (String::new(), String::new()));
        assert_eq!(tail(1).0, "no newline");
        assert_eq!(tail(2), ("out 3\nno newline".into(), String::new()));
        assert_eq!(tail(3), ("out 3\nno newline".into(), "err 2\n".into()));
        // "out " + "2 joined" is one line although two records.
        assert_eq!(
            tail(4),
            ("out 2 joined\nout 3\nno newline".into(), "err 2\n".into())
        );
        assert_eq!(tail(100), read_all(&p, driver, &ReadOptions::default()));
    }
}

#[test]
fn tail_of_a_large_log_crosses_blocks() {
    let (_d, p, mut w) = writer(LogDriver::K8sFile);
    let long = "x".repeat(3 * BLOCK);
    for i in 0..5000 {
        w.write_at(Stream::Stdout, format!("line {i}\n").as_bytes(), t(T0))
            .unwrap();
    }
    w.write_at(Stream::Stdout, format!("{long}\n").as_bytes(), t(T1))
        .unwrap();
    w.write_at(Stream::Stdout, b"last\n", t(T2)).unwrap();
    assert!(std::fs::metadata(&p).unwrap().len() > 4 * BLOCK as u64);
    let o = |n| ReadOptions {
        tail: Some(n),
        ..Default::default()
    };
    assert_eq!(read_all(&p, LogDriver::K8sFile, &o(1)).0, "last\n");
    assert_eq!(
        read_all(&p, LogDriver::K8sFile, &o(2)).0,
        format!("{long}\nlast\n")
    );
    let out = read_all(&p, LogDriver::K8sFile, &o(1000)).0;
    assert!(out.starts_with("line 4002\n"), "{}", &out[..20]);
    assert_eq!(out.lines().count(), 1000);
}

#[test]
fn missing_log_is_empty() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("never-started.log");
    assert_eq!(
        read_all(&p, LogDriver::K8sFile, &ReadOptions::default()),
        (String::new(), String::new())
    );
}

#[test]
fn follow_sees_new_output_and_ends_when_stopped() {
    for driver in [LogDriver::K8sFile, LogDriver::JsonFile] {
        let (_d, p, mut w) = writer(driver);
        w.write(Stream::Stdout, b"before\n").unwrap();
        let running = Arc::new(AtomicBool::new(true));
        let r2 = Arc::clone(&running);
        let producer = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(150));
            w.write(Stream::Stdout, b"during\n").unwrap();
            w.write(Stream::Stderr, b"oops\n").unwrap();
            std::thread::sleep(Duration::from_millis(300));
            // The last output lands just before the container stops.
            w.write(Stream::Stdout, b"at exit").unwrap();
            w.flush().unwrap();
            r2.store(false, Ordering::SeqCst);
        });
        let o = ReadOptions {
            follow: true,
            tail: Some(1),
            ..Default::default()
        };
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let start = std::time::Instant::now();
        read_logs(&p, driver, &o, &mut out, &mut err, &mut || {
            running.load(Ordering::SeqCst)
        })
        .unwrap();
        producer.join().unwrap();
        assert!(start.elapsed() >= Duration::from_millis(450));
        assert!(start.elapsed() < Duration::from_secs(5));
        assert_eq!(String::from_utf8(out).unwrap(), "before\nduring\nat exit");
        assert_eq!(String::from_utf8(err).unwrap(), "oops\n");
    }
}

#[test]
fn follow_waits_for_the_log_to_appear() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("ctr.log");
    let p2 = p.clone();
    let producer = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(100));
        let mut w = LogWriter::open(&p2, LogDriver::K8sFile).unwrap();
        w.write(Stream::Stdout, b"hello\n").unwrap();
    });
    let o = ReadOptions {
        follow: true,
        ..Default::default()
    };
    let mut out = Vec::new();
    let start = std::time::Instant::now();
    read_logs(
        &p,
        LogDriver::K8sFile,
        &o,
        &mut out,
        &mut Vec::new(),
        &mut || start.elapsed() < Duration::from_millis(600),
    )
    .unwrap();
    producer.join().unwrap();
    assert_eq!(out, b"hello\n");
}

#[test]
fn parse_time_forms() {
    let now = t("2024-05-01T12:00:00Z");
    let ok = |s: &str| parse_time(s, now).unwrap_or_else(|e| panic!("{s}: {e}"));
    assert_eq!(ok("10m"), t("2024-05-01T11:50:00Z"));
    assert_eq!(ok("1h30m"), t("2024-05-01T10:30:00Z"));
    assert_eq!(ok("45s"), t("2024-05-01T11:59:15Z"));
    assert_eq!(ok("1.5h"), t("2024-05-01T10:30:00Z"));
    assert_eq!(ok("500ms"), t("2024-05-01T11:59:59.5Z"));
    assert_eq!(ok("2024-05-01T10:00:00Z"), t("2024-05-01T10:00:00Z"));
    assert_eq!(ok("2024-05-01T10:00:00.25Z"), t("2024-05-01T10:00:00.25Z"));
    assert_eq!(ok("2024-05-01T10:00:00+02:00"), t("2024-05-01T08:00:00Z"));
    assert_eq!(ok("2024-05-01T10:00:00-01:30"), t("2024-05-01T11:30:00Z"));
    assert_eq!(ok("2024-05-01T10:00Z"), t("2024-05-01T10:00:00Z"));
    assert_eq!(ok("2024-05-01T10Z"), t("2024-05-01T10:00:00Z"));
    assert_eq!(ok("1714557600"), t("2024-05-01T10:00:00Z"));
    assert_eq!(ok("1714557600.5"), t("2024-05-01T10:00:00.5Z"));
    assert_eq!(
        ok("1714557600.000000001"),
        t("2024-05-01T10:00:00.000000001Z")
    );
    assert_eq!(ok("0"), t("1970-01-01T00:00:00Z"));
    // Without a zone: local time, as Docker does.
    let local = |s: &str| {
        Local
            .from_local_datetime(&NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f").unwrap())
            .earliest()
            .unwrap()
            .with_timezone(&Utc)
    };
    assert_eq!(ok("2024-05-01T10:00:00"), local("2024-05-01T10:00:00"));
    assert_eq!(ok("2024-05-01T10:00:00.5"), local("2024-05-01T10:00:00.5"));
    assert_eq!(ok("2024-05-01"), local("2024-05-01T00:00:00"));
    for bad in [
        "",
        "yesterday",
        "10x",
        "2024-13-01",
        "2024-05-01T25:00:00Z",
        "2024-05-01T10:00:00+0200",
        "12.34.56",
        "1e9",
        "-5",
        "2024-05-01T10:00:00.Z",
    ] {
        let e = parse_time(bad, now).unwrap_err().to_string();
        assert!(e.contains(&format!("{bad:?}")), "{bad}: {e}");
    }
}

#[test]
fn incomplete_tail_detection() {
    assert_eq!(incomplete_utf8_tail(b"abc"), 0);
    assert_eq!(incomplete_utf8_tail(b"ab\xc3"), 1);
    assert_eq!(incomplete_utf8_tail(b"ab\xc3\xa9"), 0);
    assert_eq!(incomplete_utf8_tail(b"\xe2\x82"), 2);
    assert_eq!(incomplete_utf8_tail(b"\xf0\x9f\x98"), 3);
    assert_eq!(incomplete_utf8_tail(b"\xf0\x9f\x98\x80"), 0);
    assert_eq!(incomplete_utf8_tail(b"a\xff"), 0);
}

#[test]
fn tail_reads_from_the_end_only() {
    // A 1 GiB hole (no newline in it) before the records: reading forward,
    // or scanning back through it, would take seconds and a GiB of memory.
    let (_d, p, mut w) = writer(LogDriver::K8sFile);
    let f = std::fs::OpenOptions::new().write(true).open(&p).unwrap();
    f.set_len(1 << 30).unwrap();
    w.write_at(Stream::Stdout, b"\na\nb\nc\n", t(T0)).unwrap();
    let start = std::time::Instant::now();
    let mut file = File::open(&p).unwrap();
    let (offset, prefix) = tail_start(&mut file, LogDriver::K8sFile, 2).unwrap();
    let len = std::fs::metadata(&p).unwrap().len();
    let record = "2024-05-01T10:00:00.123456789+00:00 stdout F c\n".len() as u64;
    assert_eq!(offset, len - 2 * record);
    assert!(prefix.is_empty());
    let o = ReadOptions {
        tail: Some(2),
        ..Default::default()
    };
    assert_eq!(read_all(&p, LogDriver::K8sFile, &o).0, "b\nc\n");
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn tail_keeps_the_start_of_a_line_split_by_the_other_stream() {
    let (_d, p, mut w) = writer(LogDriver::K8sFile);
    w.write_at(Stream::Stdout, b"progress ", t(T0)).unwrap();
    w.write_at(Stream::Stderr, b"warning\n", t(T0)).unwrap();
    w.write_at(Stream::Stdout, b"50% ", t(T1)).unwrap();
    w.write_at(Stream::Stdout, b"done\n", t(T2)).unwrap();
    let mut file = File::open(&p).unwrap();
    let (_, prefix) = tail_start(&mut file, LogDriver::K8sFile, 1).unwrap();
    assert_eq!(prefix.len(), 1);
    let o = ReadOptions {
        tail: Some(1),
        timestamps: true,
        ..Default::default()
    };
    assert_eq!(
        read_all(&p, LogDriver::K8sFile, &o),
        (
            "2024-05-01T10:00:00.123456789Z progress 50% done\n".into(),
            String::new()
        )
    );
}
