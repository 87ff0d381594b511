//! Issue 12 item 1, "overflow makes TPP unknown, never smaller" (tester finding P9): a system
//! that holds more than `MAX_CONTAINED_TOTAL` (10^9) products in all, counting through every
//! level of `contains`, is an input error (E0224) wherever a product is prepared: a sheet, a
//! catalog of sheets, `Catalog::prepare`, `PreparedProduct::try_new`, `Product::validate`; and
//! `PreparedProduct::new` of such a product is invalid, never cleared, and its aggregate TPP is
//! the exact figure or unknown, never a smaller one.
//!
//! The H100 SXM5's TPP is 1,978.9 dense FP8 TOPS × 8 bits = 15,831.2 (rules/products/
//! nvidia-h100-sxm5-80gb.toml; 3A090 Technical Note 2: TPP = TOPS × bit length).

use std::str::FromStr;

use export_controls::diagnostic::Code;
use export_controls::model::{Contained, MAX_CONTAINED_TOTAL, Product, ProductKind};
use export_controls::ruleset::SourceFile;
use export_controls::{Catalog, Options, PreparedProduct, Query, RuleSet, Verdict};
use rust_decimal::Decimal;

const H100: &str = "nvidia-h100-sxm5-80gb";

/// A datacenter computer `id` holding `count` of `inner`.
fn nest(id: &str, inner: &Product, count: u32) -> Product {
    let mut p = Product::blank(id, id, ProductKind::Computer);
    p.vendor = "Example".into();
    p.designed_or_marketed_for_datacenter = Some(true);
    p.contains = vec![Contained { product: inner.id.clone(), count, sheet: Some(Box::new(inner.clone())) }];
    p
}

fn query(to: &str, on: &str) -> Query {
    Query::export_to(to.parse().unwrap(), on.parse().unwrap())
}

/// The tester's six nested computers of 100,000 each around an H100 (probe3 `out.txt`,
/// section G): 10^(5·d) H100s at depth d. Depth 1 (10^5) is accepted with TPP 15,831.2 × 10^5;
/// from depth 2 (10^10 > 10^9) every way of preparing it refuses it with E0224 naming the
/// product and the count, and a product prepared with its problems is never cleared and never
/// shows a TPP below 15,831.2 × 10^(5·d) (the saturated count gave 15,831.2 × 2^64 from
/// depth 4 on).
#[test]
fn six_nested_computers_of_100000_are_refused_not_understated() {
    let catalog = Catalog::shipped().unwrap();
    let rules = RuleSet::shipped().unwrap();
    let h100 = catalog.get(H100).unwrap().product().clone();
    let per_h100 = Decimal::from_str("15831.2").unwrap();
    let mut cur = h100;
    for depth in 1..=6u32 {
        cur = nest(&format!("probe-nest-{depth}"), &cur, 100_000);
        let held = 10u128.pow(5 * depth);
        let p = PreparedProduct::new(cur.clone());
        if depth == 1 {
            assert!(p.is_valid(), "{:?}", p.problems());
            assert_eq!(p.metrics().tpp, Some(per_h100 * Decimal::from(100_000)));
            assert!(catalog.prepare(cur.clone()).is_ok());
            continue;
        }
        let message = format!(
            "`probe-nest-{depth}` holds {held} products in all through `contains` (each count multiplied by the counts of the systems around it), more than 1000000000"
        );
        let d = cur.validate().unwrap_err().0;
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].code, Code::E0224);
        assert_eq!(d[0].message, message);
        assert_eq!(d[0].file, format!("product `probe-nest-{depth}`, contains"));
        assert_eq!(PreparedProduct::try_new(cur.clone()).unwrap_err().0[0].code, Code::E0224);
        assert_eq!(catalog.prepare(cur.clone()).unwrap_err().0[0].code, Code::E0224);
        // Prepared with its problems: invalid, and its TPP exact while the count can be carried
        // in 64 bits (depths 2 and 3), unknown beyond (never 15,831.2 × 2^64).
        assert!(!p.is_valid());
        match depth {
            2 | 3 => assert_eq!(p.metrics().tpp, Some(per_h100 * Decimal::from(u64::try_from(held).unwrap()))),
            _ => assert_eq!(p.metrics().tpp, None, "depth {depth}"),
        }
        // Germany on 2025-06-01: an H100 needs no licence there (the AI Diffusion rule was not
        // enforced, BIS 2025-05-13); an invalid product is still never cleared.
        let de = rules.evaluate(&p, &query("DE", "2025-06-01"), Options::default()).unwrap();
        assert_eq!(de.verdict, Verdict::Indeterminate, "depth {depth}");
        assert!(de.missing.iter().any(|m| m.contains("more than 1000000000")), "{:?}", de.missing);
        let cn = rules.evaluate(&p, &query("CN", "2024-06-01"), Options::default()).unwrap();
        assert_ne!(cn.verdict, Verdict::NoLicenseRequired, "depth {depth}");
    }
}

/// At the limit the exact figure: a rack of 10,000 computers of 100,000 H100s holds
/// 10,000 × 100,000 = 1,000,000,000 H100s (= MAX_CONTAINED_TOTAL), accepted, with the aggregate
/// TPP 15,831.2 × 10^9 = 15,831,200,000,000 and 4A090.a to China on 2024-06-01 (computers
/// containing ICs that meet 3A090.a, 88 FR 73458); one H100 more (1,000,000,001) is refused.
#[test]
fn a_count_at_the_limit_keeps_its_exact_figure_and_one_more_is_refused() {
    assert_eq!(MAX_CONTAINED_TOTAL, 1_000_000_000);
    let catalog = Catalog::shipped().unwrap();
    let rules = RuleSet::shipped().unwrap();
    let h100 = catalog.get(H100).unwrap().product().clone();
    let rack = nest("example-rack", &nest("example-computer", &h100, 100_000), 10_000);
    assert_eq!(rack.validate(), Ok(()));
    let p = catalog.prepare(rack.clone()).unwrap();
    assert_eq!(p.metrics().tpp, Some(Decimal::from(15_831_200_000_000u64)));
    let d = rules.evaluate(&p, &query("CN", "2024-06-01"), Options::default()).unwrap();
    assert_eq!(d.verdict, Verdict::LicenseRequired);
    assert_eq!(d.eccns, ["4A090.a"]);

    let mut over = rack;
    over.contains.push(Contained { product: H100.into(), count: 1, sheet: None });
    let err = catalog.prepare(over.clone()).unwrap_err().0;
    assert_eq!(err.len(), 1, "{err:?}");
    assert_eq!(err[0].code, Code::E0224);
    assert!(err[0].message.starts_with("`example-rack` holds 1000000001 products in all"), "{}", err[0].message);
    assert_eq!(err[0].file, "product `example-rack`, contains");
}

/// Counted once the catalog ids are resolved: 10,000 computers of 100,000 HGX H100 boards is
/// 10^9 entries as written, but each board holds 8 H100s (rules/products/nvidia-hgx-h100.toml),
/// so 8 × 10^9 products in all: `Catalog::prepare` refuses it after resolving.
#[test]
fn the_catalog_sheets_an_id_names_are_counted_once_resolved() {
    let catalog = Catalog::shipped().unwrap();
    let hgx = Product::blank("nvidia-hgx-h100", "HGX H100", ProductKind::Computer);
    let mut computer = nest("example-computer", &hgx, 100_000);
    computer.contains[0].sheet = None;
    let rack = nest("example-rack", &computer, 10_000);
    assert_eq!(rack.validate(), Ok(()));
    let err = catalog.prepare(rack).unwrap_err().0;
    assert_eq!(err.len(), 1, "{err:?}");
    assert_eq!(err[0].code, Code::E0224);
    assert!(err[0].message.starts_with("`example-rack` holds 8000000000 products in all"), "{}", err[0].message);
}

const COMPUTER: &str = "id = \"example-computer\"\nname = \"C\"\nvendor = \"Example\"\nkind = \"computer\"\n\
    designed_or_marketed_for_datacenter = true\ncontains = [{ product = \"nvidia-h100-sxm5-80gb\", count = 100000 }]\n";

/// A sheet: inline sheets are counted when it is read (file, line and column of `contains`);
/// catalog ids once they are resolved, by `Catalog::prepare_sheet` and in a catalog of sheets.
#[test]
fn a_sheet_that_holds_too_many_is_refused_at_its_contains() {
    let catalog = Catalog::shipped().unwrap();
    // 100,000 × 100,000 = 10^10 H100s through a catalog id.
    let with_computer = catalog.with_sheets(&[SourceFile::new("example-computer.toml", COMPUTER)]).unwrap();
    let rack = "id = \"example-rack\"\nname = \"R\"\nvendor = \"Example\"\nkind = \"computer\"\n\
        contains = [{ product = \"example-computer\", count = 100000 }]\n";
    let err = with_computer.prepare_sheet(&SourceFile::new("rack.toml", rack)).unwrap_err().0;
    assert_eq!(err.len(), 1, "{err:?}");
    assert_eq!(err[0].code, Code::E0224);
    assert_eq!((err[0].file.as_str(), err[0].line, err[0].column), ("rack.toml", 5, 1));
    assert!(err[0].message.starts_with("`example-rack` holds 10000000000 products in all"), "{}", err[0].message);
    // The same two sheets as one catalog.
    let err = Catalog::shipped()
        .unwrap()
        .with_sheets(&[SourceFile::new("example-computer.toml", COMPUTER), SourceFile::new("example-rack.toml", rack)])
        .unwrap_err()
        .0;
    assert_eq!(err.len(), 1, "{err:?}");
    assert_eq!((err[0].code, err[0].file.as_str(), err[0].line), (Code::E0224, "example-rack.toml", 5));
    // Inline: refused as the sheet is read, before anything is resolved.
    let inline = "id = \"example-rack\"\nname = \"R\"\nvendor = \"Example\"\nkind = \"computer\"\n\n\
        [[contains]]\ncount = 100000\nsheet = { id = \"example-computer\", name = \"C\", vendor = \"Example\", kind = \"computer\", contains = [{ product = \"nvidia-h100-sxm5-80gb\", count = 100000 }] }\n";
    let err = export_controls::model::parse_product_sheet(&SourceFile::new("rack.toml", inline)).unwrap_err().0;
    assert_eq!((err[0].code, err[0].line, err[0].column), (Code::E0224, 6, 1));
    // 10,000 of the computer is 10^9: accepted.
    let ok = rack.replace("count = 100000", "count = 10000");
    let p = with_computer.prepare_sheet(&SourceFile::new("rack.toml", &ok)).unwrap();
    assert_eq!(p.metrics().tpp, Some(Decimal::from(15_831_200_000_000u64)));
}
