//! `plot --on` on a date outside the pack's coverage (issue 13, 3b): before `coverage_from`
//! (rules/us-ear/pack.toml: 2022-01-01) the pack holds no rule in force, so an empty plane
//! would be a false picture: refused as `check` refuses the date (the same message and exit
//! code). After `researched_until` (2026-09-24) the bands are drawn under a veil stating that
//! those in force then are not known; `check --format html` carries the same veil.

mod common;

use common::{check_args, run, stderr};

#[test]
fn plot_refuses_a_date_before_the_coverage_as_check_does() {
    let refusal = "2021-06-01 is before 2022-01-01, the earliest date the rule pack `us-ear` covers";
    let plot = run(&["plot", "--on", "2021-06-01", "--highlight", "nvidia-h20"]);
    let check = run(&check_args("nvidia-h20", "CN", "2021-06-01"));
    // A date typed on the command line: a usage error (README.md, "Exit codes"), as for check.
    assert_eq!(check.status.code(), Some(2), "{}", stderr(&check));
    assert_eq!(plot.status.code(), check.status.code(), "{}", stderr(&plot));
    assert!(stderr(&plot).contains(refusal), "{}", stderr(&plot));
    assert_eq!(stderr(&plot), stderr(&check));
    assert!(plot.stdout.is_empty(), "a picture was written");
    // The first day the pack covers is drawn, with no veil.
    let o = run(&["plot", "--on", "2022-01-01"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!String::from_utf8(o.stdout).unwrap().contains("after-cut-off"));
}

#[test]
fn plot_after_the_research_cut_off_says_the_bands_are_not_known() {
    let o = run(&["plot", "--on", "2026-09-25", "--highlight", "nvidia-h20"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let svg = String::from_utf8(o.stdout).unwrap();
    assert!(svg.contains("<g data-researched-until=\"2026-09-24\" id=\"after-cut-off\">"), "{svg}");
    assert!(svg.contains("2026-09-25 is after 2026-09-24, the research cut-off of pack us-ear"), "{svg}");
    // The title says it too (what a screen reader reads for the picture).
    let title = &svg[svg.find("<title>").unwrap()..svg.find("</title>").unwrap()];
    assert!(title.contains("in force on 2026-09-25") && title.contains(": not known."), "{title}");
    // The veil is drawn over the plot, after the bands and the highlighted product.
    assert!(svg.find("id=\"after-cut-off\"").unwrap() > svg.find("id=\"highlight\"").unwrap());
    // On the cut-off day itself, no veil.
    let o = run(&["plot", "--on", "2026-09-24"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!String::from_utf8(o.stdout).unwrap().contains("after-cut-off"));
    // The HTML report of a determination after the cut-off has the veiled picture.
    let mut args = check_args("nvidia-h20", "CN", "2026-09-25");
    args.extend(["--format", "html"]);
    let o = run(&args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(String::from_utf8(o.stdout).unwrap().contains("id=\"after-cut-off\""));
}
