//! orgspec's allocator settings: the one place orgspec calls C.
//!
//! orgspec's own crate forbids `unsafe` code (`unsafe_code = "forbid"`); setting one of
//! mimalloc's options needs its C API, so that call lives here, alone, where it can be read
//! in a minute.

use std::os::raw::c_long;

use libmimalloc_sys as sys;

/// `mi_option_purge_delay` in mimalloc 3's `mi_option_t` (`include/mimalloc.h`); the sys
/// crate's named constants follow mimalloc 2's numbering, which differs.
const PURGE_DELAY: sys::mi_option_t = 15;

/// mimalloc 3's default for that option, in milliseconds (`src/options.c`). Finding it there
/// confirms the number names the option meant (and that the user set no
/// `MIMALLOC_PURGE_DELAY` of their own, which is then left as it is).
const DEFAULT_PURGE_DELAY: c_long = 1000;

/// Keep memory freed during the run for reuse instead of handing it back to the system.
///
/// mimalloc returns freed memory to the system a second after it is freed; a check that
/// builds and drops large tables then takes the same memory back, and the system zeroes
/// every page again. Measured on 100,000 generated posts (`perf stat`, four runs each,
/// interleaved): 1,600–3,700 huge-page faults became 440–480, and the median CPU time went
/// from 3.25 s to 2.09 s. Right for a run that ends; a process that lives on
/// (the language server) should give memory back, and does not call this.
///
/// Returns whether the setting was made: not when the option does not hold mimalloc 3's
/// default (a user's `MIMALLOC_PURGE_DELAY`, or another mimalloc).
pub fn keep_freed_memory() -> bool {
    // SAFETY: `mi_option_get` and `mi_option_set` read and write one entry of mimalloc's
    // table of options, for an option number below `_mi_option_last` (15 is); they
    // allocate nothing and may be called at any time, from any thread.
    unsafe {
        if sys::mi_option_get(PURGE_DELAY) != DEFAULT_PURGE_DELAY {
            return false;
        }
        sys::mi_option_set(PURGE_DELAY, -1);
        sys::mi_option_get(PURGE_DELAY) == -1
    }
}
