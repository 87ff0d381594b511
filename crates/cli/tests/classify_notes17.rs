//! `classify` says what it assumes and when its answer may be out of date (tester17's low
//! findings): it reads a product as an exporter that is neither a front-end fabricator nor an
//! OSAT would (Note 1 to 3A090.a, 90 FR 5298, presumes such an exporter's advanced logic IC
//! 3A090.a), and a date after the pack's research cut-off (`researched_until` in
//! rules/us-ear/pack.toml, 2026-09-24) may miss paragraphs made since, which `check` makes
//! indeterminate on such a date.

mod common;

use common::{json, run};

/// The shipped pack's research cut-off (rules/us-ear/pack.toml, `researched_until`).
const CUT_OFF: &str = "2026-09-24";

#[test]
fn a_date_after_the_cut_off_is_warned_in_text_and_json() {
    let o = run(&["classify", "--product", "nvidia-h20", "--date", "2026-09-25"]);
    assert!(o.status.success(), "{o:?}");
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains(&format!("WARNING: 2026-09-25 is after the pack's research cut-off ({CUT_OFF})")), "{text}");
    let o = run(&["classify", "--product", "nvidia-h20", "--date", "2026-09-25", "--format", "json"]);
    let w = json(&o)["warnings"].clone();
    assert_eq!(w.as_array().map(Vec::len), Some(1), "{w}");
    assert!(w[0].as_str().is_some_and(|s| s.contains(CUT_OFF)), "{w}");
}

#[test]
fn the_cut_off_day_itself_is_researched_and_not_warned() {
    let o = run(&["classify", "--product", "nvidia-h20", "--date", CUT_OFF]);
    assert!(o.status.success(), "{o:?}");
    assert!(!String::from_utf8_lossy(&o.stdout).contains("WARNING"));
    let o = run(&["classify", "--product", "nvidia-h20", "--date", CUT_OFF, "--format", "json"]);
    assert_eq!(json(&o)["warnings"], serde_json::json!([]));
}

#[test]
fn the_exporter_assumption_is_stated() {
    let o = run(&["classify", "--product", "nvidia-h20", "--date", "2025-06-01"]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("assumes the exporter is not a front-end fabricator or OSAT"), "{text}");
    let o = run(&["classify", "--product", "nvidia-h20", "--date", "2025-06-01", "--format", "json"]);
    let a = json(&o)["assumes"].clone();
    assert!(a[0].as_str().is_some_and(|s| s.contains("Note 1 to 3A090.a")), "{a}");
}
