//! stats: containers' CPU, memory, network, block I/O and pids, as Docker
//! shows them; refreshed every second until interrupted, or once with
//! `--no-stream`.
use std::collections::HashMap;
use std::io::Write as _;
use std::time::{Duration, Instant};

use clap::Args;
use serde_json::{Value, json};

use super::run::container_store;
use crate::cli::Ctx;
use crate::cli::output::{self, Column, Format};
use crate::cli::units;
use crate::container::procs::{self, Usage};
use crate::container::{Container, ContainerStore, Status, lifecycle};

#[derive(Args, Debug)]
pub struct StatsArgs {
    /// Show all containers (default: running only)
    #[arg(short, long)]
    pub all: bool,
    /// Print one sample and exit
    #[arg(long)]
    pub no_stream: bool,
    /// Do not truncate output
    #[arg(long)]
    pub no_trunc: bool,
    /// Output format: table, json, or a Go template
    #[arg(long)]
    pub format: Option<String>,
    #[arg(value_name = "CONTAINER")]
    pub containers: Vec<String>,
}

const COLUMNS: &[Column] = &[
    Column {
        header: "CONTAINER ID",
        field: "ID",
    },
    Column {
        header: "NAME",
        field: "Name",
    },
    Column {
        header: "CPU %",
        field: "CPUPerc",
    },
    Column {
        header: "MEM USAGE / LIMIT",
        field: "MemUsage",
    },
    Column {
        header: "MEM %",
        field: "MemPerc",
    },
    Column {
        header: "NET I/O",
        field: "NetIO",
    },
    Column {
        header: "BLOCK I/O",
        field: "BlockIO",
    },
    Column {
        header: "PIDS",
        field: "PIDs",
    },
];

/// One reading of one container.
struct Reading {
    usage: Usage,
    at: Instant,
}

pub fn stats(ctx: &Ctx, a: StatsArgs) -> anyhow::Result<u8> {
    let store = container_store(ctx);
    let format = Format::parse(a.format.as_deref());
    let mem_total = procs::mem_total();
    let mut last: HashMap<String, Reading> = HashMap::new();
    loop {
        let containers = select(&store, &a)?;
        // A CPU rate needs two readings: the first round takes a short
        // interval of its own, later rounds use the previous round's.
        if containers.iter().any(|c| !last.contains_key(&c.id)) {
            for c in &containers {
                last.entry(c.id.clone()).or_insert_with(|| read_now(ctx, c));
            }
            std::thread::sleep(Duration::from_millis(500));
        }
        let mut rows = Vec::new();
        let mut next = HashMap::new();
        for c in &containers {
            let now = read_now(ctx, c);
            rows.push(row(c, last.get(&c.id), &now, mem_total, a.no_trunc));
            next.insert(c.id.clone(), now);
        }
        last = next;
        let text = output::render(&format, COLUMNS, &[], &rows)?;
        let mut out = std::io::stdout().lock();
        if a.no_stream {
            out.write_all(text.as_bytes())?;
            return Ok(0);
        }
        // Docker redraws in place: clear the screen, home the cursor.
        write!(out, "\x1b[2J\x1b[H{text}")?;
        out.flush()?;
        drop(out);
        std::thread::sleep(Duration::from_secs(1));
    }
}

/// The containers asked for (all named ones, even stopped), else the
/// running ones (all with `-a`).
fn select(store: &ContainerStore, a: &StatsArgs) -> anyhow::Result<Vec<Container>> {
    if a.containers.is_empty() {
        Ok(store
            .list()?
            .into_iter()
            .filter_map(|c| lifecycle::refresh(store, c).ok())
            .filter(|c| a.all || c.state.status == Status::Running)
            .collect())
    } else {
        a.containers
            .iter()
            .map(|k| Ok(lifecycle::refresh(store, store.lookup(k)?)?))
            .collect()
    }
}

fn read_now(ctx: &Ctx, c: &Container) -> Reading {
    let usage = if matches!(c.state.status, Status::Running | Status::Paused) {
        let pids = procs::processes(&ctx.paths, c);
        procs::usage(&ctx.paths, c, &pids)
    } else {
        Usage::default()
    };
    Reading {
        usage,
        at: Instant::now(),
    }
}

/// Percent of one CPU used between two readings (Docker's figure: 200%
/// is two CPUs busy).
fn cpu_percent(before: Option<&Reading>, now: &Reading) -> f64 {
    let Some(b) = before else { return 0.0 };
    let wall = now.at.duration_since(b.at).as_nanos() as f64;
    if wall <= 0.0 {
        return 0.0;
    }
    now.usage.cpu_ns.saturating_sub(b.usage.cpu_ns) as f64 * 100.0 / wall
}

fn row(
    c: &Container,
    before: Option<&Reading>,
    now: &Reading,
    mem_total: u64,
    no_trunc: bool,
) -> Value {
    let u = &now.usage;
    let running = matches!(c.state.status, Status::Running | Status::Paused);
    let limit = if running {
        u.memory_limit.unwrap_or(mem_total)
    } else {
        0
    };
    let mem_perc = if limit > 0 {
        u.memory as f64 * 100.0 / limit as f64
    } else {
        0.0
    };
    json!({
        "ID": if no_trunc { c.id.clone() } else { c.id[..12].to_string() },
        "Container": if no_trunc { c.id.clone() } else { c.id[..12].to_string() },
        "Name": c.name,
        "CPUPerc": format!("{:.2}%", cpu_percent(before, now)),
        "MemUsage": format!("{} / {}", units::bytes_size(u.memory), units::bytes_size(limit)),
        "MemPerc": format!("{mem_perc:.2}%"),
        "NetIO": format!("{} / {}", units::human_size(u.net_rx), units::human_size(u.net_tx)),
        "BlockIO": format!("{} / {}", units::human_size(u.block_read), units::human_size(u.block_written)),
        "PIDs": u.pids.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_percent_is_cpu_time_over_wall_time() {
        let t0 = Instant::now();
        let r = |cpu_ns: u64, at: Instant| Reading {
            usage: Usage {
                cpu_ns,
                ..Default::default()
            },
            at,
        };
        let before = r(1_000_000_000, t0);
        let after = r(1_500_000_000, t0 + Duration::from_secs(1));
        assert!((cpu_percent(Some(&before), &after) - 50.0).abs() < 1e-9);
        let two = r(3_000_000_000, t0 + Duration::from_secs(1));
        assert!((cpu_percent(Some(&before), &two) - 200.0).abs() < 1e-9);
        assert_eq!(cpu_percent(None, &after), 0.0);
        // A counter that went backwards (a restarted container) is 0, not huge.
        assert_eq!(
            cpu_percent(Some(&after), &r(5, t0 + Duration::from_secs(2))),
            0.0
        );
    }
}
