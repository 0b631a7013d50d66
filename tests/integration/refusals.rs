//! Specs the generator must refuse, rather than emit a client that does not
//! compile, panics, hangs, or sends requests elsewhere than the spec says: each
//! gives one error line naming the place, in well under a second.

use std::time::{Duration, Instant};

use codegen::{Options, Selection};

/// A one-operation spec; `path`, `extra_operation` (YAML lines under the
/// operation) and `schemas` (YAML under `components/schemas`) vary per case.
fn spec(path: &str, extra_operation: &str, schemas: &str) -> String {
    format!(
        r##"openapi: 3.0.3
info: {{title: Refusals, version: "1"}}
paths:
  "{path}":
    get:
      operationId: GetThing
      tags: [Things]
{extra_operation}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {{$ref: "#/components/schemas/Thing"}}
components:
  schemas:
    Thing:
      type: object
      properties:
        name: {{type: string}}
{schemas}"##
    )
}

/// Generates `text` and returns the error, which must come quickly, as one line.
fn refused(name: &str, text: &str) -> codegen::Error {
    let path = tests::scratch_dir(name).join("spec.yaml");
    std::fs::write(&path, text).expect("write spec");
    let started = Instant::now();
    let result = codegen::generate(&path, &Options::new(Selection { tag: None, operation_ids: Vec::new() }));
    let elapsed = started.elapsed();
    // A safety limit for a slow machine, not a benchmark: it is milliseconds.
    assert!(elapsed < Duration::from_secs(5), "{name}: took {elapsed:?}");
    let error = result.err().unwrap_or_else(|| panic!("{name}: generated, but must be refused"));
    assert!(!error.to_string().contains('\n'), "{error}");
    error
}

fn assert_at(error: &codegen::Error, pointer: &str, words: &str) {
    assert_eq!(error.pointer.as_deref(), Some(pointer), "{error}");
    assert!(error.message.contains(words), "{error}");
}

#[test]
fn path_templates_that_could_reach_another_endpoint_are_refused() {
    let id = "      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}";
    for (name, path, params) in [
        ("dot-dot", "/things/{id}/../../admin", id),
        ("dot", "/things/./x", ""),
        ("query", "/things?admin=true", ""),
        ("fragment", "/things#x", ""),
        ("dots-around-a-parameter", "/things/.{id}", id),
    ] {
        let error = refused(name, &spec(path, params, ""));
        let pointer = format!("#/paths/{}/get", path.replace('~', "~0").replace('/', "~1"));
        assert_eq!(error.pointer.as_deref(), Some(pointer.as_str()), "{name}: {error}");
        assert!(error.message.contains(path), "{name}: {error}");
    }
}

#[test]
fn bounds_no_value_can_meet_are_refused() {
    let minimum = refused("min-over-max", &spec("/t", "", "        count: {type: integer, minimum: 5, maximum: 4}"));
    assert_at(&minimum, "#/components/schemas/Thing/properties/count/minimum", "greater than maximum");
    let items = "        tags: {type: array, maxItems: 18446744073709551615, items: {type: string}}";
    assert_at(
        &refused("max-items", &spec("/t", "", items)),
        "#/components/schemas/Thing/properties/tags/maxItems",
        "maxItems",
    );
    let exclusive = format!("        count: {{type: integer, minimum: {}, exclusiveMinimum: true}}", i64::MAX);
    let error = refused("exclusive-min", &spec("/t", "", &exclusive));
    assert_at(&error, "#/components/schemas/Thing/properties/count/exclusiveMinimum", "leaves no value");
    let exclusive = format!("        count: {{type: integer, maximum: {}, exclusiveMaximum: true}}", i64::MIN);
    let error = refused("exclusive-max", &spec("/t", "", &exclusive));
    assert_at(&error, "#/components/schemas/Thing/properties/count/exclusiveMaximum", "leaves no value");
}

#[test]
fn references_that_never_reach_a_schema_are_refused() {
    let own = "        loop: {$ref: \"#/components/schemas/Loop\"}\n    Loop: {$ref: \"#/components/schemas/Loop\"}";
    assert_at(&refused("self-ref", &spec("/t", "", own)), "#/components/schemas/Loop", "`$ref` chain loops");
    let pair = "        a: {$ref: \"#/components/schemas/A\"}\n    A: {$ref: \"#/components/schemas/B\"}\n    B: {$ref: \"#/components/schemas/A\"}";
    let error = refused("ref-pair", &spec("/t", "", pair));
    assert!(error.message.contains("`$ref` chain loops"), "{error}");
    let list = "        items: {$ref: \"#/components/schemas/Items\"}\n    Items: {type: array, items: {$ref: \"#/components/schemas/Items\"}}";
    assert_at(&refused("list-of-itself", &spec("/t", "", list)), "#/components/schemas/Items", "must be an object");
}

#[test]
fn long_chains_of_references_end_quickly_without_exhausting_the_stack() {
    // 2,000 components each only a `$ref` to the next.
    let mut aliases = String::from("        first: {$ref: \"#/components/schemas/A0\"}\n");
    for index in 0..2000 {
        aliases.push_str(&format!("    A{index}: {{$ref: \"#/components/schemas/A{}\"}}\n", index + 1));
    }
    aliases.push_str("    A2000: {type: string}");
    let error = refused("alias-chain", &spec("/t", "", &aliases));
    assert!(error.message.contains("too long"), "{error}");

    // 2,000 objects each holding the next.
    let mut nested = String::from("        first: {$ref: \"#/components/schemas/N0\"}\n");
    for index in 0..2000 {
        nested.push_str(&format!(
            "    N{index}:\n      type: object\n      properties:\n        next: {{$ref: \"#/components/schemas/N{}\"}}\n",
            index + 1
        ));
    }
    nested.push_str("    N2000: {type: string}");
    let error = refused("nested-chain", &spec("/t", "", &nested));
    assert!(error.message.contains("nest deeper than"), "{error}");
}

#[test]
fn groups_without_a_usable_or_free_name_are_refused() {
    for (name, group) in [("group-models", "models"), ("group-symbols", "%%%"), ("group-client-method", "builder")] {
        let error = refused(name, &spec("/t", &format!("      x-speakeasy-group: \"{group}\""), ""));
        assert_at(&error, "#/paths/~1t/get", "x-speakeasy-group");
    }
}

#[test]
fn parameters_the_client_cannot_send_are_refused() {
    let param = |yaml: &str| format!("      parameters:\n        - {yaml}");
    for (name, path, yaml, words) in [
        ("cookie", "/t", "{name: session, in: cookie, schema: {type: string}}", "cookie parameters are not supported"),
        (
            "client-header",
            "/t",
            "{name: User-Agent, in: header, schema: {type: string}}",
            "sets the header `User-Agent`",
        ),
        ("header-name", "/t", "{name: \"X Bad\", in: header, schema: {type: string}}", "not a valid HTTP header name"),
        ("header-object", "/t", "{name: X-Obj, in: header, schema: {type: object}}", "header parameters must be"),
        (
            "path-bool",
            "/t/{flag}",
            "{name: flag, in: path, required: true, schema: {type: boolean}}",
            "path parameters must be",
        ),
    ] {
        let error = refused(name, &spec(path, &param(yaml), ""));
        let at = format!("#/paths/{}/get/parameters/0", path.replace('/', "~1"));
        assert_at(&error, &at, words);
    }
}

#[test]
fn an_all_of_property_defined_twice_with_different_types_names_both_places() {
    let schemas = "        merged:\n          allOf:\n            - {$ref: \"#/components/schemas/Base\"}\n            - {type: object, properties: {count: {type: string}}}\n    Base: {type: object, properties: {count: {type: integer}}}";
    let error = refused("all-of-conflict", &spec("/t", "", schemas));
    assert_at(
        &error,
        "#/components/schemas/Thing/properties/merged/allOf/1/properties/count",
        "`allOf` defines property `count` here and at #/components/schemas/Base/properties/count",
    );
}

#[test]
fn discriminated_unions_the_generator_cannot_tell_apart_are_refused() {
    let members = "          oneOf:\n            - {$ref: \"#/components/schemas/Cat\"}\n            - {$ref: \"#/components/schemas/Dog\"}\n";
    let pets = "    Cat: {type: object, properties: {kind: {type: string, enum: [cat]}}}\n    Dog: {type: object, properties: {kind: {type: string, enum: [cat]}}}";
    let union = format!("        pet:\n{members}          discriminator: {{propertyName: kind}}\n{pets}");
    let error = refused("same-tag", &spec("/t", "", &union));
    assert_at(
        &error,
        "#/components/schemas/Thing/properties/pet/oneOf/1",
        "tag `cat` selects this member and the one at",
    );

    let stray = format!(
        "        pet:\n{members}          discriminator: {{propertyName: kind, mapping: {{bird: Bird}}}}\n{pets}"
    );
    let error = refused("stray-mapping", &spec("/t", "", &stray));
    assert_at(&error, "#/components/schemas/Thing/properties/pet/discriminator/mapping/bird", "not a member");

    let inline = "        pet:\n          oneOf:\n            - {type: object, properties: {name: {type: string}}}\n          discriminator: {propertyName: kind}";
    let error = refused("unnamed-member", &spec("/t", "", inline));
    assert_at(&error, "#/components/schemas/Thing/properties/pet/oneOf/0", "needs a `title` or a `kind` enum");

    let scalar = "        pet:\n          oneOf:\n            - {type: string, title: Name}\n          discriminator: {propertyName: kind}";
    let error = refused("scalar-member", &spec("/t", "", scalar));
    assert_at(&error, "#/components/schemas/Thing/properties/pet/oneOf/0", "must be an object");
}

#[test]
fn maps_of_themselves_and_null_outside_a_union_are_refused() {
    let map = "        tree: {$ref: \"#/components/schemas/Tree\"}\n    Tree: {type: object, additionalProperties: {$ref: \"#/components/schemas/Tree\"}}";
    assert_at(&refused("map-of-itself", &spec("/t", "", map)), "#/components/schemas/Tree", "must be an object");
    let null = "        nothing: {type: \"null\"}";
    let error = refused("bare-null", &spec("/t", "", null));
    assert_at(&error, "#/components/schemas/Thing/properties/nothing", "only supported as a member of");
}
