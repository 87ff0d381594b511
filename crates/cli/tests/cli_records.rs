//! Records that cannot be forged, through the binary: `replay` refuses a key written twice and
//! recorded inputs a sheet or transaction file would refuse; `check --rules DIR` refuses a
//! pack that differs from its rules.lock unless `--unlocked`, which marks every determination;
//! `lint`, `test`, `lock` and `verify` share one default pack directory; the lock covers the
//! pack's tests and a changed pack must change its version; `records verify` finds a record
//! store's rows forged consistently, deleted or cut off by the hash chain over them.

mod common;
#[path = "../../service/tests/common/mod.rs"]
mod http;

use std::path::Path;
use std::process::Output;

use common::{bin, copy_shipped_pack, edit_file, spawn_serve, stderr, temp_dir};

fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

fn run_in(dir: &Path, args: &[&str]) -> Output {
    bin().current_dir(dir).args(args).output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
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

/// A transaction of an H20 to China on 2024-06-01 (no licence for the chip itself then) whose
/// end user is `name`, in China, screened against the Entity List of that day.
fn to_end_user(name: &str) -> String {
    let screened =
        serde_json::json!([{ "list": "entity_list", "list_date": "2024-06-01", "by": "a screening service" }]);
    serde_json::json!({
        "product": "nvidia-h20", "destination": "CN", "date": "2024-06-01",
        "party": [{ "role": "end_user", "name": name, "country": "CN", "screened": screened }]
    })
    .to_string()
}

/// A copy of the SQLite file at `db` (`VACUUM INTO`, which takes the WAL's commits too) with
/// `sql` run on it as a forger with the file would: the triggers refusing UPDATE and DELETE
/// dropped first.
fn tampered_copy(db: &Path, name: &str, sql: &str) -> String {
    let to = db.with_file_name(name);
    rusqlite::Connection::open(db).unwrap().execute("VACUUM INTO ?1", [to.to_str().unwrap()]).unwrap();
    let c = rusqlite::Connection::open(&to).unwrap();
    c.execute_batch(&format!("DROP TRIGGER determinations_no_update; DROP TRIGGER determinations_no_delete; {sql}"))
        .unwrap();
    format!("sqlite:{}", to.display())
}

/// Issue 12 item 4 through the binary: records written by `serve`, then each forged on a copy
/// of the file. A consistent forgery (record 1, an export to an end user on the Entity List,
/// given the request, columns and determination the engine makes for a clean end user: the row
/// agrees with itself, exports without E0605 and replays identical) fails `records verify` at
/// record 1 (E0606); a deleted middle record is named as a gap; records deleted from the end
/// pass without `--head` and fail (E0607) against the head `records head` printed before.
/// Five determinations recorded by `serve` in the store `db_arg` (under `dir`): Huawei's is a
/// licence, Example Trading's none.
fn five_records_served(dir: &std::path::Path, db_arg: &str) {
    let bodies = [
        to_end_user("Huawei Technologies Co., Ltd."),
        http::tx("nvidia-h20", "CN", "2025-04-20"),
        to_end_user("Example Trading Co"),
        http::tx("amd-mi300x", "AE", "2025-02-01"),
        http::tx("nvidia-h20", "CN", "2024-06-01"),
    ];
    let mut verdicts = Vec::new();
    {
        let server = spawn_serve(&["--db", db_arg], &dir.join("serve.err"));
        for (i, body) in bodies.iter().enumerate() {
            let r = http::post_json(server.addr, "/v1/determinations", body);
            assert_eq!(r.status, 201, "{}", r.text());
            assert_eq!(r.header("record-id"), Some((i + 1).to_string().as_str()));
            verdicts.push(r.json()["verdict"].as_str().unwrap().to_string());
        }
    }
    // Huawei is on the Entity List (15 CFR 744 Supp. 4: a licence for all items subject to the
    // EAR); the H20 alone needed none to China on 2024-06-01 (as `serve.rs` tests too).
    assert_eq!(verdicts[0], "license_required");
    assert_eq!(verdicts[2], "no_license_required");
}

/// `records head` of the store, verified against itself and carried by the export: the head.
fn the_head_and_the_exported_chain(db_arg: &str) -> String {
    let o = run(&["records", "head", "--db", db_arg]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let head = stdout(&o).trim_end().to_string();
    let (id, hash) = head.split_once(':').unwrap();
    assert_eq!(id, "5");
    assert!(hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()), "{head}");
    let o = run(&["records", "verify", "--db", db_arg, "--head", &head]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert_eq!(stdout(&o), "5 record(s) checked, 0 failed\n");
    assert!(stderr(&o).contains(&format!("hash chain: 5 record(s), unbroken; head {head}")), "{}", stderr(&o));
    // The export carries the chain: record 2's prev_hash is record 1's hash.
    let o = run(&["records", "export", "--db", db_arg]);
    let lines: Vec<serde_json::Value> = stdout(&o).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines[0]["prev_hash"], "0".repeat(64));
    assert_eq!(lines[1]["prev_hash"], lines[0]["hash"]);
    assert_eq!(lines[4]["hash"], hash);
    head
}

/// Record 1 made over into record 3's clean export, consistently: only the chain finds it.
fn a_consistent_forgery_breaks_the_chain(db: &std::path::Path) {
    // Record 1 made over into record 3's clean export, consistently.
    let forged = tampered_copy(
        db,
        "forged.db",
        "UPDATE determinations SET (as_of, product, destination, verdict, pack_name, pack_version, pack_sha256, request,
           determination, determination_encoding) = (SELECT as_of, product, destination, verdict, pack_name, pack_version,
           pack_sha256, request, determination, determination_encoding FROM determinations WHERE id = 3) WHERE id = 1;",
    );
    let o = run(&["records", "export", "--db", &forged]);
    assert_eq!(o.status.code(), Some(0), "the forged row agrees with itself: {}", stderr(&o));
    assert!(stdout(&o).lines().next().unwrap().contains("\"verdict\":\"no_license_required\""));
    let o = run(&["records", "verify", "--db", &forged]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.starts_with("record 1:\n  error[E0606]: the hash chain breaks at record 1: its contents hash to "),
        "{out}"
    );
    assert!(!out.contains("E0605"), "only the chain finds it: {out}");
    assert!(out.ends_with("5 record(s) checked, 1 failed\n"), "{out}");
}

#[test]
fn records_verify_finds_a_consistent_forgery_a_deleted_record_and_a_cut_tail() {
    let dir = temp_dir("cli-chain");
    let db = dir.join("records.db");
    let db_arg = format!("sqlite:{}", db.display());
    five_records_served(&dir, &db_arg);
    let head = the_head_and_the_exported_chain(&db_arg);
    a_consistent_forgery_breaks_the_chain(&db);

    // Record 2 deleted: named at record 3, as a gap.
    let gap = tampered_copy(&db, "gap.db", "DELETE FROM determinations WHERE id = 2;");
    let o = run(&["records", "verify", "--db", &gap]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "record 3:\n  error[E0606]: the hash chain breaks before record 3: record 2 is missing (deleted)\n4 record(s) checked, 1 failed\n"
    );

    // Records 4 and 5 deleted: a whole, shorter chain; the head kept before is not reached.
    let cut = tampered_copy(&db, "cut.db", "DELETE FROM determinations WHERE id >= 4;");
    let o = run(&["records", "verify", "--db", &cut]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let o = run(&["records", "verify", "--db", &cut, "--head", &head]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        format!(
            "head {head}:\n  error[E0607]: the head {head} is not in the store: its last record is 3, so records were deleted from the end\n3 record(s) checked, 0 failed\n"
        )
    );
    let o = run(&["records", "verify", "--db", &cut, "--head", "5:abc"]);
    assert_eq!(o.status.code(), Some(2), "a malformed head is a usage error: {}", stderr(&o));
    std::fs::remove_dir_all(&dir).ok();
}
