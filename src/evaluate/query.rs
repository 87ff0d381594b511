//! What a determination is asked about besides the product: destination, country of export,
//! date, parties and the exporter's declarations; the options. Why a query cannot be answered
//! is [`EvaluateError`](super::EvaluateError) (`error.rs`).

use super::core::PreparedParties;
use crate::date::Date;
use crate::model::{Country, Exporter, Party, Region, Transaction, TransactionKind};

/// What to evaluate besides the product: destination, country of export, date, parties and
/// what the exporter declares about itself.
///
/// The two countries are always named: [`Query::export_to`] takes the destination, and
/// [`Query::exported_from`] sets the country of export when it is not the United States.
/// A query read from a transaction that does not state where the items ship from
/// ([`Query::of`]) has `exported_from: None`: the transaction kind is then unknown
/// (15 CFR 734.14 defines export, reexport and in-country transfer by it).
///
/// ```
/// use export_controls::Query;
///
/// // An export from the US to China; a reexport from Singapore to China.
/// let export = Query::export_to("CN".parse()?, "2024-06-01".parse()?);
/// let reexport = Query::export_to("CN".parse()?, "2024-06-01".parse()?).exported_from("SG".parse()?);
/// let code = |q: &Query| q.exported_from.map(|c| c.to_string());
/// assert_eq!((code(&export), code(&reexport)), (Some("US".into()), Some("SG".into())));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// Country of destination.
    pub destination: Country,
    /// Country of export: `US` for an export from the United States, the destination for an
    /// in-country transfer, another country for a reexport (15 CFR 734.14). `None`: not
    /// stated, the transaction kind unknown (a rule keyed to it is then unknown).
    pub exported_from: Option<Country>,
    /// As-of date (date of export).
    pub date: Date,
    /// Where in Ukraine the item goes (15 CFR 746.6), read when a destination is Ukraine;
    /// `None`: unknown. Set with [`Query::in_region`].
    pub destination_region: Option<Region>,
    /// Parties (purchaser, consignees, end user). When empty, party rules are not evaluated
    /// and the determination says so.
    pub parties: Vec<Party>,
    /// What the exporter declares about itself (front-end fabricator or OSAT, attestations).
    pub exporter: Exporter,
}

impl Query {
    /// An export from the United States to `destination` on `date`: no parties, an ordinary
    /// exporter. Set the rest with [`Query::exported_from`], [`Query::with_parties`] and
    /// [`Query::with_exporter`].
    pub fn export_to(destination: Country, date: Date) -> Self {
        Query {
            destination,
            exported_from: Some(Country::US),
            date,
            destination_region: None,
            parties: Vec::new(),
            exporter: Exporter::default(),
        }
    }

    /// The same query with the region of Ukraine the item goes to (15 CFR 746.6).
    #[must_use]
    pub fn in_region(mut self, region: Region) -> Self {
        self.destination_region = Some(region);
        self
    }

    /// The same query from another country of export: a reexport, or an in-country transfer
    /// when it is the destination.
    #[must_use]
    pub fn exported_from(mut self, country: Country) -> Self {
        self.exported_from = Some(country);
        self
    }

    /// The same query with the country of export not stated (as a transaction that leaves
    /// `exported_from` out): the transaction kind is unknown, so a rule, licence exception or
    /// review policy keyed to it (`transaction_kinds`) is unknown too.
    #[must_use]
    pub fn origin_not_stated(mut self) -> Self {
        self.exported_from = None;
        self
    }

    /// The same query with these parties.
    #[must_use]
    pub fn with_parties(mut self, parties: Vec<Party>) -> Self {
        self.parties = parties;
        self
    }

    /// The same query with what the exporter declares about itself.
    #[must_use]
    pub fn with_exporter(mut self, exporter: Exporter) -> Self {
        self.exporter = exporter;
        self
    }

    /// A destination-only query. Two countries in a row are easily swapped (and a swapped
    /// query compiles and may clear): name them instead.
    #[deprecated(
        since = "0.1.0",
        note = "the two countries are easily swapped: use `Query::export_to(destination, date)`, and `.exported_from(country)` for a reexport"
    )]
    pub fn new(destination: Country, exported_from: Country, date: Date) -> Self {
        Query::export_to(destination, date).exported_from(exported_from)
    }

    /// The query of a transaction (everything but the product).
    pub fn of(t: &Transaction) -> Self {
        Query {
            destination: t.destination,
            exported_from: t.exported_from,
            date: t.date,
            destination_region: t.destination_region,
            parties: t.parties.clone(),
            exporter: t.exporter,
        }
    }

    /// Export, reexport or in-country transfer; `None` when the country of export is not
    /// stated.
    pub fn kind(&self) -> Option<TransactionKind> {
        self.exported_from.map(|from| TransactionKind::of(from, self.destination))
    }
}

/// What the fast path evaluates besides the product: the same facts as a [`Query`], with the
/// parties prepared.
#[derive(Debug, Clone, Copy)]
pub struct FastQuery<'a> {
    /// Country of destination.
    pub destination: Country,
    /// Country of export: `US` for an export from the United States, the destination for an
    /// in-country transfer, another country for a reexport (15 CFR 734.14). `None`: not
    /// stated, the transaction kind unknown (a rule keyed to it is then unknown).
    pub exported_from: Option<Country>,
    /// As-of date (date of export).
    pub date: Date,
    /// Where in Ukraine the item goes (15 CFR 746.6); `None`: unknown.
    pub destination_region: Option<Region>,
    /// Parties, prepared with [`CompiledPack::prepare_parties`](super::CompiledPack::prepare_parties).
    pub parties: &'a PreparedParties,
    /// What the exporter declares about itself: the front-end fabricator / OSAT facts of Note 1
    /// to 3A090.a (15 CFR 774 Supp. No. 1), which enter the classification.
    pub exporter: Exporter,
    /// For a query made by [`FastQuery::of`]: a fingerprint of the [`Query`]'s parties, which
    /// [`FastQuery::with_parties`] checks the parties it is given against (E0516).
    bound: Option<u64>,
}

/// A fingerprint of a list of parties (SipHash of their JSON form): equal lists give equal
/// fingerprints.
fn fingerprint(parties: &[Party]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    serde_json::to_string(parties).unwrap_or_default().hash(&mut h);
    h.finish()
}

impl<'a> FastQuery<'a> {
    /// The fast-path query of a [`Query`], with its parties prepared
    /// ([`CompiledPack::prepare_parties`](super::CompiledPack::prepare_parties) of
    /// `q.parties`). Parties prepared from another list than `q.parties` (those of another
    /// order) would decide the query with the wrong names screened: every decision with the
    /// query returned is then refused, [`EvaluateError::Party`](super::EvaluateError::Party) with
    /// [`PartyErrorKind::PreparedForOtherParties`](crate::model::PartyErrorKind) (E0516).
    pub fn of(q: &Query, parties: &'a PreparedParties) -> Self {
        let parties = if parties.parties() == q.parties.as_slice() { parties } else { PreparedParties::other_ref() };
        FastQuery {
            destination: q.destination,
            exported_from: q.exported_from,
            date: q.date,
            destination_region: q.destination_region,
            parties,
            exporter: q.exporter,
            bound: Some(fingerprint(&q.parties)),
        }
    }
}

impl<'a> FastQuery<'a> {
    /// The same query from another country of export: a reexport, or an in-country transfer
    /// when it is the destination.
    #[must_use]
    pub fn exported_from(mut self, country: Country) -> Self {
        self.exported_from = Some(country);
        self
    }

    /// The same query with the country of export not stated (as a transaction that leaves
    /// `exported_from` out): the transaction kind is unknown, so a rule, licence exception or
    /// review policy keyed to it (`transaction_kinds`) is unknown too.
    #[must_use]
    pub fn origin_not_stated(mut self) -> Self {
        self.exported_from = None;
        self
    }

    /// The same query with the region of Ukraine the item goes to (15 CFR 746.6).
    #[must_use]
    pub fn in_region(mut self, region: Region) -> Self {
        self.destination_region = Some(region);
        self
    }

    /// The same query with these parties (prepared by the pack that decides). For a query made
    /// by [`FastQuery::of`], parties prepared from another list than the [`Query`]'s are
    /// refused as [`FastQuery::of`] refuses them: every decision with the query returned is
    /// [`EvaluateError::Party`](super::EvaluateError::Party) with
    /// [`PartyErrorKind::PreparedForOtherParties`](crate::model::PartyErrorKind) (E0516).
    #[must_use]
    pub fn with_parties<'b>(self, parties: &'b PreparedParties) -> FastQuery<'b> {
        let parties = match self.bound {
            Some(q) if fingerprint(parties.parties()) != q => PreparedParties::other_ref(),
            _ => parties,
        };
        FastQuery { parties, ..self }
    }

    /// The same query with what the exporter declares about itself.
    #[must_use]
    pub fn with_exporter(mut self, exporter: Exporter) -> Self {
        self.exporter = exporter;
        self
    }
}

impl FastQuery<'static> {
    /// An export from the United States to `destination` on `date`: no parties, an ordinary
    /// exporter. Set the rest with [`FastQuery::exported_from`], [`FastQuery::with_parties`]
    /// and [`FastQuery::with_exporter`].
    pub fn export_to(destination: Country, date: Date) -> Self {
        FastQuery {
            destination,
            exported_from: Some(Country::US),
            date,
            destination_region: None,
            parties: PreparedParties::none_ref(),
            exporter: Exporter::default(),
            bound: None,
        }
    }

    /// A destination-only query. Two countries in a row are easily swapped: name them instead.
    #[deprecated(
        since = "0.1.0",
        note = "the two countries are easily swapped: use `FastQuery::export_to(destination, date)`, and `.exported_from(country)` for a reexport"
    )]
    pub fn new(destination: Country, exported_from: Country, date: Date) -> Self {
        FastQuery::export_to(destination, date).exported_from(exported_from)
    }
}

/// Evaluation options.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Options {
    /// Record every rule tried with its comparisons.
    pub trace: bool,
}
