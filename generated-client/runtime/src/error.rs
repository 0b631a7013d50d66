//! The one error type of the client, and the error envelope Clerk sends.
//!
//! The envelope is the runtime's own type, not the spec's `ClerkErrors`: Clerk's
//! documents differ on it (older ones have no `clerk_trace_id`, some tags no
//! `ClerkErrors` at all), and the runtime must compile whatever was generated.
//! The spec's model stays one call away through [`ApiError::body_as`].

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};

/// Everything a call can fail with. Nothing here ever holds the secret key, no
/// message carries the request's URL (ids, e-mail addresses in the query), and
/// no message or `Debug` output quotes a response body beyond Clerk's own error
/// `code` and `message`: a body is one explicit call away, [`Error::raw_body`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The client could not be built (missing key, bad base URL, …).
    #[error("invalid client configuration: {0}")]
    Config(String),
    /// An argument was refused before any request was sent.
    #[error("{operation}: invalid `{argument}`: {reason}")]
    InvalidArgument {
        /// The operationId of the call.
        operation: &'static str,
        /// The argument refused (a parameter's or field's wire name).
        argument: &'static str,
        /// Why; never the value itself.
        reason: String,
    },
    /// The request body could not be serialised.
    #[error("{operation}: could not encode the request body: {source}")]
    Encode {
        /// The operationId of the call.
        operation: &'static str,
        /// What serde_json said.
        source: serde_json::Error,
    },
    /// The call did not finish in time; `kind` says which limit ended it.
    #[error("{operation}: {kind}")]
    Timeout {
        /// The operationId of the call.
        operation: &'static str,
        /// Which limit ended it.
        kind: TimeoutKind,
    },
    /// Connecting, sending or reading failed. `source` never carries the URL.
    #[error("{operation}: request failed: {source}")]
    Transport {
        /// The operationId of the call.
        operation: &'static str,
        /// What failed, with its causes.
        source: TransportError,
    },
    /// A successful response's body is larger than the client accepts
    /// (`ClientBuilder::max_response_body`). Not retried: it would be again.
    #[error("{operation}: the response body is larger than the limit of {limit} bytes")]
    ResponseTooLarge {
        /// The operationId of the call.
        operation: &'static str,
        /// The limit, in bytes.
        limit: usize,
    },
    /// A successful response whose body does not fit the spec's type. A body
    /// holds personal data (invitees' e-mail addresses), so this error never
    /// quotes it: `path`, `offset` and `message` come from the types and the
    /// runtime, and `body` (the whole body, for your own debugging) shows only
    /// its length in `Debug`.
    #[error("{operation}: HTTP {status} response does not decode at `{path}`{}: {message}", at_byte(*.offset))]
    Decode {
        /// The operationId of the call.
        operation: &'static str,
        /// The response's status.
        status: u16,
        /// Where decoding failed, e.g. `data[3].created_at`: indices, and names
        /// that are letters, digits, `_` and `-` (at most 64 bytes); any other
        /// map key (an e-mail address) is `[key]`, and `?` is a key not read yet.
        path: String,
        /// The byte offset in the body where decoding stopped (just past the
        /// value that failed, or where the JSON broke); `None` when serde_json
        /// gives no position (an untagged union at the root).
        offset: Option<usize>,
        /// What went wrong, from a fixed vocabulary: `wrong type: expected
        /// i64, found a string`, ``missing field `id` ``, ``unknown variant:
        /// expected `a` or `b` ``, ``invalid JSON: expected `,` or `}` ``, `the
        /// body ends early: …`, or `does not match the expected type`. Never a
        /// value from the body.
        message: String,
        /// The body as received: read it with `as_bytes()` (or
        /// [`Error::raw_body`]).
        body: RawBody,
    },
    /// Auto-pagination could not go on (see `Pages` and `Items`).
    #[error("pagination stopped at offset {offset}: {reason}")]
    Pagination {
        /// The offset of the page that stopped it.
        offset: i64,
        /// Why.
        reason: &'static str,
    },
    /// Clerk answered with a status other than 2XX (3XX included: redirects are
    /// never followed).
    #[error(transparent)]
    Api(Box<ApiError>),
}

impl Error {
    /// The API error, if Clerk answered with an error status.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(error) => Some(error),
            _ => None,
        }
    }

    /// The HTTP status, if Clerk answered with an error status.
    pub fn status(&self) -> Option<u16> {
        self.api().map(|error| error.status)
    }

    /// The first of Clerk's error codes (`errors[0].code`), e.g.
    /// `resource_not_found`, if Clerk answered with its error envelope.
    pub fn code(&self) -> Option<&str> {
        self.api().and_then(|error| error.codes().into_iter().next())
    }

    /// Clerk's trace id, for support tickets, when Clerk answered.
    pub fn clerk_trace_id(&self) -> Option<&str> {
        self.api().and_then(ApiError::clerk_trace_id)
    }

    /// Whether Clerk answered 404: the resource does not exist.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }

    /// Whether Clerk answered 429: too many requests.
    pub fn is_rate_limited(&self) -> bool {
        self.status() == Some(429)
    }

    /// Whether the call ran out of time (any of its limits).
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout { .. })
    }

    /// Whether an argument was refused before anything was sent.
    pub fn is_invalid_argument(&self) -> bool {
        matches!(self, Error::InvalidArgument { .. })
    }

    /// The body of the answer this error is about, for your own debugging: the
    /// whole 2XX body that did not decode, or an error status's body (at most
    /// `limits::ERROR_BODY` bytes). It may hold personal data; no message or
    /// log line of the client ever includes it.
    pub fn raw_body(&self) -> Option<&[u8]> {
        match self {
            Error::Decode { body, .. } => Some(body.as_bytes()),
            Error::Api(error) => Some(error.raw_body()),
            _ => None,
        }
    }
}

/// ` (byte N)` when the offset is known.
fn at_byte(offset: Option<usize>) -> String {
    offset.map(|offset| format!(" (byte {offset})")).unwrap_or_default()
}

/// The body of an answer, kept in an error for the caller's own debugging. It
/// may hold personal data (invitees' e-mail addresses), so `Debug` shows only
/// its length, and it has no `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct RawBody(Bytes);

impl RawBody {
    pub(crate) fn new(body: Bytes) -> Self {
        RawBody(body)
    }

    /// The body, as received.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Its length in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether it is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for RawBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawBody").field("len", &self.0.len()).finish()
    }
}

/// A failure to connect, send or read, with its causes (never the URL). Its
/// source chain leads to the underlying errors.
#[derive(Debug)]
pub struct TransportError(reqwest::Error);

impl TransportError {
    pub(crate) fn new(error: reqwest::Error) -> Self {
        TransportError(error.without_url())
    }

    /// Whether the connection could not be made (nothing was sent).
    pub fn is_connect(&self) -> bool {
        self.0.is_connect()
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&causes(&self.0))
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

/// A required field left unset when building a value by name
/// (`OrganizationInvitation::builder()…build()`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{type_name}` needs `{field}`, which was not set")]
#[non_exhaustive]
pub struct MissingField {
    /// The type being built.
    pub type_name: &'static str,
    /// The field's wire name.
    pub field: &'static str,
}

impl MissingField {
    /// The error for `field` of `type_name`; used by generated builders.
    #[doc(hidden)]
    pub fn new(type_name: &'static str, field: &'static str) -> Self {
        MissingField { type_name, field }
    }
}

/// Which time limit ended a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeoutKind {
    /// Connecting (TCP and TLS) took longer than the connect timeout.
    Connect,
    /// One attempt, from connecting to the last byte of the body, took longer
    /// than this (`ClientBuilder::timeout`, `Client::with_timeout`).
    Attempt(Duration),
    /// The whole call, retries and waits included, took longer than this
    /// (`ClientBuilder::deadline`, `Client::with_deadline`).
    Deadline(Duration),
}

impl fmt::Display for TimeoutKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TimeoutKind::Connect => write!(f, "timed out connecting"),
            TimeoutKind::Attempt(limit) => write!(f, "timed out: no complete answer within {limit:?}"),
            TimeoutKind::Deadline(limit) => write!(f, "timed out: the call passed its deadline of {limit:?}"),
        }
    }
}

/// How long the description of a transport failure may get.
const CAUSES: usize = 300;

/// The error and its sources, one after another: reqwest's own message says
/// little ("error sending request"); the cause ("invalid peer certificate:
/// UnknownIssuer") is what a reader needs.
fn causes(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        let message = cause.to_string();
        if !text.ends_with(&message) {
            text.push_str(": ");
            text.push_str(&message);
        }
        source = cause.source();
    }
    excerpt(text.as_bytes(), CAUSES)
}

/// Clerk's error envelope: `{"errors": [...], "clerk_trace_id": "..."}`. Every
/// field may be missing or `null` and unknown fields are ignored, so any version
/// of Clerk's answer is read.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ErrorBody {
    /// What went wrong, one entry per problem.
    #[serde(default, deserialize_with = "null_as_default")]
    pub errors: Vec<ErrorDetail>,
    /// Clerk's trace id for the request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clerk_trace_id: Option<String>,
}

/// One entry of Clerk's `errors[]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ErrorDetail {
    /// A stable, machine-readable code, e.g. `resource_not_found`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub code: String,
    /// A short message.
    #[serde(default, deserialize_with = "null_as_default")]
    pub message: String,
    /// A longer message, for people.
    #[serde(default, deserialize_with = "null_as_default")]
    pub long_message: String,
    /// Details of the error, e.g. `{"param_name": "email_address"}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<serde_json::Value>,
}

fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Option::<T>::deserialize(deserializer).map(Option::unwrap_or_default)
}

/// A non-2XX answer from Clerk. Its `Display` quotes only Clerk's own error
/// envelope (the first error's `code` and `message`, and the trace id), and
/// its `Debug` shows the body's length, never the body: an error body may hold
/// personal data (an invitee's e-mail address in `long_message`, or anything in
/// a proxy's page).
#[derive(Clone)]
#[non_exhaustive]
pub struct ApiError {
    /// The operationId of the call, e.g. `CreateOrganizationInvitation`.
    pub operation: &'static str,
    /// The HTTP status.
    pub status: u16,
    /// Clerk's error envelope, when the body was one.
    pub clerk: Option<ErrorBody>,
    /// The body as text when it was not Clerk's error envelope (at most
    /// `limits::ERROR_BODY` bytes).
    pub body: Option<String>,
    /// The `Retry-After` header, when sent (seconds or HTTP date) and in the future.
    pub retry_after: Option<Duration>,
    /// The response headers (`Clerk-Trace-Id`, rate-limit headers, `Location`, …).
    pub headers: http::HeaderMap,
    /// The body as received, cut at `limits::ERROR_BODY`.
    raw: RawBody,
    truncated: bool,
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `body` is the same text as `raw`: neither is shown.
        f.debug_struct("ApiError")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("clerk", &self.clerk)
            .field("retry_after", &self.retry_after)
            .field("headers", &self.headers)
            .field("raw", &self.raw)
            .field("truncated", &self.truncated)
            .finish_non_exhaustive()
    }
}

impl ApiError {
    pub(crate) fn new(
        operation: &'static str,
        status: u16,
        headers: http::HeaderMap,
        retry_after: Option<Duration>,
        raw: Bytes,
        truncated: bool,
    ) -> Self {
        let clerk = serde_json::from_slice::<ErrorBody>(&raw)
            .ok()
            .filter(|body| !body.errors.is_empty() || body.clerk_trace_id.is_some());
        let body = clerk.is_none().then(|| String::from_utf8_lossy(&raw).into_owned());
        ApiError { operation, status, clerk, body, retry_after, headers, raw: RawBody::new(raw), truncated }
    }

    /// The `code` of every error Clerk listed.
    pub fn codes(&self) -> Vec<&str> {
        self.clerk.iter().flat_map(|clerk| clerk.errors.iter().map(|e| e.code.as_str())).collect()
    }

    /// Clerk's trace id for this request, for support tickets: from the error
    /// body, else from the `Clerk-Trace-Id` header.
    pub fn clerk_trace_id(&self) -> Option<&str> {
        self.clerk
            .as_ref()
            .and_then(|clerk| clerk.clerk_trace_id.as_deref())
            .or_else(|| self.headers.get("clerk-trace-id").and_then(|value| value.to_str().ok()))
    }

    /// Where a 3XX pointed (the `Location` header). The client never follows it.
    pub fn location(&self) -> Option<&str> {
        self.headers.get(http::header::LOCATION).and_then(|value| value.to_str().ok())
    }

    /// The body as received: at most `limits::ERROR_BODY` bytes.
    pub fn raw_body(&self) -> &[u8] {
        self.raw.as_bytes()
    }

    /// Whether the body was longer than `limits::ERROR_BODY` and cut there.
    pub fn body_truncated(&self) -> bool {
        self.truncated
    }

    /// The body decoded as `T`, e.g. the spec's own error model:
    /// `error.body_as::<clerk_invitations::ClerkErrors>()`.
    pub fn body_as<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_slice(self.raw.as_bytes())
    }
}

/// How much of Clerk's text (a code, a message, a trace id) an error message
/// quotes.
const QUOTED: usize = 200;

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: HTTP {}", self.operation, self.status)?;
        if let Some(first) = self.clerk.as_ref().and_then(|clerk| clerk.errors.first()) {
            // Not `long_message` or `meta`: they name what failed (an address).
            write!(f, ": {}", excerpt(first.code.as_bytes(), QUOTED))?;
            if !first.message.is_empty() {
                write!(f, ": {}", excerpt(first.message.as_bytes(), QUOTED))?;
            }
        } else if self.clerk.is_none() && !self.raw.is_empty() {
            // Not Clerk's: a proxy's page, another service's JSON. Not quoted.
            let length = self.raw.len();
            match self.truncated {
                true => write!(f, " (a body of more than {length} bytes that is not Clerk's error envelope)")?,
                false => write!(f, " (a {length}-byte body that is not Clerk's error envelope)")?,
            }
        }
        if let Some(trace) = self.clerk_trace_id() {
            write!(f, " (clerk_trace_id {})", excerpt(trace.as_bytes(), QUOTED))?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// The first `limit` bytes of `text` as a string, cut on a character boundary.
pub(crate) fn excerpt(text: &[u8], limit: usize) -> String {
    let text = String::from_utf8_lossy(text);
    if text.len() <= limit {
        return text.into_owned();
    }
    let mut end = limit;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(body: &str) -> ApiError {
        ApiError::new("Op", 422, Default::default(), None, Bytes::from(body.to_owned()), false)
    }

    #[test]
    fn the_envelope_tolerates_missing_and_null_fields() {
        let error = api(r#"{"errors":[{"code":"c1"},{"code":null,"message":"m","meta":"odd"}],"extra":1}"#);
        assert_eq!(error.codes(), ["c1", ""]);
        assert_eq!(error.clerk_trace_id(), None);
        assert_eq!(error.body, None);
        assert_eq!(error.to_string(), "Op: HTTP 422: c1");
        let error = api(r#"{"errors":null,"clerk_trace_id":"t"}"#);
        assert_eq!((error.codes().len(), error.clerk_trace_id()), (0, Some("t")));
    }

    #[test]
    fn json_that_is_not_the_envelope_is_kept_as_text_and_decodes_on_request() {
        let error = api(r#"{"message":"upstream down"}"#);
        assert!(error.clerk.is_none());
        assert_eq!(error.body.as_deref(), Some(r#"{"message":"upstream down"}"#));
        let value: serde_json::Value = error.body_as().unwrap();
        assert_eq!(value["message"], "upstream down");
        assert!(error.body_as::<Vec<u8>>().is_err());
    }

    #[test]
    fn display_quotes_clerks_code_and_message_briefly() {
        let error = api(&format!(r#"{{"errors":[{{"code":"c","message":"{}"}}]}}"#, "x".repeat(100_000)));
        assert!(error.to_string().len() < 300, "{}", error.to_string().len());
        let error = api(r#"{"errors":[{"code":"c","message":"m","long_message":"alice@example.com exists"}]}"#);
        assert_eq!(error.to_string(), "Op: HTTP 422: c: m");
    }

    #[test]
    fn a_body_that_is_not_clerks_envelope_is_described_never_quoted() {
        let page = "<html>alice@example.com</html>".repeat(10);
        let error = api(&page);
        assert_eq!(
            error.to_string(),
            format!("Op: HTTP 422 (a {}-byte body that is not Clerk's error envelope)", page.len())
        );
        let debug = format!("{error:?}");
        assert!(!debug.contains("alice"), "{debug}");
        assert!(debug.contains(&format!("raw: RawBody {{ len: {} }}", page.len())), "{debug}");
        let cut = ApiError::new("Op", 502, Default::default(), None, Bytes::from_static(b"<html>"), true);
        assert_eq!(cut.to_string(), "Op: HTTP 502 (a body of more than 6 bytes that is not Clerk's error envelope)");
        assert_eq!(api("").to_string(), "Op: HTTP 422");
    }

    #[test]
    fn excerpt_cuts_on_a_character_boundary() {
        let body = "é".repeat(300);
        let cut = excerpt(body.as_bytes(), 201);
        assert!(cut.ends_with('…'));
        assert_eq!(cut.chars().count(), 101);
    }
}
