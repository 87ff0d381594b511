//! Issue 13 item 2 (records9), through the binary: a line of `records export` is checked on its
//! own (tester finding T4): `replay` of a line altered anywhere exits 1 naming the field
//! (E0610), whatever engine it claims, and of an unaltered line of another engine that decides
//! otherwise exits 4 (E0608). A record naming no engine at an impossible time is refused
//! (E0611). A record carrying a sheet of the day that today's checks refuse says so (E0612),
//! not "altered" (E0605).
//!
//! The records: the H20 to China on 2025-04-20 (`license_required` under the shipped pack,
//! after NVIDIA's is-informed letter of 2025-04-09, rules/us-ear/NOTES.md §11), as the service
//! writes it, by this build or by "another build" (another source sha256) that decided
//! `no_license_required`.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{check_args, run, stderr, temp_dir};
use export_controls::Engine;
use export_controls_service::records::engine::RecordEngine;
use export_controls_service::records::{self, NewRecord};

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Another build: another source, the commit it names.
fn other_engine() -> String {
    let e = Engine { version: "0.1.0".into(), commit: "d3613c1".repeat(5) + "d3613", source_sha256: "5e".repeat(32) };
    serde_json::to_string(&RecordEngine::Known(e)).unwrap()
}

fn current_engine() -> String {
    RecordEngine::current_column()
}

/// The shipped sheet of `id` (a product that contains none).
fn shipped_sheet(id: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../../rules/products/{id}.toml")))
        .unwrap()
}

/// The record the service writes for `product` to China on 2025-04-20, carrying `sheet` as its
/// sheet of the day, made by `engine`, with `verdict` written in its determination and column.
fn record(product: &str, sheet: &str, engine: &str, verdict: &str) -> NewRecord {
    let o =
        run(&["check", "--product", product, "--from", "US", "--to", "CN", "--on", "2025-04-20", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let request = serde_json::json!({
        "product": product, "destination": "CN", "exported_from": "US", "date": "2025-04-20",
        "exporter": {"approved_ic_designer_attestation": false, "packaged_outside_d5_or_macau": false},
        "party": [],
        "catalog_sheets": [{"id": product, "sha256": sha256sum(sheet), "sheet": sheet}],
    });
    common::record_of(&stdout(&o), request.to_string(), engine, verdict, "2026-12-01T12:00:00Z")
}

/// `sha256sum`'s hash of `text` (coreutils), computed outside the code under test.
fn sha256sum(text: &str) -> String {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let dir = temp_dir(&format!("record-line-sha-{}", N.fetch_add(1, std::sync::atomic::Ordering::SeqCst)));
    let f = dir.join("sheet.toml");
    std::fs::write(&f, text).unwrap();
    let o = std::process::Command::new("sha256sum").arg(&f).output().expect("sha256sum");
    std::fs::remove_dir_all(&dir).ok();
    stdout(&o).split_whitespace().next().unwrap().to_string()
}

/// A SQLite store at `db` holding `batch`, written by the service's store; its `--db` value.
fn store(db: &Path, batch: Vec<NewRecord>) -> String {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let store = records::open(db.to_str().unwrap()).await.unwrap();
        store.append(batch).await.unwrap();
    });
    format!("sqlite:{}", db.display())
}

/// The lines of `records export` of `db`.
fn export(db: &str) -> Vec<String> {
    let o = run(&["records", "export", "--db", db]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    stdout(&o).lines().map(str::to_string).collect()
}

fn replay(dir: &Path, name: &str, line: &str) -> Output {
    let f: PathBuf = dir.join(name);
    std::fs::write(&f, line).unwrap();
    run(&["replay", f.to_str().unwrap()])
}

/// T4: a line forged to a clearance and to another engine exits 1 naming `determination` (its
/// determination is not the stored one it carries) and `hash`, not 4; the same record made by
/// another engine that decided so, unaltered, exits 4; any field altered alone exits 1.
#[test]
fn an_exported_line_is_checked_against_its_own_hash() {
    let dir = temp_dir("record-line-t4");
    let h20 = shipped_sheet("nvidia-h20");
    let db = store(
        &dir.join("records.db"),
        vec![
            record("nvidia-h20", &h20, &current_engine(), "license_required"),
            record("nvidia-h20", &h20, &other_engine(), "no_license_required"),
        ],
    );
    let lines = export(&db);
    assert_eq!(lines.len(), 2);
    let line: serde_json::Value = serde_json::from_str(&lines[0]).unwrap();
    assert_eq!(line["hashed"]["encoding"], "zstd", "{line}");
    // The sheets inline, so that the line stands alone; the request column as kept references
    // them by SHA-256 only.
    assert_eq!(line["request"]["catalog_sheets"][0]["sheet"], h20.as_str());
    let kept: serde_json::Value = serde_json::from_str(line["hashed"]["request"].as_str().unwrap()).unwrap();
    assert_eq!(kept["catalog_sheets"], serde_json::json!([{"id": "nvidia-h20", "sha256": sha256sum(&h20)}]));

    // Unaltered, this engine: identical.
    let o = replay(&dir, "1.json", &lines[0]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(!stdout(&o).contains("E0610"), "{}", stdout(&o));
    // Unaltered, another engine that decided otherwise: the difference may be the engine's.
    let o = replay(&dir, "2.json", &lines[1]);
    assert_eq!(o.status.code(), Some(4), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("error[E0608]"), "{}", stdout(&o));
    assert!(!stdout(&o).contains("E0610"), "{}", stdout(&o));

    // Record 1 forged as record 2 reads: a clearance, by another engine.
    let mut forged = line.clone();
    forged["verdict"] = "no_license_required".into();
    forged["determination"]["verdict"] = "no_license_required".into();
    forged["engine"] = serde_json::from_str(&other_engine()).unwrap();
    let o = replay(&dir, "forged.json", &forged.to_string());
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("record 1: error[E0610]: `determination`: not the determination the record's hash covers"),
        "{out}"
    );
    assert!(out.contains("record 1: error[E0610]: `hash`: the line's fields hash to "), "{out}");
    assert!(!out.contains("E0608"), "{out}");

    // Each field alone: the engine (to another build), the id, the recorded time, the request.
    let alone: [(&str, serde_json::Value, &str); 4] = [
        ("engine", serde_json::from_str(&other_engine()).unwrap(), "`hash`"),
        ("id", 2.into(), "`hash`"),
        ("recorded_at", "2026-12-01T11:00:00Z".into(), "`hash`"),
        ("prev_hash", "1".repeat(64).into(), "`hash`"),
    ];
    for (key, value, field) in alone {
        let mut l = line.clone();
        l[key] = value;
        let o = replay(&dir, "alone.json", &l.to_string());
        assert_eq!(o.status.code(), Some(1), "{key}: {}{}", stdout(&o), stderr(&o));
        assert!(stdout(&o).contains(&format!("error[E0610]: {field}")), "{key}: {}", stdout(&o));
    }
    let mut l = line.clone();
    l["request"]["party"] = serde_json::json!([{"role": "end_user", "name": "Acme", "country": "CN"}]);
    let o = replay(&dir, "party.json", &l.to_string());
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("error[E0610]: `request`: not the request the record's hash covers"), "{}", stdout(&o));
    std::fs::remove_dir_all(&dir).ok();
}

/// A record naming no engine with an `unknown_before` in the future (the engine column is not
/// in the hash of a record kept before engines were named, so it could be set so to pass any
/// record for one): refused (E0611) by `records verify` and by `replay` of its line, exit 1.
#[test]
fn a_record_naming_no_engine_after_the_future_is_refused() {
    let dir = temp_dir("record-line-unknown");
    let h20 = shipped_sheet("nvidia-h20");
    let future = r#"{"unknown_before":"2099-01-01T00:00:00Z"}"#;
    let past = r#"{"unknown_before":"2026-12-01T12:00:01Z"}"#;
    let db = store(&dir.join("records.db"), vec![record("nvidia-h20", &h20, future, "no_license_required")]);
    let o = run(&["records", "verify", "--db", &db]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("record 1:\n  error[E0611]: `engine`: names no engine, as a record kept before 2099-01-01T00:00:00Z does, but that time is in the future"),
        "{out}"
    );
    // Recorded a second before its store named engines: passes.
    let kept = store(&dir.join("kept.db"), vec![record("nvidia-h20", &h20, past, "license_required")]);
    let o = run(&["records", "verify", "--db", &kept]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let o = run(&["records", "export", "--db", &db]);
    let line = stdout(&o).lines().next().unwrap().to_string();
    let o = replay(&dir, "1.json", &line);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("record 1: error[E0611]: `engine`"), "{}", stdout(&o));
    std::fs::remove_dir_all(&dir).ok();
}

/// Item 3: a record carrying a sheet of the day that it hashes to but that today's checks refuse
/// (the A100 SXM4 80GB's 54.2 billion transistors written 5.42, which E0235 refuses since
/// d3613c1: fewer than 20 million per mm² on a 7 nm-class node) is reported with E0612 naming
/// the sheet and E0235, never as altered (E0605) nor E0604; made by another engine, `replay`
/// exits 4; `records verify` fails it; a record of the valid sheet beside it passes.
#[test]
fn a_sheet_of_the_day_refused_by_todays_checks_is_named_not_called_altered() {
    let dir = temp_dir("record-line-refused");
    let a100 = shipped_sheet("nvidia-a100-sxm4-80gb");
    let slipped = a100.replacen("transistors = 54_200_000_000", "transistors = 5_420_000_000", 1);
    assert_ne!(slipped, a100);
    let db = store(
        &dir.join("records.db"),
        vec![
            record("nvidia-a100-sxm4-80gb", &a100, &current_engine(), "license_required"),
            record("nvidia-a100-sxm4-80gb", &slipped, &other_engine(), "license_required"),
        ],
    );
    let o = run(&["records", "verify", "--db", &db]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    let want = format!(
        "record 2:\n  error[E0612]: catalog product `nvidia-a100-sxm4-80gb`: the sheet the record was decided on (sha256 {}, which it carries and which hashes to it) is refused by this engine's checks: error[E0235]: ",
        sha256sum(&slipped)
    );
    assert!(out.contains(&want), "{out}");
    assert!(!out.contains("E0605") && !out.contains("E0604") && !out.contains("record 1:"), "{out}");
    assert!(out.ends_with("2 record(s) checked, 1 failed\n"), "{out}");

    let lines = export(&db);
    let o = replay(&dir, "2.json", &lines[1]);
    assert_eq!(o.status.code(), Some(4), "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("error[E0612]: catalog product `nvidia-a100-sxm4-80gb`"), "{out}");
    assert!(out.contains("error[E0608]"), "{out}");
    assert!(!out.contains("E0605") && !stderr(&o).contains("E0604"), "{out}{}", stderr(&o));
    std::fs::remove_dir_all(&dir).ok();
}

/// The store is migrated once: the records kept before it name no engine, all with the one
/// time of the migration, and every record after it names its engine. `records verify`
/// refuses (E0611) a record naming none after one that names its engine, one naming another
/// migration time than those before it, and a migration time after the `recorded_at` of the
/// first record naming its engine.
#[test]
fn records_naming_no_engine_come_before_the_migration() {
    let dir = temp_dir("record-line-migration");
    let h20 = shipped_sheet("nvidia-h20");
    let at = |t: &str, engine: &str| NewRecord {
        recorded_at: t.into(),
        ..record("nvidia-h20", &h20, engine, "license_required")
    };
    let before = r#"{"unknown_before":"2026-12-01T12:30:00Z"}"#;
    let db = store(
        &dir.join("records.db"),
        vec![
            at("2026-12-01T12:00:00Z", before),
            at("2026-12-01T12:10:00Z", r#"{"unknown_before":"2026-12-01T12:40:00Z"}"#),
            at("2026-12-01T12:20:00Z", &current_engine()),
            at("2026-12-01T12:25:00Z", before),
        ],
    );
    let o = run(&["records", "verify", "--db", &db]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(!out.contains("record 1:"), "{out}");
    assert!(out.contains("record 2:\n  error[E0611]: `engine`: names no engine, kept before 2026-12-01T12:40:00Z, but record 1 before it was kept before 2026-12-01T12:30:00Z"), "{out}");
    assert!(out.contains("record 3:\n  error[E0611]: `engine`: the records naming no engine were kept before 2026-12-01T12:30:00Z, but record 3, recorded at 2026-12-01T12:20:00Z, names its engine"), "{out}");
    assert!(out.contains("record 4:\n  error[E0611]: `engine`: names no engine (kept before 2026-12-01T12:30:00Z), but record 3 before it, recorded at 2026-12-01T12:20:00Z, names its engine"), "{out}");
    assert!(out.ends_with("4 record(s) checked, 3 failed\n"), "{out}");
    std::fs::remove_dir_all(&dir).ok();
}

/// Tester round 9, U6 (`u6-forge.py`): round 8's T3 forgery (a clearance written into a true
/// record) with the line's `hashed` deleted replayed "identical", exit 0. A line that carries
/// `prev_hash` or `hash`, or names a pack made after lines carried `hashed` (us-ear after 0.1.27),
/// and lacks `hashed` had a key deleted: altered (E0610, exit 1); so does a line with `hashed`
/// but without `hash`. A line exported before lines carried them replays as UNVERIFIED (exit 5),
/// never "identical" (15 CFR 762.6: records kept are true copies; a line proves nothing without
/// the store's head).
#[test]
fn a_line_whose_hashed_was_deleted_is_altered_and_an_unchecked_line_is_unverified() {
    let dir = temp_dir("record-line-u6");
    let h20 = shipped_sheet("nvidia-h20");
    let db = store(&dir.join("records.db"), vec![record("nvidia-h20", &h20, &current_engine(), "license_required")]);
    let line: serde_json::Value = serde_json::from_str(&export(&db)[0]).unwrap();
    let mut forged = line.clone();
    forged["verdict"] = "no_license_required".into();
    forged["determination"]["verdict"] = "no_license_required".into();
    forged.as_object_mut().unwrap().remove("hashed");
    let o = replay(&dir, "no-hashed.json", &forged.to_string());
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("record 1: error[E0610]: `hashed`: the line carries `prev_hash` or `hash` but no `hashed`"),
        "{out}"
    );
    assert!(!out.contains("identical"), "{out}");
    // The unforged line with `hashed` deleted: altered as well (a deleted key is an alteration).
    let mut l = line.clone();
    l.as_object_mut().unwrap().remove("hashed");
    let o = replay(&dir, "genuine-no-hashed.json", &l.to_string());
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    // `prev_hash` and `hash` deleted too: the pack it names (us-ear 0.1.31) was made after lines
    // carried `hashed`.
    for key in ["prev_hash", "hash"] {
        l.as_object_mut().unwrap().remove(key);
    }
    let o = replay(&dir, "no-chain.json", &l.to_string());
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("error[E0610]: `hashed`: the line names pack us-ear"), "{}", stdout(&o));
    // `hashed` kept, `hash` deleted.
    let mut l = line.clone();
    l.as_object_mut().unwrap().remove("hash");
    let o = replay(&dir, "no-hash.json", &l.to_string());
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("record 1: error[E0610]: `hash`: the line carries `hashed` but not both"),
        "{}",
        stdout(&o)
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// A pack `us-ear` 0.1.27 (the last before lines carried `hashed`: today's rules under that
/// version, used `--unlocked`) in `dir`, its `--rules` value, and the SQLite store's line for the
/// H20 to China under it (with `hashed`, as exported today), with the text of its determination
/// as `check --format json` printed it (the service's text, byte for byte).
fn line_of_0_1_27(dir: &Path) -> (String, serde_json::Value, String) {
    let pack = dir.join("us-ear");
    common::copy_shipped_pack(&pack);
    let toml = std::fs::read_to_string(pack.join("pack.toml")).unwrap();
    let version = toml.lines().find(|l| l.starts_with("version = ")).unwrap().to_string();
    common::edit_file(&pack.join("pack.toml"), &version, "version = \"0.1.27\"");
    let p = pack.to_str().unwrap();
    // Today's rules under 0.1.27 are not that release (rules/RELEASES.toml): `lock` refuses
    // them, so the pack is used `--unlocked` (and, older than the shipped pack, `--superseded`),
    // and every determination made with it says so.
    let o = run(&["lock", p]);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    let mut args = check_args("nvidia-h20", "CN", "2025-04-20");
    args.extend(["--from", "US", "--format", "json", "--rules", p, "--unlocked", "--superseded"]);
    let o = run(&args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let h20 = shipped_sheet("nvidia-h20");
    let request = serde_json::json!({
        "product": "nvidia-h20", "destination": "CN", "exported_from": "US", "date": "2025-04-20",
        "exporter": {"approved_ic_designer_attestation": false, "packaged_outside_d5_or_macau": false},
        "party": [],
        "catalog_sheets": [{"id": "nvidia-h20", "sha256": sha256sum(&h20), "sheet": h20}],
    });
    let text = stdout(&o);
    let r =
        common::record_of(&text, request.to_string(), &current_engine(), "license_required", "2026-12-01T12:00:00Z");
    let db = store(&dir.join("records.db"), vec![r]);
    let line: serde_json::Value = serde_json::from_str(&export(&db)[0]).unwrap();
    assert_eq!(line["rules"]["version"], "0.1.27");
    (p.to_string(), line, text)
}

/// `replay` of `line` (written to `dir`) with the pack at `p`, unlocked.
fn replay_unlocked(dir: &Path, p: &str, line: &serde_json::Value) -> (Option<i32>, String) {
    let f = dir.join("old.json");
    std::fs::write(&f, line.to_string()).unwrap();
    let o = run(&["replay", f.to_str().unwrap(), "--rules", p, "--unlocked"]);
    (o.status.code(), format!("{}{}", stdout(&o), stderr(&o)))
}

/// A line as exported before lines carried `hashed`, `prev_hash` and `hash` (a record of a pack
/// of version 0.1.27, the last before them): its determination replays the same, but its hash
/// cannot be checked: "UNVERIFIED", exit 5, never "identical" with 0.
#[test]
fn a_line_from_before_hashed_replays_unverified() {
    let dir = temp_dir("record-line-unverified");
    let (p, mut line, _) = line_of_0_1_27(&dir);
    for key in ["hashed", "prev_hash", "hash"] {
        line.as_object_mut().unwrap().remove(key);
    }
    let (code, out) = replay_unlocked(&dir, &p, &line);
    assert_eq!(code, Some(5), "{out}");
    assert!(out.contains(": UNVERIFIED: the determination replays the same"), "{out}");
    assert!(!out.contains("identical"), "{out}");
    std::fs::remove_dir_all(&dir).ok();
}

/// The `hash` of record 1 as the chain defined it (commit 80903ab; the engine field from
/// 3479c0f) for a PostgreSQL store, which kept the determination's text (`identity`): SHA-256
/// (`sha256sum`) over each field framed by its length as 8 bytes big-endian: the domain, the
/// genesis `prev_hash`, the id, the columns `recorded_at` to `pack_sha256`, the request column
/// (the line's request, compact), `identity`, the text, the engine column.
fn hash_of_record_1(line: &serde_json::Value, text: &str) -> String {
    let s = |v: &serde_json::Value| v.as_str().unwrap().to_string();
    let fields = [
        "export-controls determination record chain v1".to_string(),
        "0".repeat(64),
        "1".to_string(),
        s(&line["recorded_at"]),
        s(&line["as_of"]),
        s(&line["product"]),
        s(&line["destination"]),
        s(&line["verdict"]),
        s(&line["rules"]["name"]),
        s(&line["rules"]["version"]),
        s(&line["rules"]["sha256"]),
        line["request"].to_string(),
        "identity".to_string(),
        text.to_string(),
        line["engine"].to_string(),
    ];
    let mut framed = Vec::new();
    for f in fields {
        framed.extend((f.len() as u64).to_be_bytes());
        framed.extend(f.as_bytes());
    }
    // `sha256sum` reads bytes; the framing is not UTF-8 text, so it goes through a file.
    let dir = temp_dir("record-line-framed");
    let f = dir.join("framed");
    std::fs::write(&f, &framed).unwrap();
    let o = std::process::Command::new("sha256sum").arg(&f).output().expect("sha256sum");
    std::fs::remove_dir_all(&dir).ok();
    stdout(&o).split_whitespace().next().unwrap().to_string()
}

/// A line exported with `prev_hash` and `hash` but before lines carried `hashed` (packs us-ear
/// 0.1.18 to 0.1.27; 15 CFR 762.6: records stay reproducible for five years), built here from
/// the chain's definition, is checked as that era hashed it: unaltered it replays "identical",
/// exit 0; altered (forged to a clearance, another request, another time) it is refused (E0610,
/// exit 1).
#[test]
fn a_line_with_a_hash_from_before_hashed_is_checked_as_then() {
    let dir = temp_dir("record-line-before-hashed");
    let (p, mut line, text) = line_of_0_1_27(&dir);
    line.as_object_mut().unwrap().remove("hashed");
    line["prev_hash"] = "0".repeat(64).into();
    line["hash"] = hash_of_record_1(&line, &text).into();
    let (code, out) = replay_unlocked(&dir, &p, &line);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains(": identical (pack us-ear sha256 "), "{out}");
    assert!(!out.contains("E0610") && !out.contains("UNVERIFIED"), "{out}");

    let mut forged = line.clone();
    forged["verdict"] = "no_license_required".into();
    forged["determination"]["verdict"] = "no_license_required".into();
    let mut party = line.clone();
    party["request"]["party"] = serde_json::json!([{"role": "end_user", "name": "Acme", "country": "CN"}]);
    let mut time = line.clone();
    time["recorded_at"] = "2026-12-01T11:00:00Z".into();
    for (what, altered) in [("forged", forged), ("party", party), ("time", time)] {
        let (code, out) = replay_unlocked(&dir, &p, &altered);
        assert_eq!(code, Some(1), "{what}: {out}");
        assert!(out.contains("record 1: error[E0610]: `hash`: the line carries no `hashed`"), "{what}: {out}");
        assert!(!out.contains(": identical ("), "{what}: {out}");
    }
    // Only one of `prev_hash` and `hash`: a key deleted.
    line.as_object_mut().unwrap().remove("prev_hash");
    let (code, out) = replay_unlocked(&dir, &p, &line);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("error[E0610]: `hashed`: the line carries one of `prev_hash` and `hash`"), "{out}");
    std::fs::remove_dir_all(&dir).ok();
}
