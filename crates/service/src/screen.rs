//! Screening products × destinations on a date on the fast path ([`CompiledPack::decide`]),
//! destination rules only: the rows of `export-controls screen`.

use export_controls::model::Exporter;
use export_controls::ruleset::condition::Truth;
use export_controls::{ClassifiedProduct, CompiledPack, Country, Date, FastQuery, Scratch};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::pack::LoadedPack;
use crate::problem::Problem;

/// Most rows one screening request may ask for (products × destinations).
pub const MAX_ROWS: usize = 100_000;

/// A screening request.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScreenRequest {
    /// As-of date (date of export), YYYY-MM-DD.
    #[schema(example = "2024-06-01")]
    pub on: String,
    /// Catalog product ids; the whole catalog when absent or empty.
    #[serde(default)]
    pub products: Vec<String>,
    /// Destinations, ISO 3166-1 alpha-2; every country but the US when absent or empty.
    #[serde(default)]
    pub destinations: Vec<String>,
    /// What the exporter states about itself, as `exporter` in a transaction:
    /// `{"front_end_fabricator_or_osat": false}`. Absent, whether it is a front-end fabricator
    /// or OSAT is unknown, and rows Note 1 to 3A090.a could change are `indeterminate`.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub exporter: Exporter,
}

/// One product and destination: as a row of `export-controls screen --format json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ScreenRow {
    /// Product id.
    pub product: String,
    /// Destination, ISO 3166-1 alpha-2.
    #[schema(value_type = String)]
    pub destination: Country,
    /// As-of date.
    #[schema(value_type = String)]
    pub as_of: Date,
    /// Verdict on the destination rules (no parties screened).
    pub verdict: &'static str,
    /// Least restrictive outcome possible (differs from `at_most` only when indeterminate).
    pub at_least: &'static str,
    /// Most restrictive outcome possible.
    pub at_most: &'static str,
    /// Paragraphs that classify the product, e.g. `3A090.a.1`.
    pub paragraphs: Vec<String>,
    /// Licence requirements that apply; `?` after one that may apply.
    pub requirements: Vec<String>,
}

/// A screening result.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ScreenResponse {
    /// As-of date, YYYY-MM-DD.
    #[schema(value_type = String)]
    pub as_of: Date,
    /// The pack.
    pub rules: crate::records::PackIdentity,
    /// What screening does not do.
    pub note: &'static str,
    /// Warnings that concern every transaction on the date (e.g. the pack's cut-off).
    pub warnings: Vec<String>,
    /// One row per product and destination, products in request (or catalog) order.
    pub rows: Vec<ScreenRow>,
}

/// What screening does not cover, as `screen` says on standard error.
pub const NOTE: &str = "screen evaluates destination rules only: no parties (Entity List, headquarters, end uses) are screened and no warnings are shown; POST /v1/determinations with the parties gives the determination";

/// Decides one classified product for one destination on the fast path.
///
/// # Errors
/// A usage [`Problem`] when the date is before the pack's coverage.
pub fn row(
    pack: &CompiledPack,
    p: &ClassifiedProduct,
    to: Country,
    on: Date,
    exporter: Exporter,
    scratch: &mut Scratch,
) -> Result<ScreenRow, Problem> {
    let q = FastQuery::export_to(to, on).with_exporter(exporter);
    let d = pack.decide_classified(p, &q, scratch).map_err(|e| Problem::usage(e.to_string()))?;
    let requirements = scratch
        .requirements(pack)
        .map(|(id, t)| if t == Truth::True { id.to_string() } else { format!("{id}?") })
        .collect();
    Ok(ScreenRow {
        product: p.product().product.id.clone(),
        destination: to,
        as_of: on,
        verdict: d.verdict.as_str(),
        at_least: d.at_least.as_str(),
        at_most: d.at_most.as_str(),
        paragraphs: scratch.paragraphs(pack).map(String::from).collect(),
        requirements,
    })
}

/// Screens a request against a loaded pack.
///
/// # Errors
/// A 422 [`Problem`] for a bad date, an unknown product or country, the US as destination, a
/// date before the pack's coverage, or more than [`MAX_ROWS`] rows.
pub fn screen(pack: &LoadedPack, req: &ScreenRequest) -> Result<ScreenResponse, Problem> {
    let on: Date = req.on.parse().map_err(|e| Problem::usage(format!("on: {e}")).with_code("E0310"))?;
    let mut chosen: Vec<&ClassifiedProduct> = Vec::new();
    for id in &req.products {
        match pack.classified(id) {
            Some(_) if chosen.iter().any(|c| c.product().product.id == *id) => {}
            Some(p) => chosen.push(p),
            None => {
                let hint = pack.catalog.suggest(id).map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default();
                return Err(Problem::usage(format!("products: unknown product `{id}`{hint}")));
            }
        }
    }
    if chosen.is_empty() {
        chosen = pack.classified.iter().collect();
    }
    let mut countries: Vec<Country> = Vec::new();
    for d in &req.destinations {
        let c: Country = d.parse().map_err(|e| Problem::usage(format!("destinations: {e}")).with_code("E0503"))?;
        if c == Country::US {
            return Err(Problem::usage("destinations: US is the country of export; give destinations abroad"));
        }
        if !countries.contains(&c) {
            countries.push(c);
        }
    }
    if countries.is_empty() {
        countries = Country::all().into_iter().filter(|c| *c != Country::US).collect();
    }
    let n = chosen.len().saturating_mul(countries.len());
    if n > MAX_ROWS {
        return Err(Problem::usage(format!("{n} rows asked for; one request screens at most {MAX_ROWS}")));
    }
    let rules = pack.rules();
    if !rules.covers(on) {
        return Err(Problem::usage(format!(
            "{on} is before {}, the earliest date the rule pack `{}` covers",
            rules.pack().coverage_from,
            rules.pack().name
        )));
    }
    let mut scratch = Scratch::default();
    let mut rows = Vec::with_capacity(n);
    for p in &chosen {
        for &to in &countries {
            rows.push(row(&pack.compiled, p, to, on, req.exporter, &mut scratch)?);
        }
    }
    Ok(ScreenResponse {
        as_of: on,
        rules: crate::api::pack_identity(pack),
        note: NOTE,
        warnings: general_warnings(pack, on),
        rows,
    })
}

/// Notices that concern every transaction on `on` (no scope, no condition), as warnings.
pub fn general_warnings(pack: &LoadedPack, on: Date) -> Vec<String> {
    pack.rules()
        .notices()
        .iter()
        .filter(|n| {
            let s = &n.scope;
            s.destinations.is_none()
                && s.parties.is_none()
                && s.products.is_none()
                && s.transaction_kinds.is_none()
                && n.when.is_none()
                && n.meta.period.contains(on)
        })
        .map(|n| format!("{} [{}; {}]", n.meta.title, n.meta.id, n.meta.source))
        .collect()
}
