//! The register of releases of the embedded pack (rules/RELEASES.toml) names the embedded pack
//! itself as its newest release: a version raised without its line there would leave records
//! made under it unreplayable as a release, and the pack it supersedes unrecognised.

use export_controls::releases::register;
use export_controls::ruleset::RuleSet;

#[test]
fn the_newest_release_is_the_embedded_pack() {
    let shipped = RuleSet::shipped().unwrap();
    let pack = shipped.pack();
    let register = register().unwrap();
    assert_eq!(register.pack, pack.name);
    let newest = register.releases.first().expect("the register lists no release");
    assert!(
        newest.version == pack.version && newest.sha256 == pack.sha256,
        "rules/RELEASES.toml does not start with the embedded pack; add at its top:\n\n[[release]]\nversion = \"{}\"\nsha256 = \"{}\"\ncommit = \"<the commit that locks it>\"\ndate = <its date>\n",
        pack.version,
        pack.sha256
    );
}

#[test]
fn releases_are_listed_newest_first() {
    // By the day each was locked (0.1.27 was locked twice on main with different content, and
    // 0.1.26 between the two: the register's header says why, so versions are not in order).
    let dates: Vec<String> = register().unwrap().releases.iter().map(|r| r.date.to_string()).collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
}
