fn rss() -> String {
    let s = std::fs::read_to_string("/proc/self/status").unwrap();
    let get = |k: &str| {
        s.lines()
            .find(|l| l.starts_with(k))
            .unwrap()
            .split_whitespace()
            .nth(1)
            .unwrap()
            .parse::<u64>()
            .unwrap()
            / 1024
    };
    format!("rss {} MiB hwm {} MiB", get("VmRSS:"), get("VmHWM:"))
}
#[global_allocator]
static A: mimalloc::MiMalloc = mimalloc::MiMalloc;
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    println!("read: {}", rss());
    let mut ws = orgspec::resolve::Workspace::new();
    let mut loader = orgspec::resolve::MemoryLoader::with(&[("g.org", &text)]);
    let id = ws.load_text(
        &mut loader,
        std::path::Path::new("g.org"),
        &text,
        std::path::Path::new("."),
    );
    println!("parsed: {}", rss());
    let (decls, _) = ws.lower_unit(&[id]);
    println!("lowered: {} (states {})", rss(), decls.states.len());
    let model = orgspec::model::Model::build(decls);
    println!("model: {}", rss());
    let d = orgspec::check::run(&model, &ws.sources);
    println!("checked: {} ({} findings)", rss(), d.len());
}
