//! Serde support for optional *and* nullable fields (`Option<Option<T>>`): a field
//! that is absent stays `None` (via `#[serde(default)]`), while an explicit `null`
//! becomes `Some(None)` instead of collapsing into "absent".

use serde::{Deserialize, Deserializer};

/// Reads a present value, `null` included, as `Some(..)`.
pub fn deserialize<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}
