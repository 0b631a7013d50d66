//! A global allocator that counts, per thread, the allocations made and the
//! bytes asked for, then defers to the system allocator. Per thread, so that
//! the server's thread never adds to the client's counts.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

thread_local! {
    // `const` and `Cell<u64>` (no destructor, no lazy init): reading them
    // never allocates, which an allocator's own bookkeeping must not do.
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
    static BYTES: Cell<u64> = const { Cell::new(0) };
}

/// What the current thread has allocated so far.
#[derive(Debug, Clone, Copy)]
pub struct Counts {
    pub allocations: u64,
    pub bytes: u64,
}

/// The current thread's totals; subtract two readings for a span of work.
pub fn counts() -> Counts {
    Counts { allocations: ALLOCATIONS.with(Cell::get), bytes: BYTES.with(Cell::get) }
}

fn record(size: usize) {
    // `try_with`: a thread being torn down may still free and allocate after
    // its locals are gone; such calls simply go uncounted.
    let _ = ALLOCATIONS.try_with(|count| count.set(count.get() + 1));
    let _ = BYTES.try_with(|bytes| bytes.set(bytes.get() + size as u64));
}

/// The system allocator, counted. A `realloc` counts as one allocation of its
/// new size (it may move the block); frees are not counted.
pub struct Counting;

// SAFETY: every method forwards its arguments unchanged to `System`, which
// upholds `GlobalAlloc`'s contract; the counting around it never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        record(layout.size());
        // SAFETY: the caller's `layout` contract is passed on unchanged.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        record(layout.size());
        // SAFETY: as for `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System` (every allocation here does).
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        record(new_size);
        // SAFETY: `ptr` came from `System`; the caller's contract is passed on.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}
