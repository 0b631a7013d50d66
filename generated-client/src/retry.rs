//! Retrying failed calls: when, and how long to wait.
//!
//! The backoff comes from the spec (`x-speakeasy-retries`), the safety of each
//! operation from codegen; `Retries` is what a caller may tighten or turn off.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, SystemTime};

use crate::operation::{Operation, RetrySafety};

/// How a client (or one call, via `Client::with_retries`) retries.
///
/// By default it follows the spec: retries until the policy's `maxElapsedTime`,
/// with no cap on attempts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retries {
    enabled: bool,
    max_attempts: Option<u32>,
    max_elapsed: Option<Duration>,
}

impl Default for Retries {
    fn default() -> Self {
        Retries { enabled: true, max_attempts: None, max_elapsed: None }
    }
}

impl Retries {
    /// Never retry: every call is sent once.
    pub fn off() -> Self {
        Retries { enabled: false, ..Retries::default() }
    }

    /// At most `attempts` sends in all (the first one included).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = Some(attempts.max(1));
        self
    }

    /// No retry may start after `elapsed` since the first attempt (replaces the
    /// spec's `maxElapsedTime`).
    pub fn max_elapsed(mut self, elapsed: Duration) -> Self {
        self.max_elapsed = Some(elapsed);
        self
    }
}

/// Why an attempt failed, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Failure {
    /// The connection could not be made: the request never left.
    Connect,
    /// No complete answer in time: the server may have processed it.
    Timeout,
    /// Another transport failure after connecting.
    Transport,
    /// The server answered with an error status.
    Status { status: u16, retry_after: Option<Duration> },
}

/// The wait before attempt `attempt + 1`, or `None` when the call must not be
/// retried. `elapsed` is the time since the first attempt started.
pub(crate) fn delay(
    retries: Retries,
    operation: &Operation,
    failure: Failure,
    attempt: u32,
    elapsed: Duration,
) -> Option<Duration> {
    if !retries.enabled || retries.max_attempts.is_some_and(|max| attempt >= max) {
        return None;
    }
    let backoff = operation.backoff?;
    let idempotent = operation.safety == RetrySafety::Idempotent;
    let allowed = match failure {
        Failure::Connect => backoff.retry_connection_errors,
        Failure::Timeout | Failure::Transport => backoff.retry_connection_errors && idempotent,
        // 429 means "not processed, come back later", whatever the operation.
        Failure::Status { status: 429, .. } => true,
        Failure::Status { status, .. } => idempotent && backoff.retries_status(status),
    };
    if !allowed {
        return None;
    }
    let wait = match failure {
        Failure::Status { retry_after: Some(after), .. } => after.min(backoff.max_interval),
        _ => full_jitter(backoff.interval(attempt)),
    };
    let budget = retries.max_elapsed.unwrap_or(backoff.max_elapsed);
    (elapsed + wait <= budget).then_some(wait)
}

/// A uniformly random wait in `0..=ceiling` ("full jitter"), so that clients
/// failing together do not retry together.
fn full_jitter(ceiling: Duration) -> Duration {
    // `RandomState` is seeded randomly per process and varies per instance: enough
    // randomness for spreading retries, without a dependency.
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u128(SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default().as_nanos());
    let fraction = (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64;
    ceiling.mul_f64(fraction)
}

/// `Retry-After` in either form: delay seconds or an HTTP date.
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::{Backoff, HttpMethod};

    const BACKOFF: Backoff = Backoff {
        initial_interval: Duration::from_millis(500),
        max_interval: Duration::from_secs(60),
        max_elapsed: Duration::from_secs(3600),
        exponent: 1.5,
        status_codes: &["5XX"],
        retry_connection_errors: true,
    };

    fn operation(safety: RetrySafety) -> Operation {
        Operation { id: "Op", method: HttpMethod::Post, path: "/x", safety, backoff: Some(BACKOFF) }
    }

    fn retried(safety: RetrySafety, failure: Failure) -> bool {
        delay(Retries::default(), &operation(safety), failure, 1, Duration::ZERO).is_some()
    }

    #[test]
    fn idempotent_calls_retry_on_every_listed_condition() {
        use Failure::*;
        for failure in [Connect, Timeout, Transport, Status { status: 503, retry_after: None }] {
            assert!(retried(RetrySafety::Idempotent, failure), "{failure:?}");
        }
        assert!(!retried(RetrySafety::Idempotent, Status { status: 404, retry_after: None }));
    }

    #[test]
    fn creating_calls_retry_only_when_unsent_or_rate_limited() {
        use Failure::*;
        assert!(retried(RetrySafety::UnsentOnly, Connect));
        assert!(retried(RetrySafety::UnsentOnly, Status { status: 429, retry_after: None }));
        for failure in [Timeout, Transport, Status { status: 500, retry_after: None }] {
            assert!(!retried(RetrySafety::UnsentOnly, failure), "{failure:?} may have reached the server");
        }
    }

    #[test]
    fn retry_after_is_honoured_and_capped() {
        let op = operation(RetrySafety::UnsentOnly);
        let limited = |after| Failure::Status { status: 429, retry_after: Some(after) };
        let wait = delay(Retries::default(), &op, limited(Duration::from_secs(2)), 1, Duration::ZERO);
        assert_eq!(wait, Some(Duration::from_secs(2)));
        let wait = delay(Retries::default(), &op, limited(Duration::from_secs(600)), 1, Duration::ZERO);
        assert_eq!(wait, Some(Duration::from_secs(60)), "capped at maxInterval");
    }

    #[test]
    fn jittered_waits_stay_under_the_backoff_ceiling() {
        let op = operation(RetrySafety::Idempotent);
        for attempt in 1..6 {
            let wait = delay(Retries::default(), &op, Failure::Connect, attempt, Duration::ZERO).unwrap();
            assert!(wait <= BACKOFF.interval(attempt), "attempt {attempt}: {wait:?}");
        }
    }

    #[test]
    fn attempts_and_elapsed_time_are_bounded() {
        let op = operation(RetrySafety::Idempotent);
        let two = Retries::default().max_attempts(2);
        assert!(delay(two, &op, Failure::Connect, 1, Duration::ZERO).is_some());
        assert!(delay(two, &op, Failure::Connect, 2, Duration::ZERO).is_none());
        let limited = Failure::Status { status: 429, retry_after: Some(Duration::from_secs(5)) };
        let short = Retries::default().max_elapsed(Duration::from_secs(3));
        assert!(delay(short, &op, limited, 1, Duration::ZERO).is_none(), "the wait would pass the budget");
        assert!(delay(Retries::off(), &op, Failure::Connect, 1, Duration::ZERO).is_none());
        let no_policy = Operation { backoff: None, ..op };
        assert!(delay(Retries::default(), &no_policy, Failure::Connect, 1, Duration::ZERO).is_none());
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_480);
        assert_eq!(parse_retry_after(" 7 ", now), Some(Duration::from_secs(7)));
        // 2015-10-21T07:28:30Z is 30 s after `now`.
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now), Some(Duration::from_secs(30)));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon", now), None);
    }
}
