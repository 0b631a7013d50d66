//! `cargo xtask fuzz [--cases N] [--seed S] [--compile K] [--class NAME]… [--spec PATH]`:
//! runs the generator on N cases, split evenly over classes (or the named
//! ones), each in a child process so an abort or a stack overflow is counted,
//! not fatal.
//!
//! A class is a generator of cases of one kind of hostile input (see
//! [`Class`]); a case is a spec, sometimes a prepared output folder and extra
//! arguments, and what the class expects (see [`Expect`]). Every case must end
//! in exit 0 or in exit 1 with one line `error: …`; a panic, an abort, any other
//! exit or a run longer than `run::CASE_TIMEOUT` is broken, and so is a case
//! that does not do what its class expects. Then K of the generated outputs are
//! built with `cargo check`, spread over the classes (`samples`), and each must
//! compile. The command fails on a broken case, a sample that does not compile,
//! or a selected class that made fewer than [`MIN_CASES`] cases.

mod alias_loops;
pub mod builder_clashes;
mod case;
mod depth_limits;
mod doc;
mod empty_prose;
mod free_form_unions;
mod group_features;
mod hostile_files;
mod kept_literals;
mod multipart_lists;
mod mutations;
mod report;
pub(crate) mod rng;
mod run;
mod samples;
mod sandbox;

use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use crate::FAILURE;
use case::case_name;
pub use case::{Case, Class, Expect, Folder, FuzzOptions};
use rng::Rng;
use run::{Ending, Finished};

/// Fewer cases than this in a class that was selected fails the run: no
/// generator may quietly produce nothing.
pub const MIN_CASES: usize = 20;
/// Worker threads: the machine has two cores.
const WORKERS: usize = 2;
/// Mutation and serialisation recurse over the (possibly very deep) document.
const WORKER_STACK: usize = 256 * 1024 * 1024;

/// What the generators read once per run.
pub struct Inputs {
    /// The document `mutations` mutates.
    document: serde_json::Value,
    /// Every method and field name of the generated crate's builders.
    builder_names: Vec<String>,
}

impl Inputs {
    fn read(options: &FuzzOptions, classes: &[Class]) -> Result<Inputs, String> {
        let document = if classes.contains(&Class::Mutations) {
            codegen::load::read_value(&options.spec).map_err(|error| format!("{}: {error}", options.spec.display()))?
        } else {
            serde_json::Value::Null
        };
        let builder_names = if classes.contains(&Class::BuilderClashes) {
            builder_clashes::builder_names(&crate::paths::generated_dir().join("src"))?
        } else {
            Vec::new()
        };
        Ok(Inputs { document, builder_names })
    }
}

/// Case `number` of `class` for `seed`: the same three give the same case.
pub fn make_case(class: Class, inputs: &Inputs, seed: u64, number: usize) -> Case {
    let mut rng = Rng::for_case(seed, class.index(), number);
    match class {
        Class::Mutations => mutations::case(&inputs.document, &mut rng),
        Class::AliasLoops => alias_loops::case(&mut rng),
        Class::BuilderClashes => builder_clashes::case(&inputs.builder_names, &mut rng),
        Class::DepthLimits => depth_limits::case(&mut rng),
        Class::EmptyProse => empty_prose::case(&mut rng),
        Class::MultipartLists => multipart_lists::case(&mut rng),
        Class::FreeFormUnions => free_form_unions::case(&mut rng),
        Class::HostileFiles => hostile_files::case(&mut rng),
        Class::GroupFeatures => group_features::case(&mut rng),
        Class::KeptLiterals => kept_literals::case(&mut rng),
    }
}

/// `count` cases split evenly over `classes` (the first ones get the rest),
/// interleaved so every class is under way from the start.
fn plan(classes: &[Class], count: usize) -> Vec<(Class, usize)> {
    let per_class: Vec<usize> =
        (0..classes.len()).map(|index| count / classes.len() + usize::from(index < count % classes.len())).collect();
    let most = per_class.iter().copied().max().unwrap_or(0);
    let mut planned = Vec::with_capacity(count);
    for number in 0..most {
        for (class, cases) in classes.iter().zip(&per_class) {
            if number < *cases {
                planned.push((*class, number));
            }
        }
    }
    planned
}

pub fn run(options: &FuzzOptions, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let started = Instant::now();
    let mut classes = if options.classes.is_empty() { Class::ALL.to_vec() } else { options.classes.clone() };
    classes.sort();
    classes.dedup();
    let inputs = match Inputs::read(options, &classes) {
        Ok(inputs) => inputs,
        Err(error) => {
            let _ = writeln!(err, "error: {error}");
            return FAILURE;
        }
    };
    // Broken cases are kept here; the case folders themselves live in the
    // system's temporary folder (a generated crate inside this workspace would
    // belong to it, for cargo).
    let kept = crate::paths::target_dir().join("fuzz");
    let cases_root = std::env::temp_dir().join(format!("clerk-codegen-fuzz-{}", std::process::id()));
    for folder in [&kept, &cases_root] {
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

    let planned = plan(&classes, options.cases);
    let finished = run_all(
        &planned,
        &Runner { exe: &exe, cases_root: &cases_root, kept: &kept, inputs: &inputs, seed: options.seed },
        err,
    );
    let _ = std::fs::remove_dir_all(&cases_root);

    let compiled = samples::compile(&finished, options.compile, err);
    let tally = report::Tally::new(&classes, &finished, &compiled);
    tally.print(out, options, started.elapsed().as_secs_f64());
    report::print_broken(&finished, options.seed, &kept, err);
    let too_few: Vec<String> = tally
        .rows
        .iter()
        .filter(|row| row.cases < MIN_CASES)
        .map(|row| format!("{} ({})", row.class.name(), row.cases))
        .collect();
    if !too_few.is_empty() {
        let _ = writeln!(
            err,
            "error: classes with fewer than {MIN_CASES} cases: {}; run at least {} cases",
            too_few.join(", "),
            MIN_CASES * classes.len()
        );
    }
    if tally.broken() == 0 && compiled.failed() == 0 && compiled.error.is_none() && too_few.is_empty() {
        0
    } else {
        FAILURE
    }
}

/// What every case of a run shares.
struct Runner<'r> {
    exe: &'r Path,
    cases_root: &'r Path,
    kept: &'r Path,
    inputs: &'r Inputs,
    seed: u64,
}

fn run_all(planned: &[(Class, usize)], runner: &Runner, err: &mut dyn Write) -> Vec<Finished> {
    let next = AtomicUsize::new(0);
    let finished: Mutex<Vec<Finished>> = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..WORKERS {
            let worker = || {
                while let Some(&(class, number)) = planned.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let done = run_one(runner, class, number);
                    if let Ok(mut finished) = finished.lock() {
                        finished.push(done);
                    }
                }
            };
            let spawned = std::thread::Builder::new().stack_size(WORKER_STACK).spawn_scoped(scope, worker);
            if let Err(error) = spawned {
                let _ = writeln!(err, "error: cannot start a worker: {error}");
            }
        }
    });
    let mut finished = finished.into_inner().unwrap_or_default();
    finished.sort_by_key(|done| (done.class, done.number));
    finished
}

fn run_one(runner: &Runner, class: Class, number: usize) -> Finished {
    let case = make_case(class, runner.inputs, runner.seed, number);
    let name = case_name(class, number);
    let started = Instant::now();
    let ending = run::run_case(runner.exe, &runner.cases_root.join(&name), &name, &case);
    let seconds = started.elapsed().as_secs_f64();
    if let Ending::Broken { .. } = &ending {
        keep(runner.kept, &name, &case, &ending);
    }
    Finished { class, number, kind: case.kind, ending, seconds }
}

/// Keeps a broken case's spec and what it was in `kept`, to replay it.
fn keep(kept: &Path, name: &str, case: &Case, ending: &Ending) {
    let extension = if case.json { "json" } else { "yaml" };
    let _ = std::fs::write(kept.join(format!("{name}.{extension}")), &case.spec);
    let mut about = format!("kind: {}\nargs: {:?}\nexpect: {:?}\n", case.kind, case.args, case.expect);
    if !case.detail.is_empty() {
        about.push_str(&format!("detail: {}\n", case.detail));
    }
    if let Some(folder) = &case.folder {
        about.push_str(&format!("output folder: {folder:#?}\n"));
    }
    if let Ending::Broken { why } = ending {
        about.push_str(&format!("broken: {why}\n"));
    }
    let _ = std::fs::write(kept.join(format!("{name}.txt")), about);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases_are_split_evenly_and_interleaved() {
        let classes = [Class::Mutations, Class::AliasLoops, Class::HostileFiles];
        let planned = plan(&classes, 8);
        assert_eq!(planned.len(), 8);
        for (class, expected) in classes.iter().zip([3, 3, 2]) {
            assert_eq!(planned.iter().filter(|(c, _)| c == class).count(), expected, "{class:?}");
        }
        assert_eq!(&planned[..3], &[(Class::Mutations, 0), (Class::AliasLoops, 0), (Class::HostileFiles, 0)]);
    }

    #[test]
    fn class_names_round_trip() {
        for class in Class::ALL {
            assert_eq!(Class::parse(class.name()), Some(class));
        }
        assert_eq!(Class::parse("nothing"), None);
    }
}
