//! `products`: the catalog with TPP and performance density.

use clap::Args;

use super::args::{CatalogArgs, Format, FormatArgs};
use super::exit::{Exit, Failure};
use super::json;

#[derive(Args)]
pub struct ProductsArgs {
    #[command(flatten)]
    catalog: CatalogArgs,
    #[command(flatten)]
    format: FormatArgs,
}

pub fn run(args: ProductsArgs, out: &mut String) -> Result<Exit, Failure> {
    let catalog = args.catalog.load()?;
    match args.format.format {
        Format::Json => {
            let list: Vec<_> = catalog.iter().map(|p| p.product()).collect();
            outln!(out, "{}", json(&list)?);
        }
        Format::Text => {
            outln!(out, "{:<28} {:<10} {:>10} {:>9}  name", "id", "vendor", "TPP", "PD");
            for p in catalog.iter() {
                outln!(
                    out,
                    "{:<28} {:<10} {:>10} {:>9}  {}",
                    p.product().id,
                    p.product().vendor,
                    p.metrics().tpp_text(),
                    p.metrics().performance_density_text(2),
                    p.product().name
                );
            }
        }
    }
    Ok(Exit::Success)
}
