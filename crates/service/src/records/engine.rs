//! The engine that made a record (tester finding S15): the `engine` column, beside the
//! determination (whose JSON does not hold it: the API and `check --format json` write the
//! same bytes as before).
//!
//! The column holds compact JSON: the [`Engine`] that made the record (`version`, `commit`,
//! `source_sha256`), or, for a record kept before records named their engine,
//! `{"unknown_before":"TIME"}`: the time (RFC 3339, UTC) at which the store was migrated, before
//! which the record was made. A replay that differs from a record made by another engine (or
//! an unknown one) may show the engine's change, not an altered record: it is reported as such
//! (E0608), apart from a difference under the same engine.

use export_controls::Engine;
use export_controls::diagnostic::Code;
use serde::{Deserialize, Serialize};

/// The code of a replay that differs from a record made by another engine (E0608).
pub const OTHER_ENGINE: Code = export_controls::audit::REPLAY_OTHER_ENGINE;

/// The engine a record names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum RecordEngine {
    /// The build that made it.
    Known(Engine),
    /// Not named: the record was kept before records named their engine.
    Unknown {
        /// When the store was migrated to name engines, RFC 3339 UTC: the record was made
        /// before.
        unknown_before: String,
    },
}

impl RecordEngine {
    /// The column of a record made by this build.
    pub fn current_column() -> String {
        // The same for every record this build makes: written once, not for each record.
        static COLUMN: std::sync::LazyLock<String> =
            std::sync::LazyLock::new(|| column(&RecordEngine::Known(Engine::current().clone())));
        COLUMN.clone()
    }

    /// The column given to the records already in a store when it is migrated at `now`: `now`
    /// rounded up to the second (every record already there was made before it).
    pub fn unknown_column(now: time::OffsetDateTime) -> String {
        let up = match now.replace_nanosecond(0) {
            Ok(s) if s < now => s + time::Duration::SECOND,
            Ok(s) => s,
            Err(_) => now,
        };
        let t = up.format(&time::format_description::well_known::Rfc3339).unwrap_or_default();
        column(&RecordEngine::Unknown { unknown_before: t })
    }

    /// The engine a column names.
    ///
    /// # Errors
    /// What is wrong with the column: not JSON of either form, or an engine whose fields are
    /// malformed ([`Engine::check`]).
    pub fn parse(column: &str) -> Result<RecordEngine, String> {
        let e: RecordEngine = serde_json::from_str(column).map_err(|_| {
            format!(
                "`{}` is neither an engine (version, commit, source_sha256) nor {{\"unknown_before\": TIME}}",
                super::shown::shorten(column)
            )
        })?;
        if let RecordEngine::Known(k) = &e {
            k.check()?;
        }
        Ok(e)
    }

    /// Whether this is the engine replaying now ([`Engine::same_as`] this build).
    pub fn is_current(&self) -> bool {
        matches!(self, RecordEngine::Known(e) if e.same_as(Engine::current()))
    }
}

impl std::fmt::Display for RecordEngine {
    /// The engine ([`Engine`]'s form), or `an engine the record does not name (records made
    /// before TIME do not name theirs)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RecordEngine::Known(e) => write!(f, "{e}"),
            RecordEngine::Unknown { unknown_before } => write!(
                f,
                "an engine the record does not name (records kept before {unknown_before} do not name theirs)"
            ),
        }
    }
}

/// Compact JSON of `e`.
fn column(e: &RecordEngine) -> String {
    serde_json::to_string(e).unwrap_or_default()
}

/// The beginning of a column that names no engine ([`RecordEngine::unknown_column`]).
pub(crate) const UNKNOWN_PREFIX: &str = "{\"unknown_before\":";

/// Whether the column names no engine (it begins `{"unknown_before":`, as
/// [`RecordEngine::unknown_column`] writes it): a record kept before records named their
/// engine, whose hash ([`super::chain::link_hash`]) was made without it. A test of its first
/// bytes, not a parse: the writer hashes every record.
pub fn is_unknown(column: &str) -> bool {
    column.starts_with(UNKNOWN_PREFIX)
}

/// What a replay that differs from a record made by `made_by` means, when that is not this
/// build: `error[E0608]: made by X, replayed by Y: the difference may be the engine's …`.
/// `None` when `made_by` is this build (a difference is then the record's).
pub fn other_engine_note(made_by: &RecordEngine) -> Option<String> {
    if made_by.is_current() {
        return None;
    }
    let commit = match made_by {
        RecordEngine::Known(e) => format!("the binary built from commit {}", e.commit),
        RecordEngine::Unknown { .. } => "the binary that made it".to_string(),
    };
    Some(format!(
        "error[{OTHER_ENGINE}]: the record was made by {made_by}; it was replayed by {}: the difference may be the engine's, not the record's; replay it with {commit} to tell (if it differs there too, the record was altered)",
        Engine::current()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_read_back() {
        let now = RecordEngine::current_column();
        assert_eq!(RecordEngine::parse(&now), Ok(RecordEngine::Known(Engine::current().clone())));
        assert!(RecordEngine::parse(&now).unwrap().is_current());
        assert!(!is_unknown(&now));
        let t = time::macros::datetime!(2026-12-01 18:40:12.5 UTC);
        let old = RecordEngine::unknown_column(t);
        assert_eq!(old, r#"{"unknown_before":"2026-12-01T18:40:13Z"}"#, "rounded up");
        let whole = RecordEngine::unknown_column(time::macros::datetime!(2026-12-01 18:40:12 UTC));
        assert_eq!(whole, r#"{"unknown_before":"2026-12-01T18:40:12Z"}"#);
        assert!(is_unknown(&old));
        let e = RecordEngine::parse(&old).unwrap();
        assert!(!e.is_current());
        assert!(other_engine_note(&e).unwrap().contains("records kept before 2026-12-01T18:40:13Z do not name theirs"));
        assert_eq!(other_engine_note(&RecordEngine::parse(&now).unwrap()), None);
        for bad in
            ["", "{}", "null", r#"{"version":"0.1.0"}"#, r#"{"version":"0.1.0","commit":"x","source_sha256":"y"}"#]
        {
            assert!(RecordEngine::parse(bad).is_err(), "{bad}");
        }
    }

    /// A record of another build (another source sha256) is reported with both engines and the
    /// commit to build; the commit alone does not make another engine.
    #[test]
    fn another_build_is_named_with_its_commit() {
        let other = Engine { source_sha256: "0".repeat(64), commit: "886ba2c0".repeat(5), ..Engine::current().clone() };
        let note = other_engine_note(&RecordEngine::Known(other.clone())).unwrap();
        assert!(note.starts_with("error[E0608]: the record was made by export-controls"), "{note}");
        assert!(note.contains(&format!("source sha256 {}", "0".repeat(64))), "{note}");
        assert!(note.contains(&format!("replayed by {}", Engine::current())), "{note}");
        assert!(note.contains(&format!("the binary built from commit {}", other.commit)), "{note}");
        let same_source = Engine { commit: "unknown".into(), ..Engine::current().clone() };
        assert_eq!(other_engine_note(&RecordEngine::Known(same_source)), None);
    }
}
