//! The result of one request of a chunked bulk call (`send_chunked`).

use std::ops::Range;

use crate::Error;

/// One request of a chunked bulk call: which items it carried and how it went.
#[derive(Debug)]
#[non_exhaustive]
pub struct Chunk<T> {
    /// The indexes of the caller's items this request sent.
    pub items: Range<usize>,
    /// What the request returned.
    pub result: Result<T, Error>,
}

impl<T> Chunk<T> {
    /// A chunk's outcome, as a generated call reports it.
    #[doc(hidden)]
    pub fn new(items: Range<usize>, result: Result<T, Error>) -> Self {
        Chunk { items, result }
    }
}
