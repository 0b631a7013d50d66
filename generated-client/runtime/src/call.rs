//! The methods every call builder of a generated crate shares, as one macro:
//! the generated code keeps what differs per operation (its arguments, their
//! checks and the request they make), and this writes `header`, `send` and
//! `send_with_metadata`, with their docs, once.
//!
//! A macro, not a generic call type: the call builders are the generated
//! crate's own types, with inherent methods a caller finds without importing
//! a trait, and `send` stays an `async fn` of the concrete type, so an
//! application compiles only the calls it makes.

/// `new`, `header`, `send` and `send_with_metadata` for the call builder
/// `$call { args }`, whose fields are `client`, an `Option` per argument and
/// `extra`, and which has a `fn request(self) -> Prepared`. The answer is:
///
/// - `$call { args } -> T`: JSON decoded as `T`;
/// - `$call { args } -> (), empty`: no content;
/// - `$call { args } -> T, decode f`: decoded by `f`, a [`Decoder`](crate::__private::Decoder)
///   (raw bytes, or the variant of a status enum).
///
/// Like everything in `__private`, it follows this crate's semver but serves
/// the generator.
#[doc(hidden)]
#[macro_export]
macro_rules! call_methods {
    ($call:ident { $($arg:ident),* $(,)? } -> $output:ty) => {
        $crate::call_methods!(@ $call { $($arg),* } -> $output;
            |client, request| client.send(request),
            |client, request| client.send_with_metadata(request));
    };
    ($call:ident { $($arg:ident),* $(,)? } -> (), empty) => {
        $crate::call_methods!(@ $call { $($arg),* } -> ();
            |client, request| async move { client.send_without_content(request).await.map(|_| ()) },
            |client, request| client.send_without_content(request));
    };
    ($call:ident { $($arg:ident),* $(,)? } -> $output:ty, decode $decode:expr) => {
        $crate::call_methods!(@ $call { $($arg),* } -> $output;
            |client, request| client.send_decoding(request, $decode),
            |client, request| client.send_decoding_with_metadata(request, $decode));
    };
    (@ $call:ident { $($arg:ident),* } -> $output:ty; |$c1:ident, $r1:ident| $send:expr, |$c2:ident, $r2:ident| $with_metadata:expr) => {
        impl $call {
            /// A call with no argument set yet.
            #[inline]
            // A call builder may be named `New`, for an operation called so.
            #[allow(clippy::self_named_constructors)]
            fn new(client: $crate::Client) -> Self {
                Self { client, $($arg: ::core::option::Option::None,)* extra: ::core::default::Default::default() }
            }

            /// Adds a header to this call, such as `Prefer` or `Idempotency-Key`.
            /// Checked when the call is sent, before anything goes out: see
            /// [`limits::REFUSED_HEADERS`](crate::limits::REFUSED_HEADERS) for the
            /// names refused and the limits.
            #[inline]
            pub fn header(
                mut self,
                name: impl ::core::convert::Into<::std::string::String>,
                value: impl ::core::convert::Into<::std::string::String>,
            ) -> Self {
                self.extra.push_header(name.into(), value.into());
                self
            }

            /// Sends the call, retried as the client's settings and the operation
            /// allow, and decodes the answer.
            pub async fn send(mut self) -> ::core::result::Result<$output, $crate::Error> {
                let refused = self.extra.take_refused();
                let ($c1, $r1) = $crate::__private::refused_first(refused, self.request())?;
                $send.await
            }

            /// Sends the call like [`send`](Self::send), and keeps the answer's
            /// status and headers.
            pub async fn send_with_metadata(
                mut self,
            ) -> ::core::result::Result<$crate::Response<$output>, $crate::Error> {
                let refused = self.extra.take_refused();
                let ($c2, $r2) = $crate::__private::refused_first(refused, self.request())?;
                $with_metadata.await
            }
        }

        #[cfg(feature = "test-util")]
        impl $crate::test_util::Expect for $call {
            type Output = $output;

            fn expected_request(mut self) -> ($crate::__private::Prepared, bool) {
                #[allow(unused_imports)]
                use $crate::test_util::{Fill as _, NoFill as _};
                // Arguments left unset match anything: filled with stand-ins.
                let mut any_body = false;
                $(
                    if self.$arg.is_none() {
                        if let ::core::option::Option::Some((value, model)) = (&$crate::test_util::Unset::of(&self.$arg)).fill() {
                            self.$arg = ::core::option::Option::Some(value);
                            any_body |= model;
                        }
                    }
                )*
                let refused = self.extra.take_refused();
                ($crate::__private::refused_first(refused, self.request()), any_body)
            }
        }
    };
}

/// `send_chunked` for the call builder `$call` of the operation `$id`, whose
/// body is a list of at most `$max` items (the spec's `maxItems`); `nested` when the items need
/// the nesting check, which runs on the whole body before any chunk is copied
/// (copies and drops recurse). The call has a `body: Option<Vec<_>>` field
/// and a `body` setter.
///
/// Like everything in `__private`, it follows this crate's semver but serves
/// the generator.
#[doc(hidden)]
#[macro_export]
macro_rules! send_chunked {
    ($call:ident -> $output:ty, $id:literal, $max:literal, nested) => {
        $crate::send_chunked!(@ $call -> $output, $id, $max, "A body left unset or nested too deep",
            |items| $crate::__private::nesting($id, "body", &mut items)?);
    };
    ($call:ident -> $output:ty, $id:literal, $max:literal) => {
        $crate::send_chunked!(@ $call -> $output, $id, $max, "A body left unset", |items| ());
    };
    (@ $call:ident -> $output:ty, $id:literal, $max:literal, $refused:literal, |$items:ident| $check:expr) => {
        impl $call {
            #[doc = concat!(
                "Sends a body of any length as consecutive calls of at most ", stringify!($max), " items (the\n",
                "spec's `maxItems`), one after another, and reports each chunk's result with the\n",
                "range of the body it covered. A failed chunk does not stop the later ones; an\n",
                "empty body sends nothing.\n",
                $refused, " is `Error::InvalidArgument`, as for [`send`](Self::send),\n",
                "and sends nothing.",
            )]
            #[allow(unused_mut)]
            pub async fn send_chunked(
                mut self,
            ) -> ::core::result::Result<::std::vec::Vec<$crate::Chunk<$output>>, $crate::Error> {
                const MAX_ITEMS: usize = $max;
                let ::core::option::Option::Some(mut $items) = self.body.take() else {
                    return ::core::result::Result::Err($crate::Error::InvalidArgument {
                        operation: $id,
                        argument: "body",
                        reason: ::std::borrow::ToOwned::to_owned("is required but was not set"),
                    });
                };
                #[allow(clippy::let_unit_value)]
                let () = $check;
                let mut chunks = ::std::vec::Vec::new();
                for (index, chunk) in $items.chunks(MAX_ITEMS).enumerate() {
                    let start = index * MAX_ITEMS;
                    let result = self.clone().body(chunk.to_vec()).send().await;
                    chunks.push($crate::Chunk::new(start..start + chunk.len(), result));
                }
                ::core::result::Result::Ok(chunks)
            }
        }
    };
}
