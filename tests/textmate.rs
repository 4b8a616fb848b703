//! The VS Code grammar (`editors/vscode/syntaxes/orgspec.tmLanguage.json`) run through the
//! tokenizer VS Code itself uses (vscode-textmate on Oniguruma, `tests/textmate/`), on the
//! standard library and the shipped specs.
//!
//! Needs Node.js and `npm ci` in `tests/textmate`; `.ci/run` does both and sets
//! `ORGSPEC_TEXTMATE_TESTS=1`, which makes a missing tokenizer a failure. Without that
//! variable and without the tokenizer the test says it did not run (on standard error).

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use serde_json::Value;

mod common;

use common::org_files;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

struct Token {
    line: usize,
    text: String,
    scopes: Vec<String>,
}

impl Token {
    fn in_string(&self) -> bool {
        self.scopes.iter().any(|s| s.starts_with("string."))
    }
}

/// Whether the tokenizer can run here; a failure if CI asked for it and it cannot.
fn tokenizer_ready() -> bool {
    let installed = root()
        .join("tests/textmate/node_modules/vscode-textmate")
        .is_dir()
        && Command::new("node")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
    if !installed {
        assert!(
            std::env::var_os("ORGSPEC_TEXTMATE_TESTS").is_none(),
            "ORGSPEC_TEXTMATE_TESTS is set but Node.js or tests/textmate/node_modules is missing (run `npm ci` in tests/textmate)"
        );
        eprintln!("not run: needs Node.js and `npm ci` in tests/textmate");
    }
    installed
}

fn tokenize(text: &str) -> Vec<Token> {
    let mut child = Command::new("node")
        .arg(root().join("tests/textmate/tokenize.js"))
        .arg(root().join("editors/vscode/syntaxes/orgspec.tmLanguage.json"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run node");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            Token {
                line: v["line"].as_u64().unwrap() as usize,
                text: v["text"].as_str().unwrap().to_string(),
                scopes: v["scopes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|s| s.as_str().unwrap().to_string())
                    .collect(),
            }
        })
        .collect()
}

/// The documented form of a string inside an interpolation: the inner string is a string,
/// and the outer one goes on to its own closing quote.
#[test]
fn an_escaped_quote_in_an_interpolation_does_not_end_the_string() {
    if !tokenizer_ready() {
        return;
    }
    let text = "rule r \"R\" {\n  message \"{plural(n, \\\"post\\\")} moved\"\n}\npost p \"P\" { tier 1 }\n";
    let tokens = tokenize(text);
    let find = |t: &str| {
        tokens
            .iter()
            .find(|k| k.text == t)
            .unwrap_or_else(|| panic!("no token `{t}`"))
    };
    assert!(find("post").in_string(), "`post` is the inner string");
    assert!(
        find("post")
            .scopes
            .contains(&"meta.embedded.expression.orgspec".to_string()),
        "inside the interpolation"
    );
    let moved = find(" moved");
    assert!(moved.in_string(), "` moved` is still the message");
    assert!(!moved.scopes.iter().any(|s| s.starts_with("meta.embedded")));
    // the next line starts outside any string
    let tier = tokens
        .iter()
        .find(|k| k.line == 4 && k.text == "tier")
        .unwrap();
    assert_eq!(
        tier.scopes,
        ["source.orgspec", "variable.other.property.field.orgspec"]
    );
}

/// A backslash is only ever written inside a string: on every line of the standard library
/// and the shipped specs, each token holding one is in a string, and no string runs on to
/// the next line.
#[test]
fn every_string_of_the_shipped_specs_ends_where_it_ends() {
    if !tokenizer_ready() {
        return;
    }
    let mut files = Vec::new();
    org_files(&root().join("std"), &mut files);
    org_files(&root().join("specs"), &mut files);
    files.sort();
    let mut escaped_lines = 0;
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        escaped_lines += text.lines().filter(|l| l.contains("\\\"")).count();
        for token in tokenize(&text) {
            let shown = || {
                format!(
                    "{}:{}: `{}` {:?}",
                    file.display(),
                    token.line,
                    token.text,
                    token.scopes
                )
            };
            if token.text.contains('\\') {
                assert!(
                    token.in_string(),
                    "a backslash outside a string: {}",
                    shown()
                );
            }
        }
    }
    assert!(
        escaped_lines >= 19,
        "the std lines with escaped quotes: {escaped_lines}"
    );
}
