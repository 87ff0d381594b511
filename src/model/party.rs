//! Parties to a transaction: who buys, receives and uses the item, where they are, where they
//! and their ultimate parent are headquartered, which lists they are on, who owns them and what
//! they declared the item is for.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::country::Country;

/// A party's role (15 CFR 748.5 terms).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema)]
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

    /// Whether a party in this role takes the items into the country where it is located, so
    /// that that country is a destination of the transaction: the intermediate consignee, which
    /// "actually receives the items abroad for delivery to the ultimate consignee" (15 CFR
    /// 748.5(d); an export to a forwarder in Iran is an export to Iran, 746.7), the ultimate
    /// consignee (748.5(e)) and the end user (748.5(f)). Not the purchaser, which may take no
    /// delivery (748.5(c)), nor the beneficiary. A recipient whose country is not given leaves
    /// the destination open; a purchaser or beneficiary whose country is not given opens only
    /// an embargo that reaches a sale or supply through it (31 CFR 560.204; the evaluation
    /// core's `embargoed` module): two rules, kept apart.
    pub fn takes_the_items(self) -> bool {
        matches!(self, Self::IntermediateConsignee | Self::UltimateConsignee | Self::EndUser)
    }

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

/// The vocabulary names of [`EndUse`], in [`EndUse::ALL`] order.
pub const END_USES: [&str; 7] = [
    "supercomputer",
    "advanced_node_ic_production",
    "military_end_use",
    "military_intelligence_end_use",
    "wmd",
    "ai_model_training_for_wmd_or_military_intelligence",
    "ai_model_training",
];

/// A declared end use that rules can test (15 CFR 744 end-use controls). Written in files, JSON
/// and `--party` by its vocabulary name ([`EndUse::as_str`]); any other text is refused, with a
/// suggestion, wherever it is given (an end use that is not understood would otherwise match
/// no rule and clear the transaction).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EndUse {
    /// Supercomputer end use (15 CFR 744.23(a)(1)).
    Supercomputer,
    /// Development or production of ICs at advanced nodes (15 CFR 744.23(a)(2)).
    AdvancedNodeIcProduction,
    /// A 'military end use' or 'military end user' (15 CFR 744.21(f), (g)). 744.21(g) leaves
    /// out the military-intelligence end users of 744.22(f)(2): those are
    /// [`EndUse::MilitaryIntelligenceEndUse`].
    MilitaryEndUse,
    /// A 'military-intelligence end use' or 'military-intelligence end user' (15 CFR 744.22(f):
    /// an intelligence or reconnaissance organization of the armed services or national guard,
    /// and the design, development, production, use, operation, maintenance or incorporation of
    /// items to support its actions or functions; added by 86 FR 4865, 2021-01-15).
    MilitaryIntelligenceEndUse,
    /// Weapons of mass destruction (15 CFR 744.2–744.4).
    Wmd,
    /// Training AI models for WMD or military-intelligence end uses (the BIS policy statement of
    /// 2025-05-13). Read by the rules of both uses (744.2-744.4 and 744.22): the declaration
    /// does not say which one the training serves.
    AiModelTrainingForWmdOrMilitaryIntelligence,
    /// Training AI models, whatever the trained models are for: the BIS policy statement of
    /// 2025-05-13 requires a licence for 3A090.a and 4A090.a items known to be used to train AI
    /// models for or on behalf of an entity headquartered in Macau or D:5, with no WMD or
    /// military-intelligence end use needed on that branch.
    AiModelTraining,
}

impl EndUse {
    /// Every end use.
    pub const ALL: [EndUse; 7] = [
        Self::Supercomputer,
        Self::AdvancedNodeIcProduction,
        Self::MilitaryEndUse,
        Self::MilitaryIntelligenceEndUse,
        Self::Wmd,
        Self::AiModelTrainingForWmdOrMilitaryIntelligence,
        Self::AiModelTraining,
    ];

    /// Vocabulary name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Supercomputer => "supercomputer",
            Self::AdvancedNodeIcProduction => "advanced_node_ic_production",
            Self::MilitaryEndUse => "military_end_use",
            Self::MilitaryIntelligenceEndUse => "military_intelligence_end_use",
            Self::Wmd => "wmd",
            Self::AiModelTrainingForWmdOrMilitaryIntelligence => "ai_model_training_for_wmd_or_military_intelligence",
            Self::AiModelTraining => "ai_model_training",
        }
    }

    /// The fact a rule on where this end use takes place asks when it is declared without its
    /// place: `where the supercomputer is located or destined` (15 CFR 744.23(a)(1)).
    pub fn place_question(self) -> &'static str {
        match self {
            Self::Supercomputer => "where the supercomputer is located or destined",
            Self::AdvancedNodeIcProduction => "where the facility that develops or produces the ICs is located",
            Self::MilitaryEndUse => "where the military end use or military end user is",
            Self::MilitaryIntelligenceEndUse => {
                "where the military-intelligence end use or military-intelligence end user is"
            }
            Self::Wmd => "where the WMD end use takes place",
            Self::AiModelTrainingForWmdOrMilitaryIntelligence => {
                "where the WMD or military-intelligence end use of the AI model training is"
            }
            Self::AiModelTraining => "where the AI models are trained",
        }
    }

    /// Whether the items are where this end use takes place, so that its declared place is a
    /// destination of the items, decided like the country of a party that takes them (tester
    /// round 11, W10). The items are incorporated into the supercomputer "located in or destined
    /// to" the place (15 CFR 744.23(a)(1)), used at the IC production facility there
    /// (744.23(a)(2)), used for the military or military-intelligence end use there (744.21,
    /// 744.22) or in the WMD activity there
    /// (744.2-744.4): the place is their ultimate destination (15 CFR 748.5, "ultimate
    /// destination"). Not for AI model training (either end use): for WMD or military-intelligence end uses its
    /// place is where the trained model's WMD or military-intelligence end use is (BIS policy
    /// statement of 2025-05-13), and the items stay where the training runs (a Malaysian cloud
    /// training models for a customer in China keeps the chips in Malaysia).
    pub fn places_the_items(self) -> bool {
        !matches!(self, Self::AiModelTrainingForWmdOrMilitaryIntelligence | Self::AiModelTraining)
    }

    /// Parses a vocabulary name (exactly: `Supercomputer` is not `supercomputer`).
    ///
    /// # Errors
    /// [`UnknownEndUse`], with the closest name when one is close.
    pub fn parse(s: &str) -> Result<EndUse, UnknownEndUse> {
        Self::ALL.into_iter().find(|u| u.as_str() == s).ok_or_else(|| UnknownEndUse(s.to_string()))
    }
}

impl std::fmt::Display for EndUse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for EndUse {
    type Err = UnknownEndUse;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        EndUse::parse(s)
    }
}

impl Serialize for EndUse {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for EndUse {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        EndUse::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// A text that is not an [`EndUse`] name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown end use `{0}`; known end uses: {known}", known = END_USES.join(", "))]
pub struct UnknownEndUse(pub String);

impl UnknownEndUse {
    /// The closest end use name, if one is close (`supercomputr`, `Supercomputer`).
    pub fn suggestion(&self) -> Option<&'static str> {
        let lower = self.0.trim().to_lowercase().replace(['-', ' '], "_");
        END_USES.into_iter().find(|u| *u == lower).or_else(|| crate::diagnostic::did_you_mean(&self.0, END_USES))
    }

    /// `did you mean `x`?`, when there is a suggestion.
    pub fn help(&self) -> Option<String> {
        self.suggestion().map(|s| format!("did you mean `{s}`?"))
    }
}

/// An end use a party declares, with the country where it takes place when known: where the
/// supercomputer is located or destined (15 CFR 744.23(a)(1)), where the IC production facility
/// is (744.23(a)(2)), where the military end use or military end user is (744.21), where the
/// WMD or military-intelligence end use of the AI training is (BIS policy statement of
/// 2025-05-13). Written as the bare vocabulary name (`"supercomputer"`, place unknown) or as
/// `{ use = "supercomputer", in = "CN" }` (TOML) / `{"use": "supercomputer", "in": "CN"}`
/// (JSON), on `--party` as `end_use=supercomputer@CN`. A rule that reads the place
/// (`end_use_in`) takes the party's location for an end use declared without one only when
/// that location is in the rule's countries; otherwise the place is a missing fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DeclaredEndUse {
    /// The end use.
    pub end_use: EndUse,
    /// Where it takes place (ISO 3166-1 alpha-2); `None` when not stated.
    pub place: Option<Country>,
}

impl From<EndUse> for DeclaredEndUse {
    fn from(end_use: EndUse) -> Self {
        DeclaredEndUse { end_use, place: None }
    }
}

impl PartialEq<EndUse> for DeclaredEndUse {
    fn eq(&self, other: &EndUse) -> bool {
        self.end_use == *other
    }
}

impl DeclaredEndUse {
    /// The country the items go to for this end use: its place, when the items are where the
    /// end use takes place ([`EndUse::places_the_items`]).
    pub fn destination(&self) -> Option<Country> {
        self.place.filter(|_| self.end_use.places_the_items())
    }
}

impl std::str::FromStr for DeclaredEndUse {
    type Err = UnknownEndUse;
    /// A bare vocabulary name (no place).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        EndUse::parse(s).map(Into::into)
    }
}

impl std::fmt::Display for DeclaredEndUse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.place {
            Some(c) => write!(f, "{} in {c}", self.end_use),
            None => write!(f, "{}", self.end_use),
        }
    }
}

/// The table form of a [`DeclaredEndUse`]: `{ use = "...", in = "CN" }`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlacedEndUse {
    #[serde(rename = "use")]
    end_use: EndUse,
    #[serde(rename = "in")]
    place: Country,
}

impl Serialize for DeclaredEndUse {
    /// The bare name without a place (as written before places could be given, so that older
    /// records read and write the same), `{"use": ..., "in": ...}` with one.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match self.place {
            None => self.end_use.serialize(s),
            Some(c) => {
                let mut m = s.serialize_map(Some(2))?;
                m.serialize_entry("use", &self.end_use)?;
                m.serialize_entry("in", &c)?;
                m.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for DeclaredEndUse {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = DeclaredEndUse;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an end use name, or {\"use\": name, \"in\": country}")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
                EndUse::parse(v).map(Into::into).map_err(E::custom)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, m: A) -> Result<Self::Value, A::Error> {
                let p = PlacedEndUse::deserialize(serde::de::value::MapAccessDeserializer::new(m))?;
                Ok(DeclaredEndUse { end_use: p.end_use, place: Some(p.place) })
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// An owner of a party, with its share where known.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Owner {
    /// Owner's name, as screened against lists.
    pub name: String,
    /// Share owned, percent (0–100); `None` if unknown. Written as a string (`"60"`) and read
    /// from a number (`60`, `33.3`) or a plain decimal string, exactly
    /// ([`crate::number::parse_percent`]: no spaces, sign, exponent or unit).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "percent_serde")]
    #[schemars(with = "Option<Decimal>")]
    pub percent: Option<Decimal>,
    /// Ids of list entries the owner is known to match (e.g. `EL:huawei-technologies`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub list_entries: Vec<String>,
    /// Screenings of the owner's own name made elsewhere against a complete list, as the
    /// caller attests them (as [`Party::screened`]). The owned party's attestation covers the
    /// party's name only: where the pack holds a sample of a list, an owner that matches none
    /// of its entries is cleared of that list (for the Affiliates rule, 90 FR 47201) only by
    /// its own attestation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub screened: Vec<Screening>,
    /// The exporter determined who owns this owner (as [`Party::owners_known`]): `owners`
    /// names every owner of it whose share could count, or none (a natural person, or a
    /// company whose owners could not be listed). Without it, while the Affiliates rule is in
    /// force, the shares of this owner no owner of it holds are of unknown owners: the rule
    /// reaches ownership "directly or indirectly" (90 FR 47201), so an owner that is itself
    /// owned by listed entities passes their ownership on, and a determination that depends
    /// on it is indeterminate.
    #[serde(default, skip_serializing_if = "is_false")]
    pub owners_known: bool,
    /// This owner's own owners, with their shares of it (percent of this owner), to at most
    /// [`MAX_OWNER_DEPTH`] levels below the party (E0518). In files `[[party.owner.owner]]`.
    #[serde(default, rename = "owner", skip_serializing_if = "Vec::is_empty")]
    pub owners: Vec<Owner>,
    /// The owner's registration in a register of companies (country of incorporation and
    /// registration number): it identifies the owner as one legal person. An owner is
    /// identified by it or by [`Owner::identified`]; a name alone identifies nobody (tester
    /// round 9, U3: `Employees`, `Custodian`, `Offshore SPV` are classes of holders or vehicles,
    /// not persons whose names can be screened).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration: Option<Registration>,
    /// The exporter attests that it identified this owner as one legal or natural person, by
    /// the name given (a natural person, or a company whose registration is not given). Without
    /// it or a [`Owner::registration`], while the Affiliates rule (15 CFR 744.11 as amended by
    /// 90 FR 47201) is in force, the holder of the owner's share is unknown: a determination
    /// that depends on that share is indeterminate, naming the owner's identity as missing.
    #[serde(default, skip_serializing_if = "is_false")]
    pub identified: bool,
}

impl Owner {
    /// Whether the transaction identifies this owner as one person: a registration is given,
    /// or the exporter attests `identified`. The name alone never does.
    pub fn is_identified(&self) -> bool {
        self.identified || self.registration.is_some()
    }
}

/// A company's registration: where it is incorporated and its number in that country's
/// register of companies (e.g. `{ country = "MY", number = "201901012345" }`, a Malaysian SSM
/// number), as the register writes it. Identifies an owner for the Affiliates rule
/// (90 FR 47201), which aggregates ownership by legal persons.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Registration {
    /// Country of incorporation (ISO 3166-1 alpha-2).
    pub country: Country,
    /// The registration number, as the register writes it: 1 to [`MAX_REGISTRATION_CHARS`]
    /// characters, at least one letter or digit, no control character (E0522 otherwise).
    pub number: String,
}

/// Most characters in a registration number ([`Registration::number`]): national company
/// numbers run to about 20 (the EU's EUID with its register prefix to about 30).
pub const MAX_REGISTRATION_CHARS: usize = 64;

impl Registration {
    /// Why `number` is not a registration number (blank, no letter or digit, a control
    /// character, longer than [`MAX_REGISTRATION_CHARS`]), or `None` when it may be one.
    pub fn number_problem(number: &str) -> Option<String> {
        let n = number.chars().count();
        if !number.chars().any(char::is_alphanumeric) {
            Some(format!("registration number `{number}` holds no letter or digit"))
        } else if number.chars().any(|c| c.is_control() || crate::names::is_invisible(c)) {
            Some("the registration number holds a control or invisible character".to_string())
        } else if n > MAX_REGISTRATION_CHARS {
            Some(format!("the registration number is {n} characters long: at most {MAX_REGISTRATION_CHARS}"))
        } else {
            None
        }
    }
}

/// Most levels of owners under a party (E0518 beyond): its owners are the first level, their
/// owners the second, and so on. Holding chains of a few levels are common; a longer one is to
/// be reviewed outside this tool (or stated by its ultimate owners, each share multiplied
/// through the chain).
pub const MAX_OWNER_DEPTH: usize = 4;

/// The owners along `path` under `p` (see [`PartyError::owner_path`]), from the party's own
/// owner down; as far as the path leads to an owner.
pub(crate) fn owner_chain<'a>(p: &'a Party, path: &[usize]) -> Vec<&'a Owner> {
    let mut out: Vec<&Owner> = Vec::with_capacity(path.len());
    for &k in path {
        let next = match out.last() {
            None => p.owners.get(k),
            Some(o) => o.owners.get(k),
        };
        let Some(next) = next else { break };
        out.push(next);
    }
    out
}

/// Every owner of `p` at every level, depth first in the order given (the order of
/// [`owners_in_depth`], and of a file's text), each with its path from the party (see
/// [`PartyError::owner_path`]); at most `max_depth` levels.
pub(crate) fn owner_paths(p: &Party, max_depth: usize) -> Vec<(Vec<usize>, &Owner)> {
    fn walk<'a>(path: &mut Vec<usize>, o: &'a Owner, max_depth: usize, out: &mut Vec<(Vec<usize>, &'a Owner)>) {
        out.push((path.clone(), o));
        if path.len() < max_depth {
            for (k, c) in o.owners.iter().enumerate() {
                path.push(k);
                walk(path, c, max_depth, out);
                path.pop();
            }
        }
    }
    let mut out = Vec::with_capacity(p.owners.len());
    for (j, o) in p.owners.iter().enumerate() {
        walk(&mut vec![j], o, max_depth, &mut out);
    }
    out
}

/// Every owner of `p` at every level, depth first in the order given (an owner, then its own
/// owners, then the party's next owner), each with the index of the party's owner it is or is
/// held through; at most [`MAX_OWNER_DEPTH`] levels (deeper owners are refused by
/// [`validate_parties`]). Screening and the Affiliates rule read owners in this order.
pub fn owners_in_depth(p: &Party) -> Vec<(usize, &Owner)> {
    fn walk<'a>(j: usize, o: &'a Owner, depth: usize, out: &mut Vec<(usize, &'a Owner)>) {
        out.push((j, o));
        if depth < MAX_OWNER_DEPTH {
            o.owners.iter().for_each(|c| walk(j, c, depth + 1, out));
        }
    }
    let mut out = Vec::with_capacity(p.owners.len());
    p.owners.iter().enumerate().for_each(|(j, o)| walk(j, o, 1, &mut out));
    out
}

/// An owner's share: written as a decimal string, read from a string or a JSON number.
mod percent_serde {
    use rust_decimal::Decimal;
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
        rust_decimal::serde::str_option::serialize(v, s)
    }

    struct Visitor;

    impl serde::de::Visitor<'_> for Visitor {
        type Value = Option<Decimal>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a share in percent, as a number (60) or a string (\"60\")")
        }
        fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
            crate::number::parse_percent(v).map(Some).map_err(E::custom)
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
            // A negative share is refused here as its text would be (`-0` too).
            if v < 0 {
                return self.visit_str(&v.to_string());
            }
            Ok(Some(Decimal::from(v)))
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(Decimal::from(v)))
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Self::Value, E> {
            // The shortest text that reads back as the same f64 is the number as written (for
            // the 15 significant digits a share can have), read exactly from there.
            self.visit_str(&v.to_string())
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
        d.deserialize_any(Visitor)
    }
}

/// Why the parties of a transaction cannot be evaluated. The same checks run on TOML and JSON
/// transaction files, on `--party` and on parties built in code (every evaluation refuses them),
/// so that no form of input is read more leniently than another.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct PartyError {
    /// Index of the party in the transaction's parties.
    pub party: usize,
    /// Index of the owner, when the problem is an owner's: the party's own owner (the first
    /// level) it is or is held through.
    pub owner: Option<usize>,
    /// Where the owner the problem is about is, level by level from the party (empty when the
    /// problem is the party's): `[j]` for the party's owner `j`, `[j, k]` for owner `k` of that
    /// owner (`[[party.owner.owner]]`), and so on. Files locate an owner's problem with it.
    pub owner_path: Box<[usize]>,
    /// What is wrong.
    pub kind: PartyErrorKind,
    /// The message, naming the party.
    pub message: String,
}

/// What is wrong with a party (see [`PartyError`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartyErrorKind {
    /// An owner's share is negative or over 100 percent.
    Share(Decimal),
    /// The owners of one party hold more than 100 percent in all.
    SharesTotal(Decimal),
    /// A list-entry id (`list_entries` of a party or an owner) that the pack does not hold.
    UnknownListEntry {
        /// The id as given.
        id: String,
        /// The pack's closest id, if one is close.
        suggestion: Option<String>,
    },
    /// A name (of a party or an owner) holding a bidirectional control character, which can
    /// make a name display as another (the "Trojan Source" reordering).
    BidiControl(char),
    /// A name (of a party or an owner) holding a control character or a line or paragraph
    /// separator ([`crate::names::control_in_name`]), which can split the name in two.
    ControlChar(char),
    /// A screening attestation whose list is dated after today ([`check_list_dates`]): a
    /// list not yet published cannot have been screened against.
    ListDateAfterToday {
        /// The list as given.
        list: String,
        /// The list's date as given.
        list_date: crate::date::Date,
        /// Today.
        today: crate::date::Date,
    },
    /// A screening attestation naming a list the pack does not hold.
    UnknownList {
        /// The list as given.
        list: String,
        /// The pack's closest list, if one is close.
        suggestion: Option<String>,
    },
    /// A party listed again: the same role, the same name (after the name normalisation of
    /// list matching, [`crate::names::normalize_name`]) and the same country as party
    /// `first` (0-based). A party is listed once; a repeat is a slip or an attempt to make
    /// the determination costly.
    DuplicateParty {
        /// Index of the party it repeats.
        first: usize,
    },
    /// An owner listed twice under one party: the same name (after normalisation) as owner
    /// `first` (0-based). Shares are never summed: the owner is listed once, with its share.
    DuplicateOwner {
        /// Index of the owner it repeats.
        first: usize,
    },
    /// One company, or possibly one (the same name as party `first`, 0-based, read as
    /// [`crate::names::company_key`] reads it: company forms, accents, spacing and case aside;
    /// or one letter off in a word of 6 letters or more, [`crate::names::one_letter_off`];
    /// the same country, or one of the two gives none) given with other facts about it: another headquarters, parent
    /// headquarters or owners (`field`, as the files name it). One company has one
    /// headquarters and one ownership; deciding on either statement would pick one of two
    /// contradictory facts (15 CFR 744.23(a)(3) and 742.6(a)(6)(iii)(A) read the
    /// headquarters, the Affiliates rule of 90 FR 47201 the owners).
    ContradictoryParty {
        /// Index of the party it contradicts.
        first: usize,
        /// The fact given differently: `headquarters`, `parent_headquarters` or `owners`.
        field: &'static str,
    },
    /// An owner, at any level of a party's owners, and another statement of what may be one
    /// company (a party, or an owner elsewhere; its name read as for
    /// [`PartyErrorKind::ContradictoryParty`], an owner giving no country) give it different
    /// owners ([`PartyError::owner`]: the party's owner the later one is or is held through).
    /// One company has one ownership; the Affiliates rule (90 FR 47201) reads it at every level.
    ContradictoryOwner {
        /// Index of the party the earlier statement is or is under.
        first: usize,
        /// When the earlier statement is an owner: the party's owner it is or is held through.
        first_owner: Option<usize>,
        /// The later statement's name, as given, and which of the names written so it is
        /// (1-based, parties and owners in the order given, owners depth first): where the
        /// error is placed in a transaction file.
        name: String,
        /// See `name`.
        nth: usize,
    },
    /// Parties prepared for other parties than the query's
    /// ([`FastQuery::of`](crate::FastQuery::of) with another list's preparation): deciding with
    /// them would screen the wrong names.
    PreparedForOtherParties,
    /// More parties in one transaction than [`MAX_PARTIES`] (the number given).
    TooManyParties(usize),
    /// More owners under one party than [`MAX_OWNERS`] (the number given), counted at every
    /// level.
    TooManyOwners(usize),
    /// Owners of owners given more than [`MAX_OWNER_DEPTH`] levels deep (the level reached).
    OwnersTooDeep(usize),
    /// An owner's registration number that cannot be one ([`Registration::number_problem`]).
    Registration {
        /// The number as given.
        number: String,
        /// Why it cannot be one.
        why: String,
    },
    /// A name (of a party or an owner) longer than [`MAX_NAME_CHARS`] characters (the
    /// number of characters given): no listed name is near that long, and matching a name
    /// against every list key costs time in proportion to its length.
    NameTooLong(usize),
}

/// Most parties one transaction names: a transaction has a purchaser, consignees, an end user
/// and a few others (the parties of 15 CFR 748.5); 100 leaves room for every consignee of a
/// shipment and keeps a determination's cost bounded. More is refused (E0515).
pub const MAX_PARTIES: usize = 100;

/// Most owners listed under one party (E0515 beyond): owners that could count towards the
/// Affiliates rule (50 % or more in all; 90 FR 47201, 2025-09-30) are few; more is a
/// generated list to be reviewed, not a transaction.
pub const MAX_OWNERS: usize = 100;

/// Most characters (Unicode scalar values) in the name of a party or an owner; a longer name
/// is refused (E0517). The longest name or alias of the screening lists shipped in
/// `rules/us-ear` (the Entity List entries of 15 CFR 744 Supp. No. 4 that the pack holds) is
/// 56 characters ("Moore Threads Intelligent Technology (Beijing) Co., Ltd."); legal names of
/// companies run to a few hundred at most. 1,000 leaves room for any of them with its
/// address-free qualifiers, while a "name" of 24,000 characters, which made one determination
/// cost seconds of CPU (matching walks every letter of the name for every list key), is
/// refused before it is screened.
pub const MAX_NAME_CHARS: usize = 1_000;

impl PartyError {
    /// A problem of party `party` (or of its owner `owner`), worded with `parties`' labels.
    pub fn new(parties: &[Party], party: usize, owner: Option<usize>, kind: PartyErrorKind) -> PartyError {
        PartyError::at_owner(parties, party, owner.into_iter().collect(), kind)
    }

    /// A problem of the owner at `owner_path` under party `party` (see
    /// [`PartyError::owner_path`]; the party's own when it is empty), worded with `parties`'
    /// labels: `owner "K" of owner "O" of end user "X"` for an owner's owner.
    pub fn at_owner(parties: &[Party], party: usize, owner_path: Vec<usize>, kind: PartyErrorKind) -> PartyError {
        let owner = owner_path.first().copied();
        let who = parties.get(party).map_or_else(|| format!("party {}", party + 1), Party::label);
        let chain = parties.get(party).map(|p| owner_chain(p, &owner_path)).unwrap_or_default();
        let whose = chain.iter().fold(who.clone(), |of, o| format!("owner \"{}\" of {of}", o.name));
        let message = match &kind {
            PartyErrorKind::Share(x) if x.is_sign_negative() => {
                format!("{x} is negative; a share is a percentage from 0 to 100")
            }
            PartyErrorKind::Share(x) => format!("{x} percent is more than 100"),
            PartyErrorKind::SharesTotal(total) => {
                format!("the owners of {who} hold {total} percent in all, more than 100")
            }
            PartyErrorKind::UnknownListEntry { id, .. } => {
                format!("{whose}: unknown list entry `{id}`; the rule pack has no entry with this id")
            }
            PartyErrorKind::UnknownList { list, .. } => {
                format!("{whose}: screened against `{list}`, which is not a screening list of the rule pack")
            }
            PartyErrorKind::ListDateAfterToday { list, list_date, today } => {
                format!(
                    "{whose}: screened against `{list}` dated {list_date}, after today ({today}); a list not yet published cannot have been screened against"
                )
            }
            PartyErrorKind::DuplicateParty { first } => format!(
                "{who} (party {}) is listed again: party {} has the same role, name and country; list each party once",
                party + 1,
                first + 1
            ),
            PartyErrorKind::DuplicateOwner { first } => format!(
                "{whose} is listed twice among the owners of {who} (owners {} and {}, the same name); list each owner once, with its whole share: shares are not summed",
                first + 1,
                owner.map_or(0, |o| o + 1)
            ),
            PartyErrorKind::ContradictoryParty { first, field } => {
                contradictory_party_message(parties, party, *first, field, &who)
            }
            PartyErrorKind::ContradictoryOwner { first, .. } => {
                // Worded where the owners are known (super::one_company); this is a fallback.
                let first_label = parties.get(*first).map_or_else(|| format!("party {}", first + 1), Party::label);
                format!("{whose} and {first_label} (party {}) may be one company but give different owners", first + 1)
            }
            PartyErrorKind::PreparedForOtherParties => {
                "the parties were prepared for other parties than the query's: their screening is not this query's"
                    .to_string()
            }
            PartyErrorKind::TooManyParties(n) => {
                format!("{n} parties in one transaction: at most {MAX_PARTIES} are read")
            }
            PartyErrorKind::TooManyOwners(n) => {
                format!("{who} lists {n} owners: at most {MAX_OWNERS} are read")
            }
            PartyErrorKind::OwnersTooDeep(level) => {
                format!("{whose}: owners are given {level} levels deep; at most {MAX_OWNER_DEPTH} levels are read")
            }
            PartyErrorKind::Registration { why, .. } => format!("{whose}: {why}"),
            PartyErrorKind::NameTooLong(n) => {
                // Named by role and position only: the name itself is too long to repeat.
                let whose = by_position(parties, party, owner);
                format!("the name of {whose} is {n} characters long: a name is at most {MAX_NAME_CHARS} characters")
            }
            PartyErrorKind::BidiControl(c) => {
                // Named by role and position only: the name itself would display reordered.
                let whose = by_position(parties, party, owner);
                format!(
                    "the name of {whose} holds the bidirectional control character U+{:04X}, which can make a name display as another",
                    u32::from(*c)
                )
            }
            PartyErrorKind::ControlChar(c) => {
                // Named by role and position only: the name itself would print the control.
                let whose = by_position(parties, party, owner);
                format!("the name of {whose} holds {}", crate::names::refused_char_described(*c))
            }
        };
        PartyError { party, owner, owner_path: owner_path.into_boxed_slice(), kind, message }
    }

    /// The diagnostic code of the problem: E0506 (shares), E0508 (list-entry id), E0509
    /// (attested list), E0510 (a direction control in a name), E0523 (a control character in a
    /// name), E0511 (a list dated after
    /// today), E0514 (a party or an owner listed twice), E0515 (too many parties or owners),
    /// E0517 (a name longer than [`MAX_NAME_CHARS`]), E0522 (a registration number that cannot be
    /// one), E0516 (parties prepared for another
    /// query's parties), E0520 (one company given with
    /// contradictory facts under two roles).
    pub fn code(&self) -> crate::diagnostic::Code {
        use crate::diagnostic::Code;
        match self.kind {
            PartyErrorKind::Share(_) | PartyErrorKind::SharesTotal(_) => Code::E0506,
            PartyErrorKind::UnknownListEntry { .. } => Code::E0508,
            PartyErrorKind::UnknownList { .. } => Code::E0509,
            PartyErrorKind::BidiControl(_) => Code::E0510,
            PartyErrorKind::ControlChar(_) => Code::E0523,
            PartyErrorKind::ListDateAfterToday { .. } => Code::E0511,
            PartyErrorKind::DuplicateParty { .. } | PartyErrorKind::DuplicateOwner { .. } => Code::E0514,
            PartyErrorKind::ContradictoryParty { .. } | PartyErrorKind::ContradictoryOwner { .. } => Code::E0520,
            PartyErrorKind::TooManyParties(_) | PartyErrorKind::TooManyOwners(_) => Code::E0515,
            PartyErrorKind::PreparedForOtherParties => Code::E0516,
            PartyErrorKind::NameTooLong(_) => Code::E0517,
            PartyErrorKind::OwnersTooDeep(_) => Code::E0518,
            PartyErrorKind::Registration { .. } => Code::E0522,
        }
    }

    /// `did you mean ...?`, when there is a suggestion.
    pub fn help(&self) -> Option<String> {
        match &self.kind {
            PartyErrorKind::UnknownListEntry { suggestion: Some(s), .. }
            | PartyErrorKind::UnknownList { suggestion: Some(s), .. } => Some(format!("did you mean `{s}`?")),
            PartyErrorKind::BidiControl(_) => {
                Some("write the name as the list or the party writes it, without direction controls".into())
            }
            PartyErrorKind::ControlChar(_) => {
                Some("write the name on one line, as the list or the party writes it, without control characters".into())
            }
            PartyErrorKind::ListDateAfterToday { .. } => {
                Some("give the date of the list version the party was screened against".into())
            }
            PartyErrorKind::DuplicateParty { .. } => {
                Some("remove the repeated party; two parties of one role differ in name or country".into())
            }
            PartyErrorKind::DuplicateOwner { .. } => Some("give the owner once, with the share it holds in all".into()),
            PartyErrorKind::ContradictoryParty { .. } | PartyErrorKind::ContradictoryOwner { .. } => Some(
                "give the company's facts once and the same under every role it has; if they are two companies, name them apart".into(),
            ),
            PartyErrorKind::NameTooLong(_) => Some(
                "give the party's name as the party or the screening list writes it, without addresses or other text".into(),
            ),
            PartyErrorKind::OwnersTooDeep(_) => Some(
                "review a longer chain of ownership outside this tool, or give the ultimate owners under the party with their shares multiplied through the chain".into(),
            ),
            PartyErrorKind::Registration { .. } => Some(
                "give the number as the register of companies writes it, with the country of incorporation; for a natural person, or a company whose number you do not have, write `identified = true` instead".into(),
            ),
            PartyErrorKind::TooManyParties(_) => {
                Some("determine each transaction on its own; split a list of parties across transactions".into())
            }
            PartyErrorKind::TooManyOwners(_) => Some(
                "never split one party's owners across requests: the Affiliates rule adds the shares of listed owners \"individually or in aggregate\" (90 FR 47201); name the owners whose shares could count (those on a screening list or not yet screened) and review a longer ownership outside this tool".into(),
            ),
            _ => None,
        }
    }

    /// The message followed by the help in parentheses, for one-line reports.
    pub fn one_line(&self) -> String {
        match self.help() {
            Some(h) => format!("{} ({h})", self.message),
            None => self.message.clone(),
        }
    }
}

/// The message of [`PartyErrorKind::ContradictoryParty`]: party `party` (`who`) and party
/// `first`, one company or possibly one (E0520), give different values of `field`.
fn contradictory_party_message(parties: &[Party], party: usize, first: usize, field: &str, who: &str) -> String {
    let first_label = parties.get(first).map_or_else(|| format!("party {}", first + 1), Party::label);
    let (a, b) = match parties.get(first).zip(parties.get(party)) {
        Some((f, p)) => contradiction_values(f, p, field),
        None => (String::new(), String::new()),
    };
    let both_located =
        parties.get(first).zip(parties.get(party)).is_some_and(|(f, p)| f.country.is_some() && p.country.is_some());
    let same_name = parties.get(first).zip(parties.get(party)).is_some_and(|(f, p)| {
        f.name.as_deref().map(crate::names::normalize_name) == p.name.as_deref().map(crate::names::normalize_name)
    });
    let same_key = parties.get(first).zip(parties.get(party)).is_some_and(|(f, p)| {
        f.name.as_deref().map(crate::names::company_key) == p.name.as_deref().map(crate::names::company_key)
    });
    let why = match (both_located, same_name) {
        _ if !same_key && both_located => {
            "may be one company (the same name but one letter in a long word, company forms, accents, spacing and case set aside, and the same country)"
        }
        _ if !same_key => {
            "may be one company (the same name but one letter in a long word, company forms, accents, spacing and case set aside; one of them gives no country, so they may be one)"
        }
        (true, true) => "are one company (the same name and country)",
        (false, true) => "may be one company (the same name; one of them gives no country, so they may be one)",
        (true, false) => {
            "may be one company (the same name once company forms, accents, spacing and case are set aside, and the same country)"
        }
        (false, false) => {
            "may be one company (the same name once company forms, accents, spacing and case are set aside; one of them gives no country, so they may be one)"
        }
    };
    format!(
        "{who} (party {}) and {first_label} (party {}) {why} but give different {}: {b} and {a}",
        party + 1,
        first + 1,
        field.replace('_', " ")
    )
}

/// A party, or its owner `owner`, named by role and position only (`owner 2 of the end user
/// (party 1)`, `the end user (party 1)`), for a name that cannot be repeated.
fn by_position(parties: &[Party], party: usize, owner: Option<usize>) -> String {
    let role = parties.get(party).map_or("party", |p| p.role.as_str()).replace('_', " ");
    match owner {
        Some(o) => format!("owner {} of the {role} (party {})", o + 1, party + 1),
        None => format!("the {role} (party {})", party + 1),
    }
}

/// Whether an owner holds a share of the party: any share but 0 %, or a share not given. A
/// 0 % holding is no ownership: the Affiliates rule (90 FR 47201) counts what an owner holds
/// toward "50 percent or more", and 0 % holds nothing, so an owner listed at 0 % states
/// nothing about who owns the company.
pub(super) fn holds_a_share(o: &Owner) -> bool {
    !o.percent.is_some_and(|p| p.is_zero())
}

/// The two values of `field` a contradiction names, for its message.
fn contradiction_values(a: &Party, b: &Party, field: &str) -> (String, String) {
    let country = |c: Option<Country>| c.map_or_else(|| "none".to_string(), |c| c.to_string());
    let owners = |p: &Party| {
        if !p.owners.iter().any(holds_a_share) {
            return "none".to_string();
        }
        let list: Vec<String> = p
            .owners
            .iter()
            .filter(|o| holds_a_share(o))
            .map(|o| match o.percent {
                Some(x) => format!("\"{}\" {x} %", o.name),
                None => format!("\"{}\"", o.name),
            })
            .collect();
        list.join(", ")
    };
    match field {
        "headquarters" => (country(a.headquarters), country(b.headquarters)),
        "parent_headquarters" => (country(a.parent_headquarters), country(b.parent_headquarters)),
        _ => (owners(a), owners(b)),
    }
}

/// Where a repeated party or owner ([`PartyErrorKind::DuplicateParty`],
/// [`PartyErrorKind::DuplicateOwner`]), a name too long, or an owner whose owners are given
/// too deep is written in the text of a transaction file: its name as a quoted string, the
/// occurrence that it is among the names written the same way (parties and owners at every
/// level in the order given, depth first: an owner's owners, `[[party.owner.owner]]`, follow
/// it). An owner is the one at [`PartyError::owner_path`], at any level. `None` for other
/// problems, or when the name is not written plainly (escapes).
pub(crate) fn repeat_span(text: &str, parties: &[Party], e: &PartyError) -> Option<std::ops::Range<usize>> {
    let party = parties.get(e.party)?;
    let owner = || -> Option<&Owner> {
        let chain = owner_chain(party, &e.owner_path);
        (chain.len() == e.owner_path.len()).then(|| chain.last().copied()).flatten()
    };
    let name = match e.kind {
        PartyErrorKind::DuplicateParty { .. } | PartyErrorKind::ContradictoryParty { .. } => party.name.as_deref()?,
        PartyErrorKind::DuplicateOwner { .. } | PartyErrorKind::OwnersTooDeep(_) => &owner()?.name,
        PartyErrorKind::NameTooLong(_) if e.owner_path.is_empty() => party.name.as_deref()?,
        PartyErrorKind::NameTooLong(_) => &owner()?.name,
        PartyErrorKind::ContradictoryOwner { ref name, nth, .. } => return nth_quoted(text, name, nth),
        _ => return None,
    };
    // Names in the order given up to the one meant, that one included (a file read keeps one
    // level of owners beyond those read, for E0518).
    let all_levels = MAX_OWNER_DEPTH + 1;
    let mut nth = 0usize;
    for (i, p) in parties.iter().enumerate().take(e.party + 1) {
        nth += usize::from(p.name.as_deref() == Some(name));
        let owners = owner_paths(p, all_levels);
        let up_to = if i < e.party {
            owners.len()
        } else if e.owner_path.is_empty() {
            0
        } else {
            owners.iter().position(|(path, _)| path.as_slice() == &*e.owner_path).map_or(owners.len(), |at| at + 1)
        };
        nth += owners.iter().take(up_to).filter(|(_, o)| o.name == name).count();
    }
    for quote in ['"', '\''] {
        let quoted = format!("{quote}{name}{quote}");
        let mut found = text.match_indices(&quoted);
        if let Some((at, _)) = found.clone().nth(nth.saturating_sub(1)).or_else(|| found.next()) {
            return Some(at..at + quoted.len());
        }
    }
    None
}

/// Where a character refused in a name (a direction control, E0510, or a control character,
/// E0523) is written in a file's `text`: the character itself, or its TOML or JSON escape
/// (`\u0007`, `\U00000007`, `\n`, `\t`, `\b`, `\f`, `\r`), the first found; a line feed or a
/// carriage return only by its escape.
pub(crate) fn written_char_span(text: &str, c: char) -> Option<std::ops::Range<usize>> {
    // A line break as written would be any line's end: only its escape is looked for.
    if let Some(at) = text.find(c).filter(|_| c != '\n' && c != '\r') {
        return Some(at..at + c.len_utf8());
    }
    let n = u32::from(c);
    let short = match c {
        '\n' => Some("\\n"),
        '\t' => Some("\\t"),
        '\u{8}' => Some("\\b"),
        '\u{c}' => Some("\\f"),
        '\r' => Some("\\r"),
        _ => None,
    };
    let escapes = [format!("\\u{n:04X}"), format!("\\u{n:04x}"), format!("\\U{n:08X}"), format!("\\U{n:08x}")];
    escapes.iter().map(String::as_str).chain(short).find_map(|x| text.find(x).map(|at| at..at + x.len()))
}

/// Where the `nth` (1-based) quoted occurrence of `name` is written in `text`, or the first.
fn nth_quoted(text: &str, name: &str, nth: usize) -> Option<std::ops::Range<usize>> {
    for quote in ['"', '\''] {
        let quoted = format!("{quote}{name}{quote}");
        let mut found = text.match_indices(&quoted);
        if let Some((at, _)) = found.clone().nth(nth.saturating_sub(1)).or_else(|| found.next()) {
            return Some(at..at + quoted.len());
        }
    }
    None
}

/// Whether `c` is a Unicode bidirectional control (marks, embeddings, overrides, isolates):
/// invisible, and able to reorder how a name is shown (Unicode UAX #9; CVE-2021-42574).
pub(crate) fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A party to the transaction. Any fact may be unknown (`None`), and an unknown fact that a
/// rule needs makes the determination indeterminate rather than clear.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
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
    /// The exporter determined who owns the party (directly or indirectly), and `owners` names
    /// every owner whose share could count towards the Affiliates (50%) rule (none, when the
    /// party has no such owner). 90 FR 47201 counts ownership "directly or indirectly": a
    /// holding company is given with its own owners ([`Owner::owners`], [`Owner::owners_known`]),
    /// and one whose own ownership is not stated leaves the rule open where its share could
    /// count. Without it, the shares no owner given holds (all of them, when no owner is given)
    /// are of unknown owners: while the Affiliates rule is in force a determination that
    /// depends on them is indeterminate, never a clearance. With it, owners given whose shares
    /// leave a rest at or above the rule's threshold (40 % given, 60 % unaccounted) leave that
    /// rest open all the same: an owner not given may hold it by itself (tester round 14, F3);
    /// and so do owners given whose listed shares would reach the threshold with the rest
    /// (Huawei's 30 % given, 40 % unaccounted: the rule counts "in the aggregate", tester15).
    #[serde(default, skip_serializing_if = "is_false")]
    pub owners_known: bool,
    /// Declared end uses, each with where it takes place when known ([`DeclaredEndUse`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub end_uses: Vec<DeclaredEndUse>,
    /// Screenings of the party's own name made elsewhere against a complete list, as the
    /// caller attests them. Where the pack holds only a sample of a list, a party that matches
    /// none of its entries is cleared of that list only by such an attestation. It does not
    /// cover the party's owners: each owner attests its own screening ([`Owner::screened`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub screened: Vec<Screening>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// An attestation that one name (a party's or an owner's) was screened against a complete list
/// outside this engine (a screening service, the published list), with the date of the list used.
/// Kept in the determination's inputs, so that a replay reproduces it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Screening {
    /// The list, as the pack names it (e.g. `entity_list`).
    pub list: String,
    /// The date of the list version screened against (its publication or download date).
    pub list_date: crate::date::Date,
    /// Who or what screened (a service, a person). A record of the screening (15 CFR 762)
    /// should say who screened: a determination that rests on an attestation without it (or
    /// with a blank one) carries a warning saying so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
}

impl Screening {
    /// Reads the one-line form `LIST@YYYY-MM-DD` (the `screened` key of [`Party::from_kv`]).
    ///
    /// # Errors
    /// A message saying what was expected.
    pub fn parse_short(s: &str) -> Result<Screening, String> {
        let (list, date) =
            s.split_once('@').ok_or_else(|| format!("`{s}` is not LIST@DATE (e.g. entity_list@2025-01-31)"))?;
        let list_date = date.trim().parse().map_err(|e: crate::date::DateError| format!("`{date}`: {e}"))?;
        let list = list.trim();
        if list.is_empty() {
            return Err(format!("`{s}` names no list (e.g. entity_list@2025-01-31)"));
        }
        Ok(Screening { list: list.to_string(), list_date, by: None })
    }
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
            owners_known: false,
            end_uses: Vec::new(),
            screened: Vec::new(),
        }
    }

    /// How the party is named in explanations: `purchaser "Alibaba Cloud"` or `end user` (a
    /// blank name is no name).
    pub fn label(&self) -> String {
        let role = self.role.as_str().replace('_', " ");
        // A name without a letter or digit (spaces, invisible characters) is no name.
        match self.name.as_deref().map(str::trim).filter(|n| n.chars().any(char::is_alphanumeric)) {
            Some(n) => format!("{role} \"{}\"", shown_name(n)),
            None => role,
        }
    }
}

/// Longest name quoted whole in a determination's `missing`, notes and warnings, in characters
/// (as a diagnostic quotes at most [`crate::diagnostic::MAX_SOURCE_LINE`] characters of a line).
pub const MAX_SHOWN_NAME: usize = crate::diagnostic::MAX_SOURCE_LINE;

/// A party's or owner's name as a determination quotes it: whole up to [`MAX_SHOWN_NAME`]
/// characters, otherwise its first 120 and last 39 characters around `…` (160 in all), so a
/// megabyte name is never copied into `missing` or a message.
pub fn shown_name(name: &str) -> std::borrow::Cow<'_, str> {
    let n = name.chars().count();
    if n <= MAX_SHOWN_NAME {
        return std::borrow::Cow::Borrowed(name);
    }
    let head: String = name.chars().take(120).collect();
    let tail: String = name.chars().skip(n - (MAX_SHOWN_NAME - 121)).collect();
    std::borrow::Cow::Owned(format!("{head}…{tail}"))
}

/// What the exporter declares about itself, for rules that bind certain exporters (Note 1 to
/// 3A090.a, 15 CFR 774 Supp. No. 1, added by 90 FR 5298 of 2025-01-16: front-end fabricators
/// and OSATs must presume an applicable advanced logic IC is 3A090.a unless rebutted).
///
/// Whether the exporter is a front-end fabricator or OSAT is unknown until stated
/// (`Exporter::default()` leaves it `None`): where the Note 1 presumption could change the
/// outcome, the determination is `indeterminate`, missing
/// `exporter.front_end_fabricator_or_osat`. The two rebuttals are documents the exporter holds,
/// so they default to false (not held).
///
/// In files: `exporter = { front_end_fabricator_or_osat = false }` (TOML) or
/// `"exporter": {"front_end_fabricator_or_osat": false}` (JSON); on the command line
/// `check --exporter-front-end-fabricator-or-osat yes|no`. A rebuttal by packaging:
/// `exporter = { front_end_fabricator_or_osat = true, packaged_outside_d5_or_macau = true,
/// packaged_by = "front_end_fabricator" }` (or `"approved_osat"`, `"other"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Exporter {
    /// The exporter is a front-end fabricator or an OSAT (outsourced assembly and test)
    /// company; `None` (the default, and `null` in JSON) when not stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "bool")]
    pub front_end_fabricator_or_osat: Option<bool>,
    /// An approved or authorized IC designer attested that the IC is not 3A090.a (Note 1 route
    /// (a), 90 FR 5298). The pack reads it only where the IC's own figures do not meet 3A090.a.1
    /// or .a.2: beside figures that meet them it is contradicted, and the presumption and its
    /// worldwide licence stand (tester round 8, T5).
    #[serde(default)]
    pub approved_ic_designer_attestation: bool,
    /// The die is packaged outside Macau and D:5, and the packager attests the aggregated
    /// approximated transistor count. Rebuts the presumption only with [`Exporter::packaged_by`]
    /// the front-end fabricator or an approved OSAT.
    #[serde(default)]
    pub packaged_outside_d5_or_macau: bool,
    /// Who packaged the die: the front-end fabricator (Note 1 route (b)), an approved OSAT
    /// listed in Supp. No. 7 to 15 CFR part 740 (route (c)), or another packager (no route);
    /// `None` (the default) when not stated. Only the first two can rebut the Note 1
    /// presumption with a transistor-count attestation (90 FR 5298; rules/us-ear/NOTES.md §3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub packaged_by: Option<Packager>,
}

/// Who packaged an IC's die, for the rebuttal of the Note 1 to 3A090.a presumption
/// (15 CFR 774 Supp. No. 1, ECCN 3A090, Note 1, added by 90 FR 5298): a transistor-count
/// attestation rebuts it only when the front-end fabricator packaged the die outside Macau
/// and D:5, or an approved OSAT (Supp. No. 7 to part 740) packaged it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Packager {
    /// The front-end fabricator that made the die (route (b) of Note 1).
    FrontEndFabricator,
    /// An OSAT company listed as approved in Supp. No. 7 to 15 CFR part 740 (route (c)).
    ApprovedOsat,
    /// Any other packager, an OSAT not listed in Supp. No. 7 included: rebuts nothing.
    Other,
}

impl Packager {
    /// Every packager.
    pub const ALL: [Packager; 3] = [Self::FrontEndFabricator, Self::ApprovedOsat, Self::Other];

    /// Vocabulary name, as in transaction files (`packaged_by = "approved_osat"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::FrontEndFabricator => "front_end_fabricator",
            Self::ApprovedOsat => "approved_osat",
            Self::Other => "other",
        }
    }

    /// Whether this packager's transistor-count attestation can rebut the Note 1 presumption
    /// (routes (b) and (c)).
    pub fn may_rebut(self) -> bool {
        matches!(self, Self::FrontEndFabricator | Self::ApprovedOsat)
    }
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
        if from.is_united_states() {
            TransactionKind::Export
        } else if from == to {
            TransactionKind::InCountryTransfer
        } else {
            TransactionKind::Reexport
        }
    }
}
