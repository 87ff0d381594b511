//! Issue 13's commands from the `export-controls` binary, as people run them: `serve` on a free
//! port of 127.0.0.1 answering as `check --format json` does, `records export` of what it
//! recorded, `plot` and `check --format html`. Expected values are the shipped pack's, as
//! rules/us-ear/tests state them: the H20 (TPP 296 × 8 = 2368, outside every 3A090 band) to
//! China needs no licence on 2024-06-01, and needs one on 2025-04-20 under NVIDIA's "is
//! informed" letter of 2025-04-09.

mod common;
#[path = "../../service/tests/common/mod.rs"]
mod http;

use common::{run, spawn_serve, stderr, temp_dir};
use http::{get, post_json, request, tx};

fn check_json(product: &str, to: &str, on: &str) -> Vec<u8> {
    let o = run(&["check", "--product", product, "--to", to, "--on", on, "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    o.stdout
}

fn json(bytes: &[u8]) -> serde_json::Value {
    serde_json::from_slice(bytes).unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(bytes)))
}

fn requirement_ids(d: &serde_json::Value) -> Vec<&str> {
    d["requirements"].as_array().unwrap().iter().filter_map(|r| r["id"].as_str()).collect()
}

#[test]
fn serve_answers_byte_for_byte_as_check_and_records_what_it_answered() {
    let dir = temp_dir("serve");
    let db = dir.join("records.sqlite");
    let server = spawn_serve(&["--db", db.to_str().unwrap()], &dir.join("serve.err"));

    // H20 → CN on 2024-06-01: no licence required, TPP 2368, no ECCN.
    let r = post_json(server.addr, "/v1/determinations", &tx("nvidia-h20", "CN", "2024-06-01"));
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.body, check_json("nvidia-h20", "CN", "2024-06-01"), "the API and `check --format json` differ");
    let d = r.json();
    assert_eq!(d["verdict"], "no_license_required");
    assert_eq!(d["metrics"]["tpp"], "2368");
    assert_eq!(d["eccns"], serde_json::json!([]));
    assert!(requirement_ids(&d).is_empty(), "{d}");
    let first: i64 = r.header("record-id").unwrap().parse().unwrap();

    // On 2025-04-20 the "is informed" letter requires a licence.
    let r = post_json(server.addr, "/v1/determinations", &tx("nvidia-h20", "CN", "2025-04-20"));
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.body, check_json("nvidia-h20", "CN", "2025-04-20"));
    let later = r.json();
    assert_eq!(later["verdict"], "license_required");
    assert!(requirement_ids(&later).contains(&"is-informed/H20"), "{later}");
    let second: i64 = r.header("record-id").unwrap().parse().unwrap();
    assert!(second > first);

    // A transaction with a party, as a file for `check` and as the body for the API.
    let party = r#"{"product":"nvidia-h100-sxm5-80gb","destination":"MY","date":"2025-06-01","party":[{"role":"end_user","name":"Example Cloud","country":"MY","headquarters":"MY","parent_headquarters":"CN"}]}"#;
    let tx_file = dir.join("tx.json");
    std::fs::write(&tx_file, party).unwrap();
    let o = run(&["check", "--transaction", tx_file.to_str().unwrap(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let r = post_json(server.addr, "/v1/determinations", party);
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.body, o.stdout, "the API and `check --transaction` differ");
    // An end user headquartered in Malaysia whose parent is in China (744.23(a)(3)).
    assert_eq!(r.json()["verdict"], "license_required");

    // The record holds what was answered, and replays.
    let rec = get(server.addr, &format!("/v1/determinations/{first}"));
    assert_eq!(rec.status, 200, "{}", rec.text());
    assert_eq!(rec.json()["determination"], d);
    let rp = request(server.addr, "POST", &format!("/v1/determinations/{second}/replay"), None, b"").unwrap();
    assert_eq!(rp.json()["identical"], true, "{}", rp.text());
    drop(server);

    // `records export --since`: the day they were recorded gives all three, in id order.
    let all = run(&["records", "export", "--db", db.to_str().unwrap()]);
    assert_eq!(all.status.code(), Some(0), "{}", stderr(&all));
    let lines: Vec<serde_json::Value> =
        String::from_utf8(all.stdout).unwrap().lines().map(|l| json(l.as_bytes())).collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["id"], first);
    assert_eq!(lines[0]["determination"], d);
    assert_eq!(lines[1]["verdict"], "license_required");
    assert_eq!(lines[1]["request"]["date"], "2025-04-20");
    assert_eq!(lines[2]["request"]["party"][0]["parent_headquarters"], "CN");
    let day = lines[0]["recorded_at"].as_str().unwrap()[..10].to_string();
    let o = run(&["records", "export", "--db", db.to_str().unwrap(), "--since", &day]);
    assert!(stderr(&o).contains("3 record(s)"), "{}", stderr(&o));
    assert_eq!(String::from_utf8(o.stdout).unwrap().lines().count(), 3);

    // An exported determination replays with the binary too.
    let det = dir.join("determination.json");
    std::fs::write(&det, serde_json::to_string_pretty(&lines[1]["determination"]).unwrap()).unwrap();
    let o = run(&["replay", det.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}{}", String::from_utf8_lossy(&o.stdout), stderr(&o));
    std::fs::remove_dir_all(&dir).ok();
}

/// The record the service writes for a catalog product, destination and date: the request as
/// it normalises it (no `exported_from`: the origin not stated, as in `check` without `--from`),
/// and the determination `check --format json` prints.
fn true_record(product: &str, to: &str, on: &str) -> export_controls_service::records::NewRecord {
    let request = format!(r#"{{"product":"{product}","destination":"{to}","date":"{on}","exporter":{{}}}}"#);
    let text = check_json(product, to, on);
    let d = json(&text);
    let s = |v: &serde_json::Value| v.as_str().unwrap().to_string();
    export_controls_service::records::NewRecord {
        recorded_at: "2026-11-30T12:00:00Z".into(),
        as_of: s(&d["as_of"]),
        product: s(&d["product"]["id"]),
        destination: s(&d["destination"]["code"]),
        verdict: s(&d["verdict"]),
        pack_name: s(&d["rules"]["name"]),
        pack_version: s(&d["rules"]["version"]),
        pack_sha256: s(&d["rules"]["sha256"]),
        request,
        determination: String::from_utf8(text).unwrap().into(),
        engine: export_controls_service::records::engine::RecordEngine::current_column(),
    }
}

#[test]
fn records_export_filters_by_day_and_refuses_a_bad_date_or_a_missing_store() {
    use export_controls_service::records::{self, NewRecord};
    let dir = temp_dir("export");
    let db = dir.join("records.db");
    // Five records made on 2026-11-20 to 2026-11-24, written by the service's store: each a
    // true record (`records export` flags a row that disagrees with its determination).
    let record = |n: usize| NewRecord {
        recorded_at: format!("2026-11-{:02}T10:00:00Z", 20 + n),
        ..true_record("nvidia-h20", "CN", "2025-04-20")
    };
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let store = records::open(db.to_str().unwrap()).await.unwrap();
        store.append((0..5).map(record).collect()).await.unwrap();
    });
    let export = |args: &[&str]| {
        let o = run(&[&["records", "export", "--db", &format!("sqlite:{}", db.display())][..], args].concat());
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        String::from_utf8(o.stdout).unwrap()
    };
    assert_eq!(export(&[]).lines().count(), 5);
    let days: Vec<String> = export(&["--since", "2026-11-23"])
        .lines()
        .map(|l| json(l.as_bytes())["recorded_at"].as_str().unwrap()[..10].to_string())
        .collect();
    assert_eq!(days, ["2026-11-23", "2026-11-24"]);
    assert_eq!(export(&["--since", "2026-11-25"]), "");

    let o = run(&["records", "export", "--db", db.to_str().unwrap(), "--since", "last week"]);
    assert_eq!(o.status.code(), Some(2), "a bad date is a usage error: {}", stderr(&o));
    // A store that is not there is not created empty.
    let missing = dir.join("missing.db");
    let o = run(&["records", "export", "--db", missing.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("no such record store"), "{}", stderr(&o));
    assert!(!missing.exists());
    std::fs::remove_dir_all(&dir).ok();
}

/// Tester finding N10 through the binary: `records export` writes a row whose columns or
/// request contradict its determination with its `disagreements` and exits 1 (E0605);
/// `records verify` names it, replays every record, and exits 1; a store of true records
/// exports and verifies with exit 0.
#[test]
fn records_export_and_verify_refuse_a_row_that_contradicts_its_determination() {
    use export_controls_service::records::{self, NewRecord};
    let dir = temp_dir("forged-rows");
    let db = dir.join("records.db");
    let h20 = true_record("nvidia-h20", "CN", "2025-04-20");
    assert_eq!(h20.verdict, "license_required");
    let forged = NewRecord {
        destination: "DE".into(),
        verdict: "no_license_required".into(),
        request: h20.request.replace("\"CN\"", "\"DE\""),
        ..h20.clone()
    };
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let append = |batch: Vec<NewRecord>| {
        rt.block_on(async {
            let store = records::open(db.to_str().unwrap()).await.unwrap();
            store.append(batch).await.unwrap();
        })
    };
    append(vec![h20.clone(), true_record("nvidia-h20", "CN", "2024-06-01")]);
    let db_arg = db.to_str().unwrap();
    let o = run(&["records", "export", "--db", db_arg]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = run(&["records", "verify", "--db", db_arg]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(String::from_utf8_lossy(&o.stdout), "2 record(s) checked, 0 failed\n");

    append(vec![forged]);
    let o = run(&["records", "export", "--db", db_arg]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let lines: Vec<serde_json::Value> =
        String::from_utf8_lossy(&o.stdout).lines().map(|l| json(l.as_bytes())).collect();
    assert_eq!(lines.len(), 3, "every row is written");
    assert!(lines[..2].iter().all(|l| l.get("disagreements").is_none()));
    let columns: Vec<&str> =
        lines[2]["disagreements"].as_array().unwrap().iter().map(|d| d["column"].as_str().unwrap()).collect();
    assert_eq!(columns, ["destination", "verdict", "request.destination"]);
    assert!(stderr(&o).contains("error[E0605]: 1 record(s) whose columns or request disagree"), "{}", stderr(&o));
    // `replay` of an exported line checks the row too: the true record replays identical, the
    // forged one names each disagreement and exits 1.
    let exported = String::from_utf8_lossy(&o.stdout).to_string();
    let line = dir.join("line.json");
    std::fs::write(&line, exported.lines().next().unwrap()).unwrap();
    let r = run(&["replay", line.to_str().unwrap()]);
    assert_eq!(r.status.code(), Some(0), "{}{}", String::from_utf8_lossy(&r.stdout), stderr(&r));
    std::fs::write(&line, exported.lines().nth(2).unwrap()).unwrap();
    let r = run(&["replay", line.to_str().unwrap()]);
    assert_eq!(r.status.code(), Some(1), "{}", stderr(&r));
    let said = String::from_utf8_lossy(&r.stdout).to_string();
    assert!(
        said.starts_with("record 3: error[E0605]: `destination`: the column says `DE`, the determination's destination.code is `CN`\nrecord 3: error[E0605]: `verdict`"),
        "{said}"
    );
    assert!(
        said.contains("the determination is identical, but the record disagrees with it (3 disagreement(s))"),
        "{said}"
    );

    let o = run(&["records", "verify", "--db", db_arg]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(out.starts_with("record 3:\n  error[E0605]: `destination`: the column says `DE`, the determination's destination.code is `CN`\n"), "{out}");
    assert!(out.ends_with("3 record(s) checked, 1 failed\n"), "{out}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn serve_refuses_a_pack_that_differs_from_its_lock() {
    let dir = temp_dir("serve-unlocked");
    let pack = dir.join("us-ear");
    common::copy_shipped_pack(&pack);
    common::edit_file(&pack.join("notices.toml"), "[[notice]]", "# an unreviewed edit\n[[notice]]");
    let o = common::bin()
        .args(["serve", "--addr", "127.0.0.1:0", "--db"])
        .arg(dir.join("r.db"))
        .arg("--rules")
        .arg(&pack)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("changed: notices.toml"), "{}", stderr(&o));
    std::fs::remove_dir_all(&dir).ok();
}

/// The elements of an XML document, read by an XML parser (so the document is well formed:
/// one root, every element closed): (name, attributes) in document order.
fn xml_elements(xml: &str) -> Vec<(String, Vec<(String, String)>)> {
    use quick_xml::XmlVersion;
    use quick_xml::events::{BytesStart, Event};
    let element = |e: &BytesStart| {
        let name = AsRef::<str>::as_ref(&e.name()).to_string();
        let attrs = e
            .attributes()
            .map(|a| {
                let a = a.unwrap_or_else(|e| panic!("bad attribute in <{name}>: {e}"));
                (
                    AsRef::<str>::as_ref(&a.key).to_string(),
                    a.normalized_value(XmlVersion::Implicit1_0).unwrap().into_owned(),
                )
            })
            .collect();
        (name, attrs)
    };
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let (mut out, mut depth, mut roots) = (Vec::new(), 0usize, 0usize);
    loop {
        match reader.read_event().unwrap_or_else(|e| panic!("not well-formed XML: {e}")) {
            Event::Start(e) => {
                roots += usize::from(depth == 0);
                depth += 1;
                out.push(element(&e));
            }
            Event::Empty(e) => {
                roots += usize::from(depth == 0);
                out.push(element(&e));
            }
            Event::End(_) => depth -= 1,
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!((depth, roots), (0, 1), "one root element, every element closed");
    out
}

fn attr<'a>(attrs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

#[test]
fn plot_writes_an_svg_of_the_bands_with_the_product_highlighted() {
    let o = run(&[
        "plot",
        "--on",
        "2025-04-20",
        "--products",
        "nvidia-h20,nvidia-h100-sxm5-80gb",
        "--highlight",
        "nvidia-h20",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let svg = String::from_utf8(o.stdout).unwrap();
    let elements = xml_elements(&svg);
    let (root, attrs) = &elements[0];
    assert_eq!(root, "svg");
    assert_eq!(attr(attrs, "xmlns"), Some("http://www.w3.org/2000/svg"));
    // The highlighted product is the H20 at its TPP.
    let highlighted: Vec<_> = elements.iter().filter(|(_, a)| attr(a, "id") == Some("highlight")).collect();
    assert_eq!(highlighted.len(), 1, "{svg}");
    assert_eq!(attr(&highlighted[0].1, "data-id"), Some("nvidia-h20"));
    assert_eq!(attr(&highlighted[0].1, "data-tpp"), Some("2368"));
    // Only the products asked for are plotted.
    let plotted: Vec<&str> = elements.iter().filter_map(|(_, a)| attr(a, "data-id")).collect();
    assert!(plotted.contains(&"nvidia-h100-sxm5-80gb") && !plotted.contains(&"amd-mi300x"), "{plotted:?}");
    // The bands in force on the date: 3A090.a and .b cells are drawn.
    let eccns: Vec<&str> = elements.iter().filter_map(|(_, a)| attr(a, "data-eccn")).collect();
    assert!(eccns.contains(&"3A090.a") && eccns.contains(&"3A090.b"), "{eccns:?}");
    // Before the first rule (2022-10-21), no band.
    let o = run(&["plot", "--on", "2022-06-01", "--highlight", "nvidia-h20"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let early = xml_elements(&String::from_utf8(o.stdout).unwrap());
    assert!(early.iter().filter_map(|(_, a)| attr(a, "data-eccn")).all(str::is_empty));

    // An unknown id is a usage error naming it.
    let o = run(&["plot", "--on", "2025-04-20", "--highlight", "nvidia-h2O"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("--highlight: unknown product `nvidia-h2O` (did you mean `nvidia-h20`?)"),
        "{}",
        stderr(&o)
    );
    let o = run(&["plot", "--on", "2025-04-20", "--products", "nope"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("unknown product `nope`"), "{}", stderr(&o));
}

#[test]
fn check_format_html_is_a_self_contained_report_with_the_verdict() {
    let o = run(&["check", "--product", "nvidia-h20", "--to", "CN", "--on", "2025-04-20", "--format", "html"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let html = String::from_utf8(o.stdout).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"), "{}", &html[..80]);
    assert!(html.trim_end().ends_with("</html>"));
    // Self-contained: no script, no linked style sheet or image, no remote URL at all but the
    // SVG namespace (a name, never fetched).
    for needle in ["<script", "<link", "<img", "<iframe", "@import", "url("] {
        assert!(!html.contains(needle), "the report holds `{needle}`");
    }
    let urls: Vec<&str> = html.match_indices("http").map(|(i, _)| &html[i..(i + 30).min(html.len())]).collect();
    assert!(urls.iter().all(|u| u.starts_with("http://www.w3.org/2000/svg")), "{urls:?}");
    assert!(html.contains("<style>"), "the style sheet is inline");
    // The verdict, the requirement that makes it, and the product on the chart.
    assert!(html.contains("data-verdict=\"license_required\""), "{html}");
    assert!(html.contains("is-informed/H20"));
    assert!(html.contains("2368"), "the TPP is shown");
    assert!(html.contains("id=\"highlight\""), "the chart highlights the product");

    // On 2024-06-01: no licence required.
    let o = run(&["check", "--product", "nvidia-h20", "--to", "CN", "--on", "2024-06-01", "--format", "html"]);
    let html = String::from_utf8(o.stdout).unwrap();
    assert!(html.contains("data-verdict=\"no_license_required\""));
    assert!(!html.contains("is-informed/H20"));
}

/// The body of a slow determination: 100 parties (the most a transaction may name), each with
/// a name of 1,000 characters (the longest allowed, E0517), screened against every list key.
fn slow_body() -> String {
    let parties: Vec<serde_json::Value> = (0..100)
        .map(|i| {
            let name = format!("{i:03} {}", "HuaweiX ".repeat(125))[..1000].to_string();
            serde_json::json!({"role": if i == 0 { "end_user" } else { "purchaser" }, "name": name, "country": "MY",
                "headquarters": "MY", "parent_headquarters": "MY", "owners_known": true})
        })
        .collect();
    serde_json::json!({"product": "nvidia-h100-sxm5-80gb", "destination": "MY", "date": "2025-06-01",
        "exporter": {"front_end_fabricator_or_osat": false}, "party": parties})
    .to_string()
}

/// `serve --workers 1 --queue 0`: while one slow determination is at work (as `/healthz`
/// says), the next is refused at once with 503 `busy` and `Retry-After: 1`, so the pool has
/// the size and queue bound given. Values out of range are usage errors (exit 2) naming the
/// flag.
#[test]
fn serve_workers_and_queue_size_the_pool() {
    let dir = temp_dir("serve-pool");
    let db = dir.join("records.sqlite");
    let server = spawn_serve(&["--db", db.to_str().unwrap(), "--workers", "1", "--queue", "0"], &dir.join("serve.err"));
    let addr = server.addr;
    let working = || get(addr, "/healthz").json()["working"].as_u64().unwrap();
    assert_eq!(working(), 0);
    let body = slow_body();
    let slow = std::thread::spawn(move || post_json(addr, "/v1/determinations", &body));
    let mut seen = false;
    while !slow.is_finished() {
        if working() == 1 {
            seen = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    assert!(seen, "the slow request was never seen at work: {}", slow.join().unwrap().text());
    let busy = post_json(addr, "/v1/determinations", &tx("nvidia-h20", "CN", "2024-06-01"));
    assert_eq!(busy.status, 503, "{}", busy.text());
    assert_eq!(busy.json()["type"], "urn:export-controls:problem:busy", "{}", busy.text());
    assert_eq!(busy.header("retry-after"), Some("1"));
    // (The slow request's connection is closed when the server is stopped.)
    drop(server);
    let _ = slow.join();
    for bad in [["--workers", "1025"], ["--queue", "65537"], ["--workers", "two"]] {
        let o = run(&["serve", "--addr", "127.0.0.1:0", bad[0], bad[1]]);
        assert_eq!(o.status.code(), Some(2), "{bad:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(bad[0]), "{bad:?}: {}", stderr(&o));
    }
}
