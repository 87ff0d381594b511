//! The register of releases of the rule pack embedded in this program (rules/RELEASES.toml):
//! every version and content hash (sha256) under which `us-ear` was locked on main.
//!
//! A pack's name and version stand for the rules reviewed under them (README, "Rule packs,
//! locks and records"). The lock beside a pack only says that its files have not changed since
//! someone locked them; anyone can re-make it. So a `--rules` pack that takes the embedded
//! pack's name and an older version is measured against this register: one that IS that
//! release (the same sha256) replays the records it made (`replay`, `records verify`), and makes
//! new determinations only when asked for (`--superseded`, E0527 otherwise: its rules are
//! superseded by the embedded version), each marked `SUPERSEDED PACK:`
//! ([`crate::audit::PackOptions`]); one whose version was never released, or was released with
//! other content (a pack from a branch that never reached main, an older release edited), is
//! not that pack, and is refused as an unlocked pack is (tester round 8, T8: a pack from a
//! helper branch locked as `us-ear 0.1.28` undid a later fix without a word).

use serde::Deserialize;

/// The register's text, embedded when the program is built.
const REGISTER: &str = include_str!("../rules/RELEASES.toml");

/// One release of the embedded pack: a version locked on main with its content hash.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Release {
    /// The pack's version (`version` in pack.toml), a semantic version such as `0.1.29`.
    pub version: String,
    /// The pack's content hash, 64 lowercase hex digits, as `export-controls lock` writes it.
    pub sha256: String,
    /// The commit of main that locked it (abbreviated hash), for the auditor.
    pub commit: String,
    /// The day it was locked.
    pub date: toml::value::Datetime,
}

/// The register: the pack it is about and its releases, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Register {
    /// The pack's name (`us-ear`).
    pub pack: String,
    /// Its releases, newest first.
    #[serde(rename = "release")]
    pub releases: Vec<Release>,
}

/// The register embedded in this program, read once.
///
/// # Errors
/// The register's text does not parse (as TOML, with only the keys above): the message names
/// the line and column. The crate's tests rule that out; callers treat it as "no release is
/// known" (every older version is then refused, never accepted).
pub fn register() -> Result<&'static Register, &'static str> {
    static READ: std::sync::OnceLock<Result<Register, String>> = std::sync::OnceLock::new();
    READ.get_or_init(|| toml::from_str(REGISTER).map_err(|e| format!("rules/RELEASES.toml: {e}")))
        .as_ref()
        .map_err(String::as_str)
}

/// How a pack (name, version, sha256) stands against the register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    /// The pack is not the register's pack (another name), or the register does not cover its
    /// version because it is later than the embedded one (a pack edited after this program was
    /// built, reviewed and locked under a new version).
    NotCovered,
    /// A release: this version with this content hash.
    Released,
    /// This version was released with other content: the sha256 of each release of it.
    OtherContent(Vec<String>),
    /// This version was never released.
    NeverReleased,
    /// The register does not load (the message): nothing older can be confirmed.
    Unreadable(String),
}

/// How the pack `name` at `version` with content hash `sha256` stands against the register,
/// for versions up to `shipped_version` (the embedded pack's). Versions are compared as
/// semantic versions; a version that is not one is compared as text against the register.
pub fn standing(name: &str, version: &str, sha256: &str, shipped_version: &str) -> Standing {
    let register = match register() {
        Ok(r) => r,
        Err(e) => return Standing::Unreadable(e.to_string()),
    };
    if name != register.pack {
        return Standing::NotCovered;
    }
    if let (Ok(this), Ok(shipped)) = (semver::Version::parse(version), semver::Version::parse(shipped_version))
        && this > shipped
    {
        return Standing::NotCovered;
    }
    let same_version: Vec<&Release> = register.releases.iter().filter(|r| r.version == version).collect();
    if same_version.iter().any(|r| r.sha256 == sha256) {
        Standing::Released
    } else if same_version.is_empty() {
        Standing::NeverReleased
    } else {
        Standing::OtherContent(same_version.iter().map(|r| r.sha256.clone()).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const V27_MAIN: &str = "96589ba541f092e579c1d3ef00c4d0da39e80e259a919841d19866d433e23c72";
    const V27_EARLIER: &str = "11776a425695855c5f264f1c02d3d2ae21da094f629ae3e5e36d5ab8eb724ba2";
    /// The sha256 of the pack a helper branch locked as 0.1.28 (tester round 8, T8, 018bee0).
    const V28_BRANCH: &str = "484e33252a58d9026e8f416bc1155b3115625d418e60cd0efa3409a3f1acd0a0";

    #[test]
    fn the_register_reads_and_lists_each_release_once() {
        let r = register().unwrap();
        assert_eq!(r.pack, "us-ear");
        let mut seen = std::collections::BTreeSet::new();
        for release in &r.releases {
            assert!(semver::Version::parse(&release.version).is_ok(), "{}", release.version);
            assert_eq!(release.sha256.len(), 64, "{}", release.version);
            assert!(release.sha256.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
            assert!(seen.insert((release.version.clone(), release.sha256.clone())), "{} twice", release.version);
        }
    }

    #[test]
    fn a_release_of_main_is_released_and_both_contents_of_0_1_27_are() {
        assert_eq!(standing("us-ear", "0.1.27", V27_MAIN, "0.1.29"), Standing::Released);
        assert_eq!(standing("us-ear", "0.1.27", V27_EARLIER, "0.1.29"), Standing::Released);
    }

    #[test]
    fn a_version_locked_only_on_a_branch_was_never_released() {
        assert_eq!(standing("us-ear", "0.1.28", V28_BRANCH, "0.1.29"), Standing::NeverReleased);
        assert_eq!(standing("us-ear", "0.0.1", V27_MAIN, "0.1.29"), Standing::NeverReleased);
    }

    #[test]
    fn a_release_edited_is_other_content() {
        let Standing::OtherContent(shas) = standing("us-ear", "0.1.26", V27_MAIN, "0.1.29") else {
            panic!("0.1.26 with 0.1.27's content taken as a release")
        };
        assert_eq!(shas, ["b830879b7435456a7ecfaf51621f7852b8c258d3876c5dd9e830ce2b4684c180"]);
    }

    #[test]
    fn later_versions_and_other_packs_are_not_covered() {
        assert_eq!(standing("us-ear", "0.2.0", V28_BRANCH, "0.1.29"), Standing::NotCovered);
        assert_eq!(standing("eu-dual-use", "0.1.27", V28_BRANCH, "0.1.29"), Standing::NotCovered);
    }
}
