//! `pages` and `items` of a generated list call, as one macro: the generated
//! code says how its operation pages (which arguments move, the page size,
//! where the items and the total are), and this writes the methods and their
//! docs once.

/// `pages()` (and `items()`, when the list's items have an id) for the call
/// builder `$call`, whose `request()` and offset and limit setters it uses:
///
/// `pages!(List -> Item; Answer, offset limit 500, envelope data total_count, items);`
///
/// - `Item`: a list item; `Answer`: the JSON answer of one call;
/// - `offset limit 500`: the setters of the offset and the limit, and the page
///   size when the call leaves the limit unset;
/// - `envelope data total_count`: the answer is an object with the items in
///   `data` and the list's size in `total_count`; `array`: it is the items,
///   with no total;
/// - `items`: write `items()` too.
///
/// Like everything in `__private`, it follows this crate's semver but serves
/// the generator.
#[doc(hidden)]
#[macro_export]
macro_rules! pages {
    ($call:ident -> $item:ty; $answer:ty, $offset:ident $limit:ident $size:literal, envelope $data:ident $total:ident $(, $items:ident)?) => {
        $crate::pages!(@ $call -> $item; $answer, $offset $limit $size,
            "Stops at `total_count`, at a short page or an empty one",
            |page, offset| $crate::Page::new(page.$data, page.$total, offset) $(, $items)?);
    };
    ($call:ident -> $item:ty; $answer:ty, $offset:ident $limit:ident $size:literal, array $(, $items:ident)?) => {
        $crate::pages!(@ $call -> $item; $answer, $offset $limit $size,
            "The answer gives no total, so it stops at a short page or an empty one",
            |page, offset| $crate::Page::without_total(page, offset) $(, $items)?);
    };
    (@ $call:ident -> $item:ty; $answer:ty, $offset:ident $limit:ident $size:literal, $ends:literal,
        |$page:ident, $at:ident| $make:expr $(, $items:ident)?) => {
        impl $call {
            #[doc = concat!(
                "Every page of this list, fetched lazily as the stream is polled: from the\n",
                "call's `offset` on (0 when unset), `limit` items a page (", stringify!($size), " when unset).\n",
                $ends, "; an error ends the stream.\n",
                "A third page in a row whose body repeats one already received ends it with\n",
                "`Error::Pagination` (a server ignoring `offset`).",
            )]
            #[inline]
            pub fn pages(mut self) -> $crate::Pages<$item> {
                // Taken before the pager sets `offset` and `limit` itself, which
                // would clear a refusal of either.
                let refused = self.extra.take_refused();
                let first = self.$offset.unwrap_or(0);
                let size = self.$limit.unwrap_or($size);
                // `send_page` hands back the digest of each page's body with the
                // page: `Pages` compares them to stop a server that ignores `offset`.
                $crate::Pages::new(first, size, move |$at, limit| {
                    let call = self.clone().$offset($at).$limit(limit);
                    let refused = refused.clone();
                    ::std::boxed::Box::pin(async move {
                        let (client, request) = $crate::__private::refused_first(refused, call.request())?;
                        let ($page, digest) = client.send_page::<$answer>(request).await?;
                        ::core::result::Result::Ok(($make, digest))
                    })
                })
            }

            $(
                /// Every item of this list, page after page (see [`pages`](Self::pages)). An item
                /// whose id was already yielded is skipped, so one pushed onto the next page by a
                /// newer one is not seen twice. It ends with `Error::Pagination` whenever `pages`
                /// would, and also after three full pages in a row with no new id, even in bodies
                /// that differ (a server repeating itself).
                #[inline]
                pub fn $items(self) -> $crate::Items<$item> {
                    $crate::Items::new(self.pages())
                }
            )?
        }
    };
}
