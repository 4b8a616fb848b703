//! The editor support under `editors/` stays in step with the language: the VS Code
//! extension's manifest and TextMate grammar, the Emacs mode and the Neovim setup name
//! every item keyword, run `orgspec lsp`, and are well-formed.

use std::path::Path;

use orgspec::vocab::ITEM_KINDS;
use serde_json::Value;

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

fn json(path: &str) -> Value {
    serde_json::from_str(&read(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The words of the first regex alternation `(a|b|c)` that contains `marker`.
fn alternation<'a>(pattern: &'a str, marker: &str) -> Vec<&'a str> {
    let at = pattern.find(marker).unwrap();
    let start = pattern[..at].rfind('(').unwrap() + 1;
    let end = at + pattern[at..].find(')').unwrap();
    pattern[start..end].split('|').collect()
}

#[test]
fn the_vscode_extension_is_wired_to_the_server() {
    let manifest = json("editors/vscode/package.json");
    let language = &manifest["contributes"]["languages"][0];
    assert_eq!(language["id"], "orgspec");
    assert_eq!(language["extensions"][0], ".org");
    let grammar = &manifest["contributes"]["grammars"][0];
    assert_eq!(grammar["scopeName"], "source.orgspec");
    let grammar_path = format!("editors/vscode/{}", grammar["path"].as_str().unwrap());
    // `main` is the bundle `npm run build` makes of extension.js (run by `vsce package`)
    assert_eq!(manifest["main"], "./dist/extension.js");
    let build = manifest["scripts"]["build"].as_str().unwrap();
    assert!(build.starts_with("esbuild extension.js --bundle --outfile=dist/extension.js"));
    assert_eq!(manifest["scripts"]["vscode:prepublish"], "npm run build");
    let extension = read("editors/vscode/extension.js");
    assert!(
        extension.contains("args: [\"lsp\"]"),
        "the extension starts `orgspec lsp`"
    );
    assert!(extension.contains("language: \"orgspec\""));
    json("editors/vscode/language-configuration.json");

    let grammar = json(&grammar_path);
    assert_eq!(grammar["scopeName"], "source.orgspec");
    // every include names a rule of the repository
    let text = read(&grammar_path);
    let repository = grammar["repository"].as_object().unwrap();
    for include in text.match_indices("\"include\": \"#") {
        let name: String = text[include.0 + 13..]
            .chars()
            .take_while(|c| *c != '"')
            .collect();
        assert!(
            repository.contains_key(&name),
            "#{name} is not in the repository"
        );
    }
    // the item keywords are the language's
    let item = grammar["repository"]["item"]["match"].as_str().unwrap();
    assert_eq!(alternation(item, "post"), ITEM_KINDS);
}

#[test]
fn emacs_and_neovim_know_every_item_keyword_and_run_the_server() {
    let emacs = read("editors/emacs/orgspec-mode.el");
    let nvim = read("editors/nvim/orgspec.lua");
    for kind in ITEM_KINDS {
        assert!(
            emacs.contains(&format!("\"{kind}\"")),
            "Emacs mode lacks `{kind}`"
        );
        assert!(
            nvim.contains(&format!("\"{kind}\"")),
            "Neovim setup lacks `{kind}`"
        );
    }
    assert!(emacs.contains("(,orgspec-program \"lsp\")"));
    assert!(
        emacs.contains("-*- mode: orgspec -*-"),
        "the mode line recipe"
    );
    assert!(nvim.contains("cmd = { \"orgspec\", \"lsp\" }"));
    // balanced parentheses: the Emacs Lisp at least reads
    let code: String = emacs
        .lines()
        .filter(|l| !l.trim_start().starts_with(';'))
        .collect::<Vec<_>>()
        .join("\n");
    let mut depth = 0i32;
    let mut in_string = false;
    let mut escaped = false;
    for c in code.chars() {
        match (in_string, escaped, c) {
            (true, false, '\\') => escaped = true,
            (true, true, _) => escaped = false,
            (_, false, '"') => in_string = !in_string,
            (false, _, '(') => depth += 1,
            (false, _, ')') => depth -= 1,
            _ => {}
        }
        assert!(depth >= 0);
    }
    assert_eq!(depth, 0, "unbalanced parentheses in orgspec-mode.el");
}

/// What `vsce package` asks for: a licence file (the project's two, word for word), and a
/// `.vscodeignore` that leaves out the sources the bundle holds.
#[test]
fn the_vscode_package_has_its_licence_and_leaves_out_its_sources() {
    let licence = read("editors/vscode/LICENSE");
    assert!(licence.contains(&read("LICENSE-MIT")));
    assert!(licence.contains(&read("LICENSE-APACHE")));
    let manifest = json("editors/vscode/package.json");
    assert_eq!(manifest["license"], "MIT OR Apache-2.0");
    let ignored: Vec<String> = read("editors/vscode/.vscodeignore")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(str::to_string)
        .collect();
    for needed in ["node_modules/**", "extension.js"] {
        assert!(ignored.iter().any(|l| l == needed), "{needed}: {ignored:?}");
    }
    // no public repository yet: packaging says so instead of asking
    assert_eq!(
        manifest["scripts"]["package"],
        "vsce package --allow-missing-repository"
    );
}
