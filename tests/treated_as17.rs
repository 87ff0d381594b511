//! tester17 F2: an equivalence (`[[treated_as]]`) that cannot stand is refused where it is
//! written (E0529). The shipped pack treats Hong Kong as China from 2020-12-23 (85 FR 83765),
//! so an H100 SXM5 (3A090.a) to Hong Kong on 2024-06-01 needs a licence under
//! 742.6(a)(6)(iii) (88 FR 73458: D:1/D:4/D:5 minus A:5/A:6). Before E0529 a second entry
//! treating Hong Kong as the United Kingdom (A:5) from 2024-01-01 loaded, linted clean and
//! took the A:5 exception for Hong Kong: the same H100 was NO LICENCE REQUIRED.

mod common;

use export_controls::diagnostic::Code;
use export_controls::{Catalog, Options, RuleSet, Verdict};

const HK_AS_CN: &str = "[[treated_as]]\ncountry = \"HK\"\nas = \"CN\"";

fn edited(new: &str) -> Vec<export_controls::diagnostic::SourceFile> {
    common::pack_files_edited("country-groups.toml", HK_AS_CN, new)
}

fn refusal(new: &str) -> export_controls::diagnostic::Diagnostic {
    let err = export_controls::ruleset::compile(&edited(new)).unwrap_err();
    assert_eq!(err.0.len(), 1, "{err:?}");
    err.0[0].clone()
}

fn entry(country: &str, as_country: &str, from: &str) -> String {
    format!(
        "[[treated_as]]\ncountry = \"{country}\"\nas = \"{as_country}\"\nfrom = {from}\nsource = \"15 CFR 740 Supp. No. 1\"\n\n"
    )
}

#[test]
fn the_shipped_equivalence_licenses_an_h100_to_hong_kong() {
    let rules = RuleSet::shipped().unwrap();
    let catalog = Catalog::shipped().unwrap();
    let h100 = catalog.get("nvidia-h100-sxm5-80gb").unwrap();
    let q = common::ordinary_query("HK", "2024-06-01", Vec::new());
    assert_eq!(rules.evaluate(h100, &q, Options::default()).unwrap().verdict, Verdict::LicenseRequired);
}

#[test]
fn a_second_equivalence_of_one_country_on_common_days_is_refused() {
    let d = refusal(&format!("{}{HK_AS_CN}", entry("HK", "GB", "2024-01-01")));
    assert_eq!(d.code, Code::E0529);
    assert_eq!(d.file, "country-groups.toml");
    assert!(d.message.starts_with("HK is treated as CN on days it is also treated as GB"), "{}", d.message);
    // Ended before the shipped one starts, it stands.
    let before =
        entry("HK", "GB", "2019-01-01").replace("from = 2019-01-01\n", "from = 2019-01-01\nuntil = 2020-12-23\n");
    assert!(export_controls::ruleset::compile(&edited(&format!("{before}{HK_AS_CN}"))).is_ok());
}

#[test]
fn a_country_treated_as_itself_or_a_chain_is_refused() {
    let d = refusal("[[treated_as]]\ncountry = \"HK\"\nas = \"HK\"");
    assert_eq!(d.code, Code::E0529);
    assert!(d.message.starts_with("HK is treated as itself"), "{}", d.message);
    // Macau as Hong Kong, Hong Kong as China: read one step, Macau would never be China.
    let d = refusal(&format!("{}{HK_AS_CN}", entry("MO", "HK", "2024-01-01")));
    assert_eq!(d.code, Code::E0529);
    assert!(d.message.starts_with("a chain of equivalences: HK as CN and MO as HK"), "{}", d.message);
}
