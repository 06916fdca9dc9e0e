//! KEEP: a counting global allocator over a static arena: live bytes, peak, allocs, frees.
//!
//! REPLACE the arena policy (a bump pointer that rewinds once everything is freed) with your real
//! allocator (e.g. a linked-list heap) and keep the counting around it. Not interrupt-safe: if an ISR
//! allocates, wrap alloc/dealloc in a critical section. Only plain atomic loads/stores are used, so it
//! also builds for cores without compare-and-swap (thumbv6m).

use core::alloc::{GlobalAlloc, Layout};
use core::cell::UnsafeCell;
use core::sync::atomic::{AtomicUsize, Ordering::Relaxed};

pub struct CountingArena<const N: usize> {
    arena: UnsafeCell<[u8; N]>,
    next: AtomicUsize,
    live: AtomicUsize,
    peak: AtomicUsize,
    allocs: AtomicUsize,
    frees: AtomicUsize,
}

// SAFETY: single core, no allocation from interrupt handlers (see above).
unsafe impl<const N: usize> Sync for CountingArena<N> {}

#[derive(Clone, Copy)]
pub struct HeapStats {
    pub peak: usize,
    pub current: usize,
    pub allocs: usize,
    pub frees: usize,
    pub size: usize,
}

impl<const N: usize> CountingArena<N> {
    pub const fn new() -> Self {
        CountingArena {
            arena: UnsafeCell::new([0; N]),
            next: AtomicUsize::new(0),
            live: AtomicUsize::new(0),
            peak: AtomicUsize::new(0),
            allocs: AtomicUsize::new(0),
            frees: AtomicUsize::new(0),
        }
    }

    pub fn stats(&self) -> HeapStats {
        HeapStats {
            peak: self.peak.load(Relaxed),
            current: self.live.load(Relaxed),
            allocs: self.allocs.load(Relaxed),
            frees: self.frees.load(Relaxed),
            size: N,
        }
    }

    /// Starts a new measurement: the peak restarts from the bytes live now.
    pub fn reset_peak(&self) {
        self.peak.store(self.live.load(Relaxed), Relaxed);
    }
}

unsafe impl<const N: usize> GlobalAlloc for CountingArena<N> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let base = self.arena.get() as usize;
        let start = (base + self.next.load(Relaxed) + layout.align() - 1) & !(layout.align() - 1);
        let end = start + layout.size();
        if end > base + N {
            return core::ptr::null_mut(); // out of memory: alloc's handler panics
        }
        self.next.store(end - base, Relaxed);
        let live = self.live.load(Relaxed) + layout.size();
        self.live.store(live, Relaxed);
        if live > self.peak.load(Relaxed) {
            self.peak.store(live, Relaxed);
        }
        self.allocs.store(self.allocs.load(Relaxed) + 1, Relaxed);
        start as *mut u8
    }

    unsafe fn dealloc(&self, _ptr: *mut u8, layout: Layout) {
        let live = self.live.load(Relaxed) - layout.size();
        self.live.store(live, Relaxed);
        self.frees.store(self.frees.load(Relaxed) + 1, Relaxed);
        if live == 0 {
            self.next.store(0, Relaxed); // everything freed: the bump pointer rewinds
        }
    }
}
