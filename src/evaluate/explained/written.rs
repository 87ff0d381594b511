//! The determination as serialised from its explained form ([`super::Explained`]) without
//! being made: the lists written out by [`RuleSet::parts`](crate::RuleSet) as for the
//! [`Determination`](crate::Determination), the product, its metrics, the inputs and the pack
//! borrowed, and the trace written entry by entry as it is serialised (its rule ids and
//! citations borrowed from the pack). The fields, their order and when they are left out are
//! the [`Determination`](crate::Determination)'s, so that the JSON is the same byte for byte
//! (tests in `tests/explained_json.rs` compare the two on every catalog product).

use serde::Serialize;

use super::{Lists, Run, Summary};
use crate::date::Date;
use crate::evaluate::determination as owned;
use crate::evaluate::determination::{
    ContainedFinding, CountryRef, ExceptionFinding, MetricsReport, RequirementFinding, ScreeningBasis, Verdict,
};
use crate::evaluate::query::Query;
use crate::evaluate::record::TraceWriter;
use crate::model::{Exporter, Party, Product, ProductKind, Region};
use crate::ruleset::RuleSet;

/// As [`crate::Determination`], borrowing what it can.
#[derive(Serialize)]
pub(super) struct Written<'a, 'r> {
    verdict: Verdict,
    as_of: Date,
    product: ProductSummary<'a>,
    destination: CountryRef,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    other_destinations: Vec<CountryRef>,
    exported_from: Option<CountryRef>,
    eccns: Vec<String>,
    paragraphs: Vec<String>,
    undetermined_paragraphs: Vec<String>,
    metrics: &'a MetricsReport,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    contents: Vec<ContainedFinding>,
    requirements: Vec<RequirementFinding>,
    exceptions: Vec<ExceptionFinding>,
    missing: Vec<String>,
    warnings: Vec<String>,
    notices: Vec<String>,
    trace: TraceWriter<'a, 'r>,
    rules: PackRef<'a>,
    inputs: Inputs<'a>,
    scope: Vec<owned::ScopeLine>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    screening: Vec<ScreeningBasis>,
}

/// As [`crate::ProductSummary`], borrowed.
#[derive(Serialize)]
struct ProductSummary<'a> {
    id: &'a str,
    name: &'a str,
    vendor: &'a str,
    kind: ProductKind,
    designed_or_marketed_for_datacenter: Option<bool>,
}

/// As [`crate::PackRef`], borrowed.
#[derive(Serialize)]
struct PackRef<'a> {
    name: &'a str,
    version: &'a str,
    sha256: &'a str,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    unlocked: bool,
}

/// As [`crate::Inputs`], borrowed.
#[derive(Serialize)]
struct Inputs<'a> {
    product: &'a Product,
    parties: &'a [Party],
    exporter: &'a Exporter,
    #[serde(skip_serializing_if = "Option::is_none")]
    destination_region: Option<Region>,
}

impl<'a, 'r> Written<'a, 'r> {
    /// The determination of `run` for `q` under `rules`, of its classification `summary` and
    /// `lists`, as [`RuleSet::determination`] makes it.
    pub(super) fn new(rules: &'a RuleSet, run: &'a Run<'r, 'r>, q: &'a Query, summary: Summary, lists: Lists) -> Self {
        let Lists { requirements, exceptions, missing, warnings, notices, scope, screening, contents } = lists;
        let product = run.product;
        let pack = &rules.pack;
        Written {
            verdict: run.decision.verdict,
            as_of: q.date,
            product: ProductSummary {
                id: &product.product().id,
                name: &product.product().name,
                vendor: &product.product().vendor,
                kind: product.product().kind,
                designed_or_marketed_for_datacenter: product.product().designed_or_marketed_for_datacenter,
            },
            destination: CountryRef::from(q.destination),
            other_destinations: run.legs.iter().skip(1).map(|l| CountryRef::from(l.f.destination)).collect(),
            exported_from: q.exported_from.map(CountryRef::from),
            eccns: summary.eccns,
            paragraphs: summary.paragraphs,
            undetermined_paragraphs: summary.undetermined,
            metrics: product.figures().report(),
            contents,
            requirements,
            exceptions,
            missing,
            warnings,
            notices,
            trace: run.rec.trace_writer(&run.f, run.params(), &run.s.unit_params),
            rules: PackRef {
                name: &pack.name,
                version: &pack.version,
                sha256: &pack.sha256,
                unlocked: pack.unlocked.is_some(),
            },
            inputs: Inputs {
                product: product.product(),
                parties: &q.parties,
                exporter: &q.exporter,
                destination_region: q.destination_region,
            },
            scope,
            screening,
        }
    }
}

/// Does not compile when [`crate::Determination`] (or a part [`Written`] writes in its place)
/// gains or loses a field: [`Written`] must then follow it, in the same order and left out
/// under the same condition.
#[allow(dead_code)]
fn same_fields(d: owned::Determination, t: owned::TraceEntry) {
    let owned::Determination {
        verdict: _,
        as_of: _,
        product: owned::ProductSummary { id: _, name: _, vendor: _, kind: _, designed_or_marketed_for_datacenter: _ },
        destination: _,
        other_destinations: _,
        exported_from: _,
        eccns: _,
        paragraphs: _,
        undetermined_paragraphs: _,
        metrics: _,
        contents: _,
        requirements: _,
        exceptions: _,
        missing: _,
        warnings: _,
        notices: _,
        trace: _,
        rules: owned::PackRef { name: _, version: _, sha256: _, unlocked: _ },
        inputs: owned::Inputs { product: _, parties: _, exporter: _, destination_region: _ },
        scope: _,
        screening: _,
    } = d;
    // As the trace entries written by `TraceItem`'s `Serialize` (in `evaluate::record`).
    let owned::TraceEntry { rule: _, kind: _, result: _, comparisons: _, notes: _, source: _ } = t;
}
