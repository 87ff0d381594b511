//! Decides H100 → China on 2024-06-01 in a loop, for profiling the fast path by hand
//! (`perf record` or `valgrind --tool=callgrind`): `cargo run --release --example decide_loop -- 1000000 [classified|evaluate|trace|record|record-off|json|clone|clone-off]`.
//!
//! `record` (`record-off`) makes the explained determination with (without) its trace as
//! recorded (`RuleSet::explain`, reading the verdict, no text written); `json` makes it and
//! serialises it to JSON (the text written: what showing or storing it costs); `trace` and
//! `evaluate` make the owned `Determination` (`RuleSet::evaluate`).
//!
//! `clone` (`clone-off`) clones and drops the explained determination with (without) its trace,
//! made once: the cost of its owned strings and vectors alone, a floor for making one.

use export_controls::{Catalog, CompiledPack, FastQuery, RuleSet, Scratch};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: usize = std::env::args().nth(1).map_or(Ok(1_000_000), |s| s.parse())?;
    let pack = CompiledPack::new(RuleSet::shipped()?);
    let catalog = Catalog::shipped()?;
    let h100 = catalog.get("nvidia-h100-sxm5-80gb").ok_or("no H100 in the catalog")?;
    let q = FastQuery::export_to("CN".parse()?, "2024-06-01".parse()?);
    let classified = pack.classify_product(h100.clone());
    let mut scratch = Scratch::default();
    let mut required = 0usize;
    let start = std::time::Instant::now();
    let mode = std::env::args().nth(2).unwrap_or_default();
    let cached = mode == "classified";
    if mode == "clone" || mode == "clone-off" {
        let q = export_controls::Query {
            exported_from: q.exported_from,
            ..export_controls::Query::export_to(q.destination, q.date)
        };
        let d = pack.rules().evaluate(h100, &q, export_controls::Options { trace: mode == "clone" })?;
        for _ in 0..n {
            let c = std::hint::black_box(&d).clone();
            required += usize::from(std::hint::black_box(c).verdict == export_controls::Verdict::LicenseRequired);
        }
        let per = start.elapsed().as_nanos() as f64 / n as f64;
        println!("{n} clones of a determination ({mode}), {required} licence required, {per:.0} ns each");
        return Ok(());
    }
    if mode == "record" || mode == "record-off" || mode == "json" {
        let q = export_controls::Query {
            exported_from: q.exported_from,
            ..export_controls::Query::export_to(q.destination, q.date)
        };
        let opts = export_controls::Options { trace: mode != "record-off" };
        let mut out = Vec::new();
        for _ in 0..n {
            let v = pack.rules().explain(std::hint::black_box(h100), std::hint::black_box(&q), opts, |e| {
                if mode == "json" {
                    out.clear();
                    serde_json::to_writer(&mut out, e).map(|()| e.verdict())
                } else {
                    Ok(e.verdict())
                }
            })??;
            required += usize::from(v == export_controls::Verdict::LicenseRequired);
        }
        let per = start.elapsed().as_nanos() as f64 / n as f64;
        println!("{n} explained determinations ({mode}), {required} licence required, {per:.0} ns each");
        return Ok(());
    }
    if mode == "evaluate" || mode == "trace" {
        let q = export_controls::Query {
            exported_from: q.exported_from,
            ..export_controls::Query::export_to(q.destination, q.date)
        };
        let opts = export_controls::Options { trace: mode == "trace" };
        for _ in 0..n {
            let d = pack.rules().evaluate(std::hint::black_box(h100), std::hint::black_box(&q), opts)?;
            required += usize::from(d.verdict == export_controls::Verdict::LicenseRequired);
        }
        let per = start.elapsed().as_nanos() as f64 / n as f64;
        println!("{n} determinations ({mode}), {required} licence required, {per:.0} ns each");
        return Ok(());
    }
    for _ in 0..n {
        let d = if cached {
            pack.decide_classified(std::hint::black_box(&classified), std::hint::black_box(&q), &mut scratch)?
        } else {
            pack.decide(std::hint::black_box(h100), std::hint::black_box(&q), &mut scratch)?
        };
        required += usize::from(d.verdict == export_controls::Verdict::LicenseRequired);
    }
    let per = start.elapsed().as_nanos() as f64 / n as f64;
    println!("{n} decisions, {required} licence required, {per:.0} ns each");
    Ok(())
}
