//! Snapshots of the emitted code, one small fixture spec per construct, and of the
//! public API surface generated from `spec/`.

use codegen::{Options, Selection};
use tests::{concatenated, concatenated_modules, tests_dir, SCAFFOLDING};

/// Every operation of a fixture, whatever its tag.
fn all_operations() -> Options {
    Options::new(Selection { tag: None, operation_ids: Vec::new() })
}

/// One test per fixture spec in `tests/fixtures`, named after it, so a changed
/// snapshot fails the test of its own fixture, with its diff, on the first run
/// (`insta::glob!` counted failures across threads and blamed another test).
macro_rules! fixture_snapshots {
    ($($name:ident),* $(,)?) => {
        /// The fixtures that have a test, for the check that none is missed.
        const FIXTURES: &[&str] = &[$(stringify!($name)),*];

        mod fixture {
            $(
                #[test]
                fn $name() {
                    super::fixture_generates_its_snapshot(stringify!($name));
                }
            )*
        }
    };
}

fixture_snapshots! {
    all_of_merge,
    all_of_nested,
    all_of_repeated,
    any_of_required,
    array_body_bounds,
    bare_array_pagination,
    binary_response,
    colliding_parameters,
    defaults,
    deprecated_operation,
    empty_response,
    enum_values,
    enums,
    free_form_depth,
    free_form_maps,
    header_parameters,
    inline_request_body,
    int64_bounds,
    map_with_properties,
    multipart_body,
    nullable_fields,
    nullable_items,
    nullable_one_of,
    nullable_response,
    optional_body,
    path_parameter_types,
    read_only,
    required_undefined,
    retries_and_pagination,
    rust_keywords,
    shared_refs,
    success_by_status,
    tagged_union,
    tagged_union_implicit,
    typed_maps,
    unknown_values,
    untagged_union,
}

/// Generates `tests/fixtures/{name}.yaml` and compares what it adds to the
/// scaffolding (its models and group modules) with the snapshot `fixture_{name}`.
fn fixture_generates_its_snapshot(name: &str) {
    let path = tests_dir().join("fixtures").join(format!("{name}.yaml"));
    let generated = codegen::generate(&path, &all_operations())
        .unwrap_or_else(|error| panic!("{} does not generate: {error}", path.display()));
    insta::assert_snapshot!(format!("fixture_{name}"), concatenated_modules(&generated.files));
}

/// The files every crate has (`Cargo.toml`, `src/lib.rs`, `src/client.rs`),
/// once, for a fixture with one group, models, and no security: what a change
/// to their template changes. What differs per API in `client.rs` is in the
/// `api_descriptions` snapshot.
#[test]
fn the_crate_scaffolding() {
    let path = tests_dir().join("fixtures/enums.yaml");
    let generated = codegen::generate(&path, &all_operations()).expect("the fixture generates");
    let scaffolding: Vec<codegen::GeneratedFile> =
        generated.files.into_iter().filter(|file| SCAFFOLDING.contains(&file.path.as_str())).collect();
    assert_eq!(scaffolding.len(), SCAFFOLDING.len(), "every crate has them");
    insta::assert_snapshot!("scaffolding", concatenated(&scaffolding));
}

#[test]
fn every_fixture_has_a_snapshot_test_of_its_own() {
    let mut found: Vec<String> = std::fs::read_dir(tests_dir().join("fixtures"))
        .expect("fixtures folder")
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.strip_suffix(".yaml").map(str::to_owned))
        .collect();
    found.sort();
    let mut listed: Vec<&str> = FIXTURES.to_vec();
    listed.sort_unstable();
    assert_eq!(found, listed, "add each fixture to `fixture_snapshots!` (and remove deleted ones)");
}

#[test]
fn enums_not_marked_open_are_closed_when_only_marked_ones_are_open() {
    let path = tests_dir().join("fixtures/unknown_values.yaml");
    let options = Options { open_enums: codegen::lower::OpenEnums::Marked, ..all_operations() };
    let generated = codegen::generate(&path, &options).expect("the fixture generates");
    insta::assert_snapshot!("closed_enums", concatenated_modules(&generated.files));
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
    assert!(code.contains(r#"rt::count(OPERATION.id, "body", body.len(), Some(1), Some(25))?;"#), "{code}");
    assert!(!code.contains("Some(10)"));
}

#[test]
fn every_fixture_snapshot_has_its_fixture() {
    let snapshots = tests_dir().join("integration/snapshots");
    let prefix = "integration__snapshots__fixture_";
    for entry in std::fs::read_dir(&snapshots).expect("snapshots folder") {
        let name = entry.expect("entry").file_name().to_string_lossy().into_owned();
        if let Some(fixture) = name.strip_prefix(prefix).and_then(|rest| rest.strip_suffix(".snap")) {
            let spec = format!("{fixture}.yaml");
            assert!(tests_dir().join("fixtures").join(spec).exists(), "orphaned snapshot {name}");
        }
    }
}

/// The description of each API of `tests/fixtures/api` (one per security
/// scheme and error style), as codegen writes it into `client.rs`, with each
/// operation's `security`: one snapshot for review, the wire tests in
/// `api_wire.rs`.
#[test]
fn each_api_is_described_to_the_runtime_as_its_document_says() {
    let mut fixtures: Vec<std::path::PathBuf> = std::fs::read_dir(tests_dir().join("fixtures/api"))
        .expect("fixtures/api")
        .filter_map(|entry| Some(entry.ok()?.path()))
        .collect();
    fixtures.sort();
    let mut described = String::new();
    for path in fixtures {
        let generated = codegen::generate(&path, &all_operations())
            .unwrap_or_else(|error| panic!("{} does not generate: {error}", path.display()));
        let name = path.file_stem().and_then(|stem| stem.to_str()).expect("a name");
        described.push_str(&format!("===== {name} =====\n"));
        for file in &generated.files {
            if file.path == "src/client.rs" {
                let mut inside = false;
                for line in file.contents.lines() {
                    inside |= line.starts_with("pub(crate) static API");
                    if inside || line.starts_with("pub const SECRET_KEY_VAR") {
                        described.push_str(line);
                        described.push('\n');
                    }
                    inside &= line != "};";
                }
            } else if !["src/lib.rs", "src/models.rs"].contains(&file.path.as_str()) {
                // Each operation's descriptor: its id, then its security.
                let mut id = "";
                for line in file.contents.lines().map(str::trim) {
                    if let Some(rest) = line.strip_prefix("id: \"") {
                        id = rest.trim_end_matches("\",");
                    } else if let Some(security) = line.strip_prefix("security: ") {
                        described.push_str(&format!("{id}: security {}\n", security.trim_end_matches(',')));
                    }
                }
            }
        }
    }
    insta::assert_snapshot!("api_descriptions", described);
}
