//! Helpers shared by the integration tests: the library's (this folder) and the binary's
//! (crates/cli/tests/common includes this file), so each helper is written once. Paths are
//! taken from [`root`], the checkout, whichever package's tests run.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use export_controls::ruleset::SourceFile;

/// The workspace root (the checkout): the package directory of the tests that run, or the
/// first directory above it that holds the shipped pack (the binary's package is crates/cli).
pub fn root() -> PathBuf {
    let package = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = package.ancestors().find(|d| d.join("rules/us-ear/pack.toml").is_file()).expect("a checkout");
    root.canonicalize().unwrap()
}

/// A path in the checkout, e.g. `repo("rules/us-ear")`.
pub fn repo(path: &str) -> PathBuf {
    root().join(path)
}

/// The shipped pack's rule files (rules/us-ear/*.toml, tests excluded), in path order.
pub fn pack_files() -> Vec<SourceFile> {
    pack_files_edited("", "", "")
}

/// The shipped pack's files with the first `old` in `file` replaced by `new`.
pub fn pack_files_edited(file: &str, old: &str, new: &str) -> Vec<SourceFile> {
    let dir = repo("rules/us-ear");
    let mut files: Vec<SourceFile> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            let mut text = std::fs::read_to_string(&p).unwrap();
            if name == file {
                assert!(text.contains(old), "{old} not in {name}");
                text = text.replacen(old, new, 1);
            }
            SourceFile::new(name, text)
        })
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// A fresh, empty temporary directory for one test (removed first if it exists).
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ec-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Copies the shipped pack (rules/us-ear with its tests and rules.lock) to `dest`.
pub fn copy_shipped_pack(dest: &Path) {
    copy_dir(&repo("rules/us-ear"), dest);
}

/// Copies a directory tree (regular files and directories only).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Replaces the first `old` in a file.
pub fn edit_file(path: &Path, old: &str, new: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(old), "{old} not in {}", path.display());
    std::fs::write(path, text.replacen(old, new, 1)).unwrap();
}

/// A query exporting to `to` on `on` (ISO country, `YYYY-MM-DD`) by an exporter that is not a
/// front-end fabricator or OSAT (so Note 1 to 3A090.a does not leave it open), with `parties`.
pub fn ordinary_query(to: &str, on: &str, parties: Vec<export_controls::model::Party>) -> export_controls::Query {
    let ordinary = export_controls::model::Exporter { front_end_fabricator_or_osat: Some(false), ..Default::default() };
    let mut q = export_controls::Query::export_to(to.parse().unwrap(), on.parse().unwrap()).with_exporter(ordinary);
    q.parties = parties;
    q
}

/// The determination of `RuleSet::evaluate`, after checking that `CompiledPack::decide` (the
/// fast path, with `pack` compiled from `rules`) gives the same verdict.
pub fn determine_both(
    rules: &export_controls::RuleSet,
    pack: &export_controls::CompiledPack,
    p: &export_controls::PreparedProduct,
    q: &export_controls::Query,
) -> export_controls::Determination {
    let d = rules.evaluate(p, q, export_controls::Options::default()).unwrap();
    let parties = pack.prepare_parties(&q.parties);
    let fast = pack.decide(p, &export_controls::FastQuery::of(q, &parties), &mut export_controls::Scratch::default());
    assert_eq!(fast.unwrap().verdict, d.verdict, "decide and evaluate: {:?}", q.parties.first().map(|p| &p.name));
    d
}

/// A party of `role` in `country`, headquartered there (its parent too), owners known,
/// screened against the full Entity List of `on` (`YYYY-MM-DD`) by "a test".
pub fn attested(
    role: export_controls::model::Role,
    name: &str,
    country: &str,
    on: &str,
) -> export_controls::model::Party {
    let mut p = export_controls::model::Party::new(role);
    p.name = Some(name.into());
    p.country = Some(country.parse().unwrap());
    p.headquarters = p.country;
    p.parent_headquarters = p.country;
    p.owners_known = true;
    p.screened = vec![export_controls::model::Screening {
        list: "entity_list".into(),
        list_date: on.parse().unwrap(),
        by: Some("a test".into()),
    }];
    p
}

/// The shipped rules, compiled, and the shipped catalog, loaded once per test binary.
pub fn shipped() -> &'static (export_controls::RuleSet, export_controls::CompiledPack, export_controls::Catalog) {
    use std::sync::LazyLock;
    static SHIPPED: LazyLock<(export_controls::RuleSet, export_controls::CompiledPack, export_controls::Catalog)> =
        LazyLock::new(|| {
            let rules = export_controls::RuleSet::shipped().unwrap();
            let pack = export_controls::CompiledPack::new(rules.clone());
            (rules, pack, export_controls::Catalog::shipped().unwrap())
        });
    &SHIPPED
}

/// The shipped pack's determination of an H100 SXM5 to MY on 2025-06-01, by an ordinary
/// exporter, for an end user named `name` in MY (headquartered there, owners known) that
/// attests a screening against the Entity List as of that date ([`attested`]); `decide` checked
/// against `evaluate` ([`determine_both`]). The query of the name-screening probes (names6,
/// names7).
pub fn h100_to_my_end_user(name: &str) -> export_controls::Determination {
    let (rules, pack, catalog) = shipped();
    let h100 = catalog.get("nvidia-h100-sxm5-80gb").unwrap();
    let end_user = attested(export_controls::model::Role::EndUser, name, "MY", "2025-06-01");
    determine_both(rules, pack, h100, &ordinary_query("MY", "2025-06-01", vec![end_user]))
}

/// The shipped pack's determination of an H100 SXM5 to DE on 2024-06-01, by an ordinary
/// exporter, for an end user named `name` in DE (headquartered there, its parent too) that
/// attests a screening against the Entity List as of that date (`entity_list@2024-06-01`, by
/// no one named, owners not stated); `decide` checked against `evaluate` ([`determine_both`]).
/// The query of the placeholder-name tests (placeholder_parties13, template_names16): DE is
/// in A:5, so a real name is cleared (15 CFR 742.6(a)(6)(iii)).
pub fn h100_to_de_end_user(name: &str) -> export_controls::Determination {
    let (rules, pack, catalog) = shipped();
    let mut p = export_controls::model::Party::new(export_controls::model::Role::EndUser);
    p.name = Some(name.into());
    p.country = Some("DE".parse().unwrap());
    p.headquarters = p.country;
    p.parent_headquarters = p.country;
    p.screened.push(export_controls::model::Screening::parse_short("entity_list@2024-06-01").unwrap());
    let h100 = catalog.get("nvidia-h100-sxm5-80gb").unwrap();
    determine_both(rules, pack, h100, &ordinary_query("DE", "2024-06-01", vec![p]))
}

/// Asserts that each of `names` (a template's or placeholder's name for a company) is left
/// open ([`h100_to_de_end_user`]: `indeterminate`, never cleared by the attestation) with the
/// party's name among the missing facts: such a name screens nobody (15 CFR 744.11 reaches a
/// party by its name; 15 CFR 748.5(e) defines the end user as a person).
pub fn assert_placeholder_names_left_open(names: &[&str]) {
    for name in names {
        let d = h100_to_de_end_user(name);
        assert_eq!(d.verdict, export_controls::Verdict::Indeterminate, "{name}");
        assert!(d.missing.iter().any(|m| m.contains("name")), "{name}: {:?}", d.missing);
    }
}

/// Asserts that each of `names` (real, unlisted) is cleared ([`h100_to_de_end_user`]): no
/// licence for 3A090 items to Germany (A:5) on 2024-06-01, 15 CFR 742.6(a)(6)(iii).
pub fn assert_cleared_in_de(names: &[&str]) {
    for name in names {
        assert_eq!(h100_to_de_end_user(name).verdict, export_controls::Verdict::NoLicenseRequired, "{name}");
    }
}

/// Asserts that each name of `cases` is left open ([`h100_to_my_end_user`]: `indeterminate`,
/// never cleared by the attestation, never matched outright) with its Entity List entry (the
/// id given beside it) named among the missing facts.
pub fn assert_left_open_naming_entry(cases: &[(&str, &str)]) {
    for (name, entry) in cases {
        let d = h100_to_my_end_user(name);
        assert_eq!(d.verdict, export_controls::Verdict::Indeterminate, "{name}: {:?}", d.requirements);
        assert!(
            d.missing.iter().any(|m| m.contains(&format!("entry {entry} "))),
            "{name} should name {entry}: {:?}",
            d.missing
        );
    }
}

/// Asserts that every name of `names` (real companies that are not listed) is cleared with the
/// attestation ([`h100_to_my_end_user`]), printing how many are not (`--nocapture`): the rate
/// of false opens of the name readings.
pub fn assert_cleared(names: &[&str]) {
    let open: Vec<(&str, Vec<String>)> = names
        .iter()
        .map(|&n| (n, h100_to_my_end_user(n)))
        .filter(|(_, d)| d.verdict != export_controls::Verdict::NoLicenseRequired)
        .map(|(n, d)| (n, d.missing))
        .collect();
    println!("left open: {} of {} real unlisted company names: {open:?}", open.len(), names.len());
    assert!(open.is_empty(), "{open:#?}");
}

/// The text of the checkout's file at `path` (e.g. `rules/products/nvidia-h20.toml`).
pub fn read(path: &str) -> String {
    std::fs::read_to_string(repo(path)).unwrap()
}

/// The shipped product sheet at `path` under the id `id`, with each `old` (which must occur
/// exactly once) replaced by `new`: a sheet with a figure mistyped, for the plausibility checks.
pub fn edited_sheet(path: &str, id: &str, edits: &[(&str, &str)]) -> String {
    let shipped = read(path);
    let old_id = shipped.lines().find(|l| l.starts_with("id = ")).unwrap().to_string();
    let mut text = shipped.replace(&old_id, &format!("id = \"{id}\""));
    for (old, new) in edits {
        assert_eq!(text.matches(old).count(), 1, "{old}");
        text = text.replace(old, new);
    }
    text
}

/// A product sheet's text read as `sheet.toml`: the product, or the diagnostics refusing it.
pub fn parse_sheet(
    text: &str,
) -> Result<export_controls::model::Product, Vec<export_controls::diagnostic::Diagnostic>> {
    export_controls::model::parse_product_sheet(&SourceFile::new("sheet.toml", text)).map_err(|d| d.0)
}

/// The code, line and column of each diagnostic refusing a sheet (panics if it loads).
pub fn sheet_refusal(text: &str) -> Vec<(export_controls::diagnostic::Code, usize, usize)> {
    parse_sheet(text).unwrap_err().iter().map(|d| (d.code, d.line, d.column)).collect()
}

/// The 1-based number of the first line of `text` that starts with `start`.
pub fn line_of(text: &str, start: &str) -> usize {
    text.lines().position(|l| l.starts_with(start)).unwrap() + 1
}

/// The head of a transaction file (TOML, twelve lines): an H100 SXM5 80GB to Malaysia on
/// 2025-10-15 by an exporter that is not a front-end fabricator or OSAT, and one end user,
/// "Example Cloud Malaysia Sdn. Bhd." (in MY, its headquarters and its parent's in MY), that
/// states its owners known and attests screening against the Entity List of that date by `by`
/// (tester round 6, S2, case a1; round 9, U3). Its owners follow as `[[party.owner]]` tables.
pub fn h100_to_my_owned_end_user(by: &str) -> String {
    format!(
        r#"product = "nvidia-h100-sxm5-80gb"
destination = "MY"
date = 2025-10-15
exporter = {{ front_end_fabricator_or_osat = false }}
[[party]]
role = "end_user"
name = "Example Cloud Malaysia Sdn. Bhd."
country = "MY"
headquarters = "MY"
parent_headquarters = "MY"
owners_known = true
screened = [{{ list = "entity_list", list_date = 2025-10-15, by = "{by}" }}]
"#
    )
}

/// A transaction file's text read as `t.toml`: the transaction, or its diagnostics as text.
pub fn parse_transaction(text: &str) -> Result<export_controls::model::Transaction, String> {
    export_controls::model::Transaction::parse(&SourceFile::new("t.toml", text)).map_err(|e| e.to_string())
}

/// The ids of a determination's licence requirements, in its order.
pub fn requirement_ids(d: &export_controls::Determination) -> Vec<&str> {
    d.requirements.iter().map(|r| r.id.as_str()).collect()
}

/// The determination of a product sheet's text (read as `sheet.toml`, panics if refused)
/// exported to `to` on `on` by an ordinary exporter ([`ordinary_query`]), no parties given,
/// checked on both paths ([`determine_both`]).
pub fn sheet_determination(text: &str, to: &str, on: &str) -> export_controls::Determination {
    let rules = export_controls::RuleSet::shipped().unwrap();
    let pack = export_controls::CompiledPack::new(rules.clone());
    let product = export_controls::PreparedProduct::new(parse_sheet(text).unwrap());
    determine_both(&rules, &pack, &product, &ordinary_query(to, on, Vec::new()))
}

/// The shipped pack's determination of the catalog's `product` for `q`, checked on both paths
/// ([`determine_both`]).
pub fn determine_catalog(product: &str, q: &export_controls::Query) -> export_controls::Determination {
    let rules = export_controls::RuleSet::shipped().unwrap();
    let catalog = export_controls::Catalog::shipped().unwrap();
    let p = catalog.get(product).unwrap_or_else(|| panic!("no catalog product `{product}`"));
    determine_both(&rules, &export_controls::CompiledPack::new(rules.clone()), p, q)
}

/// An owner named `name` holding `percent` (a decimal as written: `60`, `49.5`) of the party
/// below it, attested screened against the full Entity List of `on` (`YYYY-MM-DD`) by "a
/// test", its own owners known: `owners`. Neither identified nor registered (set them with
/// `Owner { identified: true, ..screened_owner(..) }`).
pub fn screened_owner(
    name: &str,
    percent: &str,
    on: &str,
    owners: Vec<export_controls::model::Owner>,
) -> export_controls::model::Owner {
    export_controls::model::Owner {
        name: name.into(),
        percent: Some(percent.parse().unwrap_or_else(|e| panic!("{percent}: {e}"))),
        screened: vec![export_controls::model::Screening {
            list: "entity_list".into(),
            list_date: on.parse().unwrap(),
            by: Some("a test".into()),
        }],
        owners_known: true,
        owners,
        ..export_controls::model::Owner::default()
    }
}

/// `p` owned by `owners`.
pub fn owned_by(
    mut p: export_controls::model::Party,
    owners: Vec<export_controls::model::Owner>,
) -> export_controls::model::Party {
    p.owners = owners;
    p
}

/// `end_use` declared in `place` (ISO 3166-1 alpha-2).
pub fn placed(end_use: export_controls::model::EndUse, place: &str) -> export_controls::model::DeclaredEndUse {
    export_controls::model::DeclaredEndUse { end_use, place: Some(place.parse().unwrap()) }
}

/// `p` declaring `end_use` in `place` (its only declared end use).
pub fn declaring(
    mut p: export_controls::model::Party,
    end_use: export_controls::model::EndUse,
    place: &str,
) -> export_controls::model::Party {
    p.end_uses = vec![placed(end_use, place)];
    p
}
