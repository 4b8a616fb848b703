fn main() {
    std::process::exit(orgspec::cli::main());
}
