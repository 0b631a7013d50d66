//! One call: the request a generated method describes, sent (and retried as the
//! spec allows) inside a `tracing` span.

use std::time::{Instant, SystemTime};

use bytes::Bytes;
use reqwest::header::{HeaderMap, ACCEPT, AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER};
use serde::de::DeserializeOwned;
use serde::Serialize;
use tracing::Instrument;

use crate::error::ApiError;
use crate::generated::models::ClerkErrors;
use crate::operation::Operation;
use crate::retry::{self, Failure};
use crate::{Client, Error};

/// How much of a body an error message quotes.
const EXCERPT: usize = 200;
/// How much of a non-JSON error body `ApiError::body` keeps.
const KEPT_BODY: usize = 4096;

/// A request built by a generated method: path already encoded, query pairs in
/// spec order, JSON body already serialised (and cheap to send again).
#[derive(Debug)]
pub(crate) struct Request {
    operation: &'static Operation,
    path: String,
    query: Vec<(&'static str, String)>,
    body: Option<Bytes>,
}

impl Request {
    pub(crate) fn new(operation: &'static Operation, path: String) -> Self {
        Request { operation, path, query: Vec::new(), body: None }
    }

    pub(crate) fn query(mut self, query: Vec<(&'static str, String)>) -> Self {
        self.query = query;
        self
    }

    pub(crate) fn json<B: Serialize + ?Sized>(mut self, body: &B) -> Result<Self, Error> {
        let bytes =
            serde_json::to_vec(body).map_err(|source| Error::Encode { operation: self.operation.id, source })?;
        self.body = Some(Bytes::from(bytes));
        Ok(self)
    }
}

/// What one attempt ended with.
enum Attempt {
    Success { status: u16, body: Bytes },
    Failed { failure: Failure, error: Error },
}

impl Client {
    /// Sends `request` and decodes a 2XX body as `T`.
    pub(crate) async fn send<T: DeserializeOwned>(&self, request: Request) -> Result<T, Error> {
        let operation = request.operation.id;
        let (status, body) = self.exchange(request).await?;
        decode(operation, status, &body)
    }

    /// Sends `request` for an operation whose success carries no content.
    #[allow(dead_code)]
    pub(crate) async fn send_without_content(&self, request: Request) -> Result<(), Error> {
        self.exchange(request).await.map(|_| ())
    }

    /// Sends the request, retrying as the operation's safety and backoff allow;
    /// returns the status and body of a 2XX answer, or the last error.
    async fn exchange(&self, request: Request) -> Result<(u16, Bytes), Error> {
        let operation = request.operation;
        let span = tracing::info_span!(
            "clerk_request",
            operation = operation.id,
            method = operation.method.as_str(),
            path = operation.path,
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
            clerk_trace_id = tracing::field::Empty,
        );
        let call = async {
            let mut url = url::Url::parse(&format!("{}{}", self.base_url, request.path)).map_err(|error| {
                Error::InvalidArgument { operation: operation.id, argument: "path", reason: error.to_string() }
            })?;
            if !request.query.is_empty() {
                url.query_pairs_mut().extend_pairs(request.query.iter().map(|(name, value)| (*name, value.as_str())));
            }
            let started = Instant::now();
            let mut attempt = 1;
            loop {
                span.record("attempt", attempt);
                let (failure, error) = match self.attempt(operation, &span, &url, request.body.clone()).await {
                    Attempt::Success { status, body } => return Ok((status, body)),
                    Attempt::Failed { failure, error } => (failure, error),
                };
                let Some(wait) = retry::delay(self.retries, operation, failure, attempt, started.elapsed()) else {
                    return Err(error);
                };
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

    async fn attempt(
        &self,
        operation: &'static Operation,
        span: &tracing::Span,
        url: &url::Url,
        body: Option<Bytes>,
    ) -> Attempt {
        let mut builder = self
            .http
            .request(operation.method.to_reqwest(), url.clone())
            .header(AUTHORIZATION, self.authorization.clone())
            .header("Clerk-API-Version", crate::API_VERSION)
            .header(ACCEPT, "application/json");
        if let Some(timeout) = self.timeout {
            builder = builder.timeout(timeout);
        }
        if let Some(body) = body {
            builder = builder.header(CONTENT_TYPE, "application/json").body(body);
        }
        let response = match builder.send().await {
            Ok(response) => response,
            Err(source) => return transport(operation.id, source),
        };
        let status = response.status().as_u16();
        span.record("status", status);
        let headers = response.headers().clone();
        if let Some(trace) = headers.get("clerk-trace-id").and_then(|value| value.to_str().ok()) {
            span.record("clerk_trace_id", trace);
        }
        let body = match response.bytes().await {
            Ok(body) => body,
            Err(source) => return transport(operation.id, source),
        };
        if (200..300).contains(&status) {
            return Attempt::Success { status, body };
        }
        let error = api_error(operation.id, status, headers, &body);
        if let Some(trace) = error.clerk_trace_id() {
            span.record("clerk_trace_id", trace);
        }
        let failure = Failure::Status { status, retry_after: error.retry_after };
        Attempt::Failed { failure, error: Error::Api(Box::new(error)) }
    }
}

fn transport(operation: &'static str, source: reqwest::Error) -> Attempt {
    if source.is_timeout() {
        Attempt::Failed { failure: Failure::Timeout, error: Error::Timeout { operation, source } }
    } else {
        let failure = if source.is_connect() { Failure::Connect } else { Failure::Transport };
        Attempt::Failed { failure, error: Error::Transport { operation, source } }
    }
}

fn api_error(operation: &'static str, status: u16, headers: HeaderMap, body: &[u8]) -> ApiError {
    let retry_after = headers
        .get(RETRY_AFTER)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| retry::parse_retry_after(value, SystemTime::now()));
    let (clerk, text) = match serde_json::from_slice::<ClerkErrors>(body) {
        Ok(clerk) => (Some(clerk), None),
        Err(_) => (None, Some(excerpt(body, KEPT_BODY))),
    };
    ApiError { operation, status, clerk, body: text, retry_after, headers }
}

/// Plain `serde_json` on the hot path; only when that fails is the body decoded
/// again to find the JSON path of the failure.
fn decode<T: DeserializeOwned>(operation: &'static str, status: u16, body: &[u8]) -> Result<T, Error> {
    match serde_json::from_slice(body) {
        Ok(value) => Ok(value),
        Err(first) => {
            let mut deserializer = serde_json::Deserializer::from_slice(body);
            let (path, message) = match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
                Err(error) => (error.path().to_string(), error.into_inner().to_string()),
                Ok(_) => (".".to_owned(), first.to_string()),
            };
            Err(Error::Decode { operation, status, path, message, excerpt: excerpt(body, EXCERPT) })
        }
    }
}

/// The first `limit` bytes of `body` as text, cut on a character boundary.
fn excerpt(body: &[u8], limit: usize) -> String {
    let text = String::from_utf8_lossy(body);
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

    #[derive(Debug, serde::Deserialize)]
    struct Page {
        #[allow(dead_code)]
        data: Vec<Item>,
    }

    #[derive(Debug, serde::Deserialize)]
    struct Item {
        #[allow(dead_code)]
        created_at: i64,
    }

    #[test]
    fn decode_failure_names_the_json_path() {
        let body = br#"{"data":[{"created_at":1},{"created_at":"yesterday"}]}"#;
        match decode::<Page>("ListX", 200, body) {
            Err(Error::Decode { path, operation, status, excerpt, .. }) => {
                assert_eq!(path, "data[1].created_at");
                assert_eq!((operation, status), ("ListX", 200));
                assert!(excerpt.starts_with(r#"{"data""#));
            }
            other => panic!("expected a decode error, got {other:?}"),
        }
    }

    #[test]
    fn excerpt_cuts_on_a_character_boundary() {
        let body = "é".repeat(300);
        let cut = excerpt(body.as_bytes(), 201);
        assert!(cut.ends_with('…'));
        assert_eq!(cut.chars().count(), 101);
    }
}
