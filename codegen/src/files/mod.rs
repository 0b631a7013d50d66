//! Writing the generated files, or comparing them with what is on disk.
//!
//! Codegen only ever replaces or removes files it wrote itself (see
//! `ownership`: listed in its manifest and starting with its header), and it
//! refuses a non-empty folder that holds no earlier output, so `--out .` cannot
//! touch a repository. Everything is checked before anything is written, each
//! file is replaced by a rename, and the manifest always covers every file
//! codegen may have left behind, so an interrupted run loses nothing.
//!
//! On Unix every entry is reached through directory handles (`handle`): the
//! output folder is opened once, never through a link, and every file below it
//! is created, read, replaced and removed relative to the handle of its folder,
//! each folder opened from its parent's handle without following a link. So
//! someone who can write into the output folder while codegen runs, and swaps
//! `src` for a link to another folder a thousand times a second, cannot make
//! codegen write or delete anything outside (`cargo xtask race` tries). This
//! uses `rustix`, a thin safe wrapper over `openat`, `mkdirat`, `renameat` and
//! `unlinkat`; `cap-std` would bring several more crates for the same thing.
//! Elsewhere `by_path` does the same checks by path, which is not race-proof.

mod folder;
mod ownership;

#[cfg(any(not(unix), test))]
mod by_path;
#[cfg(unix)]
mod handle;

use std::collections::BTreeSet;
use std::fmt;
use std::path::Path;

#[cfg(not(unix))]
use by_path::Folder;
#[cfg(unix)]
use handle::Folder;

pub use ownership::{HASH_HEADER_PREFIX, HEADER_PREFIX, HEADER_SUFFIX, MANIFEST};

use crate::Error;
use folder::{Found, Kind};

/// The largest `Cargo.toml` codegen reads from an earlier output (it writes
/// about 1.4 KiB).
pub const CARGO_TOML_CAP: u64 = 1 << 20;

/// The largest `public-api.txt` codegen reads from an earlier output: the
/// record of GitHub's whole API (1,184 operations) is 1.4 MiB, Clerk's 308 KiB.
pub const RECORD_CAP: u64 = 64 << 20;

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

/// What `check` found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Checked {
    /// Empty when the folder is up to date.
    pub differences: Vec<Difference>,
    /// What codegen leaves alone though its manifest names it, one line each.
    pub warnings: Vec<String>,
}

/// What `write` did (the manifest is not counted).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteSummary {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
    /// What codegen left alone though its manifest names it, one line each.
    pub warnings: Vec<String>,
}

/// What codegen reads from the output of an earlier run besides its manifest,
/// each through the folder's handle, never through a link, regular files only
/// and at most `CARGO_TOML_CAP` and `RECORD_CAP` bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Earlier {
    /// `Cargo.toml`, for the version to keep.
    pub cargo_toml: Option<String>,
    /// `public-api.txt`, the API the semver check compares with.
    pub record: Option<String>,
    /// Whether a `README.md` (a regular file) sits beside `Cargo.toml`.
    pub readme: bool,
}

/// Reads what an earlier run left in `dir` (nothing if it does not exist).
pub fn read_earlier(dir: &Path) -> Result<Earlier, Error> {
    let Some(folder) = Folder::open(dir)? else { return Ok(Earlier::default()) };
    let text = |path: &str, cap: u64| -> Result<Option<String>, Error> {
        let shown = folder.shown(path);
        match folder.open_file(path)? {
            Found::Missing => Ok(None),
            Found::File(file) => String::from_utf8(folder::read_capped(file, &shown, cap)?)
                .map(Some)
                .map_err(|_| Error::new(format!("`{shown}` is not UTF-8"))),
            Found::Other(kind) => Err(folder::in_the_way(&shown, kind, false)),
        }
    };
    Ok(Earlier {
        cargo_toml: text("Cargo.toml", CARGO_TOML_CAP)?,
        record: text(crate::semver::RECORD_FILE, RECORD_CAP)?,
        readme: matches!(folder.open_file("README.md")?, Found::File(_)),
    })
}

/// Compares `files` (and the manifest) with `dir`. Files codegen did not write
/// are not its business and are not reported: a file the manifest lists is
/// `Extra` only if it still starts with codegen's header, so `--check` never
/// advises a run that would delete someone else's file.
pub fn check(dir: &Path, files: &[GeneratedFile]) -> Result<Checked, Error> {
    let folder = Folder::open(dir)?;
    let manifest = manifest_file(files);
    let mut checked = Checked::default();
    for file in files.iter().chain([&manifest]) {
        let Some(folder) = &folder else {
            checked.differences.push(Difference::Missing(file.path.clone()));
            continue;
        };
        match on_disk(folder, &file.path, file.contents.len())? {
            OnDisk::Missing => checked.differences.push(Difference::Missing(file.path.clone())),
            OnDisk::File(bytes) if bytes == file.contents.as_bytes() => {}
            OnDisk::File(_) | OnDisk::Other(_) => checked.differences.push(Difference::Stale(file.path.clone())),
        }
    }
    let Some(folder) = &folder else { return Ok(checked) };
    let ownership = ownership::read(Some(folder))?;
    checked.warnings = ownership.warnings;
    let expected: BTreeSet<&str> = files.iter().map(|file| file.path.as_str()).collect();
    for path in ownership.listed.iter().filter(|path| !expected.contains(path.as_str())) {
        match Removal::of(folder, path)? {
            Removal::Remove => checked.differences.push(Difference::Extra(path.clone())),
            Removal::Gone => {}
            Removal::LeaveAlone(warning) => checked.warnings.push(warning),
        }
    }
    Ok(checked)
}

/// Brings `dir` in line with `files`: changed files are replaced atomically,
/// unchanged ones are not touched, and files codegen wrote earlier that are no
/// longer generated are removed. Nothing else in `dir` is touched.
pub fn write(dir: &Path, files: &[GeneratedFile]) -> Result<WriteSummary, Error> {
    let existing = Folder::open(dir)?;
    let plan = plan(existing.as_ref(), files)?;
    let folder = match existing {
        Some(folder) => folder,
        None => Folder::create(dir)?,
    };
    let mut summary = WriteSummary {
        unchanged: files.len() - plan.changed.len(),
        warnings: plan.warnings,
        ..WriteSummary::default()
    };

    // First a manifest covering old and new files, so that whatever happens
    // below, every file codegen may leave here is listed as its own.
    let new_paths: BTreeSet<&str> = files.iter().map(|file| file.path.as_str()).collect();
    let mut covering: BTreeSet<&str> = new_paths.clone();
    covering.extend(plan.stale.iter().map(String::as_str));
    let final_manifest = ownership::manifest_text(new_paths.iter().copied());
    let covering_manifest = ownership::manifest_text(covering.iter().copied());
    if plan.current_manifest.as_deref() != Some(covering_manifest.as_str()) {
        folder.replace(MANIFEST, covering_manifest.as_bytes())?;
    }

    // The file is not flushed to the disk (`fsync`) before the rename: a run
    // that is stopped still leaves every file whole, and only a crash of the
    // system itself could lose the last writes, of output that is the spec's
    // to make again (`--check` finds it). Flushing took longer than
    // generating a small crate, each file waiting on the disk in turn.
    for file in &plan.changed {
        folder.replace(&file.path, file.contents.as_bytes())?;
        summary.written += 1;
    }
    for path in &plan.stale {
        folder.remove(path)?;
        summary.removed += 1;
    }
    if covering_manifest != final_manifest {
        folder.replace(MANIFEST, final_manifest.as_bytes())?;
    }
    Ok(summary)
}

/// What `write` will do, decided before anything is touched.
struct Plan<'f> {
    current_manifest: Option<String>,
    changed: Vec<&'f GeneratedFile>,
    /// Codegen's files that exist and are no longer generated.
    stale: Vec<String>,
    warnings: Vec<String>,
}

fn plan<'f>(folder: Option<&Folder>, files: &'f [GeneratedFile]) -> Result<Plan<'f>, Error> {
    for file in files {
        ownership::check_relative(&file.path)
            .and_then(|()| if ownership::writes(&file.path) { Ok(()) } else { Err("is not codegen's to write") })
            .map_err(|reason| Error::new(format!("internal error: output path `{}` {reason}", file.path)))?;
    }
    let Some(folder) = folder else {
        return Ok(Plan {
            current_manifest: None,
            changed: files.iter().collect(),
            stale: Vec::new(),
            warnings: Vec::new(),
        });
    };
    let ownership = ownership::read(Some(folder))?;
    if let Some(foreign) = &ownership.first_foreign {
        return Err(Error::new(format!(
            "refusing to write into `{}`: it is not empty and holds no earlier output of codegen \
             (`{foreign}` was not written by it); choose an empty or new folder",
            folder.path().display()
        )));
    }

    let mut changed = Vec::new();
    for file in files {
        match on_disk(folder, &file.path, file.contents.len())? {
            OnDisk::Missing => {}
            OnDisk::File(bytes) if bytes == file.contents.as_bytes() => continue,
            OnDisk::File(_)
                if ownership.listed.contains(&file.path) && ownership::carries_header(folder, &file.path)? => {}
            OnDisk::File(_) => {
                return Err(Error::new(format!(
                    "`{}` exists and was not written by codegen (it is not in `{MANIFEST}` with codegen's header \
                     as its first line); move it away first",
                    folder.shown(&file.path)
                )))
            }
            OnDisk::Other(kind) => return Err(folder::in_the_way(&folder.shown(&file.path), kind, false)),
        }
        changed.push(file);
    }

    let expected: BTreeSet<&str> = files.iter().map(|file| file.path.as_str()).collect();
    let mut stale = Vec::new();
    let mut warnings = ownership.warnings;
    for path in ownership.listed.iter().filter(|path| !expected.contains(path.as_str())) {
        match Removal::of(folder, path)? {
            Removal::Remove => stale.push(path.clone()),
            Removal::Gone => {}
            Removal::LeaveAlone(warning) => warnings.push(warning),
        }
    }
    Ok(Plan { current_manifest: ownership.manifest, changed, stale, warnings })
}

/// A file on disk where codegen writes one, read whole only up to one byte
/// more than `expected` (enough to tell it differs).
enum OnDisk {
    Missing,
    File(Vec<u8>),
    Other(Kind),
}

fn on_disk(folder: &Folder, path: &str, expected: usize) -> Result<OnDisk, Error> {
    Ok(match folder.open_file(path)? {
        Found::Missing => OnDisk::Missing,
        Found::File(file) => OnDisk::File(folder::read_start(file, &folder.shown(path), expected as u64 + 1)?),
        Found::Other(kind) => OnDisk::Other(kind),
    })
}

/// What becomes of a listed file that is no longer generated.
enum Removal {
    /// Codegen's (it starts with the header): removed.
    Remove,
    /// Not there any more.
    Gone,
    /// Not codegen's: left alone, with this warning.
    LeaveAlone(String),
}

impl Removal {
    fn of(folder: &Folder, path: &str) -> Result<Removal, Error> {
        if matches!(folder.open_file(path)?, Found::Missing) {
            return Ok(Removal::Gone);
        }
        if ownership::carries_header(folder, path)? {
            return Ok(Removal::Remove);
        }
        Ok(Removal::LeaveAlone(format!(
            "`{}` is listed in `{MANIFEST}` but is not a regular file starting with codegen's header; leaving it alone",
            folder.shown(path)
        )))
    }
}

/// The manifest as it should be for `files`.
fn manifest_file(files: &[GeneratedFile]) -> GeneratedFile {
    GeneratedFile {
        path: MANIFEST.to_owned(),
        contents: ownership::manifest_text(files.iter().map(|file| file.path.as_str())),
    }
}

/// The same behaviour from both ways of reaching the folder: the Unix one
/// through handles and the by-path one other systems use.
#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::symlink;
    use std::path::PathBuf;

    use super::folder::{Found, Kind};

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("codegen-files-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch folder");
        dir
    }

    fn contents(found: Found) -> Option<String> {
        match found {
            Found::File(file) => {
                Some(String::from_utf8(super::folder::read_start(file, "x", 1 << 20).expect("read")).expect("utf-8"))
            }
            _ => None,
        }
    }

    macro_rules! same_behaviour {
        ($module:ident, $folder:ty) => {
            mod $module {
                use super::*;

                #[test]
                fn files_are_replaced_read_listed_and_removed_below_the_folder() {
                    let dir = scratch(concat!(stringify!($module), "-basic"));
                    assert!(<$folder>::open(&dir.join("missing")).expect("opens").is_none());
                    let folder = <$folder>::create(&dir.join("out")).expect("created");
                    assert_eq!(folder.path(), dir.join("out"));
                    folder.replace("src/a/b.rs", b"one\n").expect("written");
                    folder.replace("src/a/b.rs", b"two\n").expect("replaced");
                    folder.replace("Cargo.toml", b"[package]\n").expect("written");
                    assert_eq!(contents(folder.open_file("src/a/b.rs").expect("read")).as_deref(), Some("two\n"));
                    assert!(matches!(folder.open_file("src/none.rs").expect("read"), Found::Missing));
                    assert!(matches!(folder.open_file("none/none.rs").expect("read"), Found::Missing));
                    assert!(matches!(folder.open_file("src").expect("read"), Found::Other(Kind::Folder)));
                    let listed = folder.list("").expect("listed").expect("exists");
                    assert_eq!(listed, [("Cargo.toml".to_owned(), Kind::File), ("src".to_owned(), Kind::Folder)]);
                    assert_eq!(
                        folder.list("src/a").expect("listed").expect("exists").len(),
                        1,
                        "no temporary file left"
                    );
                    assert_eq!(folder.list("nowhere").expect("listed"), None);
                    folder.remove("src/a/b.rs").expect("removed");
                    folder.remove("src/a/b.rs").expect("removing what is gone is nothing");
                    assert!(matches!(folder.open_file("src/a/b.rs").expect("read"), Found::Missing));
                }

                #[test]
                fn links_are_never_followed_at_any_component() {
                    let dir = scratch(concat!(stringify!($module), "-links"));
                    let outside = dir.join("outside");
                    std::fs::create_dir_all(&outside).expect("mkdir");
                    std::fs::write(outside.join("x.rs"), "outside\n").expect("write");
                    let out = dir.join("out");
                    std::fs::create_dir_all(&out).expect("mkdir");
                    symlink(&outside, out.join("src")).expect("link");
                    symlink(outside.join("x.rs"), out.join("Cargo.toml")).expect("link");
                    let folder = <$folder>::open(&out).expect("opens").expect("exists");

                    assert!(matches!(folder.open_file("Cargo.toml").expect("read"), Found::Other(Kind::Link)));
                    for error in [
                        folder.open_file("src/x.rs").map(|_| ()).expect_err("through a link"),
                        folder.replace("src/y.rs", b"new\n").expect_err("through a link"),
                        folder.remove("src/x.rs").expect_err("through a link"),
                    ] {
                        assert!(error.to_string().contains("symbolic link"), "{error}");
                    }
                    assert!(folder.list("src").is_err());
                    assert_eq!(std::fs::read_to_string(outside.join("x.rs")).expect("kept"), "outside\n");
                    assert_eq!(std::fs::read_dir(&outside).expect("list").count(), 1, "nothing written outside");

                    let error = <$folder>::open(&out.join("src")).err().expect("the folder itself is a link");
                    assert!(error.to_string().contains("symbolic link"), "{error}");
                }

                #[test]
                fn a_fifo_is_seen_without_blocking_and_not_read() {
                    let dir = scratch(concat!(stringify!($module), "-fifo"));
                    let made = std::process::Command::new("mkfifo").arg(dir.join("Cargo.toml")).status();
                    if !made.is_ok_and(|status| status.success()) {
                        return; // no mkfifo here: nothing to test
                    }
                    let folder = <$folder>::open(&dir).expect("opens").expect("exists");
                    assert!(matches!(folder.open_file("Cargo.toml").expect("read"), Found::Other(Kind::Special)));
                }
            }
        };
    }

    same_behaviour!(through_handles, super::super::handle::Folder);
    same_behaviour!(by_path, super::super::by_path::Folder);
}
