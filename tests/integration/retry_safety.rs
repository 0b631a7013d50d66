//! The retry safety of every POST and PATCH of Clerk's latest document, as a
//! reviewed snapshot: a spec update that adds one, or a change of the rule in
//! `codegen::retries`, shows up here as a diff to decide on.

use codegen::ir::{HttpMethod, RetrySafety};

use crate::compiles::upstream;

#[test]
#[ignore = "needs ../shared beside the checkout; a .ci/run step runs it"]
fn every_post_and_patch_of_clerks_document_has_a_reviewed_retry_safety() {
    let latest = upstream("2026-05-12");
    let document = codegen::load::read_document(&latest).expect("the upstream document loads");
    let mut lines = Vec::new();
    for (path, item) in &document.paths.paths {
        let Some(item) = item.as_item() else { continue };
        for (method, operation) in item.iter() {
            let method = match method {
                "post" => HttpMethod::Post,
                "patch" => HttpMethod::Patch,
                _ => continue,
            };
            let id = operation.operation_id.as_deref().expect("Clerk names every operation");
            let safety = match codegen::retries::safety(method, id) {
                RetrySafety::Idempotent => "idempotent ",
                RetrySafety::UnsentOnly => "unsent-only",
            };
            let why = codegen::retries::exception(id).map(|why| format!("  ({why})")).unwrap_or_default();
            lines.push(format!("{safety} {id} {} {path}{why}", method.as_str()));
        }
    }
    lines.sort();
    assert_eq!(lines.len(), 124, "95 POST and 29 PATCH operations");
    insta::assert_snapshot!("retry_safety_2026_05_12", lines.join("\n"));
}
