//! What both ways of reaching the output folder share (`handle` on Unix,
//! `by_path` elsewhere): what is found at a path, and the messages.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use crate::Error;

/// What an entry is, a link being a link (never what it points to).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    File,
    Folder,
    Link,
    /// A FIFO, a socket, a device.
    Special,
}

impl Kind {
    pub fn of(kind: std::fs::FileType) -> Kind {
        if kind.is_symlink() {
            Kind::Link
        } else if kind.is_dir() {
            Kind::Folder
        } else if kind.is_file() {
            Kind::File
        } else {
            Kind::Special
        }
    }

    fn described(self) -> &'static str {
        match self {
            Kind::File => "a file",
            Kind::Folder => "a folder",
            Kind::Link => "a symbolic link",
            Kind::Special => "not a regular file (a FIFO, socket or device)",
        }
    }
}

/// What is at a path in the output folder.
#[derive(Debug)]
pub enum Found {
    Missing,
    /// A regular file, open for reading.
    File(File),
    /// Something else, not opened.
    Other(Kind),
}

/// The error for an entry that is not what codegen needs there: a folder on
/// the way to a file (`folder_expected`) or a regular file.
pub fn in_the_way(shown: &str, kind: Kind, folder_expected: bool) -> Error {
    if kind == Kind::Link {
        return Error::new(format!("`{shown}` is a symbolic link; codegen never reads, writes or removes through one"));
    }
    let wanted = if folder_expected { "a folder" } else { "a regular file" };
    Error::new(format!("`{shown}` is in the way: it is {}, not {wanted}", kind.described()))
}

/// Why the output folder at `path` could not be opened or created.
pub fn root_refusal(path: &Path, error: std::io::Error) -> Error {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            Error::new(format!("output folder `{}` is a symbolic link; pass the folder it points to", path.display()))
        }
        Ok(meta) if !meta.is_dir() => Error::new(format!("output folder `{}` is not a folder", path.display())),
        _ => Error::new(format!("`{}`: {error}", path.display())),
    }
}

/// The temporary file a new version of `name` is written to, beside it.
pub fn temporary_name(name: &str) -> String {
    format!(".{name}.{}.codegen-tmp", std::process::id())
}

/// Reads the regular file `file` (shown as `shown`) whole, refusing one
/// larger than `cap` bytes, even one that grows while it is read.
pub fn read_capped(file: File, shown: &str, cap: u64) -> Result<Vec<u8>, Error> {
    let too_large = || Error::new(format!("`{shown}` is larger than the {} codegen reads; refusing it", size(cap)));
    let length = file.metadata().map_err(|error| Error::new(format!("`{shown}`: {error}")))?.len();
    if length > cap {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(usize::try_from(length).unwrap_or(0));
    file.take(cap + 1).read_to_end(&mut bytes).map_err(|error| Error::new(format!("`{shown}`: {error}")))?;
    if bytes.len() as u64 > cap {
        return Err(too_large());
    }
    Ok(bytes)
}

/// At most the first `limit` bytes of `file`.
pub fn read_start(file: File, shown: &str, limit: u64) -> Result<Vec<u8>, Error> {
    let mut bytes = Vec::new();
    file.take(limit).read_to_end(&mut bytes).map_err(|error| Error::new(format!("`{shown}`: {error}")))?;
    Ok(bytes)
}

/// `bytes` for a reader: `1 MiB`, `512 bytes`.
fn size(bytes: u64) -> String {
    if bytes >= 1 << 20 && bytes.is_multiple_of(1 << 20) {
        format!("{} MiB", bytes >> 20)
    } else {
        format!("{bytes} bytes")
    }
}
