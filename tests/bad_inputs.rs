//! The bad-input corpus in `tests/bad-inputs/`: rule files, product sheets, products in JSON,
//! transactions, rule-test files and raw bytes that must be refused with one clear error at the
//! right file, line and column, or must load and give an exact verdict (an incomplete product
//! is `indeterminate`, never cleared), and never make the library panic or hang.
//!
//! `tests/bad-inputs/expected.toml` lists every file with how it is loaded and the exact first
//! error expected (code, line, column, message, help) and the number of errors; `ok = true`
//! marks a file that must load (a byte-order mark or CRLF line endings are not errors). A
//! product (sheet or JSON) may also give `to`, `on`, `verdict`, `missing` and `warning`: the
//! determination the library makes of it, through `RuleSet::evaluate` and `CompiledPack::decide`
//! alike. A transaction is also checked against the shipped pack (`RuleSet::check_transaction`:
//! list-entry ids, screening attestations), and one with `verdict` (and `missing`, the exact list
//! of missing inputs) is evaluated with the shipped pack and catalog on both paths: inputs that
//! are incomplete rather than malformed must give that determination, never a clearance. Each load runs on its own thread under `catch_unwind`, with a time limit. Every
//! mismatch is collected and the test fails once, naming each file and what differed.

use std::collections::BTreeSet;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use export_controls::audit::{ReplayError, replay_file};
use export_controls::diagnostic::{Code, MAX_SOURCE_LINE, Site};
use export_controls::model::{Product, Transaction, parse_product_sheet};
use export_controls::rule_tests::parse_test_files;
use export_controls::ruleset::{Diagnostic, RuleSet, SourceFile, compile, decode_utf8};
use export_controls::{Catalog, CompiledPack, FastQuery, LoadError, Options, PreparedProduct, Query, Scratch, Verdict};

/// The corpus must hold at least this many cases.
const MIN_CASES: usize = 80;
/// A load still going after this long has hung. Each case loads in well under a second on an
/// idle machine; this is no timing assertion, only the point at which a hang is reported
/// rather than waited for, far beyond anything a slow or loaded machine takes.
const TIME_LIMIT: Duration = Duration::from_secs(300);
/// The longest line of a rendered diagnostic after its header (source line, caret, help).
const MAX_RENDERED_LINE: usize = 2 * MAX_SOURCE_LINE;
/// The manifest, the only file of the folder that is not a case.
const MANIFEST: &str = "expected.toml";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

/// How a file is loaded.
#[derive(Debug, Clone)]
enum Kind {
    /// Added to the shipped pack's files under its own file name.
    RuleExtra,
    /// Put in the shipped pack in place of the named file (which then carries the errors).
    RuleReplace(String),
    /// `parse_product_sheet`.
    Sheet,
    /// A [`Product`] in JSON (serde), then `Product::validate`; its determination is made with
    /// `PreparedProduct::new`, which never clears an invalid product.
    Product,
    /// `Transaction::parse`.
    Transaction,
    /// `parse_test_files` against the shipped catalog and pack.
    Test,
    /// `decode_utf8` only.
    Bytes,
    /// `audit::replay_file` with the shipped pack.
    Determination,
}

/// What loading the file must give.
#[derive(Debug, Clone)]
enum Expect {
    /// It loads.
    Loads,
    /// The first error, and how many errors in all.
    Error { code: Option<String>, line: usize, column: usize, message: String, help: Option<String>, errors: usize },
}

/// The determination a product must get (with the shipped pack, exported from the US).
#[derive(Debug, Clone)]
struct VerdictExpect {
    /// Destination and date of a product's query; a transaction gives its own.
    to: Option<String>,
    on: Option<String>,
    verdict: String,
    /// Exactly these missing inputs, in this order.
    missing: Vec<String>,
    /// Text one of the warnings contains.
    warning: Option<String>,
}

#[derive(Debug, Clone)]
struct Case {
    file: String,
    kind: Kind,
    expect: Expect,
    /// For a product: where the first diagnostic of `Product::validate` is (its `file`).
    at: Option<String>,
    verdict: Option<VerdictExpect>,
}

/// What loading the file gave.
#[derive(Debug)]
enum Outcome {
    /// It loaded; for a product, with the determination made of it.
    Loaded(Option<Determined>),
    /// The diagnostics, each with its `render()`ing (made on the loading thread, so that a
    /// panic while rendering is caught too).
    Diagnostics(Vec<(Diagnostic, String)>),
    /// `LoadError::Io` from `decode_utf8`: its path (`file:line:column`) and message.
    Io {
        path: String,
        message: String,
    },
    /// A replay that ran but gave no diagnostics (another pack, or a different result).
    Replayed(String),
    Panicked(String),
    Hung,
    /// A product refused by `Product::validate`, and its determination.
    Both(Vec<(Diagnostic, String)>, Determined),
}

/// What the library determined of a product.
#[derive(Debug)]
struct Determined {
    verdict: Verdict,
    missing: Vec<String>,
    warnings: Vec<String>,
    /// The fast path's verdict for the same query.
    fast: Verdict,
}

fn read_manifest() -> Vec<Case> {
    let path = root().join("tests/bad-inputs").join(MANIFEST);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let table: toml::Table = toml::from_str(&text).unwrap_or_else(|e| panic!("{MANIFEST}: {e}"));
    let entries = match table.get("case") {
        Some(toml::Value::Array(a)) => a,
        _ => panic!("{MANIFEST}: expected [[case]] entries"),
    };
    entries.iter().enumerate().map(|(i, v)| parse_case(i, v)).collect()
}

fn parse_case(index: usize, v: &toml::Value) -> Case {
    const KEYS: [&str; 17] = [
        "file", "kind", "load", "replace", "ok", "code", "line", "column", "message", "help", "errors", "at", "to",
        "on", "verdict", "missing", "warning",
    ];
    let t = v.as_table().unwrap_or_else(|| panic!("{MANIFEST}: case {index} is not a table"));
    let file =
        t.get("file").and_then(toml::Value::as_str).unwrap_or_else(|| panic!("{MANIFEST}: case {index} has no file"));
    let at = |key: &str| format!("{MANIFEST}, case for {file}: `{key}`");
    if let Some(k) = t.keys().find(|k| !KEYS.contains(&k.as_str())) {
        panic!("{}: unknown key", at(k));
    }
    let s = |key: &str| t.get(key).map(|x| x.as_str().unwrap_or_else(|| panic!("{} must be a string", at(key))));
    let n = |key: &str| {
        t.get(key).map(|x| {
            x.as_integer()
                .and_then(|i| usize::try_from(i).ok())
                .unwrap_or_else(|| panic!("{} must be a count", at(key)))
        })
    };
    let kind = match (s("kind"), s("load"), s("replace")) {
        (Some("rule"), Some("extra"), None) => Kind::RuleExtra,
        (Some("rule"), None, Some(name)) => Kind::RuleReplace(name.to_string()),
        (Some("rule"), _, _) => {
            panic!("{}: a rule file needs `load = \"extra\"` or `replace = \"<file>\"`", at("kind"))
        }
        (Some(k), None, None) => match k {
            "sheet" => Kind::Sheet,
            "product" => Kind::Product,
            "transaction" => Kind::Transaction,
            "test" => Kind::Test,
            "bytes" => Kind::Bytes,
            "determination" => Kind::Determination,
            other => panic!("{}: unknown kind `{other}`", at("kind")),
        },
        (None, _, _) => panic!("{} is missing", at("kind")),
        (Some(_), _, _) => panic!("{}: only rule files take `load` or `replace`", at("kind")),
    };
    let ok = match t.get("ok") {
        None => false,
        Some(x) => x.as_bool().unwrap_or_else(|| panic!("{} must be true or false", at("ok"))),
    };
    let expect = if ok {
        if let Some(k) =
            ["code", "line", "column", "message", "help", "errors"].into_iter().find(|k| t.contains_key(*k))
        {
            panic!("{}: a file that loads has no error to describe", at(k));
        }
        Expect::Loads
    } else {
        let need = |key: &str| n(key).unwrap_or_else(|| panic!("{} is missing", at(key)));
        let code = s("code").map(str::to_string);
        if code.is_none() != matches!(kind, Kind::Bytes) {
            panic!("{}: every error but a bytes file's has a code; a bytes file's has none", at("code"));
        }
        Expect::Error {
            code,
            line: need("line"),
            column: need("column"),
            message: s("message").unwrap_or_else(|| panic!("{} is missing", at("message"))).to_string(),
            help: s("help").map(str::to_string),
            errors: need("errors"),
        }
    };
    let date =
        |key: &str| t.get(key).map(|x| x.as_datetime().map(|d| d.to_string()).or(x.as_str().map(str::to_string)));
    let verdict =
        match (s("to"), date("on").map(|d| d.unwrap_or_else(|| panic!("{}: not a date", at("on")))), s("verdict")) {
            (None, None, None) => None,
            (to @ Some(_), on @ Some(_), Some(verdict)) | (to @ None, on @ None, Some(verdict)) => {
                assert_eq!(
                    to.is_none(),
                    matches!(kind, Kind::Transaction),
                    "{}: a product's verdict needs `to` and `on`; a transaction gives its own",
                    at("verdict")
                );
                let missing = match t.get("missing") {
                    None => Vec::new(),
                    Some(toml::Value::Array(a)) => a
                        .iter()
                        .map(|x| x.as_str().unwrap_or_else(|| panic!("{} must be strings", at("missing"))).to_string())
                        .collect(),
                    Some(_) => panic!("{} must be a list", at("missing")),
                };
                Some(VerdictExpect {
                    to: to.map(str::to_string),
                    on,
                    verdict: verdict.to_string(),
                    missing,
                    warning: s("warning").map(str::to_string),
                })
            }
            _ => panic!("{}: a verdict needs `to`, `on` (a date) and `verdict` together", at("verdict")),
        };
    if verdict.is_some() {
        let loads = matches!(expect, Expect::Loads);
        assert!(
            matches!(kind, Kind::Product) || (matches!(kind, Kind::Sheet | Kind::Transaction) && loads),
            "{}: only a sheet or transaction that loads, or a product, has a verdict",
            at("verdict")
        );
    } else if t.contains_key("missing") || t.contains_key("warning") {
        panic!("{}: `missing` and `warning` go with a verdict", at("missing"));
    }
    let at_key = s("at").map(str::to_string);
    assert_eq!(
        at_key.is_some(),
        matches!(kind, Kind::Product) && matches!(expect, Expect::Error { .. }),
        "{}: a product's error names its field with `at`, and only a product's",
        at("at")
    );
    Case { file: file.to_string(), kind, expect, at: at_key, verdict }
}

/// The shipped pack's files (rules/us-ear/*.toml, tests excluded), read from disk.
fn pack_files() -> Vec<SourceFile> {
    let dir = root().join("rules/us-ear");
    let mut out: Vec<SourceFile> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "toml"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            SourceFile::new(name, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// The file name diagnostics must carry (for a product in JSON, the product and the field).
fn reported_file(case: &Case) -> &str {
    match (&case.kind, &case.at) {
        (_, Some(at)) => at,
        (Kind::RuleReplace(name), _) => name,
        _ => &case.file,
    }
}

/// The determination of `product` for the case's query, by the explained and the fast path.
fn determine(product: PreparedProduct, v: &VerdictExpect) -> Determined {
    let rules = RuleSet::shipped().expect("the shipped pack loads");
    let to = v.to.as_deref().expect("a product's case has `to`");
    let on = v.on.as_deref().expect("a product's case has `on`");
    let q = Query::export_to(to.parse().expect("a country"), on.parse().expect("a date"));
    determine_query(rules, &product, &q)
}

/// The determination of `product` for `q` (parties included), by the explained and the fast path.
fn determine_query(rules: RuleSet, product: &PreparedProduct, q: &Query) -> Determined {
    let d = rules.evaluate(product, q, Options::default()).expect("the query is answered");
    let pack = CompiledPack::new(rules);
    let parties = pack.prepare_parties(&q.parties);
    let fq = FastQuery::of(q, &parties);
    let fast = pack.decide(product, &fq, &mut Scratch::default()).expect("the query is answered").verdict;
    Determined { verdict: d.verdict, missing: d.missing, warnings: d.warnings, fast }
}

/// Reads a product in JSON: a syntax or type error at its line and column (E0101), then the
/// checks of `Product::validate`.
fn product_json(src: &SourceFile) -> Result<Product, Vec<Diagnostic>> {
    let p: Product = serde_json::from_str(&src.text).map_err(|e| {
        let mut site = Site::whole_file(src.path.clone());
        (site.line, site.column) = (e.line(), e.column());
        site.source_line = src.text.lines().nth(e.line().saturating_sub(1)).map(str::to_string);
        vec![site.diagnostic(Code::E0101, e.to_string())]
    })?;
    p.validate().map_err(|d| d.0)?;
    Ok(p)
}

/// Loads one file the way its case says. Runs on its own thread, under `catch_unwind`.
fn load(case: &Case, bytes: Vec<u8>, pack: Vec<SourceFile>) -> Outcome {
    let text = match decode_utf8(Path::new(&case.file), bytes) {
        Ok(t) => t,
        Err(LoadError::Io { path, message }) => return Outcome::Io { path, message },
        Err(LoadError::Invalid(d)) => return rendered(d.0),
    };
    let src = SourceFile::new(case.file.clone(), text);
    let diags = |r: Result<(), export_controls::Diagnostics>| match r {
        Ok(()) => Outcome::Loaded(None),
        Err(d) => {
            let _ = d.to_string();
            rendered(d.0)
        }
    };
    match &case.kind {
        Kind::Bytes => Outcome::Loaded(None),
        Kind::RuleExtra => {
            let mut files = pack;
            files.push(src);
            diags(compile(&files).map(drop))
        }
        Kind::RuleReplace(name) => {
            let files: Vec<SourceFile> = pack
                .into_iter()
                .map(|f| if &f.path == name { SourceFile::new(f.path, src.text.clone()) } else { f })
                .collect();
            diags(compile(&files).map(drop))
        }
        Kind::Sheet => match (parse_product_sheet(&src), &case.verdict) {
            (Ok(p), Some(v)) => Outcome::Loaded(Some(determine(PreparedProduct::new(p), v))),
            (r, _) => diags(r.map(drop)),
        },
        Kind::Product => {
            let checked = product_json(&src);
            match (&case.verdict, checked) {
                (_, Err(d)) if d.first().is_some_and(|d| d.code == Code::E0101) => rendered(d),
                // The errors are checked by `differences`; the verdict is the one of the
                // product as it is, through `PreparedProduct::new`.
                (Some(v), Err(d)) => {
                    let p: Product = serde_json::from_str(&src.text).expect("read above");
                    Outcome::Both(rendered_list(d), determine(PreparedProduct::new(p), v))
                }
                (Some(v), Ok(p)) => Outcome::Loaded(Some(determine(PreparedProduct::new(p), v))),
                (None, Err(d)) => rendered(d),
                (None, Ok(_)) => Outcome::Loaded(None),
            }
        }
        Kind::Transaction => {
            let t = match Transaction::parse(&src) {
                Ok(t) => t,
                Err(d) => return diags(Err(d)),
            };
            let rules = compile(&pack).expect("the shipped pack compiles");
            if let Err(d) = rules.check_transaction(&t, &src) {
                return diags(Err(d));
            }
            if case.verdict.is_none() {
                return Outcome::Loaded(None);
            }
            let catalog = Catalog::shipped().expect("the shipped catalog loads");
            let product = catalog.get(&t.product).unwrap_or_else(|| panic!("{}: not in the catalog", t.product));
            Outcome::Loaded(Some(determine_query(rules, product, &Query::of(&t))))
        }
        Kind::Test => {
            let catalog = Catalog::shipped().expect("the shipped catalog loads");
            let rules = RuleSet::shipped().expect("the shipped pack loads");
            diags(parse_test_files(&[src], &catalog, &rules).map(drop))
        }
        Kind::Determination => {
            let rules = RuleSet::shipped().expect("the shipped pack loads");
            match replay_file(&src, &rules) {
                Ok(()) => Outcome::Loaded(None),
                Err(ReplayError::Invalid(d)) => diags(Err(d)),
                Err(other) => Outcome::Replayed(other.to_string()),
            }
        }
    }
}

fn rendered(diags: Vec<Diagnostic>) -> Outcome {
    Outcome::Diagnostics(rendered_list(diags))
}

fn rendered_list(diags: Vec<Diagnostic>) -> Vec<(Diagnostic, String)> {
    diags.into_iter().map(|d| (d.render(), d)).map(|(r, d)| (d, r)).collect()
}

/// Runs `load` on a thread with `catch_unwind` and a time limit.
fn run(case: &Case, bytes: Vec<u8>, pack: Vec<SourceFile>) -> Outcome {
    let (tx, rx) = mpsc::channel();
    let c = case.clone();
    std::thread::spawn(move || {
        let result = catch_unwind(AssertUnwindSafe(|| load(&c, bytes, pack)));
        let outcome = result.unwrap_or_else(|payload| {
            let text = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "(no message)".into());
            Outcome::Panicked(text)
        });
        let _ = tx.send(outcome);
    });
    rx.recv_timeout(TIME_LIMIT).unwrap_or(Outcome::Hung)
}

/// What differs between the expectation and the outcome; empty when they agree. `text` is the
/// file as loaded, for checking the rendered source line and caret.
fn differences(case: &Case, outcome: &Outcome, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let (diagnostics, determined) = match outcome {
        Outcome::Diagnostics(d) => (Some(d), None),
        Outcome::Both(d, v) => (Some(d), Some(v)),
        Outcome::Loaded(v) => (None, v.as_ref()),
        _ => (None, None),
    };
    match (&case.expect, outcome) {
        (_, Outcome::Panicked(m)) => out.push(format!("the library panicked: {m}")),
        (_, Outcome::Hung) => out.push(format!("the load did not finish within {TIME_LIMIT:?} (hang)")),
        (_, Outcome::Replayed(m)) => out.push(format!("expected a diagnostic, the replay ran: {m}")),
        (Expect::Loads, Outcome::Loaded(_)) => {}
        (Expect::Loads, Outcome::Diagnostics(d) | Outcome::Both(d, _)) => {
            out.push(format!("expected the file to load, got {} error(s), first:\n{}", d.len(), d[0].1));
        }
        (Expect::Loads, Outcome::Io { path, message }) => {
            out.push(format!("expected the file to load, got {path}: {message}"));
        }
        (Expect::Error { .. }, Outcome::Loaded(_)) => out.push("expected an error, but the file loaded".into()),
        (Expect::Error { code, line, column, message, help, errors }, _) if diagnostics.is_some() => {
            let d = diagnostics.expect("matched");
            let mut field = |name: &str, want: String, got: String| {
                if want != got {
                    out.push(format!("{name}: expected {want}, got {got}"));
                }
            };
            let (first, render) = &d[0];
            field("code", format!("{code:?}"), format!("{:?}", Some(first.code.as_str())));
            field("file", format!("{:?}", reported_file(case)), format!("{:?}", first.file));
            field("line", line.to_string(), first.line.to_string());
            field("column", column.to_string(), first.column.to_string());
            field("message", format!("{message:?}"), format!("{:?}", first.message));
            field("help", format!("{help:?}"), format!("{:?}", first.help));
            field("number of errors", errors.to_string(), d.len().to_string());
            // A product in memory has no line to show: its diagnostic names the field.
            if out.is_empty() && case.at.is_none() {
                out.extend(rendering(first, render, text));
            }
            if !out.is_empty() {
                let all: Vec<&str> = d.iter().map(|(_, r)| r.as_str()).collect();
                out.push(format!("the library reported:\n{}", all.join("\n")));
            }
        }
        (Expect::Error { code, line, column, message, help, errors }, Outcome::Io { path, message: got }) => {
            if code.is_some() || help.is_some() || *errors != 1 {
                out.push(format!("expected a diagnostic, got an I/O error: {path}: {got}"));
            } else {
                let mut field = |name: &str, want: String, got: String| {
                    if want != got {
                        out.push(format!("{name}: expected {want}, got {got}"));
                    }
                };
                field("path", format!("{:?}", format!("{}:{line}:{column}", case.file)), format!("{path:?}"));
                field("message", format!("{message:?}"), format!("{got:?}"));
            }
        }
        (Expect::Error { .. }, _) => out.push("expected an error".into()),
    }
    match (&case.verdict, determined) {
        (None, _) => {}
        (Some(_), None) => {
            if out.is_empty() {
                out.push("expected a determination, but none was made".into());
            }
        }
        (Some(v), Some(d)) => {
            let got = d.verdict.as_str();
            if got != v.verdict {
                out.push(format!("verdict: expected {}, got {got}", v.verdict));
            }
            if d.fast != d.verdict {
                out.push(format!("the fast path decided {}, the explained path {got}", d.fast.as_str()));
            }
            if d.missing != v.missing {
                out.push(format!("missing: expected {:?}, got {:?}", v.missing, d.missing));
            }
            if let Some(w) = &v.warning
                && !d.warnings.iter().any(|x| x.contains(w.as_str()))
            {
                out.push(format!("warnings: expected one containing {w:?}, got {:?}", d.warnings));
            }
        }
    }
    out
}

/// Checks the rendered diagnostic: the header names file, line, column, code and message; for
/// a short source line (shown whole), the line as written in the file (without its line end or
/// byte-order mark) and a caret under the column. An empty file has no line to show.
fn rendering(d: &Diagnostic, render: &str, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let lines: Vec<&str> = render.lines().collect();
    // A diagnostic quotes an excerpt of its line, never the whole of a long one.
    if let Some(long) = lines.iter().skip(1).find(|l| l.chars().count() > MAX_RENDERED_LINE) {
        out.push(format!(
            "a rendered line of {} characters (at most {MAX_RENDERED_LINE}): {long:.80}…",
            long.chars().count()
        ));
    }
    if d.source_line.as_ref().is_some_and(|l| l.chars().count() > MAX_SOURCE_LINE + 2) {
        out.push(format!(
            "the diagnostic keeps a source line of {} characters",
            d.source_line.as_ref().map_or(0, |l| l.chars().count())
        ));
    }
    let header = format!("{}:{}:{}: error[{}]: {}", d.file, d.line, d.column, d.code, d.message);
    if lines.first() != Some(&header.as_str()) {
        out.push(format!("rendered header: expected {header:?}, got {:?}", lines.first()));
    }
    let source = text.lines().nth(d.line.saturating_sub(1)).map(|l| l.trim_start_matches('\u{feff}'));
    if let Some(source) = source.filter(|s| s.chars().count() <= 60 && d.column <= s.chars().count() + 1) {
        let w = d.line.to_string().len();
        let caret: String = source.chars().take(d.column - 1).map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
        let want = [format!("{} | {source}", d.line), format!("{} | {caret}^", " ".repeat(w))];
        let got = [lines.get(2).copied().unwrap_or(""), lines.get(3).copied().unwrap_or("")];
        if want[0] != got[0] || want[1] != got[1] {
            out.push(format!("rendered source line and caret: expected {want:?}, got {got:?}"));
        }
    }
    out
}

#[test]
fn every_bad_input_is_refused_with_the_exact_error_and_never_panics() {
    let dir = root().join("tests/bad-inputs");
    let cases = read_manifest();

    // The manifest and the folder agree, and the corpus is big enough.
    let on_disk: BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n != MANIFEST)
        .collect();
    let mut listed = BTreeSet::new();
    for c in &cases {
        assert!(listed.insert(c.file.clone()), "{MANIFEST} lists {} twice", c.file);
    }
    let unlisted: Vec<&String> = on_disk.difference(&listed).collect();
    let missing: Vec<&String> = listed.difference(&on_disk).collect();
    assert!(unlisted.is_empty(), "files in tests/bad-inputs/ with no case in {MANIFEST}: {unlisted:?}");
    assert!(missing.is_empty(), "{MANIFEST} lists files that are not in tests/bad-inputs/: {missing:?}");
    assert!(cases.len() >= MIN_CASES, "only {} cases; the corpus needs at least {MIN_CASES}", cases.len());
    for c in &cases {
        let prefix_ok = match c.kind {
            Kind::RuleExtra | Kind::RuleReplace(_) => c.file.starts_with("rule-") && c.file.ends_with(".toml"),
            Kind::Sheet => c.file.starts_with("sheet-") && c.file.ends_with(".toml"),
            Kind::Product => c.file.starts_with("product-") && c.file.ends_with(".json"),
            Kind::Transaction => c.file.starts_with("tx-") && (c.file.ends_with(".toml") || c.file.ends_with(".json")),
            Kind::Test => c.file.starts_with("test-") && c.file.ends_with(".toml"),
            Kind::Bytes => c.file.starts_with("bytes-") && c.file.ends_with(".bin"),
            Kind::Determination => c.file.starts_with("det-") && c.file.ends_with(".json"),
        };
        assert!(prefix_ok, "{}: the file name does not match its kind {:?}", c.file, c.kind);
    }

    let pack = pack_files();
    for c in &cases {
        match &c.kind {
            Kind::RuleExtra => assert!(pack.iter().all(|f| f.path != c.file), "{} shadows a shipped file", c.file),
            Kind::RuleReplace(name) => {
                assert!(pack.iter().any(|f| &f.path == name), "{}: the shipped pack has no {name}", c.file);
            }
            _ => {}
        }
    }
    compile(&pack).unwrap_or_else(|e| panic!("the shipped pack must compile before the corpus means anything:\n{e}"));

    let mut failures = Vec::new();
    for case in &cases {
        let bytes = std::fs::read(dir.join(&case.file)).unwrap();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let outcome = run(case, bytes, pack.clone());
        let diffs = differences(case, &outcome, &text);
        if !diffs.is_empty() {
            failures.push(format!("tests/bad-inputs/{} ({:?}):\n  {}", case.file, case.kind, diffs.join("\n  ")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} bad-input cases differ from {MANIFEST}:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}
