//! Writing the generated files, or comparing them with what is on disk.
//!
//! Codegen only ever replaces or removes files it wrote itself (see
//! `ownership`): a manifest in the output folder lists them. It never follows a
//! symbolic link, and it refuses a non-empty folder that holds no earlier output,
//! so `--out .` cannot touch a repository. Everything is checked before anything
//! is written, each file is replaced by a rename, and the manifest always covers
//! every file codegen may have left behind, so an interrupted run loses nothing.

mod ownership;

use std::collections::BTreeSet;
use std::fmt;
use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

pub use ownership::{HEADER_PREFIX, MANIFEST};

use crate::Error;
use ownership::{check_no_links, check_relative, io_error};

/// One output file, its path relative to the output folder (with `/`).
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
    /// Written by codegen earlier but no longer generated.
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

/// What `write` did (the manifest is not counted).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteSummary {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
}

/// Compares `files` (and the manifest) with `dir`; an empty list means up to date.
/// Files codegen did not write are not its business and are not reported.
pub fn check(dir: &Path, files: &[GeneratedFile]) -> Result<Vec<Difference>, Error> {
    let manifest = manifest_file(files);
    let mut differences = Vec::new();
    for file in files.iter().chain([&manifest]) {
        let path = dir.join(&file.path);
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if !meta.file_type().is_file() => differences.push(Difference::Stale(file.path.clone())),
            Ok(_) => {
                let bytes = std::fs::read(&path).map_err(|error| io_error(&path, error))?;
                if bytes != file.contents.as_bytes() {
                    differences.push(Difference::Stale(file.path.clone()));
                }
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                differences.push(Difference::Missing(file.path.clone()))
            }
            Err(error) => return Err(io_error(&path, error)),
        }
    }
    let expected: BTreeSet<&str> = files.iter().map(|file| file.path.as_str()).collect();
    for path in ownership::read(dir)?.owned {
        if !expected.contains(path.as_str()) && std::fs::symlink_metadata(dir.join(&path)).is_ok() {
            differences.push(Difference::Extra(path));
        }
    }
    Ok(differences)
}

/// Brings `dir` in line with `files`: changed files are replaced atomically,
/// unchanged ones are not touched, and files codegen wrote earlier that are no
/// longer generated are removed. Nothing else in `dir` is touched.
pub fn write(dir: &Path, files: &[GeneratedFile]) -> Result<WriteSummary, Error> {
    let plan = plan(dir, files)?;
    let mut summary = WriteSummary { unchanged: files.len() - plan.changed.len(), ..WriteSummary::default() };

    std::fs::create_dir_all(dir).map_err(|error| io_error(dir, error))?;
    // First a manifest covering old and new files, so that whatever happens
    // below, every file codegen may leave here is listed as its own.
    let new_paths: BTreeSet<&str> = files.iter().map(|file| file.path.as_str()).collect();
    let mut covering: BTreeSet<&str> = new_paths.clone();
    covering.extend(plan.owned.iter().map(String::as_str));
    let final_manifest = ownership::manifest_text(new_paths.iter().copied());
    let covering_manifest = ownership::manifest_text(covering.iter().copied());
    if plan.current_manifest.as_deref() != Some(covering_manifest.as_str()) {
        replace(dir, MANIFEST, &covering_manifest)?;
    }

    for file in &plan.changed {
        replace(dir, &file.path, &file.contents)?;
        summary.written += 1;
    }
    for path in &plan.stale {
        let full = dir.join(path);
        std::fs::remove_file(&full).map_err(|error| io_error(&full, error))?;
        summary.removed += 1;
    }
    if covering_manifest != final_manifest {
        replace(dir, MANIFEST, &final_manifest)?;
    }
    Ok(summary)
}

/// What `write` will do, decided before anything is touched.
struct Plan<'f> {
    owned: BTreeSet<String>,
    current_manifest: Option<String>,
    changed: Vec<&'f GeneratedFile>,
    /// Owned files that exist and are no longer generated.
    stale: Vec<String>,
}

fn plan<'f>(dir: &Path, files: &'f [GeneratedFile]) -> Result<Plan<'f>, Error> {
    match std::fs::symlink_metadata(dir) {
        Ok(meta) if meta.file_type().is_symlink() => {
            return Err(Error::new(format!(
                "output folder `{}` is a symbolic link; pass the folder it points to",
                dir.display()
            )))
        }
        Ok(meta) if !meta.is_dir() => {
            return Err(Error::new(format!("output folder `{}` is not a folder", dir.display())))
        }
        Ok(_) => {}
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
        Err(error) => return Err(io_error(dir, error)),
    }
    let ownership = ownership::read(dir)?;
    if let Some(foreign) = &ownership.first_foreign {
        return Err(Error::new(format!(
            "refusing to write into `{}`: it is not empty and holds no earlier output of codegen \
             (`{foreign}` was not written by it); choose an empty or new folder",
            dir.display()
        )));
    }
    let current_manifest = if ownership.has_manifest {
        let path = dir.join(MANIFEST);
        Some(std::fs::read_to_string(&path).map_err(|error| io_error(&path, error))?)
    } else {
        None
    };

    let mut changed = Vec::new();
    for file in files {
        check_relative(&file.path)
            .map_err(|reason| Error::new(format!("internal error: output path `{}` {reason}", file.path)))?;
        check_no_links(dir, &file.path)?;
        let target = dir.join(&file.path);
        match std::fs::read(&target) {
            Ok(bytes) if bytes == file.contents.as_bytes() => continue,
            Ok(_) if !ownership.owned.contains(&file.path) && !ownership::has_header(&target)? => {
                return Err(Error::new(format!(
                    "`{}` exists and was not written by codegen; move it away first",
                    target.display()
                )))
            }
            Ok(_) => {}
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => return Err(io_error(&target, error)),
        }
        changed.push(file);
    }

    let expected: BTreeSet<&str> = files.iter().map(|file| file.path.as_str()).collect();
    let mut stale = Vec::new();
    for path in &ownership.owned {
        if expected.contains(path.as_str()) {
            continue;
        }
        check_no_links(dir, path)?;
        if std::fs::symlink_metadata(dir.join(path)).is_ok() {
            stale.push(path.clone());
        }
    }
    Ok(Plan { owned: ownership.owned, current_manifest, changed, stale })
}

/// Replaces `dir/relative` with `contents` through a new temporary file and a
/// rename, so a reader sees the old file or the new one, never half of one.
///
/// The file is not flushed to the disk (`fsync`) before the rename: a run that
/// is stopped still leaves every file whole, and only a crash of the system
/// itself could lose the last writes, of output that is the spec's to make
/// again (`--check` finds it). Flushing took longer than generating a small
/// crate, each file waiting on the disk in turn.
fn replace(dir: &Path, relative: &str, contents: &str) -> Result<(), Error> {
    let target = dir.join(relative);
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent).map_err(|error| io_error(parent, error))?;
    }
    let temporary = temporary_path(&target);
    // `create_new` never opens an existing file or a link planted at that name.
    let written = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temporary)
        .and_then(|mut file| file.write_all(contents.as_bytes()));
    if let Err(error) = written {
        let _ = std::fs::remove_file(&temporary);
        return Err(io_error(&temporary, error));
    }
    std::fs::rename(&temporary, &target).map_err(|error| {
        let _ = std::fs::remove_file(&temporary);
        io_error(&target, error)
    })
}

fn temporary_path(target: &Path) -> PathBuf {
    let name = target.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
    target.with_file_name(format!(".{name}.{}.codegen-tmp", std::process::id()))
}

/// The manifest as it should be for `files`.
fn manifest_file(files: &[GeneratedFile]) -> GeneratedFile {
    GeneratedFile {
        path: MANIFEST.to_owned(),
        contents: ownership::manifest_text(files.iter().map(|file| file.path.as_str())),
    }
}
