//! Compiling generated code: "exit 0 means the output compiles" is checked by
//! building generated crates with cargo.
//!
//! Each generated crate (made with `krate::scratch_info`, so it depends on the
//! project's runtime by absolute path) becomes a member of one scratch workspace
//! under `target/generated-crates/`, with the project's `Cargo.lock` and
//! profile, so one cargo run builds them all and dependencies are built once
//! per machine.

use std::path::{Path, PathBuf};
use std::process::Command;

use codegen::GeneratedFile;

/// One crate to build: a folder name and the generated files (with `Cargo.toml`).
#[derive(Debug, Clone)]
pub struct GeneratedCrate {
    pub name: String,
    pub files: Vec<GeneratedFile>,
}

impl GeneratedCrate {
    /// Generates the crate `name` from `spec` for `selection`.
    pub fn generate(name: &str, spec: &Path, selection: codegen::Selection) -> Result<GeneratedCrate, codegen::Error> {
        let options = codegen::Options { krate: crate::krate::scratch_info(name), ..codegen::Options::new(selection) };
        let generated = codegen::generate(spec, &options)?;
        Ok(GeneratedCrate { name: name.to_owned(), files: generated.files })
    }
}

/// What to ask of cargo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Build {
    /// `cargo check`: the crates compile.
    Check,
    /// `cargo check --features test-util`: the crates compile with their
    /// test kit (every member must be a generated crate).
    CheckWithKit,
    /// `cargo clippy --features test-util -- -D warnings`: the crates, their
    /// test kit included, compile without a warning, rustc's or clippy's
    /// (generated code must read as if written by hand).
    Clippy,
    /// `cargo test --doc`: the crates and every doctest in them compile and run.
    DocTests,
    /// `cargo doc` with `RUSTDOCFLAGS="-D warnings"`: the docs build without a
    /// rustdoc warning (broken links, invalid HTML, bare URLs, …).
    Doc,
    /// `cargo build`: the crates, and programs that use them, ready to run
    /// from `target_dir()/debug`.
    Binaries,
    /// `cargo test`: the crates' own tests (a user crate's, say) build and pass.
    Tests,
}

/// What cargo said.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub success: bool,
    /// Standard output and error, in that order.
    pub output: String,
}

/// Where scratch workspaces and their shared target folder live.
pub fn scratch_root() -> PathBuf {
    crate::paths::target_dir().join("generated-crates")
}

/// The target folder every scratch workspace shares.
pub fn target_dir() -> PathBuf {
    scratch_root().join("target")
}

/// Builds `crates` in the scratch workspace `label` (reused between runs: files
/// are rewritten only when they change, so an unchanged crate is not rebuilt).
pub fn build(label: &str, crates: &[GeneratedCrate], build: Build) -> Result<Outcome, String> {
    let workspace = prepare(label, crates)?;
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command.current_dir(&workspace);
    match build {
        // Every crate is checked even when one fails, so a failure names all of them.
        Build::Check => {
            command.args(["check", "--workspace", "--keep-going", "--offline", "--message-format", "short"])
        }
        Build::CheckWithKit => command.args([
            "check",
            "--workspace",
            "--keep-going",
            "--features",
            "test-util",
            "--offline",
            "--message-format",
            "short",
        ]),
        // With the test kit: every generated crate has the feature, and it
        // only adds code, so this covers the build without it too.
        Build::Clippy => command.args([
            "clippy",
            "--workspace",
            "--features",
            "test-util",
            "--offline",
            "--message-format",
            "short",
            "--",
            "-D",
            "warnings",
        ]),
        Build::DocTests => command.args(["test", "--doc", "--workspace", "--offline"]),
        Build::Binaries => command.args(["build", "--workspace", "--offline", "--message-format", "short"]),
        Build::Tests => command.args(["test", "--workspace", "--offline"]),
        Build::Doc => command
            .args(["doc", "--workspace", "--no-deps", "--offline", "--keep-going"])
            .env("RUSTDOCFLAGS", "-D warnings")
            .env_remove("CARGO_ENCODED_RUSTDOCFLAGS"),
    };
    run(command)
}

/// `cargo clippy -- -D warnings` of the one crate in `crates` named `package`
/// with only `features` (its default features off), in the scratch workspace
/// `label`: a crate of group features must build, warning-free, with any of them.
pub fn clippy_with_features(
    label: &str,
    crates: &[GeneratedCrate],
    package: &str,
    features: &[&str],
) -> Result<Outcome, String> {
    let workspace = prepare(label, crates)?;
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command.current_dir(&workspace).args(["clippy", "--offline", "--message-format", "short", "-p", package]);
    command.args(["--no-default-features", "--features", &features.join(","), "--", "-D", "warnings"]);
    run(command)
}

/// Runs cargo in the shared target folder and keeps what it said.
fn run(mut command: Command) -> Result<Outcome, String> {
    // One target folder for every scratch workspace: dependencies build once.
    command.env("CARGO_TARGET_DIR", target_dir());
    command.env("CARGO_TERM_COLOR", "never");
    let output = command.output().map_err(|error| format!("cannot run cargo: {error}"))?;
    Ok(Outcome {
        success: output.status.success(),
        output: format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr)),
    })
}

/// Writes `crates` into the scratch workspace `label` and returns its folder.
fn prepare(label: &str, crates: &[GeneratedCrate]) -> Result<PathBuf, String> {
    let root = crate::paths::workspace_root();
    let workspace = scratch_root().join(label);
    std::fs::create_dir_all(&workspace).map_err(|error| format!("{}: {error}", workspace.display()))?;

    let members: Vec<String> = crates.iter().map(|krate| format!("{:?}", krate.name)).collect();
    let manifest = workspace_manifest(&root, &members.join(", "))?;
    write_if_changed(&workspace.join("Cargo.toml"), &manifest)?;
    let lock = read(&root.join("Cargo.lock"))?;
    write_if_changed(&workspace.join("Cargo.lock"), &lock)?;

    for krate in crates {
        let dir = workspace.join(&krate.name);
        // Source files of an earlier build of this scratch crate that are no
        // longer generated.
        if let Ok(entries) = std::fs::read_dir(dir.join("src")) {
            for entry in entries.flatten() {
                let name = format!("src/{}", entry.file_name().to_string_lossy());
                if !krate.files.iter().any(|file| file.path == name) {
                    let _ = std::fs::remove_file(entry.path());
                }
            }
        }
        for file in &krate.files {
            write_if_changed(&dir.join(&file.path), &file.contents)?;
        }
    }
    Ok(workspace)
}

/// The project's root manifest with the scratch crates as members and path
/// dependencies made absolute, so versions, features and profiles are the same.
fn workspace_manifest(root: &Path, members: &str) -> Result<String, String> {
    let text = read(&root.join("Cargo.toml"))?;
    let mut out = String::new();
    for line in text.lines() {
        if line.trim_start().starts_with("members") {
            out.push_str(&format!("members = [{members}]\n"));
        } else {
            let absolute = format!("path = \"{}/", root.display());
            out.push_str(&line.replace("path = \"", &absolute));
            out.push('\n');
        }
    }
    Ok(out)
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|error| format!("{}: {error}", path.display()))
}

fn write_if_changed(path: &Path, contents: &str) -> Result<(), String> {
    if std::fs::read(path).is_ok_and(|bytes| bytes == contents.as_bytes()) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|error| format!("{}: {error}", parent.display()))?;
    }
    std::fs::write(path, contents).map_err(|error| format!("{}: {error}", path.display()))
}
