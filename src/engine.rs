//! The engine's identity: which build of this library made a determination.
//!
//! A determination records the rule pack that made it (name, version, sha256), but its outcome
//! depends on the engine too: the same pack read by a later engine (a corrected name
//! comparison, a new check of the inputs) may decide the same transaction otherwise. A record
//! kept for 15 CFR 762 (reproduced on request, 762.6) names both, so that a replay by another
//! engine that differs can be told from a record that was altered. [`Engine::current`] is this
//! build; the service's records store it beside each determination (the determination's JSON
//! itself does not hold it: `check --format json` and the API write the same bytes as before).

use serde::{Deserialize, Serialize};

/// A build of the engine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Engine {
    /// The library's version (`Cargo.toml`), e.g. `0.1.0`.
    pub version: String,
    /// The git commit that holds the engine's source as built, 40 hex characters: the commit
    /// checked out when those files last changed (a later commit that leaves them as they are
    /// builds the same engine); with `+modified` when they differed from it (no commit holds
    /// them); `unknown` for a build outside a git checkout without `EXPORT_CONTROLS_COMMIT`.
    /// Build this commit to reproduce a determination the engine made.
    pub commit: String,
    /// SHA-256 (FIPS 180-4, lower-case hex) over the engine's source files: `src/` whole,
    /// `build.rs`, `Cargo.toml` and `Cargo.lock`, in the order of their paths, each framed as
    /// its path's length (8 bytes big-endian), its path, its length and its bytes. Two builds
    /// with the same value are the same engine, whatever their commits.
    pub source_sha256: String,
}

impl Engine {
    /// This build.
    pub fn current() -> &'static Engine {
        static CURRENT: std::sync::LazyLock<Engine> = std::sync::LazyLock::new(|| Engine {
            version: env!("CARGO_PKG_VERSION").to_string(),
            commit: env!("EXPORT_CONTROLS_COMMIT").to_string(),
            source_sha256: env!("EXPORT_CONTROLS_SOURCE_SHA256").to_string(),
        });
        &CURRENT
    }

    /// Whether `self` and `other` are the same engine: the same source (the commit and the
    /// version only say where to find it).
    pub fn same_as(&self, other: &Engine) -> bool {
        self.source_sha256 == other.source_sha256
    }

    /// Whether the fields have their forms: a version, a commit of 40 hex characters (with
    /// `+modified`) or `unknown`, a source sha256 of 64 lower-case hex characters. The reason
    /// when not.
    ///
    /// # Errors
    /// The first field that is malformed, with its value.
    pub fn check(&self) -> Result<(), String> {
        let hex =
            |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        if semver::Version::parse(&self.version).is_err() {
            return Err(format!("`version` `{}` is not a semantic version", crate::diagnostic::shorten(&self.version)));
        }
        let commit = self.commit.strip_suffix("+modified").unwrap_or(&self.commit);
        if !(hex(commit, 40) || self.commit == "unknown") {
            return Err(format!(
                "`commit` `{}` is not a git commit (40 hex characters, `+modified` after them) or `unknown`",
                crate::diagnostic::shorten(&self.commit)
            ));
        }
        if !hex(&self.source_sha256, 64) {
            return Err(format!(
                "`source_sha256` `{}` is not a SHA-256 (64 lower-case hex characters)",
                crate::diagnostic::shorten(&self.source_sha256)
            ));
        }
        Ok(())
    }
}

impl std::fmt::Display for Engine {
    /// `export-controls 0.1.0, commit 52ffb0c…, source sha256 3f1a…` (the commit and the
    /// sha256 whole).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "export-controls {}, commit {}, source sha256 {}", self.version, self.commit, self.source_sha256)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// This build names itself in the forms `check` requires: the build script ran.
    #[test]
    fn the_current_engine_is_well_formed() {
        let e = Engine::current();
        assert_eq!(e.version, env!("CARGO_PKG_VERSION"));
        assert_eq!(e.check(), Ok(()), "{e}");
        assert!(e.same_as(&e.clone()));
        let other = Engine { source_sha256: "0".repeat(64), ..e.clone() };
        assert!(!e.same_as(&other), "another source is another engine");
        let moved = Engine { commit: "unknown".into(), version: "9.9.9".into(), ..e.clone() };
        assert!(e.same_as(&moved), "the commit and version only say where the source is");
    }

    #[test]
    fn malformed_fields_are_named() {
        let ok = Engine { version: "0.1.0".into(), commit: "a".repeat(40), source_sha256: "b".repeat(64) };
        assert_eq!(ok.check(), Ok(()));
        assert_eq!(Engine { commit: format!("{}+modified", "a".repeat(40)), ..ok.clone() }.check(), Ok(()));
        let e = Engine { commit: "main".into(), ..ok.clone() }.check().unwrap_err();
        assert!(e.starts_with("`commit` `main`"), "{e}");
        let e = Engine { source_sha256: "B".repeat(64), ..ok.clone() }.check().unwrap_err();
        assert!(e.starts_with("`source_sha256`"), "{e}");
        let e = Engine { version: "one".into(), ..ok }.check().unwrap_err();
        assert!(e.starts_with("`version` `one`"), "{e}");
    }
}
