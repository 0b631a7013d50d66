//! Only the selected operations, and what they reach, have to be generable: a
//! problem in an operation outside the selection never stops a run, while the
//! same problem inside it is one error naming its place.

use std::path::PathBuf;

use codegen::{Generated, Options, Selection};
use tests::tests_dir;

fn fixture(name: &str) -> PathBuf {
    tests_dir().join("fixtures/selection").join(name)
}

fn tagged(tag: &str) -> Selection {
    Selection { tag: Some(tag.to_owned()), operation_ids: Vec::new() }
}

fn everything() -> Selection {
    Selection { tag: None, operation_ids: Vec::new() }
}

fn generate(name: &str, selection: Selection) -> Result<Generated, codegen::Error> {
    codegen::generate(&fixture(name), &Options::new(selection))
}

fn operation_ids(generated: &Generated) -> Vec<&str> {
    let mut ids: Vec<&str> = generated.api.operations().map(|operation| operation.operation_id.as_str()).collect();
    ids.sort_unstable();
    ids
}

fn assert_at(result: Result<Generated, codegen::Error>, pointer: &str, words: &str) {
    let error = result.err().unwrap_or_else(|| panic!("generated, but must fail at {pointer}"));
    assert_eq!(error.pointer.as_deref(), Some(pointer), "{error}");
    assert!(error.message.contains(words), "expected `{words}`: {error}");
}

#[test]
fn operation_ids_matter_only_inside_the_selection() {
    // `Others` has an operation without an operationId and two sharing one.
    let things = generate("operation_ids.yaml", tagged("Things")).expect("`Things` generates");
    assert_eq!(operation_ids(&things), ["GetThing"]);

    let missing = "operation has no operationId";
    assert_at(generate("operation_ids.yaml", tagged("Others")), "#/paths/~1things/post", missing);
    assert_at(generate("operation_ids.yaml", everything()), "#/paths/~1things/post", missing);
    let named = Selection { tag: Some("Others".to_owned()), operation_ids: vec!["GetOther".to_owned()] };
    assert_at(
        generate("operation_ids.yaml", named),
        "#/paths/~1others~1again/get",
        "duplicate operationId `GetOther` (first used at #/paths/~1others/get)",
    );
    let one = Selection { tag: None, operation_ids: vec!["GetThing".to_owned()] };
    assert_eq!(operation_ids(&generate("operation_ids.yaml", one).expect("`GetThing` generates")), ["GetThing"]);
}

fn named(id: &str) -> Selection {
    Selection { tag: None, operation_ids: vec![id.to_owned()] }
}

#[test]
fn a_broken_operation_or_component_outside_the_selection_does_not_stop_a_run() {
    let things = generate("broken_elsewhere.yaml", tagged("Things")).expect("`Things` generates");
    assert_eq!(operation_ids(&things), ["GetThing"]);
    // What the operation reaches is read: its path item's parameter, and `Part`
    // through `Thing`.
    let get = things.api.operations().next().expect("one operation");
    assert_eq!(get.path_params.iter().map(|param| param.wire_name.as_str()).collect::<Vec<_>>(), ["thing_id"]);
    assert!(things.api.types.contains_key("Part"), "{:?}", things.api.types.keys());

    // Inside the selection, each problem is refused at its place.
    let invalid = "not a valid OpenAPI document";
    assert_at(
        generate("broken_elsewhere.yaml", named("DeleteThing")),
        "#/paths/~1things~1{thing_id}/delete/summary",
        "`summary` must be a string, found the number 5",
    );
    assert_at(
        generate("broken_elsewhere.yaml", named("ListOthers")),
        "#/paths/~1others/get/parameters/0/in",
        "unknown variant `body`",
    );
    assert_at(
        generate("broken_elsewhere.yaml", named("GetOther")),
        "#/components/schemas/Other/properties/size/type",
        "`type` must be a string, found the number 5",
    );
    for selection in [tagged("Others"), everything()] {
        let error = generate("broken_elsewhere.yaml", selection.clone()).expect_err("must fail");
        assert!(error.message.contains(invalid), "{selection:?}: {error}");
        assert!(error.pointer.is_some_and(|pointer| pointer.starts_with("#/")), "{selection:?}");
    }

    // With every operation fixed, the component nothing uses still fails a run
    // that selects everything (and only such a run).
    let mut text = std::fs::read_to_string(fixture("broken_elsewhere.yaml")).expect("read the fixture");
    for (from, to) in [
        ("summary: 5", "summary: Delete"),
        ("in: body", "in: query"),
        ("responses: none", "responses: {'204': {description: done}}"),
        ("size: {type: 5}", "size: {type: integer}"),
    ] {
        assert_eq!(text.matches(from).count(), 1, "{from}");
        text = text.replace(from, to);
    }
    let path = tests::scratch_dir("selection-unused").join("spec.yaml");
    std::fs::write(&path, text).expect("write the spec");
    let error = codegen::generate(&path, &Options::new(everything())).expect_err("`Unused` is checked");
    assert_eq!(error.pointer.as_deref(), Some("#/components/schemas/Unused/properties/size/type"), "{error}");
    let others = codegen::generate(&path, &Options::new(named("GetOther"))).expect("`GetOther` generates");
    assert_eq!(operation_ids(&others), ["GetOther"]);
}

#[test]
fn path_items_given_by_ref_are_resolved() {
    for selection in [tagged("Things"), everything()] {
        let generated = generate("path_item_refs.yaml", selection).expect("generates");
        assert_eq!(operation_ids(&generated), ["GetLegacyThing", "GetThing"]);
        for operation in generated.api.operations() {
            // The alias takes the parameters of the item it refers to.
            let params: Vec<&str> = operation.path_params.iter().map(|param| param.wire_name.as_str()).collect();
            assert_eq!(params, ["thing_id"], "{}", operation.operation_id);
        }
    }
    let document = codegen::load::read_document(&fixture("path_item_refs.yaml")).expect("loads");
    let paths: Vec<&str> = document.paths.paths.keys().map(String::as_str).collect();
    assert_eq!(paths, ["/things/{thing_id}", "/legacy/things/{thing_id}"]);

    // A failure inside a referenced path item is reported where it is written.
    let text = std::fs::read_to_string(fixture("path_item_refs.yaml")).expect("read the fixture");
    let broken = text.replacen("summary: One thing", "summary: 5", 1);
    let path = tests::scratch_dir("selection-path-item-refs").join("spec.yaml");
    std::fs::write(&path, broken).expect("write the spec");
    let error = codegen::generate(&path, &Options::new(tagged("Things"))).expect_err("`summary: 5`");
    assert_eq!(error.pointer.as_deref(), Some("#/components/pathItems/Thing/get/summary"), "{error}");
}

#[test]
fn path_item_refs_that_loop_or_lead_nowhere_are_refused_at_their_path() {
    let head = "openapi: 3.0.3\ninfo: {title: Loops, version: '1'}\npaths:\n  /things:\n    get:\n      \
                operationId: GetThing\n      tags: [Things]\n      responses: {'204': {description: done}}\n";
    let cases = [
        ("self", "  /a: {$ref: '#/paths/~1a'}\n", "#/paths/~1a", "loop: #/paths/~1a → #/paths/~1a"),
        (
            "pair",
            "  /a: {$ref: '#/paths/~1b'}\n  /b: {$ref: '#/paths/~1a'}\n",
            "#/paths/~1a",
            "loop: #/paths/~1a → #/paths/~1b → #/paths/~1a",
        ),
        (
            "component",
            "  /a: {$ref: '#/components/pathItems/P'}\ncomponents:\n  pathItems:\n    P: {$ref: '#/components/pathItems/P'}\n",
            "#/paths/~1a",
            "loop: #/paths/~1a → #/components/pathItems/P → #/components/pathItems/P",
        ),
        (
            "missing",
            "  /a: {$ref: '#/components/pathItems/Missing'}\n",
            "#/paths/~1a",
            "points to a path item that does not exist",
        ),
        (
            "missing-further",
            "  /a: {$ref: '#/components/pathItems/P'}\ncomponents:\n  pathItems:\n    P: {$ref: '#/paths/~1b'}\n",
            "#/components/pathItems/P",
            "`$ref: #/paths/~1b` points to a path item that does not exist",
        ),
        ("schema", "  /a: {$ref: '#/components/schemas/A'}\n", "#/paths/~1a", "must name a path item"),
        ("not-an-object", "  /a: {$ref: '#/paths/~1b'}\n  /b: 5\n", "#/paths/~1b", "a path item must be an object"),
    ];
    for (name, paths, pointer, words) in cases {
        let path = tests::scratch_dir(&format!("selection-loop-{name}")).join("spec.yaml");
        std::fs::write(&path, format!("{head}{paths}")).expect("write the spec");
        // Also when the path item is not selected: what it holds is unknown.
        for selection in [tagged("Things"), everything()] {
            let error = codegen::generate(&path, &Options::new(selection)).expect_err(name);
            assert_eq!(error.pointer.as_deref(), Some(pointer), "{name}: {error}");
            assert!(error.message.contains(words), "{name}: expected `{words}`: {error}");
        }
    }
}

#[test]
fn a_json_document_generates_the_same_bytes_as_the_same_yaml() {
    let yaml = verify::paths::default_spec();
    let json = codegen::load::to_json(&yaml).expect("converts");
    // Keys stay in the order written: `openapi` comes first, not after `info`.
    let position = |key: &str| json.find(&format!("\"{key}\":")).unwrap_or_else(|| panic!("`{key}` in the JSON"));
    assert!(position("openapi") < position("info"), "keys sorted");
    assert!(position("role") < position("public_metadata"), "properties sorted");
    let path = tests::scratch_dir("selection-json").join("organization-invitations.json");
    std::fs::write(&path, &json).expect("write the JSON spec");
    for selection in [Selection::default(), everything()] {
        let from_yaml = codegen::generate(&yaml, &Options::new(selection.clone())).expect("YAML generates");
        let from_json = codegen::generate(&path, &Options::new(selection.clone())).expect("JSON generates");
        assert_eq!(from_yaml.files, from_json.files, "{selection:?}");
    }
}

#[test]
fn an_operation_or_path_item_that_is_not_an_object_is_refused_under_any_selection() {
    // Under a tag, such an operation cannot be told in or out by its tags; it
    // was dropped with the unselected ones, exit 0. `null` is absent.
    let base = std::fs::read_to_string(fixture("operation_ids.yaml")).expect("read the fixture");
    let cases = [
        ("  /broken:\n    delete: 5\n", "#/paths/~1broken/delete", "an operation must be an object, not an integer"),
        ("  /broken:\n    put: [a]\n", "#/paths/~1broken/put", "an operation must be an object, not an array"),
        ("  /broken:\n    get: text\n", "#/paths/~1broken/get", "an operation must be an object, not a string"),
        ("  /broken: true\n", "#/paths/~1broken", "a path item must be an object, not a boolean"),
    ];
    for (index, (item, pointer, words)) in cases.into_iter().enumerate() {
        let text = base.replace("paths:\n", &format!("paths:\n{item}"));
        let path = tests::scratch_dir(&format!("not-an-object-{index}")).join("spec.yaml");
        std::fs::write(&path, text).expect("write the spec");
        let result = codegen::generate(&path, &Options::new(tagged("Things")));
        assert_at(result, pointer, words);
    }
    let absent = base.replace("paths:\n", "paths:\n  /absent:\n    get: null\n");
    let path = tests::scratch_dir("not-an-object-null").join("spec.yaml");
    std::fs::write(&path, absent).expect("write the spec");
    let things = codegen::generate(&path, &Options::new(tagged("Things"))).expect("`get: null` is absent");
    assert_eq!(operation_ids(&things), ["GetThing"]);
}

/// `/things` reached through `refs` path item `$ref`s: to `P1`, from each
/// `P{i}` to the next, the last holding the operation.
fn path_item_chain(refs: usize) -> String {
    let mut text = String::from(
        "openapi: 3.0.3\ninfo: {title: Chains, version: '1'}\npaths:\n  /things: {$ref: '#/components/pathItems/P1'}\n\
         components:\n  pathItems:\n",
    );
    for index in 1..refs {
        text.push_str(&format!("    P{index}: {{$ref: '#/components/pathItems/P{}'}}\n", index + 1));
    }
    text.push_str(&format!(
        "    P{refs}:\n      get:\n        operationId: GetThing\n        tags: [Things]\n        \
         responses: {{'204': {{description: done}}}}\n"
    ));
    text
}

#[test]
fn a_chain_of_32_path_item_refs_is_followed_and_33_are_refused() {
    // The message said "more than 32", and 32 were refused.
    for (refs, ok) in [(31, true), (32, true), (33, false)] {
        let path = tests::scratch_dir(&format!("path-item-chain-{refs}")).join("spec.yaml");
        std::fs::write(&path, path_item_chain(refs)).expect("write the spec");
        let result = codegen::generate(&path, &Options::new(everything()));
        if ok {
            let generated = result.unwrap_or_else(|error| panic!("{refs} refs: {error}"));
            assert_eq!(operation_ids(&generated), ["GetThing"]);
        } else {
            assert_at(result, "#/paths/~1things", "a chain of more than 32 path item `$ref`s");
        }
    }
}
