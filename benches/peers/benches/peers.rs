//! One criterion group, `peers`: the same determinations (catalog × every ISO country but the
//! US, on 2024-06-01) by export-controls (fast path `decide`; `decide_classified` on products
//! classified once; the full determination `evaluate`), a hand-written function, cedar-policy
//! and zen-engine.
//! Each iteration decides every case once; criterion's throughput is set to the number of
//! cases, so `estimates.json` divided by it is the time per determination (report.sh does this).
//! Inputs (prepared products, queries, Cedar requests, ZEN input objects) are built before
//! timing; so are the rule pack, the policy set, the entities and the compiled decision.

use criterion::{BenchmarkId, Criterion, Throughput, black_box, criterion_group, criterion_main};
use export_controls::FastQuery;
use peers::cedar::Cedar;
use peers::engine::{Engine, engine_decide};
use peers::hand::hand_decide;
use peers::inputs::{self, PeerMetrics};
use peers::zen::Zen;

fn peers(c: &mut Criterion) {
    let engine = Engine::new(inputs::pack());
    let catalog = inputs::catalog();
    let destinations = inputs::destinations();
    let metrics: Vec<PeerMetrics> = catalog.iter().map(PeerMetrics::of).collect();
    let cedar = Cedar::new(&metrics, &destinations);
    let zen = Zen::new();

    let classified: Vec<_> = catalog.iter().map(|p| engine.classify(p)).collect();
    let mut engine_in = Vec::new();
    let mut fast_in = Vec::new();
    let mut classified_in = Vec::new();
    let mut hand_in = Vec::new();
    let mut cedar_in = Vec::new();
    let mut zen_in = Vec::new();
    for ((p, m), c) in catalog.iter().zip(&metrics).zip(&classified) {
        for &d in &destinations {
            let q = inputs::query(d);
            let fq = FastQuery::export_to(q.destination, q.date).exported_from(q.exported_from);
            fast_in.push((p, fq));
            classified_in.push((c, fq));
            engine_in.push((p, q));
            hand_in.push((p, d));
            cedar_in.push(cedar.request(m, d));
            zen_in.push(zen.input(m, d));
        }
    }
    // Same answers first (the full check with diagnostics is tests/agreement.rs).
    for i in 0..engine_in.len() {
        let (p, q) = &engine_in[i];
        let e = engine_decide(&engine, p, q);
        assert_eq!(e, engine.evaluate(p, q), "full determination differs on {}", p.product.id);
        let (c, fq) = &classified_in[i];
        assert_eq!(e, engine.decide_classified(c, fq), "decide_classified differs on {}", p.product.id);
        let (hp, hd) = hand_in[i];
        assert_eq!(e, hand_decide(hp, hd), "hand-written differs on {} to {}", p.product.id, hd.code());
        assert_eq!(e, cedar.decide(&cedar_in[i]), "cedar differs on {} to {}", p.product.id, hd.code());
        assert_eq!(e, zen.decide(&zen_in[i]), "zen differs on {} to {}", p.product.id, hd.code());
    }

    let n = engine_in.len() as u64;
    let mut g = c.benchmark_group("peers");
    g.throughput(Throughput::Elements(n));
    g.sample_size(10);
    g.bench_function(BenchmarkId::new("export-controls", n), |b| {
        b.iter(|| {
            for (p, q) in &fast_in {
                black_box(engine.decide(black_box(p), black_box(q)));
            }
        })
    });
    g.bench_function(BenchmarkId::new("export-controls, classified", n), |b| {
        b.iter(|| {
            for (p, q) in &classified_in {
                black_box(engine.decide_classified(black_box(p), black_box(q)));
            }
        })
    });
    g.bench_function(BenchmarkId::new("export-controls, full determination", n), |b| {
        b.iter(|| {
            for (p, q) in &engine_in {
                black_box(engine.evaluate(black_box(p), black_box(q)));
            }
        })
    });
    g.bench_function(BenchmarkId::new("hand-written", n), |b| {
        b.iter(|| {
            for &(p, d) in &hand_in {
                black_box(hand_decide(black_box(p), black_box(d)));
            }
        })
    });
    g.bench_function(BenchmarkId::new("cedar-policy", n), |b| {
        b.iter(|| {
            for r in &cedar_in {
                black_box(cedar.decide(black_box(r)));
            }
        })
    });
    g.bench_function(BenchmarkId::new("zen-engine", n), |b| {
        b.iter(|| {
            for v in &zen_in {
                black_box(zen.decide(black_box(v)));
            }
        })
    });
    g.finish();
}

criterion_group!(benches, peers);
criterion_main!(benches);
