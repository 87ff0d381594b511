//! Reports a person reads: the TPP × performance-density plane with the ECCN 3A090.a/.b bands
//! in force on a date ([`bands_svg`]), a product's verdict for a destination on every rule
//! change date ([`verdict_strip_svg`]) and a determination as HTML ([`determination_html`]).
//! Pure functions of the library's types: no server needed, so the CLI uses them too
//! (`plot --on DATE > bands.svg`, `check --format html`).
//!
//! The bands are not drawn from hard-coded thresholds: the thresholds are read from the
//! classification rules in force on the date (every `tpp` and `performance_density`
//! comparison), and each cell between them is classified by the engine itself, so the picture
//! follows the pack.

mod bands;
mod geometry;
mod html;
mod strip;

pub use bands::{Band, after_cut_off_statement, bands, bands_svg, bands_svg_for, plot_date};
pub use geometry::verdict_colour;
pub use html::{STYLE, determination_html, determination_page, esc};
pub use strip::{StripSpan, verdict_strip_svg, verdict_timeline};
