//! The plot's geometry and colours, shared by the bands chart and the verdict strip: the plot
//! area in SVG user units, the logarithmic axes and the colour of each ECCN band and verdict.

use export_controls::Verdict;

/// Plot area in SVG user units.
pub(super) const W: f64 = 640.0;
pub(super) const H: f64 = 440.0;
pub(super) const LEFT: f64 = 70.0;
pub(super) const TOP: f64 = 20.0;
pub(super) const RIGHT: f64 = 30.0;
pub(super) const BOTTOM: f64 = 60.0;

/// Axis ranges, log10: TPP 10^2 to 10^5 (bit × TOPS), density 10^-1 to 10^2 (TPP per mm²).
pub(super) const X_RANGE: (f64, f64) = (2.0, 5.0);
pub(super) const Y_RANGE: (f64, f64) = (-1.0, 2.0);

/// Colour of an ECCN band (and a legend entry).
pub(super) fn band_colour(eccn: &str) -> &'static str {
    if eccn.starts_with("3A090.a") {
        "#f4a6a6"
    } else if eccn.starts_with("3A090.b") {
        "#f7d58b"
    } else {
        "#e9eef3"
    }
}

/// Colour of a verdict.
pub fn verdict_colour(v: Verdict) -> &'static str {
    match v {
        Verdict::NoLicenseRequired => "#3c8d40",
        Verdict::LicenseException => "#2f6fb3",
        Verdict::LicenseRequired => "#b8322a",
        Verdict::Indeterminate => "#8a6d1d",
    }
}

/// Rounds an SVG coordinate to 0.01 user units (keeps the document small).
pub(super) fn r2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

pub(super) fn x_of(tpp: f64) -> f64 {
    let t = tpp.max(f64::MIN_POSITIVE).log10();
    r2(LEFT + (t - X_RANGE.0) / (X_RANGE.1 - X_RANGE.0) * (W - LEFT - RIGHT))
}

pub(super) fn y_of(pd: f64) -> f64 {
    let p = pd.max(f64::MIN_POSITIVE).log10();
    r2(H - BOTTOM - (p - Y_RANGE.0) / (Y_RANGE.1 - Y_RANGE.0) * (H - TOP - BOTTOM))
}

pub(super) fn clamp_x(x: f64) -> f64 {
    x.clamp(LEFT, W - RIGHT)
}

pub(super) fn clamp_y(y: f64) -> f64 {
    y.clamp(TOP, H - BOTTOM)
}

/// Removes characters that would end an SVG/HTML attribute value (the svg crate escapes
/// `&`, `<` and `>` only).
pub(super) fn attr_safe(s: &str) -> String {
    s.chars().filter(|c| *c != '"' && *c != '\'').collect()
}
