//! `serve`: the HTTP API, the page at `/` and the records (crates/service), on a Tokio runtime.
//! Prints `listening on http://ADDR` once it accepts connections; runs until SIGINT or SIGTERM.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use export_controls_service::api::Limits;
use export_controls_service::cpu::DEFAULT_QUEUE;
use export_controls_service::pack::PackSource;
use export_controls_service::{ServeConfig, serve};

use super::exit::{Exit, Failure, input};

/// The record store used when `--db` is not given (a SQLite file in the working directory).
pub const DEFAULT_DB: &str = "sqlite:export-controls-records.db";

#[derive(Args)]
pub struct ServeArgs {
    /// Address to listen on (port 0: a free port, printed on the first line).
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Record store: a SQLite file (`sqlite:PATH` or a path; created if missing) or
    /// `postgresql://user@host:port/db` (several instances sharing one database).
    #[arg(long, default_value = DEFAULT_DB)]
    db: String,
    /// Rule pack directory (holding pack.toml and rules.lock). Default: the shipped pack. The
    /// pack must match its rules.lock, at start and at every reload (SIGHUP).
    #[arg(long)]
    rules: Option<PathBuf>,
    /// Product catalog directory. Default: the shipped catalog.
    #[arg(long)]
    catalog: Option<PathBuf>,
    /// Serve a --rules pack that is an older release of the shipped pack (superseded; refused
    /// otherwise, E0527, at start and at every reload): every determination then says
    /// `SUPERSEDED PACK:` first in its scope.
    #[arg(long, requires = "rules")]
    superseded: bool,
    /// Longest a request may take, in seconds (then 503).
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
    request_timeout: u64,
    /// Most requests whose CPU-bound work (parsing, evaluating, writing the determination's
    /// JSON, compressing its record, screening, replay, the page) runs at a time; 0: one per
    /// core, as the operating system reports them. More than the cores only adds switching.
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u32).range(0..=1024))]
    workers: u32,
    /// Most requests waiting for a worker beyond those running; one more is answered at once
    /// with 503 `busy` and `Retry-After: 1`, and nothing is recorded. A request waits at most
    /// the request timeout: keep QUEUE × the time of one request ÷ WORKERS well under it.
    #[arg(long, default_value_t = DEFAULT_QUEUE as u32, value_parser = clap::value_parser!(u32).range(0..=65_536))]
    queue: u32,
}

pub fn run(args: ServeArgs) -> Result<Exit, Failure> {
    let config = ServeConfig {
        addr: args.addr,
        source: PackSource { rules: args.rules, catalog: args.catalog, allow_superseded: args.superseded },
        database: args.db,
        limits: Limits {
            request_time: Duration::from_secs(args.request_timeout),
            workers: args.workers as usize,
            queue: args.queue as usize,
            ..Limits::default()
        },
    };
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(input)?;
    rt.block_on(serve(config, |addr| {
        // The line a supervisor or a test waits for; flushed at once (stdout may be a pipe).
        println!("listening on http://{addr}");
        let _ = std::io::Write::flush(&mut std::io::stdout());
    }))
    .map_err(input)?;
    Ok(Exit::Success)
}
