//! The generated crate as a user meets it: a program of its own, outside this
//! workspace, depending on `generated-client/` by path and written the way the
//! README shows (call builders, `?`, `tokio::spawn` of calls and streams, `match`
//! on errors), is built with cargo and run against a local server.

use serde_json::json;
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

use verify::compile::GeneratedCrate;

use crate::program::build_and_run;
use crate::wire::{ok_json, page_json, pending_json};

const PROGRAM: &str = r#"
use std::time::Duration;

use clerk_invitations::{
    Client, CreateOrganizationInvitationRequest, Error, ListOrganizationInvitationsStatus, Retries,
};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let base_url = std::env::var("USER_PROGRAM_BASE_URL").expect("the test sets it");
    let clerk = Client::builder().secret("sk_test_user_program")
        .base_url(base_url)
        .timeout(Duration::from_secs(5))
        .retries(Retries::off())
        .build()?;
    let invitations = clerk.organization_invitations();

    let request = CreateOrganizationInvitationRequest::new("ada@example.com", "org:member").expires_in_days(7);
    let created = invitations.create().organization_id("org_123").body(request).send().await?;
    println!("created {}", created.id);

    // A call and a stream, each moved into a task of its own.
    let get = tokio::spawn(invitations.get().organization_id("org_123").invitation_id(created.id.clone()).send());
    let stream = invitations.list().organization_id("org_123").status(ListOrganizationInvitationsStatus::Pending).limit(2).items();
    let listed = tokio::spawn(async move {
        let mut stream = stream;
        let mut ids = Vec::new();
        while let Some(invitation) = stream.try_next().await? {
            ids.push(invitation.id);
        }
        Ok::<_, Error>(ids)
    });
    println!("got {}", get.await.expect("the task ran")?.id);
    println!("listed {}", listed.await.expect("the task ran")?.join(","));

    match invitations.revoke().organization_id("org_123").invitation_id("orginv_gone").send().await {
        Ok(invitation) => println!("revoked {}", invitation.id),
        Err(error) if error.is_not_found() => println!("revoke: not found ({:?})", error.code()),
        Err(error) => return Err(error),
    }
    match invitations.get().organization_id("org_123").send().await {
        Err(Error::InvalidArgument { argument, .. }) => println!("refused without {argument}"),
        other => panic!("a missing invitation_id must be refused: {other:?}"),
    }
    Ok(())
}
"#;

#[tokio::test(flavor = "multi_thread")]
async fn a_program_of_its_own_builds_and_runs_against_a_local_server() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/organizations/org_123/invitations"))
        .respond_with(ok_json(pending_json()))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path_regex(r"^/organizations/org_123/invitations/[^/]+$"))
        .respond_with(ok_json(pending_json()))
        .mount(&server)
        .await;
    let mut second = pending_json();
    second["id"] = json!("orginv_2second");
    Mock::given(method("GET"))
        .and(path("/organizations/org_123/invitations"))
        .respond_with(ok_json(page_json(vec![pending_json(), second], 2)))
        .mount(&server)
        .await;
    let not_found = json!({"errors": [{"message": "m", "long_message": "lm", "code": "resource_not_found"}]});
    Mock::given(method("POST"))
        .and(path("/organizations/org_123/invitations/orginv_gone/revoke"))
        .respond_with(ResponseTemplate::new(404).set_body_json(not_found))
        .mount(&server)
        .await;

    let generated = tests::tests_dir().parent().expect("workspace").join("generated-client");
    let manifest = format!(
        "[package]\nname = \"user-program\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\nclerk-invitations = {{ path = {:?} }}\n\
         tokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }}\n",
        generated.display().to_string()
    );
    let program = GeneratedCrate {
        name: "user-program".to_owned(),
        files: vec![
            codegen::GeneratedFile { path: "Cargo.toml".to_owned(), contents: manifest },
            codegen::GeneratedFile { path: "src/main.rs".to_owned(), contents: PROGRAM.to_owned() },
        ],
    };
    let lines =
        build_and_run("user-program", vec![program], "user-program", "USER_PROGRAM_BASE_URL", server.uri()).await;
    assert_eq!(
        lines,
        [
            "created orginv_2pending",
            "got orginv_2pending",
            "listed orginv_2pending,orginv_2second",
            "revoke: not found (Some(\"resource_not_found\"))",
            "refused without invitation_id",
        ]
    );
    let requests = server.received_requests().await.expect("recorded");
    assert_eq!(requests.len(), 4, "create, get, one list page, revoke: {requests:#?}");
}

/// `version = "…"` of a `Cargo.toml`'s package, or of its `openapi-client-runtime` dependency.
fn version_in(toml: &str, runtime_dependency: bool) -> String {
    let line = if runtime_dependency {
        toml.lines().find(|line| line.starts_with("openapi-client-runtime = ")).expect("the runtime dependency")
    } else {
        toml.lines().find(|line| line.starts_with("version = ")).expect("the package version")
    };
    let start = line.find("version = \"").expect("a version") + "version = \"".len();
    line[start..].split('"').next().expect("a closing quote").to_owned()
}

#[test]
fn the_generated_crate_names_the_runtime_it_builds_against_as_a_compatible_range() {
    let root = tests::tests_dir().parent().expect("workspace").to_path_buf();
    let generated = std::fs::read_to_string(root.join("generated-client/Cargo.toml")).expect("Cargo.toml");
    let runtime = std::fs::read_to_string(root.join("generated-client/runtime/Cargo.toml")).expect("Cargo.toml");
    let required = version_in(&generated, true);
    let actual = version_in(&runtime, false);
    assert_eq!(required, codegen::RUNTIME_VERSION, "codegen targets the runtime it writes down");
    // A caret requirement: the same major (and, under 1.0, minor), not older.
    let parse = |text: &str| -> Vec<u64> { text.split('.').map(|part| part.parse().expect("a number")).collect() };
    let (required, actual) = (parse(&required), parse(&actual));
    let compatible = if required[0] == 0 { required[..2] == actual[..2] } else { required[0] == actual[0] };
    assert!(compatible && actual >= required, "runtime {actual:?} does not satisfy ^{required:?}");
    assert!(generated.contains("path = \"runtime\""), "the workspace builds it against this runtime");
}
