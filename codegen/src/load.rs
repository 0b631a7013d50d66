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

fn read<T: DeserializeOwned>(path: &Path) -> Result<T, Error> {
    let text = std::fs::read_to_string(path)
        .map_err(|error| Error::new(format!("cannot read `{}`: {error}", path.display())))?;
    let is_json = path.extension().is_some_and(|extension| extension == "json");
    let result = if is_json {
        let mut deserializer = serde_json::Deserializer::from_str(&text);
        serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
            let pointer = pointer_of(error.path());
            let inner = error.into_inner();
            if inner.is_syntax() || inner.is_eof() {
                Error::new(format!("malformed JSON: {inner}"))
            } else {
                Error::at(pointer, format!("not a valid OpenAPI document: {inner}"))
            }
        })
    } else {
        let deserializer = serde_yaml::Deserializer::from_str(&text);
        serde_path_to_error::deserialize(deserializer).map_err(|error| {
            let pointer = pointer_of(error.path());
            let inner = error.into_inner();
            // serde_yaml reports syntax errors with a location and no path.
            if inner.location().is_some() && pointer == "#" {
                Error::new(format!("malformed YAML: {inner}"))
            } else {
                Error::at(pointer, format!("not a valid OpenAPI document: {inner}"))
            }
        })
    };
    result.map_err(|error| Error { message: format!("`{}`: {}", path.display(), error.message), ..error })
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
