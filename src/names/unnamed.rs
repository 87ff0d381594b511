//! Names that stand for several unnamed parties or point elsewhere for the name (tester round 12,
//! T10): `Multiple end users`, `Same as consignee`, `See attached list`, `Retail customers`,
//! `Cloud customers (various)`, `Forwarder to be nominated`, `Any forwarder`, `Various
//! distributors`. Each names no party that could be screened: 15 CFR 744.11 and Supp. No. 4 to
//! part 744 reach a party by its name, 15 CFR 748.5(d)-(e) define the intermediate consignee
//! and the end user as persons, and 15 CFR 758.1 and 762.2 require the records to name them.
//!
//! Decided: a real company name that only contains such a word keeps working. `Various
//! Technologies Sdn. Bhd.` (no role word), `Customers Bancorp` (the role word does not end the
//! name) and `Pacific Distributors Sdn. Bhd.` (a trade, not a class of buyers) are names.

/// Phrases that refer to a name given elsewhere or not yet chosen, in the upper case of
/// [`super::normalize_name`], matched as whole words anywhere in a name: `Same as consignee`,
/// `See attached list`, `As per invoice`, `Forwarder to be nominated`, `Agent TBN`.
const REFERRING_PHRASES: &[&str] = &[
    "SAME AS",
    "SEE ATTACHED",
    "SEE LIST",
    "SEE ANNEX",
    "SEE APPENDIX",
    "SEE SCHEDULE",
    "SEE BELOW",
    "SEE ABOVE",
    "AS ATTACHED",
    "AS PER",
    "PER ATTACHED",
    "ATTACHED LIST",
    "TO BE NOMINATED",
    "TO BE ADVISED",
    "TO BE CONFIRMED",
    "TO BE DETERMINED",
    "TO BE NAMED",
    "TO BE APPOINTED",
    "TO BE SELECTED",
    "TO BE DECIDED",
    "TBD",
    "TBA",
    "TBC",
    "TBN",
];

/// Words that say "some, unnamed": beside a word of [`ROLE_WORDS`] anywhere in a name they make
/// it a class of parties (`Multiple end users`, `Any forwarder`, `Various distributors`).
const QUANTIFIERS: &[&str] =
    &["VARIOUS", "MULTIPLE", "SEVERAL", "MANY", "ANY", "NUMEROUS", "ASSORTED", "DIVERSE", "UNNAMED", "NOMINATED"];

/// The roles of parties to an export (15 CFR 748.5, 772.1), singular and plural, and trades
/// that hold the items on the way (distributors, resellers, forwarders, agents).
const ROLE_WORDS: &[&str] = &[
    "CUSTOMER",
    "CUSTOMERS",
    "CLIENT",
    "CLIENTS",
    "USER",
    "USERS",
    "ENDUSER",
    "ENDUSERS",
    "BUYER",
    "BUYERS",
    "PURCHASER",
    "PURCHASERS",
    "CONSUMER",
    "CONSUMERS",
    "CONSIGNEE",
    "CONSIGNEES",
    "RECIPIENT",
    "RECIPIENTS",
    "PARTY",
    "PARTIES",
    "ENTITY",
    "ENTITIES",
    "DISTRIBUTOR",
    "DISTRIBUTORS",
    "RESELLER",
    "RESELLERS",
    "DEALER",
    "DEALERS",
    "FORWARDER",
    "FORWARDERS",
    "AGENT",
    "AGENTS",
    "COMPANIES",
];

/// Plural roles of buyers that, ending a name (company forms aside), name a class of buyers
/// (`Retail customers`, `Cloud customers`, `Enterprise end users`), not a company: trades such
/// as `Distributors` are left out, since real companies are so named.
const CLASS_ENDINGS: &[&str] =
    &["CUSTOMERS", "CLIENTS", "USERS", "ENDUSERS", "BUYERS", "PURCHASERS", "CONSUMERS", "CONSIGNEES", "RECIPIENTS"];

/// Whether `key` (from [`super::normalize_name`]) stands for several unnamed parties or points
/// elsewhere for the name: a phrase of [`REFERRING_PHRASES`] anywhere, a word of [`QUANTIFIERS`]
/// beside a word of [`ROLE_WORDS`], or a word of [`CLASS_ENDINGS`] as its last word before any
/// company forms (`company_forms`, upper case).
pub(super) fn names_unnamed_parties(key: &str, company_forms: &[&str]) -> bool {
    let words: Vec<&str> = key.split(' ').filter(|w| !w.is_empty()).collect();
    let padded = format!(" {} ", words.join(" "));
    if REFERRING_PHRASES.iter().any(|p| padded.contains(&format!(" {p} "))) {
        return true;
    }
    let has = |set: &[&str]| words.iter().any(|w| set.contains(w));
    if has(QUANTIFIERS) && has(ROLE_WORDS) {
        return true;
    }
    let last = words.iter().rev().find(|w| !company_forms.contains(w));
    last.is_some_and(|w| CLASS_ENDINGS.contains(w))
}

/// Generic nouns written in place of a party's name (tester round 13, F4): `Customer 1`,
/// `Client 2`, `Company X`, `ABC Company`, `Individual`, `Person`.
const GENERIC_NOUNS: &[&str] = &[
    "CUSTOMER",
    "CLIENT",
    "BUYER",
    "PURCHASER",
    "CONSIGNEE",
    "RECIPIENT",
    "USER",
    "ENDUSER",
    "END",
    "PARTY",
    "ENTITY",
    "COMPANY",
    "FIRM",
    "BUSINESS",
    "ORGANISATION",
    "ORGANIZATION",
    "INDIVIDUAL",
    "PERSON",
    "SUPPLIER",
    "VENDOR",
    "DISTRIBUTOR",
    "RESELLER",
    "AGENT",
];

/// Words that mark a name as made up for a test or a form (`Test`, `Test Customer`, `Dummy`,
/// `Placeholder`, `Sample client`).
/// `Demo` and the `Lorem ipsum` of templates too (`Demo Ltd`, `Lorem Ipsum Ltd`; tester round
/// 16, O1). Not `Example`: the project's own inputs name parties `Example Co` and `Example
/// Sdn Bhd` as stand-ins for real companies, and `Example AS` is a name (tester round 13, F4).
const FILLER_WORDS: &[&str] =
    &["TEST", "TESTING", "DUMMY", "SAMPLE", "PLACEHOLDER", "FAKE", "MOCK", "NA", "DEMO", "LOREM", "IPSUM"];

/// Codes that stand for a name in a template: `ABC`, `XYZ`, `XXX`, `AAA`, `NO` (`Customer No.
/// 1`); besides these, a single letter or a number.
const CODE_WORDS: &[&str] = &["ABC", "XYZ", "XXX", "XX", "AAA", "NO"];

/// Whether `key` (from [`super::normalize_name`]) is a generic noun or a filler word with at most
/// a code (tester round 13, F4: `Customer 1`, `Client 2`, `Company X`, `ABC Company`, `Test`,
/// `Test Customer`, `Dummy`, `Placeholder`, `Individual`, `Person`): every word a generic noun
/// ([`GENERIC_NOUNS`]), a filler word ([`FILLER_WORDS`]), a company form (`company_forms`) or
/// a code (a single letter, a number, [`CODE_WORDS`]), one generic noun or filler word at least
/// and at most two codes (`Customer No. 1`). A real name has a word of its own: `Person
/// Industries GmbH`, `X Corp.` (no generic noun), `Sample Technologies Ltd.` are names.
pub(super) fn names_a_generic_party(key: &str, company_forms: &[&str]) -> bool {
    let words: Vec<&str> = key.split(' ').filter(|w| !w.is_empty()).collect();
    let is_code = |w: &&str| CODE_WORDS.contains(w) || w.chars().count() == 1 || w.chars().all(|c| c.is_ascii_digit());
    let generic = |w: &&str| GENERIC_NOUNS.contains(w) || FILLER_WORDS.contains(w);
    words.iter().any(generic)
        && words.iter().filter(|w| is_code(w) && !generic(w)).count() <= 2
        && words.iter().all(|w| generic(w) || is_code(w) || company_forms.contains(w))
}

/// Codes a template writes for a company's whole name (`XYZ Ltd`, `ABC Corp.`): letters that
/// spell nothing. A single letter is not one of them: `X Corp.` is a company's name.
const TEMPLATE_CODES: &[&str] = &["ABC", "XYZ", "XXX", "XX", "AAA"];

/// Whether `key` (from [`super::normalize_name`]) is a template's name with a company form
/// (tester round 16, O1): its words other than company forms (`company_forms`) are all codes
/// of [`TEMPLATE_CODES`] (`XYZ Ltd`, `ABC Co., Ltd.`, `XYZ Corp`), or, written together, a
/// placeholder of `placeholder_names` of two letters or more (`N/A Inc`, whose words are `N A
/// INC`; `T.B.D. Ltd`, `TODO GmbH`). A company form names no company: `XYZ Ltd` is `XYZ`.
pub(super) fn names_a_template(key: &str, company_forms: &[&str], placeholder_names: &[&str]) -> bool {
    let words: Vec<&str> = key.split(' ').filter(|w| !w.is_empty() && !company_forms.contains(w)).collect();
    if words.is_empty() {
        return false;
    }
    let together: String = words.concat();
    words.iter().all(|w| TEMPLATE_CODES.contains(w))
        || (together.chars().count() >= 2 && placeholder_names.contains(&together.as_str()))
}

#[cfg(test)]
mod tests {
    use crate::names::{is_placeholder_name, normalize_name};

    /// Tester round 12, T10: each names no party (15 CFR 744.11, 748.5(d)-(e)).
    #[test]
    fn classes_and_references_name_nobody() {
        for n in [
            "Multiple end users",
            "Same as consignee",
            "See attached list",
            "Retail customers",
            "Cloud customers (various)",
            "Forwarder to be nominated",
            "Any forwarder",
            "Buyer's nominated agent",
            "Various distributors",
            "Several customers",
            "As per invoice",
            "Agent TBN",
            "Enterprise End-Users Ltd.",
            "TBD",
            "N/A",
            "Various",
        ] {
            assert!(is_placeholder_name(&normalize_name(n)), "{n} names no party");
        }
    }

    /// Tester round 13, F4 (the tester's names are in tests/placeholder_parties13.rs): more
    /// generic nouns with codes, company forms and test words name nobody either.
    #[test]
    fn generic_nouns_and_fillers_name_nobody() {
        for n in ["XYZ Company Ltd.", "Customer No. 1", "End user B", "Sample client", "Party 7", "Firm Z"] {
            assert!(is_placeholder_name(&normalize_name(n)), "{n} names no party");
        }
    }

    /// Decided (F4): a name with a word of its own is a name, even beside a generic noun.
    #[test]
    fn names_with_a_word_of_their_own_are_names() {
        for n in [
            "Sample Technologies Ltd.",
            "Individual Computers GmbH",
            "ABB Ltd.",
            "3M Company",
            "Customer Service Solutions Sdn. Bhd.",
        ] {
            assert!(!is_placeholder_name(&normalize_name(n)), "{n} is a name");
        }
    }

    /// Decided: a real company's name that only contains such a word is a name.
    #[test]
    fn company_names_with_such_words_are_names() {
        for n in [
            "Various Technologies Sdn. Bhd.",
            "Customers Bancorp, Inc.",
            "Pacific Distributors Sdn. Bhd.",
            "Multiple Systems Pte. Ltd.",
            "Same Day Logistics Ltd.",
            "Huawei Technologies Co., Ltd.",
            "Cloud Computing Malaysia Sdn. Bhd.",
        ] {
            assert!(!is_placeholder_name(&normalize_name(n)), "{n} is a name");
        }
    }
}
