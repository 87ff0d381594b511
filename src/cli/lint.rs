//! `lint`: likely mistakes in a rule pack.

use std::path::PathBuf;

use clap::Args;
use export_controls::lint;

use super::args::{Format, FormatArgs, load_rules};
use super::exit::{Exit, Failure};
use super::json;

#[derive(Args)]
pub struct LintArgs {
    /// Rule pack directory. Default: the shipped pack.
    dir: Option<PathBuf>,
    #[command(flatten)]
    format: FormatArgs,
}

pub fn run(args: LintArgs, out: &mut String) -> Result<Exit, Failure> {
    let rules = load_rules(args.dir.as_deref())?;
    let findings = lint::lint(&rules);
    match args.format.format {
        Format::Json => outln!(out, "{}", json(&findings)?),
        Format::Text => outp!(out, "{}", lint::render(&findings)),
    }
    Ok(Exit::passed(!findings.iter().any(|f| f.severity == lint::Severity::Error)))
}
