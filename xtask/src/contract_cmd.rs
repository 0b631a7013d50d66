//! `cargo xtask contract [--spec PATH]…`: the generated client against Prism
//! (Stoplight's OpenAPI mock server) serving each spec, statically and then
//! dynamically, with `--errors` so that a request violating the spec is
//! answered with an error status and fails the call.
//!
//! Prism comes from npm, pinned, into `target/prism` (git-ignored, reused). The
//! calls are made by the `contract` test of the `tests` package
//! (`tests/contract.rs`), which reads the mock's URL from `CONTRACT_BASE_URL`.

use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::cli::ContractOptions;
use crate::{workspace_root, FAILURE};

/// The Prism release the contract tests run against; bump deliberately.
pub const PRISM_VERSION: &str = "5.16.0";
/// The upstream document also mocked by default, relative to the workspace root
/// (where CI lays `shared/` beside the clone).
pub const UPSTREAM_SPEC: &str = "../shared/upstream/clerk-bapi/2026-05-12.yml";
/// How long Prism may take to start listening.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(60);
/// How many of Prism's error lines a failed run shows.
const SHOWN_PRISM_ERRORS: usize = 40;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Responses from the spec's examples, or built from the schemas.
    Static,
    /// Responses generated at random from the schemas (`prism mock -d`).
    Dynamic,
}

impl Mode {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Mode::Static => "static",
            Mode::Dynamic => "dynamic",
        }
    }
}

/// The specs mocked when no `--spec` is given: `spec/`, and the upstream document
/// when it is there.
pub fn default_specs() -> Vec<PathBuf> {
    let mut specs = vec![crate::default_spec()];
    let upstream = workspace_root().join(UPSTREAM_SPEC);
    if upstream.is_file() {
        specs.push(upstream);
    }
    specs
}

pub fn run(options: &ContractOptions, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
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
    let log_dir = root.join("target/prism/logs");
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

/// Installs Prism into `target/prism` unless the pinned version is already there;
/// returns the path of its `prism` executable.
pub(crate) fn ensure_prism(root: &Path, out: &mut dyn Write) -> Result<PathBuf, String> {
    let prefix = root.join("target/prism");
    let bin = prefix.join("node_modules/.bin/prism");
    let manifest = prefix.join("node_modules/@stoplight/prism-cli/package.json");
    if bin.is_file() && installed_version(&manifest).as_deref() == Some(PRISM_VERSION) {
        return Ok(bin);
    }
    let package = format!("@stoplight/prism-cli@{PRISM_VERSION}");
    let _ = writeln!(out, "contract: installing {package} into {} (once)", prefix.display());
    std::fs::create_dir_all(&prefix).map_err(|error| format!("{}: {error}", prefix.display()))?;
    let output = Command::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--prefix"])
        .arg(&prefix)
        .arg(&package)
        .current_dir(root)
        .stdin(Stdio::null())
        .output()
        .map_err(|error| format!("could not run npm to install Prism ({error}); install Node.js and npm"))?;
    if !output.status.success() {
        return Err(format!(
            "`npm install {package}` failed ({}):\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    match installed_version(&manifest) {
        Some(version) if version == PRISM_VERSION && bin.is_file() => Ok(bin),
        other => Err(format!("npm succeeded but {} is not Prism {PRISM_VERSION} (found {other:?})", bin.display())),
    }
}

/// The `version` of an npm package manifest (`"version": "5.16.0"`), read
/// without a JSON dependency in xtask.
fn installed_version(manifest: &Path) -> Option<String> {
    let text = std::fs::read_to_string(manifest).ok()?;
    let after_key = &text[text.find("\"version\"")? + "\"version\"".len()..];
    let value = after_key.trim_start().strip_prefix(':')?.trim_start().strip_prefix('"')?;
    Some(value[..value.find('"')?].to_owned())
}

/// A `cargo` command without the variables `cargo run` set for xtask
/// (`CARGO_MANIFEST_DIR`, `CARGO_PKG_*`, …): build scripts that watch them
/// (ring's does) would otherwise rebuild on every switch between a plain
/// `cargo test` and this one.
pub(crate) fn cargo() -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    for (name, _) in std::env::vars_os() {
        let Some(name) = name.to_str() else { continue };
        let set_by_cargo_run = name.starts_with("CARGO_PKG_")
            || matches!(
                name,
                "CARGO_MANIFEST_DIR"
                    | "CARGO_MANIFEST_PATH"
                    | "CARGO_CRATE_NAME"
                    | "CARGO_BIN_NAME"
                    | "CARGO_PRIMARY_PACKAGE"
                    | "CARGO_TARGET_TMPDIR"
            );
        if set_by_cargo_run {
            command.env_remove(name);
        }
    }
    command
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

/// Prism's `--errors`. Prism refuses a request that violates the spec either
/// way (a documented 4XX with `sl-violations`, else its own 422); with it, an
/// answer Prism mocks that breaks the spec becomes a 500, without it the answer
/// comes with `sl-violations` naming what it breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Errors {
    On,
    Off,
}

/// A running `prism mock`, stopped when dropped.
pub(crate) struct PrismServer {
    child: KillOnDrop,
    pub(crate) address: SocketAddr,
}

/// A child process that is killed and reaped when this is dropped: at the end of
/// its scope, on an early return, and when unwinding from a panic.
struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl PrismServer {
    pub(crate) fn start(
        prism: &Path,
        root: &Path,
        spec: &Path,
        mode: Mode,
        errors: Errors,
        log: &Path,
    ) -> Result<Self, String> {
        let address = free_port()?;
        let log_file = File::create(log).map_err(|error| format!("{}: {error}", log.display()))?;
        let log_err = log_file.try_clone().map_err(|error| format!("{}: {error}", log.display()))?;
        let mut command = Command::new(prism);
        command.args(["mock", "-h", "127.0.0.1", "-p"]).arg(address.port().to_string());
        if errors == Errors::On {
            command.arg("--errors");
        }
        if mode == Mode::Dynamic {
            command.arg("-d");
        }
        // If xtask itself is killed (no `Drop` then), Prism sees its stdin close
        // and exits instead of lingering.
        let preload = exit_on_eof_script(prism)?;
        let mut node_options = std::env::var("NODE_OPTIONS").unwrap_or_default();
        node_options.push_str(&format!(" --require \"{}\"", preload.display()));
        // Output to a file rather than a pipe: nobody reads a pipe while the tests
        // run, and a full pipe would stall Prism.
        let child = command
            .arg(spec)
            .current_dir(root)
            .env("NODE_OPTIONS", node_options.trim_start())
            .stdin(Stdio::piped())
            .stdout(Stdio::from(log_file))
            .stderr(Stdio::from(log_err))
            .spawn()
            .map_err(|error| format!("could not start {}: {error}", prism.display()))?;
        let mut server = PrismServer { child: KillOnDrop(child), address };
        server.wait_until_listening()?;
        Ok(server)
    }

    fn wait_until_listening(&mut self) -> Result<(), String> {
        let deadline = Instant::now() + STARTUP_TIMEOUT;
        loop {
            match self.child.0.try_wait() {
                Ok(Some(status)) => {
                    return Err(format!("Prism exited ({status}) before listening"));
                }
                Ok(None) => {}
                Err(error) => return Err(format!("waiting for Prism: {error}")),
            }
            if TcpStream::connect_timeout(&self.address, Duration::from_millis(500)).is_ok() {
                return Ok(());
            }
            if Instant::now() >= deadline {
                return Err(format!("Prism did not listen on {} within {} s", self.address, STARTUP_TIMEOUT.as_secs()));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

/// Writes (once) the script that Prism's node preloads: exit when stdin, a pipe
/// from xtask that is never written to, reaches its end because xtask is gone.
fn exit_on_eof_script(prism: &Path) -> Result<PathBuf, String> {
    const SCRIPT: &str = "process.stdin.on('end', () => process.exit(0));\nprocess.stdin.resume();\n";
    // <prefix>/node_modules/.bin/prism → <prefix>/exit-on-stdin-eof.js
    let prefix = prism.ancestors().nth(3).unwrap_or(Path::new("."));
    let path = prefix.join("exit-on-stdin-eof.js");
    if std::fs::read_to_string(&path).ok().as_deref() != Some(SCRIPT) {
        std::fs::write(&path, SCRIPT).map_err(|error| format!("{}: {error}", path.display()))?;
    }
    Ok(path)
}

/// A port on 127.0.0.1 that nothing listens on now (the OS picks it).
fn free_port() -> Result<SocketAddr, String> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).map_err(|error| format!("no free port: {error}"))?;
    listener.local_addr().map_err(|error| format!("no free port: {error}"))
}

pub(crate) fn read_log(log: &Path) -> String {
    std::fs::read_to_string(log).unwrap_or_else(|error| format!("({}: {error})", log.display()))
}

/// Prism's `✖ error` lines (the violations it found), from the tag on and once
/// each: `[VALIDATOR] ✖  error     Violation: request.body …`.
pub(crate) fn report_prism_errors(log: &Path, err: &mut dyn Write) {
    let text = read_log(log);
    let mut seen: Vec<&str> = Vec::new();
    for line in text.lines().filter(|line| line.contains('✖')) {
        // Past the timestamp, "[4:02:32 AM] › ".
        let line = line.split_once(" › ").map_or(line, |(_, rest)| rest).trim();
        if !seen.contains(&line) {
            seen.push(line);
        }
    }
    if seen.is_empty() {
        return;
    }
    let _ = writeln!(err, "Prism's errors ({} distinct):", seen.len());
    for line in seen.iter().take(SHOWN_PRISM_ERRORS) {
        let _ = writeln!(err, "  {line}");
    }
    if seen.len() > SHOWN_PRISM_ERRORS {
        let _ = writeln!(err, "  … and {} more in {}", seen.len() - SHOWN_PRISM_ERRORS, log.display());
    }
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
    fn a_panic_still_stops_the_child() {
        let Ok(child) = Command::new("sleep").arg("60").spawn() else {
            return; // no `sleep` here: nothing to test with
        };
        let pid = child.id();
        let unwound = std::panic::catch_unwind(move || {
            let _guard = KillOnDrop(child);
            panic!("a failure while Prism runs");
        });
        assert!(unwound.is_err());
        // Killed and reaped: the process is gone, not a zombie.
        if Path::new("/proc/self").exists() {
            assert!(!Path::new(&format!("/proc/{pid}")).exists(), "process {pid} still exists");
        }
    }

    #[test]
    fn reads_the_closing_count() {
        assert_eq!(parse_call_count("contract: 350 calls, 0 violations"), Some(350));
        assert_eq!(parse_call_count("contract: spec.yaml, static mode, Prism at http://x, 4 rounds"), None);
        assert_eq!(parse_call_count("test x ... ok"), None);
    }

    #[test]
    fn reads_an_npm_manifest_version() {
        let dir = std::env::temp_dir().join(format!("xtask-contract-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let manifest = dir.join("package.json");
        std::fs::write(&manifest, "{\n  \"name\": \"@stoplight/prism-cli\",\n  \"version\" : \"5.16.0\",\n}").unwrap();
        assert_eq!(installed_version(&manifest).as_deref(), Some("5.16.0"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
