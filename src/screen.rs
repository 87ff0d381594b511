//! Screening at volume: products × destinations on a date on the fast path
//! ([`CompiledPack::decide_classified`]), one [`ScreenRow`] per pair with the verdict, the
//! paragraphs that classify the product and the licence requirements that apply.
//!
//! A screen is an export from the United States with no parties: it evaluates destination rules
//! only (no Entity List, headquarters or end-use screening) and carries no warnings, so a
//! `no_license_required` row is not a clearance. [`RuleSet::general_notices`] gives the notices
//! that concern every row; [`RuleSet::evaluate`] gives the determination for one row.
//!
//! [`RuleSet::general_notices`]: crate::RuleSet::general_notices
//! [`RuleSet::evaluate`]: crate::RuleSet::evaluate

use std::collections::HashSet;

use serde::Serialize;

use crate::date::Date;
use crate::evaluate::{CompiledPack, EvaluateError, FastQuery, PreparedProduct, Scratch, Verdict};
use crate::model::{Country, Exporter};
use crate::ruleset::condition::Truth;

/// One product × destination of a screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScreenRow {
    /// Catalog id of the product.
    pub product: String,
    /// Destination.
    pub destination: Country,
    /// The as-of date.
    pub as_of: Date,
    /// Verdict, as [`Decision::verdict`](crate::Decision).
    pub verdict: Verdict,
    /// Least restrictive outcome possible (differs from `at_most` only when indeterminate).
    pub at_least: Verdict,
    /// Most restrictive outcome possible.
    pub at_most: Verdict,
    /// Paragraphs that classify the product, in pack order.
    pub paragraphs: Vec<String>,
    /// Licence requirements that apply, in pack order; an id followed by `?` may apply
    /// (it depends on a missing figure).
    pub requirements: Vec<String>,
}

impl CompiledPack {
    /// Screens `products` × `destinations` as exports from the United States on `on`, with no
    /// parties: one row per distinct product (by id) and distinct destination, products in the
    /// order given, then destinations in the order given. Empty `destinations` means every ISO
    /// country but the United States. Each product is classified once.
    ///
    /// # Errors
    /// [`EvaluateError`] when `on` is before the pack's coverage, or when the destinations
    /// include the United States (not an export).
    pub fn screen(
        &self,
        products: &[&PreparedProduct],
        destinations: &[Country],
        on: Date,
    ) -> Result<Vec<ScreenRow>, EvaluateError> {
        self.screen_for(products, destinations, on, Exporter::default())
    }

    /// As [`CompiledPack::screen`], for an exporter that states what it is: with
    /// `Exporter::default()` whether it is a front-end fabricator or OSAT is unknown, and rows
    /// where the Note 1 to 3A090.a presumption could change the verdict are `indeterminate`.
    ///
    /// # Errors
    /// As [`CompiledPack::screen`].
    pub fn screen_for(
        &self,
        products: &[&PreparedProduct],
        destinations: &[Country],
        on: Date,
        exporter: Exporter,
    ) -> Result<Vec<ScreenRow>, EvaluateError> {
        let mut countries: Vec<Country> = Vec::with_capacity(destinations.len());
        for &c in destinations {
            if !countries.contains(&c) {
                countries.push(c);
            }
        }
        if countries.is_empty() {
            countries = Country::all().into_iter().filter(|c| *c != Country::US).collect();
        }
        let mut seen: HashSet<&str> = HashSet::with_capacity(products.len());
        let mut scratch = Scratch::default();
        let mut rows = Vec::with_capacity(products.len().saturating_mul(countries.len()));
        for p in products {
            let id = p.product.id.as_str();
            if !seen.insert(id) {
                continue;
            }
            let classified = self.classify_product_for((*p).clone(), exporter);
            for &to in &countries {
                let q = FastQuery::export_to(to, on).with_exporter(exporter);
                let d = self.decide_classified(&classified, &q, &mut scratch)?;
                let requirements = scratch
                    .requirements(self)
                    .map(|(id, t)| if t == Truth::True { id.to_string() } else { format!("{id}?") })
                    .collect();
                rows.push(ScreenRow {
                    product: id.to_string(),
                    destination: to,
                    as_of: on,
                    verdict: d.verdict,
                    at_least: d.at_least,
                    at_most: d.at_most,
                    paragraphs: scratch.paragraphs(self).map(String::from).collect(),
                    requirements,
                });
            }
        }
        Ok(rows)
    }
}
