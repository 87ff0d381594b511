//! Review policies and notices: which apply to the requirements a decision found, and which
//! policy governs a licence application for each.

use super::missing::Warning;
use super::sink::{Notes, RuleKind, Sink};
use super::{Classified, Facts, Params, Quant, RuleRef, Scratch, applies};
use crate::ruleset::condition::Truth;
use crate::ruleset::{ListEntry, Requirement, ReviewPolicy, ReviewPolicyRule};

/// Per requirement that applies or may apply (in the order of `s.applied`): the review-policy
/// rules in force whose scope and condition hold (`Truth::True`) or may hold (`Truth::Unknown`:
/// a fact they read is not given) for this transaction, less those a policy that holds
/// supersedes. For a computer they are chosen per unit (a policy's condition is tested on each
/// contained product, and supersedes only for that product), and every unit's are kept: the
/// strictest then governs the system ([`choose_review_policy`]).
///
/// An end use declared without its place is not presumed to take place where the declaring
/// party is located (`presume_place: false`, as for requirements and exceptions): a policy
/// keyed to the place (review standards such as 15 CFR 742.6(b) and 744.23(d) turn on the
/// destination, the parties and the end use) may hold or not, and it governs only where it is
/// the stricter ([`choose_review_policy`], with a warning
/// naming the place, [`open_policy_warning`]). A licensing officer reads an application at the
/// strictest policy its facts leave open, never at a lenient one presumed: 15 CFR 742.6(b)
/// chooses the policy by the destination and the parties, and a fact not given cannot put the
/// application under the lenient branch. The verdict is not made indeterminate: the licence is
/// required whatever the place (the requirement decides that), and the policy says only how an
/// application will be reviewed.
pub(crate) fn review_policies<'r, S: Sink<'r>, P: Params + Copy>(
    f: &Facts<'r>,
    s: &Scratch,
    params: P,
    sink: &mut S,
) -> Vec<Vec<(&'r ReviewPolicyRule, Truth)>> {
    let rules = f.rules;
    let units = f.units().len().max(1);
    let mut out = Vec::with_capacity(s.applied.len());
    for &r in &s.applied {
        let mut effective: Vec<(&'r ReviewPolicyRule, Truth)> = Vec::new();
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
                // An unknown transaction kind leaves the policy unknown (it governs only where
                // it is the stricter), with a warning rather than a missing fact.
                let rr = RuleRef {
                    origin_missing: false,
                    presume_place: false,
                    ..RuleRef::new(&p.meta, &p.scope, p.when.as_ref(), compiled)
                };
                let mut notes = sink.notes(RuleKind::ReviewPolicy);
                let t = applies(f, &rr, Classified::of(s), params, false, false, Quant::Unit(unit), &mut notes);
                if t == Truth::Unknown && f.exported_from.is_none() && p.scope.transaction_kinds.is_some() {
                    notes.warning(Warning::PolicyNeedsOrigin(p));
                }
                sink.rule(RuleKind::ReviewPolicy, i, t, notes);
                if t != Truth::False {
                    matching.push((p, t));
                }
            }
            // Only a policy that holds supersedes: one that may hold leaves the other in play.
            let superseded: Vec<&str> = matching
                .iter()
                .filter(|(_, t)| *t == Truth::True)
                .flat_map(|(p, _)| p.supersedes.iter().map(String::as_str))
                .collect();
            for (p, t) in matching {
                if superseded.contains(&p.meta.id.as_str()) {
                    continue;
                }
                match effective.iter_mut().find(|(e, _)| std::ptr::eq(*e, p)) {
                    Some((_, old)) => *old = old.or(t),
                    None => effective.push((p, t)),
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
pub(crate) struct ChosenPolicy<'r> {
    pub policy: Option<ReviewPolicy>,
    pub source: Option<String>,
    pub conditions: Vec<String>,
    /// What the sources could not confirm about the rule or entry that set it.
    pub unverified: Option<(String, String)>,
    /// The review-policy rule chosen when it only may hold (a fact it reads is not given) and is
    /// stricter than the policy that governs without it ([`open_policy_warning`] says so).
    pub open: Option<&'r ReviewPolicyRule>,
}

/// The review policy of a requirement: the strictest of the review-policy rules that hold for
/// it (as [`review_policies`] gives them, superseded ones removed); else the policy of the
/// matched list entries (the strictest); else the requirement's own default. A rule that only
/// may hold replaces that policy when it is stricter (`open`): the strictest policy the facts
/// not given leave possible; a more lenient one is not presumed.
pub(crate) fn choose_review_policy<'r>(
    req: &Requirement,
    effective: &[(&'r ReviewPolicyRule, Truth)],
    entries: &[&ListEntry],
) -> ChosenPolicy<'r> {
    let of_rule = |p: &'r ReviewPolicyRule, open: bool| ChosenPolicy {
        policy: Some(p.policy),
        source: Some(format!("{} ({})", p.meta.id, p.meta.source)),
        conditions: p.obligations.clone(),
        unverified: p.meta.unverified.clone().map(|u| (p.meta.id.clone(), u)),
        open: open.then_some(p),
    };
    let strictest =
        |truth: Truth| effective.iter().filter(move |(_, t)| *t == truth).map(|(p, _)| *p).max_by_key(|p| p.policy);
    let known = if let Some(p) = strictest(Truth::True) {
        of_rule(p, false)
    } else if let Some(e) = entries.iter().filter(|e| e.review_policy.is_some()).max_by_key(|e| e.review_policy) {
        ChosenPolicy {
            policy: e.review_policy,
            source: Some(format!("{} entry {} ({})", e.list, e.id, e.source)),
            conditions: Vec::new(),
            unverified: e.unverified.clone().map(|u| (e.id.clone(), u)),
            open: None,
        }
    } else {
        ChosenPolicy {
            policy: req.review_policy,
            source: req.review_policy.map(|_| format!("{} ({})", req.meta.id, req.meta.source)),
            conditions: Vec::new(),
            unverified: None,
            open: None,
        }
    };
    match strictest(Truth::Unknown) {
        Some(p) if Some(p.policy) > known.policy => of_rule(p, true),
        _ => known,
    }
}

/// The warning given when review-policy rule `p`, which only may hold, governs requirement
/// `req_id` ([`ChosenPolicy::open`]): names the places of the end uses its parties filter reads
/// that were declared without one (never presumed to be the declaring party's location); its
/// other missing facts are in the determination's `missing`.
pub(crate) fn open_policy_warning(f: &Facts<'_>, p: &ReviewPolicyRule, req_id: &str) -> String {
    let places: Vec<String> = match &p.scope.parties {
        Some(pf) if pf.end_use_in.is_some() => f
            .parties
            .parties
            .iter()
            .flat_map(|party| {
                party
                    .end_uses
                    .iter()
                    .filter(|u| u.place.is_none() && pf.end_uses.as_ref().is_none_or(|us| us.contains(&u.end_use)))
                    .map(move |u| format!("{}: {}", party.label(), u.end_use.place_question()))
            })
            .collect(),
        _ => Vec::new(),
    };
    let facts = if places.is_empty() {
        "facts it reads are not given (`missing` names them)".to_owned()
    } else {
        format!(
            "where the end use takes place is not given ({}), and is not presumed to be where the party is located",
            places.join("; ")
        )
    };
    format!(
        "Review policy {} ({}) may apply to {req_id}: {facts}. It is stricter than the policy that applies without it, so it is given; state the missing facts to settle the policy [{}]",
        p.meta.id,
        p.policy.as_str(),
        p.meta.source
    )
}
