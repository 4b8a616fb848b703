//! orgspec's allocator code: the one system call orgspec makes itself, and the counting
//! allocator of its heap benchmark.
//!
//! orgspec's own crate forbids `unsafe` code (`unsafe_code = "forbid"`); a system call
//! needs it, and an allocator is an `unsafe` trait, so both live here, alone, where they
//! can be read in a minute.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

/// Ask the system not to back this process's memory with transparent huge pages.
///
/// Where the system gives every process huge pages (`always`, as Debian's kernels do), a
/// 2 MiB page is zeroed and counted whole when the first byte of it is touched: the
/// half-used pages of the allocator's arenas and of the threads' stacks were a quarter of a
/// check's peak memory. Measured on 100,000 generated posts (`perf stat`, runs of each
/// interleaved, docs/performance.md): peak RSS 154-162 -> 117-120 MiB (medians); page
/// faults 418 -> 27,000-28,000, each a small page. The CPU time moves with the machine's
/// supply of free huge pages: 663 -> 544 ms on a busy machine, 312 -> 358 ms on a quiet
/// one, and steadier from run to run (measured with mimalloc, orgspec's allocator then;
/// glibc's malloc, its allocator now, maps its arenas and large blocks in the same
/// anonymous memory). For the process only (`prctl(PR_SET_THP_DISABLE)`), not the system.
///
/// Returns whether the process refuses them: not on a system without the call (not Linux,
/// a kernel before 3.15), where nothing changes. Called again, it changes nothing and says
/// the same.
///
/// On Linux it has run before `main`, before the first allocation ([`REFUSE_EARLY`]).
pub fn refuse_huge_pages() -> bool {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: `prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0)` sets one flag of the calling
        // process and `PR_GET_THP_DISABLE` reads it; neither reads or writes our memory.
        unsafe {
            libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0) == 0
                && libc::prctl(libc::PR_GET_THP_DISABLE, 0, 0, 0, 0) == 1
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        false
    }
}

/// [`refuse_huge_pages`], run by the C runtime before `main` and before the first
/// allocation: an ELF constructor with a priority (`.init_array.NNNNN`) runs before those
/// without. Memory touched before the refusal keeps the huge pages it was given: with
/// mimalloc, whose first arena was set up before `main`, a check of a one-post spec took
/// 13.3 MiB of resident memory refused in `main`, 9.5 MiB refused here
/// (docs/performance.md).
#[cfg(target_os = "linux")]
#[used]
#[link_section = ".init_array.00200"]
pub static REFUSE_EARLY: extern "C" fn() = {
    extern "C" fn refuse() {
        refuse_huge_pages();
    }
    refuse
};

/// The system allocator, counting the bytes live, the most live at once since
/// [`Counting::reset_peak`], and the calls that asked for memory: `cargo bench --bench
/// heap` installs it as the global allocator to report what each stage of a check holds.
pub struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static CALLS: AtomicUsize = AtomicUsize::new(0);

impl Counting {
    /// Bytes allocated and not yet freed.
    pub fn live() -> usize {
        LIVE.load(Relaxed)
    }

    /// The most bytes live at once since the last [`Counting::reset_peak`].
    pub fn peak() -> usize {
        PEAK.load(Relaxed)
    }

    /// Allocations and reallocations made so far.
    pub fn calls() -> usize {
        CALLS.load(Relaxed)
    }

    /// Start the peak again from what is live now.
    pub fn reset_peak() {
        PEAK.store(LIVE.load(Relaxed), Relaxed);
    }

    fn grew(by: usize) {
        let live = LIVE.fetch_add(by, Relaxed) + by;
        PEAK.fetch_max(live, Relaxed);
        CALLS.fetch_add(1, Relaxed);
    }
}

// SAFETY: every call is passed on to the system allocator unchanged, with the caller's
// guarantees; only the counters move.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        Counting::grew(layout.size());
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size >= layout.size() {
            Counting::grew(new_size - layout.size());
        } else {
            LIVE.fetch_sub(layout.size() - new_size, Relaxed);
            CALLS.fetch_add(1, Relaxed);
        }
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}
