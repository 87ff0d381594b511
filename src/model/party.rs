//! Parties to a transaction: who buys, receives and uses the item, where they are, where they
//! and their ultimate parent are headquartered, which lists they are on, who owns them and what
//! they declared the item is for.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::Country;

/// A party's role (15 CFR 748.5 terms).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The buyer.
    Purchaser,
    /// A party that takes possession on the way (forwarder, distributor).
    IntermediateConsignee,
    /// The party that receives the item for its designated end use.
    UltimateConsignee,
    /// The party that uses the item.
    EndUser,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 4] = [Self::Purchaser, Self::IntermediateConsignee, Self::UltimateConsignee, Self::EndUser];

    /// Vocabulary name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Purchaser => "purchaser",
            Self::IntermediateConsignee => "intermediate_consignee",
            Self::UltimateConsignee => "ultimate_consignee",
            Self::EndUser => "end_user",
        }
    }

    /// Parses a vocabulary name.
    pub fn parse(s: &str) -> Option<Role> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// Declared end uses that rules can test (15 CFR 744 end-use controls).
pub const END_USES: [&str; 5] = [
    "supercomputer",
    "advanced_node_ic_production",
    "military_end_use",
    "wmd",
    "ai_model_training_for_wmd_or_military_intelligence",
];

/// An owner of a party, with its share where known.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Owner {
    /// Owner's name, as screened against lists.
    pub name: String,
    /// Share owned, percent (0–100); `None` if unknown.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "rust_decimal::serde::str_option")]
    pub percent: Option<Decimal>,
    /// Ids of list entries the owner is known to match (e.g. `EL:huawei-technologies`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub list_entries: Vec<String>,
}

/// A party to the transaction. Any fact may be unknown (`None`), and an unknown fact that a
/// rule needs makes the determination indeterminate rather than clear.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Party {
    /// Role.
    pub role: Role,
    /// Name, as screened against lists (exact match after normalising case, punctuation and spaces).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Country where the party is located.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<Country>,
    /// Country of the party's headquarters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headquarters: Option<Country>,
    /// Country of the headquarters of the party's ultimate parent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_headquarters: Option<Country>,
    /// Ids of list entries the party is known to match.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub list_entries: Vec<String>,
    /// Owners with their shares.
    #[serde(default, rename = "owner", skip_serializing_if = "Vec::is_empty")]
    pub owners: Vec<Owner>,
    /// Declared end uses (see [`END_USES`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub end_uses: Vec<String>,
}

impl Party {
    /// A party with a role and nothing else known.
    pub fn new(role: Role) -> Self {
        Party {
            role,
            name: None,
            country: None,
            headquarters: None,
            parent_headquarters: None,
            list_entries: Vec::new(),
            owners: Vec::new(),
            end_uses: Vec::new(),
        }
    }

    /// How the party is named in explanations: `purchaser "Alibaba Cloud"` or `end user`.
    pub fn label(&self) -> String {
        let role = self.role.as_str().replace('_', " ");
        match &self.name {
            Some(n) => format!("{role} \"{n}\""),
            None => role,
        }
    }
}

/// What the exporter declares about itself, for rules that bind certain exporters (Note 1 to
/// 3A090.a: front-end fabricators and OSATs). Everything defaults to false.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Exporter {
    /// The exporter is a front-end fabricator or an OSAT (outsourced assembly and test) company.
    #[serde(default)]
    pub front_end_fabricator_or_osat: bool,
    /// An approved or authorized IC designer attested that the IC is not 3A090.a.
    #[serde(default)]
    pub approved_ic_designer_attestation: bool,
    /// The die is packaged outside Macau and D:5, and the packager attests the aggregated
    /// approximated transistor count.
    #[serde(default)]
    pub packaged_outside_d5_or_macau: bool,
}

/// Export, reexport or in-country transfer, from the countries involved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TransactionKind {
    /// From the United States.
    Export,
    /// From one foreign country to another.
    Reexport,
    /// Within one foreign country.
    InCountryTransfer,
}

impl TransactionKind {
    /// Every kind.
    pub const ALL: [TransactionKind; 3] = [Self::Export, Self::Reexport, Self::InCountryTransfer];

    /// Vocabulary name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Export => "export",
            Self::Reexport => "reexport",
            Self::InCountryTransfer => "in_country_transfer",
        }
    }

    /// The kind of a movement from `from` to `to`.
    pub fn of(from: Country, to: Country) -> TransactionKind {
        if from == Country::US {
            TransactionKind::Export
        } else if from == to {
            TransactionKind::InCountryTransfer
        } else {
            TransactionKind::Reexport
        }
    }
}
