//! Impact analysis between dates and between rule packs.

use std::path::Path;

use export_controls::impact::{ImpactQuery, PartyProfile, Side, impact};
use export_controls::ruleset::{SourceFile, compile};
use export_controls::{Catalog, Country, Date, RuleSet};

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

fn c(s: &str) -> Country {
    s.parse().unwrap()
}

#[test]
fn the_h20_letter_shows_between_2025_04_08_and_2025_04_10() {
    let rules = RuleSet::shipped().unwrap();
    let catalog = Catalog::shipped().unwrap();
    let q = ImpactQuery { products: vec![], destinations: vec![c("CN"), c("FR"), c("MO")], profiles: vec![] };
    let rows = impact(
        &catalog,
        Side { rules: &rules, date: d("2025-04-08") },
        Side { rules: &rules, date: d("2025-04-10") },
        &q,
    );
    // NVIDIA was informed on 2025-04-09 (8-K of 2025-04-15): H20 to China and Macau (D:5 and
    // Macau) needs a licence, and so does the HGX H20 board that contains it; France is outside
    // the letter. AMD's MI308 letter came on 2025-04-15. The letter also reaches NVIDIA ICs with
    // the H20's bandwidths that already needed a licence (H100, H200, B200...): their verdict
    // stays, their requirements change. Intel's customer notice (applied from the same day,
    // failing closed) settles the Gaudi 3 HL-328, indeterminate before for want of its TPP.
    // The letter's line was never published: NVIDIA parts between the line reported that week
    // (1,400 GB/s of memory bandwidth: Intel's notice) and the H20's figures are held open
    // (pack 0.1.36, tester round 11, W12): the RTX 5090 D (1,792 GB/s, no licence before) and
    // the RTX 5090 (1,792 GB/s, non-datacenter 3A090.a, under NAC before: a letter is not
    // overcome by NAC) become indeterminate.
    let verdict_changed: Vec<(String, String)> = rows
        .iter()
        .filter(|r| r.before.verdict != r.after.verdict)
        .map(|r| (r.product.clone(), r.destination.to_string()))
        .collect();
    let row = |p: &str, c: &str| (p.to_string(), c.to_string());
    assert_eq!(
        verdict_changed,
        [
            row("intel-gaudi3-hl328", "CN"),
            row("intel-gaudi3-hl328", "MO"),
            row("nvidia-h20", "CN"),
            row("nvidia-h20", "MO"),
            row("nvidia-hgx-h20", "CN"),
            row("nvidia-hgx-h20", "MO"),
            row("nvidia-rtx-5090", "CN"),
            row("nvidia-rtx-5090", "MO"),
            row("nvidia-rtx-5090d", "CN"),
            row("nvidia-rtx-5090d", "MO")
        ]
    );
    assert!(rows.iter().all(|r| r.destination.to_string() != "FR"));
    let cn = rows.iter().find(|r| r.product == "nvidia-h20").unwrap();
    assert_eq!(cn.before.verdict.as_str(), "no_license_required");
    assert_eq!(cn.after.verdict.as_str(), "license_required");
    assert!(cn.changed_rules.contains(&"+license_requirement is-informed/H20".to_string()), "{:?}", cn.changed_rules);
    let d = rows.iter().find(|r| r.product == "nvidia-rtx-5090d" && r.destination.to_string() == "CN").unwrap();
    assert_eq!((d.before.verdict.as_str(), d.after.verdict.as_str()), ("no_license_required", "indeterminate"));
}

#[test]
fn a_headquarters_profile_picks_up_the_2023_rule() {
    let rules = RuleSet::shipped().unwrap();
    let catalog = Catalog::shipped().unwrap();
    let q = ImpactQuery {
        products: vec!["nvidia-h100-sxm5-80gb".into()],
        destinations: vec![c("MY")],
        profiles: PartyProfile::STANDARD.to_vec(),
    };
    let rows = impact(
        &catalog,
        Side { rules: &rules, date: d("2023-11-16") },
        Side { rules: &rules, date: d("2023-11-17") },
        &q,
    );
    // Malaysia is in no Country Group D: only the buyer whose parent is headquartered in China
    // is caught, by 744.23(a)(3) from 2023-11-17, reviewed case by case because Malaysia is
    // outside D:1, D:4 and D:5 (CSET reading, rules/us-ear/NOTES.md §6).
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].profile, PartyProfile::ChinaHeadquarteredParent);
    assert_eq!(rows[0].after.requirements, ["744.23(a)(3) (case_by_case)"]);
}

#[test]
fn an_edited_threshold_shows_between_two_packs() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/us-ear");
    let files: Vec<SourceFile> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| SourceFile::new(p.file_name().unwrap().to_string_lossy(), std::fs::read_to_string(&p).unwrap()))
        .collect();
    let before = compile(&files).unwrap();
    // A legal reviewer lowers the lower density bound of 3A090.b.2 from 3.2 to 3.1.
    let edited: Vec<SourceFile> = files
        .iter()
        .map(|f| {
            let mut f = f.clone();
            if f.path == "ccl-3a090.toml" {
                f.text = f.text.replacen("performance_density >= 3.2 and", "performance_density >= 3.1 and", 1);
            }
            f
        })
        .collect();
    let after = compile(&edited).unwrap();
    let catalog = Catalog::shipped().unwrap();
    let q = ImpactQuery { products: vec![], destinations: vec![c("CN")], profiles: vec![] };
    let on = d("2024-06-01");
    let rows = impact(&catalog, Side { rules: &before, date: on }, Side { rules: &after, date: on }, &q);
    // Datacenter parts with TPP >= 1600 and a density in [3.1, 3.2): A10 (2,000 / 628 = 3.185) and
    // L20 (1,913.6 / 608.5 = 3.145) become 3A090.b.2, NAC-eligible to China (rules/products/NOTES.md §7).
    let ids: Vec<&str> = rows.iter().map(|r| r.product.as_str()).collect();
    assert_eq!(ids, ["nvidia-a10", "nvidia-l20"]);
    assert!(rows.iter().all(|r| r.after.verdict.as_str() == "license_exception"));
}

/// Impact compares outcomes made without notices and traces only what differs: on a pack with
/// 500 notices added (some of them on the transactions that change) the report is the one a
/// full, traced evaluation of every transaction gives, rule names included.
#[test]
fn notices_do_not_change_the_report_and_changed_rows_keep_their_rules() {
    use export_controls::Options;
    use export_controls::Query;
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/us-ear");
    let mut files: Vec<SourceFile> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| SourceFile::new(p.file_name().unwrap().to_string_lossy(), std::fs::read_to_string(&p).unwrap()))
        .collect();
    let notices: String = (0..500)
        .map(|i| {
            let scope = if i % 2 == 0 { "destinations = { countries = [\"CN\"] }\n" } else { "" };
            format!(
                "[[notice]]\nid = \"G.{i}\"\ntitle = \"Guidance {i}\"\nsource = \"s\"\nfrom = 2025-01-01\n{scope}\n"
            )
        })
        .collect();
    files.push(SourceFile::new("zz-guidance.toml", notices));
    let after = compile(&files).unwrap();
    let before = RuleSet::shipped().unwrap();
    let catalog = Catalog::shipped().unwrap();
    let destinations = vec![c("CN"), c("MO"), c("FR"), c("MY")];
    let q =
        ImpactQuery { products: vec![], destinations: destinations.clone(), profiles: PartyProfile::STANDARD.to_vec() };
    let (b, a) = (Side { rules: &before, date: d("2025-04-08") }, Side { rules: &after, date: d("2025-04-10") });
    let rows = impact(&catalog, b, a, &q);
    assert!(!rows.is_empty());
    // The reference: every transaction evaluated in full, with the trace, on both sides.
    let mut expected = Vec::new();
    for p in catalog.iter() {
        for &dest in &destinations {
            for profile in PartyProfile::STANDARD {
                let eval = |side: Side| {
                    let mut query = Query::export_to(dest, side.date);
                    query.parties = profile.parties_on(dest, side.rules, side.date);
                    side.rules.evaluate(p, &query, Options { trace: true }).unwrap()
                };
                let (x, y) = (eval(b), eval(a));
                let key = |d: &export_controls::Determination| {
                    (
                        d.verdict,
                        d.eccns.clone(),
                        d.requirements.iter().map(|r| (r.id.clone(), r.review_policy)).collect::<Vec<_>>(),
                        d.exceptions.iter().map(|e| e.name.clone()).collect::<Vec<_>>(),
                    )
                };
                if key(&x) != key(&y) {
                    expected.push((p.product().id.clone(), dest, profile));
                }
            }
        }
    }
    let got: Vec<_> = rows.iter().map(|r| (r.product.clone(), r.destination, r.profile)).collect();
    assert_eq!(got, expected);
    let h20 = rows.iter().find(|r| r.product == "nvidia-h20" && r.destination == c("CN")).unwrap();
    assert!(h20.changed_rules.contains(&"+license_requirement is-informed/H20".to_string()), "{:?}", h20.changed_rules);
    // The notices that apply on the after side only are named among the rules.
    assert!(h20.changed_rules.contains(&"+notice G.0".to_string()), "{:?}", h20.changed_rules);
}
