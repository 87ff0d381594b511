//! What is exported and where: products, countries and transactions.

mod country;
mod product;
mod sheet;
mod transaction;

pub use country::{Country, UnknownCountry};
pub use product::{LogicDie, Memory, Precision, ProcessingUnit, Product, ProductKind, Rate};
pub use sheet::parse_product_sheet;
pub use transaction::Transaction;
