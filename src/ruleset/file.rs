//! The TOML schema of rule-pack files, as written by rule authors (see rules/README.md).
//!
//! These types only mirror the text; [`super::compile`] checks names, dates, countries and
//! conditions and builds the [`super::RuleSet`]. Unknown keys are refused by serde with their
//! location.

use serde::Deserialize;
use toml::Spanned;
use toml::value::Datetime;

/// `pack.toml`: the pack's identity and the engine versions it needs.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PackFile {
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    pub title: String,
    #[schemars(with = "String")]
    pub version: Spanned<String>,
    #[schemars(with = "String")]
    pub engine: Spanned<String>,
    #[schemars(with = "crate::schema::DateLit")]
    pub coverage_from: Spanned<Datetime>,
    #[serde(default)]
    pub scope_notes: Vec<String>,
}

/// Any other file of the pack: one or more kinds of rule tables.
#[derive(Deserialize, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    #[serde(default)]
    pub classification: Vec<ClassificationRule>,
    #[serde(default)]
    pub exclusion: Vec<ExclusionRule>,
    #[serde(default)]
    pub license_requirement: Vec<RequirementRule>,
    #[serde(default)]
    pub license_exception: Vec<ExceptionRule>,
    #[serde(default)]
    pub review_policy: Vec<ReviewPolicyRule>,
    #[serde(default)]
    pub notice: Vec<NoticeRule>,
    #[serde(default)]
    pub list_entry: Vec<ListEntryRule>,
    #[serde(default)]
    pub country_group: Vec<CountryGroupRule>,
    #[serde(default)]
    pub treated_as: Vec<TreatedAsRule>,
}

/// `[[classification]]`: when a product falls under an ECCN paragraph.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClassificationRule {
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    #[schemars(with = "String")]
    pub eccn: Spanned<String>,
    pub title: String,
    #[schemars(with = "String")]
    pub source: Spanned<String>,
    #[schemars(with = "crate::schema::DateLit")]
    pub from: Spanned<Datetime>,
    #[schemars(with = "Option<crate::schema::DateLit>")]
    pub until: Option<Spanned<Datetime>>,
    #[schemars(with = "Option<crate::schema::DateLit>")]
    pub published: Option<Spanned<Datetime>>,
    #[schemars(with = "Option<crate::schema::DateLit>")]
    pub effective: Option<Spanned<Datetime>>,
    #[schemars(with = "Vec<String>")]
    pub kinds: Spanned<Vec<Spanned<String>>>,
    #[schemars(with = "String")]
    pub when: Spanned<String>,
    #[schemars(with = "Option<crate::schema::DateLit>")]
    pub confirmed_until: Option<Spanned<Datetime>>,
    pub note: Option<String>,
    pub unverified: Option<String>,
}

/// `[[exclusion]]`: a Note that takes items out of paragraphs.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExclusionRule {
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    pub title: String,
    #[schemars(with = "String")]
    pub source: Spanned<String>,
    #[schemars(with = "crate::schema::DateLit")]
    pub from: Spanned<Datetime>,
    #[schemars(with = "Option<crate::schema::DateLit>")]
    pub until: Option<Spanned<Datetime>>,
    #[schemars(with = "Option<crate::schema::DateLit>")]
    pub published: Option<Spanned<Datetime>>,
    #[schemars(with = "Option<crate::schema::DateLit>")]
    pub effective: Option<Spanned<Datetime>>,
    #[schemars(with = "Vec<String>")]
    pub applies_to: Vec<Spanned<String>>,
    #[schemars(with = "String")]
    pub when: Spanned<String>,
    pub note: Option<String>,
    pub unverified: Option<String>,
}

/// Destination scope: `(countries ∪ groups) − (except_groups ∪ except_countries)`.
#[derive(Deserialize, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DestinationsFile {
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub groups: Vec<Spanned<String>>,
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub countries: Vec<Spanned<String>>,
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub except_groups: Vec<Spanned<String>>,
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub except_countries: Vec<Spanned<String>>,
}

/// Which parties a rule concerns: a rule applies when at least one party matches every key given.
#[derive(Deserialize, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PartiesFile {
    #[schemars(with = "Option<Vec<String>>")]
    pub roles: Option<Vec<Spanned<String>>>,
    #[schemars(with = "Option<DestinationsFile>")]
    pub located_in: Option<Spanned<DestinationsFile>>,
    #[schemars(with = "Option<DestinationsFile>")]
    pub headquartered_in: Option<Spanned<DestinationsFile>>,
    #[schemars(with = "Option<String>")]
    pub listed_on: Option<Spanned<String>>,
    pub owned_by_listed: Option<OwnedByFile>,
    #[schemars(with = "Option<Vec<String>>")]
    pub end_uses: Option<Vec<Spanned<String>>>,
}

/// `owned_by_listed = { list = "entity_list", percent = 50 }`: owned, in aggregate, that much or
/// more by parties on the list.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OwnedByFile {
    #[schemars(with = "String")]
    pub list: Spanned<String>,
    #[schemars(with = "crate::number::NumLit")]
    pub percent: Spanned<crate::number::NumLit>,
}

/// `[[list_entry]]`: an entry of a screening list (e.g. the Entity List, Supp. No. 4 to part 744).
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListEntryRule {
    #[schemars(with = "String")]
    pub list: Spanned<String>,
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[schemars(with = "Option<String>")]
    pub country: Option<Spanned<String>>,
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub countries: Vec<Spanned<String>>,
    #[schemars(with = "String")]
    pub source: Spanned<String>,
    #[schemars(with = "crate::schema::DateLit")]
    pub from: Spanned<Datetime>,
    #[schemars(with = "Option<crate::schema::DateLit>")]
    pub until: Option<Spanned<Datetime>>,
    pub license_requirement: Option<String>,
    #[schemars(with = "Option<String>")]
    pub review_policy: Option<Spanned<String>>,
    #[schemars(with = "Option<i64>")]
    pub footnote: Option<Spanned<i64>>,
    pub note: Option<String>,
    pub unverified: Option<String>,
}

/// `[[license_requirement]]`: a licence requirement for items and destinations.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RequirementRule {
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    pub title: String,
    pub reason: String,
    #[schemars(with = "String")]
    pub source: Spanned<String>,
    #[schemars(with = "crate::schema::DateLit")]
    pub from: Spanned<Datetime>,
    #[schemars(with = "Option<crate::schema::DateLit>")]
    pub until: Option<Spanned<Datetime>>,
    #[schemars(with = "Option<crate::schema::DateLit>")]
    pub published: Option<Spanned<Datetime>>,
    #[schemars(with = "Option<crate::schema::DateLit>")]
    pub effective: Option<Spanned<Datetime>>,
    #[schemars(with = "crate::schema::ItemsLit")]
    pub items: Spanned<toml::Value>,
    #[schemars(with = "Option<DestinationsFile>")]
    pub destinations: Option<Spanned<DestinationsFile>>,
    #[schemars(with = "Option<PartiesFile>")]
    pub parties: Option<Spanned<PartiesFile>>,
    #[schemars(with = "Option<Vec<String>>")]
    pub products: Option<Vec<Spanned<String>>>,
    #[schemars(with = "Option<Vec<String>>")]
    pub transaction_kinds: Option<Vec<Spanned<String>>>,
    #[schemars(with = "Option<crate::schema::DateLit>")]
    pub confirmed_until: Option<Spanned<Datetime>>,
    #[schemars(with = "Option<String>")]
    pub when: Option<Spanned<String>>,
    #[schemars(with = "Option<String>")]
    pub review_policy: Option<Spanned<String>>,
    pub note: Option<String>,
    pub unverified: Option<String>,
}

/// `[[license_exception]]`: which requirements a licence exception overcomes, and when.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExceptionRule {
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    pub name: String,
    pub title: String,
    #[schemars(with = "String")]
    pub source: Spanned<String>,
    #[schemars(with = "crate::schema::DateLit")]
    pub from: Spanned<Datetime>,
    #[schemars(with = "Option<crate::schema::DateLit>")]
    pub until: Option<Spanned<Datetime>>,
    #[schemars(with = "Option<crate::schema::DateLit>")]
    pub published: Option<Spanned<Datetime>>,
    #[schemars(with = "Option<crate::schema::DateLit>")]
    pub effective: Option<Spanned<Datetime>>,
    #[schemars(with = "Vec<String>")]
    pub overcomes: Spanned<Vec<Spanned<String>>>,
    #[schemars(with = "crate::schema::ItemsLit")]
    pub items: Spanned<toml::Value>,
    #[schemars(with = "Option<DestinationsFile>")]
    pub destinations: Option<Spanned<DestinationsFile>>,
    #[schemars(with = "Option<PartiesFile>")]
    pub parties: Option<Spanned<PartiesFile>>,
    #[schemars(with = "Option<Vec<String>>")]
    pub products: Option<Vec<Spanned<String>>>,
    #[schemars(with = "Option<Vec<String>>")]
    pub transaction_kinds: Option<Vec<Spanned<String>>>,
    #[schemars(with = "Option<crate::schema::DateLit>")]
    pub confirmed_until: Option<Spanned<Datetime>>,
    #[schemars(with = "Option<String>")]
    pub when: Option<Spanned<String>>,
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub unavailable_with: Vec<Spanned<String>>,
    #[serde(default)]
    pub obligations: Vec<String>,
    pub note: Option<String>,
    pub unverified: Option<String>,
}

/// `[[review_policy]]`: how BIS reviews licence applications under some requirements.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewPolicyRule {
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    pub title: String,
    #[schemars(with = "String")]
    pub source: Spanned<String>,
    #[schemars(with = "crate::schema::DateLit")]
    pub from: Spanned<Datetime>,
    #[schemars(with = "Option<crate::schema::DateLit>")]
    pub until: Option<Spanned<Datetime>>,
    #[schemars(with = "Option<crate::schema::DateLit>")]
    pub published: Option<Spanned<Datetime>>,
    #[schemars(with = "Option<crate::schema::DateLit>")]
    pub effective: Option<Spanned<Datetime>>,
    #[schemars(with = "Vec<String>")]
    pub applies_to: Vec<Spanned<String>>,
    #[schemars(with = "String")]
    pub policy: Spanned<String>,
    #[schemars(with = "Option<DestinationsFile>")]
    pub destinations: Option<Spanned<DestinationsFile>>,
    #[schemars(with = "Option<PartiesFile>")]
    pub parties: Option<Spanned<PartiesFile>>,
    #[schemars(with = "Option<Vec<String>>")]
    pub products: Option<Vec<Spanned<String>>>,
    #[schemars(with = "Option<Vec<String>>")]
    pub transaction_kinds: Option<Vec<Spanned<String>>>,
    #[schemars(with = "Option<crate::schema::DateLit>")]
    pub confirmed_until: Option<Spanned<Datetime>>,
    #[schemars(with = "Option<String>")]
    pub when: Option<Spanned<String>>,
    #[serde(default)]
    pub obligations: Vec<String>,
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub supersedes: Vec<Spanned<String>>,
    pub note: Option<String>,
    pub unverified: Option<String>,
}

/// `[[notice]]`: something a determination must show that is not a licence requirement
/// (an ambiguous period, a policy not encoded as a rule, a red flag).
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NoticeRule {
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    pub title: String,
    #[schemars(with = "String")]
    pub source: Spanned<String>,
    #[schemars(with = "crate::schema::DateLit")]
    pub from: Spanned<Datetime>,
    #[schemars(with = "Option<crate::schema::DateLit>")]
    pub until: Option<Spanned<Datetime>>,
    #[schemars(with = "Option<crate::schema::DateLit>")]
    pub published: Option<Spanned<Datetime>>,
    #[schemars(with = "Option<crate::schema::DateLit>")]
    pub effective: Option<Spanned<Datetime>>,
    #[schemars(with = "Option<DestinationsFile>")]
    pub destinations: Option<Spanned<DestinationsFile>>,
    #[schemars(with = "Option<PartiesFile>")]
    pub parties: Option<Spanned<PartiesFile>>,
    #[schemars(with = "Option<Vec<String>>")]
    pub products: Option<Vec<Spanned<String>>>,
    #[schemars(with = "Option<Vec<String>>")]
    pub transaction_kinds: Option<Vec<Spanned<String>>>,
    #[schemars(with = "Option<crate::schema::DateLit>")]
    pub confirmed_until: Option<Spanned<Datetime>>,
    #[schemars(with = "Option<String>")]
    pub when: Option<Spanned<String>>,
    pub note: Option<String>,
    pub unverified: Option<String>,
}

/// `[[country_group]]`: a country group of Supp. No. 1 to part 740 with dated memberships.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CountryGroupRule {
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    pub title: String,
    #[schemars(with = "String")]
    pub source: Spanned<String>,
    #[schemars(with = "Vec<String>")]
    pub members: Vec<Spanned<String>>,
    #[serde(default)]
    pub dated_member: Vec<DatedMember>,
    pub note: Option<String>,
}

/// A membership that starts or ends inside the pack's coverage.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DatedMember {
    #[schemars(with = "String")]
    pub country: Spanned<String>,
    #[schemars(with = "Option<crate::schema::DateLit>")]
    pub from: Option<Spanned<Datetime>>,
    #[schemars(with = "Option<crate::schema::DateLit>")]
    pub until: Option<Spanned<Datetime>>,
    #[schemars(with = "String")]
    pub source: Spanned<String>,
    pub note: Option<String>,
}

/// `[[treated_as]]`: a destination the EAR treats as another (Hong Kong as China).
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TreatedAsRule {
    #[schemars(with = "String")]
    pub country: Spanned<String>,
    #[serde(rename = "as")]
    #[schemars(with = "String")]
    pub treated_as: Spanned<String>,
    #[schemars(with = "crate::schema::DateLit")]
    pub from: Spanned<Datetime>,
    #[schemars(with = "Option<crate::schema::DateLit>")]
    pub until: Option<Spanned<Datetime>>,
    #[schemars(with = "String")]
    pub source: Spanned<String>,
    pub note: Option<String>,
}
