//! Wire tests: the generated client against a real HTTP server on 127.0.0.1.
//!
//! Every mock answers any request (`any()`), so a misbehaving client still gets a
//! response and the test fails on the recorded request, showing what was sent,
//! instead of on a bare 404 from an unmatched mock.
//!
//! One module per concern; the helpers and fixtures every one uses (and the
//! other test modules take from here) are in `helpers`.

mod builders;
mod decoding;
mod errors;
mod helpers;
mod paths;
mod requests;
mod transport;

pub(crate) use helpers::{header, ok_json, only_request, page_json, pending, pending_json, SECRET, SECRET_VALUE};
