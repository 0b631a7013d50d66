//! The `test-util` feature as a user's own tests meet it: errors built as
//! calls get them, driving the error branches of the user's code with no
//! server.

use std::time::Duration;

use clerk_invitations::test_util::api_error;
use clerk_invitations::{Error, ErrorBody, TimeoutKind, TransportError};

/// A user's code: what to do about a failed invitation lookup.
fn advice(error: &Error) -> String {
    match error {
        error if error.is_not_found() => "gone: remove it from the list".to_owned(),
        error if error.is_rate_limited() => {
            let wait = error.api().and_then(|api| api.retry_after).unwrap_or(Duration::from_secs(1));
            format!("busy: try again in {} s", wait.as_secs())
        }
        Error::Api(api) if api.status == 422 => format!("refused: {}", api.codes().join(", ")),
        Error::Timeout { .. } => "slow: try again later".to_owned(),
        Error::Transport { source, .. } if source.is_connect() => "offline: check the network".to_owned(),
        other => format!("failed: {other}"),
    }
}

#[test]
fn a_404_built_for_the_operation_reads_as_a_real_one() {
    let error = api_error("GetOrganizationInvitation", 404).code("resource_not_found").message("not found").build();
    assert_eq!(advice(&error), "gone: remove it from the list");
    assert_eq!(error.code(), Some("resource_not_found"));
    assert_eq!(error.to_string(), "GetOrganizationInvitation: HTTP 404: resource_not_found: not found");
    let json = error.api().and_then(|api| api.json()).cloned().expect("a JSON body");
    assert_eq!(json["errors"][0]["code"], "resource_not_found", "where Clerk's format keeps codes");
    assert_eq!(json["errors"][0]["message"], "not found");
    // The rest from the error schema's test value: it decodes as Clerk's model.
    let body = error.error_body().expect("the body is a ClerkErrors");
    assert_eq!((body.errors.len(), body.errors[0].code.as_str()), (1, "resource_not_found"));
    assert!(!body.errors[0].long_message.is_empty());
}

#[test]
fn a_422_with_codes_a_429_with_retry_after_and_a_trace_id_from_the_body() {
    let error =
        api_error("CreateOrganizationInvitation", 422).code("form_param_format_invalid").trace_id("t-9").build();
    assert_eq!(advice(&error), "refused: form_param_format_invalid");
    assert_eq!(error.trace_id(), Some("t-9"));
    let busy = api_error("ListOrganizationInvitations", 429).retry_after(Duration::from_secs(3)).build();
    assert_eq!(advice(&busy), "busy: try again in 3 s");
}

#[test]
fn timeouts_transport_failures_and_refused_arguments_are_plain_values() {
    let slow =
        Error::Timeout { operation: "GetOrganizationInvitation", kind: TimeoutKind::Deadline(Duration::from_secs(60)) };
    assert_eq!(advice(&slow), "slow: try again later");
    let offline =
        Error::Transport { operation: "GetOrganizationInvitation", source: TransportError::for_test("refused", true) };
    assert_eq!(advice(&offline), "offline: check the network");
    let refused = Error::InvalidArgument {
        operation: "GetOrganizationInvitation",
        argument: "invitation_id",
        reason: "is required but was not set".to_owned(),
    };
    assert!(refused.is_invalid_argument());
    assert_eq!(
        advice(&refused),
        "failed: GetOrganizationInvitation: invalid `invitation_id`: is required but was not set"
    );
}
