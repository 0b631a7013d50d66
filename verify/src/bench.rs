//! `cargo xtask bench [--quick]`: builds the release `xtask` and the
//! `tools/bench` workspace (into `target/bench`), runs every `*-bench` binary
//! it built, collects their `BENCH {json}` result lines (everything else they
//! print is progress, passed on to stderr), prints a table of the rows and
//! writes `BENCHMARKS.md` at the repository root.
//!
//! Not part of CI (`.ci/run`): timings on a shared machine are information,
//! not a pass/fail check; no test runs it.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::bench_report::{self, Machine, Row};
use crate::paths::workspace_root;
use crate::FAILURE;

/// How the rows are measured, for `BENCHMARKS.md`.
const METHOD: &str = "\
- Every `*-bench` binary of the `tools/bench` workspace (built `--release` into `target/bench`) prints one \
`BENCH {json}` line per row; `cargo xtask bench` collects them into this file.
- Ours against a peer: paired, interleaved runs (ours, theirs, ours, theirs, …) after discarded warm-up \
pairs, so that whatever else the machine does falls on both alike; each side is summarised by its median \
with min–max over n runs, and the ratio is of the medians.
- Codegen, whole process: ours is the release binary `target/release/xtask codegen --spec FILE --out DIR` \
(`--all-tags` for Clerk's documents); the peer is `progenitor-peer` (tools/bench/codegen-bench), which does \
what `cargo progenitor` does: YAML → openapiv3 → `progenitor::Generator` 0.15.1 (default settings) → \
prettyplease → `src/lib.rs` and `Cargo.toml` (without the CLI's regex pass that adds blank lines, which the \
`progenitor` crate does not export). Each run is a fresh process writing into a fresh folder; the \
time is wall time from spawn to exit, and the notes give CPU (user + system) time too.
- The Clerk subset is the largest set of operations of Clerk's 2026-05-12 document that both tools \
generate: each operation tried alone with each tool, the accepted ones kept, and their union checked with \
both (`target/bench/codegen/clerk-subset.yaml`).
- The floor is this pipeline's own irreducible work, in-process on one thread: parsing the subset's YAML \
once (serde_yaml → openapiv3) plus `syn::parse_file` + `prettyplease::unparse` over the `.rs` files ours \
wrote for it. It runs in the bench binary with the system allocator; ours is `xtask`, whose allocator is \
mimalloc.
- Peak memory is the max RSS of the whole process as GNU time (`/usr/bin/time -f %M`) reports it, from \
runs apart from the timing runs (started through `time` because Linux carries a parent's peak over into a \
child it forks). Scaling runs ours on the whole document with 1, 2, 4 and 8 copies of every path and \
component (paths, operationIds, groups, tags and component names suffixed, references rewritten).
- Rebuild: each generated crate for the invitations slice is a workspace of its own with its own target \
folder under `target/bench/rebuild`; after one build, each sample sets the mtime of its generated `.rs` files \
to now and times `cargo build`, with cargo's default (incremental) and with `CARGO_INCREMENTAL=0`.
- What users pay (`users-*`): each side is a workspace under `target/bench/users` holding the generated crate \
and a user binary (the only default member, so the generated crate's own default features stay off) that calls \
every operation with its required arguments (ours: setters, then `send`; progenitor's: every positional argument, \
from its method signatures) and polls each future once, so what a call instantiates in the user's crate is \
compiled; it is built, never run. Both use `native-tls`: progenitor's crate has no TLS of its own and reqwest \
0.13's rustls runs on aws-lc-rs, the runtime's on ring. After the dependencies are built, each sample touches \
every `.rs` file of the workspace and times `cargo build`; the edit-compile loop touches only the user's \
`main.rs` of a program making one call (getting an invitation); the cold build removes the target folder first \
and builds that program with every dependency.
- Client (`client-bench`): ours is the generated `clerk_invitations::Client`; theirs is a hand-written \
`reqwest::Client` call that sends the same request headers (checked on the wire at start) and decodes into the \
same generated models, without retries, deadline, body cap, span or id checks. Both run on one current-thread \
Tokio runtime against an HTTP/1.1 keep-alive server on 127.0.0.1 on its own thread. Wall times are per call over \
paired, interleaved batches; allocations come from a counting global allocator; instructions per call are \
callgrind's totals for the client process alone (the server runs in the parent, outside valgrind) at two call \
counts, (I(K2) − I(K1)) / (K2 − K1), so start-up cancels out. Decode rows compare the generated types with \
plain serde structs of the same fields. The form row sends a `multipart/form-data` body of a million small parts \
through the runtime (as generated code fills a list field) against the same parts written into one buffer by \
hand and posted with the same reqwest; its bound is a budget for ours alone (under 1 s), not a ratio.";

pub fn run(quick: bool, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    match run_all(quick, out, err) {
        Ok(true) => 0,
        Ok(false) => FAILURE,
        Err(message) => {
            let _ = writeln!(err, "error: {message}");
            FAILURE
        }
    }
}

fn run_all(quick: bool, out: &mut dyn Write, err: &mut dyn Write) -> Result<bool, String> {
    let root = workspace_root();
    let _ = writeln!(err, "bench: cargo build --release -p xtask");
    cargo(&root, &["build", "--release", "-p", "xtask"])?;
    let _ = writeln!(err, "bench: building tools/bench into target/bench");
    let binaries = build_bench_workspace(&root)?;
    if binaries.is_empty() {
        return Err("tools/bench built no `*-bench` binary".to_owned());
    }
    let mut rows = Vec::new();
    let mut ok = true;
    for binary in &binaries {
        let _ = writeln!(err, "bench: running {}", binary.display());
        ok &= run_binary(binary, quick, &mut rows, err)?;
    }
    let _ = write!(out, "{}", bench_report::table(&rows));
    let text = bench_report::markdown(&machine(&root), METHOD, &rows);
    let path = root.join("BENCHMARKS.md");
    std::fs::write(&path, text).map_err(|error| format!("{}: {error}", path.display()))?;
    let _ = writeln!(out, "wrote {}", path.display());
    Ok(ok)
}

fn cargo(dir: &Path, args: &[&str]) -> Result<(), String> {
    let program = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(program)
        .current_dir(dir)
        .args(args)
        .status()
        .map_err(|error| format!("cannot run cargo: {error}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("cargo {} failed", args.join(" ")))
    }
}

/// Builds the bench workspace and returns the `*-bench` executables cargo
/// reports it built (from its JSON messages, so a stale binary left in
/// `target/bench` by a crate since removed is not run).
fn build_bench_workspace(root: &Path) -> Result<Vec<PathBuf>, String> {
    let program = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let target = crate::paths::target_dir().join("bench");
    let output = Command::new(program)
        .current_dir(root)
        .args(["build", "--release", "--message-format", "json-render-diagnostics", "--manifest-path"])
        .arg(root.join("tools/bench/Cargo.toml"))
        .arg("--target-dir")
        .arg(&target)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|error| format!("cannot run cargo: {error}"))?;
    if !output.status.success() {
        return Err("building tools/bench failed".to_owned());
    }
    let mut binaries = Vec::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else { continue };
        let Some(executable) = message.get("executable").and_then(|value| value.as_str()) else { continue };
        let path = PathBuf::from(executable);
        if path.file_name().and_then(|name| name.to_str()).is_some_and(|name| name.ends_with("-bench")) {
            binaries.push(path);
        }
    }
    binaries.sort();
    binaries.dedup();
    Ok(binaries)
}

/// Runs one bench binary, adding its rows; progress goes to `err`. False if
/// it failed or printed a line that is not a valid result.
fn run_binary(binary: &Path, quick: bool, rows: &mut Vec<Row>, err: &mut dyn Write) -> Result<bool, String> {
    let mut command = Command::new(binary);
    if quick {
        command.arg("--quick");
    }
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|error| format!("cannot run {}: {error}", binary.display()))?;
    let mut ok = true;
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines() {
            let line = line.map_err(|error| format!("{}: {error}", binary.display()))?;
            match bench_report::parse_line(&line) {
                Some(Ok(row)) => {
                    let _ = writeln!(err, "bench: {} {}: {}", row.row, row.verdict().label(), row.title);
                    rows.push(row);
                }
                Some(Err(error)) => {
                    let _ = writeln!(err, "bench: {error}");
                    ok = false;
                }
                None => {
                    let _ = writeln!(err, "{line}");
                }
            }
        }
    }
    let status = child.wait().map_err(|error| format!("{}: {error}", binary.display()))?;
    if !status.success() {
        let _ = writeln!(err, "bench: {} exited with {status}", binary.display());
        ok = false;
    }
    Ok(ok)
}

/// The machine's facts, each `unknown` when it cannot be read.
fn machine(root: &Path) -> Machine {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let field = |text: &str, key: &str| {
        text.lines()
            .find(|line| line.starts_with(key))
            .and_then(|line| line.split_once(':'))
            .map(|(_, value)| value.trim().to_owned())
    };
    let memory = field(&meminfo, "MemTotal").and_then(|value| {
        let kib: f64 = value.trim_end_matches("kB").trim().parse().ok()?;
        Some(format!("{:.1} GiB", kib / 1024.0 / 1024.0))
    });
    let cores = std::thread::available_parallelism().map(|cores| cores.to_string()).ok();
    let rustc = output(root, "rustc", &["-V"]);
    let date = output(root, "date", &["-u", "+%Y-%m-%d %H:%M UTC"]);
    let commit = output(root, "git", &["rev-parse", "--short=12", "HEAD"]).map(|commit| {
        let dirty = output(root, "git", &["status", "--porcelain", "--untracked-files=no"])
            .is_some_and(|status| !status.is_empty());
        if dirty {
            format!("{commit} (with uncommitted changes)")
        } else {
            commit
        }
    });
    let known = |value: Option<String>| value.unwrap_or_else(|| "unknown".to_owned());
    Machine {
        cores: known(cores),
        cpu: known(field(&cpuinfo, "model name")),
        memory: known(memory),
        rustc: known(rustc),
        date: known(date),
        commit: known(commit),
    }
}

fn output(dir: &Path, program: &str, args: &[&str]) -> Option<String> {
    let output = Command::new(program).current_dir(dir).args(args).output().ok()?;
    output.status.success().then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}
