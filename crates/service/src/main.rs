//! `export-controls-service`: the HTTP service and the records tool, until the
//! `export-controls` binary offers the same subcommands (`serve`, `records export`, `plot`,
//! `check --format html`).
//!
//! Exit codes as the CLI: 0 done, 2 usage error, 3 rule, input or store error.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};
use export_controls::Date;
use export_controls_service::api::Limits;
use export_controls_service::pack::{LoadedPack, PackSource};
use export_controls_service::{ServeConfig, records, report};

#[derive(Parser)]
#[command(name = "export-controls-service", version, about = "HTTP API, records and reports for export-controls")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the HTTP API and the page at `/`. Prints `listening on http://ADDR` when ready.
    /// SIGHUP reloads the pack (refused, with the old one kept, unless it matches rules.lock).
    Serve {
        /// Address to listen on (port 0: a free port).
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// Record store: `sqlite:PATH` (or a path) or `postgres://user@host/db`.
        #[arg(long, default_value = "sqlite:export-controls-records.db")]
        db: String,
        /// Rule pack directory (holding pack.toml and rules.lock). Default: the shipped pack.
        #[arg(long)]
        rules: Option<PathBuf>,
        /// Product catalog directory. Default: the shipped catalog.
        #[arg(long)]
        catalog: Option<PathBuf>,
        /// Longest a request may take, seconds.
        #[arg(long, default_value_t = 10)]
        request_timeout: u64,
    },
    /// Records (15 CFR 762).
    Records {
        #[command(subcommand)]
        command: RecordsCommand,
    },
    /// Write an SVG of the TPP × performance-density plane with the 3A090 bands in force on a
    /// date and the catalog's products.
    Plot {
        /// As-of date, YYYY-MM-DD. Default: today (UTC).
        #[arg(long)]
        on: Option<String>,
        /// Product ids to plot (default: the catalog).
        #[arg(long, value_delimiter = ',')]
        products: Vec<String>,
        /// Product id to highlight.
        #[arg(long)]
        highlight: Option<String>,
    },
}

#[derive(Subcommand)]
enum RecordsCommand {
    /// Write records as JSON lines on standard output, in id order.
    Export {
        /// Record store, as for `serve --db`.
        #[arg(long, default_value = "sqlite:export-controls-records.db")]
        db: String,
        /// Only records made on or after this UTC date, YYYY-MM-DD.
        #[arg(long)]
        since: Option<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let rt = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(3);
        }
    };
    match rt.block_on(run(cli.command)) {
        Ok(()) => ExitCode::SUCCESS,
        Err((code, msg)) => {
            eprintln!("error: {msg}");
            ExitCode::from(code)
        }
    }
}

fn date(arg: &Option<String>, flag: &str) -> Result<Date, (u8, String)> {
    match arg {
        Some(s) => s.parse().map_err(|e| (2, format!("--{flag}: {e}"))),
        None => Ok(Date::today_utc()),
    }
}

async fn run(command: Command) -> Result<(), (u8, String)> {
    match command {
        Command::Serve { addr, db, rules, catalog, request_timeout } => {
            let config = ServeConfig {
                addr,
                source: PackSource { rules, catalog },
                database: db,
                limits: Limits { request_time: Duration::from_secs(request_timeout.max(1)), ..Limits::default() },
            };
            export_controls_service::serve(config, |a| {
                println!("listening on http://{a}");
            })
            .await
            .map_err(|e| (3, e.to_string()))
        }
        Command::Records { command: RecordsCommand::Export { db, since } } => {
            let since = since.as_ref().map(|_| date(&since, "since")).transpose()?;
            let store = records::open(&db).await.map_err(|e| (3, e.to_string()))?;
            let mut out = std::io::stdout();
            let n = records::export_jsonl(store.as_ref(), since, &mut out).await.map_err(|e| (3, e.to_string()))?;
            eprintln!("{n} records");
            Ok(())
        }
        Command::Plot { on, products, highlight } => {
            let on = date(&on, "on")?;
            let pack = LoadedPack::load(&PackSource { rules: None, catalog: None }).map_err(|e| (3, e.to_string()))?;
            let svg = report::bands_svg(&pack, on, &products, highlight.as_deref()).map_err(|e| (2, e))?;
            print!("{svg}");
            Ok(())
        }
    }
}
