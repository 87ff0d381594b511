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
    ClassifiedProduct, CompiledPack, Decision, Determination, EvaluateError, FastQuery, MissingKinds, Options,
    PreparedProduct, Query, Scratch, Verdict,
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

/// What the scratch tells of the last decision.
#[derive(Debug, PartialEq)]
struct Lists {
    /// Paragraphs, sorted.
    paragraphs: Vec<String>,
    /// Undetermined paragraphs, in pack order.
    undetermined: Vec<String>,
    /// Requirements with their truth, in the order found.
    requirements: Vec<(String, Truth)>,
    /// Exceptions with their truth, sorted by id.
    exceptions: Vec<(String, Truth)>,
    /// The kinds of missing fact.
    missing: MissingKinds,
}

impl Lists {
    fn is_empty(&self) -> bool {
        self.paragraphs.is_empty()
            && self.undetermined.is_empty()
            && self.requirements.is_empty()
            && self.exceptions.is_empty()
            && self.missing.is_empty()
    }
}

fn lists(pack: &CompiledPack, s: &Scratch) -> Lists {
    let mut paragraphs: Vec<String> = s.paragraphs(pack).map(String::from).collect();
    paragraphs.sort();
    let undetermined = s.undetermined_paragraphs(pack).map(String::from).collect();
    let requirements = s.requirements(pack).map(|(id, t)| (id.to_string(), t)).collect();
    let mut exceptions: Vec<(String, Truth)> = s.exceptions(pack).map(|(id, t)| (id.to_string(), t)).collect();
    exceptions.sort_by(|a, b| a.0.cmp(&b.0));
    Lists { paragraphs, undetermined, requirements, exceptions, missing: s.missing_kinds(pack) }
}

/// The roles of parties as the determination's `missing` names them (`end user "Acme": country`).
const ROLE_LABELS: [&str; 5] = ["purchaser", "intermediate consignee", "ultimate consignee", "end user", "beneficiary"];

/// The kind of one fact of a determination's `missing`: a rule's status (`status of <rule> …`), a
/// fact written in words (a party's, the destination's region or group membership, where the
/// items ship from, the research cut-off), else a figure of the product, a unit or the exporter
/// (an input's name). As [`MissingKinds`] documents them: `exported_from` is a fact in words,
/// not a figure (read as a figure, it made the fast path's kind look unnamed when it was the
/// only missing fact: origin11, reverted by cea9425).
pub fn missing_kind(m: &str) -> MissingKinds {
    let party = ROLE_LABELS.iter().any(|r| {
        m.strip_prefix(r).is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', ':', '\'', '"']))
    });
    if m.starts_with("status of ") {
        MissingKinds::STATUS
    } else if party
        || m == export_controls::model::REGION_MISSING
        || m == export_controls::model::EXPORTED_FROM_MISSING
        || m.starts_with("whether ")
        || m.starts_with("the rules in force after ")
    {
        MissingKinds::FACTS
    } else {
        MissingKinds::FIGURES
    }
}

/// The kinds of the facts of a determination's `missing`.
pub fn missing_kinds(d: &Determination) -> MissingKinds {
    d.missing.iter().fold(MissingKinds::NONE, |k, m| k.union(missing_kind(m)))
}

/// The fast path's kinds of missing fact against the determination's `missing`: each is among
/// the kinds named there (the determination may name more: it also tests the notices, review
/// policies and every rule in force, and names the inputs of every undetermined paragraph), and
/// an indeterminate verdict names some missing fact on both paths.
pub fn check_missing(d: &Determination, fast: MissingKinds) -> Result<(), String> {
    let named = missing_kinds(d);
    if !named.contains(fast) {
        return Err(format!("missing kinds: fast {fast:?}, not all among the determination's {named:?}: {:?}", d.missing));
    }
    if d.verdict == Verdict::Indeterminate && (d.missing.is_empty() || fast.is_empty()) {
        return Err(format!("indeterminate with missing kinds {fast:?} (fast), {:?}", d.missing));
    }
    Ok(())
}

/// The rule id of one of an exception finding's `grounds` (`<id>: <title>`).
fn ground_id(g: &str) -> &str {
    g.split_once(": ").map_or(g, |(id, _)| id)
}

/// The fast path's exceptions (rule id, strongest truth over the destinations) against the
/// determination's, which lists each exception name once: its first rule as `id`, the others
/// that offer it equally certainly as `grounds`. Checks that the same rules are found, that an
/// entry is certain exactly when its own rule is certainly available somewhere, and that every
/// rule certainly available is in a certain entry.
pub fn check_exceptions(d: &Determination, fast: &[(String, Truth)]) -> Result<(), String> {
    let mut explained: Vec<&str> = d
        .exceptions
        .iter()
        .flat_map(|e| std::iter::once(e.id.as_str()).chain(e.grounds.iter().map(|g| ground_id(g))))
        .collect();
    explained.sort_unstable();
    explained.dedup();
    let ids: Vec<&str> = fast.iter().map(|(id, _)| id.as_str()).collect();
    differ("exceptions (rules)", &explained, &ids)?;
    let fast_truth = |id: &str| fast.iter().find(|(x, _)| x == id).map_or(Truth::False, |&(_, t)| t);
    for e in &d.exceptions {
        differ(&format!("certainty of exception {}", e.id), truth(e.certainty), fast_truth(&e.id))?;
    }
    for (id, _) in fast.iter().filter(|(_, t)| *t == Truth::True) {
        let certain = d.exceptions.iter().filter(|e| e.certainty == Certainty::Certain);
        if !certain.clone().any(|e| e.id == *id || e.grounds.iter().any(|g| ground_id(g) == id)) {
            return Err(format!("exception {id} is certainly available (fast) but in no certain entry: {:?}", d.exceptions));
        }
    }
    Ok(())
}

/// For a transaction with other destinations: the bounds of the outcome range that the merged
/// findings allow. The determination merges its destinations' findings (a requirement's
/// certainty is its strongest, an exception is listed when it overcomes the requirement at any
/// of them), so the range of each destination cannot be read back: a requirement certain at two
/// destinations with NAC certainly available at both (licence exception) and at only one of them
/// (licence required) give the same lists. What holds: the range read from the merged findings
/// as for one destination is a lower bound of both ends (the strongest certainty only raises
/// them, an exception counted at every destination only lowers them); `at_least` is below a
/// licence requirement unless some requirement is certain, and exactly a licence requirement
/// when a certain one has no exception; `at_most` is a licence requirement when a requirement
/// has no exception, and no licence required when nothing was found and nothing is missing.
fn check_merged_range(d: &Determination, fast: &Decision, opened: bool) -> Result<(), String> {
    let (lo, hi) = determination_range(d);
    let bare = |r: &export_controls::evaluate::RequirementFinding| r.overcome_by.is_empty();
    let certain = |r: &export_controls::evaluate::RequirementFinding| r.certainty == Certainty::Certain;
    let lo_max = if d.requirements.iter().any(certain) { Verdict::LicenseRequired } else { Verdict::NoLicenseRequired };
    let hi_max = if d.requirements.is_empty() && !opened && d.missing.is_empty() {
        Verdict::NoLicenseRequired
    } else {
        Verdict::LicenseRequired
    };
    let lo_min = if d.requirements.iter().any(|r| certain(r) && bare(r)) { Verdict::LicenseRequired } else { lo };
    let hi_min = if d.requirements.iter().any(bare) { Verdict::LicenseRequired } else { hi };
    let within = |v: Verdict, min: Verdict, max: Verdict| min <= v && v <= max;
    if within(fast.at_least, lo_min, lo_max) && within(fast.at_most, hi_min, hi_max) {
        Ok(())
    } else {
        Err(format!(
            "range (at_least, at_most) {:?} outside the bounds of the merged findings: at_least in {:?}, at_most in {:?}",
            (fast.at_least, fast.at_most),
            (lo_min, lo_max),
            (hi_min, hi_max)
        ))
    }
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
/// - they give the same exceptions, which are the determination's one by one
///   (`check_exceptions`: the same rules, each certain as the determination says);
/// - the kinds of missing fact they report are among those of the determination's `missing`
///   (`missing_kind`; the determination may name more, see `Scratch::missing_kinds`), and an
///   indeterminate verdict names some missing fact;
/// - the fast path's `at_least` / `at_most` are the range the determination's requirements and
///   exceptions leave possible, and each verdict is the verdict of that range; where parties
///   make other countries destinations, the range is within the bounds the merged findings
///   allow (`check_merged_range`);
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
        let mut again = lists(pack, scratch);
        // A computer's unit figure found unknown where another unit decided the condition is
        // not counted after `decide_classified` (which reads the condition's truth): its kinds
        // may be fewer.
        if fast_lists.missing.contains(again.missing) {
            again.missing = fast_lists.missing;
        }
        differ_classified("paragraphs, undetermined paragraphs, requirements, exceptions, missing kinds", &fast_lists, &again)?;
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
            let Lists { paragraphs, undetermined, requirements, exceptions, missing } = fast_lists;
            differ("verdict", d.verdict, f.verdict)?;
            differ("paragraphs", &d.paragraphs, &paragraphs)?;
            differ("undetermined paragraphs", &d.undetermined_paragraphs, &undetermined)?;
            let explained: Vec<(String, Truth)> =
                d.requirements.iter().map(|r| (r.id.clone(), truth(r.certainty))).collect();
            differ("requirements", &explained, &requirements)?;
            check_exceptions(&d, &exceptions)?;
            check_missing(&d, missing)?;
            // A party that takes the items (an intermediate or ultimate consignee, an end user)
            // whose location is unknown leaves the destination open: every outcome up to a
            // licence requirement stays possible.
            let placed = |p: &export_controls::model::Party| p.role.takes_the_items();
            // So does an end use where the items are, declared without its place, and a party
            // that does not take the items located in an embargoed country, or whose location
            // is unknown while the pack has embargo requirements (tester round 11, W10, W11).
            let unplaced = |p: &export_controls::model::Party| {
                p.end_uses.iter().any(|u| u.place.is_none() && u.end_use.places_the_items())
            };
            // (Only with embargo requirements in the pack: elsewhere a rule that reads such a
            // party's location, e.g. an exception's `located_in`, names it missing without
            // opening the outcome, and a pack without them opens nothing for it.)
            let embargo_rules =
                rules.requirements().iter().any(|r| r.reason == export_controls::ruleset::ControlReason::Embargo);
            let unlocated = |p: &export_controls::model::Party| {
                embargo_rules
                    && !placed(p)
                    && p.country.is_none()
                    && d.missing.contains(&format!("{}: country", p.label()))
            };
            let embargoed =
                d.missing.iter().any(|m| m.contains(": whether the items are sold or supplied, directly or indirectly, to "));
            // So does an invalid product: it is never cleared.
            let opened = q.parties.iter().any(|p| (placed(p) && p.country.is_none()) || unplaced(p) || unlocated(p))
                || embargoed
                || !product.is_valid();
            // The range read back from the findings holds for one destination: where parties
            // make other countries destinations too, the findings of the destinations are
            // merged, and only bounds of the range can be read back (`check_merged_range`).
            if d.other_destinations.is_empty() {
                let mut range = determination_range(&d);
                if opened {
                    range.1 = Verdict::LicenseRequired;
                }
                differ("range (at_least, at_most)", range, (f.at_least, f.at_most))?;
                differ("verdict of the explained range", verdict_of(range), d.verdict)?;
            } else {
                check_merged_range(&d, &f, opened)?;
            }
            if let Some(c) = classification {
                check_classification(&d, c)?;
            }
            Ok(Outcome::Decided(Box::new(d), f))
        }
        (Err(a), Err(t), Err(b)) => {
            differ("error (trace on)", &a, &t)?;
            differ("error", &a, &b)?;
            if !fast_lists.is_empty() {
                return Err(format!("after {a} the scratch reports {fast_lists:?}"));
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
