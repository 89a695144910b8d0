//! Human-readable sizes and durations, compatible with Docker's `go-units`.
//!
//! Docker and Podman print these strings in their tables (`SIZE`, `CREATED`,
//! `STATUS`), and users script against them, so the formatting follows Go's
//! `%.Ng` verb exactly, including its quirks (e.g. 999 500 bytes at three
//! significant digits is `1e+03kB`, as in Docker).

use std::time::Duration;

use chrono::{DateTime, Utc};

/// Errors from [`parse_size`].
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum UnitsError {
    #[error("invalid size: '{0}'")]
    InvalidSize(String),
    #[error("invalid suffix: '{0}'")]
    InvalidSuffix(String),
    #[error("size too large: '{0}'")]
    TooLarge(String),
}

const DECIMAL_UNITS: [&str; 9] = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];
const BINARY_UNITS: [&str; 9] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"];

/// Size as Docker's CLI prints it in `images`/`ps -s`: decimal units and three
/// significant digits (`units.HumanSizeWithPrecision(size, 3)`).
pub fn human_size(bytes: u64) -> String {
    human_size_with_precision(bytes as f64, 3)
}

/// go-units `HumanSizeWithPrecision`: decimal (1000) units, `precision`
/// significant digits formatted like Go's `%.*g`.
pub fn human_size_with_precision(size: f64, precision: usize) -> String {
    let (value, unit) = scale(size, 1000.0, &DECIMAL_UNITS);
    format!("{}{unit}", format_g(value, precision))
}

/// go-units `BytesSize`: binary (1024) units, four significant digits.
pub fn bytes_size(bytes: u64) -> String {
    let (value, unit) = scale(bytes as f64, 1024.0, &BINARY_UNITS);
    format!("{}{unit}", format_g(value, 4))
}

/// Divides by `base` until the value is below it or the units run out.
fn scale(mut size: f64, base: f64, units: &[&'static str]) -> (f64, &'static str) {
    let mut i = 0;
    while size >= base && i < units.len() - 1 {
        size /= base;
        i += 1;
    }
    (size, units[i])
}

/// Go's `%.<prec>g` for a finite, non-negative value: round to `prec`
/// significant digits, drop trailing zeros, and use an exponent when the
/// decimal exponent is below -4 or at least the precision.
pub(crate) fn format_g(value: f64, prec: usize) -> String {
    let prec = prec.max(1);
    if value == 0.0 {
        return "0".to_string();
    }
    // Rust's `{:.Ne}` rounds exactly (ties to even) like Go's fixed-precision
    // conversion; it gives us the rounded digits and the exponent.
    let sci = format!("{:.*e}", prec - 1, value.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(|c| c.is_ascii_digit()).collect();
    let digits = digits.trim_end_matches('0');
    let digits = if digits.is_empty() { "0" } else { digits };
    let nd = digits.len() as i32;
    let dp = exp + 1; // position of the decimal point relative to the digits
    let sign = if value < 0.0 { "-" } else { "" };

    let mut eprec = prec as i32;
    if eprec > nd && nd >= dp {
        eprec = nd;
    }
    if exp < -4 || exp >= eprec {
        let mut out = String::from(sign);
        out.push_str(&digits[..1]);
        if nd > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        let esign = if exp < 0 { '-' } else { '+' };
        out.push_str(&format!("e{esign}{:02}", exp.abs()));
        return out;
    }
    // Fixed notation with exactly the significant digits that remain.
    let decimals = (nd - dp).max(0) as usize;
    let mut out = String::from(sign);
    if dp <= 0 {
        out.push('0');
    } else {
        for i in 0..dp as usize {
            out.push(digits.as_bytes().get(i).map_or('0', |b| *b as char));
        }
    }
    if decimals > 0 {
        out.push('.');
        for i in 0..decimals as i32 {
            let pos = dp + i;
            let c = if pos < 0 {
                '0'
            } else {
                digits
                    .as_bytes()
                    .get(pos as usize)
                    .map_or('0', |b| *b as char)
            };
            out.push(c);
        }
    }
    out
}

/// go-units `HumanDuration`, e.g. "About a minute", "3 hours", "2 weeks".
pub fn human_duration(d: Duration) -> String {
    const NANOS_PER_SEC: u128 = 1_000_000_000;
    const NANOS_PER_HOUR: u128 = 3600 * NANOS_PER_SEC;
    let nanos = d.as_nanos();
    let seconds = nanos / NANOS_PER_SEC;
    let minutes = seconds / 60;
    // go-units rounds hours to the nearest whole hour from here on.
    let hours = (nanos + NANOS_PER_HOUR / 2) / NANOS_PER_HOUR;
    if seconds < 1 {
        "Less than a second".to_string()
    } else if seconds == 1 {
        "1 second".to_string()
    } else if seconds < 60 {
        format!("{seconds} seconds")
    } else if minutes == 1 {
        "About a minute".to_string()
    } else if minutes < 60 {
        format!("{minutes} minutes")
    } else if hours == 1 {
        "About an hour".to_string()
    } else if hours < 48 {
        format!("{hours} hours")
    } else if hours < 24 * 7 * 2 {
        format!("{} days", hours / 24)
    } else if hours < 24 * 30 * 2 {
        format!("{} weeks", hours / 24 / 7)
    } else if hours < 24 * 365 * 2 {
        format!("{} months", hours / 24 / 30)
    } else {
        // The year count uses truncated, not rounded, hours.
        format!("{} years", nanos / NANOS_PER_HOUR / 24 / 365)
    }
}

/// Docker's `CreatedSince`/`RunningFor`: "5 minutes ago". A time in the future
/// (clock skew) counts as zero, as Go's negative durations do.
pub fn created_since(t: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let d = (now - t).to_std().unwrap_or(Duration::ZERO);
    format!("{} ago", human_duration(d))
}

/// Docker's `RAMInBytes`: a number with an optional binary-unit suffix
/// (`b`, `k`, `m`, `g`, `t`, `p`, each optionally followed by `b` or `ib`,
/// any case, optionally after one space): "512m", "1g", "1.5GB", "100 KiB".
pub fn parse_size(s: &str) -> Result<u64, UnitsError> {
    let invalid = || UnitsError::InvalidSize(s.to_string());
    let sep = s
        .rfind(|c: char| c.is_ascii_digit() || c == '.' || c == ' ')
        .ok_or_else(invalid)?;
    let (num, suffix) = if s.as_bytes()[sep] == b' ' {
        (&s[..sep], &s[sep + 1..])
    } else {
        (&s[..sep + 1], &s[sep + 1..])
    };
    // Only plain decimal numbers: Rust would also accept "inf" and "NaN".
    if num.is_empty() || !num.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return Err(invalid());
    }
    let size: f64 = num.parse().map_err(|_| invalid())?;

    let lower = suffix.to_ascii_lowercase();
    let bad_suffix = || UnitsError::InvalidSuffix(lower.clone());
    let multiplier: f64 = match lower.as_bytes() {
        [] => 1.0,
        [b'b'] => 1.0,
        [unit, rest @ ..] => {
            let exp = match unit {
                b'k' => 1,
                b'm' => 2,
                b'g' => 3,
                b't' => 4,
                b'p' => 5,
                _ => return Err(bad_suffix()),
            };
            if !matches!(rest, [] | [b'b'] | [b'i', b'b']) {
                return Err(bad_suffix());
            }
            1024f64.powi(exp)
        }
    };
    let bytes = size * multiplier;
    if bytes >= u64::MAX as f64 {
        return Err(UnitsError::TooLarge(s.to_string()));
    }
    // Truncation toward zero, as Go's int64(float) conversion does.
    Ok(bytes as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn human_size_matches_docker() {
        let cases: &[(u64, &str)] = &[
            (0, "0B"),
            (1, "1B"),
            (999, "999B"),
            (1000, "1kB"),
            (1024, "1.02kB"),
            (1234, "1.23kB"),
            (1125, "1.12kB"), // exact tie rounds to even, like Go
            (1015, "1.01kB"), // 1.015 is stored just below the tie
            (1135, "1.14kB"), // and 1.135 just above it
            (12_345, "12.3kB"),
            (123_456, "123kB"),
            (999_000, "999kB"),
            (999_500, "1e+03kB"), // Go's %.3g quirk, printed by Docker too
            (1_000_000, "1MB"),
            (4_260_000, "4.26MB"),
            (77_800_000, "77.8MB"),
            (5_000_000_000, "5GB"),
            (1_500_000_000_000, "1.5TB"),
            (u64::MAX, "18.4EB"),
        ];
        for (bytes, want) in cases {
            assert_eq!(human_size(*bytes), *want, "human_size({bytes})");
        }
    }

    #[test]
    fn human_size_with_other_precisions() {
        assert_eq!(human_size_with_precision(1234.0, 4), "1.234kB");
        assert_eq!(human_size_with_precision(2_746_000.0, 4), "2.746MB");
        assert_eq!(human_size_with_precision(10_000.0, 1), "1e+01kB");
        assert_eq!(human_size_with_precision(0.5, 3), "0.5B");
    }

    #[test]
    fn bytes_size_binary_units() {
        let cases: &[(u64, &str)] = &[
            (0, "0B"),
            (1023, "1023B"),
            (1024, "1KiB"),
            (1536, "1.5KiB"),
            (1024 * 1024, "1MiB"),
            (1_048_576 * 3 / 2, "1.5MiB"),
            (1024 * 1024 * 1024, "1GiB"),
            (1024u64.pow(4) * 2, "2TiB"),
            (1_000_000, "976.6KiB"),
            (1023 * 1024 + 1000, "1024KiB"),
        ];
        for (bytes, want) in cases {
            assert_eq!(bytes_size(*bytes), *want, "bytes_size({bytes})");
        }
    }

    #[test]
    fn format_g_matches_go() {
        let cases: &[(f64, usize, &str)] = &[
            (0.0, 3, "0"),
            (1.0, 3, "1"),
            (1.5, 3, "1.5"),
            (100.0, 3, "100"),
            (123.456, 3, "123"),
            (0.0001234, 3, "0.000123"),
            (0.00001234, 3, "1.23e-05"),
            (1e21, 3, "1e+21"),
            (-2.5, 3, "-2.5"),
            (999.96, 4, "1000"),
            (99.985, 4, "99.98"), // stored just below the tie
            (99.995, 4, "100"),   // stored just above it
        ];
        for (v, p, want) in cases {
            assert_eq!(format_g(*v, *p), *want, "format_g({v}, {p})");
        }
    }

    #[test]
    fn human_duration_thresholds() {
        let s = Duration::from_secs;
        let cases: &[(Duration, &str)] = &[
            (Duration::ZERO, "Less than a second"),
            (Duration::from_millis(999), "Less than a second"),
            (s(1), "1 second"),
            (Duration::from_millis(1999), "1 second"),
            (s(2), "2 seconds"),
            (s(59), "59 seconds"),
            (s(60), "About a minute"),
            (s(119), "About a minute"),
            (s(120), "2 minutes"),
            (s(59 * 60 + 59), "59 minutes"),
            (s(3600), "About an hour"),
            (s(3600 + 29 * 60), "About an hour"),
            (s(3600 + 30 * 60), "2 hours"),
            (s(47 * 3600), "47 hours"),
            (s(47 * 3600 + 1800), "2 days"), // rounds up to 48 hours
            (s(48 * 3600), "2 days"),
            (s(13 * 86400), "13 days"),
            (s(14 * 86400), "2 weeks"),
            (s(59 * 86400), "8 weeks"),
            (s(60 * 86400), "2 months"),
            (s(365 * 86400), "12 months"),
            (s(729 * 86400), "24 months"),
            (s(730 * 86400), "2 years"),
            (s(3 * 365 * 86400 + 100), "3 years"),
        ];
        for (d, want) in cases {
            assert_eq!(human_duration(*d), *want, "human_duration({d:?})");
        }
    }

    #[test]
    fn created_since_appends_ago_and_clamps_future() {
        let now = Utc.with_ymd_and_hms(2024, 5, 1, 12, 0, 0).unwrap();
        let t = Utc.with_ymd_and_hms(2024, 5, 1, 11, 55, 0).unwrap();
        assert_eq!(created_since(t, now), "5 minutes ago");
        let t = Utc.with_ymd_and_hms(2024, 4, 17, 12, 0, 0).unwrap();
        assert_eq!(created_since(t, now), "2 weeks ago");
        let future = Utc.with_ymd_and_hms(2024, 5, 1, 13, 0, 0).unwrap();
        assert_eq!(created_since(future, now), "Less than a second ago");
    }

    #[test]
    fn parse_size_accepts_docker_forms() {
        const K: u64 = 1024;
        let cases: &[(&str, u64)] = &[
            ("0", 0),
            ("32", 32),
            ("32b", 32),
            ("32B", 32),
            ("32k", 32 * K),
            ("32K", 32 * K),
            ("32kb", 32 * K),
            ("32Kib", 32 * K),
            ("32KIB", 32 * K),
            ("512m", 512 * K * K),
            ("32mb", 32 * K * K),
            ("1g", K * K * K),
            ("1.5GB", 3 * K * K * K / 2),
            ("1.5 GiB", 3 * K * K * K / 2),
            ("100 k", 100 * K),
            ("2t", 2 * K.pow(4)),
            ("2p", 2 * K.pow(5)),
            ("0.5", 0),
            ("1.", 1),
        ];
        for (s, want) in cases {
            assert_eq!(parse_size(s), Ok(*want), "parse_size({s:?})");
        }
    }

    #[test]
    fn parse_size_rejects_bad_input() {
        let cases: &[(&str, UnitsError)] = &[
            ("", UnitsError::InvalidSize("".into())),
            ("m", UnitsError::InvalidSize("m".into())),
            ("-1", UnitsError::InvalidSize("-1".into())),
            ("-1m", UnitsError::InvalidSize("-1m".into())),
            ("1..5m", UnitsError::InvalidSize("1..5m".into())),
            ("32x", UnitsError::InvalidSuffix("x".into())),
            ("32bb", UnitsError::InvalidSuffix("bb".into())),
            ("32mm", UnitsError::InvalidSuffix("mm".into())),
            ("32mib2", UnitsError::InvalidSize("32mib2".into())),
            ("32kiB ", UnitsError::InvalidSize("32kiB ".into())),
            ("32kbi", UnitsError::InvalidSuffix("kbi".into())),
            ("1  m", UnitsError::InvalidSize("1  m".into())),
            ("99999999999p", UnitsError::TooLarge("99999999999p".into())),
        ];
        for (s, want) in cases {
            assert_eq!(parse_size(s).as_ref(), Err(want), "parse_size({s:?})");
        }
    }
}
