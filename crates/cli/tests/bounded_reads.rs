//! Bounded reads (issue 12, item 6): a file is read only if it is a regular file within its
//! kind's size limit, checked before reading; directory walks stay inside their root and never
//! loop; a diagnostic quotes an excerpt of its line. A load that reads `/dev/zero`, opens a
//! FIFO or follows `a -> .` would never end: each load here counts the bytes it read (and fails
//! past what the pack's own files hold), and each run is killed if it hangs, so that a
//! regression fails with a message instead of stalling the test run. Nothing here is timed.
#![cfg(unix)]

mod common;

use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use common::{copy_shipped_pack, stderr, temp_dir};
use export_controls::files::{FileKind, read_file};
use export_controls::{LoadError, RuleSet};

/// A run or load still going after this long has hung (read without bound, or blocked on a
/// FIFO). Every case finishes in well under a second on an idle machine; this is no timing
/// assertion, only the point at which a hang is reported rather than waited for, and far
/// beyond anything a slow or loaded machine takes.
const HUNG_AFTER: Duration = Duration::from_secs(300);

/// Runs the binary; if it hangs, kills it and fails saying so.
fn run(args: &[&str]) -> Output {
    let mut child = common::bin().args(args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > HUNG_AFTER {
            child.kill().ok();
            child.wait().ok();
            panic!(
                "`export-controls {}` hung: still running after {HUNG_AFTER:?}, killed (it reads without bound)",
                args.join(" ")
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// The code and message of the first diagnostic of a run with `--error-format json` (the
/// human rendering wraps long lines, at a place that depends on the path).
fn first_diagnostic(o: &Output) -> (String, String) {
    let v: serde_json::Value = serde_json::from_slice(&o.stderr).unwrap_or_else(|e| panic!("{e}: {}", stderr(o)));
    let d = &v["diagnostics"][0];
    (d["code"].as_str().unwrap().to_string(), d["message"].as_str().unwrap().to_string())
}

/// Bytes read so far by the calling thread (`rchar` of `/proc/thread-self/io`, Linux: every
/// byte `read(2)` and its kin returned to this thread), or `None` where there is no such file.
fn bytes_read_by_this_thread() -> Option<u64> {
    let io = std::fs::read_to_string("/proc/thread-self/io").ok()?;
    io.lines().find_map(|l| l.strip_prefix("rchar:")).and_then(|n| n.trim().parse().ok())
}

/// The most a load of `dir` may read: every regular file under it that is within a rule
/// file's size limit, twice (a file may be reached again through a link inside the pack, as
/// one case here arranges), and 64 KiB for the reads of `/proc` that count them. A device, a
/// FIFO or a file over the limit adds nothing: reading any of it exceeds the bound.
fn readable_bytes(dir: &Path) -> u64 {
    let mut total = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let meta = std::fs::symlink_metadata(&path).unwrap();
        if meta.is_dir() {
            total += readable_bytes(&path);
        } else if meta.is_file() && meta.len() <= FileKind::RuleFile.max_bytes() {
            total += 2 * meta.len();
        }
    }
    total + 64 * 1024
}

/// Loads a pack directory on a thread of its own and fails if the load read more than the
/// pack's own files hold ([`readable_bytes`]: it read a file it must refuse unread), panicked,
/// or hung.
fn load(dir: &Path) -> Result<RuleSet, LoadError> {
    let bound = readable_bytes(dir);
    let (tx, rx) = mpsc::channel();
    let owned = dir.to_path_buf();
    std::thread::spawn(move || {
        let before = bytes_read_by_this_thread();
        let r = RuleSet::load_dir(&owned);
        let read = bytes_read_by_this_thread().zip(before).map(|(after, before)| after - before);
        tx.send((r, read)).ok();
    });
    let (r, read) = match rx.recv_timeout(HUNG_AFTER) {
        Ok(got) => got,
        Err(RecvTimeoutError::Timeout) => panic!("loading {} hung: not done after {HUNG_AFTER:?}", dir.display()),
        Err(RecvTimeoutError::Disconnected) => panic!("loading {} panicked", dir.display()),
    };
    if cfg!(target_os = "linux") {
        let read = read.expect("/proc/thread-self/io is readable on Linux");
        assert!(
            read <= bound,
            "loading {} read {read} bytes, more than its regular files within the size limit hold ({bound})",
            dir.display()
        );
    }
    r
}

fn io_error(r: Result<RuleSet, LoadError>) -> (String, String) {
    match r {
        Err(LoadError::Io { path, message }) => (path, message),
        Err(e) => panic!("expected an I/O error, got {e}"),
        Ok(_) => panic!("expected an I/O error, the pack loaded"),
    }
}

#[test]
fn a_rule_file_linked_to_dev_zero_is_refused_without_reading_it() {
    let dir = temp_dir("bounded-dev-zero");
    copy_shipped_pack(&dir);
    symlink("/dev/zero", dir.join("zero.toml")).unwrap();
    let (path, message) = io_error(load(&dir));
    assert_eq!(path, format!("{}/zero.toml", dir.display()));
    assert_eq!(
        message,
        format!(
            "a symbolic link to /dev/zero, outside {}: files are read only from inside the directory given",
            dir.display()
        )
    );
    let o = run(&["lint", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("zero.toml: a symbolic link to /dev/zero, outside"), "{}", stderr(&o));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_device_or_fifo_given_as_a_file_is_refused_without_reading_it() {
    let not_regular = "not a regular file (a device, a FIFO or a socket)";
    for (args, what) in [
        (vec!["check", "--transaction", "/dev/zero"], "a transaction"),
        (vec!["replay", "/dev/zero"], "a determination"),
        (vec!["import-csl", "/dev/zero"], "a Consolidated Screening List file"),
        (vec!["check", "--product", "/dev/zero.toml", "--to", "CN"], ""),
    ] {
        let o = run(&args);
        assert_eq!(o.status.code(), Some(3), "{args:?}: {}", stderr(&o));
        if !what.is_empty() {
            assert_eq!(stderr(&o), format!("error: /dev/zero: {not_regular}; give {what}: only files are read\n"));
        }
    }
    // A FIFO would block the reader forever.
    let dir = temp_dir("bounded-fifo");
    let fifo = dir.join("tx.toml");
    let made = Command::new("mkfifo").arg(&fifo).status().is_ok_and(|s| s.success());
    if made {
        let o = run(&["check", "--transaction", fifo.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(3));
        assert!(stderr(&o).contains(not_regular), "{}", stderr(&o));
        // In a pack too.
        let pack = dir.join("pack");
        copy_shipped_pack(&pack);
        std::fs::rename(&fifo, pack.join("fifo.toml")).unwrap();
        let (_, message) = io_error(load(&pack));
        assert!(message.starts_with(not_regular), "{message}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn oversized_files_are_refused_by_their_size_before_reading() {
    let dir = temp_dir("bounded-size");
    // Sparse files: their size is set, nothing is written, and nothing must be read.
    let sparse = |name: &str, len: u64| {
        let p = dir.join(name);
        std::fs::File::create(&p).unwrap().set_len(len).unwrap();
        p
    };
    let tx = sparse("tx.toml", 2 * 1024 * 1024);
    let o = run(&["check", "--transaction", tx.to_str().unwrap(), "--error-format", "json"]);
    assert_eq!(o.status.code(), Some(3));
    assert_eq!(first_diagnostic(&o), ("E0507".into(), "a transaction file is larger than 1048576 bytes".into()));
    let det = sparse("det.json", 5 * 1024 * 1024);
    let o = run(&["replay", det.to_str().unwrap(), "--error-format", "json"]);
    assert_eq!(o.status.code(), Some(3));
    assert_eq!(
        first_diagnostic(&o),
        ("E0603".into(), "a determination file is larger than 4194304 bytes: this is not one determination".into())
    );
    let csl = sparse("consolidated.json", 8 * 1024 * 1024 * 1024);
    let o = run(&["import-csl", csl.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(3));
    assert!(
        stderr(&o)
            .contains("the file is larger than 268435456 bytes, the most read for a Consolidated Screening List file"),
        "{}",
        stderr(&o)
    );
    let sheet = sparse("sheet.toml", 3 * 1024 * 1024);
    match read_file(&sheet, FileKind::ProductSheet) {
        Err(LoadError::Invalid(d)) => {
            assert_eq!(
                (d.0[0].code.as_str(), d.0[0].message.as_str()),
                ("E0210", "a product sheet is larger than 1048576 bytes")
            )
        }
        other => panic!("{other:?}"),
    }
    // A 5 GiB rule file in a pack.
    let pack = dir.join("pack");
    copy_shipped_pack(&pack);
    std::fs::File::create(pack.join("huge.toml")).unwrap().set_len(5 * 1024 * 1024 * 1024).unwrap();
    match load(&pack) {
        Err(LoadError::Invalid(d)) => {
            assert_eq!((d.0[0].code.as_str(), d.0[0].file.as_str()), ("E0302", "huge.toml"));
            assert_eq!(d.0[0].message, "file is larger than 4194304 bytes");
        }
        other => panic!("{:?}", other.map(|_| ())),
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn directory_walks_never_loop_and_stay_inside_the_pack() {
    let dir = temp_dir("bounded-loop");
    copy_shipped_pack(&dir);
    symlink(".", dir.join("a")).unwrap();
    symlink(".", dir.join("b")).unwrap();
    let (path, message) = io_error(load(&dir));
    assert_eq!(path, format!("{}/a", dir.display()));
    assert!(message.starts_with("a symbolic link to a directory already read ("), "{message}");
    assert!(message.ends_with("): each directory is read once"), "{message}");
    let o = run(&["verify", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(3));
    std::fs::remove_file(dir.join("a")).unwrap();
    std::fs::remove_file(dir.join("b")).unwrap();

    // A link out of the pack, to a directory.
    symlink("/usr", dir.join("usr")).unwrap();
    let (_, message) = io_error(load(&dir));
    assert!(message.starts_with("a symbolic link to /usr, outside"), "{message}");
    std::fs::remove_file(dir.join("usr")).unwrap();

    // The rule tests: a link from tests/ up to the pack.
    symlink("..", dir.join("tests/up")).unwrap();
    let o = run(&["test", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(3), "{}", String::from_utf8_lossy(&o.stdout));
    assert!(stderr(&o).contains("tests/up: a symbolic link to"), "{}", stderr(&o));
    std::fs::remove_file(dir.join("tests/up")).unwrap();

    // A link inside the pack to a directory not otherwise read is followed.
    let extra = dir.join("tests/extra");
    std::fs::create_dir(&extra).unwrap();
    std::fs::write(extra.join("more.toml"), std::fs::read_to_string(dir.join("notices.toml")).unwrap()).unwrap();
    symlink("tests/extra", dir.join("linked")).unwrap();
    match load(&dir) {
        // Named from the working directory, as the pack directory was given (tester15 D00).
        Err(LoadError::Invalid(d)) => {
            assert!(d.to_string().contains(&format!("at {}/linked/more.toml:5", dir.display())), "{d}")
        }
        other => panic!("the linked directory must be read (its rules repeat notices.toml): {:?}", other.map(|_| ())),
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn file_names_that_are_not_utf8_or_hold_control_characters_are_refused() {
    use std::os::unix::ffi::OsStrExt;
    let dir = temp_dir("bounded-names");
    copy_shipped_pack(&dir);
    let newline = dir.join("notes.toml\n5\n.toml");
    std::fs::write(&newline, "").unwrap();
    let (path, message) = io_error(load(&dir));
    assert!(path.ends_with("/notes.toml\\n5\\n.toml"), "{path}");
    assert_eq!(message, "the file name holds a control character (a line break, a tab): rename it");
    std::fs::remove_file(&newline).unwrap();
    let latin1 = dir.join(std::ffi::OsStr::from_bytes(b"caf\xe9.toml"));
    if std::fs::write(&latin1, "").is_ok() {
        let (_, message) = io_error(load(&dir));
        assert_eq!(message, "the file name is not UTF-8: rename it");
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_diagnostic_on_a_long_line_quotes_an_excerpt() {
    let dir = temp_dir("bounded-long-line");
    let sheet = dir.join("long.toml");
    let long = "y".repeat(900_000);
    std::fs::write(
        &sheet,
        format!("id = \"long\"\nname = \"L\"\nvendor = \"V\"\nkind = \"memory\"\nmemory = {{ kind = \"{long}\", bandwidth = -1 }}\n"),
    )
    .unwrap();
    let o = run(&["check", "--product", sheet.to_str().unwrap(), "--to", "CN", "--on", "2024-06-01"]);
    assert_eq!(o.status.code(), Some(3));
    let err = stderr(&o);
    assert!(err.len() < 2_000, "{} bytes of diagnostics for one error", err.len());
    assert!(err.contains("error[E0201]") && err.contains("…yyyy"), "{err}");
    let o = run(&["check", "--product", sheet.to_str().unwrap(), "--to", "CN", "--error-format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stderr).unwrap();
    assert_eq!((&v["diagnostics"][0]["line"], &v["diagnostics"][0]["column"]), (&5.into(), &900035.into()), "{v}");
    // A value quoted in a message is cut too.
    std::fs::write(&sheet, format!("id = \"long\"\nname = \"L\"\nvendor = \"V\"\nkind = \"{long}\"\n")).unwrap();
    let o = run(&[
        "check",
        "--product",
        sheet.to_str().unwrap(),
        "--to",
        "CN",
        "--on",
        "2024-06-01",
        "--error-format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(3));
    assert!(o.stderr.len() < 2_000, "{} bytes of diagnostics for one error", o.stderr.len());
    let v: serde_json::Value = serde_json::from_slice(&o.stderr).unwrap();
    let message = v["diagnostics"][0]["message"].as_str().unwrap();
    assert!(message.starts_with(&format!("unknown kind `{}…{}`", "y".repeat(40), "y".repeat(20))), "{message}");
    std::fs::remove_dir_all(&dir).ok();
}
