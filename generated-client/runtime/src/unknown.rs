//! The value of an open enum that this client does not know.

use std::fmt;
use std::marker::PhantomData;

/// An enum value the spec did not list when the client was generated, kept as
/// sent. It is opaque on purpose: code cannot match on the text of an unknown
/// value, so when a later spec lists it (and it gets its own variant) no match
/// silently stops working. Read it with [`as_str`](Self::as_str).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownValue(String);

impl UnknownValue {
    /// Wraps a value no variant has; used by generated enums.
    #[doc(hidden)]
    pub fn new(value: String) -> Self {
        UnknownValue(value)
    }

    /// The value as it was sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Deserializes an open enum from a string without allocating for a value the
/// enum lists: the text is matched as borrowed (`From<&str>`), and only an
/// unknown value is copied. A string the deserializer already owns (JSON text
/// with escapes) is moved in (`From<String>`), not copied again.
pub fn deserialize_open_enum<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: for<'a> From<&'a str> + From<String>,
{
    deserializer.deserialize_str(OpenEnumVisitor(PhantomData))
}

struct OpenEnumVisitor<T>(PhantomData<fn() -> T>);

impl<T> serde::de::Visitor<'_> for OpenEnumVisitor<T>
where
    T: for<'a> From<&'a str> + From<String>,
{
    type Value = T;

    // The same words as `String`'s own visitor, so a mistyped value reads as before.
    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a string")
    }

    // `visit_borrowed_str` (JSON text without escapes) lands here too.
    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<T, E> {
        Ok(T::from(value))
    }

    fn visit_string<E: serde::de::Error>(self, value: String) -> Result<T, E> {
        Ok(T::from(value))
    }

    // `String` accepts UTF-8 bytes too; so does this.
    fn visit_bytes<E: serde::de::Error>(self, value: &[u8]) -> Result<T, E> {
        match std::str::from_utf8(value) {
            Ok(text) => Ok(T::from(text)),
            Err(_) => Err(E::invalid_value(serde::de::Unexpected::Bytes(value), &self)),
        }
    }

    fn visit_byte_buf<E: serde::de::Error>(self, value: Vec<u8>) -> Result<T, E> {
        match String::from_utf8(value) {
            Ok(text) => Ok(T::from(text)),
            Err(error) => Err(E::invalid_value(serde::de::Unexpected::Bytes(error.as_bytes()), &self)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shape generated open enums have.
    #[derive(Debug, PartialEq)]
    enum Status {
        Pending,
        Unknown(UnknownValue),
    }

    impl From<&str> for Status {
        fn from(value: &str) -> Self {
            match value {
                "pending" => Status::Pending,
                _ => Status::Unknown(UnknownValue::new(value.to_owned())),
            }
        }
    }

    impl From<String> for Status {
        fn from(value: String) -> Self {
            match value.as_str() {
                "pending" => Status::Pending,
                _ => Status::Unknown(UnknownValue::new(value)),
            }
        }
    }

    impl<'de> serde::Deserialize<'de> for Status {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserialize_open_enum(deserializer)
        }
    }

    #[test]
    fn known_and_unknown_values_borrowed_escaped_or_owned() {
        assert_eq!(serde_json::from_str::<Status>(r#""pending""#).unwrap(), Status::Pending);
        // An escape makes serde_json hand over a transient (not borrowed) str.
        assert_eq!(serde_json::from_str::<Status>(r#""pend\u0069ng""#).unwrap(), Status::Pending);
        let unknown = Status::Unknown(UnknownValue::new("archived".to_owned()));
        assert_eq!(serde_json::from_str::<Status>(r#""archived""#).unwrap(), unknown);
        assert_eq!(serde_json::from_str::<Status>(r#""arch\u0069ved""#).unwrap(), unknown);
        // From a reader nothing is borrowed.
        assert_eq!(serde_json::from_reader::<_, Status>(&br#""archived""#[..]).unwrap(), unknown);
        // An owned `String` (from a `serde_json::Value`) is moved in.
        assert_eq!(serde_json::from_value::<Status>(serde_json::json!("pending")).unwrap(), Status::Pending);
        assert_eq!(serde_json::from_value::<Status>(serde_json::json!("archived")).unwrap(), unknown);
    }

    #[test]
    fn a_value_that_is_not_a_string_is_refused_as_before() {
        let ours = serde_json::from_str::<Status>("1").unwrap_err().to_string();
        let string = serde_json::from_str::<String>("1").unwrap_err().to_string();
        assert_eq!(ours, string);
    }
}
