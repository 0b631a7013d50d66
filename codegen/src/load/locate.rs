//! Finding the place where a document stops fitting OpenAPI.
//!
//! `serde_path_to_error` follows `openapiv3`'s types only down to the first
//! untagged enum (`ReferenceOr<T>`), internally tagged enum (`Parameter`, by `in`)
//! or `#[serde(flatten)]` field (`Paths`, `Schema`): below that, serde buffers the
//! input and the path is lost, so a wrong type anywhere in an operation was
//! reported at `#/paths`. This module narrows the failure down by experiment,
//! changing a working copy of the tree and reading it again, from the deepest node
//! `serde_path_to_error` could name:
//!
//! - A *fix* for the current node is a change there (emptying or removing it) that
//!   makes the document load. With it, everything beside the path to the node is
//!   dropped where the fixed document still loads without it: other paths, other
//!   components, and any failures there. Later experiments are then cheap.
//! - A container that loads when empty (a map of paths, schemas or properties, a
//!   list of parameters) is cut down to the first child that fails alone, and the
//!   search goes on in that child.
//! - Otherwise the search goes on in the first child whose emptying or removal
//!   makes the document load; a child whose replacement by a value of another type
//!   does is the place (it has the wrong type).
//! - If no single change loads the document, it fails in several places: the
//!   field whose removal changes the failure holds the one serde reports.
//! - If nothing can be blamed, the node itself is the place (a missing field), or
//!   its child holding the value serde names (`unknown variant `body``).
//!
//! The place is then described: a value of the wrong type by what was found and
//! what would fit (`must be a string, found the number 5`), anything else by
//! serde's own message. The work is bounded ([`WORK_LIMIT`]); when it runs out, the
//! deepest place found so far is reported.

use serde::Deserialize;
use serde_yaml::{Mapping, Value};

/// How many values all the experiments of one search may read together: about
/// fifty times Clerk's full 20,000-line document, where a search takes a handful.
const WORK_LIMIT: usize = 1_000_000;

/// Where the document stops fitting, and why.
#[derive(Debug)]
pub(super) struct Place {
    pub pointer: String,
    pub message: String,
}

/// What is being located: a whole document or one schema in it.
#[derive(Debug, Clone, Copy)]
pub(super) enum Target {
    /// An OpenAPI document, read as `openapiv3::OpenAPI`.
    Document,
    /// A schema, read as `openapiv3::ReferenceOr<Schema>`.
    Schema,
}

impl Target {
    /// Reads `value` as the target type, keeping only the error message.
    pub(super) fn check(self, value: &Value) -> Result<(), String> {
        let outcome = match self {
            Target::Document => openapiv3::OpenAPI::deserialize(value).map(drop),
            Target::Schema => openapiv3::ReferenceOr::<openapiv3::Schema>::deserialize(value).map(drop),
        };
        outcome.map_err(|error| error.to_string())
    }

    fn name(self) -> &'static str {
        match self {
            Target::Document => "the document",
            Target::Schema => "the schema",
        }
    }
}

/// Narrows the failure `message` of `value`, read as `target`, down, starting
/// below `start` (the reference tokens `serde_path_to_error` reported,
/// unescaped). The pointer of the place is relative to `value`.
pub(super) fn locate(value: Value, target: Target, start: &[String], message: String) -> Place {
    let mut search = Search::new(value, target, message);
    for token in start {
        let step = match search.node(&search.path) {
            Some(Value::Mapping(mapping)) if mapping.contains_key(token.as_str()) => Step::Key(token.clone()),
            Some(Value::Sequence(items)) => match token.parse::<usize>() {
                Ok(index) if index < items.len() => Step::Index(index),
                _ => break,
            },
            _ => break,
        };
        search.enter(step, token.clone());
    }
    search.run();
    search.describe()
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
}

/// A change at one node that makes the document load: known while the search
/// stands on that node, it tells harmless removals elsewhere from harmful ones.
#[derive(Debug, Clone)]
enum Fix {
    Empty(Vec<Step>),
    Remove(Vec<Step>),
}

/// What to do with one child, found by experiment.
enum Verdict {
    /// The failure is inside this child; with the fix, if there is one, the
    /// document loads (there is none when the document has more failures).
    Descend(usize, Option<Fix>),
    /// This child has the wrong type.
    Blame(usize),
}

struct Search {
    /// The working copy, shrunk as the search goes.
    document: Value,
    target: Target,
    /// The path to the current node in `document`.
    path: Vec<Step>,
    /// The same path as pointer tokens of the original document (an array kept
    /// down to one item still names that item's original index).
    tokens: Vec<String>,
    /// The error of `document`.
    message: String,
    /// Values the remaining experiments may deserialize in all.
    work_left: usize,
}

type Outcome = Option<Result<(), String>>;

impl Search {
    fn new(document: Value, target: Target, message: String) -> Self {
        Search { document, target, path: Vec::new(), tokens: Vec::new(), message, work_left: WORK_LIMIT }
    }

    fn node(&self, path: &[Step]) -> Option<&Value> {
        path.iter().try_fold(&self.document, |node, step| match (node, step) {
            (Value::Mapping(mapping), Step::Key(key)) => mapping.get(key.as_str()),
            (Value::Sequence(items), Step::Index(index)) => items.get(*index),
            _ => None,
        })
    }

    fn node_mut(&mut self, path: &[Step]) -> Option<&mut Value> {
        path.iter().try_fold(&mut self.document, |node, step| match (node, step) {
            (Value::Mapping(mapping), Step::Key(key)) => mapping.get_mut(key.as_str()),
            (Value::Sequence(items), Step::Index(index)) => items.get_mut(*index),
            _ => None,
        })
    }

    fn enter(&mut self, step: Step, token: String) {
        self.path.push(step);
        self.tokens.push(token);
    }

    /// The path, step and pointer token of child `index` of the current node.
    fn child(&self, index: usize) -> Option<(Vec<Step>, Step, String)> {
        let (step, token) = match self.node(&self.path)? {
            Value::Mapping(mapping) => {
                let key = mapping.keys().nth(index)?.as_str()?.to_owned();
                (Step::Key(key.clone()), key)
            }
            Value::Sequence(items) if index < items.len() => (Step::Index(index), index.to_string()),
            _ => return None,
        };
        let mut path = self.path.clone();
        path.push(step.clone());
        Some((path, step, token))
    }

    /// One experiment: does the working copy load as it stands? `None` once the
    /// work limit is reached. Counting the values first costs far less than
    /// deserializing them.
    fn attempt(&mut self) -> Outcome {
        self.work_left = self.work_left.checked_sub(count(&self.document))?;
        Some(self.target.check(&self.document))
    }

    /// Runs `inner` with the node at `path` replaced by `candidate`, then puts the
    /// node back.
    fn with_replaced(&mut self, path: &[Step], candidate: Value, inner: impl FnOnce(&mut Self) -> Outcome) -> Outcome {
        let original = std::mem::replace(self.node_mut(path)?, candidate);
        let outcome = inner(self);
        if let Some(node) = self.node_mut(path) {
            *node = original;
        }
        outcome
    }

    /// Runs `inner` with only the children of the container at `path` for which
    /// `keep(index)` holds, then puts the others back in their places.
    fn with_kept(
        &mut self,
        path: &[Step],
        keep: impl Fn(usize) -> bool,
        inner: impl FnOnce(&mut Self) -> Outcome,
    ) -> Outcome {
        let (kept, aside) = split(std::mem::take(self.node_mut(path)?), &keep);
        let is_map = kept.is_map;
        *self.node_mut(path)? = kept.into_value();
        let outcome = inner(self);
        let node = self.node_mut(path)?;
        let kept = Children::from_value(std::mem::take(node), is_map);
        *node = merge(kept, aside, &keep).into_value();
        outcome
    }

    /// Runs `inner` with `fix` applied.
    fn with_fix(&mut self, fix: &Fix, inner: impl FnOnce(&mut Self) -> Outcome) -> Outcome {
        match fix {
            Fix::Empty(path) => {
                let emptied = empty_like(self.node(path)?)?;
                self.with_replaced(path, emptied, inner)
            }
            Fix::Remove(path) => {
                let (last, parent) = path.split_last()?;
                let index = match (self.node(parent)?, last) {
                    (Value::Mapping(mapping), Step::Key(key)) => {
                        mapping.keys().position(|other| other.as_str() == Some(key.as_str()))?
                    }
                    (Value::Sequence(_), Step::Index(index)) => *index,
                    _ => return None,
                };
                self.with_kept(parent, |other| other != index, inner)
            }
        }
    }

    /// Drops, for good, the children of the container at `path` for which
    /// `keep(index)` does not hold.
    fn keep(&mut self, path: &[Step], keep: impl Fn(usize) -> bool) {
        if let Some(node) = self.node_mut(path) {
            let (kept, _) = split(std::mem::take(node), &keep);
            *node = kept.into_value();
        }
    }

    /// A change at the current node itself, emptying it or removing it, that
    /// makes the document load (`true`), or at least makes this failure give way
    /// to another one elsewhere (`false`: the document fails in more places).
    fn fix_here(&mut self) -> Option<(Fix, bool)> {
        let node = self.node(&self.path)?;
        let fixes = [
            empty_like(node).filter(|_| children(node) > 0).map(|_| Fix::Empty(self.path.clone())),
            (!self.path.is_empty()).then(|| Fix::Remove(self.path.clone())),
        ];
        let mut weak = None;
        for fix in fixes.into_iter().flatten() {
            match self.with_fix(&fix, Self::attempt)? {
                Ok(()) => return Some((fix, true)),
                Err(message) if weak.is_none() && message != self.message && !message.starts_with("missing field") => {
                    weak = Some((fix, false));
                }
                Err(_) => {}
            }
        }
        weak
    }

    /// Walks down from the current node to the place of the failure.
    fn run(&mut self) {
        let Some((fix, loads)) = self.fix_here() else {
            // `serde_path_to_error` follows the root's fields, so a failure it
            // places at the root is the root's own (a missing field): searching the
            // root's children would cost many experiments on the whole document
            // and find nothing.
            if !self.path.is_empty() {
                self.descend(None);
            }
            return;
        };
        // Shrink the document around the starting node first, so that every later
        // experiment is cheap. This also drops other failures outside it, if the
        // fix left some.
        for depth in 0..self.path.len() {
            if let Step::Key(key) = self.path[depth].clone() {
                let parent = self.path[..depth].to_vec();
                self.prune(&parent, &key, &fix);
            }
        }
        let loads = loads || self.with_fix(&fix, Self::attempt) == Some(Ok(()));
        self.descend(loads.then_some(fix));
    }

    /// Enters child `index`; with a fix that makes the document load, the child's
    /// siblings that do not matter are dropped on the way.
    fn enter_child(&mut self, index: usize, fix: Option<&Fix>) {
        if let Some((_, step, token)) = self.child(index) {
            let parent = self.path.clone();
            self.enter(step.clone(), token);
            if let (Step::Key(key), Some(fix)) = (step, fix) {
                self.prune(&parent, &key, fix);
            }
        }
    }

    /// `fix`: a change at the current node that makes the document load, if known.
    fn descend(&mut self, mut fix: Option<Fix>) {
        loop {
            let Some(node) = self.node(&self.path) else { return };
            if children(node) == 0 {
                return;
            }
            // 1. A container that may be empty: the first child that fails alone.
            let may_be_empty = match &fix {
                Some(Fix::Empty(_)) => true,
                _ => match empty_like(node) {
                    Some(emptied) => {
                        let path = self.path.clone();
                        match self.with_replaced(&path, emptied, Self::attempt) {
                            Some(outcome) => outcome.is_ok(),
                            None => return,
                        }
                    }
                    None => false,
                },
            };
            if may_be_empty {
                match self.first_failing_alone() {
                    Some(true) => {
                        fix = Some(Fix::Remove(self.path.clone()));
                        continue;
                    }
                    Some(false) => {}
                    None => return,
                }
            }
            // 2. The child whose change makes the document load, or (when the
            //    document fails in more than one place) makes this failure go away.
            match self.blame_one_child().or_else(|| self.blame_one_child_of_several()) {
                Some(Verdict::Descend(index, child_fix)) => {
                    self.enter_child(index, child_fix.as_ref());
                    fix = child_fix;
                }
                Some(Verdict::Blame(index)) => {
                    self.enter_child(index, None);
                    return;
                }
                None => {
                    // 3. The container itself, or the child serde names by value.
                    self.follow_named_value();
                    return;
                }
            }
        }
    }

    /// Drops the children of the map at `parent`, except `protected`, that the
    /// document does not need to load once `fix` is applied: all at once if it can,
    /// else one by one, largest first; a child that must stay is emptied if it may.
    fn prune(&mut self, parent: &[Step], protected: &str, fix: &Fix) {
        let Some(Value::Mapping(mapping)) = self.node(parent) else { return };
        let mut others: Vec<(usize, String)> = mapping
            .iter()
            .filter_map(|(key, value)| Some((count(value), key.as_str()?.to_owned())))
            .filter(|(_, key)| key != protected)
            .collect();
        if others.is_empty() {
            return;
        }
        let position = |search: &Search, wanted: &str| match search.node(parent) {
            Some(Value::Mapping(mapping)) => mapping.keys().position(|key| key.as_str() == Some(wanted)),
            _ => None,
        };
        let loads_with_fix = |search: &mut Search| search.with_fix(fix, Self::attempt);
        if others.len() > 1 {
            let kept = position(self, protected);
            match self.with_kept(parent, |index| Some(index) == kept, loads_with_fix) {
                Some(Ok(())) => return self.keep(parent, |index| Some(index) == kept),
                Some(Err(_)) => {}
                None => return,
            }
        }
        others.sort_by_key(|(size, _)| std::cmp::Reverse(*size));
        for (size, key) in others {
            let Some(index) = position(self, &key) else { continue };
            match self.with_kept(parent, |other| other != index, loads_with_fix) {
                Some(Ok(())) => {
                    self.keep(parent, |other| other != index);
                    continue;
                }
                Some(Err(_)) => {}
                None => return,
            }
            let mut child = parent.to_vec();
            child.push(Step::Key(key));
            let Some(emptied) = self.node(&child).and_then(empty_like).filter(|_| size > 1) else { continue };
            match self.with_replaced(&child, emptied.clone(), loads_with_fix) {
                Some(Ok(())) => {
                    if let Some(node) = self.node_mut(&child) {
                        *node = emptied;
                    }
                }
                Some(Err(_)) => {}
                None => return,
            }
        }
    }

    /// For a container that loads when empty: keeps only the first child that
    /// fails alone and enters it (`true`); `false` if no child fails alone; `None`
    /// once the work limit is reached.
    fn first_failing_alone(&mut self) -> Option<bool> {
        let path = self.path.clone();
        let length = self.node(&path).map_or(0, children);
        for index in 0..length {
            if let Err(message) = self.with_kept(&path, |other| other == index, Self::attempt)? {
                let (_, _, token) = self.child(index)?;
                self.keep(&path, |other| other == index);
                let (_, step, _) = self.child(0)?;
                self.message = message;
                self.enter(step, token);
                return Some(true);
            }
        }
        Some(false)
    }

    /// The child whose emptying, removal or replacement makes the document load.
    fn blame_one_child(&mut self) -> Option<Verdict> {
        let path = self.path.clone();
        let length = self.node(&path).map_or(0, children);
        for index in 0..length {
            let (child, _, _) = self.child(index)?;
            let node = self.node(&child)?;
            if children(node) > 0 {
                let fix = Fix::Empty(child.clone());
                if self.with_fix(&fix, Self::attempt)?.is_ok() {
                    return Some(Verdict::Descend(index, Some(fix)));
                }
            }
            let fix = Fix::Remove(child.clone());
            if self.with_fix(&fix, Self::attempt)?.is_ok() {
                return Some(Verdict::Descend(index, Some(fix)));
            }
            let kind = Kind::of(self.node(&child)?);
            for (candidate_kind, candidate) in candidates() {
                if candidate_kind != kind && self.with_replaced(&child, candidate, Self::attempt)?.is_ok() {
                    return Some(Verdict::Blame(index));
                }
            }
        }
        None
    }

    /// When no single change makes the document load, it fails in more than one
    /// place: the field whose removal turns the failure into another one holds the
    /// failure serde reports. Removal is the only change tried here: unlike a
    /// replacement, it cannot bring a failure of its own before the one we are
    /// after, only a missing field (reported last), which does not count. Array
    /// items are left alone: an array that may be empty was searched item by item
    /// already, and removing an item from one that may not changes its meaning.
    fn blame_one_child_of_several(&mut self) -> Option<Verdict> {
        if let Err(message) = self.attempt()? {
            self.message = message;
        }
        let path = self.path.clone();
        let length = match self.node(&path)? {
            Value::Mapping(mapping) => mapping.len(),
            _ => return None,
        };
        for index in 0..length {
            let (child, _, _) = self.child(index)?;
            match self.with_fix(&Fix::Remove(child), Self::attempt)? {
                Err(message) if message != self.message && !message.starts_with("missing field") => {
                    return Some(Verdict::Descend(index, None));
                }
                _ => {}
            }
        }
        None
    }

    /// serde names the value it could not take (``unknown variant `body` ``,
    /// ``invalid type: integer `5` ``); if exactly one child of the current node
    /// holds that value, that child is the place.
    fn follow_named_value(&mut self) {
        if let Some(Err(message)) = self.attempt() {
            self.message = message;
        }
        let names = |value: &Value| {
            let variant = value.as_str().map(|text| format!("unknown variant `{text}`"));
            let unexpected = unexpected(value).map(|shown| format!("invalid type: {shown},"));
            variant.into_iter().chain(unexpected).any(|named| self.message.contains(&named))
        };
        let holders: Vec<usize> = match self.node(&self.path) {
            // Only a field: an item of an array may be named as its first field
            // (serde reads a struct from an array too).
            Some(Value::Mapping(mapping)) => {
                mapping.values().enumerate().filter(|(_, value)| names(value)).map(|(index, _)| index).collect()
            }
            _ => Vec::new(),
        };
        if let [index] = holders[..] {
            if let Some((_, step, token)) = self.child(index) {
                self.enter(step, token);
            }
        }
    }

    /// The message for the current node: what would fit, if another type would;
    /// serde's own message otherwise.
    fn describe(mut self) -> Place {
        if let Some(Err(message)) = self.attempt() {
            self.message = message;
        }
        let path = self.path.clone();
        if let Some(node) = self.node(&path) {
            if let Value::String(text) = node {
                if self.message.contains(&format!("unknown variant `{text}`")) {
                    // serde lists the variants there are.
                    return self.place();
                }
            }
            let (kind, found) = (Kind::of(node), found(node));
            let mut fits = Vec::new();
            for (candidate_kind, candidate) in candidates() {
                if candidate_kind != kind && self.with_replaced(&path, candidate, Self::attempt) == Some(Ok(())) {
                    fits.push(candidate_kind);
                }
            }
            if fits.contains(&Kind::Integer) && fits.contains(&Kind::Number) {
                fits.retain(|kind| *kind != Kind::Integer);
            }
            let names: Vec<&str> = fits.iter().map(|kind| kind.name()).collect();
            let expected = match names.split_last() {
                Some((last, [])) => Some((*last).to_owned()),
                Some((last, rest)) => Some(format!("{} or {last}", rest.join(", "))),
                None => None,
            };
            if let Some(expected) = expected {
                let subject = match (self.path.last(), self.tokens.last()) {
                    (Some(Step::Key(key)), _) => format!("`{key}`"),
                    (Some(Step::Index(_)), Some(token)) => format!("item {token}"),
                    _ => self.target.name().to_owned(),
                };
                self.message = format!("{subject} must be {expected}, found {found}");
            }
        }
        self.place()
    }

    fn place(self) -> Place {
        let pointer =
            self.tokens.iter().fold(String::from("#"), |pointer, token| crate::error::pointer(&pointer, token));
        Place { pointer, message: self.message }
    }
}

/// The children of a container, taken out of it.
struct Children {
    is_map: bool,
    entries: Vec<(Value, Value)>,
}

impl Children {
    fn from_value(value: Value, is_map: bool) -> Self {
        let entries = match value {
            Value::Mapping(mapping) => mapping.into_iter().collect(),
            Value::Sequence(items) => items.into_iter().map(|item| (Value::Null, item)).collect(),
            _ => Vec::new(),
        };
        Children { is_map, entries }
    }

    fn into_value(self) -> Value {
        if self.is_map {
            Value::Mapping(self.entries.into_iter().collect::<Mapping>())
        } else {
            Value::Sequence(self.entries.into_iter().map(|(_, item)| item).collect())
        }
    }
}

/// Children set aside, each with its index.
type Aside = Vec<(usize, (Value, Value))>;

/// Splits a container into the children `keep` accepts and the others.
fn split(value: Value, keep: &impl Fn(usize) -> bool) -> (Children, Aside) {
    let is_map = matches!(value, Value::Mapping(_));
    let all = Children::from_value(value, is_map);
    let mut kept = Children { is_map, entries: Vec::new() };
    let mut aside = Vec::new();
    for (index, entry) in all.entries.into_iter().enumerate() {
        if keep(index) {
            kept.entries.push(entry);
        } else {
            aside.push((index, entry));
        }
    }
    (kept, aside)
}

/// The inverse of [`split`].
fn merge(kept: Children, aside: Aside, keep: &impl Fn(usize) -> bool) -> Children {
    let total = kept.entries.len() + aside.len();
    let (mut kept_entries, mut aside) = (kept.entries.into_iter(), aside.into_iter());
    let mut entries = Vec::with_capacity(total);
    for index in 0..total {
        let entry = if keep(index) { kept_entries.next() } else { aside.next().map(|(_, entry)| entry) };
        entries.extend(entry);
    }
    Children { is_map: kept.is_map, entries }
}

fn children(value: &Value) -> usize {
    match value {
        Value::Mapping(mapping) => mapping.len(),
        Value::Sequence(items) => items.len(),
        _ => 0,
    }
}

/// Values in a tree (map keys not counted).
fn count(value: &Value) -> usize {
    let mut total = 0;
    let mut stack = vec![value];
    while let Some(value) = stack.pop() {
        total += 1;
        match value {
            Value::Mapping(mapping) => stack.extend(mapping.values()),
            Value::Sequence(items) => stack.extend(items),
            _ => {}
        }
    }
    total
}

fn empty_like(value: &Value) -> Option<Value> {
    match value {
        Value::Mapping(_) => Some(Value::Mapping(Mapping::new())),
        Value::Sequence(_) => Some(Value::Sequence(Vec::new())),
        _ => None,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Null,
    Boolean,
    Integer,
    Number,
    String,
    Array,
    Object,
}

impl Kind {
    fn of(value: &Value) -> Kind {
        match value {
            Value::Null => Kind::Null,
            Value::Bool(_) => Kind::Boolean,
            Value::Number(number) if number.is_f64() => Kind::Number,
            Value::Number(_) => Kind::Integer,
            Value::String(_) => Kind::String,
            Value::Sequence(_) => Kind::Array,
            // The tree holds no tagged values (see `tree`).
            Value::Mapping(_) | Value::Tagged(_) => Kind::Object,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Null => "null",
            Kind::Boolean => "a boolean",
            Kind::Integer => "an integer",
            Kind::Number => "a number",
            Kind::String => "a string",
            Kind::Array => "an array",
            Kind::Object => "an object",
        }
    }
}

/// What a value is, for a message that must not quote it: `a boolean`, `an array`.
pub(super) fn kind_of(value: &Value) -> &'static str {
    Kind::of(value).name()
}

/// One value of each type a field may want, to try in place of a misfit.
fn candidates() -> [(Kind, Value); 6] {
    [
        (Kind::String, Value::String(String::new())),
        (Kind::Integer, Value::Number(0.into())),
        (Kind::Number, Value::Number(0.5.into())),
        (Kind::Boolean, Value::Bool(false)),
        (Kind::Object, Value::Mapping(Mapping::new())),
        (Kind::Array, Value::Sequence(Vec::new())),
    ]
}

/// What was found, for a message: `the number 5`, `the string "yes"`, `an array`.
fn found(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(value) => format!("the boolean {value}"),
        Value::Number(number) => format!("the number {number}"),
        Value::String(text) => {
            let shown: String = text.chars().take(40).collect();
            let ellipsis = if shown.len() < text.len() { "…" } else { "" };
            format!("the string {shown:?}{ellipsis}")
        }
        Value::Sequence(_) => "an array".to_owned(),
        Value::Mapping(_) | Value::Tagged(_) => "an object".to_owned(),
    }
}

/// How serde shows a value it did not expect (`serde::de::Unexpected`), for the
/// values whose showing is specific enough to pick one child out.
fn unexpected(value: &Value) -> Option<String> {
    match value {
        Value::Null => Some("null".to_owned()),
        Value::Bool(value) => Some(format!("boolean `{value}`")),
        Value::Number(number) if number.is_f64() => Some(format!("floating point `{number}`")),
        Value::Number(number) => Some(format!("integer `{number}`")),
        Value::String(text) => Some(format!("string {text:?}")),
        _ => None,
    }
}
