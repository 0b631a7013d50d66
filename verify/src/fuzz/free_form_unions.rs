//! `free-form-unions`: free-form values (`{}`, `type: object` without
//! properties, `additionalProperties: true`) as members of `oneOf`/`anyOf`
//! unions (tagged and untagged), and in maps of unions, lists of unions,
//! nested and recursive structs, in request bodies (and sometimes the response
//! too). The generated client must check how deep such values nest wherever
//! they sit; every case must generate and compile.

use serde_json::{json, Map, Value};

use super::case::{Case, Expect};
use super::doc::{self, reference};
use super::rng::Rng;

/// Schemas of free-form values. (`additionalProperties` without `type:
/// object` is refused as a schema codegen does not support; that is not what
/// this class is about.)
fn free_form(rng: &mut Rng) -> Value {
    match rng.below(5) {
        0 => json!({}),
        1 => json!({"type": "object"}),
        2 => json!({"type": "object", "additionalProperties": true}),
        3 => json!({"type": "object", "additionalProperties": {}}),
        _ => json!({"type": "object", "nullable": true, "description": "Anything."}),
    }
}

/// Builds the schemas of one case, naming components as it goes.
struct Builder<'r> {
    rng: &'r mut Rng,
    document: Value,
    /// The constructs used, for the case's kind.
    used: Vec<&'static str>,
    components: usize,
}

impl Builder<'_> {
    fn component(&mut self, prefix: &str, schema: Value) -> Value {
        self.components += 1;
        let name = format!("{prefix}{}", self.components);
        doc::add_schema(&mut self.document, &name, schema);
        reference(&name)
    }

    /// A schema that reaches a free-form value, `depth` constructs deep at most.
    fn reaching(&mut self, depth: usize) -> Value {
        if depth == 0 {
            return free_form(self.rng);
        }
        match self.rng.below(7) {
            0 | 1 => self.untagged(depth),
            2 => self.tagged(depth),
            3 => {
                self.used.push("a map");
                json!({"type": "object", "additionalProperties": self.reaching(depth - 1)})
            }
            4 => {
                self.used.push("a list");
                json!({"type": "array", "items": self.reaching(depth - 1)})
            }
            5 => {
                self.used.push("a nested struct");
                let inner = self.reaching(depth - 1);
                let required = if self.rng.chance(50) { json!(["inner"]) } else { json!([]) };
                let object = json!({"type": "object", "properties": {"inner": inner, "label": {"type": "string"}}, "required": required});
                if self.rng.chance(50) {
                    self.component("Nested", object)
                } else {
                    object
                }
            }
            _ => self.recursive(depth),
        }
    }

    /// `oneOf`/`anyOf` with a free-form member (or one that reaches one) beside others.
    fn untagged(&mut self, depth: usize) -> Value {
        self.used.push("an untagged union");
        let word = *self.rng.pick(&["oneOf", "anyOf"]);
        let mut members = vec![self.reaching(depth - 1)];
        members.push(match self.rng.below(3) {
            0 => json!({"type": "string"}),
            1 => json!({"type": "array", "items": {"type": "integer"}}),
            _ => self.component(
                "Plain",
                json!({"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}),
            ),
        });
        if self.rng.chance(30) {
            members.push(json!({"type": "null"}));
        }
        let at = self.rng.below(members.len());
        members.swap(0, at);
        json!({ word: members })
    }

    /// A union with a discriminator whose members hold free-form values (and
    /// take any other property: an unknown kind keeps its whole object).
    fn tagged(&mut self, depth: usize) -> Value {
        self.used.push("a tagged union");
        let word = *self.rng.pick(&["oneOf", "anyOf"]);
        let mut members = Vec::new();
        let mut mapping = Map::new();
        for (index, kind) in ["alpha", "beta"].iter().enumerate().take(self.rng.between(1, 2)) {
            let data = if index == 0 { self.reaching(depth - 1) } else { free_form(self.rng) };
            let mut member = json!({
                "type": "object",
                "properties": {"kind": {"type": "string", "enum": [kind]}, "data": data},
                "required": ["kind"],
            });
            if self.rng.chance(40) {
                member["additionalProperties"] = Value::Bool(true);
            }
            let member = self.component("Member", member);
            if let Some(target) = member["$ref"].as_str() {
                mapping.insert(kind.to_string(), Value::String(target.to_owned()));
            }
            members.push(member);
        }
        let mut discriminator = json!({"propertyName": "kind"});
        if self.rng.chance(50) {
            discriminator["mapping"] = Value::Object(mapping);
        }
        json!({ word: members, "discriminator": discriminator })
    }

    /// A struct that holds itself (through a list, or an optional field) and
    /// a value that reaches a free-form one.
    fn recursive(&mut self, depth: usize) -> Value {
        self.used.push("a recursive struct");
        self.components += 1;
        let name = format!("Node{}", self.components);
        let value = self.reaching(depth - 1);
        let node = json!({
            "type": "object",
            "properties": {
                "value": value,
                "children": {"type": "array", "items": reference(&name)},
                "next": reference(&name),
            },
            "required": ["value"],
        });
        doc::add_schema(&mut self.document, &name, node);
        reference(&name)
    }
}

pub fn case(rng: &mut Rng) -> Case {
    let selection = doc::selection(rng);
    let depth = rng.between(1, 3);
    let with_response = rng.chance(30);
    let mut builder = Builder { rng, document: doc::skeleton("Free-form unions"), used: Vec::new(), components: 0 };
    // The top is a union most of the time, so every case has one.
    let top = if builder.rng.chance(50) { builder.untagged(depth) } else { builder.reaching(depth) };
    let body = if builder.rng.chance(50) { builder.component("Body", top) } else { top };
    let mut operation = json!({"operationId": "SendValue", "requestBody": doc::json_body(body.clone())});
    if with_response {
        operation["responses"] = doc::json_response(body);
    }
    let mut document = builder.document;
    doc::add_operation(&mut document, "/values", "post", &selection.tag, operation);
    let mut used = builder.used;
    used.sort();
    used.dedup();
    let kind = if used.is_empty() { "a free-form body".to_owned() } else { used.join(", ") };
    let mut case = Case::new(kind, doc::yaml(&document), Expect::Generate);
    case.args = selection.args;
    case.detail = format!("{depth} constructs deep");
    case
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases_put_free_form_values_under_every_construct() {
        let mut kinds = String::new();
        for seed in 0..300 {
            let case = case(&mut Rng::new(seed));
            let document: Value = serde_yaml::from_str(&case.spec).expect("YAML");
            assert!(document["paths"]["/values"]["post"]["requestBody"].is_object());
            assert_eq!(case.expect, Expect::Generate);
            kinds.push_str(&case.kind);
        }
        for construct in
            ["an untagged union", "a tagged union", "a map", "a list", "a nested struct", "a recursive struct"]
        {
            assert!(kinds.contains(construct), "{construct}");
        }
    }

    #[test]
    fn maps_and_lists_of_unions_occur() {
        let specs: Vec<Value> =
            (0..400).map(|seed| serde_yaml::from_str(&case(&mut Rng::new(seed)).spec).expect("YAML")).collect();
        let text: Vec<String> = specs.iter().map(|spec| spec.to_string()).collect();
        assert!(text.iter().any(|spec| spec.contains("\"additionalProperties\":{\"oneOf\"")
            || spec.contains("\"additionalProperties\":{\"anyOf\"")));
        assert!(text.iter().any(|spec| spec.contains("\"items\":{\"oneOf\"") || spec.contains("\"items\":{\"anyOf\"")));
        assert!(text.iter().any(|spec| spec.contains("\"discriminator\"")));
    }
}
