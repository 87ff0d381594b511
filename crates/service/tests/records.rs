//! The record stores (15 CFR 762): the same conformance checks on SQLite and on a real
//! PostgreSQL server, grouped writes, records that cannot be changed or deleted, and the
//! pack's verification and reload.
//!
//! PostgreSQL: set EXPORT_CONTROLS_TEST_POSTGRES to a connection URL (`.ci/service` installs
//! the Debian server, starts one on 127.0.0.1 and sets it); without it those tests say they
//! are skipped.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::*;
use export_controls::audit::Lock;
use export_controls::{Date, RuleSet};
use export_controls_service::api::Limits;
use export_controls_service::pack::{LoadedPack, PackError, PackSource, SharedPack};
use export_controls_service::records::{self, BoxFuture, NewRecord, Record, Recorder, Store, StoreError, Stored};

fn record(n: usize) -> NewRecord {
    NewRecord {
        recorded_at: format!("2026-11-{:02}T10:00:00Z", 20 + n % 5),
        as_of: "2025-04-20".into(),
        product: "nvidia-h20".into(),
        destination: "CN".into(),
        verdict: "license_required".into(),
        pack_name: "us-ear".into(),
        pack_version: "0.1.0".into(),
        pack_sha256: "ab".repeat(32),
        request: format!("{{\"n\":{n}}}"),
        determination: format!("{{\n  \"verdict\": \"license_required\",\n  \"n\": {n}\n}}\n").into(),
    }
}

/// What every store must do.
async fn conformance(store: &dyn Store) {
    let before = store.page(0, None, 1_000_000).await.unwrap().last().map_or(0, |r| r.id);
    let ids = store.append((0..3).map(record).collect()).await.unwrap();
    assert_eq!(ids.len(), 3);
    assert!(ids[0] > before && ids[0] < ids[1] && ids[1] < ids[2], "{ids:?}");
    let r = store.get(ids[1]).await.unwrap().unwrap();
    assert_eq!(r.record, record(1));
    assert_eq!(r.record.determination, record(1).determination, "the bytes are kept");
    assert!(store.get(ids[2] + 1000).await.unwrap().is_none());
    let page = store.page(before, None, 2).await.unwrap();
    assert_eq!(page.iter().map(|r| r.id).collect::<Vec<_>>(), ids[..2]);
    let since = store.page(before, Some("2026-11-21".parse::<Date>().unwrap()), 10).await.unwrap();
    assert_eq!(since.iter().map(|r| r.id).collect::<Vec<_>>(), ids[1..]);
    store.ping().await.unwrap();
    // The export writes one JSON object per line.
    let mut out = Vec::new();
    let n = records::export_jsonl(store, Some("2026-11-22".parse().unwrap()), &mut out).await.unwrap();
    assert!(n >= 1);
    let last: serde_json::Value =
        serde_json::from_str(String::from_utf8(out).unwrap().lines().last().unwrap()).unwrap();
    assert_eq!(last["id"], ids[2]);
    assert_eq!(last["determination"]["n"], 2);
    assert_eq!(last["rules"]["sha256"], "ab".repeat(32));
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
}

#[test]
fn sqlite_store_conforms_and_keeps_records() {
    let path = temp_dir("sqlite-store").join("records.db");
    rt().block_on(async {
        let store = records::open(&format!("sqlite:{}", path.display())).await.unwrap();
        assert_eq!(store.kind(), "sqlite");
        conformance(store.as_ref()).await;
    });
    let c = rusqlite::Connection::open(&path).unwrap();
    let mode: String = c.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
    let del = c.execute("DELETE FROM determinations", []).unwrap_err().to_string();
    assert!(del.contains("15 CFR 762.6"), "{del}");
    let upd = c.execute("UPDATE determinations SET verdict = 'no_license_required'", []).unwrap_err().to_string();
    assert!(upd.contains("15 CFR 762.6"), "{upd}");
    let n: i64 = c.query_row("SELECT count(*) FROM determinations", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 3);
    // Reopening keeps everything and goes on numbering.
    rt().block_on(async {
        let store = records::open(path.to_str().unwrap()).await.unwrap();
        conformance(store.as_ref()).await;
    });
}

/// A record written now is kept as one Zstandard frame (RFC 8878: magic number 28 B5 2F FD)
/// of the determination's exact bytes, marked `zstd`; a file written before the encoding column
/// existed is opened, its rows read back as they were (`identity`), and new records follow.
#[test]
fn sqlite_keeps_determinations_as_zstd_frames_and_reads_older_files() {
    let path = temp_dir("sqlite-encoding").join("records.db");
    {
        // The table as the store made it before this column existed, with one record in it.
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch(
            "PRAGMA journal_mode=WAL;
             CREATE TABLE determinations (id INTEGER PRIMARY KEY AUTOINCREMENT, recorded_at TEXT NOT NULL,
               as_of TEXT NOT NULL, product TEXT NOT NULL, destination TEXT NOT NULL, verdict TEXT NOT NULL,
               pack_name TEXT NOT NULL, pack_version TEXT NOT NULL, pack_sha256 TEXT NOT NULL,
               request TEXT NOT NULL, determination TEXT NOT NULL);",
        )
        .unwrap();
        let r = record(0);
        c.execute(
            "INSERT INTO determinations (recorded_at, as_of, product, destination, verdict, pack_name, pack_version,
               pack_sha256, request, determination) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            rusqlite::params![
                r.recorded_at,
                r.as_of,
                r.product,
                r.destination,
                r.verdict,
                r.pack_name,
                r.pack_version,
                r.pack_sha256,
                r.request,
                r.determination.text().unwrap()
            ],
        )
        .unwrap();
    }
    let new_id = rt().block_on(async {
        let store = records::open(path.to_str().unwrap()).await.unwrap();
        assert_eq!(store.get(1).await.unwrap().unwrap().record, record(0), "the older row reads back");
        let recorder = Recorder::start(Arc::clone(&store));
        let id = recorder.record(record(1)).await.unwrap();
        assert_eq!(store.get(id).await.unwrap().unwrap().record, record(1));
        id
    });
    let c = rusqlite::Connection::open(&path).unwrap();
    let (old_encoding, old_type): (String, String) = c
        .query_row("SELECT determination_encoding, typeof(determination) FROM determinations WHERE id = 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!((old_encoding.as_str(), old_type.as_str()), ("identity", "text"));
    let (encoding, bytes): (String, Vec<u8>) = c
        .query_row("SELECT determination_encoding, determination FROM determinations WHERE id = ?1", [new_id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(encoding, "zstd");
    assert_eq!(bytes[..4], [0x28, 0xB5, 0x2F, 0xFD], "a Zstandard frame");
    let Stored::Text(text) = record(1).determination else { unreachable!() };
    assert_eq!(Stored::Zstd(bytes).text().unwrap(), text, "it decodes to the bytes sent");
    let bad = c
        .execute("INSERT INTO determinations (recorded_at, as_of, product, destination, verdict, pack_name, pack_version, pack_sha256, request, determination, determination_encoding) VALUES ('', '', '', '', '', '', '', '', '', '', 'gzip')", [])
        .unwrap_err()
        .to_string();
    assert!(bad.contains("CHECK"), "{bad}");
}

/// The writer does not checkpoint (its commits only append to the WAL); the checkpointer
/// thread copies committed pages into the database file while the store stays open, within a
/// few of its periods.
#[test]
fn sqlite_checkpoints_on_its_own_thread() {
    use export_controls_service::records::sqlite::CHECKPOINT_EVERY;
    let path = temp_dir("sqlite-checkpoint").join("records.db");
    rt().block_on(async {
        let store = records::open(path.to_str().unwrap()).await.unwrap();
        let empty = std::fs::metadata(&path).unwrap().len();
        // 400 records, each with a determination that compresses to more than a page.
        let big = |n: usize| {
            let mut r = record(n);
            // xorshift64: letters zstd cannot shrink much below 5 bits each.
            let mut x = 0x9E37_79B9_7F4A_7C15_u64 ^ n as u64;
            let noise: String = (0..8000)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    char::from(b'a' + (x % 26) as u8)
                })
                .collect();
            r.determination = format!("{{\"n\":{n},\"noise\":\"{noise}\"}}\n").into();
            r
        };
        store.append((0..400).map(big).collect()).await.unwrap();
        let start = std::time::Instant::now();
        let mut size = std::fs::metadata(&path).unwrap().len();
        while size < empty + 400 * 4000 && start.elapsed() < CHECKPOINT_EVERY * 25 {
            tokio::time::sleep(CHECKPOINT_EVERY / 2).await;
            size = std::fs::metadata(&path).unwrap().len();
        }
        assert!(size >= empty + 400 * 4000, "the database file is {size} bytes (empty: {empty}): not checkpointed");
        assert_eq!(store.get(400).await.unwrap().unwrap().record, big(399));
    });
}

/// A fresh database on the server of EXPORT_CONTROLS_TEST_POSTGRES, so that tests running at
/// once do not see each other's records.
static DB_SEQ: AtomicUsize = AtomicUsize::new(0);

fn postgres_url() -> Option<String> {
    match std::env::var("EXPORT_CONTROLS_TEST_POSTGRES") {
        Ok(u) if !u.is_empty() => {
            let name = format!("records_test_{}_{}", std::process::id(), DB_SEQ.fetch_add(1, Ordering::SeqCst));
            rt().block_on(async {
                let (client, conn) = tokio_postgres::connect(&u, tokio_postgres::NoTls).await.unwrap();
                tokio::spawn(conn);
                client.batch_execute(&format!("CREATE DATABASE {name}")).await.unwrap();
            });
            let (server, _) = u.rsplit_once('/').expect("a URL ending in /DATABASE");
            Some(format!("{server}/{name}"))
        }
        _ => {
            eprintln!(
                "skipped: EXPORT_CONTROLS_TEST_POSTGRES is not set (bash .ci/service installs PostgreSQL, starts it on 127.0.0.1 and sets it)"
            );
            None
        }
    }
}

#[test]
fn postgres_store_conforms_and_keeps_records() {
    let Some(url) = postgres_url() else { return };
    rt().block_on(async {
        let store = records::open(&url).await.unwrap();
        assert_eq!(store.kind(), "postgres");
        conformance(store.as_ref()).await;
        let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls).await.unwrap();
        tokio::spawn(conn);
        let del = client.execute("DELETE FROM determinations", &[]).await.unwrap_err();
        assert!(format!("{del:?}").contains("15 CFR 762.6"), "{del:?}");
        let upd = client.execute("UPDATE determinations SET verdict = 'x'", &[]).await.unwrap_err();
        assert!(format!("{upd:?}").contains("15 CFR 762.6"), "{upd:?}");
        // A second connection (another instance) creates nothing twice and sees the records.
        let again = records::open(&url).await.unwrap();
        assert!(!again.page(0, None, 10).await.unwrap().is_empty());
    });
}

#[test]
fn postgres_backed_server_records_and_replays() {
    let Some(url) = postgres_url() else { return };
    let addr = start_server(url, PackSource { rules: None, catalog: None }, Limits::default());
    for (on, verdict) in [("2024-06-01", "no_license_required"), ("2025-04-20", "license_required")] {
        let r = post_json(addr, "/v1/determinations", &tx("nvidia-h20", "CN", on));
        assert_eq!(r.status, 201, "{}", r.text());
        let id = r.header("record-id").unwrap().to_string();
        let rec = get(addr, &format!("/v1/determinations/{id}")).json();
        assert_eq!(rec["verdict"], verdict);
        assert_eq!(rec["determination"], r.json());
        let rp = request(addr, "POST", &format!("/v1/determinations/{id}/replay"), None, b"").unwrap();
        assert_eq!(rp.json()["identical"], true);
    }
    assert_eq!(get(addr, "/readyz").status, 200);
}

/// A store that takes 20 ms per transaction, as a slow disk would.
struct Slow {
    inner: Arc<dyn Store>,
    calls: AtomicUsize,
}

impl Store for Slow {
    fn kind(&self) -> &'static str {
        "slow"
    }
    fn append(&self, batch: Vec<NewRecord>) -> BoxFuture<'_, Result<Vec<i64>, StoreError>> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        Box::pin(async move {
            tokio::time::sleep(Duration::from_millis(20)).await;
            self.inner.append(batch).await
        })
    }
    fn get(&self, id: i64) -> BoxFuture<'_, Result<Option<Record>, StoreError>> {
        self.inner.get(id)
    }
    fn page(&self, after: i64, since: Option<Date>, limit: usize) -> BoxFuture<'_, Result<Vec<Record>, StoreError>> {
        self.inner.page(after, since, limit)
    }
    fn ping(&self) -> BoxFuture<'_, Result<(), StoreError>> {
        self.inner.ping()
    }
}

#[test]
fn concurrent_writes_are_grouped_into_few_transactions() {
    let path = temp_dir("batch").join("records.db");
    rt().block_on(async {
        let inner = records::open(path.to_str().unwrap()).await.unwrap();
        let slow = Arc::new(Slow { inner, calls: AtomicUsize::new(0) });
        let recorder = Recorder::start(slow.clone());
        let tasks: Vec<_> = (0..200)
            .map(|n| {
                let r = recorder.clone();
                tokio::spawn(async move { r.record(record(n)).await.unwrap() })
            })
            .collect();
        let mut ids = Vec::new();
        for t in tasks {
            ids.push(t.await.unwrap());
        }
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 200, "every request got its own id");
        let (records, batches) = recorder.stats();
        assert_eq!(records, 200);
        let calls = slow.calls.load(Ordering::SeqCst) as u64;
        assert_eq!(calls, batches);
        assert!(batches <= 20, "200 concurrent records took {batches} transactions");
        // Each id holds the record sent with it.
        let r = slow.get(ids[0]).await.unwrap().unwrap();
        assert!(r.record.request.starts_with("{\"n\":"));
    });
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let t = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &t);
        } else {
            std::fs::copy(e.path(), t).unwrap();
        }
    }
}

fn pack_copy(name: &str) -> std::path::PathBuf {
    let dir = temp_dir(name).join("us-ear");
    copy_dir(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../rules/us-ear")), &dir);
    dir
}

/// An edit that keeps the pack valid but changes its hash.
fn edit_rule(dir: &std::path::Path) {
    let f = dir.join("notices.toml");
    let text = std::fs::read_to_string(&f).unwrap();
    std::fs::write(&f, format!("{text}\n# an unreviewed edit\n")).unwrap();
}

#[test]
fn a_pack_that_differs_from_its_lock_is_refused_and_the_old_one_serves() {
    let dir = pack_copy("reload");
    let shipped = RuleSet::shipped().unwrap().pack().sha256.clone();
    let source = PackSource { rules: Some(dir.clone()), catalog: None };
    let shared = SharedPack::new(LoadedPack::load(&source).unwrap());
    assert_eq!(shared.get().rules().pack().sha256, shipped);
    assert_eq!(shared.get().cut_off.to_string(), "2026-09-24");

    edit_rule(&dir);
    match shared.reload() {
        // The file that changed, and the version that did not (a changed pack must change it).
        Err(PackError::Unverified(d)) => {
            assert_eq!(d.len(), 2, "{d:?}");
            assert_eq!(d[0], "changed: notices.toml");
            assert!(d[1].starts_with("version: still ") && d[1].ends_with("raise `version` in pack.toml"), "{d:?}");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(shared.get().rules().pack().sha256, shipped, "the old pack keeps serving");
    assert!(matches!(LoadedPack::load(&source), Err(PackError::Unverified(_))));

    // After review the pack is locked again; the reload takes it.
    let lock = Lock::of_dir(&dir).unwrap().1;
    std::fs::write(dir.join("rules.lock"), lock.to_toml()).unwrap();
    let new = shared.reload().unwrap();
    assert_ne!(new.rules().pack().sha256, shipped);
    assert_eq!(shared.get().rules().pack().sha256, lock.sha256);

    // A missing lock is refused too.
    std::fs::remove_file(dir.join("rules.lock")).unwrap();
    assert!(matches!(LoadedPack::load(&source), Err(PackError::Lock { .. })));
}
