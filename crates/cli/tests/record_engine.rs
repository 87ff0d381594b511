//! Tester finding S15 through the binary: a record names the engine that made it, and `replay`
//! and `records verify` tell a record made by another engine (whose difference may be the
//! engine's, E0608, `replay` exit 4) from a record the same engine would not have made (exit
//! 1). The record "of another engine" here is a record of the H20 to China on 2025-04-20
//! (`license_required` under the shipped pack) whose determination and verdict column say
//! `no_license_required`, as a build deciding otherwise would have written it, with that
//! build's engine: another source sha256 and the commit 886ba2c… (the build of tester6's
//! case r2).

mod common;

use std::process::Output;

use common::{run, stderr, temp_dir};
use export_controls::Engine;
use export_controls_service::records::engine::RecordEngine;
use export_controls_service::records::{self, NewRecord};

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Another build: another source, the commit it names.
fn other_engine() -> Engine {
    Engine {
        version: "0.1.0".into(),
        commit: "886ba2c0886ba2c0886ba2c0886ba2c0886ba2c0".into(),
        source_sha256: "5e".repeat(32),
    }
}

/// The record the service writes for the H20 to China on 2025-04-20, with `engine`, and
/// `verdict` written in its determination and its column.
fn h20_record(engine: &str, verdict: &str) -> NewRecord {
    let o = run(&[
        "check",
        "--product",
        "nvidia-h20",
        "--from",
        "US",
        "--to",
        "CN",
        "--on",
        "2025-04-20",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    let d: serde_json::Value = serde_json::from_str(&text).unwrap();
    // The H20 to China after NVIDIA's is-informed letter of 2025-04-09 (rules/us-ear/NOTES.md §11).
    assert_eq!(d["verdict"], "license_required");
    let request =
        r#"{"product":"nvidia-h20","destination":"CN","exported_from":"US","date":"2025-04-20","exporter":{}}"#;
    common::record_of(&text, request.into(), engine, verdict, "2026-11-30T12:00:00Z")
}

fn known(e: &Engine) -> String {
    serde_json::to_string(&RecordEngine::Known(e.clone())).unwrap()
}

/// A SQLite store at `db` holding `batch`, written by the service's store.
fn store(db: &std::path::Path, batch: Vec<NewRecord>) {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let store = records::open(db.to_str().unwrap()).await.unwrap();
        store.append(batch).await.unwrap();
    });
}

/// Four records of the H20 (this engine and another, each deciding both ways) in a store
/// under `dir`, exported: the store's `--db` and the lines, each naming its engine.
fn four_records_exported(dir: &std::path::Path) -> (String, Vec<String>) {
    let db = dir.join("records.db");
    let current = known(Engine::current());
    let other = known(&other_engine());
    store(
        &db,
        vec![
            h20_record(&current, "license_required"),
            h20_record(&other, "no_license_required"),
            h20_record(&current, "no_license_required"),
            h20_record(&other, "license_required"),
        ],
    );
    let db_arg = format!("sqlite:{}", db.display());
    let o = run(&["records", "export", "--db", &db_arg]);
    assert_eq!(o.status.code(), Some(0), "every row agrees with itself: {}", stderr(&o));
    let lines: Vec<String> = stdout(&o).lines().map(str::to_string).collect();
    assert_eq!(lines.len(), 4);
    let line: serde_json::Value = serde_json::from_str(&lines[1]).unwrap();
    assert_eq!(line["engine"], serde_json::to_value(other_engine()).unwrap(), "{line}");
    let first: serde_json::Value = serde_json::from_str(&lines[0]).unwrap();
    assert_eq!(first["engine"]["source_sha256"], Engine::current().source_sha256.as_str());
    assert_eq!(first["engine"]["version"], env!("CARGO_PKG_VERSION"));
    (db_arg, lines)
}

/// `replay` of `text`, written to `dir`/line`n`.json.
fn replay(dir: &std::path::Path, n: usize, text: &str) -> std::process::Output {
    let f = dir.join(format!("line{n}.json"));
    std::fs::write(&f, text).unwrap();
    run(&["replay", f.to_str().unwrap()])
}

/// Each line as exported: identical or different, made by this engine or another.
fn each_engines_lines_replay(dir: &std::path::Path, lines: &[String]) {
    // Made by this engine, identical.
    let o = replay(dir, 1, &lines[0]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(!stdout(&o).contains("made by"), "{}", stdout(&o));
    // Made by another engine, which decided otherwise: the difference may be the engine's.
    let o = replay(dir, 2, &lines[1]);
    assert_eq!(o.status.code(), Some(4), "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("differs from the recorded one at `verdict`"), "{out}");
    assert!(
        out.contains(&format!(
            "error[E0608]: the record was made by export-controls 0.1.0, commit {}, source sha256 {}; it was replayed by {}: the difference may be the engine's, not the record's; replay it with the binary built from commit {} to tell",
            other_engine().commit,
            "5e".repeat(32),
            Engine::current(),
            other_engine().commit
        )),
        "{out}"
    );
    // The same difference under this engine: the record is not what this engine made.
    let o = replay(dir, 3, &lines[2]);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    assert!(out.contains(&format!("made and replayed by the same engine ({})", Engine::current())), "{out}");
    assert!(!out.contains("E0608"), "{out}");
    // Made by another engine, identical: said, and passed.
    let o = replay(dir, 4, &lines[3]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains(&format!("made by {}; replayed by {}", other_engine(), Engine::current())));
}

/// A line with `engine` and `hashed` deleted, one with its engine blanked, and a bare
/// determination.
fn altered_and_bare_lines(dir: &std::path::Path, lines: &[String]) {
    // A line with `engine` and `hashed` deleted but `prev_hash` and `hash` kept, made with this
    // pack (after lines carried `hashed`): a key was deleted, altered (E0610, exit 1), not a line
    // of an unknown engine (tester round 9, U6: deleting `hashed` switched the check off).
    let mut older: serde_json::Value = serde_json::from_str(&lines[1]).unwrap();
    older.as_object_mut().unwrap().remove("engine");
    older.as_object_mut().unwrap().remove("hashed");
    let o = replay(dir, 5, &older.to_string());
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("record 2: error[E0610]: `hashed`"), "{}", stdout(&o));
    assert!(!stdout(&o).contains("E0608"), "{}", stdout(&o));
    // A line whose engine was blanked: a disagreement of the record (E0605), exit 1.
    let mut blank: serde_json::Value = serde_json::from_str(&lines[1]).unwrap();
    blank["engine"] = serde_json::json!({});
    let o = replay(dir, 6, &blank.to_string());
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("error[E0605]: `engine`: `{}` is neither an engine"), "{}", stdout(&o));
    // A determination of `check --format json` names no engine: a difference is the file's
    // (exit 1), with a note.
    let line: serde_json::Value = serde_json::from_str(&lines[1]).unwrap();
    let bare = line["determination"].to_string();
    let o = replay(dir, 7, &bare);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("note: a determination of `check --format json` names no engine"), "{}", stdout(&o));
}

#[test]
fn replay_tells_a_record_of_another_engine_from_one_this_engine_did_not_make() {
    let dir = temp_dir("record-engine");
    let (db_arg, lines) = four_records_exported(&dir);
    each_engines_lines_replay(&dir, &lines);
    altered_and_bare_lines(&dir, &lines);

    // `records verify`: record 2 fails as made by another engine (E0608), record 3 as a plain
    // difference; record 4, identical, passes.
    let o = run(&["records", "verify", "--db", &db_arg]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    let record = |id: usize| out.split(&format!("record {id}:\n")).nth(1).unwrap().split("\nrecord ").next().unwrap();
    assert!(
        record(2).contains("  error[E0608]: the record was made by export-controls 0.1.0, commit 886ba2c0"),
        "{out}"
    );
    assert!(!record(3).contains("E0608"), "{out}");
    assert!(out.ends_with("4 record(s) checked, 2 failed\n"), "{out}");
    std::fs::remove_dir_all(&dir).ok();
}

/// The engine is part of the record's hash: a row whose engine is rewritten (to another build,
/// or to "unknown") no longer hashes to its hash (E0606).
#[test]
fn the_engine_is_chained_and_answered() {
    let dir = temp_dir("record-engine-chain");
    let db = dir.join("records.db");
    let current = known(Engine::current());
    store(&db, vec![h20_record(&current, "license_required"), h20_record(&current, "license_required")]);
    for (name, engine) in
        [("other.db", known(&other_engine())), ("unknown.db", r#"{"unknown_before":"2027-01-01T00:00:00Z"}"#.into())]
    {
        let to = dir.join(name);
        rusqlite::Connection::open(&db).unwrap().execute("VACUUM INTO ?1", [to.to_str().unwrap()]).unwrap();
        let c = rusqlite::Connection::open(&to).unwrap();
        c.execute_batch("DROP TRIGGER determinations_no_update;").unwrap();
        c.execute("UPDATE determinations SET engine = ?1 WHERE id = 1", [&engine]).unwrap();
        drop(c);
        let o = run(&["records", "verify", "--db", &format!("sqlite:{}", to.display())]);
        assert_eq!(o.status.code(), Some(1), "{name}: {}", stderr(&o));
        assert!(
            stdout(&o).starts_with("record 1:\n  error[E0606]: the hash chain breaks at record 1"),
            "{name}: {}",
            stdout(&o)
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}
