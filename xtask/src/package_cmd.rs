//! `cargo xtask package`: the crates as crates.io would get them. Packages
//! every publishable member (`cargo package --workspace`, which also builds
//! each package from its `.crate`), checks that each carries its README and
//! LICENSE, then unpacks them side by side, the runtime patched in for the
//! crates.io version the generated crate names, and runs their doctests there:
//! what a user of the published crates gets, with nothing of the workspace
//! around it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{workspace_root, FAILURE};

/// Files every published package must carry.
const REQUIRED_FILES: &[&str] = &["README.md", "LICENSE", "Cargo.toml"];

pub fn run(out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    match package_and_test(out) {
        Ok(()) => 0,
        Err(message) => {
            let _ = writeln!(err, "error: {message}");
            FAILURE
        }
    }
}

fn package_and_test(out: &mut dyn Write) -> Result<(), String> {
    let root = workspace_root();
    let target = target_dir(&root);
    let published = published_members(&root)?;
    // `.crate` files of earlier versions would be unpacked too: start clean.
    let packages = target.join("package");
    if let Ok(entries) = std::fs::read_dir(&packages) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|extension| extension == "crate") {
                let _ = std::fs::remove_file(path);
            }
        }
    }
    let mut args = vec!["package", "--locked"];
    for name in &published {
        args.extend(["-p", name.as_str()]);
    }
    cargo(&root, &args)?;

    // Only the `.crate` files of the packages just made (the folder keeps others).
    let mut crates: Vec<PathBuf> = std::fs::read_dir(&packages)
        .map_err(|error| format!("{}: {error}", packages.display()))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|extension| extension == "crate"))
        .filter(|path| {
            let stem = path.file_stem().and_then(|stem| stem.to_str()).unwrap_or_default();
            published.iter().any(|name| stem.strip_prefix(name.as_str()).is_some_and(|rest| rest.starts_with('-')))
        })
        .collect();
    crates.sort();
    if crates.is_empty() {
        return Err("cargo package made no .crate file".to_owned());
    }

    // A scratch workspace of the unpacked crates: this command's own folder.
    let check = target.join("package-check");
    let _ = std::fs::remove_dir_all(&check);
    std::fs::create_dir_all(&check).map_err(|error| format!("{}: {error}", check.display()))?;
    let mut members = Vec::new();
    for krate in &crates {
        let status = Command::new("tar")
            .arg("-xzf")
            .arg(krate)
            .arg("-C")
            .arg(&check)
            .status()
            .map_err(|error| format!("cannot run tar: {error}"))?;
        if !status.success() {
            return Err(format!("cannot unpack {}", krate.display()));
        }
        let folder = krate.file_stem().and_then(|stem| stem.to_str()).unwrap_or_default().to_owned();
        for file in REQUIRED_FILES {
            if !check.join(&folder).join(file).is_file() {
                return Err(format!("the package {folder} has no {file}"));
            }
        }
        members.push(folder);
    }
    let runtime = members.iter().find(|member| member.starts_with("clerk-bapi-runtime-"));
    let patch = runtime
        .map(|folder| format!("\n[patch.crates-io]\nclerk-bapi-runtime = {{ path = {folder:?} }}\n"))
        .unwrap_or_default();
    let manifest = format!(
        "[workspace]\nresolver = \"3\"\nmembers = [{}]\n{patch}",
        members.iter().map(|member| format!("{member:?}")).collect::<Vec<_>>().join(", ")
    );
    write(&check.join("Cargo.toml"), &manifest)?;
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).map_err(|error| format!("Cargo.lock: {error}"))?;
    write(&check.join("Cargo.lock"), &lock)?;

    let output =
        cargo_in(&check, &target.join("package-check-target"), &["test", "--doc", "--workspace", "--offline"])?;
    let passed: u32 = output
        .lines()
        .filter_map(|line| line.strip_prefix("test result: ok. "))
        .filter_map(|rest| rest.split(' ').next()?.parse::<u32>().ok())
        .sum();
    let _ = writeln!(
        out,
        "package: {} packaged with README.md and LICENSE; their doctests pass unpacked ({passed} doctests)",
        members.join(", ")
    );
    Ok(())
}

/// The workspace members that are published (`publish` not `false`).
fn published_members(root: &Path) -> Result<Vec<String>, String> {
    let metadata = crate::msrv_cmd::cargo_metadata(root)?;
    let members: Vec<&str> = metadata
        .get("workspace_members")
        .and_then(|members| members.as_array())
        .map(|members| members.iter().filter_map(|member| member.as_str()).collect())
        .unwrap_or_default();
    let packages = metadata.get("packages").and_then(|packages| packages.as_array()).cloned().unwrap_or_default();
    let mut names: Vec<String> = packages
        .iter()
        .filter(|package| package.get("id").and_then(|id| id.as_str()).is_some_and(|id| members.contains(&id)))
        .filter(|package| package.get("publish").is_none_or(|publish| publish.is_null()))
        .filter_map(|package| package.get("name").and_then(|name| name.as_str()).map(str::to_owned))
        .collect();
    names.sort();
    if names.is_empty() {
        return Err("no workspace member is published".to_owned());
    }
    Ok(names)
}

fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root.join("target"))
}

fn cargo(dir: &Path, args: &[&str]) -> Result<String, String> {
    run_cargo(dir, None, args)
}

fn cargo_in(dir: &Path, target: &Path, args: &[&str]) -> Result<String, String> {
    run_cargo(dir, Some(target), args)
}

fn run_cargo(dir: &Path, target: Option<&Path>, args: &[&str]) -> Result<String, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command.current_dir(dir).args(args).env("CARGO_TERM_COLOR", "never");
    if let Some(target) = target {
        command.env("CARGO_TARGET_DIR", target);
    }
    let output = command.output().map_err(|error| format!("cannot run cargo: {error}"))?;
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    if output.status.success() {
        Ok(text)
    } else {
        let tail: Vec<&str> = text.lines().rev().take(30).collect();
        Err(format!("`cargo {}` failed:\n{}", args.join(" "), tail.into_iter().rev().collect::<Vec<_>>().join("\n")))
    }
}

fn write(path: &Path, contents: &str) -> Result<(), String> {
    std::fs::write(path, contents).map_err(|error| format!("{}: {error}", path.display()))
}
