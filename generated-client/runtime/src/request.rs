//! One call: the request a generated method describes, sent (and retried as the
//! spec allows) inside a `tracing` span.

use std::error::Error as StdError;
use std::time::{Duration, SystemTime};

use bytes::{Bytes, BytesMut};
use http::{HeaderMap, HeaderName, HeaderValue};
use reqwest::header::{ACCEPT, CONTENT_TYPE, COOKIE, RETRY_AFTER};
use serde::de::DeserializeOwned;
use serde::Serialize;
use tokio::sync::SemaphorePermit;
use tracing::Instrument;

use crate::auth::{self, Credential};
use crate::decode::decode;
use crate::error::{ApiError, TimeoutKind};
use crate::multipart::{Encoded, Multipart};
use crate::operation::Operation;
use crate::paginate::BodyDigest;
use crate::retry::{self, Failure};
use crate::{limits, Client, Error, Response};

/// A request built by a generated call: path already encoded, query pairs in
/// spec order, its body, and the caller's extra headers.
#[derive(Debug)]
pub struct Request {
    operation: &'static Operation,
    path: String,
    query: Vec<(&'static str, String)>,
    body: Option<Body>,
    /// The headers the call adds, and their size (names and values) so far.
    headers: HeaderMap,
    header_bytes: usize,
    /// The `Accept` header, when it is not JSON.
    accept: Option<&'static str>,
}

/// A request's parts, as a mock's expectation reads them (feature `test-util`).
#[cfg(feature = "test-util")]
pub(crate) struct Parts<'a> {
    pub(crate) operation: &'static Operation,
    /// Encoded, relative to the base URL.
    pub(crate) path: &'a str,
    pub(crate) query: &'a [(&'static str, String)],
    pub(crate) json: Option<&'a Bytes>,
    /// The call's own headers (header parameters and `header()`).
    pub(crate) headers: &'a HeaderMap,
}

/// A request's body as the generated call gave it.
#[derive(Debug)]
enum Body {
    /// Serialised already, and cheap to send again.
    Json(Bytes),
    /// Text written as added, files kept aside: one body once it is known to
    /// fit the cap, when the call is sent.
    Form(Multipart),
}

impl Request {
    /// What the request holds, for a mock's expectation (feature `test-util`).
    #[cfg(feature = "test-util")]
    pub(crate) fn parts(&self) -> Parts<'_> {
        let json = match &self.body {
            Some(Body::Json(bytes)) => Some(bytes),
            _ => None,
        };
        Parts { operation: self.operation, path: &self.path, query: &self.query, json, headers: &self.headers }
    }

    /// The operationId, for a refusal.
    pub(crate) fn operation_id(&self) -> &'static str {
        self.operation.id
    }

    /// A request for `operation` to `path` (relative to the base URL, encoded).
    pub fn new(operation: &'static Operation, path: String) -> Self {
        Request {
            operation,
            path,
            query: Vec::new(),
            body: None,
            headers: HeaderMap::new(),
            header_bytes: 0,
            accept: None,
        }
    }

    /// `form` as the `multipart/form-data` body.
    pub fn multipart(mut self, form: Multipart) -> Self {
        self.body = Some(Body::Form(form));
        self
    }

    /// Asks for `media_types` (an `Accept` value the generator wrote, such as
    /// `image/png, application/json`) instead of JSON alone.
    pub fn accept(mut self, media_types: &'static str) -> Self {
        self.accept = Some(media_types);
        self
    }

    /// The query pairs, in order; values are encoded when the URL is built.
    pub fn query(mut self, query: Vec<(&'static str, String)>) -> Self {
        self.query = query;
        self
    }

    /// `body` serialised as the JSON body.
    pub fn json<B: Serialize + ?Sized>(mut self, body: &B) -> Result<Self, Error> {
        let bytes =
            serde_json::to_vec(body).map_err(|source| Error::Encode { operation: self.operation.id, source })?;
        self.body = Some(Body::Json(Bytes::from(bytes)));
        Ok(self)
    }

    /// Adds the header parameter `name` (a spec's name, checked by the generator)
    /// with `value`, refused like a header added with [`headers`](Self::headers).
    pub fn header_param(mut self, name: &'static str, value: &str) -> Result<Self, Error> {
        self.add_header(name, name, value)?;
        Ok(self)
    }

    /// Adds the caller's headers, refusing before any I/O: names and values
    /// HTTP does not allow (a CR or LF would end the header and start
    /// another), the names in `limits::REFUSED_HEADERS` and the API's own
    /// (its constant headers, the headers its API keys go in), a value longer
    /// than `limits::HEADER_VALUE`, and more than `limits::HEADERS` in all.
    pub fn headers(mut self, headers: &[(String, String)]) -> Result<Self, Error> {
        for (name, value) in headers {
            self.add_header("header", name, value)?;
        }
        Ok(self)
    }

    /// Checks one header a call adds and adds it; a refusal names `argument`
    /// and never quotes the value.
    fn add_header(&mut self, argument: &'static str, name: &str, value: &str) -> Result<(), Error> {
        let invalid = |reason: String| Error::InvalidArgument { operation: self.operation.id, argument, reason };
        let name =
            HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid("is not a valid header name".to_owned()))?;
        if let Some(refused) = limits::REFUSED_HEADERS.iter().find(|refused| **refused == name.as_str()) {
            return Err(invalid(format!(
                "`{refused}` is a header a call may not set: the client sets it, HTTP manages it, or it carries \
                 credentials (see `limits::REFUSED_HEADERS`)"
            )));
        }
        if let Some(refused) = api_headers(self.operation.api).find(|own| name.as_str().eq_ignore_ascii_case(own)) {
            return Err(invalid(format!(
                "`{refused}` is a header a call may not set: the client sends it with every call of this API, or \
                 an API key goes in it"
            )));
        }
        if value.len() > limits::HEADER_VALUE {
            let reason = format!("is {} bytes long, over the limit of {} bytes", value.len(), limits::HEADER_VALUE);
            return Err(invalid(reason));
        }
        let total = self.header_bytes.saturating_add(name.as_str().len() + value.len());
        if total > limits::HEADERS {
            let reason =
                format!("would make the call's headers {total} bytes, over the limit of {} bytes", limits::HEADERS);
            return Err(invalid(reason));
        }
        let value = HeaderValue::from_str(value).map_err(|_| {
            invalid("is not a valid header value (control characters such as CR and LF are not allowed)".to_owned())
        })?;
        self.headers.append(name, value);
        self.header_bytes = total;
        Ok(())
    }
}

/// The headers the client sets for every call of `api`: its constant headers,
/// and those its API keys go in.
fn api_headers(api: &'static crate::Api) -> impl Iterator<Item = &'static str> {
    let keys = api.schemes.iter().filter_map(|scheme| match scheme.kind {
        crate::SchemeKind::Header(name) => Some(name),
        _ => None,
    });
    api.headers.iter().map(|(name, _)| *name).chain(keys)
}

/// Built at compile time: no parsing or allocation per request.
const JSON: HeaderValue = HeaderValue::from_static("application/json");

/// The time an attempt has: the client's timeout, or what is left of the
/// deadline when that is shorter (its timeout then reads as the deadline's).
#[derive(Clone, Copy)]
enum Limit {
    Attempt(Duration),
    Deadline(Duration),
}

/// What one attempt ended with.
enum Attempt {
    Success(Success),
    Failed { failure: Failure, error: Error },
}

/// A 2XX answer, its headers kept only when the caller asked for them.
struct Success {
    status: u16,
    headers: Option<HeaderMap>,
    body: Bytes,
}

impl Client {
    /// Sends `request` and decodes a 2XX body as `T`.
    #[doc(hidden)]
    pub async fn send<T: DeserializeOwned>(&self, request: Request) -> Result<T, Error> {
        let operation = request.operation.id;
        let success = self.exchange(request, false).await?;
        decode(operation, success.status, &success.body)
    }

    /// Sends `request`, decodes a 2XX body as `T` and keeps the status and headers.
    #[doc(hidden)]
    pub async fn send_with_metadata<T: DeserializeOwned>(&self, request: Request) -> Result<Response<T>, Error> {
        let operation = request.operation;
        let success = self.exchange(request, true).await?;
        let value = decode(operation.id, success.status, &success.body)?;
        Ok(Response::new(value, success.status, success.headers.unwrap_or_default(), operation.api.errors.trace_header))
    }

    /// Sends `request` for one page of a list: decodes a 2XX body as `T` and
    /// returns it with the digest of the body, by which `Pages` tells a page
    /// from one it already received.
    #[doc(hidden)]
    pub async fn send_page<T: DeserializeOwned>(&self, request: Request) -> Result<(T, BodyDigest), Error> {
        let operation = request.operation.id;
        let success = self.exchange(request, false).await?;
        let value = decode(operation, success.status, &success.body)?;
        Ok((value, BodyDigest::of(&success.body)))
    }

    /// Sends `request` and hands the 2XX answer's status and body to `decode`:
    /// for operations whose success is raw bytes, or whose type depends on the
    /// status.
    #[doc(hidden)]
    pub async fn send_decoding<T>(&self, request: Request, decode: Decoder<T>) -> Result<T, Error> {
        let operation = request.operation.id;
        let success = self.exchange(request, false).await?;
        decode(operation, success.status, success.body)
    }

    /// Sends `request` like [`send_decoding`](Self::send_decoding), and keeps
    /// the status and headers.
    #[doc(hidden)]
    pub async fn send_decoding_with_metadata<T>(
        &self,
        request: Request,
        decode: Decoder<T>,
    ) -> Result<Response<T>, Error> {
        let operation = request.operation;
        let success = self.exchange(request, true).await?;
        let value = decode(operation.id, success.status, success.body)?;
        Ok(Response::new(value, success.status, success.headers.unwrap_or_default(), operation.api.errors.trace_header))
    }

    /// Sends `request` for an operation whose success carries no content.
    #[doc(hidden)]
    pub async fn send_without_content(&self, request: Request) -> Result<Response<()>, Error> {
        let trace_header = request.operation.api.errors.trace_header;
        let success = self.exchange(request, true).await?;
        Ok(Response::new((), success.status, success.headers.unwrap_or_default(), trace_header))
    }

    /// Sends the request, retrying as the operation's safety and backoff allow,
    /// all within the client's deadline; returns the 2XX answer, or the last error.
    async fn exchange(&self, mut request: Request, keep_headers: bool) -> Result<Success, Error> {
        let operation = request.operation;
        let credentials = auth::choose(&self.shared.credentials, operation)?;
        // Parsed when the client was built, for its own API; a client shared
        // with another generated crate parses that crate's here.
        let parsed;
        let constant: &[(HeaderName, HeaderValue)] = if std::ptr::eq(operation.api, self.shared.api) {
            &self.shared.constant_headers
        } else {
            parsed =
                constant_headers(operation.api).map_err(|why| Error::Config(format!("{}: {why}", operation.id)))?;
            &parsed
        };
        let url = self.url(&request, &credentials)?;
        let payload = self.payload(&mut request)?;
        let span = tracing::info_span!(
            "api_call",
            operation = operation.id,
            method = operation.method.as_str(),
            path = operation.path,
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
            trace_id = tracing::field::Empty,
        );
        let extras = Extras { url: &url, credentials: &credentials, constant };
        let call = async {
            // Tokio's clock, not the system's: it is the one the waits and the
            // deadline run on (and the one tests can pause).
            let started = tokio::time::Instant::now();
            let mut attempt = 1;
            loop {
                span.record("attempt", attempt);
                // Waiting for a slot counts against the deadline, not the attempt.
                let Some(slot) = self.slot(started).await else {
                    let kind = TimeoutKind::Deadline(self.deadline);
                    return Err(Error::Timeout { operation: operation.id, kind });
                };
                // The deadline needs no timer of its own: an attempt that would
                // end past it gets the time left as its timeout, which reqwest
                // applies until the body's last byte; waits are checked below.
                let left = self.deadline.saturating_sub(started.elapsed());
                let limit = if left < self.timeout { Limit::Deadline(left) } else { Limit::Attempt(self.timeout) };
                let outcome = self.attempt(&span, &request, extras, payload.as_ref(), keep_headers, limit).await;
                // Free for other calls while this one waits to retry.
                drop(slot);
                let (failure, error) = match outcome {
                    Attempt::Success(success) => return Ok(success),
                    Attempt::Failed {
                        error: error @ Error::Timeout { kind: TimeoutKind::Deadline(_), .. }, ..
                    } => return Err(error),
                    Attempt::Failed { failure, error } => (failure, error),
                };
                let elapsed = started.elapsed();
                let Some(wait) = retry::delay(self.retries, operation, failure, attempt, elapsed) else {
                    return Err(error);
                };
                // Waiting past the deadline would only trade this error for a timeout.
                if elapsed.saturating_add(wait) >= self.deadline {
                    return Err(error);
                }
                let status = match failure {
                    Failure::Status { status, .. } => Some(status),
                    _ => None,
                };
                tracing::warn!(
                    operation = operation.id,
                    attempt,
                    delay_ms = wait.as_millis() as u64,
                    status,
                    error = %error,
                    "retrying"
                );
                tokio::time::sleep(wait).await;
                attempt += 1;
            }
        };
        call.instrument(span.clone()).await
    }

    /// A slot among the client's calls in flight, for one attempt; `None` when
    /// the call's deadline passes first. Held per attempt rather than per call,
    /// so that a call waiting out a backoff or `Retry-After` leaves its slot to
    /// others: only sending and reading hold a connection.
    async fn slot(&self, started: tokio::time::Instant) -> Option<SemaphorePermit<'_>> {
        // The usual case, a free slot, needs no timer.
        if let Ok(slot) = self.shared.in_flight.try_acquire() {
            return Some(slot);
        }
        let left = self.deadline.saturating_sub(started.elapsed());
        // `acquire` fails only on a closed semaphore; the client never closes it.
        tokio::time::timeout(left, self.shared.in_flight.acquire()).await.ok()?.ok()
    }

    /// The request's URL, with the API keys that go in the query last, refused
    /// before any I/O when it could not be built or is longer than
    /// `limits::URL`. Never shown: it may hold a key.
    fn url(&self, request: &Request, credentials: &[&Credential]) -> Result<url::Url, Error> {
        let operation = request.operation.id;
        let refuse = |reason: String| Error::InvalidArgument { operation, argument: "url", reason };
        // The base URL was parsed once, when the client was built; only the path
        // is parsed here (url has no way to take an already encoded one as is).
        let mut url = self.shared.base_url.clone();
        let base = url.path().trim_end_matches('/');
        let mut path = String::with_capacity(base.len() + request.path.len());
        path.push_str(base);
        path.push_str(&request.path);
        url.set_path(&path);
        let keys = credentials.iter().filter_map(|credential| match &credential.sent {
            auth::Sent::Query(name, secret) => Some((*name, secret.as_str())),
            _ => None,
        });
        let mut keys = keys.peekable();
        if !request.query.is_empty() || keys.peek().is_some() {
            let mut pairs = url.query_pairs_mut();
            pairs.extend_pairs(request.query.iter().map(|(name, value)| (*name, value.as_str())));
            pairs.extend_pairs(keys);
        }
        let length = url.as_str().len();
        if length > limits::URL {
            return Err(refuse(format!("would be {length} bytes long, over the limit of {} bytes", limits::URL)));
        }
        Ok(url)
    }

    /// The request's body, taken out of it and encoded once for every
    /// attempt, refused before any I/O when it is larger than the client's cap.
    fn payload(&self, request: &mut Request) -> Result<Option<Encoded>, Error> {
        let operation = request.operation.id;
        let limit = self.shared.max_request_body;
        match request.body.take() {
            None => Ok(None),
            Some(Body::Json(bytes)) if bytes.len() > limit => Err(Error::InvalidArgument {
                operation,
                argument: "body",
                reason: format!("is {} bytes, over the limit of {limit} bytes", bytes.len()),
            }),
            Some(Body::Json(bytes)) => Ok(Some(Encoded { content_type: JSON, body: bytes })),
            Some(Body::Form(form)) => form.encode(operation, limit).map(Some),
        }
    }

    async fn attempt(
        &self,
        span: &tracing::Span,
        request: &Request,
        extras: Extras<'_>,
        payload: Option<&Encoded>,
        keep_headers: bool,
        time_limit: Limit,
    ) -> Attempt {
        let operation = request.operation;
        let mut builder = self.shared.http.request(operation.method.to_reqwest(), extras.url.clone());
        for (name, value) in extras.constant {
            builder = builder.header(name.clone(), value.clone());
        }
        let mut cookies: Option<String> = None;
        for credential in extras.credentials {
            match &credential.sent {
                auth::Sent::Header(name, value) => builder = builder.header(name.clone(), value.clone()),
                auth::Sent::Cookie(pair) => match &mut cookies {
                    Some(all) => {
                        all.push_str("; ");
                        all.push_str(pair);
                    }
                    None => cookies = Some(pair.clone()),
                },
                auth::Sent::Query(..) => {}
            }
        }
        if let Some(cookies) = cookies {
            // Checked when the client was built: each pair is a valid value.
            if let Ok(mut value) = HeaderValue::from_str(&cookies) {
                value.set_sensitive(true);
                builder = builder.header(COOKIE, value);
            }
        }
        let timeout = match time_limit {
            Limit::Attempt(timeout) | Limit::Deadline(timeout) => timeout,
        };
        if self.shared.http_timeout != Some(timeout) {
            builder = builder.timeout(timeout);
        }
        builder = match request.accept {
            Some(media_types) => builder.header(ACCEPT, media_types),
            None => builder.header(ACCEPT, JSON),
        };
        if let Some(payload) = payload {
            // A `Bytes` body of known length: reqwest sends its `Content-Length`.
            builder = builder.header(CONTENT_TYPE, payload.content_type.clone()).body(payload.body.clone());
        }
        if !request.headers.is_empty() {
            builder = builder.headers(request.headers.clone());
        }
        let mut response = match builder.send().await {
            Ok(response) => response,
            Err(source) => return self.transport(operation.id, source, time_limit),
        };
        let status = response.status().as_u16();
        span.record("status", status);
        // Nobody listens to a disabled span: skip the header lookup.
        if let Some(header) = operation.api.errors.trace_header.filter(|_| !span.is_disabled()) {
            if let Some(trace) = response.headers().get(header).and_then(|value| value.to_str().ok()) {
                span.record("trace_id", trace);
            }
        }

        if (200..300).contains(&status) {
            let limit = self.shared.max_response_body;
            let too_large = Attempt::Failed {
                failure: Failure::Permanent,
                error: Error::ResponseTooLarge { operation: operation.id, limit },
            };
            if response.content_length().is_some_and(|length| length > limit as u64) {
                return too_large;
            }
            let headers = keep_headers.then(|| std::mem::take(response.headers_mut()));
            return match read_at_most(&mut response, limit).await {
                Ok((body, false)) => Attempt::Success(Success { status, headers, body }),
                Ok((_, true)) => too_large,
                Err(source) => self.transport(operation.id, source, time_limit),
            };
        }

        // Only an error keeps the headers: `Retry-After`, `Location`, the trace id.
        let headers = std::mem::take(response.headers_mut());
        let (body, truncated) = match read_at_most(&mut response, limits::ERROR_BODY).await {
            Ok(read) => read,
            Err(source) => return self.transport(operation.id, source, time_limit),
        };
        let retry_after = headers
            .get(RETRY_AFTER)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| retry::parse_retry_after(value, SystemTime::now()));
        let error = ApiError::new(operation, status, headers, retry_after, body, truncated);
        if let Some(trace) = error.trace_id() {
            span.record("trace_id", trace);
        }
        let failure = Failure::Status { status, retry_after: error.retry_after };
        Attempt::Failed { failure, error: Error::Api(Box::new(error)) }
    }

    fn transport(&self, operation: &'static str, source: reqwest::Error, time_limit: Limit) -> Attempt {
        let failure = classify(&source);
        let error = if source.is_timeout() {
            let kind = match time_limit {
                _ if failure == Failure::Unsent => TimeoutKind::Connect,
                Limit::Attempt(timeout) => TimeoutKind::Attempt(timeout),
                Limit::Deadline(_) => TimeoutKind::Deadline(self.deadline),
            };
            Error::Timeout { operation, kind }
        } else {
            // reqwest puts the URL, with its ids and query values, in its message.
            Error::Transport { operation, source: crate::error::TransportError::new(source) }
        };
        Attempt::Failed { failure, error }
    }
}

/// What every attempt of a call sends besides the request itself: its URL,
/// the credentials chosen for the call and the API's constant headers.
#[derive(Clone, Copy)]
struct Extras<'a> {
    url: &'a url::Url,
    credentials: &'a [&'a Credential],
    constant: &'a [(HeaderName, HeaderValue)],
}

/// The API's constant headers, parsed; `Err` says why one (which codegen
/// never writes) is not valid HTTP.
pub(crate) fn constant_headers(api: &crate::Api) -> Result<Vec<(HeaderName, HeaderValue)>, String> {
    api.headers
        .iter()
        .map(|(name, value)| match (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(value)) {
            (Ok(name), Ok(value)) => Ok((name, value)),
            _ => Err("the API's constant headers are not valid HTTP".to_owned()),
        })
        .collect()
}

/// Reads the body chunk by chunk, stopping once `limit` bytes are in: the
/// rest is never read (the connection is dropped). Returns the bytes read, at
/// most `limit`, and whether more was left.
async fn read_at_most(response: &mut reqwest::Response, limit: usize) -> Result<(Bytes, bool), reqwest::Error> {
    let Some(mut first) = response.chunk().await? else {
        return Ok((Bytes::new(), false));
    };
    if first.len() > limit {
        first.truncate(limit);
        return Ok((first, true));
    }
    // A body that came in one chunk (most small answers) is kept as it is, not copied.
    let Some(mut next) = response.chunk().await? else {
        return Ok((first, false));
    };
    // A first guess only: the server's `Content-Length` may lie.
    let expected = response.content_length().and_then(|length| usize::try_from(length).ok()).unwrap_or(0);
    let mut body = BytesMut::with_capacity(expected.max(first.len()).min(limit).min(INITIAL_CAPACITY));
    body.extend_from_slice(&first);
    loop {
        let room = limit - body.len();
        if next.len() > room {
            body.extend_from_slice(&next[..room]);
            return Ok((body.freeze(), true));
        }
        body.extend_from_slice(&next);
        match response.chunk().await? {
            Some(chunk) => next = chunk,
            None => return Ok((body.freeze(), false)),
        }
    }
}

/// The most a body buffer reserves before any of the body has arrived.
const INITIAL_CAPACITY: usize = 1024 * 1024;

/// Whether sending again could help, from the error and its sources.
fn classify(error: &reqwest::Error) -> Failure {
    if error.is_builder() || error.is_redirect() {
        return Failure::Permanent;
    }
    let mut next: Option<&(dyn StdError + 'static)> = Some(error);
    while let Some(current) = next {
        #[cfg(any(feature = "rustls-tls", feature = "rustls-tls-native-roots"))]
        if current.is::<rustls::Error>() {
            return Failure::Permanent;
        }
        // Not HTTP, too many headers, a head too large, a malformed status line:
        // the same server will answer the same way.
        if current.downcast_ref::<hyper::Error>().is_some_and(hyper::Error::is_parse) {
            return Failure::Permanent;
        }
        next = match current.downcast_ref::<std::io::Error>() {
            // An `io::Error`'s `source()` skips the error it wraps (rustls reports
            // through one, itself wrapped in another): step into it instead.
            Some(io) => io.get_ref().map(|inner| inner as &(dyn StdError + 'static)),
            None => current.source(),
        };
    }
    // Connecting covers DNS, TCP and the TLS handshake: nothing was sent yet.
    if error.is_connect() {
        Failure::Unsent
    } else {
        Failure::MaybeSent
    }
}

/// What turns a 2XX answer (the operationId, the status and the body) into a
/// call's value: a generated function, or `raw_body` below.
pub type Decoder<T> = fn(&'static str, u16, Bytes) -> Result<T, Error>;

/// The body as it came: the value of a call whose success is not JSON.
pub fn raw_body(_operation: &'static str, _status: u16, body: Bytes) -> Result<Bytes, Error> {
    Ok(body)
}

/// Adds an optional query parameter to `query` when it is set, written as
/// its `Display` (an enum's wire value): one line of generated code per
/// parameter, in the spec's order.
#[inline]
pub fn push_query<T: std::fmt::Display>(
    query: &mut Vec<(&'static str, String)>,
    name: &'static str,
    value: &Option<T>,
) {
    if let Some(value) = value {
        query.push((name, value.to_string()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static API: crate::Api = crate::Api {
        default_base_url: None,
        user_agent: "test",
        headers: &[("x-api-version", "2")],
        schemes: &[crate::Scheme { name: "key", kind: crate::SchemeKind::Header("x-key") }],
        secret_var: None,
        errors: crate::ErrorFormat::STATUS,
    };
    static GET: Operation = Operation {
        id: "GetReport",
        method: crate::operation::HttpMethod::Get,
        path: "/reports",
        safety: crate::RetrySafety::Idempotent,
        backoff: None,
        security: &[],
        api: &API,
    };

    fn refusal(result: Result<Request, Error>) -> (&'static str, String) {
        match result {
            Err(Error::InvalidArgument { operation: "GetReport", argument, reason }) => (argument, reason),
            other => panic!("expected a refusal, got {:?}", other.map(drop)),
        }
    }

    #[test]
    fn header_parameters_are_refused_like_the_callers_headers() {
        let request = || Request::new(&GET, "/reports".to_owned());
        for name in ["Cookie", "Proxy-Authorization", "TE", "Host", "Transfer-Encoding", "User-Agent"] {
            let (argument, reason) = refusal(request().header_param(name, "9LEAKED"));
            assert_eq!(argument, name);
            assert!(reason.contains("may not set") && !reason.contains("9LEAKED"), "{reason}");
        }
        let (_, reason) = refusal(request().header_param("X-Long", &"9LEAKED".repeat(1200)));
        assert_eq!(reason, "is 8400 bytes long, over the limit of 8192 bytes");
        assert!(request().header_param("X-At-Cap", &"v".repeat(limits::HEADER_VALUE)).is_ok());
        // The API's own headers: its constant one and the one its key goes in.
        for name in ["X-API-Version", "x-key"] {
            let (_, reason) = refusal(request().headers(&[(name.to_owned(), "9LEAKED".to_owned())]));
            assert!(reason.contains("sends it with every call") && !reason.contains("9LEAKED"), "{reason}");
        }

        // Parameters and the caller's headers share one budget.
        let mut full = request();
        for _ in 0..8 {
            full = full.header_param("X-Part", &"v".repeat(8000)).expect("under both caps");
        }
        let (argument, reason) = refusal(full.headers(&[("X-More".to_owned(), "v".repeat(8000))]));
        assert_eq!(argument, "header");
        assert!(reason.ends_with("over the limit of 65536 bytes"), "{reason}");
    }
}
