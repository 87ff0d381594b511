//! Criterion benches: one determination with the trace off and on, a batch over the shipped
//! catalog, and load + check + compile of the shipped pack. Run by hand: `cargo bench`.

use criterion::{Criterion, black_box, criterion_group, criterion_main};
use export_controls::{Catalog, Options, Query, RuleSet};

fn query(to: &str, on: &str) -> Query {
    Query::new(to.parse().unwrap(), "US".parse().unwrap(), on.parse().unwrap())
}

fn benches(c: &mut Criterion) {
    let rules = RuleSet::shipped().unwrap();
    let catalog = Catalog::shipped().unwrap();
    let h100 = catalog.get("nvidia-h100-sxm5-80gb").unwrap();
    let q = query("CN", "2024-06-01");

    c.bench_function("determination, trace off", |b| {
        b.iter(|| rules.evaluate(black_box(h100), black_box(&q), Options { trace: false }).unwrap())
    });
    c.bench_function("determination, trace on", |b| {
        b.iter(|| rules.evaluate(black_box(h100), black_box(&q), Options { trace: true }).unwrap())
    });
    let queries: Vec<Query> = ["CN", "HK", "MO", "SA", "FR", "IN", "AE", "VN", "IL", "RU"]
        .iter()
        .flat_map(|to| ["2023-06-01", "2024-06-01", "2026-08-01"].map(|on| query(to, on)))
        .collect();
    c.bench_function("catalog x 10 destinations x 3 dates", |b| {
        b.iter(|| {
            let mut n = 0;
            for p in catalog.iter() {
                for q in &queries {
                    n += rules.evaluate(p, q, Options::default()).unwrap().requirements.len();
                }
            }
            n
        })
    });
    c.bench_function("load + check + compile shipped pack", |b| b.iter(|| RuleSet::shipped().unwrap()));
}

criterion_group!(evaluate, benches);
criterion_main!(evaluate);
