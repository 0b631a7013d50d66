//! Serde support for optional *and* nullable fields (`Option<Option<T>>`): a field
//! that is absent stays `None` (via `#[serde(default)]`), while an explicit `null`
//! becomes `Some(None)` instead of collapsing into "absent".

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Reads a present value, `null` included, as `Some(..)`.
pub fn deserialize<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// Writes `Some(None)` as `null` and `Some(Some(v))` as `v`, as serde does;
/// here so that a field names one module, `with = "rt::nullable"`. A `None`
/// field is left out by `skip_serializing_if` before this is reached.
pub fn serialize<S, T>(value: &Option<Option<T>>, serializer: S) -> Result<S::Ok, S::Error>
where
    S: Serializer,
    T: Serialize,
{
    value.serialize(serializer)
}
