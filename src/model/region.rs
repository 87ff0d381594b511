//! Regions of a country that the regulation treats apart from the rest of it: the Crimea region
//! of Ukraine and the so-called Donetsk and Luhansk People's Republic regions (15 CFR 746.6).

use serde::{Deserialize, Serialize};

/// Where in Ukraine an item goes, for 15 CFR 746.6: a licence is required for every item
/// subject to the EAR to the Crimea region (746.6(a)(1); 80 FR 4776, 2015-01-29) and to the
/// so-called DNR and LNR regions (746.6(a)(2); 87 FR 12226, effective 2022-02-24), reviewed
/// with a policy of denial. A destination is a country; for Ukraine the region is a fact of
/// the transaction (`destination_region` in files, `--region` on the command line,
/// `Query::in_region` in code), and unstated it is unknown: where it could change the
/// outcome, the determination is `indeterminate`, missing `destination_region`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Region {
    /// The Crimea region of Ukraine (Sevastopol included).
    Crimea,
    /// The so-called Donetsk People's Republic (DNR) region of Ukraine.
    Dnr,
    /// The so-called Luhansk People's Republic (LNR) region of Ukraine.
    Lnr,
    /// Elsewhere in Ukraine: none of the regions above.
    Other,
}

impl Region {
    /// Every region, in the order above.
    pub const ALL: [Region; 4] = [Region::Crimea, Region::Dnr, Region::Lnr, Region::Other];

    /// The name in files and on the command line: `crimea`, `dnr`, `lnr`, `other`.
    pub fn as_str(self) -> &'static str {
        match self {
            Region::Crimea => "crimea",
            Region::Dnr => "dnr",
            Region::Lnr => "lnr",
            Region::Other => "other",
        }
    }

    /// Reads a name (exactly as [`Region::as_str`] writes it).
    pub fn parse(s: &str) -> Option<Region> {
        Region::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

impl std::fmt::Display for Region {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Refuses a region given for a transaction that goes nowhere in Ukraine: neither the
/// destination, nor the location of a party that takes the items
/// ([`Role::takes_the_items`](super::party::Role::takes_the_items)), nor the place of a declared
/// end use where the items are ([`DeclaredEndUse::destination`](super::party::DeclaredEndUse::destination))
/// is `UA`. A region is where in Ukraine the item goes; read for nothing, it would hide a typo in
/// the destination (`PL` for an item bound for Crimea).
///
/// # Errors
/// The message (E0512).
pub fn check_region(
    region: Option<Region>,
    destination: super::country::Country,
    parties: &[super::party::Party],
) -> Result<(), String> {
    let Some(r) = region else { return Ok(()) };
    let ua = Some(super::country::Country::UA);
    let placed = |p: &super::party::Party| {
        (p.role.takes_the_items() && p.country == ua) || p.end_uses.iter().any(|u| u.destination() == ua)
    };
    if destination == super::country::Country::UA || parties.iter().any(placed) {
        return Ok(());
    }
    Err(format!(
        "destination_region `{r}` is a region of Ukraine (15 CFR 746.6), but the item goes to {destination} and no end user or ultimate consignee is in UA: give the destination UA, or leave the region out"
    ))
}

/// What `missing` names when the region of a Ukraine destination is not given.
pub const REGION_MISSING: &str =
    "destination_region (where in Ukraine the item goes: crimea, dnr, lnr or other; 15 CFR 746.6)";
