//! Bad rule files and product sheets: each error names the file, line and column of the
//! offending text, and nothing is loaded.

mod common;

use common::pack_files;

use export_controls::model::parse_product_sheet;
use export_controls::ruleset::{Diagnostic, SourceFile, compile};

/// Replaces the first `old` in `file` with `new`, compiles, and returns the diagnostics with
/// the 1-based (line, column) where `marker` (a piece of `new`) starts in the edited text.
fn break_pack(file: &str, old: &str, new: &str, marker: &str) -> (Vec<Diagnostic>, (usize, usize)) {
    let mut files = pack_files();
    let f = files.iter_mut().find(|f| f.path == file).unwrap();
    assert!(f.text.contains(old), "{old} not in {file}");
    f.text = f.text.replacen(old, new, 1);
    let at = f.text.find(marker).unwrap_or_else(|| panic!("{marker} not in edited {file}"));
    let pos = f.line_col(at);
    let diags = compile(&files).expect_err("the broken pack must not load").0;
    (diags, pos)
}

fn assert_one(diags: &[Diagnostic], file: &str, pos: (usize, usize), code: &str, text: &str) {
    assert_eq!(diags.len(), 1, "{diags:#?}");
    let d = &diags[0];
    assert_eq!((d.file.as_str(), d.line, d.column, d.code.as_str()), (file, pos.0, pos.1, code), "{d}");
    assert!(d.message.contains(text) || d.help.as_deref().is_some_and(|h| h.contains(text)), "{d}");
}

#[test]
fn the_shipped_pack_compiles() {
    compile(&pack_files()).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn typo_in_an_attribute_suggests_the_right_name() {
    let (d, pos) = break_pack(
        "ccl-3a090.toml",
        "tpp >= 1600 and performance_density >= 5.92",
        "tpp >= 1600 and performance_densty >= 5.92",
        "performance_densty",
    );
    assert_one(&d, "ccl-3a090.toml", pos, "E0320", "unknown attribute `performance_densty`");
    assert_eq!(d[0].help.as_deref(), Some("did you mean `performance_density`?"));
}

#[test]
fn decimal_comma_is_refused_with_the_fix() {
    let (d, pos) =
        break_pack("ccl-3a090.toml", "performance_density >= 5.92\"", "performance_density >= 5,92\"", "5,92");
    assert_one(&d, "ccl-3a090.toml", pos, "E0320", "`5,92` is not a number here");
    assert_eq!(d[0].help.as_deref(), Some("write decimals with a point: `5.92`"));
}

#[test]
fn thousands_separator_is_refused_without_suggesting_a_decimal_only() {
    // `4,800` may mean 4800 (3A090.a.1) or 4.8: the help gives both readings.
    let (d, pos) = break_pack("ccl-3a090.toml", "when = \"tpp >= 4800\"", "when = \"tpp >= 4,800\"", "4,800");
    assert_one(&d, "ccl-3a090.toml", pos, "E0320", "`4,800` is not a number here");
    assert_eq!(
        d[0].help.as_deref(),
        Some("write numbers without a thousands separator (`4800`), and decimals with a point (`4.800`)")
    );
}

#[test]
fn unknown_country_code_in_a_group() {
    let (d, pos) = break_pack("country-groups.toml", "\"AM\", \"AZ\"", "\"AM\", \"XX\"", "\"XX\"");
    assert_one(&d, "country-groups.toml", pos, "E0330", "`XX` is not an ISO 3166-1 alpha-2 country code");
}

#[test]
fn until_before_from() {
    let (d, pos) = break_pack("ccl-3a090.toml", "until = 2023-11-17", "until = 2021-11-17", "2021-11-17");
    // The 2022 text of 3A090.a is in force from 2022-10-07, the earliest effective date of
    // 87 FR 62186 (confirmed from 2022-10-21).
    assert_one(&d, "ccl-3a090.toml", pos, "E0311", "`until` (2021-11-17) must be after `from` (2022-10-07)");
}

#[test]
fn confirmed_from_outside_the_rules_period() {
    // Before `from`: the earliest day any source gives for the rule is `from`.
    let (d, pos) =
        break_pack("ccl-3a090.toml", "confirmed_from = 2022-10-21", "confirmed_from = 2022-10-01", "2022-10-01");
    assert_one(
        &d,
        "ccl-3a090.toml",
        pos,
        "E0362",
        "`confirmed_from` (2022-10-01) must be on or after `from` (2022-10-07) and on or before `until` (2023-11-17)",
    );
    // After `until`: a typo (the day `until` itself leaves the whole period unconfirmed).
    let (d, pos) =
        break_pack("ccl-3a090.toml", "confirmed_from = 2022-10-21", "confirmed_from = 2023-12-01", "2023-12-01");
    assert_one(
        &d,
        "ccl-3a090.toml",
        pos,
        "E0362",
        "`confirmed_from` (2023-12-01) must be on or after `from` (2022-10-07)",
    );
}

#[test]
fn duplicate_rule_id_with_overlapping_periods() {
    let (d, pos) = break_pack(
        "ccl-3a090.toml",
        "id = \"3A090.a.2\"",
        "id = \"3A090.a.1\"",
        "\"3A090.a.1\"\neccn = \"3A090.a\"\ntitle = \"TPP of 1600",
    );
    assert_one(&d, "ccl-3a090.toml", pos, "E0345", "classification `3A090.a.1` is already in force");
}

#[test]
fn missing_source() {
    let (d, pos) = break_pack(
        "license-exceptions.toml",
        "source = \"15 CFR 740.8; 88 FR 73458 (2023-10-25), effective 2023-11-17\"\n",
        "",
        "[[license_exception]]",
    );
    assert_eq!(d.len(), 1, "{d:#?}");
    assert!(d[0].message.contains("missing field `source`"), "{}", d[0]);
    assert_eq!(d[0].file, "license-exceptions.toml");
    assert_eq!(d[0].line, pos.0, "{}", d[0]);
}

#[test]
fn malformed_date() {
    let (d, pos) = break_pack("ccl-3a090.toml", "from = 2023-11-17", "from = 2023-02-30", "2023-02-30");
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!((d[0].line, d[0].file.as_str()), (pos.0, "ccl-3a090.toml"), "{}", d[0]);
}

#[test]
fn unknown_key_suggests_the_nearest() {
    let (d, pos) = break_pack("ccl-4a090.toml", "published = 2022-10-13", "publishd = 2022-10-13", "publishd");
    assert_one(&d, "ccl-4a090.toml", pos, "E0102", "unknown field `publishd`");
    assert_eq!(d[0].help.as_deref(), Some("did you mean `published`?"));
}

#[test]
fn unknown_country_group_suggests_the_nearest() {
    let (d, pos) = break_pack(
        "license-requirements.toml",
        "groups = [\"D:1\", \"D:4\", \"D:5\"]",
        "groups = [\"D:1\", \"D:4\", \"D5\"]",
        "\"D5\"",
    );
    assert_one(&d, "license-requirements.toml", pos, "E0331", "unknown country group `D5`");
}

#[test]
fn malformed_toml() {
    let (d, pos) = break_pack("embargoes.toml", "title = \"Cuba embargo", "title = Cuba embargo", "Cuba embargo");
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!((d[0].file.as_str(), d[0].line), ("embargoes.toml", pos.0), "{}", d[0]);
}

#[test]
fn several_errors_are_reported_at_once() {
    let mut files = pack_files();
    for f in &mut files {
        if f.path == "ccl-3a090.toml" {
            f.text = f.text.replacen("tpp >= 4800\"", "tpp >= 48OO\"", 1).replacen("source = \"", "source = \" ", 0);
            f.text = f.text.replacen("kinds = [\"integrated_circuit\"]", "kinds = [\"chip\"]", 1);
        }
    }
    let d = compile(&files).unwrap_err().0;
    assert_eq!(d.len(), 2, "{d:#?}");
}

#[test]
fn the_rendered_diagnostic_shows_the_line_and_a_caret() {
    let (d, _) = break_pack("ccl-3a090.toml", "when = \"tpp >= 4800\"", "when = \"tpp >= 4800 and tp > 1\"", "tp > 1");
    let text = d[0].render();
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("ccl-3a090.toml:") && lines[0].contains(": error[E0320]: unknown attribute `tp`"),
        "{text}"
    );
    assert_eq!(
        lines[2].trim_start().trim_start_matches(|c: char| c.is_ascii_digit()),
        " | when = \"tpp >= 4800 and tp > 1\""
    );
    // The caret sits under the `t` of `tp`, column 25: 24 spaces after "NN | ".
    assert_eq!(lines[3], format!("{} | {}^", " ".repeat(lines[2].find('|').unwrap() - 1), " ".repeat(24)));
    assert_eq!(lines[4], "  = help: did you mean `tpp`?");
}

fn sheet_error(body: &str, marker: &str) -> (Diagnostic, (usize, usize)) {
    let text = format!("id = \"x\"\nname = \"X\"\nvendor = \"V\"\nkind = \"integrated_circuit\"\n{body}");
    let src = SourceFile::new("x.toml", text.clone());
    let pos = src.line_col(text.find(marker).unwrap());
    let err = parse_product_sheet(&src).expect_err("must be refused");
    assert_eq!(err.0.len(), 1, "{err}");
    (err.0[0].clone(), pos)
}

#[test]
fn product_sheet_negative_area() {
    let (d, pos) = sheet_error("[[logic_die]]\narea = -814\nnon_planar = true\n", "-814");
    assert_eq!((d.line, d.column), pos);
    assert_eq!(d.message, "-814 is negative; figures must be greater than zero");
}

#[test]
fn product_sheet_string_where_a_number_belongs() {
    let (d, pos) = sheet_error("[[logic_die]]\narea = \"big\"\n", "\"big\"");
    assert_eq!((d.line, d.column), pos);
    assert!(d.message.contains("`big` is not a number"), "{d}");
}

#[test]
fn product_sheet_wrong_unit() {
    let (d, pos) = sheet_error("[memory]\nbandwidth = \"3.35 TB/s\"\n", "\"3.35");
    assert_eq!((d.line, d.column), pos);
    assert_eq!(d.message, "unit `TB/s` is not accepted here: give the figure in GB/s");
}

#[test]
fn product_sheet_unknown_kind() {
    let text = "id = \"x\"\nname = \"X\"\nvendor = \"V\"\nkind = \"integrated_circiut\"\n";
    let err = parse_product_sheet(&SourceFile::new("x.toml", text)).unwrap_err();
    assert_eq!((err.0[0].line, err.0[0].column), (4, 8));
    assert_eq!(err.0[0].help.as_deref(), Some("did you mean `integrated_circuit`?"));
}
