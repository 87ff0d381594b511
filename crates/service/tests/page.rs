//! The page's errors at the form field the user filled (issue 13, 3b): each names the field by
//! its label (a pasted sheet's error keeps its line and column in the sheet, a party's its line
//! in the parties box) with the diagnostic's code, never a place in the JSON the page builds;
//! the field is marked for assistive technology (`aria-invalid`, `aria-describedby` naming the
//! message, `autofocus` on the first bad field). And the picture on a date outside the pack's
//! coverage: refused before it (the pack holds no rule in force then), veiled with a
//! statement of what it cannot know after its research cut-off (rules/us-ear/pack.toml:
//! `coverage_from = 2022-01-01`, `researched_until = 2026-09-24`).

mod common;

use common::*;

/// Posts the form's fields and returns the status and the page.
fn submit(addr: std::net::SocketAddr, fields: &[(&str, &str)]) -> (u16, String) {
    let form: Vec<String> = fields.iter().map(|(k, v)| format!("{k}={}", urlencode(v))).collect();
    let r = request(addr, "POST", "/", Some("application/x-www-form-urlencoded"), form.join("&").as_bytes()).unwrap();
    (r.status, r.text())
}

/// The start tag of the element with this id.
fn tag<'a>(html: &'a str, id: &str) -> &'a str {
    let at = html.find(&format!(" id=\"{id}\"")).unwrap_or_else(|| panic!("no element #{id}"));
    let start = html[..at].rfind('<').unwrap();
    let end = at + html[at..].find('>').unwrap();
    &html[start..=end]
}

/// Asserts that the field `id` is marked bad, takes the focus or not, and that its message
/// (under it, `id="{id}-error"`) and the alert both say `text`, with `code`.
fn assert_field_error(html: &str, id: &str, focus: bool, code: Option<&str>, text: &str) {
    let control = tag(html, id);
    assert!(control.contains("aria-invalid=\"true\""), "{control}");
    assert!(control.contains(&format!("aria-describedby=\"{id}-error")), "{control}");
    assert_eq!(control.contains(" autofocus"), focus, "{control}");
    let shown = match code {
        Some(c) => format!("<code>{c}</code> {}", esc(text)),
        None => esc(text),
    };
    let note = &html[html.find(&format!("id=\"{id}-error\"")).unwrap()..];
    assert!(note[..note.find("</p>").unwrap()].contains(&shown), "{shown} not under #{id}: {note}");
    let alert = &html[html.find("role=\"alert\"").unwrap()..];
    assert!(alert[..alert.find("</section>").unwrap()].contains(&shown), "{shown} not in the alert");
    // Never a place in the JSON the page built.
    assert!(!html.contains("request body"), "{html}");
}

fn esc(s: &str) -> String {
    export_controls_service::report::esc(s)
}

fn h20_sheet(id: &str) -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../rules/products/nvidia-h20.toml"))
        .unwrap()
        .replace("id = \"nvidia-h20\"", &format!("id = \"{id}\""))
}

/// The page's form at `addr`, filled in as the H20 to China on 2025-04-20.
struct Form {
    addr: std::net::SocketAddr,
}

impl Form {
    /// The good form's fields with `k` set to `v` (added when the form has no such field).
    fn with(&self, k: &str, v: &str) -> Vec<(String, String)> {
        let ok = [("product", "nvidia-h20"), ("to", "CN"), ("date", "2025-04-20")];
        let mut f: Vec<(String, String)> = ok.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
        match f.iter_mut().find(|(a, _)| a == k) {
            Some(e) => e.1 = v.to_string(),
            None => f.push((k.to_string(), v.to_string())),
        }
        f
    }

    /// Posts `f`: the status and the page.
    fn post(&self, f: Vec<(String, String)>) -> (u16, String) {
        let f: Vec<(&str, &str)> = f.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        submit(self.addr, &f)
    }
}

/// The date (E0501) and the destination (E0503) at their fields, and only there.
fn the_date_and_the_destination_at_their_fields(form: &Form) {
    // The date: month 13 (E0501, the transaction's date cannot be read).
    let (status, html) = form.post(form.with("date", "2025-13-01"));
    assert_eq!(status, 422);
    assert_field_error(&html, "date", true, Some("E0501"), "Date of export: month 13 is not between 1 and 12");
    // The other fields are not marked.
    for id in ["product", "sheet", "to", "fab", "region"] {
        assert!(!tag(&html, id).contains("aria-invalid"), "{id}: {}", tag(&html, id));
    }
    // The parties box keeps its hint.
    assert!(tag(&html, "parties").contains("aria-describedby=\"parties-hint\""));

    // The destination (E0503, not a country code).
    let (status, html) = form.post(form.with("to", "XX"));
    assert_eq!(status, 422);
    assert_field_error(&html, "to", true, Some("E0503"), "Destination: `XX` is not an ISO 3166-1 alpha-2 country code");
}

/// A party line refused by the parser, or by the pack (E0508), at its line of the parties box.
fn party_errors_at_their_line_of_the_box(form: &Form) {
    // A party line the CLI's parser refuses, on line 3 of the box (line 2 is blank).
    let parties = "role=end_user,name=Example Cloud,country=MY\n\nrole=boss";
    let (status, html) = form.post(form.with("parties", parties));
    assert_eq!(status, 422);
    let cli = export_controls::model::Party::from_kv("role=boss").unwrap_err().to_string();
    assert_field_error(&html, "parties", true, None, &format!("Parties, line 3: party `role=boss`: {cli}"));
    assert!(tag(&html, "parties").contains("aria-describedby=\"parties-error parties-hint\""));

    // A party the pack refuses (an Entity List entry it does not hold, E0508, with the help),
    // on line 3: placed from the transaction the API read.
    let parties = "role=end_user,name=Example Cloud,country=MY\n\nrole=end_user,name=Acme,country=CN,hq=CN,list=EL:huawei-technologiez";
    let (status, html) = form.post(form.with("parties", parties));
    assert_eq!(status, 422);
    assert!(html.contains("<code>E0508</code> Parties, line 3: "), "{html}");
    assert!(html.contains("(did you mean `EL:huawei-technologies`?)"), "{html}");
    assert!(tag(&html, "parties").contains("aria-invalid=\"true\""));
}

/// A catalog product chosen with a sheet pasted, and a field the form does not have: refused,
/// nothing decided or recorded.
fn a_product_and_a_sheet_or_a_field_the_form_lacks_are_refused(form: &Form) {
    // A catalog product chosen AND a sheet pasted (tester round 5, R3: the page decided the H20
    // and dropped the pasted sheet): neither is decided, the sheet field says why.
    let (status, html) = form.post(form.with("sheet", &h20_sheet("my-h20-like")));
    assert_eq!(status, 422);
    assert_field_error(
        &html,
        "sheet",
        true,
        None,
        "Product sheet: a catalog product (`nvidia-h20`) is chosen and a product sheet is pasted: choose the empty \
         product to determine the sheet, or clear the sheet to determine the catalog product",
    );
    assert!(!html.contains("Verdict"), "{html}");

    // A field the form does not have (tester round 6, S6): the parties under `party`, the name
    // the CLI's `--party` and a transaction file's `[[party]]` use, were dropped and an H100 to
    // Malaysia for Huawei was decided (and recorded) without them. Refused, naming the field and
    // the fields the form has; nothing is decided or recorded.
    let huawei = "role=end_user,name=Huawei Technologies Co., Ltd.,country=CN,hq=CN";
    // (`from` was refused the same way until the page gained its "Ships from" field: origin11.)
    let mut f = form.with("product", "nvidia-h100-sxm5-80gb");
    f.push(("party".to_string(), huawei.to_string()));
    let (status, html) = form.post(f);
    assert_eq!(status, 422, "{html}");
    assert!(html.contains("unknown field `party`, expected one of"), "{html}");
    assert!(!html.contains("data-verdict"), "{html}");
    assert!(!html.contains("Recorded as"), "{html}");

    // A field given twice (tester round 16, D4: "Malformed form", the form emptied, no field
    // marked): refused at that field, naming it; the form keeps what was given; nothing is
    // decided or recorded. Two `parties=`, the second naming Huawei: deciding on the first
    // alone would clear an H100 to Malaysia for an end user on the Entity List.
    let mut f = form.with("product", "nvidia-h100-sxm5-80gb");
    f.push(("parties".to_string(), "role=end_user,name=Example Cloud,country=MY".to_string()));
    f.push(("parties".to_string(), huawei.to_string()));
    let (status, html) = form.post(f);
    assert_eq!(status, 422, "{html}");
    let twice = |name: &str| {
        format!(
            "the form gives `{name}` 2 times: give it once (which value was meant is not known, so none is decided)"
        )
    };
    assert_field_error(&html, "parties", true, None, &format!("Parties: {}", twice("parties")));
    assert!(!html.contains("data-verdict") && !html.contains("Recorded as"), "{html}");
    assert!(!html.contains("Malformed form"), "{html}");
    // Two destinations, and two dates: each field marked, the first to take the focus.
    let mut f = form.with("to", "MY");
    f.push(("to".to_string(), "CN".to_string()));
    f.push(("date".to_string(), "2025-04-21".to_string()));
    let (status, html) = form.post(f);
    assert_eq!(status, 422, "{html}");
    assert_field_error(&html, "to", true, None, &format!("Destination: {}", twice("to")));
    assert_field_error(&html, "date", false, None, &format!("Date of export: {}", twice("date")));
    // The form is shown as it was given (its first values), not emptied.
    assert!(html.contains("<option value=\"MY\" selected>"), "{html}");
    assert!(html.contains("<option value=\"nvidia-h20\" selected>"), "{html}");
    assert!(!html.contains("Recorded as"), "{html}");
}

/// The region (E0512) and the product (none, or unknown) at their fields.
fn the_region_and_the_product_at_their_fields(form: &Form) {
    // A region of Ukraine for a transaction to China (E0512).
    let (status, html) = form.post(form.with("region", "crimea"));
    assert_eq!(status, 422);
    assert!(html.contains("<code>E0512</code> Region of Ukraine: destination_region `crimea`"), "{html}");
    assert!(tag(&html, "region").contains("aria-invalid=\"true\" aria-describedby=\"region-error\" autofocus"));

    // No product and no sheet.
    let (status, html) = form.post(form.with("product", ""));
    assert_eq!(status, 422);
    assert_field_error(&html, "product", true, None, "Product: choose a catalog product or paste a product sheet");

    // An unknown catalog product (refused without a diagnostic: placed by the form).
    let (status, html) = form.post(form.with("product", "nvidia-h2O"));
    assert_eq!(status, 422);
    assert!(tag(&html, "product").contains("aria-invalid=\"true\""), "{html}");
    assert!(html.contains("Product: unknown product `nvidia-h2O` (did you mean `nvidia-h20`?)"), "{html}");
}

/// A pasted sheet's error in the sheet's own lines; beside a good sheet, the date's and the
/// parties' errors at theirs.
fn a_pasted_sheet_keeps_its_lines(form: &Form) {
    // A pasted sheet's error keeps its line and column in the sheet (E0101 at name = 3).
    let sheet = "id = \"x\"\nname = 3\n";
    let (status, html) = form.post(vec![
        ("product".into(), String::new()),
        ("sheet".into(), sheet.into()),
        ("to".into(), "CN".into()),
        ("date".into(), "2025-04-20".into()),
    ]);
    assert_eq!(status, 422);
    assert_field_error(
        &html,
        "sheet",
        true,
        Some("E0101"),
        "Product sheet, line 2, column 8: invalid type: integer `3`, expected a string",
    );

    // With a good sheet, a bad date is still the date's (the API re-reads the transaction
    // without the sheet: placed in that text).
    let (status, html) = form.post(vec![
        ("product".into(), String::new()),
        ("sheet".into(), h20_sheet("pasted-h20")),
        ("to".into(), "CN".into()),
        ("date".into(), "2025-13-01".into()),
        ("parties".into(), "role=end_user,name=Example Cloud,country=MY".into()),
    ]);
    assert_eq!(status, 422);
    assert_field_error(&html, "date", true, Some("E0501"), "Date of export: month 13 is not between 1 and 12");
    let (status, html) = form.post(vec![
        ("product".into(), String::new()),
        ("sheet".into(), h20_sheet("pasted-h20")),
        ("to".into(), "CN".into()),
        ("date".into(), "2025-04-20".into()),
        (
            "parties".into(),
            "role=end_user,name=A,country=MY\nrole=end_user,name=Acme,country=CN,list=EL:huawei-technologiez".into(),
        ),
    ]);
    assert_eq!(status, 422);
    assert!(html.contains("<code>E0508</code> Parties, line 2: "), "{html}");
}

/// The date's field is `date`, as a transaction, `--date` and `/v1/screen` name it (tester
/// round 16); `on`, its name before, is read as it; both at once are refused (E0534), neither
/// decided. An H20 (TPP 2,368, PD 2.91) to China needs no licence on 2024-06-01 and a licence
/// on 2025-04-20 (rules/us-ear/tests), so the verdict shows which date was read.
fn the_date_is_date_or_on_never_both(form: &Form) {
    let verdict = |html: &str| {
        let at = html.find("data-verdict=\"").map(|i| i + "data-verdict=\"".len()).expect("a verdict");
        html[at..at + html[at..].find('"').unwrap()].to_string()
    };
    for (key, date, expected) in [
        ("date", "2024-06-01", "no_license_required"),
        ("on", "2024-06-01", "no_license_required"),
        ("date", "2025-04-20", "license_required"),
        ("on", "2025-04-20", "license_required"),
    ] {
        let f = vec![
            ("product".to_string(), "nvidia-h20".to_string()),
            ("to".to_string(), "CN".to_string()),
            ("fab".to_string(), "no".to_string()),
            (key.to_string(), date.to_string()),
        ];
        let (status, html) = form.post(f);
        assert_eq!(status, 200, "{key}={date}: {html}");
        assert_eq!(verdict(&html), expected, "{key}={date}");
        // The form shows the date read, under its name `date`.
        assert!(html.contains(&format!("name=\"date\" type=\"date\" value=\"{date}\"")), "{html}");
    }
    let mut f = form.with("date", "2024-06-01");
    f.push(("on".to_string(), "2025-04-20".to_string()));
    let (status, html) = form.post(f);
    assert_eq!(status, 422, "{html}");
    assert_field_error(
        &html,
        "date",
        true,
        Some("E0534"),
        "Date of export: the form gives the date twice, as `date` and as `on` (its name before): give it once, as \
         `date` (which was meant is not known, so neither is decided)",
    );
    assert!(!html.contains("data-verdict") && !html.contains("Recorded as"), "{html}");
    // The prefilled form reads the old name too.
    let html = get(form.addr, "/?on=2025-04-20&product=nvidia-h20").text();
    assert!(html.contains("name=\"date\" type=\"date\" value=\"2025-04-20\""), "{html}");
}

#[test]
fn errors_name_the_field_the_user_filled_with_their_codes() {
    let (addr, _) = sqlite_server("page-errors");
    let form = Form { addr };
    the_date_and_the_destination_at_their_fields(&form);
    party_errors_at_their_line_of_the_box(&form);
    a_product_and_a_sheet_or_a_field_the_form_lacks_are_refused(&form);
    the_region_and_the_product_at_their_fields(&form);
    a_pasted_sheet_keeps_its_lines(&form);
    the_date_is_date_or_on_never_both(&form);

    // A good form marks nothing.
    let (status, html) = form.post(form.with("date", "2025-04-20"));
    assert_eq!(status, 200);
    assert!(!html.contains("aria-invalid") && !html.contains(" autofocus") && !html.contains("role=\"alert\""));
}

#[test]
fn the_picture_is_refused_before_the_packs_coverage_and_veiled_after_its_cut_off() {
    let (addr, _) = sqlite_server("page-dates");
    let refusal = "2021-06-01 is before 2022-01-01, the earliest date the rule pack `us-ear` covers";

    // Before the coverage: the determination is refused at the date, and there is no picture
    // (not today's, not an empty plane): the refusal stands in its place.
    let (status, html) = submit(addr, &[("product", "nvidia-h20"), ("to", "CN"), ("date", "2021-06-01")]);
    assert_eq!(status, 422);
    assert_field_error(&html, "date", true, None, &format!("Date of export: {refusal}"));
    assert!(!html.contains("id=\"bands\""), "a picture on a date the pack does not cover");
    assert!(html.contains(&format!("<p class=\"problem\" id=\"chart-refused\">No picture: {}</p>", esc(refusal))));
    // So too the form prefilled with that date, and /bands.svg (a usage error, as /v1/screen's `date`).
    let html = get(addr, "/?date=2021-06-01&product=nvidia-h20").text();
    assert!(!html.contains("id=\"bands\"") && html.contains("id=\"chart-refused\""));
    let r = get(addr, "/bands.svg?on=2021-06-01");
    assert_eq!(r.status, 422);
    let p = r.json();
    assert_eq!(p["type"], "urn:export-controls:problem:usage-error");
    assert_eq!(p["exit_code"], 2);
    assert_eq!(p["detail"], refusal);
    // The first covered day is drawn, unveiled.
    let r = get(addr, "/bands.svg?on=2022-01-01");
    assert_eq!(r.status, 200);
    assert!(!r.text().contains("after-cut-off"));

    // After the research cut-off: drawn under a veil that says the bands are not known, and
    // the same statement as text that the figure names.
    let statement = "2026-09-25 is after 2026-09-24, the research cut-off of pack us-ear";
    let (status, html) = submit(addr, &[("product", "nvidia-h20"), ("to", "CN"), ("date", "2026-09-25")]);
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("<g data-researched-until=\"2026-09-24\" id=\"after-cut-off\">"), "{html}");
    assert!(html.contains(&format!("<p class=\"problem\" id=\"chart-note\">{statement}")), "{html}");
    assert!(html.contains("<figure aria-describedby=\"chart-note\">"));
    assert!(html.contains("the bands in force on 2026-09-25 are not known"));
    // On the cut-off itself, no veil.
    let (status, html) = submit(addr, &[("product", "nvidia-h20"), ("to", "CN"), ("date", "2026-09-24")]);
    assert_eq!(status, 200);
    assert!(!html.contains("after-cut-off") && !html.contains("chart-note"));
    let svg = get(addr, "/bands.svg?on=2026-09-25").text();
    assert!(svg.contains("id=\"after-cut-off\"") && svg.contains(statement));
}

/// A form said to be in another charset than UTF-8 is refused (415, E0530), nothing recorded:
/// the page reads its form as UTF-8, and `Hu%E1wei` (`Huáwei` in Latin-1) was read as
/// `Hu\u{fffd}wei`, two words no listed name is, so an H100 to its end user in Malaysia on
/// 2025-06-01 was no licence required (tester16 F2). Sent in UTF-8 the name is left open as
/// Huawei Technologies Co., Ltd. (Entity List, 84 FR 22961), and the lost byte sent without a
/// charset is refused at the name (422, as E0523 refuses it in files).
#[test]
fn a_form_in_another_charset_is_refused_and_a_lost_byte_never_clears() {
    let (addr, _dir) = sqlite_server("page-charset");
    let party = |name: &str| {
        format!(
            "role=end_user,name={name},country=MY,hq=MY,parent_hq=MY,screened=entity_list@2025-06-01,owners_known=true"
        )
    };
    let head = "product=nvidia-h100-sxm5-80gb&to=MY&from=US&on=2025-06-01&fab=no&parties=";
    let latin1 = format!("{head}{}", urlencode(&party("HuXwei")).replace('X', "%E1"));
    let post = |ct: &str, body: &str| request(addr, "POST", "/", Some(ct), body.as_bytes()).unwrap();
    let r = post("application/x-www-form-urlencoded; charset=ISO-8859-1", &latin1);
    assert_eq!(r.status, 415);
    assert!(r.text().contains("<code>E0530</code>"), "{}", r.text());
    // Sent with no charset, the byte is refused at the field before the form is read (E0536,
    // tester round 17; before, it was read as U+FFFD and refused at the name, E0523).
    let r = post("application/x-www-form-urlencoded", &latin1);
    assert_eq!(r.status, 422);
    assert!(r.text().contains("<code>E0536</code> Parties: `parties` holds bytes that are not UTF-8"), "{}", r.text());
    let utf8 = format!("{head}{}", urlencode(&party("Huáwei")));
    let r = post("application/x-www-form-urlencoded; charset=utf-8", &utf8);
    assert_eq!(r.status, 200);
    let text = r.text();
    let first = text.split("data-verdict=\"").nth(1).and_then(|v| v.split('"').next());
    assert_eq!(first, Some("indeterminate"), "{text}");
}

/// Tester round 17: a form sent with no charset whose field is not UTF-8 once percent-decoded
/// is refused at that field (422, E0536), whatever the field, nothing determined: before, the
/// form reader decoded its bytes lossily, as U+FFFD, and only names were protected (E0523).
/// An H20 to China on 2025-04-20 needs a licence (rules/us-ear/tests), so a form that was
/// determined would show a verdict.
#[test]
fn a_field_that_is_not_utf8_is_refused_at_that_field() {
    let (addr, _dir) = sqlite_server("page-not-utf8");
    let post =
        |body: &str| request(addr, "POST", "/", Some("application/x-www-form-urlencoded"), body.as_bytes()).unwrap();
    let good = [("product", "nvidia-h20"), ("to", "CN"), ("from", "US"), ("date", "2025-04-20"), ("fab", "no")];
    let form = |field: &str, value: &str| {
        let mut pairs: Vec<String> =
            good.iter().filter(|(k, _)| *k != field).map(|(k, v)| format!("{k}={}", urlencode(v))).collect();
        pairs.push(format!("{field}={value}"));
        pairs.join("&")
    };
    // The form as sent in UTF-8 is determined.
    let r = post(&form("to", "CN"));
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.text().contains("data-verdict=\"license_required\""), "{}", r.text());
    for (field, label, value) in [
        ("to", "Destination", &b"C%C1"[..]),
        ("date", "Date of export", b"2025-04-2%FF"),
        ("on", "Date of export", b"2025-04-2%FF"),
        ("from", "Ships from", b"U%E1S"),
        ("product", "Product", b"nvidia-h2%E1"),
        ("parties", "Parties", b"role%3Dend_user%2Cname%3DAcme%2Ccountry%3DCN%2Cend_use%3Dgam%E9s"),
        ("region", "Region of Ukraine", b"crim%E9a"),
        // A raw Latin-1 byte, not percent-encoded.
        ("fab", "Front-end fabricator or OSAT", b"n\xF3"),
    ] {
        let mut body = form(field, "").into_bytes();
        body.extend_from_slice(value);
        let r = request(addr, "POST", "/", Some("application/x-www-form-urlencoded"), &body).unwrap();
        let html = r.text();
        assert_eq!(r.status, 422, "{field}: {html}");
        let id = if field == "on" { "date" } else { field };
        assert_field_error(
            &html,
            id,
            true,
            Some("E0536"),
            &format!(
                "{label}: `{field}` holds bytes that are not UTF-8 once percent-decoded: this page reads its form as \
                 UTF-8, and bytes of another encoding would be read as U+FFFD, another text than the one sent (a name \
                 screened as another); send the form in UTF-8"
            ),
        );
        assert!(!html.contains("data-verdict") && !html.contains("Recorded as"), "{field}: {html}");
        assert!(!html.contains('\u{fffd}'), "{field}: the lossy value is not shown again: {html}");
    }
    // A field the form does not have, and a name that is not UTF-8: refused, not dropped.
    for (extra, says) in
        [("x%E1=1", "the name of a field holds bytes"), ("note=caf%E9", "the field `note` holds bytes")]
    {
        let r = post(&format!("{}&{extra}", form("to", "CN")));
        assert_eq!(r.status, 422, "{extra}");
        assert!(r.text().contains(&format!("<code>E0536</code> {says} that are not UTF-8")), "{}", r.text());
    }
    // `%` not followed by two hex digits is no byte: read as it is (and refused as a date).
    let r = post(&form("date", "2025-04-2%"));
    assert_eq!(r.status, 422);
    assert!(!r.text().contains("E0536"), "{}", r.text());
}
