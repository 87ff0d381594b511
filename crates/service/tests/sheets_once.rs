//! Issue 13 item 2 (records9): each catalog sheet a record rests on is kept once, in the store's
//! `sheets` table under its SHA-256, in SQLite and PostgreSQL alike; the record's request
//! column references it by SHA-256 (which its hash covers), and the record reads back with the
//! sheet's text in place, checked against the SHA-256 (a sheet row altered or deleted is found,
//! E0605). Records made before (sheets inline in the request) read, verify and export as they
//! were. The PostgreSQL test is `#[ignore]`d as those of `records.rs` (`.ci/run` runs it with
//! `--ignored` against the server it starts).
//!
//! The products: the DGX H100 rests on three sheets (its own, the HGX H100's and the H100
//! SXM5's, `rules/products/`), the H100 SXM5 on one of them, the H20 on its own.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use common::*;
use export_controls_service::api::Limits;
use export_controls_service::pack::PackSource;
use export_controls_service::records::{self, NewRecord, Stored, chain};

/// The shipped sheet of `id`.
fn shipped(id: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../../rules/products/{id}.toml")))
        .unwrap()
}

/// `sha256sum`'s hash of `text` (coreutils), computed outside the code under test.
fn sha256sum(text: &str) -> String {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = temp_dir(&format!("sheets-once-sha-{}", N.fetch_add(1, Ordering::SeqCst)));
    let f = dir.join("sheet.toml");
    std::fs::write(&f, text).unwrap();
    let o = std::process::Command::new("sha256sum").arg(&f).output().expect("sha256sum");
    std::fs::remove_dir_all(&dir).ok();
    String::from_utf8(o.stdout).unwrap().split_whitespace().next().unwrap().to_string()
}

/// The database as read outside the store: the `sheets` table (sha256 → text) and the request
/// columns in id order.
trait Raw {
    fn sheets(&self) -> BTreeMap<String, String>;
    fn requests(&self) -> Vec<String>;
}

struct Sqlite(PathBuf);

impl Raw for Sqlite {
    fn sheets(&self) -> BTreeMap<String, String> {
        let c = rusqlite::Connection::open(&self.0).unwrap();
        let mut st = c.prepare("SELECT sha256, sheet FROM sheets").unwrap();
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().collect::<Result<_, _>>().unwrap()
    }
    fn requests(&self) -> Vec<String> {
        let c = rusqlite::Connection::open(&self.0).unwrap();
        let mut st = c.prepare("SELECT request FROM determinations ORDER BY id").unwrap();
        st.query_map([], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
    }
}

struct Postgres(String);

impl Postgres {
    fn query(&self, sql: &str) -> Vec<tokio_postgres::Row> {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            let (client, conn) = tokio_postgres::connect(&self.0, tokio_postgres::NoTls).await.unwrap();
            tokio::spawn(conn);
            client.query(sql, &[]).await.unwrap()
        })
    }
}

impl Raw for Postgres {
    fn sheets(&self) -> BTreeMap<String, String> {
        self.query("SELECT sha256, sheet FROM sheets").iter().map(|r| (r.get(0), r.get(1))).collect()
    }
    fn requests(&self) -> Vec<String> {
        self.query("SELECT request FROM determinations ORDER BY id").iter().map(|r| r.get(0)).collect()
    }
}

const PRODUCTS: [&str; 4] = ["nvidia-dgx-h100", "nvidia-dgx-h100", "nvidia-h100-sxm5-80gb", "nvidia-h20"];

/// Four records made through the API; the sheets kept once; the records read back whole,
/// verified and replayed.
fn kept_once(database: &str, raw: &dyn Raw) {
    let addr = start_server(
        database.to_string(),
        PackSource { rules: None, catalog: None, allow_superseded: false },
        Limits::default(),
    );
    for p in PRODUCTS {
        let r = post_json(addr, "/v1/determinations", &tx(p, "CN", "2025-04-20"));
        assert_eq!(r.status, 201, "{}", r.text());
    }
    let ids = ["nvidia-dgx-h100", "nvidia-hgx-h100", "nvidia-h100-sxm5-80gb", "nvidia-h20"];
    let want: BTreeMap<String, String> = ids.iter().map(|id| (sha256sum(&shipped(id)), shipped(id))).collect();
    assert_eq!(raw.sheets(), want, "each sheet once, under the SHA-256 of its text");

    // The request columns reference the sheets by SHA-256 only.
    let requests = raw.requests();
    assert_eq!(requests.len(), 4);
    for (column, product) in requests.iter().zip(PRODUCTS) {
        let v: serde_json::Value = serde_json::from_str(column).unwrap();
        let refs = v["catalog_sheets"].as_array().unwrap();
        assert!(!refs.is_empty(), "{column}");
        for r in refs {
            let keys: Vec<&str> = r.as_object().unwrap().keys().map(String::as_str).collect();
            assert_eq!(keys, ["id", "sha256"], "{product}: {column}");
            assert_eq!(r["sha256"], sha256sum(&shipped(r["id"].as_str().unwrap())).as_str());
        }
        assert!(column.len() < 1000, "{product}: {} bytes", column.len());
    }

    // Read back: the sheets of the day inline, as the record was made.
    let rec = get(addr, "/v1/determinations/1").json();
    let sheets = rec["request"]["catalog_sheets"].as_array().unwrap();
    let got: Vec<(&str, &str)> =
        sheets.iter().map(|s| (s["id"].as_str().unwrap(), s["sheet"].as_str().unwrap())).collect();
    let dgx = [shipped(ids[0]), shipped(ids[1]), shipped(ids[2])];
    assert_eq!(got, [(ids[0], dgx[0].as_str()), (ids[1], dgx[1].as_str()), (ids[2], dgx[2].as_str())]);
    for id in 1..=4 {
        let rp = post_json(addr, &format!("/v1/determinations/{id}/replay"), "").json();
        assert_eq!(rp["identical"], true, "{id}: {rp}");
    }
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let store = records::open(database).await.unwrap();
        let rules = export_controls::RuleSet::shipped().unwrap();
        let catalog = export_controls::Catalog::shipped().unwrap();
        let report = records::verify::verify(store.as_ref(), None, None, &rules, &catalog).await.unwrap();
        assert!(report.passed() && report.checked == 4, "{report}");
    });
}

#[test]
fn sqlite_keeps_each_sheet_once() {
    let dir = temp_dir("sheets-once-sqlite");
    let db = dir.join("records.db");
    kept_once(&format!("sqlite:{}", db.display()), &Sqlite(db.clone()));

    // The sheets are kept as the records are: no update, no delete.
    let c = rusqlite::Connection::open(&db).unwrap();
    for sql in ["UPDATE sheets SET sheet = 'x'", "DELETE FROM sheets"] {
        let e = c.execute(sql, []).unwrap_err().to_string();
        assert!(e.contains("no update or delete"), "{sql}: {e}");
    }
    // A sheet row altered outside the service: the records resting on it disagree (E0605,
    // naming the sheet and both SHA-256s); the chain is whole (it covers the reference).
    let hgx = shipped("nvidia-hgx-h100");
    let hgx_sha = sha256sum(&hgx);
    let altered = hgx.replacen('=', "= 1 +", 1);
    c.execute_batch("DROP TRIGGER sheets_no_update;").unwrap();
    c.execute("UPDATE sheets SET sheet = ?1 WHERE sha256 = ?2", [&altered, &hgx_sha]).unwrap();
    drop(c);
    let report = verify(&format!("sqlite:{}", db.display()));
    assert!(report.contains(&format!(
        "record 1:\n  error[E0605]: `request.catalog_sheets`: sheet 1 (`nvidia-hgx-h100`): the record says sha256 {hgx_sha}, its sheet's is {}",
        sha256sum(&altered)
    )), "{report}");
    assert!(report.contains("record 2:\n  error[E0605]: `request.catalog_sheets`: sheet 1"), "{report}");
    assert!(!report.contains("record 3:") && !report.contains("E0606"), "{report}");
    // Deleted: said so.
    let c = rusqlite::Connection::open(&db).unwrap();
    c.execute_batch("DROP TRIGGER sheets_no_delete;").unwrap();
    c.execute("DELETE FROM sheets WHERE sha256 = ?1", [&hgx_sha]).unwrap();
    drop(c);
    let report = verify(&format!("sqlite:{}", db.display()));
    assert!(report.contains(&format!(
        "record 1:\n  error[E0605]: `request.catalog_sheets`: sheet 1 (`nvidia-hgx-h100`): the store holds no sheet of sha256 {hgx_sha} (its row in the `sheets` table is missing)"
    )), "{report}");
    std::fs::remove_dir_all(&dir).ok();
}

/// `records verify` of a store with the shipped pack, as its report reads.
fn verify(database: &str) -> String {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let store = records::open(database).await.unwrap();
        let rules = export_controls::RuleSet::shipped().unwrap();
        let catalog = export_controls::Catalog::shipped().unwrap();
        records::verify::verify(store.as_ref(), None, None, &rules, &catalog).await.unwrap().to_string()
    })
}

/// A record made before sheets were kept apart (its sheet inline in the request column, hashed
/// so) in a store that keeps them apart since: read back byte for byte, verified, its line
/// checked on its own; a record written after it references its sheet, and the chain is one.
#[test]
fn a_record_with_its_sheets_inline_reads_and_verifies_as_before() {
    let dir = temp_dir("sheets-once-older");
    let db = dir.join("records.db");
    let url = format!("sqlite:{}", db.display());
    let rules = export_controls::RuleSet::shipped().unwrap();
    let catalog = export_controls::Catalog::shipped().unwrap();
    let h20 = catalog.get("nvidia-h20").unwrap();
    let q = export_controls::Query::export_to("CN".parse().unwrap(), "2025-04-20".parse().unwrap());
    let d = rules.evaluate(h20, &q, export_controls::Options { trace: true }).unwrap();
    let text = String::from_utf8(export_controls_service::determine::determination_json(&d)).unwrap();
    let sheet = shipped("nvidia-h20");
    let request = serde_json::json!({
        "product": "nvidia-h20", "destination": "CN", "exported_from": "US", "date": "2025-04-20",
        "exporter": {"approved_ic_designer_attestation": false, "packaged_outside_d5_or_macau": false},
        "party": [],
        "catalog_sheets": [{"id": "nvidia-h20", "sha256": sha256sum(&sheet), "sheet": sheet}],
    })
    .to_string();
    let older = NewRecord {
        recorded_at: "2026-12-01T20:00:00Z".into(),
        as_of: "2025-04-20".into(),
        product: "nvidia-h20".into(),
        destination: "CN".into(),
        verdict: "license_required".into(),
        pack_name: rules.pack().name.clone(),
        pack_version: rules.pack().version.clone(),
        pack_sha256: rules.pack().sha256.clone(),
        request: request.clone(),
        determination: Stored::Text(text.clone()),
        engine: records::engine::RecordEngine::current_column(),
    };
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        // The store's tables, then the row as the store wrote it before (request inline).
        drop(records::open(&url).await.unwrap());
        let hash = chain::link_hash(chain::GENESIS, 1, &older, "identity", text.as_bytes());
        let c = rusqlite::Connection::open(&db).unwrap();
        c.execute(
            "INSERT INTO determinations (id, recorded_at, as_of, product, destination, verdict, pack_name, pack_version,
               pack_sha256, request, determination, prev_hash, hash, determination_encoding, engine)
             VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 'identity', ?13)",
            rusqlite::params![
                older.recorded_at, older.as_of, older.product, older.destination, older.verdict, older.pack_name,
                older.pack_version, older.pack_sha256, older.request, text, chain::GENESIS, hash, older.engine
            ],
        )
        .unwrap();
        drop(c);
        let store = records::open(&url).await.unwrap();
        store.append(vec![older.clone()]).await.unwrap();
        let first = store.get(1).await.unwrap().unwrap();
        assert_eq!(first.record.request, request, "byte for byte");
        assert_eq!(first.link.hashed.request, None);
        let second = store.get(2).await.unwrap().unwrap();
        assert_eq!(second.record.request, request, "the sheet put back");
        assert!(second.link.hashed.request.as_deref().is_some_and(|k| !k.contains("\"sheet\"")));
        let report = records::verify::verify(store.as_ref(), None, None, &rules, &catalog).await.unwrap();
        assert!(report.passed() && report.checked == 2, "{report}");
        // Each exported line checks against its own hash.
        for r in [&first, &second] {
            let line: serde_json::Value = serde_json::from_str(&r.to_json_line()).unwrap();
            assert_eq!(line["request"]["catalog_sheets"][0]["sheet"], shipped("nvidia-h20").as_str());
            let hashed: records::line::Hashed = serde_json::from_value(line["hashed"].clone()).unwrap();
            assert_eq!(hashed.request.is_some(), r.id == 2, "{hashed:?}");
            let l = records::line::Line {
                id: r.id,
                prev_hash: line["prev_hash"].as_str().unwrap(),
                hash: line["hash"].as_str().unwrap(),
                record: &r.record,
                request_json: &line["request"].to_string(),
                determination_json: &line["determination"].to_string(),
                engine_json: Some(&line["engine"].to_string()),
            };
            assert_eq!(records::line::check(&l, &hashed), [], "record {}", r.id);
        }
    });
    assert_eq!(Sqlite(db).sheets().len(), 1);
    std::fs::remove_dir_all(&dir).ok();
}

/// Item 3 through the API: a record carrying a sheet of the day that it hashes to but that
/// today's checks refuse (the A100 SXM4 80GB's 54.2 billion transistors written 5.42: fewer
/// than 20 million per mm² on a 7 nm-class node, E0235) is not replayable by this engine, 422
/// with E0612 naming the sheet; it is not reported as altered (E0605).
#[test]
fn the_api_names_a_sheet_of_the_day_refused_by_todays_checks() {
    let dir = temp_dir("sheets-once-refused");
    let url = format!("sqlite:{}", dir.join("records.db").display());
    let id = "nvidia-a100-sxm4-80gb";
    let slipped = shipped(id).replacen("transistors = 54_200_000_000", "transistors = 5_420_000_000", 1);
    let sheets = serde_json::json!([{"id": id, "sha256": sha256sum(&slipped), "sheet": slipped}]);
    let record = record_to_cn_2025(id, ("catalog_sheets", sheets), records::engine::RecordEngine::current_column());
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async { records::open(&url).await.unwrap().append(vec![record]).await.unwrap() });
    let addr = start_server(url, PackSource { rules: None, catalog: None, allow_superseded: false }, Limits::default());
    let r = post_json(addr, "/v1/determinations/1/replay", "");
    assert_eq!(r.status, 422, "{}", r.text());
    let p = r.json();
    assert_eq!(p["code"], "E0612", "{p}");
    let detail = p["detail"].as_str().unwrap();
    assert!(
        detail.starts_with(&format!(
            "error[E0612]: catalog product `{id}`: the sheet the record was decided on (sha256 {}",
            sha256sum(&slipped)
        )),
        "{detail}"
    );
    assert!(detail.contains("error[E0235]"), "{detail}");
    // Its row agrees with itself: GET shows no disagreement.
    let rec = get(addr, "/v1/determinations/1").json();
    assert!(rec.get("disagreements").is_none(), "{rec}");
    std::fs::remove_dir_all(&dir).ok();
}

/// A fresh database on the server of EXPORT_CONTROLS_TEST_POSTGRES ([`fresh_postgres_database`]).
fn postgres_url() -> String {
    fresh_postgres_database("sheets_once")
}

#[test]
#[ignore = "needs a PostgreSQL server: set EXPORT_CONTROLS_TEST_POSTGRES and run with --ignored (.ci/run does)"]
fn postgres_keeps_each_sheet_once() {
    let url = postgres_url();
    kept_once(&url, &Postgres(url.clone()));
    // The sheets are kept as the records are: no update, no delete.
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls).await.unwrap();
        tokio::spawn(conn);
        for sql in ["UPDATE sheets SET sheet = 'x'", "DELETE FROM sheets"] {
            let e = client.batch_execute(sql).await.unwrap_err();
            let e = e.as_db_error().map(|d| d.message().to_string()).unwrap_or_default();
            assert!(e.contains("no update or delete"), "{sql}: {e}");
        }
    });
}
