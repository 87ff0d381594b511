//! The reports, as the CLI will call them (`plot`, `check --format html`): the bands follow the
//! rules in force on the date, the verdict strip follows the rule change dates, the HTML
//! escapes what it is given; and request parsing survives arbitrary bytes.

use export_controls::{Catalog, Options, Query, RuleSet, Verdict};
use export_controls_service::determine::parse_request;
use export_controls_service::pack::{LoadedPack, PackSource};
use export_controls_service::report::{
    bands, bands_svg, bands_svg_for, determination_html, determination_page, esc, verdict_strip_svg, verdict_timeline,
};
use rust_decimal::Decimal;

fn band_at(rules: &RuleSet, on: &str, tpp: i64, pd: &str) -> String {
    let pd: Decimal = pd.parse().unwrap();
    let tpp = Decimal::from(tpp);
    bands(rules, on.parse().unwrap())
        .into_iter()
        .find(|b| b.tpp.0 <= tpp && tpp < b.tpp.1 && b.density.0 <= pd && pd < b.density.1)
        .map(|b| b.eccn)
        .unwrap()
}

#[test]
fn bands_follow_the_rules_in_force() {
    let rules = RuleSet::shipped().unwrap();
    // 2022 text: TPP 4800 (with the 600 GB/s transfer rate), no density test.
    assert_eq!(band_at(&rules, "2023-01-15", 5000, "1"), "3A090.a");
    assert_eq!(band_at(&rules, "2023-01-15", 3000, "10"), "");
    // Before 2022-10-21 nothing.
    assert_eq!(band_at(&rules, "2022-06-01", 50000, "50"), "");
    // 2023 text: .a.1 TPP >= 4800; .a.2 TPP >= 1600 and PD >= 5.92; .b bands below.
    assert_eq!(band_at(&rules, "2024-06-01", 5000, "1"), "3A090.a");
    assert_eq!(band_at(&rules, "2024-06-01", 2000, "6"), "3A090.a");
    assert_eq!(band_at(&rules, "2024-06-01", 3000, "2"), "3A090.b");
    assert_eq!(band_at(&rules, "2024-06-01", 2000, "4"), "3A090.b");
    // H20's cell (TPP 2368, PD 2.91) is in none.
    assert_eq!(band_at(&rules, "2024-06-01", 2368, "2.91"), "");
    assert_eq!(band_at(&rules, "2024-06-01", 1000, "50"), "");
}

#[test]
fn bands_svg_plots_the_catalog_and_highlights_the_product() {
    let pack = LoadedPack::load(&PackSource { rules: None, catalog: None, allow_superseded: false }).unwrap();
    let svg = bands_svg(&pack, "2024-06-01".parse().unwrap(), &[], Some("nvidia-h20")).unwrap();
    assert!(svg.starts_with("<svg"));
    assert!(svg.contains("<g data-id=\"nvidia-h20\" data-tpp=\"2368\" id=\"highlight\">"));
    assert!(svg.contains("data-id=\"nvidia-h100-sxm5-80gb\""), "the catalog's chips are drawn");
    for label in ["5.92", "4800", "1600", "2400", "3.2", "1.6"] {
        assert!(svg.contains(&format!("\n{label}\n</text>")), "no threshold label {label}");
    }
    let old = bands_svg(&pack, "2023-01-15".parse().unwrap(), &[], None).unwrap();
    assert!(!old.contains("\n5.92\n</text>"), "no density threshold in the 2022 text");
    assert!(bands_svg(&pack, "2024-06-01".parse().unwrap(), &["nope".into()], None).unwrap_err().contains("nope"));
    let two =
        bands_svg(&pack, "2024-06-01".parse().unwrap(), &["nvidia-h20".into(), "amd-mi300x".into()], None).unwrap();
    assert_eq!(two.matches("class=\"chip\"").count(), 2);
}

#[test]
fn the_strip_changes_on_2025_04_09_for_h20_to_china() {
    let rules = RuleSet::shipped().unwrap();
    let catalog = Catalog::shipped().unwrap();
    let h20 = catalog.get("nvidia-h20").unwrap();
    // An exporter that states it is not a front-end fabricator or OSAT (Note 1 to 3A090.a):
    // unstated, the H20 (non-planar) is open from 2025-01-31 until the letter.
    let ordinary = export_controls::model::Exporter { front_end_fabricator_or_osat: Some(false), ..Default::default() };
    let q = Query::export_to("CN".parse().unwrap(), "2024-06-01".parse().unwrap()).with_exporter(ordinary);
    let (from, to) = ("2022-10-01".parse().unwrap(), "2026-09-24".parse().unwrap());
    let spans = verdict_timeline(&rules, h20, &q, from, to);
    assert_eq!(spans.first().unwrap().from, from);
    assert_eq!(spans.last().unwrap().to, to);
    for w in spans.windows(2) {
        assert_eq!(w[0].to.next_day(), Some(w[1].from), "spans are contiguous");
        assert_ne!(w[0].verdict, w[1].verdict, "spans are merged");
    }
    let on = |d: &str| {
        let d = d.parse().unwrap();
        spans.iter().find(|s| s.from <= d && d <= s.to).unwrap().verdict
    };
    assert_eq!(on("2024-06-01"), Verdict::NoLicenseRequired);
    assert_eq!(on("2025-04-20"), Verdict::LicenseRequired);
    // The is-informed letter of 2025-04-09 (rules/us-ear/is-informed.toml) starts a span.
    assert_eq!(on("2025-04-08"), Verdict::NoLicenseRequired);
    assert_eq!(on("2025-04-09"), Verdict::LicenseRequired);
    assert!(spans.iter().any(|s| s.from.to_string() == "2025-04-09"));
    // Each span's verdict is the engine's on any day inside it.
    for s in &spans {
        let mut q = q.clone();
        q.date = s.to;
        assert_eq!(rules.evaluate(h20, &q, Options { trace: false }).unwrap().verdict, s.verdict);
    }
    let svg = verdict_strip_svg(&spans, from, to, Some("2025-04-20".parse().unwrap()), "CN".parse().unwrap());
    assert_eq!(svg.matches("class=\"span\"").count(), spans.len());
    assert!(svg.contains("\n2025-04-20\n</text>"));
}

#[test]
fn determination_html_escapes_and_derives() {
    let rules = RuleSet::shipped().unwrap();
    let catalog = Catalog::shipped().unwrap();
    // A prepared product is read-only: the renamed product is prepared anew.
    let mut product = catalog.get("nvidia-h20").unwrap().product().clone();
    product.name = "<script>alert('x')</script> & co".into();
    let h20 = export_controls::PreparedProduct::new(product);
    let q = Query::export_to("CN".parse().unwrap(), "2025-04-20".parse().unwrap());
    let d = rules.evaluate(&h20, &q, Options { trace: true }).unwrap();
    let html = determination_html(&d);
    assert!(!html.contains("<script>"));
    assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co"));
    assert!(html.contains("data-verdict=\"license_required\""));
    assert!(html.contains("2368 = processor: 296 TOPS (fp8) × 8 bits = 2368"));
    assert!(html.contains("2.9091 = 2368 / 814"));
    let page = determination_page(&rules, &catalog, &h20, &d);
    assert!(page.starts_with("<!DOCTYPE html>") && page.contains("id=\"highlight\""));
    let svg = bands_svg_for(&rules, &catalog, d.as_of, &[], Some(&h20)).unwrap();
    assert!(svg.contains("&lt;script&gt;"), "SVG text is escaped too");
    assert!(!svg.contains("<script>"));
    assert_eq!(esc("\"'<>&"), "&quot;&#39;&lt;&gt;&amp;");
}

#[test]
fn parsing_requests_never_panics() {
    let pack = LoadedPack::load(&PackSource { rules: None, catalog: None, allow_superseded: false }).unwrap();
    let seeds: [&[u8]; 12] = [
        b"",
        b"{",
        b"null",
        b"[]",
        b"{\"product\":1}",
        b"{\"product\":\"nvidia-h20\",\"destination\":\"CN\",\"date\":\"2024-13-40\"}",
        b"{\"product_sheet\":\"\\u0000\"}",
        b"{\"product_sheet\":\"id = \\\"x\\\"\\nname = 1\"}",
        b"{\"product\":\"nvidia-h20\",\"destination\":\"CN\",\"date\":\"2024-06-01\",\"party\":[{\"role\":\"end_user\",\"owner\":[{\"name\":\"a\",\"percent\":\"250\"}]}]}",
        b"\xff\xfe{}",
        b"{\"product\":\"nvidia-h20\",\"destination\":\"CN\",\"date\":\"2024-06-01\",\"quantity\":-1}",
        b"{\"product\":\"nvidia-h20\",\"destination\":\"CN\",\"date\":\"2024-06-01\",\"exporter\":{\"x\":true}}",
    ];
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for seed in seeds {
        assert!(parse_request(&pack, seed).is_err(), "{:?}", String::from_utf8_lossy(seed));
        // Mutations of each seed: flipped, inserted and deleted bytes.
        for _ in 0..300 {
            let mut b = seed.to_vec();
            for _ in 0..(1 + next() % 4) {
                let r = next();
                let i = if b.is_empty() { 0 } else { (r as usize >> 8) % b.len() };
                match r % 3 {
                    0 if !b.is_empty() => b[i] ^= (r >> 32) as u8,
                    1 => b.insert(i, (r >> 40) as u8),
                    _ if !b.is_empty() => {
                        b.remove(i);
                    }
                    _ => {}
                }
            }
            let _ = parse_request(&pack, &b);
        }
    }
}
