//! Every input a fuzz target ever crashed on, replayed through the same harness
//! (`fuzz/harness.rs`) in an ordinary test build, and the fuzzing dictionary kept in step
//! with the vocabulary. See docs/fuzzing.md.

#[path = "../fuzz/harness.rs"]
mod harness;

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The inputs kept for `target`, and the harness's function for it.
fn replay(target: &str, run: fn(&[u8])) -> usize {
    let folder = root().join("fuzz/regressions").join(target);
    let Ok(entries) = std::fs::read_dir(&folder) else {
        return 0;
    };
    let mut n = 0;
    for entry in entries {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        eprintln!("{target}: {}", path.display());
        run(&bytes);
        n += 1;
    }
    n
}

#[test]
fn crashes_found_by_fuzzing_stay_fixed() {
    replay("check", harness::check);
    replay("fmt", harness::format);
    replay("rules", harness::rules);
    replay("lsp", harness::lsp);
}

/// The harness itself on ordinary input: a spec, a rule, a session of editor messages.
#[test]
fn the_harness_runs_on_ordinary_input() {
    let spec = std::fs::read(root().join("specs/examples/02-joint-funding.org")).unwrap();
    harness::check(&spec);
    harness::format(&spec);
    harness::rules(b"for p in posts\nrequire tier(p) < 5\nmessage \"{p.title} is deep\"");
    let open = serde_json::json!({ "jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
        "textDocument": { "uri": "file:///nowhere/x.org", "languageId": "orgspec", "version": 1,
                          "text": "post p \"P\" { tier 1 }\n" } } });
    let hover = serde_json::json!({ "jsonrpc": "2.0", "id": 7, "method": "textDocument/hover", "params": {
        "textDocument": { "uri": "file:///nowhere/x.org" }, "position": { "line": 0, "character": 5 } } });
    let mut session = open.to_string().into_bytes();
    session.push(0);
    session.extend(hover.to_string().as_bytes());
    harness::lsp(&session);
}

/// libFuzzer's dictionary: the language's words (item kinds, every field of every kind,
/// statement keywords) and its punctuation. Regenerate with
/// `UPDATE_DOCS=1 cargo test --test fuzz_regressions`.
#[test]
fn the_fuzzing_dictionary_has_the_vocabulary() {
    let mut words: Vec<String> = Vec::new();
    for kind in orgspec::vocab::ITEM_KINDS {
        words.push(format!("{kind} "));
    }
    for (_, rows, aliases) in orgspec::decl::KINDS {
        words.extend(rows.iter().map(|r| format!("{} ", r.name)));
        words.extend(aliases.iter().map(|a| format!("{} ", a.name)));
    }
    let more = [
        "new ",
        "deleted ",
        "severity ",
        "param ",
        "for ",
        "let ",
        "require ",
        "message ",
        "help ",
        "at ",
        "also ",
        "completeness",
        " in ",
        " where ",
        " and ",
        " or ",
        "not ",
        "any ",
        "all ",
        "tbd",
        "none",
        "vacant",
        "true",
        "false",
        "->",
        "..",
        "==",
        "!=",
        "<=",
        ">=",
        "{",
        "}",
        "(",
        ")",
        "[",
        "]",
        ",",
        ";",
        ":",
        "=",
        "\"",
        "\\\"",
        "//",
        "///",
        "@allow(",
        "use \"",
        "£",
        "%",
        "2024-04-01",
        "2024-04",
        "100%",
        "50%",
        "\n",
        "\r\n",
        "posts",
        "orgs",
        "events",
        "tier(",
        "count(",
        "sum(",
        "first(",
        "filter(",
    ];
    words.extend(more.iter().map(|s| (*s).to_string()));
    words.sort();
    words.dedup();
    let mut dict = String::from(
        "# libFuzzer dictionary of the orgspec language, generated from its vocabulary by\n# tests/fuzz_regressions.rs (UPDATE_DOCS=1 cargo test --test fuzz_regressions).\n",
    );
    for w in &words {
        let escaped: String = w
            .bytes()
            .map(|b| match b {
                b'"' => "\\\"".to_string(),
                b'\\' => "\\\\".to_string(),
                0x20..=0x7e => (b as char).to_string(),
                _ => format!("\\x{b:02X}"),
            })
            .collect();
        dict.push('"');
        dict.push_str(&escaped);
        dict.push_str("\"\n");
    }
    let path = root().join("fuzz/orgspec.dict");
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, &dict).unwrap();
    }
    let committed = std::fs::read_to_string(Path::new(&path)).unwrap_or_default();
    assert!(
        committed == dict,
        "fuzz/orgspec.dict is stale: run `UPDATE_DOCS=1 cargo test --test fuzz_regressions`"
    );
}
