//! Tester round 6, S9c through the binary: a product sheet holding a dotted key or a table
//! header of 150,000 parts (`x.a.a.a… = 1` on line 5, `[x.a.a…]` on line 53 of the H20's sheet)
//! is refused with E0101 at the line and column of that key, not at line 1, column 1 (the TOML
//! parser gives no place for its `recursion limit`).

mod common;

use common::{root, run, temp_dir};

/// The first diagnostic of `check --product SHEET --error-format json`: code, line, column,
/// message; the run must exit 3 (an invalid file).
fn first_diagnostic(sheet: &std::path::Path) -> (String, u64, u64, String) {
    let o = run(&[
        "check",
        "--product",
        sheet.to_str().unwrap(),
        "--to",
        "CN",
        "--on",
        "2025-06-01",
        "--error-format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(3), "{}", String::from_utf8_lossy(&o.stderr));
    let e: serde_json::Value = serde_json::from_slice(&o.stderr).unwrap();
    let d = &e["diagnostics"][0];
    let s = |k: &str| d[k].as_str().unwrap().to_string();
    (s("code"), d["line"].as_u64().unwrap(), d["column"].as_u64().unwrap(), s("message"))
}

#[test]
fn a_key_nested_too_deep_is_placed_where_it_is_written() {
    let dir = temp_dir("deep-keys");
    let h20 = std::fs::read_to_string(root().join("rules/products/nvidia-h20.toml")).unwrap();
    let lines: Vec<&str> = h20.lines().collect();
    let deep = format!("x{}", ".a".repeat(149_999));
    let message = "recursion limit: a dotted key of 150000 parts; a key of more than 80 parts (tables nested that deep) is not read";

    // A dotted key on line 5.
    let dotted = dir.join("dotted.toml");
    let text = [&lines[..4], &[format!("{deep} = 1").as_str()], &lines[4..]].concat().join("\n");
    std::fs::write(&dotted, text + "\n").unwrap();
    assert_eq!(first_diagnostic(&dotted), ("E0101".into(), 5, 1, message.into()));

    // A table header after the sheet's last line: the key begins after `[`.
    let header = dir.join("header.toml");
    std::fs::write(&header, format!("{h20}\n[{deep}]\nb = 1\n")).unwrap();
    let at = h20.lines().count() as u64 + 2;
    assert_eq!(first_diagnostic(&header), ("E0101".into(), at, 2, message.into()));
    std::fs::remove_dir_all(&dir).ok();
}
