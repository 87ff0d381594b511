//! `replay`: re-evaluate a recorded determination and compare. The file is a determination as
//! `check --format json` writes it, or one line of `records export` (a stored record): then
//! the record's columns and request are compared with its determination too (E0605).

use std::path::PathBuf;

use clap::Args;
use export_controls::audit::{ReplayError, replay_file_with};
use export_controls::diagnostic::SourceFile;
use export_controls::files::{FileKind, read_file};
use export_controls_service::records::{NewRecord, check};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::args::{CatalogArgs, RulesArgs};
use super::exit::{Exit, Failure, input};

#[derive(Args)]
pub struct ReplayArgs {
    /// The determination JSON file, or a file holding one line of `records export` (a stored
    /// record, whose columns and request are then checked against its determination).
    file: PathBuf,
    #[command(flatten)]
    rules: RulesArgs,
    /// The catalog a recorded product with a catalog id must match (E0604). Default: the
    /// shipped catalog.
    #[command(flatten)]
    catalog: CatalogArgs,
}

/// One line of `records export`, its request and determination kept as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RecordLine<'a> {
    id: i64,
    recorded_at: String,
    rules: PackLine,
    as_of: String,
    product: String,
    destination: String,
    verdict: String,
    #[serde(borrow)]
    request: &'a RawValue,
    #[serde(borrow)]
    determination: &'a RawValue,
    /// What the export found (checked again here, not trusted).
    #[serde(default, rename = "disagreements")]
    _disagreements: serde::de::IgnoredAny,
    /// The hash chain's values: the chain is checked against the store (`records verify`),
    /// not from one line (whose determination is written here as parsed JSON, not the bytes
    /// stored).
    #[serde(default, rename = "prev_hash")]
    _prev_hash: serde::de::IgnoredAny,
    #[serde(default, rename = "hash")]
    _hash: serde::de::IgnoredAny,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PackLine {
    name: String,
    version: String,
    sha256: String,
}

/// The text a record line holds for a value: a JSON string's content (the export writes a
/// column that is not JSON as a string), otherwise the JSON as written.
fn raw_text(v: &RawValue) -> String {
    serde_json::from_str::<String>(v.get()).unwrap_or_else(|_| v.get().to_string())
}

pub fn run(args: ReplayArgs, out: &mut String) -> Result<Exit, Failure> {
    let rules = args.rules.load()?;
    let catalog = args.catalog.load()?;
    let file = read_file(&args.file, FileKind::Determination)?;
    let mut disagreements = Vec::new();
    let src = match serde_json::from_str::<RecordLine>(file.text.trim_end()) {
        Ok(line) => {
            let determination = raw_text(line.determination);
            let record = NewRecord {
                recorded_at: line.recorded_at,
                as_of: line.as_of,
                product: line.product,
                destination: line.destination,
                verdict: line.verdict,
                pack_name: line.rules.name,
                pack_version: line.rules.version,
                pack_sha256: line.rules.sha256,
                request: raw_text(line.request),
                determination: determination.as_str().into(),
            };
            disagreements = check::disagreements(&record, &catalog)
                .into_iter()
                .map(|d| format!("record {}: error[{}]: `{}`: {}", line.id, check::CODE, d.column, d.message))
                .collect();
            SourceFile::new(format!("{} (record {}, determination)", file.path, line.id), determination)
        }
        Err(_) => file,
    };
    for d in &disagreements {
        outln!(out, "{d}");
    }
    match replay_file_with(&src, &rules, &catalog) {
        Ok(()) if disagreements.is_empty() => {
            outln!(out, "replayed {}: identical (pack {} sha256 {})", src.path, rules.pack().name, rules.pack().sha256);
            Ok(Exit::Success)
        }
        Ok(()) => {
            outln!(
                out,
                "replayed {}: the determination is identical, but the record disagrees with it ({} disagreement(s))",
                src.path,
                disagreements.len()
            );
            Ok(Exit::Failed)
        }
        Err(e @ ReplayError::Differs { .. }) => {
            outln!(out, "replayed {}: {e}", src.path);
            Ok(Exit::Failed)
        }
        Err(ReplayError::Invalid(d)) => Err(d.into()),
        Err(e) => Err(input(format!("{}: {e}", src.path))),
    }
}
