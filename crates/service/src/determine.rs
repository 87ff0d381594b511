//! A transaction in, a determination out: the same steps as `export-controls check
//! --transaction tx.json --format json`, without touching the file system (a product is a
//! catalog id, or a product sheet sent inline).

use export_controls::model::Transaction;
use export_controls::ruleset::SourceFile;
use export_controls::{Country, Date, Determination, EvaluateError, Options, PreparedProduct, Query, Verdict};

use crate::cpu::Cancel;
use crate::pack::LoadedPack;
use export_controls::origin::{Origin, QueryOrigins};

use crate::problem::Problem;

/// Largest request body accepted, bytes (a transaction with an inline product sheet).
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// The file name diagnostics give for a request body.
pub const BODY_FILE: &str = "request body";

/// A transaction parsed from a request.
#[derive(Debug, Clone)]
pub struct Request {
    /// The transaction, as in a transaction file.
    pub transaction: Transaction,
    /// The product: from the catalog (shared with it, not copied), or the inline sheet.
    pub product: std::sync::Arc<PreparedProduct>,
    /// The request as received, normalised to compact JSON, with the catalog sheets its
    /// product rests on under `catalog_sheets` ([`crate::records::sheets`]): what the record
    /// keeps.
    pub json: String,
}

/// Parses a request body: a JSON transaction (the keys of a transaction file, the date as
/// `"YYYY-MM-DD"`, parties under `"party"`), optionally with `"product_sheet"`: the TOML text
/// of a product sheet, used instead of the catalog (its `id` must equal `"product"`, or
/// `"product"` may be left out).
///
/// # Errors
/// A [`Problem`]: 400 when the body is not UTF-8 or not a JSON object, 422 with the CLI's
/// diagnostics when it is not a valid transaction, names an unknown product, a list entry or
/// list the pack does not hold, or attests a screen against a list dated after today.
pub fn parse_request(pack: &LoadedPack, body: &[u8]) -> Result<Request, Problem> {
    let text = body_text(body)?;
    let (mut value, sheet) = json_object(text)?;
    let sheet_product = match &sheet {
        // As `check --product FILE` does: the sheet's `contains` resolved against the catalog,
        // and a sheet that takes a catalog product's id with other figures refused (E0220),
        // so that no record carries a catalog id for figures that are not that product's.
        Some(s) => Some(sheet_product(pack, &mut value, s)?),
        None => None,
    };
    // Re-serialised only when the body was changed, so that diagnostics point into the text
    // as sent whenever possible.
    let parse_text =
        if sheet.is_some() { serde_json::to_string_pretty(&value).unwrap_or_default() } else { text.to_string() };
    let src = SourceFile::new(BODY_FILE, parse_text);
    let transaction = Transaction::parse(&src).map_err(Problem::input)?;
    // As `check --transaction` does: list entries and lists the pack does not hold, and
    // screening attestations against a list dated after today, are input errors (E0508,
    // E0509, E0511) at their place in the body, never a silent screen.
    pack.rules().check_transaction(&transaction, &src).map_err(Problem::input)?;
    transaction.check_list_dates(&src, Date::today_utc()).map_err(Problem::input)?;
    let product = match sheet_product {
        Some(p) => std::sync::Arc::new(p),
        None => catalog_product(pack, &transaction)?,
    };
    // To the US from the US, or from a country not stated: no export (15 CFR 734.14).
    if transaction.destination == Country::US && transaction.exported_from.is_none_or(|c| c == Country::US) {
        return Err(Problem::refused(
            Origin::File,
            format!(
                "destination {} is the country of export (US) or a shipment into the United States: that is not an export; give the destination abroad",
                transaction.destination
            ),
        ));
    }
    let json = record_json(pack, &transaction, sheet.as_deref(), &product);
    Ok(Request { transaction, product, json })
}

/// The body as text: at most [`MAX_BODY_BYTES`], UTF-8.
fn body_text(body: &[u8]) -> Result<&str, Problem> {
    if body.len() > MAX_BODY_BYTES {
        return Err(Problem::new(
            axum::http::StatusCode::PAYLOAD_TOO_LARGE,
            "too-large",
            "Request body too large",
            format!("a request body is at most {MAX_BODY_BYTES} bytes"),
        ));
    }
    std::str::from_utf8(body)
        .map_err(|e| Problem::malformed(format!("the body is not UTF-8 (byte {} is invalid)", e.valid_up_to())))
}

/// The body read as one JSON object, without its `product_sheet` (the TOML text, if sent).
fn json_object(text: &str) -> Result<(serde_json::Value, Option<String>), Problem> {
    let mut value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| Problem::malformed(format!("the body is not JSON: {e}")))?;
    let Some(obj) = value.as_object_mut() else {
        return Err(Problem::malformed("the body must be one JSON object: a transaction"));
    };
    // Before the body is re-serialised (a product sheet given): a number a binary float does
    // not hold would already be rounded there (E0521, as `Transaction::parse` finds it).
    if let Some(d) = export_controls::model::json_inexact_number_error(&SourceFile::new(BODY_FILE, text)) {
        return Err(Problem::input(export_controls::diagnostic::Diagnostics(vec![d])));
    }
    let sheet = match obj.remove("product_sheet") {
        None => None,
        Some(serde_json::Value::String(s)) => Some(s),
        Some(_) => {
            return Err(Problem::refused(Origin::File, "`product_sheet` must be the TOML text of a product sheet"));
        }
    };
    Ok((value, sheet))
}

/// The product of a sheet sent inline, prepared against the catalog; `value`'s `product` set to
/// the sheet's id when left out.
///
/// # Errors
/// 422 when the sheet is refused, or `product` names another id than the sheet's.
fn sheet_product(pack: &LoadedPack, value: &mut serde_json::Value, sheet: &str) -> Result<PreparedProduct, Problem> {
    let p = pack.catalog.prepare_sheet(&SourceFile::new("product_sheet", sheet)).map_err(Problem::input)?;
    let Some(obj) = value.as_object_mut() else { return Ok(p) };
    match obj.get("product") {
        None => {
            obj.insert("product".into(), serde_json::Value::String(p.product().id.clone()));
        }
        Some(serde_json::Value::String(id)) if *id == p.product().id => {}
        Some(other) => {
            return Err(Problem::refused(
                Origin::File,
                format!(
                    "`product` is {other} but the product sheet's id is `{}`; give the same id or leave `product` out",
                    p.product().id
                ),
            ));
        }
    }
    Ok(p)
}

/// The catalog product the transaction names.
///
/// # Errors
/// 422 naming the closest catalog id when the catalog has no such product.
fn catalog_product(pack: &LoadedPack, transaction: &Transaction) -> Result<std::sync::Arc<PreparedProduct>, Problem> {
    pack.catalog.get_shared(&transaction.product).ok_or_else(|| {
        let hint = export_controls::catalog::did_you_mean_text(&pack.catalog.suggest(&transaction.product))
            .map(|s| format!(" ({s})"))
            .unwrap_or_default();
        Problem::refused(
            Origin::File,
            format!(
                "unknown product `{}`{hint}; GET /v1/products lists the catalog, or send the sheet as `product_sheet`",
                transaction.product
            ),
        )
    })
}

/// The request as a record keeps it: the transaction as compact JSON (its keys in declaration
/// order), then `product_sheet` (the text sent, if any), then [`crate::records::sheets::KEY`]
/// (the catalog sheets the product rests on, as the catalog holds them now: a replay after the
/// catalog is corrected decides on these), when there are any. Written straight, not through a
/// `serde_json::Value`: the same bytes as the `Value` with those keys appended would print; a
/// catalog product's sheets (`sheet` is `None`) are the JSON written once when the pack was
/// loaded ([`LoadedPack::catalog_sheets_json`]).
pub fn record_json(
    pack: &LoadedPack,
    transaction: &Transaction,
    sheet: Option<&str>,
    product: &PreparedProduct,
) -> String {
    let mut json = serde_json::to_string(transaction).unwrap_or_default();
    let computed;
    // A catalog product's sheets as written at load; a sheet sent inline's, now.
    let sheets = match sheet.is_none().then(|| pack.catalog_sheets_json(&product.product().id)).flatten() {
        Some(s) => Some(s),
        None => {
            let of = crate::records::sheets::of(&pack.catalog, product.product());
            computed = (!of.is_empty()).then(|| serde_json::to_string(&of).unwrap_or_default());
            computed.as_deref()
        }
    };
    if sheet.is_none() && sheets.is_none() {
        return json;
    }
    // The transaction is a JSON object: its closing brace is put back after the keys added.
    if json.pop() != Some('}') {
        return json;
    }
    let key = |json: &mut String, k: &str| {
        if !json.ends_with('{') {
            json.push(',');
        }
        json.push('"');
        json.push_str(k);
        json.push_str("\":");
    };
    if let Some(s) = sheet {
        key(&mut json, "product_sheet");
        json.push_str(&serde_json::to_string(s).unwrap_or_default());
    }
    if let Some(s) = sheets {
        key(&mut json, crate::records::sheets::KEY);
        json.push_str(s);
    }
    json.push('}');
    json
}

/// A determination made: its verdict and its JSON, and (when asked for) the determination
/// itself.
#[derive(Debug)]
pub struct Determined {
    /// The verdict.
    pub verdict: Verdict,
    /// The determination's JSON, byte for byte as `export-controls check --format json` prints
    /// it ([`determination_json`]).
    pub json: Vec<u8>,
    /// The determination, when asked for (to render it); `None` otherwise.
    pub determination: Option<Determination>,
}

/// Determines a parsed request with the full explanation and trace, as `check` does, and writes
/// its JSON straight from the explained form (without making the [`Determination`], unless
/// `written_out` asks for it too). Once `cancel` is set (the request went away) the JSON is not
/// written.
///
/// # Errors
/// A 422 [`Problem`] (input error, exit code 3, as `check --transaction`) when the date is
/// before the pack's coverage; 503 when `cancel` was set.
pub fn determine(pack: &LoadedPack, req: &Request, written_out: bool, cancel: &Cancel) -> Result<Determined, Problem> {
    let t = &req.transaction;
    // Every fact of the transaction (region and exporter included), as `check` reads a file.
    let q = Query::of(t);
    pack.rules()
        .explain(&req.product, &q, Options { trace: true }, |e| {
            cancel.check()?;
            Ok(Determined {
                verdict: e.verdict(),
                // A catalog product's `inputs.product` as written when the pack was loaded.
                json: determination_json_of(e, pack.product_splice(&req.product), Some(pack.trace_text())),
                determination: written_out.then(|| e.to_determination()),
            })
        })
        .map_err(|e: EvaluateError| Problem::evaluation(QueryOrigins::FILE, &e))?
}

thread_local! {
    /// The length of the last determination's JSON written on this thread: the next one is
    /// written into a buffer of that size (plus a margin), so that it is not grown and copied
    /// on the way (a determination with its trace is about 29 KB).
    static LAST_JSON_LEN: std::cell::Cell<usize> = const { std::cell::Cell::new(32 * 1024) };
}

/// The determination's JSON, byte for byte as `export-controls check --format json` prints it
/// (pretty-printed, keys in declaration order, a final newline), as UTF-8 bytes. `d` is a
/// [`Determination`] or the [`export_controls::Explained`] form it is written from (the same
/// JSON).
pub fn determination_json(d: &impl serde::Serialize) -> Vec<u8> {
    determination_json_with(d, None)
}

/// As [`determination_json`], with `inputs.product` copied from `splice` (made of the same
/// product, [`crate::pack::LoadedPack::product_splice`]) rather than serialised again: the
/// same bytes.
pub fn determination_json_with(d: &impl serde::Serialize, splice: Option<&crate::pretty::Splice>) -> Vec<u8> {
    json_written(d, splice, None)
}

/// As [`determination_json_with`] for an explained determination, its trace written straight
/// ([`export_controls::Explained::write_trace_json`], each rule's fixed text from `text`, made
/// of the same pack) rather than serialised: the same bytes.
pub fn determination_json_of(
    e: &export_controls::Explained<'_>,
    splice: Option<&crate::pretty::Splice>,
    text: Option<&export_controls::evaluate::TraceText>,
) -> Vec<u8> {
    json_written(e, splice, Some(&|out: &mut Vec<u8>| e.write_trace_json(out, text)))
}

/// The determination `d`'s JSON, with `inputs.product` from `splice` and the trace written by
/// `trace` when given.
fn json_written(
    d: &impl serde::Serialize,
    splice: Option<&crate::pretty::Splice>,
    trace: Option<crate::pretty::WriteTrace<'_>>,
) -> Vec<u8> {
    let hint = LAST_JSON_LEN.try_with(std::cell::Cell::get).unwrap_or(0);
    let mut out = Vec::with_capacity(hint + hint / 8);
    // Serialising to memory fails only on a map with non-string keys, which no determination has.
    if crate::pretty::to_vec_pretty(&mut out, d, splice, trace).is_err() {
        out.clear();
    }
    out.push(b'\n');
    let _ = LAST_JSON_LEN.try_with(|l| l.set(out.len()));
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    /// The request a record keeps, as written by [`super::record_json`], is byte for byte what
    /// it was when it was made as a `serde_json::Value` (the transaction's value with
    /// `product_sheet` and `catalog_sheets` inserted, printed compactly): for catalog
    /// products (a system resting on three catalog sheets, with a party whose name holds a
    /// quote, a backslash and `é`; a tab, which JSON would escape too, is refused in a name, E0523), and sheets sent inline (one containing catalog
    /// products, its id left out; one resting on no catalog sheet).
    #[test]
    fn the_request_kept_is_the_same_bytes_as_through_a_value() {
        let pack = crate::pack::LoadedPack::load(&crate::pack::PackSource {
            rules: None,
            catalog: None,
            allow_superseded: false,
        })
        .unwrap();
        let read = |id: &str| {
            std::fs::read_to_string(format!("{}/../../rules/products/{id}.toml", env!("CARGO_MANIFEST_DIR"))).unwrap()
        };
        let dgx = read("nvidia-dgx-a100").replace("id = \"nvidia-dgx-a100\"", "id = \"my-dgx-a100\"");
        let h20 = read("nvidia-h20").replace("id = \"nvidia-h20\"", "id = \"my-h20\"");
        let bodies = [
            serde_json::json!({"product": "nvidia-h20", "destination": "CN", "date": "2025-04-20"}),
            serde_json::json!({"product": "nvidia-dgx-h100", "destination": "MY", "date": "2025-06-01",
                "party": [{"role": "end_user", "name": "A \"B\" \\ C É é", "country": "MY", "headquarters": "MY", "parent_headquarters": "CN"}]}),
            serde_json::json!({"product": "apple-m3-max", "destination": "DE", "date": "2024-06-01"}),
            serde_json::json!({"destination": "CN", "date": "2024-06-01", "product_sheet": dgx}),
            serde_json::json!({"product": "my-h20", "destination": "CN", "date": "2024-06-01", "product_sheet": h20}),
        ];
        let mut with_sheets = 0;
        for body in bodies {
            let req = super::parse_request(&pack, body.to_string().as_bytes()).unwrap();
            let mut want = serde_json::to_value(&req.transaction).unwrap();
            let o = want.as_object_mut().unwrap();
            if let Some(s) = body.get("product_sheet") {
                o.insert("product_sheet".into(), s.clone());
            }
            let sheets = crate::records::sheets::of(&pack.catalog, req.product.product());
            if !sheets.is_empty() {
                with_sheets += 1;
                o.insert(crate::records::sheets::KEY.into(), serde_json::to_value(sheets).unwrap());
            }
            assert_eq!(req.json, want.to_string());
        }
        assert_eq!(with_sheets, 4, "all but the inline H20 clone");
    }

    /// A catalog product's `inputs.product` written once per pack
    /// ([`crate::pack::LoadedPack::product_splice`]), alone and with the trace written straight
    /// from the pack's [`crate::pack::LoadedPack::trace_text`] (as `determine` answers), gives
    /// byte for byte the JSON `check --format json` prints (`serde_json::to_string_pretty` of
    /// the determination): every catalog product (chips, boards, servers, systems of several
    /// ICs) to CN on 2025-04-20, MY on 2024-06-01, RU on 2023-01-01 and AE on 2026-06-01. And the splice is what is written there: another product's
    /// splice puts that product's JSON in `inputs.product`.
    #[test]
    fn a_catalog_products_json_written_once_is_the_same_bytes() {
        use export_controls::{Options, Query};
        let pack = crate::pack::LoadedPack::load(&crate::pack::PackSource {
            rules: None,
            catalog: None,
            allow_superseded: false,
        })
        .unwrap();
        let other = pack.product_splice(pack.catalog.get("apple-m3-max").unwrap()).unwrap();
        let mut compared = 0;
        for p in pack.catalog.iter() {
            let splice = pack.product_splice(p);
            assert!(splice.is_some(), "{}", p.product().id);
            for (to, on) in [("CN", "2025-04-20"), ("MY", "2024-06-01"), ("RU", "2023-01-01"), ("AE", "2026-06-01")] {
                let q = Query::export_to(to.parse().unwrap(), on.parse().unwrap());
                let (with, with_trace, wrong, d) = pack
                    .rules()
                    .explain(p, &q, Options { trace: true }, |e| {
                        (
                            super::determination_json_with(e, splice),
                            super::determination_json_of(e, splice, Some(pack.trace_text())),
                            super::determination_json_with(e, Some(other)),
                            e.to_determination(),
                        )
                    })
                    .unwrap();
                let mut want = serde_json::to_string_pretty(&d).unwrap();
                want.push('\n');
                assert_eq!(String::from_utf8(with).unwrap(), want, "{} to {to} on {on}", p.product().id);
                // The trace written straight, each rule's fixed text copied from the pack's.
                assert_eq!(String::from_utf8(with_trace).unwrap(), want, "{} to {to} on {on}", p.product().id);
                if p.product().id != "apple-m3-max" {
                    let wrong: serde_json::Value = serde_json::from_slice(&wrong).unwrap();
                    assert_eq!(wrong["inputs"]["product"]["id"], "apple-m3-max");
                }
                compared += 1;
            }
        }
        assert!(compared >= 200, "{compared}");
    }

    /// No splice for a product that is not the catalog's: an inline sheet under another id,
    /// or the catalog's id with another name (each is written from its own figures).
    #[test]
    fn no_splice_for_a_product_other_than_the_catalogs() {
        let pack = crate::pack::LoadedPack::load(&crate::pack::PackSource {
            rules: None,
            catalog: None,
            allow_superseded: false,
        })
        .unwrap();
        let h20 = pack.catalog.get("nvidia-h20").unwrap();
        let same = export_controls::PreparedProduct::new(h20.product().clone());
        assert!(pack.product_splice(&same).is_some());
        let mut renamed = h20.product().clone();
        renamed.name.push_str(" (renamed)");
        assert!(pack.product_splice(&export_controls::PreparedProduct::new(renamed)).is_none());
        let mut other_id = h20.product().clone();
        other_id.id = "my-h20".into();
        assert!(pack.product_splice(&export_controls::PreparedProduct::new(other_id)).is_none());
    }

    /// The determination's JSON is byte for byte `serde_json::to_string_pretty`'s (what
    /// `check --format json` prints), for determinations of several shapes and for nesting
    /// deeper than the indentation written in one piece.
    #[test]
    fn pretty_is_serde_jsons_pretty_byte_for_byte() {
        let rules = export_controls::RuleSet::shipped().unwrap();
        let catalog = export_controls::Catalog::shipped().unwrap();
        let cases = [
            ("nvidia-h20", "CN", "2025-06-01"),
            ("nvidia-h100-sxm5-80gb", "MY", "2025-06-01"),
            ("nvidia-h20", "DE", "2024-06-01"),
        ];
        for (product, to, on) in cases {
            let p = catalog.get(product).unwrap();
            let q = export_controls::Query::export_to(to.parse().unwrap(), on.parse().unwrap());
            let d = rules.evaluate(p, &q, export_controls::Options { trace: true }).unwrap();
            let mut want = serde_json::to_string_pretty(&d).unwrap().into_bytes();
            want.push(b'\n');
            assert_eq!(String::from_utf8(super::determination_json(&d)).unwrap(), String::from_utf8(want).unwrap());
        }
        let mut deep = serde_json::json!({"leaf": [1, {}, []], "s": "a\"b\n"});
        for i in 0..40 {
            deep = serde_json::json!({ format!("k{i}"): [deep, {"x": i}] });
        }
        let mut want = serde_json::to_string_pretty(&deep).unwrap().into_bytes();
        want.push(b'\n');
        assert_eq!(super::determination_json(&deep), want);
    }
}
