//! `cargo xtask drift --upstream PATH`: is `spec/` still a faithful slice of
//! Clerk's published document, and does it give the same public API?

use std::io::Write;

use codegen::{drift, load, surface, Selection};

use crate::cli::DriftOptions;
use crate::FAILURE;

pub fn run(options: &DriftOptions, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let tag = options.selection.tag.clone().unwrap_or_else(|| codegen::select::DEFAULT_TAG.to_owned());
    let read = |path: &std::path::Path| load::read_value(path).map_err(|error| format!("{}: {error}", path.display()));
    let (ours, theirs) = match (read(&options.spec), read(&options.upstream)) {
        (Ok(ours), Ok(theirs)) => (ours, theirs),
        (Err(error), _) | (_, Err(error)) => {
            let _ = writeln!(err, "error: {error}");
            return FAILURE;
        }
    };
    let mut differences = drift::compare(&ours, &theirs, &tag);

    // The structure matching should imply the same public API; checking it too
    // catches a generator that reads something the structural diff skips.
    let selection = Selection { tag: Some(tag.clone()), ..options.selection.clone() };
    let surfaces = (codegen::generate(&options.spec, &selection), codegen::generate(&options.upstream, &selection));
    match surfaces {
        (Ok(a), Ok(b)) => {
            let (a, b) = (surface::surface(&a.api), surface::surface(&b.api));
            for line in a.lines().filter(|line| !b.lines().any(|other| other == *line)) {
                differences.push(format!("public API only from spec/: {line}"));
            }
            for line in b.lines().filter(|line| !a.lines().any(|other| other == *line)) {
                differences.push(format!("public API only from upstream: {line}"));
            }
        }
        (Err(error), _) => differences.push(format!("spec/ does not generate: {error}")),
        (_, Err(error)) => differences.push(format!("upstream does not generate: {error}")),
    }

    if differences.is_empty() {
        let _ = writeln!(
            out,
            "drift: {} matches {} for tag `{tag}` (structure and public API; prose ignored)",
            options.spec.display(),
            options.upstream.display()
        );
        0
    } else {
        let _ = writeln!(
            err,
            "drift: {} differences between {} and {}:",
            differences.len(),
            options.spec.display(),
            options.upstream.display()
        );
        for difference in &differences {
            let _ = writeln!(err, "  {difference}");
        }
        let _ = writeln!(err, "update spec/ to match upstream (see spec/README.md), then run `cargo xtask codegen`");
        FAILURE
    }
}
