//! Rule tests: TOML files of cases (product, destination, date, expected determination) that a
//! legal team runs in CI. Used by the CLI (`export-controls test`) and by `cargo test`.
//!
//! ```toml
//! [[case]]
//! name = "H20 to China in mid-2024 sits below every 3A090 band"
//! date = 2024-06-01       # (`on`, its name before, is read too; not both)
//! product = "nvidia-h20"
//! to = "CN"
//! # from = "US"            (country of export; default US)
//! # exporter = { front_end_fabricator_or_osat = true }   (unknown when not stated)
//! # destination_region = "crimea"   (to UA: crimea, dnr, lnr or other; unknown when not stated)
//! [[case.party]]           # parties, as in transaction files
//! role = "purchaser"
//! name = "Alibaba Cloud"
//! country = "CN"
//! headquarters = "CN"
//! [case.expect]            # every key optional, but at least one that can fail (E0406)
//! verdict = "no_license_required"
//! eccns = []               # exact set
//! paragraphs = []          # exact set
//! requirements = []        # exact set of requirement ids that apply
//! exceptions = []          # exact set of licence exception names available
//! missing = []             # must contain at least these
//! notices = []             # exact set of notice ids that apply
//! warnings = ["Per IC"]    # each must be part of some warning
//! no_warnings = ["..."]    # none may be part of any warning
//! review_policies = { "742.6(a)(6)(iii)" = "presumption_of_denial" }   # per requirement
//! ```

use std::collections::BTreeSet;
use std::fmt::Write;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;
use toml::value::Datetime;

use crate::catalog::Catalog;
use crate::diagnostic::{Code, Diagnostic, Diagnostics, LoadError, SourceFile};
use crate::evaluate::{Determination, Options, Query, Verdict};
use crate::model::{Country, Exporter, PartyFile, parties_from_file};
use crate::ruleset::{Reading, RuleSet};

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct TestFile {
    #[serde(default)]
    case: Vec<CaseFile>,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    #[schemars(with = "String")]
    name: Spanned<String>,
    /// The as-of date, as a transaction file, the CLI (`--date`) and the API name it. One of
    /// `date` and `on` is required, not both (E0534).
    #[schemars(with = "Option<crate::date::DateLit>")]
    date: Option<Spanned<Datetime>>,
    /// The former name of `date` (before tester round 16; the pack's test files are written
    /// with it), read as `date`.
    #[schemars(with = "Option<crate::date::DateLit>")]
    on: Option<Spanned<Datetime>>,
    #[schemars(with = "String")]
    product: Spanned<String>,
    #[schemars(with = "String")]
    to: Spanned<String>,
    #[schemars(with = "Option<String>")]
    from: Option<Spanned<String>>,
    #[serde(default)]
    exporter: Exporter,
    /// Where in Ukraine the item goes (crimea, dnr, lnr, other), for a case to UA.
    destination_region: Option<crate::model::Region>,
    #[serde(default)]
    party: Vec<PartyFile>,
    /// Evaluate as if `[aggregation] separate_packages` of pack.toml said this (`per_ic` or
    /// `aggregate`), to test both readings of an open question.
    #[schemars(with = "Option<String>")]
    separate_packages: Option<Spanned<String>>,
    #[schemars(with = "ExpectFile")]
    expect: Spanned<ExpectFile>,
}

crate::model::vocabulary_schema!(
    /// A verdict, as a rule test expects it.
    VerdictLit,
    "Verdict",
    "A verdict",
    {
        use crate::evaluate::Verdict;
        [Verdict::NoLicenseRequired, Verdict::LicenseException, Verdict::LicenseRequired, Verdict::Indeterminate]
            .iter()
            .map(|v| v.as_str())
            .collect()
    }
);

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct ExpectFile {
    #[schemars(with = "Option<VerdictLit>")]
    verdict: Option<Spanned<String>>,
    eccns: Option<Vec<String>>,
    paragraphs: Option<Vec<String>>,
    /// Requirement ids, each one a rule of the pack defines (E0519 otherwise).
    #[schemars(with = "Option<Vec<String>>")]
    requirements: Option<Vec<Spanned<String>>>,
    /// Licence exception names (`NAC`), each one a rule of the pack defines (E0519 otherwise).
    #[schemars(with = "Option<Vec<String>>")]
    exceptions: Option<Vec<Spanned<String>>>,
    missing: Option<Vec<String>>,
    notices: Option<Vec<String>>,
    /// Review policy per requirement id, each id one a rule of the pack defines (E0519 otherwise).
    #[schemars(with = "Option<std::collections::BTreeMap<String, String>>")]
    review_policies: Option<indexmap::IndexMap<Spanned<String>, String>>,
    /// Texts each of which some warning must contain.
    warnings: Option<Vec<String>>,
    /// Texts no warning may contain.
    no_warnings: Option<Vec<String>>,
}

impl ExpectFile {
    /// Whether every determination meets the expectation: no key, or only `missing = []`,
    /// `review_policies = {}`, `warnings = []` and `no_warnings = []`. (Every key is named, so that a key added to `ExpectFile` has to
    /// be considered here.)
    fn checks_nothing(&self) -> bool {
        let ExpectFile {
            verdict,
            eccns,
            paragraphs,
            requirements,
            exceptions,
            missing,
            notices,
            review_policies,
            warnings,
            no_warnings,
        } = self;
        verdict.is_none()
            && eccns.is_none()
            && paragraphs.is_none()
            && requirements.is_none()
            && exceptions.is_none()
            && notices.is_none()
            && missing.as_ref().is_none_or(Vec::is_empty)
            && review_policies.as_ref().is_none_or(indexmap::IndexMap::is_empty)
            && warnings.as_ref().is_none_or(Vec::is_empty)
            && no_warnings.as_ref().is_none_or(Vec::is_empty)
    }

    /// The keys given that every determination meets (`missing = []`, `review_policies = {}`),
    /// as the message names them.
    fn vacuous_keys(&self) -> Vec<&'static str> {
        let mut keys = Vec::new();
        if self.missing.is_some() {
            keys.push("`missing = []`");
        }
        if self.review_policies.is_some() {
            keys.push("`review_policies = {}`");
        }
        if self.warnings.is_some() {
            keys.push("`warnings = []`");
        }
        if self.no_warnings.is_some() {
            keys.push("`no_warnings = []`");
        }
        keys
    }
}

/// JSON Schema of rule-test files. A case's date is `date` or, its name before, `on`: exactly
/// one of the two (the loader reads `on` as an alias and refuses both at once), so that the
/// files written with `on` stay valid for taplo and editors.
pub fn test_file_schema() -> schemars::Schema {
    let mut schema = schemars::schema_for!(TestFile);
    if let Some(case) = schema.get_mut("$defs").and_then(|d| d.get_mut("CaseFile")).and_then(|c| c.as_object_mut()) {
        case.insert("oneOf".into(), serde_json::json!([{ "required": ["date"] }, { "required": ["on"] }]));
    }
    schema
}

/// One checked test case.
#[derive(Debug, Clone)]
pub struct TestCase {
    /// Case name.
    pub name: String,
    /// `file:line` of the case.
    pub location: String,
    /// Product id.
    pub product: String,
    /// The query.
    pub query: Query,
    /// The reading of separately packaged ICs to evaluate with, when not the pack's.
    pub separate_packages: Option<Reading>,
    expect: Expect,
}

#[derive(Debug, Clone, Default)]
struct Expect {
    verdict: Option<Verdict>,
    eccns: Option<Vec<String>>,
    paragraphs: Option<Vec<String>>,
    requirements: Option<Vec<String>>,
    exceptions: Option<Vec<String>>,
    missing: Option<Vec<String>>,
    notices: Option<Vec<String>>,
    review_policies: Option<indexmap::IndexMap<String, String>>,
    warnings: Option<Vec<String>>,
    no_warnings: Option<Vec<String>>,
}

/// The outcome of one case.
#[derive(Debug, Clone)]
pub struct CaseOutcome {
    /// The case.
    pub case: TestCase,
    /// What differed from the expectation; empty when the case passed.
    pub failures: Vec<String>,
    /// The determination, when one was made.
    pub determination: Option<Determination>,
}

/// All outcomes of a run.
#[derive(Debug, Clone, Default)]
pub struct TestReport {
    /// Outcomes in file and case order.
    pub outcomes: Vec<CaseOutcome>,
}

impl TestReport {
    /// Cases that passed.
    pub fn passed(&self) -> usize {
        self.outcomes.iter().filter(|o| o.failures.is_empty()).count()
    }

    /// Cases that failed.
    pub fn failed(&self) -> usize {
        self.outcomes.len() - self.passed()
    }

    /// Whether the run counts as a success: at least one case ran and none failed.
    pub fn success(&self) -> bool {
        !self.outcomes.is_empty() && self.failed() == 0
    }

    /// Rules of `rules` that no case exercised (no determination found them in force and
    /// matching), as `kind id`, in pack order. Exclusions count when they took a product out.
    pub fn uncovered(&self, rules: &RuleSet) -> Vec<String> {
        let mut seen = BTreeSet::new();
        for c in &self.outcomes {
            for t in c.determination.iter().flat_map(|d| &d.trace) {
                if t.result != crate::ruleset::condition::Truth::False {
                    seen.insert(format!("{} {}", t.kind, t.rule));
                }
            }
        }
        let mut all: Vec<String> = Vec::new();
        let mut add = |kind: &str, id: &str| {
            let k = format!("{kind} {id}");
            if !all.contains(&k) {
                all.push(k);
            }
        };
        rules.classifications.iter().for_each(|r| add("classification", &r.meta.id));
        rules.exclusions.iter().for_each(|r| add("exclusion", &r.meta.id));
        rules.requirements.iter().for_each(|r| add("license_requirement", &r.meta.id));
        rules.exceptions.iter().for_each(|r| add("license_exception", &r.meta.id));
        rules.review_policies.iter().for_each(|r| add("review_policy", &r.meta.id));
        rules.notices.iter().for_each(|r| add("notice", &r.meta.id));
        all.into_iter().filter(|k| !seen.contains(k)).collect()
    }

    /// JUnit XML, one test case per rule-test case, for CI systems.
    pub fn render_junit(&self) -> String {
        // XML 1.0 cannot hold most control characters, even as character references: each one
        // (but tab and line feed) and each line or paragraph separator is written as its escape
        // (`\u{1b}`), then the markup characters as entities.
        let esc = |s: &str| {
            let plain: String = s
                .chars()
                .map(|c| {
                    if (c.is_control() && c != '\t' && c != '\n') || c == '\u{2028}' || c == '\u{2029}' {
                        c.escape_unicode().to_string()
                    } else {
                        c.to_string()
                    }
                })
                .collect();
            plain
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('"', "&quot;")
                .replace('\'', "&apos;")
        };
        let mut o = String::new();
        let _ = writeln!(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        let _ = writeln!(o, "<testsuites tests=\"{}\" failures=\"{}\">", self.outcomes.len(), self.failed());
        let _ = writeln!(
            o,
            "  <testsuite name=\"rule tests\" tests=\"{}\" failures=\"{}\">",
            self.outcomes.len(),
            self.failed()
        );
        for c in &self.outcomes {
            let file = c.case.location.rsplit_once(':').map_or(c.case.location.as_str(), |(f, _)| f);
            let _ = write!(o, "    <testcase name=\"{}\" classname=\"{}\"", esc(&c.case.name), esc(file));
            if c.failures.is_empty() {
                let _ = writeln!(o, "/>");
            } else {
                let _ = writeln!(o, ">");
                let _ = writeln!(
                    o,
                    "      <failure message=\"{}\">{}</failure>",
                    esc(c.failures.first().map_or("", String::as_str)),
                    esc(&format!("{}\n{}", c.case.location, c.failures.join("\n")))
                );
                let _ = writeln!(o, "    </testcase>");
            }
        }
        let _ = writeln!(o, "  </testsuite>\n</testsuites>");
        o
    }

    /// JSON report: counts, each case with its outcome, and the rules no case exercised.
    pub fn to_json(&self, rules: &RuleSet) -> serde_json::Value {
        serde_json::json!({
            "passed": self.passed(),
            "failed": self.failed(),
            "cases": self.outcomes.iter().map(|c| serde_json::json!({
                "name": c.case.name,
                "location": c.case.location,
                "passed": c.failures.is_empty(),
                "failures": c.failures,
                "verdict": c.determination.as_ref().map(|d| d.verdict.as_str()),
            })).collect::<Vec<_>>(),
            "uncovered_rules": self.uncovered(rules),
        })
    }

    /// Human-readable report: each failing case with expected vs actual and the trace of the
    /// rules that decided it, then the rules no case exercised, then a closing line
    /// `N passed, M failed`.
    pub fn render_with_coverage(&self, rules: &RuleSet) -> String {
        let mut o = self.render();
        let closing = o.rfind('\n').and_then(|end| o[..end].rfind('\n').map(|s| s + 1)).unwrap_or(0);
        let last = o.split_off(closing);
        let uncovered = self.uncovered(rules);
        if !uncovered.is_empty() {
            let _ = writeln!(o, "rules no test exercised ({}):", uncovered.len());
            for u in &uncovered {
                let _ = writeln!(o, "    {u}");
            }
        }
        o.push_str(&last);
        o
    }

    /// Human-readable report: each failing case with expected vs actual and the trace of the
    /// rules that decided it, then a closing line `N passed, M failed`.
    pub fn render(&self) -> String {
        let mut o = String::new();
        for c in &self.outcomes {
            if c.failures.is_empty() {
                continue;
            }
            let _ = writeln!(o, "FAILED {} ({})", c.case.name, c.case.location);
            for f in &c.failures {
                let _ = writeln!(o, "    {f}");
            }
            if let Some(d) = &c.determination {
                for t in d.trace.iter().filter(|t| t.result != crate::ruleset::condition::Truth::False) {
                    let _ = writeln!(o, "    decided by {} {} ({}): {}", t.kind, t.rule, t.source, t.result);
                }
            }
        }
        if self.outcomes.is_empty() {
            let _ = writeln!(o, "no test case ran");
        }
        let _ = writeln!(o, "{} passed, {} failed", self.passed(), self.failed());
        o
    }
}

/// Parses rule-test files, checking product ids against `catalog` and the requirement ids and
/// licence exception names that cases expect against the rules of `rules` (at any date).
///
/// # Errors
/// Every problem (TOML errors, unknown products with suggestions, unknown countries, bad
/// dates or verdict names, a case that expects nothing, an expected requirement or exception
/// that no rule defines), each with file, line and column.
pub fn parse_test_files(
    files: &[SourceFile],
    catalog: &Catalog,
    rules: &RuleSet,
) -> Result<Vec<TestCase>, Diagnostics> {
    let mut files: Vec<&SourceFile> = files.iter().collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let mut cases = Vec::new();
    let mut errors: Vec<Diagnostic> = Vec::new();
    for f in files {
        let Some(tf) = read_test_file(f, &mut errors) else { continue };
        cases.extend(tf.case.into_iter().filter_map(|c| parse_case(f, c, (catalog, rules), &mut errors)));
    }
    if errors.is_empty() { Ok(cases) } else { Err(Diagnostics(errors)) }
}

/// The cases of a rule-test file; `None`, with the error, for a file over 4 MiB or one that
/// is not a rule-test file's TOML.
fn read_test_file(f: &SourceFile, errors: &mut Vec<Diagnostic>) -> Option<TestFile> {
    if f.text.len() > crate::model::MAX_SHEET_BYTES * 4 {
        errors.push(f.file_error(Code::E0405, "a rule-test file is larger than 4 MiB; split it"));
        return None;
    }
    match toml::from_str(&f.text) {
        Ok(t) => Some(t),
        Err(e) => {
            errors.push(f.toml_error(&e));
            None
        }
    }
}

/// A case as it is run; `None` when anything in it is wrong (countries, date, product,
/// words, parties, an `expect` that checks nothing), each error added to `errors` in the
/// order of the case's keys.
fn parse_case(
    f: &SourceFile,
    c: CaseFile,
    (catalog, rules): (&Catalog, &RuleSet),
    errors: &mut Vec<Diagnostic>,
) -> Option<TestCase> {
    let (line, _) = f.line_col(c.name.span().start);
    let to: Option<Country> = f.parse_at(Code::E0401, &c.to, errors);
    let from = match &c.from {
        Some(s) => f.parse_at(Code::E0401, s, errors),
        None => Some(Country::US),
    };
    let date = match (&c.date, &c.on) {
        (Some(d), None) | (None, Some(d)) => f.date_at(Code::E0402, d, errors),
        // Both names: which date was meant is not known, so neither is read.
        (Some(_), Some(on)) => {
            let message = "the case gives its date twice, as `date` and as `on` (its name before)";
            errors.push(
                f.error(Code::E0534, on.span(), message).with_help_opt(Some("keep one: `date = YYYY-MM-DD`".into())),
            );
            None
        }
        (None, None) => {
            errors.push(
                f.error(Code::E0101, c.name.span(), "missing field `date` (the case's as-of date)")
                    .with_help_opt(Some("add the date the case is decided on: `date = 2024-06-01`".into())),
            );
            None
        }
    };
    let mut ok = known_product(f, &c.product, catalog, errors);
    // A case name is printed in every report (text, JSON, JUnit): no control character (E0523).
    if let Some(ch) = crate::names::control_in_name(c.name.get_ref()) {
        let message = format!("the case's name holds {}", crate::names::refused_char_described(ch));
        errors.push(
            f.error(Code::E0523, c.name.span(), message)
                .with_help_opt(Some("write the name on one line, without control characters".into())),
        );
        ok = false;
    }
    ok &= expects_something(f, &c, errors);
    let expect = c.expect.into_inner();
    ok &= known_rule_ids(f, &expect, rules, errors);
    let verdict = expect.verdict.as_ref().and_then(|v| {
        let parsed = Verdict::parse(v.get_ref());
        let expected = "no_license_required, license_exception, license_required or indeterminate";
        known_word(parsed, v, ("verdict", expected), f, errors, &mut ok)
    });
    let separate_packages = c.separate_packages.as_ref().and_then(|r| {
        let parsed = Reading::ALL.into_iter().find(|x| x.as_str() == r.get_ref());
        known_word(parsed, r, ("reading", "per_ic or aggregate"), f, errors, &mut ok)
    });
    let before = errors.len();
    let parties = parties_from_file(f, c.party, errors);
    let ok = ok && errors.len() == before;
    let (Some(destination), Some(exported_from), Some(date), true) = (to, from, date, ok) else { return None };
    let mut query = Query::export_to(destination, date).exported_from(exported_from);
    query.parties = parties;
    query.exporter = c.exporter;
    query.destination_region = c.destination_region;
    Some(TestCase {
        name: c.name.into_inner(),
        location: format!("{}:{line}", f.path),
        product: c.product.into_inner(),
        query,
        separate_packages,
        expect: Expect {
            verdict,
            eccns: expect.eccns,
            paragraphs: expect.paragraphs,
            requirements: expect.requirements.map(|v| v.into_iter().map(Spanned::into_inner).collect()),
            exceptions: expect.exceptions.map(|v| v.into_iter().map(Spanned::into_inner).collect()),
            missing: expect.missing,
            notices: expect.notices,
            review_policies: expect.review_policies.map(|m| m.into_iter().map(|(k, v)| (k.into_inner(), v)).collect()),
            warnings: expect.warnings,
            no_warnings: expect.no_warnings,
        },
    })
}

/// Whether the case's product is in the catalog; otherwise an E0403 at it, with the
/// nearest id.
fn known_product(f: &SourceFile, product: &Spanned<String>, catalog: &Catalog, errors: &mut Vec<Diagnostic>) -> bool {
    if catalog.get(product.get_ref()).is_some() {
        return true;
    }
    let d = f
        .error(Code::E0403, product.span(), format!("unknown product `{}`", product.get_ref()))
        .with_help_opt(crate::catalog::did_you_mean_text(&catalog.suggest(product.get_ref())));
    errors.push(d);
    false
}

/// Whether the case's `expect` can fail; otherwise an E0406 at it saying which of its keys
/// every determination meets.
fn expects_something(f: &SourceFile, c: &CaseFile, errors: &mut Vec<Diagnostic>) -> bool {
    if !c.expect.get_ref().checks_nothing() {
        return true;
    }
    let keys = c.expect.get_ref().vacuous_keys();
    let why = if keys.is_empty() {
        "its `expect` has no key".to_string()
    } else {
        format!("its `expect` holds only {}, which every determination meets", keys.join(" and "))
    };
    errors.push(
        f.error(
            Code::E0406,
            c.expect.span(),
            format!("case `{}` expects nothing: {why}, so it passes whatever the rules decide", c.name.get_ref()),
        )
        .with_help(
            "state what the case shows: `verdict = \"...\"`, and the `eccns`, `requirements`, `exceptions` \
             or `notices` it turns on (an empty list such as `eccns = []` expects none)",
        ),
    );
    false
}

/// Whether every requirement id (in `requirements` and as a key of `review_policies`) and
/// every licence exception name (`exceptions`) that the case expects is defined by some rule
/// of `rules`; otherwise an E0519 at each that is not, with the nearest defined one. Such an
/// expectation is a typo or a rule since renamed: an exact set naming it can never pass and a
/// review policy keyed to it never be checked, whatever the rules decide.
fn known_rule_ids(f: &SourceFile, expect: &ExpectFile, rules: &RuleSet, errors: &mut Vec<Diagnostic>) -> bool {
    let requirement_ids: BTreeSet<&str> = rules.requirements.iter().map(|r| r.meta.id.as_str()).collect();
    let exception_names: BTreeSet<&str> = rules.exceptions.iter().map(|x| x.name.as_str()).collect();
    let requirements = expect.requirements.iter().flatten().chain(expect.review_policies.iter().flat_map(|m| m.keys()));
    let exceptions = expect.exceptions.iter().flatten();
    let mut ok = true;
    let mut wanted: Vec<_> = requirements
        .map(|r| (r, "requirement", &requirement_ids))
        .chain(exceptions.map(|x| (x, "licence exception", &exception_names)))
        .collect();
    // In the order of the file, whatever the order of the keys.
    wanted.sort_by_key(|(id, ..)| id.span().start);
    for (id, what, defined) in wanted {
        if defined.contains(id.get_ref().as_str()) {
            continue;
        }
        ok = false;
        let message = format!("expects {what} `{}` which no rule in the pack defines", id.get_ref());
        let help = crate::diagnostic::did_you_mean(id.get_ref(), defined.iter().copied())
            .map(|s| format!("did you mean `{s}`?"));
        errors.push(f.error(Code::E0519, id.span(), message).with_help_opt(help));
    }
    ok
}

/// `parsed` when the word was one of the expected ones; otherwise an E0404 at the word
/// ("unknown verdict `x`; expected …"), and the case is not run (`ok` turns false).
fn known_word<T>(
    parsed: Option<T>,
    word: &Spanned<String>,
    (what, expected): (&str, &str),
    f: &SourceFile,
    errors: &mut Vec<Diagnostic>,
    ok: &mut bool,
) -> Option<T> {
    if parsed.is_none() {
        let message = format!("unknown {what} `{}`; expected {expected}", word.get_ref());
        errors.push(f.error(Code::E0404, word.span(), message));
        *ok = false;
    }
    parsed
}

/// Runs test cases whose name contains `filter` (all when `None`).
pub fn run_cases(rules: &RuleSet, catalog: &Catalog, cases: Vec<TestCase>, filter: Option<&str>) -> TestReport {
    let mut outcomes = Vec::new();
    let mut other: Option<RuleSet> = None;
    for case in cases {
        if filter.is_some_and(|f| !case.name.contains(f)) {
            continue;
        }
        let Some(product) = catalog.get(&case.product) else {
            let failures = vec![format!("unknown product `{}`", case.product)];
            outcomes.push(CaseOutcome { case, failures, determination: None });
            continue;
        };
        let pack = match case.separate_packages {
            Some(r) if r != rules.pack.aggregation.separate_packages => {
                &*other.get_or_insert_with(|| rules.with_reading(r))
            }
            _ => rules,
        };
        match pack.evaluate(product, &case.query, Options { trace: true }) {
            Ok(d) => {
                let failures = compare(&case.expect, &d);
                outcomes.push(CaseOutcome { case, failures, determination: Some(d) });
            }
            Err(e) => outcomes.push(CaseOutcome {
                case,
                failures: vec![format!("evaluation error: {e}")],
                determination: None,
            }),
        }
    }
    TestReport { outcomes }
}

fn compare(e: &Expect, d: &Determination) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(v) = e.verdict
        && v != d.verdict
    {
        out.push(format!("verdict: expected {}, got {}", v.as_str(), d.verdict.as_str()));
    }
    let set = |v: &[String]| v.iter().cloned().collect::<BTreeSet<_>>();
    let mut exact = |what: &str, expected: &Option<Vec<String>>, actual: Vec<String>| {
        if let Some(exp) = expected
            && set(exp) != set(&actual)
        {
            out.push(format!("{what}: expected {exp:?}, got {actual:?}"));
        }
    };
    exact("eccns", &e.eccns, d.eccns.clone());
    exact("paragraphs", &e.paragraphs, d.paragraphs.clone());
    exact("requirements", &e.requirements, d.requirements.iter().map(|r| r.id.clone()).collect());
    exact("exceptions", &e.exceptions, d.exceptions.iter().map(|x| x.name.clone()).collect());
    exact("notices", &e.notices, d.notices.clone());
    for (req, policy) in e.review_policies.iter().flatten() {
        let got = d.requirements.iter().find(|r| &r.id == req).map(|r| r.review_policy.map_or("none", |p| p.as_str()));
        match got {
            Some(g) if g == policy => {}
            Some(g) => out.push(format!("review policy of {req}: expected {policy}, got {g}")),
            None => out.push(format!("review policy of {req}: expected {policy}, but {req} does not apply")),
        }
    }
    for w in e.warnings.iter().flatten() {
        if !d.warnings.iter().any(|x| x.contains(w.as_str())) {
            out.push(format!("warnings: expected one containing {w:?}, got {:?}", d.warnings));
        }
    }
    for w in e.no_warnings.iter().flatten() {
        if let Some(x) = d.warnings.iter().find(|x| x.contains(w.as_str())) {
            out.push(format!("warnings: expected none containing {w:?}, got {x:?}"));
        }
    }
    if let Some(m) = &e.missing {
        let lacking: Vec<&String> = m.iter().filter(|x| !d.missing.contains(x)).collect();
        if !lacking.is_empty() {
            out.push(format!("missing: expected to include {lacking:?}, got {:?}", d.missing));
        }
    }
    out
}

/// Splits a test folder's files into rule-test files and the illustrative product sheets kept
/// in its `sheets/` subfolder (products that tests need but the catalog does not hold).
pub fn split_sheets(files: Vec<SourceFile>) -> (Vec<SourceFile>, Vec<SourceFile>) {
    files.into_iter().partition(|f| !f.path.replace('\\', "/").contains("/sheets/") && !f.path.starts_with("sheets/"))
}

/// Reads every `*.toml` file in `dir` (recursively) as rule-test files (those under a
/// `sheets/` folder as product sheets), each named by its path as given, bounded as
/// [`crate::files`] reads.
///
/// # Errors
/// [`LoadError::Io`] when a file cannot be read or the walk is refused; [`LoadError::Invalid`]
/// for a file over its size limit.
pub fn read_test_dir(dir: &Path) -> Result<Vec<SourceFile>, LoadError> {
    let mut files = read_test_files(dir)?;
    for f in &mut files {
        f.path = crate::files::display_path(&dir.join(&f.path));
    }
    Ok(files)
}

/// The files of a rule-test folder with paths relative to it.
pub(crate) fn read_test_files(dir: &Path) -> Result<Vec<SourceFile>, LoadError> {
    use crate::files::{FileKind, Walk, read_tree};
    let kind = |rel: &str| {
        if rel.starts_with("sheets/") || rel.contains("/sheets/") { FileKind::ProductSheet } else { FileKind::RuleTest }
    };
    read_tree(dir, Walk { recursive: true, skip_dirs: &[], kind })
}

static SHIPPED_TESTS: include_dir::Dir<'static> = include_dir::include_dir!("$CARGO_MANIFEST_DIR/rules/us-ear/tests");

/// The rule tests shipped with the `us-ear` pack, embedded at build time.
pub fn shipped_test_files() -> Vec<SourceFile> {
    let mut out = Vec::new();
    let mut stack = vec![&SHIPPED_TESTS];
    while let Some(dir) = stack.pop() {
        for f in dir.files().filter(|f| f.path().extension().is_some_and(|e| e == "toml")) {
            let path = format!("rules/us-ear/tests/{}", f.path().to_string_lossy().replace('\\', "/"));
            out.push(SourceFile::new(path, f.contents_utf8().unwrap_or_default()));
        }
        stack.extend(dir.dirs());
    }
    out
}
