//! Peer 2: zen-engine. One decision table (hit policy `collect`) with one row per output and
//! bound (see [`crate::formula`]): the row's `when` cell is a ZEN expression over the input,
//! its `id` output names the output (`c0`..`c5`, `p0`..`p5`, `cl`, `pl` as in [`crate::cedar`]).
//! The input object carries the prepared metrics (`null` when unknown) and the destination's
//! group memberships as of the as-of date (`groups`). The decision is created and compiled
//! once; evaluation is async and driven by `futures_executor::block_on` (it never waits).

use serde_json::{Value, json};
use zen_engine::Variable;
use zen_engine::model::DecisionContent;
use zen_engine::{Decision, DecisionEngine};

use crate::answer::Answer;
use crate::formula::{self, Bound};
use crate::inputs::{PeerMetrics, groups_of};
use export_controls::Country;

/// The decision model (JDM graph: input → decision table → output) as JSON.
pub fn decision_json() -> Value {
    let mut rules = Vec::new();
    let mut row = |id: String, f: &formula::F, b: Bound| {
        rules.push(json!({ "_id": id, "when": formula::zen(f, b), "id": format!("\"{id}\"") }));
    };
    for (i, p) in formula::paragraphs().iter().enumerate() {
        row(format!("c{i}"), p, Bound::Certain);
        row(format!("p{i}"), p, Bound::Possible);
    }
    let l = formula::licence();
    row("cl".into(), &l, Bound::Certain);
    row("pl".into(), &l, Bound::Possible);
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

/// The compiled decision.
pub struct Zen {
    decision: Decision,
}

impl Zen {
    /// Creates and compiles the decision once.
    pub fn new() -> Zen {
        let content: DecisionContent =
            serde_json::from_value(decision_json()).unwrap_or_else(|e| panic!("zen decision model: {e}"));
        let engine = DecisionEngine::default();
        let mut decision = engine.create_decision(content.into()).unwrap_or_else(|e| panic!("zen decision: {e}"));
        decision.compile();
        Zen { decision }
    }

    /// The input of one product and destination (built before timing).
    pub fn input(&self, product: &PeerMetrics, destination: Country) -> Variable {
        let v = Variable::from(json!({
            "tpp": null,
            "performance_density": null,
            "datacenter": product.datacenter,
            "kind": product.kind,
            "groups": groups_of(destination),
        }));
        // Decimals go in as decimals (ZEN numbers are rust_decimal), never through f64.
        if let Some(t) = product.tpp {
            v.dot_insert("tpp", Variable::Number(t));
        }
        if let Some(d) = product.performance_density {
            v.dot_insert("performance_density", Variable::Number(d));
        }
        v
    }

    /// One determination: evaluate the decision, then read the ids of the rows that matched.
    #[inline]
    pub fn decide(&self, input: &Variable) -> Answer {
        let response = futures_executor::block_on(self.decision.evaluate(input.clone()))
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

impl Default for Zen {
    fn default() -> Self {
        Zen::new()
    }
}
