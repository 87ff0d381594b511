//! Tester round 15's items on the API's vocabulary: the date of a query is `date` everywhere
//! (D1), as a transaction names it. Values from the shipped pack: an H20 (TPP 2,368, PD 2.91)
//! to China needs no licence on 2024-06-01 and one on 2025-04-20 (the 2025-04 letter; the rule
//! tests in rules/us-ear/tests say so).

mod common;

use common::*;

fn assert_problem(r: &Resp, status: u16, kind: &str) -> serde_json::Value {
    assert_eq!(r.status, status, "{}", r.text());
    assert_eq!(r.header("content-type"), Some("application/problem+json"), "{}", r.text());
    let p = r.json();
    assert_eq!(p["type"], format!("urn:export-controls:problem:{kind}"));
    p
}

#[test]
fn the_screen_takes_the_date_as_a_transaction_does_and_on_as_an_alias() {
    let (addr, _) = sqlite_server("screen-date");
    for (date, verdict) in [("2024-06-01", "no_license_required"), ("2025-04-20", "license_required")] {
        let by_date = post_json(
            addr,
            "/v1/screen",
            &format!(r#"{{"date":"{date}","products":["nvidia-h20"],"destinations":["CN"]}}"#),
        );
        assert_eq!(by_date.status, 200, "{}", by_date.text());
        let v = by_date.json();
        assert_eq!(v["as_of"], date);
        assert_eq!(v["rows"][0]["verdict"], verdict, "{v}");
        // The old name: the same answer, byte for byte.
        let by_on = post_json(
            addr,
            "/v1/screen",
            &format!(r#"{{"on":"{date}","products":["nvidia-h20"],"destinations":["CN"]}}"#),
        );
        assert_eq!(by_on.status, 200, "{}", by_on.text());
        assert_eq!(by_on.text(), by_date.text());
    }
    // Both names in one body cannot disagree: the body is refused, naming both, with the code
    // the form and `GET /bands.svg` give (E0534; tester round 17, D5: before, no code).
    let r = post_json(addr, "/v1/screen", r#"{"date":"2024-06-01","on":"2025-04-20","products":["nvidia-h20"]}"#);
    let p = assert_problem(&r, 422, "usage-error");
    assert_eq!(p["code"], "E0534", "{p}");
    assert!(p["detail"].as_str().unwrap().contains("the date twice, as `date` and as `on`"), "{p}");
    // `date` twice is a duplicate field, not the two names.
    let r = post_json(addr, "/v1/screen", r#"{"date":"2024-06-01","date":"2025-04-20","products":["nvidia-h20"]}"#);
    let p = assert_problem(&r, 422, "usage-error");
    assert!(p["detail"].as_str().unwrap().contains("duplicate field `date`"), "{p}");
    assert!(p.get("code").is_none(), "{p}");
    // A bad date is named by the field's name.
    let r = post_json(addr, "/v1/screen", r#"{"date":"2025-13-01","products":["nvidia-h20"]}"#);
    let p = assert_problem(&r, 422, "usage-error");
    assert!(p["detail"].as_str().unwrap().starts_with("date: "), "{p}");
    assert_eq!(p["code"], "E0501");
    // No date at all: `date` is the missing field.
    let r = post_json(addr, "/v1/screen", r#"{"products":["nvidia-h20"]}"#);
    let p = assert_problem(&r, 422, "usage-error");
    assert!(p["detail"].as_str().unwrap().contains("missing field `date`"), "{p}");
}

#[test]
fn the_openapi_document_names_the_screen_date_date() {
    let doc: serde_json::Value = serde_json::from_str(&export_controls_service::api::openapi_document()).unwrap();
    let req = &doc["components"]["schemas"]["ScreenRequest"];
    assert!(req["properties"]["date"].is_object(), "{req}");
    assert!(req["properties"].get("on").is_none(), "{req}");
    assert!(req["required"].as_array().unwrap().iter().any(|k| k == "date"), "{req}");
    // The transaction (POST /v1/determinations) names it the same.
    let tx = &doc["components"]["schemas"]["Transaction"];
    assert!(tx["properties"]["date"].is_object(), "{tx}");
}

#[test]
fn the_bands_chart_takes_the_date_as_date_and_on() {
    let (addr, _) = sqlite_server("bands-date");
    // 2021-06-01 is before the pack's coverage (2022-01-01): refused under either name. Before,
    // `?date=` was not read at all and the chart of today was drawn.
    for q in ["date=2021-06-01", "on=2021-06-01"] {
        let r = get(addr, &format!("/bands.svg?{q}"));
        let p = assert_problem(&r, 422, "usage-error");
        assert_eq!(p["exit_code"], 2, "{q}");
    }
    let by_date = get(addr, "/bands.svg?date=2024-06-01&highlight=nvidia-h20");
    assert_eq!(by_date.status, 200);
    assert_eq!(by_date.text(), get(addr, "/bands.svg?on=2024-06-01&highlight=nvidia-h20").text());
    // Both names at once: refused as `/v1/screen` and the form refuse them, 422 E0534 (tester
    // round 17, D5: before, a 400 "duplicate field `date`" with no code; the old expectation was
    // the bug). Even when they agree, and in either order.
    for q in ["date=2024-06-01&on=2024-06-01", "on=2025-04-20&date=2024-06-01"] {
        let r = get(addr, &format!("/bands.svg?{q}"));
        let p = assert_problem(&r, 422, "usage-error");
        assert_eq!(p["code"], "E0534", "{q}: {p}");
        assert!(p["detail"].as_str().unwrap().contains("the date twice, as `date` and as `on`"), "{p}");
        let s = post_json(addr, "/v1/screen", r#"{"on":"2025-04-20","date":"2024-06-01"}"#).json();
        assert_eq!((&s["status"], &s["type"], &s["code"]), (&p["status"], &p["type"], &p["code"]), "{s}");
    }
}

/// Tester15 D3: an empty list written by a client is refused, naming the field (422, E0533);
/// only leaving the field out means all. Before, `"products": []` screened the whole catalog
/// and `"destinations": []` every country.
#[test]
fn an_empty_list_is_refused_and_only_a_field_left_out_means_all() {
    let (addr, _) = sqlite_server("screen-empty");
    for (body, field) in [
        (r#"{"date":"2025-04-20","products":[],"destinations":["CN"]}"#, "products"),
        (r#"{"date":"2025-04-20","products":["nvidia-h20"],"destinations":[]}"#, "destinations"),
        (r#"{"date":"2025-04-20","products":["nvidia-h20",""],"destinations":["CN"]}"#, "products"),
        (r#"{"date":"2025-04-20","products":["nvidia-h20"],"destinations":["CN"," "]}"#, "destinations"),
    ] {
        let r = post_json(addr, "/v1/screen", body);
        let p = assert_problem(&r, 422, "usage-error");
        assert_eq!(p["code"], "E0533", "{body}: {p}");
        let detail = p["detail"].as_str().unwrap();
        assert!(detail.starts_with(&format!("{field}: an empty ")), "{body}: {detail}");
        assert!(detail.contains(&format!("leave `{field}` out")), "{detail}");
    }
    // `null` is not the field left out either.
    let r = post_json(addr, "/v1/screen", r#"{"date":"2025-04-20","products":null}"#);
    let p = assert_problem(&r, 422, "usage-error");
    assert!(p["detail"].as_str().unwrap().contains("invalid type: null"), "{p}");

    // Left out: the whole catalog, every country but the US (and its territories, 15 CFR
    // 772.1: the States, PR, VI, GU, AS, MP, UM).
    let catalog = export_controls::Catalog::shipped().unwrap().len();
    let countries = export_controls::Country::all().len() - 7;
    let r = post_json(addr, "/v1/screen", r#"{"date":"2025-04-20","destinations":["CN"]}"#);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["rows"].as_array().unwrap().len(), catalog);
    let r = post_json(addr, "/v1/screen", r#"{"date":"2025-04-20","products":["nvidia-h20"]}"#);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["rows"].as_array().unwrap().len(), countries);

    // The chart: `products=` empty or with an empty id is refused; left out, the ICs are drawn.
    for q in ["products=", "products=nvidia-h20,", "products=nvidia-h20,,nvidia-h100-sxm5-80gb"] {
        let r = get(addr, &format!("/bands.svg?date=2024-06-01&{q}"));
        let p = assert_problem(&r, 422, "usage-error");
        assert_eq!(p["code"], "E0533", "{q}: {p}");
        assert!(p["detail"].as_str().unwrap().starts_with("products: an empty "), "{p}");
    }
    assert_eq!(get(addr, "/bands.svg?date=2024-06-01").status, 200);
    assert_eq!(get(addr, "/bands.svg?date=2024-06-01&products=nvidia-h20").status, 200);
}

/// Tester15 D6: JSON is UTF-8 (RFC 8259 §8.1); a body said to be in another charset is refused
/// (415, E0613) rather than read as UTF-8; `charset=utf-8` in any spelling is read.
#[test]
fn a_json_body_in_another_charset_is_415() {
    let (addr, _) = sqlite_server("charset15");
    let body = r#"{"product":"nvidia-h20","destination":"CN","date":"2024-06-01"}"#;
    for ct in [
        "application/json; charset=utf-16",
        "application/json; charset=\"ISO-8859-1\"",
        "application/json;charset=latin1",
    ] {
        let r = request(addr, "POST", "/v1/determinations", Some(ct), body.as_bytes()).unwrap();
        let p = assert_problem(&r, 415, "unsupported-media-type");
        assert_eq!(p["code"], "E0613", "{ct}: {p}");
        assert!(p["detail"].as_str().unwrap().contains("UTF-8"), "{ct}: {p}");
    }
    for ct in
        ["application/json; charset=UTF-8", "application/json; charset=\"utf-8\"", "application/json;charset=utf8"]
    {
        let r = request(addr, "POST", "/v1/determinations", Some(ct), body.as_bytes()).unwrap();
        assert_eq!(r.status, 201, "{ct}: {}", r.text());
    }
    assert_eq!(get(addr, "/healthz").json()["records_written"], 3);
}

/// Tester15 D5: a page size out of 1..=1000 is a 400 naming `limit`, not clamped.
#[test]
fn a_page_size_out_of_range_is_refused() {
    let (addr, _) = sqlite_server("limit15");
    for limit in ["0", "1001"] {
        let r = get(addr, &format!("/v1/determinations?limit={limit}"));
        let p = assert_problem(&r, 400, "bad-query");
        assert!(p["detail"].as_str().unwrap().starts_with(&format!("limit: {limit} ")), "{p}");
    }
    assert_eq!(get(addr, "/v1/determinations?limit=1").status, 200);
    assert_eq!(get(addr, "/v1/determinations").status, 200);
}
