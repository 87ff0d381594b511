//! The rule author's walk-through (issue 4): ten typical mistakes, each giving one clear
//! message at the right line and column. Positions are computed here from the edited text, and
//! the rendered message is spelled out in full.

mod common;

use export_controls::lint::lint;
use export_controls::model::parse_product_sheet;
use export_controls::rule_tests::{parse_test_files, run_cases};
use export_controls::ruleset::{Diagnostic, SourceFile, compile};
use export_controls::{Catalog, RuleSet};

/// The shipped pack's rule files with the first `old` in `edit_file` replaced by `new`, and the
/// edited file's text.
fn shipped(edit_file: &str, old: &str, new: &str) -> (Vec<SourceFile>, String) {
    let files = common::pack_files_edited(edit_file, old, new);
    let edited = files.iter().find(|f| f.path == edit_file).map(|f| f.text.clone()).unwrap_or_default();
    (files, edited)
}

/// The rendering the author sees for an error at the first `marker` in `text`.
fn expected(file: &str, text: &str, marker: &str, code: &str, message: &str, help: Option<&str>) -> String {
    let at = text.find(marker).unwrap_or_else(|| panic!("{marker} not found"));
    let line_no = text[..at].matches('\n').count() + 1;
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let col = text[line_start..at].chars().count() + 1;
    let line = text[line_start..].lines().next().unwrap();
    let w = " ".repeat(line_no.to_string().len());
    let mut s = format!(
        "{file}:{line_no}:{col}: error[{code}]: {message}\n{w} |\n{line_no} | {line}\n{w} | {}^",
        " ".repeat(col - 1)
    );
    if let Some(h) = help {
        s.push_str(&format!("\n  = help: {h}"));
    }
    s
}

fn one_error(files: &[SourceFile]) -> Diagnostic {
    let d = compile(files).expect_err("must not load").0;
    assert_eq!(d.len(), 1, "one mistake, one message: {d:#?}");
    d.into_iter().next().unwrap()
}

#[test]
fn mistake_1_typo_in_an_attribute() {
    let (files, text) = shipped(
        "ccl-3a090.toml",
        "tpp >= 1600 and performance_density >= 5.92",
        "tpp >= 1600 and performance_densty >= 5.92",
    );
    let d = one_error(&files);
    let want = expected(
        "ccl-3a090.toml",
        &text,
        "performance_densty",
        "E0320",
        "unknown attribute `performance_densty`",
        Some("did you mean `performance_density`?"),
    );
    assert_eq!(d.render(), want);
}

#[test]
fn mistake_2_decimal_comma() {
    let (files, text) = shipped("ccl-3a090.toml", "performance_density >= 5.92\"", "performance_density >= 5,92\"");
    let d = one_error(&files);
    let want = expected(
        "ccl-3a090.toml",
        &text,
        "5,92",
        "E0320",
        "`5,92` is not a number here",
        Some("write decimals with a point: `5.92`"),
    );
    assert_eq!(d.render(), want);
}

#[test]
fn mistake_3_unknown_country_code() {
    let (files, text) = shipped("country-groups.toml", "\"AL\", \"CY\"", "\"AL\", \"UK\"");
    let d = one_error(&files);
    let want = expected(
        "country-groups.toml",
        &text,
        "\"UK\"",
        "E0330",
        "`UK` is not an ISO 3166-1 alpha-2 country code (did you mean `GB`?)",
        None,
    );
    assert_eq!(d.render(), want);
}

#[test]
fn mistake_4_until_before_from() {
    let (files, text) = shipped("license-exceptions.toml", "until = 2024-04-04", "until = 2023-04-04");
    let d = one_error(&files);
    let want = expected(
        "license-exceptions.toml",
        &text,
        "2023-04-04",
        "E0311",
        "`until` (2023-04-04) must be after `from` (2023-11-17); `until` is the first day the rule no longer applies",
        None,
    );
    assert_eq!(d.render(), want);
}

#[test]
fn mistake_5_duplicate_id() {
    let (files, text) = shipped("embargoes.toml", "id = \"746.4\"", "id = \"746.2\"");
    let d = one_error(&files);
    let first_line = text[..text.find("id = \"746.2\"").unwrap()].matches('\n').count() + 1;
    let second = text.match_indices("id = \"746.2\"").nth(1).unwrap().0;
    // The message names the earlier version's file and line; the caret sits on the id's value.
    let line_no = text[..second].matches('\n').count() + 1;
    let want = format!(
        "embargoes.toml:{line_no}:6: error[E0345]: license_requirement `746.2` is already in force over part of this period (from 1996-04-24, at embargoes.toml:{first_line}:6)\n   |\n{line_no} | id = \"746.2\"\n   |      ^\n  = help: give the earlier version an `until` date no later than this version's `from`"
    );
    assert_eq!(d.render(), want);
}

#[test]
fn mistake_6_missing_source() {
    let (files, text) = shipped(
        "embargoes.toml",
        "source = \"15 CFR 746.4 (North Korea); 61 FR 12714 (1996-03-25), effective 1996-04-24: the restructured EAR that set out part 746\"\n",
        "",
    );
    let d = one_error(&files);
    assert_eq!((d.code.as_str(), d.file.as_str()), ("E0101", "embargoes.toml"));
    assert_eq!(d.message, "missing field `source`");
    let table = text.find("id = \"746.4\"").unwrap();
    let header_line = text[..table].matches('\n').count(); // the [[license_requirement]] line above the id
    assert_eq!(d.line, header_line, "{}", d.render());
}

#[test]
fn mistake_7_band_overlap() {
    let (files, text) = shipped(
        "ccl-3a090.toml",
        "when = \"not meets(\\\"3A090.a\\\") and tpp >= 1600 and performance_density >= 3.2",
        "when = \"tpp >= 1600 and performance_density >= 3.2",
    );
    let rules = compile(&files).unwrap();
    let f = lint(&rules);
    assert_eq!(f.len(), 1, "{f:?}");
    // A lint finding reads like a load error: file, line and column of the paragraph's id, the
    // line with a caret, and the fix as help.
    let line_no = text[..text.find("id = \"3A090.b.2\"").unwrap()].matches('\n').count() + 1;
    let w = " ".repeat(line_no.to_string().len());
    assert_eq!(
        export_controls::lint::render(&f),
        format!(
            "ccl-3a090.toml:{line_no}:6: warning[L007]: the bands of `3A090.a.1` (3A090.a) and `3A090.b.2` (3A090.b) overlap: a product can be in both\n{w} |\n{line_no} | id = \"3A090.b.2\"\n{w} |      ^\n  = help: add `not meets(\"3A090.a\")` to the lower paragraph if the regulation ranks them\n\n0 error(s), 1 warning(s)\n"
        )
    );
}

#[test]
fn mistake_8_a_test_expecting_the_wrong_verdict() {
    let rules = RuleSet::shipped().unwrap();
    let catalog = Catalog::shipped().unwrap();
    // The H20 (TPP 2,368 < 2,400; PD 2.91 < 3.2) needs no licence to China in mid-2024; the
    // author expects one.
    let src = SourceFile::new(
        "h20.toml",
        "[[case]]\nname = \"H20 to China\"\non = 2024-06-01\nproduct = \"nvidia-h20\"\nto = \"CN\"\n[case.expect]\nverdict = \"license_required\"\n",
    );
    let report = run_cases(&rules, &catalog, parse_test_files(&[src], &catalog, &rules).unwrap(), None);
    assert_eq!(
        report.render(),
        "FAILED H20 to China (h20.toml:2)\n    verdict: expected license_required, got no_license_required\n0 passed, 1 failed\n"
    );
}

#[test]
fn mistake_9_malformed_date() {
    let (files, text) = shipped("ccl-4a090.toml", "from = 2023-11-17", "from = 2023-02-30");
    let d = one_error(&files);
    let at = text.find("2023-02-30").unwrap();
    assert_eq!(d.line, text[..at].matches('\n').count() + 1, "{}", d.render());
    assert_eq!(d.file, "ccl-4a090.toml");
    assert!(d.message.contains("day"), "{}", d.message);
}

#[test]
fn mistake_10_a_string_where_a_number_belongs() {
    let text = "id = \"x\"\nname = \"X\"\nvendor = \"V\"\nkind = \"integrated_circuit\"\n[[logic_die]]\narea = \"eight hundred\"\nnon_planar = true\n";
    let err = parse_product_sheet(&SourceFile::new("x.toml", text)).unwrap_err();
    assert_eq!(err.0.len(), 1);
    let want = expected(
        "x.toml",
        text,
        "\"eight",
        "E0201",
        "`eight hundred` is not a number; write digits with a decimal point, e.g. 5.92",
        None,
    );
    assert_eq!(err.0[0].render(), want);
}
