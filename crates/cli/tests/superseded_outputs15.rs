//! Every output made with a superseded release (`--superseded`) says so, as a determination
//! says it first in its scope (tester15 item 5): the screen (JSON `superseded`, a first `#`
//! line in CSV), the bands plot (its title and a line under it), and the service's `GET
//! /v1/rules` and `POST /v1/screen`. Before, only standard error warned, and `/v1/rules` gave
//! another text ("us-ear 0.1.44 is superseded by us-ear 0.1.45, embedded in this program: ...").
//! The old release is the newest release before the shipped one, from git (rules/RELEASES.toml).

mod common;
#[path = "../../service/tests/common/mod.rs"]
mod http;

use common::*;

/// How the statement begins, for the old release `old` and the shipped `shipped`: the words of
/// a determination's first scope line.
fn lead(old: &str, shipped: &str) -> String {
    format!("SUPERSEDED PACK: the rule pack us-ear {old} is superseded by us-ear {shipped}: ")
}

#[test]
fn screen_and_plot_made_with_a_superseded_release_carry_the_statement() {
    let dir = temp_dir("superseded-outputs");
    let (pack, old) = old_release(&dir);
    let shipped = shipped_version();
    let lead = lead(&old, &shipped);
    let p = pack.to_str().unwrap();
    let screen = ["screen", "--date", "2025-04-20", "--products", "nvidia-h20", "--destinations", "CN"];

    let o = run(&[&screen[..], &["--format", "json", "--rules", p, "--superseded"]].concat());
    let v = json(&o);
    let statement = v["superseded"].as_str().unwrap_or_else(|| panic!("no `superseded`: {v}"));
    assert!(statement.starts_with(&lead), "{statement}");
    assert_eq!(v["rules"]["version"], old.as_str());
    // The shipped pack's screen has no such key.
    let v = json(&run(&[&screen[..], &["--format", "json"]].concat()));
    assert!(v.get("superseded").is_none(), "{v}");

    let o = run(&[&screen[..], &["--rules", p, "--superseded"]].concat());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let csv = String::from_utf8(o.stdout).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], format!("# {statement}"));
    assert_eq!(lines[1], "product,exported_from,destination,as_of,verdict,at_least,at_most,paragraphs,requirements");
    let o = run(&screen);
    assert!(String::from_utf8(o.stdout).unwrap().starts_with("product,exported_from,destination,"));

    let o = run(&["plot", "--date", "2024-06-01", "--rules", p, "--superseded"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let svg = String::from_utf8(o.stdout).unwrap();
    assert!(svg.contains(&format!("<title>{lead}")), "the title begins with the statement");
    let group = svg.split("<g ").find(|g| g.contains("id=\"superseded\"")).expect("a group id=\"superseded\"");
    let tag = group.split('>').next().unwrap();
    assert!(tag.contains(&format!("data-superseded-by=\"us-ear {shipped}\"")), "{tag}");
    let shown: String = group
        .split("</g>")
        .next()
        .unwrap()
        .split("<text")
        .skip(1)
        .filter_map(|t| t.split_once('>')?.1.split("</text").next().map(str::trim))
        .collect::<Vec<_>>()
        .join(" ");
    assert_eq!(shown, statement, "the statement written under the plot, whole");
    let o = run(&["plot", "--date", "2024-06-01"]);
    assert!(!String::from_utf8(o.stdout).unwrap().contains("id=\"superseded\""));
}

#[test]
fn the_service_states_it_in_rules_and_screen_as_determinations_do() {
    let dir = temp_dir("superseded-serve");
    let (pack, old) = old_release(&dir);
    let shipped = shipped_version();
    let lead = lead(&old, &shipped);
    let server = spawn_serve(
        &["--db", dir.join("r.sqlite").to_str().unwrap(), "--rules", pack.to_str().unwrap(), "--superseded"],
        &dir.join("serve.err"),
    );
    let rules = http::get(server.addr, "/v1/rules").json();
    let statement = rules["superseded"].as_str().unwrap_or_else(|| panic!("{rules}")).to_string();
    assert!(statement.starts_with(&lead), "{statement}");
    let r = http::post_json(
        server.addr,
        "/v1/screen",
        r#"{"date":"2025-04-20","products":["nvidia-h20"],"destinations":["CN"]}"#,
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["superseded"], statement.as_str());
    let r = http::post_json(server.addr, "/v1/determinations", &http::tx("nvidia-h20", "CN", "2025-04-20"));
    assert_eq!(r.status, 201, "{}", r.text());
    assert!(r.json()["scope"][0].as_str().unwrap().starts_with(&lead));
    drop(server);

    let server = spawn_serve(&["--db", dir.join("r2.sqlite").to_str().unwrap()], &dir.join("serve2.err"));
    assert!(http::get(server.addr, "/v1/rules").json()["superseded"].is_null());
}
