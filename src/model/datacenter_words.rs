//! The words by which a product sheet's own text (`name`, `package`) markets a part for
//! datacenters, read against `designed_or_marketed_for_datacenter = false`.
//!
//! Note 2 to 3A090.a and 3A090.b (15 CFR 774 Supp. No. 1, ECCN 3A090; 88 FR 73458) takes an IC
//! with a TPP below 4,800 out of 3A090.a and .b only when it is not "designed or marketed for
//! use in datacenters". The EAR gives the phrase no formula; BIS and practitioners read it from
//! datacenter-specific design features and from the public marketing, the datasheet above all
//! (CSET explainer, 2023-12-04; the NAC notification asks for the datasheet that shows it,
//! 15 CFR 740.8; rules/us-ear/NOTES.md §3). A sheet whose name or package calls the part a
//! datacenter or server part ("X accelerator for data center servers") is that marketing, and
//! contradicts its own `false` (tester round 12, T7).
//!
//! The flag is then read as unknown wherever it decides, not refused: the evaluation is
//! `indeterminate`, naming `designed_or_marketed_for_datacenter` and the words, so no clearance
//! rests on it, while a sheet whose other figures decide (TPP 4,800 or more, a destination no
//! rule reaches) still gets its answer. A refusal would also turn away sheets that use the words
//! only to deny them (`Example IC: not designed or marketed for datacenters`), which are read as
//! denials when a negation stands right before the words ([`NEGATIONS`]); any other mention
//! counts, so a denial elsewhere in the text (`not for gaming, for data centers`) never hides
//! one. The words only raise a doubt; they never set the flag to true.

use super::product::Product;

/// Word starts that name a datacenter or a server, read in the upper case of
/// [`normalize_name`](crate::names::normalize_name): `DATACENTER`, `DATACENTRE` (and plurals),
/// `SERVER` (`for servers`). `data center` and `data-centre`, two words there, are joined first.
const DATACENTER_WORDS: &[&str] = &["DATACENTER", "DATACENTRE", "SERVER"];

/// The words that, right before a datacenter word, deny it: `non-datacenter`, `not for data
/// centers`, `not designed or marketed for datacenters` (Note 2's own words), `no server`.
const NEGATIONS: &[&[&str]] = &[
    &["NON"],
    &["NOT"],
    &["NO"],
    &["NOT", "FOR"],
    &["NOT", "MARKETED", "FOR"],
    &["NOT", "DESIGNED", "FOR"],
    &["NOT", "DESIGNED", "OR", "MARKETED", "FOR"],
];

/// Why `designed_or_marketed_for_datacenter = false` is contradicted by the sheet's own text, if
/// it is: the `name` or the `package` names a datacenter or a server ([`DATACENTER_WORDS`]) other
/// than to deny it ([`NEGATIONS`]). `None` when the flag is not stated `false`, or no text says so.
pub(crate) fn datacenter_marketing(product: &Product) -> Option<String> {
    if product.designed_or_marketed_for_datacenter != Some(false) {
        return None;
    }
    let texts = [("name", Some(product.name.as_str())), ("package", product.package.as_deref())];
    texts.into_iter().find_map(|(field, text)| {
        let text = text?;
        let word = marketing_word(text)?;
        Some(format!("marketing in the {field}, `{}`, which says `{word}`", text.trim()))
    })
}

/// The first datacenter word of `text` not denied by the words before it, as read (`DATA CENTER`).
fn marketing_word(text: &str) -> Option<String> {
    let key = crate::names::normalize_name(text);
    let words: Vec<&str> = key.split(' ').filter(|w| !w.is_empty()).collect();
    let mut i = 0;
    while let Some(w) = words.get(i) {
        let next = words.get(i + 1).copied().unwrap_or_default();
        // `DATA CENTER`, `DATA-CENTRE`: two words read as one.
        let joined =
            (*w == "DATA" && ["CENTER", "CENTRE"].iter().any(|c| next.starts_with(c))).then(|| format!("{w}{next}"));
        let word = joined.clone().unwrap_or_else(|| (*w).to_string());
        let denied = NEGATIONS.iter().any(|n| words.get(..i).is_some_and(|before| before.ends_with(n)));
        if DATACENTER_WORDS.iter().any(|d| word.starts_with(d)) && !denied {
            return Some(match joined {
                Some(_) => format!("{w} {next}"),
                None => (*w).to_string(),
            });
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datacenter_and_server_words_are_read_in_any_spelling() {
        for (text, word) in [
            ("X accelerator for data center servers", "DATA CENTER"),
            ("X Datacenter GPU", "DATACENTER"),
            ("X data-centre card", "DATA CENTRE"),
            ("X inference card for servers", "SERVERS"),
            ("ＸＡ DATA CENTERS edition", "DATA CENTERS"),
            ("X: not for gaming, for data centers", "DATA CENTERS"),
        ] {
            assert_eq!(marketing_word(text).as_deref(), Some(word), "{text}");
        }
    }

    #[test]
    fn denials_and_other_words_are_not_marketing() {
        for text in [
            "Example boundary IC: not designed or marketed for datacenters",
            "H100 SXM5 80GB, marked not datacenter (illustrative)",
            "X non-datacenter card",
            "GeForce RTX 4090",
            "X data processing unit",
            "X central data engine",
        ] {
            assert_eq!(marketing_word(text), None, "{text}");
        }
    }
}
