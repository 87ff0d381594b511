//! Problems located where they are written (README: "a clear error naming file, line and
//! column"): a problem of an owner's owner (`[[party.owner.owner]]`, any level) at that owner,
//! not at the party's own owner it is held through; and a dotted key nested too deep at its
//! own line, not at a line of a multi-line string before it (tester round 6, S9(c)).

use export_controls::RuleSet;
use export_controls::diagnostic::Code;
use export_controls::model::{Transaction, parse_product_sheet};
use export_controls::ruleset::SourceFile;

/// The line and column of the `n`-th (1-based) occurrence of `needle` in `text`.
fn at(text: &str, needle: &str, n: usize) -> (usize, usize) {
    let (offset, _) = text.match_indices(needle).nth(n - 1).unwrap();
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap().chars().count() + 1;
    (line, column)
}

/// A transaction whose end user is owned through three levels of owners: the party's owner
/// `Level One Holding`, its owner `Level Two Holding`, and that one's owners (`tail`).
fn three_levels(tail: &str) -> String {
    format!(
        r#"product = "nvidia-h100-sxm5-80gb"
destination = "MY"
date = 2025-10-15

[[party]]
role = "end_user"
name = "Example Cloud Malaysia Sdn. Bhd."
country = "MY"

[[party.owner]]
name = "Level One Holding"
percent = 60

[[party.owner.owner]]
name = "Level Two Holding"
percent = 100
{tail}"#
    )
}

#[test]
fn an_owner_listed_twice_at_the_third_level_is_located_at_the_repeat() {
    let text = three_levels(
        "\n[[party.owner.owner.owner]]\nname = \"Level Three Person\"\npercent = 30\n\
         \n[[party.owner.owner.owner]]\nname = \"Level Three Person\"\npercent = 20\n",
    );
    let err = Transaction::parse(&SourceFile::new("t.toml", &text)).unwrap_err().0;
    assert_eq!(err.len(), 1, "{err:?}");
    assert_eq!(err[0].code, Code::E0514);
    // The second `"Level Three Person"` (it was located at `"Level One Holding"`, line 11,
    // column 8).
    assert_eq!((err[0].line, err[0].column), at(&text, "\"Level Three Person\"", 2));
    assert_eq!((err[0].line, err[0].column), (23, 8));
}

#[test]
fn a_share_over_100_in_all_at_the_third_level_of_a_json_file_is_located_at_that_share() {
    // 70 + 40 = 110 percent of `Level Two Holding`: the share that takes it over 100 is the
    // fourth `"percent"` of the file (it was located at the first, `Level One Holding`'s, line
    // 4, column 45: only the party's own owners were counted).
    let text = r#"{"product": "nvidia-h100-sxm5-80gb", "destination": "MY", "date": "2025-10-15",
 "party": [{"role": "end_user", "name": "Example Cloud Malaysia Sdn. Bhd.", "country": "MY",
  "owner": [
   {"name": "Level One Holding", "percent": "60",
    "owner": [
     {"name": "Level Two Holding", "percent": "100",
      "owner": [
       {"name": "Level Three A", "percent": "70"},
       {"name": "Level Three B", "percent": "40"}]}]}]}]}
"#;
    let err = Transaction::parse(&SourceFile::new("t.json", text)).unwrap_err().0;
    assert_eq!(err.len(), 1, "{err:?}");
    assert_eq!(err[0].code, Code::E0506);
    assert!(err[0].message.contains("110 percent in all"), "{}", err[0].message);
    let (line, column) = at(text, "\"40\"", 1);
    assert_eq!((err[0].line, err[0].column), (line, column));
}

#[test]
fn an_unknown_list_entry_of_an_owners_owner_names_that_owner() {
    let text = three_levels("list_entries = [\"EL:huawei-technologiez\"]\n");
    let t = Transaction::parse(&SourceFile::new("t.toml", &text)).unwrap();
    let rules = RuleSet::shipped().unwrap();
    let err = rules.check_parties(&t.parties).unwrap_err();
    assert_eq!(err.code(), Code::E0508);
    assert_eq!(err.owner, Some(0));
    assert_eq!(*err.owner_path, [0, 0]);
    assert!(
        err.message.starts_with(
            "owner \"Level Two Holding\" of owner \"Level One Holding\" of end user \"Example Cloud Malaysia Sdn. Bhd.\": unknown list entry `EL:huawei-technologiez`"
        ),
        "{}",
        err.message
    );
}

#[test]
fn owners_given_too_deep_are_located_at_the_owner_whose_owners_they_are() {
    // Levels 3, 4 and 5: the fourth level's owner has owners (level 5), beyond the four read
    // (E0518); it was located at line 1, column 1.
    let text = three_levels(
        "\n[[party.owner.owner.owner]]\nname = \"Level Three\"\npercent = 100\n\
         \n[[party.owner.owner.owner.owner]]\nname = \"Level Four\"\npercent = 100\n\
         \n[[party.owner.owner.owner.owner.owner]]\nname = \"Level Five\"\npercent = 100\n",
    );
    let src = SourceFile::new("t.toml", &text);
    let t = Transaction::parse(&src).unwrap();
    let err = RuleSet::shipped().unwrap().check_transaction(&t, &src).unwrap_err().0;
    assert_eq!(err[0].code, Code::E0518);
    assert_eq!((err[0].line, err[0].column), at(&text, "\"Level Four\"", 1));
}

#[test]
fn a_key_nested_too_deep_is_located_at_its_line_not_in_a_multi_line_string() {
    // Line 5 of a product sheet holds a dotted key of 150 parts; lines 3 and 4, inside a
    // multi-line string (basic, then literal), hold the same text, which is not a key.
    let deep = format!("x{}", ".a".repeat(149));
    for quote in ["\"\"\"", "'''"] {
        let text = format!("id = \"x\"\nnote = {quote}\n{deep} = 1\n{quote}\n{deep} = 1\n");
        let err = parse_product_sheet(&SourceFile::new("s.toml", &text)).unwrap_err().0;
        assert_eq!(err[0].code, Code::E0101, "{err:?}");
        assert_eq!((err[0].line, err[0].column), (5, 1), "{quote}: {err:?}");
    }
}
