//! A user's sheet against the catalog product of the same vendor and name (tester round 9,
//! U8). A sheet that takes a catalog part's name and vendor states facts about that part; where
//! one of its figures or flags differs from the catalog's sourced one (the A100's interconnect
//! written one way, 332 GB/s, for the 600 GB/s NVLink of the NVIDIA A100 data sheet), which one
//! holds is a fact the determination lacks. The figure is read as either value: a number as the
//! range between the two, a flag as unknown. A comparison the difference can change is then
//! unknown, and the determination `indeterminate` naming the figure and the catalog's value;
//! one it cannot change stands (the interconnect is read by no paragraph after 2023-11-17).
//!
//! A different variant (the A800, the H800, a cut-down PCIe card) is a different model, and
//! its sheet names it so (`A800 SXM4 80GB`): a sheet whose name or vendor differs from every
//! catalog product's is not compared.

use std::cmp::Ordering;

use super::PreparedProduct;
use crate::model::ProductKind;
use crate::number::Ratio;
use crate::ruleset::condition::Scaled;
use crate::ruleset::normalize_name;
use crate::ruleset::vocabulary::{Attr, Value};

/// The lowest and highest value of a number (`None` for no upper bound).
fn bounds(v: Value) -> Option<(Ratio, Option<Ratio>)> {
    match v {
        Value::Num(r) => Some((r, Some(r))),
        Value::Range { lo, hi } => Some((lo, hi)),
        Value::Bool(_) | Value::Kind(_) => None,
    }
}

/// Either value: the range from the lower to the higher of two numbers; unknown (`None`) for
/// two flags that differ, or numbers that cannot be compared exactly.
fn either(a: Value, b: Value) -> Option<Value> {
    let ((alo, ahi), (blo, bhi)) = (bounds(a)?, bounds(b)?);
    let lo = match alo.exact_cmp(&blo)? {
        Ordering::Greater => blo,
        _ => alo,
    };
    let hi = match (ahi, bhi) {
        (Some(x), Some(y)) => Some(match x.exact_cmp(&y)? {
            Ordering::Less => y,
            _ => x,
        }),
        _ => None,
    };
    Some(Value::Range { lo, hi })
}

/// Whether two values are the same (exactly: `3/1` is `6/2`).
fn same(a: Value, b: Value) -> bool {
    match (bounds(a), bounds(b)) {
        (Some((alo, ahi)), Some((blo, bhi))) => {
            let eq = |x: Ratio, y: Ratio| x.exact_cmp(&y) == Some(Ordering::Equal);
            eq(alo, blo)
                && match (ahi, bhi) {
                    (Some(x), Some(y)) => eq(x, y),
                    (None, None) => true,
                    _ => false,
                }
        }
        _ => a == b,
    }
}

impl PreparedProduct {
    /// Whether this product and `other` are the same part by name: the same name as rules read
    /// names ([`normalize_name`]: case, accents, spacing and punctuation aside), a vendor that
    /// the rules would not tell from `other`'s ([`PreparedProduct::text_matches`], as
    /// `vendor == "NVIDIA"` reads it: `NVIDIA Corporation`, `NVIDIA Corp.` are NVIDIA; a vendor
    /// the rules cannot read is compared too, tester round 13, F1), and both computers or
    /// neither (a computer named as a catalog computer is compared by its contents and figures,
    /// tester round 11; an IC sheet is not compared with a system).
    pub(crate) fn same_part_as(&self, other: &PreparedProduct) -> bool {
        let (a, b) = (&self.product, &other.product);
        let theirs = normalize_name(&b.vendor);
        (a.kind == ProductKind::Computer) == (b.kind == ProductKind::Computer)
            && self.name_match(other).is_some()
            && !theirs.is_empty()
            && self.text_matches(Attr::Vendor, &theirs) != Some(false)
    }

    /// How this product's name names `other`'s, folded ([`name_tokens`]: case, spacing,
    /// separators, `80 GB` as `80GB`, a leading vendor name and word order aside; tester round
    /// 13, F2): `Some(0)` the same words; `Some(1)` all the words of `other`'s name before any
    /// parenthesis, and maybe more (`H100 SXM5 80GB (refurbished)`; the distinguishing words,
    /// [`distinguishing_tokens`]); `Some(2)` some of the words of `other`'s name, one with a
    /// digit among them (`H100 SXM5`); `None` otherwise. A comparison can only make an answer
    /// stricter or indeterminate, so a name in doubt is compared.
    pub(crate) fn name_match(&self, other: &PreparedProduct) -> Option<u8> {
        if self.name_words == other.name_words {
            return Some(0);
        }
        let vendors = [normalize_name(&self.product.vendor), normalize_name(&other.product.vendor)];
        let mine = name_tokens(&self.product.name, &vendors);
        let theirs = name_tokens(&other.product.name, &vendors);
        if mine.is_empty() || theirs.is_empty() {
            return None;
        }
        if mine == theirs {
            return Some(0);
        }
        let key = distinguishing_tokens(&other.product.name, &vendors);
        if !key.is_empty() && key.iter().all(|t| mine.contains(t)) {
            return Some(1);
        }
        let has_digit = |t: &String| t.chars().any(|c| c.is_ascii_digit());
        (mine.iter().all(|t| theirs.contains(t)) && mine.iter().any(has_digit)).then_some(2)
    }

    /// The words of this product's name before any parenthesis, folded ([`name_tokens`]).
    pub(crate) fn distinguishing(&self, other: &PreparedProduct) -> Vec<String> {
        let vendors = [normalize_name(&self.product.vendor), normalize_name(&other.product.vendor)];
        distinguishing_tokens(&self.product.name, &vendors)
    }

    /// Reads each inline sheet this computer holds (its contents, one by one, and their
    /// aggregate) against the catalog product of the same part, as [`Self::against_catalog`]
    /// reads a sheet given alone (tester round 13, F6: eight inline H100 sheets with the
    /// non-tensor rates cleared a server to China). `catalog` gives, for a contained product,
    /// the catalog products it is to be read against (none for a catalog product itself);
    /// `with_catalog_parts` is this computer with each such contained sheet replaced by the
    /// catalog's product, prepared, whose aggregate this one's is read against.
    pub(crate) fn contents_against<'c>(
        mut self,
        catalog: impl Fn(&PreparedProduct) -> Vec<&'c PreparedProduct>,
        with_catalog_parts: Option<&PreparedProduct>,
    ) -> Self {
        if !self.is_valid() {
            return self;
        }
        let mut differ = Vec::new();
        for unit in self.parts.iter_mut().filter(|u| !u.placeholder) {
            for c in catalog(&unit.product) {
                let label = format!("the catalog's {} `{}`", c.product.name, c.product.id);
                for d in unit.product.read_against(c, &label) {
                    differ.push(format!("{}: {d}", unit.product.product.id));
                }
            }
        }
        if let (Some(mine), Some(theirs)) =
            (self.aggregate.first_mut(), with_catalog_parts.and_then(|r| r.aggregate.first()))
        {
            let label = "the same system with the catalog's sheets of its contents".to_string();
            for d in mine.product.read_against(&theirs.product, &label) {
                differ.push(format!("the aggregate {d}"));
            }
        }
        if !differ.is_empty() {
            self.warnings.push(format!(
                "Contained sheets take the name and vendor of catalog products but state other figures: {}. Each is read as either value, and a determination they can change is indeterminate. Correct the sheets from the catalog's sources, or, for another variant of a part, give it its own name.",
                differ.join(", ")
            ));
        }
        self
    }

    /// This product read against `reference`, the catalog's product of the same vendor and
    /// name ([`PreparedProduct::same_part_as`]): each figure or flag the sheet decides
    /// ([`Attr::decided_by_the_sheet`]) that both
    /// state and that differs is read as either value, named in `missing` with the catalog's
    /// value, and a warning lists them. For a computer, its contents as one aggregate are so
    /// read too, and contents that differ from the catalog's (other products or counts) are
    /// not known: a placeholder unit stands for them, every rule that tests the contents one
    /// by one left open, naming both lists. An invalid product (read as unknown throughout) is
    /// returned as it is.
    pub(crate) fn against_catalog(mut self, reference: &PreparedProduct) -> Self {
        if !self.is_valid() {
            return self;
        }
        let catalog = format!("the catalog's {} `{}`", reference.product.name, reference.product.id);
        let mut differ = self.read_against(reference, &catalog);
        if let (Some(mine), Some(theirs)) = (self.aggregate.first_mut(), reference.aggregate.first()) {
            mine.product.read_against(&theirs.product, &catalog);
        }
        let (mine, theirs) = (contents_text(&self), contents_text(reference));
        if mine != theirs {
            let missing = format!(
                "contains (the sheet gives {mine}, {catalog} gives {theirs}: which holds is not known; correct the sheet, or give another system its own name)"
            );
            let id = self.product.id.clone();
            let blank =
                crate::model::Product::blank(id.as_str(), self.product.name.as_str(), ProductKind::IntegratedCircuit);
            self.parts.push(super::Unit {
                product: PreparedProduct::prepare(blank, 1, false),
                count: 1,
                prefix: Some(id),
                unknown_contents: Some(missing),
                placeholder: true,
                datacenter_of: None,
            });
            differ.push(format!("contains {mine} (the catalog's {theirs})"));
        }
        if !differ.is_empty() {
            self.warnings.push(format!(
                "The sheet takes the name and vendor of {catalog} but states other figures: {}. Each is read as either value, and a determination they can change is indeterminate. Correct the sheet from the catalog's sources, or, for another variant of the part, give it its own name.",
                differ.join(", ")
            ));
        }
        self
    }

    /// Reads each figure or flag of [`COMPARED`] that this product and `reference` both state
    /// and that differs as either value, naming it in `missing` (`catalog` names the catalog's
    /// product); returns each so read, with both values, for the warning.
    fn read_against(&mut self, reference: &PreparedProduct, catalog: &str) -> Vec<String> {
        let mut differ = Vec::new();
        for a in Attr::ALL.into_iter().filter(|a| a.decided_by_the_sheet()) {
            let (Some(mine), Some(theirs)) = (self.value(a), reference.value(a)) else { continue };
            if same(mine, theirs) {
                continue;
            }
            let read = either(mine, theirs);
            if read.is_some_and(|r| same(r, mine)) {
                // The sheet's own range holds the catalog's value already.
                continue;
            }
            let (shown, theirs_shown) = (self.shown(a), reference.shown(a));
            let i = a.index();
            if let Some(v) = self.values.get_mut(i) {
                *v = read;
            }
            if let Some(s) = self.scaled.get_mut(i) {
                *s = read.as_ref().and_then(Scaled::of);
            }
            if let Some(s) = self.shown.get_mut(i) {
                *s = read.map(|v| v.to_string());
            }
            let text = format!(
                "{} (the sheet gives {shown}, {catalog} gives {theirs_shown}: which holds is not known; correct the sheet, or give another variant its own name)",
                a.name()
            );
            if let Some(m) = self.missing.get_mut(i) {
                m.push(text);
            }
            differ.push(format!("{} {shown} (the catalog's {theirs_shown})", a.name()));
        }
        differ
    }
}

/// Units written after a number (`80 GB` is `80GB`), in the upper case of [`normalize_name`].
const UNITS: &[&str] = &["GB", "TB", "MB", "GIB", "TIB", "W", "NM", "GBPS", "TBPS"];

/// A name's words as the cross-check compares them: normalised ([`normalize_name`]), a unit
/// joined to the number before it, a leading vendor name (one of `vendors`, normalised) left
/// out, sorted and each once (word order aside).
fn name_tokens(name: &str, vendors: &[String]) -> Vec<String> {
    let normalized = normalize_name(name);
    let mut words: Vec<String> = Vec::new();
    for w in normalized.split(' ').filter(|w| !w.is_empty()) {
        let joins = UNITS.contains(&w) && words.last().is_some_and(|l| l.chars().all(|c| c.is_ascii_digit()));
        match words.last_mut() {
            Some(last) if joins => last.push_str(w),
            _ => words.push(w.to_string()),
        }
    }
    let mut start = 0;
    for v in vendors.iter().filter(|v| !v.is_empty()) {
        let vw: Vec<&str> = v.split(' ').collect();
        if words.len() > vw.len() && words.iter().zip(&vw).all(|(a, b)| a == b) {
            start = vw.len();
            break;
        }
    }
    let mut out: Vec<String> = words.split_off(start);
    out.sort();
    out.dedup();
    out
}

/// The words of a name before any parenthesis ([`name_tokens`]): `GeForce RTX 4090 D (China)`
/// is told by `GEFORCE RTX 4090 D`.
fn distinguishing_tokens(name: &str, vendors: &[String]) -> Vec<String> {
    name_tokens(name.split('(').next().unwrap_or(name), vendors)
}

/// A computer's contents as the rules test them one by one: `8 x nvidia-h200-sxm-141gb`, the
/// leaf products by id with their counts, sorted (unknown contents by what they miss); empty
/// for another product.
fn contents_text(p: &PreparedProduct) -> String {
    let mut leaves: Vec<String> = p
        .parts
        .iter()
        .map(|u| match (&u.unknown_contents, u.placeholder) {
            (Some(m), true) => format!("unknown contents ({m})"),
            _ => format!("{} x {}", u.count, u.product.product.id),
        })
        .collect();
    leaves.sort();
    if leaves.is_empty() { "no contents".into() } else { leaves.join(" + ") }
}
