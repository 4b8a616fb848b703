// The allocator is the system's (glibc's malloc). mimalloc was, while a check built a syntax
// tree of every post and millions of small allocations with it; now that posts are read
// into compact states, glibc's peaks 4.4 MiB lower at 100k posts (47.1 against 51.5 MiB,
// medians of eleven runs interleaved), checks 100k posts as fast (0.248 against 0.261 s)
// and 1M posts within the noise (2.66 against 2.51 s and 2.70 against 2.79 s in two sets
// of runs; 396 against 391 MiB); the language server's keystroke at 10k posts is no slower
// (26–36 ms median over four runs, 36 with mimalloc): docs/performance.md.

/// The stack orgspec works on. Rules are trees walked recursively (built, compiled,
/// evaluated, formatted); their depth is bounded by the parser's limits
/// (`syntax::split::MAX_DEPTH`, `syntax::rules::MAX_OPERATORS`), and this stack holds the
/// deepest they allow many times over in a debug build. Only the pages used are committed.
const STACK: usize = 256 << 20;

fn main() {
    // no huge pages, which are zeroed and counted whole however little of them is used
    // (refused before `main` already, on Linux; again here, where that could not run)
    orgspec_alloc::refuse_huge_pages();
    // rayon's workers parse items and run rules: the same stack (2 MiB otherwise)
    if let Err(e) = rayon::ThreadPoolBuilder::new()
        .stack_size(STACK)
        .build_global()
    {
        eprintln!("error: orgspec could not start its worker threads: {e}");
        std::process::exit(2);
    }
    let worker = std::thread::Builder::new()
        .name("orgspec".into())
        .stack_size(STACK)
        .spawn(orgspec::cli::main);
    let code = match worker.map(std::thread::JoinHandle::join) {
        Ok(Ok(code)) => code,
        // a panic has already been reported by the panic hook
        Ok(Err(_)) => 101,
        Err(e) => {
            eprintln!("error: orgspec could not start its worker thread: {e}");
            2
        }
    };
    std::process::exit(code);
}

#[cfg(test)]
mod tests {
    /// The system takes the refusal of huge pages (on Linux, where CI runs).
    #[test]
    fn huge_pages_are_refused() {
        assert_eq!(
            orgspec_alloc::refuse_huge_pages(),
            cfg!(target_os = "linux")
        );
    }
}
