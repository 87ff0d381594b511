//! Lapses between versions of one rule (L012): a version of a (kind, id) ends before the next
//! version of the same (kind, id) starts, so the rule is in force in no version on the days
//! between. Overlapping versions are refused by the loader (E0345); this is the opposite
//! mistake, and one that clears: on the days of the gap the requirement, classification or
//! exception is simply absent.
//!
//! The same lapse between two ids: a licence requirement that `succeeds` another (the
//! regulation moved the requirement to a new paragraph, as 88 FR 73458 replaced 742.6(a)(6)(i)
//! by 742.6(a)(6)(iii)) starts after the last version of the one it succeeds has ended.

use crate::diagnostic::{Code, Diagnostic};
use crate::ruleset::{RuleMeta, RuleSet};

/// L012: for each (kind, id), its versions in order of `from`; where one ends (`until`,
/// exclusive) before the next starts, a finding at the later version's id naming the id, the
/// days in force in no version (the first and last, inclusive) and where the earlier version
/// is written. A later version that says why with `follows_lapse` (a stay, a rescission then a
/// new rule) is not reported.
pub(super) fn gaps(rules: &RuleSet) -> Vec<Diagnostic> {
    let kinds: [(&str, Vec<&RuleMeta>); 6] = [
        ("classification", rules.classifications.iter().map(|r| &r.meta).collect()),
        ("exclusion", rules.exclusions.iter().map(|r| &r.meta).collect()),
        ("license_requirement", rules.requirements.iter().map(|r| &r.meta).collect()),
        ("license_exception", rules.exceptions.iter().map(|r| &r.meta).collect()),
        ("review_policy", rules.review_policies.iter().map(|r| &r.meta).collect()),
        ("notice", rules.notices.iter().map(|r| &r.meta).collect()),
    ];
    let mut out = Vec::new();
    for (kind, mut metas) in kinds {
        metas.sort_by(|a, b| (&a.id, a.period.from).cmp(&(&b.id, b.period.from)));
        for pair in metas.windows(2) {
            let [earlier, later] = pair else { continue };
            if earlier.id != later.id {
                continue;
            }
            let Some(end) = earlier.period.until else { continue };
            if later.period.from <= end || later.follows_lapse.as_deref().is_some_and(|w| !w.trim().is_empty()) {
                continue;
            }
            let last = later.period.from.prev_day().unwrap_or(end);
            let days = if last == end { format!("on {end}") } else { format!("from {end} to {last}") };
            let s = &earlier.site;
            let message = format!(
                "`{}` is in force in no version {days}: the {kind} written at {}:{}:{} ends with `until = {end}` and this version starts on {}",
                later.id, s.file, s.line, s.column, later.period.from
            );
            let help = format!(
                "start this version on {end}, or give the earlier one `until = {}`; if the rule truly lapsed (a stay, a rescission then a new rule), say why here: `follows_lapse = \"...\"`",
                later.period.from
            );
            out.push(later.site.diagnostic(Code::L012, message).with_help(help));
        }
    }
    out.extend(successions(rules));
    out
}

/// L012 across ids: for each licence requirement with `succeeds`, the latest-ending version of
/// the id it succeeds that starts before it; where that version ends before this rule starts,
/// a finding at this rule naming the days covered by neither.
fn successions(rules: &RuleSet) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for later in &rules.requirements {
        let Some(earlier_id) = later.succeeds.as_deref() else { continue };
        let l = &later.meta;
        if l.follows_lapse.as_deref().is_some_and(|w| !w.trim().is_empty()) {
            continue;
        }
        let earlier: Vec<&RuleMeta> = rules
            .requirements
            .iter()
            .map(|r| &r.meta)
            .filter(|m| m.id == earlier_id && m.period.from < l.period.from)
            .collect();
        // A version still in force (no `until`) leaves no gap.
        if earlier.is_empty() || earlier.iter().any(|m| m.period.until.is_none()) {
            continue;
        }
        let Some(last) = earlier.iter().filter_map(|m| m.period.until.map(|u| (u, *m))).max_by_key(|(u, _)| *u) else {
            continue;
        };
        let (end, e) = last;
        if l.period.from <= end {
            continue;
        }
        let day_before = l.period.from.prev_day().unwrap_or(end);
        let days = if day_before == end { format!("on {end}") } else { format!("from {end} to {day_before}") };
        let s = &e.site;
        let message = format!(
            "neither `{}` nor `{}`, which it succeeds, is in force {days}: `{}` written at {}:{}:{} ends with `until = {end}` and `{}` starts on {}",
            l.id, e.id, e.id, s.file, s.line, s.column, l.id, l.period.from
        );
        let help = format!(
            "start `{}` on {end}, or give `{}` `until = {}`; if the requirement truly lapsed between them, say why here: `follows_lapse = \"...\"`",
            l.id, e.id, l.period.from
        );
        out.push(l.site.diagnostic(Code::L012, message).with_help(help));
    }
    out
}
