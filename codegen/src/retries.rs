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

/// Verbs that start the operationId of a POST/PATCH that sets the state of
/// something that exists: sending it twice leaves the state the first left (the
/// second may answer with an error, such as revoking what is already revoked,
/// but changes nothing). Clerk's operationIds begin with their verb
/// (`RevokeOrganizationInvitation`, `updateApiKey`).
///
/// - `Revoke`, `Delete`, `Remove`, `Ban`, `Unban`, `Lock`, `Unlock`, `Revert`:
///   put something into a state (revoked, gone, banned, default) it stays in;
/// - `Update`, `Set`, `Unset`, `Replace`, `Upsert`, `Merge`, `Toggle`: write the
///   values the request carries (Clerk's deep merge of metadata is a merge with
///   the same values again; `ToggleTemplateDelivery` sets `delivered_by_clerk`,
///   it does not flip it);
/// - `Assign`: adds a permission to a role's set, where it is then present once;
/// - `Verify`, `Preview`: check or render what is sent and change nothing (but
///   see `EXCEPTIONS`).
///
/// Verbs left out create, send or spend something each time: `Create`, `Add`
/// (`AddDomain`), `Invite`, `Prepare` (sends a code), `Attempt` (uses up one of
/// the verification's attempts), `Rotate` (a second rotation ends the grace
/// period of the key the caller still uses), `Refresh`, `Generate`.
const IDEMPOTENT_VERBS: &[&str] = &[
    "Assign", "Ban", "Delete", "Lock", "Merge", "Preview", "Remove", "Replace", "Revert", "Revoke", "Set", "Toggle",
    "Unban", "Unlock", "Unset", "Update", "Upsert", "Verify",
];

/// Clerk operations the verb rule gets wrong, each decided by what sending it
/// twice does.
const EXCEPTIONS: &[(&str, RetrySafety, &str)] = &[
    (
        "VerifyPassword",
        RetrySafety::UnsentOnly,
        "a wrong password may count against the user's lockout; a retry would count it twice",
    ),
    ("VerifyTOTP", RetrySafety::UnsentOnly, "a backup code is used up when accepted: the retry of a success fails"),
    ("UsersBan", RetrySafety::Idempotent, "bans the listed users, like `BanUser`"),
    ("UsersUnban", RetrySafety::Idempotent, "lifts the ban of the listed users, like `UnbanUser`"),
    ("AddRolesToRoleSet", RetrySafety::Idempotent, "a role set holds each role once"),
    (
        "AdjustUserBillingCreditBalance",
        RetrySafety::Idempotent,
        "its required `idempotency_key` makes Clerk apply one adjustment per key",
    ),
    (
        "AdjustOrganizationBillingCreditBalance",
        RetrySafety::Idempotent,
        "its required `idempotency_key` makes Clerk apply one adjustment per key",
    ),
    (
        "ExtendBillingSubscriptionItemFreeTrial",
        RetrySafety::Idempotent,
        "extends the trial to the timestamp sent, documented as idempotent",
    ),
    (
        "ApplyBillingSubscriptionItemDiscount",
        RetrySafety::Idempotent,
        "an item has one active discount; applying it again changes nothing (Clerk answers 409)",
    ),
    ("ChangeProductionInstanceDomain", RetrySafety::Idempotent, "sets the domain sent, like the PUT that updates it"),
    ("RejectWaitlistEntry", RetrySafety::Idempotent, "puts the entry into the rejected state"),
];

/// GET, PUT and DELETE are idempotent by HTTP's definition. A POST or PATCH is
/// taken as possibly creating (Clerk's create calls also send e-mail) unless its
/// operationId starts with a verb from `IDEMPOTENT_VERBS` (in either case:
/// `revokeApiKey` too), or `EXCEPTIONS` names it.
pub fn safety(method: HttpMethod, operation_id: &str) -> RetrySafety {
    match method {
        HttpMethod::Get | HttpMethod::Put | HttpMethod::Delete => RetrySafety::Idempotent,
        HttpMethod::Post | HttpMethod::Patch => {
            if let Some((_, safety, _)) = EXCEPTIONS.iter().find(|(id, _, _)| *id == operation_id) {
                return *safety;
            }
            if IDEMPOTENT_VERBS.contains(&leading_verb(operation_id).as_str()) {
                RetrySafety::Idempotent
            } else {
                RetrySafety::UnsentOnly
            }
        }
    }
}

/// Why `operation_id` is an exception to the verb rule, if it is one.
pub fn exception(operation_id: &str) -> Option<&'static str> {
    EXCEPTIONS.iter().find(|(id, _, _)| *id == operation_id).map(|(_, _, why)| *why)
}

/// The first word of a camelCase or PascalCase operationId, capitalised:
/// `revokeApiKey` → `Revoke`. A word ends at the next capital or non-letter, so
/// `Settle` is not `Set`.
fn leading_verb(operation_id: &str) -> String {
    let mut chars = operation_id.chars();
    let Some(first) = chars.next().filter(char::is_ascii_alphabetic) else { return String::new() };
    std::iter::once(first.to_ascii_uppercase()).chain(chars.take_while(char::is_ascii_lowercase)).collect()
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

    #[test]
    fn verbs_match_in_either_case_and_exceptions_win() {
        assert_eq!(safety(HttpMethod::Post, "revokeApiKey"), RetrySafety::Idempotent);
        assert_eq!(safety(HttpMethod::Patch, "updateApiKey"), RetrySafety::Idempotent);
        assert_eq!(safety(HttpMethod::Post, "createApiKey"), RetrySafety::UnsentOnly);
        assert_eq!(safety(HttpMethod::Post, "VerifyClient"), RetrySafety::Idempotent);
        assert_eq!(safety(HttpMethod::Post, "VerifyTOTP"), RetrySafety::UnsentOnly);
        assert_eq!(safety(HttpMethod::Post, "UsersBan"), RetrySafety::Idempotent);
        assert_eq!(safety(HttpMethod::Post, "AddDomain"), RetrySafety::UnsentOnly);
        assert_eq!(safety(HttpMethod::Post, "AddRolesToRoleSet"), RetrySafety::Idempotent);
        assert_eq!(safety(HttpMethod::Post, "RotateMachineSecretKey"), RetrySafety::UnsentOnly);
        assert_eq!(safety(HttpMethod::Post, "Set"), RetrySafety::Idempotent, "a verb alone is a word");
        assert_eq!(safety(HttpMethod::Post, ""), RetrySafety::UnsentOnly);
        assert_eq!(safety(HttpMethod::Post, "_Revoke"), RetrySafety::UnsentOnly);
    }

    #[test]
    fn every_exception_differs_from_what_the_verb_rule_says() {
        for (id, safety, _) in EXCEPTIONS {
            let by_verb = if IDEMPOTENT_VERBS.contains(&leading_verb(id).as_str()) {
                RetrySafety::Idempotent
            } else {
                RetrySafety::UnsentOnly
            };
            assert_ne!(by_verb, *safety, "{id} needs no exception");
        }
    }
}
