//! The impls every open enum of a generated crate shares, as one macro: the
//! generated code keeps the enum, its variants and their wire values, which a
//! reader checks against the spec, and this writes the rest once.

/// Everything an open enum of a generated crate has besides its definition,
/// from its variants and their wire values (`Name { Pending = "pending", … }`):
/// `as_str`, `From<String>`, `From<&str>`, `FromStr` (never failing),
/// `Display`, and serde as its wire string, an unlisted value becoming
/// `Unknown`. Written once here, not once per enum; generated code calls it
/// after the enum. Like `__private`, it follows this crate's semver but serves
/// the generator.
#[doc(hidden)]
#[macro_export]
macro_rules! open_enum_impls {
    ($name:ident { $($variant:ident = $wire:literal),* $(,)? }) => {
        impl $name {
            /// The value as it appears on the wire.
            #[inline]
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::Unknown(value) => value.as_str(),
                }
            }

            /// The listed variant `value` names, if any.
            #[inline]
            fn known(value: &str) -> ::core::option::Option<Self> {
                match value {
                    $($wire => ::core::option::Option::Some(Self::$variant),)*
                    _ => ::core::option::Option::None,
                }
            }
        }

        impl ::core::convert::From<::std::string::String> for $name {
            #[inline]
            fn from(value: ::std::string::String) -> Self {
                // A listed value never allocates; an unlisted one keeps its `String`.
                match Self::known(&value) {
                    ::core::option::Option::Some(known) => known,
                    ::core::option::Option::None => Self::Unknown($crate::UnknownValue::new(value)),
                }
            }
        }

        impl ::core::convert::From<&str> for $name {
            #[inline]
            fn from(value: &str) -> Self {
                match Self::known(value) {
                    ::core::option::Option::Some(known) => known,
                    ::core::option::Option::None => {
                        Self::Unknown($crate::UnknownValue::new(::std::borrow::ToOwned::to_owned(value)))
                    }
                }
            }
        }

        impl ::core::str::FromStr for $name {
            type Err = ::core::convert::Infallible;

            /// Never fails: a value the spec does not list is `Unknown`.
            #[inline]
            fn from_str(value: &str) -> ::core::result::Result<Self, Self::Err> {
                ::core::result::Result::Ok(Self::from(value))
            }
        }

        impl ::core::fmt::Display for $name {
            #[inline]
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            #[inline]
            fn serialize<S: $crate::__private::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            #[inline]
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                $crate::__private::deserialize_open_enum(deserializer)
            }
        }
    };
}

/// `From<A> for B` for two generated types of the same shape, which a spec
/// writes twice (the same inline object in two places): a struct field by
/// field (`convert!(A => B { f1, f2 })`), an open enum through its wire value
/// (`convert!(A => B)`, lossless, `Unknown` included). Like everything in
/// `__private`, it follows this crate's semver but serves the generator.
#[doc(hidden)]
#[macro_export]
macro_rules! convert {
    ($from:ident => $to:ident { $($field:ident),* $(,)? }) => {
        impl ::core::convert::From<$from> for $to {
            #[inline]
            fn from(value: $from) -> Self {
                Self { $($field: value.$field),* }
            }
        }
    };
    ($from:ident => $to:ident) => {
        impl ::core::convert::From<$from> for $to {
            #[inline]
            fn from(value: $from) -> Self {
                Self::from(value.as_str())
            }
        }
    };
}
