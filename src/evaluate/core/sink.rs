//! Where the evaluation core writes its explanation. The fast path passes `()`, which records
//! nothing and compiles away; `RuleSet::evaluate` passes a recorder
//! ([`Recorder`](crate::evaluate::explained::Recorder)), which keeps rule indexes, comparisons and
//! reasons unformatted. The decision never depends on the sink.

use super::missing::{Missing, Warning};
use super::reason::Reason;
use crate::date::Date;
use crate::ruleset::condition::{Env, Expr, Program, Truth};
use crate::ruleset::{ListEntry, RuleMeta};

/// What the sources leave unconfirmed about a rule on a date: its start (`confirmed_from`) or
/// its status after a day (`confirmed_until`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unconfirmed {
    /// Whether it binds before this day, its first confirmed day: the sources give another
    /// effective date, or staggered dates.
    Before(Date),
    /// Its status after this day, its last confirmed day.
    After(Date),
}

impl Unconfirmed {
    /// What is unconfirmed about the rule `meta` on `date`, if anything: its start when
    /// `date` is before `confirmed_from`, its status when `date` is after `confirmed_until`.
    pub(crate) fn on(meta: &RuleMeta, date: Date) -> Option<Unconfirmed> {
        match (meta.confirmed_from, meta.confirmed_until) {
            (Some(c), _) if date < c => Some(Unconfirmed::Before(c)),
            (_, Some(c)) if date > c => Some(Unconfirmed::After(c)),
            _ => None,
        }
    }
}

/// The kinds of rule, as named in traces (public: a trace entry carries its kind typed).
pub(crate) use crate::evaluate::determination::RuleKind;

/// What one rule's test found besides its truth: reasons, missing facts, the list entries it
/// matched, the comparisons made.
pub(crate) trait Notes<'r> {
    /// Whether anything is recorded; when `false` the core skips work done only to explain.
    const ON: bool;
    /// Empty notes of the same kind, without comparisons (for one party).
    fn child(&self) -> Self;
    /// Whether reasons ([`Notes::note`]) are kept: work done only to give them is skipped when
    /// they are not.
    fn reasons(&self) -> bool;
    /// A reason (destination membership, party facts, exclusions), recorded as what it names
    /// and written out only when shown.
    fn reason(&mut self, r: Reason<'r>);
    /// A reason written out when recorded (for the rare and long ones).
    fn note(&mut self, f: impl FnOnce() -> String) {
        if self.reasons() {
            self.reason(Reason::Text(f()));
        }
    }
    /// A missing fact (a party's country, headquarters, an owner's share, a screening), recorded
    /// as what it names and written out only when shown.
    fn missing_fact(&mut self, m: Missing<'r>);
    /// A screening-list entry matched.
    fn entry(&mut self, e: &'r ListEntry);
    /// Evaluates a rule's condition on `env` (the product's, or unit `unit`'s of a computer),
    /// recording its comparisons when they are recorded.
    fn eval<E: Env + ?Sized>(&mut self, when: &'r Expr, env: &E, unit: Option<u32>) -> Truth;
    /// As [`Notes::eval`], given also the condition's flat code (`program`, when it has one),
    /// which notes that record nothing run instead of the tree: the same truth.
    fn eval_program<E: Env + ?Sized>(
        &mut self,
        when: &'r Expr,
        program: Option<&Program>,
        env: &E,
        unit: Option<u32>,
    ) -> Truth {
        let _ = program;
        self.eval(when, env, unit)
    }
    /// The condition was unknown: record the attributes it lacked (of the product, or of unit
    /// `unit` of a computer).
    fn unknown_attrs(&mut self, when: &Expr, env: &dyn Env, unit: Option<u32>);
    /// The condition was unknown, its truth read from a classification made earlier
    /// ([`CompiledPack::decide_classified`](crate::CompiledPack::decide_classified)), or the
    /// rule's items were (a paragraph they name may classify the product), and notes that
    /// record nothing ([`Notes::ON`] false) do not look for the attributes they lacked.
    fn condition_unknown(&mut self) {}
    /// The rule matches, but the sources leave its status on the date unconfirmed (`what`);
    /// `decides` when that makes its truth unknown.
    fn unconfirmed(&mut self, meta: &'r RuleMeta, what: Unconfirmed, decides: bool);
    /// A warning the determination carries whatever the verdict (e.g. why an exception is not
    /// offered), recorded as what it names and written out only when shown.
    fn warning(&mut self, w: Warning<'r>);
    /// The rule concerns parties and none were given.
    fn parties_not_given(&mut self);
    /// Moves the notes and entries (`notes`) and the missing facts (`missing`) of `other` here.
    fn absorb(&mut self, other: &mut Self, notes: bool, missing: bool);
}

impl<'r> Notes<'r> for () {
    const ON: bool = false;
    fn child(&self) -> Self {}
    fn reasons(&self) -> bool {
        false
    }
    fn reason(&mut self, _: Reason<'_>) {}
    fn note(&mut self, _: impl FnOnce() -> String) {}
    fn missing_fact(&mut self, _: Missing<'r>) {}
    fn entry(&mut self, _: &ListEntry) {}
    fn eval<E: Env + ?Sized>(&mut self, when: &Expr, env: &E, _: Option<u32>) -> Truth {
        when.eval(env, None)
    }
    // Inlined into the classification loop: a call per rule cost about 60 instructions of
    // saving and restoring registers and reloading the environment (callgrind).
    #[inline(always)]
    fn eval_program<E: Env + ?Sized>(
        &mut self,
        when: &Expr,
        program: Option<&Program>,
        env: &E,
        _: Option<u32>,
    ) -> Truth {
        match program {
            Some(p) => p.truth(env),
            None => when.truth(env),
        }
    }
    fn unknown_attrs(&mut self, _: &Expr, _: &dyn Env, _: Option<u32>) {}
    fn unconfirmed(&mut self, _: &RuleMeta, _: Unconfirmed, _: bool) {}
    fn warning(&mut self, _: Warning<'r>) {}
    fn parties_not_given(&mut self) {}
    fn absorb(&mut self, _: &mut Self, _: bool, _: bool) {}
}

/// Receives every rule the core tests, with its truth and notes.
pub(crate) trait Sink<'r> {
    /// The notes of one rule.
    type Notes: Notes<'r>;
    /// Whether every rule in force is tested (to explain it), not only those the index says
    /// can apply to the destination.
    const EXPLAINS: bool;
    /// Whether the sink records nothing at all (the no-op sink `()`, whose caller reads the
    /// missing kinds from the classification made): a product's classification may then be
    /// decided three-valued by its straight form without notes per rule
    /// ([`Straight::run_kleene`](crate::ruleset::condition::Straight::run_kleene)). A sink that
    /// counts missing kinds from the notes needs the general path for an unknown condition.
    const RECORDS_NOTHING: bool = false;
    /// Empty notes for the next rule, of `kind`.
    fn notes(&mut self, kind: RuleKind) -> Self::Notes;
    /// Rule `i` of `kind` (index into the pack's rules of that kind) was tested.
    fn rule(&mut self, kind: RuleKind, i: usize, truth: Truth, notes: Self::Notes);
    /// A missing fact of the transaction that no one rule reads (the location of a recipient,
    /// the rules after the research cut-off), written out only when shown.
    fn fact_missing(&mut self, m: Missing<'r>);
}

impl<'r> Sink<'r> for () {
    type Notes = ();
    const EXPLAINS: bool = false;
    const RECORDS_NOTHING: bool = true;
    fn notes(&mut self, _: RuleKind) -> Self::Notes {}
    fn rule(&mut self, _: RuleKind, _: usize, _: Truth, _: Self::Notes) {}
    fn fact_missing(&mut self, _: Missing<'r>) {}
}
