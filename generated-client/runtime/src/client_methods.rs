//! The methods every generated crate's `Client` shares, as one macro: the
//! generated code keeps what differs per API (its constructors, which name
//! the secret's variable, and one accessor per group), and this writes the
//! settings and the conversion from the runtime's client once.

/// `builder`, `base_url`, `with_timeout`, `with_deadline`, `with_retries`,
/// `runtime` and `From<openapi_client_runtime::Client>` for a generated
/// `Client`, and the crate's `test_util` module (behind its `test-util`
/// feature, which turns on this crate's) (`$client`, a struct whose one field is `runtime`), built from
/// the crate's description of its API (`$api`). Like everything in
/// `__private`, it follows this crate's semver but serves the generator.
#[doc(hidden)]
#[macro_export]
// `crate::` is the generated crate's, on purpose: its document module.
#[allow(clippy::crate_in_macro_def)]
macro_rules! client_methods {
    ($client:ident, $api:ident) => {
        impl $client {
            /// Starts a client with other settings (secret, base URL, time limits,
            /// retries).
            #[inline]
            pub fn builder() -> $crate::ClientBuilder<$client> {
                $crate::ClientBuilder::new(&$api)
            }

            /// The base URL requests go to.
            #[inline]
            pub fn base_url(&self) -> &str {
                self.runtime.base_url()
            }

            /// The same client (same connection pool) with another per-attempt
            /// timeout, for the calls made through it.
            #[inline]
            pub fn with_timeout(&self, timeout: ::std::time::Duration) -> $client {
                $client { runtime: self.runtime.with_timeout(timeout) }
            }

            /// The same client with another deadline for each whole call.
            #[inline]
            pub fn with_deadline(&self, deadline: ::std::time::Duration) -> $client {
                $client { runtime: self.runtime.with_deadline(deadline) }
            }

            /// The same client with other retry settings, e.g. `Retries::off()`.
            #[inline]
            pub fn with_retries(&self, retries: $crate::Retries) -> $client {
                $client { runtime: self.runtime.with_retries(retries) }
            }

            /// The runtime's client, e.g. to share one connection pool with the
            /// client of another generated crate (`other::Client::from(..)`).
            #[inline]
            pub fn runtime(&self) -> &$crate::Client {
                &self.runtime
            }
        }

        impl ::core::convert::From<$crate::Client> for $client {
            #[inline]
            fn from(runtime: $crate::Client) -> Self {
                $client { runtime }
            }
        }

        /// The test kit (feature `test-util`): a mock of this API, test values
        /// of its models, and its errors built as calls get them. See the
        /// crate's README, "Testing your code".
        #[cfg(feature = "test-util")]
        pub mod test_util {
            pub use $crate::test_util::{ApiErrorBuilder, Expect, Expectation, RecordedCall, Returns, TestValue};

            /// This API on a loopback port, scripted through the call builders:
            /// `Mock::start().await`, then `mock.<group>().<call>()…returns(…)`,
            /// and `mock.client()` for the code under test.
            pub type Mock = $crate::test_util::Mock<super::$client>;

            /// The API's document as this crate keeps it, parsed on first use.
            pub(crate) static DOCUMENT: $crate::test_util::Document =
                $crate::test_util::Document::new(crate::document::DOCUMENT);

            /// An `Error::Api` as the operation `operation` (its operationId)
            /// gets it with `status`, in this API's error format: its body the
            /// test value of the error schema the operation documents for
            /// `status`, so it decodes as the error model; set a code, a message,
            /// a trace id, headers or `retry_after`, then `build()`.
            pub fn api_error(operation: &'static str, status: u16) -> ApiErrorBuilder {
                ApiErrorBuilder::new(&super::$api, operation, status).from_document(&DOCUMENT)
            }

            impl $crate::test_util::Mocked for super::$client {
                fn api() -> &'static $crate::Api {
                    &super::$api
                }

                fn document() -> &'static $crate::test_util::Document {
                    &DOCUMENT
                }
            }
        }
    };
}
