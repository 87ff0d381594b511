// Agreement of the two ways the crate decides a transaction: the explained path
// (`RuleSet::evaluate`, a `Determination`, with the trace off and on) and the compiled fast path
// (`CompiledPack::decide` and `decide_classified`, a `Decision` and the `Scratch` accessors).
//
// Shared, as it is, by the `rule_file` fuzz target (fuzz/src/lib.rs, and so
// tests/fuzz_regressions.rs, which replays the corpus) and by tests/pack_agreement.rs (generated
// packs): each includes this file in a module of its own. Public API only, so that it checks
// whatever core the two paths are built on. No inner attributes or inner doc comments here
// (`include!` refuses them).

use export_controls::evaluate::{Certainty, ClassificationResult};
use export_controls::ruleset::condition::Truth;
use export_controls::{
    ClassifiedProduct, CompiledPack, Decision, Determination, EvaluateError, FastQuery, Options, PreparedProduct,
    Query, Scratch, Verdict,
};

/// What both paths said, once they agree.
#[derive(Debug)]
pub enum Outcome {
    /// Both decided: the explained determination (trace off) and the fast decision.
    Decided(Box<Determination>, Decision),
    /// Both refused the query with this error.
    Refused(EvaluateError),
}

impl Outcome {
    /// The verdict, if the query was decided.
    pub fn verdict(&self) -> Option<Verdict> {
        match self {
            Outcome::Decided(d, _) => Some(d.verdict),
            Outcome::Refused(_) => None,
        }
    }
}

/// The outcomes one requirement leaves possible, least and most restrictive, from whether it
/// applies and whether an available exception overcomes it (true, or unknown: possible): the
/// verdict is the strictest outcome not overcome (DESIGN.md, Determination), and a missing fact
/// widens the range instead of being read as "does not apply".
pub fn requirement_range(applies: Truth, overcome: Truth) -> (Verdict, Verdict) {
    use Verdict::{LicenseException as Le, LicenseRequired as Lr, NoLicenseRequired as Nlr};
    let if_applies = match overcome {
        Truth::True => (Le, Le),
        Truth::Unknown => (Le, Lr),
        Truth::False => (Lr, Lr),
    };
    match applies {
        Truth::True => if_applies,
        Truth::Unknown => (Nlr, if_applies.1),
        Truth::False => (Nlr, Nlr),
    }
}

fn truth(c: Certainty) -> Truth {
    match c {
        Certainty::Certain => Truth::True,
        Certainty::Possible => Truth::Unknown,
    }
}

/// The range of outcomes a determination's findings leave possible: per requirement found, its
/// certainty and the certainty of the exceptions that overcome it.
pub fn determination_range(d: &Determination) -> (Verdict, Verdict) {
    d.requirements.iter().fold((Verdict::NoLicenseRequired, Verdict::NoLicenseRequired), |(lo, hi), r| {
        let overcome = d
            .exceptions
            .iter()
            .filter(|x| x.overcomes.contains(&r.id))
            .fold(Truth::False, |acc, x| acc.or(truth(x.certainty)));
        let (min, max) = requirement_range(truth(r.certainty), overcome);
        (lo.max(min), hi.max(max))
    })
}

/// The verdict of a range: its only outcome, else indeterminate.
pub fn verdict_of(range: (Verdict, Verdict)) -> Verdict {
    if range.0 == range.1 { range.0 } else { Verdict::Indeterminate }
}

/// What the scratch tells of the last decision: paragraphs (sorted), undetermined paragraphs (pack
/// order), requirements with their truth (pack order).
type Lists = (Vec<String>, Vec<String>, Vec<(String, Truth)>);

fn lists(pack: &CompiledPack, s: &Scratch) -> Lists {
    let mut paragraphs: Vec<String> = s.paragraphs(pack).map(String::from).collect();
    paragraphs.sort();
    let undetermined = s.undetermined_paragraphs(pack).map(String::from).collect();
    let requirements = s.requirements(pack).map(|(id, t)| (id.to_string(), t)).collect();
    (paragraphs, undetermined, requirements)
}

fn differ<T: std::fmt::Debug + PartialEq>(what: &str, explained: T, fast: T) -> Result<(), String> {
    if explained == fast { Ok(()) } else { Err(format!("{what}: explained {explained:?}, fast {fast:?}")) }
}

fn differ_classified<T: std::fmt::Debug + PartialEq>(what: &str, decide: T, classified: T) -> Result<(), String> {
    if decide == classified {
        Ok(())
    } else {
        Err(format!("{what}: decide {decide:?}, decide_classified {classified:?}"))
    }
}

/// The exporter `RuleSet::classify` reads a product as: not a front-end fabricator or OSAT,
/// no attestation.
const ORDINARY_EXPORTER: export_controls::model::Exporter = export_controls::model::Exporter {
    front_end_fabricator_or_osat: Some(false),
    approved_ic_designer_attestation: false,
    packaged_outside_d5_or_macau: false,
    packaged_by: None,
};

/// Decides `product` for `q` every way the crate can and checks that the answers agree:
///
/// - `evaluate` with the trace on gives the determination it gives with the trace off;
/// - `decide`, and `decide_classified` on `classified` (the same product classified once by
///   `pack`), give the same verdict, the same paragraphs (as sets), the same undetermined
///   paragraphs and the same requirements in the same order, each certain (`true`) or possible
///   (`unknown`) as the determination says;
/// - the fast path's `at_least` / `at_most` are the range the determination's requirements and
///   exceptions leave possible, and each verdict is the verdict of that range;
/// - `RuleSet::classify` (which reads the product as an exporter that is not a front-end
///   fabricator or OSAT and holds no attestation would) gives, for such an exporter, the determination's ECCNs,
///   paragraphs and undetermined paragraphs, and no missing input the determination lacks;
/// - a refused query is refused by every path with the same error, and the scratch then reports
///   nothing.
///
/// # Errors
/// The first disagreement, described.
pub fn check(
    pack: &CompiledPack,
    scratch: &mut Scratch,
    product: &PreparedProduct,
    classified: Option<&ClassifiedProduct>,
    q: &Query,
) -> Result<Outcome, String> {
    let rules = pack.rules();
    let full = rules.evaluate(product, q, Options::default());
    let traced = rules.evaluate(product, q, Options { trace: true });
    let parties = pack.prepare_parties(&q.parties);
    let fq = FastQuery::of(q, &parties);
    let fast = pack.decide(product, &fq, scratch);
    let fast_lists = lists(pack, scratch);
    if let Some(c) = classified {
        let again = pack.decide_classified(c, &fq, scratch);
        differ_classified("decision", fast.clone(), again)?;
        differ_classified("paragraphs, undetermined paragraphs, requirements", &fast_lists, &lists(pack, scratch))?;
    }
    let classification =
        (q.exporter == ORDINARY_EXPORTER).then(|| rules.classify(product, q.date, Options::default()));
    match (full, traced, fast) {
        (Ok(d), Ok(mut t), Ok(f)) => {
            t.trace.clear();
            if t != d {
                return Err(format!(
                    "the trace changed the determination: without {:?} {:?} {:?}, with {:?} {:?} {:?}",
                    d.verdict, d.requirements, d.missing, t.verdict, t.requirements, t.missing
                ));
            }
            let (paragraphs, undetermined, requirements) = fast_lists;
            differ("verdict", d.verdict, f.verdict)?;
            differ("paragraphs", &d.paragraphs, &paragraphs)?;
            differ("undetermined paragraphs", &d.undetermined_paragraphs, &undetermined)?;
            let explained: Vec<(String, Truth)> =
                d.requirements.iter().map(|r| (r.id.clone(), truth(r.certainty))).collect();
            differ("requirements", &explained, &requirements)?;
            // The range read back from the findings holds for one destination: where parties
            // make other countries destinations too, each destination has its own findings
            // (reported together), and the outcome is the strictest of their ranges.
            if d.other_destinations.is_empty() {
                let mut range = determination_range(&d);
                // A recipient whose location is unknown leaves the ultimate destination open:
                // every outcome up to a licence requirement stays possible.
                let placed = |p: &export_controls::model::Party| {
                    matches!(p.role, export_controls::model::Role::UltimateConsignee | export_controls::model::Role::EndUser)
                };
                // So does an invalid product: it is never cleared.
                if q.parties.iter().any(|p| placed(p) && p.country.is_none()) || !product.is_valid() {
                    range.1 = Verdict::LicenseRequired;
                }
                differ("range (at_least, at_most)", range, (f.at_least, f.at_most))?;
                differ("verdict of the explained range", verdict_of(range), d.verdict)?;
            }
            if let Some(c) = classification {
                check_classification(&d, c)?;
            }
            Ok(Outcome::Decided(Box::new(d), f))
        }
        (Err(a), Err(t), Err(b)) => {
            differ("error (trace on)", &a, &t)?;
            differ("error", &a, &b)?;
            let (paragraphs, undetermined, requirements) = fast_lists;
            if !paragraphs.is_empty() || !requirements.is_empty() || !undetermined.is_empty() {
                return Err(format!("after {a} the scratch reports {paragraphs:?} {undetermined:?} {requirements:?}"));
            }
            if let (Some(Ok(_)), EvaluateError::BeforeCoverage { .. }) = (&classification, &a) {
                return Err(format!("evaluate refused with `{a}` but classify answered"));
            }
            Ok(Outcome::Refused(a))
        }
        (a, t, b) => Err(format!(
            "one path refused: explained {:?}, traced {:?}, fast {:?}",
            a.map(|d| d.verdict),
            t.map(|d| d.verdict),
            b
        )),
    }
}

fn check_classification(d: &Determination, c: Result<ClassificationResult, EvaluateError>) -> Result<(), String> {
    let c = c.map_err(|e| format!("evaluate answered but classify refused: {e}"))?;
    differ("classify: ECCNs", &d.eccns, &c.eccns)?;
    differ("classify: paragraphs", &d.paragraphs, &c.paragraphs)?;
    differ("classify: undetermined paragraphs", &d.undetermined_paragraphs, &c.undetermined_paragraphs)?;
    match c.missing.iter().find(|m| !d.missing.contains(m)) {
        Some(m) => Err(format!("classify names the missing input {m} that the determination {:?} lacks", d.missing)),
        None => Ok(()),
    }
}
