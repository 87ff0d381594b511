//! `import-csl`: Entity List entries from a trade.gov Consolidated Screening List file.

use std::path::PathBuf;

use clap::Args;
use export_controls::csl;
use export_controls::files::{FileKind, read_file};

use super::exit::{Exit, Failure, input};

#[derive(Args)]
pub struct ImportCslArgs {
    /// The CSL file (consolidated.json or consolidated.csv).
    file: PathBuf,
}

pub fn run(args: ImportCslArgs, out: &mut String) -> Result<Exit, Failure> {
    let file = args.file;
    let src = read_file(&file, FileKind::Csl)?;
    let import =
        csl::parse(&src.text, csl::detect_format(&src.text)).map_err(|e| input(format!("{}: {e}", file.display())))?;
    for r in &import.rejected {
        eprintln!("skipped: {r}");
    }
    let name = file.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    outp!(out, "{}", csl::to_toml(&import, &name));
    Ok(Exit::Success)
}
