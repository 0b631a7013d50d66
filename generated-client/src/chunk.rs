//! The result of one request of a `*_chunked` bulk call.

use std::ops::Range;

use crate::Error;

/// One request of a chunked bulk call: which items it carried and how it went.
#[derive(Debug)]
pub struct Chunk<T> {
    /// The indexes of the caller's items this request sent.
    pub items: Range<usize>,
    pub result: Result<T, Error>,
}
