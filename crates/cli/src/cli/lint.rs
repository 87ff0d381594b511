//! `lint`: likely mistakes in a rule pack.

use clap::Args;
use export_controls::lint;

use super::args::{Format, FormatArgs, PackDirArgs, load_rules};
use super::exit::{Exit, Failure};
use super::json;

#[derive(Args)]
pub struct LintArgs {
    #[command(flatten)]
    pack: PackDirArgs,
    #[command(flatten)]
    format: FormatArgs,
}

pub fn run(args: LintArgs, out: &mut String) -> Result<Exit, Failure> {
    let rules = load_rules(Some(&args.pack.dir))?;
    // Findings name their files from the working directory, as the loader's errors do.
    let findings = lint::lint_dir(&rules, &args.pack.dir);
    match args.format.format {
        Format::Json => outln!(out, "{}", json(&findings)?),
        Format::Text => outp!(out, "{}", lint::render(&findings)),
    }
    Ok(Exit::passed(!findings.iter().any(|f| f.severity == lint::Severity::Error)))
}
