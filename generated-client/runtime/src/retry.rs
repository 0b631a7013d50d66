//! Retrying failed calls: when, and how long to wait.
//!
//! The backoff comes from the spec (`x-speakeasy-retries`), the safety of each
//! operation from the generator; `Retries` is what a caller may tighten or turn off.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, SystemTime};

use crate::operation::{Operation, RetrySafety};

/// How a client (or one call, via `Client::with_retries`) retries.
///
/// By default: at most 4 attempts, and no retry starts later than 30 s after
/// the first attempt, with the spec's backoff between them; short enough for a
/// caller that is itself answering a request. `Retries::spec()` is the spec's
/// whole policy (no cap on attempts, its `maxElapsedTime`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retries {
    enabled: bool,
    max_attempts: Option<u32>,
    max_elapsed: Option<Duration>,
}

/// The default cap on attempts, the first one included.
const DEFAULT_ATTEMPTS: u32 = 4;
/// The default window in which a retry may start.
const DEFAULT_ELAPSED: Duration = Duration::from_secs(30);
/// The shortest wait before a retry, whatever the backoff or `Retry-After` say:
/// a server answering at once must not turn a call into a flood of requests.
pub(crate) const MIN_WAIT: Duration = Duration::from_millis(100);

impl Default for Retries {
    fn default() -> Self {
        Retries { enabled: true, max_attempts: Some(DEFAULT_ATTEMPTS), max_elapsed: Some(DEFAULT_ELAPSED) }
    }
}

impl Retries {
    /// The spec's `x-speakeasy-retries` as written: no cap on attempts, retries
    /// until its `maxElapsedTime` (1 h in Clerk's document, for example). Calls are still cut by the
    /// client's deadline (`ClientBuilder::deadline`); raise it to match.
    pub fn spec() -> Self {
        Retries { enabled: true, max_attempts: None, max_elapsed: None }
    }

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
    /// The request never left: connection refused, DNS failure, connect timeout.
    /// Safe to send again even when it creates something.
    Unsent,
    /// It may have reached the server: a timeout or a connection lost after
    /// sending. Sent again only when repeating it is harmless.
    MaybeSent,
    /// Sending again cannot help: an untrusted certificate, a response that is
    /// not HTTP or breaks its limits, a body over the client's cap.
    Permanent,
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
        Failure::Unsent => backoff.retry_connection_errors,
        Failure::MaybeSent => backoff.retry_connection_errors && idempotent,
        Failure::Permanent => false,
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
    }
    .max(MIN_WAIT);
    let budget = retries.max_elapsed.unwrap_or(backoff.max_elapsed);
    (elapsed.saturating_add(wait) <= budget).then_some(wait)
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

/// `Retry-After` in either form: delay seconds or an HTTP date. Zero, negative
/// and past values count as absent: taken literally they mean "again at once",
/// which against a server that keeps saying so is a hot loop; the backoff
/// applies instead.
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    let wait = match value.parse::<u64>() {
        Ok(seconds) => Duration::from_secs(seconds),
        Err(_) => httpdate::parse_http_date(value).ok()?.duration_since(now).ok()?,
    };
    (!wait.is_zero()).then_some(wait)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::{Backoff, HttpMethod};
    use crate::{Api, ErrorFormat};

    const BACKOFF: Backoff = Backoff {
        initial_interval: Duration::from_millis(500),
        max_interval: Duration::from_secs(60),
        max_elapsed: Duration::from_secs(3600),
        exponent: 1.5,
        status_codes: &["5XX"],
        retry_connection_errors: true,
    };

    static API: Api = Api {
        default_base_url: None,
        user_agent: "test",
        headers: &[],
        schemes: &[],
        secret_var: None,
        errors: ErrorFormat::STATUS,
    };

    fn operation(safety: RetrySafety) -> Operation {
        Operation {
            id: "Op",
            method: HttpMethod::Post,
            path: "/x",
            safety,
            backoff: Some(BACKOFF),
            security: &[],
            api: &API,
        }
    }

    fn retried(safety: RetrySafety, failure: Failure) -> bool {
        delay(Retries::default(), &operation(safety), failure, 1, Duration::ZERO).is_some()
    }

    #[test]
    fn permanent_failures_are_never_retried() {
        assert!(!retried(RetrySafety::Idempotent, Failure::Permanent));
        assert!(!retried(RetrySafety::UnsentOnly, Failure::Permanent));
    }

    #[test]
    fn idempotent_calls_retry_on_every_listed_condition() {
        use Failure::*;
        for failure in [Unsent, MaybeSent, Status { status: 503, retry_after: None }] {
            assert!(retried(RetrySafety::Idempotent, failure), "{failure:?}");
        }
        assert!(!retried(RetrySafety::Idempotent, Status { status: 404, retry_after: None }));
    }

    #[test]
    fn creating_calls_retry_only_when_unsent_or_rate_limited() {
        use Failure::*;
        assert!(retried(RetrySafety::UnsentOnly, Unsent));
        assert!(retried(RetrySafety::UnsentOnly, Status { status: 429, retry_after: None }));
        for failure in [MaybeSent, Status { status: 500, retry_after: None }] {
            assert!(!retried(RetrySafety::UnsentOnly, failure), "{failure:?} may have reached the server");
        }
    }

    #[test]
    fn retry_after_is_honoured_and_capped() {
        let op = operation(RetrySafety::UnsentOnly);
        let limited = |after| Failure::Status { status: 429, retry_after: Some(after) };
        let wait = delay(Retries::default(), &op, limited(Duration::from_secs(2)), 1, Duration::ZERO);
        assert_eq!(wait, Some(Duration::from_secs(2)));
        let wait = delay(Retries::spec(), &op, limited(Duration::from_secs(600)), 1, Duration::ZERO);
        assert_eq!(wait, Some(Duration::from_secs(60)), "capped at maxInterval");
    }

    #[test]
    fn jittered_waits_stay_under_the_backoff_ceiling() {
        let op = operation(RetrySafety::Idempotent);
        for attempt in 1..6 {
            let wait = delay(Retries::spec(), &op, Failure::Unsent, attempt, Duration::ZERO).unwrap();
            assert!(wait <= BACKOFF.interval(attempt).max(MIN_WAIT), "attempt {attempt}: {wait:?}");
        }
    }

    #[test]
    fn attempts_and_elapsed_time_are_bounded() {
        let op = operation(RetrySafety::Idempotent);
        let two = Retries::default().max_attempts(2);
        assert!(delay(two, &op, Failure::Unsent, 1, Duration::ZERO).is_some());
        assert!(delay(two, &op, Failure::Unsent, 2, Duration::ZERO).is_none());
        let limited = Failure::Status { status: 429, retry_after: Some(Duration::from_secs(5)) };
        let short = Retries::default().max_elapsed(Duration::from_secs(3));
        assert!(delay(short, &op, limited, 1, Duration::ZERO).is_none(), "the wait would pass the budget");
        assert!(delay(Retries::off(), &op, Failure::Unsent, 1, Duration::ZERO).is_none());
        let no_policy = Operation { backoff: None, ..op };
        assert!(delay(Retries::default(), &no_policy, Failure::Unsent, 1, Duration::ZERO).is_none());
    }

    #[test]
    fn the_spec_policy_has_no_attempt_cap_and_the_specs_budget() {
        let op = operation(RetrySafety::Idempotent);
        let unavailable = Failure::Status { status: 503, retry_after: None };
        assert!(delay(Retries::spec(), &op, unavailable, 1000, Duration::from_secs(3000)).is_some());
        assert!(delay(Retries::spec(), &op, unavailable, 1, Duration::from_secs(3600)).is_none());
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_480);
        assert_eq!(parse_retry_after(" 7 ", now), Some(Duration::from_secs(7)));
        // 2015-10-21T07:28:30Z is 30 s after `now`.
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now), Some(Duration::from_secs(30)));
        assert_eq!(parse_retry_after("soon", now), None);
    }

    #[test]
    fn a_retry_after_of_zero_or_in_the_past_counts_as_absent() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_480);
        assert_eq!(parse_retry_after("0", now), None);
        assert_eq!(parse_retry_after("-5", now), None);
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now), None, "in the past");
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now), None, "now");
    }

    #[test]
    fn every_wait_has_a_floor() {
        let op = operation(RetrySafety::Idempotent);
        for _ in 0..200 {
            let wait = delay(Retries::default(), &op, Failure::Unsent, 1, Duration::ZERO).unwrap();
            assert!(wait >= Duration::from_millis(100), "{wait:?}");
        }
    }

    #[test]
    fn the_default_window_is_four_attempts_and_thirty_seconds() {
        let op = operation(RetrySafety::Idempotent);
        let unavailable = Failure::Status { status: 503, retry_after: None };
        assert!(delay(Retries::default(), &op, unavailable, 3, Duration::ZERO).is_some());
        assert!(delay(Retries::default(), &op, unavailable, 4, Duration::ZERO).is_none(), "a fifth attempt");
        let late = Duration::from_secs(30);
        assert!(delay(Retries::default(), &op, unavailable, 1, late).is_none(), "a retry starting after 30 s");
    }
}
