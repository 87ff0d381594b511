//! The rule author's path catches boundary edits (issue 12, item 7; tester findings P2, P3, P8):
//! an edited copy of the shipped pack, through the binary, as an author runs `lint` and `test`
//! before `lock`.

mod common;

use std::path::Path;

use common::{copy_shipped_pack, edit_file, temp_dir};

fn run(cmd: &str, dir: &Path) -> (i32, String, String) {
    let o = common::bin().arg(cmd).arg(dir).output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// Each one-operator edit of a 3A090 threshold (the tester's nine), with the rule test
/// (tests/boundaries-3a090.toml) that sits on that threshold and must then fail. Every threshold
/// is inclusive except the upper bounds of .b (15 CFR 774 Supp. No. 1, ECCN 3A090; 88 FR
/// 73458); Note 1's "below 30 billion" and 3A090.c's "greater than 2" are strict.
const BOUNDARY_EDITS: [(&str, &str, &str); 9] = [
    ("when = \"tpp >= 4800\"", "when = \"tpp > 4800\"", "TPP exactly 4800 is 3A090.a.1"),
    (
        "tpp >= 1600 and performance_density >= 5.92\"",
        "tpp >= 1600 and performance_density > 5.92\"",
        "PD exactly 5.92 with TPP 4736 is 3A090.a.2",
    ),
    ("tpp >= 2400 and tpp < 4800", "tpp > 2400 and tpp < 4800", "TPP exactly 2400 with PD 2.4 is 3A090.b.1"),
    ("performance_density >= 1.6 and", "performance_density > 1.6 and", "PD exactly 1.6 with TPP 3200 is 3A090.b.1"),
    (
        "tpp >= 1600 and performance_density >= 3.2 and",
        "tpp >= 1600 and performance_density > 3.2 and",
        "PD exactly 3.2 with TPP 2000 is 3A090.b.2",
    ),
    (
        "not designed_or_marketed_for_datacenter and tpp < 4800\"",
        "not designed_or_marketed_for_datacenter and tpp <= 4800\"",
        "Non-datacenter IC at TPP exactly 4800 is 3A090.a.1",
    ),
    (
        "tpp >= 4800 and interconnect_bandwidth >= 600\"",
        "tpp >= 4800 and interconnect_bandwidth > 600\"",
        "2022 text: TPP exactly 4800 with 600 GB/s exactly is 3A090.a",
    ),
    (
        "packaged_by_front_end_fabricator_or_approved_osat and transistors < 30000000000 and not",
        "packaged_by_front_end_fabricator_or_approved_osat and transistors <= 30000000000 and not",
        "Note 1: a front-end fabricator's IC of exactly 30 billion transistors stays presumed 3A090.a",
    ),
    (
        "memory_bandwidth_density > 2\"",
        "memory_bandwidth_density >= 2\"",
        "HBM stack at exactly 2 GB/s per mm² is not 3A090.c",
    ),
];

#[test]
fn every_boundary_edit_of_3a090_fails_the_rule_tests() {
    for (k, (old, new, case)) in BOUNDARY_EDITS.iter().enumerate() {
        let dir = temp_dir(&format!("author-boundary-{k}"));
        copy_shipped_pack(&dir);
        edit_file(&dir.join("ccl-3a090.toml"), old, new);
        let (code, out, err) = run("test", &dir);
        assert_eq!(code, 1, "`{new}`: {out}{err}");
        assert!(out.contains(&format!("FAILED {case} (")), "`{new}` should fail `{case}`: {out}");
        std::fs::remove_dir_all(&dir).ok();
    }
}

#[test]
fn a_gap_between_versions_of_a_requirement_fails_lint() {
    let dir = temp_dir("author-gap");
    copy_shipped_pack(&dir);
    let (code, _, err) = run("lint", &dir);
    assert_eq!(code, 0, "the shipped pack lints clean: {err}");
    // The PRC's RS licence ends on 2023-01-10 while its next version (with Macau) starts on
    // 2023-01-17: the PRC needs a licence throughout (87 FR 62186; 88 FR 2821).
    edit_file(&dir.join("license-requirements.toml"), "until = 2023-01-17\nitems", "until = 2023-01-10\nitems");
    let (code, out, err) = run("lint", &dir);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains(
            "license-requirements.toml:19:6: error[L012]: `742.6(a)(6)(i)` is in force in no version from 2023-01-10 to 2023-01-16"
        ),
        "{out}"
    );
    assert!(out.trim_end().ends_with("1 error(s), 0 warning(s)"), "{out}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_mistyped_reason_for_control_is_refused_with_the_intended_one() {
    let dir = temp_dir("author-reason");
    copy_shipped_pack(&dir);
    edit_file(&dir.join("license-requirements.toml"), "reason = \"RS\"", "reason = \"SR\"");
    for cmd in ["lint", "test"] {
        let (code, _, err) = run(cmd, &dir);
        assert_eq!(code, 3, "{cmd}: {err}");
        assert!(err.contains("error[E0361]: unknown reason `SR`"), "{cmd}: {err}");
        assert!(err.contains("help: did you mean `RS`?"), "{cmd}: {err}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// Overlapping texts of one paragraph (L008) and a `confirmed_until` before `from` (L009) fail
/// `lint` through the binary, at the line of the rule (issue 12, item 7). The 2022 text of
/// 3A090.a ends on 2023-11-17, the day the 2023 texts 3A090.a.1 and .a.2 start (88 FR 73458);
/// the Affiliates rule is confirmed until 2026-11-09, the day before it is in force again.
#[test]
fn overlapping_texts_and_a_confirmation_before_the_rule_fail_lint() {
    let dir = temp_dir("author-overlap");
    copy_shipped_pack(&dir);
    edit_file(&dir.join("ccl-3a090.toml"), "until = 2023-11-17", "until = 2023-12-01");
    let (code, out, err) = run("lint", &dir);
    assert_eq!(code, 1, "{out}{err}");
    let l008: Vec<&str> = out.lines().filter(|l| l.contains("error[L008]")).collect();
    assert_eq!(l008.len(), 2, "{out}");
    assert!(
        l008.iter().all(|l| l.contains("are two texts of 3A090.a in force together from 2023-11-17 to 2023-11-30")),
        "{out}"
    );
    std::fs::remove_dir_all(&dir).ok();

    let dir = temp_dir("author-confirmed");
    copy_shipped_pack(&dir);
    edit_file(&dir.join("entity-list.toml"), "confirmed_until = 2026-11-09", "confirmed_until = 2025-11-09");
    let (code, out, err) = run("lint", &dir);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.lines().any(|l| l.starts_with(&format!("{}/entity-list.toml:", dir.display()))
            && l.contains(":6: error[L009]: `744.11(a)(1)/affiliates` is confirmed until 2025-11-09, before it is in force (from 2026-11-10)")),
        "{out}"
    );
    assert!(out.trim_end().ends_with("1 error(s), 0 warning(s)"), "{out}");
    std::fs::remove_dir_all(&dir).ok();
}
