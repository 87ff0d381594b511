//! Checks on the dates of rules: in force before their source was published (L004).

use crate::diagnostic::{Code, Diagnostic};
use crate::ruleset::{RuleMeta, RuleSet};

/// L004: a rule in force before its own publication date, with no `effective` date to confirm
/// it (BIS rules often take effect before publication, but a typo looks the same).
pub(super) fn before_publication(rules: &RuleSet) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for m in metas(rules) {
        if let Some(p) = m.published
            && m.period.from < p
            && m.effective.is_none()
        {
            let message = format!("`{}` is in force from {} but its source was published on {p}", m.id, m.period.from);
            let help = format!(
                "BIS rules often take effect before publication; confirm the effective date with `effective = {}`",
                m.period.from
            );
            out.push(m.site.diagnostic(Code::L004, message).with_help(help));
        }
    }
    out
}

/// The common fields of every rule of the pack.
fn metas(rules: &RuleSet) -> impl Iterator<Item = &RuleMeta> {
    rules
        .classifications
        .iter()
        .map(|r| &r.meta)
        .chain(rules.exclusions.iter().map(|r| &r.meta))
        .chain(rules.requirements.iter().map(|r| &r.meta))
        .chain(rules.exceptions.iter().map(|r| &r.meta))
        .chain(rules.review_policies.iter().map(|r| &r.meta))
        .chain(rules.notices.iter().map(|r| &r.meta))
}
