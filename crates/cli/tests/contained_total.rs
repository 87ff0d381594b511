//! Issue 12 item 1, "overflow makes TPP unknown, never smaller" (tester finding P9), through
//! the binary: a product sheet whose system holds more than 10^9 products in all, counting
//! through every level of `contains`, is refused (E0224, exit 3) at its `contains`; one at the
//! limit is decided with its exact count. The library's side: tests/contained_total.rs.

mod common;

use common::{run, stderr, temp_dir};

/// A rack of `racks` computers, each of 100,000 H100 SXM5s (inline sheet).
fn rack(racks: u32) -> String {
    format!(
        "id = \"example-rack\"\nname = \"Example rack\"\nvendor = \"Example\"\nkind = \"computer\"\n\
         designed_or_marketed_for_datacenter = true\n\n[[contains]]\ncount = {racks}\n\
         sheet = {{ id = \"example-computer\", name = \"Example computer\", vendor = \"Example\", kind = \"computer\", contains = [{{ product = \"nvidia-h100-sxm5-80gb\", count = 100000 }}] }}\n"
    )
}

#[test]
fn cli_a_sheet_that_holds_too_many_is_refused() {
    let dir = temp_dir("contained-total");
    let over = dir.join("rack-over.toml");
    // 100,000 × 100,000 = 10^10 H100s.
    std::fs::write(&over, rack(100_000)).unwrap();
    let o = run(&[
        "check",
        "--product",
        over.to_str().unwrap(),
        "--to",
        "CN",
        "--on",
        "2024-06-01",
        "--error-format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stderr(&o)).unwrap();
    let d = &v["diagnostics"][0];
    assert_eq!(
        (d["code"].as_str(), d["line"].as_u64(), d["column"].as_u64()),
        (Some("E0224"), Some(7), Some(1)),
        "{v}"
    );
    assert_eq!(
        d["message"],
        "`example-rack` holds 10000000000 products in all through `contains` (each count multiplied by the counts of the systems around it), more than 1000000000"
    );

    // 10,000 × 100,000 = 10^9 H100s, the limit: decided, 4A090.a to China on 2024-06-01
    // (computers containing 3A090.a ICs, 88 FR 73458), the H100 counted 1,000,000,000 times
    // with its own TPP 1,978.9 × 8 = 15,831.2 (rules/products/nvidia-h100-sxm5-80gb.toml).
    let limit = dir.join("rack-limit.toml");
    std::fs::write(&limit, rack(10_000)).unwrap();
    let o =
        run(&["check", "--product", limit.to_str().unwrap(), "--to", "CN", "--on", "2024-06-01", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["verdict"], "license_required");
    assert_eq!(v["eccns"], serde_json::json!(["4A090.a"]));
    assert_eq!(v["contents"][0]["product"], "nvidia-h100-sxm5-80gb");
    assert_eq!(v["contents"][0]["count"], 1_000_000_000u64);
    assert_eq!(v["contents"][0]["tpp"], "15831.2");
    std::fs::remove_dir_all(&dir).ok();
}
