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
    let crate_options = crate::krate::options_for(&options.out, options.selection.clone(), options.name.clone());
    let generated = match codegen::generate(&options.spec, &crate_options) {
        Ok(generated) => generated,
        Err(error) => {
            let _ = writeln!(err, "error: {}: {error}", options.spec.display());
            return FAILURE;
        }
    };
    let operations = generated.api.operations().count();
    let queries = generated.api.operations().filter(|op| op.query.is_some()).count();
    let types = generated.api.types.len() + queries;
    let shown_out = shown(&options.out);
    if options.check {
        return match files::check(&options.out, &generated.files) {
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
            let _ = writeln!(
                out,
                "codegen: {operations} operations, {types} types -> {shown_out}: {} files written, {} unchanged, {} removed in {} ms",
                summary.written,
                summary.unchanged,
                summary.removed,
                started.elapsed().as_millis()
            );
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
    let generated = codegen::generate(&crate::default_spec(), &crate::krate::project_options())
        .map_err(|error| format!("spec/ does not generate: {error}; fix it, then {STALE_HINT}"))?;
    let dir = crate::generated_dir();
    match files::check(&dir, &generated.files) {
        Ok(differences) if differences.is_empty() => Ok(()),
        Ok(differences) => Err(stale_report(&shown(&dir), &differences)),
        Err(error) => Err(error.to_string()),
    }
}

/// A path relative to the workspace root when it is inside it.
fn shown(path: &Path) -> String {
    let root = crate::workspace_root();
    path.strip_prefix(&root).unwrap_or(path).display().to_string()
}
