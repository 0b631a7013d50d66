//! A successful answer with its metadata, for callers who ask for it
//! (`send_with_metadata` on a generated call); plain `send` keeps nothing but
//! the decoded value.

use http::HeaderMap;

/// A decoded 2XX answer with its status and headers.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Response<T> {
    /// The decoded body.
    pub value: T,
    /// The HTTP status, e.g. 200.
    pub status: u16,
    /// The response headers.
    pub headers: HeaderMap,
}

impl<T> Response<T> {
    pub(crate) fn new(value: T, status: u16, headers: HeaderMap) -> Self {
        Response { value, status, headers }
    }

    /// Clerk's trace id for this request (the `Clerk-Trace-Id` header), for
    /// support tickets.
    pub fn clerk_trace_id(&self) -> Option<&str> {
        self.headers.get("clerk-trace-id").and_then(|value| value.to_str().ok())
    }

    /// The decoded body, without the metadata.
    pub fn into_value(self) -> T {
        self.value
    }
}
