//! Checks for definitions no rule uses: country groups (L005) and screening lists (L006).

use std::collections::BTreeSet;

use crate::diagnostic::{Code, Diagnostic};
use crate::ruleset::{Destinations, RuleSet, Scope};

/// L005: a country group no rule's destinations or party locations name.
pub(super) fn groups(rules: &RuleSet) -> Vec<Diagnostic> {
    let mut used = BTreeSet::new();
    for s in scopes(rules) {
        let parties = s.parties.as_ref();
        let destinations = [s.destinations.as_ref()]
            .into_iter()
            .chain(parties.map(|p| p.located_in.as_ref()))
            .chain(parties.map(|p| p.headquartered_in.as_ref()))
            .chain(parties.map(|p| p.for_headquartered_in.as_ref()))
            .chain(parties.map(|p| p.end_use_in.as_ref()))
            .flatten();
        for d in destinations {
            used.extend(group_names(d));
        }
    }
    rules
        .groups
        .groups
        .values()
        .filter(|g| !used.contains(g.id.as_str()))
        .map(|g| g.site.diagnostic(Code::L005, format!("country group `{}` is never used by any rule", g.id)))
        .collect()
}

/// L006: a list with entries that no rule screens parties against (`listed_on`,
/// `owned_by_listed`). The finding points at the list's first entry.
pub(super) fn lists(rules: &RuleSet) -> Vec<Diagnostic> {
    let mut used = BTreeSet::new();
    for p in scopes(rules).filter_map(|s| s.parties.as_ref()) {
        used.extend(p.listed_on.as_deref());
        used.extend(p.owned_by_listed.as_ref().map(|(l, _)| l.as_str()));
    }
    let mut reported = BTreeSet::new();
    let mut out = Vec::new();
    for e in &rules.lists {
        let l = e.list.as_str();
        if !used.contains(l) && reported.insert(l) {
            out.push(
                e.site.diagnostic(Code::L006, format!("list `{l}` has entries but no rule screens parties against it")),
            );
        }
    }
    out
}

/// The scopes of every rule that has one.
fn scopes(rules: &RuleSet) -> impl Iterator<Item = &Scope> {
    rules
        .requirements
        .iter()
        .map(|r| &r.scope)
        .chain(rules.exceptions.iter().map(|r| &r.scope))
        .chain(rules.review_policies.iter().map(|r| &r.scope))
        .chain(rules.notices.iter().map(|r| &r.scope))
}

/// The country groups a destination scope names, included or excepted.
fn group_names(d: &Destinations) -> impl Iterator<Item = &str> {
    d.groups.iter().chain(&d.except_groups).map(String::as_str)
}
