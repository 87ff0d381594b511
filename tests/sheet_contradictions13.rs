//! Product sheets whose own figures or words leave a fact open (tester round 12, T7, stacked
//! memory, T11): a product built in code is read as a sheet is, and none of them is cleared.

use export_controls::model::{Exporter, Product, parse_product_sheet};
use export_controls::ruleset::SourceFile;
use export_controls::{Options, PreparedProduct, Query, RuleSet, Verdict};

fn parsed(text: &str) -> Product {
    parse_product_sheet(&SourceFile::new("x.toml", text)).unwrap()
}

fn determine(p: Product, to: &str, on: &str) -> export_controls::Determination {
    let rules = RuleSet::shipped().unwrap();
    let mut q = Query::export_to(to.parse().unwrap(), on.parse().unwrap());
    q.exporter = Exporter { front_end_fabricator_or_osat: Some(false), ..Exporter::default() };
    q.exported_from = Some("US".parse().unwrap());
    rules.evaluate(&PreparedProduct::new(p), &q, Options::default()).unwrap()
}

/// TPP fp16 250 x 16 = 4,000 (< 4,800) on 600 mm² of non-planar die: PD 6.67 (>= 5.92). Designed
/// or marketed for datacenters it is 3A090.a.2 (licence to China, 742.6(a)(6)(iii)); not so, Note 2
/// to 3A090.a and .b (88 FR 73458) takes it out of 3A090.
const IC: &str = "id = \"x\"\nname = \"X\"\nvendor = \"Example\"\nkind = \"integrated_circuit\"\ndesigned_or_marketed_for_datacenter = false\n[dense_tops]\ncomplete = true\nfp16 = 250\n[[logic_die]]\narea = 600\nnon_planar = true\nat_or_below_16_14nm = true\n";

#[test]
fn a_flag_false_beside_a_name_or_package_marketing_datacenters_is_not_taken() {
    // The control: nothing in the sheet says datacenter, so Note 2 clears it.
    assert_eq!(determine(parsed(IC), "CN", "2025-06-01").verdict, Verdict::NoLicenseRequired);
    for (name, package) in [
        ("X accelerator for data center servers", None),
        ("X Datacenter GPU", None),
        ("X card", Some("PCIe card for servers")),
        ("X", Some("data-centre module")),
    ] {
        // Built in code, not read from a sheet: the same reading.
        let mut p = parsed(IC);
        p.name = name.into();
        p.package = package.map(Into::into);
        let d = determine(p, "CN", "2025-06-01");
        assert_eq!(d.verdict, Verdict::Indeterminate, "{name} / {package:?}");
        assert!(
            d.missing.iter().any(|m| m.starts_with("designed_or_marketed_for_datacenter (stated false")),
            "{name}: {:?}",
            d.missing
        );
    }
    // A name that denies the words is read as the flag says.
    let mut p = parsed(IC);
    p.name = "X: not designed or marketed for datacenters".into();
    assert_eq!(determine(p, "CN", "2025-06-01").verdict, Verdict::NoLicenseRequired);
}

#[test]
fn a_memory_with_hbm_false_and_no_area_is_open_on_the_area() {
    // 3A090.c (89 FR 96790): HBM is memory of more than 2 GB/s per mm² of package or stack area,
    // whatever its name; 1,180 GB/s exceeds it below 590 mm².
    let text = "id = \"m\"\nname = \"M\"\nvendor = \"Example\"\nkind = \"memory\"\n[memory]\nkind = \"DRAM\"\nbandwidth = 1180\nhbm = false\n";
    let d = determine(parsed(text), "CN", "2025-06-01");
    assert_eq!(d.verdict, Verdict::Indeterminate);
    assert!(d.missing.contains(&"memory_stack_area".to_string()), "{:?}", d.missing);
    // With its area, 1,180 / 590 = 2, not greater than 2: not 3A090.c.
    let mut p = parsed(text);
    p.memory.as_mut().unwrap().stack_area_mm2 = Some(590.into());
    assert_eq!(determine(p, "CN", "2025-06-01").verdict, Verdict::NoLicenseRequired);
}

#[test]
fn a_fully_planar_ic_is_open_on_its_undefined_density_not_asked_for_an_area() {
    // The Technical Note to 3A090.a and .b (88 FR 73458) counts only non-planar logic dies: the
    // applicable area of a planar IC is 0 mm², whatever its dies' area, and TPP 2,400 over it is
    // undefined; 3A090.a.2 and .b turn on it, so the IC is open (rules/us-ear/NOTES.md §3).
    let text = "id = \"p\"\nname = \"P\"\nvendor = \"Example\"\nkind = \"integrated_circuit\"\ndesigned_or_marketed_for_datacenter = true\n[dense_tops]\ncomplete = true\nfp16 = 150\n[[logic_die]]\narea = 600\ncount = 2\nnon_planar = false\nat_or_below_16_14nm = false\n";
    let d = determine(parsed(text), "CN", "2025-06-01");
    assert_eq!(d.verdict, Verdict::Indeterminate);
    let area = d.missing.iter().find(|m| m.starts_with("applicable_die_area")).expect("names the area");
    assert!(area.starts_with("applicable_die_area (0 mm²: every logic die is stated planar"), "{area}");
}
