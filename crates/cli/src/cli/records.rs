//! `records export`, `records verify` and `records head`: the determination records (15 CFR
//! 762) that `serve` wrote, as JSON lines; whether each row still says what its determination
//! says and the hash chain over them is whole; the last id and hash, for an auditor to keep.

use clap::{Args, Subcommand};
use export_controls_service::records::chain::Head;
use export_controls_service::records::{self, check};

use super::args::{CatalogArgs, RulesArgs, date_flag};
use super::exit::{Exit, Failure, input, usage};
use super::serve::DEFAULT_DB;

#[derive(Args)]
pub struct RecordsArgs {
    #[command(subcommand)]
    command: RecordsCommand,
}

#[derive(Subcommand)]
enum RecordsCommand {
    /// Write the records as JSON lines on standard output, in id order (one record per line:
    /// id, recorded_at, pack, engine, as_of, product, destination, verdict, request,
    /// determination, prev_hash, hash);
    /// the count on standard error. A row whose columns or request disagree with its
    /// determination (E0605: written or altered outside the service) is written with its
    /// `disagreements`, named on standard error, and makes the export exit 1.
    Export {
        /// Record store, as for `serve --db`.
        #[arg(long, default_value = DEFAULT_DB)]
        db: String,
        /// Only records made on or after this UTC date, YYYY-MM-DD (default: all).
        #[arg(long)]
        since: Option<String>,
        /// The catalog a request naming a catalog product is checked against. Default: the
        /// shipped catalog.
        #[command(flatten)]
        catalog: CatalogArgs,
    },
    /// Check every record: its columns and request against its determination (E0605), and
    /// its determination replayed with the pack (as `replay`); and the hash chain over all the
    /// records (whatever `--since`): ids from 1 without gaps, each `prev_hash` the previous
    /// record's hash, each hash that of its row (E0606), and with `--head` that the chain still
    /// reaches that head (E0607). Names each record that fails on standard output and exits 1
    /// if any does; a record made with another pack than the one given is counted as not
    /// replayed. The chain's head is written on standard error.
    Verify {
        /// Record store, as for `serve --db`.
        #[arg(long, default_value = DEFAULT_DB)]
        db: String,
        /// Only records made on or after this UTC date, YYYY-MM-DD (default: all).
        #[arg(long)]
        since: Option<String>,
        #[command(flatten)]
        rules: RulesArgs,
        /// The catalog of the records' products. Default: the shipped catalog.
        #[command(flatten)]
        catalog: CatalogArgs,
        /// A head printed earlier by `records head` (ID:HASH): fail (E0607) when the chain no
        /// longer reaches it (records deleted from the end, or rewritten up to it).
        #[arg(long, value_name = "ID:HASH")]
        head: Option<String>,
    },
    /// Print the last record's id and hash as ID:HASH (`0:` and 64 zeros for an empty store):
    /// keep it outside the database, and give it to `records verify --head` later. It is the
    /// hash stored, not verified: `records verify` checks the chain up to it.
    Head {
        /// Record store, as for `serve --db`.
        #[arg(long, default_value = DEFAULT_DB)]
        db: String,
    },
}

pub fn run(args: RecordsArgs) -> Result<Exit, Failure> {
    match args.command {
        RecordsCommand::Export { db, since, catalog } => export(&db, since, &catalog),
        RecordsCommand::Verify { db, since, rules, catalog, head } => verify(&db, since, &rules, &catalog, head),
        RecordsCommand::Head { db } => head(&db),
    }
}

fn head(db: &str) -> Result<Exit, Failure> {
    let (rt, _) = open(db, None)?;
    let head = rt.block_on(async { records::open(db).await?.head().await }).map_err(input)?;
    println!("{head}");
    Ok(Exit::Success)
}

/// The `--since` date, and the store after checking that a SQLite file is there: opening a
/// SQLite store creates it, and reading from a file that is not there would write an empty
/// database and report no records.
fn open(db: &str, since: Option<String>) -> Result<(tokio::runtime::Runtime, Option<export_controls::Date>), Failure> {
    let since = match since {
        Some(s) => Some(date_flag(Some(&s), "since")?),
        None => None,
    };
    if !(db.starts_with("postgres://") || db.starts_with("postgresql://")) {
        let path = db.strip_prefix("sqlite:").unwrap_or(db);
        match std::fs::metadata(path) {
            Ok(m) if m.is_file() => {}
            Ok(_) => {
                return Err(input(format!(
                    "{path}: not a regular file (a directory, device, FIFO or socket); a record store is a SQLite file (give --db, as for `serve --db`)"
                )));
            }
            Err(_) => return Err(input(format!("{path}: no such record store (give --db, as for `serve --db`)"))),
        }
    }
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(input)?;
    Ok((rt, since))
}

fn export(db: &str, since: Option<String>, catalog: &CatalogArgs) -> Result<Exit, Failure> {
    let catalog = catalog.load()?;
    let (rt, since) = open(db, since)?;
    let mut out = Stdout { closed: false };
    let written = rt.block_on(async {
        let store = records::open(db).await?;
        records::export_checked(store.as_ref(), since, &catalog, &mut out).await
    });
    match written {
        Ok(summary) => {
            eprintln!("{} record(s)", summary.written);
            if !summary.unchecked.is_empty() {
                let ids: Vec<String> = summary.unchecked.iter().map(i64::to_string).collect();
                eprintln!(
                    "warning[{}]: {} record(s) made by another engine whose request this engine's checks refuse (a check added since; written with `disagreements`, not shown altered; replay them with the binary that made them): {}",
                    check::REFUSED_TODAY,
                    ids.len(),
                    ids.join(", ")
                );
            }
            if summary.flagged.is_empty() {
                return Ok(Exit::Success);
            }
            let ids: Vec<String> = summary.flagged.iter().map(i64::to_string).collect();
            eprintln!(
                "error[{}]: {} record(s) whose columns or request disagree with their determination (written with `disagreements`): {}",
                check::CODE,
                ids.len(),
                ids.join(", ")
            );
            Ok(Exit::Failed)
        }
        // A reader that closed the pipe early (`| head`) is not an error.
        Err(_) if out.closed => Ok(Exit::Success),
        Err(e) => Err(input(e)),
    }
}

fn verify(
    db: &str,
    since: Option<String>,
    rules: &RulesArgs,
    catalog: &CatalogArgs,
    head: Option<String>,
) -> Result<Exit, Failure> {
    let head = match head {
        Some(h) => Some(h.parse::<Head>().map_err(|e| usage(format!("--head: {e}")))?),
        None => None,
    };
    let rules = rules.load_for_replay()?;
    let catalog = catalog.load()?;
    let (rt, since) = open(db, since)?;
    let report = rt
        .block_on(async {
            let store = records::open(db).await?;
            records::verify::verify(store.as_ref(), since, head, &rules, &catalog).await
        })
        .map_err(input)?;
    println!("{report}");
    eprintln!("{}", report.chain_summary());
    Ok(Exit::passed(report.passed()))
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
