//! Systems made of products: a computer's sheet lists what it contains (catalog ids or inline
//! sheets); the catalog resolves the ids (unknown ids and cycles refused with their location);
//! a sheet given by path is resolved against the catalog; the pack's reading of separately
//! packaged ICs is a setting, and the other reading is reported when it changes the outcome.

use export_controls::diagnostic::Code;
use export_controls::model::parse_product_sheet;
use export_controls::ruleset::{Reading, SourceFile};

use export_controls::{Catalog, CompiledPack, FastQuery, Options, PreparedProduct, Query, RuleSet, Scratch, Verdict};

fn sheet(path: &str, text: &str) -> SourceFile {
    SourceFile::new(path, text)
}

const BOARD: &str = "id = \"example-board\"\nname = \"B\"\nvendor = \"V\"\nkind = \"computer\"\n\
    designed_or_marketed_for_datacenter = true\ncontains = [{ product = \"nvidia-h20\", count = 8 }]\n";

#[test]
fn a_sheet_given_by_path_is_resolved_against_the_catalog() {
    let catalog = Catalog::shipped().unwrap();
    let p = catalog.prepare_sheet(&sheet("board.toml", BOARD)).unwrap();
    let h20 = p.product().contains[0].sheet.as_deref().unwrap();
    assert_eq!(h20, catalog.get("nvidia-h20").unwrap().product());
    assert!(p.is_system() && p.is_or_contains("nvidia-h20"));
    // Its figures as one aggregate: 8 x TPP 2,368.
    assert_eq!(p.metrics().tpp.unwrap().to_string(), "18944");
    // Without the catalog, the id is left without figures: the system's contents are unknown.
    let bare = PreparedProduct::new(parse_product_sheet(&sheet("board.toml", BOARD)).unwrap());
    let rules = RuleSet::shipped().unwrap();
    let q = Query::export_to("CN".parse().unwrap(), "2024-06-01".parse().unwrap());
    let d = rules.evaluate(&bare, &q, Options::default()).unwrap();
    assert_eq!(d.verdict, Verdict::Indeterminate);
    assert!(d.missing.iter().any(|m| m == "nvidia-h20: sheet (not in the catalog)"), "{:?}", d.missing);
    // Catalog::resolve fills them in.
    let resolved = PreparedProduct::new(catalog.resolve(bare.product().clone()));
    assert_eq!(rules.evaluate(&resolved, &q, Options::default()).unwrap().verdict, Verdict::NoLicenseRequired);
}

/// What the rules test a product through (`tested_as`): a board per IC is its one distinct
/// IC (8 H20s merged, TPP 2,368 each; rules/products/nvidia-h20.toml), read as designed for
/// datacenters as the board is; as an aggregate, one IC of TPP 8 x 2,368 = 18,944; an IC is
/// itself; a computer whose contents are not listed is one unit with no figures.
#[test]
fn a_system_is_tested_through_its_units() {
    let catalog = Catalog::shipped().unwrap();
    let board = catalog.prepare_sheet(&sheet("board.toml", BOARD)).unwrap();
    let per_ic: Vec<&PreparedProduct> = board.tested_as(Reading::PerIc).collect();
    assert_eq!(per_ic.len(), 1);
    assert_eq!(per_ic[0].product().id, "nvidia-h20");
    assert_eq!(per_ic[0].metrics().tpp.unwrap().to_string(), "2368");
    assert_eq!(per_ic[0].product().designed_or_marketed_for_datacenter, Some(true));
    let aggregate: Vec<&PreparedProduct> = board.tested_as(Reading::Aggregate).collect();
    assert_eq!(aggregate.len(), 1);
    assert_eq!(aggregate[0].metrics().tpp.unwrap().to_string(), "18944");
    let h20 = catalog.get("nvidia-h20").unwrap();
    for reading in Reading::ALL {
        let units: Vec<&PreparedProduct> = h20.tested_as(reading).collect();
        assert!(units.len() == 1 && std::ptr::eq(units[0], h20));
    }
    let text = BOARD.replace("contains = [{ product = \"nvidia-h20\", count = 8 }]\n", "");
    let unlisted = PreparedProduct::new(parse_product_sheet(&sheet("board.toml", &text)).unwrap());
    let units: Vec<&PreparedProduct> = unlisted.tested_as(Reading::PerIc).collect();
    assert_eq!(units.len(), 1);
    assert!(units[0].metrics().tpp.is_none() && units[0].product().designed_or_marketed_for_datacenter.is_none());
}

#[test]
fn an_unknown_contained_id_is_refused_with_the_nearest_one() {
    let catalog = Catalog::shipped().unwrap();
    let text = BOARD.replace("nvidia-h20\"", "nvidia-h2o\"");
    let err = catalog.prepare_sheet(&sheet("board.toml", &text)).unwrap_err();
    let d = &err.0[0];
    assert_eq!(d.code, Code::E0216);
    assert_eq!((d.line, d.column), (6, 25));
    assert_eq!(d.message, "`contains` names `nvidia-h2o`, which is not in the catalog");
    assert_eq!(d.help.as_deref(), Some("did you mean `nvidia-h20`?"));
    // Likewise in a catalog of sheets.
    let err = Catalog::from_files(&[sheet("example-board.toml", &text)]).unwrap_err();
    assert_eq!(err.0[0].code, Code::E0216);
}

#[test]
fn a_product_that_contains_itself_is_refused() {
    let a =
        "id = \"a\"\nname = \"A\"\nvendor = \"V\"\nkind = \"computer\"\ncontains = [{ product = \"b\", count = 1 }]\n";
    let b =
        "id = \"b\"\nname = \"B\"\nvendor = \"V\"\nkind = \"computer\"\ncontains = [{ product = \"a\", count = 2 }]\n";
    let err = Catalog::from_files(&[sheet("a.toml", a), sheet("b.toml", b)]).unwrap_err();
    let d = err.0.iter().find(|d| d.code == Code::E0217).unwrap();
    assert!(d.message.contains("a -> b -> a"), "{}", d.message);
}

#[test]
fn catalog_systems_resolve_at_every_depth() {
    let catalog = Catalog::shipped().unwrap();
    // DGX H100 -> HGX H100 board -> 8 x H100; NVL72 -> 36 superchips -> 2 inline GPUs each.
    let dgx = catalog.get("nvidia-dgx-h100").unwrap();
    assert!(dgx.is_or_contains("nvidia-hgx-h100") && dgx.is_or_contains("nvidia-h100-sxm5-80gb"));
    assert_eq!(dgx.metrics().tpp.unwrap().to_string(), "126649.6");
    let nvl = catalog.get("nvidia-gb200-nvl72").unwrap();
    assert_eq!(nvl.metrics().tpp.unwrap().to_string(), "2880000");
}

#[test]
fn the_reading_is_a_pack_setting_and_both_paths_follow_it() {
    let catalog = Catalog::shipped().unwrap();
    let board = catalog.get("nvidia-hgx-h20").unwrap();
    let q = Query::export_to("CN".parse().unwrap(), "2024-06-01".parse().unwrap());
    let per_ic = RuleSet::shipped().unwrap();
    assert_eq!(per_ic.pack().aggregation.separate_packages, Reading::PerIc);
    assert!(per_ic.pack().aggregation.source.contains("4A090"));
    let aggregate = per_ic.with_reading(Reading::Aggregate);
    for (rules, verdict) in [(&per_ic, Verdict::NoLicenseRequired), (&aggregate, Verdict::LicenseRequired)] {
        let d = rules.evaluate(board, &q, Options::default()).unwrap();
        assert_eq!(d.verdict, verdict);
        assert!(d.warnings.iter().any(|w| w.starts_with("Separately packaged ICs")), "{:?}", d.warnings);
        let pack = CompiledPack::new(rules.clone());
        let mut fq = FastQuery::export_to(q.destination, q.date);
        fq.exported_from = q.exported_from;
        let fast = pack.decide(board, &fq, &mut Scratch::default());
        assert_eq!(fast.unwrap().verdict, verdict);
    }
}

/// Tester round 14, O3: the GB200 NVL72 (rules/products/nvidia-gb200-nvl72.toml: 36
/// superchips of 2 B200-class GPUs, each 2 dies of 800 mm²) read as one aggregate IC sums 144
/// dies to 115,200 mm², more than the one 300 mm wafer (70,685 mm², E0226) that bounds ONE
/// package. That bound made the aggregate invalid and the aggregate reading `indeterminate`
/// with no ECCN. A system's summed figures are not one package: the rack contains 3A090.a ICs
/// (TPP 40,000 each), so it is 4A090.a (15 CFR 774 Supp. No. 1, ECCN 4A090.a) and needs a
/// licence to China (742.6(a)(6)(iii)) under either reading, on both paths.
#[test]
fn a_rack_read_as_one_aggregate_is_not_held_to_one_wafer() {
    let catalog = Catalog::shipped().unwrap();
    let nvl = catalog.get("nvidia-gb200-nvl72").unwrap();
    let aggregate: Vec<&PreparedProduct> = nvl.tested_as(Reading::Aggregate).collect();
    assert_eq!(aggregate[0].metrics().applicable_die_area.unwrap().to_string(), "115200");
    assert!(aggregate[0].is_valid(), "{:?}", aggregate[0].problems());
    // The bound still holds for one IC: the same dies as one integrated circuit are refused.
    let one_ic = aggregate[0].product().clone();
    assert_eq!(one_ic.kind, export_controls::model::ProductKind::IntegratedCircuit);
    let err = one_ic.validate().unwrap_err();
    assert!(err.0.iter().any(|d| d.code == Code::E0226), "{err:?}");
    assert!(one_ic.validate_as_aggregate().is_ok());
    let q = Query::export_to("CN".parse().unwrap(), "2025-06-01".parse().unwrap());
    let per_ic = RuleSet::shipped().unwrap();
    for rules in [per_ic.clone(), per_ic.with_reading(Reading::Aggregate)] {
        let d = rules.evaluate(nvl, &q, Options::default()).unwrap();
        assert_eq!(d.verdict, Verdict::LicenseRequired, "{:?}", d.missing);
        assert_eq!(d.eccns, ["4A090.a"]);
        assert!(d.requirements.iter().any(|r| r.id == "742.6(a)(6)(iii)"));
        assert!(!d.missing.iter().any(|m| m.contains("300 mm wafer")), "{:?}", d.missing);
        let pack = CompiledPack::new(rules.clone());
        let mut fq = FastQuery::export_to(q.destination, q.date);
        fq.exported_from = q.exported_from;
        assert_eq!(pack.decide(nvl, &fq, &mut Scratch::default()).unwrap().verdict, Verdict::LicenseRequired);
    }
}

#[test]
fn a_pack_with_an_unknown_reading_is_refused() {
    let files =
        common::pack_files_edited("pack.toml", "separate_packages = \"per_ic\"", "separate_packages = \"per_board\"");
    let err = export_controls::ruleset::compile(&files).unwrap_err();
    assert_eq!(err.0[0].code, Code::E0308);
    assert_eq!(err.0[0].message, "unknown reading `per_board`; expected `per_ic` or `aggregate`");
    // The aggregate reading, written in the pack, is the pack's own.
    let files =
        common::pack_files_edited("pack.toml", "separate_packages = \"per_ic\"", "separate_packages = \"aggregate\"");
    let rules = export_controls::ruleset::compile(&files).unwrap();
    assert_eq!(rules.pack().aggregation.separate_packages, Reading::Aggregate);
}

mod common;

/// The short form (`check --explain`) keeps the warnings: the HGX H20 board needs no licence
/// to China on 2024-06-01 read per IC, and the warning gives the aggregate reading's outcome
/// (found by a new user: `--explain` printed a bare "No licence required").
#[test]
fn the_decisive_path_keeps_the_warnings() {
    let rules = RuleSet::shipped().unwrap();
    let catalog = Catalog::shipped().unwrap();
    let board = catalog.get("nvidia-hgx-h20").unwrap();
    let q = Query::export_to("CN".parse().unwrap(), "2024-06-01".parse().unwrap());
    let d = rules.evaluate(board, &q, Options { trace: true }).unwrap();
    assert_eq!(d.verdict, Verdict::NoLicenseRequired);
    let text = d.explain_decisive();
    assert!(text.starts_with("No licence required"), "{text}");
    let w = d.warnings.iter().find(|w| w.starts_with("Separately packaged ICs")).expect("the aggregation warning");
    assert!(text.contains(&format!("Warning: {w}")), "{text}");
}

/// A product built in code is prepared by the catalog as a sheet is (tester round 3, P5): one
/// that takes a catalog product's id with other figures is refused (E0220), as `check` and the
/// service refuse the sheet, instead of being decided and recorded under that product's id.
#[test]
fn a_product_built_in_code_is_prepared_by_the_catalog_as_a_sheet_is() {
    let catalog = Catalog::shipped().unwrap();
    let h20 = catalog.get("nvidia-h20").unwrap().product().clone();
    // The H20's figures under the H100's id.
    let mut forged = h20.clone();
    forged.id = "nvidia-h100-sxm5-80gb".into();
    let e = catalog.prepare(forged).unwrap_err();
    assert_eq!(e.0.len(), 1);
    assert_eq!(e.0[0].code, Code::E0220);
    assert!(e.0[0].message.contains("`nvidia-h100-sxm5-80gb`"), "{}", e.0[0].message);
    // The catalog's own product, and the figures under an id of their own, are prepared.
    assert!(catalog.prepare(h20.clone()).is_ok());
    let mut own = h20;
    own.id = "example-h20-like".into();
    assert_eq!(catalog.prepare(own).unwrap().product().id, "example-h20-like");
    // A system naming a catalog id is resolved; one naming an id the catalog lacks is refused
    // with the nearest id.
    let mut system = catalog.get("nvidia-hgx-h20").unwrap().product().clone();
    system.id = "example-hgx".into();
    for c in &mut system.contains {
        c.sheet = None;
    }
    let prepared = catalog.prepare(system.clone()).unwrap();
    assert!(prepared.product().contains.iter().all(|c| c.sheet.is_some()));
    system.contains[0].product = "nvidia-h2O".into();
    let e = catalog.prepare(system).unwrap_err();
    assert_eq!(e.0[0].code, Code::E0216);
    assert_eq!(e.0[0].help.as_deref(), Some("did you mean `nvidia-h20`?"));
}
