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
            "the header `User-Agent` is set by the client or by HTTP, never by a caller",
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
fn header_parameters_the_runtime_would_always_refuse_are_refused_by_codegen() {
    let param = |yaml: &str| format!("      parameters:\n        - {yaml}");
    // Hop-by-hop and credential headers: the runtime refuses them from callers.
    for name in ["Cookie", "Proxy-Authorization", "Upgrade", "TE", "Expect", "Connection", "Transfer-Encoding", "Host"]
    {
        let yaml = format!("{{name: {name}, in: header, schema: {{type: string}}}}");
        let error = refused(&format!("header-{name}"), &spec("/t", &param(&yaml), ""));
        assert_at(&error, "#/paths/~1t/get/parameters/0", &format!("the header `{name}` is set by the client"));
    }
    // An enum value with a CR or LF (or any control character) could never be
    // sent as a header value, alone or in a list.
    for (name, schema) in [
        ("header-enum-crlf", r#"{type: string, enum: [plain, "a\r\nX-Injected: 1"]}"#),
        ("header-enum-nul", r#"{type: string, enum: ["\0"]}"#),
        ("header-enum-list", r#"{type: array, items: {type: string, enum: [ok, "line\nbreak"]}}"#),
    ] {
        let yaml = format!("{{name: X-Mode, in: header, schema: {schema}}}");
        let error = refused(name, &spec("/t", &param(&yaml), ""));
        assert_at(&error, "#/paths/~1t/get/parameters/0/schema/enum", "a header value cannot hold");
        assert!(!error.to_string().contains("Injected"), "the value is not quoted: {error}");
    }
    // Ordinary headers, and enum values with a tab or non-ASCII text, generate.
    let ordinary = "      parameters:\n        - {name: Prefer, in: header, schema: {type: string}}\n        - {name: Idempotency-Key, in: header, schema: {type: string}}\n        - {name: X-Mode, in: header, schema: {type: string, enum: [\"a\\tb\", été]}}";
    let path = tests::scratch_dir("header-ordinary").join("spec.yaml");
    std::fs::write(&path, spec("/t", ordinary, "")).expect("write spec");
    let everything = Selection { tag: None, operation_ids: Vec::new() };
    codegen::generate(&path, &Options::new(everything)).expect("ordinary headers generate");
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

#[test]
fn with_skip_unsupported_an_operation_the_generator_cannot_express_is_left_out_with_a_warning() {
    let cookie = "      parameters:\n        - {name: session, in: cookie, schema: {type: string}}";
    let other = "  /other:\n    get:\n      operationId: GetOther\n      tags: [Things]\n      responses:\n        \"204\": {description: done}\n";
    let text = spec("/t", cookie, "").replacen("components:\n", &format!("{other}components:\n"), 1);
    let dir = tests::scratch_dir("skip-unsupported");
    let path = dir.join("spec.yaml");
    std::fs::write(&path, &text).expect("write spec");
    let run = |extra: &[&str]| {
        let out = dir.join(format!("out{}", extra.len()));
        let mut args: Vec<String> = ["codegen", "--all-tags", "--spec"].map(str::to_owned).into();
        args.push(path.display().to_string());
        args.extend(["--out".to_owned(), out.display().to_string()]);
        args.extend(extra.iter().map(|arg| arg.to_string()));
        let (code, stdout, stderr) = tests::xtask(&args);
        (code, stdout, stderr, out)
    };
    let (code, _, stderr, _) = run(&[]);
    assert_eq!(code, verify::FAILURE, "without the flag the run is refused: {stderr}");
    assert!(stderr.contains("cookie parameters are not supported"), "{stderr}");

    let (code, stdout, stderr, out) = run(&["--skip-unsupported"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("1 operations"), "{stdout}");
    let warning = stderr.lines().find(|line| line.starts_with("warning:")).expect("a warning line");
    assert!(warning.contains("operation `GetThing` skipped: cookie parameters are not supported"), "{warning}");
    assert!(warning.contains("(at #/paths/~1t/get/parameters/0)"), "{warning}");
    let surface = std::fs::read_to_string(out.join("public-api.txt")).expect("the record");
    assert!(surface.contains("GetOther") && !surface.contains("GetThing"), "{surface}");
}

#[test]
fn compositions_that_hold_themselves_with_no_container_between_are_refused() {
    // `Thing.a` refers to `A`; each case defines `A` (and its partners). Each
    // loop passes through `oneOf`/`anyOf`/`allOf` members and `$ref`s only, so
    // the type would be itself (no Rust type) or an untagged union that tries
    // itself first (decoding would never end). Each is refused where it closes.
    let a = |rest: &str| format!("        a: {{$ref: \"#/components/schemas/A\"}}\n{rest}");
    let to = |name: &str| format!("{{$ref: \"#/components/schemas/{name}\"}}");
    let (a_ref, b_ref, c_ref) = (to("A"), to("B"), to("C"));
    let cases: Vec<(&str, String, &str)> = vec![
        ("one-of-self", format!("    A: {{oneOf: [{a_ref}]}}"), "#/components/schemas/A/oneOf/0"),
        ("any-of-self", format!("    A: {{anyOf: [{a_ref}]}}"), "#/components/schemas/A/anyOf/0"),
        ("all-of-self", format!("    A: {{allOf: [{a_ref}]}}"), "#/components/schemas/A/allOf/0"),
        (
            "nullable-described-self",
            format!("    A: {{nullable: true, description: Itself., oneOf: [{a_ref}]}}"),
            "#/components/schemas/A/oneOf/0",
        ),
        (
            "self-beside-null",
            format!("    A: {{oneOf: [{a_ref}, {{type: 'null'}}]}}"),
            "#/components/schemas/A/oneOf/0",
        ),
        (
            "self-beside-string",
            format!("    A: {{oneOf: [{{type: string}}, {a_ref}]}}"),
            "#/components/schemas/A/oneOf/1",
        ),
        (
            "self-beside-object",
            format!("    A: {{anyOf: [{a_ref}, {{type: object, properties: {{x: {{type: string}}}}}}]}}"),
            "#/components/schemas/A/anyOf/0",
        ),
        (
            "all-of-self-and-properties",
            format!("    A: {{allOf: [{a_ref}], properties: {{x: {{type: string}}}}}}"),
            "#/components/schemas/A/allOf/0",
        ),
        (
            "all-of-self-and-an-object",
            format!("    A: {{allOf: [{a_ref}, {{type: object, properties: {{x: {{type: string}}}}}}]}}"),
            "#/components/schemas/A/allOf/0",
        ),
        ("pair", format!("    A: {{oneOf: [{b_ref}]}}\n    B: {{allOf: [{a_ref}]}}"), "#/components/schemas/B/allOf/0"),
        (
            "triple",
            format!("    A: {{anyOf: [{b_ref}]}}\n    B: {{oneOf: [{c_ref}]}}\n    C: {{allOf: [{a_ref}]}}"),
            "#/components/schemas/C/allOf/0",
        ),
        (
            "through-an-alias",
            format!("    A: {{oneOf: [{b_ref}]}}\n    B: {c_ref}\n    C: {{allOf: [{a_ref}]}}"),
            "#/components/schemas/C/allOf/0",
        ),
        ("alias-into-union", format!("    A: {b_ref}\n    B: {{oneOf: [{a_ref}]}}"), "#/components/schemas/B/oneOf/0"),
        (
            "inline-member",
            format!("    A: {{oneOf: [{{type: string}}, {{nullable: true, allOf: [{a_ref}]}}]}}"),
            "#/components/schemas/A/oneOf/1/allOf/0",
        ),
        (
            "nested-all-of",
            format!(
                "    A: {{allOf: [{b_ref}, {{type: object, properties: {{x: {{type: string}}}}}}]}}\n    \
                 B: {{allOf: [{c_ref}, {{type: object, properties: {{y: {{type: string}}}}}}]}}\n    \
                 C: {{allOf: [{b_ref}, {{type: object, properties: {{z: {{type: string}}}}}}]}}"
            ),
            "#/components/schemas/C/allOf/0",
        ),
    ];
    for (name, schemas, at) in cases {
        let error = refused(name, &spec("/t", "", &a(&schemas)));
        assert_at(&error, at, "holds itself through `oneOf`, `anyOf` or `allOf`");
    }
}

#[test]
fn a_composition_that_holds_itself_through_a_property_list_or_map_is_recursion_not_a_loop() {
    // The neighbours of the loops above that are real types: the way back goes
    // through a field, a list item or a map value, so each value nests inside
    // the one before, and a decoder consumes input before it recurses.
    let a = |rest: &str| format!("        a: {{$ref: \"#/components/schemas/A\"}}\n{rest}");
    let to = |name: &str| format!("{{$ref: \"#/components/schemas/{name}\"}}");
    let (a_ref, b_ref) = (to("A"), to("B"));
    for (name, schemas) in [
        ("list-member", format!("    A: {{oneOf: [{{type: string}}, {{type: array, items: {a_ref}}}]}}")),
        ("map-member", format!("    A: {{anyOf: [{{type: integer}}, {{type: object, additionalProperties: {a_ref}}}]}}")),
        ("property-member", format!("    A: {{oneOf: [{{type: string}}, {b_ref}]}}\n    B: {{type: object, properties: {{a: {a_ref}}}}}")),
        (
            "all-of-property",
            format!("    A: {{allOf: [{b_ref}, {{type: object, properties: {{x: {{type: string}}}}}}]}}\n    B: {{type: object, properties: {{up: {a_ref}}}}}"),
        ),
        ("all-of-of-a-holder", format!("    A: {{type: object, properties: {{b: {b_ref}}}}}\n    B: {{allOf: [{a_ref}, {{type: object, properties: {{y: {{type: string}}}}}}]}}")),
    ] {
        let path = tests::scratch_dir(name).join("spec.yaml");
        std::fs::write(&path, spec("/t", "", &a(&schemas))).expect("write spec");
        let everything = Selection { tag: None, operation_ids: Vec::new() };
        if let Err(error) = codegen::generate(&path, &Options::new(everything)) {
            panic!("{name}: {error}");
        }
    }
}

/// Generates `text`, which must succeed.
fn generates(name: &str, text: &str) -> codegen::Generated {
    let path = tests::scratch_dir(name).join("spec.yaml");
    std::fs::write(&path, text).expect("write spec");
    let everything = Selection { tag: None, operation_ids: Vec::new() };
    codegen::generate(&path, &Options::new(everything)).unwrap_or_else(|error| panic!("{name}: {error}"))
}

#[test]
fn every_nesting_construct_generates_up_to_its_limit_and_is_refused_one_level_past_it() {
    use crate::nesting::{construct_spec, CONSTRUCTS};
    for construct in CONSTRUCTS {
        let name = construct.name.replace(' ', "-");
        for levels in [construct.limit - 1, construct.limit] {
            generates(&format!("{name}-{levels}"), &construct_spec(construct, levels));
        }
        let levels = construct.limit + 1;
        let error = refused(&format!("{name}-{levels}"), &construct_spec(construct, levels));
        let pointer = error.pointer.as_deref().unwrap_or_default();
        if construct.refusal.contains("schemas nest") {
            assert!(pointer.starts_with(construct.refused_at), "{}: {error}", construct.name);
        } else {
            assert_eq!(pointer, construct.refused_at, "{}: {error}", construct.name);
        }
        assert!(error.message.contains(construct.refusal), "{}: {error}", construct.name);
    }
}

#[test]
fn objects_nested_through_components_lowered_one_at_a_time_are_held_to_the_rust_limit() {
    // `C0` holds `C1` … holds `C{n}` holds a string: `Thing` holds them
    // all, so `C0` is 2n + 8 levels (a struct and an `Option` a link, then
    // `Option<String>`) and `Thing` 2n + 10, whatever order the generator
    // meets them in.
    use crate::nesting::chain_spec;
    for count in [42, 43] {
        generates(&format!("chain-{count}"), &chain_spec(count));
    }
    let error = refused("chain-44", &chain_spec(44));
    assert_at(&error, "#/components/schemas/Thing", "`Thing` nests 98 levels in Rust");
    let error = refused("chain-200", &chain_spec(200));
    assert_at(&error, "#/components/schemas/C155", "`C155` nests 98 levels");
}

#[test]
fn chains_of_references_generate_up_to_32_and_are_refused_past_it() {
    use crate::nesting::alias_spec;
    for count in [31, 32] {
        generates(&format!("aliases-{count}"), &alias_spec(count));
    }
    let error = refused("aliases-33", &alias_spec(33));
    assert_at(&error, "#/components/schemas/A32", "`$ref` chain loops or is too long");
}

#[test]
fn a_component_naming_an_object_that_holds_it_back_generates_whichever_is_met_first() {
    // `A` is only `Shape` (a one-member composition, or a `$ref`, maybe
    // nullable) and `Shape.parent` is `A`: recursion through a property. Met
    // from `A` it was refused ("must be an object with properties"), met from
    // `Shape` it generated; a list of itself is still refused.
    let shape = "    Shape: {type: object, required: [id], properties: {id: {type: string}, parent: {$ref: \"#/components/schemas/A\"}}}";
    for (name, a) in [
        ("any-of", "{anyOf: [{$ref: \"#/components/schemas/Shape\"}], nullable: true}"),
        ("one-of", "{oneOf: [{$ref: \"#/components/schemas/Shape\"}]}"),
        ("all-of", "{allOf: [{$ref: \"#/components/schemas/Shape\"}], description: A shape.}"),
    ] {
        for (order, first) in [("a-first", "A"), ("shape-first", "Shape")] {
            let property = format!("        first: {{$ref: \"#/components/schemas/{first}\"}}\n");
            let text = spec("/t", "", &format!("{property}    A: {a}\n{shape}"));
            let generated = generates(&format!("named-holder-{name}-{order}"), &text);
            let models = &generated.files.iter().find(|file| file.path == "src/models.rs").expect("models").contents;
            let nullable = if name == "any-of" { "Option<Option<Box<Shape>>>" } else { "Option<Box<Shape>>" };
            assert!(models.contains(&format!("pub parent: {nullable},")), "{name} {order}:\n{models}");
            assert!(!models.contains("<A>") && !models.contains("pub struct A "), "{name} {order}: no type `A`");
        }
    }
    let list = "    L: {type: array, items: {$ref: \"#/components/schemas/A\"}}";
    let text = spec("/t", "", &format!("        a: {{$ref: \"#/components/schemas/A\"}}\n    A: {{anyOf: [{{$ref: \"#/components/schemas/L\"}}]}}\n{list}"));
    let error = refused("named-list-of-itself", &text);
    assert!(error.message.contains("a list or map of itself has no Rust type"), "{error}");
}

#[test]
fn no_header_the_runtime_refuses_becomes_a_header_parameter() {
    // codegen keeps its own lists (`lower/parameters.rs`: headers OpenAPI says
    // to ignore, and headers a caller may not set); together they must cover
    // the runtime's, or a generated parameter could never be sent.
    for name in clerk_invitations::limits::REFUSED_HEADERS {
        let param = format!("      parameters:\n        - {{name: {name}, in: header, schema: {{type: string}}}}");
        let path = tests::scratch_dir(&format!("runtime-refused-{name}")).join("spec.yaml");
        std::fs::write(&path, spec("/t", &param, "")).expect("write spec");
        let everything = Selection { tag: None, operation_ids: Vec::new() };
        match codegen::generate(&path, &Options::new(everything)) {
            Ok(generated) => {
                let sent = format!("header_param(\"{name}\"");
                assert!(!generated.files.iter().any(|file| file.contents.contains(&sent)), "{name} is a parameter");
            }
            Err(error) => assert!(error.message.contains("is set by the client or by HTTP"), "{name}: {error}"),
        }
    }
}
