//! Parties as the library, transaction files and `--party` read them (issue 12): every form of
//! input gets the same checks, and inputs that are incomplete (an unknown id, a blank name, no
//! end user, a name screened against a sample list) never come out as a clearance.

use std::process::{Command, Output};

use export_controls::model::{EndUse, Owner, Party, PartyErrorKind, Role};
use export_controls::{Catalog, CompiledPack, EvaluateError, FastQuery, Options, Query, RuleSet, Scratch};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_export-controls")).args(args).output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A file in a fresh temporary folder for this test process.
fn temp_file(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("ec-parties-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn query(to: &str, on: &str, parties: Vec<Party>) -> Query {
    let mut q = Query::new(to.parse().unwrap(), "US".parse().unwrap(), on.parse().unwrap());
    q.parties = parties;
    q
}

fn end_user(name: &str) -> Party {
    let mut p = Party::new(Role::EndUser);
    p.name = Some(name.into());
    p
}

/// The error of `evaluate` and of `decide` (which must agree) for these parties.
fn refusal(q: &Query) -> EvaluateError {
    let rules = RuleSet::shipped().unwrap();
    let catalog = Catalog::shipped().unwrap();
    let h20 = catalog.get("nvidia-h20").unwrap();
    let e = rules.evaluate(h20, q, Options::default()).unwrap_err();
    let pack = CompiledPack::new(rules);
    let prepared = pack.prepare_parties(&q.parties);
    assert_eq!(prepared.problem().map(|p| EvaluateError::Party(p.clone())), Some(e.clone()));
    let fq = FastQuery::of(q, &prepared);
    assert_eq!(pack.decide(h20, &fq, &mut Scratch::default()).unwrap_err(), e);
    e
}

#[test]
fn an_unknown_list_entry_id_is_refused_by_the_library_with_the_id_meant() {
    for (given, meant) in [
        ("EL:huawei-technologiez", "EL:huawei-technologies"),
        ("EL:Huawei-Technologies", "EL:huawei-technologies"),
        ("huawei-technologies", "EL:huawei-technologies"),
        ("Sugon", "EL:sugon"),
    ] {
        let mut p = end_user("Test Co");
        p.list_entries = vec![given.into()];
        let EvaluateError::Party(e) = refusal(&query("CN", "2025-02-01", vec![p])) else { panic!("a party error") };
        assert_eq!(e.kind, PartyErrorKind::UnknownListEntry { id: given.into(), suggestion: Some(meant.into()) });
        assert_eq!(
            e.one_line(),
            format!(
                "end user \"Test Co\": unknown list entry `{given}`; the rule pack has no entry with this id (did you mean `{meant}`?)"
            )
        );
    }
    // An owner's ids too.
    let mut p = end_user("Test Co");
    p.owners = vec![Owner { name: "Parent".into(), percent: None, list_entries: vec!["EL:moore-thread".into()] }];
    let EvaluateError::Party(e) = refusal(&query("CN", "2025-10-01", vec![p])) else { panic!("a party error") };
    assert_eq!(e.owner, Some(0));
    assert!(e.message.starts_with("owner \"Parent\" of end user \"Test Co\": unknown list entry `EL:moore-thread`"));
}

#[test]
fn owners_over_100_percent_are_refused_by_the_library() {
    let mut p = end_user("Test Co");
    let owner = |n: &str, pct: i64| Owner { name: n.into(), percent: Some(pct.into()), list_entries: vec![] };
    p.owners = vec![owner("A", 60), owner("B", 60)];
    let e = refusal(&query("CN", "2025-02-01", vec![p.clone()]));
    assert_eq!(e.to_string(), "the owners of end user \"Test Co\" hold 120 percent in all, more than 100");
    p.owners = vec![owner("A", -5)];
    assert_eq!(
        refusal(&query("CN", "2025-02-01", vec![p])).to_string(),
        "-5 is negative; figures must be zero or more"
    );
}

#[test]
fn json_and_toml_read_owner_shares_alike() {
    let toml = "product = \"nvidia-h20\"\ndestination = \"CN\"\ndate = 2025-02-01\n[[party]]\nrole = \"end_user\"\n\
                [[party.owner]]\nname = \"A\"\npercent = 60\n[[party.owner]]\nname = \"B\"\npercent = \"12.5\"\n";
    let json = r#"{"product": "nvidia-h20", "destination": "CN", "date": "2025-02-01", "party": [{"role": "end_user",
                  "owner": [{"name": "A", "percent": 60}, {"name": "B", "percent": 12.5}]}]}"#;
    let src = |n: &str, t: &str| export_controls::diagnostic::SourceFile::new(n, t);
    let a = export_controls::model::Transaction::parse(&src("t.toml", toml)).unwrap();
    let b = export_controls::model::Transaction::parse(&src("t.json", json)).unwrap();
    assert_eq!(a, b);
    assert_eq!(a.parties[0].owners[1].percent, Some("12.5".parse().unwrap()));
    // Written back as strings: determination JSON keeps its shape.
    assert_eq!(serde_json::to_value(&a.parties[0].owners[0]).unwrap()["percent"], "60");
}

#[test]
fn the_binary_refuses_unknown_ids_end_uses_and_shares_from_every_source() {
    // --party: a usage error naming the id meant.
    let base = ["check", "--product", "nvidia-h20", "--to", "CN", "--on", "2025-02-01"];
    let o = run(&[&base[..], &["--party", "role=end_user,name=Test Co,list=EL:huawei-technologiez"]].concat());
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(
            "--party: end user \"Test Co\": unknown list entry `EL:huawei-technologiez`; the rule pack has no entry with this id (did you mean `EL:huawei-technologies`?)"
        ),
        "{}",
        stderr(&o)
    );
    let o = run(&[&base[..], &["--party", "role=end_user,end_use=Supercomputer"]].concat());
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("unknown end use `Supercomputer`"), "{}", stderr(&o));
    assert!(stderr(&o).contains("did you mean `supercomputer`?"), "{}", stderr(&o));
    // A transaction file: an input error at the id's place.
    let tx = temp_file(
        "unknown-id.toml",
        "product = \"nvidia-h20\"\ndestination = \"CN\"\ndate = 2025-02-01\n[[party]]\nrole = \"end_user\"\nlist_entries = [\"EL:Huawei-Technologies\"]\n",
    );
    let o = run(&["check", "--transaction", tx.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("unknown-id.toml:6:17"), "{}", stderr(&o));
    assert!(stderr(&o).contains("E0508"), "{}", stderr(&o));
    assert!(stderr(&o).contains("did you mean `EL:huawei-technologies`?"), "{}", stderr(&o));
    let tx = temp_file(
        "shares.toml",
        "product = \"nvidia-h20\"\ndestination = \"CN\"\ndate = 2025-02-01\n[[party]]\nrole = \"end_user\"\n\
         [[party.owner]]\nname = \"A\"\npercent = 60\n[[party.owner]]\nname = \"B\"\npercent = 60\n",
    );
    let o = run(&["check", "--transaction", tx.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("shares.toml:11:11"), "{}", stderr(&o));
    assert!(stderr(&o).contains("the owners of end user hold 120 percent in all"), "{}", stderr(&o));
}

#[test]
fn end_uses_built_in_code_are_typed() {
    let mut p = Party::new(Role::EndUser);
    p.end_uses = vec![EndUse::Supercomputer];
    let v = serde_json::to_value(&p).unwrap();
    assert_eq!(v["end_uses"], serde_json::json!(["supercomputer"]));
    let bad = serde_json::json!({ "role": "end_user", "end_uses": ["supercomputr"] });
    assert!(serde_json::from_value::<Party>(bad).is_err());
}
