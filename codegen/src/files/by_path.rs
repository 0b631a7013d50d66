//! The output folder by path, where there are no directory handles to use
//! (not Unix). Same interface as `handle::Folder`, and the same refusals (no
//! link at any component, regular files only), but NOT race-proof: it checks a
//! path, then uses it, and someone who swaps a folder for a link in between
//! wins. Unix builds use `handle`; this one is compiled there only for its tests.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use super::folder::{Found, Kind};
use crate::Error;

/// An output folder, by its path.
pub struct Folder {
    path: PathBuf,
}

impl Folder {
    pub fn open(path: &Path) -> Result<Option<Folder>, Error> {
        match std::fs::symlink_metadata(path) {
            Ok(meta) if meta.is_dir() => Ok(Some(Folder { path: path.to_path_buf() })),
            Ok(_) => Err(super::folder::root_refusal(path, std::io::ErrorKind::NotADirectory.into())),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(error) => Err(super::folder::root_refusal(path, error)),
        }
    }

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

    pub fn open_file(&self, relative: &str) -> Result<Found, Error> {
        let Some(path) = self.checked(relative, false)? else { return Ok(Found::Missing) };
        match self.kind(&path)? {
            None => Ok(Found::Missing),
            Some(Kind::File) => File::open(&path).map(Found::File).map_err(|error| self.io_error(relative, error)),
            Some(other) => Ok(Found::Other(other)),
        }
    }

    pub fn replace(&self, relative: &str, contents: &[u8]) -> Result<(), Error> {
        let path = self.checked(relative, true)?.unwrap_or_else(|| self.path.join(relative));
        let name = path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
        let temporary = path.with_file_name(super::folder::temporary_name(&name));
        // `create_new` never opens an existing file or a link planted there.
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temporary)
            .map_err(|error| self.io_error(relative, error))?;
        file.write_all(contents).and_then(|()| std::fs::rename(&temporary, &path)).map_err(|error| {
            let _ = std::fs::remove_file(&temporary);
            self.io_error(relative, error)
        })
    }

    pub fn remove(&self, relative: &str) -> Result<(), Error> {
        let Some(path) = self.checked(relative, false)? else { return Ok(()) };
        match std::fs::remove_file(&path) {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => Err(self.io_error(relative, error)),
            _ => Ok(()),
        }
    }

    pub fn list(&self, relative: &str) -> Result<Option<Vec<(String, Kind)>>, Error> {
        let path = if relative.is_empty() {
            self.path.clone()
        } else {
            match self.checked(relative, false)? {
                Some(path) if self.kind(&path)? == Some(Kind::Folder) => path,
                Some(path) if self.kind(&path)?.is_some() => {
                    return Err(super::folder::in_the_way(&self.shown(relative), Kind::File, true))
                }
                _ => return Ok(None),
            }
        };
        let mut listed = Vec::new();
        for entry in std::fs::read_dir(&path).map_err(|error| self.io_error(relative, error))? {
            let entry = entry.map_err(|error| self.io_error(relative, error))?;
            let kind = entry.file_type().map_err(|error| self.io_error(relative, error))?;
            listed.push((entry.file_name().to_string_lossy().into_owned(), Kind::of(kind)));
        }
        listed.sort();
        Ok(Some(listed))
    }

    /// The path of `relative` after checking that every folder on the way is
    /// a folder and not a link (creating missing ones if `create`); `None` if
    /// one is missing.
    fn checked(&self, relative: &str, create: bool) -> Result<Option<PathBuf>, Error> {
        let mut here = self.path.clone();
        let components: Vec<&str> = relative.split('/').collect();
        for (index, component) in components.iter().enumerate() {
            here.push(component);
            if index + 1 == components.len() {
                break;
            }
            match self.kind(&here)? {
                Some(Kind::Folder) => {}
                None if create => std::fs::create_dir(&here).map_err(|error| self.io_error(relative, error))?,
                None => return Ok(None),
                Some(kind) => {
                    return Err(super::folder::in_the_way(&self.shown(&components[..=index].join("/")), kind, true))
                }
            }
        }
        Ok(Some(here))
    }

    fn kind(&self, path: &Path) -> Result<Option<Kind>, Error> {
        match std::fs::symlink_metadata(path) {
            Ok(meta) => Ok(Some(Kind::of(meta.file_type()))),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(error) => Err(Error::new(format!("`{}`: {error}", path.display()))),
        }
    }

    pub fn shown(&self, relative: &str) -> String {
        self.path.join(relative).display().to_string()
    }

    fn io_error(&self, relative: &str, error: std::io::Error) -> Error {
        Error::new(format!("`{}`: {error}", self.shown(relative)))
    }
}
