//! The product catalog: reference product sheets (real chips with sourced figures) shipped in
//! `rules/products/`, or any directory of sheets.

use std::path::Path;

use indexmap::IndexMap;

use crate::evaluate::PreparedProduct;
use crate::files::{FileKind, Walk, display_path, read_file, read_tree};
use crate::model::parse_product_sheet;

use crate::diagnostic::{Code, Diagnostic, Diagnostics, LoadError, Site, SourceFile, did_you_mean};

static SHIPPED: include_dir::Dir<'static> = include_dir::include_dir!("$CARGO_MANIFEST_DIR/rules/products");

/// Products by id, with their metrics computed once, in id order.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    products: IndexMap<String, PreparedProduct>,
}

impl Catalog {
    /// The catalog shipped in `rules/products/`, embedded at build time.
    ///
    /// # Errors
    /// Only if a shipped sheet is invalid, which the crate's tests rule out.
    pub fn shipped() -> Result<Catalog, Diagnostics> {
        let files: Vec<SourceFile> = SHIPPED
            .files()
            .filter(|f| f.path().extension().is_some_and(|e| e == "toml"))
            .map(|f| SourceFile::new(f.path().to_string_lossy(), f.contents_utf8().unwrap_or_default()))
            .collect();
        Catalog::from_files(&files)
    }

    /// Reads every `*.toml` sheet in `dir` (not recursive), bounded as [`crate::files`] reads:
    /// regular files of at most 1 MiB, no symbolic link out of `dir`.
    ///
    /// # Errors
    /// [`LoadError::Io`] if a file cannot be read, is not a regular file or leads out of `dir`;
    /// [`LoadError::Invalid`] with every problem in every sheet otherwise.
    pub fn load_dir(dir: &Path) -> Result<Catalog, LoadError> {
        let walk = Walk { recursive: false, skip_dirs: &[], kind: |_| FileKind::ProductSheet };
        let mut files = read_tree(dir, walk)?;
        for f in &mut files {
            f.path = display_path(&dir.join(&f.path));
        }
        Ok(Catalog::from_files(&files)?)
    }

    /// Builds a catalog from sheet files. Each sheet's `id` must equal its file name (without
    /// `.toml`), and ids must be unique.
    ///
    /// # Errors
    /// Every problem in every sheet; nothing is loaded unless all sheets are valid.
    pub fn from_files(files: &[SourceFile]) -> Result<Catalog, Diagnostics> {
        let mut sorted: Vec<&SourceFile> = files.iter().collect();
        sorted.sort_by(|a, b| a.path.cmp(&b.path));
        let mut errors: Vec<Diagnostic> = Vec::new();
        let mut products = IndexMap::new();
        for f in sorted {
            match parse_product_sheet(f) {
                Ok(p) => {
                    let stem = f.path.rsplit('/').next().unwrap_or(&f.path).trim_end_matches(".toml");
                    if stem != p.id {
                        errors.push(f.error(
                            Code::E0208,
                            id_offset(&f.text)..id_offset(&f.text),
                            format!("product id `{}` differs from the file name `{stem}.toml`", p.id),
                        ));
                    } else if products.contains_key(&p.id) {
                        errors.push(f.error(
                            Code::E0209,
                            id_offset(&f.text)..id_offset(&f.text),
                            format!("product id `{}` is used twice", p.id),
                        ));
                    } else {
                        products.insert(p.id.clone(), PreparedProduct::new(p));
                    }
                }
                Err(d) => errors.extend(d.0),
            }
        }
        if errors.is_empty() {
            products.sort_keys();
            Ok(Catalog { products })
        } else {
            Err(Diagnostics(errors))
        }
    }

    /// A copy of the catalog with more products, e.g. the illustrative sheets of a pack's
    /// rule tests (`tests/sheets/`).
    ///
    /// # Errors
    /// Every problem in the added sheets, including an id already in the catalog.
    pub fn with_sheets(&self, files: &[SourceFile]) -> Result<Catalog, Diagnostics> {
        let extra = Catalog::from_files(files)?;
        let mut products = self.products.clone();
        for (id, p) in extra.products {
            if products.contains_key(&id) {
                let message = format!("product id `{id}` is already in the catalog");
                return Err(Diagnostics(vec![Site::whole_file(id.clone()).diagnostic(Code::E0209, message)]));
            }
            products.insert(id, p);
        }
        products.sort_keys();
        Ok(Catalog { products })
    }

    /// The product with this id.
    pub fn get(&self, id: &str) -> Option<&PreparedProduct> {
        self.products.get(id)
    }

    /// The nearest id to a mistyped one.
    pub fn suggest(&self, id: &str) -> Option<&str> {
        did_you_mean(id, self.products.keys().map(String::as_str))
    }

    /// Every product, in id order.
    pub fn iter(&self) -> impl Iterator<Item = &PreparedProduct> {
        self.products.values()
    }

    /// Number of products.
    pub fn len(&self) -> usize {
        self.products.len()
    }

    /// Whether the catalog is empty.
    pub fn is_empty(&self) -> bool {
        self.products.is_empty()
    }
}

/// Byte offset of the `id = ...` line of a sheet (0 if not found).
fn id_offset(text: &str) -> usize {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        if t.starts_with("id") && t[2..].trim_start().starts_with('=') {
            return offset + (line.len() - t.len());
        }
        offset += line.len();
    }
    0
}

/// Reads a product sheet from disk as a [`SourceFile`] (path as given), bounded: a regular
/// file of at most [`crate::model::MAX_SHEET_BYTES`] (see [`crate::files`]).
///
/// # Errors
/// [`LoadError::Io`] if unreadable, not a regular file or not UTF-8; [`LoadError::Invalid`]
/// (E0210) if larger than the limit.
pub fn read_sheet_file(path: &Path) -> Result<SourceFile, LoadError> {
    read_file(path, FileKind::ProductSheet)
}
