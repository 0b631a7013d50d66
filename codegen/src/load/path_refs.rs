//! Path items given by `$ref`, replaced in the tree by what they refer to.
//!
//! OpenAPI 3.0 lets a path item be `{$ref: …}`. `openapiv3` keeps such an item as
//! a bare reference and nothing downstream would follow it, so it is resolved
//! here, before the document is cut down to a selection (which must see the
//! operations to pick them): a reference to another path (`#/paths/~1things`) or
//! to `#/components/pathItems/Name` (where OpenAPI 3.1 keeps shared path items),
//! through chains of such references. Fields written beside the `$ref` win over
//! the referenced ones (3.0 leaves that case undefined; 3.1 does the same for
//! `summary` and `description`).
//!
//! A reference that loops, leads nowhere or points at something else is an error
//! naming the path item, whatever the selection: what an unreadable path item
//! holds is unknown, and it might be a selected operation.
//!
//! The fields of a resolved item keep, in [`Origins`], where they were written,
//! so a failure inside one is reported there rather than under the path that
//! refers to it.

use serde_yaml::{Mapping, Value};

use super::reduce::unescape;
use crate::error::pointer;
use crate::Error;

/// More `$ref`s than this in one chain of path items is an error (a loop is
/// one well before it).
const MAX_CHAIN: usize = 32;

/// Where the fields of resolved path items were written.
#[derive(Debug, Default)]
pub(super) struct Origins {
    resolved: Vec<Resolved>,
}

#[derive(Debug)]
struct Resolved {
    /// The path item that referred, `#/paths/~1things`.
    at: String,
    /// Each field of the resolved item (as a pointer token) and the pointer of
    /// the path item it was written in.
    fields: Vec<(String, String)>,
}

impl Origins {
    /// The pointer, in the document as written, of the node that `pointer` names
    /// in the tree after resolution.
    pub(super) fn original(&self, pointer: &str) -> String {
        for resolved in &self.resolved {
            let Some(rest) = pointer.strip_prefix(resolved.at.as_str()).and_then(|rest| rest.strip_prefix('/')) else {
                continue;
            };
            let token = rest.split('/').next().unwrap_or_default();
            let written = resolved.fields.iter().find(|(field, _)| field == token);
            if let Some((_, origin)) = written {
                return format!("{origin}/{rest}");
            }
        }
        pointer.to_owned()
    }
}

/// Replaces every path item of `tree` that is a `$ref` by the item it refers to.
pub(super) fn resolve(tree: &mut Value) -> Result<Origins, Error> {
    let mut origins = Origins::default();
    let mut items: Vec<(String, Mapping)> = Vec::new();
    if let Some(Value::Mapping(paths)) = tree.get("paths") {
        for (path, item) in paths {
            // Keys not starting with `/` are extensions, as for `openapiv3`.
            let Some(path) = path.as_str().filter(|path| path.starts_with('/')) else { continue };
            if reference(item).is_none() {
                continue;
            }
            let at = pointer("#/paths", path);
            let (merged, fields) = follow(tree, &at, item)?;
            items.push((path.to_owned(), merged));
            origins.resolved.push(Resolved { at, fields });
        }
    }
    if let Some(Value::Mapping(paths)) = tree.get_mut("paths") {
        for (path, merged) in items {
            if let Some(item) = paths.get_mut(path.as_str()) {
                *item = Value::Mapping(merged);
            }
        }
    }
    Ok(origins)
}

/// The `$ref` of a path item, if it is one (only a string is a reference).
fn reference(item: &Value) -> Option<&str> {
    item.get("$ref").and_then(Value::as_str)
}

/// The path item `item` (at `at`) stands for, with its chain of references
/// followed, and where each of its fields was written.
fn follow(tree: &Value, at: &str, item: &Value) -> Result<(Mapping, Vec<(String, String)>), Error> {
    let mut merged = Mapping::new();
    let mut fields = Vec::new();
    let mut chain = vec![at.to_owned()];
    let (mut here, mut item) = (at.to_owned(), item);
    loop {
        let Value::Mapping(written) = item else {
            return Err(Error::at(here, "a path item must be an object"));
        };
        for (key, value) in written {
            let is_reference = key.as_str() == Some("$ref") && value.is_string();
            if !is_reference && !merged.contains_key(key) {
                merged.insert(key.clone(), value.clone());
                if let Some(key) = key.as_str() {
                    fields.push((key.replace('~', "~0").replace('/', "~1"), here.clone()));
                }
            }
        }
        let Some(target) = reference(item) else { return Ok((merged, fields)) };
        let (next, value) = lookup(tree, target).map_err(|message| Error::at(&here, message))?;
        if chain.contains(&next) {
            chain.push(next);
            return Err(Error::at(at, format!("path item `$ref`s loop: {}", chain.join(" → "))));
        }
        // `chain` holds the path item and each one a `$ref` led to so far.
        if chain.len() > MAX_CHAIN {
            return Err(Error::at(at, format!("a chain of more than {MAX_CHAIN} path item `$ref`s")));
        }
        chain.push(next.clone());
        (here, item) = (next, value);
    }
}

/// The path item `reference` names, with its pointer; a message if there is none.
fn lookup<'t>(tree: &'t Value, reference: &str) -> Result<(String, &'t Value), String> {
    let (base, container, token) = if let Some(token) = reference.strip_prefix("#/paths/") {
        ("#/paths", tree.get("paths"), token)
    } else if let Some(token) = reference.strip_prefix("#/components/pathItems/") {
        ("#/components/pathItems", tree.get("components").and_then(|components| components.get("pathItems")), token)
    } else {
        token_error(reference)?
    };
    if token.contains('/') {
        token_error(reference)?;
    }
    // A pointer in a URI fragment may percent-encode characters (`{` as `%7B`).
    let names = [Some(unescape(token)), percent_decoded(token).map(|decoded| unescape(&decoded))];
    for name in names.into_iter().flatten() {
        if base == "#/paths" && !name.starts_with('/') {
            continue;
        }
        if let Some(item) = container.and_then(|container| container.get(name.as_str())) {
            return Ok((pointer(base, &name), item));
        }
    }
    Err(format!("`$ref: {reference}` points to a path item that does not exist"))
}

fn token_error<T>(reference: &str) -> Result<T, String> {
    Err(format!("`$ref: {reference}` must name a path item: `#/paths/…` or `#/components/pathItems/…`"))
}

/// `text` with its `%XX` escapes decoded, if it has any and they make UTF-8.
fn percent_decoded(text: &str) -> Option<String> {
    if !text.contains('%') {
        return None;
    }
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            let hex = text.get(index + 1..index + 3).filter(|hex| hex.bytes().all(|byte| byte.is_ascii_hexdigit()))?;
            decoded.push(u8::from_str_radix(hex, 16).ok()?);
            index += 3;
        } else {
            decoded.push(bytes[index]);
            index += 1;
        }
    }
    String::from_utf8(decoded).ok()
}
