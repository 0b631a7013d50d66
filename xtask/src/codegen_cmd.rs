//! `cargo xtask codegen`: generate, then write or (with `--check`) compare.

use std::io::Write;
use std::time::Instant;

use codegen::files::{self, Difference};
use verify::generated::{lock_problem, shown, stale_report};
use verify::FAILURE;

use crate::cli::CodegenOptions;

pub fn run(options: &CodegenOptions, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let started = Instant::now();
    let mut crate_options =
        match verify::krate::options_for(&options.out, options.selection.clone(), options.name.clone()) {
            Ok(crate_options) => crate_options,
            Err(error) => {
                let _ = writeln!(err, "error: {error}");
                return FAILURE;
            }
        };
    crate_options.skip_unsupported = options.skip_unsupported;
    crate_options.version_header = options.version_header.clone();
    crate_options.secret_var = options.secret_var.clone();
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
