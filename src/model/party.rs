//! Parties to a transaction: who buys, receives and uses the item, where they are, where they
//! and their ultimate parent are headquartered, which lists they are on, who owns them and what
//! they declared the item is for.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{Country, UnknownCountry};

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
    /// A party for which, or on whose behalf, the item is used, that receives nothing (e.g. the
    /// customer of a cloud provider that trains AI models with it; BIS policy statement of
    /// 2025-05-13). Not a recipient: rules about the parties that receive the item (the
    /// headquarters rule) do not read it, and it is not an ultimate destination.
    Beneficiary,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 5] =
        [Self::Purchaser, Self::IntermediateConsignee, Self::UltimateConsignee, Self::EndUser, Self::Beneficiary];

    /// The roles of the parties that receive the item (15 CFR 748.5): every role but the
    /// beneficiary.
    pub const RECIPIENTS: [Role; 4] =
        [Self::Purchaser, Self::IntermediateConsignee, Self::UltimateConsignee, Self::EndUser];

    /// Vocabulary name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Purchaser => "purchaser",
            Self::IntermediateConsignee => "intermediate_consignee",
            Self::UltimateConsignee => "ultimate_consignee",
            Self::EndUser => "end_user",
            Self::Beneficiary => "beneficiary",
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

/// A key of the one-line form of a party, `role=end_user,name=...,country=MY,hq=MY,parent_hq=CN`,
/// as [`Party::from_kv`] reads it (the CLI's `--party`): one per field of [`Party`] that a line
/// can set. Owners, which have fields of their own, need a transaction file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PartyKey {
    /// `role`: [`Party::role`].
    Role,
    /// `name`: [`Party::name`].
    Name,
    /// `country`: [`Party::country`].
    Country,
    /// `hq` (or `headquarters`): [`Party::headquarters`].
    Headquarters,
    /// `parent_hq` (or `parent_headquarters`): [`Party::parent_headquarters`].
    ParentHeadquarters,
    /// `list` (or `list_entry`, `list_entries`), repeatable: one of [`Party::list_entries`].
    ListEntry,
    /// `end_use` (or `end_uses`), repeatable: one of [`Party::end_uses`].
    EndUse,
}

impl PartyKey {
    /// Every key, in the order help texts list them.
    pub const ALL: [PartyKey; 7] = [
        Self::Role,
        Self::Name,
        Self::Country,
        Self::Headquarters,
        Self::ParentHeadquarters,
        Self::ListEntry,
        Self::EndUse,
    ];

    /// The short name, as help texts give it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Role => "role",
            Self::Name => "name",
            Self::Country => "country",
            Self::Headquarters => "hq",
            Self::ParentHeadquarters => "parent_hq",
            Self::ListEntry => "list",
            Self::EndUse => "end_use",
        }
    }

    /// Other names accepted for the key, among them the field's name in transaction files.
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            Self::Role | Self::Name | Self::Country => &[],
            Self::Headquarters => &["headquarters"],
            Self::ParentHeadquarters => &["parent_headquarters"],
            Self::ListEntry => &["list_entry", "list_entries"],
            Self::EndUse => &["end_uses"],
        }
    }

    /// The key with this name or alias.
    pub fn parse(s: &str) -> Option<PartyKey> {
        Self::ALL.into_iter().find(|k| k.as_str() == s || k.aliases().contains(&s))
    }

    /// Whether the key may be given more than once, each time adding one entry.
    pub fn repeats(self) -> bool {
        matches!(self, Self::ListEntry | Self::EndUse)
    }
}

/// Why [`Party::from_kv`] refused a party.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PartyKvError {
    /// A part of the line is not `key=value`.
    #[error("`{0}` is not key=value (e.g. role=end_user,country=MY,hq=CN)")]
    NotKeyValue(String),
    /// The role is not one of [`Role::ALL`].
    #[error("unknown role `{0}`; expected {roles}", roles = or_list(&Role::ALL.map(Role::as_str)))]
    UnknownRole(String),
    /// The line has no `role=`.
    #[error("needs role=...")]
    NoRole,
    /// A key that takes one value is given twice (by the name written second).
    #[error("`{0}` is given twice")]
    Twice(String),
    /// A country, headquarters or parent headquarters that is not an ISO 3166-1 alpha-2 code.
    #[error("{}: {error}", key.as_str())]
    Country {
        /// The key.
        key: PartyKey,
        /// Why the code was refused.
        error: UnknownCountry,
    },
    /// The key is none of [`PartyKey::ALL`].
    #[error("unknown key `{0}`; use {keys}", keys = PartyKey::ALL.map(PartyKey::as_str).join(", "))]
    UnknownKey(String),
    /// The party was read but is refused as [`check_parties`](super::check_parties) refuses
    /// it (an unknown end use).
    #[error("{0}")]
    Invalid(String),
}

/// `a, b or c`.
fn or_list(names: &[&str]) -> String {
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        Some((last, _)) => (*last).to_string(),
        None => String::new(),
    }
}

impl Party {
    /// Reads the one-line form of a party: comma-separated `key=value` pairs (see
    /// [`PartyKey`]), e.g. `role=end_user,name=Example Sdn Bhd,country=MY,hq=MY,parent_hq=CN`.
    /// `role` is required; `list` and `end_use` may be repeated; keys and values are trimmed.
    ///
    /// # Errors
    /// [`PartyKvError`] for the first problem: a part that is not `key=value`, an unknown role,
    /// no role, a key given twice, an unknown country code or key, or an unknown end use.
    pub fn from_kv(line: &str) -> Result<Party, PartyKvError> {
        // The role first, so that the other keys' problems are reported for a known party.
        let mut role = None;
        let mut fields = Vec::new();
        for part in line.split(',') {
            let (k, v) = part.split_once('=').ok_or_else(|| PartyKvError::NotKeyValue(part.to_string()))?;
            let (k, v) = (k.trim(), v.trim());
            if PartyKey::parse(k) == Some(PartyKey::Role) {
                if role.is_some() {
                    return Err(PartyKvError::Twice(k.to_string()));
                }
                role = Some(Role::parse(v).ok_or_else(|| PartyKvError::UnknownRole(v.to_string()))?);
            } else {
                fields.push((k, v));
            }
        }
        let mut party = Party::new(role.ok_or(PartyKvError::NoRole)?);
        // Every field is named, so that a field added to `Party` has to be considered here.
        let Party {
            role: _,
            name,
            country,
            headquarters,
            parent_headquarters,
            list_entries,
            owners: _, // owners have fields of their own: transaction files only
            end_uses,
        } = &mut party;
        let mut seen: Vec<PartyKey> = Vec::new();
        for (k, v) in fields {
            let key = PartyKey::parse(k).ok_or_else(|| PartyKvError::UnknownKey(k.to_string()))?;
            if !key.repeats() && seen.contains(&key) {
                return Err(PartyKvError::Twice(k.to_string()));
            }
            seen.push(key);
            let code = |v: &str| v.parse::<Country>().map_err(|error| PartyKvError::Country { key, error });
            match key {
                PartyKey::Role => {}
                PartyKey::Name => *name = Some(v.to_string()),
                PartyKey::Country => *country = Some(code(v)?),
                PartyKey::Headquarters => *headquarters = Some(code(v)?),
                PartyKey::ParentHeadquarters => *parent_headquarters = Some(code(v)?),
                PartyKey::ListEntry => list_entries.push(v.to_string()),
                PartyKey::EndUse => end_uses.push(v.to_string()),
            }
        }
        super::check_parties(std::slice::from_ref(&party)).map_err(PartyKvError::Invalid)?;
        Ok(party)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_kv_reads_every_key_trimmed_with_aliases_and_repeats() {
        let p = Party::from_kv(
            " role = end_user ,name=Example Sdn Bhd,country=MY,headquarters=MY,parent_hq=CN,list=EL:a,list_entries=EL:b,end_use=supercomputer,end_uses=wmd",
        )
        .unwrap();
        let mut expected = Party::new(Role::EndUser);
        expected.name = Some("Example Sdn Bhd".into());
        expected.country = Some("MY".parse().unwrap());
        expected.headquarters = Some("MY".parse().unwrap());
        expected.parent_headquarters = Some("CN".parse().unwrap());
        expected.list_entries = vec!["EL:a".into(), "EL:b".into()];
        expected.end_uses = vec!["supercomputer".into(), "wmd".into()];
        assert_eq!(p, expected);
        assert_eq!(Party::from_kv("role=purchaser").unwrap(), Party::new(Role::Purchaser));
    }

    /// Every field of a party, as transaction files name it, is a key of the one-line form,
    /// except owners (which have fields of their own): a new field cannot be forgotten.
    #[test]
    fn every_party_field_but_owners_has_a_key() {
        let mut p = Party::new(Role::EndUser);
        p.name = Some("n".into());
        p.country = Some(Country::US);
        p.headquarters = Some(Country::US);
        p.parent_headquarters = Some(Country::US);
        p.list_entries = vec!["x".into()];
        p.owners = vec![Owner::default()];
        p.end_uses = vec!["wmd".into()];
        let serde_json::Value::Object(fields) = serde_json::to_value(&p).unwrap() else { panic!("an object") };
        let keys: Vec<&str> = fields.keys().map(String::as_str).filter(|k| *k != "owner").collect();
        assert_eq!(keys.len(), fields.len() - 1, "{fields:?}");
        for k in keys {
            assert!(PartyKey::parse(k).is_some(), "party field `{k}` has no key in the one-line form");
        }
        for key in PartyKey::ALL {
            assert_eq!(PartyKey::parse(key.as_str()), Some(key));
            for &alias in key.aliases() {
                assert_eq!(PartyKey::parse(alias), Some(key));
            }
        }
    }

    #[test]
    fn from_kv_errors_name_the_problem() {
        let err = |s: &str| Party::from_kv(s).unwrap_err().to_string();
        assert_eq!(err("role=end_user,foo"), "`foo` is not key=value (e.g. role=end_user,country=MY,hq=CN)");
        assert_eq!(err(""), "`` is not key=value (e.g. role=end_user,country=MY,hq=CN)");
        assert_eq!(
            err("role=buyer"),
            "unknown role `buyer`; expected purchaser, intermediate_consignee, ultimate_consignee, end_user or beneficiary"
        );
        assert_eq!(err("country=MY"), "needs role=...");
        assert_eq!(err("role=end_user,name=a,name=b"), "`name` is given twice");
        assert_eq!(err("role=end_user,hq=CN,headquarters=MY"), "`headquarters` is given twice");
        assert_eq!(err("role=end_user,role=purchaser"), "`role` is given twice");
        assert_eq!(
            err("role=end_user,country=UK"),
            "country: `UK` is not an ISO 3166-1 alpha-2 country code (did you mean `GB`?)"
        );
        assert_eq!(err("role=end_user,headquarters=XX"), "hq: `XX` is not an ISO 3166-1 alpha-2 country code");
        assert_eq!(
            err("role=end_user,owner=x"),
            "unknown key `owner`; use role, name, country, hq, parent_hq, list, end_use"
        );
        assert!(
            err("role=end_user,end_use=supercomputr").starts_with("unknown end use `supercomputr`; known end uses:")
        );
        // The role is read first: a bad role is reported before a bad key written earlier.
        assert!(matches!(Party::from_kv("foo=1,role=buyer"), Err(PartyKvError::UnknownRole(_))));
        assert!(matches!(
            Party::from_kv("role=end_user,parent_hq=cn"),
            Err(PartyKvError::Country { key: PartyKey::ParentHeadquarters, .. })
        ));
    }
}
