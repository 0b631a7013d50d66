//! Contract tests: every operation of the generated client against Prism, an
//! OpenAPI mock server serving the spec with `--errors`, so that a request that
//! violates the spec gets an error status and fails the call.
//!
//! `cargo xtask contract` starts Prism and runs this test once per spec and mode
//! with `CONTRACT_BASE_URL` (the mock's URL) and `CONTRACT_MODE`: `static`
//! (responses built from the schemas, the same every time; a few calls per
//! operation) or `dynamic` (random responses; many calls per operation, to find
//! a response shape the generated models do not decode).
//!
//! Every request is valid per the spec; every call must succeed. An `Err` is an
//! API error (Prism found a violation in the request: the failure quotes its
//! `sl-violations` header, and `cargo xtask contract` its log) or a
//! decode error (the response does not fit the generated model: the error names
//! the JSON path).

use std::time::Duration;

use clerk_invitations::{
    Client, CreateOrganizationInvitationBulkRequestItem, CreateOrganizationInvitationRequest, Error,
    ListInstanceOrganizationInvitationsParams, ListInstanceOrganizationInvitationsStatus,
    ListOrganizationInvitationsParams, ListOrganizationInvitationsStatus, ListPendingOrganizationInvitationsParams,
    OrganizationInvitation, OrganizationInvitationObject, OrganizationInvitationWithPublicOrganizationDataObject,
    OrganizationInvitations, OrganizationInvitationsWithPublicOrganizationData, Retries,
    RevokeOrganizationInvitationRequest,
};
use serde_json::{json, Map, Value};

/// Rounds in static mode: enough to send every request variant below once.
const STATIC_ROUNDS: usize = 4;
/// Rounds in dynamic mode: each round calls every operation once.
const DYNAMIC_ROUNDS: usize = 50;
/// create, bulk_create, get, list, list_pending, list_all, revoke.
const OPERATIONS: [&str; 7] = ["create", "bulk_create", "get", "list", "list_pending", "list_all", "revoke"];
/// A hung mock must not hang CI: the whole test gets this long.
const WHOLE_TEST_LIMIT: Duration = Duration::from_secs(300);
/// Failures printed in full; the rest are counted.
const SHOWN_FAILURES: usize = 20;

#[tokio::test]
#[ignore = "needs Prism; run by `cargo xtask contract`"]
async fn every_operation_conforms_to_the_spec() {
    let Ok(base_url) = std::env::var("CONTRACT_BASE_URL") else {
        panic!("CONTRACT_BASE_URL is not set: this test needs a Prism mock server; run it with `cargo xtask contract`");
    };
    let mode = std::env::var("CONTRACT_MODE").unwrap_or_else(|_| "static".to_owned());
    let rounds = match mode.as_str() {
        "static" => STATIC_ROUNDS,
        "dynamic" => DYNAMIC_ROUNDS,
        other => panic!("CONTRACT_MODE must be `static` or `dynamic`, not `{other}`"),
    };
    let spec = std::env::var("CONTRACT_SPEC").unwrap_or_else(|_| "(spec not named)".to_owned());
    println!("contract: {spec}, {mode} mode, Prism at {base_url}, {rounds} rounds of {} operations", OPERATIONS.len());
    std::thread::spawn(|| {
        std::thread::sleep(WHOLE_TEST_LIMIT);
        eprintln!("contract: still running after {} s; giving up", WHOLE_TEST_LIMIT.as_secs());
        std::process::exit(101);
    });

    // One request per call, so a failure shows at once and the count is of requests.
    let client = Client::builder()
        .secret("sk_test_contract")
        .base_url(&base_url)
        .timeout(Duration::from_secs(30))
        .retries(Retries::off())
        .build()
        .expect("a client for the mock server");
    let api = client.organization_invitations();
    let mut tally = Tally::default();
    for round in 0..rounds {
        let org = format!("org_2vQ8cXJ8kLmN4pRsTuVw{round:04}");
        let invitation = format!("orginv_2vQ9dK9mNpQrStUvWxYz{round:04}");

        let result = api.create().organization_id(&org).body(create_body(round)).send().await;
        tally.record("create", round, result, check_invitation);

        let result = api.bulk_create().organization_id(&org).body(bulk_body(round)).send().await;
        tally.record("bulk_create", round, result, check_page);

        let result = api.get().organization_id(&org).invitation_id(&invitation).send().await;
        tally.record("get", round, result, check_invitation);

        let result = api.list().organization_id(&org).params(list_params(round)).send().await;
        tally.record("list", round, result, check_page);

        #[allow(deprecated)]
        let result = api.list_pending().organization_id(&org).params(list_pending_params(round)).send().await;
        tally.record("list_pending", round, result, check_page);

        let result = api.list_all().params(list_all_params(round)).send().await;
        tally.record("list_all", round, result, check_instance_page);

        let revoke = api.revoke().organization_id(&org).invitation_id(&invitation);
        let revoke = match revoke_body(round) {
            Some(body) => revoke.body(body),
            None => revoke,
        };
        let result = revoke.send().await;
        tally.record("revoke", round, result, check_invitation);
    }
    tally.finish(rounds);
}

/// Calls made and what went wrong, per operation.
#[derive(Default)]
struct Tally {
    calls: Vec<(&'static str, usize)>,
    failures: Vec<String>,
}

impl Tally {
    fn record<T>(
        &mut self,
        operation: &'static str,
        round: usize,
        result: Result<T, Error>,
        check: impl FnOnce(&T) -> Result<(), String>,
    ) {
        match self.calls.iter_mut().find(|(name, _)| *name == operation) {
            Some((_, count)) => *count += 1,
            None => self.calls.push((operation, 1)),
        }
        let failure = match result {
            Ok(value) => check(&value).err(),
            Err(error) => Some(match error.api() {
                // Prism names what the request violated in a header; the body is
                // just the spec's error example.
                Some(api) => match api.headers.get("sl-violations").and_then(|value| value.to_str().ok()) {
                    Some(violations) => format!("{error}; Prism's sl-violations: {violations}"),
                    None => format!("{error} (an error status from Prism; its log says why)"),
                },
                None => error.to_string(),
            }),
        };
        if let Some(failure) = failure {
            self.failures.push(format!("{operation} (round {round}): {failure}"));
        }
    }

    fn finish(self, rounds: usize) {
        for failure in self.failures.iter().take(SHOWN_FAILURES) {
            eprintln!("contract violation: {failure}");
        }
        if self.failures.len() > SHOWN_FAILURES {
            eprintln!("contract: … and {} more violations", self.failures.len() - SHOWN_FAILURES);
        }
        let calls: usize = self.calls.iter().map(|(_, count)| count).sum();
        println!("contract: {calls} calls, {} violations", self.failures.len());
        assert!(self.failures.is_empty(), "{} of {calls} calls failed (listed above)", self.failures.len());
        let expected: Vec<(&str, usize)> = OPERATIONS.iter().map(|operation| (*operation, rounds)).collect();
        assert_eq!(self.calls, expected, "calls per operation");
        assert_eq!(calls, rounds * OPERATIONS.len());
    }
}

fn check_invitation(invitation: &OrganizationInvitation) -> Result<(), String> {
    match &invitation.object {
        OrganizationInvitationObject::OrganizationInvitation => Ok(()),
        other => Err(format!("`object` is {other:?}, which the spec's enum does not allow")),
    }
}

fn check_page(page: &OrganizationInvitations) -> Result<(), String> {
    page.data.iter().try_for_each(check_invitation)
}

fn check_instance_page(page: &OrganizationInvitationsWithPublicOrganizationData) -> Result<(), String> {
    page.data.iter().try_for_each(|invitation| match &invitation.object {
        OrganizationInvitationWithPublicOrganizationDataObject::OrganizationInvitation => Ok(()),
        other => Err(format!("`object` is {other:?}, which the spec's enum does not allow")),
    })
}

fn metadata(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => unreachable!("metadata literals are objects"),
    }
}

/// Three shapes in turn: required fields only; every optional field set; every
/// nullable field sent as `null`.
fn create_body(round: usize) -> CreateOrganizationInvitationRequest {
    let email = format!("invitee{round}@example.com");
    match round % 3 {
        0 => CreateOrganizationInvitationRequest::new(email, "org:member"),
        1 => CreateOrganizationInvitationRequest::new(email, "org:admin")
            .inviter_user_id("user_2vQ7aB3cD4eF5gH6iJ7kL8mN9o")
            .public_metadata(metadata(json!({ "team": "platform", "seats": 3, "beta": true })))
            .private_metadata(metadata(json!({ "source": "contract-test", "crm": { "id": 42 } })))
            .redirect_url("https://app.example.com/accept-invitation")
            .expires_in_days(1 + (round as i64 * 7) % 365)
            .notify(round.is_multiple_of(2)),
        _ => CreateOrganizationInvitationRequest::new(email, "org:member")
            .inviter_user_id_null()
            .public_metadata_null()
            .private_metadata_null()
            .redirect_url_null()
            .expires_in_days_null()
            .notify_null(),
    }
}

/// Two items: one with every optional field (or every nullable one `null`), one
/// with the required fields only.
fn bulk_body(round: usize) -> Vec<CreateOrganizationInvitationBulkRequestItem> {
    let first = format!("first{round}@example.com");
    let full = if round.is_multiple_of(2) {
        CreateOrganizationInvitationBulkRequestItem::new(first, "org:admin")
            .inviter_user_id("user_2vQ7aB3cD4eF5gH6iJ7kL8mN9o")
            .public_metadata(metadata(json!({ "department": "sales" })))
            .private_metadata(metadata(json!({ "ticket": "HR-1234" })))
            .redirect_url("https://app.example.com/welcome")
            .expires_in_days(30)
            .notify(true)
    } else {
        CreateOrganizationInvitationBulkRequestItem::new(first, "org:member")
            .inviter_user_id_null()
            .public_metadata_null()
            .private_metadata_null()
            .redirect_url_null()
            .expires_in_days_null()
            .notify_null()
    };
    vec![full, CreateOrganizationInvitationBulkRequestItem::new(format!("second{round}@example.com"), "org:member")]
}

/// Limits across the whole allowed range 1..=500.
fn limit(round: usize) -> i64 {
    1 + (round as i64 * 37) % 500
}

const ORDERS: [&str; 4] = ["-created_at", "+email_address", "created_at", "-email_address"];

/// Every status in turn, with paging and ordering; every fourth round no parameters.
fn list_params(round: usize) -> ListOrganizationInvitationsParams {
    let status = match round % 4 {
        0 => ListOrganizationInvitationsStatus::Pending,
        1 => ListOrganizationInvitationsStatus::Accepted,
        2 => ListOrganizationInvitationsStatus::Revoked,
        _ => return ListOrganizationInvitationsParams::default(),
    };
    let params = ListOrganizationInvitationsParams::new()
        .status(status)
        .order_by(ORDERS[round % ORDERS.len()])
        .limit(limit(round))
        .offset(round as i64 * 10);
    if round.is_multiple_of(2) {
        params.email_address(format!("invitee{round}@example.com"))
    } else {
        params
    }
}

fn list_pending_params(round: usize) -> ListPendingOrganizationInvitationsParams {
    if round.is_multiple_of(2) {
        ListPendingOrganizationInvitationsParams::default()
    } else {
        ListPendingOrganizationInvitationsParams::new().limit(limit(round)).offset(round as i64 * 5)
    }
}

fn list_all_params(round: usize) -> ListInstanceOrganizationInvitationsParams {
    let status = match round % 4 {
        0 => ListInstanceOrganizationInvitationsStatus::Expired,
        1 => ListInstanceOrganizationInvitationsStatus::Pending,
        2 => ListInstanceOrganizationInvitationsStatus::Accepted,
        _ => return ListInstanceOrganizationInvitationsParams::default(),
    };
    ListInstanceOrganizationInvitationsParams::new()
        .order_by(ORDERS[(round + 1) % ORDERS.len()])
        .status(status)
        .query("example.com")
        .limit(limit(round))
        .offset(round as i64)
}

/// No body; a user id; an empty object; the user id as `null`.
fn revoke_body(round: usize) -> Option<RevokeOrganizationInvitationRequest> {
    match round % 4 {
        0 => None,
        1 => Some(RevokeOrganizationInvitationRequest::new().requesting_user_id("user_2vQ7aB3cD4eF5gH6iJ7kL8mN9o")),
        2 => Some(RevokeOrganizationInvitationRequest::new()),
        _ => Some(RevokeOrganizationInvitationRequest::new().requesting_user_id_null()),
    }
}
