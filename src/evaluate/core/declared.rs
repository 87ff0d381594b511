//! The vendor's published classification (`declared_eccn`) against the classification the
//! figures give. The exporter classifies the item (15 CFR 732.3(b)) and commonly starts from the
//! manufacturer's ECCN; BIS asks that a contradiction in what the exporter knows of an item be
//! resolved before export ("Know Your Customer" Guidance and Red Flags, Supp. No. 3 to part
//! 732). So a declared paragraph the figures do not reach is never resolved silently in favour
//! of the lighter reading: the paragraph stays undetermined (its rules read as unknown), and
//! every outcome it could bring is open, as a TPP between the rates' and `tpp_reported` is.
//! Where the figures reach a stricter paragraph of the same ECCN (`3A090.a` against a declared
//! `3A090.b`), or the declared ECCN is one the pack does not classify (`EAR99`, `5A992.c`), the
//! figures decide and the determination warns.

use super::Facts;
use super::scratch::{self, Scratch};
use crate::ruleset::RuleSet;
use crate::ruleset::condition::Truth;

/// Whether classification rule ECCN `rule` (`3A090.a`) answers the declared ECCN `declared`:
/// the same, or one names a paragraph of the other (`3A090` declared, `3A090.a.1` declared).
pub(crate) fn answers(rule: &str, declared: &str) -> bool {
    let under = |long: &str, short: &str| long.strip_prefix(short).is_some_and(|r| r.starts_with('.'));
    rule == declared || under(rule, declared) || under(declared, rule)
}

/// Whether the ECCN `computed` is a stricter paragraph of the same entry than `declared`: the
/// same five-character entry and an earlier paragraph letter (3A090.a before 3A090.b: .a is the
/// higher performance tier in 3A090 and 4A090, 15 CFR 774 Supp. No. 1).
pub(crate) fn stricter(computed: &str, declared: &str) -> bool {
    let (Some((ce, cp)), Some((de, dp))) = (computed.split_once('.'), declared.split_once('.')) else {
        return false;
    };
    let first = |p: &str| p.split('.').next().unwrap_or("").to_string();
    ce == de && first(cp) < first(dp)
}

/// The classification rules in force on the decision's date whose ECCN answers `declared`.
fn answering<'a>(f: &'a Facts<'_>, declared: &'a str) -> impl Iterator<Item = usize> + 'a {
    let rules: &RuleSet = f.rules;
    rules
        .classifications
        .iter()
        .enumerate()
        .filter(move |(_, c)| c.meta.period.contains(f.date) && answers(&c.eccn, declared))
        .map(|(i, _)| i)
}

/// After the classification: when the product declares an ECCN that a paragraph in force
/// classifies, and no such paragraph holds or may hold, and no stricter paragraph of the same
/// entry holds, those paragraphs are made unknown (parameters and classification), and
/// `s.declared_open` says so (the determination names `declared_eccn` in `missing`).
pub(crate) fn reconcile(f: &Facts<'_>, s: &mut Scratch) {
    let Some(declared) = f.product.product().declared_eccn.as_deref() else { return };
    let mut any = false;
    for i in answering(f, declared) {
        any = true;
        if s.classified(i) != Truth::False {
            return;
        }
    }
    if !any {
        return;
    }
    let classes = &f.rules.classifications;
    let reached_stricter = (0..classes.len())
        .filter(|&j| s.classified(j) == Truth::True)
        .filter_map(|j| classes.get(j))
        .any(|c| stricter(&c.eccn, declared));
    if reached_stricter {
        return;
    }
    for i in answering(f, declared) {
        scratch::set(&mut s.params, s.stamp, i, Truth::Unknown);
        if let Some(w) = s.class_unknown.get_mut(i / 64) {
            *w |= 1 << (i % 64);
        }
    }
    s.declared_open = true;
}

/// What a determination says of the declared ECCN after the classification `s` (its ECCNs
/// `eccns`): the missing fact when the declaration left paragraphs open, and a warning when it
/// did or when the figures give an ECCN the declaration does not name (the figures decide).
pub(crate) fn findings(f: &Facts<'_>, s: &Scratch, eccns: &[String]) -> (Option<String>, Option<String>) {
    let Some(declared) = f.product.product().declared_eccn.as_deref() else { return (None, None) };
    let given = if eccns.is_empty() { "no ECCN the rules classify".to_string() } else { eccns.join(", ") };
    let cite = "15 CFR 732.3(b): the exporter classifies the item; a contradiction is a red flag to resolve before export, Supp. No. 3 to part 732";
    if s.declared_open {
        let missing = format!(
            "declared_eccn (the sheet declares {declared}, the vendor's classification, but the figures give {given} on {}: check the figures against the vendor's source, or correct declared_eccn; {cite})",
            f.date
        );
        let warning = format!(
            "The sheet declares ECCN {declared} (declared_eccn) and its figures give {given}: the {declared} paragraphs are left undetermined rather than cleared by the lighter reading ({cite})."
        );
        return (Some(missing), Some(warning));
    }
    let named = eccns.iter().any(|e| answers(e, declared));
    if eccns.is_empty() || named {
        return (None, None);
    }
    (
        None,
        Some(format!(
            "The sheet declares ECCN {declared} (declared_eccn), but the figures give {given}, which this determination follows: the vendor's classification may rest on an older text of the Commerce Control List, or on other figures ({cite})."
        )),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_declared_eccn_is_answered_by_its_paragraphs() {
        assert!(answers("3A090.a", "3A090.a"));
        assert!(answers("3A090.a", "3A090"));
        assert!(answers("3A090.a", "3A090.a.1"));
        assert!(!answers("3A090.b", "3A090.a"));
        assert!(!answers("4A090.a", "3A090.a"));
        assert!(!answers("3A090.a", "3A09"));
        assert!(!answers("3A090.a", "EAR99"));
    }

    #[test]
    fn a_stricter_paragraph_is_an_earlier_one_of_the_same_entry() {
        assert!(stricter("3A090.a", "3A090.b"));
        assert!(!stricter("3A090.b", "3A090.a"));
        assert!(!stricter("3A090.a", "3A090.a"));
        assert!(!stricter("4A090.a", "3A090.b"));
        assert!(!stricter("3A090.a", "EAR99"));
        assert!(!stricter("3A090.a", "3A090"));
    }
}
