//! Why a query cannot be evaluated: the one error of evaluation, shared by the core, the
//! explained path and the fast path.

use crate::date::Date;
use crate::model::Country;

/// Why a query cannot be evaluated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EvaluateError {
    /// The date is earlier than the pack covers.
    #[error("{date} is before {coverage_from}, the earliest date the rule pack `{pack}` covers")]
    BeforeCoverage {
        /// The as-of date.
        date: Date,
        /// The pack's first covered date.
        coverage_from: Date,
        /// Pack name.
        pack: String,
    },
    /// The destination is in the United States (the States, Puerto Rico and the territories:
    /// 15 CFR 772.1, "United States"; [`Country::is_united_states`]), whatever the country the
    /// items ship from: a shipment into the United States is no export, reexport (a shipment
    /// from one foreign country to another) or in-country transfer (15 CFR 734.13, 734.14).
    #[error(
        "destination {0} is in the United States (15 CFR 772.1): a shipment into the United States is not an export, reexport or in-country transfer under the EAR (15 CFR 734.13, 734.14)"
    )]
    NotAnExport(Country),
    /// A party cannot be evaluated: an owner's share out of range, an unknown list-entry id,
    /// a screening attestation for an unknown list (see
    /// [`RuleSet::check_parties`](crate::RuleSet::check_parties)).
    #[error("{}", .0.one_line())]
    Party(crate::model::PartyError),
    /// A region of Ukraine (15 CFR 746.6) was given for a transaction that goes nowhere in
    /// Ukraine: neither the destination nor an end user's or ultimate consignee's location is
    /// `UA` ([`check_region`](crate::model::check_region); E0512 in a transaction file).
    #[error("{0}")]
    Region(String),
}
