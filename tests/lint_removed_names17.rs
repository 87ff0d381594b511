//! L022 (tester17): a group or a country named in a destination set that the set's own
//! exceptions remove entirely. 742.6(a)(6)(iii) (88 FR 73458) requires a licence for 3A090.a
//! items to D:1, D:4 and D:5 destinations not also in A:5 or A:6, and to Macau: Kazakhstan
//! (D:1 only) is in scope. Edited to `except_groups = ["A:5", "A:6", "D:1"]`, the pack loaded
//! and linted clean, and an H100 SXM5 to Kazakhstan on 2024-06-01 went from LICENCE REQUIRED to
//! NO LICENCE REQUIRED (the pack's own tests caught it only through other cases).

mod common;

use export_controls::diagnostic::Code;
use export_controls::lint::{Severity, lint};
use export_controls::ruleset::compile;
use export_controls::{Catalog, Options, Verdict};

const SHIPPED: &str =
    "destinations = { groups = [\"D:1\", \"D:4\", \"D:5\"], except_groups = [\"A:5\", \"A:6\"], countries = [\"MO\"] }";

fn l022(new: &str) -> Vec<String> {
    let rules = compile(&common::pack_files_edited("license-requirements.toml", SHIPPED, new)).unwrap();
    lint(&rules)
        .into_iter()
        .filter(|f| f.code == Code::L022)
        .inspect(|f| assert_eq!((f.severity, f.file.as_str()), (Severity::Error, "license-requirements.toml")))
        .map(|f| f.message)
        .collect()
}

#[test]
fn an_excepted_name_in_a_destination_set_is_an_error() {
    // The slip, and what it did: Kazakhstan cleared.
    let slip = SHIPPED.replace("except_groups = [\"A:5\", \"A:6\"]", "except_groups = [\"A:5\", \"A:6\", \"D:1\"]");
    let rules = compile(&common::pack_files_edited("license-requirements.toml", SHIPPED, &slip)).unwrap();
    let catalog = Catalog::shipped().unwrap();
    let h100 = catalog.get("nvidia-h100-sxm5-80gb").unwrap();
    let q = common::ordinary_query("KZ", "2024-06-01", Vec::new());
    assert_eq!(rules.evaluate(h100, &q, Options::default()).unwrap().verdict, Verdict::NoLicenseRequired);
    let shipped = export_controls::RuleSet::shipped().unwrap();
    assert_eq!(shipped.evaluate(h100, &q, Options::default()).unwrap().verdict, Verdict::LicenseRequired);
    // Linted: D:1 and Macau (a D:1 member) are named and removed.
    assert_eq!(
        l022(&slip),
        [
            "`742.6(a)(6)(iii)`: `destinations` names country group `D:1`, which its own exceptions remove entirely: the name adds no destination",
            "`742.6(a)(6)(iii)`: `destinations` names country `MO`, which its own exceptions remove entirely: the name adds no destination",
        ]
    );
    // A country named and excepted.
    let mo = SHIPPED.replace("countries = [\"MO\"]", "countries = [\"MO\"], except_countries = [\"MO\"]");
    assert_eq!(l022(&mo).len(), 1);
    // A group named and excepted by its own name.
    assert_eq!(
        l022(&SHIPPED.replace("except_groups = [\"A:5\", \"A:6\"]", "except_groups = [\"A:5\", \"A:6\", \"D:5\"]"))
            .len(),
        1
    );
    // Not reported: the shipped set, where D:4 keeps members after A:5 and A:6 (Israel, in A:6,
    // goes; Bahrain, Egypt and others stay).
    assert!(l022(SHIPPED).is_empty());
}
