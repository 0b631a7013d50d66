//! The client: connection pool, base URL, credentials.

use std::fmt;
use std::time::Duration;

use reqwest::header::HeaderValue;

use crate::{limits, Error, Retries};

/// The environment variable `Client::from_env` reads.
pub const SECRET_KEY_VAR: &str = "CLERK_SECRET_KEY";

const USER_AGENT: &str = concat!("clerk-invitations-rust/", env!("CARGO_PKG_VERSION"));

/// A Clerk Backend API client. Cheap to clone: clones share one connection pool.
///
/// By default every attempt has 30 s, connecting 10 s, a call retries at most 4
/// times within 30 s, and the whole call ends after 60 s at the latest (see
/// [`limits`](crate::limits)).
#[derive(Clone)]
pub struct Client {
    pub(crate) http: reqwest::Client,
    /// Without a trailing `/`; paths start with one.
    pub(crate) base_url: String,
    /// `Bearer <secret>`, marked sensitive so `Debug` of headers hides it.
    pub(crate) authorization: HeaderValue,
    /// Limit for each attempt, from connecting to reading the whole response.
    pub(crate) timeout: Duration,
    /// Limit for the whole call, retries and waits included.
    pub(crate) deadline: Duration,
    pub(crate) max_response_body: usize,
    pub(crate) retries: Retries,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("deadline", &self.deadline)
            .field("max_response_body", &self.max_response_body)
            .field("retries", &self.retries)
            .field("secret_key", &"<redacted>")
            .finish()
    }
}

impl Client {
    /// A client for the spec's default server, authenticating with `secret_key`.
    pub fn new(secret_key: impl Into<String>) -> Result<Self, Error> {
        Self::builder(secret_key).build()
    }

    /// A client using the secret key in `CLERK_SECRET_KEY`.
    pub fn from_env() -> Result<Self, Error> {
        let key = std::env::var(SECRET_KEY_VAR)
            .map_err(|_| Error::Config(format!("{SECRET_KEY_VAR} is not set or not valid UTF-8")))?;
        Self::new(key)
    }

    /// Starts a client with non-default settings.
    pub fn builder(secret_key: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            secret_key: secret_key.into(),
            base_url: None,
            timeout: limits::TIMEOUT,
            deadline: limits::DEADLINE,
            max_response_body: limits::RESPONSE_BODY,
            retries: Retries::default(),
            http: None,
        }
    }

    /// The base URL requests go to, e.g. `https://api.clerk.com/v1`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The same client (sharing its connection pool) with another per-attempt
    /// timeout, for one call or a group of calls:
    /// `clerk.with_timeout(Duration::from_secs(2)).organization_invitations().get(..)`.
    pub fn with_timeout(&self, timeout: Duration) -> Client {
        Client { timeout, ..self.clone() }
    }

    /// The same client with another deadline for each whole call (attempts,
    /// waits between them and all). A call past it is `Error::Timeout`.
    pub fn with_deadline(&self, deadline: Duration) -> Client {
        Client { deadline, ..self.clone() }
    }

    /// The same client with other retry settings, e.g. `Retries::off()` for a call
    /// that must be sent at most once.
    pub fn with_retries(&self, retries: Retries) -> Client {
        Client { retries, ..self.clone() }
    }
}

/// Settings for a `Client`.
pub struct ClientBuilder {
    secret_key: String,
    base_url: Option<String>,
    timeout: Duration,
    deadline: Duration,
    max_response_body: usize,
    retries: Retries,
    http: Option<reqwest::Client>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The base URL is not checked yet and may hold a password.
        let base_url = self.base_url.as_deref().map(|url| if url.contains('@') { "<has user info>" } else { url });
        f.debug_struct("ClientBuilder")
            .field("secret_key", &"<redacted>")
            .field("base_url", &base_url)
            .field("timeout", &self.timeout)
            .field("deadline", &self.deadline)
            .field("max_response_body", &self.max_response_body)
            .field("retries", &self.retries)
            .finish()
    }
}

impl ClientBuilder {
    /// Sends requests here instead of the spec's server (a proxy, a mock server).
    /// It must be `http` or `https`, without user info, query or fragment.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// Limits each attempt, from connecting to reading the whole response
    /// (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Limits each whole call, every attempt and every wait between them
    /// included (default 60 s). A call past it is `Error::Timeout`.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// The largest 2XX body the client reads, in bytes (default 32 MiB); a larger
    /// one is `Error::ResponseTooLarge`, found without reading it whole.
    pub fn max_response_body(mut self, bytes: usize) -> Self {
        self.max_response_body = bytes;
        self
    }

    /// How failed calls are retried; by default at most 4 attempts within 30 s,
    /// with the spec's backoff (`Retries::spec()` for the spec's whole policy).
    pub fn retries(mut self, retries: Retries) -> Self {
        self.retries = retries;
        self
    }

    /// Uses a `reqwest::Client` you configured (proxies, TLS roots, pool sizes).
    /// The timeout, deadline, body limits and retries set on this builder still
    /// apply to every call; its connect timeout and redirect policy are its own,
    /// so build it with `redirect(reqwest::redirect::Policy::none())` to keep the
    /// bearer token from following a redirect.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    pub fn build(self) -> Result<Client, Error> {
        let secret = self.secret_key.trim();
        if secret.is_empty() {
            return Err(Error::Config("the secret key is empty".to_owned()));
        }
        let mut authorization = HeaderValue::from_str(&format!("Bearer {secret}"))
            .map_err(|_| Error::Config("the secret key contains characters not allowed in a header".to_owned()))?;
        authorization.set_sensitive(true);

        let base_url = match self.base_url.as_deref().or(crate::DEFAULT_BASE_URL) {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => return Err(Error::Config("the spec names no server; set a base URL".to_owned())),
        };
        check_base_url(&base_url)?;

        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .user_agent(USER_AGENT)
                .connect_timeout(limits::CONNECT_TIMEOUT)
                // Clerk's API does not redirect. Following one would resend the
                // bearer token (in cleartext after https → http) and turn a POST
                // into a GET that "succeeds"; a 3XX is returned as an error.
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(|error| Error::Config(format!("HTTP client: {error}")))?,
        };
        // The timeout is applied per request (not on the pool) so `with_timeout`
        // can override it.
        Ok(Client {
            http,
            base_url,
            authorization,
            timeout: self.timeout,
            deadline: self.deadline,
            max_response_body: self.max_response_body,
            retries: self.retries,
        })
    }
}

/// An http(s) URL without user info (reqwest would send it as Basic auth in
/// place of the bearer token, and `Debug` would print the password), query or
/// fragment (the paths appended after it would land in them).
fn check_base_url(base_url: &str) -> Result<(), Error> {
    // Never quote a URL that may hold a password.
    let shown = if base_url.contains('@') { "(hidden: it has user info)" } else { base_url };
    let url = url::Url::parse(base_url)
        .map_err(|error| Error::Config(format!("base URL `{shown}` is not a valid URL: {error}")))?;
    let problem = if !matches!(url.scheme(), "http" | "https") {
        "is not an http(s) URL"
    } else if !url.username().is_empty() || url.password().is_some() {
        "must not carry user info (`user:password@`): the client authenticates with the secret key"
    } else if url.query().is_some() {
        "must not have a query"
    } else if url.fragment().is_some() {
        "must not have a fragment"
    } else {
        return Ok(());
    };
    Err(Error::Config(format!("base URL `{shown}` {problem}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_never_shows_the_secret() {
        let builder = Client::builder("sk_test_supersecret").base_url("http://127.0.0.1:9");
        assert!(!format!("{builder:?}").contains("supersecret"));
        let client = builder.build().unwrap();
        let shown = format!("{client:?} {:?}", client.authorization);
        assert!(!shown.contains("supersecret"), "{shown}");
    }

    #[test]
    fn base_url_must_be_http() {
        let error = Client::builder("sk_test_x").base_url("ftp://example.com").build().unwrap_err();
        assert!(error.to_string().contains("ftp://example.com"), "{error}");
        assert!(!error.to_string().contains("sk_test_x"));
    }

    #[test]
    fn empty_secret_is_refused() {
        assert!(matches!(Client::new("  "), Err(Error::Config(_))));
    }

    #[test]
    fn a_base_url_with_credentials_or_a_fragment_is_refused_without_showing_the_password() {
        for url in ["https://user:hunter2pass@api.clerk.com/v1", "https://user@api.clerk.com/v1"] {
            let builder = Client::builder("sk_test_x").base_url(url);
            assert!(!format!("{builder:?}").contains("hunter2pass"), "{builder:?}");
            let error = builder.build().unwrap_err();
            assert!(matches!(error, Error::Config(_)), "{url}: {error:?}");
            assert!(!format!("{error} {error:?}").contains("hunter2pass"), "{error}");
        }
        let error = Client::builder("sk_test_x").base_url("https://api.clerk.com/v1#top").build().unwrap_err();
        assert!(matches!(error, Error::Config(_)), "{error:?}");
    }
}
