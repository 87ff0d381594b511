//! Criterion bench of the records' hash chain (run by hand: `cargo bench -p
//! export-controls-service --bench chain`): what the writer adds per record,
//! `records::chain::link_hash` over a record as the SQLite store keeps it (the determination as
//! a Zstandard frame of 6,627 bytes, the size of an H20 → CN determination on 2025-04-20 with
//! its trace: 29,012 bytes of JSON, `crates/service/BENCHMARKS.md`), and, for comparison, over
//! the same record with the determination as text (what PostgreSQL keeps, and what hashing the
//! text rather than the stored bytes would cost). SHA-256's cost depends only on the length,
//! so the bytes are synthetic (xorshift, like a compressed frame: no structure).

use criterion::{Criterion, Throughput, black_box, criterion_group, criterion_main};
use export_controls_service::records::NewRecord;
use export_controls_service::records::chain::{GENESIS, link_hash};

fn bytes(n: usize) -> Vec<u8> {
    let mut x = 0x9E37_79B9_7F4A_7C15_u64;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            b'a' + (x % 26) as u8
        })
        .collect()
}

fn chain(c: &mut Criterion) {
    let record = NewRecord {
        recorded_at: "2026-12-01T10:00:00.123456789Z".into(),
        as_of: "2025-04-20".into(),
        product: "nvidia-h20".into(),
        destination: "CN".into(),
        verdict: "license_required".into(),
        pack_name: "us-ear".into(),
        pack_version: "0.1.17".into(),
        pack_sha256: "ab".repeat(32),
        request:
            r#"{"product":"nvidia-h20","destination":"CN","exported_from":"US","date":"2025-04-20","exporter":{}}"#
                .into(),
        determination: "".into(),
        engine: export_controls_service::records::engine::RecordEngine::current_column(),
    };
    let mut g = c.benchmark_group("chain");
    for (name, encoding, len) in
        [("link_hash/zstd_6627", "zstd", 6_627), ("link_hash/identity_29012", "identity", 29_012)]
    {
        let stored = bytes(len);
        g.throughput(Throughput::Bytes(len as u64));
        g.bench_function(name, |b| b.iter(|| link_hash(black_box(GENESIS), black_box(42), &record, encoding, &stored)));
    }
    g.finish();
}

criterion_group!(benches, chain);
criterion_main!(benches);
