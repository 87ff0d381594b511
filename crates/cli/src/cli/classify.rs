//! `classify`: a product's ECCN paragraphs on a date, whatever the destination.

use clap::Args;
use export_controls::Options;

use super::args::{CatalogArgs, Format, FormatArgs, OnArgs, RulesArgs, load_product};
use super::exit::{Exit, Failure, QueryFailure, QueryOrigins};
use super::json;

#[derive(Args)]
pub struct ClassifyArgs {
    /// Catalog id or path to a product sheet.
    #[arg(long)]
    product: String,
    #[command(flatten)]
    on: OnArgs,
    #[command(flatten)]
    rules: RulesArgs,
    #[command(flatten)]
    catalog: CatalogArgs,
    #[command(flatten)]
    format: FormatArgs,
}

/// The line that marks output made with an unlocked pack.
pub fn unlocked_line(name: &str, version: &str, what: &str) -> String {
    format!(
        "UNLOCKED PACK: {name} {version} differs from its rules.lock ({what}): not the reviewed rules of that name and version"
    )
}

/// The line that marks output made with a superseded release of the shipped pack
/// (`--superseded`): `by` names the pack that supersedes it.
pub fn superseded_line(name: &str, version: &str, by: &str) -> String {
    format!(
        "SUPERSEDED PACK: {name} {version} is superseded by {by}: the rules of the older release, not those in force"
    )
}

/// What `classify` assumes of the exporter: it reads a product by its figures, as an exporter
/// that is neither a front-end fabricator nor an OSAT would. For one that is, Note 1 to
/// 3A090.a (15 CFR 774 Supp. No. 1, ECCN 3A090, added by 90 FR 5298) presumes an advanced
/// logic IC 3A090.a unless rebutted, which only `check` weighs.
pub const EXPORTER_ASSUMPTION: &str = "the exporter is not a front-end fabricator or OSAT: for one that is, Note 1 to 3A090.a (90 FR 5298) may presume an advanced logic IC 3A090.a; `check --exporter-front-end-fabricator-or-osat yes` weighs it";

/// The warning `classify` gives for a date after the pack's research cut-off
/// (`researched_until` in pack.toml): a classification paragraph added or changed after the
/// cut-off is not in the pack, so the answer may be out of date (as `check` makes a no-licence
/// answer on such a date indeterminate).
pub fn after_cut_off_warning(date: export_controls::Date, researched_until: export_controls::Date) -> String {
    format!(
        "{date} is after the pack's research cut-off ({researched_until}): a classification paragraph added or changed since is not in this pack"
    )
}

pub fn run(args: ClassifyArgs, out: &mut String) -> Result<Exit, Failure> {
    let date = args.on.date()?;
    let rules = args.rules.load()?;
    let catalog = args.catalog.load()?;
    let product = load_product(&args.product, &catalog)?;
    let c =
        rules.classify(&product, date, Options { trace: true }).map_err(|e| QueryOrigins::COMMAND_LINE.failure(e))?;
    let warnings: Vec<String> = (!rules.researched(date))
        .then(|| after_cut_off_warning(date, rules.pack().researched_until))
        .into_iter()
        .collect();
    match args.format.format {
        Format::Json => {
            let v = serde_json::json!({
                "product": { "id": product.product().id, "name": product.product().name, "kind": product.product().kind },
                "metrics": product.metrics(),
                "classification": c,
                "rules": { "name": rules.pack().name, "version": rules.pack().version, "sha256": rules.pack().sha256 },
                "assumes": [EXPORTER_ASSUMPTION],
                "warnings": warnings,
            });
            let mut v = v;
            if rules.unlocked().is_some() {
                v["rules"]["unlocked"] = serde_json::Value::Bool(true);
            }
            if let Some(by) = rules.superseded_by() {
                v["rules"]["superseded_by"] = serde_json::Value::String(by.to_string());
            }
            outln!(out, "{}", json(&v)?)
        }
        Format::Text => {
            outln!(out, "{} ({}) as of {date}", product.product().name, product.product().id);
            if let Some(by) = rules.superseded_by() {
                outln!(out, "  {}", superseded_line(&rules.pack().name, &rules.pack().version, by));
            }
            if let Some(what) = rules.unlocked() {
                outln!(out, "  {}", unlocked_line(&rules.pack().name, &rules.pack().version, what));
            }
            for w in &warnings {
                outln!(out, "  WARNING: {w}");
            }
            outln!(out, "  TPP {}", product.metrics().tpp_text());
            outln!(out, "  performance density {}", product.metrics().performance_density_text(4));
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
            outln!(out, "  assumes {EXPORTER_ASSUMPTION}");
            for t in &c.trace {
                outln!(out, "  {} {}: {} [{}]", t.kind, t.rule, t.result, t.source);
                for cmp in &t.comparisons {
                    outln!(out, "      {}", cmp.display());
                }
            }
        }
    }
    Ok(Exit::Success)
}
