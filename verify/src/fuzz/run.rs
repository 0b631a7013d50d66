//! Running one case: prepare its folder, run codegen in a child process, and
//! judge how it ended against what every case must do and what its class
//! expects.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use codegen::GeneratedFile;

use super::case::{case_name, Case, Class, Expect, Folder};
use super::sandbox::{self, Node};

/// Longest a single generation may take before it counts as a hang.
const CASE_TIMEOUT: Duration = Duration::from_secs(20);
/// The address space a child may use (KiB): no case needs more than a few
/// hundred MiB, and a run that reads a link to `/dev/zero` fails instead of
/// exhausting a shared machine's memory.
#[cfg(unix)]
const MEMORY_KIB: u64 = 2 * 1024 * 1024;

/// How one case ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ending {
    /// Exit 0; the files codegen listed (none with `--check`).
    Generated { files: Vec<GeneratedFile> },
    /// Exit 1 with one error line: whether it names a place (a pointer or a
    /// line), and why (the line without the spec's path and the place).
    Refused { located: bool, reason: String },
    /// A panic, abort, hang, malformed error report, or not what the class
    /// expects: the command fails.
    Broken { why: String },
}

/// Runs `case` in the folder `dir` (created, and removed afterwards) as the
/// crate `name`.
pub fn run_case(exe: &Path, dir: &Path, name: &str, case: &Case) -> Ending {
    let ending = prepare_and_run(exe, dir, name, case).unwrap_or_else(|why| Ending::Broken { why });
    let _ = std::fs::remove_dir_all(dir);
    ending
}

fn prepare_and_run(exe: &Path, dir: &Path, name: &str, case: &Case) -> Result<Ending, String> {
    std::fs::create_dir_all(dir).map_err(|error| format!("cannot create {}: {error}", dir.display()))?;
    let spec = dir.join(if case.json { "spec.json" } else { "spec.yaml" });
    std::fs::write(&spec, &case.spec).map_err(|error| format!("cannot write the case: {error}"))?;
    let out = dir.join("out");
    if let Some(folder) = &case.folder {
        prepare(folder, &spec, dir, &out, name)?;
    }
    // What must not change: everything beside the output folder, the foreign
    // files in it, and with `--check` the whole output folder.
    let outside = sandbox::snapshot(dir, Some(&out));
    let foreign: Vec<(String, Node)> = case
        .folder
        .iter()
        .flat_map(|folder| &folder.foreign)
        .map(|path| (path.clone(), sandbox::node(&out.join(path))))
        .collect();
    let inside = case.checks().then(|| sandbox::snapshot(&out, None));

    let mut command = child(exe);
    command.arg("codegen").arg("--spec").arg(&spec).arg("--out").arg(&out).args(&case.args);
    if !case.args.iter().any(|arg| arg == "--name") {
        command.args(["--name", name]);
    }
    let stderr_path = dir.with_extension("stderr");
    let (status, stderr) = run_child(command, &stderr_path)?;
    let mut ending = judge(status, &stderr, case, &out)?;

    if !matches!(ending, Ending::Broken { .. }) {
        let mut wrong = sandbox::differences(&outside, &sandbox::snapshot(dir, Some(&out)), 5);
        for (path, before) in &foreign {
            if sandbox::node(&out.join(path)) != *before {
                wrong.push(format!("the foreign file {path} was changed or removed"));
            }
        }
        if let Some(before) = &inside {
            let changes = sandbox::differences(before, &sandbox::snapshot(&out, None), 5);
            wrong.extend(changes.into_iter().map(|change| format!("--check wrote: {change}")));
        }
        if !wrong.is_empty() {
            ending = Ending::Broken { why: format!("touched what it must not: {}", wrong.join("; ")) };
        }
    }
    // A name from the command line must make a package cargo can read; the
    // compiled samples would show it too, but only for the few chosen.
    if matches!(ending, Ending::Generated { .. }) && !case.checks() && case.args.iter().any(|arg| arg == "--name") {
        if let Err(why) = cargo_reads(&out) {
            ending = Ending::Broken { why: format!("exit 0, but cargo cannot read the Cargo.toml it wrote: {why}") };
        }
    }
    if let (Some(folder), true) = (&case.folder, case.checks()) {
        if let Some(path) = advised_deletion(&stderr, folder) {
            ending = Ending::Broken { why: format!("--check advises a run that would delete the foreign file {path}") };
        }
    }
    Ok(ending)
}

/// Writes the earlier output and the entries of `folder`.
fn prepare(folder: &Folder, spec: &Path, dir: &Path, out: &Path, name: &str) -> Result<(), String> {
    if folder.previous_output {
        let selection = codegen::Selection { tag: None, operation_ids: Vec::new() };
        let options = crate::krate::options_for(out, selection, Some(name.to_owned()))
            .map_err(|error| format!("the earlier output's options: {error}"))?;
        let generated = codegen::generate(spec, &options)
            .map_err(|error| format!("the earlier output does not generate: {error}"))?;
        codegen::files::write(out, &generated.files)
            .map_err(|error| format!("the earlier output cannot be written: {error}"))?;
    }
    std::fs::create_dir_all(out).map_err(|error| format!("{}: {error}", out.display()))?;
    for entry in &folder.inside {
        entry.create(out, dir)?;
    }
    for entry in &folder.beside {
        entry.create(dir, dir)?;
    }
    Ok(())
}

/// The codegen child, in a shell that caps its memory where there is one.
fn child(exe: &Path) -> Command {
    #[cfg(unix)]
    {
        let mut command = Command::new("sh");
        command.arg("-c").arg(format!("ulimit -v {MEMORY_KIB} && exec \"$0\" \"$@\"")).arg(exe);
        command
    }
    #[cfg(not(unix))]
    {
        Command::new(exe)
    }
}

/// Runs `command` with its errors in `stderr_path` (a pipe nobody reads until
/// the end could fill up and stall the child); kills it after `CASE_TIMEOUT`.
fn run_child(mut command: Command, stderr_path: &Path) -> Result<(Option<i32>, String), String> {
    let stderr_file = std::fs::File::create(stderr_path)
        .map_err(|error| format!("cannot create {}: {error}", stderr_path.display()))?;
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(stderr_file)
        .env("RUST_BACKTRACE", "0")
        .spawn()
        .map_err(|error| format!("cannot start codegen: {error}"))?;
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > CASE_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                let _ = std::fs::remove_file(stderr_path);
                return Err(format!("still running after {CASE_TIMEOUT:?}"));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(2)),
            Err(error) => return Err(format!("cannot wait for codegen: {error}")),
        }
    };
    let stderr = std::fs::read(stderr_path).map(|bytes| String::from_utf8_lossy(&bytes).into_owned());
    let _ = std::fs::remove_file(stderr_path);
    let stderr = stderr.map_err(|error| format!("cannot read codegen's errors: {error}"))?;
    Ok((status.code(), stderr))
}

/// How the run ended, against every case's rules and the class's expectation.
fn judge(code: Option<i32>, stderr: &str, case: &Case, out: &Path) -> Result<Ending, String> {
    // The line that says what went wrong: a panic's own line, else the first.
    let telling =
        stderr.lines().find(|line| line.contains("panicked")).or_else(|| stderr.lines().find(|l| !l.is_empty()));
    let first_line = telling.unwrap_or("").chars().take(300).collect::<String>();
    if stderr.contains("panicked") {
        return Err(format!("panic: {first_line}"));
    }
    let ending = match code {
        Some(0) if case.checks() => Ending::Generated { files: Vec::new() },
        Some(0) => Ending::Generated {
            files: read_output(out).map_err(|error| format!("exit 0 but the output is unreadable: {error}"))?,
        },
        Some(1) if one_error_line(stderr) => Ending::Refused { located: located(stderr), reason: reason(stderr) },
        // `--check` lists what differs and says what to run, after a warning
        // line for each manifest line it will not act on.
        Some(1)
            if case.checks()
                && after_warnings(stderr).starts_with("generated code in ")
                && stderr.contains(crate::generated::STALE_HINT) =>
        {
            Ending::Refused { located: true, reason: "--check: the output is not up to date".to_owned() }
        }
        Some(code) => return Err(format!("exit {code}: {first_line}")),
        None => return Err(format!("killed by a signal (an abort or a stack overflow): {first_line}")),
    };
    let expected = match (case.expect, &ending) {
        (Expect::Generate, Ending::Refused { .. }) => Err(format!("refused, but the case must generate: {first_line}")),
        (Expect::RefuseAt | Expect::Refuse, Ending::Generated { .. }) => {
            Err("generated, but the case must be refused".to_owned())
        }
        (Expect::RefuseAt, Ending::Refused { .. }) if !stderr.contains("(at #") => {
            Err(format!("refused without naming a JSON pointer: {first_line}"))
        }
        _ => Ok(()),
    };
    expected.map(|()| ending)
}

/// `stderr` from its first line that is not a warning.
fn after_warnings(stderr: &str) -> &str {
    let mut rest = stderr;
    while rest.starts_with("warning: ") {
        rest = rest.split_once('\n').map_or("", |(_, after)| after);
    }
    rest
}

fn one_error_line(stderr: &str) -> bool {
    stderr.starts_with("error: ") && stderr.trim_end().lines().count() == 1
}

fn located(stderr: &str) -> bool {
    stderr.contains("(at #") || stderr.contains("line ")
}

/// The error line without `error: `, the spec's path, where it is, and any
/// quoted or numbered detail: refusals for one reason read alike.
fn reason(stderr: &str) -> String {
    let line = stderr.trim_end().trim_start_matches("error: ");
    let line = line.split_once(".yaml: ").or_else(|| line.split_once(".json: ")).map_or(line, |(_, rest)| rest);
    let line = line.split(" (at #").next().unwrap_or(line);
    let line = line.split(" at line ").next().unwrap_or(line);
    let mut reason = String::new();
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '`' => {
                quoted = !quoted;
                if quoted {
                    reason.push_str("`…`");
                }
            }
            _ if quoted => {}
            c if c.is_ascii_digit() => {
                if !reason.ends_with('N') {
                    reason.push('N');
                }
            }
            c => reason.push(c),
        }
    }
    reason.chars().take(100).collect()
}

/// A foreign file of `folder` that a `--check` report lists as extra (so that
/// the run it advises would delete it).
fn advised_deletion<'f>(stderr: &str, folder: &'f Folder) -> Option<&'f str> {
    let extra: Vec<&str> =
        stderr.lines().filter_map(|line| line.trim_start().strip_prefix("extra:")).map(str::trim).collect();
    folder.foreign.iter().map(String::as_str).find(|path| extra.contains(path))
}

/// Whether cargo reads the package in `out` (`cargo metadata --no-deps`, a
/// tenth of a second); the first error line if not.
fn cargo_reads(out: &Path) -> Result<(), String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(["metadata", "--no-deps", "--offline", "--format-version", "1", "--manifest-path"])
        .arg(out.join("Cargo.toml"))
        .stdin(Stdio::null())
        .output()
        .map_err(|error| format!("cannot run cargo: {error}"))?;
    if output.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    Err(stderr.lines().find(|line| line.starts_with("error")).unwrap_or("cargo metadata failed").to_owned())
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

/// How one case ended.
pub struct Finished {
    pub class: Class,
    pub number: usize,
    pub kind: String,
    pub ending: Ending,
    pub seconds: f64,
}

impl Finished {
    /// The case's folder and (unless the case names another) package name.
    pub fn name(&self) -> String {
        case_name(self.class, self.number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(expect: Expect) -> Case {
        Case::new("test", String::new(), expect)
    }

    #[test]
    fn endings_are_judged_against_the_expectation() {
        let out = Path::new("/nonexistent");
        let refused = "error: spec.yaml: a loop (at #/components/schemas/A)\n";
        let loop_reason = "a loop".to_owned();
        assert_eq!(
            judge(Some(1), refused, &case(Expect::RefuseAt), out),
            Ok(Ending::Refused { located: true, reason: loop_reason.clone() })
        );
        assert!(judge(Some(1), refused, &case(Expect::Generate), out).is_err());
        let unlocated = "error: spec.yaml: a loop\n";
        assert!(judge(Some(1), unlocated, &case(Expect::RefuseAt), out).is_err());
        assert_eq!(
            judge(Some(1), unlocated, &case(Expect::Refuse), out),
            Ok(Ending::Refused { located: false, reason: loop_reason })
        );
        assert!(judge(Some(1), "error: a\nerror: b\n", &case(Expect::Either), out).is_err());
        assert!(judge(Some(101), "thread 'main' panicked at x\n", &case(Expect::Either), out).is_err());
        assert!(judge(None, "", &case(Expect::Either), out).is_err());
        let mut check = case(Expect::Either);
        check.args.push("--check".into());
        assert_eq!(judge(Some(0), "", &check, out), Ok(Ending::Generated { files: Vec::new() }));
        let stale = format!(
            "generated code in out does not match the spec:\n  stale:   src/lib.rs\n{}\n",
            crate::generated::STALE_HINT
        );
        assert!(matches!(judge(Some(1), &stale, &check, out), Ok(Ending::Refused { located: true, .. })));
        // Warnings about manifest lines codegen will not act on come first.
        let warned =
            format!("warning: out/.codegen-manifest line 11 lists `LICENSE`, which codegen never writes\n{stale}");
        assert!(matches!(judge(Some(1), &warned, &check, out), Ok(Ending::Refused { located: true, .. })));
        assert!(judge(Some(1), "warning: a\nwarning: b\n", &check, out).is_err());
    }

    #[test]
    fn refusals_for_one_reason_read_alike() {
        let first = "error: /tmp/a/spec.yaml: property `a` and `A` both become `a` in Rust; rename one (at #/x)\n";
        let second = "error: /tmp/b/spec.yaml: property `b` and `B` both become `b` in Rust; rename one (at #/y)\n";
        assert_eq!(reason(first), "property `…` and `…` both become `…` in Rust; rename one");
        assert_eq!(reason(first), reason(second));
        assert_eq!(
            reason("error: s.yaml: malformed YAML: nested 129 levels at line 3 column 4\n"),
            "malformed YAML: nested N levels"
        );
    }

    #[test]
    fn a_check_that_lists_a_foreign_file_as_extra_advises_deleting_it() {
        let folder = Folder { foreign: vec!["README.md".into()], ..Folder::default() };
        let report = "generated code in out does not match the spec:\n  extra:   README.md\nrun it\n";
        assert_eq!(advised_deletion(report, &folder), Some("README.md"));
        assert_eq!(advised_deletion("  extra:   src/old.rs\n", &folder), None);
    }
}
