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
    /// Name, e.g. "NAC".
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// One line a reviewer recognises.
    pub title: String,
    #[schemars(with = "String")]
    pub version: Spanned<String>,
    #[schemars(with = "String")]
    pub engine: Spanned<String>,
    #[schemars(with = "crate::date::DateLit")]
    pub coverage_from: Spanned<Datetime>,
    /// The last day the pack's research covers (its research cut-off): rules published or in
    /// force after it are not encoded.
    #[schemars(with = "crate::date::DateLit")]
    pub researched_until: Spanned<Datetime>,
    #[serde(default)]
    pub scope_notes: Vec<String>,
    /// How integrated circuits in separate packages inside one computer or board are tested
    /// against the 3A090 parameters (default: each on its own).
    pub aggregation: Option<AggregationFile>,
}

/// `[aggregation]` of `pack.toml`: the reading of separately packaged ICs in one system.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AggregationFile {
    /// "per_ic" (each contained IC is tested on its own) or "aggregate" (the contained ICs
    /// are tested as one).
    #[schemars(with = "String")]
    pub separate_packages: Spanned<String>,
    /// Where the reading comes from.
    #[schemars(with = "String")]
    pub source: Spanned<String>,
    /// Remark for readers.
    pub note: Option<String>,
    /// What the sources could not confirm.
    pub unverified: Option<String>,
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
    /// presumption_of_approval, case_by_case, presumption_of_denial or policy_of_denial.
    #[serde(default)]
    pub review_policy: Vec<ReviewPolicyRule>,
    #[serde(default)]
    pub notice: Vec<NoticeRule>,
    #[serde(default)]
    pub list_entry: Vec<ListEntryRule>,
    #[serde(default)]
    pub screening_list: Vec<ScreeningListRule>,
    #[serde(default)]
    pub country_group: Vec<CountryGroupRule>,
    #[serde(default)]
    pub treated_as: Vec<TreatedAsRule>,
}

/// `[[classification]]`: when a product falls under an ECCN paragraph.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClassificationRule {
    /// The regulation's paragraph, e.g. "3A090.a.1" or "742.6(a)(6)(iii)".
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// The ECCN reported, e.g. "3A090.a".
    #[schemars(with = "String")]
    pub eccn: Spanned<String>,
    /// One line a reviewer recognises.
    pub title: String,
    /// CFR paragraph and Federal Register citation.
    #[schemars(with = "String")]
    pub source: Spanned<String>,
    /// First day the rule binds exporters (inclusive), a bare date: 2023-11-17.
    #[schemars(with = "crate::date::DateLit")]
    pub from: Spanned<Datetime>,
    /// First day the rule no longer applies (exclusive).
    #[schemars(with = "Option<crate::date::DateLit>")]
    pub until: Option<Spanned<Datetime>>,
    /// Federal Register publication date.
    #[schemars(with = "Option<crate::date::DateLit>")]
    pub published: Option<Spanned<Datetime>>,
    /// Effective date, where it differs from `from`.
    #[schemars(with = "Option<crate::date::DateLit>")]
    pub effective: Option<Spanned<Datetime>>,
    /// Product kinds this paragraph classifies: integrated_circuit, computer, memory.
    #[schemars(with = "Vec<crate::model::KindLit>")]
    pub kinds: Spanned<Vec<Spanned<String>>>,
    /// Condition, e.g. "tpp >= 1600 and performance_density >= 5.92".
    #[schemars(with = "String")]
    pub when: Spanned<String>,
    /// Last day the rule's status is confirmed by the sources.
    #[schemars(with = "Option<crate::date::DateLit>")]
    pub confirmed_until: Option<Spanned<Datetime>>,
    /// First day the rule's status is confirmed by the sources, when its start is not (the
    /// sources give another effective date, or staggered dates): from `from` to the day before,
    /// a determination the rule could change is indeterminate. On or after `from`.
    #[schemars(with = "Option<crate::date::DateLit>")]
    pub confirmed_from: Option<Spanned<Datetime>>,
    /// Remark for readers.
    pub note: Option<String>,
    /// Why this version starts later than the day the previous version of the same id ended
    /// (a stay, a rescission then a new rule): without it, lint reports the gap (L012).
    pub follows_lapse: Option<String>,
    /// What the sources could not confirm; shown as a warning when the rule decides.
    pub unverified: Option<String>,
}

/// `[[exclusion]]`: a Note that takes items out of paragraphs.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExclusionRule {
    /// The regulation's paragraph, e.g. "3A090.a.1" or "742.6(a)(6)(iii)".
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// One line a reviewer recognises.
    pub title: String,
    /// CFR paragraph and Federal Register citation.
    #[schemars(with = "String")]
    pub source: Spanned<String>,
    /// First day the rule binds exporters (inclusive), a bare date: 2023-11-17.
    #[schemars(with = "crate::date::DateLit")]
    pub from: Spanned<Datetime>,
    /// First day the rule no longer applies (exclusive).
    #[schemars(with = "Option<crate::date::DateLit>")]
    pub until: Option<Spanned<Datetime>>,
    /// Federal Register publication date.
    #[schemars(with = "Option<crate::date::DateLit>")]
    pub published: Option<Spanned<Datetime>>,
    /// Effective date, where it differs from `from`.
    #[schemars(with = "Option<crate::date::DateLit>")]
    pub effective: Option<Spanned<Datetime>>,
    /// Ids of the rules this one applies to.
    #[schemars(with = "Vec<String>")]
    pub applies_to: Vec<Spanned<String>>,
    /// Condition, e.g. "tpp >= 1600 and performance_density >= 5.92".
    #[schemars(with = "String")]
    pub when: Spanned<String>,
    /// Remark for readers.
    pub note: Option<String>,
    /// Why this version starts later than the day the previous version of the same id ended
    /// (a stay, a rescission then a new rule): without it, lint reports the gap (L012).
    pub follows_lapse: Option<String>,
    /// What the sources could not confirm; shown as a warning when the rule decides.
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
    #[schemars(with = "Option<Vec<crate::model::RoleLit>>")]
    pub roles: Option<Spanned<Vec<Spanned<String>>>>,
    #[schemars(with = "Option<DestinationsFile>")]
    pub located_in: Option<Spanned<DestinationsFile>>,
    #[schemars(with = "Option<DestinationsFile>")]
    pub headquartered_in: Option<Spanned<DestinationsFile>>,
    /// Where the entity the item is used for is headquartered (or its ultimate parent is): the
    /// party itself or a beneficiary of the transaction ("for or on behalf of").
    #[schemars(with = "Option<DestinationsFile>")]
    pub for_headquartered_in: Option<Spanned<DestinationsFile>>,
    #[schemars(with = "Option<String>")]
    pub listed_on: Option<Spanned<String>>,
    pub owned_by_listed: Option<OwnedByFile>,
    #[schemars(with = "Option<Vec<crate::model::EndUseLit>>")]
    pub end_uses: Option<Spanned<Vec<Spanned<String>>>>,
    /// Where the declared end use takes place (the supercomputer, the facility, the military
    /// end use): not the party's location.
    #[schemars(with = "Option<DestinationsFile>")]
    pub end_use_in: Option<Spanned<DestinationsFile>>,
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

/// `[[screening_list]]`: what the pack holds of a screening list: a complete import of the
/// published list (e.g. by `export-controls import-csl`) or a sample, its date and its source.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScreeningListRule {
    /// The list, as `[[list_entry]]` tables name it, e.g. "entity_list".
    #[schemars(with = "String")]
    pub list: Spanned<String>,
    /// How determinations name the list, e.g. "Entity List".
    pub name: String,
    /// Whether the pack holds every entry of the list as published on `as_of`. A sample
    /// (false) screens nothing: a party that matches none of its entries is left open.
    pub complete: bool,
    /// The date of the list as held (its publication or download date), a bare date; a
    /// complete list needs it.
    #[schemars(with = "Option<crate::date::DateLit>")]
    pub as_of: Option<Spanned<Datetime>>,
    /// Where the entries come from (the file imported, or how they were encoded).
    #[schemars(with = "String")]
    pub source: Spanned<String>,
}

/// `[[list_entry]]`: an entry of a screening list (e.g. the Entity List, Supp. No. 4 to part 744).
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListEntryRule {
    #[schemars(with = "String")]
    pub list: Spanned<String>,
    /// The regulation's paragraph, e.g. "3A090.a.1" or "742.6(a)(6)(iii)".
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// Name, e.g. "NAC".
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// ISO 3166-1 alpha-2 code.
    #[schemars(with = "Option<String>")]
    pub country: Option<Spanned<String>>,
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub countries: Vec<Spanned<String>>,
    /// CFR paragraph and Federal Register citation.
    #[schemars(with = "String")]
    pub source: Spanned<String>,
    /// First day the entry is in force (inclusive), a bare date: 2023-11-17. Left out when the
    /// list does not give it: the entry is then in force from the start.
    #[schemars(with = "Option<crate::date::DateLit>")]
    pub from: Option<Spanned<Datetime>>,
    /// First day the rule no longer applies (exclusive).
    #[schemars(with = "Option<crate::date::DateLit>")]
    pub until: Option<Spanned<Datetime>>,
    pub license_requirement: Option<String>,
    /// presumption_of_approval, case_by_case, presumption_of_denial or policy_of_denial.
    #[schemars(with = "Option<crate::ruleset::PolicyLit>")]
    pub review_policy: Option<Spanned<String>>,
    #[schemars(with = "Option<i64>")]
    pub footnote: Option<Spanned<i64>>,
    /// Remark for readers.
    pub note: Option<String>,
    /// What the sources could not confirm; shown as a warning when the rule decides.
    pub unverified: Option<String>,
}

/// `[[license_requirement]]`: a licence requirement for items and destinations.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RequirementRule {
    /// The regulation's paragraph, e.g. "3A090.a.1" or "742.6(a)(6)(iii)".
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// One line a reviewer recognises.
    pub title: String,
    /// Why the licence is required: a reason for control of 15 CFR 738.2(d)(2) ("RS", "AT", ...)
    /// or the part of the EAR that imposes it ("embargo", "Entity List", "End use (supercomputer)",
    /// "is informed"), written exactly; an unknown reason is refused (E0361).
    #[schemars(with = "crate::ruleset::ReasonLit")]
    pub reason: Spanned<String>,
    /// CFR paragraph and Federal Register citation.
    #[schemars(with = "String")]
    pub source: Spanned<String>,
    /// First day the rule binds exporters (inclusive), a bare date: 2023-11-17.
    #[schemars(with = "crate::date::DateLit")]
    pub from: Spanned<Datetime>,
    /// First day the rule no longer applies (exclusive).
    #[schemars(with = "Option<crate::date::DateLit>")]
    pub until: Option<Spanned<Datetime>>,
    /// Federal Register publication date.
    #[schemars(with = "Option<crate::date::DateLit>")]
    pub published: Option<Spanned<Datetime>>,
    /// Effective date, where it differs from `from`.
    #[schemars(with = "Option<crate::date::DateLit>")]
    pub effective: Option<Spanned<Datetime>>,
    /// "all" or a list of ECCNs, e.g. ["3A090.a", "4A090.a"].
    #[schemars(with = "crate::ruleset::ItemsLit")]
    pub items: Spanned<toml::Value>,
    /// { groups, countries, except_groups, except_countries }.
    #[schemars(with = "Option<DestinationsFile>")]
    pub destinations: Option<Spanned<DestinationsFile>>,
    /// Conditions on one party: roles, located_in, headquartered_in, listed_on, owned_by_listed, end_uses.
    #[schemars(with = "Option<PartiesFile>")]
    pub parties: Option<Spanned<PartiesFile>>,
    /// Catalog product ids (company-specific letters).
    #[schemars(with = "Option<Vec<String>>")]
    pub products: Option<Spanned<Vec<Spanned<String>>>>,
    /// export, reexport or in_country_transfer.
    #[schemars(with = "Option<Vec<crate::model::TransactionKindLit>>")]
    pub transaction_kinds: Option<Spanned<Vec<Spanned<String>>>>,
    /// Regions of Ukraine the requirement concerns (crimea, dnr, lnr, other; 15 CFR 746.6),
    /// with `destinations = { countries = ["UA"] }`: the transaction's `destination_region`
    /// must be one of them, and unknown it leaves the requirement unknown.
    #[schemars(with = "Option<Vec<crate::model::Region>>")]
    pub regions: Option<Spanned<Vec<Spanned<String>>>>,
    /// Last day the rule's status is confirmed by the sources.
    #[schemars(with = "Option<crate::date::DateLit>")]
    pub confirmed_until: Option<Spanned<Datetime>>,
    /// First day the rule's status is confirmed by the sources, when its start is not (the
    /// sources give another effective date, or staggered dates): from `from` to the day before,
    /// a determination the rule could change is indeterminate. On or after `from`.
    #[schemars(with = "Option<crate::date::DateLit>")]
    pub confirmed_from: Option<Spanned<Datetime>>,
    /// Condition, e.g. "tpp >= 1600 and performance_density >= 5.92".
    #[schemars(with = "Option<String>")]
    pub when: Option<Spanned<String>>,
    /// presumption_of_approval, case_by_case, presumption_of_denial or policy_of_denial.
    #[schemars(with = "Option<crate::ruleset::PolicyLit>")]
    pub review_policy: Option<Spanned<String>>,
    /// Remark for readers.
    pub note: Option<String>,
    /// Why this version starts later than the day the previous version of the same id ended
    /// (a stay, a rescission then a new rule): without it, lint reports the gap (L012).
    pub follows_lapse: Option<String>,
    /// The id of the licence requirement this one replaced, where the regulation moved the
    /// requirement to another paragraph (88 FR 73458 replaced `742.6(a)(6)(i)` by
    /// `742.6(a)(6)(iii)`): it must name a licence requirement of the pack (E0244), and lint
    /// reports days between the end of that id's last version and this rule's start (L012).
    #[schemars(with = "Option<String>")]
    pub succeeds: Option<Spanned<String>>,
    /// Why the requirement was in force before `from` in a text this pack does not encode
    /// (`from` is the earliest date the pack can cite, not the day the requirement began): lint
    /// refuses a `coverage_from` earlier than `from` (L016).
    pub predates_from: Option<String>,
    /// What the sources could not confirm; shown as a warning when the rule decides.
    pub unverified: Option<String>,
}

/// `[[license_exception]]`: which requirements a licence exception overcomes, and when.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExceptionRule {
    /// The regulation's paragraph, e.g. "3A090.a.1" or "742.6(a)(6)(iii)".
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// Name, e.g. "NAC".
    pub name: String,
    /// One line a reviewer recognises.
    pub title: String,
    /// CFR paragraph and Federal Register citation.
    #[schemars(with = "String")]
    pub source: Spanned<String>,
    /// First day the rule binds exporters (inclusive), a bare date: 2023-11-17.
    #[schemars(with = "crate::date::DateLit")]
    pub from: Spanned<Datetime>,
    /// First day the rule no longer applies (exclusive).
    #[schemars(with = "Option<crate::date::DateLit>")]
    pub until: Option<Spanned<Datetime>>,
    /// Federal Register publication date.
    #[schemars(with = "Option<crate::date::DateLit>")]
    pub published: Option<Spanned<Datetime>>,
    /// Effective date, where it differs from `from`.
    #[schemars(with = "Option<crate::date::DateLit>")]
    pub effective: Option<Spanned<Datetime>>,
    /// Ids of the licence requirements this exception overcomes.
    #[schemars(with = "Vec<String>")]
    pub overcomes: Spanned<Vec<Spanned<String>>>,
    /// "all" or a list of ECCNs, e.g. ["3A090.a", "4A090.a"].
    #[schemars(with = "crate::ruleset::ItemsLit")]
    pub items: Spanned<toml::Value>,
    /// { groups, countries, except_groups, except_countries }.
    #[schemars(with = "Option<DestinationsFile>")]
    pub destinations: Option<Spanned<DestinationsFile>>,
    /// Conditions on one party: roles, located_in, headquartered_in, listed_on, owned_by_listed, end_uses.
    #[schemars(with = "Option<PartiesFile>")]
    pub parties: Option<Spanned<PartiesFile>>,
    /// Catalog product ids (company-specific letters).
    #[schemars(with = "Option<Vec<String>>")]
    pub products: Option<Spanned<Vec<Spanned<String>>>>,
    /// export, reexport or in_country_transfer.
    #[schemars(with = "Option<Vec<crate::model::TransactionKindLit>>")]
    pub transaction_kinds: Option<Spanned<Vec<Spanned<String>>>>,
    /// Last day the rule's status is confirmed by the sources.
    #[schemars(with = "Option<crate::date::DateLit>")]
    pub confirmed_until: Option<Spanned<Datetime>>,
    /// First day the rule's status is confirmed by the sources, when its start is not (the
    /// sources give another effective date, or staggered dates): from `from` to the day before,
    /// a determination the rule could change is indeterminate. On or after `from`.
    #[schemars(with = "Option<crate::date::DateLit>")]
    pub confirmed_from: Option<Spanned<Datetime>>,
    /// Condition, e.g. "tpp >= 1600 and performance_density >= 5.92".
    #[schemars(with = "Option<String>")]
    pub when: Option<Spanned<String>>,
    /// Requirement id prefixes that make the exception unavailable, e.g. ["746"].
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub unavailable_with: Vec<Spanned<String>>,
    /// What using it obliges the exporter (or applicant) to do.
    #[serde(default)]
    pub obligations: Vec<String>,
    /// The exception is used through a notification that names one ultimate consignee and one
    /// end user, and no distributor (License Exception NAC, BIS NAC guidance): it is not
    /// available for a transaction with two end users, two ultimate consignees or an
    /// intermediate consignee.
    #[serde(default)]
    pub one_consignee_and_end_user: bool,
    /// Remark for readers.
    pub note: Option<String>,
    /// Why this version starts later than the day the previous version of the same id ended
    /// (a stay, a rescission then a new rule): without it, lint reports the gap (L012).
    pub follows_lapse: Option<String>,
    /// What the sources could not confirm; shown as a warning when the rule decides.
    pub unverified: Option<String>,
}

/// `[[review_policy]]`: how BIS reviews licence applications under some requirements.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewPolicyRule {
    /// The regulation's paragraph, e.g. "3A090.a.1" or "742.6(a)(6)(iii)".
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// One line a reviewer recognises.
    pub title: String,
    /// CFR paragraph and Federal Register citation.
    #[schemars(with = "String")]
    pub source: Spanned<String>,
    /// First day the rule binds exporters (inclusive), a bare date: 2023-11-17.
    #[schemars(with = "crate::date::DateLit")]
    pub from: Spanned<Datetime>,
    /// First day the rule no longer applies (exclusive).
    #[schemars(with = "Option<crate::date::DateLit>")]
    pub until: Option<Spanned<Datetime>>,
    /// Federal Register publication date.
    #[schemars(with = "Option<crate::date::DateLit>")]
    pub published: Option<Spanned<Datetime>>,
    /// Effective date, where it differs from `from`.
    #[schemars(with = "Option<crate::date::DateLit>")]
    pub effective: Option<Spanned<Datetime>>,
    /// Ids of the rules this one applies to.
    #[schemars(with = "Vec<String>")]
    pub applies_to: Vec<Spanned<String>>,
    /// presumption_of_approval, case_by_case, presumption_of_denial or policy_of_denial.
    #[schemars(with = "crate::ruleset::PolicyLit")]
    pub policy: Spanned<String>,
    /// { groups, countries, except_groups, except_countries }.
    #[schemars(with = "Option<DestinationsFile>")]
    pub destinations: Option<Spanned<DestinationsFile>>,
    /// Conditions on one party: roles, located_in, headquartered_in, listed_on, owned_by_listed, end_uses.
    #[schemars(with = "Option<PartiesFile>")]
    pub parties: Option<Spanned<PartiesFile>>,
    /// Catalog product ids (company-specific letters).
    #[schemars(with = "Option<Vec<String>>")]
    pub products: Option<Spanned<Vec<Spanned<String>>>>,
    /// export, reexport or in_country_transfer.
    #[schemars(with = "Option<Vec<crate::model::TransactionKindLit>>")]
    pub transaction_kinds: Option<Spanned<Vec<Spanned<String>>>>,
    /// Last day the rule's status is confirmed by the sources.
    #[schemars(with = "Option<crate::date::DateLit>")]
    pub confirmed_until: Option<Spanned<Datetime>>,
    /// First day the rule's status is confirmed by the sources, when its start is not (the
    /// sources give another effective date, or staggered dates): from `from` to the day before,
    /// a determination the rule could change is indeterminate. On or after `from`.
    #[schemars(with = "Option<crate::date::DateLit>")]
    pub confirmed_from: Option<Spanned<Datetime>>,
    /// Condition, e.g. "tpp >= 1600 and performance_density >= 5.92".
    #[schemars(with = "Option<String>")]
    pub when: Option<Spanned<String>>,
    /// What using it obliges the exporter (or applicant) to do.
    #[serde(default)]
    pub obligations: Vec<String>,
    /// Ids of review-policy rules this one replaces where both match.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub supersedes: Vec<Spanned<String>>,
    /// Remark for readers.
    pub note: Option<String>,
    /// Why this version starts later than the day the previous version of the same id ended
    /// (a stay, a rescission then a new rule): without it, lint reports the gap (L012).
    pub follows_lapse: Option<String>,
    /// What the sources could not confirm; shown as a warning when the rule decides.
    pub unverified: Option<String>,
}

/// `[[notice]]`: something a determination must show that is not a licence requirement
/// (an ambiguous period, a policy not encoded as a rule, a red flag).
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NoticeRule {
    /// The regulation's paragraph, e.g. "3A090.a.1" or "742.6(a)(6)(iii)".
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// One line a reviewer recognises.
    pub title: String,
    /// CFR paragraph and Federal Register citation.
    #[schemars(with = "String")]
    pub source: Spanned<String>,
    /// First day the rule binds exporters (inclusive), a bare date: 2023-11-17.
    #[schemars(with = "crate::date::DateLit")]
    pub from: Spanned<Datetime>,
    /// First day the rule no longer applies (exclusive).
    #[schemars(with = "Option<crate::date::DateLit>")]
    pub until: Option<Spanned<Datetime>>,
    /// Federal Register publication date.
    #[schemars(with = "Option<crate::date::DateLit>")]
    pub published: Option<Spanned<Datetime>>,
    /// Effective date, where it differs from `from`.
    #[schemars(with = "Option<crate::date::DateLit>")]
    pub effective: Option<Spanned<Datetime>>,
    /// { groups, countries, except_groups, except_countries }.
    #[schemars(with = "Option<DestinationsFile>")]
    pub destinations: Option<Spanned<DestinationsFile>>,
    /// Conditions on one party: roles, located_in, headquartered_in, listed_on, owned_by_listed, end_uses.
    #[schemars(with = "Option<PartiesFile>")]
    pub parties: Option<Spanned<PartiesFile>>,
    /// Catalog product ids (company-specific letters).
    #[schemars(with = "Option<Vec<String>>")]
    pub products: Option<Spanned<Vec<Spanned<String>>>>,
    /// export, reexport or in_country_transfer.
    #[schemars(with = "Option<Vec<crate::model::TransactionKindLit>>")]
    pub transaction_kinds: Option<Spanned<Vec<Spanned<String>>>>,
    /// Last day the rule's status is confirmed by the sources.
    #[schemars(with = "Option<crate::date::DateLit>")]
    pub confirmed_until: Option<Spanned<Datetime>>,
    /// First day the rule's status is confirmed by the sources, when its start is not (the
    /// sources give another effective date, or staggered dates): from `from` to the day before,
    /// a determination the rule could change is indeterminate. On or after `from`.
    #[schemars(with = "Option<crate::date::DateLit>")]
    pub confirmed_from: Option<Spanned<Datetime>>,
    /// Condition, e.g. "tpp >= 1600 and performance_density >= 5.92".
    #[schemars(with = "Option<String>")]
    pub when: Option<Spanned<String>>,
    /// Remark for readers.
    pub note: Option<String>,
    /// Why this version starts later than the day the previous version of the same id ended
    /// (a stay, a rescission then a new rule): without it, lint reports the gap (L012).
    pub follows_lapse: Option<String>,
    /// What the sources could not confirm; shown as a warning when the rule decides.
    pub unverified: Option<String>,
}

/// `[[country_group]]`: a country group of Supp. No. 1 to part 740 with dated memberships.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CountryGroupRule {
    /// The regulation's paragraph, e.g. "3A090.a.1" or "742.6(a)(6)(iii)".
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// One line a reviewer recognises.
    pub title: String,
    /// CFR paragraph and Federal Register citation.
    #[schemars(with = "String")]
    pub source: Spanned<String>,
    /// ISO 3166-1 alpha-2 codes of members throughout the pack's coverage.
    #[schemars(with = "Vec<String>")]
    pub members: Spanned<Vec<Spanned<String>>>,
    #[serde(default)]
    pub dated_member: Vec<DatedMember>,
    /// ISO 3166-1 alpha-2 codes of countries whose membership the sources do not confirm
    /// (throughout the pack's coverage): the core treats their membership as unknown, so a rule
    /// that hinges on it is undecided.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub unverified_members: Vec<Spanned<String>>,
    /// What the sources could not confirm about `unverified_members`; named in the missing facts.
    #[schemars(with = "Option<String>")]
    pub unverified: Option<Spanned<String>>,
    /// Where `unverified_members` are and are not listed (CFR, FR, secondary sources).
    #[schemars(with = "Option<String>")]
    pub unverified_source: Option<Spanned<String>>,
    /// Memberships the sources leave unverified for a period only
    /// (`[[country_group.unverified_member]]`): the core treats the country's membership as
    /// unknown on those days, so a rule that hinges on it is undecided.
    #[serde(default)]
    pub unverified_member: Vec<UnverifiedMember>,
    /// Remark for readers.
    pub note: Option<String>,
}

/// `[[country_group.unverified_member]]`: a membership the sources leave unverified from
/// `from` (inclusive) until `until` (exclusive), e.g. Cambodia in D:5 between the State
/// Department's removal of it from 22 CFR 126.1 (2025-11-07) and BIS's conforming rule
/// (2026-02-03). At least one of `from` and `until`; the period overlaps no membership of the
/// country in the group and no other unverified period of it.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UnverifiedMember {
    /// ISO 3166-1 alpha-2 code.
    #[schemars(with = "String")]
    pub country: Spanned<String>,
    /// First day the membership is unverified (inclusive), a bare date: 2025-11-07.
    #[schemars(with = "Option<crate::date::DateLit>")]
    pub from: Option<Spanned<Datetime>>,
    /// First day it is known again (exclusive).
    #[schemars(with = "Option<crate::date::DateLit>")]
    pub until: Option<Spanned<Datetime>>,
    /// What the sources leave open about the membership on those days; named in the missing
    /// facts.
    #[schemars(with = "String")]
    pub reason: Spanned<String>,
    /// Where the membership is and is not found (CFR, FR, secondary sources).
    #[schemars(with = "String")]
    pub source: Spanned<String>,
}

/// A membership that starts or ends inside the pack's coverage.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DatedMember {
    /// ISO 3166-1 alpha-2 code.
    #[schemars(with = "String")]
    pub country: Spanned<String>,
    /// First day the rule binds exporters (inclusive), a bare date: 2023-11-17.
    #[schemars(with = "Option<crate::date::DateLit>")]
    pub from: Option<Spanned<Datetime>>,
    /// First day the rule no longer applies (exclusive).
    #[schemars(with = "Option<crate::date::DateLit>")]
    pub until: Option<Spanned<Datetime>>,
    /// CFR paragraph and Federal Register citation.
    #[schemars(with = "String")]
    pub source: Spanned<String>,
    /// Remark for readers.
    pub note: Option<String>,
}

/// `[[treated_as]]`: a destination the EAR treats as another (Hong Kong as China).
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TreatedAsRule {
    /// ISO 3166-1 alpha-2 code.
    #[schemars(with = "String")]
    pub country: Spanned<String>,
    #[serde(rename = "as")]
    #[schemars(with = "String")]
    pub treated_as: Spanned<String>,
    /// First day the rule binds exporters (inclusive), a bare date: 2023-11-17.
    #[schemars(with = "crate::date::DateLit")]
    pub from: Spanned<Datetime>,
    /// First day the rule no longer applies (exclusive).
    #[schemars(with = "Option<crate::date::DateLit>")]
    pub until: Option<Spanned<Datetime>>,
    /// CFR paragraph and Federal Register citation.
    #[schemars(with = "String")]
    pub source: Spanned<String>,
    /// Remark for readers.
    pub note: Option<String>,
}
