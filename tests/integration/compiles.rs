//! Exit 0 means the output compiles: hostile and unusual specs are generated
//! into real crates (see `verify::compile`) and built with cargo.
//!
//! `cargo test` keeps within 4 minutes cold on 2 cores, so it builds one set of
//! crates of each kind (check, rustdoc, doctests; the programs elsewhere build
//! binaries). Builds of many or whole crates, and clippy's, are `#[ignore]`d
//! with the reason, and a `.ci/run` step runs them (`-- --ignored`); new ones
//! go there too.

use codegen::Selection;
use tests::tests_dir;
use verify::compile::{build, Build, GeneratedCrate};

fn generated(fixture: &str) -> GeneratedCrate {
    let path = tests_dir().join("fixtures/compile").join(fixture);
    let selection = Selection { tag: None, operation_ids: Vec::new() };
    let name = fixture.trim_end_matches(".yaml").replace('_', "-");
    GeneratedCrate::generate(&name, &path, selection)
        .unwrap_or_else(|error| panic!("{fixture} does not generate: {error}"))
}

fn file<'c>(krate: &'c GeneratedCrate, path: &str) -> &'c str {
    &krate.files.iter().find(|file| file.path == path).unwrap_or_else(|| panic!("{path}")).contents
}

fn assert_builds(label: &str, crates: &[GeneratedCrate], kind: Build) -> String {
    let outcome = build(label, crates, kind).expect("cargo runs");
    assert!(outcome.success, "the generated crates do not build:\n{}", outcome.output);
    outcome.output
}

#[test]
fn recursive_schemas_std_names_and_clashing_parameter_names_are_named_apart() {
    let krate = generated("hostile_names.yaml");
    let models = file(&krate, "src/models.rs");
    // Recursion goes through a `Box`; std names are not shadowed.
    assert!(models.contains("pub next: Option<Box<Node>>"), "{models}");
    assert!(models.contains("pub struct StringModel {") && models.contains("pub struct ResultModel {"), "{models}");
    assert!(
        models.contains("pub struct ClientModel {") && models.contains("pub error: Option<ErrorModel>"),
        "{models}"
    );
    let group = file(&krate, "src/type_.rs");
    assert!(group.contains("pub fn new(&self) -> New {"), "{group}");
    assert!(group.contains("pub fn body_(mut self, body_: impl Into<String>) -> Self {"), "{group}");
    assert!(group.contains("pub fn send_(mut self, send_: impl Into<String>) -> Self {"), "{group}");
    // `new`, `NEW` and `new_` in three places, `Decode`, `default`, …: none is
    // the builder's `new`, `decode` or a derived method.
    for setter in
        ["new_(mut self, new_:", "new_header(mut self,", "new_2(mut self,", "decode_(mut self,", "default_(mut self,"]
    {
        assert!(group.contains(&format!("pub fn {setter}")), "{setter}\n{group}");
    }
    assert!(models.contains("List(Vec<Tree>),"), "a union holds itself in a list: {models}");
}

#[test]
#[ignore = "builds whole crates; a .ci/run step runs it"]
fn hostile_names_and_error_bodies_of_every_shape_give_crates_that_compile() {
    // The error format comes from the document: a `ClerkErrors` without
    // `clerk_trace_id` or `meta`, or none at all, is described to the runtime
    // as it is, and compiles.
    let crates = [
        "hostile_names.yaml",
        "clerk_errors_without_trace_id.yaml",
        "clerk_errors_without_meta.yaml",
        "no_clerk_errors.yaml",
    ]
    .map(generated);
    assert_builds("hostile-names-and-errors", &crates, Build::Check);
}

#[test]
fn spec_prose_never_becomes_a_doctest_and_a_hostile_title_stays_a_comment() {
    let krate = generated("hostile_prose.yaml");
    for file in &krate.files {
        let mut lines = file.contents.lines();
        let header = lines.next().expect("a header");
        if file.path == "Cargo.toml" {
            assert!(header.starts_with(codegen::files::HASH_HEADER_PREFIX), "{header}");
            assert_eq!(lines.next(), Some("[package]"), "the header is one line");
        } else if file.path == codegen::semver::RECORD_FILE {
            assert!(header.starts_with(codegen::files::HASH_HEADER_PREFIX), "{header}");
            assert!(
                lines.next().is_some_and(|line| line.starts_with("# The public API of ")),
                "the header is one line"
            );
        } else {
            assert!(header.starts_with(codegen::files::HEADER_PREFIX), "{header}");
            assert_eq!(lines.next(), Some(""), "{}: the header is one line", file.path);
        }
    }
    // Empty and whitespace-only prose is absent: the generator's own docs stand
    // in (the crate denies missing docs), and a blank `title` names nothing.
    let models = file(&krate, "src/models.rs");
    for docs in ["/// The `Blank` object.\n", "/// `id`: a string.\n", "/// The values of `BlankLevel`.\n"] {
        assert!(models.contains(docs), "{docs}{models}");
    }
    assert!(models.contains("    Object(BlankEitherObject),") && !models.contains("Space"), "{models}");
    let output = assert_builds("hostile-prose", &[krate], Build::DocTests);
    // The one doctest of a generated crate is its crate docs' example; any other
    // would come from spec text.
    let doctests: Vec<&str> =
        output.lines().filter(|line| line.starts_with("test ") && !line.starts_with("test result")).collect();
    assert_eq!(doctests.len(), 1, "doctests from spec prose: {doctests:#?}\n{output}");
    assert!(doctests[0].contains("src/lib.rs - (line"), "{doctests:#?}");
}

/// One of Clerk's published documents in `../shared` beside the checkout (as
/// in CI); a test needing it fails naming it when it is not there. Such tests
/// are `#[ignore]`d by `cargo test`, since a newcomer's clone has no
/// `../shared`: a `.ci/run` step runs them (`-- --ignored`).
pub(crate) fn upstream(version: &str) -> std::path::PathBuf {
    let path = tests_dir().join(format!("../../shared/upstream/clerk-bapi/{version}.yml"));
    assert!(
        path.is_file(),
        "{} is missing: this test needs Clerk's documents in ../shared beside the checkout, as CI has them",
        path.display()
    );
    path
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
        // `Allow-list / Block-list` → `tag-allow-list-block-list`.
        let name = format!("tag-{}", verify::krate::tag_suffix(tag));
        let options =
            codegen::Options { krate: verify::krate::scratch_info(&name), ..codegen::Options::new(selection) };
        if let Ok(generated) = codegen::generate_from(&document, &options) {
            crates.push(GeneratedCrate { name, files: generated.files });
        }
    }
    crates
}

#[test]
#[ignore = "needs ../shared beside the checkout; a .ci/run step runs it"]
fn every_tag_of_clerks_documents_that_generates_compiles_without_a_warning() {
    let mut crates = tag_crates(&upstream("2026-05-12"));
    // The default slice of each of the three documents, old ones included.
    for version in ["2021-02-05", "2025-11-10"] {
        let path = upstream(version);
        let krate = GeneratedCrate::generate(&format!("slice-{version}"), &path, Selection::default());
        crates.push(krate.expect("the invitations slice generates"));
    }
    // Tags whose schemas use `oneOf`, `anyOf`, typed `additionalProperties`,
    // nested `allOf`s, `required` naming what is not defined, and enum values
    // that are not identifiers (`""`, `*`).
    let names: Vec<&str> = crates.iter().map(|krate| krate.name.as_str()).collect();
    let composed = [
        "tag-email-addresses",
        "tag-phone-numbers",
        "tag-jwks",
        "tag-sessions",
        "tag-oauth-access-tokens",
        "tag-saml-connections",
        "tag-role-sets",
        "tag-directories",
        "tag-machines",
        "tag-invitations",
        "tag-enterprise-connections",
        "tag-sign-ups",
        "tag-agent-tasks",
    ];
    for tag in composed {
        assert!(names.contains(&tag), "{tag} does not generate: {names:?}");
    }
    assert!(crates.len() >= 36, "{} crates", crates.len());
    assert_builds("upstream", &crates, Build::Clippy);
}

/// A program that holds the deepest generated type 23 levels deeper still
/// (in a `Vec` of 20 `Option`s, across an `await`, in a spawned task, which
/// must be `Send`), and uses every call.
fn holding_program(krate: &str) -> GeneratedCrate {
    let held = (0..20).fold("Thing".to_owned(), |inner, _| format!("Option<{inner}>"));
    let main = format!(
        r#"use {krate}::{{Client, Item, Thing}};

async fn calls(client: Client, thing: Thing) -> Result<usize, {krate}::Error> {{
    let held: Vec<{held}> = Vec::new();
    let answered = client.things().get_thing().send().await?;
    client.things().replace_thing().body(answered).send().await?;
    let chunks = client.things().create_items().body(vec![Item::new("item_1")]).send_chunked().await?;
    let mut items = client.things().list_items().items();
    while let Some(item) = items.try_next().await? {{
        println!("{{}}", item.id);
    }}
    drop(thing);
    Ok(held.len() + chunks.len())
}}

#[tokio::main]
async fn main() {{
    let client = Client::builder().secret("sk_test_nesting").base_url("http://127.0.0.1:9").build().expect("a client");
    let task = tokio::spawn(calls(client, Thing::default()));
    println!("{{:?}}", task.await.expect("the task ends").map_err(|error| error.to_string()));
}}
"#
    );
    let manifest = format!(
        "[package]\nname = \"holding-program\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\n{package} = {{ path = \"../{package}\" }}\n\
         tokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }}\n",
        package = krate.replace('_', "-")
    );
    GeneratedCrate {
        name: "holding-program".to_owned(),
        files: vec![
            codegen::GeneratedFile { path: "Cargo.toml".to_owned(), contents: manifest },
            codegen::GeneratedFile { path: "src/main.rs".to_owned(), contents: main },
        ],
    }
}

#[test]
#[ignore = "builds whole crates with clippy or at every limit; a .ci/run step runs it"]
fn types_nested_to_every_limit_compile_and_leave_room_for_the_program_holding_them() {
    // rustc counts the levels of a type proving `Send` of what holds it,
    // against a recursion limit of 128: the generator allows 96 (see
    // `lower/nesting.rs`), so the crate compiles and so does a program
    // holding its deepest type 23 levels deeper in a spawned task.
    let path = tests::scratch_dir("every-limit").join("spec.yaml");
    std::fs::write(&path, crate::nesting::every_limit_spec()).expect("write the spec");
    let selection = Selection { tag: None, operation_ids: Vec::new() };
    let krate = GeneratedCrate::generate("nesting-limits", &path, selection).expect("every limit generates");
    let models = file(&krate, "src/models.rs");
    // Maps of maps 29 deep: the innermost alias is the 29th.
    assert!(models.contains("pub type Nb28 = std::collections::BTreeMap<String, String>;"), "{models}");
    assert_builds("nesting-limits", &[krate, holding_program("nesting_limits")], Build::Check);
}

#[test]
#[ignore = "builds whole crates with clippy or at every limit; a .ci/run step runs it"]
fn every_kind_of_composed_type_and_closed_enums_compile_without_a_warning() {
    let composition = generated("composition.yaml");
    let models = file(&composition, "src/models.rs");
    // Schemas named like prelude and runtime types keep clear of them.
    for name in ["pub struct BoxModel {", "pub enum ResultModel {", "pub type OptionModel =", "pub struct KeyedModel {"]
    {
        assert!(
            models.contains(name),
            "{name}
{models}"
        );
    }
    // Recursion through a union goes through a `Box`.
    assert!(models.contains("Branch(Box<Branch>)") && models.contains("pub left: Box<Tree>"), "{models}");
    let spec = tests_dir().join("fixtures/unknown_values.yaml");
    let options = codegen::Options {
        krate: verify::krate::scratch_info("closed-enums"),
        open_enums: codegen::lower::OpenEnums::Marked,
        ..codegen::Options::new(Selection { tag: None, operation_ids: Vec::new() })
    };
    let closed = codegen::generate(&spec, &options).expect("the fixture generates");
    let closed = GeneratedCrate { name: "closed-enums".to_owned(), files: closed.files };
    assert_builds("composition", &[composition, closed], Build::Clippy);
}

#[test]
fn spec_prose_gives_docs_without_a_rustdoc_warning() {
    // Markdown written for web pages (broken intra-doc links, generics that read
    // as HTML tags, raw HTML, bare URLs, …) and the hostile prose.
    let crates = [generated("rustdoc_prose.yaml"), generated("hostile_prose.yaml")];
    let output = assert_builds("rustdoc", &crates, Build::Doc);
    assert!(!output.contains("warning"), "{output}");
}

#[test]
#[ignore = "needs ../shared beside the checkout; a .ci/run step runs it"]
fn every_tag_of_clerks_document_gives_docs_without_a_rustdoc_warning() {
    let tags = tag_crates(&upstream("2026-05-12"));
    assert!(tags.len() >= 18, "{} tags generate", tags.len());
    let output = assert_builds("rustdoc-upstream", &tags, Build::Doc);
    assert!(!output.contains("warning"), "{output}");
}

#[test]
fn each_model_sits_behind_the_features_of_the_groups_that_reach_it() {
    let krate = generated("group_features.yaml");
    let models = file(&krate, "src/models.rs");
    let gate_of = |item: &str| {
        let before = &models[..models.find(item).unwrap_or_else(|| panic!("{item}\n{models}"))];
        let last_item = before.rfind("\n\n").map_or(before, |start| &before[start..]);
        last_item.lines().find(|line| line.starts_with("#[cfg(")).map(str::to_owned)
    };
    // One group; two of three; all three, or the error model: always on.
    assert_eq!(gate_of("pub struct Store {").as_deref(), Some("#[cfg(feature = \"stores\")]"));
    assert_eq!(gate_of("pub struct Pet {").as_deref(), Some("#[cfg(any(feature = \"pets\", feature = \"stores\"))]"));
    for always in ["pub struct Owner {", "pub enum Kind {", "pub struct Errors {", "pub struct ErrorsErrorsItem {"] {
        assert_eq!(gate_of(always), None, "{always}");
    }
    // An operation's own type follows its group; a conversion needs both.
    assert_eq!(gate_of("pub struct ListPetsParams {").as_deref(), Some("#[cfg(feature = \"pets\")]"));
    assert!(models.contains("#[cfg(all(feature = \"pets\", feature = \"stores\"))]\nrt::convert!(CreatePetRequest"));
    let lib = file(&krate, "src/lib.rs");
    assert!(lib.contains("#[cfg(feature = \"owners\")]\n#[rustfmt::skip]\npub mod owners;"), "{lib}");
    let manifest = file(&krate, "Cargo.toml");
    assert!(manifest.contains("default = [\"rustls-tls\", \"owners\", \"pets\", \"stores\"]"), "{manifest}");
    assert!(manifest.contains("\npets = []\n"), "{manifest}");
}

/// The group-features fixture with its `owners` group called `default`, the
/// name of the feature Cargo turns on by default.
fn group_named_default() -> GeneratedCrate {
    let text = std::fs::read_to_string(tests_dir().join("fixtures/compile/group_features.yaml")).expect("fixture");
    let text = text.replace("x-speakeasy-group: owners", "x-speakeasy-group: default");
    let path = tests::scratch_dir("group-named-default").join("spec.yaml");
    std::fs::write(&path, text).expect("write the spec");
    GeneratedCrate::generate("group-named-default", &path, Selection { tag: None, operation_ids: Vec::new() })
        .expect("generates")
}

#[test]
fn a_group_called_default_gets_a_feature_of_another_name() {
    let krate = group_named_default();
    let manifest = file(&krate, "Cargo.toml");
    // One `default` key, the crate's; the group's feature is named apart.
    assert_eq!(manifest.matches("\ndefault = ").count(), 1, "{manifest}");
    assert!(manifest.contains("default = [\"rustls-tls\", \"default_group\", \"pets\", \"stores\"]"), "{manifest}");
    assert!(manifest.contains("\ndefault_group = []\n"), "{manifest}");
    let lib = file(&krate, "src/lib.rs");
    assert!(lib.contains("#[cfg(feature = \"default_group\")]\n#[rustfmt::skip]\npub mod default;"), "{lib}");
    let client = file(&krate, "src/client.rs");
    assert!(client.contains("#[cfg(feature = \"default_group\")]"), "{client}");
    assert!(!client.contains("feature = \"default\""), "{client}");
}

#[test]
#[ignore = "builds whole crates with clippy seven times; a .ci/run step runs it"]
fn each_group_feature_alone_or_none_builds_without_a_warning() {
    let krate = generated("group_features.yaml");
    let crates = [krate];
    for groups in [&[][..], &["pets"], &["owners"], &["stores"], &["owners", "pets", "stores"]] {
        let features: Vec<&str> = std::iter::once("rustls-tls").chain(groups.iter().copied()).collect();
        let outcome = verify::compile::clippy_with_features("group-features", &crates, "group-features", &features)
            .expect("cargo runs");
        assert!(outcome.success, "with {features:?}:\n{}", outcome.output);
    }
    let crates = [group_named_default()];
    for features in [&["rustls-tls", "default_group"][..], &["rustls-tls", "default_group", "pets", "stores"]] {
        let outcome =
            verify::compile::clippy_with_features("group-named-default", &crates, "group-named-default", features)
                .expect("cargo runs");
        assert!(outcome.success, "with {features:?}:\n{}", outcome.output);
    }
}

#[test]
#[ignore = "builds whole crates with clippy; a .ci/run step runs it"]
fn every_fixture_builds_with_its_test_kit_without_a_warning() {
    // The snapshot fixtures, the API descriptions and the compile fixtures:
    // every shape the generator writes, each with `--features test-util`.
    let mut crates = Vec::new();
    for folder in ["fixtures", "fixtures/api", "fixtures/compile"] {
        let mut paths: Vec<std::path::PathBuf> = std::fs::read_dir(tests_dir().join(folder))
            .expect("the fixtures")
            .flatten()
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
            .collect();
        paths.sort();
        for path in paths {
            let stem = path.file_stem().and_then(|stem| stem.to_str()).expect("a name").replace('_', "-");
            let name = format!("kit-{}-{stem}", folder.trim_start_matches("fixtures").trim_start_matches('/'))
                .replace("--", "-");
            let selection = Selection { tag: None, operation_ids: Vec::new() };
            let krate = GeneratedCrate::generate(&name, &path, selection)
                .unwrap_or_else(|error| panic!("{} does not generate: {error}", path.display()));
            crates.push(krate);
        }
    }
    assert!(crates.len() >= 50, "{} fixtures", crates.len());
    assert_builds("fixtures-test-util", &crates, Build::Clippy);
}
