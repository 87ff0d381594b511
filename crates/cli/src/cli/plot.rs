//! `plot`: the TPP × performance-density plane as SVG, with the 3A090.a/.b bands in force on a
//! date, the catalog's chips and one product highlighted (crates/service, `report`).
//!
//! A date before the pack's coverage is refused as `check` refuses it (the same message and
//! exit code: 2 for a date typed on the command line); a date after the pack's research
//! cut-off is drawn under a statement that the bands in force then are not known.

use clap::Args;
use export_controls_service::report::{bands_svg_for, plot_date};

use super::args::{CatalogArgs, OnArgs, RulesArgs, catalog_product, empty_item};
use super::exit::{Exit, Failure, QueryFailure, QueryOrigins, usage};

#[derive(Args)]
pub struct PlotArgs {
    #[command(flatten)]
    on: OnArgs,
    /// Product ids to plot, comma-separated (default: the catalog's integrated circuits).
    #[arg(long, value_delimiter = ',')]
    products: Vec<String>,
    /// Catalog id of the product to ring and label (`id="highlight"` in the SVG).
    #[arg(long)]
    highlight: Option<String>,
    #[command(flatten)]
    rules: RulesArgs,
    #[command(flatten)]
    catalog: CatalogArgs,
}

pub fn run(args: PlotArgs, out: &mut String) -> Result<Exit, Failure> {
    let on = args.on.date()?;
    let rules = args.rules.load()?;
    plot_date(&rules, on).map_err(|e| QueryOrigins::COMMAND_LINE.failure(e))?;
    let catalog = args.catalog.load()?;
    let highlight = match &args.highlight {
        Some(id) => Some(catalog_product(&catalog, id).map_err(|m| usage(format!("--highlight: {m}")))?),
        None => None,
    };
    if args.products.iter().any(|id| id.trim().is_empty()) {
        return Err(empty_item("--products", "product id", "the catalog's integrated circuits"));
    }
    let svg = bands_svg_for(&rules, &catalog, on, &args.products, highlight)
        .map_err(|m| usage(format!("--products: {m}")))?;
    outp!(out, "{svg}");
    if !svg.ends_with('\n') {
        outln!(out, "");
    }
    Ok(Exit::Success)
}
