//! Prism (Stoplight's OpenAPI mock server): installed from npm, pinned, into
//! `target/prism` (git-ignored, reused), started on a free port of 127.0.0.1 and
//! stopped when dropped; its log read back for the violations it found. Used by
//! `cargo xtask contract` ([`crate::contract`]) and its `--whole-api` run
//! ([`crate::whole_api`]).

use std::fs::File;
use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

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

/// Installs Prism into `target/prism` unless the pinned version is already there;
/// returns the path of its `prism` executable.
pub(crate) fn ensure_prism(root: &Path, out: &mut dyn Write) -> Result<PathBuf, String> {
    let prefix = crate::paths::target_dir().join("prism");
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

/// The `version` of an npm package manifest (`"version": "5.16.0"`), read by
/// hand, without parsing the rest of the file.
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
        let mut args = vec!["mock".to_owned(), "-h".to_owned(), "127.0.0.1".to_owned(), "-p".to_owned()];
        args.push(address.port().to_string());
        if errors == Errors::On {
            args.push("--errors".to_owned());
        }
        if mode == Mode::Dynamic {
            args.push("-d".to_owned());
        }
        args.push(spec.display().to_string());
        Self::launch(prism, root, address, &args, log)
    }

    /// `prism proxy`: every request goes on to `upstream`, and Prism checks
    /// the request and the answer against `spec`, logging each violation
    /// (without `--errors`, the answer is passed on as it came).
    pub(crate) fn start_proxy(
        prism: &Path,
        root: &Path,
        spec: &Path,
        upstream: &str,
        log: &Path,
    ) -> Result<Self, String> {
        let address = free_port()?;
        let mut args = vec!["proxy".to_owned(), "-h".to_owned(), "127.0.0.1".to_owned(), "-p".to_owned()];
        args.push(address.port().to_string());
        args.push(spec.display().to_string());
        args.push(upstream.to_owned());
        Self::launch(prism, root, address, &args, log)
    }

    fn launch(prism: &Path, root: &Path, address: SocketAddr, args: &[String], log: &Path) -> Result<Self, String> {
        let log_file = File::create(log).map_err(|error| format!("{}: {error}", log.display()))?;
        let log_err = log_file.try_clone().map_err(|error| format!("{}: {error}", log.display()))?;
        let mut command = Command::new(prism);
        command.args(args);
        // If xtask itself is killed (no `Drop` then), Prism sees its stdin close
        // and exits instead of lingering.
        let preload = exit_on_eof_script(prism)?;
        let mut node_options = std::env::var("NODE_OPTIONS").unwrap_or_default();
        node_options.push_str(&format!(" --require \"{}\"", preload.display()));
        // Output to a file rather than a pipe: nobody reads a pipe while the tests
        // run, and a full pipe would stall Prism.
        let child = command
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
    fn reads_an_npm_manifest_version() {
        let dir = std::env::temp_dir().join(format!("xtask-contract-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let manifest = dir.join("package.json");
        std::fs::write(&manifest, "{\n  \"name\": \"@stoplight/prism-cli\",\n  \"version\" : \"5.16.0\",\n}").unwrap();
        assert_eq!(installed_version(&manifest).as_deref(), Some("5.16.0"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
