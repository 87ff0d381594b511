//! Records that cannot be forged, through the binary: `replay` refuses a key written twice and
//! recorded inputs a sheet or transaction file would refuse; `check --rules DIR` refuses a
//! pack that differs from its rules.lock unless `--unlocked`, which marks every determination;
//! `lint`, `test`, `lock` and `verify` share one default pack directory; the lock covers the
//! pack's tests and a changed pack must change its version.

mod common;

use std::path::Path;
use std::process::Output;

use common::{bin, copy_shipped_pack, edit_file, temp_dir};

fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

fn run_in(dir: &Path, args: &[&str]) -> Output {
    bin().current_dir(dir).args(args).output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const H20: [&str; 8] = ["check", "--product", "nvidia-h20", "--to", "CN", "--on", "2024-06-01", "--format"];

#[test]
fn replay_refuses_a_key_written_twice_and_forged_inputs() {
    let dir = temp_dir("cli-replay-forged");
    let o = run(&[&H20[..], &["json"]].concat());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let json = stdout(&o);
    let good = dir.join("good.json");
    std::fs::write(&good, &json).unwrap();
    assert_eq!(run(&["replay", good.to_str().unwrap()]).status.code(), Some(0));

    let forged = dir.join("forged.json");
    let twice =
        format!("{},\n  \"verdict\": \"license_required\"\n}}\n", json.trim_end().trim_end_matches('}').trim_end());
    std::fs::write(&forged, twice).unwrap();
    let o = run(&["replay", forged.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(3), "{}", stdout(&o));
    assert!(stderr(&o).contains("error[E0602]"), "{}", stderr(&o));
    let o = run(&["replay", forged.to_str().unwrap(), "--error-format", "json"]);
    let e: serde_json::Value = serde_json::from_slice(&o.stderr).unwrap();
    let d = &e["diagnostics"][0];
    assert_eq!(d["code"], "E0602", "{e}");
    assert_eq!(d["message"], "the key `verdict` is written twice in one object: a determination has each key once");

    let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
    v["inputs"]["product"]["logic_dies"][0]["area_mm2"] = "0".into();
    std::fs::write(&forged, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    let o = run(&["replay", forged.to_str().unwrap(), "--error-format", "json"]);
    assert_eq!(o.status.code(), Some(3));
    let e: serde_json::Value = serde_json::from_slice(&o.stderr).unwrap();
    assert_eq!(e["diagnostics"][0]["code"], "E0202", "{e}");
    assert!(e["diagnostics"][0]["file"].as_str().unwrap().ends_with("forged.json"), "{e}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn check_refuses_a_pack_that_differs_from_its_lock_unless_unlocked() {
    let dir = temp_dir("cli-unlocked");
    let pack = dir.join("pack");
    copy_shipped_pack(&pack);
    let p = pack.to_str().unwrap();
    // As locked: used as it is, no mark.
    let o = run(&[&H20[..], &["json", "--rules", p]].concat());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stdout(&o).contains("unlocked"));

    // An edit that was not re-locked.
    edit_file(&pack.join("ccl-3a090.toml"), "\n", "\n# an unreviewed edit\n");
    let o = run(&[&H20[..], &["json", "--rules", p]].concat());
    assert_eq!(o.status.code(), Some(3), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(err.contains(&format!("error: {p} differs from its rules.lock")), "{err}");
    assert!(err.contains("\n  changed: ccl-3a090.toml\n"), "{err}");
    assert!(err.contains("--unlocked"), "{err}");
    assert!(stdout(&o).is_empty());

    // With --unlocked: made, and marked.
    let o = run(&[&H20[..], &["json", "--rules", p, "--unlocked"]].concat());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["rules"]["unlocked"], true);
    let scope0 = v["scope"][0].as_str().unwrap();
    assert!(scope0.starts_with("UNLOCKED PACK: the rule pack us-ear"), "{scope0}");
    assert!(scope0.contains("changed: ccl-3a090.toml"), "{scope0}");
    let recorded = dir.join("unlocked.json");
    std::fs::write(&recorded, &o.stdout).unwrap();
    let text =
        run(&["check", "--product", "nvidia-h20", "--to", "CN", "--on", "2024-06-01", "--rules", p, "--unlocked"]);
    assert!(stdout(&text).lines().nth(3).unwrap().contains("UNLOCKED PACK"), "{}", stdout(&text));
    let o = run(&["classify", "--product", "nvidia-h20", "--rules", p, "--unlocked", "--format", "json"]);
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap()["rules"]["unlocked"], true);

    // Replayed with the same unlocked pack, and refused without --unlocked.
    let r = recorded.to_str().unwrap();
    assert_eq!(run(&["replay", r, "--rules", p, "--unlocked"]).status.code(), Some(0));
    assert_eq!(run(&["replay", r, "--rules", p]).status.code(), Some(3));

    // A pack that was never locked.
    std::fs::remove_file(pack.join("rules.lock")).unwrap();
    let o = run(&[&H20[..], &["json", "--rules", p]].concat());
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("no rules.lock: the pack was never locked"), "{}", stderr(&o));
    // --unlocked means nothing without --rules.
    assert_eq!(run(&[&H20[..], &["json", "--unlocked"]].concat()).status.code(), Some(2));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn lint_test_lock_and_verify_share_one_default_pack_directory() {
    let empty = temp_dir("cli-default-none");
    for cmd in ["lint", "test", "lock", "verify"] {
        let o = run_in(&empty, &[cmd]);
        assert_eq!(o.status.code(), Some(2), "{cmd}: {}", stdout(&o));
        assert!(stderr(&o).contains("rules/us-ear: no such directory"), "{cmd}: {}", stderr(&o));
    }
    // The same default, ./rules/us-ear, for all four: here a copy with one rule test changed.
    let repo = temp_dir("cli-default");
    let pack = repo.join("rules/us-ear");
    copy_shipped_pack(&pack);
    let hbm = pack.join("tests/hbm.toml");
    std::fs::write(
        &hbm,
        std::fs::read_to_string(&hbm).unwrap().replacen("\n[[case]]", "\n# one more note\n[[case]]", 1),
    )
    .unwrap();
    let o = run_in(&repo, &["lint"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let o = run_in(&repo, &["test"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).trim_end().ends_with(" passed, 0 failed"));
    let o = run_in(&repo, &["verify"]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(out.contains("\n  changed: tests/hbm.toml\n"), "{out}");
    assert!(out.contains("\n  version: still "), "{out}");
    // A changed pack must change its version before it is locked.
    let o = run_in(&repo, &["lock"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).starts_with("not locked: the content of rules/us-ear changed"), "{}", stdout(&o));
    let toml = std::fs::read_to_string(pack.join("pack.toml")).unwrap();
    let version = toml.lines().find(|l| l.starts_with("version = ")).unwrap().to_string();
    edit_file(&pack.join("pack.toml"), &version, "version = \"99.0.0\"");
    let o = run_in(&repo, &["lock"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).starts_with("wrote rules/us-ear/rules.lock (us-ear 99.0.0 sha256 "), "{}", stdout(&o));
    let o = run_in(&repo, &["verify"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(std::fs::read_to_string(pack.join("rules.lock")).unwrap().contains("\"tests/hbm.toml\" = "));
    std::fs::remove_dir_all(&empty).ok();
    std::fs::remove_dir_all(&repo).ok();
}

/// Tester finding N8 through the binary: `check --product apple-m3-max --to UA --region
/// crimea --format json` records its trace; the record with `"trace": []` replays as different
/// (exit 1), naming `trace`.
#[test]
fn replay_of_a_record_whose_trace_was_emptied_differs() {
    let dir = temp_dir("cli-replay-trace");
    let args = ["check", "--product", "apple-m3-max", "--to", "UA", "--on", "2024-06-01", "--region", "crimea"];
    let o = run(&[&args[..], &["--format", "json"]].concat());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let steps = v["trace"].as_array().unwrap().len();
    assert!(steps > 0);
    v["trace"] = serde_json::json!([]);
    let file = dir.join("no-trace.json");
    std::fs::write(&file, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    let o = run(&["replay", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains(&format!(
            "differs from the recorded one at `trace`:\n  recorded: 0 items\n  replayed: {steps} items"
        )),
        "{}",
        stdout(&o)
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// Tester finding N9 through the binary: the same end user listed twice in a JSON or TOML
/// transaction, or an owner named twice, is refused with E0514 (exit 3), and 2,500 parties
/// with E0515.
#[test]
fn check_refuses_repeated_parties_and_owners() {
    let dir = temp_dir("cli-repeated-parties");
    let party = serde_json::json!({ "role": "end_user", "name": "A".repeat(50), "country": "CN" });
    let json = |parties: Vec<serde_json::Value>| {
        serde_json::json!({ "product": "nvidia-h20", "destination": "CN", "date": "2024-06-01", "party": parties })
            .to_string()
    };
    let cases = [
        ("twice.json", json(vec![party.clone(), party.clone()]), "E0514"),
        ("many.json", json(vec![party.clone(); 2500]), "E0515"),
        (
            "owners.toml",
            "product = \"nvidia-h20\"\ndestination = \"MY\"\ndate = 2024-06-01\n[[party]]\nrole = \"end_user\"\n\
             name = \"Test Co\"\ncountry = \"MY\"\n[[party.owner]]\nname = \"Example Holding\"\npercent = 25\n\
             [[party.owner]]\nname = \"EXAMPLE HOLDING\"\npercent = 25\n"
                .to_string(),
            "E0514",
        ),
    ];
    for (name, text, code) in cases {
        let file = dir.join(name);
        std::fs::write(&file, text).unwrap();
        let o = run(&["check", "--transaction", file.to_str().unwrap(), "--format", "json"]);
        assert_eq!(o.status.code(), Some(3), "{name}: {}", stdout(&o));
        assert!(stderr(&o).contains(&format!("error[{code}]")), "{name}: {}", stderr(&o));
    }
    std::fs::remove_dir_all(&dir).ok();
}
