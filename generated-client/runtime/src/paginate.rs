//! Auto-pagination of the offset-paginated list operations.
//!
//! `Pages` fetches lazily, one page per poll, and stops at `total_count`, at a
//! short page or at an empty one; offsets use checked arithmetic, so a list that
//! would reach past `i64::MAX` simply ends there.
//!
//! A server that ignores `offset` answers every page with the first one, and
//! a list that looks endless would be paged forever. `Pages` cannot compare
//! items (it knows nothing of `T`), so it compares what it can for every list
//! style: the digest of each page's raw body, which the runtime computes from
//! the bytes it already holds. Three pages in a row that repeat, byte for byte,
//! a body this stream already received end it with `Error::Pagination`: the
//! fourth request is the last. One or two are tolerated: a burst of new
//! invitations can shift a whole page onto the next offset.
//!
//! `Items` flattens the pages and drops an item whose id it has already
//! yielded: when invitations are created while paging, offsets shift and a page
//! can repeat items of the one before. It keeps a check of its own on ids, so
//! it stops in every case `Pages` does, never later, and in one more: three
//! full pages in a row with no new id, even when their bodies differ (a server
//! ignoring `offset` that stamps each answer with the time).

use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::future::Future;
use std::hash::Hasher;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

use crate::Error;

/// One page being fetched, with the digest of its body: owns everything it
/// needs, so streams are `'static`.
pub type PageFuture<T> = Pin<Box<dyn Future<Output = Result<(Page<T>, BodyDigest), Error>> + Send>>;
type Fetch<T> = Box<dyn FnMut(i64, i64) -> PageFuture<T> + Send>;

/// A digest of a page's raw body, as the server sent it: equal bodies have
/// equal digests. Made only by the runtime (`Client::send_page`).
///
/// SipHash with fixed keys, 64 bits: two different pages collide with odds of
/// 2⁻⁶⁴, and a server crafting collisions gains nothing (it can only end its
/// own list early; to page forever it need only change a byte per answer,
/// which no digest could catch).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BodyDigest(u64);

impl BodyDigest {
    pub(crate) fn of(body: &[u8]) -> Self {
        let mut hasher = std::hash::DefaultHasher::new();
        hasher.write(body);
        BodyDigest(hasher.finish())
    }
}

/// One page of a list.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Page<T> {
    /// The items on this page.
    pub items: Vec<T>,
    /// The number of items the server reports in the whole list. A list whose
    /// answer is the bare items (a JSON array) reports none: there it is the
    /// number of items up to the end of this page, all that is known so far.
    pub total_count: i64,
    /// The offset this page was fetched at.
    pub offset: i64,
    /// Whether `total_count` is the server's: only then does the list end there.
    has_total: bool,
}

impl<T> Page<T> {
    /// A page, as a generated call builds it from a list response.
    pub fn new(items: Vec<T>, total_count: i64, offset: i64) -> Self {
        Page { items, total_count, offset, has_total: true }
    }

    /// A page of a list whose answer gives no total: the list ends at a short
    /// or an empty page.
    pub fn without_total(items: Vec<T>, offset: i64) -> Self {
        let counted = i64::try_from(items.len()).unwrap_or(i64::MAX);
        Page { total_count: offset.saturating_add(counted), items, offset, has_total: false }
    }

    /// Whether `total_count` is the server's count of the whole list, rather
    /// than the items counted up to this page.
    pub fn has_total(&self) -> bool {
        self.has_total
    }
}

/// How many pages in a row may repeat what came before (the same body for
/// `Pages`, no new id on a full page for `Items`) before the stream gives up.
/// One is normal (a burst of new invitations shifts a whole page), three is a
/// server repeating itself.
pub(crate) const STALE_PAGES: u32 = 3;

/// The pages of a list, fetched one at a time as the stream is polled. It owns
/// what it needs (`'static + Send`): it can be moved into a spawned task.
///
/// The third page in a row whose body repeats, byte for byte, one this stream
/// already received ends it with `Error::Pagination` instead of being yielded:
/// a server that ignores `offset` is stopped at the fourth request.
pub struct Pages<T> {
    fetch: Fetch<T>,
    offset: i64,
    limit: i64,
    pending: Option<PageFuture<T>>,
    /// The digest of every page body received so far.
    received: HashSet<BodyDigest>,
    /// Pages in a row whose body was one already received.
    repeated: u32,
    done: bool,
}

impl<T> fmt::Debug for Pages<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("offset", &self.offset)
            .field("limit", &self.limit)
            .field("fetching", &self.pending.is_some())
            .field("repeated", &self.repeated)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl<T> Pages<T> {
    /// `fetch(offset, limit)` gets one page and the digest of its body; the
    /// first is at `offset`. Generated calls build it; use their `pages()`.
    #[doc(hidden)]
    pub fn new(offset: i64, limit: i64, fetch: impl FnMut(i64, i64) -> PageFuture<T> + Send + 'static) -> Self {
        Pages {
            fetch: Box::new(fetch),
            offset,
            limit,
            pending: None,
            received: HashSet::new(),
            repeated: 0,
            done: false,
        }
    }

    /// The next page, or `None` after the last.
    pub async fn try_next(&mut self) -> Result<Option<Page<T>>, Error> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await.transpose()
    }
}

impl<T> Stream for Pages<T> {
    type Item = Result<Page<T>, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if this.done {
            return Poll::Ready(None);
        }
        let (offset, limit) = (this.offset, this.limit);
        let pending = this.pending.get_or_insert_with(|| (this.fetch)(offset, limit));
        let result = match pending.as_mut().poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(result) => result,
        };
        this.pending = None;
        match result {
            Ok((page, digest)) => {
                let repeat = !this.received.insert(digest);
                this.repeated = if repeat { this.repeated + 1 } else { 0 };
                if this.repeated >= STALE_PAGES {
                    this.done = true;
                    let reason = "3 pages in a row repeated a page already received, byte for byte: \
                                  the server seems to ignore `offset`";
                    return Poll::Ready(Some(Err(Error::Pagination { offset, reason })));
                }
                let fetched = i64::try_from(page.items.len()).unwrap_or(i64::MAX);
                this.done = match offset.checked_add(fetched) {
                    Some(next) => {
                        this.offset = next;
                        fetched == 0 || fetched < limit || (page.has_total && next >= page.total_count)
                    }
                    // Nothing lies past `i64::MAX`: the server cannot be asked for it.
                    None => true,
                };
                Poll::Ready(Some(Ok(Page { offset, ..page })))
            }
            Err(error) => {
                this.done = true;
                Poll::Ready(Some(Err(error)))
            }
        }
    }
}

/// Types with a stable id, used to yield each list item once.
pub trait Keyed {
    /// The item's id.
    fn key(&self) -> &str;
}

/// Every item of a list, page after page, each id at most once. Like
/// [`Pages`], it owns what it needs (`'static + Send`).
///
/// It ends with `Error::Pagination` whenever its `Pages` does, and also after
/// three full pages in a row that bring no id it has not yielded yet, whatever
/// their bodies: it stops in every case `Pages` stops, never later.
pub struct Items<T> {
    pages: Pages<T>,
    buffered: VecDeque<T>,
    seen: HashSet<String>,
    /// Full pages in a row that brought nothing new.
    stale: u32,
    failed: bool,
}

impl<T> fmt::Debug for Items<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .field("buffered", &self.buffered.len())
            .field("seen", &self.seen.len())
            .finish_non_exhaustive()
    }
}

impl<T: Keyed> Items<T> {
    /// The items of `pages`. Generated calls build it; use their `items()`.
    #[doc(hidden)]
    pub fn new(pages: Pages<T>) -> Self {
        Items { pages, buffered: VecDeque::new(), seen: HashSet::new(), stale: 0, failed: false }
    }

    /// The next item, or `None` after the last.
    pub async fn try_next(&mut self) -> Result<Option<T>, Error> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await.transpose()
    }
}

impl<T: Keyed> Stream for Items<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(item) = this.buffered.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            if this.failed {
                return Poll::Ready(None);
            }
            let page = match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Ready(Some(Ok(page))) => page,
                Poll::Ready(Some(Err(error))) => return Poll::Ready(Some(Err(error))),
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Pending => return Poll::Pending,
            };
            let full = i64::try_from(page.items.len()).is_ok_and(|len| len > 0 && len >= this.pages.limit);
            let before = this.buffered.len();
            for item in page.items {
                if this.seen.insert(item.key().to_owned()) {
                    this.buffered.push_back(item);
                }
            }
            this.stale = if full && this.buffered.len() == before { this.stale + 1 } else { 0 };
            if this.stale >= STALE_PAGES {
                this.failed = true;
                let reason = "3 full pages in a row brought no new item: the server seems to ignore `offset`";
                return Poll::Ready(Some(Err(Error::Pagination { offset: page.offset, reason })));
            }
        }
    }
}

// `Pages` holds no self-references: its futures are boxed.
impl<T> Unpin for Pages<T> {}
impl<T> Unpin for Items<T> {}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[derive(Debug, Clone, PartialEq)]
    struct Item(String);

    impl Keyed for Item {
        fn key(&self) -> &str {
            &self.0
        }
    }

    /// The (offset, limit) of every fetch.
    type Calls = Arc<Mutex<Vec<(i64, i64)>>>;

    /// A page as a server would send it: its body is the ids and the total.
    fn answer(ids: Vec<&'static str>, total: Option<i64>, offset: i64) -> (Page<Item>, BodyDigest) {
        let digest = BodyDigest::of(format!("{ids:?} {total:?}").as_bytes());
        let items = ids.into_iter().map(|id| Item(id.to_owned())).collect();
        let page = match total {
            Some(total) => Page::new(items, total, offset),
            None => Page::without_total(items, offset),
        };
        (page, digest)
    }

    /// A list of `total` items served from `pages` (what each fetch returns).
    fn pages(served: Vec<Vec<&'static str>>, total: i64) -> (Pages<Item>, Calls) {
        let calls = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&calls);
        let mut served = served.into_iter();
        let pages = Pages::new(0, 2, move |offset, limit| {
            log.lock().unwrap().push((offset, limit));
            let answer = answer(served.next().unwrap_or_default(), Some(total), offset);
            Box::pin(async move { Ok(answer) })
        });
        (pages, calls)
    }

    fn block_on<F: Future>(future: F) -> F::Output {
        let mut future = std::pin::pin!(future);
        let waker = std::task::Waker::noop();
        let mut cx = Context::from_waker(waker);
        loop {
            if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
                return output;
            }
        }
    }

    fn collect(mut items: Items<Item>) -> Vec<String> {
        block_on(async {
            let mut out = Vec::new();
            while let Some(item) = items.try_next().await.unwrap() {
                out.push(item.0);
            }
            out
        })
    }

    #[test]
    fn stops_at_total_count_without_an_extra_request() {
        let (pages, calls) = pages(vec![vec!["a", "b"], vec!["c", "d"]], 4);
        assert_eq!(collect(Items::new(pages)), ["a", "b", "c", "d"]);
        assert_eq!(*calls.lock().unwrap(), [(0, 2), (2, 2)]);
    }

    #[test]
    fn a_list_without_a_total_goes_on_until_a_short_or_empty_page() {
        let calls = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&calls);
        let mut served = vec![vec!["a", "b"], vec!["c", "d"], vec![]].into_iter();
        let pages = Pages::new(0, 2, move |offset, limit| {
            log.lock().unwrap().push((offset, limit));
            let answer = answer(served.next().unwrap_or_default(), None, offset);
            Box::pin(async move { Ok(answer) })
        });
        assert_eq!(collect(Items::new(pages)), ["a", "b", "c", "d"]);
        assert_eq!(*calls.lock().unwrap(), [(0, 2), (2, 2), (4, 2)], "the empty page ends it");
        let page = Page::without_total(vec![Item("e".into())], 4);
        assert_eq!((page.total_count, page.has_total()), (5, false));
        assert!(Page::new(vec![Item("e".into())], 9, 4).has_total());
    }

    #[test]
    fn stops_at_a_short_page() {
        let (pages, calls) = pages(vec![vec!["a", "b"], vec!["c"]], 99);
        assert_eq!(collect(Items::new(pages)), ["a", "b", "c"]);
        assert_eq!(calls.lock().unwrap().len(), 2);
    }

    #[test]
    fn an_item_pushed_onto_the_next_page_is_yielded_once() {
        // A new invitation at the head shifts "b" from page 1 to page 2.
        let (pages, _) = pages(vec![vec!["a", "b"], vec!["b", "c"], vec![]], 5);
        assert_eq!(collect(Items::new(pages)), ["a", "b", "c"]);
    }

    #[test]
    fn nothing_is_fetched_until_polled() {
        let (pages, calls) = pages(vec![vec!["a"]], 1);
        let items = Items::new(pages);
        assert!(calls.lock().unwrap().is_empty());
        assert_eq!(collect(items), ["a"]);
    }

    fn collect_until_error(mut items: Items<Item>) -> (Vec<String>, Option<Error>) {
        block_on(async {
            let mut out = Vec::new();
            loop {
                match items.try_next().await {
                    Ok(Some(item)) => out.push(item.0),
                    Ok(None) => return (out, None),
                    Err(error) => {
                        assert!(items.try_next().await.unwrap().is_none(), "the error ends the stream");
                        return (out, Some(error));
                    }
                }
            }
        })
    }

    #[test]
    fn one_or_two_repeated_full_pages_are_tolerated() {
        let (pages, _) = pages(vec![vec!["a", "b"], vec!["a", "b"], vec!["a", "b"], vec!["c"]], 99);
        assert_eq!(collect(Items::new(pages)), ["a", "b", "c"]);
    }

    #[test]
    fn three_repeated_full_pages_end_the_stream_with_an_error() {
        let repeated = vec![vec!["a", "b"]; 10];
        let (pages, calls) = pages(repeated, 99);
        let (ids, error) = collect_until_error(Items::new(pages));
        assert_eq!(ids, ["a", "b"]);
        assert!(matches!(error, Some(Error::Pagination { offset: 6, .. })), "{error:?}");
        assert_eq!(calls.lock().unwrap().len(), 4);
    }

    #[test]
    fn a_short_repeated_last_page_ends_the_list_quietly() {
        let (pages, _) = pages(vec![vec!["a", "b"], vec!["a", "b"], vec!["a", "b"], vec!["b"]], 99);
        let (ids, error) = collect_until_error(Items::new(pages));
        assert_eq!(ids, ["a", "b"]);
        assert!(error.is_none(), "{error:?}");
    }

    #[test]
    fn offsets_stop_at_i64_max_instead_of_overflowing() {
        let calls = Arc::new(Mutex::new(0));
        let log = Arc::clone(&calls);
        let mut pages = Pages::new(i64::MAX - 1, 2, move |offset, _| {
            *log.lock().unwrap() += 1;
            let answer = answer(vec!["a", "b"], Some(i64::MAX), offset);
            Box::pin(async move { Ok(answer) })
        });
        let first = block_on(pages.try_next()).unwrap().unwrap();
        assert_eq!(first.offset, i64::MAX - 1);
        assert!(block_on(pages.try_next()).unwrap().is_none());
        assert_eq!(*calls.lock().unwrap(), 1);
    }

    /// Every page `pages` yields (its offset) until it ends, and the error
    /// that ended it.
    fn drain(mut pages: Pages<Item>) -> (Vec<i64>, Option<Error>) {
        block_on(async {
            let mut offsets = Vec::new();
            loop {
                match pages.try_next().await {
                    Ok(Some(page)) => offsets.push(page.offset),
                    Ok(None) => return (offsets, None),
                    Err(error) => {
                        assert!(pages.try_next().await.unwrap().is_none(), "the error ends the stream");
                        return (offsets, Some(error));
                    }
                }
            }
        })
    }

    #[test]
    fn pages_stop_at_the_third_repeated_body_with_or_without_a_total() {
        for total in [Some(1000), None] {
            let calls = Arc::new(Mutex::new(0));
            let log = Arc::clone(&calls);
            let pages = Pages::new(0, 2, move |offset, _| {
                *log.lock().unwrap() += 1;
                let answer = answer(vec!["a", "b"], total, offset);
                Box::pin(async move { Ok(answer) })
            });
            let (offsets, error) = drain(pages);
            assert_eq!(offsets, [0, 2, 4], "total {total:?}");
            assert!(matches!(error, Some(Error::Pagination { offset: 6, .. })), "{error:?}");
            assert_eq!(*calls.lock().unwrap(), 4, "total {total:?}");
        }
    }

    #[test]
    fn pages_tolerate_two_repeats_and_count_only_repeats_in_a_row() {
        let served = vec![vec!["a", "b"], vec!["a", "b"], vec!["a", "b"], vec!["c", "d"], vec!["a", "b"], vec!["e"]];
        let (pages, _) = pages(served, 99);
        let (offsets, error) = drain(pages);
        assert!(error.is_none(), "{error:?}");
        assert_eq!(offsets, [0, 2, 4, 6, 8, 10]);
    }

    #[test]
    fn pages_catch_a_server_cycling_between_two_pages() {
        let cycle = (0..10).flat_map(|_| [vec!["a", "b"], vec!["c", "d"]]).collect();
        let (pages, calls) = pages(cycle, 1000);
        let (offsets, error) = drain(pages);
        assert_eq!(offsets, [0, 2, 4, 6]);
        assert!(matches!(error, Some(Error::Pagination { offset: 8, .. })), "{error:?}");
        assert_eq!(calls.lock().unwrap().len(), 5);
    }

    #[test]
    fn items_stop_no_later_than_pages() {
        // Repeated bodies: both stop at the fourth request.
        let (pages, calls) = pages(vec![vec!["a", "b"]; 10], 1000);
        let (ids, error) = collect_until_error(Items::new(pages));
        assert_eq!(ids, ["a", "b"]);
        assert!(matches!(error, Some(Error::Pagination { offset: 6, .. })), "{error:?}");
        assert_eq!(calls.lock().unwrap().len(), 4);

        // The same ids in bodies that differ (a stamp): only `Items` can tell.
        let mut stamp = 0;
        let stamped = move |offset: i64| {
            stamp += 1;
            let digest = BodyDigest::of(format!("a b {stamp}").as_bytes());
            (Page::new(vec![Item("a".into()), Item("b".into())], 20, offset), digest)
        };
        let mut stamped_pages = stamped;
        let pages = Pages::new(0, 2, move |offset, _| {
            let answer = stamped_pages(offset);
            Box::pin(async move { Ok(answer) })
        });
        let (offsets, error) = drain(pages);
        assert!(error.is_none(), "{error:?}");
        assert_eq!(offsets, [0, 2, 4, 6, 8, 10, 12, 14, 16, 18], "`Pages` ends at total_count");
        let mut stamped_items = stamped;
        let items = Items::new(Pages::new(0, 2, move |offset, _| {
            let answer = stamped_items(offset);
            Box::pin(async move { Ok(answer) })
        }));
        let (ids, error) = collect_until_error(items);
        assert_eq!(ids, ["a", "b"]);
        assert!(matches!(error, Some(Error::Pagination { offset: 6, .. })), "{error:?}");
    }
}
