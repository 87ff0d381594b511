//! Review policies and notices: which apply to the requirements a decision found, and which
//! policy governs a licence application for each.

use super::sink::{RuleKind, Sink};
use super::{Facts, Params, RuleRef, Scratch, applies};
use crate::ruleset::condition::Truth;
use crate::ruleset::{ListEntry, Requirement, ReviewPolicy, ReviewPolicyRule};

/// Per requirement that applies or may apply (in the order of `s.applied`): the review-policy
/// rules in force whose scope and condition hold for this transaction.
pub(crate) fn review_policies<'r, S: Sink<'r>, P: Params + Copy>(
    f: &Facts<'r>,
    s: &Scratch,
    params: P,
    sink: &mut S,
) -> Vec<Vec<&'r ReviewPolicyRule>> {
    let rules = f.rules;
    let mut out = Vec::with_capacity(s.applied.len());
    for &r in &s.applied {
        let mut matching = Vec::new();
        let Some(req) = rules.requirements.get(r as usize) else {
            out.push(matching);
            continue;
        };
        for (i, (p, compiled)) in rules.review_policies.iter().zip(&rules.compiled.review_policies).enumerate() {
            if !p.meta.period.contains(f.date) || !p.applies_to.iter().any(|id| id == &req.meta.id) {
                continue;
            }
            let rr = RuleRef { meta: &p.meta, scope: &p.scope, when: p.when.as_ref(), compiled };
            let mut notes = sink.notes(RuleKind::ReviewPolicy);
            let t = applies(f, &rr, (&s.class_true, &s.class_unknown), params, false, false, &mut notes);
            sink.rule(RuleKind::ReviewPolicy, i, t, notes);
            if t == Truth::True {
                matching.push(p);
            }
        }
        out.push(matching);
    }
    out
}

/// The notices in force and whether each applies (true) or may apply (unknown), in pack order.
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
        let rr = RuleRef { meta: &n.meta, scope: &n.scope, when: n.when.as_ref(), compiled };
        let mut notes = sink.notes(RuleKind::Notice);
        let t = applies(f, &rr, (&s.class_true, &s.class_unknown), params, false, false, &mut notes);
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

/// The review policy of a requirement: the matching review-policy rules minus those superseded
/// (the strictest if several remain); else the policy of the matched list entries (the
/// strictest); else the requirement's own default.
pub(crate) fn choose_review_policy(
    req: &Requirement,
    matching: &[&ReviewPolicyRule],
    entries: &[&ListEntry],
) -> ChosenPolicy {
    let superseded: Vec<&str> = matching.iter().flat_map(|p| p.supersedes.iter().map(String::as_str)).collect();
    if let Some(p) = matching.iter().filter(|p| !superseded.contains(&p.meta.id.as_str())).max_by_key(|p| p.policy) {
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
