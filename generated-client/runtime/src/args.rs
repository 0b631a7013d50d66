//! Arguments a caller gives in more than one form: an integer of any type for
//! an integer parameter, a JSON object as a `Map` or as a `Value` for a
//! free-form object field. A form that can hold what the spec cannot (a
//! `u64` past `i64::MAX`, a `json!` array) is refused before any I/O, as
//! `Error::InvalidArgument`.

use serde_json::{Map, Value};

use crate::__private::Prepared;
use crate::request::Request;
use crate::Error;

/// What a call builder keeps beside its arguments: the caller's headers, and
/// the first argument refused while it was set, reported when the call is
/// sent. Generated call builders hold one.
#[derive(Debug, Clone, Default)]
pub struct Extra {
    pub(crate) headers: Vec<(String, String)>,
    refused: Option<(&'static str, String)>,
}

impl Extra {
    /// `value` as the parameter's integer type `T`, or `None` with `argument`
    /// refused when it does not fit (until it is set again with one that does).
    #[inline]
    pub fn integer<T: TryFrom<i128>>(&mut self, argument: &'static str, value: impl Integer) -> Option<T> {
        match value.wide().and_then(|wide| T::try_from(wide).ok()) {
            Some(value) => {
                if self.refused.as_ref().is_some_and(|(refused, _)| *refused == argument) {
                    self.refused = None;
                }
                Some(value)
            }
            None => {
                let target = std::any::type_name::<T>();
                self.refused.get_or_insert((argument, format!("is out of the range of `{target}`")));
                None
            }
        }
    }

    /// The request with the caller's headers. Generated `request()` functions
    /// end with it.
    #[inline]
    pub fn apply(&self, request: Request) -> Result<Request, Error> {
        request.headers(&self.headers)
    }

    /// The argument refused while it was set, taken before the call's
    /// `request()` runs (see [`refused_first`]).
    #[doc(hidden)]
    #[inline]
    pub fn take_refused(&mut self) -> Option<(&'static str, String)> {
        self.refused.take()
    }

    /// Adds a header of the caller's (a call builder's `header`).
    #[doc(hidden)]
    #[inline]
    pub fn push_header(&mut self, name: String, value: String) {
        self.headers.push((name, value));
    }
}

/// What a call's `request()` gave, unless an argument was refused while it
/// was set: that refusal comes first (a refused required integer would
/// otherwise read as one left unset), with the call's operationId.
#[doc(hidden)]
#[inline]
pub fn refused_first(refused: Option<(&'static str, String)>, prepared: Prepared) -> Prepared {
    let Some((argument, reason)) = refused else { return prepared };
    let operation = match &prepared {
        Ok((_, request)) => request.operation_id(),
        Err(Error::InvalidArgument { operation, .. } | Error::Encode { operation, .. }) => operation,
        Err(_) => "",
    };
    Err(Error::InvalidArgument { operation, argument, reason })
}

/// The primitive integer types, each taken by an integer parameter's setter
/// and checked against the parameter's type when the call is sent.
pub trait Integer: Copy + sealed::Sealed {
    /// The value, if an `i128` holds it.
    #[doc(hidden)]
    fn wide(self) -> Option<i128>;
}

mod sealed {
    pub trait Sealed {}
}

macro_rules! integers {
    ($($ty:ty),*) => {
        $(
            impl sealed::Sealed for $ty {}
            impl Integer for $ty {
                #[inline]
                fn wide(self) -> Option<i128> {
                    i128::try_from(self).ok()
                }
            }
        )*
    };
}

integers!(i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize);

/// A free-form JSON object as a setter takes it: a `Map`, which sets the
/// field, or a `Value` (`json!({…})`), which gives a `Result`: anything but
/// an object is `Error::InvalidArgument`, naming the model and the field.
pub trait JsonObject: sealed::Sealed {
    /// What the setter returns: the model, or a `Result` of it.
    type Set<T>;
    /// Sets the field of `target` with `put`.
    #[doc(hidden)]
    fn set<T>(self, target: T, field: &'static str, put: fn(T, Map<String, Value>) -> T) -> Self::Set<T>;
}

impl sealed::Sealed for Map<String, Value> {}
impl sealed::Sealed for Value {}

impl JsonObject for Map<String, Value> {
    type Set<T> = T;

    #[inline]
    fn set<T>(self, target: T, _field: &'static str, put: fn(T, Map<String, Value>) -> T) -> T {
        put(target, self)
    }
}

impl JsonObject for Value {
    type Set<T> = Result<T, Error>;

    #[inline]
    fn set<T>(self, target: T, field: &'static str, put: fn(T, Map<String, Value>) -> T) -> Result<T, Error> {
        let kind = match self {
            Value::Object(map) => return Ok(put(target, map)),
            Value::Array(_) => "an array",
            Value::String(_) => "a string",
            Value::Number(_) => "a number",
            Value::Bool(_) => "a boolean",
            Value::Null => "null",
        };
        // The model's name, for want of an operation: a model is set before
        // it is given to a call.
        let model = std::any::type_name::<T>().rsplit("::").next().unwrap_or_default();
        Err(Error::InvalidArgument {
            operation: model,
            argument: field,
            reason: format!("must be a JSON object, not {kind}"),
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn an_integer_of_any_type_is_taken_and_one_out_of_range_is_refused_until_replaced() {
        let mut extra = Extra::default();
        assert_eq!(extra.integer::<i64>("limit", 10usize), Some(10));
        assert_eq!(extra.integer::<i64>("limit", -3i8), Some(-3));
        assert_eq!(extra.integer::<i64>("limit", u64::MAX), None);
        assert_eq!(extra.refused, Some(("limit", "is out of the range of `i64`".to_owned())));
        assert_eq!(extra.integer::<i32>("offset", u128::MAX), None);
        assert_eq!(extra.refused.as_ref().map(|refused| refused.0), Some("limit"), "the first refusal is kept");
        assert_eq!(extra.integer::<i64>("limit", 5u8), Some(5));
        assert_eq!(extra.refused, None, "set again with a value that fits");
    }

    #[derive(Debug, PartialEq)]
    struct Model {
        metadata: Option<Map<String, Value>>,
    }

    fn put(mut model: Model, map: Map<String, Value>) -> Model {
        model.metadata = Some(map);
        model
    }

    #[test]
    fn a_json_object_is_taken_as_a_map_or_a_value_and_anything_else_refused() {
        let map: Map<String, Value> = [("a".to_owned(), json!(1))].into_iter().collect();
        let set = map.clone().set(Model { metadata: None }, "metadata", put);
        assert_eq!(set.metadata.as_ref(), Some(&map));
        let set = json!({"a": 1}).set(Model { metadata: None }, "metadata", put).expect("an object");
        assert_eq!(set.metadata, Some(map));
        let refused = json!([1, 2]).set(Model { metadata: None }, "metadata", put).unwrap_err();
        assert_eq!(refused.to_string(), "Model: invalid `metadata`: must be a JSON object, not an array");
    }
}
