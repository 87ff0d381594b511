//! Tester finding P7 through the binary: a stand-alone HBM3E stack (1,229 GB/s over 110 mm²,
//! memory bandwidth density 11.17 > 2: 3A090.c, 89 FR 96790) to Viet Nam on 2025-01-15, the
//! exporter not a front-end fabricator or OSAT: 3A090.c, no licence required (the tester's
//! reference check, probe3 FINDINGS Part 2), nothing missing and no notice about 3A090.a items,
//! which a memory stack is not (3A090.a/.b classify ICs by TPP and density). The library's
//! side: tests/missing_invariant.rs.

mod common;

use common::{run, stderr, temp_dir};

#[test]
fn cli_an_hbm_stack_is_3a090c_with_nothing_missing() {
    let dir = temp_dir("memory-stack");
    let sheet = dir.join("probe-hbm3e-stack.toml");
    std::fs::write(
        &sheet,
        "id = \"probe-hbm3e-stack\"\nname = \"Probe HBM stack\"\nvendor = \"Example\"\nkind = \"memory\"\n\n\
         [memory]\nkind = \"HBM3E\"\nbandwidth = 1229\ncapacity = 36\nhbm = true\nstack_area = 110\n",
    )
    .unwrap();
    let o = run(&[
        "check",
        "--product",
        sheet.to_str().unwrap(),
        "--to",
        "VN",
        "--on",
        "2025-01-15",
        "--exporter-front-end-fabricator-or-osat",
        "no",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["verdict"], "no_license_required");
    assert_eq!(v["eccns"], serde_json::json!(["3A090.c"]));
    assert_eq!(v["missing"], serde_json::json!([]));
    assert!(!v["warnings"].to_string().contains("3A090.a"), "{}", v["warnings"]);
    std::fs::remove_dir_all(&dir).ok();
}
