//! The nesting check of a request body, made by generated methods before any
//! I/O: the body's JSON may nest at most [`NESTING`] levels.
//!
//! Serialising (and cloning, and dropping) a value is recursive, so a body
//! nested deeply enough overflows the stack of the thread sending it, which
//! aborts the whole process. The check counts levels as the JSON has them:
//! each struct, list and map is one (it is an object or array), and so is each
//! array or object of free-form JSON below it; a union adds none (it is its
//! variant), `Option` and `Box` add none. The same limit therefore bounds the
//! typed levels, which only a recursive type can have many of, and the
//! recursion of the check itself. Unions that hold unions in a loop (`A: oneOf
//! [B, string]`, `B: oneOf [A, integer]`) nest without any level in between:
//! at most [`NESTING`] of them in a row are allowed.
//!
//! Free-form JSON is walked without recursion. Where it is too deep, the check
//! takes the part below the limit out (leaving `null`, or an empty map for a
//! `serde_json::Map`) and tears it down with an explicit stack, so that what
//! the caller's call drops afterwards is shallow. Typed values are not torn
//! down: their types have no empty value to leave behind. Nor is free-form
//! JSON below a typed level past the limit, which the check does not enter
//! (that would make its recursion unbounded).

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::limits::NESTING;
use crate::Error;

/// How a value counts toward the nesting limit.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A JSON object or array of its own (a struct, list or map): one level.
    Level,
    /// A union: as deep as its variant, limited in a row (see the module docs).
    Union,
    /// `Option`, `Box` or free-form JSON: no level of its own, or (free-form
    /// JSON) its own count.
    Transparent,
}

/// A value a request body can hold that can reach free-form JSON or itself.
/// Generated crates implement it for such structs and unions; it is
/// implemented here for free-form JSON and the containers generated types use.
/// Hidden, so that the generated types' docs do not list it.
#[doc(hidden)]
pub trait Nested {
    /// How the value counts.
    const KIND: Kind = Kind::Level;

    /// Checks what the value holds (fields, variant, items), its own level
    /// already entered.
    fn check_inside(&mut self, depth: &mut Depth);
}

/// Where a check stands in a body, and the first refusal.
#[doc(hidden)]
#[derive(Debug)]
pub struct Depth {
    operation: &'static str,
    /// The innermost field entered, which a refusal names.
    argument: &'static str,
    /// JSON levels entered.
    level: usize,
    /// Unions entered since the last level.
    unions: usize,
    refusal: Option<Error>,
}

/// Refuses `value`, the argument `argument` of `operation`, if its JSON would
/// nest deeper than [`NESTING`] levels. A refused value has its too-deep
/// free-form parts taken out and torn down (see the module docs); the check
/// goes on after the first refusal so that none is left.
pub fn nesting<T: Nested + ?Sized>(
    operation: &'static str,
    argument: &'static str,
    value: &mut T,
) -> Result<(), Error> {
    let mut depth = Depth { operation, argument, level: 0, unions: 0, refusal: None };
    depth.visit(value);
    depth.refusal.map_or(Ok(()), Err)
}

impl Depth {
    /// Checks `value`, held at the current level.
    pub fn visit<T: Nested + ?Sized>(&mut self, value: &mut T) {
        match T::KIND {
            Kind::Level => {
                if self.level == NESTING {
                    return self.refuse();
                }
                let unions = std::mem::take(&mut self.unions);
                self.level += 1;
                value.check_inside(self);
                self.level -= 1;
                self.unions = unions;
            }
            Kind::Union => {
                if self.unions == NESTING {
                    return self.refuse();
                }
                self.unions += 1;
                value.check_inside(self);
                self.unions -= 1;
            }
            Kind::Transparent => value.check_inside(self),
        }
    }

    /// Checks the field `name` of a struct: a refusal below it names it.
    pub fn field<T: Nested + ?Sized>(&mut self, name: &'static str, value: &mut T) {
        let outer = std::mem::replace(&mut self.argument, name);
        self.visit(value);
        self.argument = outer;
    }

    /// Checks each of `values`, held at the current level (the properties a
    /// struct keeps in a flattened map are its own).
    pub fn each<'v, T: Nested + 'v>(&mut self, values: impl IntoIterator<Item = &'v mut T>) {
        for value in values {
            self.visit(value);
        }
    }

    fn refuse(&mut self) {
        if self.refusal.is_none() {
            self.refusal = Some(Error::InvalidArgument {
                operation: self.operation,
                argument: self.argument,
                reason: format!("nests deeper than {NESTING} levels"),
            });
        }
    }

    /// Walks free-form values, each an array or object at `level` (or a
    /// scalar), with a stack instead of recursion; takes out and tears down
    /// each container past the limit.
    fn free_form(&mut self, mut pending: Vec<(&mut Value, usize)>) {
        while let Some((value, level)) = pending.pop() {
            if !matches!(value, Value::Array(_) | Value::Object(_)) {
                continue;
            }
            if level > NESTING {
                self.refuse();
                tear_down(std::mem::take(value));
                continue;
            }
            match value {
                Value::Array(items) => pending.extend(items.iter_mut().map(|item| (item, level + 1))),
                Value::Object(object) => pending.extend(object.values_mut().map(|item| (item, level + 1))),
                _ => {}
            }
        }
    }
}

/// Drops `value` without recursion: each array or object is emptied onto a
/// stack before it is dropped.
fn tear_down(value: Value) {
    let mut pending = vec![value];
    while let Some(value) = pending.pop() {
        match value {
            Value::Array(items) => pending.extend(items),
            Value::Object(object) => pending.extend(object.into_iter().map(|(_, item)| item)),
            _ => {}
        }
    }
}

impl Nested for Value {
    const KIND: Kind = Kind::Transparent;

    fn check_inside(&mut self, depth: &mut Depth) {
        let level = depth.level + 1;
        depth.free_form(vec![(self, level)]);
    }
}

impl Nested for Map<String, Value> {
    const KIND: Kind = Kind::Transparent;

    fn check_inside(&mut self, depth: &mut Depth) {
        // The map is an object one level down; its values one more.
        let level = depth.level + 1;
        if level > NESTING {
            depth.refuse();
            tear_down(Value::Object(std::mem::take(self)));
            return;
        }
        depth.free_form(self.values_mut().map(|value| (value, level + 1)).collect());
    }
}

impl<T: Nested> Nested for Vec<T> {
    fn check_inside(&mut self, depth: &mut Depth) {
        depth.each(self.iter_mut());
    }
}

impl<T: Nested> Nested for BTreeMap<String, T> {
    fn check_inside(&mut self, depth: &mut Depth) {
        depth.each(self.values_mut());
    }
}

impl<T: Nested> Nested for Option<T> {
    const KIND: Kind = Kind::Transparent;

    fn check_inside(&mut self, depth: &mut Depth) {
        if let Some(value) = self {
            depth.visit(value);
        }
    }
}

impl<T: Nested + ?Sized> Nested for Box<T> {
    const KIND: Kind = Kind::Transparent;

    fn check_inside(&mut self, depth: &mut Depth) {
        depth.visit(&mut **self);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `levels` arrays, one inside the other, around `1`, built without recursion.
    fn nested(levels: usize) -> Value {
        let mut value = Value::from(1);
        for _ in 0..levels {
            value = Value::Array(vec![value]);
        }
        value
    }

    /// How deeply `value` nests, counted without recursion.
    fn levels(value: &Value) -> usize {
        let mut deepest = 0;
        let mut pending = vec![(value, 0)];
        while let Some((value, level)) = pending.pop() {
            let children: Vec<&Value> = match value {
                Value::Array(items) => items.iter().collect(),
                Value::Object(object) => object.values().collect(),
                _ => continue,
            };
            deepest = deepest.max(level + 1);
            pending.extend(children.into_iter().map(|child| (child, level + 1)));
        }
        deepest
    }

    fn reason(result: Result<(), Error>) -> String {
        match result {
            Err(Error::InvalidArgument { operation, argument, reason }) => {
                format!("{operation} `{argument}`: {reason}")
            }
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn free_form_values_may_nest_up_to_the_limit() {
        assert!(nesting("Op", "meta", &mut nested(NESTING)).is_ok());
        let mut deep = nested(NESTING + 1);
        assert_eq!(reason(nesting("Op", "meta", &mut deep)), "Op `meta`: nests deeper than 128 levels");
        // A map is an object itself: its values may nest one level less.
        let mut map = Map::new();
        map.insert("k".into(), nested(NESTING - 1));
        assert!(nesting("Op", "meta", &mut map).is_ok());
        map.insert("k".into(), nested(NESTING));
        assert!(nesting("Op", "meta", &mut map).is_err());
    }

    /// A struct `{ metadata: Option<Map>, next: Option<Box<Node>> }`, written
    /// as generated code writes it.
    #[derive(Default)]
    struct Node {
        metadata: Option<Map<String, Value>>,
        next: Option<Box<Node>>,
    }

    impl Nested for Node {
        fn check_inside(&mut self, depth: &mut Depth) {
            depth.field("metadata", &mut self.metadata);
            depth.field("next", &mut self.next);
        }
    }

    fn chain(nodes: usize, metadata: Map<String, Value>) -> Node {
        let mut node = Node { metadata: Some(metadata), next: None };
        for _ in 1..nodes {
            node = Node { metadata: None, next: Some(Box::new(node)) };
        }
        node
    }

    #[test]
    fn typed_levels_count_with_the_free_form_ones_below_them() {
        // 64 nodes, then a map (one level) holding 63 more: 128 in all.
        let mut map = Map::new();
        map.insert("k".into(), nested(63));
        assert!(nesting("Op", "body", &mut chain(64, map.clone())).is_ok());
        map.insert("k".into(), nested(64));
        assert_eq!(reason(nesting("Op", "body", &mut chain(64, map))), "Op `metadata`: nests deeper than 128 levels");
        // Nodes alone: a list in a list, the body of each, all count.
        assert!(nesting("Op", "body", &mut chain(NESTING, Map::new())).is_err(), "the map is level 129");
        assert!(nesting("Op", "body", &mut chain(NESTING - 1, Map::new())).is_ok());
        assert_eq!(
            reason(nesting("Op", "body", &mut chain(NESTING + 1, Map::new()))),
            "Op `next`: nests deeper than 128 levels"
        );
        // Lists and maps of typed values are levels too: two, then the nodes
        // and their map.
        let mut lists = vec![vec![chain(NESTING - 3, Map::new())]];
        assert!(nesting("Op", "body", &mut lists).is_ok());
        let mut lists = vec![vec![chain(NESTING - 2, Map::new())]];
        assert!(nesting("Op", "body", &mut lists).is_err());
        let mut maps = BTreeMap::from([("a".to_owned(), vec![chain(NESTING - 3, Map::new())])]);
        assert!(nesting("Op", "body", &mut maps).is_ok());
        let mut maps = BTreeMap::from([("a".to_owned(), vec![chain(NESTING - 2, Map::new())])]);
        assert!(nesting("Op", "body", &mut maps).is_err());
    }

    /// An untagged union holding itself with no level in between, as
    /// `A: oneOf [A, string]` would be generated.
    enum Loop {
        Again(Box<Loop>),
        Done(Value),
    }

    impl Nested for Loop {
        const KIND: Kind = Kind::Union;

        fn check_inside(&mut self, depth: &mut Depth) {
            match self {
                Loop::Again(value) => depth.visit(value),
                Loop::Done(value) => depth.visit(value),
            }
        }
    }

    fn loops(times: usize) -> Loop {
        let mut value = Loop::Done(nested(NESTING));
        for _ in 0..times {
            value = Loop::Again(Box::new(value));
        }
        value
    }

    #[test]
    fn unions_add_no_level_but_may_not_loop_without_end() {
        // 128 unions in a row, then a value 128 deep: the JSON nests 128 levels.
        assert!(nesting("Op", "body", &mut loops(NESTING - 1)).is_ok());
        assert!(nesting("Op", "body", &mut loops(NESTING)).is_err());
    }

    #[test]
    fn a_value_far_too_deep_is_torn_down_and_what_is_left_is_shallow() {
        // Deep enough that a recursive walk, serde_json's serialiser or its
        // drop would overflow a test thread's 2 MiB stack.
        let mut deep = nested(100_000);
        assert!(nesting("Op", "meta", &mut deep).is_err());
        assert_eq!(levels(&deep), NESTING, "the part past the limit is gone");
        let mut innermost = &deep;
        while let Value::Array(items) = innermost {
            innermost = &items[0];
        }
        assert_eq!(*innermost, Value::Null, "left in its place");

        let mut map = Map::new();
        map.insert("deep".into(), nested(100_000));
        map.insert("kept".into(), Value::from("as it was"));
        assert!(nesting("Op", "meta", &mut map).is_err());
        assert_eq!(map["kept"], "as it was");
        assert_eq!(levels(&map["deep"]), NESTING - 1);
    }

    #[test]
    fn every_too_deep_value_is_torn_down_not_only_the_first() {
        let mut node = Node { metadata: None, next: None };
        let mut metadata = Map::new();
        metadata.insert("a".into(), nested(100_000));
        metadata.insert("b".into(), nested(100_000));
        node.metadata = Some(metadata);
        let mut body = vec![Value::Array(vec![nested(100_000)]), nested(3)];
        assert!(nesting("Op", "body", &mut node).is_err());
        assert!(nesting("Op", "body", &mut body).is_err());
        let metadata = node.metadata.as_ref().expect("kept");
        assert!(levels(&metadata["a"]) < NESTING && levels(&metadata["b"]) < NESTING);
        assert_eq!(levels(&body[1]), 3, "a shallow value is left as it is");
        // Dropping `node` and `body` here would abort if they were still deep.
    }

    #[test]
    fn a_map_past_the_limit_is_emptied() {
        let mut inner = Map::new();
        inner.insert("a".into(), nested(100_000));
        let mut node = chain(NESTING, inner);
        assert!(nesting("Op", "body", &mut node).is_err());
        let mut last = &node;
        while let Some(next) = &last.next {
            last = next;
        }
        assert_eq!(last.metadata, Some(Map::new()));
    }
}
