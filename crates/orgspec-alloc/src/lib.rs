//! orgspec's allocator code: the one place orgspec calls C, and the counting allocator of
//! its heap benchmark.
//!
//! orgspec's own crate forbids `unsafe` code (`unsafe_code = "forbid"`); setting one of
//! mimalloc's options needs its C API, and an allocator is an `unsafe` trait, so both live
//! here, alone, where they can be read in a minute.

use std::alloc::{GlobalAlloc, Layout, System};
use std::os::raw::c_long;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use libmimalloc_sys as sys;

/// `mi_option_purge_delay` in mimalloc 3's `mi_option_t` (`include/mimalloc.h`); the sys
/// crate's named constants follow mimalloc 2's numbering, which differs.
const PURGE_DELAY: sys::mi_option_t = 15;

/// mimalloc 3's default for that option, in milliseconds (`src/options.c`). Finding it there
/// confirms the number names the option meant (and that the user set no
/// `MIMALLOC_PURGE_DELAY` of their own, which is then left as it is).
const DEFAULT_PURGE_DELAY: c_long = 1000;

/// How long mimalloc keeps memory freed during a run of the CLI before handing it back to
/// the system, in milliseconds.
const SOON: c_long = 10;

/// Hand memory freed during the run back to the system soon (10 ms) rather than after a
/// second.
///
/// A check builds large tables and drops them (the chunks of a file being split, the trees
/// of posts being lowered, the vectors a list grows out of); kept, freed memory is still
/// counted in the process's resident memory at its peak, though nothing holds it. Once the
/// process refused huge pages ([`refuse_huge_pages`]), handing it back costs small-page
/// faults only. Measured on generated posts, runs of each setting interleaved: 100k posts,
/// peak RSS 84.4–86.1 → 78.9–80.4 MiB (five runs), wall and CPU time the same (0.24–0.35 s,
/// CPU 0.33–0.52 s against 0.31–0.46 s); 1M posts, 690–694 → 663 MiB (three runs), wall
/// 2.85–3.25 → 2.94–3.29 s. Before huge pages were refused, keeping the memory for good
/// (`-1`) had saved a third of the CPU time in the kernel zeroing 2 MiB pages again. A
/// process that lives on (the language server) keeps mimalloc's default.
///
/// Returns whether the setting was made: not when the option does not hold mimalloc 3's
/// default (a user's `MIMALLOC_PURGE_DELAY`, or another mimalloc).
pub fn purge_freed_memory_soon() -> bool {
    // SAFETY: `mi_option_get` and `mi_option_set` read and write one entry of mimalloc's
    // table of options, for an option number below `_mi_option_last` (15 is); they
    // allocate nothing and may be called at any time, from any thread.
    unsafe {
        if sys::mi_option_get(PURGE_DELAY) != DEFAULT_PURGE_DELAY {
            return false;
        }
        sys::mi_option_set(PURGE_DELAY, SOON);
        sys::mi_option_get(PURGE_DELAY) == SOON
    }
}

/// `mi_option_allow_thp` in mimalloc 3's `mi_option_t`; its default is 1 (allowed).
const ALLOW_THP: sys::mi_option_t = 43;

/// Ask the system not to back this process's memory with transparent huge pages.
///
/// Where the system gives every process huge pages (`always`, as Debian's kernels do), a
/// 2 MiB page is zeroed and counted whole when the first byte of it is touched: the
/// half-used pages of mimalloc's arenas and of the threads' stacks were a quarter of a
/// check's peak memory. Measured on 100,000 generated posts (`perf stat`, runs of each
/// interleaved, docs/performance.md): peak RSS 154-162 -> 117-120 MiB (medians); page
/// faults 418 -> 27,000-28,000, each a small page. The CPU time moves with the machine's
/// supply of free huge pages: 663 -> 544 ms on a busy machine, 312 -> 358 ms on a quiet
/// one, and steadier from run to run. For the process only (`prctl(PR_SET_THP_DISABLE)`), not the system, and
/// mimalloc is told not to ask for huge pages itself (its `allow_thp`).
///
/// Returns whether the process refuses them: not on a system without the call (not Linux,
/// a kernel before 3.15), where nothing changes; nor when mimalloc's option holds neither
/// its default nor the refusal (another mimalloc), left as it is. Called again, it changes
/// nothing and says the same.
///
/// On Linux it has run before `main`, before mimalloc set itself up ([`REFUSE_EARLY`]).
pub fn refuse_huge_pages() -> bool {
    // SAFETY: `mi_option_get` and `mi_option_set` read and write one entry of mimalloc's
    // table of options, for an option number below `_mi_option_last` (43 is); they
    // allocate nothing and may be called at any time, from any thread, before mimalloc
    // is initialised too (an option is read from the environment when first asked for).
    unsafe {
        match sys::mi_option_get(ALLOW_THP) {
            1 => sys::mi_option_set(ALLOW_THP, 0),
            0 => {}
            _ => return false,
        }
    }
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

/// [`refuse_huge_pages`], run by the C runtime before `main` and before mimalloc sets
/// itself up: an ELF constructor with a priority (`.init_array.NNNNN`) runs before those
/// without, and mimalloc's has none. mimalloc reads its options when it starts and reserves
/// its first arena by them; refused later, in `main`, the arena was already set up for huge
/// pages, and a check of a one-post spec took 13.3 MiB of resident memory, 9.5 MiB when
/// refused here (`MIMALLOC_ALLOW_THP=0` gives the same); 100k generated posts, one core,
/// 70.2 -> 67.4 MiB (docs/performance.md).
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
