//! Impact analysis: which determinations differ between two dates, or between two rule packs,
//! over products × destinations × party profiles, and which rules made the difference. A legal
//! reviewer runs it to see what an edit, or the passage of time, changes.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::catalog::Catalog;
use crate::date::Date;
use crate::evaluate::{Determination, Options, Query, Verdict};
use crate::model::{Country, Exporter, Party, Role};
use crate::ruleset::RuleSet;
use crate::ruleset::condition::Truth;

/// Who the buyer is, in a form that adapts to each destination. The exporter of every profile
/// states that it is not a front-end fabricator or OSAT (Note 1 to 3A090.a binds those), so an
/// impact report shows what the rules change for an ordinary exporter; a determination asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PartyProfile {
    /// No parties: destination-based rules only.
    DestinationOnly,
    /// A company located and headquartered in the destination country.
    LocalCompany,
    /// A company located in the destination country whose ultimate parent is headquartered in China.
    ChinaHeadquarteredParent,
}

impl PartyProfile {
    /// The profiles of `--profiles standard`.
    pub const STANDARD: [PartyProfile; 3] = [Self::DestinationOnly, Self::LocalCompany, Self::ChinaHeadquarteredParent];

    /// Vocabulary name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::DestinationOnly => "destination_only",
            Self::LocalCompany => "local_company",
            Self::ChinaHeadquarteredParent => "china_headquartered_parent",
        }
    }

    /// The parties of this profile for a destination, as the impact analysis evaluates them on
    /// `date` with `rules`: hypothetical companies, taken as screened against the complete
    /// version of every list of the pack on that date and not listed (a profile describes a
    /// kind of buyer, not a named one).
    pub fn parties_on(self, destination: Country, rules: &RuleSet, date: Date) -> Vec<Party> {
        let mut parties = self.parties(destination);
        for p in &mut parties {
            for e in &rules.lists {
                if !p.screened.iter().any(|s| s.list == e.list) {
                    p.screened.push(crate::model::Screening {
                        list: e.list.clone(),
                        list_date: date,
                        by: Some("impact profile: a hypothetical party, taken as not listed".into()),
                    });
                }
            }
        }
        parties
    }

    /// The parties of this profile for a destination.
    pub fn parties(self, destination: Country) -> Vec<Party> {
        let china: Country = "CN".parse().unwrap_or(destination);
        let mut p = Party::new(Role::UltimateConsignee);
        p.name = Some(format!("{} company (impact profile)", destination.name()));
        p.country = Some(destination);
        match self {
            Self::DestinationOnly => return Vec::new(),
            Self::LocalCompany => {
                p.headquarters = Some(destination);
                p.parent_headquarters = Some(destination);
            }
            Self::ChinaHeadquarteredParent => {
                p.headquarters = Some(destination);
                p.parent_headquarters = Some(china);
            }
        }
        // The company receives and uses the items: the ultimate consignee and the end user (a
        // consignee alone does not stand for the end user, 15 CFR 748.5(e)-(f)).
        let mut user = p.clone();
        user.role = Role::EndUser;
        vec![p, user]
    }
}

/// One side of a comparison: a rule pack as of a date.
#[derive(Clone, Copy)]
pub struct Side<'a> {
    /// The rules.
    pub rules: &'a RuleSet,
    /// The as-of date.
    pub date: Date,
}

/// What is compared: the parts of a determination a reviewer acts on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outcome {
    /// Verdict.
    pub verdict: Verdict,
    /// ECCNs.
    pub eccns: Vec<String>,
    /// Requirement ids with their review policies.
    pub requirements: Vec<String>,
    /// Licence exceptions available.
    pub exceptions: Vec<String>,
}

impl Outcome {
    fn of(d: &Determination) -> Self {
        Outcome {
            verdict: d.verdict,
            eccns: d.eccns.clone(),
            requirements: d
                .requirements
                .iter()
                .map(|r| match r.review_policy {
                    Some(p) => format!("{} ({})", r.id, p.as_str()),
                    None => r.id.clone(),
                })
                .collect(),
            exceptions: d.exceptions.iter().map(|x| x.name.clone()).collect(),
        }
    }
}

/// What an impact report assumes of the exporter, said in its output (tester12 T8): the
/// exporter of every row is not a "front-end fabricator" or OSAT. For one that is, Note 1 to
/// 3A090.a (15 CFR 774 Supp. No. 1, added by the foundry due-diligence rule, 90 FR 5298,
/// 2025-01-16) presumes an "applicable advanced logic integrated circuit" to be 3A090.a and
/// designed or marketed for datacenters unless rebutted, so its determinations can differ
/// from the report's.
pub const EXPORTER_ASSUMED: &str = "exporter assumed: not a front-end fabricator or OSAT (for one, Note 1 to 3A090.a, added by the foundry due-diligence rule, 90 FR 5298, 2025-01-16, presumes an applicable advanced logic IC is 3A090.a and designed or marketed for datacenters unless rebutted; `check --exporter-front-end-fabricator-or-osat yes` decides for one)";

/// The exporter every row of an impact report is decided for ([`EXPORTER_ASSUMED`]): it
/// states that it is not a front-end fabricator or OSAT, and holds no rebuttal document.
pub fn exporter_assumed() -> Exporter {
    Exporter { front_end_fabricator_or_osat: Some(false), ..Exporter::default() }
}

/// A product × destination × profile whose outcome differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImpactRow {
    /// Product id.
    pub product: String,
    /// Destination.
    pub destination: Country,
    /// Party profile.
    pub profile: PartyProfile,
    /// The exporter both sides were decided for: [`exporter_assumed`], not a front-end
    /// fabricator or OSAT ([`EXPORTER_ASSUMED`] says why that matters).
    pub exporter: Exporter,
    /// Outcome before.
    pub before: Outcome,
    /// Outcome after.
    pub after: Outcome,
    /// Rules that decided only one side: `+id` now applies, `-id` no longer applies.
    pub changed_rules: Vec<String>,
}

/// What to compare over. Empty lists mean everything: every catalog product, every ISO country
/// but the United States.
#[derive(Debug, Clone, Default)]
pub struct ImpactQuery {
    /// Product ids.
    pub products: Vec<String>,
    /// Destinations.
    pub destinations: Vec<Country>,
    /// Party profiles; empty means destination only.
    pub profiles: Vec<PartyProfile>,
}

/// The rules that took part in a determination: classification paragraphs matched,
/// requirements, exceptions, review policies and notices that applied.
fn fired(d: &Determination) -> BTreeSet<String> {
    d.trace.iter().filter(|t| t.result != Truth::False).map(|t| format!("{} {}", t.kind, t.rule)).collect()
}

/// Compares determinations between `before` and `after` and returns those that differ, in
/// product, destination and profile order. Transactions a side cannot evaluate (a date
/// before its coverage) are skipped, so check [`RuleSet::covers`] for both dates first (the CLI
/// refuses such dates).
///
/// Each transaction is first compared on its [`Outcome`] alone, made without a trace and
/// without notices (which the outcome does not read), so the cost of a large pack's notices
/// is not paid for every product × destination × profile; only a transaction whose outcome
/// differs is evaluated again with the trace, to name the rules that changed it.
pub fn impact(catalog: &Catalog, before: Side, after: Side, q: &ImpactQuery) -> Vec<ImpactRow> {
    let destinations = if q.destinations.is_empty() {
        Country::all().into_iter().filter(|c| !c.is_united_states()).collect()
    } else {
        q.destinations.clone()
    };
    let profiles = if q.profiles.is_empty() { vec![PartyProfile::DestinationOnly] } else { q.profiles.clone() };
    let mut rows = Vec::new();
    for p in catalog.iter() {
        if !q.products.is_empty() && !q.products.contains(&p.product().id) {
            continue;
        }
        for &dest in &destinations {
            for &profile in &profiles {
                let query = |side: Side| {
                    // The exporter the profiles stand for: not a front-end fabricator or OSAT
                    // (whom Note 1 to 3A090.a binds; `evaluate` asks when it is not stated).
                    let mut query = Query::export_to(dest, side.date).with_exporter(exporter_assumed());
                    query.parties = profile.parties_on(dest, side.rules, side.date);
                    query
                };
                let outcome = |side: Side| side.rules.evaluate_outcome(p, &query(side)).ok().map(|d| Outcome::of(&d));
                let (Some(ob), Some(oa)) = (outcome(before), outcome(after)) else { continue };
                if ob == oa {
                    continue;
                }
                let traced = |side: Side| side.rules.evaluate(p, &query(side), Options { trace: true }).ok();
                let (Some(b), Some(a)) = (traced(before), traced(after)) else { continue };
                let (fb, fa) = (fired(&b), fired(&a));
                let mut changed: Vec<String> = fa.difference(&fb).map(|r| format!("+{r}")).collect();
                changed.extend(fb.difference(&fa).map(|r| format!("-{r}")));
                rows.push(ImpactRow {
                    product: p.product().id.clone(),
                    destination: dest,
                    profile,
                    exporter: exporter_assumed(),
                    before: ob,
                    after: oa,
                    changed_rules: changed,
                });
            }
        }
    }
    rows
}

/// Plain-text report: the exporter assumed ([`EXPORTER_ASSUMED`]), one line per change, then
/// the count.
pub fn render(rows: &[ImpactRow]) -> String {
    use std::fmt::Write;
    let mut o = String::new();
    let _ = writeln!(o, "{EXPORTER_ASSUMED}");
    for r in rows {
        let _ = writeln!(
            o,
            "{} to {} [{}]: {} -> {}",
            r.product,
            r.destination,
            r.profile.as_str(),
            r.before.verdict.as_str(),
            r.after.verdict.as_str()
        );
        if r.before.requirements != r.after.requirements {
            let _ = writeln!(o, "    requirements: {:?} -> {:?}", r.before.requirements, r.after.requirements);
        }
        if r.before.exceptions != r.after.exceptions {
            let _ = writeln!(o, "    exceptions: {:?} -> {:?}", r.before.exceptions, r.after.exceptions);
        }
        if r.before.eccns != r.after.eccns {
            let _ = writeln!(o, "    eccns: {:?} -> {:?}", r.before.eccns, r.after.eccns);
        }
        let _ = writeln!(o, "    rules: {}", r.changed_rules.join(", "));
    }
    let _ = writeln!(o, "{} determination(s) changed", rows.len());
    o
}
