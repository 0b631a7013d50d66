//! Document text to a JSON-shaped tree, YAML and JSON alike.
//!
//! The tree is a `serde_yaml::Value` because its mappings keep the document's key
//! order (the order of paths, properties and enum values shows in the generated
//! code), but it only ever holds what JSON can hold: every map key is a string and
//! every number is finite. What does not fit is refused here with its JSON pointer
//! and its line and column, before `openapiv3` sees it: a `.inf` or `.nan` where
//! `openapiv3` wants a string used to panic inside `openapiv3`.
//!
//! Size is bounded too: YAML aliases can make a small text expand into a huge tree
//! ("billion laughs"). `serde_yaml` stops exponential expansion itself (it caps
//! alias jumps at 100 per event), but not quadratic expansion (one anchored list
//! of *n* items, aliased *n* times), so the builder counts the values it creates
//! and stops at [`value_limit`].

use std::cell::{Cell, RefCell};
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, Visitor};
use serde_yaml::{Mapping, Number, Value};

use crate::Error;

/// The most values (scalars, arrays and objects, map keys not counted) a document
/// of `text_len` bytes may expand into: twice its length, and at least 100,000.
/// A document without aliases has at most one value per byte plus one, so only
/// alias expansion can reach the limit.
pub(super) fn value_limit(text_len: usize) -> usize {
    text_len.saturating_add(1).saturating_mul(2).max(100_000)
}

/// Which syntax the text is in; both end in the same tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Syntax {
    Yaml,
    Json,
}

/// Parses `text` into a JSON-shaped tree, or says what is wrong and where: line and
/// column for syntax errors, JSON pointer and line and column for values JSON has
/// no room for.
pub(super) fn parse(text: &str, syntax: Syntax) -> Result<Value, Error> {
    let builder = Builder { values_left: Cell::new(value_limit(text.len())), failure: RefCell::new(None) };
    let root = Node { builder: &builder, parent: None, token: Token::Root };
    match syntax {
        Syntax::Yaml => {
            let result = root.deserialize(serde_yaml::Deserializer::from_str(text));
            result.map_err(|error| {
                let location = error.location().map(|at| (at.line(), at.column()));
                builder.error(location).unwrap_or_else(|| Error::new(format!("malformed YAML: {error}")))
            })
        }
        Syntax::Json => {
            let mut deserializer = serde_json::Deserializer::from_str(text);
            let result = root.deserialize(&mut deserializer).and_then(|tree| deserializer.end().map(|()| tree));
            result.map_err(|error| {
                let location = Some((error.line(), error.column())).filter(|&(line, _)| line > 0);
                builder.error(location).unwrap_or_else(|| Error::new(format!("malformed JSON: {error}")))
            })
        }
    }
}

/// State shared by every node while one document is built.
struct Builder {
    values_left: Cell<usize>,
    /// The first value refused by the builder itself: its pointer and the reason.
    failure: RefCell<Option<(String, String)>>,
}

impl Builder {
    /// The builder's own refusal, if that is what stopped the parser, with the
    /// parser's line and column.
    fn error(&self, location: Option<(usize, usize)>) -> Option<Error> {
        let (pointer, reason) = self.failure.borrow_mut().take()?;
        let message = match location {
            Some((line, column)) => format!("unsupported document at line {line} column {column}: {reason}"),
            None => format!("unsupported document: {reason}"),
        };
        Some(Error::at(pointer, message))
    }

    fn refuse<E: de::Error>(&self, node: &Node<'_>, reason: String) -> E {
        let mut failure = self.failure.borrow_mut();
        if failure.is_none() {
            *failure = Some((node.pointer(), reason.clone()));
        }
        E::custom(reason)
    }

    /// Counts one more value against the limit.
    fn count<E: de::Error>(&self, node: &Node<'_>) -> Result<(), E> {
        match self.values_left.get().checked_sub(1) {
            Some(left) => {
                self.values_left.set(left);
                Ok(())
            }
            None => Err(self.refuse(
                node,
                "the document expands to too many values (YAML aliases repeating large parts of it?)".to_owned(),
            )),
        }
    }
}

/// Where a node sits: a chain of links to its parents, turned into a JSON pointer
/// only when something is refused.
#[derive(Clone, Copy)]
enum Token<'a> {
    Root,
    Key(&'a str),
    Index(usize),
}

#[derive(Clone, Copy)]
struct Node<'a> {
    builder: &'a Builder,
    parent: Option<&'a Node<'a>>,
    token: Token<'a>,
}

impl Node<'_> {
    fn pointer(&self) -> String {
        let mut tokens = Vec::new();
        let mut node = Some(self);
        while let Some(current) = node {
            match current.token {
                Token::Root => {}
                Token::Key(key) => tokens.push(key.to_owned()),
                Token::Index(index) => tokens.push(index.to_string()),
            }
            node = current.parent;
        }
        tokens.iter().rev().fold(String::from("#"), |pointer, token| crate::error::pointer(&pointer, token))
    }

    fn child<'c>(&'c self, token: Token<'c>) -> Node<'c> {
        Node { builder: self.builder, parent: Some(self), token }
    }
}

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node<'_> {
    type Value = Value;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Value, E> {
        self.builder.count(&self)?;
        Ok(Value::Bool(value))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Value, E> {
        self.builder.count(&self)?;
        Ok(Value::Number(value.into()))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Value, E> {
        self.builder.count(&self)?;
        Ok(Value::Number(value.into()))
    }

    // Integers beyond 64 bits become (finite) floats, as serde_json does.
    fn visit_i128<E: de::Error>(self, value: i128) -> Result<Value, E> {
        match i64::try_from(value) {
            Ok(value) => self.visit_i64(value),
            Err(_) => self.visit_f64(value as f64),
        }
    }

    fn visit_u128<E: de::Error>(self, value: u128) -> Result<Value, E> {
        match u64::try_from(value) {
            Ok(value) => self.visit_u64(value),
            Err(_) => self.visit_f64(value as f64),
        }
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Value, E> {
        if !value.is_finite() {
            let shown = if value.is_nan() {
                ".nan"
            } else if value > 0.0 {
                ".inf"
            } else {
                "-.inf"
            };
            return Err(self
                .builder
                .refuse(&self, format!("`{shown}` is not a number JSON can hold; quote it if it is text")));
        }
        self.builder.count(&self)?;
        Ok(Value::Number(Number::from(value)))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Value, E> {
        self.builder.count(&self)?;
        Ok(Value::String(value.to_owned()))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Value, E> {
        self.builder.count(&self)?;
        Ok(Value::String(value))
    }

    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<Value, E> {
        Err(self.builder.refuse(&self, "binary data is not supported".to_owned()))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        self.builder.count(&self)?;
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        self.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Value, A::Error> {
        self.builder.count(&self)?;
        let mut values = Vec::new();
        while let Some(value) = items.next_element_seed(self.child(Token::Index(values.len())))? {
            values.push(value);
        }
        Ok(Value::Sequence(values))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut entries: A) -> Result<Value, A::Error> {
        self.builder.count(&self)?;
        let mut mapping = Mapping::new();
        while let Some(key) = entries.next_key_seed(Key { map: &self })? {
            let child = self.child(Token::Key(&key));
            if mapping.contains_key(key.as_str()) {
                return Err(self.builder.refuse(&child, format!("duplicate key `{key}`")));
            }
            let value = entries.next_value_seed(child)?;
            mapping.insert(Value::String(key), value);
        }
        Ok(Value::Mapping(mapping))
    }

    // A YAML node with a tag of its own (`!something value`).
    fn visit_enum<A: EnumAccess<'de>>(self, _: A) -> Result<Value, A::Error> {
        Err(self.builder.refuse(&self, "YAML tags (`!tag`) are not supported".to_owned()))
    }
}

/// A map key: a string, or an integer or boolean written without quotes (`200:`),
/// which stands for its text; anything else is refused with the map's pointer.
struct Key<'a> {
    map: &'a Node<'a>,
}

impl<'de> DeserializeSeed<'de> for Key<'_> {
    type Value = String;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl Key<'_> {
    fn refuse<E: de::Error>(&self, found: &str) -> E {
        self.map.builder.refuse(self.map, format!("a map key must be a string, found {found}"))
    }
}

impl<'de> Visitor<'de> for Key<'_> {
    type Value = String;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a string key")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<String, E> {
        Ok(value.to_owned())
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<String, E> {
        Ok(value)
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<String, E> {
        Ok(value.to_string())
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<String, E> {
        Ok(value.to_string())
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<String, E> {
        Ok(value.to_string())
    }

    fn visit_i128<E: de::Error>(self, value: i128) -> Result<String, E> {
        Ok(value.to_string())
    }

    fn visit_u128<E: de::Error>(self, value: u128) -> Result<String, E> {
        Ok(value.to_string())
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<String, E> {
        Err(self.refuse("a floating-point number"))
    }

    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<String, E> {
        Err(self.refuse("binary data"))
    }

    fn visit_unit<E: de::Error>(self) -> Result<String, E> {
        Err(self.refuse("null"))
    }

    fn visit_none<E: de::Error>(self) -> Result<String, E> {
        Err(self.refuse("null"))
    }

    fn visit_some<D: Deserializer<'de>>(self, _: D) -> Result<String, D::Error> {
        Err(self.refuse("an optional value"))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<String, A::Error> {
        Err(self.refuse("an array"))
    }

    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<String, A::Error> {
        Err(self.refuse("an object"))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, _: A) -> Result<String, A::Error> {
        Err(self.refuse("a tagged value"))
    }
}
