//! `check`: the determination for one product, destination, date and parties.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use export_controls::date::Date;
use export_controls::diagnostic::{Code, SourceFile};
use export_controls::files::{FileKind, read_file};
use export_controls::model::{Party, PartyKvError, Region, Transaction, check_list_dates, check_region};
use export_controls::{Catalog, Country, Options, PreparedProduct, Query, RuleSet};

use export_controls_service::report::determination_page;

use super::args::{CatalogArgs, ExporterArgs, OnArgs, RulesArgs, country, load_product};
use super::exit::{Exit, Failure, Origin, OriginFailure, QueryFailure, QueryOrigins, usage};
use super::json;

#[derive(Args)]
pub struct CheckArgs {
    /// Catalog id (see `products`) or path to a product sheet (.toml).
    #[arg(long, required_unless_present = "transaction")]
    product: Option<String>,
    /// Destination, ISO 3166-1 alpha-2 (e.g. CN, HK, MO).
    #[arg(long, required_unless_present = "transaction")]
    to: Option<String>,
    #[command(flatten)]
    on: OnArgs,
    /// Country of export, ISO 3166-1 alpha-2: US for an export, another country for a
    /// reexport, the destination itself for an in-country transfer (15 CFR 734.14). Not given:
    /// not stated, and the kind of transaction is unknown: where a rule or licence exception
    /// depends on it (e.g. NAC, for exports and reexports only) the determination is
    /// indeterminate, missing exported_from; where a review policy does (the 2026 case-by-case
    /// review for exports from the US), the stricter one is given, with a warning.
    #[arg(long)]
    from: Option<String>,
    /// A transaction file (TOML or JSON) with product, destination, date and parties. It
    /// cannot be combined with --product, --to, --date, --from, --party, --region or
    /// --exporter-front-end-fabricator-or-osat (edit the file instead): the determination is
    /// of the transaction as the file records it.
    #[arg(long)]
    transaction: Option<PathBuf>,
    /// A party, repeatable:
    /// role=purchaser|intermediate_consignee|ultimate_consignee|end_user|beneficiary
    /// and optional name=..., country=CC, hq=CC, parent_hq=CC, list=ENTRY_ID (repeatable),
    /// end_use=NAME or NAME@CC (with the country where it takes place; repeatable; as `end_uses`
    /// in transaction files), screened=LIST@DATE
    /// (repeatable: screened elsewhere against the full list of that date), owners_known=true|false
    /// (whether its owners were determined; owners themselves need a transaction file)
    #[arg(long = "party", value_name = "role=...,country=...,hq=...,parent_hq=...")]
    parties: Vec<String>,
    /// With --to UA: where in Ukraine the item goes, for 15 CFR 746.6 (a licence for every
    /// item to the Crimea region and the so-called DNR and LNR regions). Not given: unknown,
    /// and a verdict it could change is indeterminate, missing destination_region.
    #[arg(long, value_parser = parse_region, value_name = "crimea|dnr|lnr|other")]
    region: Option<Region>,
    #[command(flatten)]
    exporter: ExporterArgs,
    #[command(flatten)]
    rules: RulesArgs,
    #[command(flatten)]
    catalog: CatalogArgs,
    /// Output format: text for people, JSON for programs (the determination record), HTML for
    /// the file (a self-contained report with the bands chart, no external resources).
    #[arg(long, value_enum, default_value = "text")]
    format: CheckFormat,
    /// In text output, list every rule tried.
    #[arg(long)]
    trace: bool,
    /// Print only the decisive path in plain language.
    #[arg(long)]
    explain: bool,
}

/// What `check` prints.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum CheckFormat {
    // Plain text.
    Text,
    // Pretty-printed JSON.
    Json,
    // A stand-alone HTML document.
    Html,
}

pub fn run(args: CheckArgs, out: &mut String) -> Result<Exit, Failure> {
    refuse_flags_with_transaction(&args)?;
    let file = read_transaction(args.transaction.as_deref())?;
    let tx = file.as_ref().map(|(t, _)| t);
    let origins = QueryOrigins {
        date: Origin::of(args.on.date.is_some(), tx.is_some()),
        countries: Origin::of(args.to.is_some() || args.from.is_some(), tx.is_some()),
        parties: Origin::of(!args.parties.is_empty(), tx.is_some()),
    };
    let (destination, exported_from) = countries(&args, tx, &origins)?;
    let date = match (&args.on.date, tx) {
        (None, Some(t)) => t.date,
        _ => args.on.date()?,
    };
    let rules = args.rules.load()?;
    let catalog = args.catalog.load()?;
    let product = product(&args, tx, &catalog)?;
    let mut q = Query::export_to(destination, date).with_exporter(args.exporter.exporter());
    q.exported_from = exported_from;
    if let Some((t, src)) = &file {
        // Ids and attestations that the pack does not hold, at their place in the file.
        rules.check_transaction(t, src)?;
        t.check_list_dates(src, Date::today_utc())?;
        q.parties = t.parties.clone();
        q.exporter = t.exporter;
        q.destination_region = t.destination_region;
    }
    add_flag_parties(&args.parties, &rules, &mut q)?;
    if let Some(r) = args.region {
        check_region(Some(r), destination, &q.parties)
            .map_err(|m| usage(format!("--region: {m}")).with_code(Code::E0512))?;
        q = q.in_region(r);
    }
    let d = rules.evaluate(&product, &q, Options { trace: true }).map_err(|e| origins.failure(e))?;
    match args.format {
        CheckFormat::Json => outln!(out, "{}", json(&d)?),
        CheckFormat::Html => outp!(out, "{}", determination_page(&rules, &catalog, &product, &d)),
        CheckFormat::Text if args.explain => outp!(out, "{}", d.explain_decisive()),
        CheckFormat::Text => outp!(out, "{}", d.explain(args.trace)),
    }
    Ok(Exit::Success)
}

/// With `--transaction`, a usage error naming every flag given that the file gives instead.
fn refuse_flags_with_transaction(args: &CheckArgs) -> Result<(), Failure> {
    if args.transaction.is_none() {
        return Ok(());
    }
    let flags = [
        ("--product", args.product.is_some()),
        ("--to", args.to.is_some()),
        ("--date", args.on.date.is_some()),
        ("--from", args.from.is_some()),
        ("--party", !args.parties.is_empty()),
        ("--region", args.region.is_some()),
        ("--exporter-front-end-fabricator-or-osat", args.exporter.given()),
    ];
    let given: Vec<&str> = flags.iter().filter(|(_, given)| *given).map(|(flag, _)| *flag).collect();
    if given.is_empty() {
        return Ok(());
    }
    Err(usage(format!(
        "{} cannot be given with --transaction: the file gives the product, destination, date, country of export and parties, and the exporter (edit the file, or leave out --transaction)",
        given.join(", ")
    )))
}

/// The transaction file at `path`, parsed, with its text (for the places of later errors).
fn read_transaction(path: Option<&std::path::Path>) -> Result<Option<(Transaction, SourceFile)>, Failure> {
    let Some(path) = path else { return Ok(None) };
    let src = read_file(path, FileKind::Transaction)?;
    Ok(Some((Transaction::parse(&src)?, src)))
}

/// The destination and the country of export: the flags', else the transaction file's (`None`
/// when neither gives it: not stated). The United States as the destination from the United
/// States or from a country not stated is refused: that is no export.
fn countries(
    args: &CheckArgs,
    tx: Option<&Transaction>,
    origins: &QueryOrigins,
) -> Result<(Country, Option<Country>), Failure> {
    let destination = match (&args.to, tx) {
        (Some(to), _) => country(to, "to")?,
        (None, Some(t)) => t.destination,
        (None, None) => return Err(usage("--to is required")),
    };
    let exported_from = match (&args.from, tx) {
        (Some(f), _) => Some(country(f, "from")?),
        (None, Some(t)) => t.exported_from,
        (None, None) => None,
    };
    if destination.is_united_states() {
        // Named where it was given: the flag, or the transaction file's `destination` (a file
        // with no --to named the flag: tester15).
        let given = match (&args.to, &args.transaction) {
            (None, Some(path)) => format!("{}: destination = \"{destination}\"", path.display()),
            _ => format!("--to {destination}"),
        };
        return Err(origins.countries.failure(format!(
            "{given}: a shipment into the United States is not an export, reexport or in-country transfer under the EAR (15 CFR 734.13, 734.14), whatever it ships from; give the destination abroad"
        )));
    }
    Ok((destination, exported_from))
}

/// The product of `--product`, else of the transaction file's `product` (a sheet path read
/// beside the file), with its failure said to come from where the product was given.
fn product(args: &CheckArgs, tx: Option<&Transaction>, catalog: &Catalog) -> Result<PreparedProduct, Failure> {
    let product_arg = match (&args.product, tx) {
        (Some(p), _) => p.clone(),
        (None, Some(t)) => beside_transaction(&t.product, args.transaction.as_deref(), catalog),
        (None, None) => return Err(usage("--product is required")),
    };
    let product_origin = Origin::of(args.product.is_some(), tx.is_some());
    load_product(&product_arg, catalog).map_err(|f| product_origin.attribute(f))
}

/// The parties of the `--party` flags, each checked against the pack (ids of list entries,
/// attestations) and for its list dates, added to the query's.
fn add_flag_parties(parties: &[String], rules: &RuleSet, q: &mut Query) -> Result<(), Failure> {
    for p in parties {
        let party = Party::from_kv(p).map_err(party_usage)?;
        // With the code a transaction file's party gets (E0508 an unknown list entry, E0511 a
        // list dated after today, ...).
        let refused =
            |e: export_controls::model::PartyError| usage(format!("--party: {}", e.one_line())).with_code(e.code());
        rules.check_parties(std::slice::from_ref(&party)).map_err(refused)?;
        check_list_dates(std::slice::from_ref(&party), Date::today_utc()).map_err(refused)?;
        q.parties.push(party);
    }
    Ok(())
}

/// `--region`: a region of Ukraine by name.
fn parse_region(s: &str) -> Result<Region, String> {
    Region::parse(s).ok_or_else(|| {
        let names = Region::ALL.map(Region::as_str);
        format!("unknown region `{s}`; expected one of {}", names.join(", "))
    })
}

/// `--party needs role=...`, `--party hq: ...` (naming the key), otherwise `--party: ...`.
fn party_usage(e: PartyKvError) -> Failure {
    match e {
        PartyKvError::NoRole | PartyKvError::Country { .. } => usage(format!("--party {e}")),
        _ => usage(format!("--party: {e}")),
    }
}

/// A transaction file's `product`: a catalog id as written, else a sheet path, which when
/// relative is relative to the folder of the transaction file (`transaction`), not to the
/// working directory: the same file names the same product wherever it is run from.
fn beside_transaction(product: &str, transaction: Option<&std::path::Path>, catalog: &Catalog) -> String {
    let path = std::path::Path::new(product);
    if catalog.get(product).is_some() || path.is_absolute() {
        return product.to_string();
    }
    match transaction.and_then(std::path::Path::parent).filter(|d| !d.as_os_str().is_empty()) {
        // A sheet (by its extension, or a file there); anything else stays as written, so
        // that an unknown catalog id is reported as the file wrote it.
        Some(dir) if product.ends_with(".toml") || dir.join(path).is_file() => {
            dir.join(path).to_string_lossy().into_owned()
        }
        _ => product.to_string(),
    }
}
