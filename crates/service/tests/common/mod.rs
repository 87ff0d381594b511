//! Test helpers: a server on 127.0.0.1 on a free port in this process, and a minimal HTTP/1.1
//! client over a TCP socket, so that the tests speak HTTP as a procurement system would, with
//! no client library in between. The tests of the `export-controls` binary (crates/cli) use
//! the client too.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use export_controls_service::api::Limits;
use export_controls_service::pack::PackSource;
use export_controls_service::{ServeConfig, serve};

/// A response.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
}

/// One request on a fresh connection (`Connection: close`).
pub fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    content_type: Option<&str>,
    body: &[u8],
) -> std::io::Result<Resp> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(60)))?;
    let mut head =
        format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
    if let Some(ct) = content_type {
        head.push_str(&format!("Content-Type: {ct}\r\n"));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes())?;
    s.write_all(body)?;
    let mut r = BufReader::new(s);
    let mut line = String::new();
    r.read_line(&mut line)?;
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|x| x.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("bad status line {line:?}")))?;
    let mut headers = Vec::new();
    loop {
        line.clear();
        r.read_line(&mut line)?;
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        if let Some((k, v)) = l.split_once(':') {
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    let chunked = headers.iter().any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    let mut body = Vec::new();
    if chunked {
        loop {
            line.clear();
            r.read_line(&mut line)?;
            let n = usize::from_str_radix(line.trim(), 16).map_err(std::io::Error::other)?;
            if n == 0 {
                break;
            }
            let mut chunk = vec![0; n + 2];
            r.read_exact(&mut chunk)?;
            chunk.truncate(n);
            body.extend(chunk);
        }
    } else {
        r.read_to_end(&mut body)?;
    }
    Ok(Resp { status, headers, body })
}

pub fn get(addr: SocketAddr, path: &str) -> Resp {
    request(addr, "GET", path, None, b"").expect("GET")
}

pub fn post_json(addr: SocketAddr, path: &str, body: &str) -> Resp {
    request(addr, "POST", path, Some("application/json"), body.as_bytes()).expect("POST")
}

/// A fresh temporary directory under the target directory.
/// `s` percent-encoded for an `application/x-www-form-urlencoded` body (the page's form):
/// unreserved ASCII letters, digits, `-`, `_` and `.` kept, every other byte as `%XX`.
pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub fn temp_dir(name: &str) -> PathBuf {
    let base = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}-{}-{}", std::process::id(), nanos()));
    std::fs::create_dir_all(&base).expect("temp dir");
    base
}

fn nanos() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0)
}

/// Starts a server in this process on a free port with the given store and pack; it runs
/// until the test process ends.
pub fn start_server(database: String, source: PackSource, limits: Limits) -> SocketAddr {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
        let config = ServeConfig { addr: "127.0.0.1:0".parse().expect("addr"), source, database, limits };
        let tx2 = tx.clone();
        let r = rt.block_on(serve(config, move |a| {
            let _ = tx2.send(Ok(a));
        }));
        if let Err(e) = r {
            let _ = tx.send(Err(e.to_string()));
        }
    });
    match rx.recv_timeout(Duration::from_secs(120)) {
        Ok(Ok(a)) => a,
        Ok(Err(e)) => panic!("server did not start: {e}"),
        Err(e) => panic!("server did not start: {e}"),
    }
}

/// A server on a fresh SQLite file with the shipped pack.
pub fn sqlite_server(name: &str) -> (SocketAddr, PathBuf) {
    let db = temp_dir(name).join("records.db");
    let addr = start_server(
        format!("sqlite:{}", db.display()),
        PackSource { rules: None, catalog: None, allow_superseded: false },
        Limits::default(),
    );
    (addr, db)
}

/// The transaction JSON of a product, destination and date.
pub fn tx(product: &str, to: &str, on: &str) -> String {
    format!(r#"{{"product":"{product}","destination":"{to}","date":"{on}"}}"#)
}

/// A fresh, empty database named `{prefix}_{process id}_{n}` on the PostgreSQL server of
/// `EXPORT_CONTROLS_TEST_POSTGRES` (`.ci/run` installs PostgreSQL, starts it on 127.0.0.1 and
/// sets it), as a URL: the `--ignored` PostgreSQL tests each start on their own.
///
/// # Panics
/// When the variable is not set, or the server refuses the connection or the database.
pub fn fresh_postgres_database(prefix: &str) -> String {
    static SEQ: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let u = std::env::var("EXPORT_CONTROLS_TEST_POSTGRES").ok().filter(|u| !u.is_empty()).unwrap_or_else(|| {
        panic!(
            "EXPORT_CONTROLS_TEST_POSTGRES is not set: this test needs a PostgreSQL server (bash .ci/run installs PostgreSQL, starts it on 127.0.0.1 and sets it)"
        )
    });
    let n = SEQ.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let name = format!("{prefix}_{}_{n}", std::process::id());
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let (client, conn) = tokio_postgres::connect(&u, tokio_postgres::NoTls).await.unwrap();
        tokio::spawn(conn);
        client.batch_execute(&format!("CREATE DATABASE {name}")).await.unwrap();
    });
    let (server, _) = u.rsplit_once('/').expect("a URL ending in /DATABASE");
    format!("{server}/{name}")
}

/// A record of the shipped pack's determination (trace on) of catalog product `id` exported
/// from the US to CN on 2025-04-20 by an exporter stated to be neither an approved IC designer
/// nor packaging outside D:5 or Macau, with no parties, recorded at 2026-12-01T20:00:00Z by
/// `engine`; its request carries the sheet field `sheets` (`("product_sheet", text)`, or
/// `("catalog_sheets", [...])`) as the service records it.
pub fn record_to_cn_2025(
    id: &str,
    sheets: (&str, serde_json::Value),
    engine: String,
) -> export_controls_service::records::NewRecord {
    let rules = export_controls::RuleSet::shipped().unwrap();
    let catalog = export_controls::Catalog::shipped().unwrap();
    let q = export_controls::Query::export_to("CN".parse().unwrap(), "2025-04-20".parse().unwrap());
    let d = rules.evaluate(catalog.get(id).unwrap(), &q, export_controls::Options { trace: true }).unwrap();
    let text = String::from_utf8(export_controls_service::determine::determination_json(&d)).unwrap();
    let mut request = serde_json::json!({
        "product": id, "destination": "CN", "exported_from": "US", "date": "2025-04-20",
        "exporter": {"approved_ic_designer_attestation": false, "packaged_outside_d5_or_macau": false},
        "party": [],
    });
    request[sheets.0] = sheets.1;
    export_controls_service::records::NewRecord {
        recorded_at: "2026-12-01T20:00:00Z".into(),
        as_of: "2025-04-20".into(),
        product: id.into(),
        destination: "CN".into(),
        verdict: d.verdict.as_str().into(),
        pack_name: rules.pack().name.clone(),
        pack_version: rules.pack().version.clone(),
        pack_sha256: rules.pack().sha256.clone(),
        request: request.to_string(),
        determination: export_controls_service::records::Stored::Text(text),
        engine,
    }
}
