//! The package facts of a generated crate, as `cargo xtask codegen` passes them
//! to the generator: its name, its version (kept from the crate's current
//! `Cargo.toml`), the workspace's `rust-version`, and where the runtime is,
//! relative to the crate.

use std::path::{Component, Path, PathBuf};

use codegen::{CrateInfo, Options, Selection};

/// The header this project's API, Clerk's Backend API, wants its version in
/// with every call: `cargo xtask codegen` sends `info.version` in it unless
/// told otherwise.
pub const PROJECT_VERSION_HEADER: &str = "Clerk-API-Version";

/// The project's crate: `generated-client/`, named `clerk-invitations`.
pub fn project_options() -> Result<Options, codegen::Error> {
    let mut options = options_for(&crate::paths::generated_dir(), Selection::default(), None)?;
    options.version_header = Some(PROJECT_VERSION_HEADER.to_owned());
    Ok(options)
}

/// Options for a crate written to `out`. What an earlier run left there
/// (`Cargo.toml`, `public-api.txt`) is read through the folder's handle,
/// never through a link, with a size cap (`codegen::files::read_earlier`).
pub fn options_for(out: &Path, selection: Selection, name: Option<String>) -> Result<Options, codegen::Error> {
    let earlier = codegen::files::read_earlier(out)?;
    let mut options = Options::new(selection);
    if let Some(name) = name {
        // Checked here: an empty name in `Options` means "named from the document".
        codegen::check_package_name(&name)?;
        options.krate.name = name;
    }
    let krate = &mut options.krate;
    if let Some(version) = earlier.cargo_toml.as_deref().and_then(|text| package_value(text, "version")) {
        krate.version = version;
    }
    krate.rust_version = workspace_rust_version();
    krate.runtime_path = Some(relative_path(&absolute(out), &runtime_dir()));
    krate.readme = earlier.readme;
    options.previous = earlier.record.as_deref().and_then(codegen::semver::Record::parse);
    Ok(options)
}

/// The version `Cargo.lock` holds for the package `name`, if it lists it.
pub fn locked_version(lock: &str, name: &str) -> Option<String> {
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == format!("name = \"{name}\"") {
            let version = lines.next()?.trim().strip_prefix("version = ")?;
            return Some(version.trim_matches('"').to_owned());
        }
    }
    None
}

/// A tag as the part of a scratch crate's name that tells tags apart:
/// `Allow-list / Block-list` → `allow-list-block-list`. Not
/// `codegen::crate_name`, which names the published crate and gives
/// `Organization Invitations` and `Invitations` the same `clerk-invitations`;
/// scratch workspaces need one name per tag.
pub fn tag_suffix(tag: &str) -> String {
    let mut out = String::new();
    for c in tag.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_owned()
}

/// Facts for a crate built outside the project (tests, fuzzing): the runtime
/// by absolute path.
pub fn scratch_info(name: &str) -> CrateInfo {
    let mut krate = CrateInfo::named(name);
    krate.rust_version = workspace_rust_version();
    krate.runtime_path = Some(runtime_dir().display().to_string());
    krate
}

/// The hand-written runtime crate.
pub fn runtime_dir() -> PathBuf {
    crate::paths::workspace_root().join("generated-client/runtime")
}

/// The workspace's `rust-version`.
fn workspace_rust_version() -> Option<String> {
    let text = std::fs::read_to_string(crate::paths::workspace_root().join("Cargo.toml")).ok()?;
    package_value(&text, "rust-version")
}

/// A `key = "value"` line of the first `[package]` or `[workspace.package]` table.
fn package_value(toml: &str, key: &str) -> Option<String> {
    let mut in_package = false;
    for line in toml.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_package = line == "[package]" || line == "[workspace.package]";
            continue;
        }
        let Some(rest) = line.strip_prefix(key) else { continue };
        let Some(value) = rest.trim_start().strip_prefix('=') else { continue };
        if in_package {
            return Some(value.trim().trim_matches('"').to_owned());
        }
    }
    None
}

/// `path` made absolute and normalised, without touching the file system.
pub fn absolute(path: &Path) -> PathBuf {
    let joined =
        if path.is_absolute() { path.to_path_buf() } else { std::env::current_dir().unwrap_or_default().join(path) };
    // Lexically: the folder may not exist yet.
    let mut out = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// `to` relative to `from` (both absolute), with `/`.
fn relative_path(from: &Path, to: &Path) -> String {
    let from: Vec<Component> = from.components().collect();
    let to: Vec<Component> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_owned(); from.len() - common];
    parts.extend(to[common..].iter().map(|part| part.as_os_str().to_string_lossy().into_owned()));
    if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_climb_then_descend() {
        assert_eq!(
            relative_path(Path::new("/w/generated-client"), Path::new("/w/generated-client/runtime")),
            "runtime"
        );
        assert_eq!(
            relative_path(Path::new("/tmp/x"), Path::new("/w/generated-client/runtime")),
            "../../w/generated-client/runtime"
        );
    }

    #[test]
    fn the_locked_version_is_read_from_the_package_entry() {
        let lock = "[[package]]\nname = \"a\"\nversion = \"1.0.0\"\n\n[[package]]\nname = \"clerk-invitations\"\nversion = \"0.1.2\"\n";
        assert_eq!(locked_version(lock, "clerk-invitations").as_deref(), Some("0.1.2"));
        assert_eq!(locked_version(lock, "b"), None);
    }

    #[test]
    fn package_values_come_from_the_package_table() {
        let toml = "[workspace]\nversion = \"9\"\n[package]\nname = \"a\"\nversion = \"0.3.1\"\n[dependencies]\nversion = \"1\"\n";
        assert_eq!(package_value(toml, "version").as_deref(), Some("0.3.1"));
        assert_eq!(
            package_value("[workspace.package]\nrust-version = \"1.88\"\n", "rust-version").as_deref(),
            Some("1.88")
        );
    }
}
