//! `records verify`, decided here: every record checked against its determination (E0605,
//! [`check::disagreements`]), its determination replayed with the pack given (as `replay`), and
//! the hash chain over all the records ([`chain::verify`]: E0606, and E0607 against a head kept
//! outside the store). The binary only parses its arguments and prints the [`VerifyReport`].

use std::collections::BTreeMap;
use std::fmt;

use export_controls::audit::{ReplayError, replay_file_with};
use export_controls::diagnostic::{Diagnostic, SourceFile};
use export_controls::{Catalog, Date, RuleSet};

use super::chain::{self, Break, Head};
use super::check::{self, Disagreement};
use super::engine::{RecordEngine, other_engine_note};
use super::pages::Pages;
use super::sheets::{self, Changed};
use super::{Store, StoreError};

/// One reason a record fails.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The hash chain breaks at the record (E0606).
    Chain(Break),
    /// Its columns or request disagree with its determination (E0605).
    Disagrees(Disagreement),
    /// Its determination is not one this engine wrote, located in it (E0601, E0602, or the
    /// code of the file its inputs would be refused in).
    Invalid(Diagnostic),
    /// Its determination could not be replayed with the pack given (made with another pack),
    /// or replays to a different determination.
    Replay(ReplayError),
    /// Its determination replays to a different determination, and it was made by another
    /// engine than the one verifying (E0608, the note saying which): the difference may be the
    /// engine's; replay it with the binary that made it.
    OtherEngine(ReplayError, String),
    /// A catalog sheet it carries (authentic: it hashes to its SHA-256) is refused by this
    /// engine's checks (E0612): not replayed, not altered.
    SheetRefused(sheets::Refused),
}

impl fmt::Display for Failure {
    /// One line (a replayed difference adds the two values on lines of their own):
    /// `error[CODE]: ...`, or `replay: ...`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Chain(b) => write!(f, "error[{}]: {b}", chain::BROKEN),
            Failure::Disagrees(d) => write!(f, "error[{}]: `{}`: {}", d.code, d.column, d.message),
            Failure::Invalid(d) => write!(f, "error[{}]: {}", d.code, d.message),
            Failure::Replay(e) => write!(f, "replay: {e}"),
            Failure::OtherEngine(e, note) => write!(f, "replay: {e}\n{note}"),
            Failure::SheetRefused(r) => write!(f, "{r}"),
        }
    }
}

/// A record that fails, and why, in the order found: the chain's breaks at it, its
/// disagreements, then its replay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailedRecord {
    /// The record's id.
    pub id: i64,
    /// Why it fails (at least one).
    pub failures: Vec<Failure>,
}

/// What [`verify`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyReport {
    /// Records checked and replayed: those recorded on or after the date given.
    pub checked: u64,
    /// The records that fail, in id order; a break of the chain at a record before the date
    /// given fails that record too (it was not replayed).
    pub failed: Vec<FailedRecord>,
    /// The hash chain over every record, whatever the date.
    pub chain: chain::Report,
    /// The head given, if any.
    pub head: Option<Head>,
    /// Records replayed on the catalog sheets they carry where the catalog given holds other
    /// sheets of those products (E0609, warnings: the catalog was corrected after they were
    /// made), by record id; they pass.
    pub changed: Vec<(i64, Vec<Changed>)>,
}

impl VerifyReport {
    /// Whether every record checked passes and the chain is whole and reaches the head given.
    pub fn passed(&self) -> bool {
        self.failed.is_empty() && self.chain.is_intact()
    }

    /// The chain as `records verify` writes it on standard error: records read, unbroken or
    /// the breaks counted, and the head.
    pub fn chain_summary(&self) -> String {
        let c = &self.chain;
        let state = if c.broken == 0 { "unbroken".to_string() } else { format!("{} break(s)", c.broken) };
        format!("hash chain: {} record(s), {state}; head {}", c.records, c.head)
    }
}

impl fmt::Display for VerifyReport {
    /// As `records verify` writes it on standard output: each record replayed on catalog sheets
    /// that differ from the catalog given (`record ID:`, its E0609 warnings indented), each
    /// failed record (`record ID:`) with
    /// its failures indented, the breaks not named when over [`chain::Report::MAX_BREAKS`], the
    /// head given when the chain no longer reaches it, then `N record(s) checked, M failed`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (id, changed) in &self.changed {
            writeln!(f, "record {id}:")?;
            for c in changed {
                writeln!(f, "  {c}")?;
            }
        }
        for r in &self.failed {
            writeln!(f, "record {}:", r.id)?;
            for p in &r.failures {
                writeln!(f, "  {}", p.to_string().replace('\n', "\n  "))?;
            }
        }
        let c = &self.chain;
        if c.broken as usize > c.breaks.len() {
            writeln!(
                f,
                "error[{}]: {} break(s) of the hash chain in all, the first {} named",
                chain::BROKEN,
                c.broken,
                c.breaks.len()
            )?;
        }
        if let (Some(why), Some(h)) = (&c.head_not_reached, &self.head) {
            writeln!(f, "head {h}:\n  error[{}]: {why}", chain::HEAD_NOT_REACHED)?;
        }
        write!(f, "{} record(s) checked, {} failed", self.checked, self.failed.len())
    }
}

/// What the records read so far say of the store's migration to naming engines: every record
/// kept before it names none, with the one time of the migration (`unknown_before`), and every
/// record after it names its engine; so a record naming none after one that names its engine,
/// naming another time than the records before it, or a time after the `recorded_at` of a record
/// that names its engine, was not kept so by the store (E0611, [`check::ENGINE_NOT_NAMED_AFTER`]).
#[derive(Default)]
struct Engines {
    /// The `unknown_before` of the first record naming none, and its id.
    unknown: Option<(String, i64)>,
    /// The first record naming its engine: its id and `recorded_at`.
    first_named: Option<(i64, String)>,
}

impl Engines {
    /// What is wrong with `r`'s engine given the records before it (in id order).
    fn next(&mut self, r: &super::Record) -> Option<Disagreement> {
        let say =
            |message: String| Disagreement { code: check::ENGINE_NOT_NAMED_AFTER, column: "engine".into(), message };
        match RecordEngine::parse(&r.record.engine).ok()? {
            RecordEngine::Known(_) => {
                self.first_named.get_or_insert_with(|| (r.id, r.record.recorded_at.clone()));
                None
            }
            RecordEngine::Unknown { unknown_before } => {
                if let Some((id, at)) = &self.first_named {
                    return Some(say(format!(
                        "names no engine (kept before {unknown_before}), but record {id} before it, recorded at {at}, names its engine: the store named the engine of every record after its migration"
                    )));
                }
                match &self.unknown {
                    Some((t, id)) if *t != unknown_before => Some(say(format!(
                        "names no engine, kept before {unknown_before}, but record {id} before it was kept before {t}: a store is migrated once, its older records all name that time"
                    ))),
                    Some(_) => None,
                    None => {
                        self.unknown = Some((unknown_before, r.id));
                        None
                    }
                }
            }
        }
    }

    /// Whether the migration's time is after the `recorded_at` of the first record naming its
    /// engine (checked once both are known, at that record).
    fn migration_after_first_named(&self) -> Option<Disagreement> {
        let ((t, _), (id, at)) = (self.unknown.as_ref()?, self.first_named.as_ref()?);
        let rfc3339 = |s: &str| time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).ok();
        (rfc3339(t)? > rfc3339(at)?).then(|| Disagreement {
            code: check::ENGINE_NOT_NAMED_AFTER,
            column: "engine".into(),
            message: format!(
                "the records naming no engine were kept before {t}, but record {id}, recorded at {at}, names its engine: the store named engines before that time"
            ),
        })
    }
}

/// A replay that differs: [`Failure::OtherEngine`] when the record names an engine (or none, as
/// records kept before records named theirs) that is not this one, else [`Failure::Replay`]
/// (a malformed `engine` is a disagreement of its own).
fn differs(e: ReplayError, engine_column: &str) -> Failure {
    match RecordEngine::parse(engine_column).ok().as_ref().and_then(other_engine_note) {
        Some(note) => Failure::OtherEngine(e, note),
        None => Failure::Replay(e),
    }
}

/// Checks the records of `store` recorded on or after `since` (UTC date; all when `None`): each
/// against its determination ([`check::disagreements`] with `catalog`) and its determination
/// replayed with `rules` and `catalog` ([`replay_file_with`], with the catalog sheets the record
/// carries in place of `catalog`'s, [`sheets::day`]; a record made with another pack
/// fails as not replayed; one that differs and was made by another engine fails as
/// [`Failure::OtherEngine`]); and the hash chain over all the records, with `head` when given
/// ([`chain::verify`]).
///
/// # Errors
/// [`StoreError`] from the store, or a determination that cannot be read back.
pub async fn verify(
    store: &dyn Store,
    since: Option<Date>,
    head: Option<Head>,
    rules: &RuleSet,
    catalog: &Catalog,
) -> Result<VerifyReport, StoreError> {
    let chain = chain::verify(store, head.as_ref()).await?;
    // The chain's breaks, by the record they are found at.
    let mut breaks = BTreeMap::<i64, Vec<Failure>>::new();
    for b in &chain.breaks {
        breaks.entry(b.id()).or_default().push(Failure::Chain(b.clone()));
    }
    let mut checked = 0;
    let mut failed = Vec::new();
    let mut changed = Vec::new();
    // The catalogs of the day, made once for the records carrying the same sheets.
    let mut days = sheets::Days::new(catalog);
    let mut engines = Engines::default();
    let mut pages = Pages::new(store, since);
    while let Some(page) = pages.next().await? {
        for r in &page {
            checked += 1;
            let mut failures = breaks.remove(&r.id).unwrap_or_default();
            failures.extend(check::disagreements_in(&r.record, &mut days).into_iter().map(Failure::Disagrees));
            let first_named = engines.first_named.is_none();
            failures.extend(engines.next(r).map(Failure::Disagrees));
            if first_named && engines.first_named.as_ref().is_some_and(|(id, _)| *id == r.id) {
                failures.extend(engines.migration_after_first_named().map(Failure::Disagrees));
            }
            let text = r.record.determination.text()?;
            // On the catalog sheets the record carries, if any (the sheets of the day).
            let day = days.day(&r.record.request);
            if !day.changed.is_empty() {
                changed.push((r.id, day.changed.clone()));
            }
            if let Some(refused) = day.refused {
                failures.push(Failure::SheetRefused(refused));
                failed.push(FailedRecord { id: r.id, failures });
                continue;
            }
            match replay_file_with(&SourceFile::new("determination.json", text.as_ref()), rules, &day.catalog) {
                Ok(()) => {}
                Err(ReplayError::Invalid(d)) => failures.extend(d.0.into_iter().map(Failure::Invalid)),
                Err(e @ ReplayError::Differs { .. }) => failures.push(differs(e, &r.record.engine)),
                Err(e) => failures.push(Failure::Replay(e)),
            }
            if !failures.is_empty() {
                failed.push(FailedRecord { id: r.id, failures });
            }
        }
    }
    // Breaks at records before `since`, which were not replayed.
    failed.extend(breaks.into_iter().map(|(id, failures)| FailedRecord { id, failures }));
    Ok(VerifyReport { checked, failed, chain, head, changed })
}
