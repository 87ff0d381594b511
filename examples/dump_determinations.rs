//! Prints one line per determination (and per classification) with a hash of every form it is
//! shown in, for byte-identity checks between two builds:
//! `cargo run --release --example dump_determinations > dump.tsv`, then `diff` two dumps.
//! `dump_determinations show KEY` prints the outputs of one line in full. Forms: JSON with and
//! without the trace, `explain(true)`, `explain(false)`, `explain_decisive`, and the fast path
//! (`decide` with its paragraphs and requirements, `decide_classified`); for each product and
//! date, `classify` with and without the trace.

use std::fmt::Write as _;

use export_controls::model::{Country, Party, Role};
use export_controls::rule_tests::{parse_test_files, shipped_test_files, split_sheets};
use export_controls::{Catalog, CompiledPack, Date, FastQuery, Options, Query, RuleSet, Scratch};
use sha2::{Digest, Sha256};

fn h(s: &str) -> String {
    let d = Sha256::digest(s.as_bytes());
    d[..8].iter().fold(String::new(), |mut a, b| {
        let _ = write!(a, "{b:02x}");
        a
    })
}

fn profiles(to: Country, list_party: bool) -> Vec<Vec<Party>> {
    let cn: Country = "CN".parse().unwrap();
    let mut out = vec![Vec::new()];
    let mut local = Party::new(Role::UltimateConsignee);
    local.name = Some("Local Co".into());
    local.country = Some(to);
    local.headquarters = Some(to);
    local.parent_headquarters = Some(to);
    out.push(vec![local.clone()]);
    let mut parent = local.clone();
    parent.parent_headquarters = Some(cn);
    let mut eu = Party::new(Role::EndUser);
    eu.name = Some("End User Ltd".into());
    eu.country = Some(to);
    out.push(vec![parent, eu.clone()]);
    let mut nocountry = Party::new(Role::EndUser);
    nocountry.name = Some("Somebody".into());
    out.push(vec![local.clone(), nocountry]);
    if list_party {
        let mut listed = Party::new(Role::EndUser);
        listed.name = Some("Huawei Technologies Co., Ltd.".into());
        listed.country = Some(cn);
        out.push(vec![local, listed]);
    }
    out
}

fn main() {
    let show = std::env::args().nth(1).filter(|a| a == "show").and(std::env::args().nth(2));
    let pack = CompiledPack::new(RuleSet::shipped().unwrap());
    let rules = pack.rules();
    let catalog = Catalog::shipped().unwrap();
    let mut scratch = Scratch::default();
    let mut emit = |key: String, outputs: Vec<String>| {
        if let Some(k) = &show {
            if *k == key {
                for o in &outputs {
                    println!("{o}\n-----");
                }
            }
            return;
        }
        let hashes: Vec<String> = outputs.iter().map(|o| h(o)).collect();
        println!("{key}\t{}", hashes.join(" "));
    };
    let mut run = |key: String,
                   product: &export_controls::PreparedProduct,
                   q: &Query,
                   emit: &mut dyn FnMut(String, Vec<String>)| {
        let mut outs = Vec::new();
        for trace in [false, true] {
            match rules.evaluate(product, q, Options { trace }) {
                Ok(d) => {
                    outs.push(serde_json::to_string_pretty(&d).unwrap());
                    if trace {
                        outs.push(d.explain(true));
                        outs.push(d.explain(false));
                        outs.push(d.explain_decisive());
                    }
                }
                Err(e) => outs.push(format!("error {e:?}")),
            }
        }
        let parties = pack.prepare_parties(&q.parties);
        let fq = FastQuery::of(q, &parties);
        let fast = pack.decide(product, &fq, &mut scratch);
        let mut f = format!("{fast:?}");
        if fast.is_ok() {
            let _ = write!(
                f,
                " {:?} {:?} {:?}",
                scratch.paragraphs(&pack).collect::<Vec<_>>(),
                scratch.undetermined_paragraphs(&pack).collect::<Vec<_>>(),
                scratch.requirements(&pack).collect::<Vec<_>>()
            );
        }
        let classified = pack.classify_product(product.clone());
        let _ = write!(f, " | {:?}", pack.decide_classified(&classified, &fq, &mut scratch));
        outs.push(f);
        emit(key, outs);
    };
    let dates: Vec<Date> = [
        "2022-10-07",
        "2022-10-21",
        "2023-04-04",
        "2023-11-17",
        "2024-04-04",
        "2024-06-01",
        "2024-12-02",
        "2025-01-15",
        "2025-02-01",
        "2025-05-13",
        "2026-01-15",
        "2026-07-10",
        "2026-08-01",
    ]
    .iter()
    .map(|d| d.parse().unwrap())
    .collect();
    let key: Vec<Country> =
        ["CN", "HK", "MO", "RU", "IR", "AE", "SA", "IN", "FR", "MY", "VN", "KP", "CU", "IL", "SG", "TW", "GB", "BY"]
            .iter()
            .map(|c| c.parse().unwrap())
            .collect();
    let sg: Country = "SG".parse().unwrap();
    for product in catalog.iter() {
        for &on in &dates {
            let c = rules.classify(product, on, Options { trace: true });
            let c2 = rules.classify(product, on, Options { trace: false });
            emit(
                format!("classify {} {on}", product.product().id),
                vec![
                    c.as_ref().map(|c| serde_json::to_string_pretty(c).unwrap()).unwrap_or_else(|e| format!("{e:?}")),
                    c2.as_ref().map(|c| serde_json::to_string_pretty(c).unwrap()).unwrap_or_else(|e| format!("{e:?}")),
                ],
            );
            for &to in &key {
                for (i, parties) in profiles(to, on.to_string().as_str() >= "2024-01-01").into_iter().enumerate() {
                    let q = Query::export_to(to, on).with_parties(parties);
                    run(format!("{} {to} {on} p{i}", product.product().id), product, &q, &mut emit);
                }
                if on.to_string() == "2025-05-13" {
                    let q = Query::export_to(to, on).exported_from(sg);
                    run(format!("{} {to} {on} from SG", product.product().id), product, &q, &mut emit);
                }
            }
        }
    }
    let (files, sheets) = split_sheets(shipped_test_files());
    let catalog = catalog.with_sheets(&sheets).unwrap();
    let cases = parse_test_files(&files, &catalog, rules).unwrap();
    for case in &cases {
        let product = catalog.get(&case.product).unwrap();
        run(format!("case {}", case.name), product, &case.query, &mut emit);
    }
}
