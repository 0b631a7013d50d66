//! The output folder through directory handles (Unix).
//!
//! The folder is opened once, never through a link. Every entry below it is
//! reached from that handle, one component at a time, with
//! `openat(O_DIRECTORY | O_NOFOLLOW)`: a link at any component is refused, not
//! followed, so swapping a folder for a link while codegen runs cannot send a
//! write or a deletion outside. Files are created with `O_CREAT | O_EXCL |
//! O_NOFOLLOW`, put in place with `renameat` within one folder's handle and
//! removed with `unlinkat`; files are read with `O_NOFOLLOW | O_NONBLOCK` (a FIFO
//! does not block the open) and only when they are regular files.
//!
//! `rustix` does the calls: a thin safe wrapper over exactly these syscalls,
//! already in the lock file; `cap-std` would bring several more crates for the
//! same thing.

use std::fs::File;
use std::io::Write;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::path::{Path, PathBuf};

use rustix::fs::{mkdirat, openat, renameat, statat, unlinkat, AtFlags, Dir, FileType, Mode, OFlags, CWD};
use rustix::io::Errno;

use super::folder::{Found, Kind};
use crate::Error;

/// An open output folder.
pub struct Folder {
    path: PathBuf,
    handle: OwnedFd,
}

/// Opens a folder below another, never through a link.
const FOLDER_FLAGS: OFlags = OFlags::RDONLY.union(OFlags::DIRECTORY).union(OFlags::NOFOLLOW).union(OFlags::CLOEXEC);

impl Folder {
    /// Opens the folder at `path`, which must not be a link itself; `None` if
    /// there is nothing there.
    pub fn open(path: &Path) -> Result<Option<Folder>, Error> {
        match openat(CWD, path, FOLDER_FLAGS, Mode::empty()) {
            Ok(handle) => Ok(Some(Folder { path: path.to_path_buf(), handle })),
            Err(Errno::NOENT) => Ok(None),
            Err(errno) => Err(super::folder::root_refusal(path, errno.into())),
        }
    }

    /// Opens the folder at `path`, creating it (and its parents) if missing.
    pub fn create(path: &Path) -> Result<Folder, Error> {
        if let Some(folder) = Folder::open(path)? {
            return Ok(folder);
        }
        std::fs::create_dir_all(path).map_err(|error| super::folder::root_refusal(path, error))?;
        Folder::open(path)?.ok_or_else(|| Error::new(format!("output folder `{}` vanished", path.display())))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What is at `relative`: a regular file opened for reading, or what is in
    /// the way. A link to a folder on the way is an error.
    pub fn open_file(&self, relative: &str) -> Result<Found, Error> {
        let found = self.in_parent(relative, false, |parent, name| {
            let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::NOCTTY | OFlags::CLOEXEC;
            match openat(parent, name, flags, Mode::empty()) {
                Ok(handle) => {
                    let file = File::from(handle);
                    let kind = file.metadata().map_err(|error| self.io_error(relative, error))?.file_type();
                    Ok(if kind.is_file() { Found::File(file) } else { Found::Other(Kind::of(kind)) })
                }
                Err(Errno::NOENT) => Ok(Found::Missing),
                Err(errno) => match self.kind_at(parent, name) {
                    Some(kind) => Ok(Found::Other(kind)),
                    None => Err(self.io_error(relative, errno.into())),
                },
            }
        })?;
        Ok(found.unwrap_or(Found::Missing))
    }

    /// Replaces `relative` with `contents`, creating the folders on the way:
    /// a new temporary file beside it, then a rename within that folder, so a
    /// reader sees the old file or the new one, never half of one.
    pub fn replace(&self, relative: &str, contents: &[u8]) -> Result<(), Error> {
        self.in_parent(relative, true, |parent, name| {
            let temporary = super::folder::temporary_name(name);
            let flags = OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC;
            let handle = openat(parent, &temporary, flags, Mode::from_bits_truncate(0o666))
                .map_err(|errno| self.io_error(relative, errno.into()))?;
            // From here the temporary file is ours, to remove if anything fails.
            let written = File::from(handle).write_all(contents);
            let renamed = written.and_then(|()| renameat(parent, &temporary, parent, name).map_err(Into::into));
            renamed.map_err(|error| {
                let _ = unlinkat(parent, &temporary, AtFlags::empty());
                self.io_error(relative, error)
            })
        })?
        .ok_or_else(|| Error::new(format!("`{}`: its folder could not be created", self.shown(relative))))
    }

    /// Removes the file at `relative` (nothing if it or its folder is gone).
    pub fn remove(&self, relative: &str) -> Result<(), Error> {
        self.in_parent(relative, false, |parent, name| match unlinkat(parent, name, AtFlags::empty()) {
            Ok(()) | Err(Errno::NOENT) => Ok(()),
            Err(errno) => Err(self.io_error(relative, errno.into())),
        })?;
        Ok(())
    }

    /// The entries of the folder `relative` (`""` for this one), sorted;
    /// `None` if it does not exist.
    pub fn list(&self, relative: &str) -> Result<Option<Vec<(String, Kind)>>, Error> {
        let components: Vec<&str> = relative.split('/').filter(|part| !part.is_empty()).collect();
        let Some(handle) = self.descend(relative, &components, false)? else { return Ok(None) };
        let folder = handle.as_ref().map_or(self.handle.as_fd(), AsFd::as_fd);
        let entries = Dir::read_from(folder).map_err(|errno| self.io_error(relative, errno.into()))?;
        let mut listed = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|errno| self.io_error(relative, errno.into()))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name == "." || name == ".." {
                continue;
            }
            let kind = match entry.file_type() {
                FileType::RegularFile => Kind::File,
                FileType::Directory => Kind::Folder,
                FileType::Symlink => Kind::Link,
                FileType::Unknown => self.kind_at(folder, entry.file_name()).unwrap_or(Kind::Special),
                _ => Kind::Special,
            };
            listed.push((name, kind));
        }
        listed.sort();
        Ok(Some(listed))
    }

    /// Calls `action` with the handle of the folder holding `relative` and the
    /// file's name; `None` when that folder does not exist (and `create` is off).
    fn in_parent<T>(
        &self,
        relative: &str,
        create: bool,
        action: impl FnOnce(BorrowedFd<'_>, &str) -> Result<T, Error>,
    ) -> Result<Option<T>, Error> {
        let mut components: Vec<&str> = relative.split('/').collect();
        let name = components.pop().unwrap_or_default();
        let Some(handle) = self.descend(relative, &components, create)? else { return Ok(None) };
        action(handle.as_ref().map_or(self.handle.as_fd(), AsFd::as_fd), name).map(Some)
    }

    /// Opens `components` one below the other from this folder, never through
    /// a link, creating missing ones if `create`. `Some(None)` is this folder
    /// itself; `None` means one does not exist.
    fn descend(&self, relative: &str, components: &[&str], create: bool) -> Result<Option<Option<OwnedFd>>, Error> {
        let mut here: Option<OwnedFd> = None;
        for (index, name) in components.iter().enumerate() {
            let parent = here.as_ref().map_or(self.handle.as_fd(), AsFd::as_fd);
            let mut opened = openat(parent, *name, FOLDER_FLAGS, Mode::empty());
            if create && matches!(opened, Err(Errno::NOENT)) {
                match mkdirat(parent, *name, Mode::from_bits_truncate(0o777)) {
                    Ok(()) | Err(Errno::EXIST) => opened = openat(parent, *name, FOLDER_FLAGS, Mode::empty()),
                    Err(errno) => return Err(self.io_error(relative, errno.into())),
                }
            }
            here = Some(match opened {
                Ok(handle) => handle,
                Err(Errno::NOENT) => return Ok(None),
                Err(errno) => {
                    let on_the_way = components[..=index].join("/");
                    return Err(match self.kind_at(parent, *name) {
                        Some(kind) => super::folder::in_the_way(&self.shown(&on_the_way), kind, true),
                        None => self.io_error(&on_the_way, errno.into()),
                    });
                }
            });
        }
        Ok(Some(here))
    }

    /// What `name` is in `parent`, the link itself if it is one.
    fn kind_at<P: rustix::path::Arg>(&self, parent: BorrowedFd<'_>, name: P) -> Option<Kind> {
        let stat = statat(parent, name, AtFlags::SYMLINK_NOFOLLOW).ok()?;
        Some(match FileType::from_raw_mode(stat.st_mode) {
            FileType::RegularFile => Kind::File,
            FileType::Directory => Kind::Folder,
            FileType::Symlink => Kind::Link,
            _ => Kind::Special,
        })
    }

    /// `relative` as a path under this folder, for messages.
    pub fn shown(&self, relative: &str) -> String {
        self.path.join(relative).display().to_string()
    }

    fn io_error(&self, relative: &str, error: std::io::Error) -> Error {
        Error::new(format!("`{}`: {error}", self.shown(relative)))
    }
}
