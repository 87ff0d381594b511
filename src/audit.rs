//! Tamper evidence and audit: a lock file recording the pack's content hashes
//! (`export-controls lock` / `verify`), how a pack directory stands against it, and the replay
//! of a past determination (`replay`).
//!
//! - [`Lock`]: the pack's name, version and sha256, and the sha256 of each of its files, rule
//!   files and rule tests (`tests/`) alike. A pack whose content changed must change its
//!   version too ([`Lock::differences`] says so when it did not).
//! - [`pack_status`]: a pack directory loaded and compared with its `rules.lock`;
//!   [`RuleSet::mark_unlocked`] marks a pack used all the same, and every determination made
//!   with it says so.
//! - [`replay`]: a recorded determination read strictly (no key written twice, at any depth),
//!   its inputs checked as a product sheet and a transaction file are, re-evaluated and
//!   compared value by value.

use std::collections::BTreeMap;
use std::path::Path;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::catalog::Catalog;
use crate::diagnostic::{Code, Diagnostic, Diagnostics, LoadError, SourceFile};
use crate::evaluate::{Options, PreparedProduct, Query};
use crate::files::{FileKind, read_file};
use crate::model::{Country, Transaction, parse_product_sheet, write_product_sheet};
use crate::ruleset::RuleSet;

/// The name of the lock file in a pack directory.
pub const LOCK_FILE: &str = "rules.lock";

/// The content of `rules.lock`: the pack's identity and the sha256 of each file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lock {
    /// Pack name.
    pub pack: String,
    /// Pack version.
    pub version: String,
    /// The pack's content hash over its rule files (see [`crate::ruleset::compile`]): the
    /// `rules.sha256` of every determination made with it.
    pub sha256: String,
    /// Each file's sha256, by path relative to the pack: the rule files, and the rule tests
    /// and their sheets under `tests/`.
    pub files: BTreeMap<String, String>,
}

impl Lock {
    /// The lock of a pack: its rules and its rule-test files (`tests` with paths relative to
    /// the pack, such as `tests/hbm.toml`).
    pub fn new(rules: &RuleSet, tests: &[SourceFile]) -> Lock {
        let mut files: BTreeMap<String, String> = rules.pack.files.iter().cloned().collect();
        for t in tests {
            let digest = <sha2::Sha256 as sha2::Digest>::digest(t.text.as_bytes());
            files.insert(t.path.clone(), digest.iter().map(|b| format!("{b:02x}")).collect());
        }
        Lock {
            pack: rules.pack.name.clone(),
            version: rules.pack.version.clone(),
            sha256: rules.pack.sha256.clone(),
            files,
        }
    }

    /// The lock of the pack embedded in the library ([`RuleSet::shipped`]) with its tests.
    ///
    /// # Errors
    /// Only if the shipped pack is invalid, which the crate's tests rule out.
    pub fn shipped() -> Result<Lock, LoadError> {
        let rules = RuleSet::shipped()?;
        let tests: Vec<SourceFile> = crate::rule_tests::shipped_test_files()
            .into_iter()
            .map(|f| {
                let rel = f.path.strip_prefix("rules/us-ear/").unwrap_or(&f.path).to_string();
                SourceFile::new(rel, f.text)
            })
            .collect();
        Ok(Lock::new(&rules, &tests))
    }

    /// Loads the pack in `dir` and its rule tests (`dir/tests`, if any) and makes their lock.
    ///
    /// # Errors
    /// As [`RuleSet::load_dir`], and for a rule-test file that cannot be read.
    pub fn of_dir(dir: &Path) -> Result<(RuleSet, Lock), LoadError> {
        let rules = RuleSet::load_dir(dir)?;
        let tests_dir = dir.join("tests");
        let tests = if tests_dir.is_dir() {
            crate::rule_tests::read_test_files(&tests_dir)?
                .into_iter()
                .map(|f| SourceFile::new(format!("tests/{}", f.path), f.text))
                .collect()
        } else {
            Vec::new()
        };
        let lock = Lock::new(&rules, &tests);
        Ok((rules, lock))
    }

    /// Reads `dir/rules.lock`: `Ok(None)` when there is none.
    ///
    /// # Errors
    /// [`LoadError::Io`] when it cannot be read or does not parse.
    pub fn read(dir: &Path) -> Result<Option<Lock>, LoadError> {
        let path = dir.join(LOCK_FILE);
        if std::fs::symlink_metadata(&path).is_err() {
            return Ok(None);
        }
        let src = read_file(&path, FileKind::Lock)?;
        Lock::parse(&src.text)
            .map(Some)
            .map_err(|message| LoadError::Io { path: src.path, message: format!("not a rules.lock: {message}") })
    }

    /// Parses the text of a lock file.
    ///
    /// # Errors
    /// The TOML error's message.
    pub fn parse(text: &str) -> Result<Lock, String> {
        toml::from_str(text).map_err(|e| e.message().trim().to_string())
    }

    /// The lock file's text.
    pub fn to_toml(&self) -> String {
        let body = toml::to_string(self).unwrap_or_default();
        format!(
            "# Written by `export-controls lock`; `export-controls verify` fails when the rules or their tests differ.\n# Review the change, raise `version` in pack.toml, then run `export-controls lock` again and commit this file.\n{body}"
        )
    }

    /// Whether `now` has the same files, with the same content, as this lock.
    pub fn same_content(&self, now: &Lock) -> bool {
        self.files == now.files && self.sha256 == now.sha256
    }

    /// What differs between this lock (the reviewed state) and a pack's lock now: the pack
    /// name, changed, added and removed files, and the version; a content change without a
    /// version change is named too (a changed pack must change its version). Empty when the
    /// pack matches.
    pub fn differences(&self, now: &Lock) -> Vec<String> {
        let mut out = Vec::new();
        if self.pack != now.pack {
            out.push(format!("pack name: locked `{}`, found `{}`", self.pack, now.pack));
        }
        if self.version != now.version {
            out.push(format!("version: locked {}, found {}", self.version, now.version));
        }
        for (path, hash) in &now.files {
            match self.files.get(path) {
                None => out.push(format!("added: {path}")),
                Some(h) if h != hash => out.push(format!("changed: {path}")),
                Some(_) => {}
            }
        }
        for path in self.files.keys() {
            if !now.files.contains_key(path) {
                out.push(format!("removed: {path}"));
            }
        }
        if self.files == now.files && self.sha256 != now.sha256 {
            out.push(format!("content hash: locked {}, found {}", self.sha256, now.sha256));
        }
        if !self.same_content(now) && self.version == now.version {
            out.push(format!(
                "version: still {} though the content changed: raise `version` in pack.toml",
                now.version
            ));
        }
        out
    }
}

/// The name, version and content hash of the pack embedded in this library
/// ([`RuleSet::shipped`]), computed once; `None` if it does not load (the crate's tests rule
/// that out).
fn shipped_identity() -> Option<&'static (String, String, String)> {
    static SHIPPED: std::sync::OnceLock<Option<(String, String, String)>> = std::sync::OnceLock::new();
    SHIPPED
        .get_or_init(|| {
            let p = RuleSet::shipped().ok()?;
            let p = p.pack();
            Some((p.name.clone(), p.version.clone(), p.sha256.clone()))
        })
        .as_ref()
}

impl Lock {
    /// Why this pack cannot stand for the name and version it takes: the pack embedded in this
    /// library under the same name and version ([`RuleSet::shipped`]) holds other rules
    /// (another content hash). A pack's name and version stand for the rules reviewed under
    /// them; a copy of the shipped pack with its thresholds changed, its `rules.lock` deleted
    /// and re-made, would otherwise be used as the shipped pack, matching its own lock (tester
    /// round 6, S3: an H100 to China cleared under "us-ear 0.1.22"). `None` for any other name,
    /// a later version than the shipped one, the shipped pack itself, or a release.
    ///
    /// An older version of the shipped pack is measured against the register of its releases
    /// ([`crate::releases`], rules/RELEASES.toml): a version never released, or released with
    /// other content, is not that release either (tester round 8, T8: a pack locked as
    /// `us-ear 0.1.28` on a branch that never reached main, older than the shipped rules, was
    /// used without a word).
    pub fn impersonates_shipped(&self) -> Option<String> {
        let (name, version, sha256) = shipped_identity()?;
        if self.pack != *name {
            return None;
        }
        if self.version == *version {
            return (self.sha256 != *sha256).then(|| {
                format!(
                    "not {name} {version}: the pack of that name and version embedded in this program has sha256 {sha256}, this one {}; a changed pack is a new version (raise `version` in pack.toml)",
                    self.sha256
                )
            });
        }
        let this = format!("{name} {}", self.version);
        match crate::releases::standing(&self.pack, &self.version, &self.sha256, version) {
            crate::releases::Standing::NotCovered | crate::releases::Standing::Released => None,
            crate::releases::Standing::OtherContent(released) => Some(format!(
                "not {this}: {this} was released with sha256 {} (rules/RELEASES.toml), this one {}; a changed pack is a new version above {name} {version}, embedded in this program",
                released.join(" and "),
                self.sha256
            )),
            crate::releases::Standing::NeverReleased => Some(format!(
                "not a release of {name}: {this} is not in the register of its releases (rules/RELEASES.toml; this program embeds {name} {version}); a pack edited from a release is a new version above {version}"
            )),
            crate::releases::Standing::Unreadable(why) => {
                Some(format!("{this} cannot be confirmed as a release of {name}: {why}"))
            }
        }
    }

    /// A warning when this pack is an older version of the pack embedded in this library (the
    /// same name, a lower semantic version): its rules were reviewed, but a later version
    /// corrects or extends them. Such a pack is still used (a record is replayed with the pack
    /// that made it), and the user is told. `None` for any other name, the same or a later
    /// version, or a version that is not a semantic version.
    pub fn superseded_by_shipped(&self) -> Option<String> {
        let by = self.superseding()?;
        Some(format!(
            "{} {} is superseded by {by}, embedded in this program: its determinations are those of the older rules (use it to replay records made with it; leave out --rules for the current pack)",
            self.pack, self.version
        ))
    }

    /// The name and version of the pack embedded in this library (`us-ear 0.1.43`) when this
    /// pack is an older version of it (the same name, a lower semantic version); `None`
    /// otherwise, as for [`Lock::superseded_by_shipped`].
    pub fn superseding(&self) -> Option<String> {
        superseding(&self.pack, &self.version)
    }
}

/// The name and version of the pack embedded in this library when the pack `name` at
/// `version` is an older version of it ([`Lock::superseding`]).
fn superseding(name: &str, version: &str) -> Option<String> {
    let (shipped_name, shipped_version, _) = shipped_identity()?;
    let older = matches!(
        (semver::Version::parse(version), semver::Version::parse(shipped_version)),
        (Ok(this), Ok(shipped)) if this < shipped
    );
    (name == shipped_name && older).then(|| format!("{shipped_name} {shipped_version}"))
}

/// The code of a pack that is an older version of the pack embedded in this program, a
/// superseded release, loaded to make determinations without the user asking for it (E0527):
/// its rules may since have been corrected or tightened, so a determination for a shipment
/// today would rest on superseded rules. Given at the `version` line of its `pack.toml`.
/// Allowed with [`PackOptions::allow_superseded`] (`--superseded`), which marks every
/// determination ([`RuleSet::mark_superseded`]); replaying a record needs no such choice.
pub const SUPERSEDED_PACK: Code = Code::E0527;

/// How [`pack_status_with`] treats a pack directory. The default refuses what a determination
/// for a shipment today must not rest on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PackOptions {
    /// Use a pack that is an older version of the pack embedded in this library (a superseded
    /// release, [`Lock::superseding`]) rather than refuse it with E0527: the rules are then
    /// marked ([`RuleSet::mark_superseded`]) and every determination made with them says so in
    /// its first scope line (`SUPERSEDED PACK: …`). `false` by default.
    pub allow_superseded: bool,
    /// Load the pack to replay records made with it (`replay`, `records verify`): a superseded
    /// release is accepted as with `allow_superseded`, but not marked, since [`replay_file_with`]
    /// marks it as each record was made (with or without `--superseded`). Never use such rules
    /// to make new determinations. `false` by default.
    pub replay: bool,
}

/// The inputs a determination records (defined with the determination, re-exported here).
pub use crate::evaluate::Inputs;

/// A pack directory loaded, with how it stands against its `rules.lock`.
#[derive(Debug, Clone)]
pub struct PackStatus {
    /// The pack.
    pub rules: RuleSet,
    /// What differs from `rules.lock` ([`Lock::differences`]), or why there is no lock to
    /// compare with, and whether the pack takes the name and version of the shipped pack with
    /// other rules ([`Lock::impersonates_shipped`]); empty when the pack is exactly as locked.
    pub differences: Vec<String>,
    /// A warning when the pack is an older version of the shipped pack
    /// ([`Lock::superseded_by_shipped`]).
    pub superseded: Option<String>,
}

impl PackStatus {
    /// Whether the pack is exactly as locked.
    pub fn is_locked(&self) -> bool {
        self.differences.is_empty()
    }
}

/// Loads the pack in `dir` and compares it with `dir/rules.lock` and with the pack embedded
/// in this library, with the default [`PackOptions`]: a superseded release is refused (E0527).
///
/// # Errors
/// As [`pack_status_with`].
pub fn pack_status(dir: &Path) -> Result<PackStatus, LoadError> {
    pack_status_with(dir, PackOptions::default())
}

/// Loads the pack in `dir` and compares it with `dir/rules.lock` and with the pack embedded
/// in this library. A pack that is an older version of the embedded one is refused unless
/// `options` allow it; allowed, its rules are marked superseded ([`RuleSet::mark_superseded`])
/// and [`PackStatus::superseded`] holds the warning.
///
/// # Errors
/// As [`Lock::of_dir`]; [`LoadError::Invalid`] with E0527 ([`SUPERSEDED_PACK`]) at the
/// `version` line of `dir/pack.toml` for a superseded pack not allowed. A missing or unreadable
/// lock is not an error: it is what [`PackStatus::differences`] names.
pub fn pack_status_with(dir: &Path, options: PackOptions) -> Result<PackStatus, LoadError> {
    let (mut rules, now) = Lock::of_dir(dir)?;
    if let Some(by) = now.superseding() {
        if options.replay {
            // Marked record by record, as each was made (replay_file_with).
        } else if options.allow_superseded {
            rules.mark_superseded(&by);
        } else {
            return Err(superseded_error(dir, &now, &by));
        }
    }
    let mut differences = match Lock::read(dir) {
        Ok(Some(lock)) => lock.differences(&now),
        Ok(None) => vec![format!("no {LOCK_FILE}: the pack was never locked")],
        Err(e) => vec![e.to_string()],
    };
    differences.extend(now.impersonates_shipped());
    Ok(PackStatus { rules, differences, superseded: now.superseded_by_shipped() })
}

/// The E0527 refusal ([`SUPERSEDED_PACK`]) of the pack in `dir`, whose content is `now`
/// ([`Lock::of_dir`]), when it is an older version of the pack embedded in this library; `None`
/// when it is not. For a loader that checks a pack as [`pack_status_with`] does (the service).
pub fn superseded_refusal(dir: &Path, now: &Lock) -> Option<LoadError> {
    now.superseding().map(|by| superseded_error(dir, now, &by))
}

/// The E0527 refusal of the superseded pack in `dir` (`now`, superseded by `by`), at the
/// `version` value of its `pack.toml` (the whole file if it cannot be placed); the error
/// reading `pack.toml` if it can no longer be read.
fn superseded_error(dir: &Path, now: &Lock, by: &str) -> LoadError {
    #[derive(Deserialize)]
    struct Version {
        version: toml::Spanned<String>,
    }
    let file = match read_file(&dir.join("pack.toml"), FileKind::RuleFile) {
        Ok(f) => f,
        Err(e) => return e,
    };
    let span = toml::from_str::<Version>(&file.text).map_or(0..0, |v| v.version.span());
    let mut message = format!(
        "{} {} is superseded by {by}, embedded in this program: a determination made with it rests on the rules of the older release, which may since have been corrected or tightened",
        now.pack, now.version
    );
    if let Some(why) = now.impersonates_shipped() {
        message.push_str(&format!("; nor is it that release: {why}"));
    }
    let help = format!(
        "leave out --rules to use {by}; to replay a record made with this pack use `replay` or `records verify` (no flag needed); to make determinations with it all the same, pass --superseded (library: PackOptions {{ allow_superseded: true }}, service: allow_superseded), and every determination will say SUPERSEDED PACK"
    );
    LoadError::Invalid(Diagnostics(vec![file.error(SUPERSEDED_PACK, span, message).with_help(help)]))
}

impl RuleSet {
    /// Marks the pack as used although its files differ from its `rules.lock` (or it has
    /// none): `what` says what differs. Every determination made with it then carries
    /// `rules.unlocked = true` and, first in its scope, a line saying so, so that it is never
    /// taken for one made under the reviewed rules its name and version stand for.
    pub fn mark_unlocked(&mut self, what: &str) {
        self.pack.unlocked = Some(what.to_string());
    }

    /// What differs from the pack's `rules.lock` when it was used unlocked
    /// ([`RuleSet::mark_unlocked`]).
    pub fn unlocked(&self) -> Option<&str> {
        self.pack.unlocked.as_deref()
    }

    /// The statement that an output other than a determination was made with an unlocked pack
    /// ([`RuleSet::mark_unlocked`]): a first `#` line of `screen`'s CSV, after the superseded
    /// one when there is one (the order of a determination's scope); `screen`'s JSON says it
    /// with `rules.unlocked = true`. It reads as the scope line of a determination made with the
    /// pack, up to the colon after the parenthesis: `UNLOCKED PACK: the rule pack us-ear 0.1.48
    /// differs from its rules.lock (...): ...` (crates/cli/tests/unlocked_screen16.rs holds the
    /// two to the same words). `None` for a pack used locked.
    pub fn unlocked_statement(&self) -> Option<String> {
        let what = self.unlocked()?;
        Some(format!(
            "UNLOCKED PACK: the rule pack {} {} differs from its rules.lock ({what}): what is made with it was not made under the reviewed rules of that name and version.",
            self.pack.name, self.pack.version
        ))
    }

    /// Marks the pack as a superseded release used all the same (`--superseded`,
    /// [`PackOptions::allow_superseded`]): `by` names the pack that supersedes it
    /// (`us-ear 0.1.43`). Every determination made with it then carries, first in its scope,
    /// a line starting `SUPERSEDED PACK:` ([`crate::evaluate::SUPERSEDED_SCOPE`]).
    pub fn mark_superseded(&mut self, by: &str) {
        self.pack.superseded_by = Some(by.to_string());
        self.id = crate::ruleset::next_pack_id();
    }

    /// The pack that supersedes this one, when it was marked so ([`RuleSet::mark_superseded`]).
    pub fn superseded_by(&self) -> Option<&str> {
        self.pack.superseded_by.as_deref()
    }

    /// The statement that an output other than a determination was made with a superseded
    /// release ([`RuleSet::mark_superseded`]): a screen (its JSON's `superseded`, a first `#`
    /// line of its CSV), the bands plot (its title and a line under it) and the service's `GET
    /// /v1/rules` (`superseded`). It reads as the first scope line of a determination made with
    /// the pack, beginning [`crate::evaluate::SUPERSEDED_SCOPE`]: `SUPERSEDED PACK: the rule pack
    /// us-ear 0.1.44 is superseded by us-ear 0.1.45: ...`. `None` for a pack not so marked.
    pub fn superseded_statement(&self) -> Option<String> {
        let by = self.superseded_by()?;
        Some(format!(
            "{} the rule pack {} {} is superseded by {by}: what is made with it applies the rules of the older release, which may since have been corrected or tightened; it does not stand for the rules in force under the current release.",
            crate::evaluate::SUPERSEDED_SCOPE,
            self.pack.name,
            self.pack.version
        ))
    }
}

/// The code of a stored determination record (the service's record store) whose columns
/// (`recorded_at`, `as_of`, `product`, `destination`, `verdict`, the pack) or request disagree
/// with the determination it holds, or are malformed: `records export` and `records verify`
/// refuse such a row, and replaying it reports every disagreement. Replay proves the
/// determination; the row around it must say the same.
pub const RECORD_DISAGREES: Code = Code::E0605;

/// The code of a record store whose hash chain is broken (E0606): a row that no longer hashes
/// to its stored hash, a row whose previous hash is not the previous row's, or ids missing.
/// `export-controls records verify` names the record where it breaks
/// (`export_controls_service::records::chain`).
pub const RECORD_CHAIN_BROKEN: Code = Code::E0606;

/// The code of a record store whose hash chain no longer reaches the head (last id and hash)
/// kept outside it (E0607): records deleted from the end, or rewritten up to the head with
/// their hashes recomputed. `export-controls records verify --head ID:HASH`.
pub const RECORD_HEAD_NOT_REACHED: Code = Code::E0607;

/// The code of a replay that differs from a stored record made by another engine than the one
/// replaying it (E0608): another build ([`crate::Engine`], another source sha256), or one the
/// record does not name. The difference may be the engine's rather than an alteration of the
/// record: replay it with the build the record names (`export-controls replay` exits 4).
pub const REPLAY_OTHER_ENGINE: Code = Code::E0608;

/// The code of a stored record replayed on the catalog sheet it carries (the sheet of the day)
/// while the replaying catalog's sheet of that product differs (E0609, a warning): the catalog
/// was corrected after the record was made ([`crate::catalog::Sheet`]).
pub const CATALOG_SHEET_CHANGED: Code = Code::E0609;

/// The code of a line of `records export` replayed on its own that is not what its hash
/// covers (E0610): the line was altered after the export.
pub const RECORD_LINE_ALTERED: Code = Code::E0610;

/// The code of a stored record naming no engine (`unknown_before`) at a time that cannot be
/// the store's migration (E0611): recorded at or after it, or a time in the future.
pub const RECORD_ENGINE_NOT_NAMED_AFTER: Code = Code::E0611;

/// The code of a stored record carrying a catalog sheet (authentic: it hashes to its SHA-256)
/// that the replaying engine refuses (E0612): not an alteration of the record.
pub const CATALOG_SHEET_REFUSED: Code = Code::E0612;

/// Why a replay could not be made or did not match.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReplayError {
    /// The file is not a determination this engine wrote, each problem located in it: not
    /// JSON, a key written twice (E0602), a value missing or of the wrong type (E0601), or
    /// recorded inputs that a product sheet or a transaction file would refuse (with that
    /// file's code).
    #[error("{0}")]
    Invalid(Diagnostics),
    /// The pack given is not the one that made the determination.
    #[error(
        "the determination was made with pack {expected_name} sha256 {expected}, but the pack given is {found_name} sha256 {found}"
    )]
    WrongPack {
        /// Pack name recorded.
        expected_name: String,
        /// Hash recorded.
        expected: String,
        /// Pack name given.
        found_name: String,
        /// Hash of the pack given.
        found: String,
    },
    /// The replay produced a different determination.
    #[error(
        "the replayed determination differs from the recorded one at `{path}`:\n  recorded: {recorded}\n  replayed: {replayed}"
    )]
    Differs {
        /// JSON path of the first difference, e.g. `verdict` or `requirements[0].review_policy`.
        path: String,
        /// Recorded value there (an excerpt when long).
        recorded: String,
        /// Replayed value there (an excerpt when long).
        replayed: String,
    },
}

/// Re-evaluates a determination (JSON as written by `check --format json`) with `rules` and
/// checks that every value is the same (so the engine writes the same bytes again); formatting
/// of the stored JSON does not matter. Diagnostics name the file `determination.json`; see
/// [`replay_file`].
///
/// # Errors
/// [`ReplayError`] naming what is wrong.
pub fn replay(recorded: &str, rules: &RuleSet) -> Result<(), ReplayError> {
    replay_file(&SourceFile::new("determination.json", recorded), rules)
}

/// [`replay_file_with`] against the shipped catalog ([`Catalog::shipped`]).
///
/// # Errors
/// As [`replay_file_with`]; E0601 if the shipped catalog does not load.
pub fn replay_file(src: &SourceFile, rules: &RuleSet) -> Result<(), ReplayError> {
    let catalog = Catalog::shipped()
        .map_err(|e| ReplayError::Invalid(Diagnostics(vec![src.error(Code::E0601, 0..1, format!("catalog: {e}"))])))?;
    replay_file_with(src, rules, &catalog)
}

/// [`replay`] of a determination file, whose path its diagnostics name, with the catalog the
/// replay is made against.
///
/// In order: the file is read as JSON with no key written twice in any object (E0602); the
/// values replay needs are read (E0601); the recorded product is checked as a product sheet
/// and the recorded transaction (destination, country of export, date, exporter, parties) as
/// a transaction file, with the same checks and codes; a recorded product (or a sheet it
/// contains) that takes the id of a product of `catalog` must be that product, figure for
/// figure (E0604, as E0220 for a sheet); the pack's sha256 must be the recorded one; then the
/// determination is made again, always with its trace, and compared value by value: a record
/// whose `trace` is empty or absent differs at `trace` (every determination `check --format
/// json` and the service write holds its trace; a library caller that evaluated without it
/// made no record that replay can prove).
///
/// # Errors
/// [`ReplayError`] naming what is wrong.
pub fn replay_file_with(src: &SourceFile, rules: &RuleSet, catalog: &Catalog) -> Result<(), ReplayError> {
    let recorded = strict_json(src)?;
    let case = RecordedCase::read(src, &recorded)?;
    check_inputs(src, &case.inputs, case.destination, case.exported_from, case.date)?;
    refuse_taken_catalog_id(src, catalog, &case.inputs)?;
    if case.sha != rules.pack.sha256 {
        return Err(ReplayError::WrongPack {
            expected_name: case.name,
            expected: case.sha,
            found_name: rules.pack.name.clone(),
            found: rules.pack.sha256.clone(),
        });
    }
    let mut q = Query::export_to(case.destination, case.date);
    q.exported_from = case.exported_from;
    q.parties = case.inputs.parties;
    q.exporter = case.inputs.exporter;
    q.destination_region = case.inputs.destination_region;
    let whole = |message: String| ReplayError::Invalid(Diagnostics(vec![src.error(Code::E0601, 0..1, message)]));
    // A record made with a superseded release used all the same (`--superseded`) says so in its
    // first scope line; one made with the same pack while it was the current release does not.
    // Replay needs no flag for either: the pack is marked as the record was, when this
    // program finds it superseded (a line claiming so of a current pack is not replayed).
    let recorded_superseded = recorded
        .pointer("/scope/0")
        .and_then(serde_json::Value::as_str)
        .is_some_and(|l| l.starts_with(crate::evaluate::SUPERSEDED_SCOPE));
    let marked;
    let rules = match (recorded_superseded, rules.superseded_by().is_some()) {
        (true, false) => match superseding(&rules.pack.name, &rules.pack.version) {
            Some(by) => {
                let mut r = rules.clone();
                r.mark_superseded(&by);
                marked = r;
                &marked
            }
            None => rules,
        },
        (false, true) => {
            let mut r = rules.clone();
            r.pack.superseded_by = None;
            r.id = crate::ruleset::next_pack_id();
            marked = r;
            &marked
        }
        _ => rules,
    };
    // Always with the trace: `check --format json` and the service record every determination
    // with it, and the trace is the part of the record that explains the verdict (15 CFR 762).
    // A record whose trace was emptied or removed differs at `trace`, never replays identical.
    let d = rules
        .evaluate(&PreparedProduct::new(case.inputs.product), &q, Options { trace: true })
        .map_err(|e| whole(format!("the recorded transaction cannot be evaluated: {e}")))?;
    // Compare the JSON values, not the text: formatting of a stored determination does not
    // matter; every value does.
    let replayed = serde_json::to_value(&d).map_err(|e| whole(e.to_string()))?;
    match first_difference(&recorded, &replayed, String::new()) {
        None => Ok(()),
        Some((path, recorded, replayed)) => Err(ReplayError::Differs {
            path: excerpt(&path),
            recorded: excerpt(&recorded),
            replayed: excerpt(&replayed),
        }),
    }
}

/// What a recorded determination says was decided, read from its JSON before it is checked:
/// the pack that made it, the destination, the country of export, the date and the inputs.
struct RecordedCase {
    /// `rules.name`.
    name: String,
    /// `rules.sha256`: the pack's content hash.
    sha: String,
    /// `destination.code`.
    destination: Country,
    /// `exported_from.code`; `None` where the determination records `exported_from: null` (a
    /// transaction that did not state where the items ship from).
    exported_from: Option<Country>,
    /// `as_of`: the date of export.
    date: crate::date::Date,
    /// `inputs`: the product and the transaction's other facts.
    inputs: Inputs,
}

impl RecordedCase {
    /// Reads the values replay needs from `recorded` (the JSON of `src`). A value absent or not
    /// text is E0601 at the deepest key of its path that is there; an unknown country E0503.
    fn read(src: &SourceFile, recorded: &serde_json::Value) -> Result<RecordedCase, ReplayError> {
        let invalid = |d: Diagnostic| ReplayError::Invalid(Diagnostics(vec![d]));
        let text = |path: &[&str]| -> Result<String, ReplayError> {
            let mut cur = recorded;
            for p in path {
                cur = cur.get(p).ok_or_else(|| {
                    // At the deepest key of the path that is there (`rules` for `rules.sha256`).
                    let at = (1..path.len())
                        .rev()
                        .map(|k| key_offset(&src.text, path.get(..k).unwrap_or_default()))
                        .find(|&o| o > 0)
                        .unwrap_or(0);
                    let message =
                        format!("no `{}`: not a determination written by `check --format json`", path.join("."));
                    invalid(src.error(Code::E0601, at..at + 1, message))
                })?;
            }
            cur.as_str().map(str::to_string).ok_or_else(|| {
                let at = key_offset(&src.text, path);
                invalid(src.error(Code::E0601, at..at + 1, format!("`{}` is not text", path.join("."))))
            })
        };
        let (name, sha) = (text(&["rules", "name"])?, text(&["rules", "sha256"])?);
        let country = |path: &[&str]| -> Result<Country, ReplayError> {
            let code = text(path)?;
            code.parse().map_err(|e: crate::model::UnknownCountry| {
                let at = locate_value(&src.text, path, Some(&format!("\"{code}\"")));
                invalid(src.error(Code::E0503, at..at + 1, format!("`{}`: {e}", path.join("."))))
            })
        };
        let destination = country(&["destination", "code"])?;
        // `null`: a determination of a transaction that did not state where the items ship from.
        let exported_from = match recorded.get("exported_from") {
            Some(serde_json::Value::Null) => None,
            _ => Some(country(&["exported_from", "code"])?),
        };
        let date = text(&["as_of"])?.parse().map_err(|e: crate::date::DateError| {
            let at = key_offset(&src.text, &["as_of"]);
            invalid(src.error(Code::E0601, at..at + 1, format!("`as_of`: {e}")))
        })?;
        let inputs_value = recorded
            .get("inputs")
            .cloned()
            .ok_or_else(|| invalid(src.error(Code::E0601, 0..1, "no `inputs`".to_string())))?;
        let inputs: Inputs = serde_json::from_value(inputs_value).map_err(|e| invalid(inputs_error(src, &e)))?;
        Ok(RecordedCase { name, sha, destination, exported_from, date, inputs })
    }
}

/// E0604 when the recorded product (or a sheet it contains) takes the id of a product of
/// `catalog` but differs from its sheet: its figures are not that product's.
fn refuse_taken_catalog_id(src: &SourceFile, catalog: &Catalog, inputs: &Inputs) -> Result<(), ReplayError> {
    let mut taken = Vec::new();
    catalog.catalog_ids_taken(&inputs.product, 0, &mut taken);
    let Some(id) = taken.first() else { return Ok(()) };
    let at = locate_value(&src.text, &["inputs", "product", "id"], Some(&format!("\"{id}\"")));
    let message = format!(
        "`inputs.product` takes the id `{id}` of a catalog product but differs from the catalog's sheet: its figures are not that product's"
    );
    let help = "replay the determination as `check` wrote it; a product of its own has its own id";
    Err(ReplayError::Invalid(Diagnostics(vec![src.error(Code::E0604, at..at + 1, message).with_help(help)])))
}

/// A value for a message: whole when short, otherwise its start and end.
fn excerpt(value: &str) -> String {
    crate::diagnostic::shorten(&format!("`{value}`")).trim_matches('`').to_string()
}

/// A value of `inputs` that does not deserialize, placed at the offending key or value when
/// its text can be found after `"inputs"` (serde reports no position for a value already
/// read): an unknown key is E0102 with a suggestion, anything else E0601.
fn inputs_error(src: &SourceFile, e: &serde_json::Error) -> Diagnostic {
    let message = e.to_string();
    let inputs_at = key_offset(&src.text, &["inputs"]);
    let token = message.split('`').nth(1).unwrap_or("");
    let at = if let Some(field) = message.strip_prefix("unknown field `").and_then(|r| r.split('`').next()) {
        key_offset(src.text.get(inputs_at..).unwrap_or(""), &[field]) + inputs_at
    } else {
        let quoted = format!("\"{token}\"");
        (!token.is_empty())
            .then(|| src.text.get(inputs_at..).and_then(|t| t.find(&quoted)))
            .flatten()
            .map_or(inputs_at, |i| inputs_at + i)
    };
    if message.starts_with("unknown end use `") {
        // The code, message and help a transaction file gets for the same value.
        let help = crate::model::UnknownEndUse(token.to_string()).help();
        let message = format!("`inputs.parties`, read as a transaction file: {message}");
        return src.error(Code::E0505, at..at + 1, message).with_help_opt(help);
    }
    let (code, help) = if message.starts_with("unknown field") {
        (Code::E0102, crate::diagnostic::unknown_field_help(&message))
    } else {
        (Code::E0601, None)
    };
    src.error(code, at..at + 1, format!("`inputs`: {message}")).with_help_opt(help)
}

/// Checks the recorded inputs as they were checked on input: the product as a product sheet
/// ([`parse_product_sheet`] of [`write_product_sheet`]), and the transaction as a transaction
/// file ([`Transaction::parse`] of [`Transaction::to_toml`], and the checks of a JSON one).
/// Each must read back to the value recorded. Diagnostics keep the code of the check and are
/// placed at the recorded value (`inputs.product`, `inputs.parties`).
fn check_inputs(
    src: &SourceFile,
    inputs: &Inputs,
    destination: Country,
    exported_from: Option<Country>,
    date: crate::date::Date,
) -> Result<(), ReplayError> {
    let relocate = |path: &[&str], what: &str, d: Vec<Diagnostic>| {
        let diags = d
            .into_iter()
            .map(|d| {
                let token =
                    d.source_line.as_deref().and_then(|l| value_at(l, d.column.saturating_sub(d.source_offset)));
                let at = locate_value(&src.text, path, token.as_deref());
                let message = format!("`{}`, read as {what}: {}", path.join("."), d.message);
                src.error(d.code, at..at + 1, message).with_help_opt(d.help)
            })
            .collect();
        ReplayError::Invalid(Diagnostics(diags))
    };
    let sheet = SourceFile::new("inputs.product", write_product_sheet(&inputs.product));
    match parse_product_sheet(&sheet) {
        Ok(p) if p == inputs.product => {}
        Ok(_) => {
            let at = key_offset(&src.text, &["inputs", "product"]);
            let message = "`inputs.product` does not read back as the same product sheet: it holds what no sheet can";
            return Err(ReplayError::Invalid(Diagnostics(vec![src.error(Code::E0601, at..at + 1, message)])));
        }
        Err(d) => return Err(relocate(&["inputs", "product"], "a product sheet", d.0)),
    }
    let tx = Transaction {
        product: inputs.product.id.clone(),
        quantity: None,
        destination,
        exported_from,
        date,
        destination_region: inputs.destination_region,
        exporter: inputs.exporter,
        parties: inputs.parties.clone(),
    };
    if let Err(message) = crate::model::check_parties(&tx.parties) {
        // The value named: `supercomputers` in "unknown end use `supercomputers`", 160 in
        // "160 percent is more than 100".
        let named = message.split('`').nth(1).or_else(|| message.split_whitespace().next()).unwrap_or("");
        let at = locate_value(&src.text, &["inputs", "parties"], Some(&format!("\"{named}\"")));
        let code = if message.starts_with("unknown end use") { Code::E0505 } else { Code::E0506 };
        let message = format!("`inputs.parties`, read as a transaction file: {message}");
        return Err(ReplayError::Invalid(Diagnostics(vec![src.error(code, at..at + 1, message)])));
    }
    let file = SourceFile::new("inputs", tx.to_toml());
    match Transaction::parse(&file) {
        Ok(t) if t == tx => Ok(()),
        Ok(_) => {
            let at = key_offset(&src.text, &["inputs"]);
            let message = "the recorded transaction does not read back as the same transaction file";
            Err(ReplayError::Invalid(Diagnostics(vec![src.error(Code::E0601, at..at + 1, message)])))
        }
        Err(d) => Err(relocate(&["inputs", "parties"], "a transaction file", d.0)),
    }
}

/// The value written at the 1-based `column` of a TOML line: a basic string with its quotes,
/// or a bare value (number, boolean, date) up to a blank, `,`, `]` or `}`.
fn value_at(line: &str, column: usize) -> Option<String> {
    let rest: String = line.chars().skip(column.saturating_sub(1)).collect();
    let value = if let Some(body) = rest.strip_prefix('"') {
        let mut escaped = false;
        let end = body.char_indices().find(|&(_, c)| {
            let close = c == '"' && !escaped;
            escaped = c == '\\' && !escaped;
            close
        })?;
        format!("\"{}\"", body.get(..end.0)?)
    } else {
        rest.chars().take_while(|c| !c.is_whitespace() && !matches!(c, ',' | ']' | '}')).collect()
    };
    (!value.is_empty()).then_some(value)
}

/// Byte offset, in JSON text, of the first value written as `value` (after a `:`, or in an
/// array) that comes
/// after the key at `anchor`; the anchor key's offset when there is none.
fn locate_value(text: &str, anchor: &[&str], value: Option<&str>) -> usize {
    let from = key_offset(text, anchor);
    let Some(value) = value else { return from };
    let rest = text.get(from..).unwrap_or("");
    rest.match_indices(value)
        .map(|(i, _)| from + i)
        .find(|&i| text.get(..i).is_some_and(|before| before.trim_end().ends_with([':', '[', ','])))
        .unwrap_or(from)
}

/// Byte offset of the key at `path` (`["inputs", "product"]`) in JSON text: each key found, as
/// a quoted key followed by `:`, after the one before it. 0 when not found.
fn key_offset(text: &str, path: &[&str]) -> usize {
    let mut from = 0;
    for key in path {
        let quoted = format!("\"{key}\"");
        let found = text.get(from..).and_then(|rest| {
            rest.match_indices(&quoted).map(|(i, _)| from + i).find(|&i| {
                let before_ok = i == 0 || text.as_bytes().get(i - 1) != Some(&b'\\');
                let after = text.get(i + quoted.len()..).unwrap_or("");
                before_ok && after.trim_start().starts_with(':')
            })
        });
        match found {
            Some(i) => from = i,
            None => return 0,
        }
    }
    from
}

/// Parses JSON text, refusing any object with a key written twice (E0602) and anything that
/// is not JSON (E0601), each located in `src`.
fn strict_json(src: &SourceFile) -> Result<serde_json::Value, ReplayError> {
    let text = src.text.strip_prefix('\u{feff}').unwrap_or(&src.text);
    let mut de = serde_json::Deserializer::from_str(text);
    let result = StrictValue.deserialize(&mut de).and_then(|v| de.end().map(|()| v));
    result.map_err(|e| {
        let full = e.to_string();
        let message = full.rsplit_once(" at line ").map_or(full.as_str(), |(m, _)| m).to_string();
        let line = e.line().max(1);
        let line_start: usize = src.text.split_inclusive('\n').take(line - 1).map(str::len).sum();
        let mut offset = (line_start + e.column().saturating_sub(1)).min(src.text.len());
        let code = if message.starts_with(DUPLICATE) {
            // serde_json stops at the end of the key (or the blanks after it): point at the
            // key's opening quote, however the key is written (`"\u0076erdict"` is `verdict`).
            offset = key_start(&src.text, offset);
            Code::E0602
        } else {
            Code::E0601
        };
        let help = (code == Code::E0602)
            .then(|| "a determination is written once by `check`; one with a key written twice was edited".to_string());
        ReplayError::Invalid(Diagnostics(vec![src.error(code, offset..offset + 1, message).with_help_opt(help)]))
    })
}

const DUPLICATE: &str = "the key `";

/// The offset of the opening quote of the JSON string that ends at or before `end` (blanks
/// after it skipped); `end` itself when there is none.
fn key_start(text: &str, end: usize) -> usize {
    let bytes = text.as_bytes();
    let mut i = end.min(bytes.len().saturating_sub(1));
    while i > 0 && bytes.get(i).is_some_and(|b| b.is_ascii_whitespace()) {
        i -= 1;
    }
    if bytes.get(i) != Some(&b'"') {
        return end;
    }
    let escaped =
        |at: usize| bytes.get(..at).unwrap_or_default().iter().rev().take_while(|b| **b == b'\\').count() % 2 == 1;
    (0..i).rev().find(|&j| bytes.get(j) == Some(&b'"') && !escaped(j)).unwrap_or(end)
}

/// Deserializes any JSON value like `serde_json::Value`, but refuses a key written twice in
/// one object (which `Value` would keep the last of).
struct StrictValue;

impl<'de> DeserializeSeed<'de> for StrictValue {
    type Value = serde_json::Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for StrictValue {
    type Value = serde_json::Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(serde_json::Value::Null, serde_json::Value::Number))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(StrictValue)? {
            out.push(v);
        }
        Ok(serde_json::Value::Array(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                return Err(de::Error::custom(format!(
                    "{DUPLICATE}{key}` is written twice in one object: a determination has each key once"
                )));
            }
            let value = map.next_value_seed(StrictValue)?;
            out.insert(key, value);
        }
        Ok(serde_json::Value::Object(out))
    }
}

/// The first place two JSON values differ: (path, recorded, replayed).
fn first_difference(a: &serde_json::Value, b: &serde_json::Value, path: String) -> Option<(String, String, String)> {
    use serde_json::Value;
    let here = |p: &str| if p.is_empty() { "(root)".to_string() } else { p.to_string() };
    let join = |k: &str| if path.is_empty() { k.to_string() } else { format!("{path}.{k}") };
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, va) in x {
                match y.get(k) {
                    Some(vb) => {
                        if let Some(d) = first_difference(va, vb, join(k)) {
                            return Some(d);
                        }
                    }
                    None => return Some((join(k), va.to_string(), "(absent)".into())),
                }
            }
            y.iter().find(|(k, _)| !x.contains_key(*k)).map(|(k, v)| (join(k), "(absent)".into(), v.to_string()))
        }
        (Value::Array(x), Value::Array(y)) => {
            for (i, (va, vb)) in x.iter().zip(y).enumerate() {
                if let Some(d) = first_difference(va, vb, format!("{path}[{i}]")) {
                    return Some(d);
                }
            }
            (x.len() != y.len()).then(|| (here(&path), format!("{} items", x.len()), format!("{} items", y.len())))
        }
        _ => (a != b).then(|| (here(&path), a.to_string(), b.to_string())),
    }
}
