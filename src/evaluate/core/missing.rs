//! The missing facts and the warnings the core records, as what they name: written out only
//! when the determination is shown or serialised ([`Missing::text`], [`Warning::text`]). Those
//! about screening and ownership name whose fact is missing ([`Who`]: a party, or an owner of
//! a party) and the list, entry and dates concerned, so that the text is written from them,
//! never recorded as text and read back.

use rust_decimal::Decimal;

use crate::date::Date;
use crate::model::{Country, EXPORTED_FROM_MISSING, EndUse, MAX_OWNER_DEPTH, Owner, Party, REGION_MISSING, shown_name};
use crate::ruleset::groups::CountryGroup;
use crate::ruleset::{ListEntry, ReviewPolicyRule, RuleSet};

/// Whose name was screened: a party, or an owner of a party (the Affiliates rule, 15 CFR
/// 744.11(a)(3), reads the owners' names too).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Who<'r> {
    /// A party of the transaction.
    Party(&'r Party),
    /// An owner of a party (one of [`Party::owners`]), or an owner of such an owner, and so
    /// on: the owners from the party's down to the one meant.
    Owner(&'r Party, OwnerPath<'r>),
}

/// The owners from a party's owner down to an owner of owners, at most [`MAX_OWNER_DEPTH`]
/// (the depth to which owners' own owners are read, E0518), held without allocating.
#[derive(Debug, Clone, Copy)]
pub(crate) struct OwnerPath<'r>([Option<&'r Owner>; MAX_OWNER_DEPTH]);

impl<'r> Who<'r> {
    /// `o`, an owner of this party or owner.
    pub(crate) fn owner(self, o: &'r Owner) -> Who<'r> {
        match self {
            Who::Party(p) => {
                let mut path = [None; MAX_OWNER_DEPTH];
                path[0] = Some(o);
                Who::Owner(p, OwnerPath(path))
            }
            Who::Owner(p, OwnerPath(mut path)) => {
                // Owners are read to MAX_OWNER_DEPTH levels, so a free place is always left.
                if let Some(free) = path.iter_mut().find(|x| x.is_none()) {
                    *free = Some(o);
                }
                Who::Owner(p, OwnerPath(path))
            }
        }
    }

    /// As the determination names it: `end user "Acme"`, `end user "Acme"'s owner "Parent"`,
    /// `end user "Acme"'s owner "Parent"'s owner "Holding"`.
    pub(crate) fn label(self) -> String {
        match self {
            Who::Party(p) => p.label(),
            Who::Owner(p, OwnerPath(path)) => {
                let mut out = p.label();
                for o in path.iter().flatten() {
                    out.push_str(&format!("'s owner \"{}\"", shown_name(&o.name)));
                }
                out
            }
        }
    }
}

/// How a name matches a list entry only nearly, which leaves the party open (the matches of
/// [`Screened`](super::parties::Screened) other than its `entries`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Near {
    /// With look-alike characters (other scripts, marks, confusable letters).
    Lookalike,
    /// Once spacing and punctuation inside words are ignored.
    Unspaced,
    /// One name holds the other as whole words.
    Contained,
    /// Words abbreviated, in the plural or one letter off.
    Variant,
}

impl Near {
    /// In the words of a missing fact.
    fn how(self) -> &'static str {
        match self {
            Near::Lookalike => "its name matches only with look-alike characters",
            Near::Unspaced => "its name matches only once spacing and punctuation inside words are ignored",
            Near::Contained => {
                "one name holds the other as whole words: an affiliate, a branch or another company form"
            }
            Near::Variant => "its name is the listed one with words abbreviated, in the plural or one letter off",
        }
    }
}

/// The missing fact of an absent end user.
pub(crate) const ABSENT_END_USER: &str = "end user (no end user or ultimate consignee was given)";

/// The missing fact of an absent end user beside an ultimate consignee (tester round 10, V1):
/// 15 CFR 748.5(e)-(f) define two parties; the ultimate consignee "may be the end-user", and a
/// distributor, the usual consignee of stock for resale, is not.
pub(crate) const ABSENT_END_USER_BESIDE_CONSIGNEE: &str = "end user (an ultimate consignee was given but no end user: give the end user, or the ultimate consignee again with role `end_user` if it uses the items itself; 15 CFR 748.5(e)-(f))";

/// A fact the determination is missing, as its `missing_facts` names it.
#[derive(Debug, Clone)]
pub(crate) enum Missing<'r> {
    /// Where in Ukraine the item goes (`destination_region`).
    Region,
    /// Whether a country is in a Country Group whose membership of it is unverified on the
    /// date of export.
    Unverified(&'r CountryGroup, Country, Date),
    /// An end user: none was given to a rule about end users. `beside_consignee`: an
    /// ultimate consignee was given, which is not the end user unless given again as one.
    AbsentEndUser { beside_consignee: bool },
    /// A party's country.
    Country(&'r Party),
    /// A party's headquarters.
    Headquarters(&'r Party),
    /// A party's ultimate parent's headquarters.
    ParentHeadquarters(&'r Party),
    /// A party's ultimate parent's headquarters, stated outside a rule's countries while the
    /// owner at the top of its stated chain of controlling owners (`owner`,
    /// [`controlling_top_where`](super::owners::controlling_top_where)) is registered in one of them: two
    /// stated facts that disagree (tester round 11, W8), or the owner, which may be a company
    /// ([`may_be_a_company`](super::owners::may_be_a_company)), is given without its
    /// registration country (not taken as registered outside the scope).
    ParentHeadquartersAgainstOwner(&'r Party, &'r crate::model::Owner),
    /// The share of a party owned by the owner named.
    Share(&'r Party, &'r str),
    /// The country of an intermediate or ultimate consignee or end user: where it is, is a
    /// destination of the items ([`crate::model::Role::takes_the_items`]).
    Recipient(&'r Party),
    /// Whether the items are sold or supplied to embargoed country `country` through `party`,
    /// located there without taking the items, or headquartered there (`headquarters`):
    /// embargo requirement `rule` holds (or may hold) for `country` ([`super::embargoed`];
    /// tester round 11, W11).
    EmbargoedParty { party: &'r Party, country: Country, rule: &'r str, headquarters: bool },
    /// The rules after the pack's research cut-off (`researched_until`).
    AfterCutOff,
    /// Whether `who` is entry `entry` of list `list` (interned id), which its name matches
    /// only nearly (`how`).
    NearMatch { who: Who<'r>, list: u32, entry: &'r ListEntry, how: Near },
    /// A name to screen against the lists: none was given, or a placeholder.
    Name(Who<'r>),
    /// Who an owner (`who`) is: the transaction gives neither its registration nor the
    /// exporter's attestation that it identified it (`identified`), so its name may stand
    /// for a class of holders.
    Identity(Who<'r>),
    /// The name in Latin letters, as list `list` writes names: the one given is written
    /// (wholly or partly) in another script.
    LatinName(Who<'r>, u32),
    /// A screening against list `list` as of the date of export `date`: the complete list the
    /// pack holds is dated `as_of`, another day.
    ScreeningAsOf { who: Who<'r>, list: u32, date: Date, as_of: Date },
    /// A screening against list `list`, which the pack holds only as a sample, as of the date
    /// of export `date`: the screenings `who` attests (`attested`: per list, its date) are
    /// at other dates or against other lists.
    Screening { who: Who<'r>, list: u32, date: Date, attested: &'r [(u32, Date)] },
    /// The owners of `party` that hold the shares no owner given holds (`rest` percent; all of
    /// them when no owner is given): whether entities on list `list` own `threshold` percent
    /// or more of it (the Affiliates rule). `stated_known`: the party states `owners_known`,
    /// but the owners given leave `rest` unaccounted, `threshold` or more, or enough to reach it
    /// with the listed shares given ([`unaccounted`](super::owners::unaccounted)).
    Owners { party: &'r Party, rest: Decimal, list: u32, threshold: Decimal, stated_known: bool },
    /// The share of an owner's owner (`who`, below a party's owner) in the owner above it
    /// (the Affiliates rule counts ownership directly or indirectly).
    OwnerShare(Who<'r>),
    /// The shares of the owners of an owner (`who`), which carried through the chain need more
    /// than the 28 significant digits a decimal holds: rounded (never towards clearing), they
    /// leave the Affiliates rule open.
    InexactShares(Who<'r>),
    /// The owners of an owner (`who`) that hold the shares none of its owners given holds
    /// (`rest` percent; all of them when none is given): whether entities on list `list` own
    /// `threshold` percent or more of it (the Affiliates rule counts ownership directly or
    /// indirectly). `stated_known`: as for [`Missing::Owners`].
    OwnersOfOwner { who: Who<'r>, none_given: bool, rest: Decimal, list: u32, threshold: Decimal, stated_known: bool },
    /// Where the end use `use_` that `party` declared without its place takes place: the
    /// party's location is not in the rule's countries, and the end use may be elsewhere
    /// (15 CFR 744.23(a)(1): a supercomputer "located in or destined to" Macau or D:5).
    EndUsePlace(&'r Party, EndUse),
    /// The country the items leave (`exported_from`), not stated: a rule keyed to the kind of
    /// transaction (export, reexport, in-country transfer; 15 CFR 734.14) may apply.
    ExportedFrom,
}

impl Missing<'_> {
    /// The missing fact as the determination names it.
    pub(crate) fn text(&self, rules: &RuleSet) -> String {
        match self {
            Missing::Region => REGION_MISSING.to_string(),
            Missing::Unverified(group, c, date) => group.unverified_fact(*c, *date).unwrap_or_default(),
            Missing::AbsentEndUser { beside_consignee: false } => ABSENT_END_USER.to_string(),
            Missing::AbsentEndUser { beside_consignee: true } => ABSENT_END_USER_BESIDE_CONSIGNEE.to_string(),
            Missing::Country(p) => format!("{}: country", p.label()),
            Missing::Headquarters(p) => format!("{}: headquarters", p.label()),
            Missing::ParentHeadquarters(p) => format!("{}: parent_headquarters", p.label()),
            Missing::ParentHeadquartersAgainstOwner(p, o) => format!(
                "{}: parent_headquarters (stated {}, but its owner \"{}\", holding {} % at the top of the stated chain of owners of 50 % or more, {}: which is the ultimate parent's headquarters)",
                p.label(),
                p.parent_headquarters.map_or_else(|| "unknown".to_string(), |c| c.to_string()),
                shown_name(&o.name),
                o.percent.map_or_else(|| "?".to_string(), |x| x.normalize().to_string()),
                o.registration.as_ref().map_or_else(
                    || "is stated without its registration country (registration = { country, number })".to_string(),
                    |r| format!("is registered in {}", r.country)
                ),
            ),
            Missing::Share(p, owner) => format!("{}: share owned by \"{}\"", p.label(), shown_name(owner)),
            Missing::Recipient(p) if p.role == crate::model::Role::IntermediateConsignee => {
                format!("{}: country (the items enter the country where it is located)", p.label())
            }
            Missing::Recipient(p) => {
                format!("{}: country (where it is located is the ultimate destination)", p.label())
            }
            Missing::EmbargoedParty { party, country, rule, headquarters } => format!(
                "{}: whether the items are sold or supplied, directly or indirectly, to {country}, where it is {} ({rule} requires a licence for {country}{}): decide the transaction with {country} as the destination if they are",
                party.label(),
                if *headquarters { "headquartered" } else { "located" },
                if country.to_string() == "IR" {
                    "; 31 CFR 560.204 prohibits the sale or supply of goods \"directly or indirectly\" to Iran"
                } else {
                    ""
                }
            ),
            Missing::AfterCutOff => super::after_cut_off(rules),
            Missing::NearMatch { who, list, entry, how } => format!(
                "{}: whether it is {} entry {} \"{}\" ({})",
                who.label(),
                list_name(rules, *list),
                entry.id,
                entry.name,
                how.how()
            ),
            Missing::Name(who) => format!("{}: name (for screening)", who.label()),
            Missing::Identity(who) => format!(
                "{}: identity (a registration = {{ country, number }} of the company, or identified = true attesting it is one person the exporter identified; a name alone may stand for a class of holders)",
                who.label()
            ),
            Missing::LatinName(who, list) => format!(
                "{}: name in Latin letters, as the {} writes names (for screening)",
                who.label(),
                list_name(rules, *list)
            ),
            Missing::ScreeningAsOf { who, list, date, as_of } => {
                let gap = if as_of < date {
                    "entries added since are not in it"
                } else {
                    "entries removed since are not in it"
                };
                format!(
                    "{}: screening against the {} as of {date} (the complete list held is dated {as_of}: {gap})",
                    who.label(),
                    list_name(rules, *list),
                )
            }
            Missing::Screening { who, list, date, attested } => {
                screening_missing(rules, *list, *date, attested, &who.label())
            }
            Missing::Owners { party, rest, list, threshold, stated_known: true } => format!(
                "{}: owners of the other {rest}% (`owners_known = true`, but the owners given hold {}%: an owner not given may hold the other {rest}%, {}, and the Affiliates rule asks whether entities on the {} own {threshold}% or more of it; give the owners of the rest with their shares)",
                party.label(),
                Decimal::ONE_HUNDRED - rest,
                how_the_rest_counts(*rest, *threshold),
                list_name(rules, *list)
            ),
            Missing::OwnersOfOwner { who, rest, list, threshold, stated_known: true, .. } => format!(
                "{}: owners of the other {rest}% (`owners_known = true`, but the owners given hold {}%: an owner not given may hold the other {rest}%, {}, and the Affiliates rule counts ownership directly or indirectly: whether entities on the {} own {threshold}% or more of it; give the owners of the rest with their shares)",
                who.label(),
                Decimal::ONE_HUNDRED - rest,
                how_the_rest_counts(*rest, *threshold),
                list_name(rules, *list)
            ),
            Missing::Owners { party, rest, list, threshold, stated_known: false } => {
                let which =
                    if party.owners.is_empty() { "owners".to_string() } else { format!("owners of the other {rest}%") };
                format!(
                    "{}: {which} (the Affiliates rule: whether entities on the {} own {threshold}% or more of it; give every owner with its share, or state `owners_known = true` when none is left out)",
                    party.label(),
                    list_name(rules, *list)
                )
            }
            Missing::OwnerShare(who) => format!("{}: share (the Affiliates rule)", who.label()),
            Missing::InexactShares(who) => format!(
                "{}: its owners' shares with fewer decimal places (carried through the chain they need more than the 28 digits that are added exactly; the Affiliates rule is left open by the rounding)",
                who.label()
            ),
            Missing::OwnersOfOwner { who, none_given, rest, list, threshold, stated_known: false } => {
                let which = if *none_given { "owners".to_string() } else { format!("owners of the other {rest}%") };
                format!(
                    "{}: {which} (the Affiliates rule counts ownership directly or indirectly: whether entities on the {} own {threshold}% or more of it; give its owners with their shares, or state `owners_known = true` on it when none is left out)",
                    who.label(),
                    list_name(rules, *list)
                )
            }
            Missing::ExportedFrom => EXPORTED_FROM_MISSING.to_string(),
            Missing::EndUsePlace(p, use_) => format!(
                "{}: {} (the end use {use_} was declared without its place; give it as {{ use = \"{use_}\", in = \"CC\" }}, or end_use={use_}@CC)",
                p.label(),
                use_.place_question()
            ),
        }
    }
}

/// Why a rest of `rest` percent left unaccounted beside `owners_known` is open
/// ([`owners::unaccounted`](super::owners::unaccounted)): it reaches the threshold by itself, or
/// with the shares listed entities hold or may hold among the owners given ("individually or in
/// the aggregate", 90 FR 47201).
fn how_the_rest_counts(rest: Decimal, threshold: Decimal) -> String {
    if rest >= threshold {
        format!("{threshold}% or more by itself")
    } else {
        format!(
            "which with the shares listed entities hold or may hold among the owners given reaches {threshold}% (the rule counts them in the aggregate)"
        )
    }
}

/// How determinations name list `list` (interned id): its `[[screening_list]]` name, else its
/// id.
pub(crate) fn list_name(rules: &RuleSet, list: u32) -> String {
    let id = rules.compiled.list_names.get(list as usize).map_or("?", String::as_str);
    rules.screening_lists.iter().find(|s| s.list == id).map_or_else(|| id.to_string(), |s| s.name.clone())
}

/// The missing screening of `who` against list `list`, held only as a sample, for an export on
/// `date`: what the screenings attested at other dates (`attested`) leave out.
fn screening_missing(rules: &RuleSet, list: u32, date: Date, attested: &[(u32, Date)], who: &str) -> String {
    // A screening attested against the list as of a date covers the list as it stood that
    // day. The pack holds a sample of the list, which cannot show that nothing was added
    // between an earlier list's date and the date of export (15 CFR 744.11: the list in force
    // on the date of export applies), so only a screening against the list as of the date of
    // export clears. A list dated after the transaction's date cannot have been the basis of
    // screening for it (it does not say which entries were in force on that date, and it did
    // not exist when the party was screened before export): such an attestation clears
    // nothing either.
    let dates = || attested.iter().filter(|(l, _)| *l == list).map(|(_, d)| *d);
    let earlier = dates().filter(|d| *d < date).max();
    let later = dates().filter(|d| *d > date).min();
    // An entry of the pack in force on the date of export but not on the list's date, if any,
    // names what the earlier screen missed.
    let uncovered = earlier.and_then(|as_of| {
        rules.lists.iter().enumerate().find(|(i, e)| {
            rules.compiled.entry_list.get(*i) == Some(&list) && e.period.contains(date) && !e.period.contains(as_of)
        })
    });
    let name = list_name(rules, list);
    match (earlier, later, uncovered) {
        (Some(as_of), _, Some((_, e))) => format!(
            "{who}: screening against the {name} as of {date} (the screening attested used the list of {as_of}, which does not hold entry {} \"{}\" in force on {date})",
            e.id, e.name
        ),
        (Some(as_of), _, None) => format!(
            "{who}: screening against the {name} as of {date} (the screening attested used the list of {as_of}, before that date: entries added since were not screened)"
        ),
        (None, Some(later), _) => format!(
            "{who}: screening against the full {name} as of {date} (the screening attested used the list of {later}, after that date, which cannot have been the basis of screening for it)"
        ),
        (None, None, _) => format!("{who}: screening against the full {name}"),
    }
}

/// A warning the determination carries whatever the verdict.
#[derive(Debug, Clone)]
pub(crate) enum Warning<'r> {
    /// A licence exception limited to one ultimate consignee and one end user per notification
    /// (License Exception NAC, 15 CFR 740.8) is not offered: why the parties do not fit one.
    NotOneNotification {
        /// The exception's name.
        name: &'r str,
        /// Why ([`super::beyond_one_notification`]).
        why: String,
    },
    /// A review policy limited to some kinds of transaction (e.g. case-by-case review for
    /// exports from the US only, 742.6(b)(10)(iii)(A)(1), 91 FR 1684) may or may not hold: the
    /// country of export is not stated, so the kind is unknown and the stricter policy governs
    /// (this one, where it is the stricter: [`super::policy::choose_review_policy`]).
    PolicyNeedsOrigin(&'r ReviewPolicyRule),
}

impl Warning<'_> {
    /// The warning as the determination writes it.
    pub(crate) fn text(&self) -> String {
        match self {
            Warning::NotOneNotification { name, why } => format!(
                "License Exception {name} is not offered: {why}. Each notification needs its own ultimate consignee and end user; otherwise apply for a licence"
            ),
            Warning::PolicyNeedsOrigin(p) => format!(
                "Review policy {} ({}) concerns {} only (15 CFR 734.14), and where the items ship from (`exported_from`) is not given: the requirements it governs ({}) keep the stricter of it and the review policy that holds without it. State `exported_from` (`US` for an export from the United States) [{}]",
                p.meta.id,
                p.policy.as_str(),
                p.scope
                    .transaction_kinds
                    .as_deref()
                    .unwrap_or_default()
                    .iter()
                    .map(|k| k.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                p.applies_to.join(", "),
                p.meta.source
            ),
        }
    }
}
