//! Rule-file edits that silently dropped a requirement and passed `lint` (tester10 V4, V6, V7):
//! an empty `roles`, `end_uses`, `regions`, `products` or `transaction_kinds` (refused at load,
//! E0243), a destination set whose exceptions remove every country it names (L015), a gap
//! between a licence requirement and the one it `succeeds` (L012), a rule that starts where
//! the pack's coverage starts (L014), and a `coverage_from` moved earlier than the days the
//! rules were written for (L016).

mod common;

use export_controls::diagnostic::{Code, SourceFile};
use export_controls::lint::{Finding, Severity, lint};
use export_controls::model::Role;
use export_controls::ruleset::compile;
use export_controls::{Catalog, CompiledPack, RuleSet, Verdict};

/// Where `marker` starts in `text`, as (1-based line, 1-based column in characters).
fn line_col(text: &str, marker: &str) -> (usize, usize) {
    let at = text.find(marker).unwrap_or_else(|| panic!("{marker} not in the edited text"));
    let line = text[..at].matches('\n').count() + 1;
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    (line, text[line_start..at].chars().count() + 1)
}

/// Loads the shipped pack with one edit, and returns the load errors (none if it loads).
fn load_errors(file: &str, old: &str, new: &str) -> Vec<export_controls::diagnostic::Diagnostic> {
    match compile(&common::pack_files_edited(file, old, new)) {
        Ok(_) => Vec::new(),
        Err(e) => e.0,
    }
}

/// An edit that empties a set must be refused with E0243 at the empty list `[]`: the one error.
fn assert_empty_set_refused(file: &str, old: &str, new: &str, key: &str) {
    let errors = load_errors(file, old, new);
    assert_eq!(errors.len(), 1, "{errors:?}");
    let e = &errors[0];
    assert_eq!(e.code, Code::E0243, "{e}");
    let edited = common::read(&format!("rules/us-ear/{file}")).replacen(old, new, 1);
    let key_at = line_col(&edited, &format!("{key} = []"));
    let expected = (key_at.0, key_at.1 + key.len() + 3); // the `[` after `key = `
    assert_eq!((e.file.as_str(), e.line, e.column), (file, expected.0, expected.1), "{e}");
    assert!(e.message.starts_with(&format!("`{key} = []` names nothing")), "{}", e.message);
}

#[test]
fn empty_roles_in_the_headquarters_rule_is_refused() {
    assert_empty_set_refused(
        "headquarters.toml",
        r#"roles = ["purchaser", "intermediate_consignee", "ultimate_consignee", "end_user"], headquartered_in"#,
        "roles = [], headquartered_in",
        "roles",
    );
}

#[test]
fn empty_roles_added_to_the_entity_list_rule_is_refused() {
    assert_empty_set_refused(
        "entity-list.toml",
        "parties = { listed_on = \"entity_list\" }",
        "parties = { listed_on = \"entity_list\", roles = [] }",
        "roles",
    );
}

#[test]
fn empty_end_uses_in_744_21_is_refused() {
    assert_empty_set_refused(
        "end-use.toml",
        "parties = { end_uses = [\"military_end_use\"], end_use_in",
        "parties = { end_uses = [], end_use_in",
        "end_uses",
    );
}

#[test]
fn empty_regions_in_746_6_is_refused() {
    assert_empty_set_refused("embargoes.toml", "regions = [\"crimea\", \"dnr\", \"lnr\"]", "regions = []", "regions");
}

#[test]
fn empty_products_and_transaction_kinds_are_refused() {
    assert_empty_set_refused(
        "is-informed.toml",
        "products = [\"nvidia-h20\", \"amd-mi308x\"]",
        "products = []",
        "products",
    );
    assert_empty_set_refused(
        "headquarters.toml",
        "transaction_kinds = [\"export\"]",
        "transaction_kinds = []",
        "transaction_kinds",
    );
}

#[test]
fn succeeds_must_name_a_licence_requirement_of_the_pack() {
    let errors =
        load_errors("license-requirements.toml", "succeeds = \"742.6(a)(6)(i)\"", "succeeds = \"742.6(a)(6)(ii)\"");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].code, Code::E0244, "{}", errors[0]);
    assert_eq!(errors[0].message, "`succeeds` names no licence requirement: `742.6(a)(6)(ii)`");
}

fn lint_edited(files: Vec<SourceFile>) -> Vec<Finding> {
    lint(&compile(&files).unwrap_or_else(|e| panic!("{e}")))
}

fn with_code(f: &[Finding], code: Code) -> Vec<&Finding> {
    f.iter().filter(|x| x.code == code).collect()
}

#[test]
fn the_shipped_pack_has_no_finding_of_the_new_checks() {
    let f = lint_edited(common::pack_files());
    for code in [Code::L012, Code::L014, Code::L015, Code::L016] {
        assert!(with_code(&f, code).is_empty(), "{code}: {f:?}");
    }
}

#[test]
fn an_embargo_that_excepts_the_country_it_names_is_an_impossible_destination_set() {
    let files = common::pack_files_edited(
        "embargoes.toml",
        "destinations = { countries = [\"IR\"] }",
        "destinations = { countries = [\"IR\"], except_countries = [\"IR\"] }",
    );
    let f = lint_edited(files);
    let found = with_code(&f, Code::L015);
    assert_eq!(found.len(), 1, "{f:?}");
    assert_eq!(found[0].severity, Severity::Error);
    assert_eq!(found[0].file, "embargoes.toml");
    assert!(found[0].message.starts_with("`746.7`: `destinations` names nothing"), "{}", found[0].message);
}

#[test]
fn a_group_minus_itself_or_minus_all_its_members_is_an_impossible_destination_set() {
    // Cuba's embargo rewritten as D:5 except D:5 (a group's dated members go with its name).
    let f = lint_edited(common::pack_files_edited(
        "embargoes.toml",
        "destinations = { countries = [\"CU\"] }",
        "destinations = { groups = [\"D:5\"], except_groups = [\"D:5\"] }",
    ));
    assert_eq!(with_code(&f, Code::L015).len(), 1, "{f:?}");
    // A set with something left (D:5 except China) is not reported.
    let f = lint_edited(common::pack_files_edited(
        "embargoes.toml",
        "destinations = { countries = [\"CU\"] }",
        "destinations = { groups = [\"D:5\"], except_countries = [\"CN\"] }",
    ));
    assert!(with_code(&f, Code::L015).is_empty(), "{f:?}");
    // "Everywhere except" (only exceptions) names every other country: not reported.
    let f = lint_edited(common::pack_files_edited(
        "embargoes.toml",
        "destinations = { countries = [\"CU\"] }",
        "destinations = { except_countries = [\"CU\"] }",
    ));
    assert!(with_code(&f, Code::L015).is_empty(), "{f:?}");
}

#[test]
fn a_gap_between_742_6_a_6_i_and_its_successor_is_an_l012_error() {
    // tester10 V7: the 2023 version of 742.6(a)(6)(i) ended ten days before 742.6(a)(6)(iii)
    // began (88 FR 73458 replaced one by the other on 2023-11-17).
    let f =
        lint_edited(common::pack_files_edited("license-requirements.toml", "until = 2023-11-17", "until = 2023-11-07"));
    let gaps = with_code(&f, Code::L012);
    assert_eq!(gaps.len(), 1, "{f:?}");
    assert_eq!(gaps[0].severity, Severity::Error);
    assert!(
        gaps[0].message.starts_with(
            "neither `742.6(a)(6)(iii)` nor `742.6(a)(6)(i)`, which it succeeds, is in force from 2023-11-07 to 2023-11-16"
        ),
        "{}",
        gaps[0].message
    );
    // Without `succeeds` the same edit passes lint: the key is what makes the check.
    let mut files = common::pack_files_edited("license-requirements.toml", "until = 2023-11-17", "until = 2023-11-07");
    for file in &mut files {
        if file.path == "license-requirements.toml" {
            *file = SourceFile::new(file.path.clone(), file.text.replacen("succeeds = \"742.6(a)(6)(i)\"\n", "", 1));
        }
    }
    assert!(with_code(&lint_edited(files), Code::L012).is_empty());
}

#[test]
fn a_rule_that_starts_on_coverage_from_is_an_l014_warning() {
    let f = lint_edited(common::pack_files_edited(
        "embargoes.toml",
        "published = 1996-03-25\nfrom = 1996-04-24\nitems = \"all\"\ndestinations = { countries = [\"IR\"] }",
        "published = 1996-03-25\nfrom = 2022-01-01\nitems = \"all\"\ndestinations = { countries = [\"IR\"] }",
    ));
    let found = with_code(&f, Code::L014);
    assert_eq!(found.len(), 1, "{f:?}");
    assert_eq!(found[0].severity, Severity::Warning);
    assert_eq!(
        found[0].message,
        "`746.7` starts on 2022-01-01, where the pack's coverage starts: give its effective date"
    );
}

/// The shipped pack with `coverage_from` moved to `date`, and, if given, one more edit.
fn moved_coverage(date: &str, more: Option<(&str, &str, &str)>) -> Vec<SourceFile> {
    let mut files =
        common::pack_files_edited("pack.toml", "coverage_from = 2022-01-01", &format!("coverage_from = {date}"));
    if let Some((file, old, new)) = more {
        for f in &mut files {
            if f.path == file {
                assert!(f.text.contains(old), "{old} not in {file}");
                *f = SourceFile::new(f.path.clone(), f.text.replacen(old, new, 1));
            }
        }
    }
    files
}

#[test]
fn coverage_before_the_cited_start_of_an_older_requirement_is_an_l016_error() {
    // 1990: before the 1996 texts of 746.2, 746.4, 746.7 and 744.2-744.4 and the 2004 Syria
    // order, each of which says the requirement is older (`predates_from`).
    let f = lint_edited(moved_coverage("1990-01-01", None));
    let mut ids: Vec<String> =
        with_code(&f, Code::L016).iter().map(|x| x.message.split('`').nth(1).unwrap_or_default().to_string()).collect();
    ids.sort();
    assert_eq!(ids, ["744.2-744.4", "746.2", "746.4", "746.7", "746.9"], "{f:?}");
    assert!(with_code(&f, Code::L016).iter().all(|x| x.severity == Severity::Error));
    // 2005: after all of them.
    assert!(with_code(&lint_edited(moved_coverage("2005-01-01", None)), Code::L016).is_empty());
}

#[test]
fn an_entity_list_entry_before_the_screening_rule_within_the_coverage_is_an_l016_error() {
    // tester10 V6 on the old pack: 744.11 written from 2022-01-01, coverage moved to 2019; the
    // Huawei entry (84 FR 22961, from 2019-05-16) is then in force on days 744.11 is not.
    let files = moved_coverage(
        "2019-01-01",
        Some(("entity-list.toml", "published = 1997-02-03\nfrom = 1997-02-03", "from = 2022-01-01")),
    );
    let f = lint_edited(files);
    let found = with_code(&f, Code::L016);
    assert!(
        found.iter().any(|x| x
            .message
            .starts_with("entry `EL:huawei-technologies` of `entity_list` is in force from 2019-05-16")),
        "{f:?}"
    );
}

#[test]
fn with_coverage_from_2020_the_embargoes_and_the_entity_list_apply_in_2021() {
    // tester10 V6: with coverage_from moved to 2020-01-01, an RTX 4080 to Iran, North Korea, Cuba
    // or Syria on 2021-06-01 needs a licence (15 CFR 746.7, 746.4, 746.2, 746.9, all in force
    // then), and so does one for Huawei (Entity List from 2019-05-16, 84 FR 22961; 744.11).
    let files = moved_coverage("2020-01-01", None);
    assert!(
        lint_edited(files.clone()).iter().all(|x| x.severity != Severity::Error),
        "moving the coverage to 2020 is consistent with the rules' dates"
    );
    let rules: RuleSet = compile(&files).unwrap();
    let pack = CompiledPack::new(rules.clone());
    let catalog = Catalog::shipped().unwrap();
    let rtx4080 = catalog.get("nvidia-rtx-4080").unwrap();
    for (to, rule) in [("IR", "746.7"), ("KP", "746.4"), ("CU", "746.2"), ("SY", "746.9")] {
        let end_user = common::attested(Role::EndUser, "Example Ltd", to, "2021-06-01");
        let d =
            common::determine_both(&rules, &pack, rtx4080, &common::ordinary_query(to, "2021-06-01", vec![end_user]));
        assert_eq!(d.verdict, Verdict::LicenseRequired, "{to}");
        assert!(d.requirements.iter().any(|r| r.id == rule), "{to}: {:?}", d.requirements);
    }
    let huawei = common::attested(Role::EndUser, "Huawei Technologies Co., Ltd.", "MY", "2021-06-01");
    let d = common::determine_both(&rules, &pack, rtx4080, &common::ordinary_query("MY", "2021-06-01", vec![huawei]));
    assert_eq!(d.verdict, Verdict::LicenseRequired);
    assert!(d.requirements.iter().any(|r| r.id == "744.11"), "{:?}", d.requirements);
}
