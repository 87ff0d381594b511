//! Round trips through JSON and TOML: product sheets, transactions and determinations; and
//! exact metrics at generated threshold equalities.

use export_controls::model::{Party, Role, Transaction, parse_product_sheet, write_product_sheet};
use export_controls::ruleset::SourceFile;
use export_controls::{Catalog, Determination, Options, PreparedProduct, Query, RuleSet};
use proptest::prelude::*;
use rust_decimal::Decimal;

#[test]
fn every_catalog_sheet_round_trips_through_toml_and_json() {
    let catalog = Catalog::shipped().unwrap();
    for p in catalog.iter() {
        let text = write_product_sheet(p.product());
        let back = parse_product_sheet(&SourceFile::new(format!("{}.toml", p.product().id), text.clone()))
            .unwrap_or_else(|e| panic!("{}: {e}\n{text}", p.product().id));
        assert_eq!(&back, p.product(), "{} through TOML", p.product().id);
        let json = serde_json::to_string(p.product()).unwrap();
        assert_eq!(
            &serde_json::from_str::<export_controls::Product>(&json).unwrap(),
            p.product(),
            "{} through JSON",
            p.product().id
        );
    }
}

fn transaction() -> Transaction {
    let mut buyer = Party::new(Role::Purchaser);
    buyer.name = Some("Example \"Quoted\" Co.".into());
    buyer.country = "MY".parse().ok();
    buyer.headquarters = "MY".parse().ok();
    buyer.parent_headquarters = "CN".parse().ok();
    buyer.end_uses = vec![export_controls::model::EndUse::Supercomputer.into()];
    buyer.owners = vec![export_controls::model::Owner {
        name: "Huawei Technologies Co., Ltd.".into(),
        percent: Some(Decimal::new(505, 1)),
        list_entries: vec![],
        screened: vec![],
        ..Default::default()
    }];
    Transaction {
        product: "nvidia-h100-sxm5-80gb".into(),
        quantity: Some(8),
        destination: "MY".parse().unwrap(),
        exported_from: Some("SG".parse().unwrap()),
        date: "2025-10-15".parse().unwrap(),
        destination_region: None,
        exporter: export_controls::model::Exporter::default(),
        parties: vec![buyer],
    }
}

#[test]
fn a_transaction_round_trips_through_toml_and_json() {
    let t = transaction();
    let toml_text = t.to_toml();
    assert_eq!(
        Transaction::parse(&SourceFile::new("t.toml", toml_text.clone()))
            .unwrap_or_else(|e| panic!("{e}\n{toml_text}")),
        t
    );
    let json = serde_json::to_string_pretty(&t).unwrap();
    assert_eq!(Transaction::parse(&SourceFile::new("t.json", json)).unwrap(), t);
}

#[test]
fn determinations_round_trip_through_json() {
    let rules = RuleSet::shipped().unwrap();
    let catalog = Catalog::shipped().unwrap();
    let t = transaction();
    for p in catalog.iter() {
        let mut q = Query::of(&t);
        q.destination = "CN".parse().unwrap();
        let d = rules.evaluate(p, &q, Options { trace: true }).unwrap();
        let json = serde_json::to_string(&d).unwrap();
        let back: Determination = serde_json::from_str(&json).unwrap();
        assert_eq!(back, d, "{}", p.product().id);
    }
}

fn chip(tpp_rate: Decimal, area: Decimal) -> PreparedProduct {
    let text = format!(
        "id = \"p\"\nname = \"P\"\nvendor = \"T\"\nkind = \"integrated_circuit\"\ndesigned_or_marketed_for_datacenter = true\n\
         [dense_tops]\ncomplete = true\nfp8 = \"{tpp_rate}\"\n[[logic_die]]\narea = \"{area}\"\nnon_planar = true\n"
    );
    PreparedProduct::new(parse_product_sheet(&SourceFile::new("p.toml", text)).unwrap())
}

static RULES: std::sync::LazyLock<RuleSet> = std::sync::LazyLock::new(|| RuleSet::shipped().unwrap());

fn paragraphs(p: &PreparedProduct) -> Vec<String> {
    RULES.classify(p, "2024-06-01".parse().unwrap(), Options::default()).unwrap().paragraphs
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// A part whose performance density is exactly 5.92 (TPP = 5.92 × area, with TPP >= 1600
    /// and < 4800) is 3A090.a.2; one ten-thousandth less (5.9199) is not .a.2.
    #[test]
    fn density_exactly_at_5_92_is_a_2(area_hundredths in 27_100u32..81_000) {
        let area = Decimal::new(i64::from(area_hundredths), 2);
        let tpp = Decimal::new(592, 2) * area;
        let rate = tpp / Decimal::from(8);
        prop_assume!(rate.normalize().scale() <= 6);
        prop_assert_eq!(paragraphs(&chip(rate, area)), vec!["3A090.a.2".to_string()]);
        let below = (Decimal::new(59199, 4) * area / Decimal::from(8)).round_dp(6);
        prop_assume!(below * Decimal::from(8) < tpp && below * Decimal::from(8) >= Decimal::from(2400));
        prop_assert!(!paragraphs(&chip(below, area)).contains(&"3A090.a.2".to_string()));
    }

    /// TPP 4799.9999-and-a-bit is never 3A090.a.1; 4800 always is.
    #[test]
    fn tpp_at_4800(area in 1000u32..5000) {
        let area = Decimal::from(area);
        prop_assert!(paragraphs(&chip(Decimal::from(600), area)).contains(&"3A090.a.1".to_string()));
        prop_assert!(!paragraphs(&chip(Decimal::new(599_999_988, 6), area)).contains(&"3A090.a.1".to_string()));
    }

    /// More performance density (a smaller die for the same TPP) is never less restricted.
    #[test]
    fn more_density_is_never_less_restricted(rate in 200u32..700, area in 200u32..2000, shrink in 0u32..150, dest in prop::sample::select(vec!["CN", "SA", "VN", "FR", "MO"])) {
        let rules = &*RULES;
        let q = Query::export_to(dest.parse().unwrap(), "2024-06-01".parse().unwrap());
        let big = rules.evaluate(&chip(Decimal::from(rate), Decimal::from(area + shrink)), &q, Options::default()).unwrap().verdict;
        let small = rules.evaluate(&chip(Decimal::from(rate), Decimal::from(area)), &q, Options::default()).unwrap().verdict;
        prop_assert!(big <= small, "{big:?} with the larger die, {small:?} with the smaller");
    }
}

#[test]
fn more_interconnect_is_never_less_restricted_under_the_2022_rule() {
    let rules = RuleSet::shipped().unwrap();
    let q = Query::export_to("CN".parse().unwrap(), "2023-06-01".parse().unwrap());
    let with_io = |io: u32| {
        let text = format!(
            "id = \"p\"\nname = \"P\"\nvendor = \"T\"\nkind = \"integrated_circuit\"\ndesigned_or_marketed_for_datacenter = true\n\
             interconnect_bandwidth = {io}\n[dense_tops]\ncomplete = true\nfp8 = 700\n[[logic_die]]\narea = 800\nnon_planar = true\n"
        );
        let p = parse_product_sheet(&SourceFile::new("p.toml", text)).map_err(|e| e.0[0].code)?;
        Ok(rules.evaluate(&PreparedProduct::new(p), &q, Options::default()).unwrap().verdict)
    };
    // Zero is not a figure (an I/O of 0 is refused), and a datacenter part's I/O below a PCIe
    // 3.0 x16 host link (31.5 GB/s both ways) is refused (E0225: written in TB/s?): from 32 up.
    for io in [1, 4, 31] {
        assert_eq!(with_io(io), Err(export_controls::diagnostic::Code::E0225), "I/O {io}");
    }
    let with_io = |io: u32| with_io(io).unwrap();
    let mut last = with_io(32);
    for io in std::iter::once(32).chain((50..1200).step_by(25)) {
        let v = with_io(io);
        assert!(v >= last, "I/O {io}: {v:?} after {last:?}");
        last = v;
    }
}

/// A transaction file whose party has owners to the deepest level the model reads
/// ([`export_controls::model::MAX_OWNER_DEPTH`], 4), each with every field set: share, list
/// entries, two screening attestations (with and without `by`), `owners_known`, registration
/// and `identified`. Written by `to_toml` (records, `replay`) it must read back the same
/// transaction; before the fix the list dates of owners below the first level were written as
/// quoted strings, which the reader refuses (a record that cannot be replayed).
const NESTED_OWNERS: &str = r#"
product = "nvidia-h100-sxm5-80gb"
quantity = 8
destination = "MY"
exported_from = "US"
date = 2025-10-15

[exporter]
front_end_fabricator_or_osat = false

[[party]]
role = "ultimate_consignee"
name = "Example Data Centre Sdn Bhd"
country = "MY"
headquarters = "MY"
parent_headquarters = "SG"
owners_known = true
end_uses = ["supercomputer"]
screened = [{ list = "entity_list", list_date = 2025-10-01, by = "screening service" }]

[[party.owner]]
name = "Level One Holding Ltd"
percent = 60
list_entries = ["EL:one"]
owners_known = true
identified = true
registration = { country = "SG", number = "201901012345" }
screened = [{ list = "entity_list", list_date = 2025-10-02, by = "l1" }, { list = "sdn", list_date = 2025-09-02 }]

[[party.owner.owner]]
name = "Level Two Holding Ltd"
percent = 70.5
list_entries = ["EL:two"]
owners_known = true
identified = true
registration = { country = "HK", number = "2-222" }
screened = [{ list = "entity_list", list_date = 2025-10-03, by = "l2" }, { list = "sdn", list_date = 2025-09-03 }]

[[party.owner.owner.owner]]
name = "Level Three Holding Ltd"
percent = 80
list_entries = ["EL:three"]
owners_known = true
identified = true
registration = { country = "KY", number = "3-333" }
screened = [{ list = "entity_list", list_date = 2025-10-04, by = "l3" }, { list = "sdn", list_date = 2025-09-04 }]

[[party.owner.owner.owner.owner]]
name = "Level Four Person"
percent = 100
list_entries = ["EL:four"]
owners_known = true
identified = true
screened = [{ list = "entity_list", list_date = 2025-10-05, by = "l4" }, { list = "sdn", list_date = 2025-09-05 }]
"#;

#[test]
fn nested_owners_with_every_field_round_trip_through_to_toml() {
    let t = Transaction::parse(&SourceFile::new("nested.toml", NESTED_OWNERS)).unwrap_or_else(|e| panic!("{e}"));
    // The file is read to the last level with every field (so the round trip below covers them).
    let mut o = &t.parties[0].owners[0];
    let mut depth = 1;
    while let Some(next) = o.owners.first() {
        assert_eq!(o.screened.len(), 2, "level {depth}");
        assert!(o.owners_known && o.identified && !o.list_entries.is_empty() && o.percent.is_some());
        o = next;
        depth += 1;
    }
    assert_eq!(depth, export_controls::model::MAX_OWNER_DEPTH);
    assert_eq!(o.screened[1].list_date, "2025-09-05".parse().unwrap());
    let text = t.to_toml();
    let back =
        Transaction::parse(&SourceFile::new("written.toml", text.clone())).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(back, t, "{text}");
    // And through JSON, which the service and `--json` records use.
    let json = serde_json::to_string_pretty(&t).unwrap();
    assert_eq!(Transaction::parse(&SourceFile::new("t.json", json)).unwrap(), t);
}
