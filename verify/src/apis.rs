//! `cargo xtask apis`: the generator on whole real APIs. Every tag of each of
//! Clerk's three published documents becomes one crate, built with
//! `cargo clippy -- -D warnings`; GitHub's document (npm `@octokit/openapi`,
//! pinned by `tools/octokit/package-lock.json`) becomes one crate, built with
//! `cargo check`, operations the generator cannot express skipped with a reason
//! each. Prints operations, types, lines and generation time per document, and
//! the share of GitHub's operations in a compiling crate.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use codegen::{Options, Selection};

use crate::compile::{build, Build, GeneratedCrate};
use crate::paths::workspace_root;
use crate::FAILURE;

/// Clerk's documents, beside the checkout as CI lays them out.
const CLERK_DOCUMENTS: &[&str] = &["2021-02-05", "2025-11-10", "2026-05-12"];
/// The share of GitHub's operations that must end up in a compiling crate.
const GITHUB_TARGET: f64 = 0.95;

pub fn run(out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    match run_all(out) {
        Ok(true) => 0,
        Ok(false) => FAILURE,
        Err(message) => {
            let _ = writeln!(err, "error: {message}");
            FAILURE
        }
    }
}

/// What generating one document gave.
struct Generated {
    krate: GeneratedCrate,
    operations: usize,
    types: usize,
    lines: usize,
    millis: u128,
    skipped: Vec<String>,
}

fn run_all(out: &mut dyn Write) -> Result<bool, String> {
    let root = workspace_root();
    let mut ok = true;
    let mut clerk = Vec::new();
    for version in CLERK_DOCUMENTS {
        let spec = root.join(format!("../shared/upstream/clerk-bapi/{version}.yml"));
        if !spec.is_file() {
            return Err(format!("{} not found: `apis` needs ../shared beside the checkout", spec.display()));
        }
        match generate(&format!("clerk-{version}"), &spec, false) {
            Ok(generated) => {
                report(out, &format!("clerk {version}"), &generated);
                if !generated.skipped.is_empty() {
                    ok = false;
                }
                clerk.push(generated.krate);
            }
            Err(error) => {
                let _ = writeln!(out, "apis: clerk {version}: does not generate: {error}");
                ok = false;
            }
        }
    }
    if !clerk.is_empty() {
        let started = Instant::now();
        let outcome = build("apis-clerk", &clerk, Build::Clippy)?;
        let _ = writeln!(
            out,
            "apis: clerk: {} crates {} `cargo clippy -- -D warnings` ({:.0} s)",
            clerk.len(),
            if outcome.success { "pass" } else { "FAIL" },
            started.elapsed().as_secs_f64()
        );
        if !outcome.success {
            ok = false;
            let errors: Vec<&str> = outcome
                .output
                .lines()
                .filter(|line| line.contains("error") || line.contains("warning"))
                .take(40)
                .collect();
            let _ = writeln!(out, "{}", errors.join("\n"));
        }
    }

    let github = github_spec(&root)?;
    let total = count_operations(&github)?;
    match generate("github", &github, true) {
        Ok(generated) => {
            report(out, "github", &generated);
            let started = Instant::now();
            let outcome = build("apis-github", std::slice::from_ref(&generated.krate), Build::Check)?;
            let compiled = if outcome.success { generated.operations } else { 0 };
            let share = compiled as f64 / total.max(1) as f64;
            let _ = writeln!(
                out,
                "apis: github: {compiled} of {total} operations in a crate that passes `cargo check` ({:.1}%, target {:.0}%; {:.0} s)",
                share * 100.0,
                GITHUB_TARGET * 100.0,
                started.elapsed().as_secs_f64()
            );
            let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
            for skipped in &generated.skipped {
                *reasons.entry(reason(skipped)).or_default() += 1;
            }
            for (reason, count) in &reasons {
                let _ = writeln!(out, "apis: github: skipped {count}: {reason}");
            }
            if !outcome.success {
                let errors: Vec<&str> = outcome.output.lines().filter(|line| line.contains("error")).take(40).collect();
                let _ = writeln!(out, "{}", errors.join("\n"));
            }
            ok &= share >= GITHUB_TARGET;
        }
        Err(error) => {
            let _ = writeln!(out, "apis: github: does not generate: {error}");
            ok = false;
        }
    }
    Ok(ok)
}

fn generate(name: &str, spec: &Path, skip_unsupported: bool) -> Result<Generated, codegen::Error> {
    let mut options = Options::new(Selection { tag: None, operation_ids: Vec::new() });
    options.krate = crate::krate::scratch_info(name);
    options.skip_unsupported = skip_unsupported;
    let started = Instant::now();
    let generated = codegen::generate(spec, &options)?;
    let millis = started.elapsed().as_millis();
    let operations = generated.api.operations().count();
    let types = generated.api.types.len();
    let lines = generated
        .files
        .iter()
        .filter(|file| file.path.ends_with(".rs"))
        .map(|file| file.contents.lines().count())
        .sum();
    Ok(Generated {
        krate: GeneratedCrate { name: name.to_owned(), files: generated.files },
        operations,
        types,
        lines,
        millis,
        skipped: generated
            .warnings
            .iter()
            .filter(|warning| warning.message.contains(" skipped: "))
            .map(ToString::to_string)
            .collect(),
    })
}

fn report(out: &mut dyn Write, label: &str, generated: &Generated) {
    let _ = writeln!(
        out,
        "apis: {label}: {} operations, {} types, {} lines of Rust, generated in {} ms{}",
        generated.operations,
        generated.types,
        generated.lines,
        generated.millis,
        if generated.skipped.is_empty() { String::new() } else { format!(", {} skipped", generated.skipped.len()) }
    );
}

/// A skipped operation's reason without its names and location, to count alike
/// ones: "operation `X` skipped: `oneOf` is not supported (at …)" → "`oneOf` is not supported".
fn reason(warning: &str) -> String {
    let text = warning.split(" (at ").next().unwrap_or(warning);
    let reason = text.split_once(" skipped: ").map(|(_, reason)| reason).unwrap_or(text);
    // Names in backticks differ from one operation to the next.
    let mut out = String::new();
    for (index, part) in reason.split('`').enumerate() {
        out.push_str(if index % 2 == 1 { "`…`" } else { part });
    }
    out
}

/// GitHub's document, installed with npm from the committed lockfile into
/// `target/octokit` (once; `npm ci` again when the lockfile changes).
pub(crate) fn github_spec(root: &Path) -> Result<PathBuf, String> {
    let tools = root.join("tools/octokit");
    let install = crate::paths::target_dir().join("octokit");
    let spec = install.join("node_modules/@octokit/openapi/generated/api.github.com.json");
    let lock =
        std::fs::read_to_string(tools.join("package-lock.json")).map_err(|error| format!("lockfile: {error}"))?;
    let installed = std::fs::read_to_string(install.join("package-lock.json")).unwrap_or_default();
    if spec.is_file() && installed == lock {
        return Ok(spec);
    }
    std::fs::create_dir_all(&install).map_err(|error| format!("{}: {error}", install.display()))?;
    for file in ["package.json", "package-lock.json"] {
        std::fs::copy(tools.join(file), install.join(file)).map_err(|error| format!("{file}: {error}"))?;
    }
    let status = Command::new("npm")
        .args(["ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel", "error"])
        .current_dir(&install)
        .status()
        .map_err(|error| format!("cannot run npm (Node and npm are needed): {error}"))?;
    if !status.success() || !spec.is_file() {
        return Err(format!("npm ci in {} failed", install.display()));
    }
    Ok(spec)
}

/// How many operations the document has (every method of every path item).
fn count_operations(spec: &Path) -> Result<usize, String> {
    let document = codegen::load::read_value(spec).map_err(|error| error.to_string())?;
    let paths = document.get("paths").and_then(|paths| paths.as_object()).ok_or("the document has no paths")?;
    let methods = ["get", "put", "post", "delete", "patch", "options", "head", "trace"];
    Ok(paths
        .values()
        .filter_map(|item| item.as_object())
        .map(|item| methods.iter().filter(|method| item.contains_key(**method)).count())
        .sum())
}
