//! Names holding control characters (helper input14, item 1): C0 and C1 controls and the line
//! and paragraph separators (U+2028, U+2029) are refused in every name (E0523) at the name's
//! line and column in a file, by field from code: a product's `name` and `vendor`, a party's
//! and an owner's name (TOML, JSON, parties built in code), a rule test's `name`. Before, each
//! was accepted, and the CLI printed it raw (`A100\u{1b}[2K SXM4` erased the terminal line).

mod common;

use export_controls::diagnostic::{Code, SourceFile};
use export_controls::model::{Owner, Party, PartyErrorKind, Role, Transaction};
use export_controls::{Catalog, EvaluateError, Options, Query, RuleSet};

/// The characters refused, each with its TOML escape.
const REFUSED: &[(char, &str)] = &[
    ('\u{0}', "\\u0000"),
    ('\u{7}', "\\u0007"),
    ('\t', "\\t"),
    ('\n', "\\n"),
    ('\r', "\\r"),
    ('\u{1b}', "\\u001B"),
    ('\u{7f}', "\\u007F"),
    ('\u{85}', "\\u0085"),
    ('\u{9b}', "\\u009B"),
    ('\u{2028}', "\\u2028"),
    ('\u{2029}', "\\u2029"),
];

const A100: &str = "rules/products/nvidia-a100-sxm4-80gb.toml";

#[test]
fn a_product_name_or_vendor_with_a_control_is_refused_at_its_place() {
    for &(c, esc) in REFUSED {
        for (field, old, new) in [
            ("name", "name = \"A100 SXM4 80GB\"", format!("name = \"A100{esc} SXM4 80GB\"")),
            ("vendor", "vendor = \"NVIDIA\"", format!("vendor = \"NVIDIA{esc}\"")),
        ] {
            let text = common::edited_sheet(A100, "x-control", &[(old, &new)]);
            let line = common::line_of(&text, &format!("{field} = "));
            let column = field.len() + 4;
            assert_eq!(common::sheet_refusal(&text), [(Code::E0523, line, column)], "{field} {esc}");
            // Built in code: the same check.
            let mut p = common::parse_sheet(&common::edited_sheet(A100, "x-control", &[])).unwrap();
            if field == "name" {
                p.name = format!("A100{c} SXM4 80GB");
            } else {
                p.vendor = format!("NVIDIA{c}");
            }
            let e = p.validate().unwrap_err();
            assert_eq!(e.0.iter().map(|d| d.code).collect::<Vec<_>>(), [Code::E0523], "{field} {esc}: {e}");
            assert!(e.to_string().contains(&format!("product `x-control`, {field}")), "{e}");
        }
    }
    // Bidirectional controls keep their own code (E0510); other names load.
    let text = common::edited_sheet(A100, "x-control", &[("name = \"A100 SXM4 80GB\"", "name = \"A100\\u202e SXM4\"")]);
    assert_eq!(common::sheet_refusal(&text).first().map(|r| r.0), Some(Code::E0510));
    assert!(common::parse_sheet(&common::edited_sheet(A100, "x-ok", &[])).is_ok());
}

/// A transaction file naming an end user (and an owner) with `name`, as TOML.
fn toml_transaction(party_name: &str, owner_name: &str) -> String {
    format!(
        "product = \"nvidia-h100-sxm5-80gb\"\ndestination = \"MY\"\ndate = 2025-10-15\nexporter = {{ front_end_fabricator_or_osat = false }}\n[[party]]\nrole = \"end_user\"\nname = \"{party_name}\"\ncountry = \"MY\"\n[[party.owner]]\nname = \"{owner_name}\"\npercent = 10\n"
    )
}

#[test]
fn a_party_or_owner_name_with_a_control_is_refused_in_toml_and_json() {
    for &(_, esc) in REFUSED {
        // The party's name, line 7; the owner's, line 10: the column of the escape.
        for (text, line) in [
            (toml_transaction(&format!("Huawei{esc}Technologies"), "Example Holding"), 7),
            (toml_transaction("Example Cloud Sdn. Bhd.", &format!("Huawei{esc}Technologies")), 10),
        ] {
            let e = Transaction::parse(&SourceFile::new("t.toml", text.clone())).unwrap_err();
            assert_eq!(e.0.len(), 1, "{esc}: {e}");
            assert_eq!((e.0[0].code, e.0[0].line, e.0[0].column), (Code::E0523, line, 15), "{esc}: {e}");
        }
        let json = format!(
            "{{\"product\": \"nvidia-h100-sxm5-80gb\", \"destination\": \"MY\", \"date\": \"2025-10-15\",\n\"party\": [{{\"role\": \"end_user\", \"name\": \"Huawei{esc}Technologies\"}}]}}"
        );
        let e = Transaction::parse(&SourceFile::new("t.json", json)).unwrap_err();
        assert_eq!((e.0[0].code, e.0[0].line, e.0[0].column), (Code::E0523, 2, 47), "{esc}: {e}");
    }
}

fn end_user(name: &str) -> Party {
    let mut p = Party::new(Role::EndUser);
    p.name = Some(name.into());
    p
}

/// Built in code, a party or an owner so named is refused by the library (never screened as
/// another name), and the message does not repeat the name.
#[test]
fn a_party_built_in_code_with_a_control_is_refused() {
    let rules = RuleSet::shipped().unwrap();
    let catalog = Catalog::shipped().unwrap();
    let h100 = catalog.get("nvidia-h100-sxm5-80gb").unwrap();
    for &(c, esc) in REFUSED {
        let name = format!("Huawei{c}Technologies");
        let mut owned = end_user("Example Cloud Sdn. Bhd.");
        owned.owners.push(Owner { name: name.clone(), ..Default::default() });
        for party in [end_user(&name), owned] {
            let mut q = Query::export_to("MY".parse().unwrap(), "2025-10-15".parse().unwrap());
            q.parties = vec![party];
            let e = rules.evaluate(h100, &q, Options::default()).unwrap_err();
            let EvaluateError::Party(p) = e else { panic!("{esc}: not a party error") };
            assert_eq!(p.kind, PartyErrorKind::ControlChar(c), "{esc}");
            assert_eq!(p.code(), Code::E0523);
            assert!(!p.message.contains(&name), "{}", p.message);
        }
    }
}

/// A rule test's name is refused at its line and column; the JUnit report writes any control
/// character of a name or message as an escape (XML 1.0 cannot hold it).
#[test]
fn a_rule_test_name_with_a_control_is_refused_and_junit_is_sanitised() {
    let catalog = Catalog::shipped().unwrap();
    let rules = RuleSet::shipped().unwrap();
    let case = |name: &str| {
        format!(
            "[[case]]\nname = \"{name}\"\non = 2024-06-01\nproduct = \"nvidia-h20\"\nto = \"IR\"\n\n[case.expect]\nverdict = \"license_required\"\n"
        )
    };
    for &(_, esc) in REFUSED {
        let f = SourceFile::new("tests/x.toml", case(&format!("H20 to Iran{esc}")));
        let e = export_controls::rule_tests::parse_test_files(&[f], &catalog, &rules).unwrap_err();
        assert_eq!((e.0[0].code, e.0[0].line, e.0[0].column), (Code::E0523, 2, 8), "{esc}: {e}");
    }
    let f = SourceFile::new("tests/x.toml", case("H20 to Iran"));
    let cases = export_controls::rule_tests::parse_test_files(&[f], &catalog, &rules).unwrap();
    let mut report = export_controls::rule_tests::run_cases(&rules, &catalog, cases, None);
    report.outcomes[0].case.name = "H20\u{1b}[2K\u{0}\u{2028}<x>".into();
    report.outcomes[0].failures = vec!["expected\u{7} x".into()];
    let xml = report.render_junit();
    assert!(!xml.chars().any(|c| (c.is_control() && c != '\n') || c == '\u{2028}'), "{xml:?}");
    assert!(xml.contains("H20\\u{1b}[2K\\u{0}\\u{2028}&lt;x&gt;"), "{xml}");
    assert!(xml.contains("expected\\u{7} x"), "{xml}");
}
