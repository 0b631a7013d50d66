//! How deeply a type nests in Rust, which rustc limits.
//!
//! rustc proves an auto trait (`Send`, `Freeze`, …) of a type one component
//! at a time and stops with E0275 ("overflow evaluating the requirement") past
//! its recursion limit, 128 unless a crate raises it. Every crate that holds the
//! value does so: the generated one (a call's future holds a `Result` of its
//! answer) and the program that uses it, which cannot be asked to raise its
//! limit. rustc's drop check (E0320) walks the same types and costs less at
//! every step, so the auto traits bind. Measured with rustc 1.88, proving `Send`
//! of an `async fn` holding the value: an `Option` or a struct or enum is one
//! level, a `Box` two, a `Vec` three, a `BTreeMap` three to its values and nine
//! to its `String` keys, a `String` six, a `serde_json::Value` seven and a
//! `serde_json::Map` ten. So a chain of objects each holding the next in an
//! optional property nests two levels an object, and lists of lists three a
//! list, whatever schema depth made them. (The drop check alone counted a
//! struct as nothing and a `Vec` as one: maps of maps of 62 levels passed it
//! and failed to compile.)
//!
//! A type may nest at most [`MAX_LEVELS`]; the rest of the 128 is room for
//! what holds it (the future of `send` holds a `Result` of it; a program keeps
//! it in its own structs, `Vec`s and futures). A recursive type (held through
//! a `Box`, a `Vec` or a map) is counted as rustc walks it, each type of its
//! cycle once: its levels are bounded by every type of the cycle taking its
//! deepest way to the next.

use std::collections::BTreeMap;

use crate::ir::{Container, Field, TypeDef, TypeKind, TypeRef};
use crate::Error;

/// The most levels a type may nest: three quarters of rustc's default
/// recursion limit, leaving 32 for the code that holds a value of it.
pub const MAX_LEVELS: usize = 96;

/// What each part of a type costs, in levels (see the module's doc).
const OPTION: usize = 1;
/// A struct, enum or union, besides what it holds; an alias is no type of its own.
const NAMED: usize = 1;
const BOX: usize = 2;
const VEC: usize = 3;
/// A `BTreeMap` to its values; its keys are `String`s below it.
const MAP: usize = 3;
const STRING: usize = 6;
const JSON_VALUE: usize = 7;
const JSON_OBJECT: usize = 10;

/// Refuses the first type reachable from `roots` (the types an operation sends
/// and receives, at `at`) that nests more than [`MAX_LEVELS`], at the place it
/// is defined.
pub(super) fn check<'t>(
    types: &'t BTreeMap<String, TypeDef>,
    roots: impl Iterator<Item = &'t TypeRef>,
    at: &str,
) -> Result<(), Error> {
    let roots: Vec<&TypeRef> = roots.collect();
    let graph = Graph::reachable(types, &roots);
    let levels = graph.levels();
    // The least nested type over the limit: where a chain of types crosses it.
    let over = graph
        .names
        .iter()
        .zip(&levels)
        .filter(|(_, levels)| **levels > MAX_LEVELS)
        .min_by_key(|(name, levels)| (**levels, **name));
    if let Some((name, levels)) = over {
        let origin = types.get(*name).map_or(at, |def| def.origin.as_str());
        return Err(too_deep(&format!("`{name}`"), *levels, origin));
    }
    for root in roots {
        let step = step(root, 0);
        let total = step.levels + step.target.and_then(|name| graph.index(name)).map_or(0, |index| levels[index]);
        if total > MAX_LEVELS {
            return Err(too_deep("a type this operation sends or receives", total, at));
        }
    }
    Ok(())
}

fn too_deep(what: &str, levels: usize, at: &str) -> Error {
    Error::at(
        at,
        format!(
            "{what} nests {levels} levels in Rust (an `Option` or a struct counts 1, a `Box` 2, a `Vec` or a map 3, \
             a `String` 6); more than {MAX_LEVELS} leave too little of rustc's recursion limit (128) for the code \
             that holds it"
        ),
    )
}

/// From a type to a type it holds: the levels of the wrappers between, and the
/// named type at the end, if it is one (else the levels include the leaf's).
struct Step<'t> {
    levels: usize,
    target: Option<&'t str>,
}

/// `ty` inside `outer` levels of wrappers.
fn step(ty: &TypeRef, outer: usize) -> Step<'_> {
    match ty {
        TypeRef::Array(item) => step(item, outer + VEC),
        TypeRef::Named(name) => Step { levels: outer, target: Some(name) },
        TypeRef::String => Step { levels: outer + STRING, target: None },
        TypeRef::Map => Step { levels: outer + JSON_OBJECT, target: None },
        TypeRef::Any => Step { levels: outer + JSON_VALUE, target: None },
        TypeRef::Integer { .. } | TypeRef::Number { .. } | TypeRef::Boolean => Step { levels: outer, target: None },
    }
}

/// `Option`s around a field (`Field::options`). A `readOnly` field may become
/// optional once it is known to be sent, so a required one counts one more.
fn field_options(field: &Field) -> usize {
    let read_only = usize::from(field.required && field.read_only);
    (field.options() + read_only) * OPTION
}

/// A map's steps: to its values inside `outer` levels, and to its keys.
fn map_steps(item: &TypeRef, outer: usize) -> [Step<'_>; 2] {
    [step(item, outer + MAP), Step { levels: outer + MAP + STRING, target: None }]
}

/// What each type holds, as steps, its own level included.
fn steps(def: &TypeDef) -> Vec<Step<'_>> {
    let nullable = |nullable: bool| if nullable { OPTION } else { 0 };
    let boxed = |boxed: bool| if boxed { BOX } else { 0 };
    let mut steps: Vec<Step<'_>> = match &def.kind {
        TypeKind::Struct(shape) => {
            let fields = shape.fields.iter().map(|field| step(&field.ty, field_options(field) + boxed(field.boxed)));
            // The other properties: a `BTreeMap` of (maybe null) values.
            let rest = shape.rest.iter().flat_map(|rest| map_steps(&rest.item, nullable(rest.nullable)));
            fields.chain(rest).collect()
        }
        // The catch-all keeps an unknown value's text.
        TypeKind::Enum(_) => vec![step(&TypeRef::String, 0)],
        TypeKind::Tagged(union) => {
            let variants = union.variants.iter().map(|variant| step(&variant.ty, boxed(variant.boxed)));
            // The catch-all holds the object as it came.
            variants.chain([step(&TypeRef::Map, 0)]).collect()
        }
        TypeKind::Untagged(union) => {
            union.variants.iter().map(|variant| step(&variant.ty, boxed(variant.boxed))).collect()
        }
        TypeKind::Alias(alias) => {
            return match alias.container {
                Container::Map => map_steps(&alias.item, nullable(alias.nullable)).into(),
                Container::List => vec![step(&alias.item, VEC + nullable(alias.nullable))],
            };
        }
    };
    if steps.is_empty() {
        steps.push(Step { levels: 0, target: None });
    }
    for step in &mut steps {
        step.levels += NAMED;
    }
    steps
}

/// The named types reachable from some roots, with what each holds.
struct Graph<'t> {
    names: Vec<&'t str>,
    steps: Vec<Vec<Step<'t>>>,
    /// For each type, the indices of the types its steps end at.
    targets: Vec<Vec<Option<usize>>>,
}

impl<'t> Graph<'t> {
    fn reachable(types: &'t BTreeMap<String, TypeDef>, roots: &[&'t TypeRef]) -> Graph<'t> {
        let mut index: BTreeMap<&str, usize> = BTreeMap::new();
        let mut graph = Graph { names: Vec::new(), steps: Vec::new(), targets: Vec::new() };
        let mut pending: Vec<&str> = roots.iter().filter_map(|root| root.named()).collect();
        while let Some(name) = pending.pop() {
            let Some((name, def)) = types.get_key_value(name) else { continue };
            if index.contains_key(name.as_str()) {
                continue;
            }
            index.insert(name, graph.names.len());
            let steps = steps(def);
            pending.extend(steps.iter().filter_map(|step| step.target));
            graph.names.push(name);
            graph.steps.push(steps);
        }
        graph.targets = graph
            .steps
            .iter()
            .map(|steps| steps.iter().map(|step| step.target.and_then(|name| index.get(name).copied())).collect())
            .collect();
        graph
    }

    fn index(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|known| *known == name)
    }

    /// The levels each type nests. A cycle's types hold each other through a
    /// pointer (a `Box` the generator adds, or a `Vec` or map), so rustc
    /// meets each of them once: a cycle counts, for each of its types, its
    /// deepest step to another (and a `Box`'s levels more), then the deepest
    /// way out.
    fn levels(&self) -> Vec<usize> {
        let (component, order) = self.components();
        let mut component_levels = vec![0; order.len()];
        // Components come out of `components` after every one they reach.
        for (id, members) in order.iter().enumerate() {
            let mut within = 0;
            let mut out = 0;
            for &node in members {
                let mut deepest_within = None;
                for (step, target) in self.steps[node].iter().zip(&self.targets[node]) {
                    match target {
                        Some(target) if component[*target] == id => {
                            deepest_within = deepest_within.max(Some(step.levels + BOX));
                        }
                        Some(target) => out = out.max(step.levels + component_levels[component[*target]]),
                        None => out = out.max(step.levels),
                    }
                }
                within += deepest_within.unwrap_or(0);
            }
            component_levels[id] = within + out;
        }
        component.iter().map(|id| component_levels[*id]).collect()
    }

    /// The strongly connected components (Tarjan's algorithm, without
    /// recursion: a chain of types can be long): the component of each type,
    /// and the components' members, each listed after every one it reaches.
    fn components(&self) -> (Vec<usize>, Vec<Vec<usize>>) {
        let mut search = Search::new(self.names.len());
        for start in 0..self.names.len() {
            if search.index[start].is_some() {
                continue;
            }
            // Each frame: a type and how many of its steps were followed.
            let mut frames: Vec<(usize, usize)> = vec![(start, 0)];
            search.enter(start);
            while let Some((node, followed)) = frames.last().copied() {
                if let Some(target) = self.targets[node].get(followed) {
                    frames.last_mut().expect("a frame").1 += 1;
                    let Some(target) = *target else { continue };
                    match search.index[target] {
                        None => {
                            search.enter(target);
                            frames.push((target, 0));
                        }
                        Some(seen) if search.on_stack[target] => search.low[node] = search.low[node].min(seen),
                        Some(_) => {}
                    }
                    continue;
                }
                frames.pop();
                if let Some((parent, _)) = frames.last() {
                    search.low[*parent] = search.low[*parent].min(search.low[node]);
                }
                search.leave(node);
            }
        }
        (search.component, search.order)
    }
}

/// The state of Tarjan's search.
struct Search {
    /// The order each type was entered in.
    index: Vec<Option<usize>>,
    /// The lowest index reachable from each type through the types on `stack`.
    low: Vec<usize>,
    on_stack: Vec<bool>,
    stack: Vec<usize>,
    entered: usize,
    component: Vec<usize>,
    order: Vec<Vec<usize>>,
}

impl Search {
    fn new(count: usize) -> Search {
        Search {
            index: vec![None; count],
            low: vec![0; count],
            on_stack: vec![false; count],
            stack: Vec::new(),
            entered: 0,
            component: vec![usize::MAX; count],
            order: Vec::new(),
        }
    }

    fn enter(&mut self, node: usize) {
        self.index[node] = Some(self.entered);
        self.low[node] = self.entered;
        self.entered += 1;
        self.stack.push(node);
        self.on_stack[node] = true;
    }

    /// After every step of `node` is followed: if it is the first type of its
    /// component entered, the component is complete.
    fn leave(&mut self, node: usize) {
        if Some(self.low[node]) != self.index[node] {
            return;
        }
        let mut members = Vec::new();
        while let Some(member) = self.stack.pop() {
            self.on_stack[member] = false;
            self.component[member] = self.order.len();
            members.push(member);
            if member == node {
                break;
            }
        }
        self.order.push(members);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Alias, Bounds, Struct};

    fn field(name: &str, ty: TypeRef, required: bool) -> Field {
        Field {
            wire_name: name.into(),
            rust_name: name.into(),
            ty,
            required,
            nullable: false,
            boxed: false,
            description: None,
            default: None,
            bounds: Bounds::default(),
            deprecated: false,
            read_only: false,
        }
    }

    fn def(name: &str, kind: TypeKind) -> (String, TypeDef) {
        (name.into(), TypeDef { name: name.into(), description: None, origin: format!("#/{name}"), kind })
    }

    fn structure(name: &str, fields: Vec<Field>) -> (String, TypeDef) {
        def(name, TypeKind::Struct(Struct { fields, all_optional: false, constructor: false, rest: None }))
    }

    fn named(name: &str) -> TypeRef {
        TypeRef::Named(name.into())
    }

    fn levels_of(types: &BTreeMap<String, TypeDef>, root: &str) -> BTreeMap<String, usize> {
        let root = named(root);
        let graph = Graph::reachable(types, &[&root]);
        graph.names.iter().map(|name| name.to_string()).zip(graph.levels()).collect()
    }

    #[test]
    fn wrappers_count_as_rustc_counts_them() {
        let map = |item: TypeRef, nullable| TypeKind::Alias(Alias { container: Container::Map, item, nullable });
        let types: BTreeMap<String, TypeDef> = [
            // The struct, then `Option<Vec<Vec<String>>>`: 1 + 1 + 3 + 3 + 6.
            structure(
                "Lists",
                vec![field("x", TypeRef::Array(Box::new(TypeRef::Array(Box::new(TypeRef::String)))), false)],
            ),
            // A required field adds nothing but the struct's own level; a map
            // three to its values (nine to its keys), a nullable value one.
            structure("Outer", vec![field("lists", named("Lists"), true), field("maps", named("Maps"), true)]),
            def("Maps", map(named("Values"), true)),
            def("Values", map(TypeRef::Any, false)),
        ]
        .into_iter()
        .collect();
        let levels = levels_of(&types, "Outer");
        assert_eq!(levels["Lists"], 14);
        // An alias is no type of its own: `BTreeMap<String, Value>`.
        assert_eq!(levels["Values"], 3 + 7);
        assert_eq!(levels["Maps"], 3 + 1 + 10);
        assert_eq!(levels["Outer"], 1 + 14);
    }

    #[test]
    fn a_cycle_counts_each_of_its_types_once() {
        // A → B → C → A, each an optional field (boxed once lowered), C also
        // holding a list of strings.
        let types: BTreeMap<String, TypeDef> = [
            structure("A", vec![field("b", named("B"), false)]),
            structure("B", vec![field("c", named("C"), false)]),
            structure(
                "C",
                vec![field("a", named("A"), false), field("tags", TypeRef::Array(Box::new(TypeRef::String)), true)],
            ),
            structure("Root", vec![field("a", named("A"), true)]),
        ]
        .into_iter()
        .collect();
        let levels = levels_of(&types, "Root");
        // Three steps of a struct and `Option<Box<_>>`, then `Vec<String>`
        // from `C`.
        assert_eq!(levels["A"], 3 * (1 + 1 + 2) + (1 + 3 + 6));
        assert_eq!(levels["A"], levels["C"], "one cycle, one count");
        assert_eq!(levels["Root"], 1 + levels["A"]);
    }

    #[test]
    fn a_long_chain_of_types_is_counted_without_recursion() {
        // 100,000 structs each holding the next: more than a test thread's stack
        // would take as recursion.
        let mut types: BTreeMap<String, TypeDef> = (0..100_000)
            .map(|index| structure(&format!("S{index}"), vec![field("next", named(&format!("S{}", index + 1)), false)]))
            .collect();
        types.extend([structure("S100000", vec![])]);
        let root = named("S0");
        let error = check(&types, [&root].into_iter(), "#/op").expect_err("too deep");
        // `S{i}` nests 2 × (100,000 - i) + 1: a struct and an `Option` a link.
        assert_eq!(error.pointer.as_deref(), Some("#/S99952"), "{error}");
        assert!(error.message.contains("`S99952` nests 97 levels"), "{error}");
    }
}
