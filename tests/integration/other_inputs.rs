//! What codegen reads besides the spec: the package name (`--name`), and the
//! `Cargo.toml` and `public-api.txt` an earlier run left in the output folder.
//! Bad input is one `error:` line and exit 1 with nothing written: never a
//! panic, a hang on a FIFO, a read through a link or an unbounded allocation.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use crate::out_folder::tree;
use tests::scratch_dir;
use verify::compile::{build, Build, GeneratedCrate};

/// Runs `cargo xtask ARGS` on a thread, failing the test if it takes more
/// than a minute (a read blocked on a FIFO never ends).
fn run(args: &[&str]) -> (u8, String, String) {
    let args: Vec<String> = args.iter().map(|arg| arg.to_string()).collect();
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = sender.send(tests::xtask(&args));
    });
    receiver.recv_timeout(Duration::from_secs(60)).expect("codegen ends within a minute")
}

fn generated(name: &str) -> PathBuf {
    let dir = scratch_dir(name);
    let (code, _, stderr) = run(&["codegen", "--out", dir.to_str().expect("utf-8")]);
    assert_eq!(code, 0, "{stderr}");
    dir
}

/// Asserts exit 1 with one `error:` line containing `what`.
fn assert_one_error(outcome: &(u8, String, String), what: &str) {
    let (code, stdout, stderr) = outcome;
    assert_eq!(*code, verify::FAILURE, "stdout: {stdout} stderr: {stderr}");
    assert!(stderr.starts_with("error: ") && stderr.trim_end().lines().count() == 1, "one error line: {stderr}");
    assert!(stderr.contains(what), "{what}: {stderr}");
}

#[test]
fn a_recorded_version_that_cannot_be_bumped_is_an_error_not_a_panic() {
    let max = u64::MAX;
    // The record edited so that the next run calls for a bump past u64::MAX:
    // other sources (a patch), or an item gone (breaking, under and over 1.0).
    let cases = [
        (format!("0.0.{max}"), "# sources 0000000000000000\n"),
        (format!("0.{max}.0"), "struct Gone\n"),
        (format!("{max}.0.0"), "struct Gone\n"),
    ];
    for (version, edit) in cases {
        let dir = generated("record-overflow");
        let record = dir.join("public-api.txt");
        let text = std::fs::read_to_string(&record).expect("record");
        let version_line = text.lines().find(|line| line.starts_with("# version ")).expect("a version line");
        std::fs::write(&record, format!("{}{edit}", text.replace(version_line, &format!("# version {version}"))))
            .expect("write");
        let before = tree(&dir);
        let outcome = run(&["codegen", "--out", dir.to_str().expect("utf-8")]);
        assert_one_error(&outcome, "cannot be bumped");
        assert_eq!(tree(&dir), before, "{version}: nothing written");
    }
}

#[test]
fn package_names_cargo_refuses_are_refused_before_anything_is_written() {
    let work = scratch_dir("bad-names");
    let long = "a".repeat(65);
    let cases: &[(&str, &str)] = &[
        ("", "empty"),
        ("my crate", "not allowed"),
        ("clerk.invitations", "not allowed"),
        ("naïve", "not allowed"),
        ("9lives", "starts with a digit"),
        ("-x", "starts with `-`"),
        ("self", "keyword"),
        ("async", "keyword"),
        ("test", "reserves"),
        ("proc-macro", "reserves"),
        ("std", "reserves"),
        ("deps", "reserves"),
        ("con", "Windows device"),
        ("LPT1", "Windows device"),
        (&long, "longer than the 64"),
        ("_", "`_`"),
    ];
    for (index, (name, why)) in cases.iter().enumerate() {
        let out = work.join(format!("out-{index}"));
        let outcome = run(&["codegen", "--name", name, "--out", out.to_str().expect("utf-8")]);
        assert_one_error(&outcome, why);
        assert!(!out.exists(), "{name:?}: nothing written");
    }
}

#[test]
fn an_odd_name_cargo_accepts_generates_a_crate_that_builds() {
    let name = "a_b-c9";
    let work = scratch_dir("odd-name");
    let (code, _, stderr) = run(&["codegen", "--name", name, "--out", work.join("out").to_str().expect("utf-8")]);
    assert_eq!(code, 0, "{stderr}");
    let krate = GeneratedCrate::generate(name, &verify::paths::default_spec(), codegen::Selection::default())
        .expect("generates");
    let outcome = build("odd-name", &[krate], Build::Check).expect("cargo runs");
    assert!(outcome.success, "{}", outcome.output);
}

/// Puts `hostile` in place of `file` in a generated crate, runs codegen, and
/// asserts a one-line refusal naming the file, with nothing else changed.
fn assert_refused_in_place_of(file: &str, label: &str, hostile: impl FnOnce(&Path), why: &str) {
    let dir = generated(&format!("earlier-{label}"));
    let path = dir.join(file);
    std::fs::remove_file(&path).expect("remove");
    hostile(&path);
    let before = tree(&dir);
    let outcome = run(&["codegen", "--out", dir.to_str().expect("utf-8")]);
    assert_one_error(&outcome, &format!("{file}`"));
    assert_one_error(&outcome, why);
    assert_eq!(tree(&dir), before, "{file} as {label}: nothing written");
}

#[test]
fn cargo_toml_and_the_record_are_read_as_capped_regular_files_never_through_links() {
    for (file, cap) in [("Cargo.toml", codegen::files::CARGO_TOML_CAP), ("public-api.txt", codegen::files::RECORD_CAP)]
    {
        let stem = file.replace('.', "-");
        assert_refused_in_place_of(
            file,
            &format!("{stem}-dev-zero"),
            |path| std::os::unix::fs::symlink("/dev/zero", path).expect("symlink"),
            "symbolic link",
        );
        assert_refused_in_place_of(
            file,
            &format!("{stem}-fifo"),
            |path| {
                let made = std::process::Command::new("mkfifo").arg(path).status().expect("mkfifo runs");
                assert!(made.success());
            },
            "FIFO",
        );
        assert_refused_in_place_of(
            file,
            &format!("{stem}-folder"),
            |path| std::fs::create_dir(path).expect("mkdir"),
            "a folder",
        );
        // Sparse: as large as it says, without taking the disk space.
        assert_refused_in_place_of(
            file,
            &format!("{stem}-oversize"),
            |path| std::fs::File::create(path).and_then(|file| file.set_len(cap + 1)).expect("sparse file"),
            "larger than",
        );
    }
}
