//! `cargo xtask fuzz` end to end, on a few cases per class and no compiled
//! samples. The fuzz runs codegen as child processes of the `xtask` binary
//! itself, and only an integration test of this package can name that binary
//! (`CARGO_BIN_EXE_xtask`); that is why this test lives here and not in
//! `tests/integration`.
//!
//! Whether a case breaks depends on codegen, not on the fuzz: these tests check
//! the shape of the report and the rules of the run, whatever the cases find.

use std::process::{Command, Output};

const CLASSES: [&str; 10] = [
    "mutations",
    "alias-loops",
    "builder-clashes",
    "depth-limits",
    "empty-prose",
    "multipart-lists",
    "free-form-unions",
    "hostile-files",
    "group-features",
    "kept-literals",
];

fn fuzz(args: &[&str]) -> (Output, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask")).arg("fuzz").args(args).output().expect("xtask runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (output, stdout, stderr)
}

/// The numbers of a class's row: cases, generated, refused, broken, and the
/// compiled samples as `ok/chosen`.
fn row(stdout: &str, class: &str) -> (usize, usize, usize, usize, String) {
    let line = stdout
        .lines()
        .find(|line| line.split_whitespace().next() == Some(class))
        .unwrap_or_else(|| panic!("no row for {class}:\n{stdout}"));
    let cells: Vec<&str> = line.split_whitespace().collect();
    let number = |index: usize| cells[index].parse::<usize>().unwrap_or_else(|_| panic!("{line}"));
    (number(1), number(2), number(3), number(4), cells[5].to_owned())
}

// One test, so the runs (which share `target/fuzz`) do not overlap.
#[test]
fn a_small_run_reports_every_class_and_fails_below_twenty_cases_a_class() {
    // Two cases per class: the run fails, whatever they find, because no
    // class made its 20 cases, and says which.
    let (output, stdout, stderr) = fuzz(&["--cases", "20", "--compile", "0", "--seed", "7"]);
    assert_eq!(output.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(stdout.starts_with("fuzz: 20 cases (seed 7) in "), "{stdout}");
    for class in CLASSES {
        let (cases, generated, refused, broken, compiled) = row(&stdout, class);
        assert_eq!(cases, 2, "{class}");
        assert_eq!(generated + refused + broken, cases, "{class}: every case ends one way");
        assert_eq!(compiled, "0/0", "{class}");
        assert!(stderr.contains(&format!("{class} (2)")), "{class} not named as too small:\n{stderr}");
    }
    assert!(stderr.contains("error: classes with fewer than 20 cases: "), "{stderr}");
    // Every broken case is reported on a line of its own, with where it is kept.
    let broken: usize = CLASSES.iter().map(|class| row(&stdout, class).3).sum();
    assert_eq!(stderr.lines().filter(|line| line.starts_with("broken: ")).count(), broken, "{stderr}");

    // One class selected, with its 20 cases: only its row, and a forms
    // class (which may generate or refuse) ends without a broken case.
    let (output, stdout, stderr) = fuzz(&["--class", "multipart-lists", "--cases", "20", "--compile", "0"]);
    assert_eq!(output.status.code(), Some(0), "{stdout}\n{stderr}");
    let (cases, generated, refused, broken, _) = row(&stdout, "multipart-lists");
    assert_eq!((cases, generated + refused, broken), (20, 20, 0), "{stdout}");
    assert!(generated > 0, "some forms generate:\n{stdout}");
    for class in CLASSES.iter().filter(|class| **class != "multipart-lists") {
        assert!(!stdout.lines().any(|line| line.starts_with(&format!("{class} "))), "{class} ran:\n{stdout}");
    }

    // An unknown class is a usage error naming the classes.
    let (output, _, stderr) = fuzz(&["--class", "nothing"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr.contains("unknown class `nothing`; the classes are mutations, alias-loops"), "{stderr}");
}
