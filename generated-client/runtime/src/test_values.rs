//! The test values of a generated crate's models (its `test-util` feature),
//! as one macro: the crate lists its models once, and each gets a
//! `TestValue` impl built from the document the crate keeps.

/// `TestValue` for each type listed, behind the generated crate's
/// `test-util` feature: its value built from the schema the type was
/// generated from (see `test_util::TestValue`). Like everything in
/// `__private`, it follows this crate's semver but serves the generator.
#[doc(hidden)]
#[macro_export]
// `crate::` is the generated crate's, on purpose: its document module.
#[allow(clippy::crate_in_macro_def)]
macro_rules! test_values {
    ($($model:ident),* $(,)?) => {
        $(
            #[cfg(feature = "test-util")]
            impl $crate::test_util::TestValue for $model {
                fn test_value() -> Self {
                    $crate::test_util::value(&crate::test_util::DOCUMENT, ::core::stringify!($model))
                }
            }
        )*
    };
}
