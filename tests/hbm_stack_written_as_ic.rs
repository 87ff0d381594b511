//! An HBM3E stack written `kind = "integrated_circuit"` with a token base-die rate (TPP 80 over
//! 1,200 GB/s) escaped 3A090.c, whose kinds left integrated circuits out (tester round 8, T6).
//! 3A090.c (15 CFR 774 Supp. No. 1; 89 FR 96790) covers HBM with a memory bandwidth density
//! above 2 GB/s per mm² whether or not it follows the JEDEC standards; the Note to 3A090.c
//! takes out only HBM co-packaged with a logic IC whose main function is logic. An IC with HBM
//! whose TPP is under 0.1 per GB/s of it (below any processor: NEC SX-Aurora 0.13, the catalog's
//! least the H20's 0.59), or whose name or package says it is a stack, leaves 3A090.c open:
//! `indeterminate` naming `main_function_logic`, never cleared to CN (742.6(a)(6)(iii)).

mod common;

use common::parse_sheet;
use export_controls::{CompiledPack, Determination, PreparedProduct, RuleSet, Verdict};

const T6: &str = "tests/fixtures/bandwidth-conventions/t6-hbm3e-stack-as-ic-with-base-die.toml";

fn to(country: &str, text: &str) -> Determination {
    let rules = RuleSet::shipped().unwrap();
    let pack = CompiledPack::new(RuleSet::shipped().unwrap());
    let q = common::ordinary_query(country, "2025-06-01", Vec::new());
    common::determine_both(&rules, &pack, &PreparedProduct::new(parse_sheet(text).unwrap()), &q)
}

fn open_on_main_function(d: &Determination, why: &str) {
    assert_eq!(d.verdict, Verdict::Indeterminate, "{:?}", d.missing);
    assert!(d.missing.iter().any(|m| m.starts_with("main_function_logic (") && m.contains(why)), "{:?}", d.missing);
}

#[test]
fn t6_a_stack_written_as_an_ic_is_left_open_on_3a090c_to_china() {
    let d = to("CN", &common::read(T6));
    open_on_main_function(&d, "stack");
}

#[test]
fn t6_without_the_stack_word_its_token_compute_leaves_it_open() {
    let text = common::read(T6)
        .replace("package = \"HBM3E 12-high stack\"", "package = \"12-high\"")
        .replace("name = \"Example HBM3E 12-high stack with logic base die\"", "name = \"Example part\"");
    let d = to("CN", &text);
    open_on_main_function(&d, "0.067 per GB/s");
}

#[test]
fn with_a_processor_s_compute_for_its_memory_it_is_a_logic_ic_out_of_3a090c() {
    // TPP 2,400 (int8 300) over 1,200 GB/s, 2 per GB/s: a logic IC, classified by its logic
    // (3A090.a.2: TPP >= 1,600 and performance density 2,400 / 121 = 19.8 >= 5.92), not 3A090.c.
    let text = common::read(T6)
        .replace("package = \"HBM3E 12-high stack\"", "package = \"module\"")
        .replace("name = \"Example HBM3E 12-high stack with logic base die\"", "name = \"Example part\"")
        .replace("int8 = 10", "int8 = 300");
    let d = to("CN", &text);
    assert!(!d.eccns.iter().any(|e| e.starts_with("3A090.c")), "{:?}", d.eccns);
    assert!(!d.missing.iter().any(|m| m.starts_with("main_function_logic")), "{:?}", d.missing);
}

#[test]
fn to_germany_the_open_3a090c_changes_nothing() {
    // 3A090.c needs a licence to D:5 and Macau only (742.6(a)(6)(iii)): not to Germany (A:5).
    let d = to("DE", &common::read(T6));
    assert_eq!(d.verdict, Verdict::NoLicenseRequired, "{:?}", d.missing);
}
