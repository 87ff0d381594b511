//! The cases and the implementations, shared by the bench (`benches/peers.rs`), the instruction
//! counter (`examples/count.rs`) and the agreement test, so that all three run the same code.
//!
//! One case is a product, a destination and a date. Every implementation is given the same
//! things: what is prepared once per product (the engine's `PreparedProduct` or
//! `ClassifiedProduct`; the peers' figures scaled to integers, Cedar's entities, or their
//! classification for the "classified" variants) and, per call, the destination and the date,
//! from which it builds its query, request or input object inside the timed loop.

use std::hint::black_box;

use export_controls::{ClassifiedProduct, Country, Date, PreparedProduct};

use crate::answer::Answer;
#[cfg(feature = "cedar")]
use crate::cedar::{Cedar, Policies};
use crate::engine::Engine;
use crate::hand::{HandClassified, hand_decide, hand_int_decide};
use crate::inputs::{self, PeerMetrics};
#[cfg(feature = "zen")]
use crate::zen::{Rules, Zen};

/// One determination to make.
#[derive(Debug, Clone, Copy)]
pub struct Case {
    /// Index into [`Setup::products`].
    pub product: usize,
    /// Country of destination (exported from the US).
    pub destination: Country,
    /// As-of date.
    pub date: Date,
}

/// Whether this build has cedar-policy (feature `cedar`).
const CEDAR: bool = cfg!(feature = "cedar");
/// Whether this build has zen-engine (feature `zen`).
const ZEN: bool = cfg!(feature = "zen");

/// The implementations, as named in the criterion group `peers` and by `examples/count.rs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Impl {
    /// `CompiledPack::decide`.
    Decide,
    /// `CompiledPack::decide_classified` on products classified once (`classify_product`).
    DecideClassified,
    /// `RuleSet::evaluate`, trace off.
    Evaluate,
    /// Hand-written over 10⁴-scaled `i64`: the practical limit.
    HandInt,
    /// The same, classified once per product.
    HandIntClassified,
    /// Hand-written over the engine's `Decimal` / `Ratio`.
    HandDecimal,
    /// cedar-policy, 14 policies, integer figures.
    Cedar,
    /// cedar-policy on products classified once.
    CedarClassified,
    /// cedar-policy with 1 policy `when { true }`: the fixed cost of a request.
    CedarEmpty1,
    /// cedar-policy with 14 policies `when { true }`: the fixed cost of 14 policies.
    CedarEmpty14,
    /// zen-engine, one decision table.
    Zen,
    /// zen-engine on products classified once.
    ZenClassified,
}

impl Impl {
    /// Every implementation, in the order of the report.
    pub const ALL: [Impl; 12] = [
        Impl::Decide,
        Impl::DecideClassified,
        Impl::Evaluate,
        Impl::HandInt,
        Impl::HandIntClassified,
        Impl::HandDecimal,
        Impl::Cedar,
        Impl::CedarClassified,
        Impl::CedarEmpty1,
        Impl::CedarEmpty14,
        Impl::Zen,
        Impl::ZenClassified,
    ];

    /// The name in the criterion group and in the report.
    pub fn name(self) -> &'static str {
        match self {
            Impl::Decide => "export-controls",
            Impl::DecideClassified => "export-controls, classified",
            Impl::Evaluate => "export-controls, full determination",
            Impl::HandInt => "hand-written (i64)",
            Impl::HandIntClassified => "hand-written (i64), classified",
            Impl::HandDecimal => "hand-written (engine's Decimal, Ratio)",
            Impl::Cedar => "cedar-policy",
            Impl::CedarClassified => "cedar-policy, classified",
            Impl::CedarEmpty1 => "cedar-policy, 1 empty policy",
            Impl::CedarEmpty14 => "cedar-policy, 14 empty policies",
            Impl::Zen => "zen-engine",
            Impl::ZenClassified => "zen-engine, classified",
        }
    }

    /// By name.
    pub fn parse(name: &str) -> Option<Impl> {
        Impl::ALL.into_iter().find(|i| i.name() == name)
    }

    /// Whether this build has it: the Cedar and ZEN rows need the features `cedar` and `zen`.
    pub fn built(self) -> bool {
        match self {
            Impl::Cedar | Impl::CedarClassified | Impl::CedarEmpty1 | Impl::CedarEmpty14 => CEDAR,
            Impl::Zen | Impl::ZenClassified => ZEN,
            _ => true,
        }
    }

    /// Every implementation this build has ([`Impl::built`]), in the order of [`Impl::ALL`].
    pub fn all_built() -> impl Iterator<Item = Impl> {
        Impl::ALL.into_iter().filter(|i| i.built())
    }

    /// Whether it answers the question (not so the empty Cedar policy sets, which measure a floor).
    pub fn answers(self) -> bool {
        !matches!(self, Impl::CedarEmpty1 | Impl::CedarEmpty14)
    }
}

/// What every implementation shares: the products, the cases and the engine.
pub struct Setup {
    /// The products, prepared once (by the engine's `PreparedProduct::new`).
    pub products: Vec<PreparedProduct>,
    /// The peers' figures of the same products.
    pub metrics: Vec<PeerMetrics>,
    /// The destinations.
    pub destinations: Vec<Country>,
    /// Every product × destination × date.
    pub cases: Vec<Case>,
    /// The engine with the benchmark pack.
    pub engine: Engine,
}

impl Setup {
    /// Every product to every destination on every date.
    pub fn new(products: Vec<PreparedProduct>, destinations: Vec<Country>, dates: &[Date]) -> Setup {
        let metrics = products.iter().map(PeerMetrics::of).collect();
        let mut cases = Vec::new();
        for &date in dates {
            for product in 0..products.len() {
                for &destination in &destinations {
                    cases.push(Case { product, destination, date });
                }
            }
        }
        let rules = inputs::pack();
        assert_eq!(rules.pack().aggregation.separate_packages, inputs::READING, "the pack reads computers otherwise");
        Setup { products, metrics, destinations, cases, engine: Engine::new(rules) }
    }

    /// The benchmark's cases: the shipped catalog × every country but the US × both dates.
    pub fn benchmark() -> Setup {
        Setup::new(inputs::catalog(), inputs::destinations(), &inputs::dates())
    }

    /// An implementation, ready to decide (its rules compiled, its per-product data prepared).
    ///
    /// # Panics
    ///
    /// If this build does not have it ([`Impl::built`]).
    pub fn runner(&self, imp: Impl) -> Runner<'_> {
        #[cfg(feature = "cedar")]
        let cedar = |p| State::Cedar(Box::new(Cedar::new(p, &self.metrics, &self.destinations)));
        let state = match imp {
            Impl::Decide | Impl::Evaluate | Impl::HandInt | Impl::HandDecimal => State::None,
            Impl::DecideClassified => {
                State::Classified(self.products.iter().map(|p| self.engine.classify(p)).collect())
            }
            Impl::HandIntClassified => State::Hand(self.metrics.iter().map(HandClassified::of).collect()),
            #[cfg(feature = "cedar")]
            Impl::Cedar => cedar(Policies::Rules),
            #[cfg(feature = "cedar")]
            Impl::CedarClassified => cedar(Policies::Classified),
            #[cfg(feature = "cedar")]
            Impl::CedarEmpty1 => cedar(Policies::Trivial(1)),
            #[cfg(feature = "cedar")]
            Impl::CedarEmpty14 => cedar(Policies::Trivial(14)),
            #[cfg(feature = "zen")]
            Impl::Zen => State::Zen(Box::new(Zen::new(Rules::Full, &self.metrics))),
            #[cfg(feature = "zen")]
            Impl::ZenClassified => State::Zen(Box::new(Zen::new(Rules::Classified, &self.metrics))),
            #[allow(unreachable_patterns)]
            imp => panic!("{} is not in this build (features `cedar`, `zen`)", imp.name()),
        };
        Runner { setup: self, imp, state }
    }
}

enum State {
    None,
    Classified(Vec<ClassifiedProduct>),
    Hand(Vec<HandClassified>),
    #[cfg(feature = "cedar")]
    Cedar(Box<Cedar>),
    #[cfg(feature = "zen")]
    Zen(Box<Zen>),
}

/// One implementation with its prepared state.
pub struct Runner<'s> {
    setup: &'s Setup,
    imp: Impl,
    state: State,
}

/// Decides every case with `$decide` (a closure over a `&Case`), each case through
/// `black_box`, the answer given to `$sink`: one loop per implementation, so that nothing but
/// the decision (and the loop) is inside.
macro_rules! each {
    ($cases:expr, $sink:expr, $decide:expr) => {{
        let decide = $decide;
        for c in $cases {
            let c: &Case = black_box(c);
            $sink(decide(c));
        }
    }};
}

impl Runner<'_> {
    /// The implementation.
    pub fn imp(&self) -> Impl {
        self.imp
    }

    /// Decides every case of the setup once, in order, giving each answer to `sink` (inlined:
    /// the bench's `black_box` costs nothing more than that).
    #[inline]
    pub fn run(&self, mut sink: impl FnMut(Answer)) {
        let s = self.setup;
        let cases = &s.cases;
        match (&self.state, self.imp) {
            (State::None, Impl::Decide) => {
                each!(cases, sink, |c: &Case| s.engine.decide(&s.products[c.product], c.destination, c.date))
            }
            (State::None, Impl::Evaluate) => {
                each!(cases, sink, |c: &Case| s.engine.evaluate(&s.products[c.product], c.destination, c.date))
            }
            (State::None, Impl::HandInt) => {
                each!(cases, sink, |c: &Case| hand_int_decide(&s.metrics[c.product], c.destination, c.date))
            }
            (State::None, Impl::HandDecimal) => {
                each!(cases, sink, |c: &Case| hand_decide(&s.products[c.product], c.destination, c.date))
            }
            (State::Classified(cp), _) => {
                each!(cases, sink, |c: &Case| s.engine.decide_classified(&cp[c.product], c.destination, c.date))
            }
            (State::Hand(h), _) => each!(cases, sink, |c: &Case| h[c.product].decide(c.destination, c.date)),
            #[cfg(feature = "cedar")]
            (State::Cedar(cedar), _) => each!(cases, sink, |c: &Case| cedar.decide(c.product, c.destination, c.date)),
            #[cfg(feature = "zen")]
            (State::Zen(zen), _) => each!(cases, sink, |c: &Case| zen.decide(c.product, c.destination, c.date)),
            (State::None, imp) => panic!("{imp:?} has no state"),
        }
    }

    /// Every answer, in the order of the cases.
    pub fn answers(&self) -> Vec<Answer> {
        let mut out = Vec::with_capacity(self.setup.cases.len());
        self.run(|a| out.push(a));
        out
    }
}
