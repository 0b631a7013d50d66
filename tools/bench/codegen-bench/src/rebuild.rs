//! Rebuilding a generated crate after one of its generated files is touched:
//! ours (the slice as `xtask codegen` generates it, the runtime by path) and
//! progenitor's crate for the same slice, each a workspace of its own under
//! `target/bench/rebuild/` with its own target folder.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Instant, SystemTime};

/// One crate to rebuild: its workspace folder and target folder.
pub struct Workspace {
    pub dir: PathBuf,
    pub target: PathBuf,
    /// Built with only these features (`--no-default-features --features …`).
    pub features: Option<String>,
}

/// Writes our slice crate as a workspace at `dir`, with the project's
/// `Cargo.lock` (every crate it needs is locked there already).
pub fn ours(root: &Path, slice: &Path, dir: &Path) -> Result<Workspace, String> {
    ours_for(root, slice, dir, codegen::Selection::default())
}

/// [`ours`] for `selection` of `spec` (every operation: `Selection { tag: None, .. }`).
pub fn ours_for(root: &Path, slice: &Path, dir: &Path, selection: codegen::Selection) -> Result<Workspace, String> {
    let (name, _) = generate_ours(root, slice, dir, selection)?;
    let manifest = format!("[workspace]\nresolver = \"2\"\nmembers = [{name:?}]\n");
    write(&dir.join("Cargo.toml"), &manifest)?;
    copy_lock(&root.join("Cargo.lock"), dir)?;
    Ok(Workspace { dir: dir.to_owned(), target: dir.with_extension("target"), features: None })
}

/// Generates our crate for `selection` of `spec` into `dir/{name}`, as
/// `cargo xtask codegen` writes generated-client/ (its name and version
/// header; the runtime by path): the crate's name and the files written.
pub fn generate_ours(
    root: &Path,
    spec: &Path,
    dir: &Path,
    selection: codegen::Selection,
) -> Result<(String, Vec<codegen::GeneratedFile>), String> {
    let mut options = codegen::Options::new(selection);
    options.krate.runtime_path = Some(root.join("generated-client/runtime").display().to_string());
    options.krate.name = "clerk-invitations".to_owned();
    options.version_header = Some("Clerk-API-Version".to_owned());
    let generated = codegen::generate(spec, &options).map_err(|error| error.to_string())?;
    codegen::files::write(&dir.join(&options.krate.name), &generated.files).map_err(|error| error.to_string())?;
    Ok((options.krate.name, generated.files))
}

/// Progenitor's crate for `spec`, as the peer writes it.
pub fn generate_progenitor(spec: &Path) -> Result<crate::peer::PeerCrate, String> {
    let text = std::fs::read_to_string(spec).map_err(|error| format!("{}: {error}", spec.display()))?;
    let document: openapiv3::OpenAPI = serde_yaml::from_str(&text).map_err(|error| error.to_string())?;
    crate::peer::generate(&document, "peer-client")
}

/// Copies `lock` into the workspace `dir` unless it has a lock already.
pub fn copy_lock(lock: &Path, dir: &Path) -> Result<(), String> {
    if !dir.join("Cargo.lock").exists() && lock.exists() {
        std::fs::copy(lock, dir.join("Cargo.lock")).map_err(|error| error.to_string())?;
    }
    Ok(())
}

/// Writes progenitor's crate for `slice` as a workspace at `dir`, locked by
/// `lock` (committed beside this crate) when there is no lock yet.
pub fn progenitor(slice: &Path, dir: &Path, lock: &Path) -> Result<Workspace, String> {
    let krate = generate_progenitor(slice)?;
    write_if_changed(&dir.join("src/lib.rs"), &krate.lib_rs)?;
    write_if_changed(&dir.join("Cargo.toml"), &format!("{}\n[workspace]\n", krate.cargo_toml))?;
    copy_lock(lock, dir)?;
    Ok(Workspace { dir: dir.to_owned(), target: dir.with_extension("target"), features: None })
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|error| format!("{}: {error}", parent.display()))?;
    }
    std::fs::write(path, text).map_err(|error| format!("{}: {error}", path.display()))
}

pub fn write_if_changed(path: &Path, text: &str) -> Result<(), String> {
    if std::fs::read_to_string(path).ok().as_deref() == Some(text) {
        return Ok(());
    }
    write(path, text)
}

impl Workspace {
    /// `cargo build` in the workspace; `incremental: false` sets `CARGO_INCREMENTAL=0`.
    /// Returns the wall time in ms.
    pub fn build(&self, incremental: bool) -> Result<f64, String> {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut command = Command::new(cargo);
        command.current_dir(&self.dir).args(["build", "--quiet"]).env("CARGO_TARGET_DIR", &self.target);
        if let Some(features) = &self.features {
            command.args(["--no-default-features", "--features", features]);
        }
        command.env("CARGO_TERM_COLOR", "never");
        if incremental {
            command.env_remove("CARGO_INCREMENTAL");
        } else {
            command.env("CARGO_INCREMENTAL", "0");
        }
        let started = Instant::now();
        let output = command.output().map_err(|error| format!("cannot run cargo: {error}"))?;
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        if !output.status.success() {
            return Err(format!(
                "cargo build in {} failed: {}",
                self.dir.display(),
                String::from_utf8_lossy(&output.stderr).trim()
            ));
        }
        Ok(ms)
    }

    /// `cargo check` in the workspace: `None` when it passes, else cargo's
    /// short messages.
    pub fn check(&self) -> Result<Option<String>, String> {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut command = Command::new(cargo);
        command.current_dir(&self.dir).args(["check", "--quiet", "--message-format", "short"]);
        command.env("CARGO_TARGET_DIR", &self.target).env("CARGO_TERM_COLOR", "never");
        let output = command.output().map_err(|error| format!("cannot run cargo: {error}"))?;
        Ok((!output.status.success()).then(|| String::from_utf8_lossy(&output.stderr).into_owned()))
    }

    /// Sets the modification time of every generated `.rs` file to now, as
    /// an edit (or a regeneration) would.
    pub fn touch(&self) -> Result<(), String> {
        rust_files(&self.dir)?.iter().try_for_each(|file| touch_file(file))
    }

    /// Touches, then builds: one sample.
    pub fn rebuild(&self, incremental: bool) -> Result<f64, String> {
        self.touch()?;
        self.build(incremental)
    }
}

/// Sets the modification time of `file` to now.
pub fn touch_file(file: &Path) -> Result<(), String> {
    let handle =
        std::fs::File::options().write(true).open(file).map_err(|error| format!("{}: {error}", file.display()))?;
    handle.set_modified(SystemTime::now()).map_err(|error| format!("{}: {error}", file.display()))
}

/// The `.rs` files under every `src/` folder of the workspace.
fn rust_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(next) = pending.pop() {
        let entries = std::fs::read_dir(&next).map_err(|error| format!("{}: {error}", next.display()))?;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}
