//! Writes BENCHMARKS.md (to stdout) from criterion's results in `target/criterion` and the
//! instruction counts of `benches/peers/callgrind.sh` (`target/criterion/peers-callgrind.tsv`):
//! the `peers` group as a table of time and instructions per determination with the ratios and
//! targets of issue 6 (decided by instruction counts when there are any), Cedar's fixed cost, any other
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

/// The rows of the peers table, in order.
const IMPLEMENTATIONS: [&str; 12] = [
    "export-controls",
    "export-controls, classified",
    "export-controls, full determination",
    "hand-written (i64)",
    "hand-written (i64), classified",
    "hand-written (engine's Decimal, Ratio)",
    "cedar-policy",
    "cedar-policy, classified",
    "cedar-policy, 1 empty policy",
    "cedar-policy, 14 empty policies",
    "zen-engine",
    "zen-engine, classified",
];

/// Instruction counts per decision written by `benches/peers/callgrind.sh`.
struct Counts {
    /// The comment line: how and under which load they were counted.
    header: Option<String>,
    rows: Vec<(String, f64)>,
}

impl Counts {
    fn read(path: &Path) -> Counts {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let header = text.lines().find_map(|l| l.strip_prefix("# ")).map(str::to_string);
        let rows = text
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let f: Vec<&str> = l.split('\t').collect();
                let (decisions, instructions) = (f.get(1)?.parse::<f64>().ok()?, f.get(2)?.parse::<f64>().ok()?);
                Some((f[0].to_string(), instructions / decisions))
            })
            .collect();
        Counts { header, rows }
    }

    fn per_decision(&self, name: &str) -> Option<f64> {
        self.rows.iter().find(|(n, _)| n == name).map(|(_, i)| *i)
    }
}

/// Where the service's load figures are (measured by hand, not written by this report).
const SERVICE: &str = "The HTTP service's figures (issue 13, point 6: `POST /v1/determinations` with its records, \
    `POST /v1/screen` in batches, the record store's growth per million determinations) are measured by hand \
    with `crates/service/bench/load.sh` and kept in [crates/service/BENCHMARKS.md](crates/service/BENCHMARKS.md), \
    which this report does not write.\n\n";

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
    let counts = Counts::read(&target.join("criterion").join("peers-callgrind.tsv"));
    let ir = |name: &str| counts.per_decision(name);
    let date = sh("date", &["-u", "+%Y-%m-%d %H:%M UTC"]);
    let mut md = String::new();
    md.push_str("# Benchmarks\n\n");
    md.push_str(&format!(
        "Written by `benches/peers/report.sh` on {date} from criterion's results in `target/criterion` and the \
         instruction counts of `benches/peers/callgrind.sh`.\n\n"
    ));
    md.push_str(SERVICE);
    md.push_str("## Peers: export-controls vs cedar-policy, zen-engine and hand-written Rust (issue 6, item 4; issue 10, item 7)\n\n");
    md.push_str(
        "The same rules in every implementation: ECCN 3A090.a.1/.a.2/.b.1/.b.2 with Note 2 and 4A090.a/.b \
         (October 2023 text) and the 742.6(a)(6)(iii) licence requirement for D:1, D:4 and D:5 destinations not \
         in A:5 or A:6 (`benches/peers/pack/`, `benches/peers/src/`). One determination = one product of the \
         catalog (`rules/products`) to one ISO country on one date; each iteration decides the whole catalog × \
         every country but the US × two dates (2024-06-01, and 2026-08-01, after the UAE left D:4 for A:5) once, \
         and the time is divided by the number of determinations. Before timing, all are checked to give the \
         same answer (paragraphs matched, paragraphs undetermined, licence required / not / indeterminate) on \
         every case; `cargo test -p peers` does the same with diagnostics, and also on synthetic products exactly \
         on each threshold and 10⁻⁵ under it. A computer or board is decided, in every implementation, \
         through the ICs it contains (`contains`), each on its own as the pack reads them: a 4A090 paragraph \
         holds when some IC meets the 3A090 parameters (Cedar: one request per distinct IC, the answers joined \
         by \"or\"; ZEN: `some(units, …)`; the hand-written functions: a loop). Trace off.\n\n\
         What is timed, for every implementation: building what it is given per call from the destination and \
         the date (the engine's `FastQuery`, Cedar's `Request` and the choice of the entity store of the date, \
         ZEN's input object with the destination's groups on the date) and deciding, then reading the answer \
         out of what it returns (the engine's paragraphs from its `Scratch`, Cedar's satisfied policy ids, ZEN's \
         matched rows). The hand-written functions take the destination and the date as they are and build \
         nothing: that favours them, as a limit should. Built once, before timing: \
         the rule pack, the policy sets, the entity stores, the compiled decision, and what each is given per \
         product: the engine's `PreparedProduct` (or `ClassifiedProduct` for the classified rows), the peers' \
         TPP and performance density (of the product, or of each IC a computer contains) scaled by 10⁴ to integers (exact for these thresholds: Cedar compares \
         `Long`s, not `decimal(\"…\")` literals it would parse on every request; ZEN gets them as decimals), \
         or, for the classified rows, every paragraph's bounds computed once (as Cedar entity attributes, ZEN \
         input fields, or the hand-written function's own classification), so that each classified row \
         compares like with like.\n\n",
    );
    let engine = per("export-controls");
    match engine {
        None => md.push_str("(no results for the `peers` group: run `benches/peers/report.sh`)\n\n"),
        Some((e, _, _, n)) => {
            let e_ir = ir("export-controls");
            md.push_str(&format!("{n} determinations per iteration.\n\n"));
            let missing: Vec<&str> =
                ["cedar-policy", "zen-engine"].into_iter().filter(|p| per(p).is_none() && ir(p).is_none()).collect();
            if !missing.is_empty() {
                md.push_str(&format!(
                    "Not measured in this run: {} (the package built without them, `report.sh --without-peers`); \
                     their last figures are in the analysis below.\n\n",
                    missing.join(", ")
                ));
            }
            md.push_str(
                "| implementation | time per determination (95% CI) | determinations/s | relative to export-controls | \
                 instructions per determination (callgrind) | relative to export-controls |\n|---|---|---|---|---|---|\n",
            );
            for name in IMPLEMENTATIONS {
                let t = per(name);
                let i = ir(name);
                if t.is_none() && i.is_none() {
                    continue;
                }
                let (time, rate, rel) = match t {
                    Some((t, lo, hi, _)) => (
                        format!("{} ({} – {})", fmt_ns(t), fmt_ns(lo), fmt_ns(hi)),
                        format!("{:.0}", 1e9 / t),
                        format!("{:.2}×", t / e),
                    ),
                    None => ("–".into(), "–".into(), "–".into()),
                };
                let (count, rel_count) = match (i, e_ir) {
                    (Some(i), Some(e)) => (format!("{i:.0}"), format!("{:.2}×", i / e)),
                    (Some(i), None) => (format!("{i:.0}"), "–".into()),
                    _ => ("–".into(), "–".into()),
                };
                md.push_str(&format!("| {name} | {time} | {rate} | {rel} | {count} | {rel_count} |\n"));
            }
            md.push_str(
                "\nTargets (issue 6): per determination, trace off, export-controls ≥ 20× faster than both \
                 cedar-policy and zen-engine on the same rules and inputs, and within 3× of the hand-written \
                 function. The hand-written baseline is the integer one (`hand-written (i64)`), the practical \
                 limit; each classified row is compared with the classified row of the other implementation. \
                 Whether a target is met is decided by the instruction counts when there are any (wall time on \
                 this shared machine moves by 10–30 % from run to run), else by wall time.\n\n",
            );
            md.push_str("| ratio | by wall time | by instructions | target | met |\n|---|---|---|---|---|\n");
            let ratios: [(&str, &str, f64, bool); 7] = [
                ("cedar-policy", "export-controls", 20.0, true),
                ("zen-engine", "export-controls", 20.0, true),
                ("export-controls", "hand-written (i64)", 3.0, false),
                ("cedar-policy, classified", "export-controls, classified", 20.0, true),
                ("zen-engine, classified", "export-controls, classified", 20.0, true),
                ("export-controls, classified", "hand-written (i64), classified", 3.0, false),
                ("export-controls", "hand-written (engine's Decimal, Ratio)", f64::NAN, false),
            ];
            for (a, b, target, at_least) in ratios {
                let wall = per(a).zip(per(b)).map(|(a, b)| a.0 / b.0);
                let count = ir(a).zip(ir(b)).map(|(a, b)| a / b);
                let Some(decisive) = count.or(wall) else { continue };
                let shown = |r: Option<f64>| r.map_or("–".to_string(), |r| format!("{r:.2}×"));
                let (target_text, met) = if target.is_nan() {
                    ("(none: the former baseline)".to_string(), "–")
                } else if at_least {
                    (format!("≥ {target}×"), if decisive >= target { "yes" } else { "no" })
                } else {
                    (format!("≤ {target}×"), if decisive <= target { "yes" } else { "no" })
                };
                md.push_str(&format!("| {a} / {b} | {} | {} | {target_text} | {met} |\n", shown(wall), shown(count)));
            }
            md.push('\n');
            // Cedar's fixed cost: a request with 1 policy `when { true }`, and each further one.
            let one = (per("cedar-policy, 1 empty policy"), ir("cedar-policy, 1 empty policy"));
            let many = (per("cedar-policy, 14 empty policies"), ir("cedar-policy, 14 empty policies"));
            let full = (per("cedar-policy"), ir("cedar-policy"));
            let per_policy_ns = one.0.zip(many.0).map(|(a, b)| (b.0 - a.0) / 13.0);
            let per_policy_ir = one.1.zip(many.1).map(|(a, b)| (b - a) / 13.0);
            if per_policy_ns.is_some() || per_policy_ir.is_some() {
                let ns = |t: Option<f64>| t.map_or("–".to_string(), fmt_ns);
                let count = |i: Option<f64>| i.map_or("–".to_string(), |i| format!("{i:.0} instructions"));
                md.push_str(&format!(
                    "Cedar's fixed cost, measured with policies `when {{ true }}` under the same scope as the rules' \
                     (`cedar-policy, 1 empty policy` and `…, 14 empty policies`): {} ({}) per request with one \
                     policy, and {} ({}) for each further policy. The two-bound encoding of three-valued answers \
                     needs 14 policies, so {} ({}) of Cedar's {} ({}) per determination is this fixed cost, \
                     whatever the rules.\n\n",
                    ns(one.0.map(|t| t.0)),
                    count(one.1),
                    ns(per_policy_ns),
                    count(per_policy_ir),
                    ns(many.0.map(|t| t.0)),
                    count(many.1),
                    ns(full.0.map(|t| t.0)),
                    count(full.1),
                ));
            }
            if let Some(header) = &counts.header {
                md.push_str(&format!("Instruction counts: {header}.\n\n"));
            }
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
    md.push_str(&issue_10_targets(&time, &target.join("criterion").join("determination-callgrind.tsv")));
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
    if let Ok(load) = std::fs::read_to_string(target.join("criterion").join("peers-loadavg-end.txt")) {
        md.push_str(&format!("load average when the peers bench ended:   {}\n", load.trim()));
    }
    if let Ok(load) = std::fs::read_to_string(target.join("criterion").join("engine-loadavg.txt")) {
        md.push_str(&format!("load average when the root benches started: {}\n", load.trim()));
    }
    if let Ok(load) = std::fs::read_to_string(target.join("criterion").join("engine-loadavg-end.txt")) {
        md.push_str(&format!("load average when the root benches ended:   {}\n", load.trim()));
    }
    if let Ok(load) = std::fs::read_to_string("/proc/loadavg") {
        md.push_str(&format!("load average when the report was written: {}\n", load.trim()));
    }
    md.push_str("```\n\nA load average above the CPU count means other processes shared the cores during the run: absolute times are then inflated, ratios less so (all implementations ran in the same process, one after the other). Instruction counts do not depend on the load.\n");
    print!("{md}");
}

/// The targets of issue 10, item 2 on the root benches' single determination (H100 → CN on
/// 2024-06-01, shipped pack), with the instruction counts of
/// `benches/peers/callgrind-determination.sh` (`determination-callgrind.tsv`). Absolute times
/// are decided by wall time (the instructions explain them); the ratio of an explained
/// determination to a fast-path decision by the instruction counts when there are any.
fn issue_10_targets(time: &dyn Fn(&str) -> Option<f64>, counts: &Path) -> String {
    let text = std::fs::read_to_string(counts).unwrap_or_default();
    let ir = |mode: &str| {
        text.lines().filter(|l| !l.starts_with('#')).find_map(|l| {
            l.split_once('\t').filter(|(m, _)| *m == mode).and_then(|(_, v)| v.trim().parse::<f64>().ok())
        })
    };
    let header = text.lines().find_map(|l| l.strip_prefix("# ")).map(str::to_string);
    let decide = time("determination/decide, fast path");
    let classified = time("determination/decide_classified, fast path");
    let off = time("determination/evaluate, trace off");
    let on = time("determination/evaluate, trace on");
    let recorded = time("determination/explain, trace on, recorded");
    let json = time("determination/explain, trace on, written as JSON");
    if decide.is_none() && ir("decide").is_none() {
        return String::new();
    }
    let wall = |t: Option<f64>| t.map_or("–".to_string(), fmt_ns);
    let count = |m: &str| ir(m).map_or("–".to_string(), |i| format!("{i:.0}"));
    let met = |ok: Option<bool>| match ok {
        Some(true) => "yes",
        Some(false) => "no",
        None => "–",
    };
    let mut md = String::from(
        "## Targets of issue 10, item 2 (root benches: H100 → CN on 2024-06-01, shipped pack)\n\n\
         Absolute times are decided by wall time (criterion, `cargo bench --bench evaluate`); the instructions \
         (callgrind, `benches/peers/callgrind-determination.sh`) say where they go and decide the ratio. \
         The explained determination is made as recorded (`RuleSet::explain`: rule indexes, truths, comparisons and \
         reasons, no text written); writing it out costs more, and is shown apart: as JSON, and as the owned \
         `Determination` of `RuleSet::evaluate`.\n\n\
         | what | wall | instructions | target | met |\n|---|---|---|---|---|\n",
    );
    for (what, t, mode, limit) in [
        ("`CompiledPack::decide`", decide, "decide", 150.0),
        ("`decide_classified`", classified, "classified", 100.0),
        ("explained determination, trace on, as recorded (`RuleSet::explain`)", recorded, "record", 3000.0),
    ] {
        md.push_str(&format!(
            "| {what} | {} | {} | ≤ {} | {} |\n",
            wall(t),
            count(mode),
            fmt_ns(limit),
            met(t.map(|t| t <= limit))
        ));
    }
    let ratio_ir = ir("record").zip(ir("decide")).map(|(a, b)| a / b);
    let ratio_wall = recorded.zip(decide).map(|(a, b)| a / b);
    let shown = |r: Option<f64>| r.map_or("–".to_string(), |r| format!("{r:.2}×"));
    md.push_str(&format!(
        "| explained determination / `decide` | {} | {} | ≤ 10× | {} |\n",
        shown(ratio_wall),
        shown(ratio_ir),
        met(ratio_ir.or(ratio_wall).map(|r| r <= 10.0))
    ));
    md.push_str(&format!(
        "| (for reference) explained determination, trace on, recorded then written as JSON | {} | {} | – | – |\n",
        wall(json),
        count("json")
    ));
    md.push_str(&format!(
        "| (for reference) `RuleSet::evaluate` (the owned `Determination`), trace on / off | {} / {} | {} / {} | – | – |\n",
        wall(on),
        wall(off),
        count("trace"),
        count("evaluate")
    ));
    md.push_str(&format!(
        "| (for reference) cloning and dropping the determination made, trace on / off: its owned strings alone | – | {} / {} | – | – |\n",
        count("clone"),
        count("clone-off")
    ));
    md.push('\n');
    if let Some(h) = header {
        md.push_str(&format!("Instruction counts: {h}.\n\n"));
    }
    md
}
