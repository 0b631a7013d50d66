//! A case's own folder: where its spec and output folder live, how the output
//! folder is prepared (for `hostile-files`), and snapshots that show whether a
//! run changed what it must not.
//!
//! Each case runs in `ROOT/NAME/` under the system's temporary folder, with the
//! output folder at `ROOT/NAME/out`: everything else in `ROOT/NAME/` (the spec,
//! a sentinel folder, the file `../x` names) is outside the output folder, and
//! a run must leave it as it was.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// Written into file contents and link targets, replaced by the case folder's
/// absolute path when the folder is prepared (so a manifest can name an
/// absolute path outside the output folder that the case can watch).
pub const ROOT: &str = "{root}";

/// One thing to put in a folder, at a `/`-separated relative path.
#[derive(Clone, PartialEq, Eq)]
pub enum Entry {
    File {
        path: String,
        bytes: Vec<u8>,
    },
    /// A file of `len` bytes that takes no disk space (a hole): a huge input.
    Sparse {
        path: String,
        len: u64,
    },
    /// A symbolic link to `target` (`ROOT` replaced).
    Link {
        path: String,
        target: String,
    },
    Dir {
        path: String,
    },
    /// A named pipe: opening it for reading blocks until someone writes.
    Fifo {
        path: String,
    },
    /// A change to the file already there (left alone if there is none).
    Edit {
        path: String,
        edit: Edit,
    },
    /// Nothing: what is there is removed.
    Absent {
        path: String,
    },
}

/// Contents shown as text, shortened: a kept case says what its folder held.
impl fmt::Debug for Entry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Entry::File { path, bytes } => write!(f, "File {{ path: {path:?}, text: {:?} }}", shown(bytes)),
            Entry::Sparse { path, len } => write!(f, "Sparse {{ path: {path:?}, len: {len} }}"),
            Entry::Link { path, target } => write!(f, "Link {{ path: {path:?}, target: {target:?} }}"),
            Entry::Dir { path } => write!(f, "Dir {{ path: {path:?} }}"),
            Entry::Fifo { path } => write!(f, "Fifo {{ path: {path:?} }}"),
            Entry::Edit { path, edit } => write!(f, "Edit {{ path: {path:?}, edit: {edit:?} }}"),
            Entry::Absent { path } => write!(f, "Absent {{ path: {path:?} }}"),
        }
    }
}

/// Bytes as text, the first 300 characters.
fn shown(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut shown: String = text.chars().take(300).collect();
    if text.chars().count() > 300 {
        shown.push('…');
    }
    shown
}

/// A change to a file's bytes.
#[derive(Clone, PartialEq, Eq)]
pub enum Edit {
    /// These bytes added at the end (`ROOT` replaced).
    Append(Vec<u8>),
    /// Every line break made `\r\n`.
    Crlf,
    /// Every `nth` line dropped, counting from 1.
    DropLines { nth: usize },
    /// Each line that starts with `prefix` replaced by `line`.
    ReplaceLine { prefix: String, line: String },
}

impl fmt::Debug for Edit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Edit::Append(bytes) => write!(f, "Append({:?})", shown(bytes)),
            Edit::Crlf => write!(f, "Crlf"),
            Edit::DropLines { nth } => write!(f, "DropLines {{ nth: {nth} }}"),
            Edit::ReplaceLine { prefix, line } => {
                write!(f, "ReplaceLine {{ prefix: {prefix:?}, line: {:?} }}", shown(line.as_bytes()))
            }
        }
    }
}

impl Edit {
    fn apply(&self, bytes: &[u8], root: &str) -> Vec<u8> {
        let text = String::from_utf8_lossy(bytes);
        match self {
            Edit::Append(more) => [bytes, &replace_root(more, root)].concat(),
            Edit::Crlf => text.replace("\r\n", "\n").replace('\n', "\r\n").into_bytes(),
            Edit::DropLines { nth } => {
                let kept: Vec<&str> = text
                    .lines()
                    .enumerate()
                    .filter(|(index, _)| (index + 1) % nth != 0)
                    .map(|(_, line)| line)
                    .collect();
                (kept.join("\n") + "\n").into_bytes()
            }
            Edit::ReplaceLine { prefix, line } => {
                let lines: Vec<&str> = text
                    .lines()
                    .map(|old| if old.starts_with(prefix.as_str()) { line.as_str() } else { old })
                    .collect();
                (lines.join("\n") + "\n").into_bytes()
            }
        }
    }
}

impl Entry {
    pub fn file(path: &str, bytes: impl Into<Vec<u8>>) -> Entry {
        Entry::File { path: path.to_owned(), bytes: bytes.into() }
    }

    pub fn path(&self) -> &str {
        match self {
            Entry::File { path, .. }
            | Entry::Sparse { path, .. }
            | Entry::Link { path, .. }
            | Entry::Dir { path }
            | Entry::Fifo { path }
            | Entry::Edit { path, .. }
            | Entry::Absent { path } => path,
        }
    }

    /// Puts the entry under `dir` (replacing what is there); `root` replaces [`ROOT`].
    pub fn create(&self, dir: &Path, root: &Path) -> Result<(), String> {
        let path = dir.join(self.path());
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|error| format!("{}: {error}", parent.display()))?;
        }
        let root_text = root.display().to_string();
        if let Entry::Edit { edit, .. } = self {
            return match std::fs::symlink_metadata(&path) {
                Ok(meta) if meta.is_file() => {
                    let bytes = std::fs::read(&path).map_err(|error| format!("{}: {error}", path.display()))?;
                    std::fs::write(&path, edit.apply(&bytes, &root_text))
                        .map_err(|error| format!("{}: {error}", path.display()))
                }
                _ => Ok(()),
            };
        }
        remove(&path);
        let done = match self {
            Entry::File { bytes, .. } => {
                let bytes = replace_root(bytes, &root_text);
                std::fs::write(&path, bytes)
            }
            Entry::Sparse { len, .. } => std::fs::File::create(&path).and_then(|file| file.set_len(*len)),
            Entry::Link { target, .. } => link(&target.replace(ROOT, &root_text), &path),
            Entry::Dir { .. } => std::fs::create_dir_all(&path),
            Entry::Fifo { .. } => fifo(&path),
            Entry::Edit { .. } | Entry::Absent { .. } => Ok(()),
        };
        done.map_err(|error| format!("{}: {error}", path.display()))
    }
}

fn replace_root(bytes: &[u8], root: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut rest = bytes;
    while let Some(at) = rest.windows(ROOT.len()).position(|window| window == ROOT.as_bytes()) {
        out.extend_from_slice(&rest[..at]);
        out.extend_from_slice(root.as_bytes());
        rest = &rest[at + ROOT.len()..];
    }
    out.extend_from_slice(rest);
    out
}

fn remove(path: &Path) {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => {
            let _ = std::fs::remove_dir_all(path);
        }
        Ok(_) => {
            let _ = std::fs::remove_file(path);
        }
        Err(_) => {}
    }
}

#[cfg(unix)]
fn link(target: &str, path: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(target, path)
}

#[cfg(not(unix))]
fn link(_target: &str, _path: &Path) -> std::io::Result<()> {
    Err(std::io::Error::new(std::io::ErrorKind::Unsupported, "symbolic links are made on unix only"))
}

/// `mkfifo` is not in `std`; the command is on every unix.
#[cfg(unix)]
fn fifo(path: &Path) -> std::io::Result<()> {
    let status = std::process::Command::new("mkfifo").arg(path).status()?;
    if status.success() {
        Ok(())
    } else {
        Err(std::io::Error::other(format!("mkfifo exited with {status}")))
    }
}

#[cfg(not(unix))]
fn fifo(_path: &Path) -> std::io::Result<()> {
    Err(std::io::Error::new(std::io::ErrorKind::Unsupported, "named pipes are made on unix only"))
}

/// What a folder holds, without following a link or opening a pipe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// A regular file's bytes (up to [`COMPARED`]), or its length and
    /// modification time beyond that.
    File(Vec<u8>),
    LargeFile {
        len: u64,
        modified: Option<std::time::SystemTime>,
    },
    Link(PathBuf),
    Dir,
    Other,
}

/// Files longer than this are compared by length and modification time.
const COMPARED: u64 = 1 << 20;

/// Every entry under `root`, by relative path, but those under `skip`.
pub fn snapshot(root: &Path, skip: Option<&Path>) -> BTreeMap<PathBuf, Node> {
    let mut found = BTreeMap::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if Some(path.as_path()) == skip {
                continue;
            }
            let relative = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
            found.insert(relative, node(&path));
            if std::fs::symlink_metadata(&path).is_ok_and(|meta| meta.is_dir()) {
                pending.push(path);
            }
        }
    }
    found
}

/// What `path` is, without following a link.
pub fn node(path: &Path) -> Node {
    let Ok(meta) = std::fs::symlink_metadata(path) else { return Node::Other };
    let kind = meta.file_type();
    if kind.is_symlink() {
        Node::Link(std::fs::read_link(path).unwrap_or_default())
    } else if kind.is_dir() {
        Node::Dir
    } else if kind.is_file() && meta.len() <= COMPARED {
        std::fs::read(path).map(Node::File).unwrap_or(Node::Other)
    } else if kind.is_file() {
        Node::LargeFile { len: meta.len(), modified: meta.modified().ok() }
    } else {
        Node::Other
    }
}

/// The differences between two snapshots, one line each (at most `limit`).
pub fn differences(before: &BTreeMap<PathBuf, Node>, after: &BTreeMap<PathBuf, Node>, limit: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for (path, node) in before {
        match after.get(path) {
            None => lines.push(format!("{} removed", path.display())),
            Some(now) if now != node => lines.push(format!("{} changed", path.display())),
            Some(_) => {}
        }
    }
    for path in after.keys().filter(|path| !before.contains_key(*path)) {
        lines.push(format!("{} created", path.display()));
    }
    lines.truncate(limit);
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_made_and_snapshots_see_every_change() {
        let root = std::env::temp_dir().join(format!("xtask-sandbox-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).expect("root");
        let entries = [
            Entry::file("a/manifest", format!("{ROOT}/x\n")),
            Entry::Sparse { path: "big".into(), len: 10 << 20 },
            Entry::Dir { path: "d".into() },
        ];
        for entry in &entries {
            entry.create(&root, &root).expect("created");
        }
        let manifest = std::fs::read_to_string(root.join("a/manifest")).expect("read");
        assert_eq!(manifest, format!("{}/x\n", root.display()));
        let before = snapshot(&root, None);
        assert!(matches!(before.get(Path::new("big")), Some(Node::LargeFile { len, .. }) if *len == 10 << 20));
        std::fs::write(root.join("a/manifest"), "other").expect("write");
        std::fs::write(root.join("new"), "n").expect("write");
        let after = snapshot(&root, None);
        assert_eq!(differences(&before, &after, 10), ["a/manifest changed", "new created"]);
        assert!(differences(&after, &snapshot(&root, Some(&root.join("a"))), 10).contains(&"a removed".to_owned()));
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn edits_change_the_file_in_place() {
        let text = b"# intro\na\nb\nc\n";
        assert_eq!(Edit::Append(format!("{ROOT}/x\n").into_bytes()).apply(text, "/r"), b"# intro\na\nb\nc\n/r/x\n");
        assert_eq!(Edit::Crlf.apply(text, "/r"), b"# intro\r\na\r\nb\r\nc\r\n");
        assert_eq!(Edit::DropLines { nth: 2 }.apply(text, "/r"), b"# intro\nb\n");
        let replaced = Edit::ReplaceLine { prefix: "b".into(), line: "B!".into() }.apply(text, "/r");
        assert_eq!(replaced, b"# intro\na\nB!\nc\n");
    }
}
