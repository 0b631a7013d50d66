//! Values built from the document's schemas, at run time of the check rather
//! than pasted into any generated code:
//!
//! - for requests ([`Purpose::Request`]), the smallest valid value (or with
//!   [`Synth::full`] every property): required properties only (never a
//!   `readOnly` one), each from the schema's
//!   `example`, `default` or first `enum` value when that fits the schema, else
//!   made to fit its type, `format`, bounds, lengths, item counts and
//!   `pattern`; the first variant of a `oneOf`/`anyOf`; `allOf` members merged;
//! - for responses ([`Purpose::Response`]), a whole body carrying every example
//!   the schema writes: every property (never a `writeOnly` one), one item per
//!   list and one entry per map, each from its `example` as written, a chosen
//!   variant of each union (see [`Synth::choosing`]), a discriminator's
//!   property set to the variant's name.
//!
//! What cannot be satisfied (a pattern it cannot read, bounds that exclude
//! each other, an `example` that breaks its own schema) is a [`Finding`]:
//! listed, never silently papered over.

use std::collections::BTreeMap;

use serde_json::{Map, Number, Value};

use crate::doc::Document;
use crate::pattern::Pattern;

/// Schemas nested deeper than this are cut (with a finding): the generator
/// refuses deeper ones anyway.
const MAX_DEPTH: usize = 64;
/// Past this depth a response body takes required properties only, so that a
/// schema reaching itself through optional properties ends.
const OPTIONAL_DEPTH: usize = 12;
/// Text used for a string with nothing more specific to go by.
const PLAIN_TEXT: &str = "example";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Request,
    Response,
}

/// Something in the document the synthesizer could not honour, or that breaks
/// the document's own rules.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Finding {
    pub pointer: String,
    pub message: String,
}

pub struct Synth<'d> {
    doc: &'d Document,
    purpose: Purpose,
    /// Unions (by pointer) built with another variant than the first.
    choices: BTreeMap<String, usize>,
    /// The unions met while building, with their number of variants.
    pub unions: Vec<(String, usize)>,
    pub findings: Vec<Finding>,
    /// Pointers of the `example`s put into the values built.
    pub examples_used: Vec<String>,
    /// The `$ref`s being expanded, to notice a schema reaching itself.
    stack: Vec<String>,
    /// A response body with the required properties only, each nullable one
    /// `null` (see [`Synth::sparse`]).
    sparse: bool,
    /// A request with every property it may send (see [`Synth::full`]).
    full: bool,
}

impl<'d> Synth<'d> {
    pub fn new(doc: &'d Document, purpose: Purpose) -> Self {
        Synth {
            doc,
            purpose,
            choices: BTreeMap::new(),
            unions: Vec::new(),
            findings: Vec::new(),
            examples_used: Vec::new(),
            stack: Vec::new(),
            sparse: false,
            full: false,
        }
    }

    /// Builds the fullest request instead: every property but `readOnly`
    /// ones, one item in each list and one entry in each typed map; what a
    /// caller who sets everything sends.
    pub fn full(mut self) -> Self {
        self.full = true;
        self
    }

    /// Whether optional properties, list items and map entries are built here.
    fn everything(&self, minimal: bool) -> bool {
        !minimal && (self.purpose == Purpose::Response || self.full)
    }

    /// Builds the sparsest response instead: required properties only, every
    /// nullable value `null`, lists and maps empty; what a server that leaves
    /// out all it may sends.
    pub fn sparse(mut self) -> Self {
        self.sparse = true;
        self
    }

    /// Builds the union at `pointer` with its variant `index` (the others
    /// with their first).
    pub fn choosing(mut self, pointer: &str, index: usize) -> Self {
        self.choices.insert(pointer.to_owned(), index);
        self
    }

    /// A value of `schema`, written at `at` (a JSON pointer, for findings).
    pub fn value(&mut self, schema: &Value, at: &str) -> Value {
        self.build(schema, at, 0, self.sparse)
    }

    /// The first of `candidates` (with where each is written) that fits
    /// `schema`, else a value built from it. A candidate that does not fit is
    /// a finding.
    pub fn value_preferring(&mut self, candidates: &[(&Value, String)], schema: &Value, at: &str) -> Value {
        for (candidate, written) in candidates {
            match fits(self.doc, schema, candidate, self.purpose, 0) {
                Ok(()) => {
                    self.examples_used.push(written.clone());
                    return (*candidate).clone();
                }
                Err(reason) => self.finding(written, format!("does not fit its schema: {reason}")),
            }
        }
        self.value(schema, at)
    }

    fn finding(&mut self, pointer: &str, message: String) {
        let finding = Finding { pointer: pointer.to_owned(), message };
        if !self.findings.contains(&finding) {
            self.findings.push(finding);
        }
    }

    fn build(&mut self, schema: &Value, at: &str, depth: usize, minimal: bool) -> Value {
        if depth > MAX_DEPTH {
            self.finding(at, format!("nested more than {MAX_DEPTH} deep; cut with null"));
            return Value::Null;
        }
        let (resolved, named) = self.doc.resolve(schema);
        if let Some(reference) = resolved.get("$ref").and_then(Value::as_str) {
            self.finding(at, format!("`$ref` {reference} leads nowhere; built as null"));
            return Value::Null;
        }
        let Some(named) = named else {
            return self.build_resolved(resolved, at, depth, minimal);
        };
        // A schema reaching itself: from here on, required properties only.
        let minimal = minimal || self.stack.iter().any(|entered| entered == named);
        self.stack.push(named.to_owned());
        let value = self.build_resolved(resolved, named, depth, minimal);
        self.stack.pop();
        value
    }

    fn build_resolved(&mut self, schema: &Value, at: &str, depth: usize, minimal: bool) -> Value {
        let minimal = minimal || depth > OPTIONAL_DEPTH;
        if self.sparse && schema.get("nullable").and_then(Value::as_bool) == Some(true) {
            return Value::Null;
        }
        if let Some(value) = self.written_value(schema, at) {
            return value;
        }
        if schema.get("allOf").is_some() {
            let merged = merge_all_of(self.doc, schema, 0);
            return self.build_resolved(&merged, at, depth + 1, minimal);
        }
        for keyword in ["oneOf", "anyOf"] {
            if let Some(variants) = schema.get(keyword).and_then(Value::as_array).filter(|list| !list.is_empty()) {
                let union = format!("{at}/{keyword}");
                if !self.unions.iter().any(|(pointer, _)| *pointer == union) {
                    self.unions.push((union.clone(), variants.len()));
                }
                let index = self.choices.get(&union).copied().unwrap_or(0).min(variants.len() - 1);
                let variant_at = format!("{union}/{index}");
                // The schema's own keywords hold beside the variant's (Clerk's
                // connections: properties, and `anyOf` of `required` lists).
                let mut own = schema.clone();
                if let Some(own) = own.as_object_mut() {
                    own.remove(keyword);
                    own.remove("discriminator");
                }
                let has_own = ["properties", "required", "additionalProperties", "items", "type"]
                    .iter()
                    .any(|key| own.get(key).is_some());
                let both = serde_json::json!({ "allOf": [own, variants[index]] });
                let chosen = if has_own { Some(&both) } else { None };
                let mut value = self.variant_value(chosen, &variants[index], &variant_at, depth, minimal);
                self.tag_variant(schema, &variants[index], &mut value);
                if keyword == "oneOf" && self.purpose == Purpose::Request {
                    if self.everything(minimal) {
                        self.fit_one_variant_only(&both, variants, index, &mut value);
                    } else if self.variants_fitting(&own, variants, &value) > 1 {
                        // A minimal value that fits several variants (GitHub's
                        // issues/set-labels: `{}` fits both): the chosen
                        // variant's optional properties tell it apart.
                        let full = std::mem::replace(&mut self.full, true);
                        let mut fuller = self.variant_value(chosen, &variants[index], &variant_at, depth, false);
                        self.tag_variant(schema, &variants[index], &mut fuller);
                        self.fit_one_variant_only(&both, variants, index, &mut fuller);
                        self.full = full;
                        value = fuller;
                    }
                    let fitting = self.variants_fitting(&own, variants, &value);
                    if fitting != 1 {
                        self.finding(&union, format!("the value built fits {fitting} of its variants, not one"));
                    }
                }
                return value;
            }
        }
        match schema_type(schema) {
            Some("object") => self.object(schema, at, depth, minimal),
            Some("array") => self.array(schema, at, depth, minimal),
            Some("string") => self.string(schema, at),
            Some("integer") => self.number(schema, at, true),
            Some("number") => self.number(schema, at, false),
            Some("boolean") => Value::Bool(false),
            _ => Value::Object(Map::new()),
        }
    }

    /// The schema's own value, when it has one that fits: for a response its
    /// `example` as written (the point is to decode it), then for both
    /// purposes `example`, `default` and the first `enum` value that fit.
    fn written_value(&mut self, schema: &Value, at: &str) -> Option<Value> {
        let mut candidates: Vec<(&Value, String)> = Vec::new();
        if let Some(example) = schema.get("example") {
            candidates.push((example, format!("{at}/example")));
        }
        if let Some(examples) = schema.get("examples").and_then(Value::as_array) {
            candidates.extend(
                examples.iter().enumerate().map(|(index, example)| (example, format!("{at}/examples/{index}"))),
            );
        }
        let is_example = candidates.len();
        if let Some(default) = schema.get("default") {
            candidates.push((default, format!("{at}/default")));
        }
        if let Some(first) = schema.get("enum").and_then(Value::as_array).and_then(|values| values.first()) {
            candidates.push((first, format!("{at}/enum/0")));
        }
        for (index, (candidate, written)) in candidates.into_iter().enumerate() {
            let fit = fits(self.doc, schema, candidate, self.purpose, 0);
            if let Err(reason) = &fit {
                // An enum value always fits its enum; a type mismatch there is
                // the schema's own contradiction.
                self.finding(&written, format!("does not fit its schema: {reason}"));
            }
            let take = fit.is_ok() || (self.purpose == Purpose::Response && index < is_example);
            if take {
                if index < is_example {
                    self.examples_used.push(written);
                }
                return Some(candidate.clone());
            }
        }
        None
    }

    /// A value of the union's variant `variant`, or of `chosen` (it merged
    /// with the union's own keywords) when the union has some.
    fn variant_value(
        &mut self,
        chosen: Option<&Value>,
        variant: &Value,
        at: &str,
        depth: usize,
        minimal: bool,
    ) -> Value {
        match chosen {
            Some(both) => {
                let merged = merge_all_of(self.doc, both, 0);
                self.build_resolved(&merged, at, depth + 1, minimal)
            }
            None => self.build(variant, at, depth + 1, minimal),
        }
    }

    /// How many of a union's `variants`, each with the union's `own`
    /// keywords, `value` fits.
    fn variants_fitting(&self, own: &Value, variants: &[Value], value: &Value) -> usize {
        variants
            .iter()
            .filter(|variant| {
                let both = serde_json::json!({ "allOf": [own, variant] });
                fits(self.doc, &both, value, self.purpose, 0).is_ok()
            })
            .count()
    }

    /// Leaves out of a full request's `oneOf` value every property another
    /// variant requires and the chosen one (`chosen`: it with the schema's
    /// own keywords) does not: with them the value could fit two variants,
    /// which `oneOf` forbids (GitHub's project items take `id`, or `owner`,
    /// `repo` and `number`, all of them properties beside the `oneOf`).
    fn fit_one_variant_only(&self, chosen: &Value, variants: &[Value], index: usize, value: &mut Value) {
        let Some(object) = value.as_object_mut() else { return };
        let required = |schema: &Value| -> Vec<String> {
            let merged = merge_all_of(self.doc, &serde_json::json!({ "allOf": [schema] }), 0);
            let names = merged.get("required").and_then(Value::as_array);
            names.into_iter().flatten().filter_map(Value::as_str).map(str::to_owned).collect()
        };
        let kept = required(chosen);
        for (_, variant) in variants.iter().enumerate().filter(|(other, _)| *other != index) {
            for name in required(variant) {
                if !kept.contains(&name) {
                    object.remove(&name);
                }
            }
        }
    }

    /// A discriminated union's property set to the name of the chosen variant
    /// (its key in `mapping`, else its schema's name), as the server sends it.
    fn tag_variant(&self, schema: &Value, variant: &Value, value: &mut Value) {
        let Some(discriminator) = schema.get("discriminator") else { return };
        let Some(property) = discriminator.get("propertyName").and_then(Value::as_str) else { return };
        let Some(reference) = variant.get("$ref").and_then(Value::as_str) else { return };
        let mapped = discriminator.get("mapping").and_then(Value::as_object).and_then(|mapping| {
            mapping.iter().find(|(_, target)| target.as_str() == Some(reference)).map(|(name, _)| name.clone())
        });
        let name = mapped.or_else(|| reference.rsplit('/').next().map(str::to_owned));
        if let (Some(object), Some(name)) = (value.as_object_mut(), name) {
            object.insert(property.to_owned(), Value::String(name));
        }
    }

    fn object(&mut self, schema: &Value, at: &str, depth: usize, minimal: bool) -> Value {
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|names| names.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut out = Map::new();
        let properties = schema.get("properties").and_then(Value::as_object);
        for (name, property) in properties.into_iter().flatten() {
            let (resolved, _) = self.doc.resolve(property);
            let flag = |key: &str| resolved.get(key).and_then(Value::as_bool).unwrap_or(false);
            let never = match self.purpose {
                Purpose::Request => flag("readOnly"),
                Purpose::Response => flag("writeOnly"),
            };
            let left_out = never || (!required.contains(&name.as_str()) && !self.everything(minimal));
            if !left_out {
                let at = format!("{at}/properties/{}", crate::doc::escape(name));
                let value = self.build(property, &at, depth + 1, minimal);
                out.insert(name.clone(), value);
            }
        }
        // A map: as many entries as `minProperties` asks, and one when
        // building everything.
        let extra = schema.get("additionalProperties").filter(|extra| extra.is_object());
        let one = usize::from(self.everything(minimal) && extra.is_some() && out.is_empty());
        let wanted = count(schema, "minProperties").unwrap_or(0).max(one);
        let empty = Value::Object(Map::new());
        let mut index = 0;
        while out.len() < wanted {
            index += 1;
            let value = self.build(extra.unwrap_or(&empty), &format!("{at}/additionalProperties"), depth + 1, minimal);
            out.insert(format!("key{index}"), value);
        }
        Value::Object(out)
    }

    fn array(&mut self, schema: &Value, at: &str, depth: usize, minimal: bool) -> Value {
        let empty = Value::Object(Map::new());
        let items = schema.get("items").unwrap_or(&empty);
        let min = count(schema, "minItems").unwrap_or(0);
        let mut wanted = if self.everything(minimal) { min.max(1) } else { min };
        if let Some(max) = count(schema, "maxItems") {
            if max < min {
                self.finding(at, format!("`minItems` {min} is above `maxItems` {max}"));
            }
            wanted = wanted.min(max.max(min));
        }
        let unique = schema.get("uniqueItems").and_then(Value::as_bool).unwrap_or(false);
        let mut out: Vec<Value> = Vec::new();
        for index in 0..wanted {
            let mut item = self.build(items, &format!("{at}/items"), depth + 1, minimal);
            if unique && out.contains(&item) {
                item = self.distinct(items, &out, index);
            }
            out.push(item);
        }
        if unique && (1..out.len()).any(|index| out[..index].contains(&out[index])) {
            self.finding(at, format!("cannot make {wanted} distinct items for `uniqueItems`"));
        }
        Value::Array(out)
    }

    /// Another item for a `uniqueItems` list: the next enum value, or the
    /// string with a number.
    fn distinct(&mut self, items: &Value, taken: &[Value], index: usize) -> Value {
        let (items, _) = self.doc.resolve(items);
        if let Some(values) = items.get("enum").and_then(Value::as_array) {
            if let Some(free) = values.iter().find(|value| !taken.contains(value)) {
                return free.clone();
            }
        }
        match taken.first() {
            Some(Value::String(text)) => Value::String(format!("{text}{index}")),
            Some(Value::Number(number)) => Value::from(number.as_i64().unwrap_or(0) + index as i64),
            Some(other) => other.clone(),
            None => Value::Null,
        }
    }

    fn string(&mut self, schema: &Value, at: &str) -> Value {
        let min = count(schema, "minLength").unwrap_or(0);
        let max = count(schema, "maxLength");
        let mut candidates: Vec<String> = Vec::new();
        if let Some(text) = schema.get("format").and_then(Value::as_str).and_then(format_value) {
            candidates.push(text.to_owned());
        }
        if let Some(text) = schema.get("pattern").and_then(Value::as_str) {
            match Pattern::parse(text) {
                Ok(pattern) => {
                    let shortest = pattern.generate(0);
                    let short_by = min.saturating_sub(shortest.chars().count());
                    candidates.push(if short_by == 0 { shortest } else { pattern.generate(short_by) });
                }
                Err(reason) => {
                    self.finding(&format!("{at}/pattern"), format!("pattern `{text}` cannot be read ({reason})"))
                }
            }
        }
        let mut plain: String = PLAIN_TEXT.chars().take(max.unwrap_or(usize::MAX)).collect();
        while plain.chars().count() < min {
            plain.push('a');
        }
        candidates.push(plain);
        for candidate in &candidates {
            if fits_string(schema, candidate).is_ok() {
                return Value::String(candidate.clone());
            }
        }
        let best = candidates.first().cloned().unwrap_or_default();
        let reason = fits_string(schema, &best).err().unwrap_or_default();
        self.finding(at, format!("no string fits ({reason}); sent {best:?}"));
        Value::String(best)
    }

    fn number(&mut self, schema: &Value, at: &str, integer: bool) -> Value {
        let exclusive = |key: &str| schema.get(key).and_then(Value::as_bool).unwrap_or(false);
        let step = if integer { 1.0 } else { 0.5 };
        let low = schema.get("minimum").and_then(Value::as_f64).map(|low| {
            if exclusive("exclusiveMinimum") {
                low + step
            } else {
                low
            }
        });
        let high = schema.get("maximum").and_then(Value::as_f64).map(|high| {
            if exclusive("exclusiveMaximum") {
                high - step
            } else {
                high
            }
        });
        let mut value = match (low, high) {
            (Some(low), _) => low,
            (None, Some(high)) if high < 1.0 => high,
            _ => 1.0,
        };
        if let Some(multiple) = schema.get("multipleOf").and_then(Value::as_f64).filter(|multiple| *multiple > 0.0) {
            value = (value / multiple).ceil() * multiple;
        }
        if integer {
            value = value.ceil();
        }
        let number = if integer && value.abs() < 9.0e15 {
            Value::from(value as i64)
        } else {
            Number::from_f64(value).map_or(Value::Null, Value::Number)
        };
        if let Err(reason) = fits(self.doc, schema, &number, self.purpose, 0) {
            self.finding(at, format!("no number fits ({reason}); sent {number}"));
        }
        number
    }
}

/// A value of a well-known `format` that ajv (Prism's validator) accepts.
fn format_value(format: &str) -> Option<&'static str> {
    Some(match format {
        "email" => "user@example.com",
        "uri" | "url" | "uri-reference" | "iri" => "https://example.com/",
        "hostname" => "example.com",
        "date-time" => "2024-01-01T00:00:00Z",
        "date" => "2024-01-01",
        "time" => "00:00:00Z",
        "uuid" => "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "ipv4" => "192.0.2.1",
        "ipv6" => "2001:db8::1",
        "byte" => "AAAA",
        "binary" => "AAAA",
        _ => return None,
    })
}

/// A schema's `type`, or the one its keywords imply.
pub fn schema_type(schema: &Value) -> Option<&str> {
    if let Some(kind) = schema.get("type").and_then(Value::as_str) {
        return Some(kind);
    }
    if schema.get("properties").is_some() || schema.get("additionalProperties").is_some() {
        return Some("object");
    }
    if schema.get("items").is_some() {
        return Some("array");
    }
    match schema.get("enum").and_then(Value::as_array)?.iter().find(|value| !value.is_null())? {
        Value::String(_) => Some("string"),
        Value::Number(number) if number.is_f64() => Some("number"),
        Value::Number(_) => Some("integer"),
        Value::Bool(_) => Some("boolean"),
        _ => None,
    }
}

fn count(schema: &Value, key: &str) -> Option<usize> {
    schema.get(key).and_then(Value::as_u64).map(|count| count as usize)
}

/// `schema`'s `allOf` members (and their own `allOf`s) merged with its other
/// keywords into one schema: properties gathered (one written twice is the
/// `allOf` of both), `required` joined, other keywords taken from the last
/// member that has them and the schema itself last, as it is the most specific.
pub fn merge_all_of(doc: &Document, schema: &Value, depth: usize) -> Value {
    let mut merged = Map::new();
    let mut parts: Vec<Value> = Vec::new();
    for member in schema.get("allOf").and_then(Value::as_array).into_iter().flatten() {
        let (member, _) = doc.resolve(member);
        if member.get("allOf").is_some() && depth < MAX_DEPTH {
            parts.push(merge_all_of(doc, member, depth + 1));
        } else {
            parts.push(member.clone());
        }
    }
    let mut own = schema.clone();
    if let Some(own) = own.as_object_mut() {
        own.remove("allOf");
    }
    parts.push(own);
    for part in parts {
        let Value::Object(part) = part else { continue };
        for (key, value) in part {
            match key.as_str() {
                "properties" => {
                    let Value::Object(properties) = value else { continue };
                    let target = merged.entry("properties").or_insert_with(|| Value::Object(Map::new()));
                    let Some(target) = target.as_object_mut() else { continue };
                    for (name, property) in properties {
                        match target.remove(&name) {
                            Some(earlier) if earlier != property => {
                                target.insert(name, serde_json::json!({ "allOf": [earlier, property] }));
                            }
                            _ => {
                                target.insert(name, property);
                            }
                        }
                    }
                }
                "required" => {
                    let target = merged.entry("required").or_insert_with(|| Value::Array(Vec::new()));
                    if let (Some(target), Value::Array(names)) = (target.as_array_mut(), value) {
                        for name in names {
                            if !target.contains(&name) {
                                target.push(name);
                            }
                        }
                    }
                }
                _ => {
                    merged.insert(key, value);
                }
            }
        }
    }
    Value::Object(merged)
}

/// Whether `value` is valid for `schema`, as far as the check reads schemas
/// (types, `enum`, `nullable`, string lengths, `pattern` and common formats,
/// numeric bounds, item counts, required and known properties, `allOf`,
/// `oneOf`/`anyOf` as "one of them fits"); `Err` says where and why not.
pub fn fits(doc: &Document, schema: &Value, value: &Value, purpose: Purpose, depth: usize) -> Result<(), String> {
    if depth > MAX_DEPTH {
        return Ok(());
    }
    let (schema, _) = doc.resolve(schema);
    if value.is_null() {
        let nullable = schema.get("nullable").and_then(Value::as_bool).unwrap_or(false);
        return if nullable || schema.get("enum").and_then(Value::as_array).is_some_and(|values| values.contains(value))
        {
            Ok(())
        } else {
            Err("null where the schema is not nullable".to_owned())
        };
    }
    if let Some(members) = schema.get("allOf").and_then(Value::as_array) {
        for member in members {
            fits(doc, member, value, purpose, depth + 1)?;
        }
    }
    for keyword in ["oneOf", "anyOf"] {
        if let Some(variants) = schema.get(keyword).and_then(Value::as_array) {
            let mut reasons = Vec::new();
            let any = variants.iter().any(|variant| match fits(doc, variant, value, purpose, depth + 1) {
                Ok(()) => true,
                Err(reason) => {
                    reasons.push(reason);
                    false
                }
            });
            if !any {
                return Err(format!("no variant of `{keyword}` fits ({})", reasons.join("; ")));
            }
        }
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        if !values.contains(value) {
            return Err(format!("{value} is not one of the `enum` values"));
        }
    }
    match (schema_type(schema), value) {
        (None, _) => {}
        (Some("string"), Value::String(text)) => fits_string(schema, text)?,
        (Some("integer"), Value::Number(number)) => {
            if number.as_f64().is_none_or(|value| value.fract() != 0.0) {
                return Err(format!("{number} is not an integer"));
            }
            fits_number(schema, number)?;
        }
        (Some("number"), Value::Number(number)) => fits_number(schema, number)?,
        (Some("boolean"), Value::Bool(_)) => {}
        (Some("array"), Value::Array(items)) => {
            if count(schema, "minItems").is_some_and(|min| items.len() < min) {
                return Err(format!("{} items, fewer than `minItems`", items.len()));
            }
            if count(schema, "maxItems").is_some_and(|max| items.len() > max) {
                return Err(format!("{} items, more than `maxItems`", items.len()));
            }
            if let Some(item_schema) = schema.get("items") {
                for (index, item) in items.iter().enumerate() {
                    fits(doc, item_schema, item, purpose, depth + 1)
                        .map_err(|reason| format!("[{index}]: {reason}"))?;
                }
            }
        }
        (Some("object"), Value::Object(object)) => {
            let properties = schema.get("properties").and_then(Value::as_object);
            for name in schema.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str)
            {
                let read_only = properties
                    .and_then(|properties| properties.get(name))
                    .map(|property| doc.resolve(property).0)
                    .and_then(|property| property.get("readOnly"))
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
                // A request leaves `readOnly` properties out, required or not.
                let excused = purpose == Purpose::Request && read_only;
                if !excused && !object.contains_key(name) {
                    return Err(format!("required property `{name}` is missing"));
                }
            }
            for (name, field) in object {
                match properties.and_then(|properties| properties.get(name)) {
                    Some(property) => {
                        fits(doc, property, field, purpose, depth + 1).map_err(|reason| format!(".{name}: {reason}"))?
                    }
                    None => match schema.get("additionalProperties") {
                        Some(Value::Bool(false)) => return Err(format!("property `{name}` is not allowed")),
                        Some(extra @ Value::Object(_)) => fits(doc, extra, field, purpose, depth + 1)
                            .map_err(|reason| format!(".{name}: {reason}"))?,
                        _ => {}
                    },
                }
            }
        }
        (Some(kind), other) => return Err(format!("{} where the schema wants {kind}", describe(other))),
    }
    Ok(())
}

/// Adds `null` for each property a `required` list names that the schema
/// never defines (an upstream mistake: the property has no schema, so any
/// value fits) and that `value` lacks, wherever `value` holds an object of
/// such a schema: a generated type has no field for it, so its serialized
/// value lacks it. Follows `$ref`s, `allOf` members, every `oneOf`/`anyOf`
/// variant the value fits, properties, list items and map values.
pub fn fill_undefined_required(doc: &Document, schema: &Value, value: &mut Value, purpose: Purpose, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    let (schema, _) = doc.resolve(schema);
    for member in schema.get("allOf").and_then(Value::as_array).into_iter().flatten() {
        fill_undefined_required(doc, member, value, purpose, depth + 1);
    }
    for keyword in ["oneOf", "anyOf"] {
        for variant in schema.get(keyword).and_then(Value::as_array).into_iter().flatten() {
            let mut filled = value.clone();
            fill_undefined_required(doc, variant, &mut filled, purpose, depth + 1);
            if fits(doc, variant, &filled, purpose, depth + 1).is_ok() {
                *value = filled;
            }
        }
    }
    match value {
        Value::Object(object) => {
            let properties = schema.get("properties").and_then(Value::as_object);
            for name in schema.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str)
            {
                let defined = properties.is_some_and(|properties| properties.contains_key(name));
                if !defined && !object.contains_key(name) {
                    object.insert(name.to_owned(), Value::Null);
                }
            }
            for (name, field) in object.iter_mut() {
                match properties.and_then(|properties| properties.get(name)) {
                    Some(property) => fill_undefined_required(doc, property, field, purpose, depth + 1),
                    None => {
                        if let Some(extra @ Value::Object(_)) = schema.get("additionalProperties") {
                            fill_undefined_required(doc, extra, field, purpose, depth + 1);
                        }
                    }
                }
            }
        }
        Value::Array(items) => {
            if let Some(item_schema) = schema.get("items") {
                for item in items {
                    fill_undefined_required(doc, item_schema, item, purpose, depth + 1);
                }
            }
        }
        _ => {}
    }
}

fn describe(value: &Value) -> String {
    match value {
        Value::String(text) => format!("the string {text:?}"),
        Value::Number(number) => format!("the number {number}"),
        Value::Bool(flag) => format!("the boolean {flag}"),
        Value::Array(_) => "an array".to_owned(),
        Value::Object(_) => "an object".to_owned(),
        Value::Null => "null".to_owned(),
    }
}

fn fits_string(schema: &Value, text: &str) -> Result<(), String> {
    let length = text.chars().count();
    if count(schema, "minLength").is_some_and(|min| length < min) {
        return Err(format!("{text:?} is shorter than `minLength`"));
    }
    if count(schema, "maxLength").is_some_and(|max| length > max) {
        return Err(format!("{text:?} is longer than `maxLength`"));
    }
    if let Some(pattern) = schema.get("pattern").and_then(Value::as_str) {
        // A pattern the reader does not know cannot be checked here; building
        // a value for it is a finding of its own.
        if Pattern::parse(pattern).is_ok_and(|parsed| !parsed.matches(text)) {
            return Err(format!("{text:?} does not match `{pattern}`"));
        }
    }
    if let Some(format) = schema.get("format").and_then(Value::as_str) {
        if !fits_format(format, text) {
            return Err(format!("{text:?} is not a valid `{format}`"));
        }
    }
    Ok(())
}

/// The formats ajv checks, read loosely (enough to reject a value that is
/// plainly not one).
fn fits_format(format: &str, text: &str) -> bool {
    let digits = |part: &str| !part.is_empty() && part.chars().all(|c| c.is_ascii_digit());
    match format {
        "email" => text
            .split_once('@')
            .is_some_and(|(user, host)| !user.is_empty() && host.contains('.') && !text.contains(char::is_whitespace)),
        "uri" | "url" => text.split_once(':').is_some_and(|(scheme, rest)| {
            scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
                && !rest.is_empty()
                && !text.contains(char::is_whitespace)
        }),
        "date" => {
            let parts: Vec<&str> = text.split('-').collect();
            parts.len() == 3 && parts.iter().all(|part| digits(part)) && parts[0].len() == 4
        }
        "date-time" => text.split_once(['T', 't']).is_some_and(|(date, time)| {
            fits_format("date", date) && time.len() >= 8 && time[..2].chars().all(|c| c.is_ascii_digit())
        }),
        "uuid" => {
            text.len() == 36
                && text.char_indices().all(|(index, c)| match index {
                    8 | 13 | 18 | 23 => c == '-',
                    _ => c.is_ascii_hexdigit(),
                })
        }
        _ => true,
    }
}

fn fits_number(schema: &Value, number: &Number) -> Result<(), String> {
    let Some(value) = number.as_f64() else { return Ok(()) };
    let exclusive = |key: &str| schema.get(key).and_then(Value::as_bool).unwrap_or(false);
    if let Some(low) = schema.get("minimum").and_then(Value::as_f64) {
        if value < low || (exclusive("exclusiveMinimum") && value == low) {
            return Err(format!("{number} is below the `minimum` {low}"));
        }
    }
    if let Some(high) = schema.get("maximum").and_then(Value::as_f64) {
        if value > high || (exclusive("exclusiveMaximum") && value == high) {
            return Err(format!("{number} is above the `maximum` {high}"));
        }
    }
    if let Some(multiple) = schema.get("multipleOf").and_then(Value::as_f64).filter(|multiple| *multiple > 0.0) {
        if (value / multiple).fract() != 0.0 {
            return Err(format!("{number} is not a multiple of {multiple}"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn doc() -> Document {
        Document::new(json!({
            "components": {"schemas": {
                "Id": {"type": "string", "pattern": "^user_\\w{27}$"},
                "Node": {"type": "object", "required": ["id"], "properties": {
                    "id": {"type": "string", "example": "n_1"},
                    "next": {"$ref": "#/components/schemas/Node"}
                }},
                "Cat": {"type": "object", "properties": {"kind": {"type": "string"}, "meow": {"type": "boolean"}}},
                "Dog": {"type": "object", "properties": {"kind": {"type": "string"}, "bark": {"type": "integer"}}}
            }}
        }))
    }

    fn request(schema: Value) -> (Value, Vec<Finding>) {
        let doc = doc();
        let mut synth = Synth::new(&doc, Purpose::Request);
        let value = synth.value(&schema, "#/test");
        (value, synth.findings)
    }

    #[test]
    fn a_required_property_the_schema_never_defines_is_filled_with_null() {
        let doc = Document::new(json!({"components": {"schemas": {
            "Conn": {"type": "object", "required": ["id", "authenticatable"], "properties": {"id": {"type": "string"}}},
            "Page": {"type": "object", "properties": {"data": {"type": "array", "items": {"$ref": "#/components/schemas/Conn"}}}}
        }}}));
        let schema = json!({"$ref": "#/components/schemas/Page"});
        let mut value = json!({"data": [{"id": "c1"}, {"id": "c2", "authenticatable": true}]});
        assert!(fits(&doc, &schema, &value, Purpose::Response, 0).is_err());
        fill_undefined_required(&doc, &schema, &mut value, Purpose::Response, 0);
        assert_eq!(
            value,
            json!({"data": [{"id": "c1", "authenticatable": null}, {"id": "c2", "authenticatable": true}]})
        );
        assert_eq!(fits(&doc, &schema, &value, Purpose::Response, 0), Ok(()));
    }

    #[test]
    fn requests_hold_required_properties_made_to_fit() {
        let (value, findings) = request(json!({
            "type": "object",
            "required": ["email", "id", "count", "tags", "when", "kind", "short", "ratio"],
            "properties": {
                "email": {"type": "string", "format": "email"},
                "id": {"$ref": "#/components/schemas/Id"},
                "count": {"type": "integer", "minimum": 1, "maximum": 500},
                "tags": {"type": "array", "minItems": 2, "uniqueItems": true, "items": {"type": "string"}},
                "when": {"type": "string", "format": "date-time"},
                "kind": {"type": "string", "enum": ["b", "a"], "default": "a"},
                "short": {"type": "string", "maxLength": 3, "minLength": 2},
                "ratio": {"type": "number", "exclusiveMinimum": true, "minimum": 0},
                "optional": {"type": "string"},
                "server": {"type": "string", "readOnly": true}
            }
        }));
        assert_eq!(
            value,
            json!({
                "email": "user@example.com",
                "id": format!("user_{}", "a".repeat(27)),
                "count": 1,
                "tags": ["example", "example1"],
                "when": "2024-01-01T00:00:00Z",
                "kind": "a",
                "short": "exa",
                "ratio": 0.5
            })
        );
        assert_eq!(findings, []);
    }

    #[test]
    fn an_example_that_breaks_its_schema_is_a_finding_and_not_sent() {
        let (value, findings) = request(json!({"type": "string", "pattern": "^org_\\w{3}$", "example": "org_toolong"}));
        assert_eq!(value, json!("org_aaa"));
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].pointer, "#/test/example");
        let (value, findings) = request(json!({"type": "boolean", "default": "false"}));
        assert_eq!((value, findings.len()), (json!(false), 1));
    }

    #[test]
    fn unions_take_their_first_variant_and_all_of_merges() {
        let (value, _) = request(json!({"oneOf": [{"type": "integer", "minimum": 3}, {"type": "string"}]}));
        assert_eq!(value, json!(3));
        let (value, _) = request(json!({"allOf": [
            {"$ref": "#/components/schemas/Node"},
            {"type": "object", "required": ["extra"], "properties": {"extra": {"type": "boolean"}}}
        ]}));
        assert_eq!(value, json!({"id": "n_1", "extra": false}));
    }

    #[test]
    fn responses_carry_every_property_and_end_on_recursion() {
        let doc = doc();
        let mut synth = Synth::new(&doc, Purpose::Response);
        let value = synth.value(&json!({"$ref": "#/components/schemas/Node"}), "#/r");
        assert_eq!(value, json!({"id": "n_1", "next": {"id": "n_1"}}));
        assert_eq!(synth.examples_used, ["#/components/schemas/Node/properties/id/example"; 2]);
    }

    #[test]
    fn a_full_request_has_every_property_but_read_only_ones() {
        let doc = doc();
        let schema = json!({"type": "object", "required": ["id"], "properties": {
            "id": {"type": "string"},
            "tags": {"type": "array", "maxItems": 0, "items": {"type": "string"}},
            "labels": {"type": "object", "additionalProperties": {"type": "integer", "minimum": 2}},
            "note": {"type": "string", "nullable": true},
            "server": {"type": "string", "readOnly": true}
        }});
        let mut synth = Synth::new(&doc, Purpose::Request).full();
        assert_eq!(
            synth.value(&schema, "#/r"),
            json!({"id": "example", "tags": [], "labels": {"key1": 2}, "note": "example"})
        );
    }

    #[test]
    fn a_sparse_response_has_required_properties_only_and_nulls() {
        let doc = doc();
        let schema = json!({"type": "object", "required": ["id", "owner", "tags"], "properties": {
            "id": {"type": "string", "example": "t_1"},
            "owner": {"type": "string", "nullable": true, "example": "user_1"},
            "tags": {"type": "array", "items": {"type": "string"}},
            "note": {"type": "string"}
        }});
        let mut synth = Synth::new(&doc, Purpose::Response).sparse();
        assert_eq!(synth.value(&schema, "#/r"), json!({"id": "t_1", "owner": null, "tags": []}));
    }

    #[test]
    fn each_variant_of_a_union_can_be_chosen_and_is_tagged() {
        let doc = doc();
        let schema = json!({
            "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
            "discriminator": {"propertyName": "kind", "mapping": {"dog": "#/components/schemas/Dog"}}
        });
        let mut first = Synth::new(&doc, Purpose::Response);
        assert_eq!(first.value(&schema, "#/r"), json!({"kind": "Cat", "meow": false}));
        assert_eq!(first.unions, [("#/r/oneOf".to_owned(), 2)]);
        let mut second = Synth::new(&doc, Purpose::Response).choosing("#/r/oneOf", 1);
        assert_eq!(second.value(&schema, "#/r"), json!({"kind": "dog", "bark": 1}));
    }

    #[test]
    fn a_full_request_fits_one_variant_of_a_one_of_only() {
        // GitHub's project items: `id`, or `owner`, `repo` and `number`.
        let schema = json!({
            "type": "object",
            "required": ["type"],
            "properties": {
                "type": {"type": "string", "enum": ["Issue"]}, "id": {"type": "integer"},
                "owner": {"type": "string"}, "repo": {"type": "string"}, "number": {"type": "integer"}
            },
            "oneOf": [{"required": ["id"]}, {"required": ["owner", "repo", "number"]}]
        });
        let doc = doc();
        let mut first = Synth::new(&doc, Purpose::Request).full();
        assert_eq!(first.value(&schema, "#/test"), json!({"type": "Issue", "id": 1}));
        let mut second = Synth::new(&doc, Purpose::Request).full().choosing("#/test/oneOf", 1);
        assert_eq!(
            second.value(&schema, "#/test"),
            json!({"type": "Issue", "owner": "example", "repo": "example", "number": 1})
        );
        // A minimal value that would fit both variants takes the chosen one's
        // optional properties (GitHub's issues/set-labels: `{}` fits both).
        let labels = json!({"oneOf": [
            {"type": "object", "properties": {"labels": {"type": "array", "minItems": 1, "items": {"type": "string"}}}},
            {"type": "object", "properties": {"labels": {"type": "array", "minItems": 1, "items": {
                "type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}
            }}}}
        ]});
        let (value, findings) = request(labels);
        assert_eq!((value, findings), (json!({"labels": ["example"]}), vec![]));
        // An `anyOf` may fit both: the full request keeps every property.
        let any_of = json!({
            "type": "object",
            "properties": {"a": {"type": "integer"}, "b": {"type": "integer"}},
            "anyOf": [{"required": ["a"]}, {"required": ["b"]}]
        });
        let mut full = Synth::new(&doc, Purpose::Request).full();
        assert_eq!(full.value(&any_of, "#/test"), json!({"a": 1, "b": 1}));
    }

    #[test]
    fn a_union_beside_properties_holds_both() {
        // Clerk's connections: properties, and `anyOf` of `required` lists.
        let schema = json!({
            "type": "object",
            "required": ["id"],
            "properties": {"id": {"type": "string"}, "domain": {"type": "string"}, "domains": {"type": "array"}},
            "anyOf": [{"required": ["domain"]}, {"required": ["domains"]}]
        });
        let (value, findings) = request(schema.clone());
        assert_eq!((value, findings), (json!({"id": "example", "domain": "example"}), vec![]));
        let doc = doc();
        let mut second = Synth::new(&doc, Purpose::Request).choosing("#/test/anyOf", 1);
        assert_eq!(second.value(&schema, "#/test"), json!({"id": "example", "domains": []}));
    }

    #[test]
    fn values_are_checked_against_schemas() {
        let doc = doc();
        let check = |schema: Value, value: Value| fits(&doc, &schema, &value, Purpose::Request, 0);
        assert!(check(json!({"type": "string", "format": "email"}), json!("a@b.co")).is_ok());
        assert!(check(json!({"type": "string", "format": "email"}), json!("nope")).is_err());
        assert!(check(json!({"type": "integer"}), json!(1.5)).is_err());
        assert!(check(json!({"type": "string", "nullable": true}), json!(null)).is_ok());
        assert!(check(json!({"type": "object", "required": ["a"]}), json!({})).is_err());
        assert!(check(
            json!({"type": "object", "required": ["a"], "properties": {"a": {"readOnly": true}}}),
            json!({})
        )
        .is_ok());
        let nested = check(json!({"type": "array", "items": {"$ref": "#/components/schemas/Id"}}), json!(["user_1"]));
        assert_eq!(nested.unwrap_err(), "[0]: \"user_1\" does not match `^user_\\w{27}$`");
    }
}
