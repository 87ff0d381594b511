//! A superseded release of the pack (F6): an older release of `us-ear`, exactly as it was
//! locked on main (rules/RELEASES.toml), given with `--rules`. A determination for a shipment
//! today must not rest on superseded rules without the user asking for it: `check`,
//! `classify`, `screen`, `plot` and `serve` (and its reload) refuse it with E0527 at the
//! `version` line of its pack.toml, naming the version that supersedes it; `--superseded`
//! (library: `PackOptions::allow_superseded`, service: `PackSource::allow_superseded`) uses it,
//! and every determination then says `SUPERSEDED PACK:` first in its scope. `replay` and
//! `records verify`, which reproduce records made with it, need no flag.
//!
//! The old release is taken from git (`git archive COMMIT rules/us-ear`): the commit of the
//! newest release before the shipped one, as the register names it. CI runs on a full clone.

mod common;
#[path = "../../service/tests/common/mod.rs"]
mod http;

use std::path::Path;

use common::*;
use export_controls::audit::{PackOptions, pack_status, pack_status_with};
use export_controls_service::pack::{LoadedPack, PackError, PackSource, SharedPack};

/// The `line:column` of the `version` value in `pack`'s pack.toml.
fn version_site(pack: &Path) -> String {
    let text = std::fs::read_to_string(pack.join("pack.toml")).unwrap();
    let line = text.lines().position(|l| l.starts_with("version = ")).unwrap() + 1;
    format!("pack.toml:{line}:11")
}

/// Asserts that `o` is the E0527 refusal of the pack at `site`, superseded by `by`.
fn assert_refused(o: &std::process::Output, site: &str, old: &str, by: &str) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert!(o.stdout.is_empty(), "{}", String::from_utf8_lossy(&o.stdout));
    assert!(err.contains(&format!("{site}: error[E0527]: us-ear {old} is superseded by us-ear {by}")), "{err}");
}

#[test]
fn a_superseded_release_is_refused_unless_asked_for_and_then_marked_and_replays_without_a_flag() {
    let dir = temp_dir("superseded-release");
    let (pack, old) = old_release(&dir);
    let p = pack.to_str().unwrap();
    let shipped = shipped_version();
    let site = version_site(&pack);

    // Refused by every command that makes determinations.
    let mut check = check_args("nvidia-h100-sxm5-80gb", "CN", "2025-06-01");
    check.extend(["--rules", p]);
    assert_refused(&run(&check), &site, &old, &shipped);
    assert_refused(&run(&["classify", "--product", "nvidia-h100-sxm5-80gb", "--rules", p]), &site, &old, &shipped);
    assert_refused(&run(&["screen", "--rules", p]), &site, &old, &shipped);
    assert_refused(&run(&["plot", "--rules", p]), &site, &old, &shipped);
    let o = bin()
        .args(["serve", "--addr", "127.0.0.1:0", "--db"])
        .arg(dir.join("refused.db"))
        .args(["--rules", p])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("E0527"), "{}", stderr(&o));

    // Asked for: the determination says so first in its scope, and first in its text.
    check.extend(["--superseded", "--format", "json"]);
    let o = run(&check);
    let d = json(&o);
    assert_eq!(d["rules"]["version"], old.as_str());
    let first = d["scope"][0].as_str().unwrap();
    assert!(
        first.starts_with(&format!("SUPERSEDED PACK: the rule pack us-ear {old} is superseded by us-ear {shipped}")),
        "{first}"
    );
    assert!(stderr(&o).starts_with("warning: SUPERSEDED PACK: "), "{}", stderr(&o));
    // The H100 SXM5 (TPP 15,832 ≥ 4,800: 3A090.a) to China needs a licence under both
    // releases (15 CFR 742.6(a)(6)(iii), 88 FR 73458).
    assert_eq!(d["verdict"], "license_required");
    let text = run(&check[..check.len() - 2]);
    assert_eq!(text.status.code(), Some(0), "{}", stderr(&text));
    let text = String::from_utf8_lossy(&text.stdout);
    let header: Vec<&str> = text.lines().take(4).collect();
    assert!(header[3].trim_start().starts_with("SUPERSEDED PACK:"), "{text}");
    for cmd in [vec!["classify", "--product", "nvidia-h100-sxm5-80gb"], vec!["screen"], vec!["plot"]] {
        let mut args = cmd.clone();
        args.extend(["--rules", p, "--superseded"]);
        let o = run(&args);
        assert_eq!(o.status.code(), Some(0), "{cmd:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("SUPERSEDED PACK"), "{cmd:?}: {}", stderr(&o));
    }

    // Replayed without a flag: the record made with --superseded, and one made while the
    // release was current (no such line).
    let made = dir.join("superseded.json");
    std::fs::write(&made, &o.stdout).unwrap();
    let o = run(&["replay", made.to_str().unwrap(), "--rules", p]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains(": identical"), "{}", String::from_utf8_lossy(&o.stdout));
    let mut current = d.clone();
    current["scope"].as_array_mut().unwrap().remove(0);
    let earlier = dir.join("current.json");
    std::fs::write(&earlier, serde_json::to_vec_pretty(&current).unwrap()).unwrap();
    let o = run(&["replay", earlier.to_str().unwrap(), "--rules", p]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // A SUPERSEDED line other than the engine's is not the record it made.
    let mut forged = d.clone();
    forged["scope"][0] = serde_json::Value::String(format!("SUPERSEDED PACK: us-ear {old} is fine"));
    let forged_file = dir.join("forged.json");
    std::fs::write(&forged_file, serde_json::to_vec_pretty(&forged).unwrap()).unwrap();
    let o = run(&["replay", forged_file.to_str().unwrap(), "--rules", p]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("differs from the recorded one at `scope[0]`"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn serve_with_allow_superseded_marks_its_determinations_and_records_verify_needs_no_flag() {
    let dir = temp_dir("superseded-serve");
    let (pack, old) = old_release(&dir);
    let p = pack.to_str().unwrap();
    let db = dir.join("records.sqlite");
    let server = spawn_serve(&["--db", db.to_str().unwrap(), "--rules", p, "--superseded"], &dir.join("serve.err"));
    let r = http::post_json(server.addr, "/v1/determinations", &http::tx("nvidia-h100-sxm5-80gb", "CN", "2025-06-01"));
    assert_eq!(r.status, 201, "{}", r.text());
    let d = r.json();
    assert_eq!(d["rules"]["version"], old.as_str());
    assert!(d["scope"][0].as_str().unwrap().starts_with("SUPERSEDED PACK:"), "{}", d["scope"]);
    drop(server);
    let o = run(&["records", "verify", "--db", db.to_str().unwrap(), "--rules", p]);
    assert_eq!(o.status.code(), Some(0), "{}{}", String::from_utf8_lossy(&o.stdout), stderr(&o));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn the_library_refuses_a_superseded_release_by_default_at_load_and_at_reload() {
    let dir = temp_dir("superseded-library");
    let (old_pack, old) = old_release(&dir);

    // pack_status: refused by default (E0527 at the version line); allowed, marked.
    let Err(export_controls::LoadError::Invalid(d)) = pack_status(&old_pack) else {
        panic!("a superseded release loaded by default")
    };
    assert_eq!(d.0.len(), 1);
    assert_eq!(d.0[0].code, export_controls::diagnostic::Code::E0527);
    assert!(d.0[0].to_string().contains(&version_site(&old_pack)), "{}", d.0[0]);
    let status = pack_status_with(&old_pack, PackOptions { allow_superseded: true, ..PackOptions::default() }).unwrap();
    assert!(status.is_locked());
    assert_eq!(status.rules.superseded_by(), Some(format!("us-ear {}", shipped_version()).as_str()));
    let replay = pack_status_with(&old_pack, PackOptions { replay: true, ..PackOptions::default() }).unwrap();
    assert_eq!(replay.rules.superseded_by(), None);

    // The service: refused unless allowed; and a reload (SIGHUP) that finds the current pack
    // replaced by the old release keeps serving the current one.
    let source = PackSource { rules: Some(old_pack.clone()), catalog: None, allow_superseded: false };
    match LoadedPack::load(&source) {
        Err(PackError::Superseded(e)) => assert!(e.to_string().contains("E0527"), "{e}"),
        Err(e) => panic!("refused for another reason: {e}"),
        Ok(_) => panic!("the service loaded a superseded release"),
    }
    let allowed = LoadedPack::load(&PackSource { allow_superseded: true, ..source }).unwrap();
    assert!(allowed.rules().superseded_by().is_some());
    let current = dir.join("current");
    copy_shipped_pack(&current);
    let shared = SharedPack::new(
        LoadedPack::load(&PackSource { rules: Some(current.clone()), catalog: None, allow_superseded: false }).unwrap(),
    );
    std::fs::remove_dir_all(&current).unwrap();
    copy_dir(&old_pack, &current);
    assert!(matches!(shared.reload(), Err(PackError::Superseded(_))));
    assert_eq!(shared.get().rules().pack().version, shipped_version());
    assert_ne!(shared.get().rules().pack().version, old);
    std::fs::remove_dir_all(&dir).ok();
}
