//! The rule pack and catalog a server answers with: loaded once, verified against the pack's
//! `rules.lock` (the reviewed state, `export-controls verify`), compiled for the fast path and
//! shared by every request. [`SharedPack::reload`] (on SIGHUP) swaps in a new pack only when it
//! loads and verifies; otherwise the old one keeps serving.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use export_controls::audit::Lock;
use export_controls::{Catalog, ClassifiedProduct, CompiledPack, Date, LoadError, PreparedProduct, RuleSet};

/// The lock file of the shipped pack, embedded like the pack itself.
const SHIPPED_LOCK: &str = include_str!("../../../rules/us-ear/rules.lock");

/// Where the pack and the catalog come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackSource {
    /// Rule pack directory (holding `pack.toml` and `rules.lock`); `None`: the shipped
    /// `us-ear` pack embedded in the library.
    pub rules: Option<PathBuf>,
    /// Product catalog directory; `None`: the shipped catalog.
    pub catalog: Option<PathBuf>,
    /// Serve a `rules` pack that is an older release of the embedded pack (superseded) rather
    /// than refuse it (E0527, [`PackError::Superseded`]), at start and at every reload: every
    /// determination then says `SUPERSEDED PACK:` first in its scope
    /// ([`export_controls::audit::PackOptions::allow_superseded`]). `false`: refused.
    pub allow_superseded: bool,
}

/// Why a pack was refused.
#[derive(Debug, thiserror::Error)]
pub enum PackError {
    /// The pack or the catalog did not load (I/O error or invalid rule files).
    #[error("{0}")]
    Load(#[from] LoadError),
    /// The catalog did not load.
    #[error("catalog: {0}")]
    Catalog(String),
    /// `rules.lock` is missing or unreadable.
    #[error("{path}: {message}; run `export-controls lock` after review")]
    Lock {
        /// The lock file's path.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// The pack differs from its lock: an unreviewed rule change.
    #[error("the pack differs from its rules.lock (an unreviewed change): {}", .0.join("; "))]
    Unverified(Vec<String>),
    /// The pack is an older release of the embedded pack and [`PackSource::allow_superseded`]
    /// is not set: E0527 at the `version` line of its `pack.toml`.
    #[error("{0}")]
    Superseded(LoadError),
}

/// A verified pack, compiled, with the catalog classified against it.
#[derive(Debug)]
pub struct LoadedPack {
    /// The compiled pack (its [`RuleSet`] is `compiled.rules()`).
    pub compiled: CompiledPack,
    /// The catalog.
    pub catalog: Catalog,
    /// Each catalog product classified for the fast path, in catalog (id) order.
    pub classified: Vec<ClassifiedProduct>,
    /// Last day of the regulation the pack reflects (its cut-off), see [`cut_off`].
    pub cut_off: Date,
    /// Where it came from.
    pub source: PackSource,
    /// When the pack is an older version of the pack embedded in this program, the warning
    /// that says so ([`export_controls::audit::Lock::superseded_by_shipped`]): given on
    /// standard error at load and by `GET /v1/rules` (`superseded`), so that a client is told
    /// too (tester12 T11). `None` for the current pack or another pack.
    pub superseded: Option<String>,
    /// For each catalog product resting on catalog sheets (its own, those it contains), the
    /// JSON of those sheets as a record's request carries them under
    /// [`crate::records::sheets::KEY`] (`[{"id","sha256","sheet"}, ...]`), written once here
    /// rather than for each request ([`LoadedPack::catalog_sheets_json`]).
    sheets_json: HashMap<String, String>,
    /// For each catalog product, its JSON as a determination's `inputs.product` holds it,
    /// written once here rather than for each determination ([`LoadedPack::product_splice`]).
    splices: HashMap<String, crate::pretty::Splice>,
    /// Every rule's fixed text in a trace entry, written once, on the first determination
    /// (once the pack is where it stays; [`LoadedPack::trace_text`]).
    trace_text: std::sync::OnceLock<export_controls::evaluate::TraceText>,
}

impl LoadedPack {
    /// Loads, verifies and compiles the pack and catalog named by `source`.
    ///
    /// # Errors
    /// [`PackError`] when either does not load, the lock is missing or the pack differs from it.
    pub fn load(source: &PackSource) -> Result<LoadedPack, PackError> {
        // The pack as it is now (its rule files and rule tests) and the lock it was reviewed under.
        let (rules, now, lock_text, lock_path) = match &source.rules {
            Some(dir) => {
                let (rules, now) = Lock::of_dir(dir)?;
                let path = dir.join("rules.lock");
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| PackError::Lock { path: path.display().to_string(), message: e.to_string() })?;
                (rules, now, text, path.display().to_string())
            }
            None => (
                RuleSet::shipped()?,
                Lock::shipped()?,
                SHIPPED_LOCK.to_string(),
                "rules/us-ear/rules.lock (shipped)".to_string(),
            ),
        };
        let lock = Lock::parse(&lock_text).map_err(|message| PackError::Lock { path: lock_path.clone(), message })?;
        let mut diffs = lock.differences(&now);
        diffs.extend(now.impersonates_shipped());
        let superseded = now.superseded_by_shipped();
        if !diffs.is_empty() {
            return Err(PackError::Unverified(diffs));
        }
        let mut rules = rules;
        if let (Some(by), Some(dir)) = (now.superseding(), &source.rules) {
            if !source.allow_superseded
                && let Some(refusal) = export_controls::audit::superseded_refusal(dir, &now)
            {
                return Err(PackError::Superseded(refusal));
            }
            rules.mark_superseded(&by);
        }
        if let Some(warning) = &superseded {
            eprintln!("warning: SUPERSEDED PACK: {warning}");
        }
        let mut catalog = match &source.catalog {
            Some(dir) => Catalog::load_dir(dir)?,
            None => Catalog::shipped().map_err(|d| PackError::Catalog(d.to_string()))?,
        };
        // Each product's name and vendor compared with the rules' names once, not per request.
        catalog.remember_text_matches(&rules);
        let cut_off = cut_off(&rules);
        let compiled = CompiledPack::new(rules);
        let classified = catalog.iter().map(|p| compiled.classify_product(p.clone())).collect();
        let sheets_json = catalog
            .iter()
            .filter_map(|p| {
                let sheets = crate::records::sheets::of(&catalog, p.product());
                let json = serde_json::to_string(&sheets).ok()?;
                (!sheets.is_empty()).then(|| (p.product().id.clone(), json))
            })
            .collect();
        let splices = catalog
            .iter()
            .filter_map(|p| Some((p.product().id.clone(), crate::pretty::Splice::of(p.product()).ok()?)))
            .collect();
        Ok(LoadedPack {
            compiled,
            catalog,
            classified,
            cut_off,
            source: source.clone(),
            superseded,
            sheets_json,
            splices,
            trace_text: std::sync::OnceLock::new(),
        })
    }

    /// The rule set.
    pub fn rules(&self) -> &RuleSet {
        self.compiled.rules()
    }

    /// Every rule's fixed text in a trace entry ([`export_controls::evaluate::TraceText`]), written on
    /// the first call, of the rule set where it then is: a determination's trace copies it
    /// ([`crate::determine::determination_json_of`]). Should the pack be moved after that, the
    /// text is not used (the trace is written from the rules: the same bytes, more work).
    pub fn trace_text(&self) -> &export_controls::evaluate::TraceText {
        self.trace_text.get_or_init(|| export_controls::evaluate::TraceText::of(self.rules()))
    }

    /// The JSON of the catalog sheets the catalog product `id` rests on
    /// ([`crate::records::sheets::of`], as a record's request carries them), written when the
    /// pack was loaded; `None` for an id the catalog does not hold or a product resting on no
    /// sheet.
    pub fn catalog_sheets_json(&self, id: &str) -> Option<&str> {
        self.sheets_json.get(id).map(String::as_str)
    }

    /// The JSON of `product` as a determination's `inputs.product` holds it, written when the
    /// pack was loaded ([`crate::pretty::to_vec_pretty`]): `Some` only when `product` is
    /// a catalog product as the catalog holds it (compared field by field, so that a sheet
    /// sent inline, even under a catalog id, is written from its own figures).
    pub fn product_splice(&self, product: &PreparedProduct) -> Option<&crate::pretty::Splice> {
        let p = product.product();
        let splice = self.splices.get(&p.id)?;
        (self.catalog.get(&p.id)?.product() == p).then_some(splice)
    }

    /// The classified catalog product with this id.
    pub fn classified(&self, id: &str) -> Option<&ClassifiedProduct> {
        self.classified.iter().find(|c| c.product().product().id == id)
    }
}

/// The last day of the regulation a pack reflects: the day before a general notice whose id
/// names a cut-off (the shipped pack's "Reference cut-off", in force from the day after the last
/// Federal Register rule encoded), else the last date on which a rule, exclusion, requirement,
/// exception, review policy or notice starts or ends that is not after today.
pub fn cut_off(rules: &RuleSet) -> Date {
    let notice = rules.notices().iter().find(|n| {
        let s = &n.scope;
        n.meta.id.to_ascii_lowercase().contains("cut-off")
            && s.destinations.is_none()
            && s.parties.is_none()
            && s.products.is_none()
            && n.when.is_none()
    });
    if let Some(d) = notice.and_then(|n| n.meta.period.from.prev_day()) {
        return d;
    }
    let today = Date::today_utc();
    change_dates(rules).into_iter().rfind(|d| *d <= today).unwrap_or(rules.pack().coverage_from)
}

/// Every date on which a rule of the pack starts or stops being in force (classifications,
/// exclusions, licence requirements, exceptions, review policies, notices, list entries), in
/// order: the dates on which a determination can change.
pub fn change_dates(rules: &RuleSet) -> BTreeSet<Date> {
    let metas = rules
        .classifications()
        .iter()
        .map(|r| &r.meta)
        .chain(rules.exclusions().iter().map(|r| &r.meta))
        .chain(rules.requirements().iter().map(|r| &r.meta))
        .chain(rules.exceptions().iter().map(|r| &r.meta))
        .chain(rules.review_policies().iter().map(|r| &r.meta))
        .chain(rules.notices().iter().map(|r| &r.meta));
    let mut out = BTreeSet::new();
    for m in metas {
        out.insert(m.period.from);
        if let Some(u) = m.period.until {
            out.insert(u);
        }
    }
    for e in rules.lists() {
        out.insert(e.period.from);
        if let Some(u) = e.period.until {
            out.insert(u);
        }
    }
    out
}

/// The pack a server answers with, swapped atomically on reload. Requests take an `Arc` of the
/// current pack, so a request started before a reload finishes with the pack it started with.
#[derive(Debug)]
pub struct SharedPack {
    current: RwLock<Arc<LoadedPack>>,
}

impl SharedPack {
    /// Wraps a loaded pack.
    pub fn new(pack: LoadedPack) -> Self {
        SharedPack { current: RwLock::new(Arc::new(pack)) }
    }

    /// The pack in force now.
    pub fn get(&self) -> Arc<LoadedPack> {
        match self.current.read() {
            Ok(g) => Arc::clone(&g),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Loads the pack again from its source and, if it loads and verifies, serves it from now
    /// on. On error the pack in force stays and the error is returned.
    ///
    /// # Errors
    /// [`PackError`] from [`LoadedPack::load`].
    pub fn reload(&self) -> Result<Arc<LoadedPack>, PackError> {
        let source = self.get().source.clone();
        let new = Arc::new(LoadedPack::load(&source)?);
        match self.current.write() {
            Ok(mut g) => *g = Arc::clone(&new),
            Err(poisoned) => *poisoned.into_inner() = Arc::clone(&new),
        }
        Ok(new)
    }
}

/// Whether `dir` looks like a rule pack directory (holds `pack.toml`).
pub fn is_pack_dir(dir: &Path) -> bool {
    dir.join("pack.toml").is_file()
}
