//! What the generated code tells the runtime about each operation: one static
//! descriptor per method, so the runtime stays generic and every per-operation
//! fact (method, path template, retry safety, backoff) comes from the spec.

use std::time::Duration;

use crate::api::Api;

/// The HTTP methods the generator emits; a spec need not use them all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpMethod {
    #[allow(missing_docs)]
    Get,
    #[allow(missing_docs)]
    Post,
    #[allow(missing_docs)]
    Put,
    #[allow(missing_docs)]
    Patch,
    #[allow(missing_docs)]
    Delete,
}

impl HttpMethod {
    /// `GET`, `POST`, …
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Delete => "DELETE",
        }
    }

    pub(crate) fn to_reqwest(self) -> reqwest::Method {
        match self {
            HttpMethod::Get => reqwest::Method::GET,
            HttpMethod::Post => reqwest::Method::POST,
            HttpMethod::Put => reqwest::Method::PUT,
            HttpMethod::Patch => reqwest::Method::PATCH,
            HttpMethod::Delete => reqwest::Method::DELETE,
        }
    }
}

/// When a failed call may be sent again, as the generator decided from the
/// operation's method and operationId.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetrySafety {
    /// Repeating it cannot create anything (GET, revoke): retried on every
    /// condition the backoff policy names, and on 429.
    Idempotent,
    /// It may create and send e-mail (create, bulk create): retried only when the
    /// request provably never reached the server (connection refused) or on 429;
    /// never after a timeout or a 5XX, when it may have been processed.
    UnsentOnly,
}

/// The spec's `x-speakeasy-retries` backoff.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Backoff {
    /// The ceiling of the first wait.
    pub initial_interval: Duration,
    /// The largest ceiling of any wait.
    pub max_interval: Duration,
    /// The whole retry budget of one call, from the first attempt.
    pub max_elapsed: Duration,
    /// How much each ceiling grows over the one before.
    pub exponent: f64,
    /// Statuses to retry: exact (`503`) or ranges (`5XX`).
    pub status_codes: &'static [&'static str],
    /// Whether failures to connect are retried.
    pub retry_connection_errors: bool,
}

impl Backoff {
    /// Whether `status` is listed in `status_codes`.
    pub fn retries_status(&self, status: u16) -> bool {
        let text = status.to_string();
        self.status_codes.iter().any(|code| {
            code.len() == 3
                && code.bytes().zip(text.bytes()).all(|(pattern, digit)| pattern == b'X' || pattern == digit)
        })
    }

    /// The backoff ceiling before attempt `attempt + 1` (attempt counts from 1):
    /// `initial × exponentᵃᵗᵗᵉᵐᵖᵗ⁻¹`, capped at `max_interval`.
    pub fn interval(&self, attempt: u32) -> Duration {
        let factor = self.exponent.powi(attempt.saturating_sub(1).min(64) as i32);
        let millis = self.initial_interval.as_secs_f64() * 1000.0 * factor;
        Duration::from_secs_f64((millis / 1000.0).min(self.max_interval.as_secs_f64()))
    }
}

/// One operation as the generated call describes it.
#[derive(Debug, Clone, Copy)]
pub struct Operation {
    /// The operationId, named in errors and logs.
    pub id: &'static str,
    /// The HTTP method.
    pub method: HttpMethod,
    /// The path template, for logs: `/organizations/{organization_id}/invitations`.
    pub path: &'static str,
    /// When a failure may be retried.
    pub safety: RetrySafety,
    /// The spec's backoff for it, if any.
    pub backoff: Option<Backoff>,
    /// The security requirements it declares: alternatives, any one of which
    /// will do, each naming the schemes (of [`Api::schemes`]) it sends
    /// together. Empty: the operation sends no credentials.
    pub security: &'static [&'static [&'static str]],
    /// The API it belongs to.
    pub api: &'static Api,
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: Backoff = Backoff {
        initial_interval: Duration::from_millis(500),
        max_interval: Duration::from_secs(60),
        max_elapsed: Duration::from_secs(3600),
        exponent: 1.5,
        status_codes: &["5XX", "409"],
        retry_connection_errors: true,
    };

    #[test]
    fn status_patterns_match_ranges_and_exact_codes() {
        assert!(POLICY.retries_status(500) && POLICY.retries_status(503) && POLICY.retries_status(599));
        assert!(POLICY.retries_status(409));
        assert!(!POLICY.retries_status(429) && !POLICY.retries_status(404) && !POLICY.retries_status(410));
    }

    #[test]
    fn intervals_grow_by_the_exponent_up_to_the_cap() {
        assert_eq!(POLICY.interval(1), Duration::from_millis(500));
        assert_eq!(POLICY.interval(2), Duration::from_millis(750));
        assert_eq!(POLICY.interval(3), Duration::from_millis(1125));
        assert_eq!(POLICY.interval(40), Duration::from_secs(60));
    }
}
