//! top and stats: a running container's processes and resource use, read
//! from /proc (a rootless container usually has no cgroup of its own).
use std::time::{Duration, Instant};

use anyhow::bail;
use clap::Args;
use serde_json::{Value, json};

use super::run::container_store;
use crate::cli::Ctx;
use crate::cli::output::{self, Column, Format};
use crate::cli::units;
use crate::container::{Container, Status, lifecycle};

#[derive(Args, Debug)]
pub struct TopArgs {
    #[arg(value_name = "CONTAINER")]
    pub container: String,
    /// ps(1) options (default -ef)
    #[arg(
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_name = "PS_OPTIONS"
    )]
    pub ps_args: Vec<String>,
}

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

pub fn top(ctx: &Ctx, a: TopArgs) -> anyhow::Result<u8> {
    let store = container_store(ctx);
    let c = lifecycle::refresh(&store, store.lookup(&a.container)?)?;
    if !matches!(c.state.status, Status::Running | Status::Paused) {
        bail!(
            "container {} is {}: top needs a running container",
            c.name,
            c.state.status.as_str()
        );
    }
    let pids = lifecycle::processes(&c);
    print!("{}", crate::cli::runtime::ps_table(&pids, &a.ps_args)?);
    Ok(0)
}

/// What one sample of a container's processes adds up to.
#[derive(Default, Clone, Copy)]
struct Sample {
    cpu_ticks: u64,
    rss: u64,
    pids: usize,
    read: u64,
    written: u64,
}

fn sample(pids: &[i32]) -> Sample {
    let mut s = Sample {
        pids: pids.len(),
        ..Default::default()
    };
    for p in pids {
        if let Ok(stat) = std::fs::read_to_string(format!("/proc/{p}/stat"))
            && let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r)
        {
            // Fields after the command: state is 3; utime 14, stime 15.
            let f: Vec<&str> = rest.split_whitespace().collect();
            let n = |i: usize| {
                f.get(i - 3)
                    .and_then(|v| v.parse::<u64>().ok())
                    .unwrap_or(0)
            };
            s.cpu_ticks += n(14) + n(15);
        }
        if let Ok(st) = std::fs::read_to_string(format!("/proc/{p}/status")) {
            s.rss += field(&st, "VmRSS:") * 1024;
        }
        if let Ok(io) = std::fs::read_to_string(format!("/proc/{p}/io")) {
            s.read += field(&io, "read_bytes:");
            s.written += field(&io, "write_bytes:");
        }
    }
    s
}

fn field(text: &str, key: &str) -> u64 {
    text.lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// Received and sent bytes on the container's interfaces (not lo), from
/// its init's view of /proc/net/dev.
fn net_io(pid: i32) -> (u64, u64) {
    let Ok(t) = std::fs::read_to_string(format!("/proc/{pid}/net/dev")) else {
        return (0, 0);
    };
    t.lines()
        .skip(2)
        .filter_map(|l| l.split_once(':'))
        .filter(|(ifc, _)| ifc.trim() != "lo")
        .fold((0, 0), |(rx, tx), (_, v)| {
            let f: Vec<u64> = v
                .split_whitespace()
                .filter_map(|x| x.parse().ok())
                .collect();
            (
                rx + f.first().copied().unwrap_or(0),
                tx + f.get(8).copied().unwrap_or(0),
            )
        })
}

fn mem_total() -> u64 {
    std::fs::read_to_string("/proc/meminfo")
        .map(|m| field(&m, "MemTotal:") * 1024)
        .unwrap_or(0)
}

fn rows(
    containers: &[Container],
    before: &[Sample],
    after: &[Sample],
    elapsed: Duration,
    no_trunc: bool,
) -> Vec<Value> {
    let ticks = rustix::param::clock_ticks_per_second() as f64;
    let limit = mem_total();
    containers
        .iter()
        .zip(before.iter().zip(after))
        .map(|(c, (b, a))| {
            let cpu = (a.cpu_ticks.saturating_sub(b.cpu_ticks)) as f64 / ticks / elapsed.as_secs_f64() * 100.0;
            let mem_limit = c.options.memory.filter(|m| *m > 0).map_or(limit, |m| m);
            let (rx, tx) = net_io(c.state.pid);
            json!({
                "ID": if no_trunc { c.id.clone() } else { c.id[..12].to_string() },
                "Container": c.id[..12].to_string(),
                "Name": c.name,
                "CPUPerc": format!("{cpu:.2}%"),
                "MemUsage": format!("{} / {}", units::bytes_size(a.rss), units::bytes_size(mem_limit)),
                "MemPerc": format!("{:.2}%", if mem_limit > 0 { a.rss as f64 * 100.0 / mem_limit as f64 } else { 0.0 }),
                "NetIO": format!("{} / {}", units::human_size(rx), units::human_size(tx)),
                "BlockIO": format!("{} / {}", units::human_size(a.read), units::human_size(a.written)),
                "PIDs": a.pids.to_string(),
            })
        })
        .collect()
}

pub fn stats(ctx: &Ctx, a: StatsArgs) -> anyhow::Result<u8> {
    let store = container_store(ctx);
    let columns = [
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
    let format = Format::parse(a.format.as_deref());
    loop {
        let containers: Vec<Container> = if a.containers.is_empty() {
            store
                .list()?
                .into_iter()
                .filter_map(|c| lifecycle::refresh(&store, c).ok())
                .filter(|c| a.all || c.state.status == Status::Running)
                .collect()
        } else {
            a.containers
                .iter()
                .map(|k| Ok(lifecycle::refresh(&store, store.lookup(k)?)?))
                .collect::<anyhow::Result<_>>()?
        };
        let pids: Vec<Vec<i32>> = containers.iter().map(lifecycle::processes).collect();
        let t0 = Instant::now();
        let before: Vec<Sample> = pids.iter().map(|p| sample(p)).collect();
        std::thread::sleep(Duration::from_millis(if a.no_stream { 200 } else { 1000 }));
        let after: Vec<Sample> = pids.iter().map(|p| sample(p)).collect();
        let rows = rows(&containers, &before, &after, t0.elapsed(), a.no_trunc);
        let text = output::render(&format, &columns, &[], &rows)?;
        if a.no_stream {
            print!("{text}");
            return Ok(0);
        }
        // Docker redraws in place: clear the screen, home the cursor.
        print!("\x1b[2J\x1b[H{text}");
        std::io::Write::flush(&mut std::io::stdout())?;
    }
}
