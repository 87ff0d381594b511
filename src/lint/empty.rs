//! Definitions that hold nothing: a country group with no member on any day (L021).

use crate::diagnostic::{Code, Diagnostic};
use crate::ruleset::RuleSet;

/// L021: a country group with `members = []`, no `dated_member`, no `unverified_members` and no
/// `unverified_member`.
/// Every group of 15 CFR 740 Supp. No. 1 has members, so an empty one is almost certainly an
/// authoring mistake (the list left for later, or written under another key): a rule naming it
/// concerns no country, and an exception naming it removes none. A warning pointing at its
/// `members`.
pub(super) fn groups(rules: &RuleSet) -> Vec<Diagnostic> {
    rules
        .groups
        .groups
        .values()
        .filter(|g| g.is_empty())
        .map(|g| {
            g.members_site
                .diagnostic(
                    Code::L021,
                    format!("country group `{}` has no members: `members` is empty, and it has no `dated_member` or `unverified_members`, so a rule naming it concerns no country", g.id),
                )
                .with_help("list the group's members from its source (15 CFR 740 Supp. No. 1), or remove the group")
        })
        .collect()
}
