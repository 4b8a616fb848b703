//! `cargo bench --bench heap`: the heap a check holds after each stage, counted.
//!
//! A generated spec (`orgspec::generate`, fixed seed) is checked in this process through
//! an allocator that counts the bytes asked for and given back: the figures are the
//! program's own, apart from any allocator's rounding and from the machine's page
//! zeroing, so they are stable from run to run (unlike the peak resident memory `cargo
//! bench --bench check` reports). Reported after parsing, lowering, building the model
//! and the checks: the bytes live, the most live so far, and the allocations made. Sizes
//! default to 100k posts; `ORGSPEC_BENCH_SIZES=10000,100000` to choose.

use std::path::Path;

use orgspec_alloc::Counting;

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn mb(bytes: usize) -> f64 {
    bytes as f64 / 1e6
}

fn main() {
    let sizes: Vec<usize> = std::env::var("ORGSPEC_BENCH_SIZES").ok().map_or_else(
        || vec![100_000],
        |s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect(),
    );
    println!("orgspec check, generated specs (seed 1): heap after each stage, counted");
    println!(
        "{:>9} {:>7} {:>10} {:>10} {:>10} {:>12}",
        "posts", "MB", "stage", "live MB", "peak MB", "allocations"
    );
    for n in sizes {
        let text = orgspec::generate::spec(n, 1);
        let file_mb = mb(text.len());
        let mut loader = orgspec::resolve::MemoryLoader::with(&[("generated.org", &text)]);
        drop(text);
        let (base, base_calls) = (Counting::live(), Counting::calls());
        Counting::reset_peak();
        let row = |stage: &str| {
            println!(
                "{n:>9} {file_mb:>7.1} {stage:>10} {:>10.1} {:>10.1} {:>12}",
                mb(Counting::live().saturating_sub(base)),
                mb(Counting::peak().saturating_sub(base)),
                Counting::calls() - base_calls
            );
        };
        // as `orgspec check` reads a spec: posts parsed as they are lowered
        let mut ws = orgspec::resolve::Workspace::deferring_posts();
        let id = ws
            .load_root(&mut loader, Path::new("generated.org"), Path::new("."))
            .expect("the generated spec loads");
        row("parse");
        let files = ws.unit_files(id);
        // as `orgspec check` lowers a unit it checks once
        let (sources, mut lowered) = ws.lower_unit_releasing(&files);
        lowered.keep_names_for_rules();
        row("lower");
        let model = orgspec::model::Model::build(lowered.decls);
        row("model");
        let unit = orgspec::check::Unit {
            model: &model,
            rules: &lowered.rules,
            names: &lowered.names,
        };
        let findings = orgspec::check::run(
            &unit,
            sources,
            &orgspec::driver::Settings::default(),
            &mut orgspec::check::UserRules::default(),
            &mut orgspec::check::RuleTimes::default(),
        );
        row("checks");
        assert!(
            findings.is_empty(),
            "a generated spec is clean: {findings:?}"
        );
    }
}
