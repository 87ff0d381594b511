//! A transaction: which product goes where, from where, on which date.

use serde::{Deserialize, Serialize};

use super::Country;
use crate::date::Date;

/// One export or reexport to be determined.
///
/// Parties (purchaser, consignees, end user) are not modelled yet: determinations cover
/// destination-based controls only and say so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transaction {
    /// Catalog id of the product.
    pub product: String,
    /// Country of destination.
    pub destination: Country,
    /// Country the item leaves; `US` for an export.
    pub exported_from: Country,
    /// The as-of date: the date of export. Rules in force on this day apply.
    pub date: Date,
}
