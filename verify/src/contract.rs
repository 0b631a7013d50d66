//! `cargo xtask contract [--spec PATH]…`: the generated client against Prism
//! (Stoplight's OpenAPI mock server) serving each spec, statically and then
//! dynamically, with `--errors` so that a request violating the spec is
//! answered with an error status and fails the call.
//!
//! Prism comes from npm, pinned, into `target/prism` (git-ignored, reused). The
//! calls are made by the `contract` test of the `tests` package
//! (`tests/contract.rs`), which reads the mock's URL from `CONTRACT_BASE_URL`.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Instant;

use crate::options::ContractOptions;
use crate::paths::{default_spec, workspace_root};
use crate::prism::{cargo, ensure_prism, read_log, report_prism_errors, Errors, Mode, PrismServer, UPSTREAM_SPEC};
use crate::FAILURE;

/// The specs mocked when no `--spec` is given: `spec/`, and the upstream document
/// when it is there.
pub fn default_specs() -> Vec<PathBuf> {
    let mut specs = vec![default_spec()];
    let upstream = workspace_root().join(UPSTREAM_SPEC);
    if upstream.is_file() {
        specs.push(upstream);
    }
    specs
}

pub fn run(options: &ContractOptions, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    if options.test_values {
        return crate::whole_api::test_values::run(options, out, err);
    }
    if options.whole_api {
        return crate::whole_api::run(options, out, err);
    }
    let root = workspace_root();
    let cwd = std::env::current_dir().unwrap_or_else(|_| root.clone());
    let specs: Vec<PathBuf> = if options.specs.is_empty() {
        default_specs()
    } else {
        options.specs.iter().map(|spec| cwd.join(spec)).collect()
    };
    if let Some(missing) = specs.iter().find(|spec| !spec.is_file()) {
        let _ = writeln!(err, "error: {}: no such file", missing.display());
        return FAILURE;
    }

    let prism = match ensure_prism(&root, out) {
        Ok(prism) => prism,
        Err(message) => {
            let _ = writeln!(err, "error: {message}");
            return FAILURE;
        }
    };
    // Compile the test first, so that a build error shows before any mock starts
    // and build time is not spent with Prism running.
    if let Err(message) = build_contract_test(&root) {
        let _ = writeln!(err, "error: {message}");
        return FAILURE;
    }

    // This run's logs only.
    let log_dir = crate::paths::target_dir().join("prism/logs");
    let _ = std::fs::remove_dir_all(&log_dir);
    if let Err(error) = std::fs::create_dir_all(&log_dir) {
        let _ = writeln!(err, "error: {}: {error}", log_dir.display());
        return FAILURE;
    }
    let mut summaries = Vec::new();
    for (index, spec) in specs.iter().enumerate() {
        for mode in [Mode::Static, Mode::Dynamic] {
            let shown = shown_path(spec, &root);
            let stem = spec.file_stem().and_then(|stem| stem.to_str()).unwrap_or("spec");
            let log = log_dir.join(format!("{}-{stem}-{}.log", index + 1, mode.name()));
            let _ =
                writeln!(out, "\n==> contract: {shown} ({}): Prism on 127.0.0.1, log {}", mode.name(), log.display());
            let started = Instant::now();
            let result = run_one(&prism, &root, spec, mode, &log, out);
            let seconds = started.elapsed().as_secs_f64();
            let summary = match &result {
                Ok(calls) => format!("contract: {shown} ({}): passed, {calls} calls, {seconds:.1} s", mode.name()),
                Err(failure) => {
                    format!("contract: {shown} ({}): FAILED: {} ({seconds:.1} s)", mode.name(), failure.reason)
                }
            };
            if let Err(failure) = &result {
                let _ = writeln!(err, "error: {}", failure.reason);
                if failure.prism_listened {
                    report_prism_errors(&log, err);
                } else {
                    let _ = writeln!(err, "Prism's output ({}):\n{}", log.display(), read_log(&log).trim_end());
                }
            }
            summaries.push((summary, result.is_ok()));
        }
    }

    let _ = writeln!(out);
    for (summary, _) in &summaries {
        let _ = writeln!(out, "{summary}");
    }
    let failed = summaries.iter().filter(|(_, passed)| !passed).count();
    if failed == 0 {
        let _ = writeln!(out, "contract: all {} runs passed", summaries.len());
        0
    } else {
        let _ = writeln!(err, "contract: {failed} of {} runs failed", summaries.len());
        FAILURE
    }
}

fn build_contract_test(root: &Path) -> Result<(), String> {
    let status = cargo()
        .args(["test", "-p", "tests", "--test", "contract", "--no-run"])
        .current_dir(root)
        .stdin(Stdio::null())
        .status()
        .map_err(|error| format!("could not run cargo: {error}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("building the contract test failed ({status})"))
    }
}

/// Why a run failed, and whether Prism got as far as listening (if not, its
/// whole output says why; if so, its error lines name the violations).
struct Failure {
    reason: String,
    prism_listened: bool,
}

/// One spec in one mode: Prism up, the contract test against it, Prism down.
/// Returns how many calls the test made.
fn run_one(
    prism: &Path,
    root: &Path,
    spec: &Path,
    mode: Mode,
    log: &Path,
    out: &mut dyn Write,
) -> Result<usize, Failure> {
    let server = PrismServer::start(prism, root, spec, mode, Errors::On, log)
        .map_err(|reason| Failure { reason, prism_listened: false })?;
    let failed = |reason: String| Failure { reason, prism_listened: true };
    let mut child = cargo()
        .args(["test", "-p", "tests", "--test", "contract", "--", "--ignored", "--nocapture", "--test-threads=1"])
        .current_dir(root)
        .env("CONTRACT_BASE_URL", format!("http://{}", server.address))
        .env("CONTRACT_MODE", mode.name())
        .env("CONTRACT_SPEC", spec)
        // The test prints every failed call; a backtrace of its final assert adds nothing.
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|error| failed(format!("could not run cargo: {error}")))?;
    // Echo the test's output as it comes, and pick up its closing count.
    let mut calls = None;
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            let _ = writeln!(out, "{line}");
            if let Some(count) = parse_call_count(&line) {
                calls = Some(count);
            }
        }
    }
    let status = child.wait().map_err(|error| failed(format!("waiting for cargo test: {error}")))?;
    drop(server);

    if !status.success() {
        return Err(failed(format!("the contract test failed ({status})")));
    }
    match calls {
        Some(calls) if calls > 0 => Ok(calls),
        _ => Err(failed("the contract test printed no `contract: N calls` line (did it run?)".to_owned())),
    }
}

/// `contract: 28 calls, 0 violations` → 28.
fn parse_call_count(line: &str) -> Option<usize> {
    let rest = line.trim().strip_prefix("contract: ")?;
    let (count, rest) = rest.split_once(' ')?;
    rest.starts_with("calls").then(|| count.parse().ok()).flatten()
}

/// `spec` relative to the workspace root when it is under it (or is the upstream
/// default, `../shared/…`), else as given.
fn shown_path(spec: &Path, root: &Path) -> String {
    spec.strip_prefix(root).unwrap_or(spec).display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_closing_count() {
        assert_eq!(parse_call_count("contract: 350 calls, 0 violations"), Some(350));
        assert_eq!(parse_call_count("contract: spec.yaml, static mode, Prism at http://x, 4 rounds"), None);
        assert_eq!(parse_call_count("test x ... ok"), None);
    }
}
