//! Lint L012: a lapse between two versions of one rule (tester finding P3). The PRC's RS licence
//! runs from 2022-10-21 without interruption, Macau added from 2023-01-17 (ref §2 rows 1-2); a
//! first version ending on 2023-01-10 leaves 2023-01-10 to 2023-01-16 with no requirement.

mod common;

use std::path::Path;

use export_controls::diagnostic::Code;
use export_controls::lint::{Finding, Severity, lint};
use export_controls::ruleset::compile;

fn lint_with(file: &str, old: &str, new: &str) -> Vec<Finding> {
    let files = common::pack_files_edited(file, old, new);
    lint(&compile(&files).unwrap_or_else(|e| panic!("{e}")))
}

/// The 1-based line of the `nth` (0-based) `needle` in a shipped rule file.
fn line_of(file: &str, needle: &str, nth: usize) -> usize {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/us-ear").join(file)).unwrap();
    let (at, _) = text.match_indices(needle).nth(nth).unwrap_or_else(|| panic!("{needle} #{nth} not in {file}"));
    text[..at].matches('\n').count() + 1
}

fn l012(f: &[Finding]) -> Vec<&Finding> {
    f.iter().filter(|x| x.code == Code::L012).collect()
}

#[test]
fn a_gap_between_two_versions_of_a_requirement_is_an_error_naming_the_days() {
    let f = lint_with("license-requirements.toml", "until = 2023-01-17\nitems", "until = 2023-01-10\nitems");
    let gaps = l012(&f);
    assert_eq!(gaps.len(), 1, "{f:?}");
    let g = gaps[0];
    assert_eq!(g.severity, Severity::Error);
    // At the later version's id (the second `742.6(a)(6)(i)`), column 6: `id = "` is 5 characters.
    let later = line_of("license-requirements.toml", "id = \"742.6(a)(6)(i)\"", 1);
    let earlier = line_of("license-requirements.toml", "id = \"742.6(a)(6)(i)\"", 0);
    assert_eq!((g.file.as_str(), g.line, g.column), ("license-requirements.toml", later, 6));
    assert_eq!(
        g.message,
        format!(
            "`742.6(a)(6)(i)` is in force in no version from 2023-01-10 to 2023-01-16: the license_requirement written at \
             license-requirements.toml:{earlier}:6 ends with `until = 2023-01-10` and this version starts on 2023-01-17"
        )
    );
    assert!(g.help.as_deref().is_some_and(|h| h.contains("follows_lapse")), "{:?}", g.help);
}

#[test]
fn a_gap_of_one_day_names_that_day() {
    let f = lint_with("license-requirements.toml", "until = 2023-01-17\nitems", "until = 2023-01-16\nitems");
    let gaps = l012(&f);
    assert_eq!(gaps.len(), 1, "{f:?}");
    assert!(
        gaps[0].message.starts_with("`742.6(a)(6)(i)` is in force in no version on 2023-01-16:"),
        "{}",
        gaps[0].message
    );
}

#[test]
fn versions_that_meet_leave_no_gap() {
    // `until` is the first day a version no longer applies: the next version starting that day
    // leaves no day out (the shipped 742.6(a)(6)(i) versions, and every other id).
    let f = lint_with("pack.toml", "", "");
    assert_eq!(l012(&f).len(), 0, "{f:?}");
}

#[test]
fn the_affiliates_stay_is_a_lapse_the_later_version_explains() {
    // The Affiliates rule (90 FR 47201) was stayed from 2025-11-10 to 2026-11-09 (90 FR 50857):
    // its second version says so with `follows_lapse`, and without it the lapse is an error.
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/us-ear/entity-list.toml")).unwrap();
    let line = text.lines().find(|l| l.starts_with("follows_lapse = ")).expect("the shipped stay is explained");
    let f = lint_with("entity-list.toml", &format!("{line}\n"), "");
    let gaps = l012(&f);
    assert_eq!(gaps.len(), 1, "{f:?}");
    assert_eq!(gaps[0].file, "entity-list.toml");
    assert_eq!(gaps[0].line, line_of("entity-list.toml", "id = \"744.11(a)(1)/affiliates\"", 1));
    assert!(
        gaps[0]
            .message
            .starts_with("`744.11(a)(1)/affiliates` is in force in no version from 2025-11-10 to 2026-11-09:"),
        "{}",
        gaps[0].message
    );
    // A blank explanation explains nothing.
    let f = lint_with("entity-list.toml", line, "follows_lapse = \" \"");
    assert_eq!(l012(&f).len(), 1, "{f:?}");
}

#[test]
fn a_gap_in_a_classification_is_caught_too() {
    // Note 1 to 3A090.a: the 2025-2026 version ending on 2026-12-01 instead of 2027-01-01.
    let f =
        lint_with("ccl-3a090.toml", "from = 2025-01-31\nuntil = 2027-01-01", "from = 2025-01-31\nuntil = 2026-12-01");
    let gaps = l012(&f);
    assert_eq!(gaps.len(), 1, "{f:?}");
    assert!(
        gaps[0].message.starts_with(
            "`3A090.a Note 1` is in force in no version from 2026-12-01 to 2026-12-31: the classification written at"
        ),
        "{}",
        gaps[0].message
    );
}
