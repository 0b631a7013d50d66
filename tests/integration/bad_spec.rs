//! A broken or unsupported spec: one clear line naming where, exit status 1, no
//! panic, and the existing generated files untouched.

use tests::{scratch_dir, tests_dir};

/// Runs `cargo xtask codegen` on `spec` into a folder that already holds
/// generated output; returns the exit status and stderr after checking that the
/// folder was not touched.
fn codegen_fails(name: &str, spec: &std::path::Path, extra: &[&str]) -> String {
    let out = scratch_dir(name);
    let existing = out.join("models.rs");
    std::fs::write(&existing, "// previously generated\n").expect("seed output");
    let mut args = vec!["codegen".to_owned(), "--spec".to_owned(), spec.display().to_string()];
    args.extend(["--out".to_owned(), out.display().to_string()]);
    args.extend(extra.iter().map(|arg| arg.to_string()));
    let (code, stdout, stderr) = tests::xtask(&args);
    assert_eq!(code, 1, "exit status; stderr: {stderr}");
    assert!(stdout.is_empty(), "nothing on stdout");
    assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert_eq!(std::fs::read_to_string(&existing).expect("read"), "// previously generated\n");
    let files: Vec<_> = std::fs::read_dir(&out).expect("list").collect();
    assert_eq!(files.len(), 1, "no file added next to the existing output");
    stderr
}

fn bad(name: &str) -> std::path::PathBuf {
    tests_dir().join("fixtures/bad").join(name)
}

#[test]
fn missing_spec_file_is_reported_by_path() {
    let error = codegen_fails("missing", &bad("does_not_exist.yaml"), &[]);
    assert!(error.contains("cannot read") && error.contains("does_not_exist.yaml"), "{error}");
}

#[test]
fn malformed_yaml_is_reported_with_line_and_column() {
    let error = codegen_fails("malformed", &bad("malformed.yaml"), &[]);
    assert!(error.contains("malformed YAML") && error.contains("line 3"), "{error}");
}

#[test]
fn ref_to_a_missing_component_names_the_pointer() {
    let error = codegen_fails("missing-ref", &bad("missing_ref.yaml"), &["--all-tags", "--operation", "ListWidgets"]);
    assert!(error.contains("#/components/schemas/Widget"), "{error}");
    assert!(error.contains("(at #/paths/~1widgets/get/responses/200/content/application~1json/schema)"), "{error}");
}

#[test]
fn duplicate_operation_id_names_both_places() {
    // Duplicates count among the selected operations only: here, every one.
    let error = codegen_fails("duplicate", &bad("duplicate_operation_id.yaml"), &["--all-tags"]);
    assert!(error.contains("duplicate operationId `GetThing`"), "{error}");
    assert!(error.contains("#/paths/~1a/get") && error.contains("(at #/paths/~1b/get)"), "{error}");
}

#[test]
fn unknown_tag_lists_the_tags_there_are() {
    let spec = verify::paths::default_spec();
    let error = codegen_fails("unknown-tag", &spec, &["--tag", "Organisation Invitations"]);
    assert!(error.contains("no operation is tagged `Organisation Invitations`"), "{error}");
    assert!(error.contains("Organization Invitations"), "{error}");
}

#[test]
fn unsupported_one_of_names_the_pointer() {
    // Properties shared by the variants beside `oneOf` (a base type) are not
    // supported; `oneOf` alone is.
    let error = codegen_fails("one-of", &bad("one_of.yaml"), &["--all-tags", "--operation", "GetPet"]);
    assert!(error.contains("`oneOf` beside other keywords is not supported"), "{error}");
    assert!(error.contains("(at #/paths/~1pets/get/responses/200/content/application~1json/schema)"), "{error}");
}

#[test]
fn a_required_property_that_is_not_defined_is_a_warning_and_the_crate_is_written() {
    let out = scratch_dir("required-undefined");
    let spec = tests_dir().join("fixtures/required_undefined.yaml");
    let args = ["codegen", "--spec", &spec.display().to_string(), "--all-tags", "--out", &out.display().to_string()];
    let (code, _, stderr) = tests::xtask(args);
    assert_eq!(code, 0, "a warning does not fail the run: {stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(
        lines[0].starts_with("warning: ") && lines[0].contains("required property `authenticatable` is not defined")
    );
    assert!(lines[0].ends_with("(at #/components/schemas/Connection/required/1)"), "{stderr}");
    let models = std::fs::read_to_string(out.join("src/models.rs")).expect("written");
    assert!(models.contains("pub id: String,") && models.contains("pub name: Option<String>,"), "{models}");
}

#[test]
fn two_properties_with_one_rust_name_are_an_error() {
    let error = codegen_fails("collision", &bad("name_collision.yaml"), &["--all-tags", "--operation", "GetUser"]);
    assert!(error.contains("both become `email_address`"), "{error}");
    assert!(error.contains("properties/email_address"), "{error}");
}
