//! The generated crate against the spec: what `cargo xtask codegen --check`
//! and a plain `cargo test` (`tests/integration/staleness.rs`) report when it is
//! stale.

use std::path::Path;

use codegen::files::{self, Difference};

use crate::krate;
use crate::paths::{default_spec, generated_dir, workspace_root};

/// What to do about stale output; tests look for it too.
pub const STALE_HINT: &str = "run `cargo xtask codegen` and commit";

pub fn stale_report(dir: &str, differences: &[Difference]) -> String {
    let mut report = format!("generated code in {dir} does not match the spec:\n");
    for difference in differences {
        report.push_str(&format!("  {difference}\n"));
    }
    report.push_str(STALE_HINT);
    report
}

/// The check a plain `cargo test` runs: `Err` holds the report `--check` prints.
pub fn check_generated() -> Result<(), String> {
    let options = krate::project_options().map_err(|error| error.to_string())?;
    let generated = codegen::generate(&default_spec(), &options)
        .map_err(|error| format!("spec/ does not generate: {error}; fix it, then {STALE_HINT}"))?;
    let dir = generated_dir();
    let lock = lock_problem(&dir, &generated);
    match files::check(&dir, &generated.files) {
        Ok(checked) if checked.differences.is_empty() && lock.is_none() => Ok(()),
        Ok(checked) => {
            let mut report = stale_report(&shown(&dir), &checked.differences);
            if let Some(semver) = generated.semver.filter(|report| report.level != codegen::semver::Level::None) {
                report.push_str(&format!("\n{semver}"));
            }
            if let Some(lock) = lock {
                report.push_str(&format!("\n{lock}"));
            }
            Err(report)
        }
        Err(error) => Err(error.to_string()),
    }
}

/// For the project's own crate: whether the workspace's `Cargo.lock` (which CI
/// uses with `--locked`) still names another version of it.
pub fn lock_problem(out: &Path, generated: &codegen::Generated) -> Option<String> {
    if krate::absolute(out) != generated_dir() {
        return None;
    }
    let cargo_toml = generated.files.iter().find(|file| file.path == "Cargo.toml")?;
    let version = cargo_toml.contents.lines().find_map(|line| line.strip_prefix("version = "))?.trim_matches('"');
    let name = cargo_toml.contents.lines().find_map(|line| line.strip_prefix("name = "))?.trim_matches('"');
    let lock = std::fs::read_to_string(workspace_root().join("Cargo.lock")).ok()?;
    let locked = krate::locked_version(&lock, name)?;
    (locked != version).then(|| {
        format!(
            "Cargo.lock still says {name} {locked}, the crate is now {version}: run `cargo update -p {name} --offline` and commit Cargo.lock"
        )
    })
}

/// A path relative to the workspace root when it is inside it.
pub fn shown(path: &Path) -> String {
    let root = workspace_root();
    path.strip_prefix(&root).unwrap_or(path).display().to_string()
}
