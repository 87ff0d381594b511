//! Checks on the dates of rules: in force before their source was published (L004), two texts
//! of one paragraph in force together (L008), a `confirmed_from` with no `unverified` saying
//! why (L013), and a `confirmed_until` before the rule is in
//! force (L009).

use super::metas;
use crate::date::Date;
use crate::diagnostic::{Code, Diagnostic};
use crate::ruleset::{Classification, Period, RuleMeta, RuleSet};

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

/// L008: two classification rules that are texts of one paragraph, one's id a sub-paragraph
/// of the other's (`3A090.a` of 2022 and `3A090.a.1` of 2023), in force on a common day. The
/// finding points at the text that starts later and names where the other is written.
///
/// Two versions with the same id are refused by the loader (E0345); rules told apart under
/// one paragraph with `/` (`746.8(a)(1)/RU`) are alternatives, not texts, and a Note
/// (`3A090.a Note 1`) stands beside the paragraph's text: neither is compared here.
pub(super) fn overlapping_texts(rules: &RuleSet) -> Vec<Diagnostic> {
    let texts: Vec<(&Classification, &str)> =
        rules.classifications.iter().filter_map(|c| Some((c, paragraph(&c.meta.id)?))).collect();
    let mut out = Vec::new();
    for (i, &(a, pa)) in texts.iter().enumerate() {
        for &(b, pb) in texts.iter().skip(i + 1) {
            let parent = if sub_paragraph(pa, pb) {
                pa
            } else if sub_paragraph(pb, pa) {
                pb
            } else {
                continue;
            };
            if !a.meta.period.overlaps(&b.meta.period) {
                continue;
            }
            let key = |m: &RuleMeta| (m.period.from, m.site.file.clone(), m.site.line, m.site.column);
            let (earlier, later) = if key(&a.meta) <= key(&b.meta) { (&a.meta, &b.meta) } else { (&b.meta, &a.meta) };
            let s = &earlier.site;
            let together = Period {
                from: later.period.from,
                until: match (earlier.period.until, later.period.until) {
                    (Some(x), Some(y)) => Some(x.min(y)),
                    (x, y) => x.or(y),
                },
            };
            let message = format!(
                "`{}` ({}) and `{}` ({}, at {}:{}:{}) are two texts of {parent} in force together {}",
                later.id,
                dates(&later.period),
                earlier.id,
                dates(&earlier.period),
                s.file,
                s.line,
                s.column,
                days(&together),
            );
            let help = if earlier.period.from < later.period.from {
                format!(
                    "a later text replaces the earlier one: end `{}` with `until = {}`, the day `{}` starts",
                    earlier.id, later.period.from, later.id
                )
            } else {
                format!("both start on {}: keep one text of {parent}, or date them apart", later.period.from)
            };
            out.push(later.site.diagnostic(Code::L008, message).with_help(help));
        }
    }
    out
}

/// The paragraph a classification rule is a text of: its id without a `/` suffix; `None` for
/// a Note (`3A090.a Note 1`).
fn paragraph(id: &str) -> Option<&str> {
    let p = id.split('/').next().unwrap_or(id);
    (!p.contains(' ')).then_some(p)
}

/// Whether `child` is a sub-paragraph of `parent`, at any depth: `3A090.a.1` of `3A090.a`,
/// `742.6(a)(6)` of `742.6`.
fn sub_paragraph(parent: &str, child: &str) -> bool {
    child.strip_prefix(parent).is_some_and(|rest| rest.starts_with(['.', '(']))
}

/// A period as written in the file: `from 2022-10-21, until 2023-11-17`.
fn dates(p: &Period) -> String {
    match p.until {
        Some(u) => format!("from {}, until {u}", p.from),
        None => format!("from {}", p.from),
    }
}

/// The days of a period, the last one inclusive: `on 2023-11-17`, `from 2023-11-17 to
/// 2023-11-30`, `from 2023-11-17 on`.
fn days(p: &Period) -> String {
    match p.until.and_then(Date::prev_day) {
        Some(last) if last == p.from => format!("on {last}"),
        Some(last) => format!("from {} to {last}", p.from),
        None => format!("from {} on", p.from),
    }
}

/// L009: a `confirmed_until` more than a day before the rule is in force. The day before
/// `from` says that the rule's status is confirmed on no day of its period (a rule that
/// resumes when a stay ends, unless the stay is extended); an earlier date says the same thing
/// less plainly, and is most likely a typo.
pub(super) fn confirmed_before_from(rules: &RuleSet) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for m in metas(rules) {
        let Some(c) = m.confirmed_until else { continue };
        let Some(eve) = m.period.from.prev_day() else { continue };
        if c < eve {
            let message = format!(
                "`{}` is confirmed until {c}, before it is in force (from {}): no day of its period is confirmed",
                m.id, m.period.from
            );
            let help = format!(
                "`confirmed_until` is the last day the sources confirm the rule's status: a day from {} on, or \
                 `confirmed_until = {eve}` (the day before `from`) to say it is unconfirmed from its first day",
                m.period.from
            );
            out.push(m.site.diagnostic(Code::L009, message).with_help(help));
        }
    }
    out
}

/// L013: a `confirmed_from` on a rule whose `unverified` does not say what the sources leave
/// open about its start: a determination made in the unconfirmed days names the rule's
/// `unverified` as the reason, and a reader must be able to check it.
pub(super) fn confirmed_from_unexplained(rules: &RuleSet) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for m in metas(rules) {
        let Some(c) = m.confirmed_from else { continue };
        if c == m.period.from || m.unverified.as_deref().is_some_and(|u| !u.trim().is_empty()) {
            continue;
        }
        let message = format!(
            "`{}` is unconfirmed from {} to the day before {c} (`confirmed_from`), and its `unverified` does not say why",
            m.id, m.period.from
        );
        let help = "say in `unverified` which dates the sources give for the rule's start (e.g. the staggered \
                    effective dates of the Federal Register rule), and where";
        out.push(m.site.diagnostic(Code::L013, message).with_help(help));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_belongs_to_its_paragraph_and_those_above_it() {
        assert_eq!(paragraph("3A090.a.1"), Some("3A090.a.1"));
        assert_eq!(paragraph("746.8(a)(1)/RU"), Some("746.8(a)(1)"));
        assert_eq!(paragraph("3A090.a Note 1"), None);
        assert!(sub_paragraph("3A090.a", "3A090.a.1"));
        assert!(sub_paragraph("3A090", "3A090.a.1"));
        assert!(sub_paragraph("742.6", "742.6(a)(6)"));
        assert!(!sub_paragraph("3A090.a", "3A090.a"));
        assert!(!sub_paragraph("3A090.a", "3A090.ab"));
        assert!(!sub_paragraph("3A090.a.1", "3A090.a"));
    }

    #[test]
    fn periods_read_as_written_and_days_inclusive() {
        let d = |s: &str| s.parse::<Date>().unwrap_or_else(|e| panic!("{e}"));
        let open = Period { from: d("2023-11-17"), until: None };
        let one = Period { from: d("2023-11-17"), until: Some(d("2023-11-18")) };
        let two = Period { from: d("2023-11-17"), until: Some(d("2023-12-01")) };
        assert_eq!(dates(&open), "from 2023-11-17");
        assert_eq!(dates(&two), "from 2023-11-17, until 2023-12-01");
        assert_eq!(days(&open), "from 2023-11-17 on");
        assert_eq!(days(&one), "on 2023-11-17");
        assert_eq!(days(&two), "from 2023-11-17 to 2023-11-30");
    }
}
