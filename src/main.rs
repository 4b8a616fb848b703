// A million-post spec is millions of small allocations; mimalloc serves them with far less
// time in malloc and in the kernel than the system allocator (see the benchmark notes).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The stack orgspec works on. Rules are trees walked recursively (built, compiled,
/// evaluated, formatted); their depth is bounded by the parser's limits
/// (`syntax::split::MAX_DEPTH`, `syntax::rules::MAX_OPERATORS`), and this stack holds the
/// deepest they allow many times over in a debug build. Only the pages used are committed.
const STACK: usize = 256 << 20;

fn main() {
    // a run of the CLI hands the memory it frees back within 10 ms, so that its peak holds
    // only what is live; the language server keeps mimalloc's second, its next check
    // reusing what the last one freed. Neither takes huge pages, which are zeroed and
    // counted whole however little of them is used.
    orgspec_alloc::refuse_huge_pages();
    if std::env::args_os()
        .nth(1)
        .is_none_or(|command| command != "lsp")
    {
        orgspec_alloc::purge_freed_memory_soon();
    }
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
    /// The option orgspec sets is the one it means in the mimalloc it links (its number
    /// changed between mimalloc 2 and 3): a mimalloc upgrade that moves it fails here.
    #[test]
    fn the_allocator_setting_takes() {
        assert!(orgspec_alloc::purge_freed_memory_soon());
    }

    /// The same for the option refusing huge pages; and the system takes the refusal (on
    /// Linux, where CI runs).
    #[test]
    fn huge_pages_are_refused() {
        assert_eq!(
            orgspec_alloc::refuse_huge_pages(),
            cfg!(target_os = "linux")
        );
    }
}
