//! The value of an open enum that this client does not know.

use std::fmt;

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
