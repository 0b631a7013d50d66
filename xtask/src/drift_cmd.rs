//! `cargo xtask drift --upstream PATH`: is `spec/` still a faithful slice of
//! Clerk's published document, and does it give the same public API?

use std::io::Write;

use codegen::{drift, load, surface, Selection};
use verify::FAILURE;

use crate::cli::DriftOptions;

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
    let options_for = codegen::Options::new(selection.clone());
    let surfaces = (codegen::generate(&options.spec, &options_for), codegen::generate(&options.upstream, &options_for));
    match surfaces {
        (Ok(a), Ok(b)) => {
            let (a, b) = (qualified_lines(&surface::surface(&a.api)), qualified_lines(&surface::surface(&b.api)));
            for line in a.iter().filter(|line| !b.contains(line)) {
                differences.push(format!("public API only from spec/: {line}"));
            }
            for line in b.iter().filter(|line| !a.contains(line)) {
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

/// Surface lines with the item they belong to, so that two structs with the same
/// field line (the single and the bulk create bodies) are told apart.
fn qualified_lines(surface: &str) -> Vec<String> {
    let mut owner = "";
    let mut lines = Vec::new();
    for line in surface.lines() {
        if line.starts_with(' ') {
            lines.push(format!("{owner} /{line}"));
        } else {
            owner = line;
            lines.push(line.to_owned());
        }
    }
    lines
}
