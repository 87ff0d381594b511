//! `records export`: the determination records (15 CFR 762) that `serve` wrote, as JSON lines.

use std::path::Path;

use clap::{Args, Subcommand};
use export_controls_service::records;

use super::args::date_flag;
use super::exit::{Exit, Failure, input};
use super::serve::DEFAULT_DB;

#[derive(Args)]
pub struct RecordsArgs {
    #[command(subcommand)]
    command: RecordsCommand,
}

#[derive(Subcommand)]
enum RecordsCommand {
    /// Write the records as JSON lines on standard output, in id order (one record per line:
    /// id, recorded_at, pack, as_of, product, destination, verdict, request, determination);
    /// the count on standard error.
    Export {
        /// Record store, as for `serve --db`.
        #[arg(long, default_value = DEFAULT_DB)]
        db: String,
        /// Only records made on or after this UTC date, YYYY-MM-DD (default: all).
        #[arg(long)]
        since: Option<String>,
    },
}

pub fn run(args: RecordsArgs) -> Result<Exit, Failure> {
    let RecordsCommand::Export { db, since } = args.command;
    let since = match since {
        Some(s) => Some(date_flag(Some(&s), "since")?),
        None => None,
    };
    // Opening a SQLite store creates it: exporting from a file that is not there would
    // write an empty database and report no records.
    if !(db.starts_with("postgres://") || db.starts_with("postgresql://")) {
        let path = db.strip_prefix("sqlite:").unwrap_or(&db);
        if !Path::new(path).is_file() {
            return Err(input(format!("{path}: no such record store (give --db, as for `serve --db`)")));
        }
    }
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(input)?;
    let mut out = Stdout { closed: false };
    let written = rt.block_on(async {
        let store = records::open(&db).await?;
        records::export_jsonl(store.as_ref(), since, &mut out).await
    });
    match written {
        Ok(n) => eprintln!("{n} record(s)"),
        // A reader that closed the pipe early (`| head`) is not an error.
        Err(_) if out.closed => {}
        Err(e) => return Err(input(e)),
    }
    Ok(Exit::Success)
}

/// Standard output, noting whether the reader closed the pipe.
struct Stdout {
    closed: bool,
}

impl std::io::Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        std::io::stdout().write(buf).inspect_err(|e| self.closed |= e.kind() == std::io::ErrorKind::BrokenPipe)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        std::io::stdout().flush().inspect_err(|e| self.closed |= e.kind() == std::io::ErrorKind::BrokenPipe)
    }
}
