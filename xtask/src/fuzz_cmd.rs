//! `cargo xtask fuzz [--cases N] [--seed S] [--compile K] [--spec PATH]`: runs
//! the generator on N hostile variants of the spec (see `mutate`), each in a
//! child process so an abort or a stack overflow is counted, not fatal.
//!
//! Every case must end in one of two ways: exit 0, or exit 1 with one line
//! `error: …`. A panic, an abort, any other exit or a run longer than
//! `CASE_TIMEOUT` fails the command. Then K of the successful outputs (distinct
//! ones, in case order) are built with `cargo check`, and each must compile.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use codegen::GeneratedFile;

use crate::cli::FuzzOptions;
use crate::compile::{self, Build, GeneratedCrate};
use crate::mutate::{self, Rng};
use crate::FAILURE;

/// Longest a single generation may take before it counts as a hang.
const CASE_TIMEOUT: Duration = Duration::from_secs(20);
/// Worker threads: the machine has two cores.
const WORKERS: usize = 2;
/// Mutation and serialisation recurse over the (possibly very deep) document.
const WORKER_STACK: usize = 256 * 1024 * 1024;

/// How one case ended.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Ending {
    Generated {
        files: Vec<GeneratedFile>,
    },
    Refused {
        located: bool,
    },
    /// A panic, abort, hang or malformed error report: the command fails.
    Broken {
        why: String,
    },
}

struct Case {
    index: usize,
    mutations: Vec<String>,
    spec: PathBuf,
    ending: Ending,
}

pub fn run(options: &FuzzOptions, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let started = Instant::now();
    let document = match codegen::load::read_value(&options.spec) {
        Ok(document) => document,
        Err(error) => {
            let _ = writeln!(err, "error: {}: {error}", options.spec.display());
            return FAILURE;
        }
    };
    let work = crate::workspace_root().join("target/fuzz");
    // Generated crates go straight into the scratch workspace that compiles the
    // samples, so the runtime path codegen writes into them is right there.
    let crates = compile::scratch_root().join("fuzz");
    // Both folders are this command's own scratch space, rebuilt on every run.
    for folder in [&work, &crates] {
        let _ = std::fs::remove_dir_all(folder);
        if let Err(error) = std::fs::create_dir_all(folder) {
            let _ = writeln!(err, "error: {}: {error}", folder.display());
            return FAILURE;
        }
    }
    let exe = match std::env::current_exe() {
        Ok(exe) => exe,
        Err(error) => {
            let _ = writeln!(err, "error: cannot find the xtask binary: {error}");
            return FAILURE;
        }
    };

    let next = AtomicUsize::new(0);
    let cases: Mutex<Vec<Case>> = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..WORKERS {
            let worker = || loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                if index >= options.cases {
                    break;
                }
                let case = run_case(&exe, &work, &crates, &document, options.seed, index);
                if let Ok(mut cases) = cases.lock() {
                    cases.push(case);
                }
            };
            let spawned = std::thread::Builder::new().stack_size(WORKER_STACK).spawn_scoped(scope, worker);
            if let Err(error) = spawned {
                let _ = writeln!(err, "error: cannot start a worker: {error}");
            }
        }
    });
    let mut cases = cases.into_inner().unwrap_or_default();
    cases.sort_by_key(|case| case.index);

    let generated = cases.iter().filter(|case| matches!(case.ending, Ending::Generated { .. })).count();
    let refused = cases.iter().filter(|case| matches!(case.ending, Ending::Refused { .. })).count();
    let unlocated = cases.iter().filter(|case| case.ending == Ending::Refused { located: false }).count();
    let broken: Vec<&Case> = cases.iter().filter(|case| matches!(case.ending, Ending::Broken { .. })).collect();
    let _ = writeln!(
        out,
        "fuzz: {} cases (seed {}) in {:.1} s: {generated} generated, {refused} refused with one error line \
         ({unlocated} of them without a location), {} broken",
        cases.len(),
        options.seed,
        started.elapsed().as_secs_f64(),
        broken.len()
    );
    for case in &broken {
        if let Ending::Broken { why } = &case.ending {
            let _ = writeln!(
                err,
                "broken: case {} ({}; kept as {}): {why}",
                case.index,
                case.mutations.join("; "),
                case.spec.display()
            );
        }
    }

    let samples = distinct_samples(&cases, options.compile);
    // Only the samples are built; the other generated crates are not needed.
    for case in &cases {
        if !samples.iter().any(|sample| sample.name == format!("case-{}", case.index)) {
            let _ = std::fs::remove_dir_all(crates.join(format!("case-{}", case.index)));
        }
    }
    let mut compile_failed = false;
    if !samples.is_empty() {
        let compiling = Instant::now();
        match compile::build("fuzz", &samples, Build::Check) {
            Ok(outcome) if outcome.success => {
                let _ = writeln!(
                    out,
                    "fuzz: {} of {} distinct generated outputs compiled ({:.1} s)",
                    samples.len(),
                    samples.len(),
                    compiling.elapsed().as_secs_f64()
                );
            }
            Ok(outcome) => {
                compile_failed = true;
                let _ = writeln!(err, "error: generated output that does not compile (cases kept in target/fuzz):");
                let errors: Vec<&str> = outcome.output.lines().filter(|line| line.contains("error")).take(40).collect();
                let _ = writeln!(err, "{}", errors.join("\n"));
            }
            Err(error) => {
                compile_failed = true;
                let _ = writeln!(err, "error: {error}");
            }
        }
    }
    if samples.len() < options.compile {
        let _ =
            writeln!(out, "fuzz: only {} distinct outputs to compile (asked for {})", samples.len(), options.compile);
    }
    if broken.is_empty() && !compile_failed {
        0
    } else {
        FAILURE
    }
}

/// Mutates, writes and generates case `index` (as the crate `case-{index}` in
/// `crates`); keeps its spec only if it broke.
fn run_case(exe: &Path, work: &Path, crates: &Path, document: &serde_json::Value, seed: u64, index: usize) -> Case {
    let mut rng = Rng::new(seed ^ (index as u64).wrapping_mul(0x2545_F491_4F6C_DD1D));
    let mut variant = document.clone();
    let mut mutations = mutate::mutate(&mut variant, &mut rng);
    let mut text = serde_yaml::to_string(&variant).unwrap_or_default();
    // One case in ten gets a value only YAML can spell.
    if rng.below(10) == 0 {
        let (changed, what) = mutate::yaml_only(&text, &mut rng);
        text = changed;
        mutations.push(what);
    }
    let spec = work.join(format!("case-{index}.yaml"));
    let name = format!("case-{index}");
    let out = crates.join(&name);
    let ending = match std::fs::write(&spec, &text) {
        Ok(()) => generate(exe, &spec, &out, &name),
        Err(error) => Ending::Broken { why: format!("cannot write the case: {error}") },
    };
    if !matches!(ending, Ending::Broken { .. }) {
        let _ = std::fs::remove_file(&spec);
    }
    Case { index, mutations, spec, ending }
}

fn generate(exe: &Path, spec: &Path, out: &Path, name: &str) -> Ending {
    // Output goes to a file: a pipe nobody reads until the end could fill up
    // and stall the child.
    let stderr_path = spec.with_extension("stderr");
    let stderr_file = match std::fs::File::create(&stderr_path) {
        Ok(file) => file,
        Err(error) => return Ending::Broken { why: format!("cannot create {}: {error}", stderr_path.display()) },
    };
    // Half the cases select every operation, half the default tag: both the
    // whole-document and the selective loading paths are fuzzed.
    let everything =
        spec.file_stem().and_then(|stem| stem.to_str()).is_some_and(|stem| stem.ends_with(['0', '2', '4', '6', '8']));
    let selection: &[&str] = if everything { &["--all-tags"] } else { &[] };
    let child = Command::new(exe)
        .arg("codegen")
        .args(selection)
        .arg("--spec")
        .arg(spec)
        .arg("--out")
        .arg(out)
        .args(["--name", name])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(stderr_file)
        .env("RUST_BACKTRACE", "0")
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(error) => return Ending::Broken { why: format!("cannot start codegen: {error}") },
    };
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > CASE_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Ending::Broken { why: format!("still running after {CASE_TIMEOUT:?}") };
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(2)),
            Err(error) => return Ending::Broken { why: format!("cannot wait for codegen: {error}") },
        }
    };
    let stderr = std::fs::read(&stderr_path).map(|bytes| String::from_utf8_lossy(&bytes).into_owned());
    let _ = std::fs::remove_file(&stderr_path);
    let stderr = match stderr {
        Ok(stderr) => stderr,
        Err(error) => return Ending::Broken { why: format!("cannot read codegen's errors: {error}") },
    };
    // The line that says what went wrong: a panic's own line, else the first.
    let telling =
        stderr.lines().find(|line| line.contains("panicked")).or_else(|| stderr.lines().find(|l| !l.is_empty()));
    let first_line = telling.unwrap_or("").chars().take(300).collect::<String>();
    if stderr.contains("panicked") {
        return Ending::Broken { why: format!("panic: {first_line}") };
    }
    match status.code() {
        Some(0) => match read_output(out) {
            Ok(files) => Ending::Generated { files },
            Err(error) => Ending::Broken { why: format!("exit 0 but the output is unreadable: {error}") },
        },
        Some(1) if stderr.starts_with("error: ") && stderr.trim_end().lines().count() == 1 => {
            Ending::Refused { located: stderr.contains("(at #") || stderr.contains("line ") }
        }
        Some(code) => Ending::Broken { why: format!("exit {code}: {first_line}") },
        None => Ending::Broken { why: format!("killed by a signal (an abort or a stack overflow): {first_line}") },
    }
}

/// The files codegen listed in its manifest.
fn read_output(out: &Path) -> Result<Vec<GeneratedFile>, String> {
    let manifest = std::fs::read_to_string(out.join(codegen::files::MANIFEST)).map_err(|error| error.to_string())?;
    let mut files = Vec::new();
    for path in manifest.lines().filter(|line| !line.is_empty() && !line.starts_with('#')) {
        let contents = std::fs::read_to_string(out.join(path)).map_err(|error| format!("{path}: {error}"))?;
        files.push(GeneratedFile { path: path.to_owned(), contents });
    }
    Ok(files)
}

/// Up to `count` generated outputs, the first of each distinct content.
fn distinct_samples(cases: &[Case], count: usize) -> Vec<GeneratedCrate> {
    let mut seen = BTreeSet::new();
    let mut samples = Vec::new();
    for case in cases {
        if samples.len() == count {
            break;
        }
        let Ending::Generated { files } = &case.ending else { continue };
        let key: Vec<&str> = files.iter().map(|file| file.contents.as_str()).collect();
        if seen.insert(key.concat()) {
            samples.push(GeneratedCrate { name: format!("case-{}", case.index), files: files.clone() });
        }
    }
    samples
}
