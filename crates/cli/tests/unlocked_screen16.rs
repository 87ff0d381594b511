//! A screen made with an unlocked pack (`--rules DIR --unlocked`, the pack without a valid
//! rules.lock) says so in its CSV, a first `#` line as a superseded release's (tester16): before,
//! only standard error warned, and a CSV passed on alone read as made under the reviewed rules.
//! The words are those of a determination's scope line made with the same pack.

mod common;

use common::*;

#[test]
fn a_screen_made_with_an_unlocked_pack_says_so_in_its_csv() {
    let dir = temp_dir("unlocked-screen16");
    let pack = dir.join("us-ear");
    copy_shipped_pack(&pack);
    std::fs::remove_file(pack.join("rules.lock")).unwrap();
    let p = pack.to_str().unwrap();
    let screen = ["screen", "--date", "2025-04-20", "--products", "nvidia-h20", "--destinations", "CN"];

    // Without --unlocked the pack is refused (exit 3).
    assert_eq!(run(&[&screen[..], &["--rules", p]].concat()).status.code(), Some(3));

    let o = run(&[&screen[..], &["--rules", p, "--unlocked"]].concat());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let csv = String::from_utf8(o.stdout).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    let version = shipped_version();
    let lead = format!(
        "UNLOCKED PACK: the rule pack us-ear {version} differs from its rules.lock (no rules.lock: the pack was never locked): "
    );
    assert!(lines[0].starts_with(&format!("# {lead}")), "{csv}");
    assert_eq!(lines[1], "product,exported_from,destination,as_of,verdict,at_least,at_most,paragraphs,requirements");
    // The H20 to China on 2025-04-20: a licence (the 2025-04 is-informed letter).
    assert!(lines[2].starts_with("nvidia-h20,US,CN,2025-04-20,license_required,"), "{csv}");

    // A determination made with the same pack says it in the same words, first in its scope.
    let d = json(&run(&[
        "check",
        "--product",
        "nvidia-h20",
        "--to",
        "CN",
        "--date",
        "2025-04-20",
        "--rules",
        p,
        "--unlocked",
        "--format",
        "json",
    ]));
    assert_eq!(d["rules"]["unlocked"], true);
    let first = d["scope"][0].as_str().or_else(|| d["scope"][0]["text"].as_str()).unwrap_or_default().to_string();
    assert!(first.starts_with(&lead), "{first}");

    // The JSON screen says it as before (`rules.unlocked`); the shipped pack's CSV has no such line.
    let v = json(&run(&[&screen[..], &["--rules", p, "--unlocked", "--format", "json"]].concat()));
    assert_eq!(v["rules"]["unlocked"], true, "{v}");
    let o = run(&screen);
    assert!(String::from_utf8(o.stdout).unwrap().starts_with("product,exported_from,destination,"));
    std::fs::remove_dir_all(&dir).ok();
}
