//! Running a process and measuring it: wall time from spawn to reaping, and
//! its peak resident memory as the kernel reports it to `wait4`.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

/// One finished run.
#[derive(Debug, Clone, Copy)]
pub struct Run {
    pub wall_ms: f64,
    /// User plus system CPU time: what the run cost, however busy the machine was.
    pub cpu_ms: f64,
    pub max_rss_kib: u64,
}

/// Runs `command` to completion (stdout discarded, stderr kept in `log` for
/// the error message); an exit status other than 0 is an error.
pub fn run(command: &mut Command, log: &Path) -> Result<Run, String> {
    let stderr = std::fs::File::create(log).map_err(|error| format!("{}: {error}", log.display()))?;
    command.stdin(Stdio::null()).stdout(Stdio::null()).stderr(stderr);
    let started = Instant::now();
    let child = command.spawn().map_err(|error| format!("cannot start {command:?}: {error}"))?;
    let (status, usage) = wait4(child.id())?;
    let wall_ms = started.elapsed().as_secs_f64() * 1000.0;
    // The child is reaped: dropping `child` (which never waits) is all that is left.
    drop(child);
    if !libc::WIFEXITED(status) || libc::WEXITSTATUS(status) != 0 {
        let said = std::fs::read_to_string(log).unwrap_or_default();
        return Err(format!("{command:?} failed (wait status {status}): {}", said.trim()));
    }
    // Linux reports ru_maxrss in KiB (see `run_peak` for what it covers).
    let millis = |time: libc::timeval| time.tv_sec as f64 * 1000.0 + time.tv_usec as f64 / 1000.0;
    let cpu_ms = millis(usage.ru_utime) + millis(usage.ru_stime);
    Ok(Run { wall_ms, cpu_ms, max_rss_kib: u64::try_from(usage.ru_maxrss).unwrap_or(0) })
}

/// GNU time, for peak memory: see `run_peak`.
pub const TIME: &str = "/usr/bin/time";

/// Runs `command` under `/usr/bin/time -f %M` and takes the max RSS from it.
///
/// `wait4` on a direct child is not enough: Linux carries the larger of the
/// parent's and the child's peak over `fork`/`exec` (the child's peak starts at
/// this process's, which holds whole documents), so the child must be started
/// by a small process of its own. Wall and CPU time include `time` itself.
pub fn run_peak(command: &Command, log: &Path) -> Result<Run, String> {
    let report = log.with_extension("rss");
    let mut timed = Command::new(TIME);
    timed.arg("-f").arg("%M").arg("-o").arg(&report).arg(command.get_program()).args(command.get_args());
    if let Some(dir) = command.get_current_dir() {
        timed.current_dir(dir);
    }
    let mut measured = run(&mut timed, log)?;
    let text = std::fs::read_to_string(&report).map_err(|error| format!("{}: {error}", report.display()))?;
    let kib = text.lines().last().and_then(|line| line.trim().parse().ok());
    measured.max_rss_kib = kib.ok_or_else(|| format!("{}: no max RSS in `{}`", report.display(), text.trim()))?;
    Ok(measured)
}

/// Waits for the child `pid` and returns its wait status and resource usage.
fn wait4(pid: u32) -> Result<(i32, libc::rusage), String> {
    let pid = libc::pid_t::try_from(pid).map_err(|_| format!("pid {pid} out of range"))?;
    let mut status = 0;
    // SAFETY: rusage is plain old data, for which all zero bytes is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: both pointers are to live locals of the right types.
        let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if reaped == pid {
            return Ok((status, usage));
        }
        let error = std::io::Error::last_os_error();
        if error.kind() != std::io::ErrorKind::Interrupted {
            return Err(format!("wait4({pid}): {error}"));
        }
    }
}

/// Runs `ours` and `theirs` alternately, `warmup` pairs discarded then `n`
/// pairs kept, so that whatever else the machine does falls on both alike.
pub fn paired<A, B>(
    warmup: usize,
    n: usize,
    mut ours: impl FnMut() -> Result<A, String>,
    mut theirs: impl FnMut() -> Result<B, String>,
) -> Result<(Vec<A>, Vec<B>), String> {
    let (mut a, mut b) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for round in 0..warmup + n {
        let (x, y) = (ours()?, theirs()?);
        if round >= warmup {
            a.push(x);
            b.push(y);
        }
    }
    Ok((a, b))
}

/// `n` runs of one thing after `warmup` discarded ones.
pub fn repeated<T>(warmup: usize, n: usize, mut one: impl FnMut() -> Result<T, String>) -> Result<Vec<T>, String> {
    let mut samples = Vec::with_capacity(n);
    for round in 0..warmup + n {
        let sample = one()?;
        if round >= warmup {
            samples.push(sample);
        }
    }
    Ok(samples)
}

/// An empty folder at `dir` (whatever was there is removed first).
pub fn fresh_dir(dir: &Path) -> Result<(), String> {
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(|error| format!("{}: {error}", dir.display()))?;
    }
    std::fs::create_dir_all(dir).map_err(|error| format!("{}: {error}", dir.display()))
}
