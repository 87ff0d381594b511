//! Names written twice in one list (L017).

use crate::diagnostic::{Code, Diagnostic};
use crate::ruleset::RuleSet;

/// L017: a country group or a country written twice in one list (`groups`, `countries`,
/// `except_groups`, `except_countries`) of one destination set (`destinations`, or a party's
/// `located_in`, `headquartered_in`, `for_headquartered_in` or `end_use_in`). The set means the
/// same with the name once, so the second is at best noise and at worst a slip for another
/// group or country the author meant (`groups = ["D:5", "D:5"]` for `["D:4", "D:5"]`), whose
/// destinations the rule then silently leaves out. A warning at the repeated name, naming where
/// it was first written. (A country written twice in a country group's `members` is refused
/// when the pack is loaded, E0335.)
pub(super) fn names(rules: &RuleSet) -> Vec<Diagnostic> {
    rules
        .repeated
        .iter()
        .map(|r| {
            let what = if r.key.ends_with("groups") { "country group" } else { "country" };
            let message = format!(
                "{what} `{}` is written twice in `{}` (first at line {}, column {}): the list means the same with it once",
                r.name, r.key, r.first.line, r.first.column
            );
            r.site.diagnostic(Code::L017, message).with_help(format!(
                "remove the second `{}`, or write the {what} that was meant in its place",
                r.name
            ))
        })
        .collect()
}
