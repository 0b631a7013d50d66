//! The one error type of the client.
//!
//! An error answer's body is read as the API's description says
//! ([`ErrorFormat`]): its code, message and trace id through JSON pointers
//! into the body, so that the runtime compiles and reads whatever a document
//! declares. The document's own error model is one call away through
//! [`ApiError::body_as`].

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use serde::de::DeserializeOwned;

use crate::api::{strings_at, ErrorFormat, ErrorStyle};
use crate::operation::Operation;

/// Everything a call can fail with. Nothing here ever holds the secret key, no
/// message carries the request's URL (ids, e-mail addresses, an API key in the
/// query), and no message or `Debug` output quotes a response body beyond the
/// error's `code`, short `message` and trace id, as the API's [`ErrorFormat`]
/// places them: a body is one explicit call away, [`Error::raw_body`].
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The client could not be built (missing key, bad base URL, …).
    Config(String),
    /// An argument was refused before any request was sent.
    InvalidArgument {
        /// The operationId of the call.
        operation: &'static str,
        /// The argument refused (a parameter's or field's wire name).
        argument: &'static str,
        /// Why; never the value itself.
        reason: String,
    },
    /// The request body could not be serialised.
    Encode {
        /// The operationId of the call.
        operation: &'static str,
        /// What serde_json said.
        source: serde_json::Error,
    },
    /// The call did not finish in time; `kind` says which limit ended it.
    Timeout {
        /// The operationId of the call.
        operation: &'static str,
        /// Which limit ended it.
        kind: TimeoutKind,
    },
    /// Connecting, sending or reading failed. `source` never carries the URL.
    /// Like every variant with a source, its message says only its own part:
    /// the causes follow in the source chain (anyhow's `{:#}`, or
    /// [`Error::report`] for one line).
    Transport {
        /// The operationId of the call.
        operation: &'static str,
        /// What failed, with its causes.
        source: TransportError,
    },
    /// A successful response's body is larger than the client accepts
    /// (`ClientBuilder::max_response_body`). Not retried: it would be again.
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
    Pagination {
        /// The offset of the page that stopped it.
        offset: i64,
        /// Why.
        reason: &'static str,
    },
    /// The server answered with a status other than 2XX (3XX included:
    /// redirects are never followed).
    Api(Box<ApiError>),
}

/// Each variant's message is its own part only: a cause is the `source()`,
/// so a chain printer (anyhow's `{:#}`, [`Error::report`]) says it once.
impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Config(message) => write!(f, "invalid client configuration: {message}"),
            Error::InvalidArgument { operation, argument, reason } => {
                write!(f, "{operation}: invalid `{argument}`: {reason}")
            }
            Error::Encode { operation, .. } => write!(f, "{operation}: could not encode the request body"),
            Error::Timeout { operation, kind } => write!(f, "{operation}: {kind}"),
            Error::Transport { operation, .. } => write!(f, "{operation}: request failed"),
            Error::ResponseTooLarge { operation, limit } => {
                write!(f, "{operation}: the response body is larger than the limit of {limit} bytes")
            }
            Error::Decode { operation, status, path, offset, message, .. } => {
                write!(
                    f,
                    "{operation}: HTTP {status} response does not decode at `{path}`{}: {message}",
                    at_byte(*offset)
                )
            }
            Error::Pagination { offset, reason } => write!(f, "pagination stopped at offset {offset}: {reason}"),
            Error::Api(error) => fmt::Display::fmt(error, f),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Encode { source, .. } => Some(source),
            Error::Transport { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl Error {
    /// The API error, if the server answered with an error status.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(error) => Some(error),
            _ => None,
        }
    }

    /// The HTTP status, if the server answered with an error status.
    pub fn status(&self) -> Option<u16> {
        self.api().map(|error| error.status)
    }

    /// The error's first code (see [`ApiError::code`]), e.g.
    /// `resource_not_found`, if the server answered with an error body that has one.
    pub fn code(&self) -> Option<&str> {
        self.api().and_then(ApiError::code)
    }

    /// The server's trace id for the call (see [`ApiError::trace_id`]), for
    /// support tickets.
    pub fn trace_id(&self) -> Option<&str> {
        self.api().and_then(ApiError::trace_id)
    }

    /// Whether the server answered 404: the resource does not exist.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }

    /// Whether the server answered 429: too many requests.
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

    /// This error and its causes on one line, each said once, e.g.
    /// `GetOrganizationInvitation: request failed: error sending request:
    /// client error (Connect): tcp connect error: Connection refused`, at most
    /// 600 bytes: for a log line that prints one value
    /// (`tracing::warn!(error = %error.report())`). `Display` says only this
    /// level's part, as the source chain expects (anyhow's `{:#}` prints the
    /// same line).
    pub fn report(&self) -> Report<'_> {
        Report(self)
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
pub struct TransportError(Transport);

#[derive(Debug)]
enum Transport {
    Http(reqwest::Error),
    /// Made by a test (`TransportError::for_test`, feature `test-util`).
    #[cfg_attr(not(feature = "test-util"), allow(dead_code))]
    Test {
        message: String,
        connect: bool,
    },
}

impl TransportError {
    pub(crate) fn new(error: reqwest::Error) -> Self {
        TransportError(Transport::Http(error.without_url()))
    }

    /// Whether the connection could not be made (nothing was sent).
    pub fn is_connect(&self) -> bool {
        match &self.0 {
            Transport::Http(error) => error.is_connect(),
            Transport::Test { connect, .. } => *connect,
        }
    }
}

/// reqwest's own message ("error sending request"): what caused it is the
/// source, reqwest's own, so each level of the chain is said once.
impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Transport::Http(error) => fmt::Display::fmt(error, f),
            Transport::Test { message, .. } => f.write_str(message),
        }
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.0 {
            Transport::Http(error) => std::error::Error::source(error),
            Transport::Test { .. } => None,
        }
    }
}

#[cfg(feature = "test-util")]
impl TransportError {
    /// A failure to connect (`connect`: nothing was sent, `is_connect()` is
    /// true) or to send or read, saying `message`, with no cause.
    pub fn for_test(message: impl Into<String>, connect: bool) -> Self {
        TransportError(Transport::Test { message: message.into(), connect })
    }
}

#[cfg(feature = "test-util")]
impl RawBody {
    /// A body as received, for an `Error::Decode` built by a test.
    pub fn for_test(body: impl Into<Bytes>) -> Self {
        RawBody::new(body.into())
    }
}

/// A required field left unset when building a value by name
/// (`OrganizationInvitation::builder()…build()`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct MissingField {
    /// The type being built.
    pub type_name: &'static str,
    /// The field's wire name.
    pub field: &'static str,
}

impl fmt::Display for MissingField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` needs `{}`, which was not set", self.type_name, self.field)
    }
}

impl std::error::Error for MissingField {}

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

/// How long [`Error::report`] may get.
const REPORT: usize = 600;

/// An error and its causes on one line, for a log that prints one value: see
/// [`Error::report`].
pub struct Report<'e>(&'e Error);

impl fmt::Display for Report<'_> {
    /// Each level's message after the one before it, skipping a message its
    /// predecessor already ends with (some libraries repeat their source's).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut text = self.0.to_string();
        let mut source = std::error::Error::source(self.0);
        while let Some(cause) = source {
            let message = cause.to_string();
            if !text.ends_with(&message) {
                text.push_str(": ");
                text.push_str(&message);
            }
            source = cause.source();
        }
        f.write_str(&excerpt(text.as_bytes(), REPORT))
    }
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// A non-2XX answer. Its `Display` quotes only the error's code, short
/// message and trace id, as the API's [`ErrorFormat`] places them in the body,
/// and its `Debug` shows the body's length, never the body: an error body may
/// hold personal data (an e-mail address in a longer message, or anything in
/// a proxy's page).
#[derive(Clone)]
#[non_exhaustive]
pub struct ApiError {
    /// The operationId of the call, e.g. `CreateOrganizationInvitation`.
    pub operation: &'static str,
    /// The HTTP status.
    pub status: u16,
    /// The body as text when it was not in the API's error format (at most
    /// `limits::ERROR_BODY` bytes).
    pub body: Option<String>,
    /// The `Retry-After` header, when sent (seconds or HTTP date) and in the future.
    pub retry_after: Option<Duration>,
    /// The response headers (a trace id, rate-limit headers, `Location`, …).
    pub headers: http::HeaderMap,
    /// The body as received, cut at `limits::ERROR_BODY`.
    raw: RawBody,
    truncated: bool,
    /// Where the API keeps codes, messages and trace ids.
    format: ErrorFormat,
    /// The body, when it is JSON in the API's error format.
    json: Option<serde_json::Value>,
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `body` and `json` hold the same text as `raw`: none is shown.
        f.debug_struct("ApiError")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("codes", &self.codes())
            .field("trace_id", &self.trace_id())
            .field("retry_after", &self.retry_after)
            .field("headers", &self.headers)
            .field("raw", &self.raw)
            .field("truncated", &self.truncated)
            .finish_non_exhaustive()
    }
}

impl ApiError {
    pub(crate) fn new(
        operation: &Operation,
        status: u16,
        headers: http::HeaderMap,
        retry_after: Option<Duration>,
        raw: Bytes,
        truncated: bool,
    ) -> Self {
        Self::from_parts(operation.id, operation.api.errors, status, headers, retry_after, raw, truncated)
    }

    /// [`ApiError::new`] from the operationId and the API's error format.
    pub(crate) fn from_parts(
        operation: &'static str,
        format: ErrorFormat,
        status: u16,
        headers: http::HeaderMap,
        retry_after: Option<Duration>,
        raw: Bytes,
        truncated: bool,
    ) -> Self {
        let json = match format.style {
            ErrorStyle::Status => None,
            ErrorStyle::Schema(_) | ErrorStyle::Problem => serde_json::from_slice::<serde_json::Value>(&raw)
                .ok()
                .filter(|json| json.is_object() && in_format(&format, json)),
        };
        let body = json.is_none().then(|| String::from_utf8_lossy(&raw).into_owned());
        ApiError { operation, status, body, retry_after, headers, raw: RawBody::new(raw), truncated, format, json }
    }

    /// Every error code the body lists, where the API's [`ErrorFormat`] puts
    /// them (`errors[*].code` for an error envelope, `type` for problem details).
    pub fn codes(&self) -> Vec<&str> {
        self.strings(self.format.code)
    }

    /// The first error code, e.g. `resource_not_found`.
    pub fn code(&self) -> Option<&str> {
        self.codes().into_iter().next()
    }

    /// The error's short message (the first error's `message`; a problem's
    /// `title`).
    pub fn message(&self) -> Option<&str> {
        self.strings(self.format.message).into_iter().next()
    }

    /// The server's trace or request id for this call, for support tickets:
    /// from the error body where the API's format has one, else from its
    /// trace header.
    pub fn trace_id(&self) -> Option<&str> {
        self.strings(self.format.trace_id).into_iter().next().or_else(|| {
            let header = self.format.trace_header?;
            self.headers.get(header).and_then(|value| value.to_str().ok())
        })
    }

    /// The body as JSON, when it is in the API's error format.
    pub fn json(&self) -> Option<&serde_json::Value> {
        self.json.as_ref()
    }

    /// The strings `pointer` reaches in the body.
    fn strings(&self, pointer: Option<&str>) -> Vec<&str> {
        let mut out = Vec::new();
        if let (Some(json), Some(pointer)) = (&self.json, pointer) {
            strings_at(json, pointer, &mut out);
        }
        out
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

    /// The body decoded as `T`, e.g. the document's own error model.
    pub fn body_as<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_slice(self.raw.as_bytes())
    }
}

/// Whether `json` has any of what `format` looks for: a body that has none is
/// some other JSON (a proxy's, another service's), not the API's error.
fn in_format(format: &ErrorFormat, json: &serde_json::Value) -> bool {
    [format.code, format.message, format.trace_id].into_iter().flatten().any(|pointer| {
        let mut found = Vec::new();
        strings_at(json, pointer, &mut found);
        !found.is_empty()
    })
}

/// How much of the server's text (a code, a message, a trace id) an error
/// message quotes.
const QUOTED: usize = 200;

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: HTTP {}", self.operation, self.status)?;
        let message = self.message().filter(|message| !message.is_empty());
        // Never a longer message or details: they name what failed (an address).
        for part in [self.code(), message].into_iter().flatten() {
            write!(f, ": {}", excerpt(part.as_bytes(), QUOTED))?;
        }
        if self.json.is_none() && !self.raw.is_empty() {
            // A proxy's page, another service's JSON: described, not quoted.
            let length = self.raw.len();
            let what = match self.format.style {
                ErrorStyle::Status => "",
                ErrorStyle::Schema(_) | ErrorStyle::Problem => " that is not in the API's error format",
            };
            match self.truncated {
                true => write!(f, " (a body of more than {length} bytes{what})")?,
                false => write!(f, " (a {length}-byte body{what})")?,
            }
        }
        if let Some(trace) = self.trace_id() {
            write!(f, " ({} {})", self.format.trace_label(), excerpt(trace.as_bytes(), QUOTED))?;
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
    use crate::api::Api;
    use crate::operation::{HttpMethod, RetrySafety};

    /// An error envelope with a list of errors, described as codegen would.
    static ENVELOPE: Api = api_with(ErrorFormat {
        style: ErrorStyle::Schema("Errors"),
        code: Some("/errors/*/code"),
        message: Some("/errors/0/message"),
        trace_id: Some("/trace_id"),
        trace_header: Some("x-trace-id"),
    });
    static PROBLEM: Api = api_with(ErrorFormat::PROBLEM);
    static STATUS: Api = api_with(ErrorFormat::STATUS);

    const fn api_with(errors: ErrorFormat) -> Api {
        Api { default_base_url: None, user_agent: "t", headers: &[], schemes: &[], secret_var: None, errors }
    }

    fn error_of(api: &'static Api, status: u16, body: &str, truncated: bool) -> ApiError {
        // Leaked once per test value: `Operation` is `'static` in generated code.
        let operation: &'static Operation = Box::leak(Box::new(Operation {
            id: "Op",
            method: HttpMethod::Get,
            path: "/",
            safety: RetrySafety::Idempotent,
            backoff: None,
            security: &[],
            api,
        }));
        ApiError::new(operation, status, Default::default(), None, Bytes::from(body.to_owned()), truncated)
    }

    fn api(body: &str) -> ApiError {
        error_of(&ENVELOPE, 422, body, false)
    }

    #[test]
    fn the_envelope_tolerates_missing_and_null_fields() {
        let error = api(r#"{"errors":[{"code":"c1"},{"code":null,"message":"m","meta":"odd"}],"extra":1}"#);
        assert_eq!(error.codes(), ["c1"]);
        assert_eq!(error.trace_id(), None);
        assert_eq!(error.body, None);
        assert_eq!(error.to_string(), "Op: HTTP 422: c1");
        let error = api(r#"{"errors":null,"trace_id":"t"}"#);
        assert_eq!((error.codes().len(), error.trace_id()), (0, Some("t")));
        assert_eq!(error.to_string(), "Op: HTTP 422 (trace_id t)");
    }

    #[test]
    fn the_trace_id_falls_back_to_the_header() {
        let mut error = api(r#"{"errors":[{"code":"c"}]}"#);
        error.headers.insert("x-trace-id", http::HeaderValue::from_static("from-header"));
        assert_eq!(error.trace_id(), Some("from-header"));
        assert_eq!(error.to_string(), "Op: HTTP 422: c (trace_id from-header)");
    }

    #[test]
    fn json_that_is_not_the_envelope_is_kept_as_text_and_decodes_on_request() {
        let error = api(r#"{"message":"upstream down"}"#);
        assert!(error.json().is_none() && error.code().is_none());
        assert_eq!(error.body.as_deref(), Some(r#"{"message":"upstream down"}"#));
        let value: serde_json::Value = error.body_as().unwrap();
        assert_eq!(value["message"], "upstream down");
        assert!(error.body_as::<Vec<u8>>().is_err());
    }

    #[test]
    fn display_quotes_the_code_and_short_message_briefly() {
        let error = api(&format!(r#"{{"errors":[{{"code":"c","message":"{}"}}]}}"#, "x".repeat(100_000)));
        assert!(error.to_string().len() < 300, "{}", error.to_string().len());
        let error = api(r#"{"errors":[{"code":"c","message":"m","long_message":"alice@example.com exists"}]}"#);
        assert_eq!(error.to_string(), "Op: HTTP 422: c: m");
        assert_eq!(error.message(), Some("m"));
    }

    #[test]
    fn a_body_that_is_not_the_envelope_is_described_never_quoted() {
        let page = "<html>alice@example.com</html>".repeat(10);
        let error = api(&page);
        assert_eq!(
            error.to_string(),
            format!("Op: HTTP 422 (a {}-byte body that is not in the API's error format)", page.len())
        );
        let debug = format!("{error:?}");
        assert!(!debug.contains("alice"), "{debug}");
        assert!(debug.contains(&format!("raw: RawBody {{ len: {} }}", page.len())), "{debug}");
        let cut = error_of(&ENVELOPE, 502, "<html>", true);
        assert_eq!(cut.to_string(), "Op: HTTP 502 (a body of more than 6 bytes that is not in the API's error format)");
        assert_eq!(api("").to_string(), "Op: HTTP 422");
    }

    #[test]
    fn problem_details_give_the_type_and_title_never_the_detail() {
        let body = r#"{"type":"https://example.com/probs/out-of-credit","title":"Out of credit",
            "detail":"alice@example.com has 30, needs 50","status":403}"#;
        let error = error_of(&PROBLEM, 403, body, false);
        assert_eq!(error.code(), Some("https://example.com/probs/out-of-credit"));
        assert_eq!(error.message(), Some("Out of credit"));
        assert_eq!(error.to_string(), "Op: HTTP 403: https://example.com/probs/out-of-credit: Out of credit");
        assert_eq!(error.json().unwrap()["status"], 403);
    }

    #[test]
    fn with_no_error_format_an_error_is_its_status() {
        let error = error_of(&STATUS, 500, r#"{"errors":[{"code":"c","message":"m"}],"title":"t"}"#, false);
        assert_eq!((error.code(), error.message(), error.json()), (None, None, None));
        assert_eq!(error.to_string(), format!("Op: HTTP 500 (a {}-byte body)", error.raw_body().len()));
    }

    #[test]
    fn excerpt_cuts_on_a_character_boundary() {
        let body = "é".repeat(300);
        let cut = excerpt(body.as_bytes(), 201);
        assert!(cut.ends_with('…'));
        assert_eq!(cut.chars().count(), 101);
    }
}
