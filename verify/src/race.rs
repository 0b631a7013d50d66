//! `cargo xtask race [--runs N]`: codegen while someone swaps its folders.
//!
//! Whoever can write into the output folder while codegen runs (a shared
//! temporary folder, say) can swap `DIR/src` with a symbolic link to a folder
//! outside, back and forth, thousands of times a second: `renameat2` with
//! `RENAME_EXCHANGE` swaps two names atomically. Checking a path for links and
//! then writing by that path loses this race; codegen must never write or delete
//! outside `DIR` however the names move.
//!
//! Each run copies an earlier output into a fresh folder, with its source files
//! changed (so codegen rewrites them) and stale generated files listed in the
//! manifest (so codegen deletes them), beside an outside folder holding files
//! of the stale files' names and contents. It runs the real `xtask` binary on it
//! while a thread swaps `src` and the link, then checks the outside folder:
//! nothing new, nothing changed, nothing gone. Control runs, without the race,
//! must exit 0, delete the stale files and leave output that `--check` accepts.
//! The exchange is Linux's (`renameat2`); elsewhere the command says so and fails.

use std::collections::BTreeMap;
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::FAILURE;

/// Runs when `--runs` is not given (what CI runs).
pub const DEFAULT_RUNS: usize = 50;

/// Stale generated files codegen wants to delete, in `src/`; files of these
/// names are planted outside. Several, and every source file changed: each
/// write and each deletion is another chance for the race.
const STALE: [&str; 3] = ["stale_a.rs", "stale_b.rs", "stale_c.rs"];
/// The link to the outside folder, inside the output folder, that is swapped with `src`.
const LINK: &str = ".swap";
/// The stale files' contents, also planted outside: codegen's own header, so a
/// look at the first line through the link would take them for codegen's.
fn stale_text() -> String {
    format!("{} from an earlier spec{}\n", codegen::files::HEADER_PREFIX, codegen::files::HEADER_SUFFIX)
}

/// What the runs did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Tally {
    /// Runs under the race.
    pub runs: usize,
    /// Runs under the race that wrote or deleted anything outside.
    pub escaped_runs: usize,
    /// Files written (new or changed) outside, over all runs.
    pub written_outside: usize,
    /// Files deleted outside, over all runs.
    pub deleted_outside: usize,
    /// How codegen ended under the race: `exit 0`, `exit 1` (one `error:` line).
    pub exits: BTreeMap<String, usize>,
    /// Codegen runs that ended otherwise (a panic, a signal, another status).
    pub broken: Vec<String>,
    /// Exchanges made, over all runs.
    pub swaps: u64,
    /// Control runs without the race, and those that failed (with why).
    pub controls: usize,
    pub control_failures: Vec<String>,
}

impl Tally {
    /// Files written or deleted outside.
    pub fn escapes(&self) -> usize {
        self.written_outside + self.deleted_outside
    }

    /// No escape, no broken run, every control run succeeded.
    pub fn passed(&self) -> bool {
        self.escapes() == 0 && self.broken.is_empty() && self.control_failures.is_empty() && self.controls > 0
    }
}

impl fmt::Display for Tally {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let exits: Vec<String> = self.exits.iter().map(|(exit, count)| format!("{exit} × {count}")).collect();
        writeln!(
            f,
            "race: {} runs, {} swaps: {} escapes ({} files written outside, {} deleted outside, in {} runs); \
             codegen {}; {} broken",
            self.runs,
            self.swaps,
            self.escapes(),
            self.written_outside,
            self.deleted_outside,
            self.escaped_runs,
            if exits.is_empty() { "never ran".to_owned() } else { exits.join(", ") },
            self.broken.len()
        )?;
        write!(
            f,
            "race: controls without the race: {} of {} succeeded",
            self.controls - self.control_failures.len(),
            self.controls
        )?;
        for broken in &self.broken {
            write!(f, "\n  broken: {broken}")?;
        }
        for failure in &self.control_failures {
            write!(f, "\n  control failed: {failure}")?;
        }
        Ok(())
    }
}

pub fn run(runs: usize, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let exe = match std::env::current_exe() {
        Ok(exe) => exe,
        Err(error) => {
            let _ = writeln!(err, "error: cannot find the xtask binary: {error}");
            return FAILURE;
        }
    };
    let work = std::env::temp_dir().join(format!("xtask-race-{}", std::process::id()));
    let started = std::time::Instant::now();
    match race(&exe, runs, &work) {
        Ok(tally) => {
            let _ = writeln!(out, "{tally}\nrace: {:.1} s", started.elapsed().as_secs_f64());
            if tally.passed() {
                let _ = std::fs::remove_dir_all(&work);
                0
            } else {
                let _ = writeln!(err, "error: codegen escaped its folder or failed (kept in {})", work.display());
                FAILURE
            }
        }
        Err(error) => {
            let _ = writeln!(err, "error: {error}");
            FAILURE
        }
    }
}

/// `runs` runs of `exe codegen` under the race, and a control run for every
/// ten (at least two), in the fresh folder `work`.
pub fn race(exe: &Path, runs: usize, work: &Path) -> Result<Tally, String> {
    let _ = std::fs::remove_dir_all(work);
    create_dir(work)?;
    let template = work.join("template");
    prepare(exe, &template)?;
    let mut tally = Tally { runs, controls: runs.div_ceil(10).max(2), ..Tally::default() };
    for index in 0..runs {
        let run = Run::new(&template, &work.join(format!("run-{index}")))?;
        let (swaps, ending) = swap_while(&run.out, || codegen(exe, &run.out, false))?;
        tally.swaps += swaps;
        match ending {
            Ok(exit) => *tally.exits.entry(exit).or_default() += 1,
            Err(why) => tally.broken.push(format!("run {index}: {why}")),
        }
        let (written, deleted) = run.escapes()?;
        tally.written_outside += written;
        tally.deleted_outside += deleted;
        if written + deleted > 0 {
            tally.escaped_runs += 1;
        } else {
            // Kept only when it shows something.
            let _ = std::fs::remove_dir_all(&run.dir);
        }
    }
    for index in 0..tally.controls {
        let run = Run::new(&template, &work.join(format!("control-{index}")))?;
        match run.control(exe) {
            Ok(()) => {
                let _ = std::fs::remove_dir_all(&run.dir);
            }
            Err(why) => tally.control_failures.push(format!("control {index}: {why}")),
        }
    }
    Ok(tally)
}

/// The earlier output every run starts from: codegen's output with every
/// source file edited and the `STALE` files written and listed.
fn prepare(exe: &Path, template: &Path) -> Result<(), String> {
    match codegen(exe, template, false) {
        Ok(exit) if exit == "exit 0" => {}
        Ok(exit) => return Err(format!("codegen into {} ended with {exit}", template.display())),
        Err(why) => return Err(format!("codegen into {}: {why}", template.display())),
    }
    let src = template.join("src");
    for entry in std::fs::read_dir(&src).map_err(|error| format!("{}: {error}", src.display()))? {
        let path = entry.map_err(|error| format!("{}: {error}", src.display()))?.path();
        let text = read(&path)?;
        write(&path, &format!("{text}\n// edited since\n"))?;
    }
    let manifest = template.join(codegen::files::MANIFEST);
    let mut listed = read(&manifest)?;
    for name in STALE {
        write(&src.join(name), &stale_text())?;
        listed.push_str(&format!("src/{name}\n"));
    }
    write(&manifest, &listed)
}

/// One run's folders: `out` (a copy of the earlier output, with `LINK` to
/// `outside`) and `outside` (holding a file named like the stale one).
struct Run {
    dir: PathBuf,
    out: PathBuf,
    outside: PathBuf,
}

impl Run {
    fn new(template: &Path, dir: &Path) -> Result<Run, String> {
        let run = Run { dir: dir.to_path_buf(), out: dir.join("out"), outside: dir.join("outside") };
        copy_tree(template, &run.out)?;
        create_dir(&run.outside)?;
        for name in STALE {
            write(&run.outside.join(name), &stale_text())?;
        }
        symlink(&run.outside, &run.out.join(LINK))?;
        Ok(run)
    }

    /// Files written (new or changed) and deleted in `outside`.
    fn escapes(&self) -> Result<(usize, usize), String> {
        let mut written = 0;
        let mut kept = 0;
        for entry in std::fs::read_dir(&self.outside).map_err(|error| format!("{}: {error}", self.outside.display()))? {
            let entry = entry.map_err(|error| format!("{}: {error}", self.outside.display()))?;
            let planted = STALE.iter().any(|name| entry.file_name() == *name);
            if planted {
                kept += 1;
            }
            if !planted || std::fs::read(entry.path()).ok().as_deref() != Some(stale_text().as_bytes()) {
                written += 1;
            }
        }
        Ok((written, STALE.len() - kept))
    }

    /// Codegen without the race: exit 0, the stale file gone, nothing outside
    /// touched, and `--check` content with what is left.
    fn control(&self, exe: &Path) -> Result<(), String> {
        match codegen(exe, &self.out, false)? {
            exit if exit == "exit 0" => {}
            exit => return Err(format!("codegen ended with {exit}")),
        }
        if let Some(name) = STALE.iter().find(|name| self.out.join("src").join(name).exists()) {
            return Err(format!("src/{name} was not deleted"));
        }
        if self.escapes()? != (0, 0) {
            return Err("the outside folder changed".to_owned());
        }
        match codegen(exe, &self.out, true)? {
            exit if exit == "exit 0" => Ok(()),
            exit => Err(format!("codegen --check ended with {exit}: the output is not complete")),
        }
    }
}

/// Runs `exe codegen [--check] --out out`: `Ok("exit 0")` or `Ok("exit 1")`
/// with one `error:` line; anything else (a panic, a signal) is `Err`.
fn codegen(exe: &Path, out: &Path, check: bool) -> Result<String, String> {
    let mut command = Command::new(exe);
    command.arg("codegen");
    if check {
        command.arg("--check");
    }
    let output = command
        .arg("--out")
        .arg(out)
        .stdin(Stdio::null())
        .env("RUST_BACKTRACE", "0")
        .output()
        .map_err(|error| format!("cannot run {}: {error}", exe.display()))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    let first = stderr.lines().next().unwrap_or("").chars().take(300).collect::<String>();
    match output.status.code() {
        Some(0) => Ok("exit 0".to_owned()),
        Some(1) if !stderr.contains("panicked") && (check || stderr.trim_end().lines().count() == 1) => {
            Ok("exit 1".to_owned())
        }
        Some(code) => Err(format!("exit {code}: {first}")),
        None => Err(format!("killed by a signal: {first}")),
    }
}

/// Calls `body` while a thread swaps `out/src` and `out/LINK` as fast as it
/// can; afterwards `src` is the folder again. Returns the number of swaps and
/// what `body` returned.
#[cfg(target_os = "linux")]
fn swap_while<T>(out: &Path, body: impl FnOnce() -> T) -> Result<(u64, T), String> {
    use rustix::fs::{openat, renameat_with, Mode, OFlags, RenameFlags, CWD};
    use std::sync::atomic::{AtomicBool, Ordering};

    let folder = openat(CWD, out, OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC, Mode::empty())
        .map_err(|error| format!("{}: {error}", out.display()))?;
    let exchange = || renameat_with(&folder, "src", &folder, LINK, RenameFlags::EXCHANGE);
    let stop = AtomicBool::new(false);
    let (swaps, result) = std::thread::scope(|scope| {
        let swapper = scope.spawn(|| {
            let mut swaps = 0u64;
            while !stop.load(Ordering::Relaxed) {
                match exchange() {
                    Ok(()) => swaps += 1,
                    Err(error) => return Err(format!("rename-exchange in {}: {error}", out.display())),
                }
            }
            Ok(swaps)
        });
        let result = body();
        stop.store(true, Ordering::Relaxed);
        let swaps = swapper.join().map_err(|_| "the swapping thread panicked".to_owned()).and_then(|swaps| swaps);
        (swaps, result)
    });
    let swaps = swaps?;
    let src_is_link = std::fs::symlink_metadata(out.join("src")).map(|meta| meta.file_type().is_symlink());
    if src_is_link.map_err(|error| format!("{}/src: {error}", out.display()))? {
        exchange().map_err(|error| format!("rename-exchange in {}: {error}", out.display()))?;
    }
    Ok((swaps, result))
}

#[cfg(not(target_os = "linux"))]
fn swap_while<T>(_out: &Path, _body: impl FnOnce() -> T) -> Result<(u64, T), String> {
    Err("the race needs Linux's renameat2(RENAME_EXCHANGE)".to_owned())
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) -> Result<(), String> {
    std::os::unix::fs::symlink(target, link).map_err(|error| format!("{}: {error}", link.display()))
}

#[cfg(not(unix))]
fn symlink(_target: &Path, link: &Path) -> Result<(), String> {
    Err(format!("{}: the race needs symbolic links", link.display()))
}

/// Copies the folders and regular files of `from` into `to`.
fn copy_tree(from: &Path, to: &Path) -> Result<(), String> {
    create_dir(to)?;
    for entry in std::fs::read_dir(from).map_err(|error| format!("{}: {error}", from.display()))? {
        let entry = entry.map_err(|error| format!("{}: {error}", from.display()))?;
        let kind = entry.file_type().map_err(|error| format!("{}: {error}", entry.path().display()))?;
        let target = to.join(entry.file_name());
        if kind.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else if kind.is_file() {
            std::fs::copy(entry.path(), &target).map_err(|error| format!("{}: {error}", target.display()))?;
        }
    }
    Ok(())
}

fn create_dir(dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|error| format!("{}: {error}", dir.display()))
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|error| format!("{}: {error}", path.display()))
}

fn write(path: &Path, contents: &str) -> Result<(), String> {
    std::fs::write(path, contents).map_err(|error| format!("{}: {error}", path.display()))
}
