//! `lock`: write a pack's rules.lock after review, for a pack that loads and lints without
//! errors.

use clap::Args;
use export_controls::audit::{LOCK_FILE, Lock};
use export_controls::files::display_path;
use export_controls::{RuleSet, lint};

use super::args::{PackDirArgs, check_pack_dir};
use super::exit::{Exit, Failure, input};

#[derive(Args)]
pub struct LockArgs {
    #[command(flatten)]
    pack: PackDirArgs,
}

pub fn run(args: LockArgs, out: &mut String) -> Result<Exit, Failure> {
    let dir = args.pack.dir;
    check_pack_dir(&dir)?;
    // A pack that does not load, or that `lint` finds errors in, is not releasable: it is not
    // locked. Warnings are the author's to judge, and do not stop it.
    let findings = lint::lint_dir(&RuleSet::load_dir(&dir)?, &dir);
    if findings.iter().any(|f| f.severity == lint::Severity::Error) {
        outln!(out, "not locked: `export-controls lint` finds errors in {}:\n", display_path(&dir));
        outp!(out, "{}", lint::render(&findings));
        outln!(out, "correct them (a pack with lint errors is not releasable), then run `export-controls lock` again");
        return Ok(Exit::Failed);
    }
    let (_, lock) = Lock::of_dir(&dir)?;
    let path = dir.join(LOCK_FILE);
    let shown = display_path(&path);
    if let Some(old) = Lock::read(&dir)?
        && !old.same_content(&lock)
        && old.version == lock.version
    {
        outln!(
            out,
            "not locked: the content of {} changed since {shown}, but its version did not:",
            display_path(&dir)
        );
        for d in old.differences(&lock) {
            outln!(out, "  {d}");
        }
        outln!(
            out,
            "raise `version` in pack.toml (a changed pack is a new version), then run `export-controls lock` again"
        );
        return Ok(Exit::Failed);
    }
    // A first lock (or a new one) under the shipped pack's name and version with other rules
    // would make the copy pass for the shipped pack (tester round 6, S3).
    if let Some(why) = lock.impersonates_shipped() {
        outln!(out, "not locked: {}: {why}", display_path(&dir));
        return Ok(Exit::Failed);
    }
    std::fs::write(&path, lock.to_toml()).map_err(|e| input(format!("{shown}: {e}")))?;
    outln!(out, "wrote {shown} ({} {} sha256 {}, {} files)", lock.pack, lock.version, lock.sha256, lock.files.len());
    Ok(Exit::Success)
}
