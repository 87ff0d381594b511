//! Screening at volume: products × destinations on a date on the fast path
//! ([`CompiledPack::decide_classified`]), one [`ScreenRow`] per pair with the verdict, the
//! paragraphs that classify the product and the licence requirements that apply.
//!
//! A screen is an export from the United States with no parties: it evaluates destination rules
//! only (no Entity List, headquarters or end-use screening) and carries no warnings, so a
//! `no_license_required` row is not a clearance. For a computer or board whose two readings of
//! separately packaged ICs may differ (`[aggregation]` of pack.toml), a row's range spans both
//! readings (`check` gives the pack's reading with the other as a warning): an HGX H20 board
//! to China in 2024 is `no_license_required` per IC and `license_required` as one aggregate
//! IC (4A090.a), so its row is `indeterminate`, at most `license_required`. [`RuleSet::general_notices`] gives the notices
//! that concern every row; [`RuleSet::evaluate`] gives the determination for one row.
//!
//! [`RuleSet::general_notices`]: crate::RuleSet::general_notices
//! [`RuleSet::evaluate`]: crate::RuleSet::evaluate

use std::collections::HashSet;

use serde::ser::{SerializeSeq, SerializeStruct};
use serde::{Serialize, Serializer};

use crate::date::Date;
use crate::evaluate::PackRef;
use crate::evaluate::{
    ClassifiedProduct, CompiledPack, Decision, EvaluateError, FastQuery, PreparedProduct, Scratch, Verdict,
};
use crate::model::{Country, Exporter};
use crate::ruleset::RuleSet;
use crate::ruleset::condition::Truth;

/// What a screen does not do, as its [`ScreenReport::note`] says.
pub const SCREEN_NOTE: &str = "screen evaluates direct exports from the United States (exported_from US) on destination rules only: no parties (Entity List, headquarters, end uses) are screened and no row carries warnings; a reexport or an in-country transfer (an item already abroad, 15 CFR 734.14), and a determination with the parties, need `export-controls check` (POST /v1/determinations), which gives the verdict of a transaction";

/// A screen as `export-controls screen --format json` prints it and `POST /v1/screen` answers
/// it: one shape, this type serialised by both (tester15 D2). In JSON: `as_of`, `rules` (the
/// pack's name, version and sha256, `unlocked` when it was used unlocked), `superseded` (only
/// for a superseded release used with `--superseded`: `SUPERSEDED PACK: ...`), `note`
/// ([`SCREEN_NOTE`]), `warnings` (the notices in force on the date that concern every
/// transaction, [`RuleSet::general_notices`], each `title [id; source]`) and `rows`, last, one
/// [`ScreenRow`] per product and destination.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct ScreenReport {
    /// The as-of date of every row.
    pub as_of: Date,
    /// The pack the rows were decided with.
    pub rules: PackRef,
    /// Present when the pack is a superseded release used all the same (`--superseded`): the
    /// statement that says so ([`RuleSet::superseded_statement`], `SUPERSEDED PACK: ...`), as
    /// a determination says it first in its scope. Absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub superseded: Option<String>,
    /// What screening does not do ([`SCREEN_NOTE`]).
    pub note: String,
    /// The notices in force on the date that concern every transaction (e.g. the pack's
    /// research cut-off), each `title [id; source]`: a row carries none.
    pub warnings: Vec<String>,
    /// One row per product and destination, products in the order given, then destinations.
    /// Last, so that a writer can stream the rows after the rest ([`ScreenReport::head_json`]).
    pub rows: Vec<ScreenRow>,
}

impl ScreenReport {
    /// The report of `rows` screened with `rules` on `on`.
    pub fn new(rules: &RuleSet, on: Date, rows: Vec<ScreenRow>) -> Self {
        let p = rules.pack();
        ScreenReport {
            as_of: on,
            rules: PackRef {
                name: p.name.clone(),
                version: p.version.clone(),
                sha256: p.sha256.clone(),
                unlocked: p.unlocked.is_some(),
            },
            superseded: rules.superseded_statement(),
            note: SCREEN_NOTE.to_string(),
            warnings: rules
                .general_notices(on)
                .map(|n| format!("{} [{}; {}]", n.meta.title, n.meta.id, n.meta.source))
                .collect(),
            rows,
        }
    }

    /// The compact JSON of this report without its rows and the two closing characters `]}`:
    /// a writer appends the rows (each as [`ScreenRowRef`] serialises, comma-separated), then
    /// `]}`, and has written the report with those rows.
    ///
    /// # Errors
    /// serde_json's, which a report cannot cause.
    pub fn head_json(&self) -> Result<Vec<u8>, serde_json::Error> {
        let empty = ScreenReport { rows: Vec::new(), ..self.clone() };
        let mut out = serde_json::to_vec(&empty)?;
        // `rows` is the last field: the JSON ends with `"rows":[]}`.
        out.truncate(out.len().saturating_sub(2));
        Ok(out)
    }
}

/// One product × destination of a screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct ScreenRow {
    /// Catalog id of the product.
    pub product: String,
    /// The country the item is exported from: always the United States ([`Country::US`]), a
    /// screen's rows being direct exports from the US ([`SCREEN_NOTE`]); a reexport or an
    /// in-country transfer needs a determination (`check --from`, [`Query::exported_from`]).
    ///
    /// [`Query::exported_from`]: crate::Query::exported_from
    pub exported_from: Country,
    /// Destination.
    pub destination: Country,
    /// The as-of date.
    pub as_of: Date,
    /// Verdict, as [`Decision::verdict`](crate::Decision); for a system whose readings of
    /// separately packaged ICs differ, over both readings (see the module documentation).
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

/// One product × destination of a screen as it is decided, borrowed from the pack and the
/// decision's [`Scratch`]: what [`ScreenRow`] owns, without allocating. It serialises to the
/// same JSON as the [`ScreenRow`] it stands for ([`ScreenRowRef::to_row`]), so a large screen
/// can be written out row by row ([`CompiledPack::screen_classified_each`]).
pub struct ScreenRowRef<'a> {
    /// Catalog id of the product.
    pub product: &'a str,
    /// Destination.
    pub destination: Country,
    /// The as-of date.
    pub as_of: Date,
    /// The decision: verdict, and the least and most restrictive outcomes possible.
    pub decision: Decision,
    /// `as_of` as `YYYY-MM-DD`, formatted once per screen.
    as_of_text: &'a str,
    pack: &'a CompiledPack,
    scratch: &'a Scratch,
}

impl<'a> ScreenRowRef<'a> {
    /// Paragraphs that classify the product, in pack order (as [`ScreenRow::paragraphs`]).
    pub fn paragraphs(&self) -> impl Iterator<Item = &'a str> + 'a {
        self.scratch.paragraphs(self.pack)
    }

    /// Licence requirements that apply ([`Truth::True`]) or may apply ([`Truth::Unknown`]),
    /// in pack order (as [`ScreenRow::requirements`], where the second kind carries a `?`).
    pub fn requirements(&self) -> impl Iterator<Item = (&'a str, Truth)> + 'a {
        self.scratch.requirements(self.pack)
    }

    /// The owned row.
    pub fn to_row(&self) -> ScreenRow {
        ScreenRow {
            product: self.product.to_string(),
            exported_from: Country::US,
            destination: self.destination,
            as_of: self.as_of,
            verdict: self.decision.verdict,
            at_least: self.decision.at_least,
            at_most: self.decision.at_most,
            paragraphs: self.paragraphs().map(String::from).collect(),
            requirements: self.requirements().map(|(id, t)| requirement_label(id, t).to_string()).collect(),
        }
    }
}

/// A requirement id as a screen shows it: `id`, or `id?` when it may apply.
fn requirement_label(id: &str, t: Truth) -> impl std::fmt::Display + '_ {
    struct Label<'s>(&'s str, bool);
    impl std::fmt::Display for Label<'_> {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(self.0)?;
            if self.1 { f.write_str("?") } else { Ok(()) }
        }
    }
    Label(id, t != Truth::True)
}

impl Serialize for ScreenRowRef<'_> {
    /// The fields of [`ScreenRow`], in its order.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct Paragraphs<'r, 'a>(&'r ScreenRowRef<'a>);
        impl Serialize for Paragraphs<'_, '_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_seq(self.0.paragraphs())
            }
        }
        struct Requirements<'r, 'a>(&'r ScreenRowRef<'a>);
        impl Serialize for Requirements<'_, '_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut seq = s.serialize_seq(None)?;
                for (id, t) in self.0.requirements() {
                    seq.serialize_element(&Collected(requirement_label(id, t)))?;
                }
                seq.end()
            }
        }
        struct Collected<D>(D);
        impl<D: std::fmt::Display> Serialize for Collected<D> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(&self.0)
            }
        }
        let mut st = s.serialize_struct("ScreenRow", 9)?;
        st.serialize_field("product", self.product)?;
        st.serialize_field("exported_from", &Country::US)?;
        st.serialize_field("destination", &self.destination)?;
        st.serialize_field("as_of", self.as_of_text)?;
        st.serialize_field("verdict", &self.decision.verdict)?;
        st.serialize_field("at_least", &self.decision.at_least)?;
        st.serialize_field("at_most", &self.decision.at_most)?;
        st.serialize_field("paragraphs", &Paragraphs(self))?;
        st.serialize_field("requirements", &Requirements(self))?;
        st.end()
    }
}

impl CompiledPack {
    /// Screens `products` × `destinations` as exports from the United States on `on`, with no
    /// parties: one row per distinct product (by id) and distinct destination, products in the
    /// order given, then destinations in the order given. Empty `destinations` means every ISO
    /// country but the United States (with Puerto Rico and the territories, 15 CFR 772.1). Each product is classified once.
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
        let countries = distinct_destinations(destinations);
        let mut seen: HashSet<&str> = HashSet::with_capacity(products.len());
        let classified: Vec<ClassifiedProduct> = products
            .iter()
            .filter(|p| seen.insert(p.product().id.as_str()))
            .map(|p| self.classify_product_for((*p).clone(), exporter))
            .collect();
        let chosen: Vec<&ClassifiedProduct> = classified.iter().collect();
        let mut rows = Vec::with_capacity(chosen.len().saturating_mul(countries.len()));
        self.screen_classified_each(&chosen, &countries, on, exporter, |row| {
            rows.push(row.to_row());
            Ok::<(), EvaluateError>(())
        })?;
        Ok(rows)
    }

    /// Screens products classified with [`CompiledPack::classify_product_for`] × `destinations`
    /// on `on`, exports from the United States with no parties by `exporter`, as
    /// [`CompiledPack::screen_for`] does (products in the order given, then destinations in the order given; both taken as
    /// given, duplicates included), handing each row to `each` as it is decided, with no
    /// allocation per row: the way to write a screen of many rows.
    ///
    /// # Errors
    /// [`EvaluateError`] (converted into `E`) when `on` is before the pack's coverage or a
    /// destination is the United States; or the first error `each` returns.
    pub fn screen_classified_each<E: From<EvaluateError>>(
        &self,
        products: &[&ClassifiedProduct],
        destinations: &[Country],
        on: Date,
        exporter: Exporter,
        mut each: impl FnMut(&ScreenRowRef<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut scratch = Scratch::default();
        let as_of_text = on.to_string();
        // The pack under the other reading of separately packaged ICs, for the systems whose
        // readings may differ (built once, only when one is screened).
        let other = products.iter().any(|p| p.product().readings_may_differ()).then(|| {
            CompiledPack::new(self.rules().with_reading(self.rules().pack.aggregation.separate_packages.other()))
        });
        let mut other_scratch = Scratch::default();
        for p in products {
            for &to in destinations {
                let q = FastQuery::export_to(to, on).with_exporter(exporter);
                let mut decision = self.decide_classified(p, &q, &mut scratch)?;
                if let Some(other) = other.as_ref().filter(|_| p.product().readings_may_differ()) {
                    decision = spanning(decision, other.decide(p.product(), &q, &mut other_scratch)?);
                }
                let row = ScreenRowRef {
                    product: p.product().product().id.as_str(),
                    destination: to,
                    as_of: on,
                    decision,
                    as_of_text: &as_of_text,
                    pack: self,
                    scratch: &scratch,
                };
                each(&row)?;
            }
        }
        Ok(())
    }
}

/// The range of outcomes that holds both decisions (`mine`, the pack's reading of separately
/// packaged ICs, and `theirs`, the other): the least of their least, the most of their most,
/// `indeterminate` unless they meet in one outcome. A screen carries no warnings, so the open
/// question of the two readings (which `check` states as a warning giving the other outcome)
/// is in the row's range, never left out: a row is never looser than `check`.
fn spanning(mine: Decision, theirs: Decision) -> Decision {
    let (lo, hi) = (mine.at_least.min(theirs.at_least), mine.at_most.max(theirs.at_most));
    Decision { verdict: if lo == hi { lo } else { Verdict::Indeterminate }, at_least: lo, at_most: hi }
}

/// Destinations without repeats, in the order given; every ISO country but the United States
/// when none is given.
pub fn distinct_destinations(destinations: &[Country]) -> Vec<Country> {
    let mut countries: Vec<Country> = Vec::with_capacity(destinations.len());
    for &c in destinations {
        if !countries.contains(&c) {
            countries.push(c);
        }
    }
    if countries.is_empty() {
        countries = Country::all().into_iter().filter(|c| !c.is_united_states()).collect();
    }
    countries
}
