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
    /// The transaction kinds a rule is limited to (not this one).
    KindsOfTransaction { kinds: &'r [TransactionKind], kind: TransactionKind },
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

fn join<T>(items: &[T], name: impl Fn(&T) -> &str) -> String {
    items.iter().map(name).collect::<Vec<_>>().join(", ")
}

fn shown(c: Option<Country>) -> String {
    c.map_or("?".into(), |c| c.to_string())
}

impl Reason<'_> {
    /// The reason as the trace and a requirement's basis show it. Written with `format!` arm by
    /// arm (not through `Display`), so that each string is allocated once at about its size.
    pub(crate) fn text(&self) -> String {
        match self {
            Reason::Text(s) => s.clone(),
            Reason::KindsOnly { kinds, kind } => {
                format!("classifies {} only; this product is {}", join(kinds, |k| k.as_str()), kind.as_str())
            }
            Reason::AppliesTo(to) => format!("applies to {}", to.join(", ")),
            Reason::TakesOut(id, t) => format!("{id} takes it out: {t}"),
            Reason::ProductsOnly(products) => format!("concerns {} only", products.join(", ")),
            Reason::NamesProduct { named, id } if named == id => format!("the rule names the product {id}"),
            Reason::NamesProduct { named, id } => format!("the rule names {named}, which {id} contains"),
            Reason::KindsOfTransaction { kinds, kind } => {
                format!("concerns {} only; this is an {}", join(kinds, |k| k.as_str()), kind.as_str())
            }
            Reason::PartiesNotGiven => "concerns parties; none were given".to_string(),
            Reason::TreatedAs(t) => format!("{} is treated as {} ({})", t.country, t.as_country, t.source),
            Reason::Named(c) => format!("{c} is named in the rule"),
            Reason::InGroup(c, g) => format!("{c} is in Country Group {g}"),
            Reason::ExceptedByName(c) => format!("{c} is excepted by name"),
            Reason::InExceptedGroup(c, g) => format!("{c} is in Country Group {g}, which is excepted"),
            Reason::NotAmong(c) => format!("{c} is not among the countries named"),
            Reason::NotAvailableWhere(id) => format!("not available where {id} applies"),
            Reason::Located(p, c) => format!("{} is located in {c}", p.label()),
            Reason::Headquartered(p) => format!("{} is headquartered in {}", p.label(), shown(p.headquarters)),
            Reason::ParentHeadquartered(p) => {
                format!("{}'s ultimate parent is headquartered in {}", p.label(), shown(p.parent_headquarters))
            }
            Reason::ForDestination(c, p) => match p.end_uses.iter().find(|u| u.destination() == Some(*c)) {
                Some(u) if !(p.role.takes_the_items() && p.country == Some(*c)) => format!(
                    "for destination {c}: {} declares the end use {} there (the items are where the end use takes place: their ultimate destination, 15 CFR 748.5)",
                    p.label(),
                    u.end_use
                ),
                _ => format!(
                    "for destination {c}: {} is located there (the ultimate destination is where the ultimate consignee and end user are)",
                    p.label()
                ),
            },
            Reason::UnitParams(unit, t) => format!("{}: {t}", unit.label()),
            Reason::UnitAppliesTo(to, unit) => format!("applies to {}; tested on {}", to.join(", "), unit.label()),
            Reason::UnitTakesOut(unit, id, t) => format!("{}: {id} takes it out: {t}", unit.label()),
            Reason::NotOneNotification(why) => format!("not available through one notification: {why}"),
        }
    }
}
