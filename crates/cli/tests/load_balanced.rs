//! Several instances behind a load balancer (issue 13, item 2): two `export-controls serve`
//! processes on one PostgreSQL database, written to alternately from several threads at once.
//! Every determination gets its own record id, the hash chain over the records is one (no
//! fork: `records verify` passes), each answer is the record the *other* instance reads back,
//! and replays identically there.
//!
//! Needs a PostgreSQL server: EXPORT_CONTROLS_TEST_POSTGRES=postgresql://USER@HOST:PORT/DB
//! (a database on it is created for the test). `.ci/run` starts one on 127.0.0.1 and runs the
//! PostgreSQL tests with `--ignored`; plain `cargo test` lists them as ignored.

mod common;
#[path = "../../service/tests/common/mod.rs"]
mod http;

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use common::{bin, spawn_serve};
use http::{get, request, temp_dir, tx};

const CASES: [(&str, &str, &str); 4] = [
    ("nvidia-h20", "CN", "2024-06-01"),
    ("nvidia-h20", "CN", "2025-04-20"),
    ("nvidia-h100-sxm5-80gb", "MY", "2025-06-01"),
    ("amd-mi300x", "AE", "2025-02-01"),
];

/// A fresh database on the server of EXPORT_CONTROLS_TEST_POSTGRES, and its URL.
fn fresh_database(name: &str) -> String {
    let base = std::env::var("EXPORT_CONTROLS_TEST_POSTGRES").ok().filter(|u| !u.is_empty()).expect(
        "EXPORT_CONTROLS_TEST_POSTGRES must name a PostgreSQL server (postgresql://USER@HOST:PORT/DB) for this test",
    );
    let name = format!("{name}_{}", std::process::id());
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
        let (client, conn) = tokio_postgres::connect(&base, tokio_postgres::NoTls).await.unwrap();
        tokio::spawn(conn);
        client.batch_execute(&format!("DROP DATABASE IF EXISTS {name}")).await.unwrap();
        client.batch_execute(&format!("CREATE DATABASE {name}")).await.unwrap();
    });
    let (server, _) = base.rsplit_once('/').expect("a URL ending in /DATABASE");
    format!("{server}/{name}")
}

#[test]
#[ignore = "needs a PostgreSQL server: set EXPORT_CONTROLS_TEST_POSTGRES and run with --ignored (.ci/run does)"]
fn postgres_two_serve_processes_on_one_database_keep_one_chain() {
    let url = fresh_database("load_balanced");
    let dir = temp_dir("load-balanced");
    // Both started before any determination, as behind a load balancer.
    let servers = [spawn_serve(&["--db", &url], &dir.join("a.err")), spawn_serve(&["--db", &url], &dir.join("b.err"))];
    let addrs = [servers[0].addr, servers[1].addr];
    let (threads, each) = (8usize, 10usize);
    // (instance that answered, record id, response body)
    let answered = Arc::new(Mutex::new(Vec::<(usize, i64, Vec<u8>)>::new()));
    let workers: Vec<_> = (0..threads)
        .map(|t| {
            let answered = Arc::clone(&answered);
            std::thread::spawn(move || {
                for i in 0..each {
                    let at = (t + i) % 2;
                    let (p, to, on) = CASES[(t + i) % CASES.len()];
                    let r = request(
                        addrs[at],
                        "POST",
                        "/v1/determinations",
                        Some("application/json"),
                        tx(p, to, on).as_bytes(),
                    )
                    .unwrap();
                    assert_eq!(r.status, 201, "instance {at}: {}", r.text());
                    let id: i64 = r.header("record-id").and_then(|v| v.parse().ok()).expect("record id");
                    answered.lock().unwrap().push((at, id, r.body));
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    let answered = std::mem::take(&mut *answered.lock().unwrap());
    assert_eq!(answered.len(), threads * each);
    for at in 0..2 {
        assert!(answered.iter().any(|(a, ..)| *a == at), "instance {at} answered nothing");
    }
    let ids: BTreeSet<i64> = answered.iter().map(|(_, id, _)| *id).collect();
    assert_eq!(ids.len(), answered.len(), "record ids given twice");

    // Each answer is the record the other instance reads back, and replays identically there.
    for (at, id, body) in &answered {
        let other = addrs[1 - at];
        let rec = get(other, &format!("/v1/determinations/{id}"));
        assert_eq!(rec.status, 200, "record {id} at the other instance: {}", rec.text());
        let sent: serde_json::Value = serde_json::from_slice(body).unwrap();
        assert_eq!(rec.json()["determination"], sent, "record {id} differs from the answer");
        let rp = request(other, "POST", &format!("/v1/determinations/{id}/replay"), None, b"").unwrap();
        assert_eq!(rp.json()["identical"], true, "record {id}: {}", rp.text());
    }

    // One hash chain over every record, checked by the binary an auditor runs.
    drop(servers);
    let out = bin().args(["records", "verify", "--db", &url]).output().unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(0), "records verify: {stdout}{stderr}");
    assert!(stdout.contains(&format!("{} record(s) checked, 0 failed", answered.len())), "{stdout}");
    let chain = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
        let store = export_controls_service::records::open(&url).await.unwrap();
        export_controls_service::records::chain::verify(store.as_ref(), None).await.unwrap()
    });
    assert!(chain.is_intact(), "{chain:?}");
    assert_eq!(chain.records, answered.len() as u64);
}
