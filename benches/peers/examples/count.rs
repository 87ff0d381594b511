//! Decides every case of the peer benchmark once with one implementation, inside a function
//! named `measured`, so that `valgrind --tool=callgrind --toggle-collect='*measured*'` counts the
//! instructions of the decisions alone (setup excluded). Run by `benches/peers/callgrind.sh`.
//!
//!   cargo run --release -p peers --example count -- <implementation>
//!   cargo run --release -p peers --example count -- --list
//!
//! Prints `<implementation>\t<decisions>` on stdout (`--list`: the implementations, one a line).

use std::hint::black_box;

use export_controls::FastQuery;
use peers::cedar::Cedar;
use peers::engine::Engine;
use peers::hand::hand_decide;
use peers::inputs::{self, PeerMetrics};
use peers::zen::Zen;

/// The implementations, as named in the criterion group `peers`.
const IMPLEMENTATIONS: [&str; 6] = [
    "export-controls",
    "export-controls, classified",
    "export-controls, full determination",
    "hand-written",
    "cedar-policy",
    "zen-engine",
];

/// The instructions counted are those executed inside this function (and its callees).
#[inline(never)]
fn measured(f: &mut dyn FnMut() -> usize) -> usize {
    f()
}

fn main() {
    let which = std::env::args().nth(1).unwrap_or_else(|| panic!("usage: count <implementation> | --list"));
    if which == "--list" {
        IMPLEMENTATIONS.iter().for_each(|i| println!("{i}"));
        return;
    }
    let engine = Engine::new(inputs::pack());
    let catalog = inputs::catalog();
    let destinations = inputs::destinations();
    let metrics: Vec<PeerMetrics> = catalog.iter().map(PeerMetrics::of).collect();
    let classified: Vec<_> = catalog.iter().map(|p| engine.classify(p)).collect();
    let mut cases = Vec::new();
    for i in 0..catalog.len() {
        for &d in &destinations {
            let q = inputs::query(d);
            let fq = FastQuery::new(q.destination, q.exported_from, q.date);
            cases.push((i, d, q, fq));
        }
    }
    let n = match which.as_str() {
        "export-controls" => measured(&mut || {
            for (i, _, _, fq) in &cases {
                black_box(engine.decide(black_box(&catalog[*i]), black_box(fq)));
            }
            cases.len()
        }),
        "export-controls, classified" => measured(&mut || {
            for (i, _, _, fq) in &cases {
                black_box(engine.decide_classified(black_box(&classified[*i]), black_box(fq)));
            }
            cases.len()
        }),
        "export-controls, full determination" => measured(&mut || {
            for (i, _, q, _) in &cases {
                black_box(engine.evaluate(black_box(&catalog[*i]), black_box(q)));
            }
            cases.len()
        }),
        "hand-written" => measured(&mut || {
            for (i, d, _, _) in &cases {
                black_box(hand_decide(black_box(&catalog[*i]), black_box(*d)));
            }
            cases.len()
        }),
        "cedar-policy" => {
            let cedar = Cedar::new(&metrics, &destinations);
            let requests: Vec<_> = cases.iter().map(|(i, d, _, _)| cedar.request(&metrics[*i], *d)).collect();
            measured(&mut || {
                for r in &requests {
                    black_box(cedar.decide(black_box(r)));
                }
                requests.len()
            })
        }
        "zen-engine" => {
            let zen = Zen::new();
            let input: Vec<_> = cases.iter().map(|(i, d, _, _)| zen.input(&metrics[*i], *d)).collect();
            measured(&mut || {
                for v in &input {
                    black_box(zen.decide(black_box(v)));
                }
                input.len()
            })
        }
        other => panic!("unknown implementation {other}"),
    };
    println!("{which}\t{n}");
}
