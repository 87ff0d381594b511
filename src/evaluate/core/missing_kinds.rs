//! The kinds of missing fact of a fast decision: the sink and notes the fast path passes to
//! the core instead of `()`. They keep one bit per kind of fact that a rule read and found
//! unknown, by the same rules the recording sink
//! ([`Recorder`](crate::evaluate::record::Recorder)) follows to keep the fact itself, so that
//! the fast path can say which kinds of fact a determination's `missing` names without
//! formatting or allocating anything.

use super::missing::{Missing, Warning};
use super::reason::Reason;
use super::scratch::Scratch;
use super::sink::{Notes, RuleKind, Sink, Unconfirmed};
use crate::date::Date;
use crate::ruleset::condition::{Env, Expr, Program, Truth};
use crate::ruleset::{ListEntry, RuleMeta, RuleSet};

/// The kinds of missing fact of the last fast decision ([`Scratch::missing_kinds`](crate::Scratch)):
/// one bit per kind, set when a rule read a fact of that kind and found it unknown, where
/// [`RuleSet::evaluate`](crate::RuleSet::evaluate) names such a fact in the determination's
/// `missing`.
///
/// - [`MissingKinds::FIGURES`]: a figure or flag of the product (or of a unit of a computer) or
///   of the exporter that a rule's condition read (determination: the input's name, e.g. `tpp`),
///   or a valid product (determination: `a valid product (…)`).
/// - [`MissingKinds::FACTS`]: a fact written out in words: a party's country, headquarters, name
///   or owners, a screening the pack cannot make, the destination's region or an unverified
///   Country Group membership, a recipient's location, the country of export (`exported_from`)
///   where a rule is keyed to the kind of transaction, the rules in force after the pack's
///   research cut-off (determination: e.g. `end user "Acme": country`).
/// - [`MissingKinds::STATUS`]: a rule's status on the date, which the sources leave unconfirmed
///   (determination: `status of <rule> after <date>`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct MissingKinds(u8);

impl MissingKinds {
    /// A figure or flag of the product, of a unit, or of the exporter.
    pub const FIGURES: MissingKinds = MissingKinds(1);
    /// A fact written out in words (parties, destination, recipients, research cut-off).
    pub const FACTS: MissingKinds = MissingKinds(2);
    /// A rule's status on the date.
    pub const STATUS: MissingKinds = MissingKinds(4);
    /// No kind.
    pub const NONE: MissingKinds = MissingKinds(0);
    /// A classification or exclusion condition found unknown left its paragraph unknown: the
    /// determination names its inputs only if the paragraph stays undetermined (its ECCN not
    /// certain by another paragraph), which is known after the classification
    /// ([`MissingKinds::settled`]).
    const PARAGRAPH: MissingKinds = MissingKinds(8);
    /// A licence requirement's or exception's condition or items found unknown: a figure is missing,
    /// unless the condition reads (`meets`) a paragraph left unknown by its status
    /// ([`MissingKinds::settled`]).
    const CONDITION: MissingKinds = MissingKinds(16);

    /// Whether every kind of `other` is here.
    pub fn contains(self, other: MissingKinds) -> bool {
        self.0 & other.0 == other.0
    }

    /// Whether no kind is.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The kinds of both.
    #[must_use]
    pub fn union(self, other: MissingKinds) -> MissingKinds {
        MissingKinds(self.0 | other.0)
    }

    fn add(&mut self, other: MissingKinds) {
        self.0 |= other.0;
    }

    /// With a product that fails the checks of a product sheet (`invalid`): its figures are
    /// missing (the determination names `a valid product (…)`).
    pub(crate) fn invalid(self, invalid: bool) -> MissingKinds {
        if invalid { self.union(MissingKinds::FIGURES) } else { self }
    }

    /// The kinds that the classification in `s` of a product tested as itself (not a
    /// computer), made on `date` with notes that record nothing, leaves: as far as
    /// [`MissingKinds::settled`] reads them, those [`KindNotes`] would have kept rule by rule.
    /// A paragraph that may classify the product (`class_unknown`) is unknown by its status
    /// when the sources leave it unconfirmed on the date ([`MissingKinds::STATUS`], as
    /// `classification_status` notes it), else by an unknown condition, its own or an
    /// exclusion's ([`MissingKinds::PARAGRAPH`]). Not counted, where the notes counted it: an
    /// exclusion or condition found unknown for a paragraph that is false (another exclusion
    /// takes it out) or unknown by its status. Neither changes what `settled` gives: a
    /// paragraph is counted only when one stays undetermined and no status is missing, and
    /// an undetermined paragraph whose status is not missing is counted here.
    pub(crate) fn of_classification(rules: &RuleSet, s: &Scratch, date: Date) -> MissingKinds {
        let mut kinds = MissingKinds::NONE;
        for (w, &word) in s.class_unknown.iter().enumerate() {
            let mut bits = word;
            while bits != 0 {
                let i = w * 64 + bits.trailing_zeros() as usize;
                bits &= bits - 1;
                let unconfirmed =
                    rules.classifications.get(i).is_some_and(|c| Unconfirmed::on(&c.meta, date).is_some());
                kinds.add(if unconfirmed { MissingKinds::STATUS } else { MissingKinds::PARAGRAPH });
            }
        }
        kinds
    }

    /// The kinds of a finished decision: a paragraph left unknown by a condition counts as a
    /// missing figure when some paragraph stays `undetermined` and no rule's status is
    /// missing.
    pub(crate) fn settled(self, undetermined: bool) -> MissingKinds {
        // A paragraph whose status is unconfirmed leaves the conditions that read it (`meets`)
        // unknown with no figure missing: with a status missing, only the status is counted.
        let status = self.contains(MissingKinds::STATUS);
        let paragraph = self.contains(MissingKinds::PARAGRAPH) && undetermined;
        let figures = !status && (paragraph || self.contains(MissingKinds::CONDITION));
        let kinds = MissingKinds(self.0 & !(MissingKinds::PARAGRAPH.0 | MissingKinds::CONDITION.0));
        if figures { kinds.union(MissingKinds::FIGURES) } else { kinds }
    }
}

/// The notes of one rule on the fast path: what it found unknown, kept by
/// [`Sink::rule`] as the recorder keeps the facts (figures and status always, facts written
/// in words only when the rule's truth is unknown).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct KindNotes {
    figures_or_status: MissingKinds,
    facts: MissingKinds,
    /// A condition evaluated to unknown (a classification's or an exclusion's: the
    /// determination names its inputs when the paragraph stays undetermined).
    condition: bool,
}

impl<'r> Notes<'r> for KindNotes {
    const ON: bool = false;
    fn child(&self) -> Self {
        KindNotes::default()
    }
    fn reasons(&self) -> bool {
        false
    }
    fn reason(&mut self, _: Reason<'r>) {}
    fn note(&mut self, _: impl FnOnce() -> String) {}
    fn missing_fact(&mut self, _: Missing<'r>) {
        self.facts = MissingKinds::FACTS;
    }
    fn entry(&mut self, _: &'r ListEntry) {}
    fn eval<E: Env + ?Sized>(&mut self, when: &'r Expr, env: &E, _: Option<u32>) -> Truth {
        let t = when.eval(env, None);
        self.condition |= t == Truth::Unknown;
        t
    }
    // Inlined as the no-op notes' is: a computer's units are classified with these notes, a
    // call per rule and unit.
    #[inline(always)]
    fn eval_program<E: Env + ?Sized>(
        &mut self,
        when: &'r Expr,
        program: Option<&Program>,
        env: &E,
        _: Option<u32>,
    ) -> Truth {
        let t = match program {
            Some(p) => p.truth(env),
            None => when.truth(env),
        };
        self.condition |= t == Truth::Unknown;
        t
    }
    fn unknown_attrs(&mut self, _: &Expr, _: &dyn Env, _: Option<u32>) {
        self.figures_or_status.add(MissingKinds::CONDITION);
    }
    fn condition_unknown(&mut self) {
        self.figures_or_status.add(MissingKinds::CONDITION);
    }
    fn unconfirmed(&mut self, _: &'r RuleMeta, _: Unconfirmed, decides: bool) {
        if decides {
            self.figures_or_status.add(MissingKinds::STATUS);
        }
    }
    fn warning(&mut self, _: Warning<'r>) {}
    fn parties_not_given(&mut self) {}
    fn absorb(&mut self, other: &mut Self, _: bool, missing: bool) {
        if missing {
            self.facts.add(other.facts);
        }
    }
}

impl<'r> Sink<'r> for MissingKinds {
    type Notes = KindNotes;
    const EXPLAINS: bool = false;
    fn notes(&mut self, _: RuleKind) -> KindNotes {
        KindNotes::default()
    }
    fn rule(&mut self, kind: RuleKind, _: usize, t: Truth, n: KindNotes) {
        self.add(n.figures_or_status);
        if matches!(kind, RuleKind::Classification | RuleKind::Exclusion) && t == Truth::Unknown && n.condition {
            self.add(MissingKinds::PARAGRAPH);
        }
        if t == Truth::Unknown {
            self.add(n.facts);
        }
    }
    fn fact_missing(&mut self, _: Missing<'r>) {
        self.add(MissingKinds::FACTS);
    }
}
