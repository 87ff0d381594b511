//! The TPP × performance-density plane with the ECCN 3A090.a/.b bands in force on a date, the
//! catalog's chips plotted and one product highlighted ([`bands_svg_for`]).

use export_controls::model::{LogicDie, Precision, ProcessingUnit, Product, ProductKind, Rate};
use export_controls::ruleset::condition::{Expr, Operand};
use export_controls::ruleset::vocabulary::Attr;
use export_controls::{Catalog, Date, EvaluateError, Options, PreparedProduct, RuleSet};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use svg::Document;
use svg::node::element::{Circle, Group, Line, Rectangle, Text, Title};

use super::geometry::{
    BOTTOM, H, LEFT, RIGHT, TOP, W, X_RANGE, Y_RANGE, attr_safe, band_colour, clamp_x, clamp_y, r2, x_of, y_of,
};

/// Every number a classification rule in force on `on` compares `attr` with, in order.
fn thresholds(rules: &RuleSet, on: Date, attr: Attr) -> Vec<Decimal> {
    fn walk(e: &Expr, attr: Attr, out: &mut Vec<Decimal>) {
        match e {
            Expr::And(v) | Expr::Or(v) => v.iter().for_each(|x| walk(x, attr, out)),
            Expr::Not(x) => walk(x, attr, out),
            Expr::Cmp { lhs, rhs, .. } => match (lhs, rhs) {
                (Operand::Attr(a), Operand::Num(n)) | (Operand::Num(n), Operand::Attr(a)) if *a == attr => {
                    out.push(*n);
                }
                _ => {}
            },
            Expr::Const(_) | Expr::Flag(_) | Expr::Meets { .. } => {}
        }
    }
    let mut out = Vec::new();
    for c in rules.classifications() {
        if c.meta.period.contains(on) && c.kinds.contains(&ProductKind::IntegratedCircuit) {
            walk(&c.when, attr, &mut out);
        }
    }
    out.sort();
    out.dedup();
    out
}

/// A datacenter IC with exactly this TPP (one unit, 8-bit rate = TPP / 8) and this density
/// (one non-planar die of area TPP / density), meeting the 2022 interconnect test: the point
/// the bands are drawn for.
fn synthetic(tpp: Decimal, pd: Decimal) -> Option<PreparedProduct> {
    let area = tpp.checked_div(pd)?.round_dp(6);
    let tops = tpp.checked_div(Decimal::from(8))?;
    let product = Product {
        designed_or_marketed_for_datacenter: Some(true),
        commercially_available_in_us: Some(true),
        interconnect_bandwidth_gbps: Some(Decimal::from(1_000_000)),
        processing_units: vec![ProcessingUnit {
            name: "probe".into(),
            rates: vec![Rate { precision: Precision::Fp8, tops }],
            complete: true,
            unsupported: Vec::new(),
        }],
        logic_dies: vec![LogicDie {
            name: None,
            area_mm2: Some(area),
            count: 1,
            non_planar: Some(true),
            at_or_below_16_14nm: None,
            wafer_scale: false,
        }],
        ..Product::blank("band-probe", "band probe", ProductKind::IntegratedCircuit)
    };
    Some(PreparedProduct::new(product))
}

/// A decimal from an f64 axis bound (10^k), exact enough for a cell edge.
fn dec(x: f64) -> Decimal {
    Decimal::try_from(x).unwrap_or_default().round_dp(4)
}

/// One rectangle of the plane with the ECCN the engine gives every point in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    /// TPP from (inclusive) and to, bit × TOPS.
    pub tpp: (Decimal, Decimal),
    /// Performance density from and to, TPP per mm².
    pub density: (Decimal, Decimal),
    /// ECCN (e.g. `3A090.a`), empty when none.
    pub eccn: String,
    /// The paragraphs that hold there, e.g. `3A090.a.2`.
    pub paragraphs: Vec<String>,
}

/// The plane cut at every TPP and density threshold of the classification rules in force on
/// `on`, each cell classified by the engine (for a datacenter IC meeting the 2022 interconnect
/// test), within TPP 100–100,000 and density 0.1–100.
pub fn bands(rules: &RuleSet, on: Date) -> Vec<Band> {
    let edges = |attr, lo: f64, hi: f64| {
        let (lo, hi) = (dec(10f64.powf(lo)), dec(10f64.powf(hi)));
        let mut v = vec![lo];
        v.extend(thresholds(rules, on, attr).into_iter().filter(|t| *t > lo && *t < hi));
        v.push(hi);
        v
    };
    let xs = edges(Attr::Tpp, X_RANGE.0, X_RANGE.1);
    let ys = edges(Attr::PerformanceDensity, Y_RANGE.0, Y_RANGE.1);
    let mut out = Vec::new();
    for xw in xs.windows(2) {
        for yw in ys.windows(2) {
            let (Some(&x0), Some(&x1), Some(&y0), Some(&y1)) = (xw.first(), xw.get(1), yw.first(), yw.get(1)) else {
                continue;
            };
            let mid = |a: Decimal, b: Decimal| ((a + b) / Decimal::TWO).round_dp(4);
            let Some(p) = synthetic(mid(x0, x1), mid(y0, y1)) else { continue };
            let Ok(c) = rules.classify(&p, on, Options { trace: false }) else { continue };
            out.push(Band {
                tpp: (x0, x1),
                density: (y0, y1),
                eccn: c.eccns.first().cloned().unwrap_or_default(),
                paragraphs: c.paragraphs,
            });
        }
    }
    out
}

/// Why a product has no point on the plane, or `None` when it has one.
fn not_drawn_reason(p: &PreparedProduct) -> Option<&'static str> {
    if point(p).is_some() {
        None
    } else if p.metrics().tpp.is_none_or(|t| t.to_f64().is_none_or(|t| t <= 0.0)) {
        Some("TPP unknown")
    } else {
        Some("performance density unknown (no applicable die area)")
    }
}

/// Adds below the plane a note naming the chosen products that are not drawn and why (so that
/// none is left out silently), in a group `id="not-drawn"` whose `data-ids` lists their ids;
/// returns the document and the height added.
fn not_drawn_note(mut doc: Document, chosen: &[&PreparedProduct]) -> (Document, f64) {
    let mut groups: Vec<(&'static str, Vec<&PreparedProduct>)> = Vec::new();
    for p in chosen {
        if let Some(reason) = not_drawn_reason(p) {
            match groups.iter_mut().find(|(r, _)| *r == reason) {
                Some((_, ps)) => ps.push(p),
                None => groups.push((reason, vec![p])),
            }
        }
    }
    if groups.is_empty() {
        return (doc, 0.0);
    }
    let mut lines = Vec::new();
    for (reason, ps) in &groups {
        let mut line = format!("Not drawn, {reason}:");
        for p in ps {
            if line.chars().count() + p.product().name.chars().count() > 100 {
                lines.push(std::mem::take(&mut line));
            }
            line.push(' ');
            line.push_str(&p.product().name);
            line.push(';');
        }
        lines.push(line.trim_end_matches(';').to_string());
    }
    let ids: Vec<String> = groups.iter().flat_map(|(_, ps)| ps.iter().map(|p| attr_safe(&p.product().id))).collect();
    let mut g = Group::new().set("id", "not-drawn").set("data-ids", ids.join(" ")).set("font-size", 10);
    for (i, l) in lines.iter().enumerate() {
        g = g.add(Text::new(l.trim().to_string()).set("x", 8.0).set("y", H + 14.0 * (i as f64 + 0.5)));
    }
    doc = doc.add(g);
    (doc, 14.0 * lines.len() as f64 + 4.0)
}

/// Writes under the plot, from `y`, in bold red, the statement that the pack is a superseded
/// release ([`RuleSet::superseded_statement`]; group `id="superseded"`,
/// `data-superseded-by`), wrapped at about 100 characters; returns the height it takes.
fn superseded_note(doc: Document, rules: &RuleSet, statement: &str, y: f64) -> (Document, f64) {
    let lines = wrapped(statement, 100);
    let mut g = Group::new()
        .set("id", "superseded")
        .set("data-superseded-by", attr_safe(rules.superseded_by().unwrap_or_default()))
        .set("font-weight", "bold")
        .set("fill", "#b8322a");
    for (i, l) in lines.iter().enumerate() {
        g = g.add(Text::new(l.clone()).set("x", 8.0).set("y", y + 14.0 * (i as f64 + 1.0)));
    }
    (doc.add(g), 14.0 * lines.len() as f64 + 6.0)
}

/// A product's point: (TPP, density) when both are known.
fn point(p: &PreparedProduct) -> Option<(f64, f64)> {
    let tpp = p.metrics().tpp?.to_f64()?;
    let pd = p.metrics().performance_density?.rounded(6).to_f64()?;
    (tpp > 0.0 && pd > 0.0).then_some((tpp, pd))
}

/// Whether the pack can draw its bands on `on`: a date before the pack's coverage is refused
/// with the error a determination on that date gets ([`EvaluateError::BeforeCoverage`], the
/// one `check` and `POST /v1/determinations` give), since the pack holds no rule in force then
/// and an empty plane would say that nothing was controlled.
///
/// # Errors
/// [`EvaluateError::BeforeCoverage`] when `on` is before the pack's `coverage_from`.
pub fn plot_date(rules: &RuleSet, on: Date) -> Result<(), EvaluateError> {
    if rules.covers(on) {
        Ok(())
    } else {
        Err(EvaluateError::BeforeCoverage {
            date: on,
            coverage_from: rules.pack().coverage_from,
            pack: rules.pack().name.clone(),
        })
    }
}

/// What the plane cannot know on `on`, when `on` is after the pack's research cut-off
/// (`researched_until`): rules published or in force later are not encoded, so the bands in
/// force then may differ from the pack's. `None` on or before the cut-off.
pub fn after_cut_off_statement(rules: &RuleSet, on: Date) -> Option<String> {
    let p = rules.pack();
    (!rules.researched(on)).then(|| {
        format!(
            "{on} is after {}, the research cut-off of pack {} {}: rules published or in force later are not encoded, so the bands in force on {on} are not known. Shown faded: the bands of the pack's rules, which may no longer be those in force.",
            p.researched_until, p.name, p.version
        )
    })
}

/// `text` cut into lines at spaces, a word going to the next line where it would take the line
/// past `width` characters (a longer word stands alone on its line).
fn wrapped(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = vec![String::new()];
    for word in text.split(' ') {
        let Some(last) = lines.last_mut() else { break };
        if !last.is_empty() && last.chars().count() + word.chars().count() > width {
            lines.push(word.to_string());
        } else {
            if !last.is_empty() {
                last.push(' ');
            }
            last.push_str(word);
        }
    }
    lines
}

/// Covers the plot area with a white veil and writes over it, boxed, the statement of
/// [`after_cut_off_statement`] (group `id="after-cut-off"`, `data-researched-until`).
fn after_cut_off_veil(doc: Document, rules: &RuleSet, statement: &str) -> Document {
    let lines = wrapped(statement, 78);
    let (x0, y0, w) = (LEFT + 10.0, TOP + 40.0, W - LEFT - RIGHT - 20.0);
    let h = 16.0 * lines.len() as f64 + 12.0;
    let mut g = Group::new()
        .set("id", "after-cut-off")
        .set("data-researched-until", rules.pack().researched_until.to_string())
        .add(
            Rectangle::new()
                .set("x", LEFT)
                .set("y", TOP)
                .set("width", W - LEFT - RIGHT)
                .set("height", H - TOP - BOTTOM)
                .set("fill", "#fff")
                .set("fill-opacity", 0.6),
        )
        .add(
            Rectangle::new()
                .set("x", x0)
                .set("y", y0)
                .set("width", w)
                .set("height", h)
                .set("fill", "#fff")
                .set("stroke", "#b8322a")
                .set("stroke-width", 2),
        );
    for (i, l) in lines.iter().enumerate() {
        g = g.add(
            Text::new(l.clone())
                .set("x", x0 + 8.0)
                .set("y", y0 + 18.0 + 16.0 * i as f64)
                .set("font-weight", if i == 0 { "bold" } else { "normal" })
                .set("fill", "#1b1b1b"),
        );
    }
    doc.add(g)
}

/// The TPP × performance-density plane as SVG: the 3A090.a/.b bands in force on `on` (from
/// [`bands`]), threshold lines labelled with their values, the catalog's integrated circuits as
/// chips (or only `products`, when given), and `highlight` (a catalog product, or any prepared
/// product such as a pasted sheet) ringed and labelled, with `id="highlight"`.
///
/// Axes are logarithmic: TPP (bit × TOPS; 15 CFR 774 Supp. 1, 3A090 Technical Note: dense rate
/// × bit length) from 100 to 100,000, performance density (TPP per mm² of applicable die area)
/// from 0.1 to 100. Points outside are drawn on the edge.
///
/// A date before the pack's coverage is refused ([`plot_date`]); a date after its research
/// cut-off is drawn under a veil that says the bands in force then are not known
/// ([`after_cut_off_statement`]), never as if they were.
///
/// # Errors
/// A message naming an unknown product id, or the date before the pack's coverage.
pub fn bands_svg_for(
    rules: &RuleSet,
    catalog: &Catalog,
    on: Date,
    products: &[String],
    highlight: Option<&PreparedProduct>,
) -> Result<String, String> {
    plot_date(rules, on).map_err(|e| e.to_string())?;
    let mut chosen: Vec<&PreparedProduct> = Vec::new();
    for id in products {
        match catalog.get(id) {
            Some(p) => chosen.push(p),
            None => {
                let hint = export_controls::catalog::did_you_mean_text(&catalog.suggest(id))
                    .map(|s| format!(" ({s})"))
                    .unwrap_or_default();
                return Err(format!("unknown product `{id}`{hint}"));
            }
        }
    }
    if chosen.is_empty() {
        chosen = catalog.iter().filter(|p| p.product().kind == ProductKind::IntegratedCircuit).collect();
    }
    let mut doc = Document::new()
        .set("viewBox", (0, 0, W, H))
        .set("width", W)
        .set("height", H)
        .set("role", "img")
        .set("font-family", "DejaVu Sans, Verdana, sans-serif")
        .set("font-size", 11)
        .set("id", "bands");
    let after_cut_off = after_cut_off_statement(rules, on);
    let superseded = rules.superseded_statement();
    doc = doc.add(Title::new(format!(
        "{}ECCN 3A090.a and .b bands in force on {on} (pack {} {}), TPP against performance density{}",
        superseded.as_ref().map(|s| format!("{s} ")).unwrap_or_default(),
        rules.pack().name,
        rules.pack().version,
        after_cut_off.as_ref().map(|s| format!(": not known. {s}")).unwrap_or_default()
    )));
    doc = doc
        .add(band_cells(rules, on))
        .add(threshold_lines(rules, on))
        .add(axes(on))
        .add(chip_points(&chosen, highlight));
    let (doc_with_note, mut extra) = not_drawn_note(doc, &chosen);
    doc = doc_with_note;
    if let Some(s) = &superseded {
        let (with_line, more) = superseded_note(doc, rules, s, H + extra);
        doc = with_line;
        extra += more;
    }
    doc = doc.set("viewBox", (0.0, 0.0, W, H + extra)).set("height", H + extra);
    if let Some(h) = highlight {
        doc = highlight_mark(doc, h);
    }
    doc = doc.add(legend());
    if let Some(statement) = &after_cut_off {
        doc = after_cut_off_veil(doc, rules, statement);
    }
    Ok(doc.to_string())
}

/// The cells between the 3A090 thresholds in force on `on`, each coloured by the ECCN the
/// engine gives a product at its corner ([`bands`]), titled with its ranges.
fn band_cells(rules: &RuleSet, on: Date) -> Group {
    let mut g = Group::new().set("class", "bands");
    for b in bands(rules, on) {
        let (x0, x1) = (x_of(b.tpp.0.to_f64().unwrap_or(1.0)), x_of(b.tpp.1.to_f64().unwrap_or(1.0)));
        let (y0, y1) = (y_of(b.density.1.to_f64().unwrap_or(1.0)), y_of(b.density.0.to_f64().unwrap_or(1.0)));
        let label = if b.eccn.is_empty() {
            format!("TPP {}–{}, density {}–{}: not 3A090.a/.b", b.tpp.0, b.tpp.1, b.density.0, b.density.1)
        } else {
            format!(
                "TPP {}–{}, density {}–{}: {} ({})",
                b.tpp.0,
                b.tpp.1,
                b.density.0,
                b.density.1,
                b.eccn,
                b.paragraphs.join(", ")
            )
        };
        g = g.add(
            Rectangle::new()
                .set("x", x0)
                .set("y", y0)
                .set("width", r2((x1 - x0).max(0.0)))
                .set("height", r2((y1 - y0).max(0.0)))
                .set("fill", band_colour(&b.eccn))
                .set("data-eccn", attr_safe(&b.eccn))
                .add(Title::new(label)),
        );
    }
    g
}

/// The TPP and performance-density thresholds in force on `on` as dashed lines, labelled.
fn threshold_lines(rules: &RuleSet, on: Date) -> Group {
    let mut lines = Group::new().set("class", "thresholds").set("stroke", "#555").set("stroke-dasharray", "4 3");
    for t in thresholds(rules, on, Attr::Tpp) {
        let x = x_of(t.to_f64().unwrap_or(0.0));
        if x > LEFT && x < W - RIGHT {
            lines = lines.add(Line::new().set("x1", x).set("x2", x).set("y1", TOP).set("y2", H - BOTTOM)).add(
                Text::new(format!("{t}"))
                    .set("x", x + 2.0)
                    .set("y", TOP + 10.0)
                    .set("stroke", "none")
                    .set("fill", "#333"),
            );
        }
    }
    for t in thresholds(rules, on, Attr::PerformanceDensity) {
        let y = y_of(t.to_f64().unwrap_or(0.0));
        if y > TOP && y < H - BOTTOM {
            lines = lines.add(Line::new().set("x1", LEFT).set("x2", W - RIGHT).set("y1", y).set("y2", y)).add(
                Text::new(format!("{t}"))
                    .set("x", LEFT + 3.0)
                    .set("y", y - 3.0)
                    .set("stroke", "none")
                    .set("fill", "#333"),
            );
        }
    }
    lines
}

/// The axes, their logarithmic ticks and titles, and the line saying what the bands assume.
fn axes(on: Date) -> Group {
    let mut axes = Group::new().set("class", "axes").set("stroke", "#222");
    axes = axes
        .add(Line::new().set("x1", LEFT).set("x2", W - RIGHT).set("y1", H - BOTTOM).set("y2", H - BOTTOM))
        .add(Line::new().set("x1", LEFT).set("x2", LEFT).set("y1", TOP).set("y2", H - BOTTOM));
    for (k, label) in [(2, "100"), (3, "1,000"), (4, "10,000"), (5, "100,000")] {
        let x = x_of(10f64.powi(k));
        axes = axes.add(Line::new().set("x1", x).set("x2", x).set("y1", H - BOTTOM).set("y2", H - BOTTOM + 5.0)).add(
            Text::new(label).set("x", x).set("y", H - BOTTOM + 18.0).set("text-anchor", "middle").set("stroke", "none"),
        );
    }
    for (k, label) in [(-1, "0.1"), (0, "1"), (1, "10"), (2, "100")] {
        let y = y_of(10f64.powi(k));
        axes = axes.add(Line::new().set("x1", LEFT - 5.0).set("x2", LEFT).set("y1", y).set("y2", y)).add(
            Text::new(label).set("x", LEFT - 8.0).set("y", y + 4.0).set("text-anchor", "end").set("stroke", "none"),
        );
    }
    axes = axes
        .add(
            Text::new("TPP (bit × TOPS: dense rate × bit length), log scale")
                .set("x", (LEFT + W - RIGHT) / 2.0)
                .set("y", H - 22.0)
                .set("text-anchor", "middle")
                .set("stroke", "none"),
        )
        .add(
            Text::new("performance density (TPP / mm²)")
                .set("transform", format!("translate(16 {}) rotate(-90)", (TOP + H - BOTTOM) / 2.0))
                .set("text-anchor", "middle")
                .set("stroke", "none"),
        )
        .add(
            Text::new(format!(
                "bands in force on {on} for a datacenter IC meeting the 2022 600 GB/s interconnect test"
            ))
            .set("x", LEFT)
            .set("y", H - 6.0)
            .set("font-size", 10)
            .set("stroke", "none")
            .set("fill", "#444"),
        );
    axes
}

/// The chosen products as points (the highlighted one apart), each titled with its TPP and
/// performance density.
fn chip_points(chosen: &[&PreparedProduct], highlight: Option<&PreparedProduct>) -> Group {
    let mut chips = Group::new().set("class", "chips");
    let highlight_id = highlight.map(|h| h.product().id.clone());
    for p in chosen {
        if Some(&p.product().id) == highlight_id.as_ref() {
            continue;
        }
        if let Some((t, d)) = point(p) {
            chips = chips.add(
                Circle::new()
                    .set("cx", clamp_x(x_of(t)))
                    .set("cy", clamp_y(y_of(d)))
                    .set("r", 3.5)
                    .set("fill", "#34495e")
                    .set("fill-opacity", 0.75)
                    .set("class", "chip")
                    .set("data-id", attr_safe(&p.product().id))
                    .add(Title::new(format!(
                        "{} ({}): TPP {}, density {}",
                        p.product().name,
                        p.product().id,
                        p.metrics().tpp.map(|x| x.to_string()).unwrap_or_default(),
                        p.metrics().performance_density.map(|x| x.rounded(2).to_string()).unwrap_or_default()
                    ))),
            );
        }
    }
    chips
}

/// The highlighted product: a larger point labelled inside the plot, or a line saying why it
/// is not plotted.
fn highlight_mark(mut doc: Document, h: &PreparedProduct) -> Document {
    match point(h) {
        Some((t, d)) => {
            let (x, y) = (clamp_x(x_of(t)), clamp_y(y_of(d)));
            let label = format!(
                "{} (TPP {}, density {})",
                h.product().name,
                h.metrics().tpp.map(|x| x.to_string()).unwrap_or_default(),
                h.metrics().performance_density.map(|x| x.rounded(2).to_string()).unwrap_or_default()
            );
            // The label (bold, about 6.6 units a character) goes right of the point, else
            // left of it, else centred above it, always inside the plot.
            let width = 6.6 * label.chars().count() as f64;
            let (lx, ly, anchor) = if x + 10.0 + width <= W - RIGHT {
                (x + 10.0, y - 8.0, "start")
            } else if x - 10.0 - width >= LEFT {
                (x - 10.0, y - 8.0, "end")
            } else {
                let lo = LEFT + width / 2.0;
                let hi = (W - RIGHT - width / 2.0).max(lo);
                (r2(x.clamp(lo, hi)), if y - 14.0 > TOP + 10.0 { y - 14.0 } else { y + 22.0 }, "middle")
            };
            doc = doc.add(
                Group::new()
                    .set("id", "highlight")
                    .set("data-id", attr_safe(&h.product().id))
                    .set("data-tpp", h.metrics().tpp.map(|x| x.to_string()).unwrap_or_default())
                    .add(
                        Circle::new()
                            .set("cx", x)
                            .set("cy", y)
                            .set("r", 7)
                            .set("fill", "#d35400")
                            .set("stroke", "#000")
                            .set("stroke-width", 1.5),
                    )
                    .add(
                        Text::new(label)
                            .set("x", lx)
                            .set("y", ly)
                            .set("text-anchor", anchor)
                            .set("font-weight", "bold")
                            .set("paint-order", "stroke")
                            .set("stroke", "#fff")
                            .set("stroke-width", 3),
                    ),
            );
        }
        None => {
            doc = doc.add(
                Text::new(format!("{}: not plotted (TPP or performance density unknown)", h.product().name))
                    .set("id", "highlight-missing")
                    .set("x", LEFT + 10.0)
                    .set("y", TOP + 24.0),
            );
        }
    }
    doc
}

/// The legend of the band colours.
fn legend() -> Group {
    let mut legend = Group::new().set("class", "legend");
    for (i, (eccn, label)) in [("3A090.a", "3A090.a"), ("3A090.b", "3A090.b"), ("", "neither")].into_iter().enumerate()
    {
        let x = W - RIGHT - 230.0 + 78.0 * i as f64;
        legend = legend
            .add(
                Rectangle::new()
                    .set("x", x)
                    .set("y", H - BOTTOM - 20.0)
                    .set("width", 12)
                    .set("height", 12)
                    .set("fill", band_colour(eccn))
                    .set("stroke", "#555"),
            )
            .add(Text::new(label).set("x", x + 16.0).set("y", H - BOTTOM - 10.0));
    }
    legend
}

/// [`bands_svg_for`] with the pack and catalog a server (or the CLI) loaded, highlighting a
/// catalog product by id.
///
/// # Errors
/// A message naming an unknown product id.
pub fn bands_svg(
    pack: &crate::pack::LoadedPack,
    on: Date,
    products: &[String],
    highlight: Option<&str>,
) -> Result<String, String> {
    let h = match highlight {
        Some(id) => Some(pack.catalog.get(id).ok_or_else(|| format!("highlight: unknown product `{id}`"))?),
        None => None,
    };
    bands_svg_for(pack.rules(), &pack.catalog, on, products, h)
}
