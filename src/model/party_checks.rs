//! The checks of a list of parties that need no rule pack (E0506, E0510, E0523, E0514, E0515, E0517,
//! E0518, E0520, E0522) and of the dates of their screening attestations, for every form of party
//! input (a transaction file, JSON, the one-line form, a party built in code).

use rust_decimal::Decimal;

use super::country::Country;
use super::one_company::Companies;
use super::party::{
    MAX_NAME_CHARS, MAX_OWNER_DEPTH, MAX_OWNERS, MAX_PARTIES, Owner, Party, PartyError, PartyErrorKind, Registration,
    Role, is_bidi_control, owners_in_depth, shown_name,
};

/// The checks every form of party input shares that need no rule pack: at most
/// [`MAX_PARTIES`] parties and [`MAX_OWNERS`] owners per party (E0515); no name longer than
/// [`MAX_NAME_CHARS`] characters (E0517); no name holding a direction control (E0510) or a control character (E0523);
/// each owner's share from 0 to 100, and at most 100 in all per
/// party (E0506); no owner named twice under one party and no party repeated with the same
/// role, name and country (E0514), names compared as list matching compares them
/// ([`crate::names::normalize_name`]; parties or owners without a name are not compared); no
/// company, or possibly one company, given with two headquarters, parent headquarters or sets
/// of owners, by two parties, a party and an owner or two owners at any level (E0520: names
/// compared by [`crate::names::company_key`] or one letter off in a long word,
/// [`crate::names::one_letter_off`]; the decision for `Acme AG` beside `Acme GmbH` and why: the
/// `one_company` module). Linear in the number of parties and owners.
///
/// # Errors
/// The first problem.
pub fn validate_parties(parties: &[Party]) -> Result<(), PartyError> {
    if parties.len() > MAX_PARTIES {
        return Err(PartyError::new(parties, MAX_PARTIES, None, PartyErrorKind::TooManyParties(parties.len())));
    }
    let mut seen_parties: std::collections::HashMap<(Role, String, Option<Country>), usize> =
        std::collections::HashMap::with_capacity(parties.len());
    // The statements of companies given (parties, and owners at every level), for E0520.
    let mut companies = Companies::default();
    for (i, p) in parties.iter().enumerate() {
        if p.owners.len() > MAX_OWNERS {
            return Err(PartyError::new(parties, i, None, PartyErrorKind::TooManyOwners(p.owners.len())));
        }
        validate_owner_tree(parties, i)?;
        let names = std::iter::once((None, p.name.as_deref()))
            .chain(p.owners.iter().enumerate().map(|(j, o)| (Some(j), Some(o.name.as_str()))));
        for (owner, name) in names {
            // Counted without walking more than the limit's worth of a long name.
            if let Some(n) = name.filter(|n| n.len() > MAX_NAME_CHARS && n.chars().nth(MAX_NAME_CHARS).is_some()) {
                return Err(PartyError::new(parties, i, owner, PartyErrorKind::NameTooLong(n.chars().count())));
            }
            if let Some(c) = name.and_then(|n| n.chars().find(|c| is_bidi_control(*c))) {
                return Err(PartyError::new(parties, i, owner, PartyErrorKind::BidiControl(c)));
            }
            if let Some(c) = name.and_then(crate::names::control_in_name) {
                return Err(PartyError::new(parties, i, owner, PartyErrorKind::ControlChar(c)));
            }
        }
        for (j, o) in p.owners.iter().enumerate() {
            if let Some(r) = &o.registration
                && let Some(why) = Registration::number_problem(&r.number)
            {
                let kind = PartyErrorKind::Registration { number: r.number.clone(), why };
                return Err(PartyError::new(parties, i, Some(j), kind));
            }
        }
        let mut total = Decimal::ZERO;
        for (j, o) in p.owners.iter().enumerate() {
            let Some(x) = o.percent else { continue };
            if (x.is_sign_negative() && !x.is_zero()) || x > Decimal::ONE_HUNDRED {
                return Err(PartyError::new(parties, i, Some(j), PartyErrorKind::Share(x)));
            }
            total += x;
            if total > Decimal::ONE_HUNDRED {
                let all = p.owners.iter().filter_map(|o| o.percent).sum();
                return Err(PartyError::new(parties, i, Some(j), PartyErrorKind::SharesTotal(all)));
            }
        }
        let mut seen_owners: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        for (j, o) in p.owners.iter().enumerate() {
            let key = crate::names::normalize_name(&o.name);
            if key.is_empty() {
                continue;
            }
            if let Some(&first) = seen_owners.get(&key) {
                return Err(PartyError::new(parties, i, Some(j), PartyErrorKind::DuplicateOwner { first }));
            }
            seen_owners.insert(key, j);
        }
        let key = p.name.as_deref().map(crate::names::normalize_name).unwrap_or_default();
        if !key.is_empty() {
            if let Some(&first) = seen_parties.get(&(p.role, key.clone(), p.country)) {
                return Err(PartyError::new(parties, i, None, PartyErrorKind::DuplicateParty { first }));
            }
            // One company, or possibly one (E0520; super::one_company): the same name in the
            // same country, or where one of the two statements gives no country (tester round 6,
            // S11); names compared as list matching reads them, or one letter off in a long word.
            companies.party(parties, i)?;
            seen_parties.insert((p.role, key, p.country), i);
        }
        // Every owner at every level is a statement of a company too.
        companies.owners(parties, i)?;
    }
    Ok(())
}

/// The checks of [`validate_parties`] on the owners of each owner of party `i`, at every
/// level: shares from 0 to 100 and at most 100 in all under one owner (E0506), no owner named
/// twice under one owner (E0514), names (E0510, E0517); at most [`MAX_OWNER_DEPTH`] levels
/// (E0518) and [`MAX_OWNERS`] owners at all levels (E0515). An error names the party's owner
/// the problem is under.
fn validate_owner_tree(parties: &[Party], i: usize) -> Result<(), PartyError> {
    let Some(p) = parties.get(i) else { return Ok(()) };
    let mut count = p.owners.len();
    for (j, o) in p.owners.iter().enumerate() {
        owner_subtree(parties, i, &mut vec![j], o, &mut count)?;
    }
    Ok(())
}

/// [`validate_owner_tree`] for the owners of `o`, the owner at `path` under party `i` (its
/// owners are at level `path.len() + 1`). An error names the party's owner `path[0]` in its
/// message and locates the owner it is about by its whole path ([`PartyError::owner_path`]).
fn owner_subtree(
    parties: &[Party],
    i: usize,
    path: &mut Vec<usize>,
    o: &Owner,
    count: &mut usize,
) -> Result<(), PartyError> {
    if o.owners.is_empty() {
        return Ok(());
    }
    let level = path.len() + 1;
    let j = path.first().copied().unwrap_or_default();
    if level > MAX_OWNER_DEPTH {
        let mut e = PartyError::new(parties, i, Some(j), PartyErrorKind::OwnersTooDeep(level));
        e.owner_path = path.clone().into_boxed_slice();
        return Err(e);
    }
    *count += o.owners.len();
    if *count > MAX_OWNERS {
        return Err(PartyError::new(parties, i, None, PartyErrorKind::TooManyOwners(*count)));
    }
    // The owner as a party of its own, its owners without theirs, checked as parties are.
    let role = parties.get(i).map_or(Role::EndUser, |p| p.role);
    let mut as_party = Party::new(role);
    as_party.name = Some(o.name.clone());
    as_party.owners = o.owners.iter().map(|c| Owner { owners: Vec::new(), ..c.clone() }).collect();
    if let Err(e) = validate_parties(std::slice::from_ref(&as_party)) {
        let whose = format!(
            "owner \"{}\" of {}",
            shown_name(&o.name),
            parties.get(i).map_or_else(|| format!("party {}", i + 1), Party::label)
        );
        let message = e.message.replace(&as_party.label(), &whose);
        let owner_path = path.iter().copied().chain(e.owner).collect();
        return Err(PartyError { party: i, owner: Some(j), owner_path, kind: e.kind, message });
    }
    for (k, c) in o.owners.iter().enumerate() {
        path.push(k);
        let checked = owner_subtree(parties, i, path, c, count);
        path.pop();
        checked?;
    }
    Ok(())
}

/// Refuses a screening attestation whose list is dated after `today`: a list not yet
/// published cannot have been the basis of a screening. Callers that have a clock (the CLI)
/// run it on input; the evaluation itself, which has none, never lets an attestation dated
/// after the transaction's date clear a party.
///
/// # Errors
/// [`PartyErrorKind::ListDateAfterToday`] for the first such attestation.
pub fn check_list_dates(parties: &[Party], today: crate::date::Date) -> Result<(), PartyError> {
    for (i, p) in parties.iter().enumerate() {
        let owners = owners_in_depth(p).into_iter().map(|(j, o)| (Some(j), &o.screened));
        for (owner, screened) in std::iter::once((None, &p.screened)).chain(owners) {
            if let Some(s) = screened.iter().find(|s| s.list_date > today) {
                let kind = PartyErrorKind::ListDateAfterToday { list: s.list.clone(), list_date: s.list_date, today };
                return Err(PartyError::new(parties, i, owner, kind));
            }
        }
    }
    Ok(())
}
