//! What a schema is, pulled out of `openapiv3`'s several spellings of each kind,
//! with its bounds checked: a bound that overflows or contradicts another is an
//! error naming the schema, never a wrapped number or a check no value passes.

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaKind, Type, VariantOrUnknownOrEmpty,
};

use crate::error::pointer;
use crate::ir::Bounds;
use crate::Error;

pub type Properties = IndexMap<String, ReferenceOr<Box<Schema>>>;

/// The kinds of schema the generator understands.
pub enum Shape<'s> {
    String {
        enumeration: Vec<&'s str>,
    },
    Integer {
        bits: u8,
        bounds: Bounds,
    },
    Number {
        bits: u8,
    },
    Boolean,
    Object {
        properties: &'s Properties,
        required: &'s [String],
        additional: Option<&'s AdditionalProperties>,
    },
    Array {
        items: Option<&'s ReferenceOr<Box<Schema>>>,
        bounds: Bounds,
    },
    /// `properties` and `required` written beside `allOf`, if any.
    AllOf {
        parts: &'s [ReferenceOr<Schema>],
        properties: Option<&'s Properties>,
        required: &'s [String],
    },
    /// `oneOf` or `anyOf` (whose `discriminator`, if any, is in the schema data).
    Union {
        members: &'s [ReferenceOr<Schema>],
        keyword: &'static str,
    },
    /// `type: 'null'`: only ever a member of a union, making it nullable.
    Null,
    Any,
}

pub fn shape<'s>(schema: &'s Schema, at: &str) -> Result<Shape<'s>, Error> {
    let unsupported = |what: &str| Err(Error::at(at, format!("{what} is not supported")));
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) => {
            Ok(Shape::String { enumeration: string.enumeration.iter().flatten().map(String::as_str).collect() })
        }
        SchemaKind::Type(Type::Integer(integer)) => {
            if !integer.enumeration.is_empty() {
                return unsupported("an integer `enum`");
            }
            let bits = match integer.format {
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => 32,
                _ => 64,
            };
            let bounds = integer_bounds(integer, at)?;
            Ok(Shape::Integer { bits, bounds })
        }
        SchemaKind::Type(Type::Number(number)) => {
            let bits = match number.format {
                VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => 32,
                _ => 64,
            };
            Ok(Shape::Number { bits })
        }
        SchemaKind::Type(Type::Boolean(_)) => Ok(Shape::Boolean),
        SchemaKind::Type(Type::Object(object)) => Ok(Shape::Object {
            properties: &object.properties,
            required: &object.required,
            additional: object.additional_properties.as_ref(),
        }),
        SchemaKind::Type(Type::Array(array)) => {
            Ok(Shape::Array { items: array.items.as_ref(), bounds: item_bounds(array.min_items, array.max_items, at)? })
        }
        SchemaKind::AllOf { all_of } => Ok(Shape::AllOf { parts: all_of, properties: None, required: &[] }),
        SchemaKind::OneOf { one_of } => Ok(Shape::Union { members: one_of, keyword: "oneOf" }),
        SchemaKind::AnyOf { any_of } => Ok(Shape::Union { members: any_of, keyword: "anyOf" }),
        SchemaKind::Not { .. } => unsupported("`not`"),
        SchemaKind::Any(any) => {
            if any.not.is_some() {
                return unsupported("`not`");
            }
            let typ = any.typ.as_deref();
            // `anyOf: [{required: [a]}, {required: [b]}]` beside `properties` only
            // says which properties must be present together: a check for the
            // server, not a type. The fields stay as `properties` defines them.
            let constraint = |members: &[ReferenceOr<Schema>]| !members.is_empty() && members.iter().all(only_required);
            let (one_of, any_of) = (!constraint(&any.one_of), !constraint(&any.any_of));
            let unions = [(&any.one_of, "oneOf", one_of), (&any.any_of, "anyOf", any_of)];
            let mut unions = unions.into_iter().filter(|(members, _, kept)| *kept && !members.is_empty());
            if let Some((members, keyword, _)) = unions.next() {
                if unions.next().is_some() {
                    return unsupported("`oneOf` and `anyOf` in one schema");
                }
                // `type: object` (and `nullable`) beside the members only repeats
                // what they are; anything more would be a base the variants share.
                let alone = any.properties.is_empty()
                    && any.all_of.is_empty()
                    && any.items.is_none()
                    && any.enumeration.is_empty()
                    && any.additional_properties.is_none()
                    && matches!(typ, None | Some("object"));
                if !alone {
                    return unsupported(&format!("`{keyword}` beside other keywords"));
                }
                return Ok(Shape::Union { members, keyword });
            }
            if typ == Some("null") && *any == (openapiv3::AnySchema { typ: any.typ.clone(), ..Default::default() }) {
                return Ok(Shape::Null);
            }
            if !any.all_of.is_empty() && matches!(typ, None | Some("object")) {
                return Ok(Shape::AllOf {
                    parts: &any.all_of,
                    properties: Some(&any.properties),
                    required: &any.required,
                });
            }
            let object_like = any.items.is_none() && any.enumeration.is_empty() && any.format.is_none();
            if object_like && (typ == Some("object") || (typ.is_none() && !any.properties.is_empty())) {
                return Ok(Shape::Object {
                    properties: &any.properties,
                    required: &any.required,
                    additional: any.additional_properties.as_ref(),
                });
            }
            if typ.is_none() && *any == openapiv3::AnySchema::default() {
                return Ok(Shape::Any);
            }
            unsupported(&format!("a schema of type `{}` combining these keywords", typ.unwrap_or("(none)")))
        }
    }
}

/// A schema that only lists `required` properties (a member of a constraint-only
/// `anyOf`/`oneOf`).
fn only_required(member: &ReferenceOr<Schema>) -> bool {
    match member {
        ReferenceOr::Item(Schema { schema_data, schema_kind: SchemaKind::Any(any) }) => {
            *schema_data == openapiv3::SchemaData::default()
                && !any.required.is_empty()
                && *any == openapiv3::AnySchema { required: any.required.clone(), ..Default::default() }
        }
        _ => false,
    }
}

/// `minimum`/`maximum` as inclusive bounds. An exclusive bound at the end of the
/// `i64` range leaves no value, and a minimum above the maximum none either.
fn integer_bounds(integer: &openapiv3::IntegerType, at: &str) -> Result<Bounds, Error> {
    let min = match integer.minimum {
        Some(min) if integer.exclusive_minimum => Some(min.checked_add(1).ok_or_else(|| {
            Error::at(pointer(at, "exclusiveMinimum"), "an exclusive minimum of the largest integer leaves no value")
        })?),
        other => other,
    };
    let max = match integer.maximum {
        Some(max) if integer.exclusive_maximum => Some(max.checked_sub(1).ok_or_else(|| {
            Error::at(pointer(at, "exclusiveMaximum"), "an exclusive maximum of the smallest integer leaves no value")
        })?),
        other => other,
    };
    ordered(Bounds { min, max }, at, "minimum", "maximum")
}

/// `minItems`/`maxItems`, which must fit the generated checks' `i64`.
fn item_bounds(min: Option<usize>, max: Option<usize>, at: &str) -> Result<Bounds, Error> {
    let convert = |value: Option<usize>, key: &str| -> Result<Option<i64>, Error> {
        value
            .map(|value| {
                i64::try_from(value)
                    .map_err(|_| Error::at(pointer(at, key), format!("{key} {value} is larger than any list can be")))
            })
            .transpose()
    };
    let bounds = Bounds { min: convert(min, "minItems")?, max: convert(max, "maxItems")? };
    ordered(bounds, at, "minItems", "maxItems")
}

fn ordered(bounds: Bounds, at: &str, min_key: &str, max_key: &str) -> Result<Bounds, Error> {
    match (bounds.min, bounds.max) {
        (Some(min), Some(max)) if min > max => Err(Error::at(
            pointer(at, min_key),
            format!("{min_key} {min} is greater than {max_key} {max}: no value would be accepted"),
        )),
        _ => Ok(bounds),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn integer(yaml: &str) -> Result<Bounds, Error> {
        let schema: Schema = serde_yaml::from_str(yaml).expect("a schema");
        match shape(&schema, "#/s")? {
            Shape::Integer { bounds, .. } => Ok(bounds),
            _ => panic!("not an integer"),
        }
    }

    #[test]
    fn exclusive_bounds_at_the_integer_limits_are_errors_not_overflows() {
        let max = format!("{{type: integer, minimum: {}, exclusiveMinimum: true}}", i64::MAX);
        assert_eq!(integer(&max).unwrap_err().pointer.as_deref(), Some("#/s/exclusiveMinimum"));
        let min = format!("{{type: integer, maximum: {}, exclusiveMaximum: true}}", i64::MIN);
        assert_eq!(integer(&min).unwrap_err().pointer.as_deref(), Some("#/s/exclusiveMaximum"));
        let fine = integer("{type: integer, minimum: 0, exclusiveMinimum: true, maximum: 10}").unwrap();
        assert_eq!((fine.min, fine.max), (Some(1), Some(10)));
    }

    #[test]
    fn a_minimum_above_the_maximum_is_an_error() {
        let error = integer("{type: integer, minimum: 5, maximum: 4}").unwrap_err();
        assert_eq!(error.pointer.as_deref(), Some("#/s/minimum"));
        assert!(error.message.contains("5 is greater than maximum 4"), "{error}");
    }

    fn kind(yaml: &str) -> &'static str {
        let schema: Schema = serde_yaml::from_str(yaml).expect("a schema");
        match shape(&schema, "#/s") {
            Ok(Shape::Object { .. }) => "object",
            Ok(Shape::Union { keyword, .. }) => keyword,
            Ok(Shape::Null) => "null",
            Ok(_) => "other",
            Err(_) => "error",
        }
    }

    #[test]
    fn an_any_of_of_required_lists_beside_properties_is_a_rule_not_a_union() {
        let rule = "{type: object, properties: {a: {type: string}, b: {type: string}}, anyOf: [{required: [a]}, {required: [b]}]}";
        assert_eq!(kind(rule), "object");
        // `type: object` and `nullable` beside members only repeat what they are.
        assert_eq!(kind("{type: object, nullable: true, oneOf: [{$ref: '#/components/schemas/A'}]}"), "oneOf");
        assert_eq!(kind("{anyOf: [{type: string}, {type: integer}]}"), "anyOf");
        assert_eq!(kind("{type: 'null'}"), "null");
        // A base the variants would share is not supported.
        assert_eq!(kind("{type: object, properties: {a: {type: string}}, oneOf: [{type: object}]}"), "error");
    }

    #[test]
    fn item_counts_must_fit_and_be_ordered() {
        assert!(item_bounds(Some(0), Some(usize::MAX), "#/s").unwrap_err().message.contains("maxItems"));
        assert!(item_bounds(Some(3), Some(2), "#/s").is_err());
        assert_eq!(item_bounds(Some(1), Some(10), "#/s").unwrap(), Bounds { min: Some(1), max: Some(10) });
    }
}
