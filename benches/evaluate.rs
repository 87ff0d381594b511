//! Criterion benches (issue 6), run by hand: `cargo bench --bench evaluate`.
//!
//! - `determination/*`: one H100 → China determination on 2024-06-01: the fast path
//!   (`CompiledPack::decide`, and `decide_classified` on a product classified once); the
//!   explained determination with its trace as recorded (`RuleSet::explain`, reading the
//!   verdict: no text written) and recorded then written as JSON (what showing or storing it
//!   costs); and `RuleSet::evaluate` (the owned `Determination`) with the trace off and on;
//! - `batch/*`: the shipped catalog × every ISO country × 5 dates, on the fast path, on one
//!   thread and with `decide_batch` (all cores);
//! - `load/*`: load + check + compile of the shipped pack (and the fast-path index);
//! - `scaling/*`: synthetic packs of 10, 100, 1,000 and 10,000 rules (see [`synthetic_pack`]);
//! - `suggest/*`: "did you mean" over the shipped catalog for a typo (`nvidia-h2O`) and for a
//!   200,000-character id (tester12 T16: about 9 CPU-seconds before the work was bounded).
//!
//! `benches/peers` times the same rules in cedar-policy and zen-engine; `BENCHMARKS.md` holds
//! the results.

use criterion::{BenchmarkId, Criterion, Throughput, black_box, criterion_group, criterion_main};
use export_controls::ruleset::{SourceFile, compile};
use export_controls::{Catalog, CompiledPack, Country, Date, FastQuery, Options, Query, RuleSet, Scratch};

fn query(to: &str, on: &str) -> Query {
    Query::export_to(to.parse().unwrap(), on.parse().unwrap())
}

const DATES: [&str; 5] = ["2022-12-01", "2023-06-01", "2024-06-01", "2025-06-01", "2026-08-01"];

fn determination(c: &mut Criterion) {
    let pack = CompiledPack::new(RuleSet::shipped().unwrap());
    let rules = pack.rules();
    let catalog = Catalog::shipped().unwrap();
    let h100 = catalog.get("nvidia-h100-sxm5-80gb").unwrap();
    let q = query("CN", "2024-06-01");
    let mut fq = FastQuery::export_to(q.destination, q.date);
    fq.exported_from = q.exported_from;
    let mut scratch = Scratch::default();
    let mut g = c.benchmark_group("determination");
    g.bench_function("decide, fast path", |b| b.iter(|| pack.decide(black_box(h100), black_box(&fq), &mut scratch)));
    let classified = pack.classify_product(h100.clone());
    g.bench_function("decide_classified, fast path", |b| {
        b.iter(|| pack.decide_classified(black_box(&classified), black_box(&fq), &mut scratch))
    });
    let on = Options { trace: true };
    g.bench_function("explain, trace on, recorded", |b| {
        b.iter(|| rules.explain(black_box(h100), black_box(&q), on, |e| e.verdict()).unwrap())
    });
    let mut json = Vec::with_capacity(1 << 16);
    g.bench_function("explain, trace on, written as JSON", |b| {
        b.iter(|| {
            rules
                .explain(black_box(h100), black_box(&q), on, |e| {
                    json.clear();
                    serde_json::to_writer(&mut json, e).map(|()| json.len())
                })
                .unwrap()
                .unwrap()
        })
    });
    g.bench_function("evaluate, trace off", |b| {
        b.iter(|| rules.evaluate(black_box(h100), black_box(&q), Options { trace: false }).unwrap())
    });
    g.bench_function("evaluate, trace on", |b| {
        b.iter(|| rules.evaluate(black_box(h100), black_box(&q), Options { trace: true }).unwrap())
    });
    g.finish();
}

fn batch(c: &mut Criterion) {
    let pack = CompiledPack::new(RuleSet::shipped().unwrap());
    let catalog = Catalog::shipped().unwrap();
    let products: Vec<_> = catalog.iter().collect();
    let queries: Vec<FastQuery> = Country::all()
        .into_iter()
        .filter(|c| !c.is_united_states())
        .flat_map(|to| DATES.map(|on| FastQuery::export_to(to, on.parse().unwrap())))
        .collect();
    let mut g = c.benchmark_group("batch");
    g.throughput(Throughput::Elements((products.len() * queries.len()) as u64));
    g.bench_function("catalog x every country x 5 dates, one thread", |b| {
        let mut scratch = Scratch::default();
        b.iter(|| {
            let mut required = 0usize;
            for p in &products {
                for q in &queries {
                    let d = pack.decide(p, q, &mut scratch).unwrap();
                    required += usize::from(d.verdict == export_controls::Verdict::LicenseRequired);
                }
            }
            required
        })
    });
    let classified: Vec<_> = products.iter().map(|p| pack.classify_product((*p).clone())).collect();
    g.bench_function("catalog x every country x 5 dates, classified, one thread", |b| {
        let mut scratch = Scratch::default();
        b.iter(|| {
            let mut required = 0usize;
            for p in &classified {
                for q in &queries {
                    let d = pack.decide_classified(p, q, &mut scratch).unwrap();
                    required += usize::from(d.verdict == export_controls::Verdict::LicenseRequired);
                }
            }
            required
        })
    });
    g.bench_function("catalog x every country x 5 dates, decide_batch", |b| {
        b.iter(|| pack.decide_batch(black_box(&products), black_box(&queries)).len())
    });
    g.finish();
}

fn load(c: &mut Criterion) {
    let mut g = c.benchmark_group("load");
    g.bench_function("load + check + compile shipped pack", |b| {
        b.iter(|| CompiledPack::new(RuleSet::shipped().unwrap()))
    });
    g.finish();
}

/// A synthetic pack of `n` rules: the four 2023 3A090 paragraphs, and `n - 4` licence
/// requirements spread over every ISO country (one in 100 over Country Group D:5) and over
/// 360 monthly start dates from 2000 to 2029, each in force for a year, a third of them with
/// a TPP condition. As in the real regulation, each rule concerns a few destinations for a
/// limited time, so the rules that can apply to one destination on one day stay few while the
/// pack grows: what the benchmark shows is whether evaluation touches only those.
pub fn synthetic_pack(n: usize) -> Vec<SourceFile> {
    let shipped = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/us-ear/country-groups.toml");
    let groups = std::fs::read_to_string(shipped).unwrap();
    let pack = "name = \"synthetic\"\ntitle = \"Synthetic scaling pack\"\nversion = \"0.1.0\"\nengine = \"^0.1\"\ncoverage_from = 2000-01-01\nresearched_until = 9999-12-31\nscope_notes = [\"synthetic\"]\n";
    let mut rules = String::new();
    for (id, when) in [
        ("3A090.a.1", "tpp >= 4800"),
        ("3A090.a.2", "tpp >= 1600 and performance_density >= 5.92"),
        ("3A090.b.1", "not meets(\"3A090.a\") and tpp >= 2400 and tpp < 4800 and performance_density >= 1.6 and performance_density < 5.92"),
        ("3A090.b.2", "not meets(\"3A090.a\") and tpp >= 1600 and performance_density >= 3.2 and performance_density < 5.92"),
    ]
    .iter()
    .take(n)
    {
        rules += &format!(
            "[[classification]]\nid = \"{id}\"\neccn = \"{}\"\ntitle = \"t\"\nsource = \"synthetic\"\nfrom = 2000-01-01\nkinds = [\"integrated_circuit\"]\nwhen = '{when}'\n\n",
            &id[..7]
        );
    }
    let countries = Country::all();
    for i in 0..n.saturating_sub(4) {
        let month = i % 360;
        let (y, m) = (2000 + month / 12, month % 12 + 1);
        let dest = if i % 100 == 0 {
            "{ groups = [\"D:5\"] }".to_string()
        } else {
            format!("{{ countries = [\"{}\"] }}", countries[(i * 7) % countries.len()])
        };
        let when = if i % 3 == 0 { format!("when = \"tpp >= {}\"\n", 1000 + i % 5000) } else { String::new() };
        rules += &format!(
            "[[license_requirement]]\nid = \"SYN.{i}\"\ntitle = \"t\"\nreason = \"RS\"\nsource = \"synthetic\"\nfrom = {y:04}-{m:02}-01\nuntil = {:04}-{m:02}-01\nitems = [\"{}\"]\ndestinations = {dest}\n{when}\n",
            y + 1,
            if i % 2 == 0 { "3A090.a" } else { "3A090" }
        );
    }
    vec![
        SourceFile::new("pack.toml", pack),
        SourceFile::new("country-groups.toml", groups),
        SourceFile::new("rules.toml", rules),
    ]
}

fn scaling(c: &mut Criterion) {
    let catalog = Catalog::shipped().unwrap();
    let products: Vec<_> =
        ["nvidia-h100-sxm5-80gb", "nvidia-h20", "amd-mi308x"].iter().filter_map(|id| catalog.get(id)).collect();
    let dates: Vec<Date> = ["2008-03-15", "2016-07-01", "2024-06-01"].iter().map(|d| d.parse().unwrap()).collect();
    let queries: Vec<FastQuery> = ["CN", "FR", "AE", "IN", "MO", "BR"]
        .iter()
        .flat_map(|to| dates.iter().map(move |on| FastQuery::export_to(to.parse().unwrap(), *on)))
        .collect();
    let mut g = c.benchmark_group("scaling");
    g.throughput(Throughput::Elements((products.len() * queries.len()) as u64));
    for n in [10, 100, 1_000, 10_000] {
        let rules = compile(&synthetic_pack(n)).unwrap_or_else(|e| panic!("{e}"));
        let total = rules.classifications().len()
            + rules.requirements().len()
            + rules.exceptions().len()
            + rules.exclusions().len();
        assert_eq!(total, n);
        let pack = CompiledPack::new(rules);
        let mut scratch = Scratch::default();
        g.bench_with_input(BenchmarkId::new("decide", n), &n, |b, _| {
            b.iter(|| {
                for p in &products {
                    for q in &queries {
                        black_box(pack.decide(p, q, &mut scratch).unwrap());
                    }
                }
            })
        });
        let classified: Vec<_> = products.iter().map(|p| pack.classify_product((*p).clone())).collect();
        g.bench_with_input(BenchmarkId::new("decide_classified", n), &n, |b, _| {
            b.iter(|| {
                for p in &classified {
                    for q in &queries {
                        black_box(pack.decide_classified(p, q, &mut scratch).unwrap());
                    }
                }
            })
        });
    }
    g.finish();
}

fn suggest(c: &mut Criterion) {
    let catalog = Catalog::shipped().unwrap();
    let huge = "n".repeat(200_000);
    let mut g = c.benchmark_group("suggest");
    g.bench_function("typo", |b| b.iter(|| catalog.suggest(black_box("nvidia-h2O"))));
    g.bench_function("200k-character id", |b| b.iter(|| catalog.suggest(black_box(&huge))));
    g.finish();
}

criterion_group!(benches, determination, batch, load, scaling, suggest);
criterion_main!(benches);
