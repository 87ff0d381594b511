//! `lock`: write a pack's rules.lock after review.

use std::path::PathBuf;

use clap::Args;
use export_controls::audit::Lock;

use super::args::load_rules;
use super::exit::{Exit, Failure, input};

#[derive(Args)]
pub struct LockArgs {
    /// Rule pack directory.
    #[arg(default_value = "rules/us-ear")]
    dir: PathBuf,
}

pub fn run(args: LockArgs, out: &mut String) -> Result<Exit, Failure> {
    let dir = args.dir;
    let rules = load_rules(Some(&dir))?;
    let lock = Lock::of(&rules);
    let path = dir.join("rules.lock");
    std::fs::write(&path, lock.to_toml()).map_err(|e| input(format!("{}: {e}", path.display())))?;
    outln!(out, "wrote {} ({} {} sha256 {})", path.display(), lock.pack, lock.version, lock.sha256);
    Ok(Exit::Success)
}
