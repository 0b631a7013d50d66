//! The setters of generated models, builders and call bodies, as one macro:
//! a generated type lists its setters one line each, and their bodies and
//! docs are written once, here.
//!
//! A macro, not a trait: a setter is an inherent method named after its
//! field, which a caller finds on the type itself without importing anything.
//! The expansion is what the generator wrote out before, `#[inline]` included,
//! so rustc compiles a setter only in a crate that calls it, as before.

use crate::MissingField;

/// One setter, or two for a field that may be sent as `null`. Like everything
/// in `__private`, it follows this crate's semver but serves the generator.
///
/// - `setter!(name: T);` sets `self.name = Some(value)`; a `String` field
///   takes `impl Into<String>`.
/// - `setter!(name: T, null name_null);` sets `Some(Some(value))`, and
///   `name_null()` sets `Some(None)`, which sends `null`.
/// - `setter!(name: boxed T)` takes a `T` for a `Box<T>` field.
/// - `setter!(name: object)` takes a free-form object as a `Map` or a
///   `Value` (see [`JsonObject`](crate::JsonObject)).
/// - `setter!(with_name = name: T)` names the setter apart from its field
///   (a field called like a method the type already has).
/// - `setter!(required …)` says "(required)" in the doc, for builders.
#[doc(hidden)]
#[macro_export]
macro_rules! setter {
    (required $setter:ident = $field:ident : $($kind:tt)+) => {
        $crate::setter!(@ $setter $field " (required)"; $($kind)+);
    };
    (required $field:ident : $($kind:tt)+) => {
        $crate::setter!(@ $field $field " (required)"; $($kind)+);
    };
    ($setter:ident = $field:ident : $($kind:tt)+) => {
        $crate::setter!(@ $setter $field ""; $($kind)+);
    };
    ($field:ident : $($kind:tt)+) => {
        $crate::setter!(@ $field $field ""; $($kind)+);
    };
    (@ $setter:ident $field:ident $required:literal; String $(, null $null:ident)?) => {
        $crate::setter!(@@ $setter $field $required; into [impl ::core::convert::Into<::std::string::String>] $($null)?);
    };
    (@ $setter:ident $field:ident $required:literal; object $(, null $null:ident)?) => {
        #[doc = concat!(
            "Sets `", stringify!($field), "`", $required, ": a JSON object, as a `Map`, or as a `Value`\n",
            "(`json!({…})`), which gives a `Result`: anything but an object is `Error::InvalidArgument`."
        )]
        #[inline]
        pub fn $setter<V: $crate::__private::JsonObject>(self, value: V) -> V::Set<Self> {
            value.set(self, stringify!($field), |mut this: Self, map| {
                this.$field = $crate::setter!(@wrap map $($null)?);
                this
            })
        }
        $($crate::setter!(@null $field $null);)?
    };
    (@wrap $map:ident $null:ident) => {
        ::core::option::Option::Some(::core::option::Option::Some($map))
    };
    (@wrap $map:ident) => {
        ::core::option::Option::Some($map)
    };
    (@null $field:ident $null:ident) => {
        #[doc = concat!("Sets `", stringify!($field), "` to `null`: it is sent, as `null`.")]
        #[inline]
        pub fn $null(mut self) -> Self {
            self.$field = ::core::option::Option::Some(::core::option::Option::None);
            self
        }
    };
    (@ $setter:ident $field:ident $required:literal; boxed $ty:ty $(, null $null:ident)?) => {
        $crate::setter!(@@ $setter $field $required; boxed [$ty] $($null)?);
    };
    (@ $setter:ident $field:ident $required:literal; $ty:ty $(, null $null:ident)?) => {
        $crate::setter!(@@ $setter $field $required; plain [$ty] $($null)?);
    };
    // What every form above comes down to: how the field's value is made
    // from the argument, the argument's type, and the `null` setter if any.
    (@@ $setter:ident $field:ident $required:literal; $how:ident [$arg:ty] $null:ident) => {
        #[doc = concat!("Sets `", stringify!($field), "`", $required, ".")]
        #[inline]
        pub fn $setter(mut self, value: $arg) -> Self {
            self.$field = ::core::option::Option::Some(::core::option::Option::Some($crate::setter!(@value $how value)));
            self
        }

        #[doc = concat!("Sets `", stringify!($field), "` to `null`: it is sent, as `null`.")]
        #[inline]
        pub fn $null(mut self) -> Self {
            self.$field = ::core::option::Option::Some(::core::option::Option::None);
            self
        }
    };
    (@@ $setter:ident $field:ident $required:literal; $how:ident [$arg:ty]) => {
        #[doc = concat!("Sets `", stringify!($field), "`", $required, ".")]
        #[inline]
        pub fn $setter(mut self, value: $arg) -> Self {
            self.$field = ::core::option::Option::Some($crate::setter!(@value $how value));
            self
        }
    };
    // `value` is passed in, not written here: a local of one expansion is not
    // visible in another.
    (@value into $value:ident) => { ::core::convert::Into::into($value) };
    (@value boxed $value:ident) => { ::std::boxed::Box::new($value) };
    (@value plain $value:ident) => { $value };
}

/// A model's builder, for a model with more required fields than a caller
/// should give by position: `X::builder()`, a setter per field, and `build()`
/// failing with [`MissingField`] naming the first required one left unset.
/// One entry per field, in the model's order:
///
/// - `req name: T` and `req_str name`: a required field of type `T`
///   (`String`, whose setter takes `impl Into<String>`);
/// - `opt name: T` and `opt_str name`: an optional one (`Option<T>`);
/// - `null name / name_null: T` and `null_str name / name_null`: an optional,
///   nullable one (`Option<Option<T>>`), with the setter that sends `null`.
///
/// The field's Rust name is its wire name. Like everything in `__private`, it
/// follows this crate's semver but serves the generator.
#[doc(hidden)]
#[macro_export]
macro_rules! builder {
    ($builder:ident -> $model:ident { $($kind:ident $field:ident $(/ $null:ident)? $(: $ty:ty)?),* $(,)? }) => {
        impl $model {
            /// A builder that sets every field by name; `build` checks the required ones.
            #[inline]
            pub fn builder() -> $builder {
                <$builder as ::core::default::Default>::default()
            }
        }

        #[doc = concat!("Builds a [`", stringify!($model), "`] by name: from [`", stringify!($model), "::builder`].")]
        #[derive(Debug, Clone, Default)]
        #[must_use]
        pub struct $builder {
            $($field: $crate::builder!(@stored $kind $($ty)?),)*
        }

        impl $builder {
            $($crate::builder!(@setter $kind $field $(/ $null)? $(: $ty)?);)*

            /// The value, or the first required field left unset.
            #[inline]
            pub fn build(self) -> ::core::result::Result<$model, $crate::MissingField> {
                const TYPE: &str = stringify!($model);
                ::core::result::Result::Ok($model {
                    $($field: $crate::builder!(@init $kind self.$field, TYPE, $field),)*
                })
            }
        }
    };
    (@stored req $ty:ty) => { ::core::option::Option<$ty> };
    (@stored req_str) => { ::core::option::Option<::std::string::String> };
    (@stored opt $ty:ty) => { ::core::option::Option<$ty> };
    (@stored opt_str) => { ::core::option::Option<::std::string::String> };
    (@stored null $ty:ty) => { ::core::option::Option<::core::option::Option<$ty>> };
    (@stored null_str) => { ::core::option::Option<::core::option::Option<::std::string::String>> };
    (@setter req $field:ident : $ty:ty) => { $crate::setter!(required $field: $ty); };
    (@setter req_str $field:ident) => { $crate::setter!(required $field: String); };
    (@setter opt $field:ident : $ty:ty) => { $crate::setter!($field: $ty); };
    (@setter opt_str $field:ident) => { $crate::setter!($field: String); };
    (@setter null $field:ident / $null:ident : $ty:ty) => { $crate::setter!($field: $ty, null $null); };
    (@setter null_str $field:ident / $null:ident) => { $crate::setter!($field: String, null $null); };
    (@init req $value:expr, $type:ident, $field:ident) => { $crate::__private::take($value, $type, stringify!($field))? };
    (@init req_str $value:expr, $type:ident, $field:ident) => { $crate::__private::take($value, $type, stringify!($field))? };
    (@init $kind:ident $value:expr, $type:ident, $field:ident) => { $value };
}

/// A builder's required field: its value, or the error naming it. Generated
/// `build()` functions call it once per required field.
#[inline]
pub fn take<T>(value: Option<T>, type_name: &'static str, field: &'static str) -> Result<T, MissingField> {
    value.ok_or(MissingField { type_name, field })
}

#[cfg(test)]
mod tests {
    use super::take;
    use crate::MissingField;

    #[derive(Debug, Default, PartialEq)]
    struct Thing {
        name: Option<String>,
        note: Option<Option<String>>,
        count: Option<Option<i64>>,
        build: Option<bool>,
        inner: Option<Box<Thing>>,
        items: Option<Vec<u8>>,
        meta: Option<serde_json::Map<String, serde_json::Value>>,
        note_meta: Option<Option<serde_json::Map<String, serde_json::Value>>>,
    }

    impl Thing {
        crate::setter!(required name: String);
        crate::setter!(note: String, null note_null);
        crate::setter!(count: i64, null count_null);
        crate::setter!(with_build = build: bool);
        crate::setter!(inner: boxed Thing);
        crate::setter!(items: Vec<u8>);
        crate::setter!(meta: object);
        crate::setter!(note_meta: object, null note_meta_null);
    }

    #[test]
    fn each_form_sets_its_field_as_the_generated_code_did() {
        let thing = Thing::default()
            .name("a")
            .note(String::from("b"))
            .count_null()
            .with_build(true)
            .inner(Thing::default().count(3))
            .items(vec![1, 2]);
        assert_eq!(thing.name.as_deref(), Some("a"));
        assert_eq!(thing.note, Some(Some("b".to_owned())));
        assert_eq!(thing.count, Some(None));
        assert_eq!(thing.build, Some(true));
        assert_eq!(thing.inner.as_ref().and_then(|inner| inner.count), Some(Some(3)));
        assert_eq!(thing.items, Some(vec![1, 2]));
        assert_eq!(Thing::default().note_null().note, Some(None));
        let thing = Thing::default().meta(serde_json::json!({"a": 1})).expect("an object").note_meta_null();
        assert_eq!(thing.meta, serde_json::json!({"a": 1}).as_object().cloned());
        assert_eq!(thing.note_meta, Some(None));
        let refused = Thing::default().meta(serde_json::json!("text")).unwrap_err();
        assert_eq!(refused.to_string(), "Thing: invalid `meta`: must be a JSON object, not a string");
        let map = serde_json::Map::new();
        assert_eq!(Thing::default().note_meta(map.clone()).note_meta, Some(Some(map)));
    }

    #[derive(Debug, Clone, PartialEq)]
    pub struct Model {
        id: String,
        count: i64,
        note: Option<String>,
        tags: Option<Vec<String>>,
        label: Option<Option<String>>,
        size: Option<Option<i64>>,
        owner: Option<String>,
    }

    crate::builder!(ModelBuilder -> Model {
        req_str id,
        req count: i64,
        opt_str note,
        opt tags: Vec<String>,
        null_str label / label_null,
        null size / size_null: i64,
        req owner: Option<String>,
    });

    #[test]
    fn a_builder_sets_each_kind_of_field_and_names_the_first_required_one_unset() {
        let model = Model::builder()
            .id("m_1")
            .count(2)
            .tags(vec!["a".to_owned()])
            .label_null()
            .size(3)
            .owner(None)
            .build()
            .unwrap();
        assert_eq!(
            model,
            Model {
                id: "m_1".to_owned(),
                count: 2,
                note: None,
                tags: Some(vec!["a".to_owned()]),
                label: Some(None),
                size: Some(Some(3)),
                owner: None,
            }
        );
        let other = Model::builder().id("m_2").count(1).note("n").label("l").size(4).size_null().owner(None).build();
        let other = other.unwrap();
        assert_eq!(
            (other.note.as_deref(), other.label, other.size),
            (Some("n"), Some(Some("l".to_owned())), Some(None))
        );
        let missing = Model::builder().id("m_1").owner(Some("u".to_owned())).build().unwrap_err();
        assert_eq!(missing, MissingField { type_name: "Model", field: "count" });
        let missing = Model::builder().count(1).build().unwrap_err();
        assert_eq!(missing, MissingField { type_name: "Model", field: "id" });
    }

    #[test]
    fn take_names_the_type_and_field_left_unset() {
        assert_eq!(take(Some(1), "Thing", "count"), Ok(1));
        assert_eq!(take::<i64>(None, "Thing", "count"), Err(MissingField { type_name: "Thing", field: "count" }));
    }
}
