//! The test kit as a user meets it: a crate of its own, outside this
//! workspace, whose code calls the client and whose tests drive each branch
//! of that code through the kit (`features = ["test-util"]`), with no server
//! of their own. `cargo test` runs in the crate; every test must pass.

use verify::compile::{build, Build, GeneratedCrate};

/// The user's code: an invitation service over the client.
const LIB: &str = r#"
use clerk_invitations::{
    Client, CreateOrganizationInvitationBulkRequestItem, CreateOrganizationInvitationRequest, Error,
};

/// What became of one invitation.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Invited(String),
    Rejected(Vec<String>),
    NoSuchOrganization,
    TryLater,
}

pub async fn invite(clerk: &Client, org: &str, email: &str) -> Result<Outcome, Error> {
    let body = CreateOrganizationInvitationRequest::new(email, "org:member");
    match clerk.organization_invitations().create().organization_id(org).body(body).send().await {
        Ok(invitation) => Ok(Outcome::Invited(invitation.id)),
        Err(error) if error.is_not_found() => Ok(Outcome::NoSuchOrganization),
        Err(Error::Api(api)) if api.status == 422 => {
            Ok(Outcome::Rejected(api.codes().into_iter().map(str::to_owned).collect()))
        }
        Err(error) if error.is_timeout() => Ok(Outcome::TryLater),
        Err(error) => Err(error),
    }
}

/// The addresses of every pending invitation, across all pages.
pub async fn pending_emails(clerk: &Client, org: &str) -> Result<Vec<String>, Error> {
    let mut items = clerk.organization_invitations().list().organization_id(org).limit(2).items();
    let mut emails = Vec::new();
    while let Some(invitation) = items.try_next().await? {
        emails.push(invitation.email_address);
    }
    Ok(emails)
}

/// Invites every address, however many, in calls of at most 10; how many
/// invitations were made.
pub async fn invite_all(clerk: &Client, org: &str, emails: &[&str]) -> Result<usize, Error> {
    let items: Vec<_> =
        emails.iter().map(|email| CreateOrganizationInvitationBulkRequestItem::new(*email, "org:member")).collect();
    let chunks = clerk.organization_invitations().bulk_create().organization_id(org).body(items).send_chunked().await?;
    let mut made = 0;
    for chunk in chunks {
        made += chunk.result?.data.len();
    }
    Ok(made)
}
"#;

/// The user's tests of that code, through the kit.
const TESTS: &str = r#"
use std::time::Duration;

use clerk_invitations::models::{
    ClerkErrors, CreateOrganizationInvitationBulkRequestItem, CreateOrganizationInvitationRequest,
    OrganizationInvitation, OrganizationInvitations,
};
use clerk_invitations::test_util::{Expect, Mock, Returns, TestValue};
use clerk_invitations::Retries;
use invite_service::{invite, invite_all, pending_emails, Outcome};

fn invitation(id: &str, email: &str) -> OrganizationInvitation {
    let mut invitation = OrganizationInvitation::test_value();
    invitation.id = id.to_owned();
    invitation.email_address = email.to_owned();
    invitation
}

fn page(emails: &[&str], total: i64) -> OrganizationInvitations {
    let mut page = OrganizationInvitations::test_value();
    page.data = emails.iter().map(|email| invitation(&format!("inv_{email}"), email)).collect();
    page.total_count = total;
    page
}

fn create(mock: &Mock, org: &str, email: &str) -> clerk_invitations::organization_invitations::Create {
    mock.organization_invitations()
        .create()
        .organization_id(org)
        .body(CreateOrganizationInvitationRequest::new(email, "org:member"))
}

#[tokio::test]
async fn an_invitation_is_made() {
    let mock = Mock::start().await;
    create(&mock, "org_1", "ada@example.com").returns(invitation("inv_1", "ada@example.com"));
    let outcome = invite(&mock.client(), "org_1", "ada@example.com").await.unwrap();
    assert_eq!(outcome, Outcome::Invited("inv_1".to_owned()));
    let calls = mock.calls_to("CreateOrganizationInvitation");
    assert_eq!(calls.len(), 1);
    let sent: serde_json::Value = calls[0].body_as().unwrap();
    assert_eq!(sent["email_address"], "ada@example.com");
}

#[tokio::test]
async fn an_unknown_organization_is_reported() {
    let mock = Mock::start().await;
    create(&mock, "org_gone", "ada@example.com").fails(404, "resource_not_found");
    let outcome = invite(&mock.client(), "org_gone", "ada@example.com").await.unwrap();
    assert_eq!(outcome, Outcome::NoSuchOrganization);
}

#[tokio::test]
async fn a_rejection_lists_every_code() {
    let mock = Mock::start().await;
    let mut errors = ClerkErrors::test_value();
    let mut second = errors.errors[0].clone();
    errors.errors[0].code = "form_param_format_invalid".to_owned();
    second.code = "form_identifier_exists".to_owned();
    errors.errors.push(second);
    let body = serde_json::to_value(errors).unwrap();
    create(&mock, "org_1", "not-an-address").responds(422, body);
    let outcome = invite(&mock.client(), "org_1", "not-an-address").await.unwrap();
    let codes = vec!["form_param_format_invalid".to_owned(), "form_identifier_exists".to_owned()];
    assert_eq!(outcome, Outcome::Rejected(codes));
}

#[tokio::test]
async fn a_rate_limit_is_waited_out_and_then_the_invitation_is_made() {
    let mock = Mock::start().await;
    create(&mock, "org_1", "ada@example.com").fails(429, "too_many_requests").retry_after(Duration::ZERO).times(1);
    create(&mock, "org_1", "ada@example.com").returns(invitation("inv_2", "ada@example.com")).times(1);
    let outcome = invite(&mock.client(), "org_1", "ada@example.com").await.unwrap();
    assert_eq!(outcome, Outcome::Invited("inv_2".to_owned()));
    assert_eq!(mock.calls_to("CreateOrganizationInvitation").len(), 2, "the 429, then the retry");
}

#[tokio::test]
async fn a_slow_answer_is_a_try_later() {
    let mock = Mock::start().await;
    create(&mock, "org_1", "ada@example.com").returns(invitation("inv_3", "ada@example.com")).delay(Duration::from_secs(5));
    let clerk = mock.client().with_timeout(Duration::from_millis(200)).with_retries(Retries::off());
    let outcome = invite(&clerk, "org_1", "ada@example.com").await.unwrap();
    assert_eq!(outcome, Outcome::TryLater);
}

#[tokio::test]
async fn every_page_is_read() {
    let mock = Mock::start().await;
    mock.organization_invitations().list().organization_id("org_1").returns_in_order([
        page(&["a@example.com", "b@example.com"], 5),
        page(&["c@example.com", "d@example.com"], 5),
        page(&["e@example.com"], 5),
    ]);
    let emails = pending_emails(&mock.client(), "org_1").await.unwrap();
    assert_eq!(emails, ["a@example.com", "b@example.com", "c@example.com", "d@example.com", "e@example.com"]);
    let offsets: Vec<_> = mock
        .calls_to("ListOrganizationInvitations")
        .iter()
        .map(|call| call.query_param("offset").map(str::to_owned))
        .collect();
    assert_eq!(offsets.len(), 3, "{offsets:?}");
}

#[tokio::test]
async fn twelve_addresses_go_out_as_ten_and_two() {
    let mock = Mock::start().await;
    let emails: Vec<String> = (1..=12).map(|n| format!("user{n}@example.com")).collect();
    let emails: Vec<&str> = emails.iter().map(String::as_str).collect();
    let items = |emails: &[&str]| -> Vec<CreateOrganizationInvitationBulkRequestItem> {
        emails.iter().map(|email| CreateOrganizationInvitationBulkRequestItem::new(*email, "org:member")).collect()
    };
    for chunk in emails.chunks(10) {
        mock.organization_invitations()
            .bulk_create()
            .organization_id("org_1")
            .body(items(chunk))
            .returns(page(chunk, chunk.len() as i64))
            .times(1);
    }
    let made = invite_all(&mock.client(), "org_1", &emails).await.unwrap();
    assert_eq!(made, 12);
    let sizes: Vec<usize> = mock
        .calls_to("CreateOrganizationInvitationBulk")
        .iter()
        .map(|call| call.body_as::<Vec<serde_json::Value>>().unwrap().len())
        .collect();
    assert_eq!(sizes, [10, 2]);
}
"#;

#[test]
#[ignore = "builds and tests a crate of its own; a .ci/run step runs it"]
fn a_users_crate_tests_its_own_branches_through_the_kit() {
    let generated = tests::tests_dir().parent().expect("workspace").join("generated-client");
    let manifest = format!(
        "[package]\nname = \"invite-service\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\nclerk-invitations = {{ path = {path:?} }}\n\n\
         [dev-dependencies]\nclerk-invitations = {{ path = {path:?}, features = [\"test-util\"] }}\n\
         tokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }}\n\
         serde_json = \"1\"\n",
        path = generated.display().to_string()
    );
    let krate = GeneratedCrate {
        name: "invite-service".to_owned(),
        files: vec![
            codegen::GeneratedFile { path: "Cargo.toml".to_owned(), contents: manifest },
            codegen::GeneratedFile { path: "src/lib.rs".to_owned(), contents: LIB.to_owned() },
            codegen::GeneratedFile { path: "tests/invite.rs".to_owned(), contents: TESTS.to_owned() },
        ],
    };
    let outcome = build("kit-user", &[krate], Build::Tests).expect("cargo runs");
    assert!(outcome.success, "the user's tests fail:\n{}", outcome.output);
    assert!(outcome.output.contains("test result: ok. 7 passed"), "{}", outcome.output);
}
