//! One HTTP exchange: what the generated methods describe, and how it is sent.

use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER};
use serde::de::DeserializeOwned;
use serde::Serialize;

pub use reqwest::Method;

use crate::error::ApiError;
use crate::generated::models::ClerkErrors;
use crate::{Client, Error};

/// How much of a body an error message quotes.
const EXCERPT: usize = 200;
/// How much of a non-JSON error body `ApiError::body` keeps.
const KEPT_BODY: usize = 4096;

/// A request built by a generated method: path already encoded, query pairs in
/// spec order, JSON body already serialised.
#[derive(Debug)]
pub(crate) struct Request {
    operation: &'static str,
    method: Method,
    path: String,
    query: Vec<(&'static str, String)>,
    body: Option<Vec<u8>>,
}

impl Request {
    pub(crate) fn new(operation: &'static str, method: Method, path: String) -> Self {
        Request { operation, method, path, query: Vec::new(), body: None }
    }

    pub(crate) fn query(mut self, query: Vec<(&'static str, String)>) -> Self {
        self.query = query;
        self
    }

    pub(crate) fn json<B: Serialize + ?Sized>(mut self, body: &B) -> Result<Self, Error> {
        let bytes = serde_json::to_vec(body).map_err(|source| Error::Encode { operation: self.operation, source })?;
        self.body = Some(bytes);
        Ok(self)
    }
}

impl Client {
    /// Sends `request` and decodes a 2XX body as `T`.
    pub(crate) async fn send<T: DeserializeOwned>(&self, request: Request) -> Result<T, Error> {
        let operation = request.operation;
        let (status, body) = self.exchange(request).await?;
        decode(operation, status, &body)
    }

    /// Sends `request` for an operation whose success carries no content.
    #[allow(dead_code)]
    pub(crate) async fn send_without_content(&self, request: Request) -> Result<(), Error> {
        self.exchange(request).await.map(|_| ())
    }

    /// Sends the request; returns the status and body of a 2XX answer, or the API error.
    async fn exchange(&self, request: Request) -> Result<(u16, bytes::Bytes), Error> {
        let operation = request.operation;
        let mut url = url::Url::parse(&format!("{}{}", self.base_url, request.path))
            .map_err(|error| Error::InvalidArgument { operation, argument: "path", reason: error.to_string() })?;
        if !request.query.is_empty() {
            url.query_pairs_mut().extend_pairs(request.query.iter().map(|(name, value)| (*name, value.as_str())));
        }
        let mut builder = self
            .http
            .request(request.method, url)
            .header(AUTHORIZATION, self.authorization.clone())
            .header("Clerk-API-Version", crate::API_VERSION)
            .header(ACCEPT, "application/json");
        if let Some(timeout) = self.timeout {
            builder = builder.timeout(timeout);
        }
        if let Some(body) = request.body {
            builder = builder.header(CONTENT_TYPE, "application/json").body(body);
        }
        let response = builder.send().await.map_err(|source| transport(operation, source))?;
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.trim().parse::<u64>().ok())
            .map(std::time::Duration::from_secs);
        let body = response.bytes().await.map_err(|source| transport(operation, source))?;
        if (200..300).contains(&status) {
            return Ok((status, body));
        }
        let (clerk, text) = match serde_json::from_slice::<ClerkErrors>(&body) {
            Ok(clerk) => (Some(clerk), None),
            Err(_) => (None, Some(excerpt(&body, KEPT_BODY))),
        };
        Err(Error::Api(Box::new(ApiError { operation, status, clerk, body: text, retry_after })))
    }
}

fn transport(operation: &'static str, source: reqwest::Error) -> Error {
    if source.is_timeout() {
        Error::Timeout { operation, source }
    } else {
        Error::Transport { operation, source }
    }
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
