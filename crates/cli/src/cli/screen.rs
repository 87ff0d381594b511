//! `screen`: products × destinations on a date on the fast path, as CSV or JSON rows.

use clap::{Args, ValueEnum};
use export_controls::CompiledPack;
use export_controls::screen::ScreenReport;

use super::args::{CatalogArgs, ExporterArgs, OnArgs, RulesArgs, SelectionArgs};
use super::exit::{Exit, Failure, QueryFailure, QueryOrigins, input};
use super::json;

#[derive(Args)]
pub struct ScreenArgs {
    #[command(flatten)]
    on: OnArgs,
    #[command(flatten)]
    selection: SelectionArgs,
    #[command(flatten)]
    exporter: ExporterArgs,
    #[command(flatten)]
    rules: RulesArgs,
    #[command(flatten)]
    catalog: CatalogArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "csv")]
    format: ScreenFormat,
}

/// CSV (lists `;`-separated) or JSON.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum ScreenFormat {
    // One header line, then one line per row; `exported_from` is always US (direct exports).
    Csv,
    // The screen as `POST /v1/screen` answers it: `as_of`, `rules`, `note`, `warnings`, `rows`.
    Json,
}

pub fn run(args: ScreenArgs, out: &mut String) -> Result<Exit, Failure> {
    let on = args.on.date()?;
    let pack = CompiledPack::new(args.rules.load()?);
    let catalog = args.catalog.load()?;
    let mut products = args.selection.products(&catalog)?;
    if products.is_empty() {
        products = catalog.iter().collect();
    }
    let destinations = args.selection.destinations_abroad()?;
    if products.is_empty() {
        eprintln!("warning: the catalog holds no product sheets: nothing to screen");
    }
    if let Some(what) = pack.rules().unlocked() {
        let r = pack.rules();
        eprintln!("warning: {}", super::classify::unlocked_line(&r.pack().name, &r.pack().version, what));
    }
    for n in pack.rules().general_notices(on) {
        eprintln!("warning: {} [{}; {}]", n.meta.title, n.meta.id, n.meta.source);
    }
    eprintln!(
        "note: screen evaluates direct exports from the United States (exported_from US) on destination rules only: no parties (Entity List, headquarters, end uses) are screened and no warnings are shown; run `check` with the parties for a determination, and with --from for a reexport or an in-country transfer"
    );
    let rows = pack
        .screen_for(&products, &destinations, on, args.exporter.exporter())
        .map_err(|e| QueryOrigins::COMMAND_LINE.failure(e))?;
    match args.format {
        // The shape of `POST /v1/screen`: one library type (tester15 D2).
        ScreenFormat::Json => outln!(out, "{}", json(&ScreenReport::new(pack.rules(), on, rows))?),
        ScreenFormat::Csv => {
            // A superseded release says so first, as a `#` comment line (the JSON's `superseded`),
            // and an unlocked pack next (the JSON's `rules.unlocked`), in the order of a
            // determination's scope: a CSV passed on without standard error still says it.
            for s in [pack.rules().superseded_statement(), pack.rules().unlocked_statement()].into_iter().flatten() {
                outln!(out, "# {s}");
            }
            let mut w = csv::Writer::from_writer(Vec::new());
            let header = [
                "product",
                "exported_from",
                "destination",
                "as_of",
                "verdict",
                "at_least",
                "at_most",
                "paragraphs",
                "requirements",
            ];
            w.write_record(header).map_err(input)?;
            for r in &rows {
                let (from, to, on) = (r.exported_from.to_string(), r.destination.to_string(), r.as_of.to_string());
                let (paragraphs, requirements) = (r.paragraphs.join(";"), r.requirements.join(";"));
                w.write_record([
                    r.product.as_str(),
                    &from,
                    &to,
                    &on,
                    r.verdict.as_str(),
                    r.at_least.as_str(),
                    r.at_most.as_str(),
                    &paragraphs,
                    &requirements,
                ])
                .map_err(input)?;
            }
            let bytes = w.into_inner().map_err(|e| input(e.to_string()))?;
            outp!(out, "{}", String::from_utf8_lossy(&bytes));
        }
    }
    Ok(Exit::Success)
}
