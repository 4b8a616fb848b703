// A million-post spec is millions of small allocations; mimalloc serves them with far less
// time in malloc and in the kernel than the system allocator (see the benchmark notes).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(orgspec::cli::main());
}
