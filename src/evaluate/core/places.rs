//! The places a transaction states the items go to besides the destination given (tester round
//! 11, W10): the countries of the parties that take them, and the places of the end uses
//! declared for them where the items are ([`DeclaredEndUse::destination`]).

use super::Facts;
use super::missing::Missing;
use super::sink::Sink;
use crate::model::{Country, DeclaredEndUse, Party};

/// The countries party `p` places the items in: where it is located when it takes them
/// ([`Role::takes_the_items`](crate::model::Role::takes_the_items)), then the places of its
/// declared end uses where the items are.
pub(crate) fn places_of(p: &Party) -> impl Iterator<Item = Country> + '_ {
    let located = p.country.filter(|_| p.role.takes_the_items());
    located.into_iter().chain(p.end_uses.iter().filter_map(DeclaredEndUse::destination))
}

/// Whether an end use where the items are ([`EndUse::places_the_items`](crate::model::EndUse::places_the_items))
/// is declared without its place, each named ([`Missing::EndUsePlace`]): the items may then go
/// anywhere, as with a recipient whose country is unknown, so the destination is open (the
/// same end use stated in Iran makes Iran a destination).
pub(crate) fn unplaced_end_uses<'r, S: Sink<'r>>(f: &Facts<'r>, sink: &mut S) -> bool {
    let mut open = false;
    for p in &f.parties.parties {
        for u in p.end_uses.iter().filter(|u| u.place.is_none() && u.end_use.places_the_items()) {
            sink.fact_missing(Missing::EndUsePlace(p, u.end_use));
            open = true;
        }
    }
    open
}
