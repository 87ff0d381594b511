//! Issue 13 item 2 (records8): a record made with a catalog product whose sheet was corrected
//! later is replayed on the sheet of the day it carries, and the correction is reported apart
//! (E0609, naming the product and both SHA-256s), never as an altered record (E0604, E0605);
//! a record altered still fails (exit 1); a record without the sheets replays as before.
//!
//! The catalog is a folder of one product of its own, `example-accel`. On the day it held the
//! H100 SXM5's sheet (`rules/products/nvidia-h100-sxm5-80gb.toml`: 1,028 GB/s of interconnect);
//! it was corrected to the H800 SXM5's figures (528 GB/s). To China on 2022-11-01, under the
//! rule of 2022-10-07 (87 FR 62186: 3A090 is TPP ≥ 4800 *and* a bidirectional transfer rate
//! ≥ 600 GB/s; 15 CFR 742.6(a)(6)), the first needs a licence and the second does not, so a
//! replay on today's sheet would decide otherwise than the record.

mod common;
#[path = "../../service/tests/common/mod.rs"]
mod http;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{run, spawn_serve, stderr, temp_dir};

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A catalog folder `name` under `dir` holding `example-accel` with the figures of the shipped
/// sheet `from`.
fn catalog(dir: &Path, name: &str, from: &str) -> PathBuf {
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../../rules/products/{from}.toml"));
    let text = std::fs::read_to_string(shipped).unwrap();
    let text = text.replacen(&format!("id = \"{from}\""), "id = \"example-accel\"", 1);
    assert!(text.contains("id = \"example-accel\""));
    let folder = dir.join(name);
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("example-accel.toml"), text).unwrap();
    folder
}

/// `sha256sum FILE`'s hash (coreutils): the SHA-256 of the file's bytes.
fn sha256sum(file: &Path) -> String {
    let o = std::process::Command::new("sha256sum").arg(file).output().expect("sha256sum");
    assert!(o.status.success());
    stdout(&o).split_whitespace().next().unwrap().to_string()
}

const TX: &str = r#"{"product":"example-accel","destination":"CN","date":"2022-11-01"}"#;

/// A record made by `serve` with the catalog of the day, in a new store under `dir`; the store's
/// URL.
fn record_of_the_day(dir: &Path, day: &Path) -> String {
    let db = format!("sqlite:{}", dir.join("records.db").display());
    let server = spawn_serve(&["--db", &db, "--catalog", day.to_str().unwrap()], &dir.join("serve.err"));
    let r = http::post_json(server.addr, "/v1/determinations", TX);
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["verdict"], "license_required", "3A090 under the 2022 rule: {}", r.text());
    db
}

/// `replay FILE --catalog CATALOG`.
fn replay(file: &Path, catalog: &Path) -> Output {
    run(&["replay", file.to_str().unwrap(), "--catalog", catalog.to_str().unwrap()])
}

/// The record of the day, exported: its temporary directory, store, line (and the file holding
/// it), catalog folder of the day and that sheet's SHA-256.
struct Day {
    dir: PathBuf,
    db: String,
    line: String,
    line_file: PathBuf,
    folder: PathBuf,
    sha: String,
}

/// A record made with the catalog of the day and exported: the export carries the sheet of the
/// day and its SHA-256 in the request.
fn the_export_carries_the_sheet_of_the_day() -> Day {
    let dir = temp_dir("catalog-of-the-day");
    let folder = catalog(&dir, "day", "nvidia-h100-sxm5-80gb");
    let db = record_of_the_day(&dir, &folder);
    let sha = sha256sum(&folder.join("example-accel.toml"));
    let o = run(&["records", "export", "--db", &db, "--catalog", folder.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let line = stdout(&o).lines().next().unwrap().to_string();
    let v: serde_json::Value = serde_json::from_str(&line).unwrap();
    let sheets = &v["request"]["catalog_sheets"];
    assert_eq!(sheets.as_array().map(Vec::len), Some(1), "{v}");
    assert_eq!(sheets[0]["id"], "example-accel");
    assert_eq!(sheets[0]["sha256"], sha.as_str());
    assert_eq!(sheets[0]["sheet"], std::fs::read_to_string(folder.join("example-accel.toml")).unwrap().as_str());
    let line_file = dir.join("line.json");
    std::fs::write(&line_file, &line).unwrap();
    // Replayed with the catalog of the day: identical, nothing to say of the catalog.
    let o = replay(&line_file, &folder);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(!stdout(&o).contains("E0609"), "{}", stdout(&o));
    Day { dir, db, line, line_file, folder, sha }
}

/// The sheet corrected on disk (`now`): the record is replayed on the sheet it carries, and
/// the correction is said apart; today's catalog decides otherwise.
fn replayed_on_the_sheet_it_carries(day: &Day, now: &Path) {
    // The sheet corrected on disk: the record is replayed on the sheet it carries (identical,
    // exit 0, not E0604), and the correction is said apart with both SHA-256s.
    let now_sha = sha256sum(&now.join("example-accel.toml"));
    assert_ne!(day.sha, now_sha);
    let o = replay(&day.line_file, now);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{}", stderr(&o));
    assert!(out.contains("identical"), "{out}");
    assert!(!out.contains("E0604") && !out.contains("E0605") && !stderr(&o).contains("E0604"), "{out}");
    assert!(
        out.contains(&format!(
            "warning[E0609]: catalog product `example-accel`: the record was decided on its sheet of the day (sha256 {}), which it carries; today's catalog sheet differs (sha256 {now_sha})",
            day.sha
        )),
        "{out}"
    );
    // Today's catalog decides otherwise: the replay did not read it.
    let o = run(&[
        "check",
        "--product",
        "example-accel",
        "--catalog",
        now.to_str().unwrap(),
        "--to",
        "CN",
        "--on",
        "2022-11-01",
        "--format",
        "json",
    ]);
    assert_eq!(common::json(&o)["verdict"], "no_license_required", "528 GB/s is under 600 GB/s");
}

/// `records export` and `records verify` with the corrected catalog.
fn export_and_verify_pass_with_the_warning(day: &Day, now: &Path) {
    // `records export` and `records verify` with the corrected catalog: the record agrees with
    // itself and passes, with the warning.
    let o = run(&["records", "export", "--db", &day.db, "--catalog", now.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stdout(&o).contains("disagreements"), "{}", stdout(&o));
    let o = run(&["records", "verify", "--db", &day.db, "--catalog", now.to_str().unwrap()]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{}", stderr(&o));
    assert!(out.starts_with("record 1:\n  warning[E0609]: catalog product `example-accel`"), "{out}");
    assert!(out.ends_with("1 record(s) checked, 0 failed\n"), "{out}");
}

/// Altered records: the verdict rewritten, the sheet of the day forged, the sheets and
/// `hashed` taken out of a line of today's pack.
fn altered_records_still_fail(day: &Day, now: &Path) {
    // An altered record still fails (exit 1): its verdict rewritten, column and determination.
    let altered = day.line.replace("\"verdict\":\"license_required\"", "\"verdict\":\"no_license_required\"");
    assert_eq!(altered.matches("no_license_required").count(), 2, "the column and the determination");
    let f = day.dir.join("altered.json");
    std::fs::write(&f, &altered).unwrap();
    let o = replay(&f, now);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("differs from the recorded one at `verdict`"), "{}", stdout(&o));

    // The sheet of the day rewritten without its SHA-256: the record disagrees with itself
    // (E0605 at `request.catalog_sheets`), and is replayed against today's catalog, which
    // refuses its figures (E0604): not replayed.
    let mut forged: serde_json::Value = serde_json::from_str(&day.line).unwrap();
    let sheet = forged["request"]["catalog_sheets"][0]["sheet"].as_str().unwrap().replace("1028", "528");
    forged["request"]["catalog_sheets"][0]["sheet"] = sheet.clone().into();
    let f = day.dir.join("forged-sheet.json");
    std::fs::write(&f, forged.to_string()).unwrap();
    let o = replay(&f, now);
    assert_ne!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(stderr(&o).contains("E0604"), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains(&format!(
            "error[E0605]: `request.catalog_sheets`: sheet 0 (`example-accel`): the record says sha256 {}",
            day.sha
        )),
        "{}",
        stdout(&o)
    );
    // ... and with its SHA-256 recomputed: the determination's figures are not the sheet's
    // (E0604 against the sheet the record carries), refused.
    let sheet_file = day.dir.join("forged.toml");
    std::fs::write(&sheet_file, &sheet).unwrap();
    forged["request"]["catalog_sheets"][0]["sha256"] = sha256sum(&sheet_file).into();
    std::fs::write(&f, forged.to_string()).unwrap();
    let o = replay(&f, now);
    assert_ne!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(stderr(&o).contains("E0604"), "{}{}", stdout(&o), stderr(&o));

    // The sheets taken out of a line of today's pack, with its `hashed` (as a line made before
    // records carried them would be): not an old line but an altered one, whichever catalog is
    // given (tester round 9, U6: a line naming a pack made after lines carried `hashed` and
    // lacking it is refused, E0610, exit 1).
    let mut old: serde_json::Value = serde_json::from_str(&day.line).unwrap();
    old["request"].as_object_mut().unwrap().remove("catalog_sheets");
    old.as_object_mut().unwrap().remove("hashed");
    let f = day.dir.join("old.json");
    std::fs::write(&f, old.to_string()).unwrap();
    let first_day = catalog(&day.dir, "first-day", "nvidia-h100-sxm5-80gb");
    for cat in [now, first_day.as_path()] {
        let o = replay(&f, cat);
        assert_ne!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
        assert!(stdout(&o).contains("error[E0610]: `hashed`"), "{}{}", stdout(&o), stderr(&o));
    }
}

#[test]
fn a_record_replays_on_the_sheet_of_the_day_after_the_catalog_is_corrected() {
    let day = the_export_carries_the_sheet_of_the_day();
    std::fs::remove_dir_all(&day.folder).unwrap();
    let now = catalog(&day.dir, "day", "nvidia-h800-sxm5-80gb");
    replayed_on_the_sheet_it_carries(&day, &now);
    export_and_verify_pass_with_the_warning(&day, &now);
    altered_records_still_fail(&day, &now);
    std::fs::remove_dir_all(&day.dir).ok();
}

/// Through the API: `POST /v1/determinations/{id}/replay` after the correction is identical and
/// names the sheet that changed; `GET /v1/determinations/{id}` shows the sheets of the day.
#[test]
fn the_api_replays_on_the_sheet_of_the_day() {
    let dir = temp_dir("catalog-of-the-day-api");
    let day = catalog(&dir, "day", "nvidia-h100-sxm5-80gb");
    let db = record_of_the_day(&dir, &day);
    let day_sha = sha256sum(&day.join("example-accel.toml"));
    let now = catalog(&dir, "now", "nvidia-h800-sxm5-80gb");
    let now_sha = sha256sum(&now.join("example-accel.toml"));
    let server = spawn_serve(&["--db", &db, "--catalog", now.to_str().unwrap()], &dir.join("serve2.err"));
    let r = http::get(server.addr, "/v1/determinations/1");
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["request"]["catalog_sheets"][0]["sha256"], day_sha.as_str());
    let r = http::post_json(server.addr, "/v1/determinations/1/replay", "");
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    assert_eq!(v["identical"], true, "{v}");
    assert_eq!(
        v["catalog_changes"],
        serde_json::json!([{ "id": "example-accel", "recorded_sha256": day_sha, "today_sha256": now_sha }]),
        "{v}"
    );
    assert!(v.get("disagreements").is_none(), "{v}");
    // A new determination with today's catalog decides on today's sheet.
    let r = http::post_json(server.addr, "/v1/determinations", TX);
    assert_eq!(r.json()["verdict"], "no_license_required", "{}", r.text());
    let r = http::post_json(server.addr, "/v1/determinations/2/replay", "");
    assert_eq!(r.json()["identical"], true);
    assert!(r.json().get("catalog_changes").is_none(), "{}", r.text());
    drop(server);
    std::fs::remove_dir_all(&dir).ok();
}

/// Issue 13 item 2, part 2: a determination of `check --format json` names no engine; its
/// replay says so and which engine replayed it, identical or not.
#[test]
fn a_bare_determination_says_it_names_no_engine() {
    let dir = temp_dir("bare-determination");
    let o = run(&["check", "--product", "nvidia-h20", "--to", "CN", "--on", "2024-06-01", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let f = dir.join("d.json");
    std::fs::write(&f, stdout(&o)).unwrap();
    let said = format!(
        "note: a determination of `check --format json` names no engine: the file does not say which engine made it; it was replayed by {}",
        export_controls::Engine::current()
    );
    let o = run(&["replay", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains(&said), "{}", stdout(&o));
    let changed =
        stdout(&run(&["check", "--product", "nvidia-h20", "--to", "CN", "--on", "2024-06-01", "--format", "json"]))
            .replacen("\"verdict\": \"no_license_required\"", "\"verdict\": \"license_required\"", 1);
    std::fs::write(&f, changed).unwrap();
    let o = run(&["replay", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains(&said), "{}", stdout(&o));
    std::fs::remove_dir_all(&dir).ok();
}

/// A line of `records export` as the releases before the hash chain wrote it (the export's
/// `RecordJson` at e67db43, pack us-ear 0.1.17: `id`, `recorded_at`, `rules`, `as_of`,
/// `product`, `destination`, `verdict`, `request` as received, `determination`; no `engine`
/// (3479c0f), no `prev_hash` and `hash` (80903ab), no `catalog_sheets` in the request (77567b7),
/// no `hashed` (46e99c0)), holding `determination` (the JSON of `check --format json`) made for
/// [`TX`].
fn line_before_the_chain(determination: &str) -> String {
    let d: serde_json::Value = serde_json::from_str(determination).unwrap();
    let rules = serde_json::json!({
        "name": d["rules"]["name"], "version": d["rules"]["version"], "sha256": d["rules"]["sha256"],
    });
    format!(
        r#"{{"id":1,"recorded_at":"2026-12-01T09:00:00Z","rules":{rules},"as_of":{},"product":{},"destination":{},"verdict":{},"request":{TX},"determination":{d}}}"#,
        d["as_of"], d["product"]["id"], d["destination"]["code"], d["verdict"]
    )
}

/// A record without the sheets of the day, in the form a release before them wrote it (a pack
/// of version 0.1.17, before lines carried `hashed`, `prev_hash` and `hash`): it is replayed on
/// the catalog given, as before records carried sheets. With the catalog of the day its
/// determination replays the same, but the line's hash cannot be checked: UNVERIFIED, exit 5,
/// never "identical" with 0, and nothing said of the catalog (E0609 needs the sheets). With the
/// corrected catalog the recorded product is not the catalog's (E0604): not replayed. Today's
/// rules under 0.1.17 are not that release (rules/RELEASES.toml), so the pack is used
/// `--unlocked` (and, older than the shipped pack, `--superseded`) and every determination made
/// with it says so; the replay needs no `--superseded`.
#[test]
fn a_line_from_before_the_sheets_of_the_day_replays_on_the_catalog_given_unverified() {
    let dir = temp_dir("catalog-of-the-day-old-line");
    let day = catalog(&dir, "day", "nvidia-h100-sxm5-80gb");
    let pack = dir.join("us-ear");
    common::copy_shipped_pack(&pack);
    let toml = std::fs::read_to_string(pack.join("pack.toml")).unwrap();
    let version = toml.lines().find(|l| l.starts_with("version = ")).unwrap().to_string();
    common::edit_file(&pack.join("pack.toml"), &version, "version = \"0.1.17\"");
    let (p, cat) = (pack.to_str().unwrap(), day.to_str().unwrap());
    let mut args = common::check_args("example-accel", "CN", "2022-11-01");
    args.extend(["--format", "json", "--catalog", cat, "--rules", p, "--unlocked", "--superseded"]);
    let o = run(&args);
    assert_eq!(common::json(&o)["verdict"], "license_required", "3A090 under the 2022 rule");
    let line = line_before_the_chain(&stdout(&o));
    let v: serde_json::Value = serde_json::from_str(&line).unwrap();
    assert_eq!(v["rules"]["version"], "0.1.17", "{line}");
    for key in ["engine", "prev_hash", "hash", "hashed"] {
        assert!(v.get(key).is_none(), "{key}: {line}");
    }
    assert!(v["request"].get("catalog_sheets").is_none(), "{line}");
    let f = dir.join("old.json");
    std::fs::write(&f, &line).unwrap();

    let o = run(&["replay", f.to_str().unwrap(), "--catalog", cat, "--rules", p, "--unlocked"]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(5), "{out}{}", stderr(&o));
    assert!(out.contains("note: record 1: the line carries no `hashed`, `prev_hash` and `hash`"), "{out}");
    assert!(out.contains("(record 1, determination): UNVERIFIED: the determination replays the same"), "{out}");
    assert!(!out.contains("identical") && !out.contains("E0610") && !out.contains("E0609"), "{out}");

    let now = catalog(&dir, "now", "nvidia-h800-sxm5-80gb");
    let o = run(&["replay", f.to_str().unwrap(), "--catalog", now.to_str().unwrap(), "--rules", p, "--unlocked"]);
    assert_ne!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert_ne!(o.status.code(), Some(5), "{}{}", stdout(&o), stderr(&o));
    assert!(stderr(&o).contains("E0604"), "{}{}", stdout(&o), stderr(&o));
    assert!(!stdout(&o).contains("E0610"), "{}", stdout(&o));
    std::fs::remove_dir_all(&dir).ok();
}
