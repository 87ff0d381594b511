//! `verify`: a pack against its rules.lock.

use clap::Args;
use export_controls::audit::{LOCK_FILE, Lock};
use export_controls::files::display_path;

use super::args::{PackDirArgs, check_pack_dir};
use super::exit::{Exit, Failure, input};

#[derive(Args)]
pub struct VerifyArgs {
    #[command(flatten)]
    pack: PackDirArgs,
}

pub fn run(args: VerifyArgs, out: &mut String) -> Result<Exit, Failure> {
    let dir = args.pack.dir;
    check_pack_dir(&dir)?;
    let (rules, now) = Lock::of_dir(&dir)?;
    let (shown_dir, path) = (display_path(&dir), display_path(&dir.join(LOCK_FILE)));
    let Some(lock) = Lock::read(&dir)? else {
        return Err(input(format!("{path}: no such file; run `export-controls lock {shown_dir}` after review")));
    };
    let mut diffs = lock.differences(&now);
    diffs.extend(now.impersonates_shipped());
    if diffs.is_empty() {
        outln!(
            out,
            "{} {} matches {path} (sha256 {}, {} files)",
            rules.pack().name,
            rules.pack().version,
            rules.pack().sha256,
            now.files.len()
        );
        return Ok(Exit::Success);
    }
    outln!(out, "{shown_dir} differs from {path}:");
    for d in diffs {
        outln!(out, "  {d}");
    }
    outln!(
        out,
        "review the change, raise `version` in pack.toml if the content changed, then run `export-controls lock {shown_dir}` and commit rules.lock"
    );
    Ok(Exit::Failed)
}
