//! Lint findings on edited copies of the shipped pack.

mod common;

use std::path::Path;

use export_controls::lint::{Severity, lint};
use export_controls::ruleset::compile;

/// The findings of the shipped pack with one edit.
fn pack_with(file: &str, old: &str, new: &str) -> Vec<export_controls::lint::Finding> {
    all_with(file, old, new)
}

fn all_with(file: &str, old: &str, new: &str) -> Vec<export_controls::lint::Finding> {
    let files = common::pack_files_edited(file, old, new);
    lint(&compile(&files).unwrap_or_else(|e| panic!("{e}")))
}

/// The 1-based line of the first `needle` in a shipped rule file.
fn line_of(file: &str, needle: &str) -> usize {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/us-ear").join(file)).unwrap();
    let at = text.find(needle).unwrap_or_else(|| panic!("{needle} not in {file}"));
    text[..at].matches('\n').count() + 1
}

#[test]
fn the_shipped_pack_has_no_error_and_no_warning() {
    // Issue 12, item 8: every source names its primary document, and no rule text cites a file
    // outside the repository (L011); the notes the rules need are in rules/us-ear/NOTES.md.
    let f = all_with("pack.toml", "", "");
    let got: Vec<(&str, &str, usize, usize)> =
        f.iter().map(|x| (x.code.as_str(), x.file.as_str(), x.line, x.column)).collect();
    assert_eq!(got, []);
}

#[test]
fn a_rule_text_citing_a_file_outside_the_repository_is_a_warning() {
    // The shipped pack with the cut-off notice's source as it was before issue 12, item 8.
    let f = all_with(
        "notices.toml",
        "source = \"Federal Register documents of BIS up to 2026-09-24, the latest encoded FR Doc. 2026-14132 (2026-07-14); BIS guidance up to 2026-05-31 (rules/us-ear/NOTES.md §1)\"",
        "source = \"regulation.md (research cut-off)\"",
    );
    let got: Vec<(&str, &str, usize, usize)> =
        f.iter().map(|x| (x.code.as_str(), x.file.as_str(), x.line, x.column)).collect();
    assert_eq!(got, [("L011", "notices.toml", line_of("notices.toml", "id = \"Reference cut-off\""), 6)]);
    assert_eq!(f[0].severity, Severity::Warning);
    assert!(
        f[0].message.ends_with("the note it cites (`regulation.md`) is not one: `regulation.md (research cut-off)`"),
        "{}",
        f[0].message
    );
    // Beside a primary document, in an `unverified`: still a warning.
    let f = all_with(
        "ccl-4a090.toml",
        "not confirmed (rules/us-ear/NOTES.md §4).\"\n\n[[classification]]\nid = \"4A090.a\"\neccn = \"4A090.a\"\ntitle = \"Computers",
        "not confirmed (../../../shared/reference/regulation.md §3.3).\"\n\n[[classification]]\nid = \"4A090.a\"\neccn = \"4A090.a\"\ntitle = \"Computers",
    );
    let messages: Vec<&str> = f.iter().map(|x| x.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "the `unverified` of `4A090.a` cites `../../../shared/reference/regulation.md`, which is not in the repository"
        ]
    );
}

#[test]
fn the_2022_and_2023_texts_of_3a090_a_are_compared() {
    // The 2022 text (id 3A090.a) ends on 2023-11-17, the day the 2023 texts 3A090.a.1 and
    // 3A090.a.2 start. Ended two weeks later, both 2023 texts overlap it.
    let f = pack_with("ccl-3a090.toml", "until = 2023-11-17", "until = 2023-12-01");
    let first = line_of("ccl-3a090.toml", "id = \"3A090.a\"");
    let got: Vec<(&str, usize, usize, &str)> =
        f.iter().map(|x| (x.code.as_str(), x.line, x.column, x.message.as_str())).collect();
    let msg = |id: &str| {
        format!(
            "`{id}` (from 2023-11-17) and `3A090.a` (from 2022-10-07, until 2023-12-01, at ccl-3a090.toml:{first}:6) \
             are two texts of 3A090.a in force together from 2023-11-17 to 2023-11-30"
        )
    };
    let (a1, a2) = (msg("3A090.a.1"), msg("3A090.a.2"));
    assert_eq!(
        got,
        [
            ("L008", line_of("ccl-3a090.toml", "id = \"3A090.a.1\""), 6, a1.as_str()),
            ("L008", line_of("ccl-3a090.toml", "id = \"3A090.a.2\""), 6, a2.as_str()),
        ]
    );
    assert!(f.iter().all(|x| x.severity == Severity::Error && x.file == "ccl-3a090.toml"));
}

#[test]
fn the_affiliates_rule_is_unconfirmed_from_its_first_day_and_a_year_off_is_caught() {
    // In force from 2026-11-10 (when the stay ends) and confirmed until 2026-11-09, the day
    // before: unconfirmed from its first day, as intended. A year earlier is a typo.
    let f = pack_with("entity-list.toml", "confirmed_until = 2026-11-09", "confirmed_until = 2025-11-09");
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!((f[0].code.as_str(), f[0].file.as_str(), f[0].column), ("L009", "entity-list.toml", 6));
    assert_eq!(
        f[0].message,
        "`744.11(a)(1)/affiliates` is confirmed until 2025-11-09, before it is in force (from 2026-11-10): no day of \
         its period is confirmed"
    );
}

#[test]
fn a_band_that_stops_short_leaves_a_gap() {
    // 3A090.b.1 is 2400 <= TPP < 4800 and 3A090.a.1 starts at 4800; ending .b.1 at 4700 leaves
    // [4700, 4800) in no paragraph, which the regulation does not do.
    let f = pack_with("ccl-3a090.toml", "tpp >= 2400 and tpp < 4800", "tpp >= 2400 and tpp < 4700");
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!((f[0].code.as_str(), f[0].severity), ("L002", Severity::Warning));
    // The finding points at the paragraph's id, with the line to show, as the loader's errors do.
    assert_eq!(f[0].file, "ccl-3a090.toml");
    assert_eq!((f[0].column, f[0].source_line.as_deref()), (6, Some("id = \"3A090.b.1\"")), "{}", f[0].render());
    assert!(f[0].message.contains("`3A090.b.1` ends at tpp < 4700"), "{}", f[0].message);
}

#[test]
fn a_condition_that_can_never_hold() {
    let f = pack_with("ccl-3a090.toml", "when = \"tpp >= 4800\"", "when = \"tpp >= 4800 and tpp < 2400\"");
    assert!(
        f.iter().any(|x| x.code == "L001"
            && x.severity == Severity::Error
            && x.message.contains("`3A090.a.1` can never be true")),
        "{f:?}"
    );
}

#[test]
fn a_rule_in_force_before_its_publication_needs_its_effective_date() {
    let f = pack_with("embargoes.toml", "published = 2022-03-03\neffective = 2022-02-24\n", "published = 2022-03-03\n");
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].code, "L004");
    assert!(
        f[0].message
            .starts_with("`746.8(a)(1)/RU` is in force from 2022-02-24 but its source was published on 2022-03-03"),
        "{}",
        f[0].message
    );
}

#[test]
fn an_unused_country_group() {
    let f = pack_with(
        "country-groups.toml",
        "[[treated_as]]",
        "[[country_group]]\nid = \"E:1\"\ntitle = \"Country Group E:1\"\nsource = \"15 CFR 740 Supp. No. 1\"\nmembers = [\"IR\", \"KP\", \"SY\"]\n\n[[treated_as]]",
    );
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].code, "L005");
    assert_eq!(f[0].message, "country group `E:1` is never used by any rule");
    assert_eq!((f[0].file.as_str(), f[0].source_line.as_deref()), ("country-groups.toml", Some("id = \"E:1\"")));
}

#[test]
fn a_list_no_rule_screens_against_points_at_its_first_entry() {
    let f = pack_with(
        "entity-list.toml",
        "[[list_entry]]\nlist = \"entity_list\"\nid = \"EL:huawei-technologies\"",
        "[[list_entry]]\nlist = \"denied_persons\"\nid = \"DPL:example\"\nname = \"Example\"\nsource = \"15 CFR 764 Supp. No. 1\"\nfrom = 2020-01-01\n\n[[list_entry]]\nlist = \"entity_list\"\nid = \"EL:huawei-technologies\"",
    );
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!((f[0].code.as_str(), f[0].severity), ("L006", Severity::Warning));
    assert_eq!(f[0].message, "list `denied_persons` has entries but no rule screens parties against it");
    assert_eq!((f[0].file.as_str(), f[0].column), ("entity-list.toml", 8));
    assert_eq!(f[0].source_line.as_deref(), Some("list = \"denied_persons\""));
}

#[test]
fn findings_serialize_with_their_severity_and_position() {
    let f = pack_with("embargoes.toml", "published = 2022-03-03\neffective = 2022-02-24\n", "published = 2022-03-03\n");
    let v = serde_json::to_value(&f).unwrap();
    assert_eq!(v[0]["code"], "L004");
    assert_eq!(v[0]["severity"], "warning");
    assert_eq!(v[0]["file"], "embargoes.toml");
    assert_eq!(v[0]["column"], 6);
    assert_eq!(
        v[0]["help"],
        "BIS rules often take effect before publication; confirm the effective date with `effective = 2022-02-24`"
    );
}

/// An empty country group (`members = []`, no dated or unverified member): a warning (L021)
/// pointing at its `members` (file, line, column), beside L005 when no rule uses it. Every group
/// of 15 CFR 740 Supp. No. 1 has members.
#[test]
fn an_empty_country_group_is_a_warning_at_its_members() {
    let f = pack_with(
        "country-groups.toml",
        "[[treated_as]]",
        "[[country_group]]\nid = \"E:1\"\ntitle = \"Country Group E:1\"\nsource = \"15 CFR 740 Supp. No. 1\"\nmembers = []\n\n[[treated_as]]",
    );
    let got: Vec<(&str, Severity)> = f.iter().map(|x| (x.code.as_str(), x.severity)).collect();
    assert_eq!(got, [("L005", Severity::Warning), ("L021", Severity::Warning)]);
    let e = &f[1];
    assert_eq!(e.file, "country-groups.toml");
    // The group is written where `[[treated_as]]` was; `members` is its fifth line.
    assert_eq!((e.line, e.column), (line_of("country-groups.toml", "[[treated_as]]") + 4, 11));
    assert_eq!(e.source_line.as_deref(), Some("members = []"));
    assert!(e.message.starts_with("country group `E:1` has no members"), "{}", e.message);
    // A group with a member, or with a dated member only (one that joins later), is not empty.
    for members in [
        "members = [\"IR\"]",
        "members = []\n\n[[country_group.dated_member]]\ncountry = \"IR\"\nfrom = 2024-01-01\nsource = \"15 CFR 740 Supp. No. 1\"",
    ] {
        let f = pack_with(
            "country-groups.toml",
            "[[treated_as]]",
            &format!(
                "[[country_group]]\nid = \"E:1\"\ntitle = \"Country Group E:1\"\nsource = \"15 CFR 740 Supp. No. 1\"\n{members}\n\n[[treated_as]]"
            ),
        );
        let codes: Vec<&str> = f.iter().map(|x| x.code.as_str()).collect();
        assert_eq!(codes, ["L005"], "{members}");
    }
}

/// A group or a country written twice in one list of a destination set: a warning (L017) at
/// the second, naming the first, in a rule's `destinations` and in a party's `end_use_in`
/// alike. The same name in two lists of one set (`groups` and `except_groups`) is not a repeat
/// (L015's concern).
#[test]
fn a_name_written_twice_in_one_destination_list_is_a_warning_at_the_second() {
    // ai-diffusion.toml: `destinations = { except_groups = ["AI Tier 1", "D:5"], except_countries = ["MO"] }`.
    let line = line_of("ai-diffusion.toml", "except_groups = [\"AI Tier 1\", \"D:5\"]");
    let f = pack_with(
        "ai-diffusion.toml",
        "except_groups = [\"AI Tier 1\", \"D:5\"], except_countries = [\"MO\"]",
        "except_groups = [\"AI Tier 1\", \"D:5\", \"AI Tier 1\"], except_countries = [\"MO\", \"MO\"]",
    );
    let got: Vec<(&str, Severity, &str, usize, usize)> =
        f.iter().map(|x| (x.code.as_str(), x.severity, x.file.as_str(), x.line, x.column)).collect();
    // `destinations = { except_groups = [` is 34 characters: "AI Tier 1" at 35, "D:5" at 48,
    // the second "AI Tier 1" at 55; `], except_countries = [` puts "MO" at 89 and 95.
    assert_eq!(
        got,
        [
            ("L017", Severity::Warning, "ai-diffusion.toml", line, 55),
            ("L017", Severity::Warning, "ai-diffusion.toml", line, 95),
        ],
        "{f:?}"
    );
    assert_eq!(
        f[0].message,
        format!(
            "country group `AI Tier 1` is written twice in `except_groups` (first at line {line}, column 35): the list means the same with it once"
        )
    );
    assert!(
        f[1].message.starts_with("country `MO` is written twice in `except_countries` (first at line"),
        "{}",
        f[1].message
    );
    // A party's destination set (`end_use_in`), and one name in two lists: only the repeat.
    // end-use.toml, the supercomputer rule: `parties = { end_uses = ["supercomputer"],
    // end_use_in = { groups = [` is 67 characters, so the second "D:5" is at 75.
    let line = line_of("end-use.toml", "parties = { end_uses = [\"supercomputer\"], end_use_in = { groups = [\"D:5\"]");
    let f = pack_with(
        "end-use.toml",
        "end_use_in = { groups = [\"D:5\"], countries = [\"MO\"] } }",
        "end_use_in = { groups = [\"D:5\", \"D:5\"], countries = [\"MO\"], except_groups = [\"D:5\"] } }",
    );
    // (The name in both lists is L022's, once: tester17.)
    let (f, l022): (Vec<_>, Vec<_>) = f.into_iter().partition(|x| x.code != export_controls::diagnostic::Code::L022);
    assert_eq!(l022.len(), 1, "{l022:?}");
    let got: Vec<(&str, &str, usize, usize)> =
        f.iter().map(|x| (x.code.as_str(), x.file.as_str(), x.line, x.column)).collect();
    assert_eq!(got, [("L017", "end-use.toml", line, 75)], "{f:?}");
    assert!(f[0].message.contains("(first at line"), "{}", f[0].message);
    assert!(f[0].message.starts_with("country group `D:5` is written twice in `groups`"), "{}", f[0].message);
}
