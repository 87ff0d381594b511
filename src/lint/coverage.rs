//! Checks that relate rules to the pack's coverage and to the sets they name: a rule that starts
//! on the pack's `coverage_from` (L014), a destination set whose exceptions remove every country
//! it names (L015), and a `coverage_from` earlier than the days the pack's rules were written for
//! (L016).

use std::collections::BTreeSet;

use crate::diagnostic::{Code, Diagnostic};
use crate::model::Country;
use crate::ruleset::{Destinations, RuleMeta, RuleSet, Scope};

/// L014: a rule whose `from` is the pack's `coverage_from`. A rule that truly starts that day
/// is a coincidence; one written so because the pack starts there ("in force before the pack's
/// coverage") answers nothing for the days before it once `coverage_from` moves earlier (V6 of
/// tester10: the part 746 embargoes and 744.11 vanished for 2019-2021).
pub(super) fn starts_at_coverage(rules: &RuleSet) -> Vec<Diagnostic> {
    let start = rules.pack.coverage_from;
    super::metas(rules)
        .filter(|m| m.period.from == start)
        .map(|m| {
            m.site
                .diagnostic(
                    Code::L014,
                    format!(
                        "`{}` starts on {start}, where the pack's coverage starts: give its effective date",
                        m.id
                    ),
                )
                .with_help(
                    "write the date the regulation put the rule in force (cite the FR rule); if the pack can cite only a later date than the rule's real start, write that date and say why in `predates_from`",
                )
        })
        .collect()
}

/// L015: a destination set (`destinations`, or a party's `located_in`, `headquartered_in` or
/// `end_use_in`) that names countries or groups, every one of which its exceptions remove on
/// every day (`countries = ["IR"], except_countries = ["IR"]`, or a group minus all its
/// members): the rule can concern no destination, so it never applies. Groups are read with
/// every member they ever have (permanent and dated) on the included side, and only their
/// permanent members on the excepted side (a group excepted by its own name removes all of
/// itself), so a set empty on some days only is not reported.
pub(super) fn empty_destinations(rules: &RuleSet) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (meta, scope) in scoped(rules) {
        for (key, d) in destination_sets(scope) {
            if names_nothing(rules, d) {
                // L015 below; the names it removes are not reported again (L022).
                let message = format!(
                    "`{}`: `{key}` names nothing once its exceptions are taken out, so the rule applies to no destination",
                    meta.id
                );
                let help = "remove the exception that takes out what the set names, or the rule if it is meant to go";
                out.push(meta.site.diagnostic(Code::L015, message).with_help(help));
            }
        }
    }
    out
}

/// L022: a country group or a country named in a destination set (`destinations`, or a party's
/// `located_in`, `headquartered_in`, `for_headquartered_in` or `end_use_in`) that the set's
/// own exceptions remove entirely, while other names keep the set from being empty (L015): the
/// name adds no destination. Naming a place and excepting it is a contradiction, most often a
/// slip for another group in `except_groups` (`except_groups = ["A:5", "A:6", "D:1"]` beside
/// `groups = ["D:1", "D:4", "D:5"]` took Armenia, Georgia, Kazakhstan and the other D:1-only
/// destinations out of 742.6(a)(6)(iii), linting clean: tester17). Read as L015 reads sets:
/// each group with every member it ever has, the exceptions with their permanent members only,
/// a group excepted by its own name with all of itself.
pub(super) fn removed_names(rules: &RuleSet) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (meta, scope) in scoped(rules) {
        for (key, d) in destination_sets(scope) {
            if names_nothing(rules, d) {
                continue; // L015
            }
            let excepted = excepted(rules, d);
            let groups = &rules.groups.groups;
            let mut removed: Vec<String> = Vec::new();
            for id in &d.groups {
                let whole = d.except_groups.contains(id)
                    || groups
                        .get(id)
                        .is_some_and(|g| !g.is_empty() && every_member(g).iter().all(|c| excepted.contains(c)));
                let name = format!("country group `{id}`");
                if whole && !removed.contains(&name) {
                    removed.push(name);
                }
            }
            for c in d.countries.iter().filter(|c| excepted.contains(c)) {
                let name = format!("country `{c}`");
                if !removed.contains(&name) {
                    removed.push(name); // a name written twice is L017's
                }
            }
            for name in removed {
                let message = format!(
                    "`{}`: `{key}` names {name}, which its own exceptions remove entirely: the name adds no destination",
                    meta.id
                );
                let help =
                    "remove the exception that takes out what the set names (a slip for another group?), or the name";
                out.push(meta.site.diagnostic(Code::L022, message).with_help(help));
            }
        }
    }
    out
}

/// Every country a group ever holds: permanent, dated and unverified-dated members.
fn every_member(g: &crate::ruleset::groups::CountryGroup) -> BTreeSet<Country> {
    let mut all: BTreeSet<Country> = g.members.iter().copied().collect();
    all.extend(g.dated.iter().map(|(c, _, _)| *c));
    all.extend(g.unverified_dated.iter().map(|u| u.country));
    all
}

/// The countries `d`'s exceptions remove on every day: `except_countries` and the permanent
/// members of `except_groups`.
fn excepted(rules: &RuleSet, d: &Destinations) -> BTreeSet<Country> {
    let mut excepted: BTreeSet<Country> = d.except_countries.iter().copied().collect();
    for g in d.except_groups.iter().filter_map(|id| rules.groups.groups.get(id)) {
        excepted.extend(g.members.iter().copied());
    }
    excepted
}

/// Whether `d` names some country or group and its exceptions remove all of it on every day.
fn names_nothing(rules: &RuleSet, d: &Destinations) -> bool {
    if d.groups.is_empty() && d.countries.is_empty() {
        return false; // "everywhere except": not a set that names nothing
    }
    let groups = &rules.groups.groups;
    let mut included: BTreeSet<Country> = d.countries.iter().copied().collect();
    // A group excepted by name removes all its members, dated or not.
    let kept = d.groups.iter().filter(|id| !d.except_groups.contains(id));
    for g in kept.filter_map(|id| groups.get(id)) {
        included.extend(g.members.iter().copied());
        included.extend(g.dated.iter().map(|(c, _, _)| *c));
        included.extend(g.unverified_dated.iter().map(|u| u.country));
    }
    let mut excepted: BTreeSet<Country> = d.except_countries.iter().copied().collect();
    for g in d.except_groups.iter().filter_map(|id| groups.get(id)) {
        excepted.extend(g.members.iter().copied());
    }
    // A group with no members at all names nothing either (and is caught here).
    included.is_subset(&excepted)
}

/// L016: the pack's `coverage_from` earlier than the days its rules were written for: a
/// licence requirement that says with `predates_from` that it was in force before its `from`
/// (in a text the pack does not encode), or a screening-list entry in force on covered days
/// before any rule screens its list. On those days the pack would clear what the regulation
/// required a licence for.
pub(super) fn coverage_before_rules(rules: &RuleSet) -> Vec<Diagnostic> {
    let start = rules.pack.coverage_from;
    let mut out = Vec::new();
    for r in &rules.requirements {
        let Some(why) = r.predates_from.as_deref().filter(|w| !w.trim().is_empty()) else { continue };
        if start < r.meta.period.from {
            let m = &r.meta;
            let message = format!(
                "the pack's coverage starts on {start}, before `{}` (from {}), which was in force earlier in a text this pack does not encode: {why}",
                m.id, m.period.from
            );
            let help = format!(
                "start `coverage_from` on or after {}, or encode the earlier text of the requirement for the days before",
                m.period.from
            );
            out.push(m.site.diagnostic(Code::L016, message).with_help(help));
        }
    }
    for e in &rules.lists {
        let screening =
            rules.requirements.iter().filter(|r| screens(&r.scope, &e.list)).map(|r| r.meta.period.from).min();
        let first_day = e.period.from.max(start);
        let Some(rule_from) = screening else { continue }; // L006 reports a list no rule screens
        if first_day < rule_from && e.period.until.is_none_or(|u| first_day < u) {
            let message = format!(
                "entry `{}` of `{}` is in force from {first_day} within the pack's coverage, but no licence requirement screens `{}` before {rule_from}",
                e.id, e.list, e.list
            );
            let help =
                "give the screening requirement (744.11) its effective date, or start `coverage_from` on or after it";
            out.push(e.site.diagnostic(Code::L016, message).with_help(help));
        }
    }
    out
}

/// Whether a scope screens parties against `list`.
fn screens(scope: &Scope, list: &str) -> bool {
    scope.parties.as_ref().is_some_and(|p| {
        p.listed_on.as_deref() == Some(list) || p.owned_by_listed.as_ref().is_some_and(|(l, _)| l == list)
    })
}

/// Every rule that has a scope, with its common fields.
/// A scope's destination sets that are written, each with its key as a rule file names it:
/// `destinations`, and the party's `located_in`, `headquartered_in`, `for_headquartered_in`
/// and `end_use_in` (the sets L015 and L022 read).
fn destination_sets(scope: &Scope) -> impl Iterator<Item = (&'static str, &Destinations)> {
    let parties = scope.parties.as_ref();
    [("destinations", scope.destinations.as_ref())]
        .into_iter()
        .chain(parties.map(|p| ("parties.located_in", p.located_in.as_ref())))
        .chain(parties.map(|p| ("parties.headquartered_in", p.headquartered_in.as_ref())))
        .chain(parties.map(|p| ("parties.for_headquartered_in", p.for_headquartered_in.as_ref())))
        .chain(parties.map(|p| ("parties.end_use_in", p.end_use_in.as_ref())))
        .filter_map(|(key, set)| set.map(|d| (key, d)))
}

fn scoped(rules: &RuleSet) -> impl Iterator<Item = (&RuleMeta, &Scope)> {
    rules
        .requirements
        .iter()
        .map(|r| (&r.meta, &r.scope))
        .chain(rules.exceptions.iter().map(|r| (&r.meta, &r.scope)))
        .chain(rules.review_policies.iter().map(|r| (&r.meta, &r.scope)))
        .chain(rules.notices.iter().map(|r| (&r.meta, &r.scope)))
}
