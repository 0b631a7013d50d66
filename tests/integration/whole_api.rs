//! The example check of `cargo xtask contract --whole-api`, without Prism: the
//! crate and the driver built from a spec in a scratch workspace (see
//! `verify::compile`), every response example decoded into its generated type
//! and serialized back.

use verify::whole_api::{decode_examples, prepare, Source};

/// The vendored invitations spec writes no example: each JSON response of its
/// seven operations is decoded as bodies composed from its schema, one with
/// every optional field set and one with the required ones only, nullable
/// ones `null`.
#[test]
fn every_response_of_the_invitations_spec_decodes() {
    let spec = verify::paths::default_spec();
    let prepared = prepare(&spec, "whole-api-invitations").unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(prepared.operations.len(), 7);
    let generated =
        codegen::generate(&spec, &codegen::Options::new(codegen::Selection { tag: None, operation_ids: vec![] }))
            .expect("the spec generates");
    let json_responses = generated
        .api
        .operations()
        .flat_map(|operation| operation.successes.iter().chain(&operation.errors))
        .filter(|response| matches!(response.content, codegen::ir::Content::Json(_)))
        .count();
    let tally = decode_examples(&prepared).unwrap_or_else(|error| panic!("{error}"));
    // Per response: every property set, and the sparse body.
    assert_eq!((tally.document, tally.composed), (0, 2 * json_responses));
    assert_eq!(tally.failures(), 0, "{}", tally.details());
    assert_eq!(tally.decoded, 2 * json_responses);
}

/// Each way a document writes an example is decoded, a union's variants too;
/// the three that break the schema are reported with their operation, status,
/// place and JSON path, one of them because the untagged union decodes it as
/// the wrong variant.
#[test]
fn document_examples_decode_and_those_that_break_the_schema_are_reported() {
    let spec = tests::tests_dir().join("fixtures/examples/response_examples.yaml");
    let prepared = prepare(&spec, "whole-api-examples").unwrap_or_else(|error| panic!("{error}"));
    let document: Vec<&str> = prepared
        .examples
        .examples
        .iter()
        .filter(|example| example.source == Source::Document)
        .map(|example| example.pointer.rsplit('/').next().unwrap_or_default())
        .collect();
    // GetShape 200; GetThing 200 (by name, `$ref`s resolved) and 404; ListThings 200.
    assert_eq!(
        document,
        ["circle", "radius_not_integer", "extra_field", "inline", "SharedThing", "wrong_type", "example", "example"]
    );
    let tally = decode_examples(&prepared).unwrap_or_else(|error| panic!("{error}"));
    // Composed: GetShape 200 once per variant, GetThing 200 and 404, ListThings
    // 200; and a sparse body of each.
    assert_eq!((tally.document, tally.composed, tally.decoded), (8, 9, 14), "{}", tally.details());
    assert_eq!(prepared.examples.schema_examples.len(), 5, "{:?}", prepared.examples.schema_examples);

    let things = "#/paths/~1things~1{thing_id}/get/responses/200/content/application~1json/examples";
    assert_eq!(tally.decode_failures.len(), 1, "{}", tally.details());
    assert_eq!(tally.decode_failures[0].operation, "GetThing");
    assert_eq!(
        tally.decode_failures[0].what,
        format!("200 {things}/wrong_type: does not decode at `count`: wrong type: expected i64, found a string")
    );
    let shapes = "#/paths/~1shapes~1{shape_id}/get/responses/200/content/application~1json/examples";
    let round_trips: Vec<(&str, &str)> =
        tally.round_trip_failures.iter().map(|failure| (failure.operation.as_str(), failure.what.as_str())).collect();
    assert_eq!(
        round_trips,
        [
            (
                "GetShape",
                format!("200 {shapes}/radius_not_integer: decodes into something else: `.radius` is lost").as_str()
            ),
            ("GetThing", format!("200 {things}/extra_field: decodes into something else: `.colour` is lost").as_str()),
        ]
    );
}
