//! Specs nested to the generator's limits, one construct at a time, for the
//! refusal tests (one level more is refused) and the build of every construct
//! at its limit (`compiles.rs`).
//!
//! Two limits meet here. Schemas nest at most 64 levels (properties, items,
//! map values, `allOf`/`oneOf` members, counted from the operation), and at
//! most 32 `$ref`s may lead from one to the next. And a Rust type nests at most
//! 96 levels as rustc counts them proving `Send` (an `Option` or a struct 1, a
//! `Box` 2, a `Vec` or a map 3, a `String` 6), its recursion limit of 128 less
//! room for the code that holds it (`codegen/src/lower/nesting.rs`). Which
//! binds first depends on the construct. `Thing` is 1 level and its optional
//! `deep` 1 more: a construct has 94 levels left.

/// One way of nesting: `Thing.deep` (an optional property of the object
/// `GetThing` answers with) refers to `D0`, each `D{i}` is `wrap` around a
/// `$ref` to the next (where `{}` is), and the last, `D{levels}`, is
/// `innermost`. A `$ref` adds no schema level, so this nests as the same
/// schemas written inside each other would, without YAML's own limit of 128
/// levels of text. `Thing` is at schema level 1 and `D0` at level 2, so a
/// construct adding one schema level per wrap has its innermost at 2 + levels.
pub struct Construct {
    pub name: &'static str,
    pub wrap: &'static str,
    pub innermost: &'static str,
    /// The most levels that generate.
    pub limit: usize,
    /// Where one level more is refused (a prefix of the pointer, for the schema
    /// depth, which is refused wherever it is exceeded), and the error's words.
    pub refused_at: &'static str,
    pub refusal: &'static str,
}

const SCHEMA_DEPTH: &str = "schemas nest deeper than 64 levels";
const RUST_DEPTH: &str = "levels in Rust (an `Option` or a struct counts 1, a `Box` 2, a `Vec` or a map 3";

pub const CONSTRUCTS: &[Construct] = &[
    // `Vec<Vec<…<String>>>`: 3 × 29 + 6 = 93 levels.
    Construct {
        name: "lists of lists",
        wrap: "{type: array, items: {}}",
        innermost: "{type: string}",
        limit: 29,
        refused_at: "#/components/schemas/Thing",
        refusal: RUST_DEPTH,
    },
    // `BTreeMap<String, BTreeMap<…, String>>`: 3 levels a map, so `D0` is
    // 3 × 29 + 6 = 93 and `Thing` 95; one map more makes `Thing` 98.
    Construct {
        name: "maps of maps",
        wrap: "{type: object, additionalProperties: {}}",
        innermost: "{type: string}",
        limit: 29,
        refused_at: "#/components/schemas/Thing",
        refusal: RUST_DEPTH,
    },
    // Free-form objects in the innermost map: `serde_json::Map` is 10 levels,
    // `D0` 3 × 28 + 10 = 94; one map more and `D0` itself is over.
    Construct {
        name: "maps of free-form objects",
        wrap: "{type: object, additionalProperties: {}}",
        innermost: "{type: object}",
        limit: 28,
        refused_at: "#/components/schemas/D0",
        refusal: RUST_DEPTH,
    },
    // A map of lists per wrap: 6 Rust levels, `D0` 6 × 14 + 6 = 90.
    Construct {
        name: "maps of lists",
        wrap: "{type: object, additionalProperties: {type: array, items: {}}}",
        innermost: "{type: string}",
        limit: 14,
        refused_at: "#/components/schemas/Thing",
        refusal: RUST_DEPTH,
    },
    // `Option<BTreeMap<String, Option<…>>>`: 4 levels a map.
    Construct {
        name: "maps of nullable maps",
        wrap: "{type: object, nullable: true, additionalProperties: {}}",
        innermost: "{type: string, nullable: true}",
        limit: 21,
        refused_at: "#/components/schemas/Thing",
        refusal: RUST_DEPTH,
    },
    // `Option<Vec<Option<…>>>`: 4 levels a list, and `Thing` holds it as
    // `Option<Option<D0>>` (optional and nullable).
    Construct {
        name: "lists of nullable items",
        wrap: "{type: array, nullable: true, items: {}}",
        innermost: "{type: string, nullable: true}",
        limit: 21,
        refused_at: "#/components/schemas/Thing",
        refusal: RUST_DEPTH,
    },
    // Objects in objects: a struct and an `Option` a level, 2 × 43 + 8 = 94
    // (the innermost object holds an `Option<String>`).
    Construct {
        name: "objects in objects",
        wrap: "{type: object, properties: {inner: {}}}",
        innermost: "{type: object, properties: {leaf: {type: string}}}",
        limit: 43,
        refused_at: "#/components/schemas/Thing",
        refusal: RUST_DEPTH,
    },
    // `allOf` of one member is that member: only the schema depth grows.
    Construct {
        name: "allOf chains",
        wrap: "{allOf: [{}]}",
        innermost: "{type: object, properties: {leaf: {type: string}}}",
        limit: 61,
        refused_at: "#/components/schemas/D",
        refusal: SCHEMA_DEPTH,
    },
    // `allOf` of a member and more properties: merged into one struct.
    Construct {
        name: "allOf merges",
        wrap: "{allOf: [{}, {type: object, properties: {more: {type: string}}}]}",
        innermost: "{type: object, properties: {leaf: {type: string}}}",
        limit: 62,
        refused_at: "#/components/schemas/D",
        refusal: SCHEMA_DEPTH,
    },
];

/// A document whose one operation answers with `Thing`; `properties` are
/// `Thing`'s (YAML at 8 spaces) and `schemas` more components (at 4).
pub fn spec(properties: &str, schemas: &str) -> String {
    format!(
        r##"openapi: 3.0.3
info: {{title: Nesting, version: "1"}}
paths:
  /things:
    get:
      operationId: GetThing
      tags: [Things]
      responses:
        "200":
          description: The thing.
          content:
            application/json:
              schema: {{$ref: "#/components/schemas/Thing"}}
components:
  schemas:
    Thing:
      type: object
      properties:
{properties}
{schemas}"##
    )
}

/// `Thing.deep` holding `construct` nested `levels` deep.
pub fn construct_spec(construct: &Construct, levels: usize) -> String {
    let deep = "        deep: {$ref: \"#/components/schemas/D0\"}";
    spec(deep, &construct_schemas(construct, levels, "D"))
}

/// The components `{prefix}0` … `{prefix}{levels}` of `construct`.
pub fn construct_schemas(construct: &Construct, levels: usize, prefix: &str) -> String {
    let mut schemas: Vec<String> = (0..levels)
        .map(|index| {
            let next = format!("{{$ref: \"#/components/schemas/{prefix}{}\"}}", index + 1);
            format!("    {prefix}{index}: {}", construct.wrap.replace("{}", &next))
        })
        .collect();
    schemas.push(format!("    {prefix}{levels}: {}", construct.innermost));
    schemas.join("\n")
}

/// Objects each holding the next in an optional property, from `C0` to
/// `C{count}`, which holds a string. `Thing` refers to each, the last first,
/// so each is lowered near the top, however long the chain: the schema depth
/// never grows, only the Rust nesting (`C0` is 2 × `count` + 8 levels).
pub fn chain_spec(count: usize) -> String {
    let properties: Vec<String> = (0..=count)
        .rev()
        .map(|index| format!("        c{index}: {{$ref: \"#/components/schemas/C{index}\"}}"))
        .collect();
    let mut schemas: Vec<String> = (0..count)
        .map(|index| {
            format!(
                "    C{index}: {{type: object, properties: {{next: {{$ref: \"#/components/schemas/C{}\"}}}}}}",
                index + 1
            )
        })
        .collect();
    schemas.push(format!("    C{count}: {{type: object, properties: {{leaf: {{type: string}}}}}}"));
    spec(&properties.join("\n"), &schemas.join("\n"))
}

/// `Thing.deep` behind `count` components that are each only a `$ref` to the
/// next, the last an object.
pub fn alias_spec(count: usize) -> String {
    let deep = "        deep: {$ref: \"#/components/schemas/A0\"}";
    let mut schemas: Vec<String> =
        (0..count).map(|index| format!("    A{index}: {{$ref: \"#/components/schemas/A{}\"}}", index + 1)).collect();
    schemas.push(format!("    A{count}: {{type: object, properties: {{leaf: {{type: string}}}}}}"));
    spec(deep, &schemas.join("\n"))
}

/// One document with every construct at its limit: `Thing` holds each (so it
/// nests 96 levels, the most a type may), and is answered, sent as a body,
/// and answered for each chunk of a chunked body; a paginated list's items
/// hold the deepest construct that leaves room for the page around them.
pub fn every_limit_spec() -> String {
    let mut properties = Vec::new();
    let mut schemas = Vec::new();
    for (index, construct) in CONSTRUCTS.iter().enumerate() {
        // `Na0`, `Nb0`, …: names that stay apart in Rust.
        let prefix = format!("N{}", char::from(b'a' + u8::try_from(index).expect("few constructs")));
        properties.push(format!("        {}: {{$ref: \"#/components/schemas/{prefix}0\"}}", prefix.to_lowercase()));
        schemas.push(construct_schemas(construct, construct.limit, &prefix));
    }
    // Objects each holding the next, 43 of them, met last first (see `chain_spec`).
    let chain = 43;
    properties.extend(
        (0..=chain).rev().map(|index| format!("        c{index}: {{$ref: \"#/components/schemas/C{index}\"}}")),
    );
    schemas.extend((0..chain).map(|index| {
        format!(
            "    C{index}: {{type: object, properties: {{next: {{$ref: \"#/components/schemas/C{}\"}}}}}}",
            index + 1
        )
    }));
    schemas.push(format!("    C{chain}: {{type: object, properties: {{leaf: {{type: string}}}}}}"));
    // 32 `$ref`s in a row.
    properties.push("        aliased: {$ref: \"#/components/schemas/A0\"}".to_owned());
    schemas.extend((0..32).map(|index| format!("    A{index}: {{$ref: \"#/components/schemas/A{}\"}}", index + 1)));
    schemas.push("    A32: {type: object, properties: {leaf: {type: string}}}".to_owned());
    // Items of a page: `Vec<Item>` in the page must stay within 96 too.
    let lists = CONSTRUCTS.iter().find(|construct| construct.name == "lists of nullable items").expect("listed");
    schemas.push(construct_schemas(lists, lists.limit - 1, "L"));
    let text = spec(&properties.join("\n"), &schemas.join("\n"));
    let more_paths = r##"    put:
      operationId: ReplaceThing
      tags: [Things]
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Thing"}
      responses:
        "204": {description: Replaced.}
  /items:
    get:
      operationId: ListItems
      tags: [Things]
      parameters:
        - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 10}}
        - {name: offset, in: query, schema: {type: integer, minimum: 0}}
      responses:
        "200":
          description: A page.
          content:
            application/json:
              schema:
                type: object
                required: [data, total_count]
                properties:
                  data: {type: array, items: {$ref: "#/components/schemas/Item"}}
                  total_count: {type: integer}
    post:
      operationId: CreateItems
      tags: [Things]
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: array, maxItems: 10, items: {$ref: "#/components/schemas/Item"}}
      responses:
        "200":
          description: The thing they made.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Thing"}
components:
  schemas:
    Item:
      type: object
      required: [id]
      properties:
        id: {type: string}
        deep: {$ref: "#/components/schemas/L0"}
"##;
    text.replacen("components:\n  schemas:\n", more_paths, 1)
}
