//! One mistake, one finding (ARCHITECTURE.md, "One mistake, one finding"): single mistakes
//! of the kinds people make are put into the shipped specs, one at a time, and each must
//! give exactly one new error or warning — an error, at the mutated line — and nothing
//! else: no rule may fire on what another finding has already made invalid or unknown.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

mod common;

use common::org_files;

/// At most this many mutations of each kind per file, spread over the file.
const PER_KIND: usize = 3;

/// A finding as compared across runs: file, line, rule, severity.
type Finding = (String, usize, String, String);

fn findings(dir: &Path) -> BTreeSet<Finding> {
    let o = Command::new(env!("CARGO_BIN_EXE_orgspec"))
        .args([
            "check",
            "--format",
            "short",
            "--min-severity",
            "warning",
            "specs",
        ])
        .current_dir(dir)
        .output()
        .unwrap();
    let out = String::from_utf8(o.stdout).unwrap();
    out.lines()
        .map(|l| {
            // path:line:col: severity[rule]: message
            let mut parts = l.splitn(4, ':');
            let file = parts.next().unwrap().to_string();
            let line = parts.next().unwrap().parse().unwrap();
            let _col = parts.next();
            let rest = parts.next().unwrap().trim_start();
            let (severity, rest) = rest.split_once('[').unwrap();
            let rule = rest.split_once(']').unwrap().0;
            (file, line, rule.to_string(), severity.to_string())
        })
        .collect()
}

struct Mutation {
    what: String,
    /// The line (1-based) to replace, and its new text.
    line: usize,
    text: String,
    /// The lines where the one finding may be.
    at: Vec<usize>,
}

fn word_after<'l>(line: &'l str, field: &str) -> Option<&'l str> {
    let rest = line.trim_start().strip_prefix(field)?.strip_prefix(' ')?;
    let word = rest
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .next()?;
    (!word.is_empty() && word != "tbd" && word != "none").then_some(word)
}

/// Every `post ID "Title"` of a file: id → (line, title).
fn posts(lines: &[&str]) -> Vec<(String, usize, String)> {
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let t = l.trim_start();
        let t = t
            .strip_prefix("new ")
            .or_else(|| t.strip_prefix("deleted "))
            .unwrap_or(t);
        if let Some(rest) = t.strip_prefix("post ") {
            let mut words = rest.splitn(2, ' ');
            let id = words.next().unwrap_or("").to_string();
            if let Some(title) = words
                .next()
                .and_then(|r| r.strip_prefix('"'))
                .and_then(|r| r.split_once('"'))
            {
                out.push((id, i + 1, title.0.to_string()));
            }
        }
    }
    out
}

fn spread<T>(all: Vec<T>) -> Vec<T> {
    let step = all.len().div_ceil(PER_KIND).max(1);
    all.into_iter().step_by(step).take(PER_KIND).collect()
}

fn mutations(text: &str) -> Vec<Mutation> {
    let lines: Vec<&str> = text.lines().collect();
    let posts = posts(&lines);
    let titles_unique = |title: &str| posts.iter().filter(|(_, _, t)| t == title).count() == 1;
    let mut misspelt = Vec::new();
    let mut titled = Vec::new();
    let mut broken = Vec::new();
    let mut dropped = Vec::new();
    let mut circles = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let n = i + 1;
        let indent = &l[..l.len() - l.trim_start().len()];
        // a block's own line: `  reports_to head_ops`
        let own_line =
            !indent.is_empty() && !l.contains('{') && !l.contains('}') && !l.contains(';');
        if let Some(m) = word_after(l, "reports_to").filter(|_| own_line && !l.contains("->")) {
            misspelt.push(Mutation {
                what: format!("`reports_to {m}` misspelt"),
                line: n,
                text: l.replacen(m, &format!("{m}x"), 1),
                at: vec![n],
            });
            // the manager reports to this post instead: a circle of two
            let me = posts
                .iter()
                .rev()
                .find(|(_, line, _)| *line < n)
                .map(|p| p.0.clone());
            let manager = posts.iter().find(|(id, _, _)| id == m).map(|p| p.1);
            if let (Some(me), Some(decl)) = (me, manager) {
                let manager_reports = lines[decl..]
                    .iter()
                    .enumerate()
                    .take_while(|(_, ml)| !ml.trim_start().starts_with('}'))
                    .find(|(_, ml)| {
                        word_after(ml, "reports_to").is_some()
                            && !ml.contains("->")
                            && !ml.contains(';')
                    })
                    .map(|(k, ml)| (decl + k + 1, ml.to_string()));
                if let Some((line, text)) = manager_reports {
                    let old = word_after(&text, "reports_to").unwrap().to_string();
                    circles.push(Mutation {
                        what: format!("`{m}` made to report to `{me}`, which reports to it"),
                        line,
                        text: text.replacen(
                            &format!("reports_to {old}"),
                            &format!("reports_to {me}"),
                            1,
                        ),
                        at: vec![n, line],
                    });
                }
            }
        }
        if let Some(rest) = l.strip_prefix("slot ") {
            let id = rest.split([',', ' ']).next().unwrap_or("");
            if let Some((_, _, title)) = posts.iter().find(|(p, _, _)| p == id) {
                if titles_unique(title) {
                    titled.push(Mutation {
                        what: format!("a title where the id `{id}` belongs"),
                        line: n,
                        text: l.replacen(id, &format!("\"{title}\""), 1),
                        at: vec![n],
                    });
                }
            }
        }
        if let Some(t) = word_after(l, "tier").filter(|_| own_line && !l.contains("->")) {
            broken.push(Mutation {
                what: format!("`tier {t}` written `tier {t} = {t}`"),
                line: n,
                text: l.replacen(&format!("tier {t}"), &format!("tier {t} = {t}"), 1),
                at: vec![n],
            });
        }
        if word_after(l, "employer").is_some() && own_line && !l.contains("->") {
            if let Some((_, post_line, _)) = posts.iter().rev().find(|(_, pl, _)| *pl < n) {
                dropped.push(Mutation {
                    what: "an `employer` line left out".into(),
                    line: n,
                    text: String::new(),
                    at: vec![*post_line],
                });
            }
        }
    }
    // an item whose keyword is misspelt, or whose first line does not parse: its id
    // is still known, so the posts that report to it report nothing more
    let mut lost = Vec::new();
    for (id, line, _) in &posts {
        let l = lines[line - 1];
        let managed = lines
            .iter()
            .any(|x| word_after(x, "reports_to") == Some(id.as_str()));
        if !managed || !l.starts_with("post ") {
            continue;
        }
        lost.push(Mutation {
            what: format!("the keyword of `{id}` misspelt"),
            line: *line,
            text: l.replacen("post ", "pots ", 1),
            at: vec![*line],
        });
        if l.trim_end().ends_with(" {") {
            lost.push(Mutation {
                what: format!("the first line of `{id}` broken"),
                line: *line,
                text: format!("{} = {{", l.trim_end().trim_end_matches(" {")),
                at: vec![*line],
            });
        }
    }
    [misspelt, titled, broken, dropped, circles, lost]
        .into_iter()
        .flat_map(spread)
        .collect()
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn each_single_mistake_in_the_shipped_specs_gives_one_error_at_the_mistake() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&root.join("specs"), &dir.path().join("specs"));
    let baseline = findings(dir.path());
    let mut files = Vec::new();
    org_files(&dir.path().join("specs"), &mut files);
    files.sort();
    let mut tried = 0;
    let mut failures = Vec::new();
    for file in files {
        let original = std::fs::read_to_string(&file).unwrap();
        let shown = file.strip_prefix(dir.path()).unwrap().display().to_string();
        for m in mutations(&original) {
            let mut lines: Vec<&str> = original.lines().collect();
            lines[m.line - 1] = &m.text;
            std::fs::write(&file, lines.join("\n") + "\n").unwrap();
            let after = findings(dir.path());
            let new: Vec<&Finding> = after.difference(&baseline).collect();
            let right = new.len() == 1
                && new[0].0 == shown
                && new[0].3 == "error"
                && m.at.contains(&new[0].1);
            if !right {
                failures.push(format!("{shown}:{}: {}: {new:?}", m.line, m.what));
            }
            tried += 1;
        }
        std::fs::write(&file, &original).unwrap();
    }
    eprintln!("{tried} single mistakes tried");
    assert!(tried >= 100, "only {tried} mutations");
    assert!(
        failures.is_empty(),
        "{} of {tried} mutations did not give exactly one error at the mistake:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
