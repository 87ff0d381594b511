//! Peer 2: zen-engine. One decision table (hit policy `collect`) with one row per output and
//! bound (see [`crate::formula`]): the row's `when` cell is a ZEN expression over the input,
//! its `id` output names the output (`c0`..`c5`, `p0`..`p5`, `cl`, `pl` as in [`crate::cedar`]).
//! The input object carries the product's kind and the figures of each unit it is tested as
//! (`units`: itself, or for a computer each IC it contains, tested with `some(units, …)`;
//! `null` when unknown; numbers are decimals, as ZEN's are) and the destination's groups on the
//! date (`groups`); it is built on every call, from the figures prepared once per product and
//! the groups looked up by date. The
//! decision is created and compiled once; evaluation is async and driven by
//! `futures_executor::block_on` (it never waits).
//!
//! [`Rules::Classified`]: the input carries the product's precomputed paragraph bounds
//! (`c0`..`p5`, and `lc`/`lp` for the item) instead of its figures, and the rows test them and
//! the destination, like the engine's `decide_classified`.

use serde_json::{Value, json};
use zen_engine::Variable;
use zen_engine::model::DecisionContent;
use zen_engine::{Decision, DecisionEngine};

use crate::answer::Answer;
use crate::formula::{self, Bound, Classified};
use crate::inputs::{Groups, PeerMetrics, decimal4};
use export_controls::{Country, Date};

/// Which decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rules {
    /// The rules over the product's figures.
    Full,
    /// The rules over the product's bounds, classified once.
    Classified,
}

/// The decision model (JDM graph: input → decision table → output) as JSON.
pub fn decision_json(which: Rules) -> Value {
    let mut rules = Vec::new();
    let mut row = |id: String, when: String| {
        rules.push(json!({ "_id": id, "when": when, "id": format!("\"{id}\"") }));
    };
    match which {
        Rules::Full => formula::outputs().into_iter().for_each(|(id, f, b)| row(id, formula::zen(&f, b))),
        Rules::Classified => {
            formula::classified_outputs().into_iter().for_each(|(id, f)| row(id, formula::zen(&f, Bound::Certain)))
        }
    }
    json!({
        "nodes": [
            { "id": "in", "name": "request", "type": "inputNode", "content": {} },
            { "id": "dt", "name": "3A090 2023 and 742.6(a)(6)(iii)", "type": "decisionTableNode", "content": {
                "hitPolicy": "collect",
                "inputs": [ { "id": "when", "name": "Condition" } ],
                "outputs": [ { "id": "id", "name": "Output", "field": "id" } ],
                "rules": rules
            } },
            { "id": "out", "name": "response", "type": "outputNode", "content": {} }
        ],
        "edges": [
            { "id": "e1", "sourceId": "in", "targetId": "dt" },
            { "id": "e2", "sourceId": "dt", "targetId": "out" }
        ]
    })
}

/// The compiled decision, with what it is given of each product.
pub struct Zen {
    decision: Decision,
    groups: Groups,
    products: Products,
}

enum Products {
    Figures(Vec<PeerMetrics>),
    Classified(Vec<Classified>),
}

impl Zen {
    /// Creates and compiles the decision once; prepares the products.
    pub fn new(which: Rules, products: &[PeerMetrics]) -> Zen {
        let content: DecisionContent =
            serde_json::from_value(decision_json(which)).unwrap_or_else(|e| panic!("zen decision model: {e}"));
        let engine = DecisionEngine::default();
        let mut decision = engine.create_decision(content.into()).unwrap_or_else(|e| panic!("zen decision: {e}"));
        decision.compile();
        let products = match which {
            Rules::Full => Products::Figures(products.to_vec()),
            Rules::Classified => Products::Classified(products.iter().map(Classified::of).collect()),
        };
        Zen { decision, groups: Groups::new(), products }
    }

    /// The input object of one product (its index in the products given to [`Zen::new`]),
    /// destination and date. Numbers go in as decimals (ZEN's numbers are `rust_decimal`), never
    /// through `f64`.
    #[inline]
    pub fn input(&self, product: usize, destination: Country, date: Date) -> Variable {
        let groups = Groups::names(self.groups.bits(destination, date))
            .map(|g| Variable::String(Variable::key(g)))
            .collect::<Vec<_>>();
        let groups = (Variable::key("groups"), Variable::from_array(groups));
        match &self.products {
            Products::Figures(all) => {
                let p = &all[product];
                let num = |x: Option<i64>| x.map_or(Variable::Null, |v| Variable::Number(decimal4(v)));
                let units = p
                    .units
                    .iter()
                    .map(|u| {
                        Variable::from_object(
                            [
                                (Variable::key("tpp"), num(u.tpp)),
                                (Variable::key("performance_density"), num(u.performance_density)),
                                (Variable::key("datacenter"), u.datacenter.map_or(Variable::Null, Variable::Bool)),
                            ]
                            .into_iter()
                            .collect(),
                        )
                    })
                    .collect::<Vec<_>>();
                Variable::from_object(
                    [
                        (Variable::key("kind"), Variable::String(Variable::key(p.kind.as_str()))),
                        (Variable::key("units"), Variable::from_array(units)),
                        groups,
                    ]
                    .into_iter()
                    .collect(),
                )
            }
            Products::Classified(all) => Variable::from_object(
                Classified::FACTS
                    .iter()
                    .zip(all[product].facts())
                    .map(|(name, value)| (Variable::key(name), Variable::Bool(value)))
                    .chain([groups])
                    .collect(),
            ),
        }
    }

    /// One determination: build the input, evaluate the decision, then read the ids of the
    /// rows that matched.
    #[inline]
    pub fn decide(&self, product: usize, destination: Country, date: Date) -> Answer {
        let input = self.input(product, destination, date);
        let response = futures_executor::block_on(self.decision.evaluate(input))
            .unwrap_or_else(|e| panic!("zen evaluation error: {e}"));
        let (mut certain, mut possible, mut lc, mut lp) = (0u8, 0u8, false, false);
        let rows = response.result.as_array().unwrap_or_else(|| panic!("zen result is not an array"));
        for row in rows.borrow().iter() {
            let id = row.dot("id").unwrap_or_else(|| panic!("zen row without id"));
            match id.as_str().map(str::as_bytes) {
                Some([b'c', b'l']) => lc = true,
                Some([b'p', b'l']) => lp = true,
                Some([b'c', d]) => certain |= 1 << (d - b'0'),
                Some([b'p', d]) => possible |= 1 << (d - b'0'),
                _ => panic!("unexpected zen output {id}"),
            }
        }
        Answer::from_bounds(certain, possible, lc, lp)
    }
}
