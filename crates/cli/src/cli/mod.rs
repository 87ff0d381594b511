//! The subcommands, one module each, with the argument groups they share (`args`) and the exit
//! codes (`exit`). Each subcommand parses its arguments, asks the library and prints: `run`
//! appends to the output buffer and returns the exit code or a [`Failure`].

/// Appends a line to the output buffer.
macro_rules! outln {
    ($out:expr, $($arg:tt)*) => {{
        use std::fmt::Write as _;
        let _ = writeln!($out, $($arg)*);
    }};
}

/// Appends text to the output buffer.
macro_rules! outp {
    ($out:expr, $($arg:tt)*) => {{
        use std::fmt::Write as _;
        let _ = write!($out, $($arg)*);
    }};
}

mod args;
mod check;
mod classify;
mod exit;
mod impact;
mod import_csl;
mod lint;
mod lock;
mod plot;
mod products;
mod records;
mod replay;
mod screen;
mod serve;
mod test;
mod verify;

use clap::{Parser, Subcommand, ValueEnum};

pub use exit::{Exit, Failure, finish};

#[derive(Parser)]
#[command(
    name = "export-controls",
    version,
    about = "US export-control (EAR advanced computing) determinations from dated, cited TOML rules"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    /// How errors in rule files, sheets and arguments are printed on standard error.
    #[arg(long, global = true, value_enum, default_value = "human")]
    pub error_format: ErrorFormat,
}

/// How failures are printed on standard error.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ErrorFormat {
    // `error: ...`, or located diagnostics with the line and an underline.
    Human,
    // One JSON object: exit code, message and diagnostics.
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Determine whether exporting a product to a destination on a date needs a licence.
    Check(check::CheckArgs),
    /// Classify a product (ECCN paragraphs) on a date, whatever the destination.
    Classify(classify::ClassifyArgs),
    /// List the product catalog with TPP and performance density.
    Products(products::ProductsArgs),
    /// List every product × destination (× party profile) whose determination differs between
    /// two dates, or between two rule packs, with the rules that changed it, for an exporter
    /// that is not a front-end fabricator or OSAT (Note 1 to 3A090.a binds those: 90 FR 5298).
    Impact(impact::ImpactArgs),
    /// Screen products × destinations on a date on the fast path (direct exports from the
    /// United States, destination rules only, no parties): one row per product and destination
    /// with the verdict, the paragraphs that classify the product and the licence requirements
    /// that apply. `check` explains any row, and decides reexports and in-country transfers
    /// (`--from`).
    Screen(screen::ScreenArgs),
    /// Convert a trade.gov Consolidated Screening List file (JSON or CSV) into Entity List
    /// entries for a rule pack (`[[list_entry]]` TOML), written to standard output.
    ImportCsl(import_csl::ImportCslArgs),
    /// Check a rule pack for likely mistakes (band gaps, impossible conditions, duplicate
    /// paragraphs, dates before publication, unused groups). Exit 1 on errors, 3 if the pack
    /// does not load.
    Lint(lint::LintArgs),
    /// Write DIR/rules.lock: the pack's content hash and each file's sha256 (refused for a
    /// pack with lint errors).
    Lock(lock::LockArgs),
    /// Check a pack against its DIR/rules.lock; exit 1 when a rule file changed since it was
    /// locked (an unreviewed change).
    Verify(verify::VerifyArgs),
    /// Re-evaluate a determination (JSON from `check --format json`) with the pack that made it
    /// and check every value is the same. Exit 1 when it differs, naming the first difference.
    Replay(replay::ReplayArgs),
    /// Run the rule tests of a pack (DIR/tests/*.toml); ends with `N passed, M failed`.
    Test(test::TestArgs),
    /// Serve the HTTP API (/v1/..., /openapi.json) and the page at `/`, recording every
    /// determination (15 CFR 762) before answering it. Prints `listening on http://ADDR` when
    /// ready; SIGHUP reloads the pack (refused, the old one kept, unless it matches rules.lock).
    Serve(serve::ServeArgs),
    /// The determination records that `serve` keeps.
    Records(records::RecordsArgs),
    /// Draw the TPP × performance-density plane as SVG: the 3A090.a/.b bands in force on a
    /// date, the catalog's chips, a product highlighted.
    Plot(plot::PlotArgs),
}

impl Cli {
    /// Runs the subcommand, appending its output to `out`.
    pub fn run(self, out: &mut String) -> Result<Exit, Failure> {
        match self.command {
            Command::Check(args) => check::run(args, out),
            Command::Classify(args) => classify::run(args, out),
            Command::Products(args) => products::run(args, out),
            Command::Impact(args) => impact::run(args, out),
            Command::Screen(args) => screen::run(args, out),
            Command::ImportCsl(args) => import_csl::run(args, out),
            Command::Lint(args) => lint::run(args, out),
            Command::Lock(args) => lock::run(args, out),
            Command::Verify(args) => verify::run(args, out),
            Command::Replay(args) => replay::run(args, out),
            Command::Test(args) => test::run(args, out),
            // These two write as they go (a server's first line, records a page at a time).
            Command::Serve(args) => serve::run(args),
            Command::Records(args) => records::run(args),
            Command::Plot(args) => plot::run(args, out),
        }
    }
}

/// Pretty-printed JSON.
fn json(value: &impl serde::Serialize) -> Result<String, Failure> {
    serde_json::to_string_pretty(value).map_err(exit::input)
}
