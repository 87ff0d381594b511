//! `export-controls`: command-line front end. Argument parsing and rendering only; every
//! decision is made by the library.
//!
//! Exit codes: 0 a determination (or listing, or passing test run) was made, whatever the
//! verdict; 1 rule tests failed; 2 usage error; 3 rule or input error.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use export_controls::audit::{Lock, ReplayError, replay};
use export_controls::catalog::read_sheet_file;
use export_controls::impact::{ImpactQuery, PartyProfile, Side, impact, render};
use export_controls::model::{Party, Role, Transaction, check_parties, parse_product_sheet};
use export_controls::rule_tests::{parse_test_files, read_test_dir, run_cases, shipped_test_files, split_sheets};
use export_controls::ruleset::{Diagnostic, Diagnostics};
use export_controls::{Catalog, Country, Date, LoadError, Options, PreparedProduct, Query, RuleSet};
use export_controls::{csl, lint};

/// Appends a line to the output buffer.
macro_rules! outln {
    ($out:expr, $($arg:tt)*) => {{
        use std::fmt::Write as _;
        let _ = writeln!($out, $($arg)*);
    }};
}

/// Appends text to the output buffer.
macro_rules! outp {
    ($out:expr, $($arg:tt)*) => {{
        use std::fmt::Write as _;
        let _ = write!($out, $($arg)*);
    }};
}

#[derive(Parser)]
#[command(
    name = "export-controls",
    version,
    about = "US export-control (EAR advanced computing) determinations from dated, cited TOML rules"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// How errors in rule files, sheets and arguments are printed on standard error.
    #[arg(long, global = true, value_enum, default_value = "human")]
    error_format: ErrorFormat,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum ErrorFormat {
    Human,
    Json,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum TestFormat {
    Human,
    Json,
    Junit,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum ScreenFormat {
    Csv,
    Json,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    Text,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Determine whether exporting a product to a destination on a date needs a licence.
    Check {
        /// Catalog id (see `products`) or path to a product sheet (.toml).
        #[arg(long, required_unless_present = "transaction")]
        product: Option<String>,
        /// Destination, ISO 3166-1 alpha-2 (e.g. CN, HK, MO).
        #[arg(long, required_unless_present = "transaction")]
        to: Option<String>,
        /// As-of date (date of export), YYYY-MM-DD. Default: today (UTC).
        #[arg(long)]
        on: Option<String>,
        /// Country of export, ISO 3166-1 alpha-2. Default: US (an export); another country
        /// makes a reexport, the destination itself an in-country transfer.
        #[arg(long)]
        from: Option<String>,
        /// A transaction file (TOML or JSON) with product, destination, date and parties;
        /// --product, --to, --on, --from and --party given as well override or add to it.
        #[arg(long)]
        transaction: Option<PathBuf>,
        /// A party, repeatable: role=purchaser|intermediate_consignee|ultimate_consignee|end_user
        /// and optional name=..., country=CC, hq=CC, parent_hq=CC, list=ENTRY_ID (repeatable),
        /// end_use=... (repeatable; as `end_uses` in transaction files)
        #[arg(long = "party", value_name = "role=...,country=...,hq=...,parent_hq=...")]
        parties: Vec<String>,
        /// Rule pack directory (holding pack.toml). Default: the shipped us-ear pack.
        #[arg(long)]
        rules: Option<PathBuf>,
        /// Product catalog directory. Default: the shipped catalog.
        #[arg(long)]
        catalog: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// In text output, list every rule tried.
        #[arg(long)]
        trace: bool,
        /// Print only the decisive path in plain language.
        #[arg(long)]
        explain: bool,
    },
    /// Classify a product (ECCN paragraphs) on a date, whatever the destination.
    Classify {
        /// Catalog id or path to a product sheet.
        #[arg(long)]
        product: String,
        /// As-of date, YYYY-MM-DD. Default: today (UTC).
        #[arg(long)]
        on: Option<String>,
        /// Rule pack directory. Default: the shipped pack.
        #[arg(long)]
        rules: Option<PathBuf>,
        /// Product catalog directory. Default: the shipped catalog.
        #[arg(long)]
        catalog: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// List the product catalog with TPP and performance density.
    Products {
        /// Product catalog directory. Default: the shipped catalog.
        #[arg(long)]
        catalog: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// List every product × destination (× party profile) whose determination differs between
    /// two dates, or between two rule packs, with the rules that changed it.
    Impact {
        /// As-of date of the "before" side (default: --on, else today).
        #[arg(long)]
        before: Option<String>,
        /// As-of date of the "after" side (default: --on, else today).
        #[arg(long)]
        after: Option<String>,
        /// Date for both sides when comparing two rule packs.
        #[arg(long)]
        on: Option<String>,
        /// Rule pack for the "before" side (default: the shipped pack).
        #[arg(long)]
        rules_before: Option<PathBuf>,
        /// Rule pack for the "after" side (default: the shipped pack).
        #[arg(long)]
        rules_after: Option<PathBuf>,
        /// Product ids, comma-separated (default: the whole catalog).
        #[arg(long, value_delimiter = ',')]
        products: Vec<String>,
        /// Destinations, comma-separated ISO codes (default: every country but the US).
        #[arg(long, value_delimiter = ',')]
        destinations: Vec<String>,
        /// Party profiles: `destination` (no parties) or `standard` (also a local company and a
        /// company with a China-headquartered parent).
        #[arg(long, default_value = "destination")]
        profiles: String,
        /// Product catalog directory. Default: the shipped catalog.
        #[arg(long)]
        catalog: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Screen products × destinations on a date on the fast path (destination rules only, no
    /// parties): one row per product and destination with the verdict, the paragraphs that
    /// classify the product and the licence requirements that apply. `check` explains any row.
    Screen {
        /// As-of date, YYYY-MM-DD. Default: today (UTC).
        #[arg(long)]
        on: Option<String>,
        /// Product ids, comma-separated (default: the whole catalog).
        #[arg(long, value_delimiter = ',')]
        products: Vec<String>,
        /// Destinations, comma-separated ISO codes (default: every country but the US).
        #[arg(long, value_delimiter = ',')]
        destinations: Vec<String>,
        /// Rule pack directory. Default: the shipped pack.
        #[arg(long)]
        rules: Option<PathBuf>,
        /// Product catalog directory. Default: the shipped catalog.
        #[arg(long)]
        catalog: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value = "csv")]
        format: ScreenFormat,
    },
    /// Convert a trade.gov Consolidated Screening List file (JSON or CSV) into Entity List
    /// entries for a rule pack (`[[list_entry]]` TOML), written to standard output.
    ImportCsl {
        /// The CSL file (consolidated.json or consolidated.csv).
        file: PathBuf,
    },
    /// Check a rule pack for likely mistakes (band gaps, impossible conditions, duplicate
    /// paragraphs, dates before publication, unused groups). Exit 1 on errors, 3 if the pack
    /// does not load.
    Lint {
        /// Rule pack directory. Default: the shipped pack.
        dir: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Write DIR/rules.lock: the pack's content hash and each file's sha256.
    Lock {
        /// Rule pack directory.
        #[arg(default_value = "rules/us-ear")]
        dir: PathBuf,
    },
    /// Check a pack against its DIR/rules.lock; exit 1 when a rule file changed since it was
    /// locked (an unreviewed change).
    Verify {
        /// Rule pack directory.
        #[arg(default_value = "rules/us-ear")]
        dir: PathBuf,
    },
    /// Re-evaluate a determination (JSON from `check --format json`) with the pack that made it
    /// and check every value is the same. Exit 1 when it differs, naming the first difference.
    Replay {
        /// The determination JSON file.
        file: PathBuf,
        /// Rule pack directory (must have the recorded sha256). Default: the shipped pack.
        #[arg(long)]
        rules: Option<PathBuf>,
    },
    /// Run the rule tests of a pack (DIR/tests/*.toml); ends with `N passed, M failed`.
    Test {
        /// Rule pack directory. Default: the shipped pack and its tests.
        dir: Option<PathBuf>,
        /// Product catalog directory. Default: the shipped catalog.
        #[arg(long)]
        catalog: Option<PathBuf>,
        /// Run only cases whose name contains this text.
        #[arg(long)]
        filter: Option<String>,
        /// Report format: human (with rule coverage), json, or junit (XML for CI systems).
        #[arg(long, value_enum, default_value = "human")]
        format: TestFormat,
    },
}

/// A failure with its exit code, and the diagnostics behind it when there are some.
struct Failure {
    code: u8,
    message: String,
    diagnostics: Vec<Diagnostic>,
}

fn usage(message: impl Into<String>) -> Failure {
    Failure { code: 2, message: message.into(), diagnostics: Vec::new() }
}

fn input(message: impl std::fmt::Display) -> Failure {
    Failure { code: 3, message: message.to_string(), diagnostics: Vec::new() }
}

impl From<LoadError> for Failure {
    fn from(e: LoadError) -> Self {
        match e {
            LoadError::Invalid(d) => Failure { code: 3, message: d.to_string(), diagnostics: d.0 },
            other => input(other),
        }
    }
}

impl From<Diagnostics> for Failure {
    fn from(d: Diagnostics) -> Self {
        Failure { code: 3, message: d.to_string(), diagnostics: d.0 }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut out = String::new();
    let error_format = cli.error_format;
    let result = run(cli.command, &mut out);
    // Output goes out in one write; a reader that closed the pipe early (`| head`) is not an error.
    let mut stdout = std::io::stdout().lock();
    let _ = std::io::Write::write_all(&mut stdout, out.as_bytes()).and_then(|()| std::io::Write::flush(&mut stdout));
    match result {
        Ok(code) => ExitCode::from(code),
        Err(f) => {
            match error_format {
                ErrorFormat::Human if f.diagnostics.is_empty() => eprintln!("error: {}", f.message),
                ErrorFormat::Human => eprint!("{}", render_diagnostics(&f.diagnostics)),
                ErrorFormat::Json => {
                    let v =
                        serde_json::json!({ "exit_code": f.code, "message": f.message, "diagnostics": f.diagnostics });
                    eprintln!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
                }
            }
            ExitCode::from(f.code)
        }
    }
}

fn load_rules(dir: &Option<PathBuf>) -> Result<RuleSet, Failure> {
    match dir {
        Some(d) => {
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
        None => Ok(RuleSet::shipped()?),
    }
}

fn load_catalog(dir: &Option<PathBuf>) -> Result<Catalog, Failure> {
    match dir {
        Some(d) => Ok(Catalog::load_dir(d)?),
        None => Catalog::shipped().map_err(input),
    }
}

fn load_product(arg: &str, catalog: &Catalog) -> Result<PreparedProduct, Failure> {
    if let Some(p) = catalog.get(arg) {
        return Ok(p.clone());
    }
    let path = Path::new(arg);
    if arg.ends_with(".toml") || path.is_file() {
        let src = read_sheet_file(path)?;
        let product = parse_product_sheet(&src)?;
        return Ok(PreparedProduct::new(product));
    }
    let hint = catalog.suggest(arg).map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default();
    Err(usage(format!(
        "unknown product `{arg}`{hint}; run `export-controls products` for the catalog, or give a sheet path"
    )))
}

fn country(arg: &str, what: &str) -> Result<Country, Failure> {
    arg.parse::<Country>().map_err(|e| usage(format!("--{what}: {e}")))
}

/// One row of `screen`.
#[derive(serde::Serialize)]
struct ScreenRow {
    product: String,
    destination: Country,
    as_of: Date,
    verdict: &'static str,
    /// Least and most restrictive outcomes possible (they differ only when indeterminate).
    at_least: &'static str,
    at_most: &'static str,
    /// Paragraphs that classify the product (`;`-separated in CSV).
    paragraphs: Vec<String>,
    /// Licence requirements that apply (`?` after one that may apply; `;`-separated in CSV).
    requirements: Vec<String>,
}

fn screen(
    pack: &export_controls::CompiledPack,
    products: &[&PreparedProduct],
    countries: &[Country],
    on: Date,
) -> Result<Vec<ScreenRow>, Failure> {
    let mut scratch = export_controls::Scratch::default();
    let mut rows = Vec::with_capacity(products.len() * countries.len());
    for p in products {
        let classified = pack.classify_product((*p).clone());
        for &to in countries {
            let q = export_controls::FastQuery::new(to, Country::US, on);
            let d = pack.decide_classified(&classified, &q, &mut scratch).map_err(|e| usage(e.to_string()))?;
            let requirements: Vec<String> = scratch
                .requirements(pack)
                .map(|(id, t)| {
                    if t == export_controls::ruleset::condition::Truth::True {
                        id.to_string()
                    } else {
                        format!("{id}?")
                    }
                })
                .collect();
            rows.push(ScreenRow {
                product: p.product.id.clone(),
                destination: to,
                as_of: on,
                verdict: d.verdict.as_str(),
                at_least: d.at_least.as_str(),
                at_most: d.at_most.as_str(),
                paragraphs: scratch.paragraphs(pack).map(String::from).collect(),
                requirements,
            });
        }
    }
    Ok(rows)
}

fn date(arg: &Option<String>) -> Result<Date, Failure> {
    date_flag(arg, "on")
}

fn date_flag(arg: &Option<String>, flag: &str) -> Result<Date, Failure> {
    match arg {
        Some(s) => s.parse::<Date>().map_err(|e| usage(format!("--{flag}: {e}"))),
        None => Ok(Date::today_utc()),
    }
}

/// Renders diagnostics with miette (plain Unicode, no colour, so logs and CI keep them
/// readable): `file:line:column`, the line, an underline, the code and the help.
fn render_diagnostics(diags: &[Diagnostic]) -> String {
    let handler = miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor()).with_width(120);
    let mut out = String::new();
    for d in diags {
        let mut one = String::new();
        if handler.render_report(&mut one, d).is_err() {
            one = format!("{d}\n");
        }
        out.push_str(&one);
        out.push('\n');
    }
    let n = diags.len();
    out.push_str(&format!("{n} error{}\n", if n == 1 { "" } else { "s" }));
    out
}

/// Parses `--party role=purchaser,name=...,country=CN,hq=CN,parent_hq=CN,list=ID,end_use=...`.
fn parse_party(arg: &str) -> Result<Party, Failure> {
    let mut role = None;
    let mut fields = Vec::new();
    for part in arg.split(',') {
        let (k, v) = part.split_once('=').ok_or_else(|| {
            usage(format!("--party: `{part}` is not key=value (e.g. role=end_user,country=MY,hq=CN)"))
        })?;
        let (k, v) = (k.trim(), v.trim());
        if k == "role" {
            role = Some(Role::parse(v).ok_or_else(|| {
                usage(format!("--party: unknown role `{v}`; expected purchaser, intermediate_consignee, ultimate_consignee or end_user"))
            })?);
        } else {
            fields.push((k, v));
        }
    }
    let mut p = Party::new(role.ok_or_else(|| usage("--party needs role=..."))?);
    let mut seen: Vec<&str> = Vec::new();
    for (k, v) in fields {
        let single = matches!(k, "name" | "country" | "hq" | "headquarters" | "parent_hq" | "parent_headquarters");
        if single && seen.contains(&k) {
            return Err(usage(format!("--party: `{k}` is given twice")));
        }
        seen.push(k);
        match k {
            "name" => p.name = Some(v.to_string()),
            "country" => p.country = Some(country(v, "party country")?),
            "hq" | "headquarters" => p.headquarters = Some(country(v, "party hq")?),
            "parent_hq" | "parent_headquarters" => p.parent_headquarters = Some(country(v, "party parent_hq")?),
            "list" | "list_entry" | "list_entries" => p.list_entries.push(v.to_string()),
            "end_use" | "end_uses" => p.end_uses.push(v.to_string()),
            _ => {
                return Err(usage(format!(
                    "--party: unknown key `{k}`; use role, name, country, hq, parent_hq, list, end_use"
                )));
            }
        }
    }
    check_parties(std::slice::from_ref(&p)).map_err(|m| usage(format!("--party: {m}")))?;
    Ok(p)
}

fn json(value: &impl serde::Serialize) -> Result<String, Failure> {
    serde_json::to_string_pretty(value).map_err(input)
}

fn run(command: Command, out: &mut String) -> Result<u8, Failure> {
    match command {
        Command::Check { product, to, on, from, transaction, parties, rules, catalog, format, trace, explain } => {
            let tx = match &transaction {
                Some(path) => {
                    let src = read_sheet_file(path)?;
                    Some(Transaction::parse(&src)?)
                }
                None => None,
            };
            let destination = match (&to, &tx) {
                (Some(to), _) => country(to, "to")?,
                (None, Some(t)) => t.destination,
                (None, None) => return Err(usage("--to is required")),
            };
            let exported_from = match (&from, &tx) {
                (Some(f), _) => country(f, "from")?,
                (None, Some(t)) => t.exported_from,
                (None, None) => Country::US,
            };
            if destination == exported_from && destination == Country::US {
                return Err(usage(format!(
                    "--to {destination} is the country of export ({exported_from}): that is not an export; give the destination abroad"
                )));
            }
            let date = match (&on, &tx) {
                (None, Some(t)) => t.date,
                _ => date(&on)?,
            };
            let rules = load_rules(&rules)?;
            let catalog = load_catalog(&catalog)?;
            let product_arg = match (&product, &tx) {
                (Some(p), _) => p.clone(),
                (None, Some(t)) => t.product.clone(),
                (None, None) => return Err(usage("--product is required")),
            };
            let product = load_product(&product_arg, &catalog)?;
            let mut q = Query::new(destination, exported_from, date);
            if let Some(t) = &tx {
                q.parties = t.parties.clone();
                q.exporter = t.exporter;
            }
            for p in &parties {
                q.parties.push(parse_party(p)?);
            }
            let d = rules.evaluate(&product, &q, Options { trace: true }).map_err(|e| usage(e.to_string()))?;
            match format {
                Format::Json => outln!(out, "{}", json(&d)?),
                Format::Text if explain => outp!(out, "{}", d.explain_decisive()),
                Format::Text => outp!(out, "{}", d.explain(trace)),
            }
            Ok(0)
        }
        Command::Classify { product, on, rules, catalog, format } => {
            let date = date(&on)?;
            let rules = load_rules(&rules)?;
            let catalog = load_catalog(&catalog)?;
            let product = load_product(&product, &catalog)?;
            let c = rules.classify(&product, date, Options { trace: true }).map_err(|e| usage(e.to_string()))?;
            match format {
                Format::Json => {
                    let v = serde_json::json!({
                        "product": { "id": product.product.id, "name": product.product.name, "kind": product.product.kind },
                        "metrics": product.metrics,
                        "classification": c,
                        "rules": { "name": rules.pack.name, "version": rules.pack.version, "sha256": rules.pack.sha256 },
                    });
                    outln!(out, "{}", json(&v)?)
                }
                Format::Text => {
                    outln!(out, "{} ({}) as of {date}", product.product.name, product.product.id);
                    outln!(out, "  TPP {}", product.metrics.tpp.map_or("unknown".into(), |t| t.to_string()));
                    outln!(
                        out,
                        "  performance density {}",
                        product.metrics.performance_density.map_or("unknown".into(), |r| r.rounded(4).to_string())
                    );
                    if c.eccns.is_empty() {
                        outln!(out, "  ECCN: none of the pack's classification paragraphs");
                    } else {
                        outln!(out, "  ECCN {} (paragraphs {})", c.eccns.join(", "), c.paragraphs.join(", "));
                    }
                    if !c.undetermined_paragraphs.is_empty() {
                        outln!(
                            out,
                            "  undetermined: {} (missing: {})",
                            c.undetermined_paragraphs.join(", "),
                            c.missing.join(", ")
                        );
                    }
                    for t in &c.trace {
                        outln!(out, "  {} {}: {} [{}]", t.kind, t.rule, t.result, t.source);
                        for cmp in &t.comparisons {
                            outln!(out, "      {}", cmp.display());
                        }
                    }
                }
            }
            Ok(0)
        }
        Command::Products { catalog, format } => {
            let catalog = load_catalog(&catalog)?;
            match format {
                Format::Json => {
                    let list: Vec<_> = catalog.iter().map(|p| &p.product).collect();
                    outln!(out, "{}", json(&list)?);
                }
                Format::Text => {
                    outln!(out, "{:<28} {:<10} {:>10} {:>9}  name", "id", "vendor", "TPP", "PD");
                    for p in catalog.iter() {
                        outln!(
                            out,
                            "{:<28} {:<10} {:>10} {:>9}  {}",
                            p.product.id,
                            p.product.vendor,
                            p.metrics.tpp.map_or("unknown".into(), |t| t.to_string()),
                            p.metrics.performance_density.map_or("unknown".into(), |r| r.rounded(2).to_string()),
                            p.product.name
                        );
                    }
                }
            }
            Ok(0)
        }
        Command::Impact {
            before,
            after,
            on,
            rules_before,
            rules_after,
            products,
            destinations,
            profiles,
            catalog,
            format,
        } => {
            let comparing_packs = rules_before.is_some() || rules_after.is_some();
            if !comparing_packs && (before.is_none() || after.is_none()) {
                return Err(usage(
                    "give --before DATE and --after DATE, or --rules-before DIR and --rules-after DIR (with --on DATE)",
                ));
            }
            if on.is_some() && (before.is_some() || after.is_some()) {
                return Err(usage("--on sets one date for both sides; give either --on or --before/--after"));
            }
            let on = date(&on)?;
            let date_before = match &before {
                Some(_) => date_flag(&before, "before")?,
                None => on,
            };
            let date_after = match &after {
                Some(_) => date_flag(&after, "after")?,
                None => on,
            };
            let rb = load_rules(&rules_before)?;
            let ra = load_rules(&rules_after)?;
            for (rules, d, flag) in [(&rb, date_before, "before"), (&ra, date_after, "after")] {
                if !rules.covers(d) {
                    return Err(usage(format!(
                        "--{flag} {d} is before {}, the earliest date the pack covers: the comparison would be empty",
                        rules.pack.coverage_from
                    )));
                }
            }
            let catalog = load_catalog(&catalog)?;
            for p in &products {
                if catalog.get(p).is_none() {
                    let hint = catalog.suggest(p).map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default();
                    return Err(usage(format!("--products: unknown product `{p}`{hint}")));
                }
            }
            let destinations =
                destinations.iter().map(|d| country(d, "destinations")).collect::<Result<Vec<_>, _>>()?;
            let profiles = match profiles.as_str() {
                "destination" => vec![PartyProfile::DestinationOnly],
                "standard" => PartyProfile::STANDARD.to_vec(),
                other => return Err(usage(format!("--profiles: `{other}` is not `destination` or `standard`"))),
            };
            let q = ImpactQuery { products, destinations, profiles };
            let rows =
                impact(&catalog, Side { rules: &rb, date: date_before }, Side { rules: &ra, date: date_after }, &q);
            match format {
                Format::Json => outln!(out, "{}", json(&rows)?),
                Format::Text => outp!(out, "{}", render(&rows)),
            }
            Ok(0)
        }
        Command::Screen { on, products, destinations, rules, catalog, format } => {
            let on = date(&on)?;
            let pack = export_controls::CompiledPack::new(load_rules(&rules)?);
            let catalog = load_catalog(&catalog)?;
            let mut chosen: Vec<&PreparedProduct> = Vec::new();
            for p in &products {
                if p.trim().is_empty() {
                    return Err(usage("--products: an empty product id (check for a doubled or trailing comma)"));
                }
                match catalog.get(p) {
                    Some(p) if chosen.iter().any(|c| c.product.id == p.product.id) => {}
                    Some(p) => chosen.push(p),
                    None => {
                        let hint = catalog.suggest(p).map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default();
                        return Err(usage(format!("--products: unknown product `{p}`{hint}")));
                    }
                }
            }
            if chosen.is_empty() {
                chosen = catalog.iter().collect();
            }
            let mut countries: Vec<Country> = Vec::new();
            for d in &destinations {
                let c = country(d, "destinations")?;
                if c == Country::US {
                    return Err(usage(
                        "--destinations US: the United States is the country of export; give destinations abroad",
                    ));
                }
                if !countries.contains(&c) {
                    countries.push(c);
                }
            }
            if countries.is_empty() {
                countries = Country::all().into_iter().filter(|c| *c != Country::US).collect();
            }
            if chosen.is_empty() {
                eprintln!("warning: the catalog holds no product sheets: nothing to screen");
            }
            // Notices that concern every transaction on the date (e.g. the pack's cut-off).
            for n in &pack.rules().notices {
                let s = &n.scope;
                let general = s.destinations.is_none()
                    && s.parties.is_none()
                    && s.products.is_none()
                    && s.transaction_kinds.is_none()
                    && n.when.is_none();
                if general && n.meta.period.contains(on) {
                    eprintln!("warning: {} [{}; {}]", n.meta.title, n.meta.id, n.meta.source);
                }
            }
            eprintln!(
                "note: screen evaluates destination rules only: no parties (Entity List, headquarters, end uses) are screened and no warnings are shown; run `check` with the parties for a determination"
            );
            let rows = screen(&pack, &chosen, &countries, on)?;
            match format {
                ScreenFormat::Json => outln!(out, "{}", json(&rows)?),
                ScreenFormat::Csv => {
                    let mut w = csv::Writer::from_writer(Vec::new());
                    let header = [
                        "product",
                        "destination",
                        "as_of",
                        "verdict",
                        "at_least",
                        "at_most",
                        "paragraphs",
                        "requirements",
                    ];
                    w.write_record(header).map_err(|e| input(e.to_string()))?;
                    for r in &rows {
                        let (to, on) = (r.destination.to_string(), r.as_of.to_string());
                        let (paragraphs, requirements) = (r.paragraphs.join(";"), r.requirements.join(";"));
                        w.write_record([
                            r.product.as_str(),
                            &to,
                            &on,
                            r.verdict,
                            r.at_least,
                            r.at_most,
                            &paragraphs,
                            &requirements,
                        ])
                        .map_err(|e| input(e.to_string()))?;
                    }
                    let bytes = w.into_inner().map_err(|e| input(e.to_string()))?;
                    outp!(out, "{}", String::from_utf8_lossy(&bytes));
                }
            }
            Ok(0)
        }
        Command::ImportCsl { file } => {
            let src = read_sheet_file(&file)?;
            let import = csl::parse(&src.text, csl::detect_format(&src.text))
                .map_err(|e| input(format!("{}: {e}", file.display())))?;
            for r in &import.rejected {
                eprintln!("skipped: {r}");
            }
            let name = file.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
            outp!(out, "{}", csl::to_toml(&import, &name));
            Ok(0)
        }
        Command::Lint { dir, format } => {
            let rules = load_rules(&dir)?;
            let findings = lint::lint(&rules);
            match format {
                Format::Json => outln!(out, "{}", json(&findings)?),
                Format::Text => outp!(out, "{}", lint::render(&findings)),
            }
            Ok(if findings.iter().any(|f| f.severity == lint::Severity::Error) { 1 } else { 0 })
        }
        Command::Lock { dir } => {
            let rules = load_rules(&Some(dir.clone()))?;
            let lock = Lock::of(&rules);
            let path = dir.join("rules.lock");
            std::fs::write(&path, lock.to_toml()).map_err(|e| input(format!("{}: {e}", path.display())))?;
            outln!(out, "wrote {} ({} {} sha256 {})", path.display(), lock.pack, lock.version, lock.sha256);
            Ok(0)
        }
        Command::Verify { dir } => {
            let rules = load_rules(&Some(dir.clone()))?;
            let path = dir.join("rules.lock");
            let text = std::fs::read_to_string(&path).map_err(|e| {
                input(format!("{}: {e}; run `export-controls lock {}` after review", path.display(), dir.display()))
            })?;
            let lock: Lock =
                toml::from_str(&text).map_err(|e| input(format!("{}: {}", path.display(), e.message())))?;
            let diffs = lock.differences(&rules);
            if diffs.is_empty() {
                outln!(
                    out,
                    "{} {} matches {} (sha256 {})",
                    rules.pack.name,
                    rules.pack.version,
                    path.display(),
                    rules.pack.sha256
                );
                Ok(0)
            } else {
                outln!(out, "{} differs from {}:", dir.display(), path.display());
                for d in diffs {
                    outln!(out, "  {d}");
                }
                outln!(
                    out,
                    "review the change, then run `export-controls lock {}` and commit rules.lock",
                    dir.display()
                );
                Ok(1)
            }
        }
        Command::Replay { file, rules } => {
            let rules = load_rules(&rules)?;
            let text = std::fs::read_to_string(&file).map_err(|e| input(format!("{}: {e}", file.display())))?;
            match replay(&text, &rules) {
                Ok(()) => {
                    outln!(
                        out,
                        "replayed {}: identical (pack {} sha256 {})",
                        file.display(),
                        rules.pack.name,
                        rules.pack.sha256
                    );
                    Ok(0)
                }
                Err(e @ ReplayError::Differs { .. }) => {
                    outln!(out, "replayed {}: {e}", file.display());
                    Ok(1)
                }
                Err(e) => Err(input(format!("{}: {e}", file.display()))),
            }
        }
        Command::Test { dir, catalog, filter, format } => {
            let rules = load_rules(&dir)?;
            let catalog = load_catalog(&catalog)?;
            let files = match &dir {
                Some(d) => read_test_dir(&d.join("tests"))?,
                None => shipped_test_files(),
            };
            let (files, sheets) = split_sheets(files);
            let catalog = catalog.with_sheets(&sheets)?;
            let cases = parse_test_files(&files, &catalog)?;
            let report = run_cases(&rules, &catalog, cases, filter.as_deref());
            match format {
                TestFormat::Human => outp!(out, "{}", report.render_with_coverage(&rules)),
                TestFormat::Json => outln!(out, "{}", json(&report.to_json(&rules))?),
                TestFormat::Junit => outp!(out, "{}", report.render_junit()),
            }
            Ok(if report.success() { 0 } else { 1 })
        }
    }
}
