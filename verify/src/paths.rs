//! Where the workspace's own files are.

use std::path::{Path, PathBuf};

/// The workspace root (the folder holding `spec/` and `generated-client/`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

/// The cargo target folder: `CARGO_TARGET_DIR` when it is set (a relative one
/// from the current folder, as cargo reads it), else `target/` in the
/// workspace. Everything the tooling writes (Prism, the octokit package,
/// scratch crates, kept fuzz cases, benchmark builds) goes under it.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR").filter(|dir| !dir.is_empty()) {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            if dir.is_absolute() {
                dir
            } else {
                std::env::current_dir().unwrap_or_default().join(dir)
            }
        }
        None => workspace_root().join("target"),
    }
}

/// The vendored document `cargo xtask codegen` reads by default.
pub fn default_spec() -> PathBuf {
    workspace_root().join("spec/organization-invitations.yaml")
}

/// The generated crate: everything in it but `README.md`, `LICENSE` and
/// `runtime/` is written by `cargo xtask codegen`.
pub fn generated_dir() -> PathBuf {
    workspace_root().join("generated-client")
}
