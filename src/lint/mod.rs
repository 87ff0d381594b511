//! Lint for rule packs: problems that compile but are probably mistakes. Errors that make a
//! pack unusable are reported by the loader (see [`crate::ruleset::compile`]); the lint adds
//! warnings and the errors a loaded pack can still have (a condition that can never hold).
//!
//! Each check is one function, listed with its code in `CHECKS`: conditions that can never
//! be true (L001), gaps between the threshold bands of one ECCN family (L002), duplicate
//! paragraphs (L003), rules in force before their own publication date (L004), country groups
//! (L005) and lists (L006) never used, overlapping bands of two ECCNs of one family (L007),
//! two texts of one paragraph in force together (L008), a `confirmed_until` before the rule is
//! in force (L009), a `source` that cites nothing a reader can open (L010), or only a note, and
//! a rule text that cites a file not in the repository (L011), and a lapse between two versions
//! of one rule (or between a licence requirement and the one it `succeeds`) that the later
//! version does not explain with `follows_lapse` (L012), a `confirmed_from` with no `unverified`
//! saying what the sources leave open about the rule's start (L013), a rule that starts on the
//! pack's `coverage_from` (L014), a destination set whose exceptions remove everything it names
//! (L015), a `coverage_from` earlier than the days the rules were written for (L016), a group
//! or country written twice in one list of a destination set (L017), and a country group with
//! no member (L021).
//! Findings are [`Diagnostic`]s like the loader's: file, line, column, the line with a caret,
//! and help; `rules/ERRORS.md` documents every code.

mod bands;
mod coverage;
mod dates;
mod empty;
mod lapses;
mod repeated;
mod sources;
mod unused;

use std::fmt::Write as _;

use crate::diagnostic::{Code, Diagnostic};
use crate::ruleset::{RuleMeta, RuleSet};

pub use crate::diagnostic::Severity;

/// Every rule's common fields, by kind in the order of the rule files' tables
/// (classifications, exclusions, requirements, exceptions, review policies, notices).
fn metas(rules: &RuleSet) -> impl Iterator<Item = &RuleMeta> {
    rules
        .classifications
        .iter()
        .map(|r| &r.meta)
        .chain(rules.exclusions.iter().map(|r| &r.meta))
        .chain(rules.requirements.iter().map(|r| &r.meta))
        .chain(rules.exceptions.iter().map(|r| &r.meta))
        .chain(rules.review_policies.iter().map(|r| &r.meta))
        .chain(rules.notices.iter().map(|r| &r.meta))
}

/// One lint finding: a [`Diagnostic`] with an `L` code, pointing at the rule concerned.
pub type Finding = Diagnostic;

/// A check: the findings of one code in a pack.
type Check = fn(&RuleSet) -> Vec<Diagnostic>;

/// Every check, with the code of its findings.
const CHECKS: [(Code, Check); 19] = [
    (Code::L001, bands::impossible),
    (Code::L002, bands::gaps),
    (Code::L003, bands::duplicates),
    (Code::L004, dates::before_publication),
    (Code::L005, unused::groups),
    (Code::L006, unused::lists),
    (Code::L007, bands::overlaps),
    (Code::L008, dates::overlapping_texts),
    (Code::L009, dates::confirmed_before_from),
    (Code::L010, sources::unsupported),
    (Code::L011, sources::notes),
    (Code::L012, lapses::gaps),
    (Code::L013, dates::confirmed_from_unexplained),
    (Code::L014, coverage::starts_at_coverage),
    (Code::L015, coverage::empty_destinations),
    (Code::L016, coverage::coverage_before_rules),
    (Code::L017, repeated::names),
    (Code::L021, empty::groups),
    (Code::L022, coverage::removed_names),
];

/// Lints a compiled pack. Findings are in a stable order: by code, then file, line and column.
pub fn lint(rules: &RuleSet) -> Vec<Finding> {
    let mut out: Vec<Finding> = CHECKS.iter().flat_map(|(_, check)| check(rules)).collect();
    out.sort_by(|a, b| (a.code, &a.file, a.line, a.column).cmp(&(b.code, &b.file, b.line, b.column)));
    out
}

/// Lints the pack read from `dir` ([`RuleSet::load_dir`]) as [`lint`] does, each finding
/// naming its file from the current directory as `dir` is given (and so does a message that
/// names another rule's place): `export-controls lint rules/us-ear` prints
/// `rules/us-ear/ccl-3a090.toml:46:6: warning[L002]: ...`, a path the reader can open, as the
/// loader's errors name it ([`Diagnostic::in_dir`]).
pub fn lint_dir(rules: &RuleSet, dir: &std::path::Path) -> Vec<Finding> {
    let shown = crate::files::display_path(dir);
    let files: Vec<&str> = rules.pack.files.iter().map(|(path, _)| path.as_str()).collect();
    lint(rules).into_iter().map(|f| f.in_dir(&shown, &files)).collect()
}

/// Plain-text report: errors, then warnings, then notes, each as the loader shows its errors
/// (see [`Diagnostic::render`]) and followed by a blank line, then a closing count line
/// (`0 error(s), 2 warning(s)`).
pub fn render(findings: &[Finding]) -> String {
    let mut o = String::new();
    for severity in [Severity::Error, Severity::Warning, Severity::Note] {
        for f in findings.iter().filter(|f| f.severity == severity) {
            let _ = writeln!(o, "{}\n", f.render());
        }
    }
    let errors = findings.iter().filter(|f| f.severity == Severity::Error).count();
    let _ = writeln!(o, "{errors} error(s), {} warning(s)", findings.len() - errors);
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_lint_code_has_one_check_in_code_order() {
        let lint_codes: Vec<Code> =
            Code::ALL.iter().copied().filter(|c| c.area() == crate::diagnostic::Area::Lint).collect();
        let checked: Vec<Code> = CHECKS.iter().map(|(c, _)| *c).collect();
        assert_eq!(checked, lint_codes);
    }

    #[test]
    fn each_check_reports_its_own_code_only() {
        // An edited pack where several checks fire.
        let mut files = Vec::new();
        collect(&mut files);
        let Ok(rules) = crate::ruleset::compile(&files) else { panic!("the edited pack compiles") };
        let mut seen = Vec::new();
        for (code, check) in CHECKS {
            for f in check(&rules) {
                assert_eq!(f.code, code, "{f}");
                assert_eq!(f.severity, code.severity(), "{f}");
                seen.push(code);
            }
        }
        seen.dedup();
        // The shipped pack cites no file outside the repository and no note alone (L011).
        assert_eq!(seen, [Code::L002, Code::L004, Code::L005]);
    }

    fn collect(out: &mut Vec<crate::diagnostic::SourceFile>) {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/us-ear");
        for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            let Ok(mut text) = std::fs::read_to_string(e.path()) else { continue };
            if !name.ends_with(".toml") {
                continue;
            }
            text = match name.as_str() {
                "ccl-3a090.toml" => text.replacen("tpp >= 2400 and tpp < 4800", "tpp >= 2400 and tpp < 4700", 1),
                "embargoes.toml" => text.replacen("effective = 2022-02-24\n", "", 1),
                "country-groups.toml" => text.replacen(
                    "[[treated_as]]",
                    "[[country_group]]\nid = \"E:1\"\ntitle = \"E:1\"\nsource = \"15 CFR 740 Supp. No. 1\"\nmembers = [\"IR\"]\n\n[[treated_as]]",
                    1,
                ),
                _ => text,
            };
            out.push(crate::diagnostic::SourceFile::new(name, text));
        }
    }
}
