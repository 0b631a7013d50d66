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
