//! `generated-client/src/generated/` must be what `spec/` generates: a plain
//! `cargo test` fails otherwise, with the same report as `cargo xtask codegen --check`.

use std::io::Write;

#[test]
fn generated_client_is_up_to_date_with_spec() {
    if let Err(report) = xtask::check_generated() {
        panic!("{report}");
    }
}

/// Copies the committed generated files into a scratch folder.
fn copy_of_generated(name: &str) -> std::path::PathBuf {
    let dir = tests::scratch_dir(name);
    for entry in std::fs::read_dir(xtask::generated_dir()).expect("generated dir") {
        let path = entry.expect("entry").path();
        std::fs::copy(&path, dir.join(path.file_name().expect("file name"))).expect("copy");
    }
    dir
}

fn run(args: &[&str]) -> (u8, String, String) {
    let args: Vec<String> = args.iter().map(|arg| arg.to_string()).collect();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = xtask::run(&args, &mut out, &mut err);
    (code, String::from_utf8(out).expect("utf-8"), String::from_utf8(err).expect("utf-8"))
}

#[test]
fn check_names_a_file_changed_by_one_space() {
    let dir = copy_of_generated("check-stale");
    let dir_arg = dir.to_str().expect("utf-8 path");
    let (code, _, err) = run(&["codegen", "--check", "--out", dir_arg]);
    assert_eq!(code, 0, "an exact copy is up to date: {err}");

    let models = dir.join("models.rs");
    std::fs::OpenOptions::new().append(true).open(&models).expect("open").write_all(b" ").expect("append");
    let before = std::fs::read(&models).expect("read");
    let (code, _, err) = run(&["codegen", "--check", "--out", dir_arg]);
    assert_eq!(code, xtask::FAILURE);
    assert!(err.contains("stale:   models.rs"), "{err}");
    assert!(err.contains(xtask::STALE_HINT), "{err}");
    assert_eq!(std::fs::read(&models).expect("read"), before, "--check must not write");
}

#[test]
fn check_lists_missing_and_extra_files() {
    let dir = copy_of_generated("check-missing");
    std::fs::remove_file(dir.join("mod.rs")).expect("remove");
    std::fs::write(dir.join("leftover.rs"), "// old\n").expect("write");
    let (code, _, err) = run(&["codegen", "--check", "--out", dir.to_str().expect("utf-8 path")]);
    assert_eq!(code, xtask::FAILURE);
    assert!(err.contains("missing: mod.rs"), "{err}");
    assert!(err.contains("extra:   leftover.rs"), "{err}");
}

#[test]
fn codegen_writes_then_leaves_unchanged_files_alone() {
    let dir = tests::scratch_dir("codegen-write");
    std::fs::write(dir.join("leftover.rs"), "// old\n").expect("write");
    let dir_arg = dir.to_str().expect("utf-8 path");
    let (code, out, err) = run(&["codegen", "--out", dir_arg]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("7 operations") && out.contains("3 files written, 0 unchanged, 1 removed"), "{out}");
    assert!(!dir.join("leftover.rs").exists());
    let (code, out, _) = run(&["codegen", "--out", dir_arg]);
    assert_eq!(code, 0);
    assert!(out.contains("0 files written, 3 unchanged, 0 removed"), "{out}");
}
