//! `depth-limits`: every nesting limit the generator has, each at limit-1,
//! limit and limit+1. At or under a limit the spec must generate (and compile);
//! over it, it must be refused with one error line.
//!
//! The limits, and how each is counted (the numbers are codegen's and its
//! parsers'; when one changes, change it here):
//! - schemas nested in schemas (`lower::MAX_DEPTH`, "schemas nested more than
//!   64 deep" in the README): 64 levels, counted from a body's or response's
//!   schema to the innermost one, both included; a `$ref` to a component and
//!   the component count as one. Built as chains of one-member compositions
//!   (`oneOf`/`anyOf`/`allOf: [$ref next]`, which add the level of the member)
//!   and chains of `allOf`s that each add properties: they add no Rust level,
//!   so the schema limit is the one met;
//! - the levels of the Rust type a body or response becomes
//!   (`lower::nesting::MAX_LEVELS`): 96, counted as rustc counts them proving
//!   `Send` (an `Option` or a struct 1, a `Vec` or a map 3 and its `String`
//!   keys 9, a `String` 6). Counted here on the schema, independently of
//!   codegen, for maps of maps, lists of lists, maps of lists, lists of
//!   nullable items, objects (each a component whose optional property is the
//!   next) and a mix of those; each meets this limit long before 64 schema
//!   levels, so the limit in wraps is the most whose levels are at most 96;
//! - `$ref` aliases (`lower::MAX_ALIASES`): 32 components that only name the next;
//! - path items given by `$ref` (`load::path_refs::MAX_CHAIN`, "more than 32
//!   path item `$ref`s"): 32 references in one chain;
//! - nesting of the YAML document, in flow (`load::scan::MAX_FLOW_DEPTH`) and
//!   in block style (`serde_yaml`'s own limit): 128 levels, the root counted;
//! - nesting of a JSON document (`serde_json` refuses the 128th level): 127.

use serde_json::{json, Map, Value};

use super::case::{Case, Expect};
use super::doc::{self, reference};
use super::rng::Rng;

/// Schema levels codegen accepts.
const SCHEMA_LEVELS: usize = 64;
/// Levels of the Rust type of a body or response codegen accepts.
const RUST_LEVELS: usize = 96;
/// Components that only alias the next, in one chain.
const ALIASES: usize = 32;
/// Path item `$ref`s in one chain.
const PATH_ITEM_REFS: usize = 32;
/// Levels of a YAML document, its root counted.
const YAML_LEVELS: usize = 128;
/// Levels of a JSON document, its root counted.
const JSON_LEVELS: usize = 127;

/// How schemas are nested to reach the schema limit, adding no Rust level.
#[derive(Debug, Clone, Copy)]
enum Nesting {
    Compositions,
    AllOfChain,
}

const NESTINGS: &[Nesting] = &[Nesting::Compositions, Nesting::AllOfChain];

/// How schemas are nested to reach the Rust limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layers {
    MapsOfMaps,
    ListsOfLists,
    MapsOfLists,
    NullableItems,
    Objects,
    Mixed,
}

const LAYERS: &[Layers] = &[
    Layers::MapsOfMaps,
    Layers::ListsOfLists,
    Layers::MapsOfLists,
    Layers::NullableItems,
    Layers::Objects,
    Layers::Mixed,
];

/// One wrap around the schema inside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wrap {
    /// `additionalProperties`: a `BTreeMap<String, _>`.
    Map,
    /// `items`: a `Vec<_>`.
    List,
    /// `items` with `nullable`: a `Vec<Option<_>>`.
    NullableList,
    /// A component whose required property holds it: a struct.
    Object,
    /// A component whose optional property holds it: a struct and an `Option`.
    OptionalObject,
}

impl Wrap {
    /// Levels of the Rust type of `inner` wrapped once (`inner` the levels of
    /// the type inside), as `lower::nesting` counts them.
    fn levels(self, inner: usize) -> usize {
        match self {
            // To its values 3 levels, to its `String` keys 3 + 6.
            Wrap::Map => (3 + inner).max(9),
            Wrap::List => 3 + inner,
            Wrap::NullableList => 3 + 1 + inner,
            Wrap::Object => 1 + inner,
            Wrap::OptionalObject => 1 + 1 + inner,
        }
    }
}

/// A string, innermost.
const STRING_LEVELS: usize = 6;

/// Levels of a string inside `wraps` (innermost first).
fn rust_levels(wraps: &[Wrap]) -> usize {
    wraps.iter().fold(STRING_LEVELS, |inner, wrap| wrap.levels(inner))
}

/// 64 wraps of `layers` (innermost first): more than any limit needs.
fn wraps_of(layers: Layers, rng: &mut Rng) -> Vec<Wrap> {
    (0..SCHEMA_LEVELS)
        .map(|level| match layers {
            Layers::MapsOfMaps => Wrap::Map,
            Layers::ListsOfLists => Wrap::List,
            Layers::MapsOfLists if level % 2 == 0 => Wrap::Map,
            Layers::MapsOfLists => Wrap::List,
            Layers::NullableItems => Wrap::NullableList,
            Layers::Objects => Wrap::OptionalObject,
            Layers::Mixed => {
                *rng.pick(&[Wrap::Map, Wrap::List, Wrap::NullableList, Wrap::Object, Wrap::OptionalObject])
            }
        })
        .collect()
}

/// The most wraps of `wraps` (a prefix) whose Rust type is within the limit.
fn rust_limit(wraps: &[Wrap]) -> usize {
    (0..=wraps.len()).take_while(|count| rust_levels(&wraps[..*count]) <= RUST_LEVELS).last().unwrap_or(0)
}

/// A limit and the way it is reached.
#[derive(Debug, Clone, Copy)]
enum Construct {
    Schemas(Nesting),
    Rust(Layers),
    Aliases,
    PathItemRefs,
    YamlFlow,
    YamlBlock,
    Json,
}

impl Construct {
    fn limit(self) -> usize {
        match self {
            Construct::Schemas(_) => SCHEMA_LEVELS,
            Construct::Rust(_) => RUST_LEVELS,
            Construct::Aliases => ALIASES,
            Construct::PathItemRefs => PATH_ITEM_REFS,
            Construct::YamlFlow | Construct::YamlBlock => YAML_LEVELS,
            Construct::Json => JSON_LEVELS,
        }
    }

    fn name(self) -> String {
        match self {
            Construct::Schemas(nesting) => format!("schema levels ({nesting:?})"),
            Construct::Rust(layers) => format!("Rust levels ({layers:?})"),
            Construct::Aliases => "$ref aliases".to_owned(),
            Construct::PathItemRefs => "path item $refs".to_owned(),
            Construct::YamlFlow => "YAML flow nesting".to_owned(),
            Construct::YamlBlock => "YAML block nesting".to_owned(),
            Construct::Json => "JSON nesting".to_owned(),
        }
    }
}

pub fn case(rng: &mut Rng) -> Case {
    let construct = match rng.below(13) {
        0..=1 => Construct::Schemas(*rng.pick(NESTINGS)),
        2..=7 => Construct::Rust(*rng.pick(LAYERS)),
        8 => Construct::Aliases,
        9 => Construct::PathItemRefs,
        10 => Construct::YamlFlow,
        11 => Construct::YamlBlock,
        _ => Construct::Json,
    };
    let offset = rng.below(3);
    let at = ["limit-1", "limit", "limit+1"][offset];
    let selection = doc::selection(rng);
    let mut document = doc::skeleton("Depth limits");
    if let Construct::Rust(layers) = construct {
        // The limit is counted in wraps: the most whose type has at most 96
        // levels. One more is over it.
        let mut wraps = wraps_of(layers, rng);
        let limit = rust_limit(&wraps);
        wraps.truncate(limit + offset - 1);
        let levels = rust_levels(&wraps);
        let expect = if levels <= RUST_LEVELS { Expect::Generate } else { Expect::Refuse };
        let schema = layered(&mut document, &wraps);
        let place = place(&mut document, schema, &selection.tag, rng);
        let mut case = Case::new(format!("{} at {at}", construct.name()), doc::yaml(&document), expect);
        case.args = selection.args;
        case.detail =
            format!("{} wraps (limit {limit}), {levels} Rust levels (limit {RUST_LEVELS}){place}", wraps.len());
        return case;
    }
    let levels = construct.limit() + offset - 1;
    let expect = if levels <= construct.limit() { Expect::Generate } else { Expect::Refuse };
    let mut json = false;
    let (spec, detail) = match construct {
        Construct::Schemas(nesting) => {
            let place = deep_schema(&mut document, nesting, levels, &selection.tag, rng);
            (doc::yaml(&document), place)
        }
        Construct::Rust(_) => unreachable!("made above"),
        Construct::Aliases => {
            alias_chain(&mut document, levels, &selection.tag);
            (doc::yaml(&document), String::new())
        }
        Construct::PathItemRefs => {
            path_item_chain(&mut document, levels, &selection.tag);
            (doc::yaml(&document), String::new())
        }
        Construct::YamlFlow | Construct::YamlBlock | Construct::Json => {
            let place = deep_value(&mut document, levels, &selection.tag, rng);
            let text = match construct {
                // JSON is YAML in flow style: every level a bracket.
                Construct::YamlFlow | Construct::Json => serde_json::to_string(&document).unwrap_or_default(),
                _ => doc::yaml(&document),
            };
            json = matches!(construct, Construct::Json);
            (text, place)
        }
    };
    let mut case = Case::new(format!("{} at {at}", construct.name()), spec, expect);
    case.json = json;
    case.args = selection.args;
    case.detail = format!("{levels} levels (limit {}){detail}", construct.limit());
    case
}

/// A schema `levels` deep, used as a request body or a response (inline or
/// through one component); returns where.
fn deep_schema(document: &mut Value, nesting: Nesting, levels: usize, tag: &str, rng: &mut Rng) -> String {
    let schema = match nesting {
        Nesting::Compositions => composition_chain(document, levels - 2, rng),
        Nesting::AllOfChain => all_of_chain(document, levels - 1),
    };
    place(document, schema, tag, rng)
}

/// Uses `schema` as a request body or a response, inline or through one
/// component; returns where.
fn place(document: &mut Value, schema: Value, tag: &str, rng: &mut Rng) -> String {
    let schema = if rng.chance(50) {
        doc::add_schema(document, "Deep", schema);
        reference("Deep")
    } else {
        schema
    };
    if rng.chance(50) {
        doc::add_operation(
            document,
            "/things",
            "post",
            tag,
            json!({"operationId": "PutDeep", "requestBody": doc::json_body(schema)}),
        );
        ", in a request body".to_owned()
    } else {
        doc::add_operation(
            document,
            "/things",
            "get",
            tag,
            json!({"operationId": "GetDeep", "responses": doc::json_response(schema)}),
        );
        ", in a response".to_owned()
    }
}

/// A string inside `wraps` (innermost first); objects are components
/// `Layer{n}`. A nullable item that would be a `$ref` is an `allOf` of it, so
/// `nullable` is not beside a `$ref`.
fn layered(document: &mut Value, wraps: &[Wrap]) -> Value {
    let mut schema = json!({"type": "string"});
    for (level, wrap) in wraps.iter().enumerate() {
        schema = match wrap {
            Wrap::Map => json!({"type": "object", "additionalProperties": schema}),
            Wrap::List => json!({"type": "array", "items": schema}),
            Wrap::NullableList => {
                let mut item = if schema.get("$ref").is_some() { json!({"allOf": [schema]}) } else { schema };
                item["nullable"] = Value::Bool(true);
                json!({"type": "array", "items": item})
            }
            Wrap::Object | Wrap::OptionalObject => {
                let name = format!("Layer{level}");
                let mut object = json!({"type": "object", "properties": {"inner": schema}});
                if *wrap == Wrap::Object {
                    object["required"] = json!(["inner"]);
                }
                doc::add_schema(document, &name, object);
                reference(&name)
            }
        };
    }
    schema
}

/// `count` components that are one-member compositions of the next (with
/// `nullable` or a description beside, sometimes), then an object with a
/// string property: `count` + 2 levels.
fn composition_chain(document: &mut Value, count: usize, rng: &mut Rng) -> Value {
    let name = |index: usize| format!("Wrap{index}");
    doc::add_schema(document, &name(count + 1), json!({"type": "object", "properties": {"value": {"type": "string"}}}));
    for index in (1..=count).rev() {
        let word = *rng.pick(&["oneOf", "anyOf", "allOf"]);
        let mut schema = json!({ word: [reference(&name(index + 1))] });
        if rng.chance(20) {
            schema["nullable"] = Value::Bool(true);
        }
        if rng.chance(20) {
            schema["description"] = Value::String("A wrapper.".into());
        }
        doc::add_schema(document, &name(index), schema);
    }
    reference(&name(1))
}

/// `count` components, each `allOf` the next and its own property, the last
/// a plain object: `count` + 1 levels.
fn all_of_chain(document: &mut Value, count: usize) -> Value {
    let name = |index: usize| format!("Part{index}");
    doc::add_schema(document, &name(count + 1), json!({"type": "object", "properties": {"value": {"type": "string"}}}));
    for index in (1..=count).rev() {
        let own = json!({"type": "object", "properties": {format!("field{index}"): {"type": "string"}}});
        doc::add_schema(document, &name(index), json!({"allOf": [reference(&name(index + 1)), own]}));
    }
    reference(&name(1))
}

/// `count` components that only name the next, then an object; used as a body.
fn alias_chain(document: &mut Value, count: usize, tag: &str) {
    let name = |index: usize| format!("Alias{index}");
    for index in 1..=count {
        doc::add_schema(document, &name(index), reference(&name(index + 1)));
    }
    doc::add_schema(document, &name(count + 1), json!({"type": "object", "properties": {"value": {"type": "string"}}}));
    let body = doc::json_body(reference(&name(1)));
    doc::add_operation(document, "/things", "post", tag, json!({"operationId": "PutAliased", "requestBody": body}));
}

/// A path item reached through `count` `$ref`s: `/things` names the first of
/// the components' `pathItems`, each of which names the next.
fn path_item_chain(document: &mut Value, count: usize, tag: &str) {
    let name = |index: usize| format!("Item{index}");
    let mut scratch = doc::skeleton("");
    doc::add_operation(&mut scratch, "/x", "get", tag, json!({"operationId": "GetThroughRefs"}));
    let operation = scratch["paths"]["/x"].take();
    let mut items = Map::new();
    for index in 1..count {
        items.insert(name(index), json!({"$ref": format!("#/components/pathItems/{}", name(index + 1))}));
    }
    items.insert(name(count), operation);
    document["components"]["pathItems"] = Value::Object(items);
    document["paths"]["/things"] = json!({"$ref": format!("#/components/pathItems/{}", name(1))});
}

/// A value nested so the document is `levels` deep (its root level 1), as an
/// extension at the root, of an operation, or a schema's example; returns where.
fn deep_value(document: &mut Value, levels: usize, tag: &str, rng: &mut Rng) -> String {
    doc::add_operation(document, "/things", "get", tag, json!({"operationId": "GetShallow"}));
    let lists = rng.chance(50);
    let nested = |count: usize, rng: &mut Rng| {
        let mut value = Value::String("leaf".into());
        for _ in 0..count {
            let as_list = if rng.chance(80) { lists } else { !lists };
            value = if as_list { json!([value]) } else { json!({"a": value}) };
        }
        value
    };
    match rng.below(3) {
        0 => {
            // The root is level 1, its value level 2.
            document["x-deep"] = nested(levels - 1, rng);
            ", as an extension at the root".to_owned()
        }
        1 => {
            // root, paths, /things, get: the value is level 5.
            document["paths"]["/things"]["get"]["x-deep"] = nested(levels - 4, rng);
            ", as an extension of an operation".to_owned()
        }
        _ => {
            // root, components, schemas, Sample: the example is level 5.
            let example = nested(levels - 4, rng);
            doc::add_schema(document, "Sample", json!({"type": "object", "example": example}));
            ", as a schema's example".to_owned()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// How deep `value` nests, itself counted as level 1.
    fn depth(value: &Value) -> usize {
        let mut deepest = 0;
        let mut pending = vec![(value, 1)];
        while let Some((node, level)) = pending.pop() {
            match node {
                Value::Array(items) => pending.extend(items.iter().map(|item| (item, level + 1))),
                Value::Object(map) => pending.extend(map.values().map(|item| (item, level + 1))),
                _ => continue,
            }
            deepest = deepest.max(level);
        }
        deepest
    }

    fn cases(count: u64) -> Vec<Case> {
        (0..count).map(|seed| case(&mut Rng::new(seed))).collect()
    }

    #[test]
    fn every_limit_is_tried_below_at_and_above() {
        let cases = cases(600);
        for construct in [
            "Rust levels (MapsOfMaps)",
            "Rust levels (ListsOfLists)",
            "Rust levels (MapsOfLists)",
            "Rust levels (NullableItems)",
            "Rust levels (Objects)",
            "Rust levels (Mixed)",
            "schema levels (Compositions)",
            "schema levels (AllOfChain)",
            "$ref aliases",
            "path item $refs",
            "YAML flow nesting",
            "YAML block nesting",
            "JSON nesting",
        ] {
            for at in ["limit-1", "limit", "limit+1"] {
                let kind = format!("{construct} at {at}");
                let found: Vec<&Case> = cases.iter().filter(|case| case.kind == kind).collect();
                assert!(!found.is_empty(), "no case of {kind}");
                let expect = if at == "limit+1" { Expect::Refuse } else { Expect::Generate };
                assert!(found.iter().all(|case| case.expect == expect), "{kind}");
            }
        }
    }

    /// How deep brackets nest in flow-style text (the documents hold no
    /// brackets in strings).
    fn bracket_depth(text: &str) -> usize {
        let (mut depth, mut deepest) = (0usize, 0usize);
        for c in text.chars() {
            match c {
                '[' | '{' => {
                    depth += 1;
                    deepest = deepest.max(depth);
                }
                ']' | '}' => depth -= 1,
                _ => {}
            }
        }
        deepest
    }

    #[test]
    fn documents_are_as_deep_as_they_say() {
        for case in cases(600).iter().filter(|case| case.kind.contains("nesting")) {
            let levels: usize = case.detail.split(' ').next().and_then(|n| n.parse().ok()).expect("levels");
            if case.kind.starts_with("YAML flow") || case.json {
                assert!(case.spec.starts_with('{'), "flow style");
                assert_eq!(bracket_depth(&case.spec), levels, "{}: {}", case.kind, case.detail);
            } else {
                assert!(!case.spec.starts_with('{'), "block style");
                // The parser itself refuses what is over its limit.
                match serde_yaml::from_str::<Value>(&case.spec) {
                    Ok(document) => assert_eq!(depth(&document), levels, "{}", case.kind),
                    Err(error) => {
                        assert!(levels > YAML_LEVELS, "{}: {error}", case.kind);
                        assert!(error.to_string().contains("recursion limit"), "{error}");
                    }
                }
            }
        }
    }

    #[test]
    fn rust_levels_are_counted_as_codegen_documents_them() {
        // Maps of maps: 3 levels a map around a 6-level string, 30 fit in 96.
        let maps = [Wrap::Map; 64];
        assert_eq!(rust_levels(&maps[..30]), 96);
        assert_eq!(rust_limit(&maps), 30);
        // One map of a string: its keys are deeper than its values.
        assert_eq!(rust_levels(&maps[..1]), 9);
        // Objects each an optional property of the last: 2 a level.
        assert_eq!(rust_limit(&[Wrap::OptionalObject; 64]), 45);
        assert_eq!(rust_limit(&[Wrap::NullableList; 64]), 22);
        // The schema written has the wraps it says: a component per object.
        let mut document = doc::skeleton("");
        let wraps = [Wrap::Map, Wrap::OptionalObject, Wrap::NullableList, Wrap::Object, Wrap::List];
        let schema = layered(&mut document, &wraps);
        assert_eq!(schema["type"], "array");
        assert_eq!(schema["items"]["$ref"], "#/components/schemas/Layer3");
        let layer3 = &document["components"]["schemas"]["Layer3"];
        assert_eq!(layer3["required"], json!(["inner"]));
        assert_eq!(layer3["properties"]["inner"]["items"]["allOf"][0]["$ref"], "#/components/schemas/Layer1");
        assert_eq!(layer3["properties"]["inner"]["items"]["nullable"], true);
        let layer1 = &document["components"]["schemas"]["Layer1"];
        assert!(layer1.get("required").is_none());
        assert_eq!(layer1["properties"]["inner"]["additionalProperties"]["type"], "string");
        // An alias chain at the limit: 32 components that only refer onwards.
        let mut document = doc::skeleton("");
        alias_chain(&mut document, ALIASES, "t");
        let schemas = document["components"]["schemas"].as_object().expect("schemas");
        assert_eq!(schemas.values().filter(|schema| schema.get("$ref").is_some()).count(), ALIASES);
    }

    #[test]
    fn path_item_chains_have_as_many_refs_as_they_say() {
        let mut document = doc::skeleton("");
        path_item_chain(&mut document, PATH_ITEM_REFS, "t");
        let text = serde_json::to_string(&document).expect("JSON");
        assert_eq!(text.matches("#/components/pathItems/").count(), PATH_ITEM_REFS, "{text}");
    }
}
