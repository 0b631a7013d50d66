//! Compiled samples: "exit 0 means the output compiles", checked on K of the
//! generated outputs of a run.
//!
//! The K samples are spread over the classes, round-robin, so every class with
//! generated outputs gets some; within a class they go round-robin over its
//! kinds of case, skipping outputs already chosen (the same code under another
//! crate name) and package names already taken (cargo wants them unique in a
//! workspace). All of them are built in one scratch workspace by one
//! `cargo check --keep-going` (see `compile`); a failure is put down to the
//! samples the errors name. When cargo cannot even load the workspace (a
//! package name it refuses, say) it checks nothing, so the run is repeated
//! without the samples it named.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;
use std::time::Instant;

use codegen::GeneratedFile;

use super::case::Class;
use super::run::{Ending, Finished};
use crate::compile::{self, Build, GeneratedCrate};

/// Rounds of `cargo check` at most: each round drops the samples cargo could
/// not load.
const ROUNDS: usize = 4;

/// One compiled sample.
pub struct Sample {
    pub class: Class,
    pub number: usize,
    pub kind: String,
    pub compiled: bool,
    /// The error lines that name it.
    pub errors: Vec<String>,
}

/// What compiling the samples gave.
#[derive(Default)]
pub struct Compiled {
    pub samples: Vec<Sample>,
    /// Cargo could not be run at all.
    pub error: Option<String>,
    pub seconds: f64,
}

impl Compiled {
    pub fn failed(&self) -> usize {
        self.samples.iter().filter(|sample| !sample.compiled).count()
    }

    /// Samples of `class` compiled, and chosen.
    pub fn of(&self, class: Class) -> (usize, usize) {
        let of_class = self.samples.iter().filter(|sample| sample.class == class);
        (of_class.clone().filter(|sample| sample.compiled).count(), of_class.count())
    }
}

/// Chooses up to `count` samples of `finished`, builds them and reports each
/// failure on `err`.
pub fn compile(finished: &[Finished], count: usize, err: &mut dyn Write) -> Compiled {
    let chosen = choose(finished, count);
    if chosen.is_empty() {
        return Compiled::default();
    }
    let started = Instant::now();
    // The scratch workspace holds this run's samples only.
    let _ = std::fs::remove_dir_all(compile::scratch_root().join("fuzz"));
    let mut compiled = Compiled::default();
    let mut pending: Vec<(&Finished, GeneratedCrate)> =
        chosen.into_iter().map(|done| (done, scratch_crate(done))).collect();
    for round in 1..=ROUNDS {
        let crates: Vec<GeneratedCrate> = pending.iter().map(|(_, krate)| krate.clone()).collect();
        // With the test kit, so the kept document of each sample compiles too.
        let outcome = match compile::build("fuzz", &crates, Build::CheckWithKit) {
            Ok(outcome) => outcome,
            Err(error) => {
                compiled.error = Some(error.clone());
                let _ = writeln!(err, "error: cannot compile the samples: {error}");
                break;
            }
        };
        if outcome.success {
            compiled.samples.extend(pending.drain(..).map(|(done, _)| sample(done, true, Vec::new())));
            break;
        }
        let named = |done: &Finished| mentions(&outcome.output, &done.name());
        let (failed, rest): (Vec<_>, Vec<_>) = pending.drain(..).partition(|(done, _)| named(done));
        if failed.is_empty() {
            // Nothing of ours is named: the shared part (the runtime, the
            // workspace) failed, and no sample can be said to compile.
            let errors = error_lines(&outcome.output, None);
            compiled.samples.extend(rest.into_iter().map(|(done, _)| sample(done, false, errors.clone())));
            break;
        }
        for (done, _) in failed {
            compiled.samples.push(sample(done, false, error_lines(&outcome.output, Some(&done.name()))));
        }
        // With `--keep-going` every crate cargo could load was checked: the
        // rest compiled, unless cargo stopped before checking anything.
        if checked_crates(&outcome.output) || round == ROUNDS {
            let compiled_rest = checked_crates(&outcome.output);
            compiled.samples.extend(rest.into_iter().map(|(done, _)| {
                let errors = if compiled_rest { Vec::new() } else { error_lines(&outcome.output, None) };
                sample(done, compiled_rest, errors)
            }));
            break;
        }
        pending = rest;
        if pending.is_empty() {
            break;
        }
    }
    compiled.seconds = started.elapsed().as_secs_f64();
    compiled.samples.sort_by_key(|sample| (sample.class, sample.number));
    for sample in compiled.samples.iter().filter(|sample| !sample.compiled) {
        let _ = writeln!(
            err,
            "error: sample {}-{:04} ({}) does not compile:\n    {}",
            sample.class.name(),
            sample.number,
            sample.kind,
            sample.errors.join("\n    ")
        );
    }
    compiled
}

fn sample(done: &Finished, compiled: bool, errors: Vec<String>) -> Sample {
    Sample { class: done.class, number: done.number, kind: done.kind.clone(), compiled, errors }
}

/// Whether cargo's `output` names the sample folder `name`.
fn mentions(output: &str, name: &str) -> bool {
    output.contains(&format!("{name}/")) || output.contains(&format!("{name}`")) || output.contains(&format!("{name}:"))
}

/// Whether cargo got as far as compiling crates (rather than stopping at the
/// workspace's manifests).
fn checked_crates(output: &str) -> bool {
    output.contains("could not compile") || output.contains("Checking ")
}

/// Up to eight error lines (naming `name`, if given).
fn error_lines(output: &str, name: Option<&str>) -> Vec<String> {
    output
        .lines()
        .filter(|line| line.contains("error"))
        .filter(|line| name.is_none_or(|name| mentions(line, name)))
        .take(8)
        .map(str::to_owned)
        .collect()
}

/// A class's generated outputs by kind, the kinds in order of first appearance.
type ByKind<'f> = Vec<(&'f str, Vec<&'f Finished>)>;

/// The samples: round-robin over the classes, within each over its kinds.
fn choose(finished: &[Finished], count: usize) -> Vec<&Finished> {
    // Per class, per kind (in order of first appearance), the generated outputs.
    let mut classes: Vec<(Class, ByKind)> = Vec::new();
    for done in finished {
        let Ending::Generated { files } = &done.ending else { continue };
        if files.is_empty() {
            continue;
        }
        let at = match classes.iter().position(|(class, _)| *class == done.class) {
            Some(at) => at,
            None => {
                classes.push((done.class, Vec::new()));
                classes.len() - 1
            }
        };
        let kinds = &mut classes[at].1;
        match kinds.iter_mut().find(|(kind, _)| *kind == done.kind) {
            Some((_, cases)) => cases.push(done),
            None => kinds.push((&done.kind, vec![done])),
        }
    }
    let mut next_kind = vec![0usize; classes.len()];
    let mut seen = Seen::default();
    let mut chosen = Vec::new();
    while chosen.len() < count {
        let mut progress = false;
        for (index, (_, kinds)) in classes.iter_mut().enumerate() {
            if chosen.len() == count {
                break;
            }
            if let Some(done) = next_of_class(kinds, &mut next_kind[index], &mut seen) {
                chosen.push(done);
                progress = true;
            }
        }
        if !progress {
            break;
        }
    }
    chosen
}

/// The code and package names of the samples chosen so far.
#[derive(Default)]
struct Seen {
    code: BTreeSet<String>,
    names: BTreeSet<String>,
}

/// The next sample of one class: from the next kind that has a candidate left,
/// dropping candidates whose code or package name was seen.
fn next_of_class<'f>(
    kinds: &mut [(&str, Vec<&'f Finished>)],
    next_kind: &mut usize,
    seen: &mut Seen,
) -> Option<&'f Finished> {
    for _ in 0..kinds.len() {
        let turn = *next_kind % kinds.len();
        *next_kind += 1;
        let cases = &mut kinds[turn].1;
        while !cases.is_empty() {
            let done = cases.remove(0);
            let Ending::Generated { files } = &done.ending else { continue };
            let (code, name) = (code_key(&done.name(), files), package_name(files));
            if !seen.code.contains(&code) && !seen.names.contains(&name) {
                seen.code.insert(code);
                seen.names.insert(name);
                return Some(done);
            }
        }
    }
    None
}

/// The generated code with the case's own crate name taken out: two cases
/// that differ only by it are the same sample.
fn code_key(name: &str, files: &[GeneratedFile]) -> String {
    let mut key = String::new();
    for file in files.iter().filter(|file| file.path != codegen::semver::RECORD_FILE) {
        key.push_str(&file.path);
        key.push_str(&file.contents.replace(name, "").replace(&name.replace('-', "_"), ""));
    }
    key
}

/// The `name = "…"` of a generated `Cargo.toml`.
fn package_name(files: &[GeneratedFile]) -> String {
    let cargo_toml = files.iter().find(|file| file.path == "Cargo.toml");
    let line = cargo_toml.and_then(|file| file.contents.lines().find(|line| line.starts_with("name = ")));
    line.unwrap_or_default().to_owned()
}

/// The sample as a member of the scratch workspace: its `Cargo.toml` and
/// sources, with the runtime found by absolute path (the relative path codegen
/// wrote leads there from the case's own folder only).
fn scratch_crate(done: &Finished) -> GeneratedCrate {
    let Ending::Generated { files } = &done.ending else {
        return GeneratedCrate { name: done.name(), files: Vec::new() };
    };
    let runtime = crate::krate::runtime_dir();
    let files = files
        .iter()
        .filter(|file| file.path == "Cargo.toml" || file.path.starts_with("src/"))
        .map(|file| {
            let contents =
                if file.path == "Cargo.toml" { reroot(&file.contents, &runtime) } else { file.contents.clone() };
            GeneratedFile { path: file.path.clone(), contents }
        })
        .collect();
    GeneratedCrate { name: done.name(), files }
}

/// `cargo_toml` with the runtime dependency's `path` set to `runtime`.
fn reroot(cargo_toml: &str, runtime: &Path) -> String {
    let mut out = String::with_capacity(cargo_toml.len() + 64);
    for line in cargo_toml.lines() {
        let start = line.find("path = \"").filter(|_| line.starts_with("openapi-client-runtime = "));
        let end = start.and_then(|start| line[start + 8..].find('"').map(|end| start + 8 + end + 1));
        match (start, end) {
            (Some(start), Some(end)) => {
                out.push_str(&line[..start]);
                out.push_str(&format!("path = {:?}", runtime.display().to_string()));
                out.push_str(&line[end..]);
            }
            _ => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn generated(class: Class, number: usize, kind: &str, code: &str) -> Finished {
        let name = super::super::case::case_name(class, number);
        let files = vec![
            GeneratedFile { path: "Cargo.toml".into(), contents: format!("[package]\nname = \"{name}\"\n") },
            GeneratedFile { path: "src/lib.rs".into(), contents: format!("//! {name}\n{code}") },
        ];
        Finished { class, number, kind: kind.into(), ending: Ending::Generated { files }, seconds: 0.0 }
    }

    #[test]
    fn samples_go_round_robin_over_classes_and_kinds_and_skip_repeated_code() {
        let finished = vec![
            generated(Class::AliasLoops, 0, "a", "1"),
            generated(Class::AliasLoops, 1, "a", "2"),
            generated(Class::AliasLoops, 2, "b", "3"),
            // The same code as case 0 but for the crate's name.
            generated(Class::AliasLoops, 3, "b", "1"),
            generated(Class::DepthLimits, 0, "c", "4"),
            Finished {
                class: Class::EmptyProse,
                number: 0,
                kind: "d".into(),
                ending: Ending::Refused { located: true, reason: String::new() },
                seconds: 0.0,
            },
        ];
        let chosen: Vec<String> = choose(&finished, 10).iter().map(|done| done.name()).collect();
        assert_eq!(chosen, ["alias-loops-0000", "depth-limits-0000", "alias-loops-0002", "alias-loops-0001"]);
        let two: Vec<String> = choose(&finished, 2).iter().map(|done| done.name()).collect();
        assert_eq!(two, ["alias-loops-0000", "depth-limits-0000"]);
    }

    #[test]
    fn the_runtime_is_found_by_absolute_path() {
        let toml = "[package]\nname = \"x\"\n[dependencies]\nopenapi-client-runtime = { version = \"0.2.0\", path = \"../../runtime\", default-features = false }\nserde = \"1\"\n";
        let rerooted = reroot(toml, Path::new("/w/generated-client/runtime"));
        assert!(
            rerooted.contains(
                "openapi-client-runtime = { version = \"0.2.0\", path = \"/w/generated-client/runtime\", default-features = false }\n"
            ),
            "{rerooted}"
        );
        assert!(rerooted.contains("serde = \"1\"\n"));
    }

    #[test]
    fn failures_are_put_down_to_the_samples_named() {
        let output = "alias-loops-0001/src/models.rs:3:1: error[E0412]: cannot find type `A`\nerror: could not compile `alias-loops-0001` (lib)\n";
        assert!(mentions(output, "alias-loops-0001"));
        assert!(!mentions(output, "alias-loops-0000"));
        assert!(checked_crates(output));
        assert_eq!(error_lines(output, Some("alias-loops-0001")).len(), 2);
        assert!(!checked_crates("error: failed to load manifest for workspace member `/x/hostile-files-0003`"));
    }
}
