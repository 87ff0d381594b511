//! The one-line form of a party, `role=end_user,name=...,country=MY,hq=MY,parent_hq=CN`, as the
//! CLI's `--party` gives it: its keys ([`PartyKey`]), its errors ([`PartyKvError`]) and
//! [`Party::from_kv`], which reads it and runs the checks of
//! [`validate_parties`](super::validate_parties) on the party read.

use super::country::{Country, UnknownCountry};
use super::party::{DeclaredEndUse, EndUse, Party, Role, Screening, UnknownEndUse};
use super::party_checks::validate_parties;

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
    /// `end_use` (or `end_uses`), repeatable: one of [`Party::end_uses`], `NAME` or `NAME@CC`
    /// with the country where it takes place.
    EndUse,
    /// `screened`, repeatable: one of [`Party::screened`], as `LIST@YYYY-MM-DD`.
    Screened,
    /// `owners_known`: [`Party::owners_known`], `true` or `false`.
    OwnersKnown,
}

impl PartyKey {
    /// Every key, in the order help texts list them.
    pub const ALL: [PartyKey; 9] = [
        Self::Role,
        Self::Name,
        Self::Country,
        Self::Headquarters,
        Self::ParentHeadquarters,
        Self::ListEntry,
        Self::EndUse,
        Self::Screened,
        Self::OwnersKnown,
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
            Self::Screened => "screened",
            Self::OwnersKnown => "owners_known",
        }
    }

    /// Other names accepted for the key, among them the field's name in transaction files.
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            Self::Role | Self::Name | Self::Country | Self::Screened | Self::OwnersKnown => &[],
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
        matches!(self, Self::ListEntry | Self::EndUse | Self::Screened)
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
    /// An end use that is not an [`EndUse`] name.
    #[error("{0}{help}", help = .0.help().map(|h| format!(" ({h})")).unwrap_or_default())]
    EndUse(UnknownEndUse),
    /// A `screened` value that is not `LIST@YYYY-MM-DD`.
    #[error("screened: {0}")]
    Screened(String),
    /// An `owners_known` value that is not `true` or `false`.
    #[error("owners_known: `{0}` is not true or false")]
    OwnersKnown(String),
    /// The party was read but is refused as [`check_parties`](super::check_parties) refuses
    /// it.
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
    /// `role` is required; `list` and `end_use` may be repeated; keys and values are trimmed. A
    /// value in double quotes may hold commas: `name="Huawei Technologies Co., Ltd."`.
    ///
    /// # Errors
    /// [`PartyKvError`] for the first problem: a part that is not `key=value`, an unknown role,
    /// no role, a key given twice, an unknown country code or key, or an unknown end use.
    pub fn from_kv(line: &str) -> Result<Party, PartyKvError> {
        // The role first, so that the other keys' problems are reported for a known party.
        let mut role = None;
        let mut fields = Vec::new();
        for part in split_unquoted_commas(line)? {
            let (k, v) = part.split_once('=').ok_or_else(|| PartyKvError::NotKeyValue(part.to_string()))?;
            let (k, v) = (k.trim(), v.trim());
            // A value in double quotes may hold commas: name="Huawei Technologies Co., Ltd."
            let v = v.strip_prefix('"').and_then(|v| v.strip_suffix('"')).unwrap_or(v);
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
            owners_known,
            end_uses,
            screened,
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
                PartyKey::EndUse => end_uses.push(end_use_kv(v)?),
                PartyKey::Screened => screened.push(Screening::parse_short(v).map_err(PartyKvError::Screened)?),
                PartyKey::OwnersKnown => {
                    *owners_known = match v {
                        "true" => true,
                        "false" => false,
                        _ => return Err(PartyKvError::OwnersKnown(v.to_string())),
                    }
                }
            }
        }
        validate_parties(std::slice::from_ref(&party)).map_err(|e| PartyKvError::Invalid(e.one_line()))?;
        Ok(party)
    }
}

/// An `end_use` value of `--party`: `supercomputer`, or `supercomputer@CN` with its place.
fn end_use_kv(v: &str) -> Result<DeclaredEndUse, PartyKvError> {
    let (name, place) = match v.split_once('@') {
        Some((name, place)) => (name.trim(), Some(place.trim())),
        None => (v, None),
    };
    let end_use = EndUse::parse(name).map_err(PartyKvError::EndUse)?;
    let place = place
        .map(|c| c.parse::<Country>().map_err(|error| PartyKvError::Country { key: PartyKey::EndUse, error }))
        .transpose()?;
    Ok(DeclaredEndUse { end_use, place })
}

/// The `key=value` parts of a `--party` line: split at commas outside double quotes.
///
/// # Errors
/// [`PartyKvError::NotKeyValue`] with the line when a double quote is not closed.
fn split_unquoted_commas(line: &str) -> Result<Vec<&str>, PartyKvError> {
    let mut parts = Vec::new();
    let (mut start, mut quoted) = (0, false);
    for (i, c) in line.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => {
                parts.push(line.get(start..i).unwrap_or(""));
                start = i + 1;
            }
            _ => {}
        }
    }
    if quoted {
        return Err(PartyKvError::NotKeyValue(format!("{line} (a double quote is not closed)")));
    }
    parts.push(line.get(start..).unwrap_or(""));
    Ok(parts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::party::{END_USES, Owner};

    #[test]
    fn a_quoted_value_may_hold_commas() {
        let p = Party::from_kv(r#"role=end_user,name="Huawei Technologies Co., Ltd.",country=CN"#).unwrap();
        assert_eq!(p.name.as_deref(), Some("Huawei Technologies Co., Ltd."));
        assert_eq!(p.country, Some("CN".parse().unwrap()));
        assert!(matches!(Party::from_kv(r#"role=end_user,name="Huawei, Ltd."#), Err(PartyKvError::NotKeyValue(_))));
        // Unquoted, the comma still ends the value.
        assert!(matches!(Party::from_kv("role=end_user,name=Huawei, Ltd."), Err(PartyKvError::NotKeyValue(_))));
    }

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
        expected.end_uses = vec![EndUse::Supercomputer.into(), EndUse::Wmd.into()];
        assert_eq!(p, expected);
        assert_eq!(Party::from_kv("role=purchaser").unwrap(), Party::new(Role::Purchaser));
        assert!(Party::from_kv("role=end_user,owners_known=true").unwrap().owners_known);
        assert!(!Party::from_kv("role=end_user,owners_known=false").unwrap().owners_known);
        assert_eq!(
            Party::from_kv("role=end_user,owners_known=yes").unwrap_err().to_string(),
            "owners_known: `yes` is not true or false"
        );
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
        p.end_uses = vec![EndUse::Wmd.into()];
        p.screened = vec![Screening::parse_short("entity_list@2025-01-31").unwrap()];
        p.owners_known = true;
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

    /// End uses are typed: an unknown or capitalised name is refused by serde (JSON, a party
    /// built from a value) and by the one-line form, with a suggestion.
    #[test]
    fn end_uses_are_a_closed_vocabulary() {
        assert_eq!(EndUse::ALL.map(EndUse::as_str), END_USES);
        for u in EndUse::ALL {
            assert_eq!(u.as_str().parse::<EndUse>(), Ok(u));
            assert_eq!(serde_json::to_value(u).unwrap(), serde_json::json!(u.as_str()));
        }
        for bad in ["Supercomputer", "supercomputr", "SUPERCOMPUTER", "super computer"] {
            let e = EndUse::parse(bad).unwrap_err();
            assert_eq!(e.suggestion(), Some("supercomputer"), "{bad}");
            let v = serde_json::json!({ "role": "end_user", "end_uses": [bad] });
            let err = serde_json::from_value::<Party>(v).unwrap_err().to_string();
            assert!(err.starts_with(&format!("unknown end use `{bad}`; known end uses: supercomputer,")), "{err}");
        }
        assert_eq!(EndUse::parse("espionage").unwrap_err().suggestion(), None);
        assert_eq!(
            Party::from_kv("role=end_user,end_use=Supercomputer").unwrap_err().to_string(),
            format!(
                "unknown end use `Supercomputer`; known end uses: {} (did you mean `supercomputer`?)",
                END_USES.join(", ")
            )
        );
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
            "unknown key `owner`; use role, name, country, hq, parent_hq, list, end_use, screened, owners_known"
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
