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

/// The shipped setups in the editors themselves: a session per editor found (Neovim on
/// `PATH` and any listed in `ORGSPEC_NVIM`, colon-separated; Emacs with Eglot) opens a spec,
/// gets the server's findings, goes to a definition in another file, hovers, completes and
/// formats. `.ci/run` installs Debian's Neovim 0.7.2, Emacs 28.2 and Eglot 1.9 and sets
/// `ORGSPEC_EDITOR_TESTS=1`, which makes a missing editor a failure.
mod sessions {
    use super::*;
    use std::path::Path;
    use std::process::Command;

    fn required() -> bool {
        std::env::var_os("ORGSPEC_EDITOR_TESTS").is_some()
    }

    fn runs(program: &str) -> bool {
        Command::new(program)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    }

    /// A copy of the shared-bodies example with one mistake: a post reporting to `nobody`.
    fn project() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for name in ["bodies.org", "early-help.org"] {
            let text = read(&format!("specs/examples/04-shared-bodies/{name}"));
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        let mut spec = read("specs/examples/04-shared-bodies/early-help.org");
        spec.push_str(
            "\npost stray \"Stray\" {\n  employer council\n  tier 3\n  reports_to nobody\n}\n",
        );
        std::fs::write(dir.path().join("early-help.org"), spec).unwrap();
        std::fs::write(dir.path().join("orgspec.toml"), "").unwrap();
        dir
    }

    /// Run `command` with the built orgspec first on `PATH`; what the session wrote.
    fn session(mut command: Command, dir: &Path) -> String {
        let bin = Path::new(env!("CARGO_BIN_EXE_orgspec")).parent().unwrap();
        let path = std::env::join_paths(std::iter::once(bin.to_path_buf()).chain(
            std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
        ))
        .unwrap();
        let out = dir.join("session.txt");
        let o = command
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("PATH", path)
            .env("HOME", dir)
            .env("SPEC", dir.join("early-help.org"))
            .env("OUT", &out)
            .output()
            .expect("run the editor");
        std::fs::read_to_string(&out).unwrap_or_else(|_| {
            panic!(
                "the session wrote nothing: {}{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            )
        })
    }

    fn assert_features(editor: &str, log: &str, mode: &str) {
        let has = |line: &str| log.lines().any(|l| l.trim_start().starts_with(line));
        for line in [
            mode,
            "attached t",
            "definition bodies.org:9",
            "hover **post** `director` — Director of Children's Services",
            "formatted org zz \"Z\" { kind council }",
        ] {
            assert!(has(line), "{editor}: no `{line}` in\n{log}");
        }
        assert!(
            log.contains("unknown post `nobody`"),
            "{editor}: the finding is not shown:\n{log}"
        );
        assert!(!log.contains("\nerror"), "{editor}:\n{log}");
    }

    #[test]
    fn neovim_with_the_shipped_setup() {
        let mut editors: Vec<String> = Vec::new();
        if runs("nvim") {
            editors.push("nvim".into());
        }
        if let Some(more) = std::env::var_os("ORGSPEC_NVIM") {
            editors.extend(std::env::split_paths(&more).map(|p| p.display().to_string()));
        }
        if editors.is_empty() {
            assert!(
                !required(),
                "ORGSPEC_EDITOR_TESTS is set but there is no `nvim`"
            );
            eprintln!("not run: no `nvim`");
            return;
        }
        for nvim in editors {
            let dir = project();
            let mut command = Command::new(&nvim);
            command.args([
                "--headless",
                "--clean",
                "--cmd",
                "luafile editors/nvim/orgspec.lua",
                "-c",
                "luafile tests/editor_sessions/neovim.lua",
            ]);
            let log = session(command, dir.path());
            let version = log.lines().next().unwrap_or_default().to_string();
            assert_features(&format!("{nvim} ({version})"), &log, "filetype orgspec");
        }
    }

    #[test]
    fn emacs_with_the_mode_and_eglot() {
        let eglot = runs("emacs")
            && Command::new("emacs")
                .args(["--batch", "--eval", "(require 'eglot)"])
                .output()
                .is_ok_and(|o| o.status.success());
        if !eglot {
            assert!(
                !required(),
                "ORGSPEC_EDITOR_TESTS is set but there is no `emacs` with Eglot"
            );
            eprintln!("not run: no `emacs` with Eglot");
            return;
        }
        let dir = project();
        let mut command = Command::new("emacs");
        command.args([
            "--batch",
            "-l",
            "editors/emacs/orgspec-mode.el",
            "-l",
            "tests/editor_sessions/emacs.el",
        ]);
        let log = session(command, dir.path());
        let version = log.lines().next().unwrap_or_default().to_string();
        assert_features(&format!("emacs ({version})"), &log, "mode orgspec-mode");
    }
}
