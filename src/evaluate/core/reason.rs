//! The reasons the core gives for a rule's truth (destination membership, what a rule
//! concerns, what takes a product out), recorded as what they name and written out only when
//! the explanation is shown ([`Reason::text`]). Reasons about parties' ownership and
//! screening, which are rare and long, are written out when recorded ([`Reason::Text`]). The
//! missing facts and warnings are typed ([`super::missing`]), those about screening and
//! ownership included.

use crate::evaluate::prepared::Unit;
use crate::model::{Country, Party, ProductKind, TransactionKind};
use crate::ruleset::condition::Truth;
use crate::ruleset::groups::TreatedAs;

/// One reason, as the trace and a requirement's basis show it.
#[derive(Debug, Clone)]
pub(crate) enum Reason<'r> {
    /// Written out when recorded.
    Text(String),
    /// A classification rule for other kinds of product.
    KindsOnly { kinds: &'r [ProductKind], kind: ProductKind },
    /// The paragraphs an exclusion applies to.
    AppliesTo(&'r [String]),
    /// An exclusion (by id) found true or unknown.
    TakesOut(&'r str, Truth),
    /// The products a rule is limited to (none of them this one).
    ProductsOnly(&'r [String]),
    /// The rule names this product (`named` equal to `id`) or a product it contains.
    NamesProduct { named: &'r str, id: &'r str },
    /// The transaction kinds a rule is limited to: not this one, or (`kind` `None`) the
    /// country of export is not stated, so the kind is unknown.
    KindsOfTransaction { kinds: &'r [TransactionKind], kind: Option<TransactionKind> },
    /// A rule about parties when none were given.
    PartiesNotGiven,
    /// A destination treated as another country.
    TreatedAs(&'r TreatedAs),
    /// A country the rule names.
    Named(Country),
    /// A country in a group.
    InGroup(Country, &'r str),
    /// A country excepted by name.
    ExceptedByName(Country),
    /// A country in an excepted group.
    InExceptedGroup(Country, &'r str),
    /// The destination not among the countries named.
    NotAmong(Country),
    /// Why a destination is or is not within a rule's destinations, written out when shown as
    /// the reasons [`super::destination_reasons`] gives (its memberships and
    /// equivalences in the epoch of the date, which the reason does not hold: every reader of
    /// recorded reasons expands it, [`crate::evaluate::record`]); its `Display` alone writes
    /// nothing.
    Destination(super::DestinationReasons<'r>),
    /// An exception not available where a requirement (by id) applies.
    NotAvailableWhere(&'r str),
    /// A party located in a country.
    Located(&'r Party, Country),
    /// A party headquartered in the scope.
    Headquartered(&'r Party),
    /// A party whose ultimate parent is headquartered in the scope.
    ParentHeadquartered(&'r Party),
    /// Why a destination other than the one given is decided: a party located there.
    ForDestination(Country, &'r Party),
    /// The truth of a classification rule's parameters on a unit of a computer.
    UnitParams(&'r Unit, Truth),
    /// The paragraphs an exclusion applies to, tested on a unit of a computer.
    UnitAppliesTo(&'r [String], &'r Unit),
    /// An exclusion (by id) found true or unknown on a unit of a computer.
    UnitTakesOut(&'r Unit, &'r str, Truth),
    /// A licence exception limited to one ultimate consignee and one end user per notification
    /// (License Exception NAC) not available: why the parties do not fit one.
    NotOneNotification(String),
}

/// `items` named by `name`, separated by `, `.
fn join<T>(f: &mut std::fmt::Formatter<'_>, items: &[T], name: impl Fn(&T) -> &str) -> std::fmt::Result {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        f.write_str(name(item))?;
    }
    Ok(())
}

/// A country, or `?` when not given.
fn shown(f: &mut std::fmt::Formatter<'_>, c: Option<Country>) -> std::fmt::Result {
    match c {
        Some(c) => write!(f, "{c}"),
        None => f.write_str("?"),
    }
}

/// The reason as the trace and a requirement's basis show it, written piece by piece into the
/// formatter (a serializer that writes it straight into its output allocates nothing for it).
impl std::fmt::Display for Reason<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Reason::Text(s) => f.write_str(s),
            Reason::KindsOnly { kinds, kind } => {
                f.write_str("classifies ")?;
                join(f, kinds, |k| k.as_str())?;
                write!(f, " only; this product is {}", kind.as_str())
            }
            Reason::AppliesTo(to) => {
                f.write_str("applies to ")?;
                join(f, to, String::as_str)
            }
            Reason::TakesOut(id, t) => write!(f, "{id} takes it out: {t}"),
            Reason::ProductsOnly(products) => {
                f.write_str("concerns ")?;
                join(f, products, String::as_str)?;
                f.write_str(" only")
            }
            Reason::NamesProduct { named, id } if named == id => write!(f, "the rule names the product {id}"),
            Reason::NamesProduct { named, id } => write!(f, "the rule names {named}, which {id} contains"),
            Reason::KindsOfTransaction { kinds, kind: Some(kind) } => {
                f.write_str("concerns ")?;
                join(f, kinds, |k| k.as_str())?;
                write!(f, " only; this is an {}", kind.as_str())
            }
            Reason::KindsOfTransaction { kinds, kind: None } => {
                f.write_str("concerns ")?;
                join(f, kinds, |k| k.as_str())?;
                f.write_str(
                    " only; where the items ship from (`exported_from`) is not given, so whether this is an export, a reexport or an in-country transfer (15 CFR 734.14) is unknown",
                )
            }
            Reason::PartiesNotGiven => f.write_str("concerns parties; none were given"),
            Reason::TreatedAs(t) => write!(f, "{} is treated as {} ({})", t.country, t.as_country, t.source),
            Reason::Named(c) => write!(f, "{c} is named in the rule"),
            Reason::InGroup(c, g) => write!(f, "{c} is in Country Group {g}"),
            Reason::ExceptedByName(c) => write!(f, "{c} is excepted by name"),
            Reason::InExceptedGroup(c, g) => write!(f, "{c} is in Country Group {g}, which is excepted"),
            Reason::NotAmong(c) => write!(f, "{c} is not among the countries named"),
            // Expanded by every reader of recorded reasons, which has the epoch.
            Reason::Destination(_) => Ok(()),
            Reason::NotAvailableWhere(id) => write!(f, "not available where {id} applies"),
            Reason::Located(p, c) => write!(f, "{} is located in {c}", p.label()),
            Reason::Headquartered(p) => {
                write!(f, "{} is headquartered in ", p.label())?;
                shown(f, p.headquarters)
            }
            Reason::ParentHeadquartered(p) => {
                write!(f, "{}'s ultimate parent is headquartered in ", p.label())?;
                shown(f, p.parent_headquarters)
            }
            Reason::ForDestination(c, p) => match p.end_uses.iter().find(|u| u.destination() == Some(*c)) {
                Some(u) if !(p.role.takes_the_items() && p.country == Some(*c)) => write!(
                    f,
                    "for destination {c}: {} declares the end use {} there (the items are where the end use takes place: their ultimate destination, 15 CFR 748.5)",
                    p.label(),
                    u.end_use
                ),
                _ => write!(
                    f,
                    "for destination {c}: {} is located there (the ultimate destination is where the ultimate consignee and end user are)",
                    p.label()
                ),
            },
            Reason::UnitParams(unit, t) => write!(f, "{}: {t}", unit.label()),
            Reason::UnitAppliesTo(to, unit) => {
                f.write_str("applies to ")?;
                join(f, to, String::as_str)?;
                write!(f, "; tested on {}", unit.label())
            }
            Reason::UnitTakesOut(unit, id, t) => write!(f, "{}: {id} takes it out: {t}", unit.label()),
            Reason::NotOneNotification(why) => write!(f, "not available through one notification: {why}"),
        }
    }
}

impl Reason<'_> {
    /// The reason as the trace and a requirement's basis show it ([`Reason`]'s `Display`),
    /// as a string.
    pub(crate) fn text(&self) -> String {
        use std::fmt::Write;
        if let Reason::Text(s) = self {
            return s.clone();
        }
        let mut s = String::with_capacity(64);
        // Writing to a string does not fail.
        let _ = write!(s, "{self}");
        s
    }
}
