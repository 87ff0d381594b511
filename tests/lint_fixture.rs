//! Lint findings on overlapping texts of one paragraph (L008), `confirmed_until` before `from`
//! (L009) and sources (L010, L011), and the rule-test check of an expectation that checks
//! nothing (E0406), on the small pack in tests/fixtures/lint-pack (clean as it stands; each
//! test makes one edit). Lines and columns are counted by hand in the fixture's files.

mod common;

use std::path::{Path, PathBuf};

use export_controls::catalog::Catalog;
use export_controls::diagnostic::{Code, Diagnostic, Severity};
use export_controls::lint::{Finding, lint};
use export_controls::rule_tests::{parse_test_files, run_cases};
use export_controls::ruleset::{SourceFile, compile, read_pack_files};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lint-pack")
}

/// Replaces the first `old` in the file named `file`.
fn edit(files: &mut [SourceFile], file: &str, old: &str, new: &str) {
    let f = files.iter_mut().find(|f| f.path == file).unwrap_or_else(|| panic!("no {file}"));
    assert!(f.text.contains(old), "{old:?} not in {file}");
    *f = SourceFile::new(f.path.clone(), f.text.replacen(old, new, 1));
}

/// The fixture's rule files with one edit, linted.
fn lint_with(file: &str, old: &str, new: &str) -> Vec<Finding> {
    let mut files = read_pack_files(&fixture()).unwrap();
    if !file.is_empty() {
        edit(&mut files, file, old, new);
    }
    lint(&compile(&files).unwrap_or_else(|e| panic!("{e}")))
}

/// The one finding of `findings`, after checking there is exactly one.
fn one(findings: &[Finding]) -> &Finding {
    assert_eq!(findings.len(), 1, "{findings:#?}");
    &findings[0]
}

fn at(f: &Diagnostic) -> (Code, Severity, &str, usize, usize) {
    (f.code, f.severity, f.file.as_str(), f.line, f.column)
}

const ACCEPTED: &str = "cite a CFR section (`15 CFR 742.6(a)(6)(iii)`, `§ 744.23`), a Federal Register citation \
                        (`88 FR 73458`, `FR Doc. 2026-02262`) or a public document: an `https://` address, a filing \
                        (`Form 8-K`, `10-K`, `10-Q`), or BIS guidance, an FAQ, a policy statement or a press release";

#[test]
fn the_fixture_is_clean_and_its_texts_of_3a090_a_succeed_each_other() {
    assert_eq!(lint_with("", "", ""), []);
    // What makes the clean result meaningful: the 2022 text ends the day the 2023 text starts,
    // and a Note is in force beside both.
    let rules = compile(&read_pack_files(&fixture()).unwrap()).unwrap();
    let period = |id: &str| rules.classifications().iter().find(|c| c.meta.id == id).unwrap().meta.period;
    assert_eq!(period("3A090.a").until, Some(period("3A090.a.1").from));
    assert!(period("3A090.a Note 1").overlaps(&period("3A090.a")));
    assert!(period("3A090.a Note 1").overlaps(&period("3A090.a.1")));
}

#[test]
fn two_texts_of_one_paragraph_in_force_together_are_an_error_naming_both() {
    // The 2022 text of 3A090.a ends two weeks after the 2023 text 3A090.a.1 starts.
    let f = lint_with("ccl.toml", "until = 2023-11-17", "until = 2023-12-01");
    let f = one(&f);
    assert_eq!(at(f), (Code::L008, Severity::Error, "ccl.toml", 15, 6));
    assert_eq!(f.source_line.as_deref(), Some("id = \"3A090.a.1\""));
    assert_eq!(
        f.message,
        "`3A090.a.1` (from 2023-11-17) and `3A090.a` (from 2022-10-21, until 2023-12-01, at ccl.toml:4:6) are two \
         texts of 3A090.a in force together from 2023-11-17 to 2023-11-30"
    );
    assert_eq!(
        f.help.as_deref(),
        Some(
            "a later text replaces the earlier one: end `3A090.a` with `until = 2023-11-17`, the day `3A090.a.1` starts"
        )
    );
}

#[test]
fn one_common_day_is_enough_and_an_open_end_overlaps_for_good() {
    let f = lint_with("ccl.toml", "until = 2023-11-17", "until = 2023-11-18");
    assert!(one(&f).message.ends_with(" in force together on 2023-11-17"), "{}", f[0].message);
    let f = lint_with("ccl.toml", "until = 2023-11-17\n", "");
    let f = one(&f);
    assert_eq!(at(f), (Code::L008, Severity::Error, "ccl.toml", 14, 6));
    assert_eq!(
        f.message,
        "`3A090.a.1` (from 2023-11-17) and `3A090.a` (from 2022-10-21, at ccl.toml:4:6) are two texts of 3A090.a in \
         force together from 2023-11-17 on"
    );
}

#[test]
fn two_texts_starting_on_one_day_cannot_be_told_apart_by_until() {
    // 3A090.a.1 moved back to the 2022 text's start (it is then also in force before its
    // publication, L004).
    let f = lint_with("ccl.toml", "from = 2023-11-17", "from = 2022-10-21");
    let l008: Vec<&Finding> = f.iter().filter(|x| x.code == Code::L008).collect();
    assert_eq!(l008.len(), 1, "{f:#?}");
    assert_eq!(at(l008[0]), (Code::L008, Severity::Error, "ccl.toml", 15, 6));
    assert!(l008[0].message.ends_with(" in force together from 2022-10-21 to 2023-11-16"), "{}", l008[0].message);
    assert_eq!(l008[0].help.as_deref(), Some("both start on 2022-10-21: keep one text of 3A090.a, or date them apart"));
    assert_eq!(f.iter().filter(|x| x.code != Code::L008).map(|x| x.code).collect::<Vec<_>>(), [Code::L004]);
}

#[test]
fn confirmed_until_more_than_a_day_before_from_is_an_error() {
    let edited = |date: &str| {
        lint_with(
            "requirements.toml",
            "from = 2023-11-17\nitems = [\"3A090.a\"]",
            &format!("from = 2023-11-17\nconfirmed_until = {date}\nitems = [\"3A090.a\"]"),
        )
    };
    let f = edited("2023-11-15");
    let f = one(&f);
    assert_eq!(at(f), (Code::L009, Severity::Error, "requirements.toml", 10, 6));
    assert_eq!(
        f.message,
        "`742.6(a)(6)(iii)` is confirmed until 2023-11-15, before it is in force (from 2023-11-17): no day of its \
         period is confirmed"
    );
    assert_eq!(
        f.help.as_deref(),
        Some(
            "`confirmed_until` is the last day the sources confirm the rule's status: a day from 2023-11-17 on, or \
             `confirmed_until = 2023-11-16` (the day before `from`) to say it is unconfirmed from its first day"
        )
    );
    // The day before `from` says the rule is unconfirmed from its first day (as the Affiliates
    // rule after its stay); `from` itself and later days confirm part of the period.
    for date in ["2023-11-16", "2023-11-17", "2024-06-01"] {
        assert_eq!(edited(date), [], "{date}");
    }
}

#[test]
fn a_placeholder_source_is_an_error() {
    let f = lint_with(
        "ccl.toml",
        "source = \"15 CFR 774 Supp. No. 1, ECCN 3A090.a.1; 88 FR 73458 (2023-10-25)\"",
        "source = \"TODO\"",
    );
    let f = one(&f);
    assert_eq!(at(f), (Code::L010, Severity::Error, "ccl.toml", 15, 6));
    assert_eq!(f.message, "the source of `3A090.a.1` is a placeholder (`TODO`): `TODO`");
    assert_eq!(f.help.as_deref(), Some(ACCEPTED));
    // Beside a citation too: the source is not finished.
    let f = lint_with("ccl.toml", "88 FR 73458 (2023-10-25)\"", "88 FR 73458 (2023-10-25); FR page TBD\"");
    assert_eq!(one(&f).message.split(':').next(), Some("the source of `3A090.a.1` is a placeholder (`TBD`)"));
}

#[test]
fn a_source_naming_no_primary_document_is_an_error_with_a_hint() {
    let f = lint_with(
        "ccl.toml",
        "source = \"15 CFR 774 Supp. No. 1, ECCN 3A090.a.1; 88 FR 73458 (2023-10-25)\"",
        "source = \"BIS rule\"",
    );
    let f = one(&f);
    assert_eq!(at(f), (Code::L010, Severity::Error, "ccl.toml", 15, 6));
    assert_eq!(
        f.message,
        "the source of `3A090.a.1` names no CFR section, Federal Register citation or public document: `BIS rule`"
    );
    assert_eq!(
        f.help.as_deref().map(|h| h.split_once("; ").map_or(h, |(hint, _)| hint)),
        Some("name the BIS document: guidance, an FAQ, a policy statement or a press release, with its date")
    );
    // A list entry's source: the finding points at the entry's `list`.
    let f = lint_with(
        "requirements.toml",
        "source = \"15 CFR 744 Supp. No. 4; 84 FR 22961 (2019-05-21)\"",
        "source = \"the Federal Register\"",
    );
    let f = one(&f);
    assert_eq!(at(f), (Code::L010, Severity::Error, "requirements.toml", 28, 8));
    assert_eq!(
        f.message,
        "the source of list entry `EL:example` names no CFR section, Federal Register citation or public document: \
         `the Federal Register`"
    );
    assert_eq!(
        f.help.as_deref(),
        Some(
            format!(
                "a Federal Register citation gives the volume and the page (`88 FR 73458`) or the document number \
                 (`FR Doc. 2026-02262`); {ACCEPTED}"
            )
            .as_str()
        )
    );
    // A country group's source: at the group's id.
    let f = lint_with(
        "requirements.toml",
        "source = \"15 CFR 740 Supp. No. 1, Country Group D, column D:5\"",
        "source = \"Supplement 1\"",
    );
    let f = one(&f);
    assert_eq!(at(f), (Code::L010, Severity::Error, "requirements.toml", 4, 6));
    assert!(f.message.starts_with("the source of country group `D:5` names no CFR section"), "{}", f.message);
}

#[test]
fn accepted_sources_pass() {
    for source in [
        "15 CFR 742.6(a)(6)(iii)",
        "§ 744.23(a)(3)",
        "88 FR 73458",
        "FR Doc. 2026-02262 (2026-02-03)",
        "https://www.bis.gov/press-release/example",
        "NVIDIA Form 8-K (2025-04-15)",
        "AMD 10-Q",
        "BIS guidance of 2025-05-13 on General Prohibition 10",
        "BIS FAQ on advanced computing",
        // A note in the repository beside a primary document is accepted (issue 12, item 8).
        "88 FR 73458; rules/us-ear/NOTES.md §3",
    ] {
        let f = lint_with(
            "ccl.toml",
            "source = \"15 CFR 774 Supp. No. 1, ECCN 3A090.a.1; 88 FR 73458 (2023-10-25)\"",
            &format!("source = \"{source}\""),
        );
        assert_eq!(f, [], "{source}");
    }
}

#[test]
fn a_source_citing_only_a_research_note_is_a_warning() {
    let f = lint_with(
        "ccl.toml",
        "source = \"15 CFR 774 Supp. No. 1, ECCN 3A090.a.1; 88 FR 73458 (2023-10-25)\"",
        "source = \"company statements; regulation.md §3.1\"",
    );
    let f = one(&f);
    assert_eq!(at(f), (Code::L011, Severity::Warning, "ccl.toml", 15, 6));
    assert_eq!(
        f.message,
        "the source of `3A090.a.1` names no CFR section, Federal Register citation or public document; the note it \
         cites (`regulation.md`) is not one: `company statements; regulation.md §3.1`"
    );
}

#[test]
fn a_source_citing_a_file_outside_the_repository_beside_a_primary_document_is_a_warning() {
    let f = lint_with(
        "ccl.toml",
        "source = \"15 CFR 774 Supp. No. 1, ECCN 3A090.a.1; 88 FR 73458 (2023-10-25)\"",
        "source = \"88 FR 73458; ../../shared/reference/regulation.md §3.1\"",
    );
    let f = one(&f);
    assert_eq!(at(f), (Code::L011, Severity::Warning, "ccl.toml", 15, 6));
    assert_eq!(
        f.message,
        "the `source` of `3A090.a.1` cites `../../shared/reference/regulation.md`, which is not in the repository"
    );
}

// ---- rule tests: an expectation that checks nothing -------------------------------------------

/// The fixture's rule test with one edit, parsed against the shipped catalog.
fn parse_case(old: &str, new: &str) -> Result<usize, Vec<Diagnostic>> {
    let path = fixture().join("tests/cases.toml");
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(old), "{old:?} not in cases.toml");
    let file = SourceFile::new("cases.toml", text.replacen(old, new, 1));
    let catalog = Catalog::shipped().unwrap();
    let rules = compile(&read_pack_files(&fixture()).unwrap()).unwrap();
    parse_test_files(&[file], &catalog, &rules).map(|cases| cases.len()).map_err(|d| d.0)
}

#[test]
fn the_fixture_case_passes() {
    let rules = compile(&read_pack_files(&fixture()).unwrap()).unwrap();
    let catalog = Catalog::shipped().unwrap();
    let text = std::fs::read_to_string(fixture().join("tests/cases.toml")).unwrap();
    let cases = parse_test_files(&[SourceFile::new("cases.toml", text)], &catalog, &rules).unwrap();
    let report = run_cases(&rules, &catalog, cases, None);
    assert_eq!((report.passed(), report.failed()), (1, 0), "{}", report.render());
}

#[test]
fn a_case_with_an_empty_expectation_fails_to_load_naming_it() {
    let d = parse_case("verdict = \"license_required\"\n", "").unwrap_err();
    let d = one(&d);
    // At the `[case.expect]` header.
    assert_eq!(at(d), (Code::E0406, Severity::Error, "cases.toml", 7, 1));
    assert_eq!(
        d.message,
        "case `H100 to China` expects nothing: its `expect` has no key, so it passes whatever the rules decide"
    );
    assert_eq!(
        d.help.as_deref(),
        Some(
            "state what the case shows: `verdict = \"...\"`, and the `eccns`, `requirements`, `exceptions` or \
             `notices` it turns on (an empty list such as `eccns = []` expects none)"
        )
    );
    // An inline table: at its `{`.
    let d = parse_case("[case.expect]\nverdict = \"license_required\"\n", "expect = {}\n").unwrap_err();
    assert_eq!(at(one(&d)), (Code::E0406, Severity::Error, "cases.toml", 7, 10));
}

#[test]
fn keys_that_every_determination_meets_expect_nothing_either() {
    let d = parse_case("verdict = \"license_required\"\n", "missing = []\nreview_policies = {}\n").unwrap_err();
    let d = one(&d);
    assert_eq!(at(d), (Code::E0406, Severity::Error, "cases.toml", 7, 1));
    assert_eq!(
        d.message,
        "case `H100 to China` expects nothing: its `expect` holds only `missing = []` and `review_policies = {}`, \
         which every determination meets, so it passes whatever the rules decide"
    );
    // An empty list of ECCNs is an expectation: none.
    assert_eq!(parse_case("verdict = \"license_required\"\n", "eccns = []\n"), Ok(1));
    assert_eq!(parse_case("verdict = \"license_required\"\n", "missing = [\"tpp\"]\n"), Ok(1));
}
