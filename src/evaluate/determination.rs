//! The result of an evaluation: verdict, classification, requirements, exceptions, metrics,
//! missing inputs, warnings and the trace. Serializes to JSON for procurement systems.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::metrics::TppTerm;
use crate::model::{Country, Exporter, Party, Product, ProductKind};
use crate::ruleset::ReviewPolicy;
use crate::ruleset::condition::{Comparison, Truth};

/// The outcome, from least to most restrictive; `Indeterminate` when missing inputs could
/// change it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// No rule in the pack requires a licence.
    NoLicenseRequired,
    /// Every applicable requirement is overcome by an available licence exception (see its
    /// obligations).
    LicenseException,
    /// A licence is required.
    LicenseRequired,
    /// The outcome depends on inputs that are missing (see `missing`).
    Indeterminate,
}

impl Verdict {
    /// Vocabulary name.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::NoLicenseRequired => "no_license_required",
            Verdict::LicenseException => "license_exception",
            Verdict::LicenseRequired => "license_required",
            Verdict::Indeterminate => "indeterminate",
        }
    }

    /// Parses a vocabulary name.
    pub fn parse(s: &str) -> Option<Verdict> {
        [Self::NoLicenseRequired, Self::LicenseException, Self::LicenseRequired, Self::Indeterminate]
            .into_iter()
            .find(|v| v.as_str() == s)
    }
}

/// Whether a finding certainly holds or holds only for some values of the missing inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Certainty {
    /// Holds on the known inputs.
    Certain,
    /// Holds for some values of the missing inputs.
    Possible,
}

/// A country with its name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CountryRef {
    /// ISO 3166-1 alpha-2.
    pub code: Country,
    /// English short name.
    pub name: Cow<'static, str>,
}

impl From<Country> for CountryRef {
    fn from(c: Country) -> Self {
        CountryRef { code: c, name: Cow::Borrowed(c.name()) }
    }
}

/// The product evaluated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ProductSummary {
    /// Catalog id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Vendor.
    pub vendor: String,
    /// Kind.
    pub kind: ProductKind,
    /// Designed or marketed for datacenters, if known.
    pub designed_or_marketed_for_datacenter: Option<bool>,
}

/// Metrics as decimal strings. Densities are rounded to 4 decimal places for display only;
/// every comparison used the exact values.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MetricsReport {
    /// TPP, bit × TOPS, exact as computed from the rates.
    pub tpp: Option<String>,
    /// The TPP is only known to be at least `tpp`: a rate list is not stated complete, or the
    /// reported TPP is higher (`tpp_upper_bound`). Left out when `tpp` is exact.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub tpp_is_lower_bound: bool,
    /// The highest the TPP may be, when bounded by the reported TPP; left out when the TPP is
    /// exact or unbounded above.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tpp_upper_bound: Option<String>,
    /// The rate that sets each processing unit's TPP.
    pub tpp_terms: Vec<TppTerm>,
    /// Applicable (non-planar logic) die area, mm², exact.
    pub applicable_die_area: Option<String>,
    /// Performance density, TPP per mm², rounded to 4 places.
    pub performance_density: Option<String>,
    /// Interconnect bandwidth, GB/s, exact.
    pub interconnect_bandwidth: Option<String>,
    /// Memory bandwidth, GB/s, exact.
    pub memory_bandwidth: Option<String>,
    /// Memory bandwidth density, GB/s per mm², rounded to 4 places.
    pub memory_bandwidth_density: Option<String>,
    /// How the figures are rounded.
    pub rounding: Cow<'static, str>,
}

/// A product a computer contains (or the aggregate of its contents), as the rules tested it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ContainedFinding {
    /// Catalog id of the contained product (`aggregate` for the contents read as one IC).
    pub product: String,
    /// How it is named in explanations.
    pub name: String,
    /// How many the system holds.
    pub count: u64,
    /// Whether its figures are known (false for unknown contents).
    pub known: bool,
    /// ECCNs it is classified under on its own.
    pub eccns: Vec<String>,
    /// Paragraphs it meets.
    pub paragraphs: Vec<String>,
    /// Its TPP, exact.
    pub tpp: Option<String>,
    /// Its performance density, rounded to 4 places.
    pub performance_density: Option<String>,
}

/// A licence requirement that applies (or may apply).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RequirementFinding {
    /// Rule id, e.g. `742.6(a)(6)(iii)`.
    pub id: String,
    /// Title.
    pub title: String,
    /// Reason for control, e.g. `RS`.
    pub reason: String,
    /// Citation.
    pub source: String,
    /// Certain, or possible given missing inputs.
    pub certainty: Certainty,
    /// Why the destination is in scope, e.g. "CN is in Country Group D:5".
    pub destination_basis: Vec<String>,
    /// Review policy for a licence application, where the pack states one.
    pub review_policy: Option<ReviewPolicy>,
    /// The rule that set the review policy.
    pub review_policy_source: Option<String>,
    /// Conditions attached to the review policy (e.g. certifications an applicant must make).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub review_conditions: Vec<String>,
    /// Names of the licence exceptions that overcome it.
    pub overcome_by: Vec<String>,
    /// For a transaction determined for more than one destination (a party located elsewhere
    /// than the destination given, [`Determination::other_destinations`]): the exceptions that
    /// overcome it for each destination where it applies, in the order decided (the destination
    /// given first), so that `NAC, ACA` reads NAC for CN and ACA for VN, and a destination
    /// where none does is named with an empty list. Empty (absent in JSON, as in records made
    /// before tester round 17, D4) for one destination, and where no exception overcomes it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overcome_by_destination: Vec<DestinationExceptions>,
}

/// The licence exceptions that overcome a requirement for one destination of a transaction
/// determined for several ([`RequirementFinding::overcome_by_destination`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DestinationExceptions {
    /// The destination, ISO 3166-1 alpha-2.
    pub destination: Country,
    /// Names of the exceptions that overcome the requirement there; empty when none does.
    pub overcome_by: Vec<String>,
}

impl RequirementFinding {
    /// `overcome_by` as an explanation says it: `NAC, ACA`, or per destination for a
    /// transaction determined for several, `NAC for CN, ACA for VN`, with `none for VN` where
    /// no exception overcomes it there.
    pub fn overcome_by_text(&self) -> String {
        if self.overcome_by_destination.is_empty() {
            return self.overcome_by.join(", ");
        }
        let per: Vec<String> = self
            .overcome_by_destination
            .iter()
            .map(|d| match d.overcome_by.is_empty() {
                true => format!("none for {}", d.destination),
                false => format!("{} for {}", d.overcome_by.join(", "), d.destination),
            })
            .collect();
        per.join("; ")
    }
}

/// A licence exception available for this transaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ExceptionFinding {
    /// Rule id.
    pub id: String,
    /// Name, e.g. `NAC`.
    pub name: String,
    /// Title.
    pub title: String,
    /// Citation.
    pub source: String,
    /// Certain, or possible given missing inputs.
    pub certainty: Certainty,
    /// Requirement ids it overcomes here.
    pub overcomes: Vec<String>,
    /// What using it obliges the exporter to do.
    pub obligations: Vec<String>,
    /// When more than one rule offers it here (NAC to a D:5 destination and to a D:5-
    /// headquartered party, two grounds of 15 CFR 740.8): each rule's id and title, the first
    /// being `id`'s. Empty (and absent in JSON) when one rule does.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub grounds: Vec<String>,
}

/// The kinds of rule, as a trace entry names them (serialised as in rule files:
/// `classification`, `exclusion`, `license_requirement`, `license_exception`, `review_policy`,
/// `notice`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    /// A classification paragraph (ECCN 3A090.a, 4A090.a, ...).
    Classification,
    /// A rule that takes a product out of a paragraph (e.g. Note 2 to 3A090).
    Exclusion,
    /// A licence requirement (15 CFR 742.6(a)(6), 744.11, ...).
    LicenseRequirement,
    /// A licence exception (NAC, ACA: 15 CFR 740.8, 740.2).
    LicenseException,
    /// A review policy of licence applications.
    ReviewPolicy,
    /// A notice that concerns the transaction.
    Notice,
}

impl RuleKind {
    /// The name used in traces and rule files.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleKind::Classification => "classification",
            RuleKind::Exclusion => "exclusion",
            RuleKind::LicenseRequirement => "license_requirement",
            RuleKind::LicenseException => "license_exception",
            RuleKind::ReviewPolicy => "review_policy",
            RuleKind::Notice => "notice",
        }
    }
}

impl std::fmt::Display for RuleKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl AsRef<str> for RuleKind {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

/// A kind equals its name as written in traces and rule files (`kind == "exclusion"`).
impl PartialEq<&str> for RuleKind {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// One rule tried, with what it compared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TraceEntry {
    /// Rule id.
    pub rule: String,
    /// Rule kind: classification, exclusion, license_requirement, license_exception,
    /// review_policy, notice.
    pub kind: RuleKind,
    /// Outcome.
    pub result: Truth,
    /// Comparisons made, with values.
    pub comparisons: Vec<Comparison>,
    /// Other facts used (destination membership, items matched).
    pub notes: Vec<String>,
    /// Citation.
    pub source: String,
}

/// Which rules produced the determination.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PackRef {
    /// Pack name.
    pub name: String,
    /// Pack version.
    pub version: String,
    /// sha256 of the pack's rule files.
    pub sha256: String,
    /// The pack's files differed from its `rules.lock` (or it had none) and it was used all
    /// the same (`--unlocked`): the determination was not made under the reviewed rules its
    /// name and version stand for (the first scope line says what differed). Absent otherwise.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unlocked: bool,
}

/// A licence determination for one product, destination and date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Determination {
    /// The outcome.
    pub verdict: Verdict,
    /// The as-of date.
    pub as_of: Date,
    /// The product.
    pub product: ProductSummary,
    /// Destination.
    pub destination: CountryRef,
    /// Other countries the transaction was determined for: where an ultimate consignee or end
    /// user is located, when not the destination given (the ultimate destination is where
    /// they are).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_destinations: Vec<CountryRef>,
    /// Country of export; `null` when the transaction does not state it (the transaction kind,
    /// export, reexport or in-country transfer, 15 CFR 734.14, is then unknown: a rule keyed to
    /// it is named in `missing` as `exported_from`, a review policy keyed to it gives way to the
    /// stricter one with a warning).
    pub exported_from: Option<CountryRef>,
    /// ECCNs the product is classified under, e.g. `["3A090.a"]`; empty when none.
    pub eccns: Vec<String>,
    /// Paragraphs matched, e.g. `["3A090.a.1", "3A090.a.2"]`.
    pub paragraphs: Vec<String>,
    /// Paragraphs that may match, depending on missing inputs.
    pub undetermined_paragraphs: Vec<String>,
    /// Metrics used (for a computer, its figures as one aggregate: its own where its sheet gives
    /// them, else the sum over its contents).
    pub metrics: MetricsReport,
    /// For a computer: what each product it contains was classified as (or their aggregate,
    /// when the pack reads separately packaged ICs as one).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contents: Vec<ContainedFinding>,
    /// Licence requirements that apply or may apply.
    pub requirements: Vec<RequirementFinding>,
    /// Licence exceptions available.
    pub exceptions: Vec<ExceptionFinding>,
    /// Absent inputs that the classification or the verdict depends on. Never empty when the
    /// verdict is `indeterminate`. Beside a definite verdict, the inputs a rule read and found
    /// unknown: the verdict holds whatever they are (it is definite only when every value of
    /// them gives it), but they may leave a paragraph, an exception or a notice open.
    pub missing: Vec<String>,
    /// What must be seen though it is not a licence requirement.
    pub warnings: Vec<String>,
    /// Ids of the notices that apply (each also gives a warning); notices whose condition
    /// depends on missing data are listed too.
    pub notices: Vec<String>,
    /// Every rule tried (empty when tracing is off).
    pub trace: Vec<TraceEntry>,
    /// The rule pack.
    pub rules: PackRef,
    /// The inputs as evaluated (product figures, parties, exporter), so that the determination
    /// can be replayed (`export-controls replay`).
    pub inputs: Inputs,
    /// What the determination covers and does not, one line each (serialised as strings).
    pub scope: Vec<ScopeLine>,
    /// When parties were given: the basis of screening them, per list of the pack (which list,
    /// how many entries, whether complete, its date, where it comes from, and the screenings
    /// the parties attest).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub screening: Vec<ScreeningBasis>,
}

/// What a line of a determination's `scope` says. Kept with the line when the engine writes it
/// (explanations choose lines by it, never by their text); not serialised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScopeKind {
    /// The pack is an older release of the pack embedded in this program, used all the same
    /// (`--superseded`): the first line.
    Superseded,
    /// The pack was used though its files differ from its `rules.lock` (`--unlocked`): the
    /// first line.
    Unlocked,
    /// The rule pack (name and version) the determination covers.
    Pack,
    /// The rules concern parties and none were given: rules about buyers and end users were
    /// not evaluated.
    PartiesNotGiven,
    /// A note of the pack (`scope_notes` in `pack.toml`).
    PackNote,
    /// The basis of screening the parties against a list (complete, or a sample).
    Screening,
}

/// One line of a determination's `scope`: its text and, when the engine wrote it, what it says
/// ([`ScopeLine::kind`]). Serialised as its text alone, so a line read back from JSON has no
/// kind; two lines are equal when their texts are. Reads as its text (`Deref<Target = str>`).
#[derive(Clone, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(transparent)]
pub struct ScopeLine {
    text: String,
    #[serde(skip)]
    kind: Option<ScopeKind>,
}

impl ScopeLine {
    /// A line of `kind` saying `text`.
    pub fn new(kind: ScopeKind, text: impl Into<String>) -> Self {
        ScopeLine { text: text.into(), kind: Some(kind) }
    }

    /// What the line says, when the engine wrote it; `None` for a line read back from JSON or
    /// made from a string.
    pub fn kind(&self) -> Option<ScopeKind> {
        self.kind
    }

    /// The line's text.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

/// A line of text alone (no kind), as read back from JSON.
impl From<String> for ScopeLine {
    fn from(text: String) -> Self {
        ScopeLine { text, kind: None }
    }
}

impl std::ops::Deref for ScopeLine {
    type Target = str;
    fn deref(&self) -> &str {
        &self.text
    }
}

impl AsRef<str> for ScopeLine {
    fn as_ref(&self) -> &str {
        &self.text
    }
}

impl PartialEq for ScopeLine {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl PartialEq<str> for ScopeLine {
    fn eq(&self, other: &str) -> bool {
        self.text == other
    }
}

impl PartialEq<&str> for ScopeLine {
    fn eq(&self, other: &&str) -> bool {
        self.text == *other
    }
}

/// As its text.
impl std::fmt::Debug for ScopeLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.text, f)
    }
}

impl std::fmt::Display for ScopeLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// The basis of screening the parties against one list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ScreeningBasis {
    /// List id, e.g. `entity_list`.
    pub list: String,
    /// How the list is named, e.g. `Entity List`.
    pub name: String,
    /// Entries of the list the pack holds (whatever their dates).
    pub entries: usize,
    /// Whether the pack holds the complete list; a sample clears no party that matches none
    /// of its entries.
    pub complete: bool,
    /// The date of the list as held: the newest complete import's, else the newest
    /// declaration's; `None` when the pack does not say.
    pub as_of: Option<Date>,
    /// Where the entries come from, one line per declaration in the pack.
    pub sources: Vec<String>,
    /// Screenings made elsewhere that parties attest, one line per party.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attested: Vec<String>,
}

/// The inputs a determination records so that it can be replayed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Inputs {
    /// The product with every figure used.
    pub product: Product,
    /// The parties.
    pub parties: Vec<Party>,
    /// The exporter's declarations.
    pub exporter: Exporter,
    /// Where in Ukraine the item goes (15 CFR 746.6), when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination_region: Option<crate::model::Region>,
}
