//! The product catalog: reference product sheets (real chips with sourced figures) shipped in
//! `rules/products/`, or any directory of sheets.

use std::path::Path;

use indexmap::IndexMap;

use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

use crate::evaluate::PreparedProduct;
use crate::files::{FileKind, Walk, display_path, read_file, read_tree};
use crate::model::{Product, contained_total_error, contained_total_problem, parse_product_sheet_refs};

use crate::diagnostic::{Code, Diagnostic, Diagnostics, LoadError, Site, SourceFile, did_you_mean};

static SHIPPED: include_dir::Dir<'static> = include_dir::include_dir!("$CARGO_MANIFEST_DIR/rules/products");

/// Products by id, with their metrics computed once, in id order, and the sheet each was read
/// from.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    /// Shared, so that a server hands a request the product without copying it
    /// ([`Catalog::get_shared`]).
    products: IndexMap<String, Arc<PreparedProduct>>,
    sheets: HashMap<String, Sheet>,
}

/// The sheet a catalog product was read from: its text as read (TOML, UTF-8) and the SHA-256
/// of those bytes, so that a record of a determination can carry the sheet it was decided on
/// and a later correction of the catalog can be told from an altered record (15 CFR 762.6:
/// records reproduced on request).
#[derive(Debug, Clone)]
pub struct Sheet(Arc<SheetInner>);

#[derive(Debug)]
struct SheetInner {
    text: String,
    sha256: OnceLock<String>,
}

impl Sheet {
    fn new(text: &str) -> Sheet {
        Sheet(Arc::new(SheetInner { text: text.to_string(), sha256: OnceLock::new() }))
    }

    /// The sheet's text, as read from its file.
    pub fn text(&self) -> &str {
        &self.0.text
    }

    /// Lower-case hex SHA-256 (FIPS 180-4) of the sheet's bytes as read: what `sha256sum` gives
    /// for its file. Computed once, when first asked.
    pub fn sha256(&self) -> &str {
        self.0.sha256.get_or_init(|| sheet_sha256(&self.0.text))
    }
}

/// Lower-case hex SHA-256 (FIPS 180-4) of a sheet's text (its UTF-8 bytes): the value
/// [`Sheet::sha256`] gives, and `sha256sum` gives for its file.
pub fn sheet_sha256(text: &str) -> String {
    use sha2::Digest;
    use std::fmt::Write;
    sha2::Sha256::digest(text.as_bytes()).iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

impl Catalog {
    /// The catalog shipped in `rules/products/`, embedded at build time.
    ///
    /// # Errors
    /// [`LoadError::Invalid`] only if a shipped sheet is invalid, which the crate's tests rule
    /// out (the error type of [`RuleSet::shipped`](crate::RuleSet::shipped), so that both load
    /// with one `?`).
    pub fn shipped() -> Result<Catalog, LoadError> {
        let files: Vec<SourceFile> = SHIPPED
            .files()
            .filter(|f| f.path().extension().is_some_and(|e| e == "toml"))
            .map(|f| SourceFile::new(f.path().to_string_lossy(), f.contents_utf8().unwrap_or_default()))
            .collect();
        Ok(Catalog::from_files(&files)?)
    }

    /// Reads every `*.toml` sheet in `dir` (not recursive), bounded as [`crate::files`] reads:
    /// regular files of at most 1 MiB, no symbolic link out of `dir`.
    ///
    /// # Errors
    /// [`LoadError::Io`] if a file cannot be read, is not a regular file or leads out of `dir`;
    /// [`LoadError::Invalid`] with every problem in every sheet otherwise, and E0231 for a
    /// folder that holds no `*.toml` sheet: a catalog given in place of the shipped one that
    /// names no product is a mistyped folder (`--catalog /proc`), not a catalog; E0220 for a
    /// sheet that takes the id of a shipped product ([`Catalog::shipped`]) with other figures,
    /// itself or in a sheet it contains (a catalog may add products, not change shipped ones).
    pub fn load_dir(dir: &Path) -> Result<Catalog, LoadError> {
        let walk = Walk { recursive: false, skip_dirs: &[], kind: |_| FileKind::ProductSheet };
        let mut files = read_tree(dir, walk)?;
        if files.is_empty() {
            let site = crate::diagnostic::Site::whole_file(display_path(dir));
            return Err(LoadError::Invalid(Diagnostics(vec![site.diagnostic(
                Code::E0231,
                "the catalog folder holds no product sheet (`*.toml`): a catalog names at least one product",
            )])));
        }
        for f in &mut files {
            f.path = display_path(&dir.join(&f.path));
        }
        let catalog = Catalog::from_files(&files)?;
        let shipped = Catalog::shipped()?;
        let errors = Catalog::shipped_ids_taken(&shipped, &files);
        if errors.is_empty() { Ok(catalog.cross_checked()) } else { Err(LoadError::Invalid(Diagnostics(errors))) }
    }

    /// E0220 for each sheet of this catalog (read from `files`) that takes the id of a product
    /// of `shipped`, itself or in a sheet it contains, with other figures: a catalog given in
    /// place of the shipped one (`--catalog DIR`, `serve --catalog`) may add products, but a
    /// determination that names a shipped product (`nvidia-h100-sxm5-80gb`, "H100 SXM5 80GB")
    /// must rest on that product's figures, as for a sheet given with `--product` (tester
    /// round 5, R11).
    ///
    /// Each sheet is compared with its catalog ids resolved against `shipped`, so that a
    /// system that names a changed product by its id is not reported with it: the changed
    /// product's own sheet is.
    fn shipped_ids_taken(shipped: &Catalog, files: &[SourceFile]) -> Vec<Diagnostic> {
        let mut errors = Vec::new();
        for f in files {
            let Ok((raw, _)) = parse_product_sheet_refs(f) else { continue };
            let id = raw.id.clone();
            let mut clash = Vec::new();
            shipped.catalog_ids_taken(&shipped.resolve(raw), 0, &mut clash);
            for taken in clash {
                let span = if taken == id {
                    id_offset(&f.text)..id_offset(&f.text)
                } else {
                    let quoted = [format!("\"{taken}\""), format!("'{taken}'")];
                    quoted.iter().find_map(|q| f.text.find(q.as_str()).map(|i| i..i + q.len())).unwrap_or(0..0)
                };
                errors.push(
                    f.error(
                        Code::E0220,
                        span,
                        format!(
                            "the catalog's sheet takes the id `{taken}` of a shipped catalog product but differs from the shipped sheet"
                        ),
                    )
                    .with_help(
                        "a catalog given in place of the shipped one may add products under ids of their own, not change shipped ones: give the part its own id, or copy the shipped sheet unchanged",
                    ),
                );
            }
        }
        errors
    }

    /// Builds a catalog from sheet files. Each sheet's `id` must equal its file name (without
    /// `.toml`), and ids must be unique.
    ///
    /// # Errors
    /// Every problem in every sheet; nothing is loaded unless all sheets are valid.
    pub fn from_files(files: &[SourceFile]) -> Result<Catalog, Diagnostics> {
        Catalog::build(files, None)
    }

    /// Builds a catalog from sheet files, resolving the catalog ids that `contains` names
    /// against these sheets and then `base`.
    fn build(files: &[SourceFile], base: Option<&Catalog>) -> Result<Catalog, Diagnostics> {
        let mut sorted: Vec<&SourceFile> = files.iter().collect();
        sorted.sort_by(|a, b| a.path.cmp(&b.path));
        let mut errors: Vec<Diagnostic> = Vec::new();
        let mut raw: IndexMap<String, (Product, &SourceFile, Vec<Range<usize>>)> = IndexMap::new();
        for f in sorted {
            match parse_product_sheet_refs(f) {
                Ok((p, refs)) => {
                    let stem = f.path.rsplit('/').next().unwrap_or(&f.path).trim_end_matches(".toml");
                    if stem != p.id {
                        errors.push(f.error(
                            Code::E0208,
                            id_offset(&f.text)..id_offset(&f.text),
                            format!("product id `{}` differs from the file name `{stem}.toml`", p.id),
                        ));
                    } else if raw.contains_key(&p.id) || base.is_some_and(|b| b.products.contains_key(&p.id)) {
                        let message = if raw.contains_key(&p.id) {
                            format!("product id `{}` is used twice", p.id)
                        } else {
                            format!("product id `{}` is already in the catalog", p.id)
                        };
                        errors.push(f.error(Code::E0209, id_offset(&f.text)..id_offset(&f.text), message));
                    } else {
                        raw.insert(p.id.clone(), (p, f, refs));
                    }
                }
                Err(d) => errors.extend(d.0),
            }
        }
        let mut resolver = Resolver { raw: &raw, base, done: HashMap::new(), visiting: Vec::new(), errors: Vec::new() };
        let ids: Vec<String> = raw.keys().cloned().collect();
        let mut products = IndexMap::new();
        let mut sheets = HashMap::new();
        for id in ids {
            if let Some(p) = resolver.visit(&id) {
                // The catalog sheets its ids name may hold more, once resolved (E0224).
                if let Some(e) = raw.get(&id).and_then(|(_, f, _)| contained_total_error(f, &p)) {
                    errors.push(e);
                    continue;
                }
                if let Some((_, f, _)) = raw.get(&id) {
                    sheets.insert(id.clone(), Sheet::new(&f.text));
                }
                products.insert(id, Arc::new(PreparedProduct::new(p)));
            }
        }
        errors.extend(resolver.errors);
        if errors.is_empty() {
            if let Some(b) = base {
                for (id, p) in &b.products {
                    products.insert(id.clone(), p.clone());
                }
                for (id, s) in &b.sheets {
                    sheets.insert(id.clone(), s.clone());
                }
            }
            products.sort_keys();
            Ok(Catalog { products, sheets })
        } else {
            Err(Diagnostics(errors))
        }
    }

    /// Fills in the figures of each product that `product`'s `contains` names by catalog id
    /// (at any depth) from this catalog. An id the catalog does not have stays without
    /// figures: what depends on it is then unknown, and a product that takes a catalog id with
    /// other figures is not noticed: [`Catalog::prepare`] refuses both.
    pub fn resolve(&self, mut product: Product) -> Product {
        fill(&mut product, &mut |id| self.get(id).map(|p| p.product().clone()));
        product
    }

    /// Parses a product sheet and resolves the catalog ids its `contains` names against this
    /// catalog, ready to evaluate; a sheet with a catalog product's vendor and name is read
    /// against that product's figures (see `against_catalog`).
    ///
    /// # Errors
    /// Every problem in the sheet, and each id of `contains` the catalog does not have (with
    /// the nearest id).
    pub fn prepare_sheet(&self, src: &SourceFile) -> Result<PreparedProduct, Diagnostics> {
        let (mut product, refs) = parse_product_sheet_refs(src)?;
        let mut errors = Vec::new();
        let mut k = 0;
        fill(&mut product, &mut |id| {
            let span = refs.get(k).cloned().unwrap_or(0..0);
            k += 1;
            let found = self.get(id).map(|p| p.product().clone());
            if found.is_none() {
                errors.push(unknown_contained(src, span, id, self.products.keys().map(String::as_str)));
            }
            found
        });
        if errors.is_empty() {
            // Resolved, the catalog sheets its ids name may make it hold too many (E0224).
            errors.extend(contained_total_error(src, &product));
            let mut clash = Vec::new();
            self.catalog_ids_taken(&product, 0, &mut clash);
            errors.extend(clash.into_iter().map(|id| {
                let quoted = [format!("\"{id}\""), format!("'{id}'")];
                let span =
                    quoted.iter().find_map(|q| src.text.find(q.as_str()).map(|i| i..i + q.len())).unwrap_or(0..0);
                src.error(
                    Code::E0220,
                    span,
                    format!("the sheet takes the id `{id}` of a catalog product but differs from the catalog's sheet"),
                )
                .with_help("give the part its own id, or name the catalog product by its id without a sheet")
            }));
        }
        if errors.is_empty() {
            Ok(self.against_catalog(PreparedProduct::new(product)))
        } else {
            Err(Diagnostics(errors))
        }
    }

    /// Prepares a product built in code as [`Catalog::prepare_sheet`] prepares a sheet, for
    /// integrators that build products in code: checked as a sheet is ([`Product::validate`]),
    /// the catalog ids its `contains` names resolved, and refused when it or a sheet it
    /// contains takes the id of a catalog product with other figures (E0220: the determination
    /// would carry that product's id with these figures). Diagnostics name the file
    /// `product \`ID\`` at line 1, column 1.
    ///
    /// # Errors
    /// Every problem of the product (the codes a sheet gets), each id of `contains` the
    /// catalog does not have (E0216, with the nearest id), each catalog id taken (E0220), and
    /// more than [`crate::model::MAX_CONTAINED_TOTAL`] products in all once the ids are
    /// resolved (E0224).
    pub fn prepare(&self, product: Product) -> Result<PreparedProduct, Diagnostics> {
        // Validated first: the check bounds the nesting that resolving walks.
        product.validate()?;
        let src = SourceFile::new(format!("product `{}`", product.id), "");
        let mut product = product;
        let mut errors = Vec::new();
        fill(&mut product, &mut |id| {
            let found = self.get(id).map(|p| p.product().clone());
            if found.is_none() {
                errors.push(unknown_contained(&src, 0..0, id, self.products.keys().map(String::as_str)));
            }
            found
        });
        if errors.is_empty() {
            // Resolved, the catalog sheets its ids name may make it hold too many (E0224).
            errors.extend(
                contained_total_problem(&product).map(|p| p.at(&Site::whole_file(format!("{}, contains", src.path)))),
            );
            let mut clash = Vec::new();
            self.catalog_ids_taken(&product, 0, &mut clash);
            errors.extend(clash.into_iter().map(|id| {
                src.error(
                    Code::E0220,
                    0..0,
                    format!(
                        "the product takes the id `{id}` of a catalog product but differs from the catalog's sheet"
                    ),
                )
                .with_help("give the part its own id, or use the catalog's product (`Catalog::get`)")
            }));
        }
        if errors.is_empty() {
            Ok(self.against_catalog(PreparedProduct::new(product)))
        } else {
            Err(Diagnostics(errors))
        }
    }

    /// `product` read against the catalog product of the same vendor and name (another id; both
    /// computers or neither), if there is one: a figure or flag that differs from the catalog's is read as
    /// either value, and a determination it can change is `indeterminate` naming it and the
    /// catalog's value (tester round 9, U8: the A100 with its interconnect written one way, 332
    /// for 664 GB/s, cleared to China under the 2022 text of 3A090.a, 87 FR 62186). A variant
    /// with its own name (A800, H800) is not compared. A computer is compared by its contents
    /// as well (tester round 11: an `HGX H200 8-GPU board` sheet holding eight A10s was cleared).
    ///
    /// Every catalog product of the same part is so read (a sheet that could be either is read
    /// against both), the shipped catalog's too when this catalog was given in its place
    /// (`--catalog DIR`, tester round 13, F7), and a computer's inline sheets each against
    /// theirs (F6).
    fn against_catalog(&self, product: PreparedProduct) -> PreparedProduct {
        let mut product = product;
        for c in self.same_parts(&product) {
            product = product.against_catalog(c);
        }
        self.contents_against_catalog(product)
    }

    /// The catalog products (of this catalog, and of the shipped one) that `product` is the
    /// same part as ([`PreparedProduct::same_part_as`]), other than products of its own id;
    /// none for a shipped catalog product itself.
    fn same_parts<'c>(&'c self, product: &PreparedProduct) -> Vec<&'c PreparedProduct> {
        let shipped = shipped_for_cross_check();
        let id = &product.product().id;
        if shipped.and_then(|s| s.get(id)).is_some_and(|c| c.product() == product.product()) {
            return Vec::new();
        }
        let mut found: Vec<(u8, &PreparedProduct)> = Vec::new();
        for c in self.products.values().chain(shipped.iter().flat_map(|s| s.products.values())).map(Arc::as_ref) {
            if &c.product().id != id
                && product.same_part_as(c)
                && !found.iter().any(|(_, o)| o.product() == c.product())
                && let Some(tier) = product.name_match(c)
            {
                found.push((tier, c));
            }
        }
        // The closest names only; among names the sheet's holds, the longest (`GeForce RTX
        // 4090 D` is the 4090 D, not the 4090).
        let best = found.iter().map(|(t, _)| *t).min();
        let closest: Vec<&PreparedProduct> =
            found.into_iter().filter(|(t, _)| Some(*t) == best).map(|(_, c)| c).collect();
        if best != Some(1) {
            return closest;
        }
        let keys: Vec<Vec<String>> = closest.iter().map(|c| c.distinguishing(c)).collect();
        closest
            .iter()
            .zip(&keys)
            .filter(|(_, k)| !keys.iter().any(|o| o.len() > k.len() && k.iter().all(|t| o.contains(t))))
            .map(|(c, _)| *c)
            .collect()
    }

    /// A computer's inline sheets read against the catalog products of the same part
    /// ([`PreparedProduct::contents_against`]); another product as it is.
    fn contents_against_catalog(&self, product: PreparedProduct) -> PreparedProduct {
        if product.product().kind != crate::model::ProductKind::Computer {
            return product;
        }
        let mut replaced = product.product().clone();
        if !self.with_catalog_parts(&mut replaced, 0) {
            return product;
        }
        let reference = PreparedProduct::new(replaced);
        product.contents_against(|unit| self.same_parts(unit), Some(&reference))
    }

    /// Replaces each sheet `product` contains (at any depth) that is the same part as a catalog
    /// product by that product; whether one was.
    fn with_catalog_parts(&self, product: &mut Product, depth: usize) -> bool {
        if depth > 8 {
            return false;
        }
        let mut any = false;
        for c in &mut product.contains {
            let Some(sheet) = c.sheet.as_mut() else { continue };
            let prepared = PreparedProduct::new((**sheet).clone());
            if let Some(first) = self.same_parts(&prepared).first() {
                **sheet = first.product().clone();
                any = true;
            } else {
                any |= self.with_catalog_parts(sheet, depth + 1);
            }
        }
        any
    }

    /// This catalog (given in place of the shipped one) with each of its products read against
    /// the shipped catalog's of the same part, as a sheet given with `--product` is (tester
    /// round 13, F7: a folder's `my-h100`, the H100 with the non-tensor rates, was cleared).
    fn cross_checked(mut self) -> Catalog {
        let ids: Vec<String> = self.products.keys().cloned().collect();
        for id in ids {
            if let Some(p) = self.products.get(&id).map(|p| PreparedProduct::clone(p)) {
                let read = self.against_catalog(p);
                self.products.insert(id, Arc::new(read));
            }
        }
        self
    }

    /// The ids of `product` and of the sheets it contains (at any depth) that name a catalog
    /// product whose sheet differs: a sheet with a catalog id stands for that product in every
    /// determination, and a rule keyed to the id would read the other figures as its.
    pub(crate) fn catalog_ids_taken(&self, product: &Product, depth: usize, out: &mut Vec<String>) {
        if depth > 8 {
            return;
        }
        if let Some(p) = self.get(&product.id)
            && p.product() != product
            && !out.contains(&product.id)
        {
            out.push(product.id.clone());
        }
        for sheet in product.contains.iter().filter_map(|c| c.sheet.as_deref()) {
            self.catalog_ids_taken(sheet, depth + 1, out);
        }
    }

    /// A copy of the catalog with more products, e.g. the illustrative sheets of a pack's
    /// rule tests (`tests/sheets/`).
    ///
    /// # Errors
    /// Every problem in the added sheets, including an id already in the catalog.
    pub fn with_sheets(&self, files: &[SourceFile]) -> Result<Catalog, Diagnostics> {
        Catalog::build(files, Some(self))
    }

    /// A copy of the catalog with the products of `files` in place of the products of the
    /// same ids (and any product of theirs that is new): the catalog of the day a record
    /// carries the sheets of, replayed after the catalog was corrected. Each file is named
    /// `ID.toml` (at the end of its path) for the product `ID` it holds. The sheets' `contains`
    /// resolve against these sheets, then the rest of this catalog; a product of this catalog
    /// that contains a replaced product keeps the contents it was resolved with.
    ///
    /// # Errors
    /// Every problem in the sheets, as [`Catalog::from_files`] finds them.
    pub fn with_sheets_replaced(&self, files: &[SourceFile]) -> Result<Catalog, Diagnostics> {
        let mut base = self.clone();
        for f in files {
            let stem = f.path.rsplit('/').next().unwrap_or(&f.path).trim_end_matches(".toml");
            base.products.shift_remove(stem);
            base.sheets.remove(stem);
        }
        Catalog::build(files, Some(&base))
    }

    /// Works out ahead, for every product, how its name and vendor compare with each name
    /// `rules` compares them with ([`PreparedProduct::remember_text_matches`],
    /// [`crate::RuleSet::compared_texts`]): the same decisions, with less work per decision. For a
    /// catalog loaded once and decided on many times (a server).
    pub fn remember_text_matches(&mut self, rules: &crate::RuleSet) {
        let names = rules.compared_texts();
        for p in self.products.values_mut() {
            Arc::make_mut(p).remember_text_matches(&names);
        }
    }

    /// The product with this id.
    pub fn get(&self, id: &str) -> Option<&PreparedProduct> {
        self.products.get(id).map(Arc::as_ref)
    }

    /// The product with this id, shared ([`Catalog::get`] without a borrow of the catalog: a
    /// reference count, not a copy).
    pub fn get_shared(&self, id: &str) -> Option<Arc<PreparedProduct>> {
        self.products.get(id).cloned()
    }

    /// The sheet the product with this id was read from.
    pub fn sheet(&self, id: &str) -> Option<&Sheet> {
        self.sheets.get(id)
    }

    /// The ids of the products of this catalog that `product` is or contains, at any depth
    /// (each once, in the order met, `product` first): the sheets a determination of `product`
    /// rests on besides its own, when it was prepared by this catalog ([`Catalog::get`],
    /// [`Catalog::prepare_sheet`], [`Catalog::prepare`]).
    pub fn ids_used(&self, product: &Product) -> Vec<String> {
        fn walk(c: &Catalog, p: &Product, depth: usize, out: &mut Vec<String>) {
            if depth > 8 {
                return;
            }
            if c.products.contains_key(&p.id) && !out.contains(&p.id) {
                out.push(p.id.clone());
            }
            for sheet in p.contains.iter().filter_map(|c| c.sheet.as_deref()) {
                walk(c, sheet, depth + 1, out);
            }
        }
        let mut out = Vec::new();
        walk(self, product, 0, &mut out);
        out
    }

    /// The catalog ids that `id` (an id the catalog does not hold) may have meant, best first,
    /// at most [`MAX_SUGGESTIONS`]:
    ///
    /// 1. ids that begin with it, word for word (`nvidia-a100` → `nvidia-a100-pcie-40gb`, ...,
    ///    not `nvidia-a1000`), shortest first; an id that differs only in case is the one
    ///    meant, alone;
    /// 2. the nearest id within a plausible typo of it ([`crate::diagnostic::did_you_mean`]:
    ///    edit distance, case-blind), or every id one edit from it;
    /// 3. ids that hold it as whole words (`rtx-4090` → `nvidia-rtx-4090`), shortest first;
    /// 4. ids sharing a distinctive word with it (`a100-80gb` → `nvidia-dgx-a100`): a word of
    ///    the ids (split at `-`, `_`, `.` and spaces, case-blind) held by at most
    ///    [`MAX_SUGGESTIONS`] ids, so that `nvidia`, `rtx` or `80gb` alone suggest nothing;
    ///    most shared words first.
    ///
    /// Within a rank, in id order. Empty when nothing is near. The work is linear in the length
    /// of `id` and of the catalog's ids.
    pub fn suggest(&self, id: &str) -> Vec<&str> {
        let ids = || self.products.keys().map(String::as_str);
        let lower = id.to_lowercase();
        if let Some(same) = ids().find(|c| c.to_lowercase() == lower) {
            return vec![same];
        }
        let words = |s: &str| -> Vec<String> {
            s.split(['-', '_', '.', ' ']).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
        };
        let query: std::collections::HashSet<String> = words(&lower).into_iter().collect();
        // (rank, order within the rank, id)
        let near = crate::diagnostic::near_words(id, ids());
        let nearest = near.iter().map(|(d, _)| *d).min();
        // One edit from several ids: each is as likely; further, only the first (a guess).
        let take = if nearest == Some(1) { usize::MAX } else { 1 };
        let mut ranked: Vec<(usize, isize, &str)> =
            near.into_iter().filter(|(d, _)| Some(*d) == nearest).take(take).map(|(_, c)| (2, 0, c)).collect();
        let boundary = |rest: &str| rest.is_empty() || rest.starts_with(['-', '_', '.', ' ']);
        for c in ids() {
            let cl = c.to_lowercase();
            if lower.is_empty() || lower.len() >= cl.len() {
                continue;
            }
            if cl.strip_prefix(lower.as_str()).is_some_and(boundary) {
                ranked.push((1, cl.len() as isize, c));
            } else if cl.match_indices(lower.as_str()).any(|(at, _)| {
                let before = cl.get(..at).unwrap_or_default();
                (before.is_empty() || before.ends_with(['-', '_', '.', ' ']))
                    && boundary(cl.get(at + lower.len()..).unwrap_or_default())
            }) {
                ranked.push((3, cl.len() as isize, c));
            }
        }
        let mut holders: HashMap<String, usize> = HashMap::new();
        for c in ids() {
            let mut seen = words(c);
            seen.sort();
            seen.dedup();
            for w in seen {
                *holders.entry(w).or_default() += 1;
            }
        }
        // A word more ids hold than can be listed (`nvidia`, `rtx`, `80gb`) says too little.
        let common = MAX_SUGGESTIONS;
        for c in ids() {
            let mut own = words(c);
            own.sort();
            own.dedup();
            let shared = own
                .iter()
                .filter(|w| w.len() > 1 && holders.get(*w).is_some_and(|&n| n <= common) && query.contains(w.as_str()))
                .count();
            if shared > 0 {
                ranked.push((4, -(shared as isize), c));
            }
        }
        ranked.sort_by(|a, b| (a.0, a.1, a.2).cmp(&(b.0, b.1, b.2)));
        let mut out: Vec<&str> = Vec::new();
        for (_, _, c) in ranked {
            if !out.contains(&c) && out.len() < MAX_SUGGESTIONS {
                out.push(c);
            }
        }
        out
    }

    /// Every product, in id order.
    pub fn iter(&self) -> impl Iterator<Item = &PreparedProduct> {
        self.products.values().map(Arc::as_ref)
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

/// The most catalog ids [`Catalog::suggest`] gives.
pub const MAX_SUGGESTIONS: usize = 5;

/// `did you mean `a`?`, or `did you mean `a`, `b` or `c`?`, for ids [`Catalog::suggest`] gave;
/// `None` for none.
pub fn did_you_mean_text(suggestions: &[&str]) -> Option<String> {
    let quoted: Vec<String> = suggestions.iter().map(|s| format!("`{s}`")).collect();
    match quoted.split_last() {
        None => None,
        Some((last, [])) => Some(format!("did you mean {last}?")),
        Some((last, rest)) => Some(format!("did you mean {} or {last}?", rest.join(", "))),
    }
}

/// Walks `contains` depth first and gives each entry without figures the product `lookup`
/// finds for its id.
fn fill(product: &mut Product, lookup: &mut dyn FnMut(&str) -> Option<Product>) {
    for c in &mut product.contains {
        match &mut c.sheet {
            Some(sheet) => fill(sheet, lookup),
            None => c.sheet = lookup(&c.product).map(Box::new),
        }
    }
}

/// The shipped catalog, read once, that sheets of a catalog given in its place are compared
/// with (`None` only if it were invalid, which the crate's tests rule out).
fn shipped_for_cross_check() -> Option<&'static Catalog> {
    static SHIPPED_CATALOG: OnceLock<Option<Catalog>> = OnceLock::new();
    SHIPPED_CATALOG.get_or_init(|| Catalog::shipped().ok()).as_ref()
}

/// "`contains` names `id`, which is not in the catalog", with the nearest id.
fn unknown_contained<'a>(
    src: &SourceFile,
    span: Range<usize>,
    id: &str,
    known: impl IntoIterator<Item = &'a str>,
) -> Diagnostic {
    src.error(Code::E0216, span, format!("`contains` names `{id}`, which is not in the catalog"))
        .with_help_opt(did_you_mean(id, known).map(|s| format!("did you mean `{s}`?")))
}

/// Resolves the catalog ids of `contains` across the sheets of one catalog (and a base
/// catalog), each product once, refusing unknown ids and cycles.
struct Resolver<'a> {
    raw: &'a IndexMap<String, (Product, &'a SourceFile, Vec<Range<usize>>)>,
    base: Option<&'a Catalog>,
    done: HashMap<String, Option<Product>>,
    visiting: Vec<String>,
    errors: Vec<Diagnostic>,
}

impl Resolver<'_> {
    /// The product `id` of these sheets with its contents resolved (`None` after an error).
    fn visit(&mut self, id: &str) -> Option<Product> {
        if let Some(p) = self.done.get(id) {
            return p.clone();
        }
        let raw = self.raw;
        let base = self.base;
        let (product, file, refs) = raw.get(id)?;
        self.visiting.push(id.to_string());
        let mut product = product.clone();
        let mut k = 0;
        let mut ok = true;
        let mut lookup = |target: &str| -> Option<Product> {
            let span = refs.get(k).cloned().unwrap_or(0..0);
            k += 1;
            if self.visiting.iter().any(|v| v == target) {
                let path = format!("{} -> {target}", self.visiting.join(" -> "));
                self.errors.push(file.error(Code::E0217, span, format!("`contains` makes a cycle: {path}")));
                ok = false;
                return None;
            }
            if raw.contains_key(target) {
                let found = self.visit(target);
                ok &= found.is_some();
                return found;
            }
            if let Some(p) = base.and_then(|b| b.get(target)) {
                return Some(p.product().clone());
            }
            let known = raw
                .keys()
                .map(String::as_str)
                .chain(base.into_iter().flat_map(|b| b.products.keys().map(String::as_str)));
            self.errors.push(unknown_contained(file, span, target, known));
            ok = false;
            None
        };
        fill(&mut product, &mut lookup);
        self.visiting.pop();
        let out = ok.then_some(product);
        self.done.insert(id.to_string(), out.clone());
        out
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Remembered for the shipped rules' names, every catalog product and every test sheet of
    /// the pack (vendors misspelt, in look-alike letters, glued, in Chinese, unknown; names
    /// glued or generic; computers, whose contents answer to the system's vendor too) answers
    /// `vendor == "..."` and `name == "..."` as it does when the names are read at each
    /// comparison; a name no rule compares with is read as before. (Here rather than in
    /// src/evaluate/prepared.rs, so that evaluate/ does not load the catalog: tester16 item 7.)
    #[test]
    fn remembered_text_matches_are_those_worked_out() {
        use crate::ruleset::vocabulary::Attr;
        let rules = crate::RuleSet::shipped().unwrap();
        let names = rules.compared_texts();
        assert!(names.contains(&(Attr::Vendor, "NVIDIA")) && names.contains(&(Attr::Name, "H20")), "{names:?}");
        let catalog = Catalog::shipped().unwrap();
        let mut products: Vec<PreparedProduct> = catalog.iter().cloned().collect();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/us-ear/tests/sheets");
        for f in std::fs::read_dir(&dir).unwrap() {
            let path = f.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            if let Ok(p) = catalog.prepare_sheet(&SourceFile::new(path.display().to_string(), text)) {
                products.push(p);
            }
        }
        assert!(products.len() > 100, "{} products", products.len());
        // Names no rule compares with: worked out (none remembered for them).
        let others = [(Attr::Vendor, "NVIDIA CORPORATION"), (Attr::Name, "A800"), (Attr::Vendor, "SMIC")];
        let mut seen = [0; 3];
        for fresh in &products {
            let mut p = fresh.clone();
            p.remember_text_matches(&names);
            p.assert_remembered_answers(fresh, &names, &others, &mut seen);
        }
        assert!(seen.iter().all(|&n| n > 10), "answers true, false, unknown: {seen:?}");
    }

    /// A folder of sheets in the system's temporary directory, removed when dropped.
    struct Folder(std::path::PathBuf);

    impl Drop for Folder {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn folder(name: &str, sheets: &[(&str, String)]) -> Folder {
        let dir = std::env::temp_dir().join(format!("ec-catalog-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        for (file, text) in sheets {
            std::fs::write(dir.join(file), text).unwrap();
        }
        Folder(dir)
    }

    fn shipped_text(id: &str) -> String {
        let f = SHIPPED.get_file(format!("{id}.toml")).unwrap();
        f.contents_utf8().unwrap().to_string()
    }

    #[test]
    fn a_folder_that_changes_a_shipped_product_is_refused_and_one_that_adds_is_loaded() {
        // Tester round 5, R11: the H100 with its fp8 rate cut, under its shipped id.
        let h100 = shipped_text("nvidia-h100-sxm5-80gb");
        let cut = h100.lines().map(|l| if l.starts_with("fp8 = ") { "fp8 = 100" } else { l }).collect::<Vec<_>>();
        let changed = folder("changed", &[("nvidia-h100-sxm5-80gb.toml", cut.join("\n"))]);
        let Err(LoadError::Invalid(d)) = Catalog::load_dir(&changed.0) else { panic!("loaded") };
        assert_eq!(d.0.len(), 1, "{d:?}");
        assert_eq!(d.0[0].code, Code::E0220);
        assert!(d.0[0].file.ends_with("nvidia-h100-sxm5-80gb.toml"), "{}", d.0[0].file);

        // The shipped sheet unchanged, beside a product of its own, loads.
        let own = shipped_text("nvidia-h20").replace("id = \"nvidia-h20\"", "id = \"example-own\"");
        let added = folder("added", &[("nvidia-h100-sxm5-80gb.toml", h100), ("example-own.toml", own)]);
        let c = Catalog::load_dir(&added.0).unwrap();
        assert_eq!(c.len(), 2);
        let shipped = Catalog::shipped().unwrap();
        assert_eq!(
            c.get("nvidia-h100-sxm5-80gb").unwrap().product(),
            shipped.get("nvidia-h100-sxm5-80gb").unwrap().product()
        );
    }

    /// Tester12 T16 and T11: a 200,000-character id gets no suggestion (no catalog id is
    /// within ten edits of it; the work is bounded, `benches/evaluate.rs`, `suggest/*`), and an
    /// id in another case gets the id it was meant to be.
    #[test]
    fn suggestions_are_bounded_and_case_blind() {
        let shipped = Catalog::shipped().unwrap();
        assert!(shipped.suggest(&"n".repeat(200_000)).is_empty());
        assert!(shipped.suggest(&"a100-".repeat(40_000)).iter().all(|id| id.contains("a100")));
        assert_eq!(shipped.suggest("NVIDIA-H20"), ["nvidia-h20"]);
        assert_eq!(shipped.suggest("nvidia-h2O"), ["nvidia-h20"]);
        assert!(shipped.get("NVIDIA-H20").is_none(), "ids are exact");
    }

    /// M1: an id that names a family (`nvidia-a100`) gets every catalog id of the family, not
    /// one or none: the A100's four sheets (PCIe and SXM4, 40 and 80 GB) first; at most five;
    /// ids sharing only a word many ids hold (`nvidia`, `80gb`) are not suggested.
    #[test]
    fn suggestions_are_the_family_best_first() {
        let shipped = Catalog::shipped().unwrap();
        let a100 = ["nvidia-a100-pcie-40gb", "nvidia-a100-pcie-80gb", "nvidia-a100-sxm4-40gb", "nvidia-a100-sxm4-80gb"];
        for id in a100.iter().chain(&["nvidia-dgx-a100"]) {
            assert!(shipped.get(id).is_some(), "{id} left the catalog: update this test");
        }
        let got = shipped.suggest("nvidia-a100");
        assert_eq!(got.get(..4), Some(&a100[..]), "{got:?}");
        // Then the nearest typo (one edit: the A10), before the DGX A100 that shares `a100`.
        assert_eq!(got.get(4), Some(&"nvidia-a10"), "{got:?}");
        let got = shipped.suggest("a100-sxm4");
        assert_eq!(got.get(..2), Some(&["nvidia-a100-sxm4-40gb", "nvidia-a100-sxm4-80gb"][..]), "{got:?}");
        assert_eq!(shipped.suggest("dgx-a100").first(), Some(&"nvidia-dgx-a100"));
        assert!(got.len() <= MAX_SUGGESTIONS);
        // A typo comes first; then the ids holding the words given.
        let got = shipped.suggest("nvidia-a100-sxm4-80g");
        assert_eq!(got.first(), Some(&"nvidia-a100-sxm4-80gb"), "{got:?}");
        let got = shipped.suggest("rtx-4090");
        assert_eq!(got.get(..2), Some(&["nvidia-rtx-4090", "desktop-nvidia-rtx-4090"][..]), "{got:?}");
        assert_eq!(got.len(), 2, "{got:?}");
        // Three edits from many ids: one guess, as before lists.
        assert!(shipped.suggest("nvidia-xyz").len() <= 1, "{:?}", shipped.suggest("nvidia-xyz"));
        assert!(shipped.suggest("nvidia-80gb-xyz").is_empty(), "{:?}", shipped.suggest("nvidia-80gb-xyz"));
        assert_eq!(did_you_mean_text(&[]), None);
        assert_eq!(did_you_mean_text(&["a"]).as_deref(), Some("did you mean `a`?"));
        assert_eq!(did_you_mean_text(&["a", "b", "c"]).as_deref(), Some("did you mean `a`, `b` or `c`?"));
    }

    /// The catalog of the day a record carries the sheets of: the corrected product's sheet put
    /// back in place of today's, every other product and sheet as they are; the sheets keep
    /// their text and hash as read (`sha256sum`'s value: FIPS 180-4, appendix B.1 for `abc`).
    #[test]
    fn sheets_are_kept_and_replaced() {
        assert_eq!(sheet_sha256("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        let shipped = Catalog::shipped().unwrap();
        let h100 = shipped_text("nvidia-h100-sxm5-80gb");
        assert_eq!(shipped.sheet("nvidia-h100-sxm5-80gb").unwrap().text(), h100);
        let cut = h100.lines().map(|l| if l.starts_with("fp8 = ") { "fp8 = 1000" } else { l }).collect::<Vec<_>>();
        let cut = cut.join("\n");
        let day = shipped
            .with_sheets_replaced(&[SourceFile::new("sheets/nvidia-h100-sxm5-80gb.toml", cut.as_str())])
            .unwrap();
        assert_eq!(day.len(), shipped.len());
        let sheet = day.sheet("nvidia-h100-sxm5-80gb").unwrap();
        assert_eq!((sheet.text(), sheet.sha256()), (cut.as_str(), sheet_sha256(&cut).as_str()));
        assert_ne!(sheet.sha256(), shipped.sheet("nvidia-h100-sxm5-80gb").unwrap().sha256());
        assert_ne!(
            day.get("nvidia-h100-sxm5-80gb").unwrap().product(),
            shipped.get("nvidia-h100-sxm5-80gb").unwrap().product()
        );
        assert_eq!(day.get("nvidia-h20").unwrap().product(), shipped.get("nvidia-h20").unwrap().product());
        assert_eq!(day.sheet("nvidia-h20").unwrap().sha256(), shipped.sheet("nvidia-h20").unwrap().sha256());
        // The products a system rests on: itself and its contents, at any depth.
        let dgx = shipped.get("nvidia-dgx-h100").unwrap().product();
        assert_eq!(shipped.ids_used(dgx), ["nvidia-dgx-h100", "nvidia-hgx-h100", "nvidia-h100-sxm5-80gb"]);
    }
}
