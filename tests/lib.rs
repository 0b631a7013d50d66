//! Shared helpers of the integration tests (the tests themselves are in `integration/`).

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

/// The `tests/` folder.
pub fn tests_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh, empty folder for one test, under the target directory's temp space.
pub fn scratch_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("clerk-invitations-tests-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}

/// Every generated file of one spec, concatenated with a marker line per file
/// (but the semver record, which repeats the API surface).
pub fn concatenated(files: &[codegen::GeneratedFile]) -> String {
    files
        .iter()
        .filter(|file| file.path != codegen::semver::RECORD_FILE)
        .map(|file| format!("// ===== {} =====\n{}", file.path, file.contents))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The files every generated crate has, written from one template whatever
/// the spec: snapshotted once (`snapshots::the_crate_scaffolding`), not in
/// every fixture's snapshot, so a change to the template is one diff.
pub const SCAFFOLDING: &[&str] = &["Cargo.toml", "src/lib.rs", "src/client.rs"];

/// What a spec adds to the scaffolding: its models and group modules,
/// concatenated like [`concatenated`].
pub fn concatenated_modules(files: &[codegen::GeneratedFile]) -> String {
    let modules: Vec<codegen::GeneratedFile> =
        files.iter().filter(|file| !SCAFFOLDING.contains(&file.path.as_str())).cloned().collect();
    concatenated(&modules)
}

/// The workspace README's examples, compiled as doctests so they cannot rot.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

/// The generated crate's README, published with it.
#[doc = include_str!("../generated-client/README.md")]
#[cfg(doctest)]
pub struct GeneratedCrateReadmeDoctests;

/// The `xtask` binary, built (if it is not up to date) with the profile and
/// into the target folder of these tests, for tests that run it as a child
/// process.
pub fn xtask_binary() -> PathBuf {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command.current_dir(tests_dir()).args(["build", "--offline", "--quiet", "-p", "xtask", "--bin", "xtask"]);
    if !cfg!(debug_assertions) {
        command.arg("--release");
    }
    let status = command.status().expect("cargo runs");
    assert!(status.success(), "cargo build -p xtask failed");
    // This test binary is `<target>/<profile>/deps/integration-…`.
    let exe = std::env::current_exe().expect("the test binary");
    let profile_dir = exe.parent().and_then(Path::parent).expect("<target>/<profile>");
    profile_dir.join(format!("xtask{}", std::env::consts::EXE_SUFFIX))
}

/// Runs `cargo xtask ARGS` (the [`xtask_binary`], built once per test process)
/// as a user would, in the test's working folder (`tests/` under `cargo test`);
/// returns its exit status, stdout and stderr. The one way these tests run the
/// command line.
pub fn xtask<S: AsRef<OsStr>>(args: impl IntoIterator<Item = S>) -> (u8, String, String) {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    let binary = BINARY.get_or_init(xtask_binary);
    let output = Command::new(binary).args(args).stdin(Stdio::null()).output().expect("xtask runs");
    let code = output.status.code().unwrap_or_else(|| panic!("xtask ended without an exit status: {}", output.status));
    let code = u8::try_from(code).unwrap_or_else(|_| panic!("exit status {code}"));
    (code, String::from_utf8_lossy(&output.stdout).into_owned(), String::from_utf8_lossy(&output.stderr).into_owned())
}
