//! A product's verdict for one destination on every rule change date, as spans ([`verdict_timeline`])
//! and as an SVG strip ([`verdict_strip_svg`]).

use export_controls::{Country, Date, Options, PreparedProduct, Query, RuleSet, Verdict};
use svg::Document;
use svg::node::element::{Line, Rectangle, Text, Title};

use super::geometry::{r2, verdict_colour};

/// One span of the verdict strip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StripSpan {
    /// First day.
    pub from: Date,
    /// Last day (inclusive).
    pub to: Date,
    /// The verdict throughout.
    pub verdict: Verdict,
}

/// The product's verdict for the query's destination, exporter and parties on every date in
/// `[from, to]` on which a rule of the pack starts or stops, merged into spans of one verdict.
pub fn verdict_timeline(
    rules: &RuleSet,
    product: &PreparedProduct,
    query: &Query,
    from: Date,
    to: Date,
) -> Vec<StripSpan> {
    let mut dates: Vec<Date> = crate::pack::change_dates(rules).into_iter().filter(|d| *d > from && *d <= to).collect();
    dates.insert(0, from);
    let mut spans: Vec<StripSpan> = Vec::new();
    for (i, d) in dates.iter().enumerate() {
        let end = dates.get(i + 1).and_then(|n| n.prev_day()).unwrap_or(to);
        let mut q = query.clone();
        q.date = *d;
        let Ok(det) = rules.evaluate(product, &q, Options { trace: false }) else { continue };
        match spans.last_mut() {
            Some(last) if last.verdict == det.verdict => last.to = end,
            _ => spans.push(StripSpan { from: *d, to: end, verdict: det.verdict }),
        }
    }
    spans
}

fn day_number(d: Date) -> f64 {
    let (y, m, dd) = d.ymd();
    // Days since 0000-03-01 (civil calendar), enough for proportional widths.
    let (y, m) = if m <= 2 { (y - 1, u32::from(m) + 12) } else { (y, u32::from(m)) };
    f64::from(365 * y + y / 4 - y / 100 + y / 400) + f64::from((153 * (m - 3) + 2) / 5) + f64::from(dd)
}

/// The verdict strip as SVG: one coloured span per verdict from `from` to `to` (the pack's
/// cut-off), widths proportional to time, each span titled with its dates and verdict, the
/// as-of date `mark` marked.
pub fn verdict_strip_svg(
    spans: &[StripSpan],
    from: Date,
    to: Date,
    mark: Option<Date>,
    destination: Country,
) -> String {
    let (w, h, left, right) = (640.0, 74.0, 10.0, 10.0);
    let (d0, d1) = (day_number(from), day_number(to).max(day_number(from) + 1.0));
    let x = |d: Date| r2(left + (day_number(d) - d0) / (d1 - d0) * (w - left - right));
    let mut doc = Document::new()
        .set("viewBox", (0, 0, w, h))
        .set("width", w)
        .set("height", h)
        .set("role", "img")
        .set("id", "strip")
        .set("font-family", "DejaVu Sans, Verdana, sans-serif")
        .set("font-size", 10)
        .add(Title::new(format!("Verdict for {destination} on every rule change date, {from} to {to}")));
    for s in spans {
        let (a, b) = (x(s.from), x(s.to.next_day().unwrap_or(s.to)));
        doc = doc.add(
            Rectangle::new()
                .set("x", a)
                .set("y", 14)
                .set("width", r2((b - a).max(1.0)))
                .set("height", 26)
                .set("fill", verdict_colour(s.verdict))
                .set("class", "span")
                .set("data-verdict", s.verdict.as_str())
                .set("data-from", s.from.to_string())
                .add(Title::new(format!("{} to {}: {}", s.from, s.to, s.verdict.as_str().replace('_', " ")))),
        );
    }
    doc = doc
        .add(Text::new(from.to_string()).set("x", left).set("y", 54))
        .add(Text::new(to.to_string()).set("x", w - right).set("y", 54).set("text-anchor", "end"));
    if let Some(m) = mark.filter(|m| *m >= from && *m <= to) {
        let mx = x(m);
        doc = doc
            .add(
                Line::new()
                    .set("x1", mx)
                    .set("x2", mx)
                    .set("y1", 8)
                    .set("y2", 44)
                    .set("stroke", "#000")
                    .set("stroke-width", 2),
            )
            .add(
                Text::new(m.to_string())
                    .set("x", mx)
                    .set("y", 68)
                    .set("text-anchor", "middle")
                    .set("font-weight", "bold"),
            );
    }
    for (i, v) in
        [Verdict::NoLicenseRequired, Verdict::LicenseException, Verdict::LicenseRequired, Verdict::Indeterminate]
            .into_iter()
            .enumerate()
    {
        let lx = left + 150.0 * i as f64;
        doc = doc
            .add(
                Rectangle::new()
                    .set("x", lx)
                    .set("y", 0)
                    .set("width", 10)
                    .set("height", 10)
                    .set("fill", verdict_colour(v)),
            )
            .add(Text::new(v.as_str().replace('_', " ")).set("x", lx + 14.0).set("y", 9));
    }
    doc.to_string()
}
