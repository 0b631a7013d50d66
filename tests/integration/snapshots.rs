//! Snapshots of the emitted code, one small fixture spec per construct, and of the
//! public API surface generated from `spec/`.

use codegen::{Options, Selection};
use tests::{concatenated, tests_dir};

/// Every operation of a fixture, whatever its tag.
fn all_operations() -> Options {
    Options::new(Selection { tag: None, operation_ids: Vec::new() })
}

#[test]
fn each_fixture_generates_the_snapshotted_code() {
    insta::glob!("../fixtures", "*.yaml", |path| {
        let generated = codegen::generate(path, &all_operations())
            .unwrap_or_else(|error| panic!("{} does not generate: {error}", path.display()));
        insta::assert_snapshot!(concatenated(&generated.files));
    });
}

#[test]
fn enums_not_marked_open_are_closed_when_only_marked_ones_are_open() {
    let path = tests_dir().join("fixtures/unknown_values.yaml");
    let options = Options { open_enums: codegen::lower::OpenEnums::Marked, ..all_operations() };
    let generated = codegen::generate(&path, &options).expect("the fixture generates");
    insta::assert_snapshot!("closed_enums", concatenated(&generated.files));
}

#[test]
fn the_public_api_of_the_client_is_the_snapshotted_surface() {
    let spec = verify::paths::default_spec();
    let generated = codegen::generate(&spec, &Options::new(Selection::default())).expect("spec/ generates");
    insta::assert_snapshot!("client_surface", codegen::surface::surface(&generated.api));
}

#[test]
fn generating_twice_gives_the_same_bytes() {
    let first = codegen::generate(&verify::paths::default_spec(), &Options::new(Selection::default()))
        .expect("spec/ generates");
    let second = codegen::generate(&verify::paths::default_spec(), &Options::new(Selection::default()))
        .expect("spec/ generates");
    assert_eq!(first.files, second.files);
}

#[test]
fn changing_max_items_changes_the_emitted_bound() {
    let original = std::fs::read_to_string(tests_dir().join("fixtures/array_body_bounds.yaml")).expect("fixture");
    let changed = original.replace("maxItems: 10", "maxItems: 25");
    assert_ne!(original, changed, "the fixture must contain `maxItems: 10`");
    let dir = tests::scratch_dir("max-items");
    let path = dir.join("spec.yaml");
    std::fs::write(&path, changed).expect("write spec");
    let code = concatenated(&codegen::generate(&path, &all_operations()).expect("generates").files);
    assert!(code.contains("between 1 and 25 items"), "{code}");
    assert!(code.contains(r#"runtime::count(OPERATION.id, "body", body.len(), Some(1), Some(25))?;"#), "{code}");
    assert!(!code.contains("Some(10)"));
}

#[test]
fn every_fixture_snapshot_has_its_fixture() {
    let snapshots = tests_dir().join("integration/snapshots");
    let prefix = "integration__snapshots__each_fixture_generates_the_snapshotted_code@";
    for entry in std::fs::read_dir(&snapshots).expect("snapshots folder") {
        let name = entry.expect("entry").file_name().to_string_lossy().into_owned();
        if let Some(fixture) = name.strip_prefix(prefix).and_then(|rest| rest.strip_suffix(".snap")) {
            assert!(tests_dir().join("fixtures").join(fixture).exists(), "orphaned snapshot {name}");
        }
    }
}
