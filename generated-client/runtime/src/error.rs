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

/// Everything a call can fail with. Nothing here ever holds the secret key, and
/// no message carries the request's URL (ids, e-mail addresses in the query).
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
    /// A successful response whose body does not fit the spec's type.
    #[error("{operation}: HTTP {status} response does not decode at `{path}`: {message}; body starts with: {excerpt}")]
    Decode {
        /// The operationId of the call.
        operation: &'static str,
        /// The response's status.
        status: u16,
        /// Where decoding failed, e.g. `data[3].created_at`.
        path: String,
        /// What serde said, cut short.
        message: String,
        /// The first bytes of the body, for the log.
        excerpt: String,
    },
    /// Auto-pagination could not go on (see `Items`).
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

/// A non-2XX answer from Clerk.
#[derive(Debug, Clone)]
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
    raw: Bytes,
    truncated: bool,
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
        ApiError { operation, status, clerk, body, retry_after, headers, raw, truncated }
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
        &self.raw
    }

    /// Whether the body was longer than `limits::ERROR_BODY` and cut there.
    pub fn body_truncated(&self) -> bool {
        self.truncated
    }

    /// The body decoded as `T`, e.g. the spec's own error model:
    /// `error.body_as::<clerk_invitations::ClerkErrors>()`.
    pub fn body_as<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_slice(&self.raw)
    }
}

/// How much of the server's text an error message quotes.
const QUOTED: usize = 200;

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: HTTP {}", self.operation, self.status)?;
        if let Some(first) = self.clerk.as_ref().and_then(|clerk| clerk.errors.first()) {
            let message = if first.long_message.is_empty() { &first.message } else { &first.long_message };
            write!(f, ": {}", excerpt(first.code.as_bytes(), QUOTED))?;
            if !message.is_empty() {
                write!(f, ": {}", excerpt(message.as_bytes(), QUOTED))?;
            }
        } else if let Some(body) = self.body.as_deref().filter(|body| !body.is_empty()) {
            write!(f, ": {}", excerpt(body.as_bytes(), QUOTED))?;
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
    fn display_quotes_the_server_briefly() {
        let error = api(&format!(r#"{{"errors":[{{"code":"c","long_message":"{}"}}]}}"#, "x".repeat(100_000)));
        assert!(error.to_string().len() < 300, "{}", error.to_string().len());
        let error = api(&"<html>".repeat(10_000));
        assert!(error.to_string().len() < 300, "{}", error.to_string().len());
    }

    #[test]
    fn excerpt_cuts_on_a_character_boundary() {
        let body = "é".repeat(300);
        let cut = excerpt(body.as_bytes(), 201);
        assert!(cut.ends_with('…'));
        assert_eq!(cut.chars().count(), 101);
    }
}
