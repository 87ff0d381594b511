//! Review policies and notices: which apply to the requirements a decision found, and which
//! policy governs a licence application for each.

use super::missing::Warning;
use super::sink::{Notes, RuleKind, Sink};
use super::{Classified, Facts, Params, Quant, RuleRef, Scratch, applies};
use crate::ruleset::condition::Truth;
use crate::ruleset::{ListEntry, Requirement, ReviewPolicy, ReviewPolicyRule};

/// Per requirement that applies or may apply (in the order of `s.applied`): the review-policy
/// rules in force whose scope and condition hold for this transaction, less those another of
/// them supersedes. For a computer they are chosen per unit (a policy's condition is tested on
/// each contained product, and supersedes only for that product), and every unit's are kept:
/// the strictest then governs the system.
pub(crate) fn review_policies<'r, S: Sink<'r>, P: Params + Copy>(
    f: &Facts<'r>,
    s: &Scratch,
    params: P,
    sink: &mut S,
) -> Vec<Vec<&'r ReviewPolicyRule>> {
    let rules = f.rules;
    let units = f.units().len().max(1);
    let mut out = Vec::with_capacity(s.applied.len());
    for &r in &s.applied {
        let mut effective: Vec<&'r ReviewPolicyRule> = Vec::new();
        if rules.requirements.get(r as usize).is_none() {
            out.push(effective);
            continue;
        }
        let governing = rules.compiled.policies_of.get(r as usize).map_or(&[][..], Vec::as_slice);
        for unit in 0..units {
            let mut matching = Vec::new();
            for &i in governing {
                let i = i as usize;
                let (Some(p), Some(compiled)) = (rules.review_policies.get(i), rules.compiled.review_policies.get(i))
                else {
                    continue;
                };
                if !p.meta.period.contains(f.date) {
                    continue;
                }
                // An unknown transaction kind leaves the policy unknown, not applied (the
                // stricter one governs), with a warning rather than a missing fact.
                let rr =
                    RuleRef { origin_missing: false, ..RuleRef::new(&p.meta, &p.scope, p.when.as_ref(), compiled) };
                let mut notes = sink.notes(RuleKind::ReviewPolicy);
                let t = applies(f, &rr, Classified::of(s), params, false, false, Quant::Unit(unit), &mut notes);
                if t == Truth::Unknown && f.kind.is_none() && p.scope.transaction_kinds.is_some() {
                    notes.warning(Warning::PolicyNeedsOrigin(p));
                }
                sink.rule(RuleKind::ReviewPolicy, i, t, notes);
                if t == Truth::True {
                    matching.push(p);
                }
            }
            let superseded: Vec<&str> = matching.iter().flat_map(|p| p.supersedes.iter().map(String::as_str)).collect();
            for p in matching {
                if !superseded.contains(&p.meta.id.as_str()) && !effective.iter().any(|e| std::ptr::eq(*e, p)) {
                    effective.push(p);
                }
            }
        }
        out.push(effective);
    }
    out
}

/// The notices in force and whether each applies (true) or may apply (unknown), in pack order.
/// A notice tied to countries (its destinations name groups or countries) applies when one of
/// them enters through the destination or through a party's location, headquarters or ultimate
/// parent's headquarters.
pub(crate) fn notices<'r, S: Sink<'r>, P: Params + Copy>(
    f: &Facts<'r>,
    s: &Scratch,
    params: P,
    sink: &mut S,
) -> Vec<(usize, Truth)> {
    let rules = f.rules;
    let mut out = Vec::new();
    for (i, (n, compiled)) in rules.notices.iter().zip(&rules.compiled.notices).enumerate() {
        if !n.meta.period.contains(f.date) {
            continue;
        }
        let rr = RuleRef { through_parties: true, ..RuleRef::new(&n.meta, &n.scope, n.when.as_ref(), compiled) };
        let mut notes = sink.notes(RuleKind::Notice);
        let t = applies(f, &rr, Classified::of(s), params, false, false, Quant::Any, &mut notes);
        sink.rule(RuleKind::Notice, i, t, notes);
        if t != Truth::False {
            out.push((i, t));
        }
    }
    out
}

/// A requirement's review policy and where it comes from.
pub(crate) struct ChosenPolicy {
    pub policy: Option<ReviewPolicy>,
    pub source: Option<String>,
    pub conditions: Vec<String>,
    /// What the sources could not confirm about the rule or entry that set it.
    pub unverified: Option<(String, String)>,
}

/// The review policy of a requirement: the strictest of the review-policy rules that govern it
/// (as [`review_policies`] gives them, superseded ones removed); else the policy of the matched
/// list entries (the strictest); else the requirement's own default.
pub(crate) fn choose_review_policy(
    req: &Requirement,
    effective: &[&ReviewPolicyRule],
    entries: &[&ListEntry],
) -> ChosenPolicy {
    if let Some(p) = effective.iter().max_by_key(|p| p.policy) {
        return ChosenPolicy {
            policy: Some(p.policy),
            source: Some(format!("{} ({})", p.meta.id, p.meta.source)),
            conditions: p.obligations.clone(),
            unverified: p.meta.unverified.clone().map(|u| (p.meta.id.clone(), u)),
        };
    }
    if let Some(e) = entries.iter().filter(|e| e.review_policy.is_some()).max_by_key(|e| e.review_policy) {
        return ChosenPolicy {
            policy: e.review_policy,
            source: Some(format!("{} entry {} ({})", e.list, e.id, e.source)),
            conditions: Vec::new(),
            unverified: e.unverified.clone().map(|u| (e.id.clone(), u)),
        };
    }
    ChosenPolicy {
        policy: req.review_policy,
        source: req.review_policy.map(|_| format!("{} ({})", req.meta.id, req.meta.source)),
        conditions: Vec::new(),
        unverified: None,
    }
}
