//! Records carry the catalog sheets they were decided on (issue 13 item 2, records8), in
//! SQLite and PostgreSQL alike: a record made with a catalog folder whose sheet is corrected
//! afterwards replays identical on the sheet of the day, through the API of a server started
//! with the corrected folder on the same store, which names the changed sheet (E0609) in
//! `catalog_changes`; `GET /v1/determinations/{id}` shows the sheet of the day.
//!
//! The product `example-accel`: on the day the H100 SXM5's sheet (1,028 GB/s of interconnect),
//! corrected to the H800 SXM5's (528 GB/s). To China on 2022-11-01 (rule of 2022-10-07, 87 FR
//! 62186: 3A090 is TPP ≥ 4800 and a bidirectional transfer rate ≥ 600 GB/s) the first needs a
//! licence, the second does not. The PostgreSQL test is `#[ignore]`d as those of `records.rs`
//! (`.ci/run` runs it with `--ignored` against the server it starts).

mod common;

use std::path::{Path, PathBuf};

use common::*;
use export_controls_service::api::Limits;
use export_controls_service::pack::PackSource;

/// A catalog folder `name` under `dir` holding `example-accel` with the shipped sheet `from`'s
/// figures; its text.
fn catalog(dir: &Path, name: &str, from: &str) -> (PathBuf, String) {
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../../rules/products/{from}.toml"));
    let text =
        std::fs::read_to_string(shipped).unwrap().replacen(&format!("id = \"{from}\""), "id = \"example-accel\"", 1);
    let folder = dir.join(name);
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("example-accel.toml"), &text).unwrap();
    (folder, text)
}

/// `sha256sum`'s hash of `text` (coreutils), computed outside the code under test.
fn sha256sum(dir: &Path, text: &str) -> String {
    let f = dir.join("hashed.toml");
    std::fs::write(&f, text).unwrap();
    let o = std::process::Command::new("sha256sum").arg(&f).output().expect("sha256sum");
    String::from_utf8(o.stdout).unwrap().split_whitespace().next().unwrap().to_string()
}

fn server(database: &str, catalog: &Path) -> std::net::SocketAddr {
    let source = PackSource { rules: None, catalog: Some(catalog.to_path_buf()), allow_superseded: false };
    start_server(database.to_string(), source, Limits::default())
}

fn replays_on_the_sheet_of_the_day(database: &str, dir: &Path) {
    let (day, day_text) = catalog(dir, "day", "nvidia-h100-sxm5-80gb");
    let (now, now_text) = catalog(dir, "now", "nvidia-h800-sxm5-80gb");
    let tx = tx("example-accel", "CN", "2022-11-01");
    let made = server(database, &day);
    let r = post_json(made, "/v1/determinations", &tx);
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["verdict"], "license_required", "3A090 under the 2022 rule");
    let id = r.header("record-id").unwrap().to_string();

    let today = server(database, &now);
    let rec = get(today, &format!("/v1/determinations/{id}")).json();
    let sheets = &rec["request"]["catalog_sheets"];
    assert_eq!(sheets[0]["sheet"], day_text.as_str(), "{rec}");
    let (day_sha, now_sha) = (sha256sum(dir, &day_text), sha256sum(dir, &now_text));
    assert_eq!(sheets[0]["sha256"], day_sha.as_str());
    let rp = post_json(today, &format!("/v1/determinations/{id}/replay"), "").json();
    assert_eq!(rp["identical"], true, "{rp}");
    assert_eq!(
        rp["catalog_changes"],
        serde_json::json!([{ "id": "example-accel", "recorded_sha256": day_sha, "today_sha256": now_sha }]),
        "{rp}"
    );
    // Today's catalog decides otherwise (528 GB/s is under 600): the replay did not read it.
    let r = post_json(today, "/v1/determinations", &tx);
    assert_eq!(r.json()["verdict"], "no_license_required", "{}", r.text());
    // The server of the day replays its record with nothing changed.
    let rp = post_json(made, &format!("/v1/determinations/{id}/replay"), "").json();
    assert_eq!(rp["identical"], true, "{rp}");
    assert!(rp.get("catalog_changes").is_none(), "{rp}");
}

#[test]
fn sqlite_records_replay_on_the_sheet_of_the_day() {
    let dir = temp_dir("catalog-of-the-day-sqlite");
    replays_on_the_sheet_of_the_day(&format!("sqlite:{}", dir.join("records.db").display()), &dir);
}

/// A fresh database on the server of EXPORT_CONTROLS_TEST_POSTGRES ([`fresh_postgres_database`]).
fn postgres_url() -> String {
    fresh_postgres_database("sheets_test")
}

#[test]
#[ignore = "needs a PostgreSQL server: set EXPORT_CONTROLS_TEST_POSTGRES and run with --ignored (.ci/run does)"]
fn postgres_records_replay_on_the_sheet_of_the_day() {
    let dir = temp_dir("catalog-of-the-day-postgres");
    replays_on_the_sheet_of_the_day(&postgres_url(), &dir);
}
