//! Expectations, set up through the generated call builders themselves: the
//! arguments a test sets are what a request must hold, and the answer is
//! checked against the operation's document before it is kept.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue};
use percent_encoding::percent_decode_str;
use schema_values::doc::OperationDoc;
use schema_values::synth::{fill_undefined_required, fits, Purpose, Synth};
use serde::Serialize;
use serde_json::Value;

use super::check::{self, ANY_SERVER_MAY_SEND};
use super::mock::{state_of, Answer, Expected, Matcher, RecordedCall, State};
use super::TestValue;
use crate::__private::Prepared;

/// A call builder as an expectation of a [`Mock`](super::Mock): set the
/// arguments a request must hold, then script the answer. An argument left
/// unset matches anything, a required one included: a text argument (a path
/// segment, a query or header value) and a body are filled with stand-ins
/// (see [`Unset`]) so that the request can be built and checked as a call
/// is. A body that is set matches when the request's holds every property
/// the expected one sets.
///
/// Every generated call builder implements it (feature `test-util`). Each
/// method panics, before the test goes on, when the call could not be sent
/// as set up, when the builder's client is not a mock's, or when the answer
/// is one the operation's document rules out; its `try_` form returns why
/// instead.
pub trait Expect: Sized {
    /// What the call's `send` returns.
    type Output;

    /// The request the call would send, its unset arguments filled with
    /// stand-ins (see [`Unset`]), and whether a body was one. Generated code
    /// implements it.
    #[doc(hidden)]
    fn expected_request(self) -> (Prepared, bool);

    /// Answers the calls it matches with the error `status` and `code`, in the
    /// API's error format: a body built from the error schema the operation
    /// documents for `status`, with `code` where the format keeps codes. The
    /// status must be one the operation documents, or one any server may send
    /// (429, 502, 503, 504).
    fn fails(self, status: u16, code: &str) -> Expectation {
        refused(self.try_fails(status, code))
    }

    /// [`fails`](Expect::fails), or why the answer is refused.
    fn try_fails(self, status: u16, code: &str) -> Result<Expectation, String> {
        if status < 400 {
            return Err(format!("{status} is not an error status; `responds` scripts any answer"));
        }
        register(self, |setup| {
            let response = setup.documented(status)?;
            let base = match response.and_then(check::json_schema) {
                Some(schema) => Synth::new(&setup.state.document.get().doc, Purpose::Response).value(schema, ""),
                None => Value::Null,
            };
            let body = match super::errors::error_json(&setup.state.api.errors, base, Some(code), None) {
                Some(json) if response.is_none_or(check::has_content) => json,
                _ => Value::Null,
            };
            setup.answer(status, response, body)
        })
    }

    /// Answers the calls it matches with `status` and the JSON `body`, checked
    /// against what the operation documents for `status` (`Value::Null` for
    /// no body).
    fn responds(self, status: u16, body: Value) -> Expectation {
        refused(self.try_responds(status, body))
    }

    /// [`responds`](Expect::responds), or why the answer is refused.
    fn try_responds(self, status: u16, body: Value) -> Result<Expectation, String> {
        register(self, |setup| {
            let response = setup.documented(status)?;
            setup.answer(status, response, body)
        })
    }
}

/// The typed answers of a call whose success is JSON (or no content).
pub trait Returns: Expect {
    /// Answers the calls it matches with `value`, the call's success, under the
    /// first 2XX status the operation documents.
    fn returns(self, value: Self::Output) -> Expectation {
        refused(self.try_returns(value))
    }

    /// [`returns`](Returns::returns), or why the value is refused: the JSON
    /// path where it breaks the operation's response schema.
    fn try_returns(self, value: Self::Output) -> Result<Expectation, String>;

    /// Answers one call with each value, in order (pages, say): one
    /// expectation per value, each [`times`](Expectation::times)`(1)`.
    fn returns_in_order(self, values: impl IntoIterator<Item = Self::Output>) -> Vec<Expectation>
    where
        Self: Clone,
    {
        values.into_iter().map(|value| self.clone().returns(value).times(1)).collect()
    }
}

impl<T: Expect> Returns for T
where
    T::Output: Serialize,
{
    fn try_returns(self, value: Self::Output) -> Result<Expectation, String> {
        let body = serde_json::to_value(&value).map_err(|error| format!("the value does not serialize: {error}"))?;
        register(self, |setup| {
            let Some(status) = check::success_status(setup.operation) else {
                return Err(format!("{} documents no 2XX answer; `responds` scripts another", setup.id));
            };
            let response = setup.documented(status)?;
            let mut body = body;
            // A property the document requires but never defines has no field
            // in the generated type: served as `null`, as any value fits it.
            if let Some(schema) = response.and_then(check::json_schema) {
                let doc = &setup.state.document.get().doc;
                fill_undefined_required(doc, schema, &mut body, Purpose::Response, 0);
            }
            setup.answer(status, response, body)
        })
    }
}

/// What an expectation's unset text argument is sent as: a stand-in that
/// matches any value in its place (a path segment, a query or header value).
#[doc(hidden)]
pub const ANY: &str = "{any}";

/// An argument an expectation left unset, filled for the request to be
/// built: text with [`ANY`], a model (a body) with its test value, which then
/// matches any body; anything else stays unset. Generated expectations call
/// `(&Unset::of(&field)).fill()`, which picks [`Fill`] where it applies and
/// [`NoFill`] otherwise.
#[doc(hidden)]
pub struct Unset<T>(std::marker::PhantomData<T>);

impl<T> Unset<T> {
    /// The stand-in maker for an `Option<T>` argument.
    pub fn of(_: &Option<T>) -> Unset<T> {
        Unset(std::marker::PhantomData)
    }
}

/// A stand-in for an unset argument, and whether it is a model's value.
#[doc(hidden)]
pub trait Fill {
    /// The argument's type.
    type Out;
    /// The stand-in, and whether it is a model's value (a body).
    fn fill(&self) -> Option<(Self::Out, bool)>;
}

impl Fill for Unset<String> {
    type Out = String;
    fn fill(&self) -> Option<(String, bool)> {
        Some((ANY.to_owned(), false))
    }
}

impl<T: TestValue> Fill for Unset<T> {
    type Out = T;
    fn fill(&self) -> Option<(T, bool)> {
        Some((T::test_value(), true))
    }
}

/// No stand-in: the argument stays unset (a number, an enum, a file).
#[doc(hidden)]
pub trait NoFill {
    /// The argument's type.
    type Out;
    /// Nothing.
    fn fill(&self) -> Option<(Self::Out, bool)>;
}

impl<T> NoFill for &Unset<T> {
    type Out = T;
    fn fill(&self) -> Option<(T, bool)> {
        None
    }
}

/// An expectation set up on a [`Mock`](super::Mock): adjust how it answers,
/// or read the calls it answered.
#[derive(Clone)]
pub struct Expectation {
    state: Arc<State>,
    index: usize,
}

impl std::fmt::Debug for Expectation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Expectation").field("index", &self.index).finish_non_exhaustive()
    }
}

impl Expectation {
    /// Answers `times` calls, then matches no more; the mock's `verify` fails
    /// unless it answered exactly that many.
    pub fn times(self, times: usize) -> Self {
        self.state.lock().expectations[self.index].times = Some(times);
        self
    }

    /// Waits `delay` before answering, to let a client's timeout run out.
    pub fn delay(self, delay: Duration) -> Self {
        self.state.lock().expectations[self.index].answer.delay = Some(delay);
        self
    }

    /// Adds a header to the answer.
    pub fn header(self, name: HeaderName, value: HeaderValue) -> Self {
        self.state.lock().expectations[self.index].answer.headers.append(name, value);
        self
    }

    /// `Retry-After`, in whole seconds, on the answer (a 429 or a 503).
    pub fn retry_after(self, after: Duration) -> Self {
        self.header(http::header::RETRY_AFTER, HeaderValue::from(after.as_secs()))
    }

    /// The calls it answered, in order.
    pub fn calls(&self) -> Vec<RecordedCall> {
        let inner = self.state.lock();
        inner.calls.iter().filter(|call| call.served_by == Some(self.index)).cloned().collect()
    }
}

/// What setting up an answer needs: the operation, its document and mock.
struct Setup<'a> {
    state: &'a Arc<State>,
    id: &'static str,
    operation: OperationDoc<'a>,
}

impl<'a> Setup<'a> {
    /// The response the operation documents for `status`; `None` for a
    /// status any server may send that it does not document.
    fn documented(&self, status: u16) -> Result<Option<&'a Value>, String> {
        match check::documented(self.operation, status) {
            Some(response) => Ok(Some(response)),
            None if ANY_SERVER_MAY_SEND.contains(&status) => Ok(None),
            None => {
                let listed = self
                    .operation
                    .operation
                    .get("responses")
                    .and_then(Value::as_object)
                    .map(|responses| responses.keys().cloned().collect::<Vec<_>>().join(", "))
                    .unwrap_or_default();
                Err(format!("{} does not document a {status} answer (it documents {listed})", self.id))
            }
        }
    }

    /// The answer `status` with `body`, checked against `response`.
    fn answer(&self, status: u16, response: Option<&Value>, body: Value) -> Result<Answer, String> {
        let schema = response.and_then(check::json_schema);
        if let Some(schema) = schema {
            let doc = &self.state.document.get().doc;
            fits(doc, schema, &body, Purpose::Response, 0).map_err(|reason| {
                format!("{} cannot answer {status} with this body: {}", self.id, check::at_path(&reason))
            })?;
        }
        let (body, json) = match body {
            Value::Null if schema.is_none() => (Bytes::new(), false),
            body => (Bytes::from(body.to_string()), true),
        };
        Ok(Answer { status, headers: HeaderMap::new(), body, json, delay: None })
    }
}

/// Sets up an expectation from `call`, answered as `answer` builds it.
fn register<E: Expect>(
    call: E,
    answer: impl FnOnce(&Setup<'_>) -> Result<Answer, String>,
) -> Result<Expectation, String> {
    let (prepared, any_body) = call.expected_request();
    let (client, request) =
        prepared.map_err(|error| format!("the expectation is not a call that could be sent: {}", error.report()))?;
    let Some(state) = state_of(&client) else {
        return Err(format!(
            "the call's client is not a mock's ({}): start expectations from the mock, `mock.<group>().<call>()`",
            client.base_url()
        ));
    };
    let crate::request::Parts { operation, path, query, json: body, headers } = request.parts();
    let parsed = state.document.get();
    let Some((_, operation_doc)) = parsed.operation(operation.id) else {
        return Err(format!("{} is not in the API document kept by its crate", operation.id));
    };
    let setup = Setup { state: &state, id: operation.id, operation: operation_doc };
    let answer = answer(&setup)?;
    let body = match body {
        Some(_) if any_body => None,
        Some(bytes) => Some(
            serde_json::from_slice::<Value>(bytes)
                .map_err(|error| format!("the expected body is not JSON: {error}"))?,
        ),
        None => None,
    };
    // Stand-ins match anything: a path segment, a query or header value.
    let segments = path
        .split('/')
        .skip(1)
        .map(|segment| {
            let segment = percent_decode_str(segment).decode_utf8_lossy().into_owned();
            (segment != ANY).then_some(segment)
        })
        .collect();
    let query = query
        .iter()
        .filter(|(_, value)| value != ANY)
        .map(|(name, value)| ((*name).to_owned(), value.clone()))
        .collect();
    let mut headers = headers.clone();
    let stand_ins: Vec<HeaderName> =
        headers.iter().filter(|(_, value)| value.as_bytes() == ANY.as_bytes()).map(|(name, _)| name.clone()).collect();
    for name in stand_ins {
        headers.remove(name);
    }
    let matcher = Matcher { segments, query, headers, body };
    let mut inner = state.lock();
    inner.expectations.push(Expected { operation: operation.id, matcher, answer, times: None, served: 0 });
    let index = inner.expectations.len() - 1;
    drop(inner);
    Ok(Expectation { state, index })
}

fn refused(result: Result<Expectation, String>) -> Expectation {
    match result {
        Ok(expectation) => expectation,
        Err(reason) => panic!("the mock refuses this expectation: {reason}"),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::test_util::Document;

    static API: crate::Api = crate::Api {
        default_base_url: None,
        user_agent: "test",
        headers: &[],
        schemes: &[],
        secret_var: None,
        errors: crate::ErrorFormat::STATUS,
    };

    static DOC: Document = Document::new(
        r##"{"paths": {"/things": {"get": {"operationId": "ListThings", "responses": {
            "200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Things"}}}},
            "404": {}
        }}}},
        "components": {"schemas": {
            "Things": {"type": "object", "required": ["items", "count"], "properties": {
                "items": {"type": "array", "minItems": 1, "maxItems": 2, "items": {"$ref": "#/components/schemas/Thing"}},
                "count": {"type": "integer", "minimum": 0, "maximum": 100}
            }},
            "Thing": {"type": "object", "required": ["id", "kind"], "properties": {
                "id": {"type": "string", "pattern": "^th_[a-z0-9]+$"},
                "kind": {"type": "string", "enum": ["a", "b"]}
            }}
        }}}"##,
    );

    /// What `try_responds` makes of `status` and `body` for `ListThings`.
    fn answer(status: u16, body: Value) -> Result<Answer, String> {
        let state = Arc::new(State::new(&API, &DOC, "http://127.0.0.1:9".to_owned()));
        let (_, operation) = DOC.get().operation("ListThings").expect("in the document");
        let setup = Setup { state: &state, id: "ListThings", operation };
        let response = setup.documented(status)?;
        setup.answer(status, response, body)
    }

    fn valid() -> Value {
        json!({"items": [{"id": "th_1", "kind": "a"}], "count": 1})
    }

    fn refused_with(status: u16, body: Value) -> String {
        match answer(status, body) {
            Ok(_) => panic!("the answer was kept"),
            Err(reason) => reason,
        }
    }

    #[test]
    fn a_valid_answer_is_kept_as_json() {
        let kept = answer(200, valid()).expect("valid");
        assert!(kept.json && kept.status == 200);
        assert_eq!(serde_json::from_slice::<Value>(&kept.body).unwrap(), valid());
        let empty = answer(404, Value::Null).expect("a 404 without content");
        assert!(empty.body.is_empty() && !empty.json);
    }

    #[test]
    fn a_status_the_operation_does_not_document_is_refused() {
        let reason = refused_with(409, valid());
        assert_eq!(reason, "ListThings does not document a 409 answer (it documents 200, 404)");
        assert!(answer(503, Value::Null).is_ok(), "any server may answer 503");
    }

    #[test]
    fn an_enum_value_outside_the_spec_is_refused() {
        let reason = refused_with(200, json!({"items": [{"id": "th_1", "kind": "c"}], "count": 1}));
        assert_eq!(
            reason,
            "ListThings cannot answer 200 with this body: at $.items[0].kind: \"c\" is not one of the `enum` values"
        );
    }

    #[test]
    fn a_number_out_of_bounds_is_refused() {
        let reason = refused_with(200, json!({"items": [{"id": "th_1", "kind": "a"}], "count": 101}));
        assert!(reason.ends_with("at $.count: 101 is above the `maximum` 100"), "{reason}");
        let reason = refused_with(200, json!({"items": [{"id": "th_1", "kind": "a"}], "count": -1}));
        assert!(reason.ends_with("at $.count: -1 is below the `minimum` 0"), "{reason}");
    }

    #[test]
    fn a_string_that_breaks_its_pattern_is_refused() {
        let reason = refused_with(200, json!({"items": [{"id": "user_1", "kind": "a"}], "count": 1}));
        assert!(reason.ends_with("at $.items[0].id: \"user_1\" does not match `^th_[a-z0-9]+$`"), "{reason}");
    }

    #[test]
    fn too_many_or_too_few_items_are_refused() {
        let reason = refused_with(200, json!({"items": [], "count": 0}));
        assert!(reason.ends_with("at $.items: 0 items, fewer than `minItems`"), "{reason}");
        let three = json!([{"id": "th_1", "kind": "a"}, {"id": "th_2", "kind": "a"}, {"id": "th_3", "kind": "b"}]);
        let reason = refused_with(200, json!({"items": three, "count": 3}));
        assert!(reason.ends_with("at $.items: 3 items, more than `maxItems`"), "{reason}");
    }

    #[test]
    fn a_missing_required_field_is_refused() {
        let reason = refused_with(200, json!({"items": [{"id": "th_1"}], "count": 1}));
        assert!(reason.ends_with("at $.items[0]: required property `kind` is missing"), "{reason}");
        let reason = refused_with(200, json!({"items": [{"id": "th_1", "kind": "a"}]}));
        assert!(reason.ends_with("at $: required property `count` is missing"), "{reason}");
    }
}
