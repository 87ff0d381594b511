//! Checks rule files and compiles them into a [`RuleSet`].

use std::collections::BTreeSet;
use std::ops::Range;

use sha2::{Digest, Sha256};
use toml::Spanned;
use toml::value::Datetime;

use super::condition::{self, Expr};
use super::file::{self, DestinationsFile, PackFile, RuleFile};
use super::groups::{CountryGroup, CountryGroups, TreatedAs, UnverifiedMembership, UnverifiedPeriod};
use super::{
    Classification, ControlReason, Destinations, Exclusion, Items, LicenseException, ListEntry, Notice, PackInfo,
    PartyFilter, Period, Requirement, ReviewPolicy, ReviewPolicyRule, RuleMeta, RuleSet, Scope, ScreeningList,
    is_under, names_rule, normalize_name,
};
use crate::date::Date;
use crate::diagnostic::{Code, Diagnostic, Diagnostics, Site, SourceFile, did_you_mean};
use crate::model::{Country, EndUse, ProductKind, Role, TransactionKind};

/// Lower-case hex of a digest.
pub(crate) fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// What the pack's sha256 is computed over: for each file, in the order given (the compiler
/// gives them in path order), the length in bytes of its path as 8 bytes big-endian, the path
/// (UTF-8, `/`-separated, relative to the pack), the length in bytes of its text as 8 bytes
/// big-endian, and the text. Every field is framed by its length, so two different packs
/// never give the same bytes, whatever their file names hold.
pub fn pack_hash_input<'a>(files: impl IntoIterator<Item = &'a SourceFile>) -> Vec<u8> {
    let mut out = Vec::new();
    for f in files {
        for field in [f.path.as_bytes(), f.text.as_bytes()] {
            out.extend_from_slice(&(field.len() as u64).to_be_bytes());
            out.extend_from_slice(field);
        }
    }
    out
}

/// Maximum number of rules of all kinds in one pack.
pub const MAX_RULES: usize = 100_000;
/// Maximum size of one rule file, bytes.
pub const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;

/// Compiles a pack from its files (one of which is `pack.toml`).
///
/// Files are processed in sorted path order, so the result does not depend on the order of
/// files on disk. The pack's sha256 is computed over [`pack_hash_input`]: each file in that
/// order framed by lengths, so that no two packs give the same input. Comments and formatting
/// are part of the hash on purpose: the reviewed text of a rule file is what an auditor signs
/// off, so any edit, even to a comment, is a new pack content. Each file's own sha256 is kept
/// too (for `export-controls lock` and `verify`). A file name holding a control character (a
/// line break, a tab) is refused (E0307).
///
/// # Errors
/// Every problem found in every file, each with file, line and column.
pub fn compile(files: &[SourceFile]) -> Result<RuleSet, Diagnostics> {
    let mut files: Vec<&SourceFile> = files.iter().collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let mut cx = Compiler::default();

    for f in files.iter().filter(|f| f.path.chars().any(char::is_control)) {
        let shown = crate::files::escape_controls(&f.path);
        let message = format!("the file name `{shown}` holds a control character (a line break, a tab): rename it");
        cx.diags.push(Site::whole_file(shown).diagnostic(Code::E0307, message));
    }
    if !cx.diags.is_empty() {
        return Err(Diagnostics(cx.diags));
    }

    let sha256 = hex(&Sha256::digest(pack_hash_input(files.iter().copied())));
    let file_hashes: Vec<(String, String)> =
        files.iter().map(|f| (f.path.clone(), hex(&Sha256::digest(f.text.as_bytes())))).collect();

    let pack = match files.iter().find(|f| f.path == "pack.toml") {
        Some(f) => cx.pack(f, sha256, file_hashes),
        None => {
            let message = "the pack has no pack.toml (name, title, version, engine, coverage_from, researched_until)";
            cx.diags.push(Site::whole_file("pack.toml").diagnostic(Code::E0301, message));
            None
        }
    };

    let parsed = cx.parse_files(&files);
    let total: usize = parsed.iter().map(|(_, r)| rule_count(r)).sum();
    if total > MAX_RULES {
        cx.diags.push(
            SourceFile::new("pack.toml", "")
                .file_error(Code::E0303, format!("the pack has {total} rules; at most {MAX_RULES} are accepted")),
        );
        return Err(Diagnostics(cx.diags));
    }
    cx.read_rules(&parsed);
    cx.link();
    cx.canonical_order();
    if cx.diags.is_empty() && cx.requirements.is_empty() {
        let d = SourceFile::new("pack.toml", "").file_error(
            Code::E0306,
            "the pack defines no [[license_requirement]]: every determination would read \"no licence required\"",
        );
        cx.diags.push(d);
    }
    match (pack, cx.diags.is_empty()) {
        (Some(pack), true) => Ok(cx.into_rules(pack)),
        _ => Err(Diagnostics(cx.diags)),
    }
}

/// The number of rules of every kind in a file.
fn rule_count(r: &RuleFile) -> usize {
    r.classification.len()
        + r.exclusion.len()
        + r.license_requirement.len()
        + r.license_exception.len()
        + r.review_policy.len()
        + r.notice.len()
        + r.list_entry.len()
        + r.screening_list.len()
        + r.country_group.len()
}

impl<'a> Compiler<'a> {
    /// Parses every rule file but `pack.toml` (in the order given), reporting those too large
    /// or not valid TOML for the schema.
    fn parse_files(&mut self, files: &[&'a SourceFile]) -> Vec<(&'a SourceFile, RuleFile)> {
        let mut parsed = Vec::new();
        for f in files.iter().filter(|f| f.path != "pack.toml") {
            if f.text.len() > MAX_FILE_BYTES {
                self.diags.push(f.file_error(Code::E0302, format!("file is larger than {MAX_FILE_BYTES} bytes")));
                continue;
            }
            match toml::from_str::<RuleFile>(&f.text) {
                Ok(rf) => parsed.push((*f, rf)),
                Err(e) => self.diags.push(f.toml_error(&e)),
            }
        }
        parsed
    }

    /// Checks and reads every rule of every file, kind by kind in the order the kinds refer to
    /// each other: country groups, equivalences and list entries first, then screening lists,
    /// classifications and exclusions, requirements, and exceptions, review policies and
    /// notices.
    fn read_rules(&mut self, parsed: &[(&'a SourceFile, RuleFile)]) {
        /// Reads one kind of rule of one file.
        type Read<'a> = fn(&mut Compiler<'a>, &'a SourceFile, &RuleFile);
        // Each pass reads its kinds file by file, in this order.
        let passes: [&[Read<'a>]; 5] = [
            &[
                |c, f, rf| rf.country_group.iter().for_each(|r| c.group(f, r)),
                |c, f, rf| rf.treated_as.iter().for_each(|r| c.treated_as(f, r)),
                |c, f, rf| rf.list_entry.iter().for_each(|r| c.list_entry(f, r)),
            ],
            &[|c, f, rf| rf.screening_list.iter().for_each(|r| c.screening_list(f, r))],
            &[
                |c, f, rf| rf.classification.iter().for_each(|r| c.classification(f, r)),
                |c, f, rf| rf.exclusion.iter().for_each(|r| c.exclusion(f, r)),
            ],
            &[|c, f, rf| rf.license_requirement.iter().for_each(|r| c.requirement(f, r))],
            &[
                |c, f, rf| rf.license_exception.iter().for_each(|r| c.exception(f, r)),
                |c, f, rf| rf.review_policy.iter().for_each(|r| c.review_policy(f, r)),
                |c, f, rf| rf.notice.iter().for_each(|r| c.notice(f, r)),
            ],
        ];
        for pass in passes {
            for (f, rf) in parsed {
                pass.iter().for_each(|read| read(self, f, rf));
            }
        }
    }

    /// Rules within a file may come in any order: evaluate and report them in a canonical one
    /// (id, then start date), so determinations do not depend on how a file is arranged.
    /// (Classifications keep their dependency order, which is built from their ids.)
    fn canonical_order(&mut self) {
        self.requirements.sort_by(|a, b| (&a.meta.id, a.meta.period.from).cmp(&(&b.meta.id, b.meta.period.from)));
        self.exceptions.sort_by(|a, b| (&a.meta.id, a.meta.period.from).cmp(&(&b.meta.id, b.meta.period.from)));
        self.review_policies.sort_by(|a, b| (&a.meta.id, a.meta.period.from).cmp(&(&b.meta.id, b.meta.period.from)));
        self.notices.sort_by(|a, b| (&a.meta.id, a.meta.period.from).cmp(&(&b.meta.id, b.meta.period.from)));
        self.lists.sort_by(|a, b| a.id.cmp(&b.id));
    }

    /// The rule set of a pack that compiled without errors, with its index.
    fn into_rules(self, pack: PackInfo) -> RuleSet {
        let mut rules = RuleSet {
            pack,
            classifications: self.classifications,
            exclusions: self.exclusions,
            requirements: self.requirements,
            exceptions: self.exceptions,
            review_policies: self.review_policies,
            notices: self.notices,
            lists: self.lists,
            screening_lists: self.screening_lists,
            groups: self.groups,
            repeated: self.repeated,
            compiled: super::index::Compiled::default(),
            id: next_pack_id(),
        };
        rules.compiled = super::index::Compiled::new(&rules);
        rules
    }
}

/// Numbers compilations (0 is never used: it marks "no pack").
static NEXT_PACK_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// A number no other pack has had in this process.
pub(crate) fn next_pack_id() -> u64 {
    NEXT_PACK_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// The fields every rule has, borrowed from its TOML form.
struct Common<'a> {
    id: &'a Spanned<String>,
    title: &'a str,
    source: &'a Spanned<String>,
    from: &'a Spanned<Datetime>,
    until: &'a Option<Spanned<Datetime>>,
    published: &'a Option<Spanned<Datetime>>,
    effective: &'a Option<Spanned<Datetime>>,
    note: &'a Option<String>,
    unverified: &'a Option<String>,
    confirmed_until: Option<&'a Spanned<Datetime>>,
    follows_lapse: &'a Option<String>,
    confirmed_from: Option<&'a Spanned<Datetime>>,
}

macro_rules! common {
    ($r:expr, $confirmed:expr, $confirmed_from:expr) => {
        Common {
            id: &$r.id,
            title: &$r.title,
            source: &$r.source,
            from: &$r.from,
            until: &$r.until,
            published: &$r.published,
            effective: &$r.effective,
            note: &$r.note,
            unverified: &$r.unverified,
            confirmed_until: $confirmed,
            follows_lapse: &$r.follows_lapse,
            confirmed_from: $confirmed_from,
        }
    };
}

/// A reference to resolve once every rule is known: (file, span, referenced id, what refers).
struct Ref<'a> {
    file: &'a SourceFile,
    span: Range<usize>,
    id: String,
}

#[derive(Default)]
struct Compiler<'a> {
    diags: Vec<Diagnostic>,
    classifications: Vec<Classification>,
    exclusions: Vec<Exclusion>,
    requirements: Vec<Requirement>,
    exceptions: Vec<LicenseException>,
    review_policies: Vec<ReviewPolicyRule>,
    notices: Vec<Notice>,
    lists: Vec<ListEntry>,
    screening_lists: Vec<ScreeningList>,
    /// References to lists (`listed_on`, `owned_by_listed`).
    list_refs: Vec<Ref<'a>>,
    groups: CountryGroups,
    /// Per rule kind, the ids with their periods, for overlap checks: (kind, id, period, file, span).
    ids: Vec<(&'static str, String, Period, &'a SourceFile, Range<usize>)>,
    /// Item references to check against classification paragraphs.
    item_refs: Vec<Ref<'a>>,
    /// Exclusion `applies_to` references, per exclusion index.
    exclusion_refs: Vec<(usize, Ref<'a>)>,
    /// Requirement id references (`overcomes`, `applies_to`, `unavailable_with`).
    requirement_refs: Vec<Ref<'a>>,
    /// Review-policy `supersedes` references.
    policy_refs: Vec<Ref<'a>>,
    /// Licence requirements' `succeeds` references (exact ids).
    succession_refs: Vec<Ref<'a>>,
    /// Condition locations for `meets` resolution: (owner, file, offset of condition text).
    conditions: Vec<(CondOwner, &'a SourceFile, Vec<usize>)>,
    /// Where each classification's condition is written, for cycle reports.
    class_when: Vec<(&'a SourceFile, usize)>,
    /// Names written twice in one list of a destination set, for the lint (L017).
    repeated: Vec<super::RepeatedName>,
}

#[derive(Clone, Copy)]
enum CondOwner {
    Classification(usize),
    Exclusion(usize),
    Requirement(usize),
    Exception(usize),
    ReviewPolicy(usize),
    Notice(usize),
}

/// Why an equivalence (`[[treated_as]]`: `country` treated as `as_country` during `period`)
/// cannot stand beside the equivalences read before it, if it cannot (E0529). The engine reads
/// a destination as itself and as every country it is treated as on the day, one step, and
/// takes it out of a scope when any of them is excepted: so a country treated as itself says
/// nothing; treated as two countries on one day, it takes the exceptions of both (Hong Kong as
/// China and as the United Kingdom, A:5, cleared an H100 to Hong Kong: tester17 F2); and a
/// chain (MO as HK, HK as CN) is read one step only (MO as HK, never as CN).
fn treated_as_conflict(
    earlier: &[TreatedAs],
    country: Country,
    as_country: Country,
    period: &Period,
) -> Option<String> {
    if country == as_country {
        return Some(format!("{country} is treated as itself: an equivalence names another country"));
    }
    let shown = |t: &TreatedAs| {
        let until = t.period.until.map(|u| format!(" until {u}")).unwrap_or_default();
        format!("{} as {} (from {}{until})", t.country, t.as_country, t.period.from)
    };
    for t in earlier.iter().filter(|t| t.period.overlaps(period)) {
        if t.country == country {
            return Some(format!(
                "{country} is treated as {as_country} on days it is also treated as {}: {}; a destination is treated as one other at a time (end the earlier one with `until`)",
                t.as_country,
                shown(t)
            ));
        }
        if t.country == as_country || t.as_country == country {
            return Some(format!(
                "a chain of equivalences: {country} as {as_country} and {}, in force on common days; equivalences are read one step, so write each country as the one whose controls apply to it",
                shown(t)
            ));
        }
    }
    None
}

impl<'a> Compiler<'a> {
    fn err(&mut self, f: &'a SourceFile, code: Code, span: Range<usize>, msg: impl Into<String>) {
        self.diags.push(f.error(code, span, msg));
    }

    fn date(&mut self, f: &'a SourceFile, d: &Spanned<Datetime>) -> Option<Date> {
        f.date_at(Code::E0310, d, &mut self.diags)
    }

    fn opt_date(&mut self, f: &'a SourceFile, d: &Option<Spanned<Datetime>>) -> Option<Date> {
        d.as_ref().and_then(|d| self.date(f, d))
    }

    fn period(
        &mut self,
        f: &'a SourceFile,
        from: &Spanned<Datetime>,
        until: &Option<Spanned<Datetime>>,
    ) -> Option<Period> {
        let start = self.date(f, from);
        let end = self.opt_date(f, until);
        let start = start?;
        if let (Some(e), Some(u)) = (end, until)
            && e <= start
        {
            self.err(
                f,
                Code::E0311,
                u.span(),
                format!(
                    "`until` ({e}) must be after `from` ({start}); `until` is the first day the rule no longer applies"
                ),
            );
            return None;
        }
        if until.is_some() && end.is_none() {
            return None;
        }
        Some(Period { from: start, until: end })
    }

    /// A rule's `confirmed_from`: a day of its period (from `from` to `until`, which leaves the
    /// whole period unconfirmed); another date is E0362.
    fn confirmed_from(&mut self, f: &'a SourceFile, d: &Spanned<Datetime>, period: Period) -> Option<Date> {
        let c = self.date(f, d)?;
        let within = c >= period.from && period.until.is_none_or(|u| c <= u);
        if !within {
            let last = period.until.map_or_else(String::new, |u| format!(" and on or before `until` ({u})"));
            self.err(
                f,
                Code::E0362,
                d.span(),
                format!(
                    "`confirmed_from` ({c}) must be on or after `from` ({}){last}: it is the first day the sources \
                     confirm the rule binds; `from` is the earliest day any source gives",
                    period.from
                ),
            );
            return None;
        }
        Some(c)
    }

    fn meta(&mut self, kind: &'static str, f: &'a SourceFile, c: Common<'_>) -> Option<RuleMeta> {
        let Common {
            id,
            title,
            source,
            from,
            until,
            published,
            effective,
            note,
            unverified,
            confirmed_until,
            follows_lapse,
            confirmed_from,
        } = c;
        if id.get_ref().trim().is_empty() {
            self.err(f, Code::E0312, id.span(), "rule id is empty; use the regulation's paragraph, e.g. \"3A090.a.1\"");
        }
        if source.get_ref().trim().is_empty() {
            self.err(
                f,
                Code::E0313,
                source.span(),
                "`source` is empty; cite the CFR paragraph and the Federal Register rule",
            );
        }
        let period = self.period(f, from, until);
        let published = self.opt_date(f, published);
        let effective = self.opt_date(f, effective);
        let confirmed_until = confirmed_until.and_then(|d| self.date(f, d));
        let period = period?;
        let confirmed_from = match confirmed_from {
            Some(d) => Some(self.confirmed_from(f, d, period)?),
            None => None,
        };
        self.ids.push((kind, id.get_ref().clone(), period, f, id.span()));
        let (line, _) = f.line_col(id.span().start);
        Some(RuleMeta {
            id: id.get_ref().clone(),
            title: title.to_string(),
            source: source.get_ref().clone(),
            period,
            published,
            effective,
            note: note.clone(),
            unverified: unverified.clone(),
            confirmed_until,
            follows_lapse: follows_lapse.clone(),
            confirmed_from,
            location: format!("{}:{line}", f.path),
            site: f.site(id.span()),
        })
    }

    fn condition(&mut self, f: &'a SourceFile, text: &Spanned<String>) -> Option<(Expr, Vec<usize>)> {
        let map = condition_map(f, text);
        match condition::parse(text.get_ref()) {
            Ok(e) => Some((e, map)),
            Err(e) => {
                let at = |o: usize| map.get(o).copied().unwrap_or(text.span().start);
                let span = at(e.span.start)..at(e.span.end);
                let d = f.error(Code::E0320, span, e.message).with_help_opt(e.help);
                self.diags.push(d);
                None
            }
        }
    }

    fn country(&mut self, f: &'a SourceFile, c: &Spanned<String>) -> Option<Country> {
        f.parse_at(Code::E0330, c, &mut self.diags)
    }

    fn group_ref(&mut self, f: &'a SourceFile, g: &Spanned<String>) -> Option<String> {
        if self.groups.groups.contains_key(g.get_ref()) {
            return Some(g.get_ref().clone());
        }
        let help = did_you_mean(g.get_ref(), self.groups.groups.keys().map(String::as_str))
            .map(|s| format!("did you mean `{s}`?"));
        let known: Vec<&str> = self.groups.groups.keys().map(String::as_str).collect();
        let d = f
            .error(
                Code::E0331,
                g.span(),
                format!("unknown country group `{}`; the pack defines {}", g.get_ref(), known.join(", ")),
            )
            .with_help_opt(help);
        self.diags.push(d);
        None
    }

    fn destinations(&mut self, f: &'a SourceFile, d: &Spanned<DestinationsFile>) -> Destinations {
        let v = d.get_ref();
        if v.groups.is_empty() && v.countries.is_empty() && v.except_groups.is_empty() && v.except_countries.is_empty()
        {
            let msg =
                "destinations are empty; name `groups` or `countries`, or only exceptions for \"everywhere except\"";
            self.err(f, Code::E0332, d.span(), msg);
        }
        let groups: Vec<_> = v.groups.iter().map(|g| (self.group_ref(f, g), g.span())).collect();
        let countries: Vec<_> = v.countries.iter().map(|c| (self.country(f, c), c.span())).collect();
        let except_groups: Vec<_> = v.except_groups.iter().map(|g| (self.group_ref(f, g), g.span())).collect();
        let except_countries: Vec<_> = v.except_countries.iter().map(|c| (self.country(f, c), c.span())).collect();
        self.note_repeats(f, "groups", &groups);
        self.note_repeats(f, "countries", &countries);
        self.note_repeats(f, "except_groups", &except_groups);
        self.note_repeats(f, "except_countries", &except_countries);
        Destinations {
            groups: groups.into_iter().filter_map(|(g, _)| g).collect(),
            countries: countries.into_iter().filter_map(|(c, _)| c).collect(),
            except_groups: except_groups.into_iter().filter_map(|(g, _)| g).collect(),
            except_countries: except_countries.into_iter().filter_map(|(c, _)| c).collect(),
        }
    }

    /// Records each name of one list of a destination set (`key`) that an earlier element of
    /// the list already names (as resolved: a group id, a country), with where both are
    /// written, for the lint (L017). Names that did not resolve are errors already.
    fn note_repeats<T: PartialEq + std::fmt::Display>(
        &mut self,
        f: &'a SourceFile,
        key: &'static str,
        list: &[(Option<T>, Range<usize>)],
    ) {
        for (i, (name, span)) in list.iter().enumerate() {
            let Some(name) = name else { continue };
            let first = list.iter().take(i).find(|(earlier, _)| earlier.as_ref() == Some(name));
            if let Some((_, first)) = first {
                self.repeated.push(super::RepeatedName {
                    key,
                    name: name.to_string(),
                    site: f.site(span.clone()),
                    first: f.site(first.clone()),
                });
            }
        }
    }

    #[allow(clippy::type_complexity)]
    fn scope(
        &mut self,
        f: &'a SourceFile,
        destinations: &Option<Spanned<DestinationsFile>>,
        parties: &Option<Spanned<file::PartiesFile>>,
        products: &Option<Spanned<Vec<Spanned<String>>>>,
        kinds: &Option<Spanned<Vec<Spanned<String>>>>,
    ) -> Scope {
        let destinations = destinations.as_ref().map(|d| self.destinations(f, d));
        let parties = parties.as_ref().map(|p| self.party_filter(f, p));
        let products = products.as_ref().map(|v| {
            self.non_empty(f, "products", v);
            v.get_ref().iter().map(|p| p.get_ref().clone()).collect()
        });
        let transaction_kinds = kinds.as_ref().map(|v| {
            self.non_empty(f, "transaction_kinds", v);
            v.get_ref()
                .iter()
                .filter_map(|k| {
                    let found = TransactionKind::ALL.into_iter().find(|x| x.as_str() == k.get_ref());
                    if found.is_none() {
                        let names = TransactionKind::ALL.map(TransactionKind::as_str);
                        self.err(
                            f,
                            Code::E0350,
                            k.span(),
                            format!("unknown transaction kind `{}`; expected one of {}", k.get_ref(), names.join(", ")),
                        );
                    }
                    found
                })
                .collect()
        });
        Scope { destinations, parties, products, transaction_kinds, regions: None }
    }

    /// A licence requirement's `regions` (15 CFR 746.6): known names, and Ukraine alone as
    /// destination (E0360).
    fn regions(
        &mut self,
        f: &'a SourceFile,
        regions: &Option<Spanned<Vec<Spanned<String>>>>,
        destinations: &Option<Spanned<DestinationsFile>>,
    ) -> Option<Vec<crate::model::Region>> {
        let list = regions.as_ref()?;
        self.non_empty(f, "regions", list);
        let list = list.get_ref();
        let ukraine = destinations.as_ref().is_some_and(|d| {
            let d = d.get_ref();
            d.groups.is_empty()
                && d.except_groups.is_empty()
                && d.except_countries.is_empty()
                && d.countries.len() == 1
                && d.countries.iter().all(|c| c.get_ref() == "UA")
        });
        let mut out = Vec::new();
        for r in list {
            match crate::model::Region::parse(r.get_ref()) {
                Some(region) if ukraine => out.push(region),
                Some(_) => self.err(
                    f,
                    Code::E0360,
                    r.span(),
                    "`regions` are regions of Ukraine: give `destinations = { countries = [\"UA\"] }` alone",
                ),
                None => {
                    let names = crate::model::Region::ALL.map(crate::model::Region::as_str);
                    let msg = format!("unknown region `{}`; expected one of {}", r.get_ref(), names.join(", "));
                    self.err(f, Code::E0360, r.span(), msg);
                }
            }
        }
        Some(out)
    }

    /// A set-valued key written as an empty list (E0243): the rule would match nothing, so
    /// the requirement, exception, review policy or notice would silently never apply.
    fn non_empty(&mut self, f: &'a SourceFile, key: &str, list: &Spanned<Vec<Spanned<String>>>) {
        if list.get_ref().is_empty() {
            let msg = format!(
                "`{key} = []` names nothing, so the rule would apply to nothing; list what it concerns, or leave `{key}` out to mean any"
            );
            self.err(f, Code::E0243, list.span(), msg);
        }
    }

    fn party_filter(&mut self, f: &'a SourceFile, p: &Spanned<file::PartiesFile>) -> PartyFilter {
        let v = p.get_ref();
        let roles = v.roles.as_ref().map(|rs| {
            self.non_empty(f, "roles", rs);
            rs.get_ref()
                .iter()
                .filter_map(|r| {
                    let found = Role::parse(r.get_ref());
                    if found.is_none() {
                        let names = Role::ALL.map(Role::as_str);
                        let help = did_you_mean(r.get_ref(), names).map(|s| format!("did you mean `{s}`?"));
                        let d = f
                            .error(
                                Code::E0351,
                                r.span(),
                                format!("unknown role `{}`; expected one of {}", r.get_ref(), names.join(", ")),
                            )
                            .with_help_opt(help);
                        self.diags.push(d);
                    }
                    found
                })
                .collect()
        });
        let end_uses = v.end_uses.as_ref().map(|es| {
            self.non_empty(f, "end_uses", es);
            es.get_ref()
                .iter()
                .filter_map(|e| match EndUse::parse(e.get_ref()) {
                    Ok(u) => Some(u),
                    Err(unknown) => {
                        let d = f.error(Code::E0352, e.span(), unknown.to_string()).with_help_opt(unknown.help());
                        self.diags.push(d);
                        None
                    }
                })
                .collect()
        });
        let mut list_ref = |l: &Spanned<String>| {
            self.list_refs.push(Ref { file: f, span: l.span(), id: l.get_ref().clone() });
            l.get_ref().clone()
        };
        let listed_on = v.listed_on.as_ref().map(&mut list_ref);
        let owned = v.owned_by_listed.as_ref().map(|o| (list_ref(&o.list), o));
        let owned_by_listed = owned.and_then(|(list, o)| {
            let raw = crate::number::slice(&f.text, &o.percent.span());
            match crate::number::exact_decimal(o.percent.get_ref(), &raw, &["%"]) {
                Ok(pct) if pct <= rust_decimal::Decimal::ONE_HUNDRED => Some((list, pct)),
                Ok(_) => {
                    self.err(f, Code::E0353, o.percent.span(), "a percentage must be between 0 and 100");
                    None
                }
                Err(m) => {
                    self.err(f, Code::E0353, o.percent.span(), m);
                    None
                }
            }
        });
        let located_in = v.located_in.as_ref().map(|d| self.destinations(f, d));
        let headquartered_in = v.headquartered_in.as_ref().map(|d| self.destinations(f, d));
        let for_headquartered_in = v.for_headquartered_in.as_ref().map(|d| self.destinations(f, d));
        let end_use_in = v.end_use_in.as_ref().map(|d| self.destinations(f, d));
        if v.roles.is_none()
            && v.located_in.is_none()
            && v.headquartered_in.is_none()
            && v.for_headquartered_in.is_none()
            && v.listed_on.is_none()
            && v.owned_by_listed.is_none()
            && v.end_uses.is_none()
            && v.end_use_in.is_none()
        {
            self.err(f, Code::E0354, p.span(), "`parties` names no condition; give roles, located_in, headquartered_in, for_headquartered_in, listed_on, owned_by_listed or end_uses");
        }
        PartyFilter {
            roles,
            located_in,
            headquartered_in,
            for_headquartered_in,
            listed_on,
            owned_by_listed,
            end_uses,
            end_use_in,
        }
    }

    fn screening_list(&mut self, f: &'a SourceFile, r: &file::ScreeningListRule) {
        let as_of = match &r.as_of {
            Some(d) => match f.date_at(Code::E0310, d, &mut self.diags) {
                Some(d) => Some(d),
                None => return,
            },
            None => None,
        };
        if r.complete && as_of.is_none() {
            self.err(
                f,
                Code::E0359,
                r.list.span(),
                format!(
                    "`{}` is declared complete without `as_of`: a complete list is a dated import",
                    r.list.get_ref()
                ),
            );
            return;
        }
        if r.source.get_ref().trim().is_empty() {
            self.err(
                f,
                Code::E0313,
                r.source.span(),
                "`source` is empty; name the file imported or how the entries were encoded",
            );
        }
        let list = r.list.get_ref();
        if !self.lists.iter().any(|e| &e.list == list) {
            let mut names: Vec<String> = self.lists.iter().map(|e| e.list.clone()).collect();
            names.dedup();
            let help = did_you_mean(list, names.iter().map(String::as_str)).map(|s| format!("did you mean `{s}`?"));
            let d = f
                .error(Code::E0358, r.list.span(), format!("no [[list_entry]] belongs to a list named `{list}`"))
                .with_help_opt(help);
            self.diags.push(d);
            return;
        }
        let (line, _) = f.line_col(r.list.span().start);
        self.screening_lists.push(ScreeningList {
            list: list.clone(),
            name: r.name.clone(),
            complete: r.complete,
            as_of,
            source: r.source.get_ref().clone(),
            location: format!("{}:{line}", f.path),
        });
    }

    fn list_entry(&mut self, f: &'a SourceFile, r: &file::ListEntryRule) {
        let period = match &r.from {
            Some(from) => self.period(f, from, &r.until),
            // Not published: in force from the start (an entry of the list is never dropped
            // for want of a date).
            None => match (&r.until, self.opt_date(f, &r.until)) {
                (Some(_), None) => None,
                (_, until) => Date::from_ymd(1, 1, 1).ok().map(|from| Period { from, until }),
            },
        };
        if r.source.get_ref().trim().is_empty() {
            self.err(
                f,
                Code::E0313,
                r.source.span(),
                "`source` is empty; cite the Federal Register rule that added the entry",
            );
        }
        let mut countries = Vec::new();
        for c in r.country.iter().chain(r.countries.iter()) {
            if let Some(c) = self.country(f, c)
                && !countries.contains(&c)
            {
                countries.push(c);
            }
        }
        let review_policy = r.review_policy.as_ref().and_then(|p| self.policy(f, p));
        let footnote = r.footnote.as_ref().and_then(|n| match *n.get_ref() {
            4 => Some(4),
            5 => Some(5),
            other => {
                self.err(
                    f,
                    Code::E0355,
                    n.span(),
                    format!("footnote {other}: only the FDP footnotes 4 and 5 are recognised"),
                );
                None
            }
        });
        if self.lists.iter().any(|e| e.id == *r.id.get_ref()) {
            self.err(f, Code::E0356, r.id.span(), format!("list entry `{}` is defined twice", r.id.get_ref()));
        }
        let mut keys = vec![normalize_name(&r.name)];
        keys.extend(r.aliases.iter().map(|a| normalize_name(a)));
        let mut lookalikes = Vec::new();
        for k in std::iter::once(&r.name).chain(&r.aliases).flat_map(|n| crate::names::lookalike_keys(n)) {
            if !lookalikes.contains(&k) {
                lookalikes.push(k);
            }
        }
        let mut folded: Vec<String> = Vec::with_capacity(keys.len());
        for k in keys.iter().map(|k| crate::names::fold_key(k)) {
            if !folded.contains(&k) {
                folded.push(k);
            }
        }
        if let Some(period) = period {
            self.lists.push(ListEntry {
                list: r.list.get_ref().clone(),
                id: r.id.get_ref().clone(),
                name: r.name.clone(),
                aliases: r.aliases.clone(),
                countries,
                source: r.source.get_ref().clone(),
                period,
                license_requirement: r.license_requirement.clone(),
                review_policy,
                footnote,
                note: r.note.clone(),
                unverified: r.unverified.clone(),
                keys,
                lookalikes,
                folded,
                site: f.site(r.list.span()),
            });
        }
    }

    fn items(&mut self, f: &'a SourceFile, v: &Spanned<toml::Value>) -> Items {
        match v.get_ref() {
            toml::Value::String(s) if s == "all" => Items::All,
            toml::Value::Array(a) if !a.is_empty() && a.iter().all(|x| x.is_str()) => {
                let list: Vec<String> = a.iter().filter_map(|x| x.as_str().map(str::to_string)).collect();
                let raw = f.text.get(v.span()).unwrap_or("");
                for id in &list {
                    // Point at the item itself when it is written as a plain string.
                    let span = match raw.find(&format!("\"{id}\"")) {
                        Some(at) => v.span().start + at..v.span().start + at + id.len() + 2,
                        None => v.span(),
                    };
                    self.item_refs.push(Ref { file: f, span, id: id.clone() });
                }
                Items::List(list)
            }
            _ => {
                self.err(
                    f,
                    Code::E0333,
                    v.span(),
                    "`items` must be \"all\" or a non-empty list of ECCNs, e.g. [\"3A090.a\", \"4A090.a\"]",
                );
                Items::List(Vec::new())
            }
        }
    }

    fn pack(&mut self, f: &'a SourceFile, sha256: String, files: Vec<(String, String)>) -> Option<PackInfo> {
        let p: PackFile = match toml::from_str(&f.text) {
            Ok(p) => p,
            Err(e) => {
                self.diags.push(f.toml_error(&e));
                return None;
            }
        };
        let version = match semver::Version::parse(p.version.get_ref()) {
            Ok(v) => Some(v),
            Err(e) => {
                self.err(
                    f,
                    Code::E0304,
                    p.version.span(),
                    format!("version `{}` is not a semantic version (e.g. 1.2.0): {e}", p.version.get_ref()),
                );
                None
            }
        };
        let engine_ok = self.engine_ok(f, &p.engine)?;
        let coverage_from = self.date(f, &p.coverage_from);
        let researched_until = self.date(f, &p.researched_until);
        if let (Some(from), Some(until)) = (coverage_from, researched_until)
            && until < from
        {
            self.err(
                f,
                Code::E0309,
                p.researched_until.span(),
                format!(
                    "`researched_until` ({until}) is before `coverage_from` ({from}); it is the last day the pack's research covers"
                ),
            );
            return None;
        }
        let aggregation = match &p.aggregation {
            None => super::Aggregation::default(),
            Some(a) => self.aggregation(f, a),
        };
        Some(PackInfo {
            name: p.name.into_inner(),
            title: p.title,
            version: version?.to_string(),
            engine: p.engine.into_inner(),
            sha256,
            files,
            coverage_from: coverage_from.filter(|_| engine_ok)?,
            researched_until: researched_until?,
            scope_notes: p.scope_notes,
            unlocked: None,
            superseded_by: None,
            aggregation,
        })
    }

    /// Whether this engine meets the pack's `engine` requirement (an error otherwise); `None`
    /// when this engine's own version cannot be read.
    fn engine_ok(&mut self, f: &'a SourceFile, engine: &Spanned<String>) -> Option<bool> {
        Some(match semver::VersionReq::parse(engine.get_ref()) {
            Ok(req) => {
                let ours = semver::Version::parse(env!("CARGO_PKG_VERSION")).ok()?;
                if req.matches(&ours) {
                    true
                } else {
                    self.err(
                        f,
                        Code::E0305,
                        engine.span(),
                        format!(
                            "this pack needs engine {} but this is engine {ours}; use a matching engine",
                            engine.get_ref()
                        ),
                    );
                    false
                }
            }
            Err(e) => {
                self.err(
                    f,
                    Code::E0304,
                    engine.span(),
                    format!(
                        "engine requirement `{}` is not a semver requirement (e.g. \"^0.1\"): {e}",
                        engine.get_ref()
                    ),
                );
                false
            }
        })
    }

    /// The pack's reading of separately packaged ICs, checked.
    fn aggregation(&mut self, f: &'a SourceFile, a: &file::AggregationFile) -> super::Aggregation {
        let reading = super::Reading::ALL.into_iter().find(|r| r.as_str() == a.separate_packages.get_ref());
        if reading.is_none() {
            self.err(
                f,
                Code::E0308,
                a.separate_packages.span(),
                format!("unknown reading `{}`; expected `per_ic` or `aggregate`", a.separate_packages.get_ref()),
            );
        }
        if a.source.get_ref().trim().is_empty() {
            self.err(f, Code::E0313, a.source.span(), "`source` is empty; cite where the reading comes from");
        }
        super::Aggregation {
            separate_packages: reading.unwrap_or(super::Reading::PerIc),
            source: a.source.get_ref().clone(),
            note: a.note.clone(),
            unverified: a.unverified.clone(),
        }
    }

    fn group(&mut self, f: &'a SourceFile, g: &file::CountryGroupRule) {
        let id = g.id.get_ref().clone();
        if self.groups.groups.contains_key(&id) {
            self.err(f, Code::E0334, g.id.span(), format!("country group `{id}` is defined twice"));
            return;
        }
        let mut members = BTreeSet::new();
        for m in g.members.get_ref() {
            if let Some(c) = self.country(f, m)
                && !members.insert(c)
            {
                self.err(f, Code::E0335, m.span(), format!("{c} is listed twice in {id}"));
            }
        }
        let mut dated = Vec::new();
        for m in &g.dated_member {
            let c = self.country(f, &m.country);
            let from = match &m.from {
                Some(d) => self.date(f, d),
                None => Date::from_ymd(1900, 1, 1).ok(),
            };
            let until = self.opt_date(f, &m.until);
            if m.from.is_none() && m.until.is_none() {
                self.err(
                    f,
                    Code::E0336,
                    m.country.span(),
                    "a dated member needs `from` or `until`; otherwise list it in `members`",
                );
            }
            if let (Some(c), Some(from)) = (c, from) {
                if members.contains(&c) {
                    self.err(
                        f,
                        Code::E0335,
                        m.country.span(),
                        format!("{c} is both a permanent and a dated member of {id}"),
                    );
                }
                if until.is_some_and(|u| u <= from) {
                    let span = m.until.as_ref().map_or(m.country.span(), |u| u.span());
                    self.err(f, Code::E0311, span, "`until` must be after `from`");
                }
                let cite = match &m.note {
                    Some(n) => format!("{} ({n})", m.source.get_ref()),
                    None => m.source.get_ref().clone(),
                };
                dated.push((c, Period { from, until }, cite));
            }
        }
        let (unverified_members, unverified) = self.unverified_members(f, g, &members, &dated);
        let unverified_dated = self.unverified_periods(f, g, (&members, &dated), &unverified_members);
        self.groups.groups.insert(
            id.clone(),
            CountryGroup {
                id,
                title: g.title.clone(),
                source: g.source.get_ref().clone(),
                note: g.note.clone(),
                members,
                dated,
                unverified_members,
                unverified,
                unverified_dated,
                site: f.site(g.id.span()),
                members_site: f.site(g.members.span()),
            },
        );
    }

    /// A group's unverified members, checked: known countries, each listed once and not also
    /// as a member, with what is unverified and its source.
    fn unverified_members(
        &mut self,
        f: &'a SourceFile,
        g: &file::CountryGroupRule,
        members: &BTreeSet<Country>,
        dated: &[(Country, Period, String)],
    ) -> (BTreeSet<Country>, Option<UnverifiedMembership>) {
        let id = g.id.get_ref();
        let mut out = BTreeSet::new();
        for m in &g.unverified_members {
            let Some(c) = self.country(f, m) else { continue };
            if members.contains(&c) || dated.iter().any(|(d, _, _)| *d == c) {
                self.err(f, Code::E0363, m.span(), format!("{c} is both a member and an unverified member of {id}"));
            } else if !out.insert(c) {
                self.err(f, Code::E0363, m.span(), format!("{c} is listed twice in the unverified members of {id}"));
            }
        }
        let text = |s: &Option<Spanned<String>>| s.as_ref().map(|s| s.get_ref().trim().to_string());
        let (reason, source) = (text(&g.unverified), text(&g.unverified_source));
        if g.unverified_members.is_empty() {
            for s in [&g.unverified, &g.unverified_source].into_iter().flatten() {
                self.err(
                    f,
                    Code::E0365,
                    s.span(),
                    format!("{id} has no `unverified_members`; this field says nothing"),
                );
            }
            return (out, None);
        }
        match (reason, source) {
            (Some(reason), Some(source)) if !reason.is_empty() && !source.is_empty() => {
                (out, Some(UnverifiedMembership { reason, source }))
            }
            _ => {
                let span = g.unverified_members.first().map_or(g.id.span(), |m| m.span());
                self.err(
                    f,
                    Code::E0364,
                    span,
                    "unverified members need `unverified` (what the sources could not confirm) and `unverified_source`",
                );
                (out, None)
            }
        }
    }

    /// A group's memberships unverified for a period (`[[country_group.unverified_member]]`),
    /// checked: a known country, `from` or `until`, `until` after `from`, and a non-empty
    /// `reason` and `source` (E0228, each at the value at fault); a period that overlaps no membership of the
    /// country in the group (permanent, dated, or unverified throughout) and no other
    /// unverified period of it (E0229): on each day a membership is known or unverified,
    /// never both.
    fn unverified_periods(
        &mut self,
        f: &'a SourceFile,
        g: &file::CountryGroupRule,
        (members, dated): (&BTreeSet<Country>, &[(Country, Period, String)]),
        unverified_members: &BTreeSet<Country>,
    ) -> Vec<UnverifiedPeriod> {
        let id = g.id.get_ref();
        let mut out: Vec<UnverifiedPeriod> = Vec::new();
        for m in &g.unverified_member {
            // An unknown country here is this entry's own mistake (E0228), at the code as written.
            let c = match m.country.get_ref().parse::<Country>() {
                Ok(c) => Some(c),
                Err(e) => {
                    let msg = format!("unverified member of {id}: {e}");
                    self.err(f, Code::E0228, m.country.span(), msg);
                    None
                }
            };
            let from = match &m.from {
                Some(d) => self.date(f, d),
                None => Date::from_ymd(1900, 1, 1).ok(),
            };
            let until = self.opt_date(f, &m.until);
            let mut bad = false;
            if m.from.is_none() && m.until.is_none() {
                self.err(
                    f,
                    Code::E0228,
                    m.country.span(),
                    "an unverified member needs `from` or `until` (the days on which its membership is unverified); a membership unverified throughout is listed in `unverified_members`",
                );
                bad = true;
            }
            if let (Some(from), Some(u)) = (from, until)
                && u <= from
            {
                let span = m.until.as_ref().map_or(m.country.span(), |u| u.span());
                self.err(f, Code::E0228, span, "`until` must be after `from`");
                bad = true;
            }
            for (field, text) in [("reason", &m.reason), ("source", &m.source)] {
                if text.get_ref().trim().is_empty() {
                    let what = if field == "reason" {
                        "what the sources leave open about the membership"
                    } else {
                        "where the membership is and is not found"
                    };
                    self.err(f, Code::E0228, text.span(), format!("`{field}` is empty; say {what}"));
                    bad = true;
                }
            }
            let (Some(c), Some(from)) = (c, from) else { continue };
            if bad {
                continue;
            }
            let period = Period { from, until };
            let clash = if members.contains(&c) {
                Some(format!("{c} is a member of {id} throughout"))
            } else if unverified_members.contains(&c) {
                Some(format!("{c} is an unverified member of {id} throughout (`unverified_members`)"))
            } else if let Some((_, p, _)) = dated.iter().find(|(d, p, _)| *d == c && p.overlaps(&period)) {
                Some(format!("{c} is a dated member of {id} {}", shown(p)))
            } else {
                out.iter()
                    .find(|u| u.country == c && u.period.overlaps(&period))
                    .map(|u| format!("{c} is already unverified in {id} {}", shown(&u.period)))
            };
            if let Some(clash) = clash {
                self.err(
                    f,
                    Code::E0229,
                    m.country.span(),
                    format!("{clash}, which overlaps this unverified period {}: on each day a membership is either known or unverified", shown(&period)),
                );
                continue;
            }
            let why = UnverifiedMembership {
                reason: m.reason.get_ref().trim().to_string(),
                source: m.source.get_ref().trim().to_string(),
            };
            out.push(UnverifiedPeriod { country: c, period, why });
        }
        out
    }

    fn treated_as(&mut self, f: &'a SourceFile, t: &file::TreatedAsRule) {
        let c = self.country(f, &t.country);
        let a = self.country(f, &t.treated_as);
        let p = self.period(f, &t.from, &t.until);
        if let (Some(country), Some(as_country), Some(period)) = (c, a, p) {
            if let Some(msg) = treated_as_conflict(&self.groups.treated_as, country, as_country, &period) {
                self.err(f, Code::E0529, t.country.span(), msg);
            }
            self.groups.treated_as.push(TreatedAs {
                country,
                as_country,
                period,
                source: t.source.get_ref().clone(),
                note: t.note.clone(),
            });
        }
    }

    fn classification(&mut self, f: &'a SourceFile, r: &file::ClassificationRule) {
        let meta = self.meta("classification", f, common!(r, r.confirmed_until.as_ref(), r.confirmed_from.as_ref()));
        let mut kinds = Vec::new();
        for k in r.kinds.get_ref() {
            match ProductKind::parse(k.get_ref()) {
                Some(v) => kinds.push(v),
                None => {
                    let names = ProductKind::ALL.map(ProductKind::as_str);
                    let help = did_you_mean(k.get_ref(), names).map(|s| format!("did you mean `{s}`?"));
                    let d = f
                        .error(
                            Code::E0337,
                            k.span(),
                            format!("unknown kind `{}`; expected one of {}", k.get_ref(), names.join(", ")),
                        )
                        .with_help_opt(help);
                    self.diags.push(d);
                }
            }
        }
        if r.kinds.get_ref().is_empty() {
            self.err(
                f,
                Code::E0337,
                r.kinds.span(),
                "`kinds` is empty; name the product kinds this paragraph classifies",
            );
        }
        if !is_under(r.eccn.get_ref(), r.id.get_ref()) {
            self.err(
                f,
                Code::E0338,
                r.eccn.span(),
                format!("paragraph `{}` is not under ECCN `{}`", r.id.get_ref(), r.eccn.get_ref()),
            );
        }
        let when = self.condition(f, &r.when);
        if let (Some(meta), Some((when, map))) = (meta, when) {
            self.class_when.push((f, r.when.span().start));
            self.conditions.push((CondOwner::Classification(self.classifications.len()), f, map));
            self.classifications.push(Classification {
                meta,
                eccn: r.eccn.get_ref().clone(),
                kinds,
                when,
                exclusions: Vec::new(),
            });
        }
    }

    fn exclusion(&mut self, f: &'a SourceFile, r: &file::ExclusionRule) {
        let meta = self.meta("exclusion", f, common!(r, None, None));
        let when = self.condition(f, &r.when);
        if let (Some(meta), Some((when, map))) = (meta, when) {
            let idx = self.exclusions.len();
            for a in &r.applies_to {
                self.exclusion_refs.push((idx, Ref { file: f, span: a.span(), id: a.get_ref().clone() }));
            }
            self.conditions.push((CondOwner::Exclusion(idx), f, map));
            let applies_to = r.applies_to.iter().map(|a| a.get_ref().clone()).collect();
            self.exclusions.push(Exclusion { meta, applies_to, when });
        }
    }

    fn policy(&mut self, f: &'a SourceFile, p: &Spanned<String>) -> Option<ReviewPolicy> {
        let found = ReviewPolicy::ALL.into_iter().find(|x| x.as_str() == p.get_ref());
        if found.is_none() {
            let names = ReviewPolicy::ALL.map(ReviewPolicy::as_str);
            let help = did_you_mean(p.get_ref(), names).map(|s| format!("did you mean `{s}`?"));
            let d = f
                .error(
                    Code::E0339,
                    p.span(),
                    format!("unknown review policy `{}`; expected one of {}", p.get_ref(), names.join(", ")),
                )
                .with_help_opt(help);
            self.diags.push(d);
        }
        found
    }

    /// A licence requirement's `reason`, from its closed vocabulary (E0361 with did-you-mean).
    fn reason(&mut self, f: &'a SourceFile, r: &Spanned<String>) -> Option<ControlReason> {
        let found = ControlReason::parse(r.get_ref());
        if found.is_none() {
            let names = ControlReason::ALL.map(ControlReason::as_str);
            let help = ControlReason::suggest(r.get_ref()).map(|s| format!("did you mean `{s}`?"));
            let d = f
                .error(
                    Code::E0361,
                    r.span(),
                    format!(
                        "unknown reason `{}`; expected a reason for control of 15 CFR 738.2(d)(2) or the part of the EAR imposing the requirement: {}",
                        r.get_ref(),
                        names.join(", ")
                    ),
                )
                .with_help_opt(help);
            self.diags.push(d);
        }
        found
    }

    fn opt_condition(
        &mut self,
        f: &'a SourceFile,
        w: &Option<Spanned<String>>,
    ) -> (Option<Expr>, Option<Vec<usize>>, bool) {
        match w {
            None => (None, None, true),
            Some(w) => match self.condition(f, w) {
                Some((e, off)) => (Some(e), Some(off), true),
                None => (None, None, false),
            },
        }
    }

    fn requirement(&mut self, f: &'a SourceFile, r: &file::RequirementRule) {
        let meta =
            self.meta("license_requirement", f, common!(r, r.confirmed_until.as_ref(), r.confirmed_from.as_ref()));
        let items = self.items(f, &r.items);
        let mut scope = self.scope(f, &r.destinations, &r.parties, &r.products, &r.transaction_kinds);
        scope.regions = self.regions(f, &r.regions, &r.destinations);
        let (when, offset, ok) = self.opt_condition(f, &r.when);
        let review_policy = r.review_policy.as_ref().and_then(|p| self.policy(f, p));
        let reason = self.reason(f, &r.reason);
        if let (Some(meta), Some(reason), true) = (meta, reason, ok) {
            if let Some(off) = offset {
                self.conditions.push((CondOwner::Requirement(self.requirements.len()), f, off));
            }
            let succeeds = r.succeeds.as_ref().map(|s| {
                self.succession_refs.push(Ref { file: f, span: s.span(), id: s.get_ref().clone() });
                s.get_ref().clone()
            });
            let predates_from = r.predates_from.clone();
            self.requirements.push(Requirement {
                meta,
                reason,
                items,
                scope,
                when,
                review_policy,
                succeeds,
                predates_from,
            });
        }
    }

    fn exception(&mut self, f: &'a SourceFile, r: &file::ExceptionRule) {
        let meta = self.meta("license_exception", f, common!(r, r.confirmed_until.as_ref(), r.confirmed_from.as_ref()));
        let items = self.items(f, &r.items);
        let scope = self.scope(f, &r.destinations, &r.parties, &r.products, &r.transaction_kinds);
        let (when, offset, ok) = self.opt_condition(f, &r.when);
        for o in r.overcomes.get_ref() {
            self.requirement_refs.push(Ref { file: f, span: o.span(), id: o.get_ref().clone() });
        }
        for o in &r.unavailable_with {
            self.requirement_refs.push(Ref { file: f, span: o.span(), id: o.get_ref().clone() });
        }
        if r.overcomes.get_ref().is_empty() {
            self.err(
                f,
                Code::E0340,
                r.overcomes.span(),
                "`overcomes` is empty; name the licence requirements this exception overcomes",
            );
        }
        if let (Some(meta), true) = (meta, ok) {
            if let Some(off) = offset {
                self.conditions.push((CondOwner::Exception(self.exceptions.len()), f, off));
            }
            self.exceptions.push(LicenseException {
                meta,
                name: r.name.clone(),
                overcomes: r.overcomes.get_ref().iter().map(|o| o.get_ref().clone()).collect(),
                items,
                scope,
                when,
                unavailable_with: r.unavailable_with.iter().map(|o| o.get_ref().clone()).collect(),
                obligations: r.obligations.clone(),
                one_consignee_and_end_user: r.one_consignee_and_end_user,
            });
        }
    }

    fn review_policy(&mut self, f: &'a SourceFile, r: &file::ReviewPolicyRule) {
        let meta = self.meta("review_policy", f, common!(r, r.confirmed_until.as_ref(), r.confirmed_from.as_ref()));
        let policy = self.policy(f, &r.policy);
        let scope = self.scope(f, &r.destinations, &r.parties, &r.products, &r.transaction_kinds);
        let (when, offset, ok) = self.opt_condition(f, &r.when);
        for a in &r.applies_to {
            self.requirement_refs.push(Ref { file: f, span: a.span(), id: a.get_ref().clone() });
        }
        for s in &r.supersedes {
            self.policy_refs.push(Ref { file: f, span: s.span(), id: s.get_ref().clone() });
        }
        if let (Some(meta), Some(policy), true) = (meta, policy, ok) {
            if let Some(off) = offset {
                self.conditions.push((CondOwner::ReviewPolicy(self.review_policies.len()), f, off));
            }
            self.review_policies.push(ReviewPolicyRule {
                meta,
                applies_to: r.applies_to.iter().map(|a| a.get_ref().clone()).collect(),
                policy,
                scope,
                when,
                obligations: r.obligations.clone(),
                supersedes: r.supersedes.iter().map(|s| s.get_ref().clone()).collect(),
            });
        }
    }

    fn notice(&mut self, f: &'a SourceFile, r: &file::NoticeRule) {
        let meta = self.meta("notice", f, common!(r, r.confirmed_until.as_ref(), r.confirmed_from.as_ref()));
        let scope = self.scope(f, &r.destinations, &r.parties, &r.products, &r.transaction_kinds);
        let (when, map, ok) = self.opt_condition(f, &r.when);
        if let (Some(meta), true) = (meta, ok) {
            if let Some(map) = map {
                self.conditions.push((CondOwner::Notice(self.notices.len()), f, map));
            }
            self.notices.push(Notice { meta, scope, when });
        }
    }

    /// Resolves references between rules, checks id overlaps and `meets` cycles, and orders
    /// classification rules by dependency.
    fn link(&mut self) {
        self.check_overlapping_ids();
        // A rule or file that failed already makes references to it look unresolved; report
        // those only once the primary errors are fixed, so each mistake gives one message.
        let quiet = !self.diags.is_empty();
        let before = self.diags.len();
        let paragraphs: Vec<String> = self.classifications.iter().map(|c| c.meta.id.clone()).collect();
        let suggest = |id: &str, all: &[String]| nearest_id(id, all).map(|s| format!("did you mean `{s}`?"));

        for r in std::mem::take(&mut self.item_refs) {
            let eccn_known =
                self.classifications.iter().any(|c| is_under(&r.id, &c.eccn) || is_under(&r.id, &c.meta.id));
            if !eccn_known {
                let d = r
                    .file
                    .error(Code::E0341, r.span, format!("no classification rule defines `{}`", r.id))
                    .with_help_opt(suggest(&r.id, &paragraphs));
                self.diags.push(d);
            }
        }
        for (idx, r) in std::mem::take(&mut self.exclusion_refs) {
            if let Some(d) = unresolved(&r, &paragraphs, Code::E0342, "classification paragraph") {
                self.diags.push(d);
                continue;
            }
            for c in &mut self.classifications {
                if names_rule(&r.id, &c.meta.id) && !c.exclusions.contains(&idx) {
                    c.exclusions.push(idx);
                }
            }
        }
        let req_ids: Vec<String> = self.requirements.iter().map(|r| r.meta.id.clone()).collect();
        for r in std::mem::take(&mut self.requirement_refs) {
            if let Some(d) = unresolved(&r, &req_ids, Code::E0343, "licence requirement") {
                self.diags.push(d);
            }
        }
        for r in std::mem::take(&mut self.succession_refs) {
            if !req_ids.contains(&r.id) {
                let d = r
                    .file
                    .error(Code::E0244, r.span, format!("`succeeds` names no licence requirement: `{}`", r.id))
                    .with_help_opt(suggest(&r.id, &req_ids));
                self.diags.push(d);
            }
        }
        let list_ids: Vec<String> = self.lists.iter().map(|e| e.list.clone()).collect();
        for r in std::mem::take(&mut self.list_refs) {
            if !list_ids.contains(&r.id) {
                let d = r
                    .file
                    .error(Code::E0357, r.span, format!("no [[list_entry]] belongs to a list named `{}`", r.id))
                    .with_help_opt(suggest(&r.id, &list_ids));
                self.diags.push(d);
            }
        }
        let policy_ids: Vec<String> = self.review_policies.iter().map(|r| r.meta.id.clone()).collect();
        for r in std::mem::take(&mut self.policy_refs) {
            if let Some(d) = unresolved(&r, &policy_ids, Code::E0344, "review policy") {
                self.diags.push(d);
            }
        }
        self.resolve_meets(&paragraphs);
        if quiet {
            self.diags.truncate(before);
        }
        self.order_classifications();
    }

    fn check_overlapping_ids(&mut self) {
        let ids = std::mem::take(&mut self.ids);
        // Group by (kind, id): linear in the number of rules.
        let mut seen: std::collections::HashMap<(&str, &str), Vec<usize>> = std::collections::HashMap::new();
        for (i, (kind, id, period, file, span)) in ids.iter().enumerate() {
            let versions = seen.entry((kind, id.as_str())).or_default();
            if let Some(&j) = versions.iter().find(|&&j| ids.get(j).is_some_and(|o| o.2.overlaps(period)))
                && let Some((_, _, other, ofile, ospan)) = ids.get(j)
            {
                let (line, column) = ofile.line_col(ospan.start);
                let d = file
                    .error(
                        Code::E0345,
                        span.clone(),
                        format!(
                            "{kind} `{id}` is already in force over part of this period (from {}, at {}:{line}:{column})",
                            other.from, ofile.path
                        ),
                    )
                    .with_help("give the earlier version an `until` date no later than this version's `from`");
                self.diags.push(d);
            }
            versions.push(i);
        }
    }

    fn resolve_meets(&mut self, paragraphs: &[String]) {
        let conds = std::mem::take(&mut self.conditions);
        for (owner, file, map) in conds {
            let expr: &mut Expr = match owner {
                CondOwner::Classification(i) => match self.classifications.get_mut(i) {
                    Some(c) => &mut c.when,
                    None => continue,
                },
                CondOwner::Exclusion(i) => match self.exclusions.get_mut(i) {
                    Some(x) => &mut x.when,
                    None => continue,
                },
                CondOwner::Requirement(i) => match self.requirements.get_mut(i).and_then(|r| r.when.as_mut()) {
                    Some(e) => e,
                    None => continue,
                },
                CondOwner::Exception(i) => match self.exceptions.get_mut(i).and_then(|r| r.when.as_mut()) {
                    Some(e) => e,
                    None => continue,
                },
                CondOwner::ReviewPolicy(i) => match self.review_policies.get_mut(i).and_then(|r| r.when.as_mut()) {
                    Some(e) => e,
                    None => continue,
                },
                CondOwner::Notice(i) => match self.notices.get_mut(i).and_then(|r| r.when.as_mut()) {
                    Some(e) => e,
                    None => continue,
                },
            };
            let mut found = Vec::new();
            expr.visit_meets_mut(&mut |prefix, span, rules| {
                let targets: Vec<usize> =
                    paragraphs.iter().enumerate().filter(|(_, p)| is_under(prefix, p)).map(|(i, _)| i).collect();
                if targets.is_empty() {
                    found.push((prefix.to_string(), span.clone()));
                }
                *rules = targets;
            });
            let at = |o: usize| map.get(o).or(map.last()).copied().unwrap_or(0);
            for (prefix, span) in found {
                let help = did_you_mean(&prefix, paragraphs.iter().map(String::as_str))
                    .map(|s| format!("did you mean `{s}`?"));
                let d = file
                    .error(
                        Code::E0346,
                        at(span.start)..at(span.end),
                        format!("meets(\"{prefix}\") names no classification paragraph"),
                    )
                    .with_help_opt(help);
                self.diags.push(d);
            }
        }
    }

    /// Orders classification rules so that each comes after every rule its conditions (and its
    /// exclusions' conditions) reach through `meets`; reports cycles.
    fn order_classifications(&mut self) {
        let (starts, deps) = self.meets_dependencies();
        match dependency_order(&starts, &deps) {
            Ok(order) => self.reorder_classifications(&order),
            Err((node, dep)) => self.report_cycle(node, dep),
        }
    }

    /// The classification rules in a canonical order (id, then start date), so that the order
    /// built does not depend on how rules are arranged within a file; and for each rule, the
    /// rules its conditions and its exclusions' conditions reach through `meets`, in that order.
    // Indexes here are the compiler's own (0..n over the rules it built), never user input.
    #[allow(clippy::indexing_slicing)]
    fn meets_dependencies(&self) -> (Vec<usize>, Vec<Vec<usize>>) {
        let key = |i: usize| (self.classifications[i].meta.id.clone(), self.classifications[i].meta.period.from);
        let deps: Vec<Vec<usize>> = self
            .classifications
            .iter()
            .map(|c| {
                let mut d = Vec::new();
                c.when.meets_targets(&mut d);
                for x in c.exclusions.iter().filter_map(|&x| self.exclusions.get(x)) {
                    x.when.meets_targets(&mut d);
                }
                d.sort_by_key(|&i| key(i));
                d
            })
            .collect();
        let mut starts: Vec<usize> = (0..self.classifications.len()).collect();
        starts.sort_by_key(|&i| key(i));
        (starts, deps)
    }

    /// Reports a classification rule that depends on itself through `meets` (found on `node`
    /// reaching `dep`).
    #[allow(clippy::indexing_slicing)]
    fn report_cycle(&mut self, node: usize, dep: usize) {
        let c = &self.classifications[node];
        let message = format!(
            "`{}` depends on itself through meets(...) (via `{}`)",
            c.meta.id, self.classifications[dep].meta.id
        );
        let d = match self.class_when.get(node) {
            Some((file, at)) => file.error(Code::E0347, *at..*at + 1, message),
            None => SourceFile::new(c.meta.location.clone(), "").file_error(Code::E0347, message),
        };
        self.diags
            .push(d.with_help("a paragraph's parameters may not depend on themselves; remove one of the meets(...)"));
    }

    /// Puts the classification rules in `order` (old indexes) and renumbers every `meets`
    /// reference of every condition.
    #[allow(clippy::indexing_slicing)]
    fn reorder_classifications(&mut self, order: &[usize]) {
        let mut remap = vec![0usize; self.classifications.len()];
        for (new, &old) in order.iter().enumerate() {
            remap[old] = new;
        }
        let mut old: Vec<Option<Classification>> =
            std::mem::take(&mut self.classifications).into_iter().map(Some).collect();
        self.classifications = order.iter().filter_map(|&i| old[i].take()).collect();
        let fix = |e: &mut Expr| {
            e.visit_meets_mut(&mut |_, _, rules| {
                for r in rules.iter_mut() {
                    *r = remap[*r];
                }
            });
        };
        self.classifications.iter_mut().for_each(|c| fix(&mut c.when));
        self.exclusions.iter_mut().for_each(|x| fix(&mut x.when));
        self.requirements.iter_mut().filter_map(|r| r.when.as_mut()).for_each(fix);
        self.exceptions.iter_mut().filter_map(|r| r.when.as_mut()).for_each(fix);
        self.review_policies.iter_mut().filter_map(|r| r.when.as_mut()).for_each(fix);
        self.notices.iter_mut().filter_map(|r| r.when.as_mut()).for_each(fix);
    }
}

/// A depth-first order of the rules in which each comes after its dependencies (`deps`, by
/// index), visiting from `starts` in order; or the first cycle found, as the rule and the
/// dependency that closes it.
// Indexes here are the compiler's own (0..n over the rules it built), never user input.
#[allow(clippy::indexing_slicing)]
fn dependency_order(starts: &[usize], deps: &[Vec<usize>]) -> Result<Vec<usize>, (usize, usize)> {
    let mut state = vec![0u8; deps.len()]; // 0 new, 1 visiting, 2 done
    let mut order = Vec::with_capacity(deps.len());
    for &start in starts {
        let mut stack = vec![(start, 0usize)];
        while let Some((node, next)) = stack.pop() {
            if next == 0 {
                if state[node] == 2 {
                    continue;
                }
                state[node] = 1;
            }
            if let Some(&dep) = deps[node].get(next) {
                stack.push((node, next + 1));
                match state[dep] {
                    0 => stack.push((dep, 0)),
                    1 => return Err((node, dep)),
                    _ => {}
                }
            } else {
                state[node] = 2;
                order.push(node);
            }
        }
    }
    Ok(order)
}

/// The error for a rule reference that names no rule of `ids` (`what` they are): an exact id
/// that no rule has (with the nearest id, or, when rules sit under it, how to name them as a
/// family), or a family (`746.*`) with no rule under it.
/// The rule id `id` was most likely meant to be: one that differs from it only in punctuation
/// and case (`744.23(a)3` for `744.23(a)(3)`), before the nearest by edit distance, which may tie
/// with another paragraph (`744.22(a)`, as near to `744.23(a)3`).
fn nearest_id<'a>(id: &str, ids: &'a [String]) -> Option<&'a str> {
    let skeleton = |s: &str| s.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_ascii_lowercase();
    let bare = skeleton(id);
    ids.iter()
        .find(|a| skeleton(a) == bare)
        .map(String::as_str)
        .or_else(|| did_you_mean(id, ids.iter().map(String::as_str)))
}

fn unresolved(r: &Ref<'_>, ids: &[String], code: Code, what: &str) -> Option<Diagnostic> {
    if ids.iter().any(|id| names_rule(&r.id, id)) {
        return None;
    }
    let family = r.id.strip_suffix('*');
    let message = match (family, code) {
        (Some(f), _) => format!("no {what} is under `{}`", f.trim_end_matches(['.', '/', ' '])),
        (None, Code::E0342) => format!("exclusion applies to unknown paragraph `{}`", r.id),
        (None, _) => format!("no {what} has the id `{}`", r.id),
    };
    let under = family.is_none() && ids.iter().any(|id| is_under(&r.id, id));
    let help = if under {
        Some(format!(
            "rules sit under `{0}`: to name all of them write `\"{0}.*\"` (a reference names one rule unless it ends in `*`)",
            r.id
        ))
    } else if family.is_none() {
        nearest_id(&r.id, ids).map(|s| format!("did you mean `{s}`?"))
    } else {
        None
    };
    Some(r.file.error(code, r.span.clone(), message).with_help_opt(help))
}

/// Maps byte offsets in a condition string's value to byte offsets in the file, so that
/// condition errors point at the exact line and column even in multi-line strings and strings
/// with escapes. Returns, for each byte of the value (and one past its end), its file offset.
fn condition_map(f: &SourceFile, text: &Spanned<String>) -> Vec<usize> {
    let span = text.span();
    let raw = f.text.get(span.clone()).unwrap_or("");
    match decoded_offsets(raw) {
        Some(map) if map.len() == text.get_ref().len() + 1 => map.into_iter().map(|o| span.start + o).collect(),
        _ => vec![span.start; text.get_ref().len() + 1],
    }
}

/// For a TOML string literal `raw` (quotes included), the offset in `raw` of each byte of the
/// decoded value, plus the offset of the closing quotes. `None` if `raw` is not a string.
// Every index is checked against `end`, which is within `raw`.
#[allow(clippy::indexing_slicing)]
fn decoded_offsets(raw: &str) -> Option<Vec<usize>> {
    let q = ["\"\"\"", "'''", "\"", "'"]
        .into_iter()
        .find(|q| raw.len() >= 2 * q.len() && raw.starts_with(q) && raw.ends_with(q))?;
    let literal = q.starts_with('\'');
    let multiline = q.len() == 3;
    let b = raw.as_bytes();
    let end = raw.len() - q.len();
    let mut i = q.len();
    if multiline {
        if raw[i..].starts_with("\r\n") {
            i += 2;
        } else if raw[i..].starts_with('\n') {
            i += 1;
        }
    }
    let mut map = Vec::new();
    while i < end {
        if !literal && b[i] == b'\\' {
            match *b.get(i + 1)? {
                c @ (b'u' | b'U') => {
                    let n = if c == b'u' { 4 } else { 8 };
                    let ch = char::from_u32(u32::from_str_radix(raw.get(i + 2..i + 2 + n)?, 16).ok()?)?;
                    map.extend(std::iter::repeat_n(i, ch.len_utf8()));
                    i += 2 + n;
                }
                b' ' | b'\t' | b'\n' | b'\r' if multiline => {
                    i += 1;
                    while i < end && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r') {
                        i += 1;
                    }
                }
                _ => {
                    map.push(i);
                    i += 2;
                }
            }
        } else {
            map.push(i);
            i += 1;
        }
    }
    map.push(end);
    Some(map)
}

/// A period as a diagnostic names it: `from 2025-11-07 until 2026-02-03` (`until` exclusive),
/// a bound left out not shown.
fn shown(p: &Period) -> String {
    let open_start = Date::from_ymd(1900, 1, 1).is_ok_and(|d| p.from <= d);
    match (open_start, p.until) {
        (false, Some(u)) => format!("(from {} until {u})", p.from),
        (false, None) => format!("(from {})", p.from),
        (true, Some(u)) => format!("(until {u})"),
        (true, None) => "(throughout)".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::decoded_offsets;

    #[test]
    fn offsets_follow_escapes_and_multiline_strings() {
        // "a\tb": value bytes a, TAB, b at raw offsets 1, 2 (the backslash), 4.
        assert_eq!(decoded_offsets(r#""a\tb""#), Some(vec![1, 2, 4, 5]));
        // \u0074 is one byte `t` written with six characters.
        assert_eq!(decoded_offsets(r#""\u0074p""#), Some(vec![1, 7, 8]));
        // A newline right after the opening quotes is not part of the value.
        assert_eq!(decoded_offsets("\"\"\"\nab\"\"\""), Some(vec![4, 5, 6]));
        // A line-ending backslash swallows the newline and the indentation.
        assert_eq!(decoded_offsets("\"\"\"a \\\n   b\"\"\""), Some(vec![3, 4, 10, 11]));
        assert_eq!(decoded_offsets("'a\\b'"), Some(vec![1, 2, 3, 4]));
        assert_eq!(decoded_offsets("5"), None);
    }
}
