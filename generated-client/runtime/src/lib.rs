//! The runtime of Rust clients generated from OpenAPI documents.
//!
//! A generated crate holds the document's models and one typed call per
//! operation; everything a call needs at run time is here, written once: the
//! HTTP client and its authentication, time limits, retries that are safe for
//! the operation, bounded response bodies, auto-pagination, and one [`Error`]
//! type. Generated code describes each operation to it through a static
//! descriptor.
//!
//! It knows no API. What differs from one to another comes from the generated
//! crate's description of its API, [`Api`], which codegen writes from the
//! document: the server; the security schemes (HTTP bearer or basic, an API
//! key in a header, the query or a cookie) and which of them each operation
//! uses; the environment variable the secret is read from; headers sent with
//! every call (such as an API version); and where an error body keeps its
//! code, message and trace id ([`ErrorFormat`]: the document's error schema,
//! problem details, or nothing but the status).
//!
//! Users meet these types through the generated crate, which re-exports them;
//! see its documentation for examples. The numbers a default client works
//! within are in [`limits`].
//!
//! Requires a Tokio runtime. TLS comes from one of the features `rustls-tls`
//! (default: rustls with Mozilla's roots bundled), `rustls-tls-native-roots`
//! (rustls with the operating system's trust store) or `native-tls`.

#![deny(missing_docs)]

mod api;
mod args;
mod auth;
mod call;
mod check;
mod chunk;
mod client;
mod client_methods;
mod decode;
mod error;
pub mod limits;
mod multipart;
mod nesting;
mod nullable;
mod open_enum;
mod operation;
mod pages;
mod paginate;
mod path;
mod request;
mod response;
mod retry;
mod setters;
#[cfg(feature = "test-util")]
pub mod test_util;
mod test_values;
mod unknown;

pub use api::{Api, ErrorFormat, ErrorStyle, Scheme, SchemeKind};
pub use args::{Integer, JsonObject};
pub use chunk::Chunk;
pub use client::{Client, ClientBuilder};
pub use error::{ApiError, Error, MissingField, RawBody, Report, TimeoutKind, TransportError};
pub use multipart::FilePart;
pub use operation::{Backoff, RetrySafety};
pub use paginate::{Items, Keyed, Page, Pages};
pub use response::Response;
pub use retry::Retries;
#[cfg(feature = "test-util")]
pub use test_util::ApiErrorBuilder;
pub use unknown::UnknownValue;

/// The body of a call whose success is not JSON (an image, a file): `bytes` 1.x,
/// cheap to clone.
pub use bytes::Bytes;

/// The `http` crate (1.x), whose header types appear in this API.
pub use http;

/// reqwest 0.12, for `ClientBuilder::http_client`; with the `reqwest-client`
/// feature only, since it ties this crate's API to reqwest's versions.
#[cfg(feature = "reqwest-client")]
pub use reqwest;

/// What generated code calls: not for direct use. It follows this crate's
/// semver like the rest (generated code of any `0.2.x` release works with every
/// later `0.2.x` runtime), but its shape serves the generator, not readers.
#[doc(hidden)]
pub mod __private {
    pub use crate::args::{refused_first, Extra, Integer, JsonObject};
    pub use crate::builder;
    pub use crate::call_methods;
    pub use crate::check::{count, range, required};
    pub use crate::client_methods;
    pub use crate::convert;
    pub use crate::decode::decode as decode_json;
    pub use crate::multipart::Multipart;
    pub use crate::nesting::{nesting, Depth, Kind, Nested};
    pub use crate::open_enum_impls;
    pub use crate::operation::{HttpMethod, Operation};
    pub use crate::pages;
    pub use crate::paginate::{BodyDigest, PageFuture};
    pub use crate::path::{fill as path, push_segment, segment};
    pub use crate::request::{push_query, raw_body, Decoder, Request};
    pub use crate::send_chunked;
    pub use crate::setter;
    pub use crate::setters::take;
    pub use crate::test_values;
    pub use crate::unknown::{deserialize_open_enum, UnknownValue};
    pub use crate::{Client, Error, MissingField, RetrySafety};
    /// `Option<Option<T>>` fields: `#[serde(with = "rt::nullable")]`.
    pub mod nullable {
        pub use crate::nullable::{deserialize, serialize};
    }
    /// What a call builder's `request()` gives `call_methods!`: the client
    /// to send with and the checked request, or why there is none.
    pub type Prepared = Result<(Client, Request), Error>;
    /// serde, for the impls `open_enum_impls!` writes in the generated crate.
    pub use serde;
}
