//! The missing facts and the warnings the core records, as what they name: written out only
//! when the determination is shown or serialised ([`Missing::text`], [`Warning::text`]).
//! Those about screening and ownership, rare and long, are written out when recorded
//! ([`Missing::Text`]).

use super::scope::ABSENT_END_USER;
use crate::model::{Country, Party, REGION_MISSING, shown_name};
use crate::ruleset::RuleSet;
use crate::ruleset::groups::CountryGroup;

/// A fact the determination is missing, as its `missing_facts` names it.
#[derive(Debug, Clone)]
pub(crate) enum Missing<'r> {
    /// Written out when recorded.
    Text(String),
    /// Where in Ukraine the item goes (`destination_region`).
    Region,
    /// Whether a country is in a Country Group whose membership of it is unverified.
    Unverified(&'r CountryGroup, Country),
    /// An end user: none, nor an ultimate consignee, was given to a rule about them.
    AbsentEndUser,
    /// A party's country.
    Country(&'r Party),
    /// A party's headquarters.
    Headquarters(&'r Party),
    /// A party's ultimate parent's headquarters.
    ParentHeadquarters(&'r Party),
    /// The share of a party owned by the owner named.
    Share(&'r Party, &'r str),
    /// The country of an ultimate consignee or end user: where it is, is the ultimate
    /// destination.
    Recipient(&'r Party),
    /// The rules after the pack's research cut-off (`researched_until`).
    AfterCutOff,
}

impl Missing<'_> {
    /// The missing fact as the determination names it.
    pub(crate) fn text(&self, rules: &RuleSet) -> String {
        match self {
            Missing::Text(s) => s.clone(),
            Missing::Region => REGION_MISSING.to_string(),
            Missing::Unverified(group, c) => group.unverified_fact(*c).unwrap_or_default(),
            Missing::AbsentEndUser => ABSENT_END_USER.to_string(),
            Missing::Country(p) => format!("{}: country", p.label()),
            Missing::Headquarters(p) => format!("{}: headquarters", p.label()),
            Missing::ParentHeadquarters(p) => format!("{}: parent_headquarters", p.label()),
            Missing::Share(p, owner) => format!("{}: share owned by \"{}\"", p.label(), shown_name(owner)),
            Missing::Recipient(p) => {
                format!("{}: country (where it is located is the ultimate destination)", p.label())
            }
            Missing::AfterCutOff => super::after_cut_off(rules),
        }
    }
}

/// A warning the determination carries whatever the verdict.
#[derive(Debug, Clone)]
pub(crate) enum Warning<'r> {
    /// A licence exception limited to one ultimate consignee and one end user per notification
    /// (License Exception NAC, 15 CFR 740.8) is not offered: why the parties do not fit one.
    NotOneNotification {
        /// The exception's name.
        name: &'r str,
        /// Why ([`super::beyond_one_notification`]).
        why: String,
    },
}

impl Warning<'_> {
    /// The warning as the determination writes it.
    pub(crate) fn text(&self) -> String {
        match self {
            Warning::NotOneNotification { name, why } => format!(
                "License Exception {name} is not offered: {why}. Each notification needs its own ultimate consignee and end user; otherwise apply for a licence"
            ),
        }
    }
}
