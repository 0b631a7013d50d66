//! Reading the OpenAPI document, YAML or JSON, into `openapiv3` types.
//!
//! Every failure is one line that names where it happened, and none takes long:
//! - a file that cannot be read, by path;
//! - malformed YAML/JSON, by line and column; nesting deeper than 128 levels is
//!   malformed (both parsers' limit), and `scan` refuses deep flow nesting
//!   (`[[[[…`) before the YAML parser, which is quadratic in it, sees it;
//! - a value JSON cannot hold (`.inf`, `.nan`, a non-string map key, a YAML tag,
//!   a duplicate key) or a document that YAML aliases blow up ("billion laughs"),
//!   by JSON pointer, line and column (`tree`);
//! - a path item given by a `$ref` that loops or leads nowhere, by its pointer
//!   (`path_refs`, which resolves the others);
//! - a document that parses but does not fit OpenAPI, by the JSON pointer of the
//!   offending key (`locate`), e.g. `summary: 5` in an operation is reported at
//!   `#/paths/~1organizations~1{organization_id}~1invitations/post/summary`;
//!   deeply nested schemas are read from the bottom up first (`deep`), because
//!   `openapiv3` takes time exponential in the depth of a failure.
//!
//! Only what is read has to fit: [`read_selection`] reads the selected operations
//! and what they reach (`reduce`), so a broken operation elsewhere does not stop
//! a run; [`read_document`] reads everything.
//!
//! JSON and YAML take one path: both become the same JSON-shaped tree first (a
//! `serde_yaml::Value`, whose maps keep the document's key order), read on a thread
//! with a stack deep enough for the deepest document the parsers accept.

mod deep;
mod locate;
mod path_refs;
mod reduce;
mod scan;
mod tree;

use std::path::Path;

use openapiv3::OpenAPI;
use serde::Deserialize;
use serde_yaml::Value;

use crate::{Error, Selection};

/// Stack for the thread that reads a document. Reading recurses once or more per
/// level of nesting (up to 128 levels, the parsers' limit); in a debug build the
/// deepest documents need about 8 MiB, more than a test thread's 2 MiB.
const READER_STACK: usize = 32 << 20;

/// Reads and parses an OpenAPI 3.0.x document.
pub fn read_document(path: &Path) -> Result<OpenAPI, Error> {
    read_selection(path, &Selection { tag: None, operation_ids: Vec::new() })
}

/// Reads the part of an OpenAPI 3.0.x document that `selection` needs: its
/// operations (without the other operations of their path items), the
/// components they reach, and everything outside `paths` and `components`. Only
/// that part has to be valid OpenAPI; a selection of every operation reads the
/// whole document. It is an error when the selection picks nothing.
pub fn read_selection(path: &Path, selection: &Selection) -> Result<OpenAPI, Error> {
    let text = read_text(path)?;
    on_reader_thread(|| {
        let mut tree = parse(path, &text)?;
        if let Some(version) = tree.get("openapi").and_then(Value::as_str) {
            if !version.starts_with("3.0.") {
                return Err(Error::at(
                    "#/openapi",
                    format!("OpenAPI version `{version}` is not supported; only 3.0.x is"),
                ));
            }
        }
        let origins = path_refs::resolve(&mut tree)?;
        reduce::reduce(&mut tree, selection)?;
        let invalid = |place: locate::Place| {
            let message = format!("not a valid OpenAPI document: {}", place.message);
            Error::at(origins.original(&place.pointer), message)
        };
        deep::check(&tree).map_err(invalid)?;
        // A document that fits is read plainly; serde's path, where reading
        // stopped, is followed only to report a failure.
        if let Ok(document) = OpenAPI::deserialize(&tree) {
            return Ok(document);
        }
        let error = match serde_path_to_error::deserialize::<_, OpenAPI>(&tree) {
            Ok(document) => return Ok(document),
            Err(error) => error,
        };
        let start = tokens_of(error.path());
        let message = error.into_inner().to_string();
        Err(invalid(locate::locate(tree, locate::Target::Document, &start, message)))
    })
}

/// Reads the document as plain JSON values, for comparisons that must see every key.
pub fn read_value(path: &Path) -> Result<serde_json::Value, Error> {
    let text = read_text(path)?;
    on_reader_thread(|| {
        let tree = parse(path, &text)?;
        serde_json::to_value(&tree).map_err(|error| Error::new(format!("cannot read `{}`: {error}", path.display())))
    })
}

/// The document as JSON text, YAML or JSON in, with every map's keys in the order
/// written. (`read_value` sorts them: serde_json keeps order only with its
/// `preserve_order` feature, which this crate must not turn on, as feature
/// unification would turn it on for the generated client's serde_json too.)
pub fn to_json(path: &Path) -> Result<String, Error> {
    let text = read_text(path)?;
    on_reader_thread(|| {
        let tree = parse(path, &text)?;
        serde_json::to_string_pretty(&tree)
            .map_err(|error| Error::new(format!("cannot write `{}` as JSON: {error}", path.display())))
    })
}

fn read_text(path: &Path) -> Result<String, Error> {
    std::fs::read_to_string(path).map_err(|error| Error::new(format!("cannot read `{}`: {error}", path.display())))
}

/// The text as a JSON-shaped tree that keeps the document's key order: JSON if
/// the file name ends in `.json`, YAML otherwise.
fn parse(path: &Path, text: &str) -> Result<Value, Error> {
    if path.extension().is_some_and(|extension| extension == "json") {
        tree::parse(text, tree::Syntax::Json)
    } else {
        scan::check_flow_depth(text)?;
        tree::parse(text, tree::Syntax::Yaml)
    }
}

/// Runs `read` on a thread with a stack deep enough for any document the parsers
/// accept; a panic there (none is known) becomes an error instead of unwinding
/// into the caller.
fn on_reader_thread<T: Send>(read: impl FnOnce() -> Result<T, Error> + Send) -> Result<T, Error> {
    std::thread::scope(|scope| {
        let reader = std::thread::Builder::new()
            .name("openapi-reader".to_owned())
            .stack_size(READER_STACK)
            .spawn_scoped(scope, read)
            .map_err(|error| Error::new(format!("cannot start a thread to read the document: {error}")))?;
        reader.join().unwrap_or_else(|_| Err(Error::new("internal error while reading the document")))
    })
}
/// The path `serde_path_to_error` followed, as JSON pointer reference tokens, up to
/// the first step that is not a map key or array index.
fn tokens_of(path: &serde_path_to_error::Path) -> Vec<String> {
    use serde_path_to_error::Segment;
    let mut tokens = Vec::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => tokens.push(index.to_string()),
            Segment::Map { key } => tokens.push(key.clone()),
            Segment::Enum { .. } | Segment::Unknown => break,
        }
    }
    tokens
}
