//! The rule language: rule-file schema, conditions, checks and the compiled [`RuleSet`].
//!
//! A rule pack is a directory with `pack.toml` and rule files (`*.toml`, any depth, except the
//! `tests/` folder). Loading parses every file, checks names, dates, countries, references and
//! conditions, and either returns a complete [`RuleSet`] or every diagnostic found: nothing is
//! half-loaded.

mod compile;
pub mod condition;
pub(crate) mod file;
mod file_schema;
pub mod groups;
pub(crate) mod index;
mod reason;
pub mod vocabulary;

use std::path::Path;

use serde::Serialize;

pub use crate::names::{is_placeholder_name, key_looks_like, lookalike_keys, matches_unspaced, normalize_name};
pub(crate) use compile::next_pack_id;
pub use compile::{compile, pack_hash_input};
use condition::Expr;
pub(crate) use file_schema::{ItemsLit, PolicyLit, ReasonLit};
use groups::CountryGroups;
pub use reason::ControlReason;

/// Diagnostics live in [`crate::diagnostic`]; re-exported here so that `ruleset::Diagnostic`
/// and the like keep working.
pub use crate::diagnostic::{Diagnostic, Diagnostics, LoadError, SourceFile, decode_utf8};

use crate::date::Date;
use crate::diagnostic::Site;
use crate::model::{Country, ProductKind, Role, TransactionKind};

/// An effective period: `from` inclusive, `until` exclusive (open-ended when `None`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    /// First day in force.
    pub from: Date,
    /// First day no longer in force.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<Date>,
}

impl Period {
    /// Whether the period includes `date`.
    pub fn contains(&self, date: Date) -> bool {
        self.from <= date && self.until.is_none_or(|u| date < u)
    }

    /// Whether two periods share a day.
    pub fn overlaps(&self, other: &Period) -> bool {
        self.until.is_none_or(|u| other.from < u) && other.until.is_none_or(|u| self.from < u)
    }
}

/// What every rule carries: id, citation, period, and where it was written.
#[derive(Debug, Clone, Serialize)]
pub struct RuleMeta {
    /// Id following the regulation's paragraph, e.g. `3A090.a.1`, `742.6(a)(6)(iii)`.
    pub id: String,
    /// Short title.
    pub title: String,
    /// CFR paragraph and Federal Register citation.
    pub source: String,
    /// When the rule binds exporters.
    pub period: Period,
    /// Federal Register publication date, if given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<Date>,
    /// Effective date where it differs from `from` (e.g. a later compliance date), if given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effective: Option<Date>,
    /// Remark for readers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// What the sources could not confirm, if anything.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unverified: Option<String>,
    /// Last day the rule's status is confirmed by the sources; after it, determinations that
    /// rely on the rule carry a warning.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confirmed_until: Option<Date>,
    /// Why this version starts after a lapse: the previous version of the same id ended before
    /// the day this one starts (a stay, a rescission then a new rule). Lint reports a lapse
    /// without it (L012).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub follows_lapse: Option<String>,
    /// First day the rule's status is confirmed by the sources, when its start is not (the
    /// sources give another effective date, or staggered dates). From `from` to the day
    /// before, the rule may or may not bind: a determination it could change is
    /// indeterminate, naming the unconfirmed start. Within the rule's period.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confirmed_from: Option<Date>,
    /// File (relative to the pack) and line where the rule is written.
    pub location: String,
    /// Where the rule's id is written, with the line's text: what the lint points at.
    #[serde(skip)]
    pub site: Site,
}

/// A classification paragraph (e.g. ECCN 3A090.a.1).
#[derive(Debug, Clone)]
pub struct Classification {
    /// Common fields; `meta.id` is the paragraph, e.g. `3A090.a.1`.
    pub meta: RuleMeta,
    /// ECCN reported, e.g. `3A090.a`.
    pub eccn: String,
    /// Product kinds this paragraph classifies.
    pub kinds: Vec<ProductKind>,
    /// The parameters.
    pub when: Expr,
    /// Exclusions that apply to this paragraph (indexes into [`RuleSet::exclusions`]).
    pub exclusions: Vec<usize>,
}

/// A Note that takes products out of paragraphs (e.g. Note 2 to 3A090.a and .b).
#[derive(Debug, Clone)]
pub struct Exclusion {
    /// Common fields.
    pub meta: RuleMeta,
    /// Paragraph ids (or prefixes) it applies to.
    pub applies_to: Vec<String>,
    /// When a product is taken out.
    pub when: Expr,
}

/// Which items a requirement or exception covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Items {
    /// Every item subject to the EAR.
    All,
    /// ECCNs or paragraphs, matched with their sub-paragraphs (`3A090.a` covers `3A090.a.1`).
    List(Vec<String>),
}

/// A destination scope: `(countries ∪ groups) − (except_groups ∪ except_countries)`; with no
/// `countries` and no `groups`, every country except the exceptions.
#[derive(Debug, Clone, Default)]
pub struct Destinations {
    /// Country group ids included.
    pub groups: Vec<String>,
    /// Countries included.
    pub countries: Vec<Country>,
    /// Country groups excluded.
    pub except_groups: Vec<String>,
    /// Countries excluded.
    pub except_countries: Vec<Country>,
}

/// Which transactions a rule concerns, besides the product's classification: all keys given
/// must hold.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// Destinations, if limited.
    pub destinations: Option<Destinations>,
    /// Parties, if limited: at least one party must match.
    pub parties: Option<PartyFilter>,
    /// Catalog product ids, if limited (company-specific "is informed" letters).
    pub products: Option<Vec<String>>,
    /// Export, reexport, in-country transfer, if limited.
    pub transaction_kinds: Option<Vec<TransactionKind>>,
    /// Regions of Ukraine, if limited (15 CFR 746.6; licence requirements only, with Ukraine
    /// alone as destination): the transaction's region must be one of them.
    pub regions: Option<Vec<crate::model::Region>>,
}

impl Scope {
    /// Whether the scope limits nothing: the rule concerns every destination, party, product
    /// and transaction kind.
    pub fn is_unlimited(&self) -> bool {
        // Every field is named, so that a field added to `Scope` has to be considered here.
        let Scope { destinations, parties, products, transaction_kinds, regions } = self;
        destinations.is_none()
            && parties.is_none()
            && products.is_none()
            && transaction_kinds.is_none()
            && regions.is_none()
    }
}

/// Conditions on one party; every condition given must hold for the same party.
#[derive(Debug, Clone, Default)]
pub struct PartyFilter {
    /// Roles.
    pub roles: Option<Vec<Role>>,
    /// Where the party is located.
    pub located_in: Option<Destinations>,
    /// Where the party or its ultimate parent is headquartered.
    pub headquartered_in: Option<Destinations>,
    /// Where the entity the party uses the item for is headquartered (or its ultimate parent
    /// is): the party itself or a beneficiary of the transaction (a party for which, or on whose
    /// behalf, the item is used). The BIS policy statement of 2025-05-13 reaches items used to
    /// train AI models "for or on behalf of" such an entity: the end use is the user's (a cloud
    /// provider that trains), the headquarters its customer's, so the two may sit on different
    /// parties.
    pub for_headquartered_in: Option<Destinations>,
    /// A list the party is on (e.g. `entity_list`).
    pub listed_on: Option<String>,
    /// A list whose entries own the party, in aggregate, at least this percentage.
    pub owned_by_listed: Option<(String, rust_decimal::Decimal)>,
    /// Declared end uses (any of).
    pub end_uses: Option<Vec<crate::model::EndUse>>,
    /// Where a declared end use (one of `end_uses`, or any when they are not given) takes
    /// place: the place declared with it ([`DeclaredEndUse::place`](crate::model::DeclaredEndUse)),
    /// else the party's location when that is among these countries; otherwise the place is
    /// a missing fact (15 CFR 744.23(a)(1) reaches a supercomputer "located in or destined to"
    /// Macau or D:5 wherever the party sits).
    pub end_use_in: Option<Destinations>,
}

/// An entry of a screening list.
#[derive(Debug, Clone, Serialize)]
pub struct ListEntry {
    /// List id, e.g. `entity_list`.
    pub list: String,
    /// Entry id, e.g. `EL:huawei-technologies`.
    pub id: String,
    /// Name as listed.
    pub name: String,
    /// Other names.
    pub aliases: Vec<String>,
    /// Countries of the listed addresses.
    pub countries: Vec<Country>,
    /// Federal Register citation.
    pub source: String,
    /// When the entry is in force.
    pub period: Period,
    /// The licence requirement column, as published.
    pub license_requirement: Option<String>,
    /// The licence review policy column.
    pub review_policy: Option<ReviewPolicy>,
    /// Foreign direct product rule footnote (4 or 5), if any.
    pub footnote: Option<u8>,
    /// Remark.
    pub note: Option<String>,
    /// What the sources could not confirm.
    pub unverified: Option<String>,
    /// Normalised name and aliases, for matching ([`normalize_name`]).
    #[serde(skip)]
    pub keys: Vec<String>,
    /// Look-alike keys of the name and aliases (UTS #39 skeletons), to flag names that match
    /// only with look-alike characters.
    #[serde(skip)]
    pub lookalikes: Vec<String>,
    /// The keys with their words folded ([`crate::names::fold_key`]: plurals as singulars,
    /// common abbreviations as their long forms), to flag names that are the entry's written
    /// otherwise (`Biren Technologies`, `Dawning Info Industry`) or one edit from it.
    #[serde(skip)]
    pub folded: Vec<String>,
    /// Where the entry's `list` is written: what the lint points at.
    #[serde(skip)]
    pub site: Site,
}

/// What a pack holds of a screening list (a `[[screening_list]]` table): a complete import of
/// the published list or a sample, as of a date, from a source. A list without one is held as
/// a sample.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScreeningList {
    /// List id, e.g. `entity_list`.
    pub list: String,
    /// How determinations name it, e.g. `Entity List`.
    pub name: String,
    /// Whether every entry of the list as published on `as_of` is held (a complete list always
    /// has a date).
    pub complete: bool,
    /// The date of the list as held, if given.
    pub as_of: Option<Date>,
    /// Where the entries come from.
    pub source: String,
    /// File (relative to the pack) and line where it is declared.
    pub location: String,
}

/// Licence review policies, from most to least favourable.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ReviewPolicy {
    /// Presumption of approval.
    PresumptionOfApproval,
    /// Case-by-case review.
    CaseByCase,
    /// Presumption of denial.
    PresumptionOfDenial,
    /// Policy of denial.
    PolicyOfDenial,
}

impl ReviewPolicy {
    /// Every policy.
    pub const ALL: [ReviewPolicy; 4] =
        [Self::PresumptionOfApproval, Self::CaseByCase, Self::PresumptionOfDenial, Self::PolicyOfDenial];

    /// Vocabulary name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PresumptionOfApproval => "presumption_of_approval",
            Self::CaseByCase => "case_by_case",
            Self::PresumptionOfDenial => "presumption_of_denial",
            Self::PolicyOfDenial => "policy_of_denial",
        }
    }
}

/// A licence requirement.
#[derive(Debug, Clone)]
pub struct Requirement {
    /// Common fields.
    pub meta: RuleMeta,
    /// Why the licence is required: a reason for control (`RS`) or the part of the EAR that
    /// imposes it (`embargo`, `Entity List`).
    pub reason: ControlReason,
    /// Items covered.
    pub items: Items,
    /// Destinations, parties, products and transaction kinds covered.
    pub scope: Scope,
    /// Further condition on the product, if any.
    pub when: Option<Expr>,
    /// Review policy when no `[[review_policy]]` rule says otherwise.
    pub review_policy: Option<ReviewPolicy>,
    /// The id of the licence requirement this one replaced in the regulation (`succeeds`), if
    /// any: lint reports days on which neither is in force (L012).
    pub succeeds: Option<String>,
    /// Why the requirement was in force before `meta.period.from` in a text the pack does not
    /// encode (`predates_from`), if so: the pack's coverage may not start earlier (L016).
    pub predates_from: Option<String>,
}

/// A licence exception.
#[derive(Debug, Clone)]
pub struct LicenseException {
    /// Common fields.
    pub meta: RuleMeta,
    /// Name, e.g. `NAC`.
    pub name: String,
    /// Requirement ids it overcomes.
    pub overcomes: Vec<String>,
    /// Eligible items.
    pub items: Items,
    /// Eligible destinations, parties, products and transaction kinds.
    pub scope: Scope,
    /// Further eligibility condition on the product.
    pub when: Option<Expr>,
    /// Requirement id prefixes whose presence makes the exception unavailable (e.g. `746`).
    pub unavailable_with: Vec<String>,
    /// What using it obliges the exporter to do.
    pub obligations: Vec<String>,
    /// Used through a notification naming one ultimate consignee and one end user, and no
    /// distributor (NAC, BIS NAC guidance): unavailable for a transaction with more than one
    /// end user or ultimate consignee, or with an intermediate consignee.
    pub one_consignee_and_end_user: bool,
}

/// A review-policy rule.
#[derive(Debug, Clone)]
pub struct ReviewPolicyRule {
    /// Common fields.
    pub meta: RuleMeta,
    /// Requirement ids it applies to.
    pub applies_to: Vec<String>,
    /// The policy.
    pub policy: ReviewPolicy,
    /// Destinations, parties, products and transaction kinds, if limited.
    pub scope: Scope,
    /// Condition on the product, if any.
    pub when: Option<Expr>,
    /// Conditions of the policy (certifications the applicant must make).
    pub obligations: Vec<String>,
    /// Review-policy rule ids this one replaces where both match.
    pub supersedes: Vec<String>,
}

/// A notice: shown as a warning when in force, for matching destinations and products.
#[derive(Debug, Clone)]
pub struct Notice {
    /// Common fields; `meta.title` is the warning text.
    pub meta: RuleMeta,
    /// Destinations, parties, products and transaction kinds, if limited.
    pub scope: Scope,
    /// Condition on the product, if any.
    pub when: Option<Expr>,
}

impl Notice {
    /// Whether the notice concerns every transaction in its period: no scope and no condition
    /// on the product (e.g. the pack's reference cut-off).
    pub fn concerns_every_transaction(&self) -> bool {
        self.scope.is_unlimited() && self.when.is_none()
    }
}

/// How integrated circuits in separate packages inside one computer or board are tested
/// against the 3A090 parameters, for ECCN 4A090 and every rule keyed to an IC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reading {
    /// Each contained IC on its own: the system is caught when one of its ICs is.
    PerIc,
    /// The contained ICs as one aggregate IC (figures summed at the board or system).
    Aggregate,
}

impl Reading {
    /// Both readings.
    pub const ALL: [Reading; 2] = [Reading::PerIc, Reading::Aggregate];

    /// Name as written in `pack.toml`.
    pub fn as_str(self) -> &'static str {
        match self {
            Reading::PerIc => "per_ic",
            Reading::Aggregate => "aggregate",
        }
    }

    /// The other reading.
    pub fn other(self) -> Reading {
        match self {
            Reading::PerIc => Reading::Aggregate,
            Reading::Aggregate => Reading::PerIc,
        }
    }
}

/// The pack's reading of separately packaged ICs, with its source (`[aggregation]` of
/// `pack.toml`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Aggregation {
    /// The reading.
    pub separate_packages: Reading,
    /// Where it comes from (empty when the pack does not say: the default, per IC).
    pub source: String,
    /// Remark.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// What the sources could not confirm.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unverified: Option<String>,
}

impl Default for Aggregation {
    fn default() -> Self {
        Aggregation { separate_packages: Reading::PerIc, source: String::new(), note: None, unverified: None }
    }
}

/// The pack's identity.
#[derive(Debug, Clone, Serialize)]
pub struct PackInfo {
    /// Pack name, e.g. `us-ear`.
    pub name: String,
    /// Title.
    pub title: String,
    /// Semantic version of the rules.
    pub version: String,
    /// Engine versions the pack needs.
    pub engine: String,
    /// Hex sha256 over the pack's rule files (see [`compile`]).
    pub sha256: String,
    /// Each rule file's path and hex sha256, in path order.
    pub files: Vec<(String, String)>,
    /// Earliest as-of date the pack answers for.
    pub coverage_from: Date,
    /// The pack's research cut-off: the last day whose rules it encodes. For a later as-of
    /// date, rules it does not hold may be in force, so no outcome short of a licence
    /// requirement is certain (see [`RuleSet::researched`]).
    pub researched_until: Date,
    /// What the pack does not cover, shown with every determination.
    pub scope_notes: Vec<String>,
    /// Set when the pack was loaded from a directory whose files differ from its `rules.lock`
    /// (or that has none) and used all the same (`--unlocked`): what differs. Every
    /// determination made with it says so (`rules.unlocked` and a scope line).
    pub unlocked: Option<String>,
    /// Set when the pack is an older release of the pack embedded in this library, used all
    /// the same (`--superseded`, [`crate::audit::PackOptions::allow_superseded`]): the name and
    /// version that supersede it (`us-ear 0.1.43`). Every determination made with it says so,
    /// in its first scope line ([`crate::evaluate::SUPERSEDED_SCOPE`]).
    pub superseded_by: Option<String>,
    /// How separately packaged ICs in one system are read.
    pub aggregation: Aggregation,
}

/// A name written twice in one list (`groups`, `countries`, `except_groups` or
/// `except_countries`) of one destination set (`destinations`, or a party's `located_in`,
/// `headquartered_in`, `for_headquartered_in` or `end_use_in`), as the compiler found it: what
/// the lint reports as L017.
#[derive(Debug, Clone)]
pub(crate) struct RepeatedName {
    /// The list's key, e.g. `groups`.
    pub(crate) key: &'static str,
    /// The name as resolved: a country group id (`D:5`) or a country code.
    pub(crate) name: String,
    /// Where it is written again.
    pub(crate) site: crate::diagnostic::Site,
    /// Where it is first written in the list.
    pub(crate) first: crate::diagnostic::Site,
}

/// A compiled, immutable rule pack: everything evaluation needs. Made only by the loader
/// ([`compile`], [`RuleSet::load_dir`], [`RuleSet::shipped`]), so its indexes and orderings hold
/// by construction; read it through its accessors. `Send + Sync`; share it by
/// reference or `Arc` between threads.
#[derive(Debug, Clone)]
pub struct RuleSet {
    /// Identity.
    pub(crate) pack: PackInfo,
    /// Classification paragraphs, in dependency order (a rule comes after those it `meets`).
    pub(crate) classifications: Vec<Classification>,
    /// Exclusions.
    pub(crate) exclusions: Vec<Exclusion>,
    /// Licence requirements.
    pub(crate) requirements: Vec<Requirement>,
    /// Licence exceptions.
    pub(crate) exceptions: Vec<LicenseException>,
    /// Review-policy rules.
    pub(crate) review_policies: Vec<ReviewPolicyRule>,
    /// Notices.
    pub(crate) notices: Vec<Notice>,
    /// Screening-list entries (Entity List and others).
    pub(crate) lists: Vec<ListEntry>,
    /// What the pack holds of each screening list (complete import or sample, date, source).
    pub(crate) screening_lists: Vec<ScreeningList>,
    /// Country groups.
    pub(crate) groups: CountryGroups,
    /// Names written twice in one list of a destination set (lint L017).
    pub(crate) repeated: Vec<RepeatedName>,
    /// Scopes, items and links resolved, and the epoch index (built by [`compile`]).
    pub(crate) compiled: index::Compiled,
    /// Identifies this compilation, so that working memory and screened parties made for one
    /// pack are never read as another's.
    pub(crate) id: u64,
}

static SHIPPED: include_dir::Dir<'static> = include_dir::include_dir!("$CARGO_MANIFEST_DIR/rules/us-ear");

impl RuleSet {
    /// Every text comparison the rules' conditions make (`vendor == "NVIDIA"`, `name ==
    /// "H20"`): the attribute and the name as normalised when the pack was read, each once, in
    /// the order the rules hold them. What [`crate::PreparedProduct::remember_text_matches`]
    /// answers ahead.
    pub fn compared_texts(&self) -> Vec<(vocabulary::Attr, &str)> {
        fn walk<'e>(e: &'e Expr, out: &mut Vec<(vocabulary::Attr, &'e str)>) {
            match e {
                Expr::And(es) | Expr::Or(es) => es.iter().for_each(|e| walk(e, out)),
                Expr::Not(e) => walk(e, out),
                Expr::Cmp { lhs: condition::Operand::Attr(a), rhs: condition::Operand::Text(t), .. } => {
                    if !out.iter().any(|(b, u)| b == a && *u == t.as_str()) {
                        out.push((*a, t.as_str()));
                    }
                }
                Expr::Const(_) | Expr::Flag(_) | Expr::Cmp { .. } | Expr::Meets { .. } => {}
            }
        }
        let mut out = Vec::new();
        let whens = self.classifications.iter().map(|r| Some(&r.when));
        let whens = whens.chain(self.exclusions.iter().map(|r| Some(&r.when)));
        let whens = whens.chain(self.requirements.iter().map(|r| r.when.as_ref()));
        let whens = whens.chain(self.exceptions.iter().map(|r| r.when.as_ref()));
        let whens = whens.chain(self.review_policies.iter().map(|r| r.when.as_ref()));
        let whens = whens.chain(self.notices.iter().map(|r| r.when.as_ref()));
        for e in whens.flatten() {
            walk(e, &mut out);
        }
        out
    }

    /// The pack's identity: name, version, sha256, coverage.
    pub fn pack(&self) -> &PackInfo {
        &self.pack
    }

    /// Classification paragraphs, in dependency order (a rule comes after those it `meets`).
    pub fn classifications(&self) -> &[Classification] {
        &self.classifications
    }

    /// Exclusions (Notes that take products out of paragraphs).
    pub fn exclusions(&self) -> &[Exclusion] {
        &self.exclusions
    }

    /// Licence requirements, by id then start date.
    pub fn requirements(&self) -> &[Requirement] {
        &self.requirements
    }

    /// Licence exceptions, by id then start date.
    pub fn exceptions(&self) -> &[LicenseException] {
        &self.exceptions
    }

    /// Review-policy rules, by id then start date.
    pub fn review_policies(&self) -> &[ReviewPolicyRule] {
        &self.review_policies
    }

    /// Notices, by id then start date.
    pub fn notices(&self) -> &[Notice] {
        &self.notices
    }

    /// Screening-list entries (Entity List and others), by entry id.
    pub fn lists(&self) -> &[ListEntry] {
        &self.lists
    }

    /// Country groups and equivalences.
    pub fn groups(&self) -> &CountryGroups {
        &self.groups
    }

    /// The `us-ear` pack shipped in `rules/us-ear/`, embedded in the library at build time.
    ///
    /// # Errors
    /// Only if the shipped pack is invalid, which the crate's tests rule out.
    pub fn shipped() -> Result<RuleSet, LoadError> {
        let mut files = Vec::new();
        collect_embedded(&SHIPPED, &mut files);
        Ok(compile(&files)?)
    }

    /// Loads and compiles a pack directory (the directory holding `pack.toml`), read as
    /// [`read_pack_files`] reads it: regular files within the size limit, no symbolic link out
    /// of the pack, no loop. The lock is not checked: see [`crate::audit::pack_status`].
    ///
    /// # Errors
    /// [`LoadError::Io`] when a file cannot be read (or is not UTF-8, or not a regular file)
    /// or the walk is refused; [`LoadError::Invalid`] with every diagnostic otherwise, each
    /// naming its file from the current directory as `dir` is given
    /// (`rules/us-ear/ccl-3a090.toml:46:6`, [`Diagnostic::in_dir`]), as the lint's findings
    /// ([`crate::lint::lint_dir`]) and the rule tests' errors name theirs. The rules' own
    /// sites (and so the pack's sha256 and lock) stay relative to the pack.
    pub fn load_dir(dir: &Path) -> Result<RuleSet, LoadError> {
        let files = read_pack_files(dir)?;
        compile(&files).map_err(|d| {
            let shown = crate::files::display_path(dir);
            let names: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
            LoadError::Invalid(Diagnostics(d.0.into_iter().map(|d| d.in_dir(&shown, &names)).collect()))
        })
    }

    /// This rule set with another reading of separately packaged ICs (to see what the other
    /// reading of an open question gives; the pack's hash is unchanged, so a determination made
    /// with it is not the pack's).
    pub fn with_reading(&self, reading: Reading) -> RuleSet {
        let mut r = self.clone();
        r.pack.aggregation.separate_packages = reading;
        r.id = next_pack_id();
        r
    }

    /// Whether the pack answers for `date`.
    pub fn covers(&self, date: Date) -> bool {
        date >= self.pack.coverage_from
    }

    /// Whether the pack's research reaches `date` (on or before `researched_until`). After
    /// it, a determination that finds no licence requirement is indeterminate: rules made
    /// after the cut-off are missing from the pack.
    pub fn researched(&self, date: Date) -> bool {
        date <= self.pack.researched_until
    }

    /// The notices in force on `date` that concern every transaction, whatever the product,
    /// destination and parties ([`Notice::concerns_every_transaction`]), in pack order. Every
    /// determination on the date carries them as warnings; a report over many transactions
    /// that shows no warnings (such as a screen) gives them once.
    pub fn general_notices(&self, date: Date) -> impl Iterator<Item = &Notice> {
        self.notices.iter().filter(move |n| n.concerns_every_transaction() && n.meta.period.contains(date))
    }
}

fn collect_embedded(dir: &include_dir::Dir<'static>, out: &mut Vec<SourceFile>) {
    for f in dir.files() {
        let path = f.path().to_string_lossy().replace('\\', "/");
        if path.ends_with(".toml") && !path.starts_with("tests/") {
            out.push(SourceFile::new(path, f.contents_utf8().unwrap_or_default()));
        }
    }
    for d in dir.dirs() {
        if d.path() != Path::new("tests") {
            collect_embedded(d, out);
        }
    }
}

/// Reads the rule files of the pack in `dir`: every `*.toml` at any depth except the `tests/`
/// folder, with paths relative to `dir`, bounded as [`crate::files`] reads (regular files of
/// at most 4 MiB, no symbolic link out of the pack, no loop).
///
/// # Errors
/// [`LoadError::Io`] when a file cannot be read or the walk is refused; [`LoadError::Invalid`]
/// for a file over the size limit.
pub fn read_pack_files(dir: &Path) -> Result<Vec<SourceFile>, LoadError> {
    crate::files::read_tree(
        dir,
        crate::files::Walk { recursive: true, skip_dirs: &["tests"], kind: |_| crate::files::FileKind::RuleFile },
    )
}

/// JSON Schemas of `pack.toml` and of rule files.
pub fn file_schemas() -> (schemars::Schema, schemars::Schema) {
    (schemars::schema_for!(file::PackFile), schemars::schema_for!(file::RuleFile))
}

/// Whether `id` is `prefix` or one of its sub-paragraphs (`3A090.a` → `3A090.a.1`;
/// `746.8` → `746.8(a)(1)/RU`).
pub fn is_under(prefix: &str, id: &str) -> bool {
    id == prefix
        || (id.starts_with(prefix) && matches!(id.as_bytes().get(prefix.len()), Some(b'.' | b'(' | b'/' | b' ')))
}

/// Whether a rule reference (`overcomes`, `unavailable_with`, `applies_to`, `supersedes`) names
/// rule `id`. A reference names one rule by its exact id; a family of rules is written
/// explicitly with a trailing `*` after the paragraph: `"746.*"` names every rule under 746
/// (`746.2`, `746.8(a)(1)/RU`), `"742.6(a)(6)(iii)*"` the paragraph and its sub-paragraphs.
pub fn names_rule(reference: &str, id: &str) -> bool {
    match reference.strip_suffix('*') {
        Some(family) => {
            let prefix = family.trim_end_matches(['.', '/', ' ']);
            !prefix.is_empty() && is_under(prefix, id)
        }
        None => reference == id,
    }
}
