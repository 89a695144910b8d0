//! Progress for long image work: indicatif bars on a terminal, Podman-style
//! plain lines otherwise, nothing with `-q`.
use std::io::{IsTerminal, Write};
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

#[derive(Clone)]
pub enum Progress {
    Bars(MultiProgress),
    Lines,
    Quiet,
}

impl Progress {
    pub fn new(quiet: bool) -> Progress {
        if quiet {
            Progress::Quiet
        } else if std::io::stderr().is_terminal() {
            Progress::Bars(MultiProgress::with_draw_target(
                ProgressDrawTarget::stderr_with_hz(10),
            ))
        } else {
            Progress::Lines
        }
    }

    /// A status line ("Trying to pull ...").
    pub fn message(&self, msg: &str) {
        match self {
            Progress::Bars(m) => {
                let _ = m.println(msg);
            }
            Progress::Lines => {
                let _ = writeln!(std::io::stderr(), "{msg}");
            }
            Progress::Quiet => {}
        }
    }

    /// A bar for one blob of known size.
    pub fn blob(&self, kind: &str, short: &str, size: u64) -> BlobProgress {
        let label = format!("Copying {kind} {short}");
        match self {
            Progress::Bars(m) => {
                let bar = m.add(ProgressBar::new(size));
                bar.set_style(
                    ProgressStyle::with_template(
                        "{prefix} {bar:30} {bytes:>10} / {total_bytes:<10} {msg}",
                    )
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
                );
                bar.set_prefix(label.clone());
                bar.enable_steady_tick(Duration::from_millis(200));
                BlobProgress {
                    bar: Some(bar),
                    label,
                    lines: false,
                }
            }
            Progress::Lines => BlobProgress {
                bar: None,
                label,
                lines: true,
            },
            Progress::Quiet => BlobProgress {
                bar: None,
                label,
                lines: false,
            },
        }
    }
}

pub struct BlobProgress {
    bar: Option<ProgressBar>,
    label: String,
    lines: bool,
}

impl BlobProgress {
    pub fn inc(&self, n: u64) {
        if let Some(b) = &self.bar {
            b.inc(n);
        }
    }
    pub fn set_message(&self, msg: &'static str) {
        if let Some(b) = &self.bar {
            b.set_message(msg);
        }
    }
    /// Ends the bar with a word: "done", "skipped: already exists".
    pub fn finish(&self, word: &str) {
        if let Some(b) = &self.bar {
            b.set_position(b.length().unwrap_or(0));
            b.finish_with_message(word.to_string());
        } else if self.lines {
            let _ = writeln!(std::io::stderr(), "{} {word}", self.label);
        }
    }
    pub fn abandon(&self) {
        if let Some(b) = &self.bar {
            b.abandon_with_message("failed");
        }
    }
}
