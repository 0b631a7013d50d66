//! The bounds a client works within unless told otherwise. Together they make
//! the longest a default call can take a number: `DEADLINE`.

use std::time::Duration;

/// Per attempt, from connecting to the last byte of the body
/// (`ClientBuilder::timeout`, `Client::with_timeout`).
pub const TIMEOUT: Duration = Duration::from_secs(30);

/// Connecting, TCP and TLS (a `reqwest::Client` passed to
/// `ClientBuilder::http_client`, with the `reqwest-client` feature, keeps its own).
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The whole call: every attempt and every wait between them
/// (`ClientBuilder::deadline`, `Client::with_deadline`).
pub const DEADLINE: Duration = Duration::from_secs(60);

/// How many calls of one client (and all its clones) may be sending at once
/// (`ClientBuilder::max_in_flight`); the others wait, within their deadline.
/// A slot is held for an attempt, from sending to the last byte of the answer,
/// so a call waiting to retry holds none. At a usual 100–300 ms per call
/// that is 200 to 600 calls a second, more than most APIs' rate limits let
/// through: the bound only stops a burst from opening a socket per call.
pub const CALLS_IN_FLIGHT: usize = 64;

/// How many idle connections a client keeps open for reuse
/// (`ClientBuilder::max_idle_connections`); more are closed as calls end. As
/// many as calls in flight: a smaller pool closes connections at the end of
/// one wave of calls that the next wave then opens again.
pub const IDLE_CONNECTIONS: usize = 64;

/// How long an idle connection stays open (`ClientBuilder::idle_timeout`):
/// shorter than the idle timeouts of common load balancers (60 s and more), so
/// the client closes a connection before a server does and never sends on one
/// that is being closed.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(30);

/// The largest 2XX body read (`ClientBuilder::max_response_body`); a larger one
/// is `Error::ResponseTooLarge`.
pub const RESPONSE_BODY: usize = 32 * 1024 * 1024;

/// The largest request body sent, JSON or `multipart/form-data`
/// (`ClientBuilder::max_request_body`); a larger one is
/// `Error::InvalidArgument`, found before any I/O (a form is measured before
/// it is encoded).
pub const REQUEST_BODY: usize = 32 * 1024 * 1024;

/// How much of an error body is read and kept; the rest is never read.
pub const ERROR_BODY: usize = 64 * 1024;

/// The longest value of a header a call adds (`.header(..)` or a header
/// parameter), in bytes.
pub const HEADER_VALUE: usize = 8 * 1024;

/// The most a call's own headers (`.header(..)` and header parameters) may
/// take in all, names and values, in bytes.
pub const HEADERS: usize = 64 * 1024;

/// Headers a call may not set (`.header(..)` or a header parameter), compared
/// without regard to case: the client's own (`Accept`, `Authorization`,
/// `Content-Type`, `User-Agent`; and, per API, its constant headers and those
/// its API keys go in), those HTTP manages
/// (`Connection`, `Content-Length`, `Expect`, `Host`, `Keep-Alive`,
/// `Proxy-Connection`, `TE`, `Trailer`, `Transfer-Encoding`, `Upgrade`), and
/// credentials a call must not smuggle in (`Cookie`, `Proxy-Authorization`).
/// A name or value HTTP does not allow (a CR or LF), a value over
/// [`HEADER_VALUE`] bytes and more than [`HEADERS`] bytes in all are refused
/// too, each before anything is sent.
pub const REFUSED_HEADERS: &[&str] = &[
    "accept",
    "authorization",
    "connection",
    "content-length",
    "content-type",
    "cookie",
    "expect",
    "host",
    "keep-alive",
    "proxy-authorization",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "user-agent",
];

/// The longest path parameter value, in bytes before encoding.
pub const PATH_SEGMENT: usize = 1024;

/// The longest URL a call sends, in bytes, query included.
pub const URL: usize = 8 * 1024;

/// How deeply a request body's JSON may nest, its typed levels (structs, lists,
/// maps) and the free-form JSON below them (metadata) counted together; about
/// what serde_json itself reads (127). Serialising is recursive, so a deeper
/// body could overflow the stack; it is refused before any I/O instead.
pub const NESTING: usize = 128;
