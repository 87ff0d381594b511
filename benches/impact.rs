//! Criterion bench of `impact` on a large pack (issue 12, item 6), run by hand:
//! `cargo bench --bench impact`.
//!
//! The shipped pack before and the shipped pack with `n` notices added after (as a legal team
//! adds one notice per guidance document), compared on 2024-06-01 over the whole catalog and
//! every destination. A notice never changes a verdict, so the report is empty whatever `n`;
//! what the bench shows is whether the cost grows with `n` for every product × destination.
//! Before the fix, impact evaluated every notice (with a trace entry each) for every product ×
//! destination on both sides: 2,000 notices took about 15 s. It now compares outcomes made
//! without notices or trace and traces only the transactions that differ.

use criterion::{BenchmarkId, Criterion, black_box, criterion_group, criterion_main};
use export_controls::impact::{ImpactQuery, Side, impact};
use export_controls::ruleset::{SourceFile, compile};
use export_controls::{Catalog, RuleSet};

/// The shipped pack's rule files with `n` notices added, half of them limited to a destination.
fn pack_with_notices(n: usize) -> Vec<SourceFile> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/us-ear");
    let mut files: Vec<SourceFile> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| SourceFile::new(p.file_name().unwrap().to_string_lossy(), std::fs::read_to_string(&p).unwrap()))
        .collect();
    let countries = export_controls::Country::all();
    let notices: String = (0..n)
        .map(|i| {
            let scope = if i % 2 == 0 {
                format!("destinations = {{ countries = [\"{}\"] }}\n", countries[i % countries.len()])
            } else {
                String::new()
            };
            format!(
                "[[notice]]\nid = \"GUIDANCE.{i}\"\ntitle = \"Guidance note {i}\"\nsource = \"synthetic\"\nfrom = 2024-01-01\n{scope}\n"
            )
        })
        .collect();
    files.push(SourceFile::new("zz-guidance.toml", notices));
    files
}

fn impact_on_a_large_pack(c: &mut Criterion) {
    let catalog = Catalog::shipped().unwrap();
    let before = RuleSet::shipped().unwrap();
    let on = "2024-06-01".parse().unwrap();
    let q = ImpactQuery::default();
    let mut g = c.benchmark_group("impact");
    g.sample_size(10);
    for n in [0, 500, 2_000] {
        let after = compile(&pack_with_notices(n)).unwrap();
        g.bench_with_input(BenchmarkId::new("catalog x every destination, notices added", n), &after, |b, after| {
            b.iter(|| {
                let rows = impact(&catalog, Side { rules: &before, date: on }, Side { rules: after, date: on }, &q);
                assert!(rows.is_empty());
                black_box(rows)
            })
        });
    }
    g.finish();
}

criterion_group!(benches, impact_on_a_large_pack);
criterion_main!(benches);
