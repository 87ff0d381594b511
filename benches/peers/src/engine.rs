//! The engine under test: export-controls with the TOML pack in `pack/`, by its three entry
//! points: the compiled fast path (`CompiledPack::decide`), the fast path on a product
//! classified once (`decide_classified`), and the full determination (`RuleSet::evaluate`).
//! The query is built on every call, as the peers' requests are.

use std::cell::RefCell;

use export_controls::{
    ClassifiedProduct, CompiledPack, Country, Date, Determination, FastQuery, Options, PreparedProduct, RuleSet,
    Scratch, Verdict,
};

use crate::answer::{Answer, Licence};

/// A compiled pack with its scratch memory (one per thread, as the library asks).
pub struct Engine {
    pack: CompiledPack,
    scratch: RefCell<Scratch>,
    /// Per paragraph number of the pack: its bit in [`Answer`] (`None`: a paragraph the
    /// benchmark does not expect).
    bits: Vec<Option<u8>>,
}

impl Engine {
    /// Compiles the pack.
    pub fn new(rules: RuleSet) -> Self {
        let pack = CompiledPack::new(rules);
        let bits = (0..pack.paragraph_count()).map(|i| pack.paragraph_id(i).and_then(Answer::bit)).collect();
        Engine { pack, scratch: RefCell::new(Scratch::default()), bits }
    }

    /// The product classified once under every epoch of the pack, for the benchmark's exporter
    /// ([`crate::inputs::EXPORTER`], the one every query states): classified for another
    /// exporter, `decide_classified` would classify again on every call.
    pub fn classify(&self, product: &PreparedProduct) -> ClassifiedProduct {
        self.pack.classify_product_for(product.clone(), crate::inputs::EXPORTER)
    }

    /// Fast path: classification and destination rules evaluated on every call.
    #[inline]
    pub fn decide(&self, product: &PreparedProduct, destination: Country, date: Date) -> Answer {
        let q =
            FastQuery::export_to(destination, date).exported_from(Country::US).with_exporter(crate::inputs::EXPORTER);
        let mut s = self.scratch.borrow_mut();
        let d = self.pack.decide(product, &q, &mut s).unwrap_or_else(|e| panic!("engine: {e}"));
        self.answer(&s, d.verdict)
    }

    /// Fast path on a product classified once.
    #[inline]
    pub fn decide_classified(&self, product: &ClassifiedProduct, destination: Country, date: Date) -> Answer {
        let q =
            FastQuery::export_to(destination, date).exported_from(Country::US).with_exporter(crate::inputs::EXPORTER);
        let mut s = self.scratch.borrow_mut();
        let d = self.pack.decide_classified(product, &q, &mut s).unwrap_or_else(|e| panic!("engine: {e}"));
        self.answer(&s, d.verdict)
    }

    /// The full determination (explanation, citations, warnings), trace off.
    pub fn evaluate(&self, product: &PreparedProduct, destination: Country, date: Date) -> Answer {
        let q = crate::inputs::query(destination, date);
        let d =
            self.pack.rules().evaluate(product, &q, Options { trace: false }).unwrap_or_else(|e| panic!("engine: {e}"));
        answer_of(&d)
    }

    /// The answer read out of the scratch by paragraph number (the ids were mapped to bits
    /// once, in [`Engine::new`]), as a caller that wants bits reads it. Inlined into the
    /// callers, as the hand-written functions' answers are built in place.
    #[inline(always)]
    fn answer(&self, s: &Scratch, verdict: Verdict) -> Answer {
        let bit = |i: usize| {
            self.bits
                .get(i)
                .copied()
                .flatten()
                .unwrap_or_else(|| panic!("unexpected paragraph {:?}", self.pack.paragraph_id(i)))
        };
        Answer {
            paragraphs: s.paragraph_numbers(&self.pack).fold(0u8, |acc, i| acc | bit(i)),
            undetermined: s.undetermined_paragraph_numbers(&self.pack).fold(0u8, |acc, i| acc | bit(i)),
            licence: licence(verdict),
        }
    }
}

fn licence(v: Verdict) -> Licence {
    match v {
        Verdict::NoLicenseRequired => Licence::NotRequired,
        Verdict::LicenseRequired => Licence::Required,
        Verdict::Indeterminate => Licence::Indeterminate,
        v => panic!("unexpected verdict {v:?} (the benchmark pack has no licence exception)"),
    }
}

/// The compared answer of a full determination.
#[inline]
pub fn answer_of(d: &Determination) -> Answer {
    let bits = |ids: &[String]| {
        ids.iter().fold(0u8, |acc, p| acc | Answer::bit(p).unwrap_or_else(|| panic!("unexpected paragraph {p}")))
    };
    Answer {
        paragraphs: bits(&d.paragraphs),
        undetermined: bits(&d.undetermined_paragraphs),
        licence: licence(d.verdict),
    }
}
