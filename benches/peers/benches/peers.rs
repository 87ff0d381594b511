//! One criterion group, `peers`: the same determinations (the shipped catalog × every ISO country
//! but the US × two dates, 2024-06-01 and 2026-08-01) by export-controls (fast path `decide`;
//! `decide_classified` on products classified once; the full determination `evaluate`), a
//! hand-written function (over 10⁴-scaled `i64`, the practical limit; classified once; over the
//! engine's `Decimal`/`Ratio`), cedar-policy (with products classified once, and two empty
//! policy sets that measure its fixed cost) and zen-engine (also with products classified once).
//!
//! Each iteration decides every case once; criterion's throughput is set to the number of
//! cases, so `estimates.json` divided by it is the time per determination (report.sh does this).
//! Inside the loop, every implementation builds what it is given per call from the destination
//! and the date: the engine its `FastQuery` (or `Query`), Cedar its `Request` (and chooses the
//! entity store of the date), ZEN its input object (with the destination's groups looked up by
//! date), the hand-written functions nothing. Built before timing, once: the rule pack, the
//! policy sets, the entity stores and the compiled decisions, and what each is given per
//! product (see `src/cases.rs`). The same code is counted by `examples/count.rs` (callgrind).

use criterion::{BenchmarkId, Criterion, SamplingMode, Throughput, black_box, criterion_group, criterion_main};
use peers::cases::{Impl, Setup};

fn peers(c: &mut Criterion) {
    let setup = Setup::benchmark();
    let runners: Vec<_> = Impl::all_built().map(|i| setup.runner(i)).collect();
    // Same answers first (the full check with diagnostics is tests/agreement.rs).
    let reference = runners[0].answers();
    for r in runners.iter().filter(|r| r.imp().answers()) {
        let got = r.answers();
        if let Some(i) = (0..got.len()).find(|i| got[*i] != reference[*i]) {
            let c = setup.cases[i];
            panic!(
                "{} differs on {} to {} on {:?}",
                r.imp().name(),
                setup.products[c.product].product().id,
                c.destination.code(),
                c.date
            );
        }
    }

    let n = setup.cases.len() as u64;
    let mut g = c.benchmark_group("peers");
    g.throughput(Throughput::Elements(n));
    // Flat sampling: one Cedar iteration takes about a second, and linear sampling would need
    // 55 of them for 10 samples.
    g.sampling_mode(SamplingMode::Flat);
    g.sample_size(20);
    for r in &runners {
        g.bench_function(BenchmarkId::new(r.imp().name(), n), |b| {
            b.iter(|| {
                r.run(|a| {
                    black_box(a);
                })
            })
        });
    }
    g.finish();
}

criterion_group!(benches, peers);
criterion_main!(benches);
