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

/// Words that name no part on their own, in the upper case of [`super::normalize_name`]: a
/// product name made only of these (with [`VENDOR_WORDS`], [`FILLER_WORDS`] and sizes such as
/// `80GB`) cannot be matched against the list of parts a letter names (helper input14, item 3).
/// Kept small; a name with one word outside it (`H20`, `A100 SXM4 80GB`, `Ascend 910B`,
/// `RTX 4090 D`) is read as written.
///
/// The rule for a word here: it names a family, an architecture, a brand, a codename or a die
/// that public sources use for more than one product, never one product alone, and it is not a
/// word a rule of the pack keys a part on (`name == "..."`: `A100`, `H100`, `H20`, `MI308`,
/// `MI308X`, `Ascend`) nor, with the other words of this list, the whole name of a product of the
/// catalog (both checked by tests/generic_names.rs). A generation number makes the name a part's
/// again (`Gaudi 3`, `Atlas 300I`).
///
/// - Placeholders: `TBD`, `TBA`, `TBC`, `N/A`, `Unknown`, `Generic`, `Test`, `Sample`.
/// - Kinds of part and form: `GPU`, `NPU`, `TPU`, `Accelerator`, `AI Accelerator`, `Chip`,
///   `Processor`, `Card`, `Board`, `Module`, `SXM`, `PCIe`, `OAM`, `HGX`, `DGX`, `Server`.
/// - Architecture and brand names, each shared by many parts: NVIDIA `Fermi`, `Volta`,
///   `Ampere`, `Hopper`, `Ada Lovelace`, `Blackwell`, `Rubin`, `Tesla`, `GeForce`, `Quadro`,
///   `RTX`; AMD `CDNA`, `Instinct`, `Radeon`, `EPYC`, `Alveo`, `Versal`; Intel `Gaudi` (Gaudi,
///   Gaudi 2, Gaudi 3 and their OAM and PCIe cards), `Ponte Vecchio` (the codename of the Data
///   Center GPU Max 1100 and 1550), `Xeon`, `Arc`; Huawei `Atlas` (Atlas 300I, 800, 900
///   products), `Da Vinci` (the architecture of its NPUs), `Kunpeng`; Cambricon `MLU`.
///   (`Ascend` is not here: the GP10 guidance names Huawei's Ascend ICs by that word, and the
///   pack's GP10 rule keys on it.)
/// - Descriptions of a kind of part: `Tensor Core GPU`, `AI accelerator`, `Data center GPU`,
///   `Neural processing unit`, `HPC`, `Superchip`, `Series`, `Family`, `Platform`.
/// - Die names, which name a die used by several products, not one of them: NVIDIA `GV100`,
///   `GA100` (A100, A800, A30), `GA102`, `GH100` (H100, H800, H20), `GB100`, `GB102`, `GB202`,
///   `AD102`, `AD103`, `AD104`. (`GH200` and `GB200` are products, not dies.)
const GENERIC_PART_WORDS: &[&str] = &[
    "TBD",
    "TBA",
    "TBC",
    "TBN",
    "NA",
    "NONE",
    "UNKNOWN",
    "UNNAMED",
    "GENERIC",
    "OTHER",
    "VARIOUS",
    "MISC",
    "TEST",
    "SAMPLE",
    "DUMMY",
    "PLACEHOLDER",
    "PRODUCT",
    "PRODUCTS",
    "PART",
    "PARTS",
    "ITEM",
    "ITEMS",
    "DEVICE",
    "DEVICES",
    "UNIT",
    "UNITS",
    "CHIP",
    "CHIPS",
    "IC",
    "ICS",
    "SOC",
    "DIE",
    "ASIC",
    "FPGA",
    "GPU",
    "GPUS",
    "GPGPU",
    "NPU",
    "TPU",
    "XPU",
    "IPU",
    "DPU",
    "APU",
    "CPU",
    "ACCELERATOR",
    "ACCELERATORS",
    "AI",
    "ML",
    "PROCESSOR",
    "PROCESSORS",
    "COPROCESSOR",
    "CARD",
    "CARDS",
    "BOARD",
    "BOARDS",
    "MODULE",
    "MODULES",
    "SERVER",
    "SYSTEM",
    "COMPUTE",
    "COMPUTING",
    "GRAPHICS",
    "DATACENTER",
    "DATA",
    "CENTER",
    "CENTRE",
    "INFERENCE",
    "TRAINING",
    "TENSOR",
    "CORE",
    "CORES",
    "NEURAL",
    "PROCESSING",
    "HPC",
    "SUPERCHIP",
    "SERIES",
    "FAMILY",
    "PLATFORM",
    "SXM",
    "PCIE",
    "OAM",
    "HGX",
    "DGX",
    "FERMI",
    "KEPLER",
    "MAXWELL",
    "PASCAL",
    "VOLTA",
    "TURING",
    "AMPERE",
    "HOPPER",
    "ADA",
    "LOVELACE",
    "BLACKWELL",
    "RUBIN",
    "TESLA",
    "GEFORCE",
    "QUADRO",
    "RTX",
    "CDNA",
    "CDNA2",
    "CDNA3",
    "CDNA4",
    "INSTINCT",
    "RADEON",
    "EPYC",
    "ALVEO",
    "VERSAL",
    "GAUDI",
    "PONTE",
    "VECCHIO",
    "PONTEVECCHIO",
    "XEON",
    "ARC",
    "ATLAS",
    "DAVINCI",
    "DA",
    "VINCI",
    "KUNPENG",
    "MLU",
    "GV100",
    "GA100",
    "GA102",
    "GH100",
    "GB100",
    "GB102",
    "GB202",
    "AD102",
    "AD103",
    "AD104",
];

/// Vendors' names, which say whose the part is, not which.
const VENDOR_WORDS: &[&str] = &["NVIDIA", "AMD", "INTEL", "HABANA", "HUAWEI", "HISILICON", "CAMBRICON"];

/// Words that join others (`GPU for data center`).
const FILLER_WORDS: &[&str] = &["THE", "FOR", "WITH", "AND", "OF"];

/// Whether a normalised word is a memory size (`80GB`, `96 GB` read as two words is `96` and
/// `GB`, `1TB`): digits then `GB`, `TB` or `G`, or `GB` or `TB` alone.
fn size_word(w: &str) -> bool {
    let unit = w.trim_start_matches(|c: char| c.is_ascii_digit());
    matches!(unit, "GB" | "TB" | "G") && unit.len() < w.len() || matches!(w, "GB" | "TB")
}

/// Whether a product's `name` cannot identify a part, so that a rule keyed by a part's name
/// (`name == "H20"`) can neither be met nor ruled out by it: a name with no letter or digit
/// (`""`, `"  "`, `"---"`; refused at load, E0524), or one made only of words of
/// [`GENERIC_PART_WORDS`], [`VENDOR_WORDS`], [`FILLER_WORDS`] and memory sizes (`TBD`, `GPU`,
/// `Accelerator`, `Hopper`, `GH100`, `NVIDIA Blackwell GPU 192GB`), compared in the upper case
/// of [`super::normalize_name`] word by word and with the spaces removed (`G H 100`, `Ada
/// Lovelace`). Such a name says nothing of which part it is: a renamed H20 or A100 must not
/// clear a letter that names the H20 or the A100 (the figures-keyed rules still apply as
/// written). Called once per prepared product.
pub fn names_no_part(name: &str) -> bool {
    let key = super::normalize_name(name);
    if !key.chars().any(char::is_alphanumeric) {
        return true;
    }
    let unspaced: String = key.chars().filter(|c| *c != ' ').collect();
    let known = |w: &str| {
        GENERIC_PART_WORDS.contains(&w) || VENDOR_WORDS.contains(&w) || FILLER_WORDS.contains(&w) || size_word(w)
    };
    known(&unspaced) || key.split(' ').filter(|w| !w.is_empty()).all(known)
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

    /// Item 3 (input14): generic words, architectures, brands and dies name no part; a name with a
    /// part's own word does.
    #[test]
    fn generic_names_name_no_part_and_part_names_do() {
        for name in [
            "",
            "---",
            "TBD",
            "gpu",
            "G P U",
            "Accelerator",
            "AI accelerator",
            "Hopper",
            "GH100",
            "gh-100",
            "GH 100",
            "Blackwell",
            "Ada Lovelace",
            "NVIDIA Blackwell GPU 192GB",
            "HGX accelerator 96GB",
            "Instinct",
            "Data center GPU",
            "N/A",
            "Gaudi",
            "Intel Habana Gaudi accelerator",
            "Ponte Vecchio",
            "PonteVecchio",
            "Intel Data Center GPU (Ponte Vecchio)",
            "NVIDIA Tensor Core GPU",
            "Tensor Core GPU",
            "Ampere",
            "Fermi",
            "Rubin",
            "CDNA 3",
            "AMD Instinct accelerator",
            "Huawei Atlas",
            "Da Vinci NPU",
            "Neural processing unit",
            "Cambricon MLU",
            "Blackwell Superchip",
            "Hopper series",
        ] {
            assert!(names_no_part(name), "{name:?}");
        }
        for name in [
            "H20",
            "A100 SXM4 80GB",
            "HGX H20 96GB (China)",
            "Instinct MI308X",
            "Ascend",
            "Ascend 910B",
            "GH200",
            "GB200 NVL72",
            "RTX 4090 D",
            "Hopper H800",
            "V100 module",
            "Gaudi 3",
            "Gaudi2",
            "Atlas 300I Duo",
            "MLU370-X8",
            "Data Center GPU Max 1550",
            "H100 Tensor Core GPU",
            "Ascend AI processor",
        ] {
            assert!(!names_no_part(name), "{name:?}");
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
