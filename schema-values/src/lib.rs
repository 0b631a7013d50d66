//! Values that fit an OpenAPI document's JSON schemas, and the checks of a value
//! against a schema, on the document as plain JSON.
//!
//! - [`doc`]: the document, its `$ref`s followed, and its operations;
//! - [`synth`]: values built from schemas (requests and responses), and
//!   [`synth::fits`], whether a value fits one;
//! - [`pattern`]: the subset of regular expressions OpenAPI `pattern`s use,
//!   matched and turned into a string that matches.

pub mod doc;
pub mod pattern;
pub mod synth;
