//! `replay`: re-evaluate a recorded determination and compare.

use std::path::PathBuf;

use clap::Args;
use export_controls::audit::{ReplayError, replay};

use super::args::RulesArgs;
use super::exit::{Exit, Failure, input};

#[derive(Args)]
pub struct ReplayArgs {
    /// The determination JSON file.
    file: PathBuf,
    #[command(flatten)]
    rules: RulesArgs,
}

pub fn run(args: ReplayArgs, out: &mut String) -> Result<Exit, Failure> {
    let file = args.file;
    let rules = args.rules.load()?;
    let text = std::fs::read_to_string(&file).map_err(|e| input(format!("{}: {e}", file.display())))?;
    match replay(&text, &rules) {
        Ok(()) => {
            outln!(
                out,
                "replayed {}: identical (pack {} sha256 {})",
                file.display(),
                rules.pack().name,
                rules.pack().sha256
            );
            Ok(Exit::Success)
        }
        Err(e @ ReplayError::Differs { .. }) => {
            outln!(out, "replayed {}: {e}", file.display());
            Ok(Exit::Failed)
        }
        Err(e) => Err(input(format!("{}: {e}", file.display()))),
    }
}
