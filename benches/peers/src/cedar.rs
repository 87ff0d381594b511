//! Peer 1: cedar-policy. One `permit` policy per output and bound (see [`crate::formula`]):
//! `c0`..`c5` (paragraph certainly matched), `p0`..`p5` (possibly matched), `cl`/`pl` (licence
//! certainly / possibly required). One authorization request per unit of the product
//! (principal = the unit, action = `Action::"export"`, resource = the destination); the
//! satisfied policies are the response's `reason` set.
//!
//! Entities: `Product::"<catalog id>#<k>"`, one per unit the product is tested as (itself, or
//! for a computer each IC it contains: Cedar has no quantifier over a set, so a computer is
//! decided by one request per unit and the answers joined by "or"), with the attributes `tpp`
//! and `performance_density` (`Long`s scaled by 10⁴, so that thresholds are integer literals,
//! not `decimal("…")` calls that Cedar would evaluate on every request), `datacenter` (bool)
//! and `kind` (string, the product's), each left out when unknown; `Country::"<ISO code>"` whose parents are its `Group::"D:1"` etc. The
//! groups change with the date, so there is one entity store per period of the country groups
//! (as a Cedar caller keeps its store current), chosen by the request's date.
//!
//! Variants ([`Policies`]): the rules ([`Policies::Rules`]); the rules on a product classified
//! once ([`Policies::Classified`]: the paragraph bounds are entity attributes and the policies
//! test them and the destination, like the engine's `decide_classified`); and `n` policies
//! `when { true }` ([`Policies::Trivial`]), which measure Cedar's fixed cost per request and per
//! policy.

use std::collections::{HashMap, HashSet};
use std::str::FromStr;

use cedar_policy::{
    Authorizer, Context, Entities, Entity, EntityId, EntityTypeName, EntityUid, Policy, PolicyId, PolicySet, Request,
    RestrictedExpression,
};
use export_controls::{Country, Date};

use crate::answer::Answer;
use crate::formula::{self, Classified};
use crate::inputs::{GROUP_NAMES, Groups, PeerMetrics};

/// Which policy set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policies {
    /// The rules: 14 policies.
    Rules,
    /// The rules on products classified once: 14 policies over the precomputed bounds.
    Classified,
    /// `n` policies `when { true }` (with the ids of the first `n` outputs), for the fixed cost.
    Trivial(usize),
}

const HEAD: &str = "permit(principal is Product, action == Action::\"export\", resource is Country)";

fn policy(out: &mut String, id: &str, condition: &str) {
    out.push_str(&format!("@id(\"{id}\")\n{HEAD}\nwhen {{ {condition} }};\n\n"));
}

/// The policy set as Cedar source text.
pub fn policy_text(which: Policies) -> String {
    let mut out = String::new();
    match which {
        Policies::Rules => {
            for (id, f, b) in formula::outputs() {
                policy(&mut out, &id, &formula::cedar(&f, b));
            }
        }
        Policies::Classified => {
            for (id, f) in formula::classified_outputs() {
                policy(&mut out, &id, &formula::cedar(&f, formula::Bound::Certain));
            }
        }
        Policies::Trivial(n) => {
            for (id, ..) in formula::outputs().into_iter().take(n) {
                policy(&mut out, &id, "true");
            }
        }
    }
    out
}

fn type_name(ty: &str) -> EntityTypeName {
    EntityTypeName::from_str(ty).unwrap_or_else(|e| panic!("entity type {ty}: {e}"))
}

fn uid(ty: &str, id: &str) -> EntityUid {
    EntityUid::from_type_name_and_id(type_name(ty), EntityId::new(id))
}

/// Everything a Cedar determination needs, built once.
pub struct Cedar {
    authorizer: Authorizer,
    policies: PolicySet,
    groups: Groups,
    /// One store per period of the country groups.
    stores: Vec<Entities>,
    /// The uids of each product's entities (one per unit, or one for a product classified
    /// once), in the order given to [`Cedar::new`].
    products: Vec<Vec<EntityUid>>,
    action: EntityUid,
    country: EntityTypeName,
}

impl Cedar {
    /// Parses the policies (ids from their `@id` annotation) and builds the entity stores.
    pub fn new(which: Policies, products: &[PeerMetrics], destinations: &[Country]) -> Cedar {
        let parsed = PolicySet::from_str(&policy_text(which)).unwrap_or_else(|e| panic!("cedar policies: {e}"));
        let mut policies = PolicySet::new();
        for p in parsed.policies() {
            let id = p.annotation("id").unwrap_or_else(|| panic!("policy without @id"));
            let p: Policy = p.new_id(PolicyId::new(id));
            policies.add(p).unwrap_or_else(|e| panic!("cedar policy {id}: {e}"));
        }
        let mut product_entities = Vec::new();
        let mut uids = Vec::new();
        for p in products {
            if which == Policies::Classified {
                let attrs = Classified::FACTS
                    .iter()
                    .zip(Classified::of(p).facts())
                    .map(|(name, value)| (name.to_string(), RestrictedExpression::new_bool(value)))
                    .collect();
                product_entities.push(entity(uid("Product", &p.id), attrs));
                uids.push(vec![uid("Product", &p.id)]);
                continue;
            }
            // One entity per unit (the product itself, or each IC a computer contains), with the
            // product's kind.
            let mut unit_uids = Vec::new();
            for (k, u) in p.units.iter().enumerate() {
                let mut attrs = HashMap::new();
                if let Some(t) = u.tpp {
                    attrs.insert("tpp".to_string(), RestrictedExpression::new_long(t));
                }
                if let Some(d) = u.performance_density {
                    attrs.insert("performance_density".to_string(), RestrictedExpression::new_long(d));
                }
                if let Some(dc) = u.datacenter {
                    attrs.insert("datacenter".to_string(), RestrictedExpression::new_bool(dc));
                }
                attrs.insert("kind".to_string(), RestrictedExpression::new_string(p.kind.as_str().to_string()));
                let id = uid("Product", &format!("{}#{k}", p.id));
                product_entities.push(entity(id.clone(), attrs));
                unit_uids.push(id);
            }
            uids.push(unit_uids);
        }
        let groups = Groups::new();
        let mut stores = Vec::new();
        for period in 0..groups.periods() {
            let mut entities = product_entities.clone();
            for g in GROUP_NAMES {
                entities.push(Entity::new_no_attrs(uid("Group", g), HashSet::new()));
            }
            for c in destinations {
                let parents = Groups::names(groups.bits_in(period, *c)).map(|g| uid("Group", g)).collect();
                entities.push(Entity::new_no_attrs(uid("Country", c.code()), parents));
            }
            stores.push(Entities::from_entities(entities, None).unwrap_or_else(|e| panic!("cedar entities: {e}")));
        }
        Cedar {
            authorizer: Authorizer::new(),
            policies,
            groups,
            stores,
            products: uids,
            action: uid("Action", "export"),
            country: type_name("Country"),
        }
    }

    /// One determination of product `product` (its index in the products given to
    /// [`Cedar::new`]): for each of its units, build the request, choose the store of the date,
    /// authorize, then read the satisfied policy ids; the units' answers are joined by "or" (a
    /// paragraph holds for a computer when it holds for one of its ICs). The units' uids are
    /// kept with their entities; the destination's is built here, with the request.
    #[inline]
    pub fn decide(&self, product: usize, destination: Country, date: Date) -> Answer {
        let store = &self.stores[self.groups.period(date)];
        let (mut certain, mut possible, mut lc, mut lp) = (0u8, 0u8, false, false);
        for principal in &self.products[product] {
            let request = Request::new(
                principal.clone(),
                self.action.clone(),
                EntityUid::from_type_name_and_id(self.country.clone(), EntityId::new(destination.code())),
                Context::empty(),
                None,
            )
            .unwrap_or_else(|e| panic!("cedar request: {e}"));
            let response = self.authorizer.is_authorized(&request, &self.policies, store);
            if let Some(e) = response.diagnostics().errors().next() {
                panic!("cedar evaluation error: {e}");
            }
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
        }
        Answer::from_bounds(certain, possible, lc, lp)
    }
}

fn entity(uid: EntityUid, attrs: HashMap<String, RestrictedExpression>) -> Entity {
    let id = uid.to_string();
    Entity::new(uid, attrs, HashSet::new()).unwrap_or_else(|e| panic!("cedar entity {id}: {e}"))
}
