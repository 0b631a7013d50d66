//! Reading the OpenAPI document, YAML or JSON, into `openapiv3` types.
//!
//! Parse failures name where they happened: malformed YAML/JSON by line and
//! column, a document that parses but does not fit OpenAPI by JSON pointer.

use std::path::Path;

use openapiv3::OpenAPI;
use serde::de::DeserializeOwned;

use crate::Error;

/// Reads and parses an OpenAPI 3.0.x document.
pub fn read_document(path: &Path) -> Result<OpenAPI, Error> {
    let document: OpenAPI = read(path)?;
    if !document.openapi.starts_with("3.0.") {
        return Err(Error::at(
            "#/openapi",
            format!("OpenAPI version `{}` is not supported; only 3.0.x is", document.openapi),
        ));
    }
    Ok(document)
}

/// Reads the document as plain JSON values, for comparisons that must see every key.
pub fn read_value(path: &Path) -> Result<serde_json::Value, Error> {
    read(path)
}

/// Two steps, so each failure gets the right location: syntax errors by line and
/// column while parsing to a tree, then shape errors by JSON pointer while reading
/// the tree as `T`.
fn read<T: DeserializeOwned>(path: &Path) -> Result<T, Error> {
    let text = std::fs::read_to_string(path)
        .map_err(|error| Error::new(format!("cannot read `{}`: {error}", path.display())))?;
    let is_json = path.extension().is_some_and(|extension| extension == "json");
    let shape_error =
        |pointer: String, message: String| Error::at(pointer, format!("not a valid OpenAPI document: {message}"));
    if is_json {
        let tree: serde_json::Value =
            serde_json::from_str(&text).map_err(|error| Error::new(format!("malformed JSON: {error}")))?;
        serde_path_to_error::deserialize(tree)
            .map_err(|error| shape_error(pointer_of(error.path()), error.into_inner().to_string()))
    } else {
        let tree: serde_yaml::Value =
            serde_yaml::from_str(&text).map_err(|error| Error::new(format!("malformed YAML: {error}")))?;
        serde_path_to_error::deserialize(tree)
            .map_err(|error| shape_error(pointer_of(error.path()), error.into_inner().to_string()))
    }
}

fn pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::from("#");
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => pointer = crate::error::pointer(&pointer, &index.to_string()),
            Segment::Map { key } => pointer = crate::error::pointer(&pointer, key),
            Segment::Enum { variant } => pointer = crate::error::pointer(&pointer, variant),
            Segment::Unknown => {}
        }
    }
    pointer
}
