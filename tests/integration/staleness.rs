//! The generated crate in `generated-client/` must be what `spec/` generates: a
//! plain `cargo test` fails otherwise, with the same report as
//! `cargo xtask codegen --check`.

use std::io::Write;

use crate::out_folder::OLDER_HEADER;

#[test]
fn generated_client_is_up_to_date_with_spec() {
    if let Err(report) = verify::generated::check_generated() {
        panic!("{report}");
    }
}

/// The crate generated into a scratch folder (its `Cargo.toml` names the
/// runtime by a path relative to where it is, so it is generated there, not copied).
fn copy_of_generated(name: &str) -> std::path::PathBuf {
    let dir = tests::scratch_dir(name);
    let (code, _, err) = tests::xtask(["codegen", "--out", dir.to_str().expect("utf-8 path")]);
    assert_eq!(code, 0, "{err}");
    dir
}

#[test]
fn check_names_a_file_changed_by_one_space() {
    let dir = copy_of_generated("check-stale");
    let dir_arg = dir.to_str().expect("utf-8 path");
    let (code, _, err) = tests::xtask(["codegen", "--check", "--out", dir_arg]);
    assert_eq!(code, 0, "freshly generated output is up to date: {err}");

    let models = dir.join("src/models.rs");
    std::fs::OpenOptions::new().append(true).open(&models).expect("open").write_all(b" ").expect("append");
    let before = std::fs::read(&models).expect("read");
    let (code, _, err) = tests::xtask(["codegen", "--check", "--out", dir_arg]);
    assert_eq!(code, verify::FAILURE);
    assert!(err.contains("stale:   src/models.rs"), "{err}");
    assert!(err.contains(verify::generated::STALE_HINT), "{err}");
    assert_eq!(std::fs::read(&models).expect("read"), before, "--check must not write");
}

/// Adds `path` to the folder's manifest, as if an earlier codegen had written it.
pub fn list_in_manifest(dir: &std::path::Path, path: &str) {
    let manifest = dir.join(codegen::files::MANIFEST);
    let mut text = std::fs::read_to_string(&manifest).expect("a manifest");
    text.push_str(&format!("{path}\n"));
    std::fs::write(&manifest, text).expect("write manifest");
}

#[test]
fn check_lists_missing_and_extra_files_but_not_the_users() {
    let dir = copy_of_generated("check-missing");
    std::fs::remove_file(dir.join("src/lib.rs")).expect("remove");
    std::fs::write(dir.join("src/leftover.rs"), OLDER_HEADER).expect("write");
    list_in_manifest(&dir, "src/leftover.rs");
    std::fs::write(dir.join("NOTES.md"), "mine\n").expect("write");
    let (code, _, err) = tests::xtask(["codegen", "--check", "--out", dir.to_str().expect("utf-8 path")]);
    assert_eq!(code, verify::FAILURE);
    assert!(err.contains("missing: src/lib.rs"), "{err}");
    assert!(err.contains("extra:   src/leftover.rs"), "{err}");
    assert!(!err.contains("NOTES.md"), "files codegen did not write are not its business: {err}");
}

#[test]
fn codegen_writes_then_leaves_unchanged_and_foreign_files_alone() {
    let dir = tests::scratch_dir("codegen-write");
    let dir_arg = dir.to_str().expect("utf-8 path");
    let (code, out, err) = tests::xtask(["codegen", "--out", dir_arg]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("7 operations") && out.contains("7 files written, 0 unchanged, 0 removed"), "{out}");

    // A file an earlier run wrote and the spec no longer generates is removed;
    // the user's files are not.
    std::fs::write(dir.join("src/old_group.rs"), OLDER_HEADER).expect("write");
    list_in_manifest(&dir, "src/old_group.rs");
    std::fs::create_dir(dir.join("target")).expect("mkdir");
    std::fs::write(dir.join("target/build.log"), "log\n").expect("write");
    std::fs::write(dir.join("NOTES.md"), "mine\n").expect("write");
    let (code, out, err) = tests::xtask(["codegen", "--out", dir_arg]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("0 files written, 7 unchanged, 1 removed"), "{out}");
    assert!(!dir.join("src/old_group.rs").exists());
    assert_eq!(std::fs::read_to_string(dir.join("NOTES.md")).expect("kept"), "mine\n");
    assert_eq!(std::fs::read_to_string(dir.join("target/build.log")).expect("kept"), "log\n");
    let manifest = std::fs::read_to_string(dir.join(codegen::files::MANIFEST)).expect("manifest");
    assert!(!manifest.contains("old_group.rs") && manifest.contains("src/models.rs"), "{manifest}");
}
