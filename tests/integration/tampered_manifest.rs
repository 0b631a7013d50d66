//! The manifest is a list, not proof: lines added to it never make codegen
//! delete or replace a file it did not write. A listed file is codegen's only
//! while it is one codegen writes (`Cargo.toml`, `public-api.txt`, `src/…`) and
//! starts with codegen's header; `--check` never reports any other as extra.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::out_folder::{codegen, copy_tree, tree, OLDER_HEADER};
use crate::staleness::list_in_manifest;
use tests::{scratch_dir, tests_dir};

/// Names added to the manifest that codegen never wrote.
const FOREIGN: &[&str] =
    &["README.md", "LICENSE", "runtime/src/client.rs", "runtime/Cargo.toml", "target/debug/keep", "src/notes.rs"];

/// A generated crate beside the project's README.md, LICENSE and runtime, its
/// manifest listing them, a user's `src/notes.rs` and a stale generated file.
fn tampered_crate(name: &str) -> PathBuf {
    let dir = scratch_dir(name);
    let (code, _, stderr) = codegen(&dir);
    assert_eq!(code, 0, "{stderr}");
    let project = tests_dir().parent().expect("root").join("generated-client");
    for file in ["README.md", "LICENSE"] {
        std::fs::copy(project.join(file), dir.join(file)).expect("copy");
    }
    copy_tree(&project.join("runtime"), &dir.join("runtime"), &["target"]);
    std::fs::create_dir_all(dir.join("target/debug")).expect("mkdir");
    std::fs::write(dir.join("target/debug/keep"), "build output\n").expect("write");
    std::fs::write(dir.join("src/notes.rs"), "// my notes, not generated\n").expect("write");
    std::fs::write(dir.join("src/old_group.rs"), OLDER_HEADER).expect("write");
    for path in FOREIGN.iter().chain(&["src/old_group.rs"]) {
        list_in_manifest(&dir, path);
    }
    dir
}

fn check(dir: &Path) -> (u8, String) {
    let (code, _, stderr) = tests::xtask(["codegen", "--check", "--out", dir.to_str().expect("utf-8")]);
    (code, stderr)
}

/// `tree` without the entries named.
fn without(mut tree: BTreeMap<PathBuf, String>, paths: &[&str]) -> BTreeMap<PathBuf, String> {
    for path in paths {
        tree.remove(Path::new(path));
    }
    tree
}

#[test]
fn check_reports_only_stale_generated_files_as_extra() {
    let dir = tampered_crate("tampered-check");
    let before = tree(&dir);
    let (code, stderr) = check(&dir);
    assert_eq!(code, verify::FAILURE, "{stderr}");
    let extra: Vec<&str> = stderr.lines().filter(|line| line.contains("extra:")).collect();
    assert_eq!(extra, ["  extra:   src/old_group.rs"], "{stderr}");
    for foreign in FOREIGN.iter().filter(|path| !path.starts_with("src/")) {
        assert!(
            stderr.lines().any(|line| line.starts_with("warning: ") && line.contains(&format!("`{foreign}`"))),
            "{foreign} is named as ignored: {stderr}"
        );
    }
    assert_eq!(tree(&dir), before, "--check writes nothing");
}

#[test]
fn a_run_deletes_and_replaces_nothing_codegen_did_not_write() {
    let dir = tampered_crate("tampered-run");
    let before = tree(&dir);
    let (code, stdout, stderr) = codegen(&dir);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains(" 1 removed"), "{stdout}");
    assert!(!dir.join("src/old_group.rs").exists(), "the stale generated file is removed");
    // `Cargo.toml` is codegen's: it now names the README beside it.
    let manifest = codegen::files::MANIFEST;
    assert_eq!(
        without(tree(&dir), &[manifest, "Cargo.toml"]),
        without(before, &[manifest, "Cargo.toml", "src/old_group.rs"]),
        "README.md, LICENSE, runtime/, target/ and src/notes.rs are byte-identical"
    );
    let listed = std::fs::read_to_string(dir.join(manifest)).expect("manifest");
    for foreign in FOREIGN {
        assert!(!listed.lines().any(|line| line == *foreign), "{foreign} dropped from the manifest: {listed}");
    }
    let (code, stderr) = check(&dir);
    assert_eq!((code, stderr.as_str()), (0, ""), "up to date, nothing left to warn about");
}

#[test]
fn a_listed_file_without_the_header_is_not_replaced() {
    let dir = tampered_crate("tampered-replace");
    std::fs::write(dir.join("src/models.rs"), "// rewritten by hand, header removed\n").expect("write");
    let before = tree(&dir);
    let (code, _, stderr) = codegen(&dir);
    assert_eq!(code, verify::FAILURE, "{stderr}");
    assert!(stderr.contains("models.rs` exists and was not written by codegen"), "{stderr}");
    assert_eq!(stderr.lines().filter(|line| line.starts_with("error: ")).count(), 1, "{stderr}");
    assert_eq!(tree(&dir), before, "nothing written, nothing removed");
}
