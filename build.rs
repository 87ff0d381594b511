//! Rebuilds the crate when anything under rules/ changes: the shipped pack, catalog and rule
//! tests are embedded in the library with `include_dir!`, which does not track new files.
fn main() {
    println!("cargo:rerun-if-changed=rules");
}
