//! The spec's bounds (`minimum`/`maximum`, `minItems`/`maxItems`), checked by the
//! generated methods before any I/O: a request the server would refuse is never sent.

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

    #[test]
    fn item_counts_are_checked_both_ways() {
        assert!(count("Op", "body", 10, Some(1), Some(10)).is_ok());
        assert!(count("Op", "body", 0, Some(1), Some(10)).unwrap_err().to_string().contains("0 items"));
        assert!(count("Op", "body", 11, Some(1), Some(10)).unwrap_err().to_string().contains("maximum 10"));
    }
}
