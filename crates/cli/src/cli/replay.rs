//! `replay`: re-evaluate a recorded determination and compare.

use std::path::PathBuf;

use clap::Args;
use export_controls::audit::{ReplayError, replay_file_with};
use export_controls::files::{FileKind, read_file};

use super::args::{CatalogArgs, RulesArgs};
use super::exit::{Exit, Failure, input};

#[derive(Args)]
pub struct ReplayArgs {
    /// The determination JSON file.
    file: PathBuf,
    #[command(flatten)]
    rules: RulesArgs,
    /// The catalog a recorded product with a catalog id must match (E0604). Default: the
    /// shipped catalog.
    #[command(flatten)]
    catalog: CatalogArgs,
}

pub fn run(args: ReplayArgs, out: &mut String) -> Result<Exit, Failure> {
    let rules = args.rules.load()?;
    let catalog = args.catalog.load()?;
    let src = read_file(&args.file, FileKind::Determination)?;
    match replay_file_with(&src, &rules, &catalog) {
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
