//! Peer 1: cedar-policy. One `permit` policy per output and bound (see [`crate::formula`]):
//! `c0`..`c5` (paragraph certainly matched), `p0`..`p5` (possibly matched), `cl`/`pl` (licence
//! certainly / possibly required). One authorization request per determination
//! (principal = the product, action = `Action::"export"`, resource = the destination); the
//! satisfied policies are the response's `reason` set.
//!
//! Entities: `Product::"<catalog id>"` with the attributes `tpp` and `performance_density`
//! (decimal extension), `datacenter` (bool) and `kind` (string), each left out when unknown;
//! `Country::"<ISO code>"` whose parents are its `Group::"D:1"` etc. as of the as-of date.

use std::collections::{HashMap, HashSet};
use std::str::FromStr;

use cedar_policy::{
    Authorizer, Context, Entities, Entity, EntityId, EntityTypeName, EntityUid, Policy, PolicyId, PolicySet, Request,
    RestrictedExpression,
};
use export_controls::Country;

use crate::answer::Answer;
use crate::formula::{self, Bound};
use crate::inputs::{GROUPS, PeerMetrics, groups_of};

/// The policy set as Cedar source text.
pub fn policy_text() -> String {
    let mut out = String::new();
    let mut push = |id: String, f: &formula::F, b: Bound| {
        out.push_str(&format!(
            "@id(\"{id}\")\npermit(principal is Product, action == Action::\"export\", resource is Country)\nwhen {{ {} }};\n\n",
            formula::cedar(f, b)
        ));
    };
    for (i, p) in formula::paragraphs().iter().enumerate() {
        push(format!("c{i}"), p, Bound::Certain);
        push(format!("p{i}"), p, Bound::Possible);
    }
    let l = formula::licence();
    push("cl".into(), &l, Bound::Certain);
    push("pl".into(), &l, Bound::Possible);
    out
}

fn uid(ty: &str, id: &str) -> EntityUid {
    let ty = EntityTypeName::from_str(ty).unwrap_or_else(|e| panic!("entity type {ty}: {e}"));
    EntityUid::from_type_name_and_id(ty, EntityId::new(id))
}

/// Everything a Cedar determination needs, built once.
pub struct Cedar {
    authorizer: Authorizer,
    policies: PolicySet,
    entities: Entities,
}

impl Cedar {
    /// Parses the policies (ids from their `@id` annotation) and builds the entities.
    pub fn new(products: &[PeerMetrics], destinations: &[Country]) -> Cedar {
        let parsed = PolicySet::from_str(&policy_text()).unwrap_or_else(|e| panic!("cedar policies: {e}"));
        let mut policies = PolicySet::new();
        for p in parsed.policies() {
            let id = p.annotation("id").unwrap_or_else(|| panic!("policy without @id"));
            let p: Policy = p.new_id(PolicyId::new(id));
            policies.add(p).unwrap_or_else(|e| panic!("cedar policy {id}: {e}"));
        }
        let mut entities = Vec::new();
        for (g, _) in GROUPS {
            entities.push(Entity::new_no_attrs(uid("Group", g), HashSet::new()));
        }
        for c in destinations {
            let parents = groups_of(*c).into_iter().map(|g| uid("Group", g)).collect();
            entities.push(Entity::new_no_attrs(uid("Country", c.code()), parents));
        }
        for p in products {
            let mut attrs = HashMap::new();
            if let Some(t) = p.tpp {
                attrs.insert("tpp".to_string(), RestrictedExpression::new_decimal(t.to_string()));
            }
            if let Some(d) = p.performance_density {
                attrs.insert("performance_density".to_string(), RestrictedExpression::new_decimal(d.to_string()));
            }
            if let Some(dc) = p.datacenter {
                attrs.insert("datacenter".to_string(), RestrictedExpression::new_bool(dc));
            }
            attrs.insert("kind".to_string(), RestrictedExpression::new_string(p.kind.to_string()));
            let e = Entity::new(uid("Product", &p.id), attrs, HashSet::new())
                .unwrap_or_else(|e| panic!("cedar entity {}: {e}", p.id));
            entities.push(e);
        }
        let entities = Entities::from_entities(entities, None).unwrap_or_else(|e| panic!("cedar entities: {e}"));
        Cedar { authorizer: Authorizer::new(), policies, entities }
    }

    /// The request of one product and destination (built before timing).
    pub fn request(&self, product: &PeerMetrics, destination: Country) -> Request {
        Request::new(
            uid("Product", &product.id),
            uid("Action", "export"),
            uid("Country", destination.code()),
            Context::empty(),
            None,
        )
        .unwrap_or_else(|e| panic!("cedar request: {e}"))
    }

    /// One determination: authorize, then read the satisfied policy ids.
    #[inline]
    pub fn decide(&self, request: &Request) -> Answer {
        let response = self.authorizer.is_authorized(request, &self.policies, &self.entities);
        if let Some(e) = response.diagnostics().errors().next() {
            panic!("cedar evaluation error: {e}");
        }
        let (mut certain, mut possible, mut lc, mut lp) = (0u8, 0u8, false, false);
        for id in response.diagnostics().reason() {
            let id: &str = id.as_ref();
            match id.as_bytes() {
                [b'c', b'l'] => lc = true,
                [b'p', b'l'] => lp = true,
                [b'c', d] => certain |= 1 << (d - b'0'),
                [b'p', d] => possible |= 1 << (d - b'0'),
                _ => panic!("unexpected policy id {id}"),
            }
        }
        Answer::from_bounds(certain, possible, lc, lp)
    }
}
