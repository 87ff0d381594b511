//! Writes BENCHMARKS.md (to stdout) from criterion's results in `target/criterion`: the `peers`
//! group as a table of time per determination with the ratios and targets of issue 6, any other
//! criterion bench found (e.g. the root crate's `cargo bench --bench evaluate`), and the machine.
//! Run by `benches/peers/report.sh` (`cargo run --release -p peers --example report`).

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

struct Bench {
    group: String,
    function: String,
    full_id: String,
    /// Elements per iteration (criterion throughput), 1 when none.
    elements: f64,
    /// ns per iteration: point estimate, lower and upper bound (95%).
    ns: (f64, f64, f64),
}

fn read_json(p: &Path) -> Option<Value> {
    serde_json::from_str(&std::fs::read_to_string(p).ok()?).ok()
}

fn collect(dir: &Path, out: &mut Vec<Bench>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if !p.is_dir() {
            continue;
        }
        if p.file_name().is_some_and(|n| n == "new") {
            let (Some(b), Some(est)) = (read_json(&p.join("benchmark.json")), read_json(&p.join("estimates.json")))
            else {
                continue;
            };
            // Criterion's headline: the slope with linear sampling, else the mean.
            let e = if est["slope"].is_object() { &est["slope"] } else { &est["mean"] };
            let f = |v: &Value| v.as_f64().unwrap_or(f64::NAN);
            let ci = &e["confidence_interval"];
            let elements = b["throughput"]["Elements"].as_f64().or_else(|| b["throughput"]["Bytes"].as_f64());
            out.push(Bench {
                group: b["group_id"].as_str().unwrap_or("").to_string(),
                function: b["function_id"].as_str().unwrap_or("").to_string(),
                full_id: b["full_id"].as_str().unwrap_or("").to_string(),
                elements: elements.unwrap_or(1.0),
                ns: (f(&e["point_estimate"]), f(&ci["lower_bound"]), f(&ci["upper_bound"])),
            });
        } else if p.file_name().is_some_and(|n| n != "base" && n != "change" && n != "report") {
            collect(&p, out);
        }
    }
}

fn sh(cmd: &str, args: &[&str]) -> String {
    Command::new(cmd)
        .args(args)
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|| format!("({cmd} not available)"))
}

fn fmt_ns(ns: f64) -> String {
    if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.2} µs", ns / 1e3)
    } else {
        format!("{ns:.1} ns")
    }
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root.join("target"));
    let mut benches = Vec::new();
    collect(&target.join("criterion"), &mut benches);
    benches.sort_by(|a, b| a.full_id.cmp(&b.full_id));

    let per = |name: &str| {
        benches
            .iter()
            .find(|b| b.group == "peers" && b.function == name)
            .map(|b| (b.ns.0 / b.elements, b.ns.1 / b.elements, b.ns.2 / b.elements, b.elements))
    };
    let date = sh("date", &["-u", "+%Y-%m-%d %H:%M UTC"]);
    let mut md = String::new();
    md.push_str("# Benchmarks\n\n");
    md.push_str(&format!(
        "Written by `benches/peers/report.sh` on {date} from criterion's results in `target/criterion`.\n\n"
    ));
    md.push_str("## Peers: export-controls vs cedar-policy, zen-engine and hand-written Rust (issue 6, item 4)\n\n");
    md.push_str(
        "The same rules in four implementations: ECCN 3A090.a.1/.a.2/.b.1/.b.2 with Note 2 and 4A090.a/.b \
         (October 2023 text) and the 742.6(a)(6)(iii) licence requirement for D:1, D:4 and D:5 destinations not \
         in A:5 or A:6, as of 2024-06-01 (`benches/peers/pack/`, `benches/peers/src/`). One determination = one \
         product of the catalog (`rules/products`) to one ISO country; each iteration decides the whole catalog × \
         every country but the US once, and the time is divided by the number of determinations. Before timing, \
         all four are checked to give the same answer (paragraphs matched, paragraphs undetermined, licence \
         required / not / indeterminate) on every case (`cargo test -p peers` does the same with diagnostics). \
         Trace off. Inputs, rule packs, policy sets, entities and the compiled decision are built before timing.\n\n",
    );
    let engine = per("export-controls");
    match engine {
        None => md.push_str("(no results for the `peers` group: run `benches/peers/report.sh`)\n\n"),
        Some((e, _, _, n)) => {
            md.push_str(&format!("{n} determinations per iteration.\n\n"));
            md.push_str("| implementation | time per determination (95% CI) | determinations/s | relative to export-controls |\n|---|---|---|---|\n");
            for name in [
                "export-controls",
                "export-controls, classified",
                "export-controls, full determination",
                "hand-written",
                "cedar-policy",
                "zen-engine",
            ] {
                if let Some((t, lo, hi, _)) = per(name) {
                    md.push_str(&format!(
                        "| {name} | {} ({} – {}) | {:.0} | {:.2}× |\n",
                        fmt_ns(t),
                        fmt_ns(lo),
                        fmt_ns(hi),
                        1e9 / t,
                        t / e
                    ));
                }
            }
            md.push_str("\nTargets (issue 6): per determination, trace off, export-controls ≥ 20× faster than both cedar-policy and zen-engine on the same rules and inputs, and within 3× of the hand-written function.\n\n");
            md.push_str("| ratio | measured | target | met |\n|---|---|---|---|\n");
            for variant in ["export-controls", "export-controls, classified"] {
                let Some((e, ..)) = per(variant) else { continue };
                for peer in ["cedar-policy", "zen-engine"] {
                    if let Some((t, ..)) = per(peer) {
                        let r = t / e;
                        md.push_str(&format!(
                            "| {peer} / {variant} | {r:.1}× | ≥ 20× | {} |\n",
                            if r >= 20.0 { "yes" } else { "no" }
                        ));
                    }
                }
                if let Some((h, ..)) = per("hand-written") {
                    let r = e / h;
                    md.push_str(&format!(
                        "| {variant} / hand-written | {r:.1}× | ≤ 3× | {} |\n",
                        if r <= 3.0 { "yes" } else { "no" }
                    ));
                }
            }
            md.push('\n');
        }
    }

    md.push_str("## Other engine benchmarks\n\n");
    let others: Vec<&Bench> = benches.iter().filter(|b| b.group != "peers").collect();
    if others.is_empty() {
        md.push_str(
            "(None found in `target/criterion`. Run `cargo bench` at the root (single determination trace on/off, \
             batch, load) and then `benches/peers/report.sh --report-only` to list them here; scaling benches to \
             be added.)\n\n",
        );
    } else {
        md.push_str("Every other criterion result found in `target/criterion` (e.g. `cargo bench` at the root).\n\n");
        md.push_str(
            "| bench | time per iteration (95% CI) | elements per iteration | time per element |\n|---|---|---|---|\n",
        );
        for b in others {
            md.push_str(&format!(
                "| {} | {} ({} – {}) | {} | {} |\n",
                b.full_id,
                fmt_ns(b.ns.0),
                fmt_ns(b.ns.1),
                fmt_ns(b.ns.2),
                b.elements,
                fmt_ns(b.ns.0 / b.elements)
            ));
        }
        md.push('\n');
    }

    // The other targets of issue 6, from the root crate's benches.
    let time = |id: &str| benches.iter().find(|b| b.full_id == id).map(|b| b.ns.0 / b.elements);
    let mut rows = Vec::new();
    let mut row =
        |what: &str, measured: Option<f64>, shown: &dyn Fn(f64) -> String, target: &str, ok: &dyn Fn(f64) -> bool| {
            if let Some(m) = measured {
                rows.push(format!("| {what} | {} | {target} | {} |\n", shown(m), if ok(m) { "yes" } else { "no" }));
            }
        };
    let ns = |t: f64| fmt_ns(t);
    let per_s = |t: f64| format!("{:.2} M/s", 1e3 / t);
    row(
        "one determination, trace off: `decide` (full shipped pack)",
        time("determination/decide, fast path"),
        &ns,
        "≤ 300 ns",
        &|t| t <= 300.0,
    );
    row(
        "one determination, trace off: `decide_classified` (full shipped pack)",
        time("determination/decide_classified, fast path"),
        &ns,
        "≤ 300 ns",
        &|t| t <= 300.0,
    );
    row("one determination, trace on (`evaluate`)", time("determination/evaluate, trace on"), &ns, "≤ 3 µs", &|t| {
        t <= 3000.0
    });
    row(
        "batch, one thread, `decide`",
        time("batch/catalog x every country x 5 dates, one thread"),
        &per_s,
        "≥ 3 M/s per core",
        &|t| t <= 1e3 / 3.0,
    );
    row(
        "batch, one thread, `decide_classified`",
        time("batch/catalog x every country x 5 dates, classified, one thread"),
        &per_s,
        "≥ 3 M/s per core",
        &|t| t <= 1e3 / 3.0,
    );
    row(
        "load + check + compile of the shipped pack",
        time("load/load + check + compile shipped pack"),
        &ns,
        "≤ 5 ms",
        &|t| t <= 5e6,
    );
    for f in ["decide", "decide_classified"] {
        let (a, b) = (time(&format!("scaling/{f}/100")), time(&format!("scaling/{f}/10000")));
        let ratio = a.zip(b).map(|(a, b)| b / a);
        row(&format!("`{f}`: time at 10,000 rules / at 100 rules"), ratio, &|r| format!("{r:.2}×"), "≤ 2×", &|r| {
            r <= 2.0
        });
    }
    if !rows.is_empty() {
        md.push_str("## Targets of issue 6 (root benches)\n\n| what | measured | target | met |\n|---|---|---|---|\n");
        rows.iter().for_each(|r| md.push_str(r));
        md.push('\n');
    }
    let analysis = Path::new(env!("CARGO_MANIFEST_DIR")).join("analysis.md");
    if let Ok(text) = std::fs::read_to_string(&analysis) {
        md.push_str(&text);
        md.push('\n');
    }

    md.push_str("## Machine\n\n```\n");
    let lscpu = sh("lscpu", &[]);
    for line in lscpu.lines().filter(|l| {
        [
            "Architecture",
            "Model name",
            "CPU(s):",
            "Thread(s) per core",
            "Core(s) per",
            "CPU max MHz",
            "L2 cache",
            "L3 cache",
            "Hypervisor",
        ]
        .iter()
        .any(|k| l.trim_start().starts_with(k))
    }) {
        md.push_str(line.trim());
        md.push('\n');
    }
    md.push_str(&sh("uname", &["-a"]));
    md.push('\n');
    md.push_str(&sh("rustc", &["-V"]));
    md.push('\n');
    if let Ok(load) = std::fs::read_to_string(target.join("criterion").join("peers-loadavg.txt")) {
        md.push_str(&format!("load average when the peers bench started: {}\n", load.trim()));
    }
    if let Ok(load) = std::fs::read_to_string("/proc/loadavg") {
        md.push_str(&format!("load average when the report was written: {}\n", load.trim()));
    }
    md.push_str("```\n\nA load average above the CPU count means other processes shared the cores during the run: absolute times are then inflated, ratios less so (all four ran in the same process, one after the other).\n");
    print!("{md}");
}
