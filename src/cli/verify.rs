//! `verify`: a pack against its rules.lock.

use std::path::PathBuf;

use clap::Args;
use export_controls::audit::Lock;

use super::args::load_rules;
use super::exit::{Exit, Failure, input};

#[derive(Args)]
pub struct VerifyArgs {
    /// Rule pack directory.
    #[arg(default_value = "rules/us-ear")]
    dir: PathBuf,
}

pub fn run(args: VerifyArgs, out: &mut String) -> Result<Exit, Failure> {
    let dir = args.dir;
    let rules = load_rules(Some(&dir))?;
    let path = dir.join("rules.lock");
    let text = std::fs::read_to_string(&path).map_err(|e| {
        input(format!("{}: {e}; run `export-controls lock {}` after review", path.display(), dir.display()))
    })?;
    let lock: Lock = toml::from_str(&text).map_err(|e| input(format!("{}: {}", path.display(), e.message())))?;
    let diffs = lock.differences(&rules);
    if diffs.is_empty() {
        outln!(
            out,
            "{} {} matches {} (sha256 {})",
            rules.pack().name,
            rules.pack().version,
            path.display(),
            rules.pack().sha256
        );
        return Ok(Exit::Success);
    }
    outln!(out, "{} differs from {}:", dir.display(), path.display());
    for d in diffs {
        outln!(out, "  {d}");
    }
    outln!(out, "review the change, then run `export-controls lock {}` and commit rules.lock", dir.display());
    Ok(Exit::Failed)
}
