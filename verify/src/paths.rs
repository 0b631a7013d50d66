//! Where the workspace's own files are.

use std::path::{Path, PathBuf};

/// The workspace root (the folder holding `spec/` and `generated-client/`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
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
