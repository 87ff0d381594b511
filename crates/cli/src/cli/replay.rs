//! `replay`: re-evaluate a recorded determination and compare. The file is a determination as
//! `check --format json` writes it, or one line of `records export` (a stored record): then
//! the record's columns and request are compared with its determination too (E0605), and a
//! difference is told apart by the engine that made the record: under another engine (another
//! build, or one the record does not name) it may be the engine's (E0608, exit 4), under the
//! same engine it is the record's (exit 1). A determination of `check --format json` names no
//! engine: the replay says so and names the engine that replayed it; a difference is reported
//! as the record's (exit 1), with a note that another build may have made it. A record that
//! carries the catalog sheets it was decided on (`catalog_sheets`) is replayed on them; each
//! that the catalog given holds otherwise is a warning (E0609), not a failure.

use std::path::PathBuf;

use clap::Args;
use export_controls::Engine;
use export_controls::audit::{ReplayError, replay_file_with};
use export_controls::catalog::Catalog;
use export_controls::diagnostic::SourceFile;
use export_controls::files::{FileKind, read_file};
use export_controls::ruleset::RuleSet;
use export_controls_service::records::engine::{self, RecordEngine};
use export_controls_service::records::{self, NewRecord, check, line, sheets};
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
    /// The engine that made it; absent from lines exported before records named their engine.
    #[serde(default, borrow)]
    engine: Option<&'a RawValue>,
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
    /// The hash chain's values: the line's own `hash` is checked from them and `hashed`
    /// (E0610); the chain across records against the store (`records verify`).
    #[serde(default)]
    prev_hash: Option<String>,
    #[serde(default)]
    hash: Option<String>,
    /// What the hash covers that the line holds in another form; absent from lines exported
    /// before lines carried it (their hash is then not checked here).
    #[serde(default)]
    hashed: Option<line::Hashed>,
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

/// The engine a record names, as far as the file tells it.
enum MadeBy {
    /// A determination of `check --format json`: it names none.
    NotARecord,
    /// A line of `records export` made before records named their engine, without `engine`.
    NotNamed,
    /// A record's `engine`, well formed.
    Named(RecordEngine),
    /// A record's `engine` that is malformed (a disagreement of the record, E0605).
    Malformed,
}

impl MadeBy {
    /// The line of the report saying who made the record and who replayed it, when not this
    /// engine.
    fn other_engine(&self) -> Option<String> {
        match self {
            MadeBy::Named(e) => engine::other_engine_note(e),
            MadeBy::NotNamed => Some(format!(
                "error[{}]: the record line names no engine (exported before records named their engine); it was replayed by {}: the difference may be the engine's, not the record's; replay it with the binary that made it to tell",
                engine::OTHER_ENGINE,
                Engine::current()
            )),
            MadeBy::NotARecord | MadeBy::Malformed => None,
        }
    }
}

pub fn run(args: ReplayArgs, out: &mut String) -> Result<Exit, Failure> {
    let rules = args.rules.load_for_replay()?;
    let catalog = args.catalog.load()?;
    let file = read_file(&args.file, FileKind::Determination)?;
    let read = match serde_json::from_str::<RecordLine>(file.text.trim_end()) {
        Ok(line) => Read::record_line(line, &file.path, &catalog, out),
        Err(_) => Read::determination(file),
    };
    for d in &read.disagreements {
        outln!(out, "{d}");
    }
    // A record is replayed on the catalog sheets it carries; each that today's catalog holds
    // otherwise is said apart (E0609), never as an alteration of the record.
    let day = sheets::day(read.request.as_deref().unwrap_or("{}"), &catalog);
    for c in &day.changed {
        outln!(out, "{c}");
    }
    // A sheet of the day that this engine refuses: not replayable here, not altered (E0612).
    if let Some(r) = &day.refused {
        outln!(out, "{r}");
        return Ok(match read.made_by.other_engine() {
            Some(note) if read.disagreements.is_empty() => {
                outln!(out, "{note}");
                Exit::OtherEngine
            }
            _ => Exit::Failed,
        });
    }
    let replayed = replay_file_with(&read.src, &rules, &day.catalog);
    read.outcome(replayed, &rules, out)
}

/// A file to replay, read: the determination, and what a record line says of itself.
struct Read {
    /// The determination to replay (a record line's, named after the line).
    src: SourceFile,
    /// The record's disagreements with its own determination and hash, as lines of the report.
    disagreements: Vec<String>,
    /// The engine the record names.
    made_by: MadeBy,
    /// The catalog sheets a record carries (the sheets of the day), as a request column holds them.
    request: Option<String>,
    /// A record line whose hash cannot be checked here (exported before lines carried `hashed`).
    unverified: bool,
}

impl Read {
    /// A determination of `check --format json`: no record, nothing but the determination.
    fn determination(src: SourceFile) -> Read {
        Read { src, disagreements: Vec::new(), made_by: MadeBy::NotARecord, request: None, unverified: false }
    }

    /// A line of `records export` read from the file at `path`: its columns and request
    /// checked against its determination (E0605) and its hash against what it covers (E0610).
    fn record_line(line: RecordLine<'_>, path: &str, catalog: &Catalog, out: &mut String) -> Read {
        let determination = raw_text(line.determination);
        // The pack it names, when made after lines carried `hashed`.
        let pack_after = pack_after_hashed(&line.rules).then(|| format!("{} {}", line.rules.name, line.rules.version));
        let made_by = match line.engine {
            None => MadeBy::NotNamed,
            Some(e) => RecordEngine::parse(e.get()).map_or(MadeBy::Malformed, MadeBy::Named),
        };
        let request = raw_text(line.request);
        let record = NewRecord {
            recorded_at: line.recorded_at,
            as_of: line.as_of,
            product: line.product,
            destination: line.destination,
            verdict: line.verdict,
            pack_name: line.rules.name,
            pack_version: line.rules.version,
            pack_sha256: line.rules.sha256,
            request: request.clone(),
            determination: determination.as_str().into(),
            engine: line.engine.map_or_else(String::new, |e| e.get().to_string()),
        };
        let mut disagreements: Vec<String> = check::disagreements(&record, catalog)
            .into_iter()
            // A line without `engine` was exported before records named theirs.
            .filter(|d| line.engine.is_some() || d.column != "engine")
            .map(|d| format!("record {}: error[{}]: `{}`: {}", line.id, d.code, d.column, d.message))
            .collect();
        let l = records::line::Line {
            id: line.id,
            prev_hash: line.prev_hash.as_deref().unwrap_or_default(),
            hash: line.hash.as_deref().unwrap_or_default(),
            record: &record,
            request_json: line.request.get(),
            determination_json: line.determination.get(),
            engine_json: line.engine.map(RawValue::get),
        };
        let checked = line_altered(&l, line.hashed.as_ref(), pack_after.as_deref(), out);
        let unverified = checked.is_none();
        disagreements.extend(checked.unwrap_or_default());
        let src = SourceFile::new(format!("{path} (record {}, determination)", line.id), determination);
        Read { src, disagreements, made_by, request: Some(request), unverified }
    }

    /// The report and exit of a replay that ran (`replayed`): identical (exit 0), identical but
    /// unverified (a line whose hash cannot be checked: never exit 0), identical but the record
    /// disagreeing with itself, or different (by the engine that made it: [`differs`]).
    fn outcome(&self, replayed: Result<(), ReplayError>, rules: &RuleSet, out: &mut String) -> Result<Exit, Failure> {
        let (src, agrees) = (&self.src, self.disagreements.is_empty());
        match replayed {
            Ok(()) if agrees && self.unverified => {
                // Never "identical" with exit 0: the line may have been altered consistently.
                outln!(
                    out,
                    "replayed {}: UNVERIFIED: the determination replays the same (pack {} sha256 {}), but the line's hash cannot be checked here, so the line may have been altered; run `records verify --head ID:HASH` on the store",
                    src.path,
                    rules.pack().name,
                    rules.pack().sha256
                );
                Ok(Exit::Unverified)
            }
            Ok(()) if agrees => {
                outln!(
                    out,
                    "replayed {}: identical (pack {} sha256 {})",
                    src.path,
                    rules.pack().name,
                    rules.pack().sha256
                );
                match &self.made_by {
                    MadeBy::Named(e) if !e.is_current() => {
                        outln!(out, "made by {e}; replayed by {}", Engine::current())
                    }
                    MadeBy::NotARecord => outln!(out, "{}", no_engine_named()),
                    _ => {}
                }
                Ok(Exit::Success)
            }
            Ok(()) => {
                outln!(
                    out,
                    "replayed {}: the determination is identical, but the record disagrees with it ({} disagreement(s))",
                    src.path,
                    self.disagreements.len()
                );
                Ok(Exit::Failed)
            }
            Err(e @ ReplayError::Differs { .. }) => {
                outln!(out, "replayed {}: {e}", src.path);
                Ok(differs(&self.made_by, agrees, out))
            }
            Err(ReplayError::Invalid(d)) => Err(d.into()),
            Err(e) => Err(input(format!("{}: {e}", src.path))),
        }
    }
}

/// The last version of the pack `us-ear` released before record lines carried `hashed` (commit
/// 46e99c0): a record made with a later version was exported by an engine that writes `hashed`.
const LAST_PACK_BEFORE_HASHED: (&str, [u64; 3]) = ("us-ear", [0, 1, 27]);

/// Whether a record made with `pack` was made after record lines carried `hashed`.
fn pack_after_hashed(pack: &PackLine) -> bool {
    let parts: Vec<Option<u64>> = pack.version.split('.').map(|p| p.parse().ok()).collect();
    let version: Option<Vec<u64>> = parts.into_iter().collect();
    let (name, last) = LAST_PACK_BEFORE_HASHED;
    pack.name == name && version.is_some_and(|v| v.as_slice() > last.as_slice())
}

/// The fields of a record line that are not what its `hash` covers (E0610), as lines of the
/// report; `None` for a line whose hash cannot be checked here (one exported before lines
/// carried `hashed`, `prev_hash` and `hash`), with a note on `out`. A line with `prev_hash` and
/// `hash` but without `hashed`, of a pack made before lines carried `hashed` (us-ear 0.1.17 to
/// 0.1.27), is checked as that era's store hashed it ([`records::line::before_hashed`]; 15 CFR
/// 762.6). A line without `hashed` that carries only one of `prev_hash` and `hash`, or names a
/// pack made after lines carried `hashed` (`pack_after`: its name and version), and a line
/// with `hashed` but without `prev_hash` or `hash`, had a key deleted: altered (E0610; tester
/// round 9, U6: deleting `hashed` switched the check off).
fn line_altered(
    line: &records::line::Line<'_>,
    hashed: Option<&line::Hashed>,
    pack_after: Option<&str>,
    out: &mut String,
) -> Option<Vec<String>> {
    let chained = !line.prev_hash.is_empty() || !line.hash.is_empty();
    let altered = |field: &str, message: String| {
        vec![format!("record {}: error[{}]: `{field}`: {message}", line.id, line::ALTERED)]
    };
    match hashed {
        Some(_) if line.prev_hash.is_empty() || line.hash.is_empty() => Some(altered(
            if line.hash.is_empty() { "hash" } else { "prev_hash" },
            "the line carries `hashed` but not both `prev_hash` and `hash`, which every line that carries `hashed` holds: a key was deleted".into(),
        )),
        Some(hashed) => {
            Some(records::line::check(line, hashed).into_iter().map(|a| format!("record {}: {a}", line.id)).collect())
        }
        // Exported before lines carried `hashed`: checked as that era's store hashed it.
        None if pack_after.is_none() && !line.prev_hash.is_empty() && !line.hash.is_empty() => Some(
            records::line::before_hashed::check(line)
                .into_iter()
                .map(|a| format!("record {}: {a}", line.id))
                .collect(),
        ),
        None if chained || pack_after.is_some() => {
            let why = match pack_after {
                Some(pack) if !chained => format!("the line names pack {pack}, made after lines carried `hashed`,"),
                Some(_) => "the line carries `prev_hash` or `hash`".to_string(),
                None => "the line carries one of `prev_hash` and `hash` (every line exported with either holds both)".to_string(),
            };
            Some(altered("hashed", format!("{why} but no `hashed`, which every line exported since carries: a key was deleted, and what the hash covers cannot be checked")))
        }
        None => {
            outln!(
                out,
                "note: record {}: the line carries no `hashed`, `prev_hash` and `hash` (exported before lines carried what their hash covers): its hash cannot be checked here; `records verify --head ID:HASH` checks the record in the store",
                line.id
            );
            None
        }
    }
}

/// What a replay that differs means, by the engine that made the record, written to `out`:
/// another engine (and a record that otherwise agrees with itself) is [`Exit::OtherEngine`],
/// the same engine or a record that disagrees with itself [`Exit::Failed`].
fn differs(made_by: &MadeBy, agrees: bool, out: &mut String) -> Exit {
    match (made_by.other_engine(), made_by) {
        (Some(note), _) if agrees => {
            outln!(out, "{note}");
            Exit::OtherEngine
        }
        (_, MadeBy::Named(e)) if e.is_current() => {
            outln!(out, "made and replayed by the same engine ({e}): the record is not what this engine made");
            Exit::Failed
        }
        (_, MadeBy::NotARecord) => {
            outln!(
                out,
                "{}; if another build made it, the difference may be the engine's: replay it with that build (the records of `serve` name their engine: replay a line of `records export`)",
                no_engine_named()
            );
            Exit::Failed
        }
        _ => Exit::Failed,
    }
}

/// What a replay of a determination of `check --format json` says of engines: the file names
/// none (the determination's JSON is the API's, byte for byte, and holds no engine), and which
/// engine replayed it.
fn no_engine_named() -> String {
    format!(
        "note: a determination of `check --format json` names no engine: the file does not say which engine made it; it was replayed by {}",
        Engine::current()
    )
}
