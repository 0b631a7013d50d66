//! A spec that does not load says where, in one line: the JSON pointer of the
//! offending key, or the line and column of the text. Hostile specs fail the same
//! way, quickly, on a test thread's small stack, with no panic and no abort.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::json;
use tests::scratch_dir;

/// A safety limit only: every load here takes milliseconds.
const LIMIT: Duration = Duration::from_secs(5);

/// The operation most mutations below land in.
const CREATE: &str = "#/paths/~1organizations~1{organization_id}~1invitations/post";

fn spec_text() -> String {
    std::fs::read_to_string(verify::paths::default_spec()).expect("read the spec")
}

/// The spec with its one occurrence of `from` replaced by `to`.
fn spec_with(from: &str, to: &str) -> String {
    let text = spec_text();
    assert_eq!(text.matches(from).count(), 1, "`{from}` occurs once in the spec");
    text.replacen(from, to, 1)
}

/// The 1-based line of the spec on which `anchor` starts.
fn line_of(anchor: &str) -> usize {
    let text = spec_text();
    let start = text.find(anchor).expect("anchor in the spec");
    text[..start].matches('\n').count() + 1
}

/// The spec as a JSON tree, changed by `change`, written as `name` (a `.json` file).
fn spec_json_with(dir: &Path, name: &str, change: impl FnOnce(&mut serde_json::Value)) -> PathBuf {
    let mut tree = codegen::load::read_value(&verify::paths::default_spec()).expect("the spec loads");
    change(&mut tree);
    write(dir, name, &serde_json::to_string_pretty(&tree).expect("serialize"))
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write the spec");
    path
}

/// Runs `work` on a thread of its own with a test thread's 2 MiB stack; fails the
/// test if it panics (or aborts the process, as a stack overflow does) or if it
/// takes longer than `LIMIT`.
fn within_limit<T: Send + 'static>(what: &str, work: impl FnOnce() -> T + Send + 'static) -> T {
    let (sender, receiver) = mpsc::channel();
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            let _ = sender.send(work());
        })
        .expect("spawn");
    match receiver.recv_timeout(LIMIT) {
        Ok(value) => value,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("{what}: still running after {LIMIT:?}"),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("{what}: panicked"),
    }
}

/// The one-line error of loading `path`.
fn load_error(path: &Path) -> String {
    let owned = path.to_owned();
    let outcome = within_limit(&path.display().to_string(), move || codegen::load::read_document(&owned).map(drop));
    let error = outcome.expect_err("the spec must not load").to_string();
    assert_eq!(error.lines().count(), 1, "one line: {error}");
    error
}

fn assert_at(error: &str, pointer: &str, message: &str) {
    assert!(error.ends_with(&format!("(at {pointer})")), "expected the place {pointer}: {error}");
    assert!(error.contains(message), "expected `{message}`: {error}");
}

#[test]
fn a_wrong_type_names_the_pointer_of_its_key() {
    let dir = scratch_dir("spec-errors-wrong-type");
    let cases = [
        (
            "summary: Invite someone to join an organization",
            "summary: 5".to_owned(),
            format!("{CREATE}/summary"),
            "`summary` must be a string, found the number 5",
        ),
        (
            "      required: true\n          name: organization_id\n          schema:\n            type: string\n          \
             description: Identifier of the organization the invitation is for.",
            "      required: \"yes\"\n          name: organization_id\n          schema:\n            type: string\n          \
             description: Identifier of the organization the invitation is for."
                .to_owned(),
            format!("{CREATE}/parameters/0/required"),
            "`required` must be a boolean, found the string \"yes\"",
        ),
        (
            "                email_address:\n                  type: string\n                  \
             description: Email address of the person being invited to join.",
            "                email_address:\n                  type: 5\n                  \
             description: Email address of the person being invited to join."
                .to_owned(),
            format!("{CREATE}/requestBody/content/application~1json/schema/properties/email_address/type"),
            "`type` must be a string, found the number 5",
        ),
        (
            "  responses:\n    ClerkErrors:\n      description: The request failed; the body lists the errors.",
            "  responses:\n    ClerkErrors:\n      description: [1]".to_owned(),
            "#/components/responses/ClerkErrors/description".to_owned(),
            "`description` must be a string, found an array",
        ),
        (
            "        inviter_id:\n          type: string\n          nullable: true\n        public_inviter_data:",
            "        inviter_id:\n          type: string\n          nullable: \"x\"\n        public_inviter_data:".to_owned(),
            "#/components/schemas/OrganizationInvitation/properties/inviter_id/nullable".to_owned(),
            "`nullable` must be a boolean, found the string \"x\"",
        ),
    ];
    for (index, (from, to, pointer, message)) in cases.iter().enumerate() {
        let path = write(&dir, &format!("case-{index}.yaml"), &spec_with(from, to));
        assert_at(&load_error(&path), pointer, message);
    }

    // An operation's `responses` replaced by a string; JSON takes the same path.
    let list = "/paths/~1organizations~1{organization_id}~1invitations/get";
    let path = spec_json_with(&dir, "responses.json", |tree| {
        *tree.pointer_mut(&format!("{list}/responses")).expect("responses") = json!("none");
    });
    assert_at(
        &load_error(&path),
        &format!("#{list}/responses"),
        "`responses` must be an object, found the string \"none\"",
    );
    let path = spec_json_with(&dir, "summary.json", |tree| {
        *tree.pointer_mut(&format!("{}/summary", &CREATE[1..])).expect("summary") = json!(5);
    });
    assert_at(&load_error(&path), &format!("{CREATE}/summary"), "`summary` must be a string, found the number 5");
}

#[test]
fn other_failures_in_an_operation_name_their_place() {
    let dir = scratch_dir("spec-errors-other");
    let list = "/paths/~1organizations~1{organization_id}~1invitations/get";

    // A missing required field: the object that lacks it.
    let path = spec_json_with(&dir, "missing.json", |tree| {
        tree.pointer_mut(list).and_then(|operation| operation.as_object_mut()).expect("operation").remove("responses");
    });
    assert_at(&load_error(&path), &format!("#{list}"), "missing field `responses`");

    // A value that is no variant: the key holding it, with the variants there are.
    let path = spec_json_with(&dir, "variant.json", |tree| {
        *tree.pointer_mut(&format!("{list}/parameters/1/in")).expect("in") = json!("body");
    });
    assert_at(&load_error(&path), &format!("#{list}/parameters/1/in"), "unknown variant `body`, expected one of");

    // Two failures: one of them, by the pointer of its key.
    let create = &CREATE[1..];
    let far_apart = |tree: &mut serde_json::Value| {
        *tree.pointer_mut(&format!("{create}/summary")).expect("summary") = json!(5);
        *tree.pointer_mut("/components/schemas/ClerkErrors/type").expect("type") = json!(["object"]);
    };
    let error = load_error(&spec_json_with(&dir, "far-apart.json", far_apart));
    assert!(
        error.ends_with(&format!("(at {CREATE}/summary)"))
            || error.ends_with("(at #/components/schemas/ClerkErrors/type)"),
        "{error}"
    );
    let same_operation = |tree: &mut serde_json::Value| {
        *tree.pointer_mut(&format!("{create}/summary")).expect("summary") = json!(5);
        *tree.pointer_mut(&format!("{create}/operationId")).expect("operationId") = json!(6);
    };
    let error = load_error(&spec_json_with(&dir, "same-operation.json", same_operation));
    assert!(
        error.ends_with(&format!("(at {CREATE}/summary)")) || error.ends_with(&format!("(at {CREATE}/operationId)")),
        "{error}"
    );
}

#[test]
fn numbers_json_cannot_hold_are_refused_at_their_place() {
    let dir = scratch_dir("spec-errors-non-finite");
    let summary = "summary: Invite someone to join an organization";
    let line = line_of(summary);
    for (index, number) in [".inf", "-.inf", "+.INF", ".nan", ".NaN"].iter().enumerate() {
        let path = write(&dir, &format!("case-{index}.yaml"), &spec_with(summary, &format!("summary: {number}")));
        let error = load_error(&path);
        assert_at(&error, &format!("{CREATE}/summary"), "is not a number JSON can hold");
        assert!(error.contains(&format!("line {line} column 16")), "{error}");
    }
}

#[test]
fn deep_flow_nesting_is_refused_at_its_line_and_column_in_time() {
    let dir = scratch_dir("spec-errors-flow");
    let line = spec_text().lines().count() + 1;
    // The 129th bracket is the first too deep; `x-deep: ` takes 8 columns.
    for (index, level) in ["[", "{a: "].iter().enumerate() {
        let text = format!("{}x-deep: {}\n", spec_text(), level.repeat(50_000));
        let error = load_error(&write(&dir, &format!("case-{index}.yaml"), &text));
        let column = 9 + 128 * level.len();
        assert!(error.contains("nested more than 128 levels deep"), "{error}");
        assert!(error.contains(&format!("at line {line} column {column}")), "{error}");
    }

    // Brackets that are text are not flow, however many.
    let brackets = "[".repeat(200);
    let text_only = format!(
        "{}x-quoted: '{brackets}'\nx-double: \"{brackets}\\\"{brackets}\"\nx-plain: a{brackets}\n  {brackets} more\n\
         x-block: |\n  {brackets}\n\n  {brackets}\n# {brackets}\nx-flow: [it's, {{b: c}}, '{brackets}']\n",
        spec_text()
    );
    let path = write(&dir, "text-only.yaml", &text_only);
    let loaded = within_limit("text-only", move || codegen::load::read_document(&path).map(drop));
    assert_eq!(loaded, Ok(()), "brackets in text are no nesting");
}

#[test]
fn yaml_alias_bombs_are_refused_at_their_place_in_time() {
    let dir = scratch_dir("spec-errors-aliases");
    let head = "openapi: 3.0.3\ninfo: {title: Bomb, version: '1'}\npaths: {}\n";
    // Billion laughs: nine levels of nine aliases each.
    let mut laughs = format!("{head}x-0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for level in 1..10 {
        let aliases = vec![format!("*l{}", level - 1); 9].join(", ");
        laughs.push_str(&format!("x-{level}: &l{level} [{aliases}]\n"));
    }
    // Quadratic: a list of 1,000 items, aliased 1,000 times (a 6 KB text, a
    // million values).
    let items = vec!["1"; 1_000].join(", ");
    let aliases = vec!["*list"; 1_000].join(", ");
    let quadratic = format!("{head}x-list: &list [{items}]\nx-copies: [{aliases}]\n");
    for (name, text) in [("laughs.yaml", laughs), ("quadratic.yaml", quadratic)] {
        let error = load_error(&write(&dir, name, &text));
        assert!(error.contains("expands to too many values"), "{error}");
        assert!(error.contains("line ") && error.contains("(at #/x-"), "{error}");
    }
}

/// A component schema `Deep` made of `levels` schemas, each inside the previous
/// one by `wrap`, around `innermost`.
fn spec_with_deep_schema(levels: usize, wrap: &str, innermost: &str) -> String {
    let mut schema = innermost.to_owned();
    for _ in 0..levels {
        schema = wrap.replace("{}", &schema);
    }
    spec_with("  schemas:\n", &format!("  schemas:\n    Deep: {schema}\n"))
}

#[test]
fn deeply_nested_schemas_load_on_a_test_threads_stack() {
    let dir = scratch_dir("spec-errors-deep-valid");
    // 124 levels of nesting, nearly the parsers' limit of 128.
    for (name, levels, wrap) in [("all-of.yaml", 62, "{allOf: [{}]}"), ("items.yaml", 124, "{items: {}}")] {
        let path = write(&dir, name, &spec_with_deep_schema(levels, wrap, "{type: string}"));
        let loaded = within_limit(name, move || codegen::load::read_document(&path).map(drop));
        assert_eq!(loaded, Ok(()), "{name}");
    }
}

#[test]
fn a_failure_deep_in_a_schema_is_found_in_time() {
    let dir = scratch_dir("spec-errors-deep-invalid");
    // `openapiv3` reads a schema failing 40 levels down 2^40 times.
    let text = spec_with_deep_schema(40, "{type: object, properties: {p: {}}}", "{type: 5}");
    let error = load_error(&write(&dir, "deep.yaml", &text));
    let pointer = format!("#/components/schemas/Deep{}/type", "/properties/p".repeat(40));
    assert_at(&error, &pointer, "`type` must be a string, found the number 5");
}

#[test]
fn every_hostile_spec_fails_in_one_line_with_its_place_in_time() {
    let dir = scratch_dir("spec-errors-hostile");
    let summary = "summary: Invite someone to join an organization";
    let head = "openapi: 3.0.3\ninfo: {title: Hostile, version: '1'}\npaths: {}\n";
    let deep_block: String = (1..=200).map(|level| format!("{}a{level}:\n", "  ".repeat(level))).collect();
    let mut laughs = format!("{head}x-0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for level in 1..10 {
        laughs.push_str(&format!("x-{level}: &l{level} [{}]\n", vec![format!("*l{}", level - 1); 9].join(", ")));
    }
    let hostile: Vec<(&str, String)> = vec![
        ("inf.yaml", spec_with(summary, "summary: .inf")),
        ("nan.yaml", spec_with(summary, "summary: .nan")),
        ("flow-sequences.yaml", format!("{head}x-deep: {}\n", "[".repeat(20_000))),
        ("flow-maps.yaml", format!("{head}x-deep: {}1{}\n", "{a: ".repeat(20_000), "}".repeat(20_000))),
        ("deep.json", format!("{{\"openapi\": {}{}}}", "[".repeat(20_000), "]".repeat(20_000))),
        ("block-sequences.yaml", format!("{head}x-deep:\n  {}x\n", "- ".repeat(20_000))),
        ("block-maps.yaml", format!("{head}x-deep:\n{deep_block}")),
        ("laughs.yaml", laughs),
        ("quadratic.yaml", format!("{head}x-l: &l [{}]\nx-c: [{}]\n", ["1"; 1_000].join(","), ["*l"; 1_000].join(","))),
        ("tag.yaml", format!("{head}x-tagged: !custom 5\n")),
        ("sequence-key.yaml", format!("{head}x-map: {{[1, 2]: x}}\n")),
        ("null-key.yaml", format!("{head}x-map: {{~: x}}\n")),
        ("duplicate-key.yaml", format!("{head}x-map: {{a: 1, a: 2}}\n")),
        ("deep-schema.yaml", spec_with_deep_schema(40, "{type: object, properties: {p: {}}}", "{type: 5}")),
        ("huge-number.json", "{\"openapi\": 1e999}".to_owned()),
        ("scalar.yaml", "5\n".to_owned()),
        ("empty.yaml", String::new()),
    ];
    // Every operation selected, so every byte is read: a selection reads only what
    // it reaches, and `Deep` is reached by nothing.
    let everything = codegen::Selection { tag: None, operation_ids: Vec::new() };
    for (name, text) in hostile {
        let path = write(&dir, name, &text);
        let everything = everything.clone();
        let outcome = within_limit(name, move || {
            codegen::generate(&path, &codegen::Options::new(everything)).map(|generated| generated.files.len())
        });
        let error = outcome.expect_err(name).to_string();
        assert_eq!(error.lines().count(), 1, "{name}: one line: {error}");
        assert!(error.contains("(at #") || error.contains("line "), "{name}: no place: {error}");
    }
}
