//! A country group membership the sources leave unverified for a period only
//! (`[[country_group.unverified_member]]`; tester round 14, O1): Cambodia in D:5 before
//! 2025-11-07, unverified from 2025-11-07 (State removed Cambodia from 22 CFR 126.1, which D:5
//! mirrors at once) to 2026-02-02 (BIS's conforming rule, FR Doc. 2026-02262, published
//! 2026-02-03), out after. On the unverified days a determination that turns on it is
//! indeterminate, naming the membership, on both paths; the loader refuses a bad or
//! overlapping period with its line and column.

use export_controls::diagnostic::Code;
use export_controls::ruleset::condition::Truth;
use export_controls::{Catalog, CompiledPack, FastQuery, Options, Query, RuleSet, Scratch, Verdict};

mod common;

fn date(s: &str) -> export_controls::date::Date {
    s.parse().unwrap()
}

#[test]
fn cambodia_is_in_d5_then_unverified_then_out() {
    let rules = RuleSet::shipped().unwrap();
    let groups = rules.groups();
    let d5 = &groups.groups["D:5"];
    let kh = "KH".parse().unwrap();
    for (day, truth) in [
        ("2025-06-01", Truth::True),
        ("2025-11-06", Truth::True),
        ("2025-11-07", Truth::Unknown),
        ("2025-12-01", Truth::Unknown),
        ("2026-02-02", Truth::Unknown),
        ("2026-02-03", Truth::False),
        ("2026-03-01", Truth::False),
    ] {
        assert_eq!(groups.membership_truth("D:5", kh, date(day)), truth, "{day}");
        assert_eq!(d5.is_unverified(kh, date(day)), truth == Truth::Unknown, "{day}");
        assert_eq!(groups.contains("D:5", kh, date(day)), truth == Truth::True, "{day}");
    }
    let fact = d5.unverified_fact(kh, date("2025-12-01")).unwrap();
    assert!(
        fact.starts_with(
            "whether Cambodia is in Country Group D:5 on 2025-12-01 (unverified from 2025-11-07 to 2026-02-02: "
        ),
        "{fact}"
    );
    assert!(fact.contains("FR Doc. 2026-02262"), "{fact}");
    assert_eq!(d5.unverified_fact(kh, date("2026-03-01")), None);
    // Cambodia stays in D:1 throughout (the eCFR snapshot of 2026-07-08).
    assert!(groups.contains("D:1", kh, date("2025-12-01")));
}

#[test]
fn the_h20_to_cambodia_turns_on_the_membership_only_on_the_unverified_days() {
    let rules = RuleSet::shipped().unwrap();
    let catalog = Catalog::shipped().unwrap();
    let h20 = catalog.get("nvidia-h20").unwrap();
    let pack = CompiledPack::new(rules.clone());
    // The H20 letter (2025-04-09) reaches D:5: a licence while Cambodia is in it, none after.
    for (day, verdict) in [
        ("2025-06-01", Verdict::LicenseRequired),
        ("2025-12-01", Verdict::Indeterminate),
        ("2026-03-01", Verdict::NoLicenseRequired),
    ] {
        let mut q = Query::export_to("KH".parse().unwrap(), date(day));
        q.exported_from = Some("US".parse().unwrap());
        q.exporter.front_end_fabricator_or_osat = Some(false);
        let d = rules.evaluate(h20, &q, Options::default()).unwrap();
        assert_eq!(d.verdict, verdict, "{day}: {:?}", d.missing);
        let names_kh = d.missing.iter().any(|m| m.starts_with("whether Cambodia is in Country Group D:5"));
        assert_eq!(names_kh, verdict == Verdict::Indeterminate, "{day}: {:?}", d.missing);
        let mut fq = FastQuery::export_to(q.destination, q.date);
        fq.exported_from = q.exported_from;
        fq.exporter = q.exporter;
        assert_eq!(pack.decide(h20, &fq, &mut Scratch::default()).unwrap().verdict, verdict, "{day}: fast path");
    }
}

/// Line and column (1-based) of the first occurrence of `needle` in `text`.
fn at(text: &str, needle: &str) -> (usize, usize) {
    let i = text.find(needle).unwrap();
    let line = text[..i].matches('\n').count() + 1;
    let column = i - text[..i].rfind('\n').map_or(0, |n| n + 1) + 1;
    (line, column)
}

const PERIOD: &str = "[[country_group.unverified_member]]\ncountry = \"KH\"\nfrom = 2025-11-07\nuntil = 2026-02-03\n";

fn refused(old: &str, new: &str) -> (export_controls::diagnostic::Diagnostic, String) {
    let files = common::pack_files_edited("country-groups.toml", old, new);
    let text = files.iter().find(|f| f.path == "country-groups.toml").unwrap().text.clone();
    let err = export_controls::ruleset::compile(&files).unwrap_err();
    assert_eq!(err.0.len(), 1, "{err:?}");
    (err.0[0].clone(), text)
}

#[test]
fn a_bad_or_overlapping_unverified_period_is_refused_where_it_is_written() {
    // Overlapping the dated membership it follows (KH in D:5 until 2026-02-03, as before 0.1.44).
    let (d, text) =
        refused("until = 2025-11-07\nsource = \"22 CFR 126.1", "until = 2026-02-03\nsource = \"22 CFR 126.1");
    assert_eq!(d.code, Code::E0229);
    assert_eq!((d.line, d.column), at(&text, "\"KH\"\nfrom = 2025-11-07"));
    assert!(d.message.starts_with("KH is a dated member of D:5 (until 2026-02-03), which overlaps this unverified period (from 2025-11-07 until 2026-02-03)"), "{}", d.message);
    // Overlapping another unverified period of the same country.
    let second = PERIOD.replace("2025-11-07", "2026-01-01").replace("2026-02-03", "2026-03-01");
    let reason = "reason = \"r\"\nsource = \"FR Doc. 2026-02262\"\n\n";
    let (d, text) = refused(PERIOD, &format!("{second}{reason}{PERIOD}"));
    assert_eq!(d.code, Code::E0229);
    assert_eq!((d.line, d.column), at(&text, "\"KH\"\nfrom = 2025-11-07"));
    assert!(d.message.contains("KH is already unverified in D:5 (from 2026-01-01 until 2026-03-01)"), "{}", d.message);
    // `until` before `from`.
    let (d, text) = refused(PERIOD, &PERIOD.replace("until = 2026-02-03", "until = 2025-11-01"));
    assert_eq!(d.code, Code::E0228);
    assert_eq!((d.line, d.column), at(&text, "2025-11-01"));
    assert_eq!(d.message, "`until` must be after `from`");
    // Neither `from` nor `until`.
    let (d, text) = refused(PERIOD, "[[country_group.unverified_member]]\ncountry = \"KH\"\n");
    assert_eq!(d.code, Code::E0228);
    assert_eq!((d.line, d.column), at(&text, "\"KH\"\nreason"));
    // An empty reason.
    let shipped = std::fs::read_to_string(common::repo("rules/us-ear/country-groups.toml")).unwrap();
    let line = shipped.lines().find(|l| l.starts_with("reason = \"State removed Cambodia")).unwrap();
    let (d, text) = refused(line, "reason = \" \"");
    assert_eq!(d.code, Code::E0228);
    assert_eq!((d.line, d.column), at(&text, "\" \""));
    // An unknown country: this entry's own error (E0228), not the generic E0330.
    let (d, text) = refused(PERIOD, &PERIOD.replace("\"KH\"", "\"UK\""));
    assert_eq!(d.code, Code::E0228);
    assert_eq!((d.line, d.column), at(&text, "\"UK\"\nfrom = 2025-11-07"));
    assert_eq!(
        d.message,
        "unverified member of D:5: `UK` is not an ISO 3166-1 alpha-2 country code (did you mean `GB`?)"
    );
}
