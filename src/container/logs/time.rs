//! `--since`/`--until` values.
use chrono::{DateTime, Local, NaiveDate, NaiveDateTime, TimeZone, Utc};

use super::LogError;

/// Parses a `--since`/`--until` value as Docker does: a Go duration before
/// `now` (`10m`, `1h30m`, `1.5h`), RFC3339 with or without zone and fraction
/// (zone-less is local time), `YYYY-MM-DD`, or unix seconds[.fraction].
pub fn parse_time(s: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, LogError> {
    let bad = || LogError::Time(s.to_string());
    if s != "0"
        && let Some(d) = parse_go_duration(s)
    {
        return now.checked_sub_signed(d).ok_or_else(bad);
    }
    if s.contains('-') && !s.starts_with('-') {
        return parse_datetime(s).ok_or_else(bad);
    }
    parse_unix(s).ok_or_else(bad)
}

/// Go's `time.ParseDuration`: `[-+]` then one or more `<decimal><unit>`.
fn parse_go_duration(s: &str) -> Option<chrono::Duration> {
    let (neg, mut rest) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    if rest.is_empty() {
        return None;
    }
    let mut nanos: f64 = 0.0;
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let (num, tail) = rest.split_at(num_len);
        if num.is_empty() || num == "." {
            return None;
        }
        let value: f64 = num.parse().ok()?;
        let unit_len = tail
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(tail.len());
        let (unit, tail) = tail.split_at(unit_len);
        let scale = match unit {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return None,
        };
        nanos += value * scale;
        rest = tail;
    }
    if nanos > i64::MAX as f64 {
        return None;
    }
    let d = chrono::Duration::nanoseconds(nanos as i64);
    Some(if neg { -d } else { d })
}

/// `YYYY-MM-DD`, then optionally `THH[:MM[:SS[.frac]]]`, then optionally a
/// zone (`Z` or `±HH:MM`); no zone means local time.
fn parse_datetime(s: &str) -> Option<DateTime<Utc>> {
    let date = NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()?;
    let mut rest = &s[10..];
    let (mut h, mut m, mut sec, mut nano) = (0, 0, 0, 0);
    if let Some(t) = rest.strip_prefix(['T', 't']) {
        let end = t.find(['Z', 'z', '+', '-']).unwrap_or(t.len());
        let (time, zone) = t.split_at(end);
        let (hms, frac) = match time.split_once('.') {
            Some((a, f)) => (a, Some(f)),
            None => (time, None),
        };
        let mut fields = hms.split(':');
        let num = |f: Option<&str>| -> Option<u32> {
            let f = f?;
            (f.len() == 2 && f.bytes().all(|b| b.is_ascii_digit()))
                .then(|| f.parse().ok())
                .flatten()
        };
        h = num(fields.next())?;
        if let Some(f) = fields.next() {
            m = num(Some(f))?;
            if let Some(f) = fields.next() {
                sec = num(Some(f))?;
            }
        }
        if fields.next().is_some() {
            return None;
        }
        if let Some(f) = frac {
            if f.is_empty() || f.len() > 9 || !f.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            nano = format!("{f:0<9}").parse().ok()?;
        }
        rest = zone;
    }
    let naive = NaiveDateTime::new(date, chrono::NaiveTime::from_hms_nano_opt(h, m, sec, nano)?);
    match rest {
        "" => Local
            .from_local_datetime(&naive)
            .earliest()
            .map(|t| t.with_timezone(&Utc)),
        "Z" | "z" => Some(Utc.from_utc_datetime(&naive)),
        z => {
            let sign = match z.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let (zh, zm) = z[1..].split_once(':')?;
            if zh.len() != 2 || zm.len() != 2 {
                return None;
            }
            let off = sign * (zh.parse::<i32>().ok()? * 3600 + zm.parse::<i32>().ok()? * 60);
            chrono::FixedOffset::east_opt(off)?
                .from_local_datetime(&naive)
                .single()
                .map(|t| t.with_timezone(&Utc))
        }
    }
}

/// `SECONDS[.FRACTION]` since the epoch.
fn parse_unix(s: &str) -> Option<DateTime<Utc>> {
    let (secs, frac) = match s.split_once('.') {
        Some((a, f)) => (a, f),
        None => (s, ""),
    };
    if secs.is_empty() || !secs.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if frac.len() > 9 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let nanos: u32 = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<9}").parse().ok()?
    };
    DateTime::from_timestamp(secs.parse().ok()?, nanos)
}
