//! Errors built by a test, as calls get them (feature `test-util`): so that
//! code using a generated client can test its own error branches without a
//! server. A generated crate's `test_util::api_error` starts an
//! [`ApiErrorBuilder`] with its API's error format; the other errors are
//! built here or as plain enum variants (`Error::Timeout { … }`).

use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue};

use crate::api::{Api, ErrorFormat, ErrorStyle};
use crate::error::ApiError;
use crate::{limits, Error};

/// An `Error::Api` as a call of `api` would get it: the status, and a body
/// in the API's error format holding the code, message and trace id given.
/// Its accessors (`code()`, `message()`, `trace_id()`, `retry_after`) and its
/// `Display` then read it as they read a real answer.
#[derive(Debug, Clone)]
#[must_use = "`build` makes the error"]
pub struct ApiErrorBuilder {
    api: &'static Api,
    operation: &'static str,
    status: u16,
    code: Option<String>,
    message: Option<String>,
    trace_id: Option<String>,
    headers: HeaderMap,
    retry_after: Option<Duration>,
    body: Option<Bytes>,
    /// The body the code, message and trace id are written over: the test
    /// value of the error schema the operation documents for the status.
    base: serde_json::Value,
}

impl ApiErrorBuilder {
    /// An error of `status` from the operation `operation` (its operationId)
    /// of `api`. Generated crates call this from their
    /// `test_util::api_error`, with their own API.
    pub fn new(api: &'static Api, operation: &'static str, status: u16) -> Self {
        ApiErrorBuilder {
            api,
            operation,
            status,
            code: None,
            message: None,
            trace_id: None,
            headers: HeaderMap::new(),
            retry_after: None,
            body: None,
            base: serde_json::Value::Null,
        }
    }

    /// Starts the body from the test value of the error schema `operation`
    /// documents for the status in `document`, so that the error decodes as
    /// the API's error model (`error_body()`) as a real one does. Generated
    /// crates call this from their `test_util::api_error`.
    #[doc(hidden)]
    pub fn from_document(mut self, document: &'static super::Document) -> Self {
        let parsed = document.get();
        let schema = parsed
            .operation(self.operation)
            .and_then(|(_, operation)| super::check::documented(operation, self.status))
            .and_then(super::check::json_schema);
        if let Some(schema) = schema {
            let mut synth = schema_values::synth::Synth::new(&parsed.doc, schema_values::synth::Purpose::Response);
            self.base = synth.value(schema, "");
            // A trace id the test did not give would read as a real one: left
            // out, unless the schema requires it.
            if let Some((parent, key)) = self.api.errors.trace_id.and_then(|pointer| pointer.rsplit_once('/')) {
                let mut without = self.base.clone();
                if let Some(object) = without.pointer_mut(parent).and_then(serde_json::Value::as_object_mut) {
                    object.remove(key);
                }
                let purpose = schema_values::synth::Purpose::Response;
                if schema_values::synth::fits(&parsed.doc, schema, &without, purpose, 0).is_ok() {
                    self.base = without;
                }
            }
        }
        self
    }

    /// The error code, e.g. `resource_not_found`, where the API's format
    /// keeps codes.
    pub fn code(mut self, code: impl Into<String>) -> Self {
        self.code = Some(code.into());
        self
    }

    /// The short message, where the API's format keeps it.
    pub fn message(mut self, message: impl Into<String>) -> Self {
        self.message = Some(message.into());
        self
    }

    /// The server's trace id, in the body where the API's format has one,
    /// else in its trace header.
    pub fn trace_id(mut self, trace_id: impl Into<String>) -> Self {
        self.trace_id = Some(trace_id.into());
        self
    }

    /// A response header.
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.append(name, value);
        self
    }

    /// `Retry-After`, in whole seconds: sent as the header and read into
    /// `ApiError::retry_after`, as for a 429 or a 503.
    pub fn retry_after(mut self, after: Duration) -> Self {
        self.retry_after = Some(Duration::from_secs(after.as_secs()));
        self
    }

    /// The body as received, in place of one written from the code, message
    /// and trace id: a proxy's page, or JSON of another shape. Cut at
    /// `limits::ERROR_BODY`, as a real one is.
    pub fn body(mut self, body: impl Into<Bytes>) -> Self {
        self.body = Some(body.into());
        self
    }

    /// The error.
    pub fn build(self) -> Error {
        let format = self.api.errors;
        let mut headers = self.headers;
        if let Some(after) = self.retry_after {
            headers.insert(http::header::RETRY_AFTER, HeaderValue::from(after.as_secs()));
        }
        let mut trace_in_body = false;
        let body = match self.body {
            Some(body) => body,
            None => {
                let mut json = self.base;
                let mut put = |pointer: Option<&str>, text: &Option<String>| match (pointer, text) {
                    (Some(pointer), Some(text)) => set_at(&mut json, pointer, text),
                    _ => false,
                };
                let json_format = !matches!(format.style, ErrorStyle::Status);
                if json_format {
                    put(format.code, &self.code);
                    put(format.message, &self.message);
                    trace_in_body = put(format.trace_id, &self.trace_id);
                }
                match json {
                    serde_json::Value::Null => Bytes::new(),
                    json => Bytes::from(json.to_string()),
                }
            }
        };
        if let (false, Some(header), Some(trace)) = (trace_in_body, format.trace_header, &self.trace_id) {
            if let (Ok(name), Ok(value)) = (HeaderName::from_bytes(header.as_bytes()), HeaderValue::from_str(trace)) {
                headers.insert(name, value);
            }
        }
        let truncated = body.len() > limits::ERROR_BODY;
        let body = if truncated { body.slice(..limits::ERROR_BODY) } else { body };
        let error =
            ApiError::from_parts(self.operation, format, self.status, headers, self.retry_after, body, truncated);
        Error::Api(Box::new(error))
    }
}

/// An error body in `format` holding `code` and `message` where the format
/// keeps them, written over `base` (a body built from the error schema, or
/// `null`); `None` for an API whose errors are only their status.
pub(crate) fn error_json(
    format: &ErrorFormat,
    base: serde_json::Value,
    code: Option<&str>,
    message: Option<&str>,
) -> Option<serde_json::Value> {
    if matches!(format.style, ErrorStyle::Status) {
        return None;
    }
    let mut json = base;
    for (pointer, text) in [(format.code, code), (format.message, message)] {
        if let (Some(pointer), Some(text)) = (pointer, text) {
            set_at(&mut json, pointer, text);
        }
    }
    Some(json)
}

/// Writes `text` at `pointer` (a JSON pointer in which `*` stands for any
/// index: here the first) into `value`, making the objects and arrays on
/// the way. False when the pointer cannot be written (it goes through a
/// value of another kind).
fn set_at(value: &mut serde_json::Value, pointer: &str, text: &str) -> bool {
    let mut here = value;
    let Some(rest) = pointer.strip_prefix('/') else { return false };
    for segment in rest.split('/') {
        let index = if segment == "*" { Some(0) } else { segment.parse::<usize>().ok() };
        here = match index {
            Some(index) => {
                if here.is_null() {
                    *here = serde_json::Value::Array(Vec::new());
                }
                let Some(items) = here.as_array_mut() else { return false };
                while items.len() <= index {
                    items.push(serde_json::Value::Null);
                }
                &mut items[index]
            }
            None => {
                if here.is_null() {
                    *here = serde_json::Value::Object(serde_json::Map::new());
                }
                let Some(map) = here.as_object_mut() else { return false };
                let key = segment.replace("~1", "/").replace("~0", "~");
                map.entry(key).or_insert(serde_json::Value::Null)
            }
        };
    }
    *here = serde_json::Value::String(text.to_owned());
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLERK_LIKE_FIELDS: Api = Api {
        default_base_url: None,
        user_agent: "test",
        headers: &[],
        schemes: &[],
        secret_var: None,
        errors: ErrorFormat {
            style: ErrorStyle::Schema("Errors"),
            code: Some("/errors/*/code"),
            message: Some("/errors/0/message"),
            trace_id: Some("/trace_id"),
            trace_header: Some("x-trace-id"),
        },
    };
    static CLERK_LIKE: Api = CLERK_LIKE_FIELDS;

    static STATUS_ONLY: Api = Api {
        errors: ErrorFormat {
            style: ErrorStyle::Status,
            code: None,
            message: None,
            trace_id: None,
            trace_header: Some("x-trace-id"),
        },
        ..CLERK_LIKE_FIELDS
    };

    #[test]
    fn an_api_error_reads_back_what_it_was_built_with() {
        let error = ApiErrorBuilder::new(&CLERK_LIKE, "GetThing", 404)
            .code("resource_not_found")
            .message("not found")
            .trace_id("t-1")
            .build();
        assert!(error.is_not_found());
        assert_eq!(error.code(), Some("resource_not_found"));
        assert_eq!(error.trace_id(), Some("t-1"));
        let api = error.api().expect("an API error");
        assert_eq!(api.message(), Some("not found"));
        assert_eq!(
            api.json(),
            Some(&serde_json::json!({
                "errors": [{"code": "resource_not_found", "message": "not found"}],
                "trace_id": "t-1"
            }))
        );
        assert_eq!(error.to_string(), "GetThing: HTTP 404: resource_not_found: not found (trace_id t-1)");
    }

    #[test]
    fn a_rate_limit_carries_retry_after_as_the_header_says() {
        let error = ApiErrorBuilder::new(&CLERK_LIKE, "ListThings", 429).retry_after(Duration::from_secs(2)).build();
        assert!(error.is_rate_limited());
        let api = error.api().expect("an API error");
        assert_eq!(api.retry_after, Some(Duration::from_secs(2)));
        assert_eq!(api.headers.get(http::header::RETRY_AFTER).map(|value| value.as_bytes()), Some(&b"2"[..]));
    }

    #[test]
    fn an_api_of_statuses_only_gets_no_body_and_its_trace_id_in_the_header() {
        let error = ApiErrorBuilder::new(&STATUS_ONLY, "GetThing", 500).code("ignored").trace_id("t-2").build();
        let api = error.api().expect("an API error");
        assert!(api.raw_body().is_empty());
        assert_eq!(api.code(), None, "this API's errors have no code");
        assert_eq!(api.trace_id(), Some("t-2"));
    }

    #[test]
    fn a_given_body_is_kept_and_cut_where_a_real_one_is() {
        let page = vec![b'x'; limits::ERROR_BODY + 10];
        let error = ApiErrorBuilder::new(&CLERK_LIKE, "GetThing", 502).body(page).build();
        let api = error.api().expect("an API error");
        assert_eq!(api.raw_body().len(), limits::ERROR_BODY);
        assert!(api.body_truncated());
        assert!(error.to_string().contains("a body of more than"), "{error}");
    }

    #[test]
    fn a_pointer_through_a_value_of_another_kind_is_not_written() {
        let mut value = serde_json::json!({"errors": "text"});
        assert!(!set_at(&mut value, "/errors/0/code", "x"));
        assert_eq!(value, serde_json::json!({"errors": "text"}));
        assert!(!set_at(&mut value, "no-slash", "x"));
    }

    #[test]
    fn a_test_transport_error_says_its_message_and_whether_it_connected() {
        let error =
            Error::Transport { operation: "GetThing", source: crate::TransportError::for_test("refused", true) };
        assert_eq!(error.report().to_string(), "GetThing: request failed: refused");
        let Error::Transport { source, .. } = &error else { unreachable!() };
        assert!(source.is_connect());
    }
}
