//! Argument groups shared by several subcommands (brought in with `#[command(flatten)]`), and
//! the loading and lookups behind them.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use export_controls::catalog::read_sheet_file;
use export_controls::{Catalog, Country, Date, PreparedProduct, RuleSet};

use super::exit::{Failure, input, usage};

/// `--rules DIR`: the rule pack.
#[derive(Args)]
pub struct RulesArgs {
    /// Rule pack directory (holding pack.toml). Default: the shipped us-ear pack.
    #[arg(long)]
    pub rules: Option<PathBuf>,
}

impl RulesArgs {
    /// Loads the pack.
    pub fn load(&self) -> Result<RuleSet, Failure> {
        load_rules(self.rules.as_deref())
    }
}

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

/// `--on YYYY-MM-DD`: the as-of date.
#[derive(Args)]
pub struct OnArgs {
    /// As-of date (date of export), YYYY-MM-DD. Default: today (UTC).
    #[arg(long)]
    pub on: Option<String>,
}

impl OnArgs {
    /// The date given, or today (UTC).
    pub fn date(&self) -> Result<Date, Failure> {
        date_flag(self.on.as_deref(), "on")
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
                return Err(usage("--products: an empty product id (check for a doubled or trailing comma)"));
            }
            chosen.push(catalog_product(catalog, id).map_err(|m| usage(format!("--products: {m}")))?);
        }
        Ok(chosen)
    }

    /// The destinations given, in the order given.
    pub fn destinations(&self) -> Result<Vec<Country>, Failure> {
        self.destinations.iter().map(|d| country(d, "destinations")).collect()
    }

    /// As [`SelectionArgs::destinations`], refusing the United States: the country of export.
    pub fn destinations_abroad(&self) -> Result<Vec<Country>, Failure> {
        let mut out = Vec::with_capacity(self.destinations.len());
        for d in &self.destinations {
            let c = country(d, "destinations")?;
            if c == Country::US {
                return Err(usage(
                    "--destinations US: the United States is the country of export; give destinations abroad",
                ));
            }
            out.push(c);
        }
        Ok(out)
    }
}

/// Loads the pack in `dir` (the shipped pack when `None`), refusing a path that is not a pack
/// directory as a usage error.
pub fn load_rules(dir: Option<&Path>) -> Result<RuleSet, Failure> {
    let Some(d) = dir else { return Ok(RuleSet::shipped()?) };
    if d.is_file() {
        return Err(usage(format!(
            "{} is a file: give the rule pack's directory (the one holding pack.toml)",
            d.display()
        )));
    }
    if !d.is_dir() {
        return Err(usage(format!("{}: no such directory (give the rule pack's directory)", d.display())));
    }
    if !d.join("pack.toml").is_file() {
        return Err(usage(format!("{} is not a rule pack: it has no pack.toml", d.display())));
    }
    Ok(RuleSet::load_dir(d)?)
}

/// The catalog's product `id`, or the message `` unknown product `id` (did you mean `x`?) ``.
pub fn catalog_product<'c>(catalog: &'c Catalog, id: &str) -> Result<&'c PreparedProduct, String> {
    catalog.get(id).ok_or_else(|| {
        let hint = catalog.suggest(id).map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default();
        format!("unknown product `{id}`{hint}")
    })
}

/// `--product`: a catalog id, or the path of a product sheet.
pub fn load_product(arg: &str, catalog: &Catalog) -> Result<PreparedProduct, Failure> {
    let unknown = match catalog_product(catalog, arg) {
        Ok(p) => return Ok(p.clone()),
        Err(unknown) => unknown,
    };
    let path = Path::new(arg);
    if arg.ends_with(".toml") || path.is_file() {
        let src = read_sheet_file(path)?;
        return Ok(catalog.prepare_sheet(&src)?);
    }
    Err(usage(format!("{unknown}; run `export-controls products` for the catalog, or give a sheet path")))
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
