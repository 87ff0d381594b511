//! `import-csl`: Entity List entries from a trade.gov Consolidated Screening List file.

use std::path::PathBuf;

use clap::Args;
use export_controls::csl;
use export_controls::files::{FileKind, read_file};

use super::exit::{Exit, Failure, input, usage};

#[derive(Args)]
pub struct ImportCslArgs {
    /// The CSL file (consolidated.json or consolidated.csv).
    file: PathBuf,
    /// The date of the list in the file (YYYY-MM-DD, e.g. the day it was downloaded), when the
    /// file does not give it (a CSV, a bare JSON array). Without a date the list is not declared
    /// complete, and screening against it clears no one.
    #[arg(long, value_name = "DATE")]
    as_of: Option<String>,
}

/// Writes the entries to standard output and the counts to standard error. Exits with an input
/// error (3), after writing what it could (declared incomplete), when a record could not be
/// read or the file holds no Entity List record.
pub fn run(args: ImportCslArgs, out: &mut String) -> Result<Exit, Failure> {
    let file = args.file;
    let src = read_file(&file, FileKind::Csl)?;
    let mut import =
        csl::parse(&src.text, csl::detect_format(&src.text)).map_err(|e| input(format!("{}: {e}", file.display())))?;
    if let Some(d) = &args.as_of {
        let date: export_controls::Date = d.parse().map_err(|e| usage(format!("--as-of `{d}`: {e}")))?;
        import.list_date = Some(date.to_string());
    }
    // A list dated after today has not been published: declared complete, it would clear
    // parties of exports before its date that it cannot speak for (15 CFR 744.11).
    let today = export_controls::Date::today_utc();
    if let Some(d) = import.list_date.as_deref().and_then(|d| d.parse::<export_controls::Date>().ok())
        && d > today
    {
        return Err(input(format!(
            "{}: the list is dated {d}, after today ({today}): give the date the list was published or downloaded (--as-of)",
            file.display()
        )));
    }
    for r in &import.rejected {
        eprintln!("could not read: {r}");
    }
    let undated = import.undated();
    let complete = import.is_complete();
    eprintln!(
        "import-csl: {} Entity List entries ({undated} without a usable start date, taken as listed from the start); {} records of other lists skipped; {} records could not be read; list dated {}; {}",
        import.entries.len(),
        import.skipped_other_sources,
        import.rejected.len(),
        import.list_date.as_deref().unwrap_or("unknown (give --as-of)"),
        if complete { "declared complete" } else { "not declared complete" },
    );
    for why in import.why_incomplete() {
        eprintln!("import-csl: not complete: {why}");
    }
    if import.entries.is_empty() {
        return Err(input(format!("{}: no Entity List record in the file", file.display())));
    }
    let name = file.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    outp!(out, "{}", csl::to_toml(&import, &name));
    if !import.rejected.is_empty() {
        return Err(input(format!(
            "{}: {} record(s) could not be read (listed above); the list written is not declared complete",
            file.display(),
            import.rejected.len()
        )));
    }
    Ok(Exit::Success)
}
