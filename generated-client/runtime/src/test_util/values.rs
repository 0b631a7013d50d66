//! Test values of generated models: built at run time from the schema the
//! model was made from, so a generated crate carries one line per model, not
//! a literal per model.

use schema_values::synth::{Purpose, Synth};
use serde::de::DeserializeOwned;

use super::Document;

/// A value of a generated type that is valid against its schema, for tests:
/// every property set, each from the document's `example`, `default` or first
/// `enum` value where one fits, else made to fit the schema's type, format,
/// bounds and pattern; the first variant of a union. The same rule for every
/// type, so a test sets only the fields it is about:
///
/// ```ignore
/// let mut invitation = OrganizationInvitation::test_value();
/// invitation.email_address = "ada@example.com".to_owned();
/// ```
pub trait TestValue: Sized {
    /// The value.
    fn test_value() -> Self;
}

/// The test value of the type generated as `type_name` from `document`.
/// Generated crates call it from their `TestValue` impls.
///
/// # Panics
///
/// When the type has no schema in the document, or the value built does not
/// decode as the type: the generator wrote both, so either is its bug, and
/// the message says which type and why.
#[doc(hidden)]
pub fn value<T: DeserializeOwned>(document: &'static Document, type_name: &str) -> T {
    let parsed = document.get();
    let Some(pointer) = parsed.type_pointer(type_name) else {
        panic!("the type `{type_name}` has no schema in the API document kept by its crate: regenerate the crate")
    };
    let Some(schema) = parsed.doc.pointer(pointer) else {
        panic!("the schema `{pointer}` of `{type_name}` is not in the API document kept by its crate")
    };
    let json = Synth::new(&parsed.doc, Purpose::Response).value(schema, pointer);
    match serde_json::from_value::<T>(json.clone()) {
        Ok(value) => value,
        Err(reason) => {
            panic!("the test value of `{type_name}` (from `{pointer}`) does not decode: {reason}; value: {json}")
        }
    }
}

/// A list of one item's test value: the smallest list a body of them holds
/// (the spec's `minItems` for a bulk body is 1).
impl<T: TestValue> TestValue for Vec<T> {
    fn test_value() -> Self {
        vec![T::test_value()]
    }
}
