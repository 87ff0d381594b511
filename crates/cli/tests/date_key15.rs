//! The date of a query is `--date` on the command line, as a transaction file and the API name
//! it (`date`; tester15 D1); `--on`, its name before, is an alias. Values from the shipped
//! pack: an H20 (TPP 2,368, PD 2.91) to China needs no licence on 2024-06-01 and a licence on
//! 2025-04-20 (rules/us-ear/tests).

mod common;

use common::{run, stderr};

fn check_json(flag: &str, date: &str) -> serde_json::Value {
    common::json(&run(&[
        "check",
        "--product",
        "nvidia-h20",
        "--to",
        "CN",
        flag,
        date,
        "--exporter-front-end-fabricator-or-osat",
        "no",
        "--format",
        "json",
    ]))
}

#[test]
fn check_takes_date_and_on_alike() {
    for (date, verdict) in [("2024-06-01", "no_license_required"), ("2025-04-20", "license_required")] {
        let by_date = check_json("--date", date);
        assert_eq!((by_date["as_of"].as_str(), by_date["verdict"].as_str()), (Some(date), Some(verdict)));
        assert_eq!(check_json("--on", date), by_date);
    }
    // Both names at once are refused, not one picked.
    let o = run(&["check", "--product", "nvidia-h20", "--to", "CN", "--date", "2024-06-01", "--on", "2025-04-20"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    // A malformed date names the flag by its name.
    let o = run(&["check", "--product", "nvidia-h20", "--to", "CN", "--date", "2025-13-01"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--date: "), "{}", stderr(&o));
    // The help names `--date`, with its alias.
    let o = run(&["check", "--help"]);
    let help = String::from_utf8_lossy(&o.stdout);
    assert!(help.contains("--date <YYYY-MM-DD>") && help.contains("[alias: --on]"), "{help}");
}

#[test]
fn screen_classify_plot_and_impact_take_date() {
    let screen = |flag: &str| {
        let o =
            run(&["screen", flag, "2025-04-20", "--products", "nvidia-h20", "--destinations", "CN", "--format", "csv"]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        String::from_utf8(o.stdout).unwrap()
    };
    let csv = screen("--date");
    assert!(csv.lines().any(|l| l.starts_with("nvidia-h20,US,CN,2025-04-20,license_required,")), "{csv}");
    assert_eq!(screen("--on"), csv);
    for args in [
        &["classify", "--product", "nvidia-h20", "--date", "2025-04-20"][..],
        &["plot", "--date", "2024-06-01"],
        &[
            "impact",
            "--date",
            "2026-01-01",
            "--rules-before",
            "rules/us-ear",
            "--rules-after",
            "rules/us-ear",
            "--products",
            "nvidia-h20",
            "--destinations",
            "CN",
        ],
    ] {
        let o = run(args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
    }
    let o = run(&["impact", "--date", "2026-01-01", "--before", "2024-06-01", "--after", "2025-04-20"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--date sets one date for both sides"), "{}", stderr(&o));
}

/// Tester15 D3: an empty item in a list flag is refused (exit 2, naming the flag), never read
/// as all, which is the flag left out.
#[test]
fn an_empty_list_flag_is_refused() {
    for args in [
        &["screen", "--date", "2025-04-20", "--products", ""][..],
        &["screen", "--date", "2025-04-20", "--products", "nvidia-h20,"],
        &["screen", "--date", "2025-04-20", "--products", "nvidia-h20", "--destinations", ""],
        &["screen", "--date", "2025-04-20", "--products", "nvidia-h20", "--destinations", "CN,,MY"],
        &["plot", "--date", "2024-06-01", "--products", ""],
        &["plot", "--date", "2024-06-01", "--products", "nvidia-h20,"],
        &["impact", "--before", "2024-06-01", "--after", "2025-04-20", "--destinations", ""],
    ] {
        let o = run(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let flag = if args.contains(&"--destinations") { "--destinations" } else { "--products" };
        let err = stderr(&o);
        // The code as diagnostics print theirs (tester16), not inside the text.
        assert!(err.starts_with(&format!("error[E0533]: {flag}: an empty ")), "{args:?}: {err}");
        assert!(err.contains(&format!("leave {flag} out")), "{err}");
        assert!(o.stdout.is_empty(), "{args:?}: nothing is written");
    }
    // Left out: the whole catalog.
    let o = run(&["screen", "--date", "2025-04-20", "--destinations", "CN"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let rows = String::from_utf8(o.stdout).unwrap().lines().count() - 1;
    assert_eq!(rows, export_controls::Catalog::shipped().unwrap().len());
}
