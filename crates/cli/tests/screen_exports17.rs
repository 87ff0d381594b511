//! D3 (round 17): `screen` decides direct exports from the United States only (its query is
//! `FastQuery::export_to`, exported_from US); a reexport or an in-country transfer (15 CFR
//! 734.14) needs `check --from`. The CSV header, each row, the JSON, the note on standard error
//! and the help say so. Before: nothing in the output named the country of export.

mod common;

use common::{run, stderr};

#[test]
fn the_csv_json_note_and_help_say_the_rows_are_exports_from_the_us() {
    let args = ["screen", "--date", "2025-04-20", "--products", "nvidia-h20", "--destinations", "CN,MY"];
    let o = run(&args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let csv = String::from_utf8(o.stdout.clone()).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "product,exported_from,destination,as_of,verdict,at_least,at_most,paragraphs,requirements");
    // The H20 to China on 2025-04-20 needs a licence (the "is informed" letter of 2025-04-09).
    assert!(lines[1].starts_with("nvidia-h20,US,CN,2025-04-20,license_required,"), "{csv}");
    assert!(lines[2].starts_with("nvidia-h20,US,MY,2025-04-20,"), "{csv}");
    let err = stderr(&o);
    let note = err.lines().find(|l| l.starts_with("note: ")).unwrap_or_default();
    assert!(note.contains("direct exports from the United States"), "{err}");
    assert!(note.contains("reexport or an in-country transfer") && note.contains("--from"), "{err}");

    let o = run(&[&args[..], &["--format", "json"]].concat());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let note = v["note"].as_str().unwrap();
    assert!(note.contains("direct exports from the United States"), "{note}");
    assert!(note.contains("reexport or an in-country transfer"), "{note}");
    assert!(v["rows"].as_array().unwrap().iter().all(|r| r["exported_from"] == "US"), "{v}");

    let o = run(&["screen", "--help"]);
    let help = String::from_utf8(o.stdout).unwrap();
    assert!(help.contains("direct exports from the") && help.contains("United States"), "{help}");
    assert!(help.contains("reexports and in-country transfers"), "{help}");
}
