//! Exit 0 means the output compiles: hostile and unusual specs are generated
//! into real crates (see `xtask::compile`) and built with cargo.

use codegen::Selection;
use tests::tests_dir;
use xtask::compile::{build, Build, GeneratedCrate};

fn generated(fixture: &str) -> GeneratedCrate {
    let path = tests_dir().join("fixtures/compile").join(fixture);
    let selection = Selection { tag: None, operation_ids: Vec::new() };
    let generated =
        codegen::generate(&path, &selection).unwrap_or_else(|error| panic!("{fixture} does not generate: {error}"));
    let name = fixture.trim_end_matches(".yaml").replace('_', "-");
    GeneratedCrate { name, files: generated.files }
}

fn assert_builds(label: &str, crates: &[GeneratedCrate], kind: Build) -> String {
    let outcome = build(label, crates, kind).expect("cargo runs");
    assert!(outcome.success, "the generated crates do not build:\n{}", outcome.output);
    outcome.output
}

#[test]
fn error_bodies_of_every_shape_give_crates_that_compile() {
    // The runtime reads its own error envelope, so a `ClerkErrors` without
    // `clerk_trace_id` or `meta`, or none at all, changes nothing for it.
    let crates =
        ["clerk_errors_without_trace_id.yaml", "clerk_errors_without_meta.yaml", "no_clerk_errors.yaml"].map(generated);
    assert_builds("clerk-errors", &crates, Build::Check);
}

#[test]
fn recursive_schemas_std_names_and_clashing_parameter_names_compile() {
    let krate = generated("hostile_names.yaml");
    let models = &krate.files.iter().find(|file| file.path == "models.rs").expect("models.rs").contents;
    // Recursion goes through a `Box`; std names are not shadowed.
    assert!(models.contains("pub next: Option<Box<Node>>"), "{models}");
    assert!(models.contains("pub struct String_ {") && models.contains("pub struct Result_ {"), "{models}");
    let group = &krate.files.iter().find(|file| file.path == "type_.rs").expect("the `Type` group").contents;
    assert!(group.contains("pub async fn new(\n        &self,\n        body_: &str,"), "{group}");
    assert_builds("hostile-names", &[krate], Build::Check);
}

#[test]
fn spec_prose_never_becomes_a_doctest_and_a_hostile_title_stays_a_comment() {
    let krate = generated("hostile_prose.yaml");
    for file in &krate.files {
        let mut lines = file.contents.lines();
        let header = lines.next().expect("a header");
        assert!(header.starts_with(codegen::files::HEADER_PREFIX), "{header}");
        assert_eq!(lines.next(), Some(""), "{}: the header is one line", file.path);
    }
    let output = assert_builds("hostile-prose", &[krate], Build::DocTests);
    // The runtime's own docs hold no examples once the slice docs are left out,
    // so every doctest there would come from spec text.
    let doctests: Vec<&str> =
        output.lines().filter(|line| line.starts_with("test ") && !line.starts_with("test result")).collect();
    assert!(doctests.is_empty(), "doctests from spec prose: {doctests:#?}\n{output}");
    assert!(output.contains("running 0 tests"), "{output}");
}

/// Clerk's published documents, when `../shared` is beside the checkout (as in CI).
fn upstream(version: &str) -> Option<std::path::PathBuf> {
    let path = tests_dir().join(format!("../../shared/upstream/clerk-bapi/{version}.yml"));
    path.is_file().then_some(path)
}

/// A crate for every tag of the document at `path` that generates. Tags with
/// constructs the generator refuses are for the whole-API issue; what generates
/// must build.
fn tag_crates(path: &std::path::Path) -> Vec<GeneratedCrate> {
    let document = codegen::load::read_document(path).expect("the upstream document loads");
    let mut tags: Vec<String> = document
        .paths
        .paths
        .values()
        .filter_map(|item| item.as_item())
        .flat_map(|item| item.iter().flat_map(|(_, operation)| operation.tags.clone()))
        .collect();
    tags.sort();
    tags.dedup();
    let mut crates = Vec::new();
    for tag in &tags {
        let selection = Selection { tag: Some(tag.clone()), operation_ids: Vec::new() };
        if let Ok(generated) = codegen::generate_from(&document, &selection) {
            let name: String =
                tag.to_lowercase().chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
            crates.push(GeneratedCrate { name: format!("tag-{name}"), files: generated.files });
        }
    }
    crates
}

#[test]
fn every_tag_of_clerks_documents_that_generates_compiles() {
    let Some(latest) = upstream("2026-05-12") else {
        eprintln!("skipped: ../shared/upstream/clerk-bapi is not beside the checkout");
        return;
    };
    let mut crates = tag_crates(&latest);
    // The default slice of each of the three documents, old ones included.
    for version in ["2021-02-05", "2025-11-10"] {
        let path = upstream(version).expect("all three documents are there");
        let generated = codegen::generate(&path, &Selection::default()).expect("the invitations slice generates");
        crates.push(GeneratedCrate { name: format!("slice-{version}"), files: generated.files });
    }
    assert!(crates.len() >= 20, "{} crates", crates.len());
    assert_builds("upstream", &crates, Build::Check);
}

#[test]
fn spec_prose_gives_docs_without_a_rustdoc_warning() {
    // Markdown written for web pages (broken intra-doc links, generics that read
    // as HTML tags, raw HTML, bare URLs, …) and the hostile prose; and, when
    // Clerk's document is beside the checkout, every tag of it that generates.
    let mut crates = vec![generated("rustdoc_prose.yaml"), generated("hostile_prose.yaml")];
    match upstream("2026-05-12") {
        Some(latest) => {
            let tags = tag_crates(&latest);
            assert!(tags.len() >= 18, "{} tags generate", tags.len());
            crates.extend(tags);
        }
        None => eprintln!("upstream tags skipped: ../shared/upstream/clerk-bapi is not beside the checkout"),
    }
    let output = assert_builds("rustdoc", &crates, Build::Doc);
    assert!(!output.contains("warning"), "{output}");
}
