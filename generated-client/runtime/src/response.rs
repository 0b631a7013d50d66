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
    /// The header the API sends its trace id in, if any.
    trace_header: Option<&'static str>,
}

impl<T> Response<T> {
    pub(crate) fn new(value: T, status: u16, headers: HeaderMap, trace_header: Option<&'static str>) -> Self {
        Response { value, status, headers, trace_header }
    }

    /// The server's trace id for this call, from the header the API's
    /// description names ([`ErrorFormat::trace_header`](crate::ErrorFormat)),
    /// for support tickets.
    pub fn trace_id(&self) -> Option<&str> {
        self.headers.get(self.trace_header?).and_then(|value| value.to_str().ok())
    }

    /// The decoded body, without the metadata.
    pub fn into_value(self) -> T {
        self.value
    }
}
