//! The test kit (feature `test-util`): what the tests of code that uses a
//! generated client need, so that they run without a hand-written server.
//!
//! - [`errors`](ApiErrorBuilder): every error a call can return, built as a
//!   call gets it;
//! - [`TestValue`]: a value of each model that is valid against its schema,
//!   built at run time from the API's document (kept in the generated crate),
//!   to adjust field by field;
//! - [`Mock`]: the API on a loopback port, scripted through the generated call
//!   builders themselves ([`Expect`], [`Returns`]), which checks every request
//!   and every scripted answer against the document, and records the calls.
//!
//! A generated crate re-exports all of it as its own `test_util` module.

mod check;
mod document;
mod errors;
mod expect;
mod mock;
mod server;
mod values;

pub use document::Document;
pub use errors::ApiErrorBuilder;
pub use expect::{Expect, Expectation, Fill, NoFill, Returns, Unset, ANY};
pub use mock::{Mock, Mocked, RecordedCall};
pub use values::{value, TestValue};
