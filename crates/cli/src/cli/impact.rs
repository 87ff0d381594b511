//! `impact`: the determinations that differ between two dates or two rule packs.

use std::path::PathBuf;

use clap::Args;
use export_controls::impact::{ImpactQuery, PartyProfile, Side, impact, render};

use super::args::{CatalogArgs, Format, FormatArgs, SelectionArgs, date_flag, load_rules};
use super::exit::{Exit, Failure, usage};
use super::json;

#[derive(Args)]
pub struct ImpactArgs {
    /// As-of date of the "before" side (default: --date, else today).
    #[arg(long)]
    before: Option<String>,
    /// As-of date of the "after" side (default: --date, else today).
    #[arg(long)]
    after: Option<String>,
    /// Date for both sides when comparing two rule packs, YYYY-MM-DD (alias `--on`).
    #[arg(long = "date", visible_alias = "on", value_name = "YYYY-MM-DD")]
    on: Option<String>,
    /// Rule pack for the "before" side (default: the shipped pack).
    #[arg(long)]
    rules_before: Option<PathBuf>,
    /// Rule pack for the "after" side (default: the shipped pack).
    #[arg(long)]
    rules_after: Option<PathBuf>,
    #[command(flatten)]
    selection: SelectionArgs,
    /// Party profiles: `destination` (no parties) or `standard` (also a local company and a
    /// company with a China-headquartered parent).
    #[arg(long, default_value = "destination")]
    profiles: String,
    #[command(flatten)]
    catalog: CatalogArgs,
    #[command(flatten)]
    format: FormatArgs,
}

pub fn run(args: ImpactArgs, out: &mut String) -> Result<Exit, Failure> {
    let ImpactArgs { before, after, on, rules_before, rules_after, selection, profiles, catalog, format } = args;
    let comparing_packs = rules_before.is_some() || rules_after.is_some();
    if !comparing_packs && (before.is_none() || after.is_none()) {
        return Err(usage(
            "give --before DATE and --after DATE, or --rules-before DIR and --rules-after DIR (with --date DATE)",
        ));
    }
    if on.is_some() && (before.is_some() || after.is_some()) {
        return Err(usage("--date sets one date for both sides; give either --date or --before/--after"));
    }
    let on = date_flag(on.as_deref(), "date")?;
    let date_before = match &before {
        Some(_) => date_flag(before.as_deref(), "before")?,
        None => on,
    };
    let date_after = match &after {
        Some(_) => date_flag(after.as_deref(), "after")?,
        None => on,
    };
    let rb = load_rules(rules_before.as_deref())?;
    let ra = load_rules(rules_after.as_deref())?;
    for (rules, d, flag) in [(&rb, date_before, "before"), (&ra, date_after, "after")] {
        if !rules.covers(d) {
            return Err(usage(format!(
                "--{flag} {d} is before {}, the earliest date the pack covers: the comparison would be empty",
                rules.pack().coverage_from
            )));
        }
    }
    let catalog = catalog.load()?;
    selection.products(&catalog)?;
    let destinations = selection.destinations()?;
    let profiles = match profiles.as_str() {
        "destination" => vec![PartyProfile::DestinationOnly],
        "standard" => PartyProfile::STANDARD.to_vec(),
        other => return Err(usage(format!("--profiles: `{other}` is not `destination` or `standard`"))),
    };
    let q = ImpactQuery { products: selection.products, destinations, profiles };
    let rows = impact(&catalog, Side { rules: &rb, date: date_before }, Side { rules: &ra, date: date_after }, &q);
    match format.format {
        Format::Json => outln!(out, "{}", json(&rows)?),
        Format::Text => outp!(out, "{}", render(&rows)),
    }
    Ok(Exit::Success)
}
