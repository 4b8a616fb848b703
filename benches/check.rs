//! `cargo bench --bench check`: check time and peak memory of generated specs.
//!
//! For each size, a spec is generated (`orgspec::generate`, fixed seed) and the release
//! binary checks it several times as a separate process, so each run's peak memory is its
//! own. Reported: the median wall time, the median of each stage (from `--timings`), the
//! rules' time in all (each rule's own time, added: at most 0.1 s at 100k is a goal), and
//! the median peak resident memory. Beside it, in the same run, the yardstick: Python's
//! `json.load` of the same model written as JSON (`benches/json_yardstick.py`; medians of
//! as many runs, each in a fresh interpreter), and the ratios issue 16 set as goals: the
//! check's time over json.load's (at most 1.5 at 100k), over the 100k check's of the same
//! run (at most 11 at 1M), and peak memory over the spec's size (at most 4). Sizes default
//! to 10k, 100k and 1M posts; set `ORGSPEC_BENCH_SIZES=10000,100000` to choose.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Numbers after each `label ` in the `--timings` line.
fn stage(line: &str, label: &str) -> Option<f64> {
    let rest = &line[line.find(label)? + label.len()..];
    let num: String = rest
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    num.parse().ok()
}

fn main() {
    let bin = env!("CARGO_BIN_EXE_orgspec");
    let sizes: Vec<usize> = std::env::var("ORGSPEC_BENCH_SIZES").ok().map_or_else(
        || vec![10_000, 100_000, 1_000_000],
        |s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect(),
    );
    let dir = std::env::temp_dir().join(format!("orgspec-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");

    println!(
        "orgspec check, generated specs (seed 1), median of runs; cores: {}",
        std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
    );
    println!(
        "{:>9} {:>7} {:>5} {:>8} {:>8} {:>9} {:>8} {:>8} {:>8} {:>9} {:>8} {:>9} {:>8} {:>7} {:>7} {:>8}",
        "posts",
        "MB",
        "runs",
        "total s",
        "parse s",
        "resolve s",
        "model s",
        "checks s",
        "rules s",
        "peak MiB",
        "JSON MB",
        "json.load",
        "JSON MiB",
        "× json",
        "× 100k",
        "peak/MB"
    );
    // the 100k check's median time, for the ratio of a larger one's
    let mut at_100k = None;
    for &n in &sizes {
        let text = orgspec::generate::spec(n, 1);
        let file = dir.join(format!("generated-{n}.org"));
        std::fs::write(&file, &text).expect("write spec");
        let runs = if n >= 1_000_000 { 3 } else { 7 };
        let mut wall = Vec::new();
        let mut cols: [Vec<f64>; 6] = Default::default();
        for _ in 0..runs {
            let t = Instant::now();
            let out = run(bin, &file);
            wall.push(t.elapsed().as_secs_f64());
            let stderr = String::from_utf8_lossy(&out.stderr);
            let line = stderr
                .lines()
                .find(|l| l.starts_with("timings:"))
                .unwrap_or_default();
            for (i, label) in ["read+parse", "resolve", "model", "checks"]
                .iter()
                .enumerate()
            {
                cols[i].push(stage(line, label).unwrap_or(f64::NAN));
            }
            cols[4].push(stage(line, "peak memory").unwrap_or(f64::NAN));
            // `rules: 0.110s in all, …`, the line after the stages
            let rules = stderr
                .lines()
                .find(|l| l.starts_with("rules:"))
                .and_then(|l| stage(l, "rules:"));
            cols[5].push(rules.unwrap_or(f64::NAN));
            if !out.stdout.is_empty() {
                eprintln!(
                    "note: the generated spec drew findings:\n{}",
                    String::from_utf8_lossy(&out.stdout)
                        .lines()
                        .take(5)
                        .collect::<Vec<_>>()
                        .join("\n")
                );
            }
        }
        let [parse, resolve, model, checks, memory, rules] = cols;
        let (json_mb, json_s, json_mib) = yardstick(&file, runs);
        let mb = text.len() as f64 / 1e6;
        let total = median(wall);
        let peak = median(memory);
        if n == 100_000 {
            at_100k = Some(total);
        }
        // `-` where there is no 100k check to compare with (a smaller size, or none run)
        let over_100k = match at_100k {
            Some(t) if n > 100_000 => format!("{:.1}", total / t),
            _ => "-".to_string(),
        };
        println!(
            "{n:>9} {mb:>7.1} {runs:>5} {total:>8.3} {:>8.3} {:>9.3} {:>8.3} {:>8.3} {:>8.3} {peak:>9.0} {json_mb:>8.1} {json_s:>9.3} {json_mib:>8.0} {:>7.2} {over_100k:>7} {:>8.1}",
            median(parse),
            median(resolve),
            median(model),
            median(checks),
            median(rules),
            total / json_s,
            peak * 1.048_576 / mb,
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Python's `json.load` of the same model: the JSON's size in MB, the median seconds and
/// the median peak MiB (NaN when Python is missing).
fn yardstick(spec: &Path, runs: usize) -> (f64, f64, f64) {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/json_yardstick.py");
    let out = Command::new("python3")
        .arg(script)
        .arg(spec)
        .arg(runs.to_string())
        .output();
    let text = match out {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).into_owned(),
        Ok(o) => {
            eprintln!(
                "note: the yardstick failed: {}",
                String::from_utf8_lossy(&o.stderr)
            );
            return (f64::NAN, f64::NAN, f64::NAN);
        }
        Err(e) => {
            eprintln!("note: no yardstick (python3: {e})");
            return (f64::NAN, f64::NAN, f64::NAN);
        }
    };
    let v: Vec<f64> = text
        .split_whitespace()
        .filter_map(|x| x.parse().ok())
        .collect();
    match v[..] {
        [mb, s, mib] => (mb, s, mib),
        _ => (f64::NAN, f64::NAN, f64::NAN),
    }
}

fn run(bin: &str, file: &Path) -> std::process::Output {
    Command::new(bin)
        .args(["check", "--format", "short", "--timings"])
        .arg(file)
        .output()
        .expect("run orgspec")
}
