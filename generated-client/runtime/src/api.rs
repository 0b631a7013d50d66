//! What a generated crate tells the runtime about its API: one static
//! description, which codegen writes from the document. Everything that
//! differs from one API to another (the server, how a secret is sent, headers
//! every request carries, what an error body looks like) is here, so that the
//! runtime itself knows no API.

/// The facts of the API a generated crate was made from.
#[derive(Debug)]
pub struct Api {
    /// The document's first server: the base URL unless the client sets one.
    pub default_base_url: Option<&'static str>,
    /// `User-Agent` of clients built for it, e.g. `petstore/1.0.0`.
    pub user_agent: &'static str,
    /// Headers sent with every request, as `(name, value)` with the name in
    /// lowercase, e.g. the API version the crate was generated for. A call may
    /// not set them itself.
    pub headers: &'static [(&'static str, &'static str)],
    /// The document's security schemes that its operations use.
    pub schemes: &'static [Scheme],
    /// The environment variable [`ClientBuilder::secret_from_env`] reads the
    /// secret from, e.g. `PETSTORE_SECRET_KEY`.
    ///
    /// [`ClientBuilder::secret_from_env`]: crate::ClientBuilder::secret_from_env
    pub secret_var: Option<&'static str>,
    /// How the body of an error answer is read.
    pub errors: ErrorFormat,
}

impl Api {
    /// The scheme named `name`.
    pub(crate) fn scheme(&self, name: &str) -> Option<&'static Scheme> {
        self.schemes.iter().find(|scheme| scheme.name == name)
    }
}

/// One of the document's `securitySchemes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scheme {
    /// Its name in `components.securitySchemes`, as operations name it.
    pub name: &'static str,
    /// How the secret is sent.
    pub kind: SchemeKind,
}

/// How a scheme sends the client's secret. More may come in a minor release.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SchemeKind {
    /// `Authorization: Bearer <secret>` (HTTP `bearer`, and the access token of
    /// OAuth 2 and OpenID Connect).
    Bearer,
    /// `Authorization: Basic <base64 of the secret>`, the secret being
    /// `user:password`.
    Basic,
    /// An API key in the header of this name (lowercase).
    Header(&'static str),
    /// An API key in the query parameter of this name. It is added to the URL
    /// last, and no message, span or `Debug` output of the client shows a URL.
    Query(&'static str),
    /// An API key in the cookie of this name.
    Cookie(&'static str),
}

/// Where an error body keeps what the generic accessors of
/// [`ApiError`](crate::ApiError) return: JSON pointers into the body, in
/// which a `*` segment stands for every element of a list
/// (`/errors/*/code`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorFormat {
    /// What an error body is.
    pub style: ErrorStyle,
    /// The error codes: `ApiError::code` (the first) and `ApiError::codes`.
    pub code: Option<&'static str>,
    /// A short message, fit to quote in `Display` (not a longer one that may
    /// name a person).
    pub message: Option<&'static str>,
    /// The server's trace or request id, for support tickets.
    pub trace_id: Option<&'static str>,
    /// A response header carrying the trace id (lowercase), read when the body
    /// has none.
    pub trace_header: Option<&'static str>,
}

/// What an API's error bodies are, as its document says. More may come in a
/// minor release.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorStyle {
    /// JSON of the document's own error schema, named here (for example `ClerkErrors`).
    Schema(&'static str),
    /// Problem details (`application/problem+json`, RFC 9457).
    Problem,
    /// Nothing is documented: an error is its status (and its raw body).
    Status,
}

impl ErrorFormat {
    /// Problem details (RFC 9457): the code is the problem's `type` and the
    /// message its `title` (not `detail`, which is about this occurrence and
    /// may name what failed).
    pub const PROBLEM: ErrorFormat = ErrorFormat {
        style: ErrorStyle::Problem,
        code: Some("/type"),
        message: Some("/title"),
        trace_id: None,
        trace_header: None,
    };

    /// No error body documented: nothing but the status.
    pub const STATUS: ErrorFormat =
        ErrorFormat { style: ErrorStyle::Status, code: None, message: None, trace_id: None, trace_header: None };

    /// How `Display` names the trace id: the last segment of its pointer, else
    /// the header's name.
    pub(crate) fn trace_label(&self) -> &'static str {
        match (self.trace_id, self.trace_header) {
            (Some(pointer), _) => pointer.rsplit('/').next().unwrap_or(pointer),
            (None, Some(header)) => header,
            (None, None) => "trace id",
        }
    }
}

/// Every string the JSON `pointer` reaches in `value`, a `*` segment standing
/// for each element of a list.
pub(crate) fn strings_at<'v>(value: &'v serde_json::Value, pointer: &str, out: &mut Vec<&'v str>) {
    let Some(rest) = pointer.strip_prefix('/') else {
        if pointer.is_empty() {
            out.extend(value.as_str());
        }
        return;
    };
    let (segment, rest) = match rest.find('/') {
        Some(end) => (&rest[..end], &rest[end..]),
        None => (rest, ""),
    };
    if segment == "*" {
        for item in value.as_array().into_iter().flatten() {
            strings_at(item, rest, out);
        }
        return;
    }
    let key = segment.replace("~1", "/").replace("~0", "~");
    let next = match value {
        serde_json::Value::Object(map) => map.get(&key),
        serde_json::Value::Array(items) => key.parse::<usize>().ok().and_then(|index| items.get(index)),
        _ => None,
    };
    if let Some(next) = next {
        strings_at(next, rest, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(value: &serde_json::Value, pointer: &str) -> Vec<String> {
        let mut out = Vec::new();
        strings_at(value, pointer, &mut out);
        out.into_iter().map(str::to_owned).collect()
    }

    #[test]
    fn pointers_reach_fields_indices_and_every_element() {
        let body = serde_json::json!({
            "errors": [{"code": "a"}, {"code": 7}, {"code": "c"}, {}],
            "a/b": "slash", "t~": "tilde", "n": null
        });
        assert_eq!(at(&body, "/errors/*/code"), ["a", "c"]);
        assert_eq!(at(&body, "/errors/2/code"), ["c"]);
        assert_eq!(at(&body, "/errors/9/code"), Vec::<String>::new());
        assert_eq!(at(&body, "/a~1b"), ["slash"]);
        assert_eq!(at(&body, "/t~0"), ["tilde"]);
        assert!(at(&body, "/n").is_empty() && at(&body, "/missing/deeper").is_empty());
        assert_eq!(at(&serde_json::json!("top"), ""), ["top"]);
    }

    #[test]
    fn the_trace_label_is_the_field_else_the_header() {
        let mut format = ErrorFormat::STATUS;
        assert_eq!(format.trace_label(), "trace id");
        format.trace_header = Some("x-request-id");
        assert_eq!(format.trace_label(), "x-request-id");
        format.trace_id = Some("/meta/request_id");
        assert_eq!(format.trace_label(), "request_id");
    }
}
