//! The part of the document a selection needs, cut out of the tree before any of
//! it is read as `openapiv3` types.
//!
//! `openapiv3` reads a document whole, and the first operation or component that
//! does not fit stops it, wherever it is. A selection (a tag, some operationIds)
//! keeps only:
//! - the selected operations, with the rest of their path items (parameters,
//!   servers, summary) but not the other operations there;
//! - the components they reach: by `$ref`, from one component to the next, and
//!   through `discriminator` mappings; the security schemes they name;
//! - everything outside `paths` and `components` (`info`, `servers`, `tags`,
//!   extensions), which every operation uses.
//!
//! Path items given by `$ref` are resolved before (`path_refs`), so their
//! operations are picked like any other. What is kept stays where it was, so a failure in it has the pointer it has in
//! the whole document. Selecting every operation keeps everything: `--all-tags`
//! checks the whole document. Operations are picked by the same rule as
//! `select::select` applies to the typed document afterwards.

use std::collections::{BTreeMap, BTreeSet};

use serde_yaml::{Mapping, Value};

use super::locate::kind_of;
use crate::select::{self, Candidate, Selection, METHODS};
use crate::Error;

/// The keys of a path item that hold an operation, selectable or not.
const OPERATION_KEYS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// The selected methods, by path.
type Chosen = BTreeMap<String, BTreeSet<&'static str>>;

/// The reached components, by section (`schemas`, `parameters`, …).
type Reached = BTreeMap<String, BTreeSet<String>>;

/// Cuts `tree` down to what `selection` needs; an error when the selection
/// picks nothing (see `select::choose`).
pub(super) fn reduce(tree: &mut Value, selection: &Selection) -> Result<(), Error> {
    // Without a map of paths nothing can be picked: `openapiv3` says what is wrong.
    if selection.is_everything() || !matches!(tree.get("paths"), Some(Value::Mapping(_))) {
        return Ok(());
    }
    refuse_non_objects(tree)?;
    let chosen = chosen_operations(tree, selection)?;
    let reached = reached_components(tree, &chosen);
    cut(tree, &chosen, &reached);
    Ok(())
}

/// A path item or operation that is not an object cannot be picked or left
/// out by its tags, and dropping it with the rest would hide a broken document
/// (read whole, `openapiv3` refuses it): refused here at its pointer. `null` is
/// absent, as `openapiv3` reads it.
fn refuse_non_objects(tree: &Value) -> Result<(), Error> {
    let Some(Value::Mapping(paths)) = tree.get("paths") else { return Ok(()) };
    for (path, item) in paths {
        let Some(path) = path.as_str().filter(|path| path.starts_with('/')) else { continue };
        let at = crate::error::pointer("#/paths", path);
        let item = match item {
            Value::Mapping(item) => item,
            Value::Null => continue,
            other => return Err(Error::at(at, format!("a path item must be an object, not {}", kind_of(other)))),
        };
        for (key, operation) in item {
            let Some(method) = key.as_str().filter(|key| OPERATION_KEYS.contains(key)) else { continue };
            if !matches!(operation, Value::Mapping(_) | Value::Null) {
                let at = crate::error::pointer(&at, method);
                return Err(Error::at(at, format!("an operation must be an object, not {}", kind_of(operation))));
            }
        }
    }
    Ok(())
}

/// The operations `selection` picks, read from the tree: an operation whose
/// tags or operationId are not what OpenAPI wants is picked if what can be read
/// of them fits (and then refused by `openapiv3`), left alone otherwise.
fn chosen_operations(tree: &Value, selection: &Selection) -> Result<Chosen, Error> {
    let mut places: Vec<(&str, &'static str)> = Vec::new();
    let mut candidates = Vec::new();
    if let Some(Value::Mapping(paths)) = tree.get("paths") {
        for (path, item) in paths {
            // Keys not starting with `/` are extensions, as for `openapiv3`.
            let Some(path) = path.as_str().filter(|path| path.starts_with('/')) else { continue };
            for (_, method) in METHODS {
                let Some(operation) = item.get(method).filter(|operation| operation.is_mapping()) else { continue };
                places.push((path, method));
                candidates.push(Candidate {
                    tags: strings(operation.get("tags")).collect(),
                    operation_id: operation.get("operationId").and_then(Value::as_str),
                });
            }
        }
    }
    let known_tags: Vec<&str> = match tree.get("tags") {
        Some(Value::Sequence(tags)) => tags.iter().filter_map(|tag| tag.get("name")?.as_str()).collect(),
        _ => Vec::new(),
    };
    let mut chosen = Chosen::new();
    for index in select::choose(selection, &candidates, &known_tags)? {
        let (path, method) = places[index];
        chosen.entry(path.to_owned()).or_default().insert(method);
    }
    Ok(chosen)
}

/// The strings of a list (the other items are left for `openapiv3` to refuse).
fn strings(list: Option<&Value>) -> impl Iterator<Item = &str> {
    list.and_then(Value::as_sequence).into_iter().flatten().filter_map(Value::as_str)
}

/// Every component the chosen operations reach, and every security scheme they
/// or the document name.
fn reached_components(tree: &Value, chosen: &Chosen) -> Reached {
    let mut walk = Walk { components: tree.get("components"), reached: Reached::new(), pending: Vec::new() };
    let mut security = vec![tree.get("security")];
    if let Some(Value::Mapping(paths)) = tree.get("paths") {
        for (path, item) in paths {
            let (Some(methods), Value::Mapping(item)) = (path.as_str().and_then(|path| chosen.get(path)), item) else {
                continue;
            };
            for (key, value) in item {
                match key.as_str() {
                    Some(key) if OPERATION_KEYS.contains(&key) => {
                        if methods.contains(key) {
                            walk.pending.push(value);
                            security.push(value.get("security"));
                        }
                    }
                    _ => walk.pending.push(value),
                }
            }
        }
    }
    walk.run();
    // `security: [{scheme: [scopes]}]` names schemes without a `$ref`.
    for requirement in security.into_iter().flatten().filter_map(Value::as_sequence).flatten() {
        if let Value::Mapping(requirement) = requirement {
            for name in requirement.keys().filter_map(Value::as_str) {
                walk.reach("securitySchemes", name);
            }
        }
    }
    walk.reached
}

/// Values still to look through for references, and what was reached.
struct Walk<'v> {
    components: Option<&'v Value>,
    reached: Reached,
    pending: Vec<&'v Value>,
}

impl<'v> Walk<'v> {
    /// Looks through every pending value and every component reached on the way.
    /// A `$ref` or mapping that leads nowhere is left for lowering to report.
    fn run(&mut self) {
        while let Some(value) = self.pending.pop() {
            match value {
                Value::Mapping(mapping) => {
                    for (key, child) in mapping {
                        match (key.as_str(), child) {
                            (Some("$ref"), Value::String(reference)) => self.follow(reference),
                            (Some("discriminator"), _) => self.follow_mapping(child.get("mapping")),
                            _ => {}
                        }
                        self.pending.push(child);
                    }
                }
                Value::Sequence(items) => self.pending.extend(items),
                _ => {}
            }
        }
    }

    /// A discriminator's mapping names schemas by `$ref` or by name.
    fn follow_mapping(&mut self, mapping: Option<&'v Value>) {
        let Some(Value::Mapping(mapping)) = mapping else { return };
        for target in mapping.values().filter_map(Value::as_str) {
            if target.starts_with('#') {
                self.follow(target);
            } else {
                self.reach("schemas", target);
            }
        }
    }

    /// `#/components/{section}/{name}…`: that component, whole. Other references
    /// (another file, a pointer elsewhere) bring nothing along.
    fn follow(&mut self, reference: &str) {
        let Some(rest) = reference.strip_prefix("#/components/") else { return };
        let mut tokens = rest.split('/').map(unescape);
        if let (Some(section), Some(name)) = (tokens.next(), tokens.next()) {
            self.reach(&section, &name);
        }
    }

    fn reach(&mut self, section: &str, name: &str) {
        if !self.reached.entry(section.to_owned()).or_default().insert(name.to_owned()) {
            return;
        }
        let component = self.components.and_then(|components| components.get(section)?.get(name));
        self.pending.extend(component);
    }
}

/// A JSON pointer reference token as the key it stands for (RFC 6901).
pub(super) fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Drops from `tree` the path items and operations not chosen and the components
/// not reached; keys keep their order.
fn cut(tree: &mut Value, chosen: &Chosen, reached: &Reached) {
    if let Some(Value::Mapping(paths)) = tree.get_mut("paths") {
        paths.retain(|path, item| {
            let Some(path) = path.as_str().filter(|path| path.starts_with('/')) else { return true };
            let Some(methods) = chosen.get(path) else { return false };
            if let Value::Mapping(item) = item {
                item.retain(|key, _| match key.as_str() {
                    Some(key) if OPERATION_KEYS.contains(&key) => methods.contains(key),
                    _ => true,
                });
            }
            true
        });
    }
    if let Some(Value::Mapping(components)) = tree.get_mut("components") {
        components.retain(|section, entries| {
            let Some(section) = section.as_str().filter(|section| !section.starts_with("x-")) else { return true };
            let wanted = reached.get(section);
            match entries {
                Value::Mapping(entries) => {
                    keep_named(entries, wanted);
                    true
                }
                // A section that is no map is refused by `openapiv3` if anything
                // needs it, and ignored if nothing does.
                _ => wanted.is_some(),
            }
        });
    }
}

fn keep_named(entries: &mut Mapping, wanted: Option<&BTreeSet<String>>) {
    entries.retain(|name, _| name.as_str().is_some_and(|name| wanted.is_some_and(|wanted| wanted.contains(name))));
}
