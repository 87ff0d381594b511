//! Runs the rule tests of rules/us-ear/tests/ against the pack on disk (the same runner as
//! `export-controls test`), and checks that the embedded pack is the one on disk.

use std::path::Path;

use export_controls::rule_tests::{parse_test_files, read_test_dir, run_cases, split_sheets};
use export_controls::{Catalog, RuleSet};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn every_rule_test_case_passes() {
    let rules = RuleSet::load_dir(&root().join("rules/us-ear")).unwrap_or_else(|e| panic!("{e}"));
    let catalog = Catalog::load_dir(&root().join("rules/products")).unwrap_or_else(|e| panic!("{e}"));
    let files = read_test_dir(&root().join("rules/us-ear/tests")).unwrap();
    let (files, sheets) = split_sheets(files);
    let catalog = catalog.with_sheets(&sheets).unwrap_or_else(|e| panic!("{e}"));
    let cases = parse_test_files(&files, &catalog, &rules).unwrap_or_else(|e| panic!("{e}"));
    assert!(cases.len() >= 30, "the issue asks for at least 30 scenarios; found {}", cases.len());
    let report = run_cases(&rules, &catalog, cases, None);
    assert!(report.success(), "\n{}", report.render());
}

#[test]
fn the_embedded_pack_is_the_pack_on_disk() {
    let disk = RuleSet::load_dir(&root().join("rules/us-ear")).unwrap();
    let embedded = RuleSet::shipped().unwrap();
    assert_eq!(disk.pack().sha256, embedded.pack().sha256);
    assert_eq!(disk.pack().name, "us-ear");
}

#[test]
fn a_wrong_expectation_fails_the_run() {
    let rules = RuleSet::shipped().unwrap();
    let catalog = Catalog::shipped().unwrap();
    let src = export_controls::ruleset::SourceFile::new(
        "wrong.toml",
        "[[case]]\nname = \"H100 to China is not free\"\non = 2024-06-01\nproduct = \"nvidia-h100-sxm5-80gb\"\nto = \"CN\"\n[case.expect]\nverdict = \"no_license_required\"\n",
    );
    let cases = parse_test_files(&[src], &catalog, &rules).unwrap();
    let report = run_cases(&rules, &catalog, cases, None);
    assert_eq!((report.passed(), report.failed()), (0, 1));
    let text = report.render();
    assert!(text.contains("verdict: expected no_license_required, got license_required"), "{text}");
    assert!(text.ends_with("0 passed, 1 failed\n"), "{text}");
}

/// A case naming a requirement id or a licence exception name that no rule of the pack
/// defines is refused when read (E0519 at the id), not run as a case that can never pass.
#[test]
fn an_expectation_naming_an_undefined_rule_is_refused() {
    let rules = RuleSet::shipped().unwrap();
    let catalog = Catalog::shipped().unwrap();
    let case = |expect: &str| {
        export_controls::ruleset::SourceFile::new(
            "ids.toml",
            format!(
                "[[case]]\nname = \"H100 to China\"\non = 2024-06-01\nproduct = \"nvidia-h100-sxm5-80gb\"\nto = \"CN\"\n[case.expect]\n{expect}\n"
            ),
        )
    };
    // The defined ids read: 742.6(a)(6)(iii) applies to the H100 to China on 2024-06-01 (88 FR 73458).
    let ok = "verdict = \"license_required\"\nrequirements = [\"742.6(a)(6)(iii)\"]\nexceptions = []";
    let cases = parse_test_files(&[case(ok)], &catalog, &rules).unwrap();
    assert!(run_cases(&rules, &catalog, cases, None).success());
    // NAC is defined (15 CFR 740.8), though not available here: the expectation is read.
    assert!(parse_test_files(&[case("exceptions = [\"NAC\"]")], &catalog, &rules).is_ok());
    for (expect, word, col) in [
        ("requirements = [\"742.6(a)(6)(iv)\"]", "requirement `742.6(a)(6)(iv)`", 17),
        ("exceptions = [\"nac\"]", "licence exception `nac`", 15),
        ("review_policies = { \"744.23(a)(9)\" = \"presumption_of_denial\" }", "requirement `744.23(a)(9)`", 21),
    ] {
        let e = parse_test_files(&[case(expect)], &catalog, &rules).map(drop).unwrap_err();
        assert_eq!(e.0.len(), 1, "{e}");
        let text = e.to_string();
        assert!(text.contains(&format!("ids.toml:7:{col}: error[E0519]: expects {word} which no rule")), "{text}");
    }
}

/// A case's date is `date`, as a transaction file, `--date` and the API name it (tester round
/// 16); `on`, its name before (the pack's test files), is read the same; both at once are
/// refused (E0534), not one picked. An H20 (TPP 2,368, PD 2.91) to China needs no licence on
/// 2024-06-01 and a licence on 2025-04-20 (the 2025-04 letter to NVIDIA; rules/us-ear/tests).
#[test]
fn a_case_is_dated_by_date_or_on_never_both() {
    let rules = RuleSet::shipped().unwrap();
    let catalog = Catalog::shipped().unwrap();
    let case = |dates: &str, verdict: &str| {
        export_controls::ruleset::SourceFile::new(
            "dated.toml",
            format!(
                "[[case]]\nname = \"H20 to China\"\n{dates}\nproduct = \"nvidia-h20\"\nto = \"CN\"\nexporter = {{ front_end_fabricator_or_osat = false }}\n[case.expect]\nverdict = \"{verdict}\"\n"
            ),
        )
    };
    for key in ["date", "on"] {
        for (date, verdict, passes) in [
            ("2024-06-01", "no_license_required", true),
            ("2025-04-20", "license_required", true),
            ("2025-04-20", "no_license_required", false),
        ] {
            let cases = parse_test_files(&[case(&format!("{key} = {date}"), verdict)], &catalog, &rules)
                .unwrap_or_else(|e| panic!("{key}: {e}"));
            assert_eq!(cases.len(), 1);
            let report = run_cases(&rules, &catalog, cases, None);
            assert_eq!(report.success(), passes, "{key} = {date}, {verdict}:\n{}", report.render());
        }
    }
    let both = case("date = 2024-06-01\non = 2025-04-20", "no_license_required");
    let e = parse_test_files(&[both], &catalog, &rules).map(drop).unwrap_err();
    assert_eq!(e.0.len(), 1, "{e}");
    let text = e.to_string();
    assert!(
        text.contains("dated.toml:4:6: error[E0534]: the case gives its date twice, as `date` and as `on`"),
        "{text}"
    );
    // Neither: the date is missing, at the case.
    let e = parse_test_files(&[case("", "no_license_required")], &catalog, &rules).map(drop).unwrap_err();
    assert!(e.to_string().contains("dated.toml:2:8: error[E0101]: missing field `date`"), "{e}");
}
