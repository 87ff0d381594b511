//! Knowing one fact less never clears. A transaction built from a catalog product, a
//! destination, a date and parties with complete facts is determined; then each fact is taken
//! away on its own (a product figure, a party field, an owner's share or attestation, a
//! screening, the exporter's statement, the country of export) and the transaction determined
//! again. The verdict must stay, or become `indeterminate`: never move toward a clearance
//! (`license_required` to `no_license_required` or `license_exception`, `indeterminate` to
//! either, or `license_exception` to `no_license_required`). A determination that rests on a
//! fact nobody gave is the worst bug the project can have (README, "Fail closed").
//!
//! What is not taken away, and why (the documented exemptions):
//! - a declared end use (`end_uses`): the end-use controls (15 CFR 744.23, 744.6) turn on the
//!   exporter's knowledge; a party that declares none is a statement that none is known, not a
//!   missing fact (its place, `in`, is taken away: an end use known to take place somewhere
//!   unknown);
//! - a list entry (`list_entries`): the generator gives none (a party known to match an entry
//!   while also attesting a clean screening would be contradictory facts, not complete ones);
//! - the contents of a system (`contains`): tests/missing_invariant.rs takes them away;
//! - the reading of separately packaged ICs: a pack setting, not a fact of the transaction;
//! - the last party: a query with no parties is a check of the destination rules only, whose
//!   party rules "are not evaluated and the determination says so" (README, "Without
//!   parties"), so it answers another question (an H100-class chip to the UAE, re-exported from
//!   Singapore on 2022-10-21 for an end user located in China: `license_required` with the end
//!   user, `no_license_required` for the destination alone). Taking away the end user while
//!   another party remains is checked;
//! - a purchaser (or another party than the end user) as a whole: a transaction that names no
//!   purchaser is one sold to the end user directly, another transaction, not one with an
//!   unknown purchaser (only an end user left out is unknown, README "Parties").
//!
//! Run with more cases: `PROPTEST_CASES=3000 cargo test -p export-controls --test less_known14`.

use std::sync::OnceLock;

use export_controls::date::Date;
use export_controls::model::{
    DeclaredEndUse, EndUse, Exporter, Owner, Packager, Party, Product, Registration, Role, Screening,
};
use export_controls::{Catalog, Options, PreparedProduct, Query, RuleSet, Verdict};
use proptest::prelude::*;

/// Cases when `PROPTEST_CASES` is not set. Each case determines the transaction once per fact
/// taken away, some 20 to 60 times: 64 cases took 55 s in a debug build on a 2-core machine
/// shared with other builds, so the default is 32.
const DEFAULT_CASES: u32 = 32;

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(DEFAULT_CASES);
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

/// Destinations of every kind: D:5 and Macau, D:1/D:4 (in and out of the 742.6(a)(6)(iii)
/// scope), embargoed, Tier 1 and Tier 2 of the AI diffusion rule.
const DESTINATIONS: [&str; 12] = ["CN", "MO", "HK", "RU", "IR", "AE", "SA", "MY", "VN", "IN", "FR", "SG"];
/// Dates around the pack's changes: the first 3A090 rule (88 FR 73458 is later), NAC and ACA,
/// the AI diffusion rule and its rescission, the Affiliates rule (90 FR 47201) and its stay.
const DATES: [&str; 9] = [
    "2022-10-21",
    "2023-06-01",
    "2023-11-20",
    "2024-06-01",
    "2025-01-20",
    "2025-05-20",
    "2025-10-15",
    "2026-03-01",
    "2026-11-15",
];
/// Names parties are drawn from: plain companies, and one the pack lists (the Entity List
/// entry of Huawei, 84 FR 22961).
const NAMES: [&str; 3] = ["Example Compute Sdn Bhd", "Northwind AI GmbH", "Huawei Technologies Co., Ltd."];
/// Names owners are drawn from, none a party's (one company given as a party and as an owner
/// with other facts is refused, E0520): holdings, a fund, a person, and the listed Huawei
/// Technologies' parent (its shares count under the Affiliates rule, 90 FR 47201, where the
/// pack lists it).
const OWNER_NAMES: [&str; 4] =
    ["Example Holding Ltd", "Pacific Capital Partners LP", "Huawei Investment & Holding Co., Ltd.", "Lee Wei Ming"];
const COUNTRIES: [&str; 6] = ["CN", "MY", "SG", "DE", "AE", "US"];

fn rules() -> &'static RuleSet {
    static R: OnceLock<RuleSet> = OnceLock::new();
    R.get_or_init(|| RuleSet::shipped().unwrap())
}

fn catalog() -> &'static Catalog {
    static C: OnceLock<Catalog> = OnceLock::new();
    C.get_or_init(|| Catalog::shipped().unwrap())
}

fn products() -> &'static [Product] {
    static P: OnceLock<Vec<Product>> = OnceLock::new();
    P.get_or_init(|| catalog().iter().map(|p| p.product().clone()).collect())
}

fn date(s: &str) -> Date {
    s.parse().unwrap()
}

/// A screening against the full Entity List as of the transaction's date.
fn screening(on: Date) -> Screening {
    Screening { list: "entity_list".into(), list_date: on, by: Some("screening service".into()) }
}

/// An owner with every fact given: share, identity (registration or attestation), screening,
/// its own ownership determined, and (`nested`) one owner of its own.
fn owner(name: usize, percent: u8, registered: bool, nested: Option<Owner>, on: Date) -> Owner {
    Owner {
        name: OWNER_NAMES[name].into(),
        percent: Some(percent.into()),
        list_entries: vec![],
        screened: vec![screening(on)],
        owners_known: true,
        owners: nested.into_iter().collect(),
        registration: registered
            .then(|| Registration { country: "SG".parse().unwrap(), number: "201901012345".into() }),
        identified: !registered,
    }
}

/// Parties with complete facts: an end user, and perhaps a purchaser; each located,
/// headquartered, its parent's headquarters given, screened, its owners determined.
/// An owner as drawn: name index, share, registered (else `identified`), with an owner of its own.
type OwnerSpec = (usize, u8, bool, bool);
/// A party as drawn: name index, country index, headquarters index, declares a supercomputer
/// end use (in its country), owners.
type PartySpec = (usize, usize, usize, bool, Vec<OwnerSpec>);

fn parties() -> impl Strategy<Value = Vec<PartySpec>> {
    let owner = (0..OWNER_NAMES.len(), 1u8..=60, any::<bool>(), any::<bool>());
    let party =
        (0..NAMES.len(), 0..COUNTRIES.len(), 0..COUNTRIES.len(), any::<bool>(), prop::collection::vec(owner, 0..=2));
    prop::collection::vec(party, 1..=2)
}

fn build_parties(spec: &[PartySpec], on: Date) -> Vec<Party> {
    // Each owner name once in the transaction (one company given twice with other facts is
    // refused, E0520): an owner whose name is taken is left out, a nested one takes the next free.
    let mut used = std::collections::BTreeSet::new();
    spec.iter()
        .enumerate()
        .map(|(i, (name, country, hq, supercomputer, owners))| {
            let mut p = Party::new(if i == 0 { Role::EndUser } else { Role::Purchaser });
            p.name = Some(format!("{} {}", NAMES[*name], if i == 0 { "" } else { "Trading" }).trim().to_string());
            p.country = COUNTRIES[*country].parse().ok();
            p.headquarters = COUNTRIES[*hq].parse().ok();
            p.parent_headquarters = COUNTRIES[*hq].parse().ok();
            p.owners_known = true;
            p.screened = vec![screening(on)];
            if *supercomputer {
                p.end_uses =
                    vec![DeclaredEndUse { end_use: EndUse::Supercomputer, place: COUNTRIES[*country].parse().ok() }];
            }
            // Shares of at most 100 in all (two owners of at most 60 each could exceed it).
            let mut left = 100u8;
            p.owners = owners
                .iter()
                .filter_map(|(n, pct, registered, nested)| {
                    if !used.insert(*n) {
                        return None;
                    }
                    let pct = (*pct).min(left);
                    left -= pct;
                    let free = (1..OWNER_NAMES.len()).map(|k| (n + k) % OWNER_NAMES.len()).find(|k| !used.contains(k));
                    let inner = free.filter(|_| *nested).map(|k| {
                        used.insert(k);
                        owner(k, 100, !registered, None, on)
                    });
                    Some(owner(*n, pct, *registered, inner, on))
                })
                .collect();
            p
        })
        .collect()
}

/// Every product with one figure taken away, each named.
fn product_removals(p: &Product) -> Vec<(String, Product)> {
    let mut out = Vec::new();
    let mut put = |what: String, f: &dyn Fn(&mut Product) -> bool| {
        let mut q = p.clone();
        if f(&mut q) {
            out.push((what, q));
        }
    };
    put("designed_or_marketed_for_datacenter".into(), &|q| q.designed_or_marketed_for_datacenter.take().is_some());
    put("commercially_available_in_us".into(), &|q| q.commercially_available_in_us.take().is_some());
    put("transistors".into(), &|q| q.transistors.take().is_some());
    put("interconnect_bandwidth_gbps".into(), &|q| q.interconnect_bandwidth_gbps.take().is_some());
    put("tpp_reported".into(), &|q| q.tpp_reported.take().is_some());
    put("declared_eccn".into(), &|q| q.declared_eccn.take().is_some());
    put("published_classification".into(), &|q| q.published_classification.take().is_some());
    put("form_factor".into(), &|q| q.form_factor.take().is_some());
    put("package".into(), &|q| q.package.take().is_some());
    put("process_node".into(), &|q| q.process_node.take().is_some());
    put("memory".into(), &|q| q.memory.take().is_some());
    put("memory.bandwidth_gbps".into(), &|q| q.memory.as_mut().and_then(|m| m.bandwidth_gbps.take()).is_some());
    put("memory.capacity_gb".into(), &|q| q.memory.as_mut().and_then(|m| m.capacity_gb.take()).is_some());
    put("memory.hbm".into(), &|q| q.memory.as_mut().and_then(|m| m.hbm.take()).is_some());
    put("memory.kind".into(), &|q| q.memory.as_mut().and_then(|m| m.kind.take()).is_some());
    put("logic_dies_complete".into(), &|q| std::mem::take(&mut q.logic_dies_complete));
    for i in 0..p.logic_dies.len() {
        put(format!("logic_die[{i}].area_mm2"), &|q| q.logic_dies[i].area_mm2.take().is_some());
        put(format!("logic_die[{i}].non_planar"), &|q| q.logic_dies[i].non_planar.take().is_some());
        put(format!("logic_die[{i}].at_or_below_16_14nm"), &|q| q.logic_dies[i].at_or_below_16_14nm.take().is_some());
    }
    for (i, u) in p.processing_units.iter().enumerate() {
        put(format!("processing_unit[{i}].complete"), &|q| std::mem::take(&mut q.processing_units[i].complete));
        for j in 0..u.rates.len() {
            put(format!("processing_unit[{i}].rate[{j}]"), &|q| {
                q.processing_units[i].rates.remove(j);
                true
            });
        }
        for j in 0..u.unsupported.len() {
            put(format!("processing_unit[{i}].unsupported[{j}]"), &|q| {
                q.processing_units[i].unsupported.remove(j);
                true
            });
        }
    }
    out
}

/// Every owner list with one fact of one owner (at any level) taken away, each named.
fn owner_removals(owners: &[Owner], path: &str, out: &mut Vec<(String, Vec<Owner>)>) {
    for (i, o) in owners.iter().enumerate() {
        let at = format!("{path}owner[{i}]");
        let mut put = |what: &str, f: &dyn Fn(&mut Owner) -> bool| {
            let mut all = owners.to_vec();
            if f(&mut all[i]) {
                out.push((format!("{at}.{what}"), all));
            }
        };
        put("percent", &|o| o.percent.take().is_some());
        put("screened", &|o| !std::mem::take(&mut o.screened).is_empty());
        put("owners_known", &|o| std::mem::take(&mut o.owners_known));
        // Identity: taken away when it is the only one given.
        put("identified", &|o| o.registration.is_none() && std::mem::take(&mut o.identified));
        put("registration", &|o| !o.identified && o.registration.take().is_some());
        let mut inner = Vec::new();
        owner_removals(&o.owners, &format!("{at}."), &mut inner);
        for (what, nested) in inner {
            let mut all = owners.to_vec();
            all[i].owners = nested;
            out.push((what, all));
        }
    }
}

/// Every query with one fact taken away, each named.
fn query_removals(q: &Query) -> Vec<(String, Query)> {
    let mut out = Vec::new();
    let mut of_owners = Vec::new();
    let mut put = |what: String, f: &dyn Fn(&mut Query) -> bool| {
        let mut r = q.clone();
        if f(&mut r) {
            out.push((what, r));
        }
    };
    put("exported_from".into(), &|r| r.exported_from.take().is_some());
    put("exporter.front_end_fabricator_or_osat".into(), &|r| r.exporter.front_end_fabricator_or_osat.take().is_some());
    put("exporter.approved_ic_designer_attestation".into(), &|r| {
        std::mem::take(&mut r.exporter.approved_ic_designer_attestation)
    });
    put("exporter.packaged_outside_d5_or_macau".into(), &|r| {
        std::mem::take(&mut r.exporter.packaged_outside_d5_or_macau)
    });
    put("exporter.packaged_by".into(), &|r| r.exporter.packaged_by.take().is_some());
    for (i, p) in q.parties.iter().enumerate() {
        let at = format!("party[{i}] ({})", p.role.as_str());
        // The end user taken away, while another party remains (the last one: exemptions
        // above): the end user is then unknown (README, "Parties").
        put(at.clone(), &|r| {
            r.parties.remove(i);
            p.role == Role::EndUser && !r.parties.is_empty()
        });
        put(format!("{at}.name"), &|r| r.parties[i].name.take().is_some());
        put(format!("{at}.country"), &|r| r.parties[i].country.take().is_some());
        put(format!("{at}.headquarters"), &|r| r.parties[i].headquarters.take().is_some());
        put(format!("{at}.parent_headquarters"), &|r| r.parties[i].parent_headquarters.take().is_some());
        put(format!("{at}.owners_known"), &|r| std::mem::take(&mut r.parties[i].owners_known));
        put(format!("{at}.screened"), &|r| !std::mem::take(&mut r.parties[i].screened).is_empty());
        for j in 0..p.end_uses.len() {
            put(format!("{at}.end_uses[{j}].in"), &|r| r.parties[i].end_uses[j].place.take().is_some());
        }
        let mut owners = Vec::new();
        owner_removals(&p.owners, &format!("{at}."), &mut owners);
        for (what, list) in owners {
            let mut r = q.clone();
            r.parties[i].owners = list;
            of_owners.push((what, r));
        }
    }
    out.extend(of_owners);
    out
}

/// How far a verdict clears: 0 for a licence required, 1 for indeterminate, 2 for a licence
/// exception, 3 for no licence required.
fn clearance(v: Verdict) -> u8 {
    match v {
        Verdict::LicenseRequired => 0,
        Verdict::Indeterminate => 1,
        Verdict::LicenseException => 2,
        Verdict::NoLicenseRequired => 3,
    }
}

/// Whether `after` (one fact less) moves toward a clearance from `before`: the verdict stays
/// or becomes indeterminate otherwise (a licence required where one fact less leaves the
/// answer a clearance is not a clearance either, and is allowed).
fn moves_toward_clearance(before: Verdict, after: Verdict) -> bool {
    after != before && after != Verdict::Indeterminate && clearance(after) > clearance(before)
}

/// The verdict, or `None` when the query is refused (facts that contradict each other, such
/// as one company given twice with different owners, E0520): a refusal clears nothing.
fn verdict(product: &Product, q: &Query) -> Option<Verdict> {
    let prepared = PreparedProduct::new(product.clone());
    rules().evaluate(&prepared, q, Options::default()).ok().map(|d| d.verdict)
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn knowing_one_fact_less_never_clears(
        product in 0..products().len(),
        to in 0..DESTINATIONS.len(),
        on in 0..DATES.len(),
        from_us in any::<bool>(),
        exporter in (prop::option::of(any::<bool>()), any::<bool>(), any::<bool>(), prop::option::of(0..Packager::ALL.len())),
        spec in parties(),
    ) {
        let p = &products()[product];
        let on = date(DATES[on]);
        let to = DESTINATIONS[to].parse().unwrap();
        let from = if from_us { "US".parse().unwrap() } else { "SG".parse().unwrap() };
        let exporter = Exporter {
            front_end_fabricator_or_osat: exporter.0.or(Some(false)),
            approved_ic_designer_attestation: exporter.1,
            packaged_outside_d5_or_macau: exporter.2,
            packaged_by: exporter.3.map(|i| Packager::ALL[i]),
        };
        let mut q = Query::export_to(to, on).exported_from(from).with_exporter(exporter);
        q.parties = build_parties(&spec, on);
        // Facts the generator drew that contradict each other (an owner named as the party it
        // owns) are refused: not complete facts, so not a case.
        let Some(before) = verdict(p, &q) else { return Ok(()) };
        let mut moved = Vec::new();
        for (what, less) in product_removals(p) {
            let after = verdict(&less, &q).unwrap_or(Verdict::Indeterminate);
            if moves_toward_clearance(before, after) {
                moved.push(format!("product {}: {what}: {} -> {}", p.id, before.as_str(), after.as_str()));
            }
        }
        for (what, less) in query_removals(&q) {
            let after = verdict(p, &less).unwrap_or(Verdict::Indeterminate);
            if moves_toward_clearance(before, after) {
                moved.push(format!("{what}: {} -> {}", before.as_str(), after.as_str()));
            }
        }
        prop_assert!(moved.is_empty(), "{} to {} on {on} from {from}: {moved:#?}\n{q:#?}", p.id, q.destination);
    }
}
