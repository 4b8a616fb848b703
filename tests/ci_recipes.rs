//! The CI recipes shipped in the repository run as written: every `orgspec` command of the
//! GitHub and GitLab examples, against a copy of `specs/`, and each pre-commit hook's
//! `entry` with file names appended, as pre-commit calls it.

use std::path::Path;
use std::process::Command;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Run `orgspec ARGS [> FILE]` in `dir`: the exit code and what it printed (or wrote).
fn run_line(dir: &Path, line: &str) -> (i32, String) {
    let (command, redirect) = match line.split_once(" > ") {
        Some((c, file)) => (c, Some(file.trim())),
        None => (line, None),
    };
    let mut words = command.split_whitespace();
    assert_eq!(words.next(), Some("orgspec"), "{line}");
    let o = Command::new(env!("CARGO_BIN_EXE_orgspec"))
        .args(words)
        .current_dir(dir)
        .output()
        .unwrap();
    let out = String::from_utf8(o.stdout).unwrap();
    if let Some(file) = redirect {
        std::fs::write(dir.join(file), &out).unwrap();
    }
    (o.status.code().unwrap(), out)
}

/// The `orgspec …` commands of a CI file, in order.
fn commands(file: &str) -> Vec<String> {
    std::fs::read_to_string(root().join(file))
        .unwrap()
        .lines()
        .filter_map(|l| {
            let l = l.trim().trim_start_matches("- ");
            let l = l.strip_prefix("run: ").unwrap_or(l);
            // `orgspec … || failed=1`: the shell's bookkeeping is not the command
            let l = l.split(" || ").next().unwrap_or(l);
            l.starts_with("orgspec ").then(|| l.to_string())
        })
        .collect()
}

fn check_output(line: &str, code: i32, out: &str) {
    if line.contains(" fmt ") {
        assert_eq!(code, 0, "{line}: the shipped specs are formatted\n{out}");
        return;
    }
    // the seed papers have real errors: the check step fails, as it should
    assert_eq!(code, 1, "{line}");
    if line.contains("--format github") {
        assert!(out.lines().all(|l| l.starts_with("::")), "{out}");
        assert!(out.contains("::error file="));
    } else if line.contains("--format sarif") {
        let log: serde_json::Value = serde_json::from_str(out).unwrap();
        assert_eq!(log["version"], "2.1.0");
    } else if line.contains("--format junit") {
        roxmltree::Document::parse(out).unwrap();
    } else if line.contains("--format short") {
        assert!(out.lines().all(|l| l.splitn(4, ':').count() == 4), "{out}");
    } else {
        panic!("untested recipe command: {line}");
    }
}

#[test]
fn the_github_actions_workflow_runs() {
    let commands = commands("docs/ci/github-actions.yml");
    assert_eq!(commands.len(), 4, "{commands:?}");
    // the steps after the layout check run even when it fails, so its annotations and
    // summary are never lost to an unformatted file
    let text = std::fs::read_to_string(root().join("docs/ci/github-actions.yml")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    for (i, l) in lines.iter().enumerate() {
        if l.contains("run: orgspec check") || l.contains("GITHUB_STEP_SUMMARY") {
            assert!(
                lines[i..]
                    .iter()
                    .take(3)
                    .any(|n| n.trim() == "if: always()"),
                "{l}: runs only if the steps before it passed"
            );
        }
    }
    assert!(text.contains("actions: read"));
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("specs"), &dir.path().join("specs"));
    for line in &commands {
        let (code, out) = run_line(dir.path(), line);
        check_output(line, code, &out);
    }
    assert!(dir.path().join("orgspec.sarif").is_file());
}

#[test]
fn the_gitlab_job_runs() {
    let commands = commands("docs/ci/gitlab-ci.yml");
    assert_eq!(commands.len(), 2, "{commands:?}");
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("specs"), &dir.path().join("specs"));
    for line in &commands {
        let (code, out) = run_line(dir.path(), line);
        check_output(line, code, &out);
    }
    assert!(dir.path().join("orgspec-junit.xml").is_file());
}

#[test]
fn the_pre_commit_hooks_run_on_staged_files() {
    let text = std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).unwrap();
    let entries: Vec<&str> = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("entry: "))
        .collect();
    let ids: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("- id: "))
        .collect();
    assert_eq!(ids, ["orgspec-fmt", "orgspec-fmt-check", "orgspec-check"]);
    assert_eq!(entries.len(), ids.len());

    let clean =
        std::fs::read_to_string(root().join("specs/examples/01-a-first-structure.org")).unwrap();
    let messy = clean.replacen("  employer council\n", "  employer    council;", 1);
    for entry in entries {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("clean.org"), &clean).unwrap();
        let (code, _) = run_line(dir.path(), &format!("{entry} clean.org"));
        assert_eq!(code, 0, "{entry} on a clean, formatted spec");

        std::fs::write(dir.path().join("messy.org"), &messy).unwrap();
        let (code, _) = run_line(dir.path(), &format!("{entry} clean.org messy.org"));
        let after = std::fs::read_to_string(dir.path().join("messy.org")).unwrap();
        match entry {
            "orgspec fmt" => {
                // pre-commit fails a hook that changes files, and shows the change
                assert_eq!(code, 0);
                assert_eq!(after, clean);
            }
            "orgspec fmt --check" => {
                assert_eq!(code, 1);
                assert_eq!(after, messy);
            }
            _ => assert_eq!(code, 0, "{entry}: the layout is no finding"),
        }
    }
}

/// The check hook is given only the staged files: a change to a shared file that breaks a
/// spec using it (not staged) must still fail it.
#[test]
fn the_check_hook_sees_breakage_through_use() {
    let text = std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).unwrap();
    let entry = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("entry: "))
        .find(|e| e.starts_with("orgspec check"))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("specs"), &dir.path().join("specs"));
    let bodies = "specs/examples/04-shared-bodies/bodies.org";
    let (code, out) = run_line(dir.path(), &format!("{entry} {bodies}"));
    assert_eq!(code, 0, "{out}");

    // `director` renamed in bodies.org; only bodies.org is staged
    let path = dir.path().join(bodies);
    let renamed = std::fs::read_to_string(&path)
        .unwrap()
        .replace("post director ", "post directr ");
    std::fs::write(&path, renamed).unwrap();
    let (code, out) = run_line(dir.path(), &format!("{entry} {bodies}"));
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("early-help.org:8:14: error[unknown_name]: unknown post `director`"),
        "{out}"
    );
}
