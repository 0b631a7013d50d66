//! The client: connection pool, base URL, credentials.

use std::fmt;
use std::time::Duration;

use reqwest::header::HeaderValue;

use crate::{Error, Retries};

/// The environment variable `Client::from_env` reads.
pub const SECRET_KEY_VAR: &str = "CLERK_SECRET_KEY";

const USER_AGENT: &str = concat!("clerk-invitations-rust/", env!("CARGO_PKG_VERSION"));

/// A Clerk Backend API client. Cheap to clone: clones share one connection pool.
#[derive(Clone)]
pub struct Client {
    pub(crate) http: reqwest::Client,
    /// Without a trailing `/`; paths start with one.
    pub(crate) base_url: String,
    /// `Bearer <secret>`, marked sensitive so `Debug` of headers hides it.
    pub(crate) authorization: HeaderValue,
    /// Limit for each request, from connecting to reading the whole response.
    pub(crate) timeout: Option<Duration>,
    pub(crate) retries: Retries,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
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
            timeout: None,
            retries: Retries::default(),
            http: None,
        }
    }

    /// The base URL requests go to, e.g. `https://api.clerk.com/v1`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The same client (sharing its connection pool) with another per-request
    /// timeout, for one call or a group of calls:
    /// `clerk.with_timeout(Duration::from_secs(2)).organization_invitations().get(..)`.
    pub fn with_timeout(&self, timeout: Duration) -> Client {
        Client { timeout: Some(timeout), ..self.clone() }
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
    timeout: Option<Duration>,
    retries: Retries,
    http: Option<reqwest::Client>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("secret_key", &"<redacted>")
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("retries", &self.retries)
            .finish()
    }
}

impl ClientBuilder {
    /// Sends requests here instead of the spec's server (a proxy, a mock server).
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// Limits each request, from connecting to reading the whole response.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// How failed calls are retried; by default as the spec's `x-speakeasy-retries` says.
    pub fn retries(mut self, retries: Retries) -> Self {
        self.retries = retries;
        self
    }

    /// Uses a `reqwest::Client` you configured (proxies, TLS roots, pool sizes).
    /// A `timeout` set on this builder still applies to every request.
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
        match url::Url::parse(&base_url) {
            Ok(url) if matches!(url.scheme(), "http" | "https") && url.query().is_none() => {}
            _ => return Err(Error::Config(format!("base URL `{base_url}` is not an http(s) URL without a query"))),
        }

        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .user_agent(USER_AGENT)
                .build()
                .map_err(|error| Error::Config(format!("HTTP client: {error}")))?,
        };
        // Applied per request (not on the pool) so `with_timeout` can override it.
        Ok(Client { http, base_url, authorization, timeout: self.timeout, retries: self.retries })
    }
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
}
