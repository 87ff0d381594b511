//! The JSON of an explained determination ([`Explained`] serialised straight from what the core
//! recorded, as the service answers) is byte for byte the JSON of the [`Determination`] it
//! writes out (what `check --format json` prints and what records replay against), on every
//! catalog product, for destinations the rules treat differently, on dates either side of the
//! rule changes, with and without parties (a consignee located elsewhere makes another
//! destination; a screened party adds the screening basis).

use export_controls::model::{Party, Role, Screening};
use export_controls::{Catalog, Options, Query, RuleSet};

fn party(role: Role, name: &str, country: &str) -> Party {
    let mut p = Party::new(role);
    p.name = Some(name.into());
    p.country = Some(country.parse().unwrap());
    p.headquarters = p.country;
    p.parent_headquarters = p.country;
    p
}

#[test]
fn an_explained_determination_serialises_as_the_determination_it_writes_out() {
    let rules = RuleSet::shipped().unwrap();
    let catalog = Catalog::shipped().unwrap();
    // Destinations the pack's licence requirements treat differently.
    let destinations = ["CN", "MO", "AE", "NL", "RU"];
    // Before the rules of 2023-10-17 (in force 2023-11-17), between them and those of
    // 2025-01-15, and after.
    let dates = ["2023-01-01", "2024-06-01", "2025-04-20"];
    let mut screened = party(Role::EndUser, "Acme Compute Ltd.", "SG");
    screened.screened.push(Screening::parse_short("entity_list@2025-01-01").unwrap());
    let parties: [Vec<Party>; 3] = [
        vec![],
        // An ultimate consignee in another country: a second destination decided.
        vec![party(Role::UltimateConsignee, "Example Trading FZE", "CN"), screened],
        vec![party(Role::EndUser, "Sophgo Technologies Ltd.", "CN")],
    ];
    let (mut compared, mut traced, mut legs) = (0, 0, 0);
    for product in catalog.iter() {
        for dest in destinations {
            for date in dates {
                for ps in &parties {
                    let mut q = Query::export_to(dest.parse().unwrap(), date.parse().unwrap());
                    q.parties = ps.clone();
                    let Ok((explained, determination)) = rules.explain(product, &q, Options { trace: true }, |e| {
                        (serde_json::to_string_pretty(e).unwrap(), e.to_determination())
                    }) else {
                        continue;
                    };
                    let written_out = serde_json::to_string_pretty(&determination).unwrap();
                    assert_eq!(
                        explained,
                        written_out,
                        "{} to {dest} on {date} with {} parties",
                        product.product().id,
                        ps.len()
                    );
                    compared += 1;
                    traced += usize::from(!determination.trace.is_empty());
                    legs += usize::from(!determination.other_destinations.is_empty());
                }
            }
        }
    }
    // Every case was determined (none refused: every date is in the pack's coverage), with
    // its trace, and some for more than one destination.
    assert_eq!(compared, catalog.iter().count() * destinations.len() * dates.len() * parties.len());
    assert_eq!(traced, compared);
    assert!(legs > 0, "no determination had another destination");
}

/// The trace written straight ([`export_controls::Explained::write_trace_json`]) is byte for
/// byte the `trace` field's value in `serde_json::to_string_pretty` of the determination
/// written out (the field at level 1: each line after the first indented two more spaces than
/// the trace pretty-printed alone), with each rule's fixed text copied from a
/// [`TraceText`] of the same rule set and written from the rules (no text, or one of another
/// rule set): every catalog product, destinations and dates the rules treat differently, with
/// and without parties (one whose name needs escaping, one located elsewhere: notes of another
/// destination), and with the trace off (`[]`).
#[test]
fn the_trace_written_straight_is_serde_jsons_pretty_trace() {
    use export_controls::evaluate::TraceText;
    let rules = RuleSet::shipped().unwrap();
    let other_rules = RuleSet::shipped().unwrap();
    let catalog = Catalog::shipped().unwrap();
    let text = TraceText::of(&rules);
    let other = TraceText::of(&other_rules);
    let destinations = ["CN", "MO", "AE", "RU"];
    let dates = ["2023-01-01", "2024-06-01", "2025-04-20", "2026-06-01"];
    let parties: [Vec<Party>; 3] = [
        vec![],
        // Quotes, a backslash and non-ASCII letters (control characters in names are refused, E0523).
        vec![party(Role::UltimateConsignee, "A \"B\" \\ C É é", "CN")],
        vec![party(Role::EndUser, "Sophgo Technologies Ltd.", "CN")],
    ];
    let (mut compared, mut with_notes) = (0, 0);
    for product in catalog.iter() {
        for dest in destinations {
            for date in dates {
                for ps in &parties {
                    let mut q = Query::export_to(dest.parse().unwrap(), date.parse().unwrap());
                    q.parties = ps.clone();
                    let Ok((written, d)) = rules.explain(product, &q, Options { trace: true }, |e| {
                        let mut all = Vec::new();
                        for t in [Some(&text), None, Some(&other)] {
                            let mut out = b"prefix".to_vec();
                            e.write_trace_json(&mut out, t);
                            all.push(String::from_utf8(out).unwrap());
                        }
                        (all, e.to_determination())
                    }) else {
                        continue;
                    };
                    let want =
                        format!("prefix{}", serde_json::to_string_pretty(&d.trace).unwrap().replace('\n', "\n  "));
                    let whole = serde_json::to_string_pretty(&d).unwrap();
                    assert!(whole.contains(&format!("\"trace\": {}", &want["prefix".len()..])));
                    for w in &written {
                        assert_eq!(w, &want, "{} to {dest} on {date} with {} parties", product.product().id, ps.len());
                    }
                    with_notes += usize::from(d.trace.iter().any(|t| t.notes.iter().any(|n| n.contains("\\ C"))));
                    compared += 1;
                }
            }
        }
    }
    assert_eq!(compared, catalog.iter().count() * destinations.len() * dates.len() * parties.len());
    assert!(with_notes > 0, "no note named the party whose name needs escaping");
    // The trace off: an empty list.
    let q = Query::export_to("CN".parse().unwrap(), "2025-04-20".parse().unwrap());
    let h20 = catalog.get("nvidia-h20").unwrap();
    let off = rules
        .explain(h20, &q, Options { trace: false }, |e| {
            let mut out = Vec::new();
            e.write_trace_json(&mut out, Some(&text));
            out
        })
        .unwrap();
    assert_eq!(off, b"[]");
}
