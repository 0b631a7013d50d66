//! The spec's bounds (`minimum`/`maximum`, `minItems`/`maxItems`), checked by the
//! generated methods before any I/O: a request Clerk would refuse is never sent.

use crate::Error;

/// The value of a required argument, or an error naming it.
pub fn required<'v, T>(operation: &'static str, argument: &'static str, value: &'v Option<T>) -> Result<&'v T, Error> {
    value.as_ref().ok_or_else(|| Error::InvalidArgument {
        operation,
        argument,
        reason: "is required but was not set".to_owned(),
    })
}

/// `value` must lie within `min..=max` (either side may be open).
pub fn range(
    operation: &'static str,
    argument: &'static str,
    value: i64,
    min: Option<i64>,
    max: Option<i64>,
) -> Result<(), Error> {
    let reason = match (min, max) {
        (Some(min), _) if value < min => format!("{value} is below the minimum {min}"),
        (_, Some(max)) if value > max => format!("{value} is above the maximum {max}"),
        _ => return Ok(()),
    };
    Err(Error::InvalidArgument { operation, argument, reason })
}

/// An array of `len` items must hold between `min` and `max` items.
pub fn count(
    operation: &'static str,
    argument: &'static str,
    len: usize,
    min: Option<i64>,
    max: Option<i64>,
) -> Result<(), Error> {
    let len = i64::try_from(len).unwrap_or(i64::MAX);
    let reason = match (min, max) {
        (Some(min), _) if len < min => format!("{len} items, fewer than the minimum {min}"),
        (_, Some(max)) if len > max => format!("{len} items, more than the maximum {max}"),
        _ => return Ok(()),
    };
    Err(Error::InvalidArgument { operation, argument, reason })
}

use crate::limits::NESTING as MAX_NESTING;

/// Refuses a free-form value nested deeper than `MAX_NESTING`, walking it
/// without recursion.
pub fn nesting(operation: &'static str, argument: &'static str, value: &serde_json::Value) -> Result<(), Error> {
    nesting_from(operation, argument, vec![(value, 1)])
}

/// The same for a free-form object held as a map (its values are one level down).
pub fn nesting_map(
    operation: &'static str,
    argument: &'static str,
    map: &serde_json::Map<String, serde_json::Value>,
) -> Result<(), Error> {
    nesting_from(operation, argument, map.values().map(|value| (value, 2)).collect())
}

fn nesting_from(
    operation: &'static str,
    argument: &'static str,
    mut pending: Vec<(&serde_json::Value, usize)>,
) -> Result<(), Error> {
    while let Some((value, depth)) = pending.pop() {
        let children: Box<dyn Iterator<Item = &serde_json::Value>> = match value {
            serde_json::Value::Array(items) => Box::new(items.iter()),
            serde_json::Value::Object(map) => Box::new(map.values()),
            _ => continue,
        };
        if depth > MAX_NESTING {
            let reason = format!("nests deeper than {MAX_NESTING} levels");
            return Err(Error::InvalidArgument { operation, argument, reason });
        }
        pending.extend(children.map(|child| (child, depth + 1)));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_are_inclusive() {
        assert!(range("Op", "limit", 1, Some(1), Some(500)).is_ok());
        assert!(range("Op", "limit", 500, Some(1), Some(500)).is_ok());
        let below = range("Op", "limit", 0, Some(1), Some(500)).unwrap_err();
        assert_eq!(below.to_string(), "Op: invalid `limit`: 0 is below the minimum 1");
        let above = range("Op", "limit", 501, Some(1), None).is_ok();
        assert!(above, "no maximum means no upper bound");
    }

    fn nested(depth: usize) -> serde_json::Value {
        let mut value = serde_json::json!(1);
        for _ in 0..depth {
            value = serde_json::Value::Array(vec![value]);
        }
        value
    }

    #[test]
    fn free_form_values_may_nest_up_to_the_limit() {
        assert!(nesting("Op", "meta", &nested(MAX_NESTING)).is_ok());
        let error = nesting("Op", "meta", &nested(MAX_NESTING + 1)).unwrap_err();
        assert_eq!(error.to_string(), "Op: invalid `meta`: nests deeper than 128 levels");
        let mut map = serde_json::Map::new();
        map.insert("k".into(), nested(MAX_NESTING - 1));
        assert!(nesting_map("Op", "meta", &map).is_ok());
        map.insert("k".into(), nested(MAX_NESTING));
        assert!(nesting_map("Op", "meta", &map).is_err());
    }

    #[test]
    fn a_value_far_too_deep_is_refused_without_recursing() {
        // Deep enough that a recursive walk (or serde_json's serialiser) would
        // overflow a test thread's stack.
        let deep = nested(10_000);
        assert!(nesting("Op", "meta", &deep).is_err());
        // Dropping it is recursive in serde_json; forget it instead.
        std::mem::forget(deep);
    }

    #[test]
    fn item_counts_are_checked_both_ways() {
        assert!(count("Op", "body", 10, Some(1), Some(10)).is_ok());
        assert!(count("Op", "body", 0, Some(1), Some(10)).unwrap_err().to_string().contains("0 items"));
        assert!(count("Op", "body", 11, Some(1), Some(10)).unwrap_err().to_string().contains("maximum 10"));
    }
}
