//! Part names and vendor names that may be the ones a rule names without being written so
//! (tester round 12, T6 and T15). The "is informed" letters name parts (the H20, the MI308, the
//! A100 and H100: NVIDIA Form 8-K of 2025-04-15, AMD Form 8-K of event 2025-04-15, NVIDIA Form
//! 10-Q for the quarter ended 2023-07-30; rules/us-ear/NOTES.md §11) and vendors; a rule reads
//! `name == "H20"` word by word and `vendor == "NVIDIA"` as the name or its company forms. A
//! name that holds the part only once its separators are removed (`H-20`, `H 20`), only through
//! look-alike characters (Cyrillic `Н20`, `H2O` with a letter O) or glued to a board or system
//! prefix (`HGXH20`), and a vendor one or two letters off the named one (`Nvida`), are not known
//! not to be it: the comparison is unknown, so the letter is neither met nor ruled out, and the
//! determination names the fact to confirm. A name that is clearly another (`H200`, `Huawei`)
//! stays another.

use unicode_normalization::char::is_combining_mark;

/// Prefixes NVIDIA writes before a part's name for the boards and systems built on it (`HGX
/// H20`, `DGX H100`, `DGX A100`: NVIDIA Form 8-K of 2022-08-31 names "the A100 and H100
/// integrated circuits ... and any system that includes those circuits", NVIDIA's DGX and HGX
/// systems among them). Written glued to the part (`HGXH20`), a name is not known not to name it.
pub const PART_PREFIXES: &[&str] = &["HGX", "DGX"];

/// Longest glued reading kept (in characters): longer than any prefix and part name together.
const MAX_GLUED: usize = 24;

/// Most words of a name read (a part's name is near its start; a longer name is not read
/// further, so that preparing a product stays linear).
const MAX_WORDS: usize = 64;

/// The look-alike key of a word: the UTS #39 skeleton of its upper case, marks removed, in
/// upper case (`Н20` with a Cyrillic `Н`, `H2O` and `H20` are all `H2O`; `I`, `l` and `1` are
/// all `L`).
fn key_chars(word: &str) -> impl Iterator<Item = char> + '_ {
    unicode_security::skeleton(word)
        .filter(|&c| !is_combining_mark(c))
        .flat_map(char::to_uppercase)
        .filter(|c| c.is_alphanumeric())
}

/// The glued readings of a product name, for [`holds_part_glued`]: the look-alike keys of
/// every run of consecutive words once the separators between them are removed (`H-20`,
/// `H 20` and `H_20` read `H2O`), and of each such run without a [`PART_PREFIXES`] prefix
/// (`HGXH20` reads `H2O`), up to [`MAX_GLUED`] characters each. Computed once per product.
pub fn glued_part_keys(name: &str) -> Vec<String> {
    let upper = super::normalize_name(name);
    let words: Vec<String> = upper.split(' ').take(MAX_WORDS).map(|w| key_chars(w).collect()).collect();
    let prefixes: Vec<String> = PART_PREFIXES.iter().map(|p| key_chars(p).collect()).collect();
    let mut keys: Vec<String> = Vec::new();
    let mut push = |k: &str| {
        if !k.is_empty() && !keys.iter().any(|x| x == k) {
            keys.push(k.to_string());
        }
    };
    for start in 0..words.len() {
        let mut run = String::new();
        for w in words.iter().skip(start) {
            run.push_str(w);
            if run.chars().count() > MAX_GLUED {
                break;
            }
            push(&run);
            for p in &prefixes {
                if let Some(rest) = run.strip_prefix(p.as_str()) {
                    push(rest);
                }
            }
        }
    }
    keys
}

/// Whether a name's glued readings `keys` (from [`glued_part_keys`]) hold the part `normalized`
/// (a name already normalised by [`super::normalize_name`], e.g. `H20`): one of them is the
/// part's look-alike key, alone or followed by letters (`A100X`, `A100SXM4`, `H100NVL`,
/// `H20E`: a variant of the part, NVIDIA's A100X among them, is not known not to be it;
/// tester13 F3). Allocates nothing (the fast path decides without allocating). A name that
/// holds the part as a word (`HGX H20 96GB`) is the part, and is tested first; `H200` does not
/// hold `H20` this way (a digit follows: `H2OO` is another number, not a variant).
pub fn holds_part_glued(keys: &[String], normalized: &str) -> bool {
    keys.iter().any(|k| {
        let mut key = k.chars();
        key_chars(normalized).all(|c| key.next() == Some(c)) && key.next().is_none_or(letter_not_digit)
    })
}

/// Whether a look-alike key's character is a letter that no digit reads as (`0` reads `O` and
/// `1` reads `L` in [`key_chars`]): after a part's name it begins a variant's suffix (`X`,
/// `NVL`, `SXM4`), where a digit would make another number (`H200` is not an `H20`).
fn letter_not_digit(c: char) -> bool {
    c.is_alphabetic()
        && !('0'..='9').any(|d| {
            let mut buf = [0u8; 4];
            key_chars(d.encode_utf8(&mut buf)).eq(std::iter::once(c))
        })
}

/// Whether a product's `name` cannot identify a part, so that a rule keyed by a part's name
/// (`name == "H20"`) can neither be met nor ruled out by it: a name with no letter or digit
/// (`""`, `"  "`, `"---"`; refused at load, E0524). Allocates only the normalised name; called
/// once per prepared product.
pub fn names_no_part(name: &str) -> bool {
    let key = super::normalize_name(name);
    !key.chars().any(char::is_alphanumeric)
}

/// The edits ([`super::edit_distance`]) a vendor name of `n` characters may be off the one a
/// rule names and still be not known not to be it: none up to 3 characters (`ARM`, `AMS` and
/// `AMI` are other companies one letter from `AMD`; a look-alike `AMD` is caught by its
/// skeleton), one up to 5 (`INTL`, `Itnel` for `Intel`), two from 6 (`Nvida`, `NVDA`,
/// `Nvidai` for `NVIDIA`; `Advanced Micro Device` for `Advanced Micro Devices`).
pub fn vendor_edits_allowed(n: usize) -> usize {
    match n {
        0..=3 => 0,
        4 | 5 => 1,
        _ => 2,
    }
}

/// Whether a vendor name `form` (a normalised form of the product's vendor) begins with words
/// within [`vendor_edits_allowed`] edits of `normalized` (the vendor a rule names, normalised),
/// without being it: `NVIDA`, `NVIDA CORPORATION` and `NVDA` for `NVIDIA`; `INTL CORP` for
/// `INTEL`. Such a vendor may be the one the rule names, misspelt: the comparison is unknown.
/// Allocates nothing (the fast path decides without allocating).
pub fn near_vendor(form: &str, normalized: &str) -> bool {
    let most = vendor_edits_allowed(normalized.chars().count());
    if most == 0 {
        return false;
    }
    let ends = form.match_indices(' ').map(|(i, _)| i).chain(std::iter::once(form.len()));
    ends.filter_map(|e| form.get(..e))
        .any(|head| head != normalized && super::edit_distance(head, normalized, most).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glued(name: &str, part: &str) -> bool {
        holds_part_glued(&glued_part_keys(name), part)
    }

    #[test]
    fn a_part_spaced_hyphenated_look_alike_or_glued_to_a_prefix_is_held() {
        for name in ["H-20", "H 20", "H_20", "Н20", "HGXH20", "hgx-h-20 96GB", "DGXH20", "H2O"] {
            assert!(glued(name, "H20"), "{name}");
        }
        for name in ["MI-308", "Instinct MI 308"] {
            assert!(glued(name, "MI308"), "{name}");
        }
        assert!(glued("MI 308X", "MI308X"));
        // A letter after the part's name is a variant of it, not known not to be it (F3).
        for name in ["A100X", "A100SXM4", "A100-SXM4-80GB", "DGXA100X"] {
            assert!(glued(name, "A100"), "{name}");
        }
        for name in ["H100NVL", "H100PCIe", "H20E"] {
            assert!(glued(name, "H100") || glued(name, "H20"), "{name}");
        }
        assert!(glued("MI 308X", "MI308"), "MI308X is a variant of the MI308, as the letter's rules read both");
        assert!(glued("DGXA100", "A100"));
        assert!(glued("A-100 80GB", "A100"));
        assert!(glued("H 100 NVL", "H100"));
    }

    #[test]
    fn another_part_is_not_held() {
        for name in ["H200", "HGX H200 141GB", "H 200", "L20", "H800", "RTX A1000", "MI300X", "GH200", "A1000", "H2000"]
        {
            assert!(!glued(name, "H20"), "{name}");
            assert!(!glued(name, "A100"), "{name}");
            assert!(!glued(name, "MI308"), "{name}");
        }
    }

    #[test]
    fn a_vendor_a_few_letters_off_is_near_and_another_company_is_not() {
        for (v, named) in [
            ("NVIDA", "NVIDIA"),
            ("NVDA", "NVIDIA"),
            ("NVIDAI CORPORATION", "NVIDIA"),
            ("INTL", "INTEL"),
            ("ITNEL CORP", "INTEL"),
            ("ADVANCED MICRO DEVICE", "ADVANCED MICRO DEVICES"),
        ] {
            assert!(near_vendor(v, named), "{v} for {named}");
        }
        for (v, named) in [
            ("NVIDIA", "NVIDIA"),
            ("HUAWEI", "NVIDIA"),
            ("CAMBRICON", "NVIDIA"),
            ("ARM", "AMD"),
            ("AMS", "AMD"),
            ("MICRON", "NVIDIA"),
            ("HYGON", "INTEL"),
        ] {
            assert!(!near_vendor(v, named), "{v} for {named}");
        }
    }
}
