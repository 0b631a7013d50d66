//! Larger documents for the scaling rows: the document with `factor - 1`
//! renamed copies of everything beside it. Copy `k` has its paths under
//! `/copy{k}`, its operationIds, groups and tags suffixed `Copy{k}`, and its own
//! copy of every component (`NameCopy{k}`), with its references rewritten to
//! them, so each copy adds as many operations and types as the original has.

use serde_yaml::{Mapping, Value};

/// `document` with `factor - 1` renamed copies (`factor` 1 is the document itself).
pub fn multiply(document: &Value, factor: usize) -> Value {
    let mut result = document.clone();
    for k in 2..=factor {
        let suffix = format!("Copy{k}");
        if let (Some(paths), Some(into)) =
            (document.get("paths").and_then(Value::as_mapping), result.get_mut("paths").and_then(Value::as_mapping_mut))
        {
            for (path, item) in paths {
                let Some(path) = path.as_str() else { continue };
                let mut item = renamed_refs(item, &suffix);
                rename_operations(&mut item, &suffix);
                into.insert(Value::String(format!("/copy{k}{path}")), item);
            }
        }
        if let (Some(components), Some(into)) = (
            document.get("components").and_then(Value::as_mapping),
            result.get_mut("components").and_then(Value::as_mapping_mut),
        ) {
            for (section, entries) in components {
                // Security schemes are named by `security` lists, not by `$ref`: one set serves all copies.
                if section.as_str() == Some("securitySchemes") {
                    continue;
                }
                let (Some(entries), Some(Value::Mapping(target))) = (entries.as_mapping(), into.get_mut(section))
                else {
                    continue;
                };
                for (name, entry) in entries {
                    let Some(name) = name.as_str() else { continue };
                    target.insert(Value::String(format!("{name}{suffix}")), renamed_refs(entry, &suffix));
                }
            }
        }
    }
    result
}

/// Suffixes the operationId, `x-speakeasy-group` and tags of every operation in a path item.
fn rename_operations(item: &mut Value, suffix: &str) {
    let Some(item) = item.as_mapping_mut() else { return };
    for (_, operation) in item.iter_mut() {
        let Some(operation) = operation.as_mapping_mut() else { continue };
        for key in ["operationId", "x-speakeasy-group"] {
            if let Some(Value::String(text)) = operation.get_mut(key) {
                text.push_str(suffix);
            }
        }
        if let Some(Value::Sequence(tags)) = operation.get_mut("tags") {
            for tag in tags.iter_mut() {
                if let Value::String(text) = tag {
                    text.push_str(&format!(" {suffix}"));
                }
            }
        }
    }
}

/// A copy of `value` whose component references (`$ref`s and discriminator
/// mappings alike: any string `#/components/SECTION/NAME…`) point at the
/// suffixed components.
fn renamed_refs(value: &Value, suffix: &str) -> Value {
    match value {
        Value::String(text) => Value::String(renamed_ref(text, suffix).unwrap_or_else(|| text.clone())),
        Value::Sequence(items) => Value::Sequence(items.iter().map(|item| renamed_refs(item, suffix)).collect()),
        Value::Mapping(map) => {
            let mut out = Mapping::with_capacity(map.len());
            for (key, item) in map {
                out.insert(key.clone(), renamed_refs(item, suffix));
            }
            Value::Mapping(out)
        }
        Value::Tagged(tagged) => renamed_refs(&tagged.value, suffix),
        other => other.clone(),
    }
}

fn renamed_ref(text: &str, suffix: &str) -> Option<String> {
    let rest = text.strip_prefix("#/components/")?;
    let (section, rest) = rest.split_once('/')?;
    if section == "securitySchemes" {
        return None;
    }
    let (name, tail) = match rest.split_once('/') {
        Some((name, tail)) => (name, format!("/{tail}")),
        None => (rest, String::new()),
    };
    Some(format!("#/components/{section}/{name}{suffix}{tail}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_rename_paths_operations_and_references() {
        let document: Value = serde_yaml::from_str(
            "paths:\n  /a:\n    get:\n      operationId: GetA\n      tags: [A]\n      responses:\n        '200':\n          $ref: '#/components/responses/R'\ncomponents:\n  responses:\n    R:\n      description: r\n      content:\n        application/json:\n          schema:\n            $ref: '#/components/schemas/S'\n  schemas:\n    S:\n      type: string\n",
        )
        .unwrap();
        let twice = multiply(&document, 2);
        let copy = &twice["paths"]["/copy2/a"]["get"];
        assert_eq!(copy["operationId"], Value::from("GetACopy2"));
        assert_eq!(copy["tags"][0], Value::from("A Copy2"));
        assert_eq!(copy["responses"]["200"]["$ref"], Value::from("#/components/responses/RCopy2"));
        let response = &twice["components"]["responses"]["RCopy2"];
        assert_eq!(
            response["content"]["application/json"]["schema"]["$ref"],
            Value::from("#/components/schemas/SCopy2")
        );
        assert!(twice["components"]["schemas"].get("SCopy2").is_some());
        assert_eq!(twice["paths"]["/a"], document["paths"]["/a"]);
    }
}
