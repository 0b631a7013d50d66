//! Retry facts the generator derives from the spec: the backoff policy of
//! `x-speakeasy-retries`, and whether an operation is safe to send twice.

use serde_json::Value;

use crate::error::pointer;
use crate::ir::{HttpMethod, RetryPolicy, RetrySafety};
use crate::Error;

/// Parses `x-speakeasy-retries` found at `at`. Missing backoff numbers take
/// Speakeasy's documented defaults.
pub fn policy(value: &Value, at: &str) -> Result<RetryPolicy, Error> {
    let strategy = value.get("strategy").and_then(Value::as_str);
    if strategy != Some("backoff") {
        return Err(Error::at(pointer(at, "strategy"), "only `strategy: backoff` is supported"));
    }
    let backoff = value.get("backoff");
    let number = |key: &str, default: u64| -> Result<u64, Error> {
        match backoff.and_then(|b| b.get(key)) {
            None => Ok(default),
            Some(value) => value.as_u64().ok_or_else(|| {
                Error::at(pointer(&pointer(at, "backoff"), key), "must be a whole number of milliseconds")
            }),
        }
    };
    let exponent = match backoff.and_then(|b| b.get("exponent")) {
        None => 1.5,
        Some(value) => value
            .as_f64()
            .filter(|exponent| exponent.is_finite() && *exponent >= 1.0)
            .ok_or_else(|| Error::at(pointer(&pointer(at, "backoff"), "exponent"), "must be a number ≥ 1"))?,
    };
    let mut status_codes = Vec::new();
    let codes = value.get("statusCodes").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    for (index, code) in codes.iter().enumerate() {
        let text = match code {
            Value::String(text) => text.to_ascii_uppercase(),
            Value::Number(number) => number.to_string(),
            _ => String::new(),
        };
        let valid = text.len() == 3
            && text.as_bytes()[0].is_ascii_digit()
            && (text[1..] == *"XX" || text[1..].bytes().all(|b| b.is_ascii_digit()));
        if !valid {
            let code_at = pointer(&pointer(at, "statusCodes"), &index.to_string());
            return Err(Error::at(code_at, format!("`{code}` is not a status code or range such as `5XX`")));
        }
        status_codes.push(text);
    }
    Ok(RetryPolicy {
        initial_interval_ms: number("initialInterval", 500)?,
        max_interval_ms: number("maxInterval", 60_000)?,
        max_elapsed_ms: number("maxElapsedTime", 3_600_000)?,
        exponent,
        status_codes,
        retry_connection_errors: value.get("retryConnectionErrors").and_then(Value::as_bool).unwrap_or(false),
    })
}

/// Verbs that start the operationId of a POST/PATCH that only changes the state of
/// something that exists: sending it twice leaves the same state.
const IDEMPOTENT_VERBS: &[&str] = &["Revoke", "Delete", "Update", "Set"];

/// GET, PUT and DELETE are idempotent by HTTP's definition. A POST or PATCH is
/// taken as possibly creating (Clerk's create calls also send e-mail) unless its
/// operationId starts with a verb from `IDEMPOTENT_VERBS` (Clerk's operationIds
/// begin with their verb: `CreateOrganizationInvitation`, `RevokeOrganizationInvitation`).
pub fn safety(method: HttpMethod, operation_id: &str) -> RetrySafety {
    match method {
        HttpMethod::Get | HttpMethod::Put | HttpMethod::Delete => RetrySafety::Idempotent,
        HttpMethod::Post | HttpMethod::Patch => {
            let verb_then_noun = |verb: &&str| {
                operation_id.strip_prefix(verb).is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase()))
            };
            if IDEMPOTENT_VERBS.iter().any(verb_then_noun) {
                RetrySafety::Idempotent
            } else {
                RetrySafety::UnsentOnly
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn clerk_policy_is_read_exactly() {
        let value = json!({"strategy": "backoff", "backoff": {"initialInterval": 500, "maxInterval": 60000,
            "maxElapsedTime": 3600000, "exponent": 1.5}, "statusCodes": ["5XX"], "retryConnectionErrors": true});
        let policy = policy(&value, "#/x-speakeasy-retries").unwrap();
        assert_eq!(policy.initial_interval_ms, 500);
        assert_eq!(policy.max_interval_ms, 60_000);
        assert_eq!(policy.max_elapsed_ms, 3_600_000);
        assert_eq!(policy.exponent, 1.5);
        assert_eq!(policy.status_codes, vec!["5XX".to_owned()]);
        assert!(policy.retry_connection_errors);
    }

    #[test]
    fn bad_status_codes_and_strategies_name_their_pointer() {
        let error = policy(&json!({"strategy": "backoff", "statusCodes": ["5XY"]}), "#/x").unwrap_err();
        assert_eq!(error.pointer.as_deref(), Some("#/x/statusCodes/0"));
        let error = policy(&json!({"strategy": "linear"}), "#/x").unwrap_err();
        assert_eq!(error.pointer.as_deref(), Some("#/x/strategy"));
    }

    #[test]
    fn creating_posts_are_unsent_only_and_revoke_is_idempotent() {
        assert_eq!(safety(HttpMethod::Post, "CreateOrganizationInvitation"), RetrySafety::UnsentOnly);
        assert_eq!(safety(HttpMethod::Post, "CreateOrganizationInvitationBulk"), RetrySafety::UnsentOnly);
        assert_eq!(safety(HttpMethod::Post, "RevokeOrganizationInvitation"), RetrySafety::Idempotent);
        assert_eq!(safety(HttpMethod::Post, "Settle"), RetrySafety::UnsentOnly, "a verb must end at a word break");
        assert_eq!(safety(HttpMethod::Get, "ListOrganizationInvitations"), RetrySafety::Idempotent);
    }
}
