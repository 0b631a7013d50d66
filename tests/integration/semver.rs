//! `cargo xtask codegen` decides the generated crate's version from what changed
//! since the API it recorded (`public-api.txt`): additions bump the patch
//! (under 1.0), breaking changes the minor, and a change of generated sources
//! alone the patch; `--check` fails on a crate whose version was not bumped.

use std::path::{Path, PathBuf};

use verify::compile::{build, Build, GeneratedCrate};

/// `spec/` edited by `edit`, written into `dir`.
fn edited_spec(dir: &Path, edit: impl Fn(&str) -> String) -> PathBuf {
    let original = std::fs::read_to_string(verify::paths::default_spec()).expect("spec/");
    let edited = edit(&original);
    assert_ne!(edited, original, "the edit must change the spec");
    let path = dir.join("spec.yaml");
    std::fs::write(&path, edited).expect("write spec");
    path
}

/// The crate generated from `spec/` into a fresh folder: version 0.1.0, recorded.
fn crate_at_0_1_0(name: &str) -> (PathBuf, PathBuf) {
    let work = tests::scratch_dir(name);
    let out = work.join("crate");
    let (code, _, err) = tests::xtask(["codegen", "--out", out.to_str().expect("utf-8")]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(version(&out), "0.1.0");
    (work, out)
}

fn version(out: &Path) -> String {
    let toml = std::fs::read_to_string(out.join("Cargo.toml")).expect("Cargo.toml");
    toml.lines().find_map(|line| line.strip_prefix("version = ")).expect("a version").trim_matches('"').to_owned()
}

fn regenerate(spec: &Path, out: &Path) -> String {
    let (code, stdout, err) =
        tests::xtask(["codegen", "--spec", spec.to_str().expect("utf-8"), "--out", out.to_str().expect("utf-8")]);
    assert_eq!(code, 0, "{err}");
    stdout
}

/// Clerk adds one optional revoke field and one status value: 4 lines of spec.
fn four_line_change(spec: &str) -> String {
    let status = "              - revoked\n              - expired\n";
    assert_eq!(spec.matches(status).count(), 2, "both status enums");
    spec.replacen(status, "              - revoked\n              - expired\n              - archived\n", 1).replacen(
        "                requesting_user_id:\n",
        "                reason:\n                  type: string\n                requesting_user_id:\n",
        1,
    )
}

/// A program written against 0.1.0, as a user would write it.
const USER_PROGRAM: &str = r#"
use clerk_invitations::{Client, CreateOrganizationInvitationRequest, Error, ListOrganizationInvitationsStatus,
    RevokeOrganizationInvitationRequest};

async fn run(clerk: Client) -> Result<(), Error> {
    let invitations = clerk.organization_invitations();
    let created = invitations
        .create()
        .organization_id("org_1")
        .body(CreateOrganizationInvitationRequest::new("ada@example.com", "org:member").expires_in_days(7))
        .send()
        .await?;
    let mut pending = invitations.list().organization_id("org_1").status(ListOrganizationInvitationsStatus::Pending).items();
    while let Some(invitation) = pending.try_next().await? {
        match invitation.status.as_deref().map(ListOrganizationInvitationsStatus::from) {
            Some(ListOrganizationInvitationsStatus::Pending) => println!("{} pending", invitation.id),
            Some(other) => println!("{} {other}", invitation.id),
            None => println!("{} has no status", invitation.id),
        }
    }
    let revoked = invitations
        .revoke()
        .organization_id("org_1")
        .invitation_id(created.id)
        .body(RevokeOrganizationInvitationRequest::new().requesting_user_id("user_1"))
        .send()
        .await;
    match revoked {
        Ok(invitation) => println!("revoked {}", invitation.id),
        Err(error) if error.is_not_found() => println!("gone already"),
        Err(error) => return Err(error),
    }
    Ok(())
}

fn main() {
    let _ = run;
}
"#;

#[test]
fn clerks_four_line_addition_is_a_patch_bump_and_old_code_still_compiles() {
    let (work, out) = crate_at_0_1_0("semver-addition");
    let spec = edited_spec(&work, four_line_change);
    let stdout = regenerate(&spec, &out);
    assert!(stdout.contains("semver: addition"), "{stdout}");
    assert!(stdout.contains("0.1.0 -> 0.1.1"), "{stdout}");
    assert!(stdout.contains("added: struct RevokeOrganizationInvitationRequest: reason"), "{stdout}");
    assert!(stdout.contains("added: enum ListInstanceOrganizationInvitationsStatus: Archived"), "{stdout}");
    assert_eq!(version(&out), "0.1.1");

    // The program written against 0.1.0 compiles against 0.1.1.
    let manifest = format!(
        "[package]\nname = \"user-program\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\nclerk-invitations = {{ path = {:?} }}\n",
        out.display().to_string()
    );
    let user = GeneratedCrate {
        name: "user-program".to_owned(),
        files: vec![
            codegen::GeneratedFile { path: "Cargo.toml".to_owned(), contents: manifest },
            codegen::GeneratedFile { path: "src/main.rs".to_owned(), contents: USER_PROGRAM.to_owned() },
        ],
    };
    let outcome = build("semver-user", &[user], Build::Check).expect("cargo runs");
    assert!(outcome.success, "{}", outcome.output);
}

#[test]
fn removing_a_field_is_breaking_and_bumps_the_minor() {
    let (work, out) = crate_at_0_1_0("semver-removal");
    let spec = edited_spec(&work, |spec| {
        spec.replacen(
            "                requesting_user_id:\n                  type: string\n                  nullable: true\n",
            "                other:\n                  type: string\n",
            1,
        )
    });
    let stdout = regenerate(&spec, &out);
    assert!(stdout.contains("semver: breaking: 0.1.0 -> 0.2.0"), "{stdout}");
    assert!(stdout.contains("removed: struct RevokeOrganizationInvitationRequest: requesting_user_id"), "{stdout}");
    assert_eq!(version(&out), "0.2.0");
}

#[test]
fn a_doc_only_change_is_a_patch_and_regenerating_again_changes_nothing() {
    let (work, out) = crate_at_0_1_0("semver-docs");
    let spec = edited_spec(&work, |spec| {
        spec.replacen(
            "description: Email address of the person being invited to join.",
            "description: The invitee's e-mail address.",
            1,
        )
    });
    let stdout = regenerate(&spec, &out);
    assert!(stdout.contains("semver: patch (same API, other generated sources): 0.1.0 -> 0.1.1"), "{stdout}");
    assert_eq!(version(&out), "0.1.1");
    let stdout = regenerate(&spec, &out);
    assert!(stdout.contains("0 files written") && !stdout.contains("semver:"), "{stdout}");
    assert_eq!(version(&out), "0.1.1");
}

#[test]
fn check_fails_on_a_crate_whose_version_was_not_bumped() {
    let (work, out) = crate_at_0_1_0("semver-check");
    let spec = edited_spec(&work, four_line_change);
    let (code, _, err) = tests::xtask([
        "codegen",
        "--check",
        "--spec",
        spec.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(code, verify::FAILURE);
    assert!(err.contains("stale:   Cargo.toml") && err.contains("0.1.0 -> 0.1.1"), "{err}");
    assert_eq!(version(&out), "0.1.0", "--check writes nothing");
}
