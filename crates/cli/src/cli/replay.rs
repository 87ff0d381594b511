//! `replay`: re-evaluate a recorded determination and compare.

use std::path::PathBuf;

use clap::Args;
use export_controls::audit::{ReplayError, replay_file};
use export_controls::files::{FileKind, read_file};

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
    let rules = args.rules.load()?;
    let src = read_file(&args.file, FileKind::Determination)?;
    match replay_file(&src, &rules) {
        Ok(()) => {
            outln!(out, "replayed {}: identical (pack {} sha256 {})", src.path, rules.pack().name, rules.pack().sha256);
            Ok(Exit::Success)
        }
        Err(e @ ReplayError::Differs { .. }) => {
            outln!(out, "replayed {}: {e}", src.path);
            Ok(Exit::Failed)
        }
        Err(ReplayError::Invalid(d)) => Err(d.into()),
        Err(e) => Err(input(format!("{}: {e}", src.path))),
    }
}
