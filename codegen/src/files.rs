//! Writing the generated files, or comparing them with what is on disk.
//!
//! Nothing is written until every file has been generated, and each file is
//! replaced by a rename, so a failure leaves the previous output as it was.

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::Error;

/// One output file, its path relative to the `generated/` folder (with `/`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    pub path: String,
    pub contents: String,
}

/// How the folder on disk differs from what the spec generates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Difference {
    /// On disk with other contents.
    Stale(String),
    /// Not on disk.
    Missing(String),
    /// On disk but no longer generated.
    Extra(String),
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Difference::Stale(path) => write!(f, "stale:   {path}"),
            Difference::Missing(path) => write!(f, "missing: {path}"),
            Difference::Extra(path) => write!(f, "extra:   {path}"),
        }
    }
}

/// What `write` did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteSummary {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
}

/// Compares `files` with the contents of `dir`; an empty list means up to date.
pub fn check(dir: &Path, files: &[GeneratedFile]) -> Result<Vec<Difference>, Error> {
    let mut differences = Vec::new();
    for file in files {
        match std::fs::read(dir.join(&file.path)) {
            Ok(bytes) if bytes == file.contents.as_bytes() => {}
            Ok(_) => differences.push(Difference::Stale(file.path.clone())),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                differences.push(Difference::Missing(file.path.clone()))
            }
            Err(error) => return Err(io_error(&dir.join(&file.path), error)),
        }
    }
    let expected: BTreeSet<&str> = files.iter().map(|file| file.path.as_str()).collect();
    for path in existing(dir)? {
        if !expected.contains(path.as_str()) {
            differences.push(Difference::Extra(path));
        }
    }
    Ok(differences)
}

/// Brings `dir` in line with `files`: changed files are replaced atomically,
/// unchanged ones are not touched, files no longer generated are removed.
pub fn write(dir: &Path, files: &[GeneratedFile]) -> Result<WriteSummary, Error> {
    let mut summary = WriteSummary::default();
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    let stage = |staged: &mut Vec<(PathBuf, PathBuf)>| -> Result<(), Error> {
        for file in files {
            let target = dir.join(&file.path);
            if std::fs::read(&target).is_ok_and(|bytes| bytes == file.contents.as_bytes()) {
                continue;
            }
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).map_err(|error| io_error(parent, error))?;
            }
            let temporary = target.with_extension("rs.tmp");
            std::fs::write(&temporary, &file.contents).map_err(|error| io_error(&temporary, error))?;
            staged.push((temporary, target));
        }
        Ok(())
    };
    if let Err(error) = stage(&mut staged) {
        for (temporary, _) in &staged {
            let _ = std::fs::remove_file(temporary);
        }
        return Err(error);
    }
    for (temporary, target) in &staged {
        std::fs::rename(temporary, target).map_err(|error| io_error(target, error))?;
    }
    summary.written = staged.len();
    summary.unchanged = files.len() - staged.len();
    let expected: BTreeSet<&str> = files.iter().map(|file| file.path.as_str()).collect();
    for path in existing(dir)? {
        if !expected.contains(path.as_str()) {
            let full = dir.join(&path);
            std::fs::remove_file(&full).map_err(|error| io_error(&full, error))?;
            summary.removed += 1;
        }
    }
    Ok(summary)
}

/// Every file below `dir`, as relative `/`-separated paths, sorted.
fn existing(dir: &Path) -> Result<Vec<String>, Error> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        let entries = match std::fs::read_dir(&folder) {
            Ok(entries) => entries,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => continue,
            Err(error) => return Err(io_error(&folder, error)),
        };
        for entry in entries {
            let entry = entry.map_err(|error| io_error(&folder, error))?;
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if let Ok(relative) = path.strip_prefix(dir) {
                let parts: Vec<String> =
                    relative.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
                found.push(parts.join("/"));
            }
        }
    }
    found.sort();
    Ok(found)
}

fn io_error(path: &Path, error: std::io::Error) -> Error {
    Error::new(format!("`{}`: {error}", path.display()))
}
