use std::time::Instant;
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    for _ in 0..3 {
        let t = Instant::now();
        let chunks = orgspec::syntax::split::split(&text);
        let split = t.elapsed();
        let t = Instant::now();
        let (parsed, d) = orgspec::syntax::parse_file(orgspec::FileId(0), &text);
        let parse = t.elapsed();
        let mut ws = orgspec::resolve::Workspace::new();
        let mut loader = orgspec::resolve::MemoryLoader::with(&[("g.org", &text)]);
        let t = Instant::now();
        let id = ws.load_text(
            &mut loader,
            std::path::Path::new("g.org"),
            &text,
            std::path::Path::new("."),
        );
        let load = t.elapsed();
        let t = Instant::now();
        let (decls, _) = ws.lower_unit(&[id]);
        let lower = t.elapsed();
        println!("chunks {} split {:?} parse(incl split) {:?} items {} diags {} | load {:?} lower {:?} states {}", chunks.len(), split, parse, parsed.items.len(), d.len(), load, lower, decls.states.len());
    }
}
