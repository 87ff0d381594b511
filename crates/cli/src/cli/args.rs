//! Argument groups shared by several subcommands (brought in with `#[command(flatten)]`), and
//! the loading and lookups behind them.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use export_controls::audit::{PackOptions, pack_status_with};
use export_controls::catalog::{did_you_mean_text, read_sheet_file};
use export_controls::diagnostic::Code;
use export_controls::files::display_path;
use export_controls::model::Exporter;
use export_controls::{Catalog, Country, Date, PreparedProduct, RuleSet};

use super::exit::{Failure, input, usage};

/// `--rules DIR [--unlocked]`: the rule pack that makes determinations.
#[derive(Args)]
pub struct RulesArgs {
    /// Rule pack directory (holding pack.toml and rules.lock). Default: the shipped us-ear
    /// pack. A pack whose files differ from its rules.lock, or that has none, is refused
    /// unless --unlocked is given.
    #[arg(long)]
    pub rules: Option<PathBuf>,
    /// Use a --rules pack that differs from its rules.lock (or has none): every determination
    /// is then marked as made under an unlocked pack (`rules.unlocked` and a scope line).
    #[arg(long, requires = "rules")]
    pub unlocked: bool,
    /// Use a --rules pack that is an older release of the shipped pack (superseded; refused
    /// otherwise, E0527): every determination then says `SUPERSEDED PACK:` first in its scope.
    /// `replay` and `records verify` need no flag to replay records made with it.
    #[arg(long, requires = "rules")]
    pub superseded: bool,
}

impl RulesArgs {
    /// Loads the pack to make determinations: the shipped one, or the --rules directory if it
    /// matches its rules.lock (with --unlocked, whatever it holds, marked as unlocked) and is
    /// not a superseded release (with --superseded, marked as superseded).
    pub fn load(&self) -> Result<RuleSet, Failure> {
        self.load_with(PackOptions { allow_superseded: self.superseded, replay: false })
    }

    /// Loads the pack to replay records made with it (`replay`, `records verify`): a
    /// superseded release is accepted without --superseded ([`PackOptions::replay`]).
    pub fn load_for_replay(&self) -> Result<RuleSet, Failure> {
        self.load_with(PackOptions { allow_superseded: false, replay: true })
    }

    fn load_with(&self, options: PackOptions) -> Result<RuleSet, Failure> {
        let Some(dir) = self.rules.as_deref() else { return load_rules(None) };
        check_pack_dir(dir)?;
        let status = pack_status_with(dir, options)?;
        if let Some(warning) = &status.superseded {
            let lead = if status.rules.superseded_by().is_some() { "SUPERSEDED PACK: " } else { "" };
            eprintln!("warning: {lead}{warning}");
        }
        if status.is_locked() {
            return Ok(status.rules);
        }
        let shown = display_path(dir);
        if !self.unlocked {
            let list: String = status.differences.iter().map(|d| format!("\n  {d}")).collect();
            return Err(input(format!(
                "{shown} differs from its rules.lock, so its name and version do not stand for its rules:{list}\nreview the change and run `export-controls lock {shown}`, or pass --unlocked to have every determination marked as made under an unlocked pack"
            )));
        }
        let mut rules = status.rules;
        rules.mark_unlocked(&status.differences.join("; "));
        Ok(rules)
    }
}

/// `--exporter-front-end-fabricator-or-osat yes|no`: what the exporter is, for Note 1 to
/// 3A090.a (90 FR 5298, from 2025-01-31).
#[derive(Args)]
pub struct ExporterArgs {
    /// Whether the exporter is a front-end fabricator or an OSAT (outsourced assembly and test)
    /// company, which must presume an advanced logic IC is 3A090.a (Note 1 to 3A090.a, from
    /// 2025-01-31). Not given: unknown, and a verdict it could change is indeterminate, missing
    /// exporter.front_end_fabricator_or_osat. In a transaction file:
    /// exporter = { front_end_fabricator_or_osat = false }.
    #[arg(long, value_enum, value_name = "yes|no")]
    pub exporter_front_end_fabricator_or_osat: Option<YesNo>,
}

/// A stated yes or no.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum YesNo {
    // Yes.
    Yes,
    // No.
    No,
}

impl ExporterArgs {
    /// Whether anything was given.
    pub fn given(&self) -> bool {
        self.exporter_front_end_fabricator_or_osat.is_some()
    }

    /// The exporter as stated (unknown when not given).
    pub fn exporter(&self) -> Exporter {
        Exporter {
            front_end_fabricator_or_osat: self.exporter_front_end_fabricator_or_osat.map(|v| v == YesNo::Yes),
            ..Exporter::default()
        }
    }
}

/// `[PACK_DIR]` of `lint`, `test`, `lock` and `verify`: the pack as edited on disk.
#[derive(Args)]
pub struct PackDirArgs {
    /// Rule pack directory (holding pack.toml). Default: rules/us-ear, the shipped pack's
    /// source in a checkout of this repository.
    #[arg(default_value = DEFAULT_PACK_DIR)]
    pub dir: PathBuf,
}

/// The pack directory `lint`, `test`, `lock` and `verify` use when none is given.
pub const DEFAULT_PACK_DIR: &str = "rules/us-ear";

/// `--catalog DIR`: the product catalog.
#[derive(Args)]
pub struct CatalogArgs {
    /// Product catalog directory. Default: the shipped catalog.
    #[arg(long)]
    pub catalog: Option<PathBuf>,
}

impl CatalogArgs {
    /// Loads the catalog.
    pub fn load(&self) -> Result<Catalog, Failure> {
        match &self.catalog {
            Some(d) => Ok(Catalog::load_dir(d)?),
            None => Catalog::shipped().map_err(input),
        }
    }
}

/// `--format text|json`.
#[derive(Args)]
pub struct FormatArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

/// Text for people, JSON for programs.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    // Plain text.
    Text,
    // Pretty-printed JSON.
    Json,
}

/// `--date YYYY-MM-DD`: the as-of date, named as a transaction file and `POST /v1/screen` name
/// it (`date`); `--on`, its name before tester round 15 (D1), is accepted as an alias.
#[derive(Args)]
pub struct OnArgs {
    /// As-of date (date of export), YYYY-MM-DD, the transaction file's `date`. Default: today
    /// (UTC).
    #[arg(long = "date", visible_alias = "on", value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
}

impl OnArgs {
    /// The date given, or today (UTC).
    pub fn date(&self) -> Result<Date, Failure> {
        date_flag(self.date.as_deref(), "date")
    }
}

/// `--products a,b --destinations CN,MO`: what to go through.
#[derive(Args)]
pub struct SelectionArgs {
    /// Product ids, comma-separated (default: the whole catalog).
    #[arg(long, value_delimiter = ',')]
    pub products: Vec<String>,
    /// Destinations, comma-separated ISO codes (default: every country but the US).
    #[arg(long, value_delimiter = ',')]
    pub destinations: Vec<String>,
}

impl SelectionArgs {
    /// The products given, from the catalog, in the order given.
    pub fn products<'c>(&self, catalog: &'c Catalog) -> Result<Vec<&'c PreparedProduct>, Failure> {
        let mut chosen = Vec::with_capacity(self.products.len());
        for id in &self.products {
            if id.trim().is_empty() {
                return Err(empty_item("--products", "product id", "the whole catalog"));
            }
            chosen.push(catalog_product(catalog, id).map_err(|m| usage(format!("--products: {m}")))?);
        }
        Ok(chosen)
    }

    /// The destinations given, in the order given.
    pub fn destinations(&self) -> Result<Vec<Country>, Failure> {
        self.destinations
            .iter()
            .map(|d| {
                if d.trim().is_empty() {
                    return Err(empty_item("--destinations", "country code", "every country but the US"));
                }
                country(d, "destinations")
            })
            .collect()
    }

    /// As [`SelectionArgs::destinations`], refusing the United States: the country of export.
    pub fn destinations_abroad(&self) -> Result<Vec<Country>, Failure> {
        let mut out = Vec::with_capacity(self.destinations.len());
        for d in &self.destinations {
            if d.trim().is_empty() {
                return Err(empty_item("--destinations", "country code", "every country but the US"));
            }
            let c = country(d, "destinations")?;
            if c.is_united_states() {
                return Err(usage(format!(
                    "--destinations {c}: the United States (with Puerto Rico and the territories, 15 CFR 772.1) is the country of export; give destinations abroad"
                )));
            }
            out.push(c);
        }
        Ok(out)
    }
}

/// Loads the pack in `dir` (the shipped pack when `None`), refusing a path that is not a pack
/// directory as a usage error. The lock is not checked: `lint`, `test` and `impact` review
/// packs before they are locked.
pub fn load_rules(dir: Option<&Path>) -> Result<RuleSet, Failure> {
    let Some(d) = dir else { return Ok(RuleSet::shipped()?) };
    check_pack_dir(d)?;
    Ok(RuleSet::load_dir(d)?)
}

/// Refuses, as a usage error, a path that is not a pack directory.
pub fn check_pack_dir(d: &Path) -> Result<(), Failure> {
    let shown = display_path(d);
    if d.is_file() {
        return Err(usage(format!("{shown} is a file: give the rule pack's directory (the one holding pack.toml)")));
    }
    if !d.is_dir() {
        let hint = if d == Path::new(DEFAULT_PACK_DIR) {
            " (the default, for a checkout of the repository: give the pack directory)"
        } else {
            " (give the rule pack's directory)"
        };
        return Err(usage(format!("{shown}: no such directory{hint}")));
    }
    if !d.join("pack.toml").exists() {
        return Err(usage(format!("{shown} is not a rule pack: it has no pack.toml")));
    }
    Ok(())
}

/// The catalog's product `id`, or the message `` unknown product `id` (did you mean `x`?) ``.
pub fn catalog_product<'c>(catalog: &'c Catalog, id: &str) -> Result<&'c PreparedProduct, String> {
    catalog.get(id).ok_or_else(|| {
        let hint = did_you_mean_text(&catalog.suggest(id)).map(|s| format!(" ({s})")).unwrap_or_default();
        format!("unknown product `{id}`{hint}")
    })
}

/// `--product`: a catalog id, or the path of a product sheet. Anything that is not a catalog
/// id but names something on disk (a directory, a device such as `/dev/zero`, a FIFO, a
/// dangling link) is read as a sheet path, so that its error is the file's (not a regular
/// file, too large, not UTF-8), not "unknown product" (tester12 T11). The read is bounded
/// ([`read_sheet_file`]): a device is refused before a byte is read.
pub fn load_product(arg: &str, catalog: &Catalog) -> Result<PreparedProduct, Failure> {
    let unknown = match catalog_product(catalog, arg) {
        Ok(p) => return Ok(p.clone()),
        Err(unknown) => unknown,
    };
    let path = Path::new(arg);
    if arg.ends_with(".toml") || std::fs::symlink_metadata(path).is_ok() {
        let src = read_sheet_file(path)?;
        return Ok(catalog.prepare_sheet(&src)?);
    }
    Err(usage(format!("{unknown}; run `export-controls products` for the catalog, or give a sheet path")))
}

/// The usage error (E0533) of an empty item in a list flag (`--products ""`, `--products a,`):
/// never read as all, which is the flag left out (`all`: what that takes; tester15 D3).
pub fn empty_item(flag: &str, item: &str, all: &str) -> Failure {
    usage(format!(
        "{flag}: an empty {item} (check for a doubled or trailing comma, or an empty list); leave {flag} out for {all}"
    ))
    .with_code(Code::E0533)
}

/// A country code given with `--{flag}`.
pub fn country(arg: &str, flag: &str) -> Result<Country, Failure> {
    arg.parse::<Country>().map_err(|e| usage(format!("--{flag}: {e}")))
}

/// A date given with `--{flag}`, or today (UTC).
pub fn date_flag(arg: Option<&str>, flag: &str) -> Result<Date, Failure> {
    match arg {
        Some(s) => s.parse::<Date>().map_err(|e| usage(format!("--{flag}: {e}"))),
        None => Ok(Date::today_utc()),
    }
}
