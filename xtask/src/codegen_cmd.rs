//! `cargo xtask codegen`: generate, then write or (with `--check`) compare.

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use codegen::files::{self, Difference};

use crate::cli::CodegenOptions;
use crate::FAILURE;

/// What to do about stale output; tests look for it too.
pub const STALE_HINT: &str = "run `cargo xtask codegen` and commit";

pub fn run(options: &CodegenOptions, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let started = Instant::now();
    let mut crate_options =
        match crate::krate::options_for(&options.out, options.selection.clone(), options.name.clone()) {
            Ok(crate_options) => crate_options,
            Err(error) => {
                let _ = writeln!(err, "error: {error}");
                return FAILURE;
            }
        };
    crate_options.skip_unsupported = options.skip_unsupported;
    let generated = match codegen::generate(&options.spec, &crate_options) {
        Ok(generated) => generated,
        Err(error) => {
            let _ = writeln!(err, "error: {}: {error}", options.spec.display());
            return FAILURE;
        }
    };
    // What was tolerated (an upstream mistake, say) is said, and the run goes on.
    for warning in &generated.warnings {
        let _ = writeln!(err, "warning: {}: {warning}", options.spec.display());
    }
    let operations = generated.api.operations().count();
    let queries = generated.api.operations().filter(|op| op.query.is_some()).count();
    let types = generated.api.types.len() + queries;
    let shown_out = shown(&options.out);
    let lock = lock_problem(&options.out, &generated);
    let semver = generated.semver.as_ref().filter(|report| report.level != codegen::semver::Level::None);
    if options.check {
        let checked = files::check(&options.out, &generated.files).map(|checked| {
            for warning in &checked.warnings {
                let _ = writeln!(err, "warning: {warning}");
            }
            let mut differences = checked.differences;
            if lock.is_some() {
                differences.push(Difference::Stale("Cargo.lock (at the workspace root)".to_owned()));
            }
            differences
        });
        return match checked {
            Ok(differences) if differences.is_empty() => {
                let _ = writeln!(
                    out,
                    "codegen --check: {} files in {shown_out} are up to date ({operations} operations, {types} types) in {} ms",
                    generated.files.len(),
                    started.elapsed().as_millis()
                );
                0
            }
            Ok(differences) => {
                let _ = writeln!(err, "{}", stale_report(&shown_out, &differences));
                if let Some(report) = semver {
                    let _ = writeln!(err, "{report}");
                }
                if let Some(lock) = &lock {
                    let _ = writeln!(err, "{lock}");
                }
                FAILURE
            }
            Err(error) => {
                let _ = writeln!(err, "error: {error}");
                FAILURE
            }
        };
    }
    match files::write(&options.out, &generated.files) {
        Ok(summary) => {
            for warning in &summary.warnings {
                let _ = writeln!(err, "warning: {warning}");
            }
            let _ = writeln!(
                out,
                "codegen: {operations} operations, {types} types -> {shown_out}: {} files written, {} unchanged, {} removed in {} ms",
                summary.written,
                summary.unchanged,
                summary.removed,
                started.elapsed().as_millis()
            );
            if let Some(report) = semver {
                let _ = writeln!(out, "{report}");
            }
            if let Some(lock) = &lock {
                let _ = writeln!(out, "{lock}");
            }
            0
        }
        Err(error) => {
            let _ = writeln!(err, "error: {error}");
            FAILURE
        }
    }
}

fn stale_report(dir: &str, differences: &[Difference]) -> String {
    let mut report = format!("generated code in {dir} does not match the spec:\n");
    for difference in differences {
        report.push_str(&format!("  {difference}\n"));
    }
    report.push_str(STALE_HINT);
    report
}

/// The check a plain `cargo test` runs: `Err` holds the report `--check` prints.
pub fn check_generated() -> Result<(), String> {
    let options = crate::krate::project_options().map_err(|error| error.to_string())?;
    let generated = codegen::generate(&crate::default_spec(), &options)
        .map_err(|error| format!("spec/ does not generate: {error}; fix it, then {STALE_HINT}"))?;
    let dir = crate::generated_dir();
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
fn lock_problem(out: &Path, generated: &codegen::Generated) -> Option<String> {
    if crate::krate::absolute(out) != crate::generated_dir() {
        return None;
    }
    let cargo_toml = generated.files.iter().find(|file| file.path == "Cargo.toml")?;
    let version = cargo_toml.contents.lines().find_map(|line| line.strip_prefix("version = "))?.trim_matches('"');
    let name = cargo_toml.contents.lines().find_map(|line| line.strip_prefix("name = "))?.trim_matches('"');
    let lock = std::fs::read_to_string(crate::workspace_root().join("Cargo.lock")).ok()?;
    let locked = crate::krate::locked_version(&lock, name)?;
    (locked != version).then(|| {
        format!(
            "Cargo.lock still says {name} {locked}, the crate is now {version}: run `cargo update -p {name} --offline` and commit Cargo.lock"
        )
    })
}

/// A path relative to the workspace root when it is inside it.
fn shown(path: &Path) -> String {
    let root = crate::workspace_root();
    path.strip_prefix(&root).unwrap_or(path).display().to_string()
}
