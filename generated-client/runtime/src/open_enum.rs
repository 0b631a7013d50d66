//! The impls every open enum of a generated crate shares, as one macro: the
//! generated code keeps the enum and its two matches, which a reader checks
//! against the spec, and this writes the conversions and serde once.

/// Everything an open enum of a generated crate has besides its definition
/// and its two matches (`as_str`, and `known`: the listed variant a wire value
/// names): `From<String>`, `From<&str>`, `FromStr` (never failing), `Display`,
/// and serde as its wire string, an unlisted value becoming `Unknown`. Written
/// once here, not once per enum; generated code calls it after the enum, as
/// `__private::open_enum_impls!(Name);`. Like `__private`, it follows this
/// crate's semver but serves the generator.
#[doc(hidden)]
#[macro_export]
macro_rules! open_enum_impls {
    ($name:ident) => {
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
