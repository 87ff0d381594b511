//! Reading files from disk, bounded: a file is read only if it is a regular file (not a device
//! such as `/dev/zero`, a FIFO or a socket) no larger than the limit of its kind, checked
//! before reading; a directory walk reads only from inside its root (a symbolic link that
//! leads out of it is refused), reads each directory once (so links such as `a -> .` cannot
//! make it loop), refuses file names that are not UTF-8 or hold a control character, and stops
//! at [`MAX_TREE_FILES`] files or [`MAX_TREE_BYTES`] bytes in all.
//!
//! Every loader of the crate reads through this module: rule packs, catalogs, rule-test
//! folders, and the product sheets, transactions, determinations, lock files and CSL files the
//! CLI is given.

use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Code, Diagnostics, LoadError, Site, SourceFile, decode_utf8};

/// Most files one directory walk reads.
pub const MAX_TREE_FILES: usize = 10_000;
/// Most bytes one directory walk reads, in all (256 MiB).
pub const MAX_TREE_BYTES: u64 = 256 * 1024 * 1024;

/// What a file is, which sets its size limit and the error for a file over it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FileKind {
    /// A rule file or `pack.toml` (4 MiB, [`Code::E0302`]).
    RuleFile,
    /// A product sheet (1 MiB, [`Code::E0210`]).
    ProductSheet,
    /// A transaction file (1 MiB, [`Code::E0507`]).
    Transaction,
    /// A rule-test file (4 MiB, [`Code::E0405`]).
    RuleTest,
    /// A determination to replay (4 MiB, [`Code::E0603`]).
    Determination,
    /// A pack's `rules.lock` (1 MiB).
    Lock,
    /// A Consolidated Screening List file (256 MiB; the full list is tens of MB).
    Csl,
}

const MIB: u64 = 1024 * 1024;

impl FileKind {
    /// The largest file of this kind that is read, in bytes.
    pub const fn max_bytes(self) -> u64 {
        match self {
            FileKind::RuleFile | FileKind::RuleTest | FileKind::Determination => 4 * MIB,
            FileKind::ProductSheet | FileKind::Transaction | FileKind::Lock => MIB,
            FileKind::Csl => 256 * MIB,
        }
    }

    /// The error for a file of this kind that is larger than [`FileKind::max_bytes`]: the
    /// diagnostic its loader gives for such a text, when it has a code.
    fn too_large(self, display: &str) -> LoadError {
        let max = self.max_bytes();
        let (code, message) = match self {
            FileKind::RuleFile => (Code::E0302, format!("file is larger than {max} bytes")),
            FileKind::ProductSheet => (Code::E0210, format!("a product sheet is larger than {max} bytes")),
            FileKind::Transaction => (Code::E0507, format!("a transaction file is larger than {max} bytes")),
            FileKind::RuleTest => (Code::E0405, "a rule-test file is larger than 4 MiB; split it".to_string()),
            FileKind::Determination => {
                (Code::E0603, format!("a determination file is larger than {max} bytes: this is not one determination"))
            }
            FileKind::Lock | FileKind::Csl => {
                return LoadError::Io {
                    path: display.to_string(),
                    message: format!("the file is larger than {max} bytes, the most read for {}", self.what()),
                };
            }
        };
        LoadError::Invalid(Diagnostics(vec![Site::whole_file(display).diagnostic(code, message)]))
    }

    fn what(self) -> &'static str {
        match self {
            FileKind::RuleFile => "a rule file",
            FileKind::ProductSheet => "a product sheet",
            FileKind::Transaction => "a transaction",
            FileKind::RuleTest => "a rule-test file",
            FileKind::Determination => "a determination",
            FileKind::Lock => "a rules.lock",
            FileKind::Csl => "a Consolidated Screening List file",
        }
    }
}

fn io(path: &str, message: impl Into<String>) -> LoadError {
    LoadError::Io { path: path.to_string(), message: message.into() }
}

/// A path for messages: as given, with control characters escaped so that a file name with
/// a line break cannot forge a line of output.
pub fn display_path(path: &Path) -> String {
    escape_controls(&path.display().to_string())
}

/// Whether `c` is escaped in printed output by [`printable`]: a control character (but line
/// feed and tab), a line or paragraph separator (`U+2028`, `U+2029`), or a bidirectional
/// control (`U+061C`, `U+200E`, `U+200F`, `U+202A`-`U+202E`, `U+2066`-`U+2069`).
fn escaped_in_output(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` as the CLI prints it (standard output and standard error, every format): each
/// character of [`escaped_in_output`] written as a JSON escape (`\u001b`, `\u2028`), so that
/// no name or value can move the cursor, erase or recolour the terminal, forge a line or
/// reorder what is shown. Inside a JSON string the escape reads as the same character, so JSON
/// output stays valid and means the same; the text is returned unchanged (borrowed) when it
/// holds none.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(escaped_in_output) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if escaped_in_output(c) {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// `text` with control characters written as escapes (`\n`, `\u{1b}`).
pub(crate) fn escape_controls(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_string();
    }
    text.chars().map(|c| if c.is_control() { c.escape_debug().to_string() } else { c.to_string() }).collect()
}

/// Reads a file of `kind`, named in diagnostics by its path as given.
///
/// # Errors
/// [`LoadError::Io`] when the file is missing, unreadable, not a regular file (a directory, a
/// device, a FIFO, a socket) or not UTF-8; [`LoadError::Invalid`] with the kind's code when it
/// is larger than [`FileKind::max_bytes`] (for a lock or CSL file, [`LoadError::Io`]).
pub fn read_file(path: &Path, kind: FileKind) -> Result<SourceFile, LoadError> {
    read_as(path, display_path(path), kind)
}

/// Reads a file of `kind`, named `display` in diagnostics. Checks, before reading a byte,
/// that it is a regular file within the limit; then reads at most one byte past the limit
/// (a file that grows while it is read is refused too).
pub(crate) fn read_as(path: &Path, display: String, kind: FileKind) -> Result<SourceFile, LoadError> {
    let bytes = read_bytes(path, &display, kind)?;
    let text = decode_utf8(Path::new(&display), bytes)?;
    Ok(SourceFile::new(display, text))
}

fn read_bytes(path: &Path, display: &str, kind: FileKind) -> Result<Vec<u8>, LoadError> {
    // Metadata first, following links: opening a FIFO would block, reading a device
    // (`/dev/zero`, `/dev/urandom`) would never end.
    let meta = std::fs::metadata(path).map_err(|e| io(display, e.to_string()))?;
    check_regular(&meta, display, kind)?;
    let file = std::fs::File::open(path).map_err(|e| io(display, e.to_string()))?;
    // The file opened may not be the one looked at (replaced in between): look again.
    let meta = file.metadata().map_err(|e| io(display, e.to_string()))?;
    check_regular(&meta, display, kind)?;
    let max = kind.max_bytes();
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(max + 1).read_to_end(&mut bytes).map_err(|e| io(display, e.to_string()))?;
    if bytes.len() as u64 > max {
        return Err(kind.too_large(display));
    }
    Ok(bytes)
}

fn check_regular(meta: &std::fs::Metadata, display: &str, kind: FileKind) -> Result<(), LoadError> {
    if meta.is_dir() {
        return Err(io(display, format!("is a directory; give {}", kind.what())));
    }
    if !meta.is_file() {
        return Err(io(
            display,
            format!("not a regular file (a device, a FIFO or a socket); give {}: only files are read", kind.what()),
        ));
    }
    if meta.len() > kind.max_bytes() {
        return Err(kind.too_large(display));
    }
    Ok(())
}

/// How a directory is walked.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Walk<'a> {
    /// Into subdirectories.
    pub recursive: bool,
    /// Relative paths (`/`-separated) of directories not to enter.
    pub skip_dirs: &'a [&'a str],
    /// The kind of the file at a relative path.
    pub kind: fn(&str) -> FileKind,
}

/// Reads every `*.toml` file under `root`, each named by its path relative to `root` (`/`
/// separated), in path order.
///
/// # Errors
/// [`LoadError::Io`] for a directory or file that cannot be read, a symbolic link that leads
/// out of `root` (or is broken), a directory reached twice (a link loop), a file name that is
/// not UTF-8 or holds a control character, or more than [`MAX_TREE_FILES`] files or
/// [`MAX_TREE_BYTES`] bytes; a file's own errors as [`read_file`] gives them.
pub(crate) fn read_tree(root: &Path, walk: Walk) -> Result<Vec<SourceFile>, LoadError> {
    let root_display = display_path(root);
    let canonical_root = std::fs::canonicalize(root).map_err(|e| io(&root_display, e.to_string()))?;
    let mut tree = TreeWalk {
        root,
        walk,
        visited: HashSet::from([canonical_root.clone()]),
        canonical_root,
        root_display,
        stack: vec![(root.to_path_buf(), String::new())],
        out: Vec::new(),
        total: 0,
    };
    while let Some((dir, prefix)) = tree.stack.pop() {
        for (name, entry) in tree.entries(&dir, &prefix)? {
            tree.visit(&prefix, &name, &entry)?;
        }
    }
    let mut out = tree.out;
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

/// A walk of [`read_tree`] under way: where it started, what it has seen and read.
struct TreeWalk<'a> {
    root: &'a Path,
    walk: Walk<'a>,
    /// The root, resolved: nothing outside it is read.
    canonical_root: PathBuf,
    /// The root as messages show it.
    root_display: String,
    /// Directories entered (resolved), each once.
    visited: HashSet<PathBuf>,
    /// Directories still to read, with their path relative to the root.
    stack: Vec<(PathBuf, String)>,
    /// The files read.
    out: Vec<SourceFile>,
    /// Their bytes, in all.
    total: u64,
}

impl TreeWalk<'_> {
    /// A path relative to the root, as messages show it.
    fn shown(&self, rel: &str) -> String {
        display_path(&self.root.join(rel))
    }

    /// The entries of `dir` (at `prefix` under the root), sorted by name; a name that is not
    /// UTF-8 is refused.
    fn entries(&self, dir: &Path, prefix: &str) -> Result<Vec<(String, std::fs::DirEntry)>, LoadError> {
        let mut entries = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(|e| io(&self.shown(prefix), e.to_string()))? {
            let entry = entry.map_err(|e| io(&self.shown(prefix), e.to_string()))?;
            let name = entry.file_name();
            let Some(name) = name.to_str() else {
                let path = display_path(&entry.path());
                return Err(io(&path, "the file name is not UTF-8: rename it"));
            };
            entries.push((name.to_string(), entry));
        }
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(entries)
    }

    /// One entry of the directory at `prefix`: a subdirectory to enter (when the walk is
    /// recursive and does not skip it), a `*.toml` file to read, or nothing.
    fn visit(&mut self, prefix: &str, name: &str, entry: &std::fs::DirEntry) -> Result<(), LoadError> {
        let rel = if prefix.is_empty() { name.to_string() } else { format!("{prefix}/{name}") };
        let is_toml = name.ends_with(".toml");
        let file_type = entry.file_type().map_err(|e| io(&self.shown(&rel), e.to_string()))?;
        let is_link = file_type.is_symlink();
        // What the entry is, following a link.
        let meta = match std::fs::metadata(entry.path()) {
            Ok(m) => m,
            Err(_) if is_link && !is_toml => return Ok(()), // a broken link that would not be read
            Err(e) if is_link => return Err(io(&self.shown(&rel), format!("a broken symbolic link: {e}"))),
            Err(e) => return Err(io(&self.shown(&rel), e.to_string())),
        };
        let wanted = (meta.is_dir() && self.walk.recursive && !self.walk.skip_dirs.contains(&rel.as_str()))
            || (is_toml && !meta.is_dir());
        if !wanted {
            return Ok(());
        }
        if name.chars().any(char::is_control) {
            return Err(io(
                &self.shown(&rel),
                "the file name holds a control character (a line break, a tab): rename it",
            ));
        }
        let canonical = self.inside(&rel, entry)?;
        if meta.is_dir() { self.enter(rel, entry, canonical) } else { self.read(rel, entry) }
    }

    /// Where the entry at `rel` resolves to, refused when outside the root.
    fn inside(&self, rel: &str, entry: &std::fs::DirEntry) -> Result<PathBuf, LoadError> {
        let canonical = std::fs::canonicalize(entry.path()).map_err(|e| io(&self.shown(rel), e.to_string()))?;
        if !canonical.starts_with(&self.canonical_root) {
            return Err(io(
                &self.shown(rel),
                format!(
                    "a symbolic link to {}, outside {}: files are read only from inside the directory given",
                    display_path(&canonical),
                    self.root_display
                ),
            ));
        }
        Ok(canonical)
    }

    /// A directory to read later; one reached before (through a link) is refused.
    fn enter(&mut self, rel: String, entry: &std::fs::DirEntry, canonical: PathBuf) -> Result<(), LoadError> {
        if !self.visited.insert(canonical.clone()) {
            return Err(io(
                &self.shown(&rel),
                format!(
                    "a symbolic link to a directory already read ({}): each directory is read once",
                    display_path(&canonical)
                ),
            ));
        }
        self.stack.push((entry.path(), rel));
        Ok(())
    }

    /// A file, read as its kind; the walk's limits of files and bytes are checked.
    fn read(&mut self, rel: String, entry: &std::fs::DirEntry) -> Result<(), LoadError> {
        if self.out.len() >= MAX_TREE_FILES {
            return Err(io(&self.root_display, format!("more than {MAX_TREE_FILES} files: split the directory")));
        }
        let kind = (self.walk.kind)(&rel);
        let f = read_as(&entry.path(), rel, kind)?;
        self.total += f.text.len() as u64;
        if self.total > MAX_TREE_BYTES {
            return Err(io(&self.root_display, format!("more than {MAX_TREE_BYTES} bytes of files in all")));
        }
        self.out.push(f);
        Ok(())
    }
}

#[cfg(test)]
mod printable_tests {
    use super::printable;

    #[test]
    fn controls_separators_and_direction_controls_are_escaped_and_nothing_else() {
        assert_eq!(printable("A100\u{1b}[2K SXM4"), "A100\\u001b[2K SXM4");
        assert_eq!(
            printable("a\rb\u{7f}\u{85}\u{2028}\u{2029}\u{202e}\u{2066}"),
            "a\\u000db\\u007f\\u0085\\u2028\\u2029\\u202e\\u2066"
        );
        let plain = "line 1\n\tHGX H20 96GB (China) — 英伟达 Ｈｕａｗｅｉ";
        assert!(matches!(printable(plain), std::borrow::Cow::Borrowed(p) if p == plain));
    }
}
