//! The engine that made each record (tester finding S15), in the stores: a store made before
//! records named their engine is migrated on open, its records reading as made by an engine
//! they do not name (`{"unknown_before": TIME}`, the time of the migration, after every one of
//! them), their hashes unchanged (the chain still verifies); new records name this build; the
//! API answers the engine beside the determination (header `Engine`, the record's `engine`,
//! the replay's `made_by`, `replayed_by`, `same_engine`) without changing the determination's
//! bytes.

mod common;

use std::sync::Arc;

use common::*;
use export_controls::Engine;
use export_controls_service::records::chain::{self, GENESIS};
use export_controls_service::records::engine::{RecordEngine, is_unknown};
use export_controls_service::records::{self, NewRecord, Recorder, Store, check};

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
}

/// A record as a store made before engines wrote it (no engine: hashed over 14 fields).
fn older(n: usize) -> NewRecord {
    NewRecord {
        recorded_at: format!("2026-11-2{n}T10:00:00Z"),
        as_of: "2025-04-20".into(),
        product: "nvidia-h20".into(),
        destination: "CN".into(),
        verdict: "license_required".into(),
        pack_name: "us-ear".into(),
        pack_version: "0.1.0".into(),
        pack_sha256: "ab".repeat(32),
        request: format!("{{\"n\":{n}}}"),
        determination: format!("{{\"verdict\":\"license_required\",\"n\":{n}}}").into(),
        engine: String::new(),
    }
}

/// The hashes of the three [`older`] records chained from the genesis value, as the chain
/// hashed records before this change: `link_hash` of a record naming no engine.
fn older_hashes() -> Vec<String> {
    let unknown = r#"{"unknown_before":"2026-12-01T00:00:00Z"}"#;
    let mut prev = GENESIS.to_string();
    (0..3)
        .map(|n| {
            let r = NewRecord { engine: unknown.into(), ..older(n) };
            let text = r.determination.text().unwrap().into_owned();
            prev = chain::link_hash(&prev, n as i64 + 1, &r, "identity", text.as_bytes());
            prev.clone()
        })
        .collect()
}

/// Opened, the store names no engine for the three older records (`unknown_before` after each
/// was recorded), keeps their hashes, chains a new record naming this build after them, and
/// finds no disagreement in any of them.
async fn migrated(store: Arc<dyn Store>, hashes: &[String]) {
    let rows = store.page(0, None, 100).await.unwrap();
    assert_eq!(rows.len(), 3);
    for (r, hash) in rows.iter().zip(hashes) {
        assert!(is_unknown(&r.record.engine), "{}", r.record.engine);
        let Ok(RecordEngine::Unknown { unknown_before }) = RecordEngine::parse(&r.record.engine) else {
            panic!("{}", r.record.engine)
        };
        assert!(unknown_before > r.record.recorded_at, "{unknown_before}");
        assert_eq!(&r.link.hash, hash, "the hash made before the engine column stays");
        assert_eq!(r.link.computed, r.link.hash);
        let json = r.to_json();
        assert_eq!(json.engine, serde_json::json!({ "unknown_before": unknown_before }));
        let catalog = export_controls::Catalog::shipped().unwrap();
        let engine: Vec<_> =
            check::disagreements(&r.record, &catalog).into_iter().filter(|d| d.column == "engine").collect();
        assert!(engine.is_empty(), "{engine:?}");
    }
    let recorder = Recorder::start(Arc::clone(&store));
    let id = recorder.record(NewRecord { engine: RecordEngine::current_column(), ..older(3) }).await.unwrap();
    assert_eq!(id, 4);
    let r = store.get(4).await.unwrap().unwrap();
    assert_eq!(RecordEngine::parse(&r.record.engine), Ok(RecordEngine::Known(Engine::current().clone())));
    assert_eq!(r.link.prev_hash, hashes[2]);
    let report = chain::verify(store.as_ref(), None).await.unwrap();
    assert!(report.is_intact() && report.records == 4, "{report:?}");
}

/// A SQLite file as the store made it before the engine column (the chain and the encoding
/// there, its triggers), holding the three [`older`] records.
#[test]
fn a_sqlite_file_made_before_engines_is_migrated_and_still_verifies() {
    let path = temp_dir("engine-migrate").join("records.db");
    let hashes = older_hashes();
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch(
            "PRAGMA journal_mode=WAL;
             CREATE TABLE determinations (id INTEGER PRIMARY KEY AUTOINCREMENT, recorded_at TEXT NOT NULL,
               as_of TEXT NOT NULL, product TEXT NOT NULL, destination TEXT NOT NULL, verdict TEXT NOT NULL,
               pack_name TEXT NOT NULL, pack_version TEXT NOT NULL, pack_sha256 TEXT NOT NULL,
               request TEXT NOT NULL, determination TEXT NOT NULL,
               determination_encoding TEXT NOT NULL DEFAULT 'identity' CHECK (determination_encoding IN ('identity', 'zstd')),
               prev_hash TEXT NOT NULL DEFAULT '', hash TEXT NOT NULL DEFAULT '');
             CREATE TRIGGER determinations_no_update BEFORE UPDATE ON determinations BEGIN SELECT RAISE(ABORT, 'kept'); END;
             CREATE TRIGGER determinations_no_delete BEFORE DELETE ON determinations BEGIN SELECT RAISE(ABORT, 'kept'); END;",
        )
        .unwrap();
        let mut prev = GENESIS.to_string();
        for (n, hash) in hashes.iter().enumerate() {
            let r = older(n);
            c.execute(
                "INSERT INTO determinations (recorded_at, as_of, product, destination, verdict, pack_name, pack_version,
                   pack_sha256, request, determination, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                rusqlite::params![
                    r.recorded_at, r.as_of, r.product, r.destination, r.verdict, r.pack_name, r.pack_version,
                    r.pack_sha256, r.request, r.determination.text().unwrap(), prev, hash
                ],
            )
            .unwrap();
            prev = hash.clone();
        }
    }
    rt().block_on(async {
        let store = records::open(&format!("sqlite:{}", path.display())).await.unwrap();
        migrated(store, &hashes).await;
    });
    // Opened again: not migrated twice (the older records keep their `unknown_before`).
    let engines = || -> Vec<String> {
        let c = rusqlite::Connection::open(&path).unwrap();
        let mut st = c.prepare("SELECT engine FROM determinations ORDER BY id").unwrap();
        st.query_map([], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
    };
    let before = engines();
    rt().block_on(async {
        let store = records::open(&format!("sqlite:{}", path.display())).await.unwrap();
        assert!(chain::verify(store.as_ref(), None).await.unwrap().is_intact());
    });
    assert_eq!(engines(), before);
}

/// A fresh database on the server of EXPORT_CONTROLS_TEST_POSTGRES ([`fresh_postgres_database`]).
fn postgres_url() -> String {
    fresh_postgres_database("record_engine_test")
}

/// The same on PostgreSQL: a table as the store made it before the engine column.
#[test]
#[ignore = "needs a PostgreSQL server: set EXPORT_CONTROLS_TEST_POSTGRES and run with --ignored (.ci/run does)"]
fn postgres_table_made_before_engines_is_migrated_and_still_verifies() {
    let url = postgres_url();
    let hashes = older_hashes();
    rt().block_on(async {
        let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls).await.unwrap();
        tokio::spawn(conn);
        client
            .batch_execute(
                "CREATE TABLE determinations (id BIGSERIAL PRIMARY KEY, recorded_at TEXT NOT NULL, as_of TEXT NOT NULL,
                   product TEXT NOT NULL, destination TEXT NOT NULL, verdict TEXT NOT NULL, pack_name TEXT NOT NULL,
                   pack_version TEXT NOT NULL, pack_sha256 TEXT NOT NULL, request TEXT NOT NULL, determination TEXT NOT NULL,
                   prev_hash TEXT NOT NULL DEFAULT '', hash TEXT NOT NULL DEFAULT '');",
            )
            .await
            .unwrap();
        let mut prev = GENESIS.to_string();
        for (n, hash) in hashes.iter().enumerate() {
            let r = older(n);
            let text = r.determination.text().unwrap().into_owned();
            client
                .execute(
                    "INSERT INTO determinations (id, recorded_at, as_of, product, destination, verdict, pack_name,
                       pack_version, pack_sha256, request, determination, prev_hash, hash)
                       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
                    &[
                        &(n as i64 + 1),
                        &r.recorded_at,
                        &r.as_of,
                        &r.product,
                        &r.destination,
                        &r.verdict,
                        &r.pack_name,
                        &r.pack_version,
                        &r.pack_sha256,
                        &r.request,
                        &text,
                        &prev,
                        hash,
                    ],
                )
                .await
                .unwrap();
            prev = hash.clone();
        }
        let store = records::open(&url).await.unwrap();
        migrated(store, &hashes).await;
        // A second instance opening it migrates nothing again.
        let again = records::open(&url).await.unwrap();
        assert!(chain::verify(again.as_ref(), None).await.unwrap().is_intact());
        let engines: Vec<String> = client
            .query("SELECT engine FROM determinations ORDER BY id", &[])
            .await
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        assert!(engines[..3].iter().all(|e| is_unknown(e)) && !is_unknown(&engines[3]), "{engines:?}");
    });
}

/// Through the API: the answer carries the engine in `Engine` (its body is `check --format
/// json`'s bytes, as before); the record names the same engine; its replay says it was made
/// and replayed by this engine.
#[test]
fn the_api_names_the_engine_beside_the_determination() {
    let (addr, _) = sqlite_server("engine-api");
    let r = post_json(addr, "/v1/determinations", &tx("nvidia-h20", "CN", "2025-04-20"));
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.header("engine"), Some(Engine::current().to_string().as_str()));
    let body: serde_json::Value = r.json();
    assert!(body.get("engine").is_none(), "the determination's JSON is unchanged: {body}");
    let id = r.header("record-id").unwrap().to_string();
    let rec = get(addr, &format!("/v1/determinations/{id}")).json();
    assert_eq!(rec["engine"], serde_json::to_value(Engine::current()).unwrap(), "{rec}");
    let v = request(addr, "POST", &format!("/v1/determinations/{id}/replay"), None, b"").unwrap().json();
    assert_eq!(v["identical"], true, "{v}");
    assert_eq!(v["same_engine"], true, "{v}");
    assert_eq!(v["made_by"], rec["engine"], "{v}");
    assert_eq!(v["replayed_by"], rec["engine"], "{v}");
}
