//! A determination as HTML: a fragment for the page ([`determination_html`]) and a stand-alone
//! report filed with the record ([`determination_page`]). Every text is escaped ([`esc`]).

use export_controls::{Catalog, Determination, PreparedProduct, RuleSet};

use super::bands::bands_svg_for;

/// Escapes text for HTML element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn list(out: &mut String, items: impl IntoIterator<Item = String>, empty: &str) {
    let items: Vec<String> = items.into_iter().collect();
    if items.is_empty() {
        out.push_str(&format!("<p class=\"none\">{}</p>\n", esc(empty)));
        return;
    }
    out.push_str("<ul>\n");
    for i in items {
        out.push_str(&format!("<li>{i}</li>\n"));
    }
    out.push_str("</ul>\n");
}

/// A determination as an HTML fragment (a `<section>`): the verdict, the classification, the
/// metrics with their derivation (TPP = Σ rate × bit length; density = TPP / applicable die
/// area), the licence requirements with citations and review policies, the exceptions with
/// their obligations, missing facts, warnings and scope. Every text is escaped.
pub fn determination_html(d: &Determination) -> String {
    let mut o = String::new();
    verdict_and_facts(&mut o, d);
    classification(&mut o, d);
    metrics(&mut o, d);
    requirements(&mut o, d);
    exceptions(&mut o, d);
    o.push_str("<h3>Missing facts</h3>\n");
    list(&mut o, d.missing.iter().map(|x| esc(x)), "None: every fact the outcome depends on was given.");
    o.push_str("<h3>Warnings</h3>\n");
    list(&mut o, d.warnings.iter().map(|x| esc(x)), "None.");
    o.push_str("<details><summary>Scope of this determination</summary>\n");
    list(&mut o, d.scope.iter().map(|x| esc(x)), "");
    o.push_str("</details>\n</section>\n");
    o
}

/// The verdict and what was decided: product, route, date and pack.
fn verdict_and_facts(o: &mut String, d: &Determination) {
    let v = d.verdict.as_str();
    o.push_str(&format!(
        "<section class=\"determination\" aria-live=\"polite\">\n<h2>Verdict: <span id=\"verdict\" class=\"verdict {v}\" data-verdict=\"{v}\">{}</span></h2>\n",
        esc(&v.replace('_', " "))
    ));
    o.push_str(&format!(
        "<p>{} ({}) from {} to {} ({}) on {}. Pack {} {} <code>sha256 {}</code>.</p>\n",
        esc(&d.product.name),
        esc(&d.product.id),
        esc(&d.exported_from.as_ref().map_or_else(|| "a country not stated".to_string(), |c| c.code.to_string())),
        esc(&d.destination.name),
        esc(&d.destination.code.to_string()),
        d.as_of,
        esc(&d.rules.name),
        esc(&d.rules.version),
        esc(&d.rules.sha256)
    ));
}

/// The ECCN and paragraphs, and those missing facts leave open.
fn classification(o: &mut String, d: &Determination) {
    o.push_str("<h3>Classification</h3>\n");
    if d.eccns.is_empty() {
        o.push_str("<p id=\"classification\">Not in any classification paragraph of the pack (3A090/4A090).</p>\n");
    } else {
        o.push_str(&format!(
            "<p id=\"classification\">ECCN {} (paragraphs {})</p>\n",
            esc(&d.eccns.join(", ")),
            esc(&d.paragraphs.join(", "))
        ));
    }
    if !d.undetermined_paragraphs.is_empty() {
        o.push_str(&format!("<p>May also be: {}</p>\n", esc(&d.undetermined_paragraphs.join(", "))));
    }
}

/// The metrics with their derivation: TPP = Σ rate × bit length, density = TPP / applicable
/// die area (15 CFR 774 Supp. No. 1, ECCN 3A090, Technical Notes).
fn metrics(o: &mut String, d: &Determination) {
    o.push_str("<h3>Metrics</h3>\n<dl class=\"metrics\">\n");
    let m = &d.metrics;
    let terms: Vec<String> = m
        .tpp_terms
        .iter()
        .map(|t| format!("{}: {} TOPS ({}) × {} bits = {}", t.unit, t.tops, t.precision.as_str(), t.bits, t.tpp))
        .collect();
    o.push_str(&format!(
        "<dt>TPP (bit × TOPS)</dt><dd id=\"tpp\">{}{}</dd>\n",
        esc(m.tpp.as_deref().unwrap_or("unknown")),
        if terms.is_empty() { String::new() } else { format!(" = {}", esc(&terms.join(" + "))) }
    ));
    o.push_str(&format!(
        "<dt>Applicable die area (mm²)</dt><dd>{}</dd>\n",
        esc(m.applicable_die_area.as_deref().unwrap_or("unknown"))
    ));
    o.push_str(&format!(
        "<dt>Performance density (TPP / mm²)</dt><dd id=\"density\">{}{}</dd>\n",
        esc(m.performance_density.as_deref().unwrap_or("unknown")),
        match (&m.tpp, &m.applicable_die_area, &m.performance_density) {
            (Some(t), Some(a), Some(_)) => format!(" = {} / {}", esc(t), esc(a)),
            _ => String::new(),
        }
    ));
    for (label, val) in [
        ("Interconnect bandwidth (GB/s)", &m.interconnect_bandwidth),
        ("Memory bandwidth (GB/s)", &m.memory_bandwidth),
        ("Memory bandwidth density (GB/s per mm²)", &m.memory_bandwidth_density),
    ] {
        if let Some(v) = val {
            o.push_str(&format!("<dt>{label}</dt><dd>{}</dd>\n", esc(v)));
        }
    }
    o.push_str(&format!("</dl>\n<p class=\"small\">{}</p>\n", esc(&m.rounding)));
}

/// The licence requirements with their reasons, review policies, what overcomes them and
/// citations.
fn requirements(o: &mut String, d: &Determination) {
    o.push_str("<h3>Licence requirements</h3>\n");
    list(
        o,
        d.requirements.iter().map(|r| {
            let policy = r
                .review_policy
                .map(|p| format!("; review policy: {}", esc(&p.as_str().replace('_', " "))))
                .unwrap_or_default();
            let over = if r.overcome_by.is_empty() {
                String::new()
            } else {
                format!("; overcome by {}", esc(&r.overcome_by_text()))
            };
            format!(
                "<strong>{}</strong> {} (reason {}; {:?}{policy}{over})<br><cite>{}</cite>{}",
                esc(&r.id),
                esc(&r.title),
                esc(&r.reason),
                r.certainty,
                esc(&r.source),
                if r.destination_basis.is_empty() {
                    String::new()
                } else {
                    format!("<br>{}", esc(&r.destination_basis.join("; ")))
                }
            )
        }),
        "None.",
    );
}

/// The licence exceptions available, with their obligations and citations.
fn exceptions(o: &mut String, d: &Determination) {
    o.push_str("<h3>Licence exceptions</h3>\n");
    list(
        o,
        d.exceptions.iter().map(|e| {
            let obligations: String = e.obligations.iter().map(|x| format!("<li>{}</li>", esc(x))).collect();
            format!(
                "<strong>{} ({})</strong> {}, overcomes {}<br><cite>{}</cite><ul class=\"obligations\">{obligations}</ul>",
                esc(&e.name),
                esc(&e.id),
                esc(&e.title),
                esc(&e.overcomes.join(", ")),
                esc(&e.source)
            )
        }),
        "None available.",
    );
}

/// A determination as a stand-alone HTML document (for `check --format html`): the fragment of
/// [`determination_html`], the bands on its date with the product highlighted, and a style
/// sheet; no external resources.
pub fn determination_page(rules: &RuleSet, catalog: &Catalog, product: &PreparedProduct, d: &Determination) -> String {
    let svg = bands_svg_for(rules, catalog, d.as_of, &[], Some(product)).unwrap_or_default();
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{} to {} on {}: {}</title>\n<style>{}</style>\n</head>\n<body>\n<main class=\"cols\">\n<div>{}</div>\n<div>{}</div>\n</main>\n</body>\n</html>\n",
        esc(&d.product.name),
        esc(&d.destination.code.to_string()),
        d.as_of,
        esc(d.verdict.as_str()),
        STYLE,
        determination_html(d),
        svg
    )
}

/// The style sheet of the HTML reports and the page (inline, no external resources).
pub const STYLE: &str =
    "body{font-family:DejaVu Sans,Verdana,sans-serif;margin:1rem 2rem;color:#1b1b1b;max-width:1400px}
.cols{display:flex;flex-wrap:wrap;gap:2rem}.cols>div{flex:1 1 560px;min-width:0}
label{display:block;font-weight:bold;margin-top:.6rem}input,select,textarea{font:inherit;padding:.3rem;max-width:100%}
textarea{width:100%}button{font:inherit;padding:.4rem 1.2rem;margin-top:.8rem}
:focus-visible{outline:3px solid #d35400;outline-offset:2px}
.verdict{padding:.1rem .5rem;border-radius:4px;color:#fff}.no_license_required{background:#3c8d40}
.license_exception{background:#2f6fb3}.license_required{background:#b8322a}.indeterminate{background:#8a6d1d}
cite{font-size:.85em;color:#444}.small,.hint{font-size:.85em;color:#555}dt{font-weight:bold}dd{margin:0 0 .4rem 1rem}
.problem{border:2px solid #b8322a;padding:.5rem 1rem}svg{max-width:100%;height:auto}";
