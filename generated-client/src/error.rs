//! The one error type of the client.

use std::fmt;
use std::time::Duration;

use crate::generated::models::ClerkErrors;

/// Everything a call can fail with. Nothing here ever holds the secret key.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The client could not be built (missing key, bad base URL, …).
    #[error("invalid client configuration: {0}")]
    Config(String),
    /// An argument was refused before any request was sent.
    #[error("{operation}: invalid `{argument}`: {reason}")]
    InvalidArgument { operation: &'static str, argument: &'static str, reason: String },
    /// The request body could not be serialised.
    #[error("{operation}: could not encode the request body: {source}")]
    Encode { operation: &'static str, source: serde_json::Error },
    /// The request or the response did not finish in time.
    #[error("{operation}: timed out: {source}")]
    Timeout { operation: &'static str, source: reqwest::Error },
    /// Connecting, sending or reading failed.
    #[error("{operation}: request failed: {source}")]
    Transport { operation: &'static str, source: reqwest::Error },
    /// A successful response whose body does not fit the spec's type.
    #[error("{operation}: HTTP {status} response does not decode at `{path}`: {message}; body starts with: {excerpt}")]
    Decode {
        operation: &'static str,
        status: u16,
        /// Where decoding failed, e.g. `data[3].created_at`.
        path: String,
        message: String,
        /// The first bytes of the body, for the log.
        excerpt: String,
    },
    /// Clerk answered with a non-2XX status.
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
}

/// A non-2XX answer from Clerk.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiError {
    /// The operationId of the call, e.g. `CreateOrganizationInvitation`.
    pub operation: &'static str,
    pub status: u16,
    /// Clerk's error body (`errors[]` with code, message, long_message, meta, and
    /// `clerk_trace_id`), when the body was one.
    pub clerk: Option<ClerkErrors>,
    /// The body as text when it was not Clerk's error JSON (truncated).
    pub body: Option<String>,
    /// The `Retry-After` header, when sent (seconds or HTTP date).
    pub retry_after: Option<Duration>,
    /// The response headers (`Clerk-Trace-Id`, rate-limit headers, …).
    pub headers: reqwest::header::HeaderMap,
}

impl ApiError {
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
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: HTTP {}", self.operation, self.status)?;
        if let Some(first) = self.clerk.as_ref().and_then(|clerk| clerk.errors.first()) {
            write!(f, ": {}: {}", first.code, first.long_message)?;
        } else if let Some(body) = &self.body {
            write!(f, ": {body}")?;
        }
        if let Some(trace) = self.clerk_trace_id() {
            write!(f, " (clerk_trace_id {trace})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}
