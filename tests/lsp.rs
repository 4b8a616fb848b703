//! `orgspec lsp` end to end: the binary is launched and driven over stdio as an editor
//! would, through a whole session.

mod lsp_client;

use lsp_client::{file_uri, Client};
use serde_json::{json, Value};
use std::path::Path;

const BODIES: &str = r#"org sbc "Stockton-on-Tees Borough Council" { kind council; tiers 6 }
org ntpct "North Tees Primary Care Trust" { kind nhs; tiers 7 }

/// The Director of Children's Services.
post director "Corporate Director" {
  employer sbc
  tier 1
  statutory dcs
}
"#;

const RESTRUCTURE: &str = r#"use "bodies.org"

post head_ops "Head of Operations" {
  employer sbc
  tier 2
  reports_to directr
}

post team_manager "Team Manager" {
  employer sbc
  tier 4
  reports_to head_ops
}
"#;

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("orgspec.toml"), "").unwrap();
    std::fs::write(dir.path().join("bodies.org"), BODIES).unwrap();
    std::fs::write(dir.path().join("restructure.org"), RESTRUCTURE).unwrap();
    dir
}

fn codes(diagnostics: &[Value]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("").to_string())
        .collect()
}

fn position(text: &str, needle: &str, nth: usize) -> Value {
    let offset = text.match_indices(needle).nth(nth).expect("needle").0;
    let line = text[..offset].matches('\n').count();
    let column = offset - text[..offset].rfind('\n').map_or(0, |i| i + 1);
    json!({ "line": line, "character": column })
}

fn at(uri: &str, text: &str, needle: &str, nth: usize) -> Value {
    json!({ "textDocument": { "uri": uri }, "position": position(text, needle, nth) })
}

#[test]
fn an_editor_session() {
    let dir = project();
    let mut client = Client::start(env!("CARGO_BIN_EXE_orgspec"));
    let caps = client.initialize(dir.path());
    assert_eq!(
        caps["capabilities"]["renameProvider"]["prepareProvider"],
        true
    );
    assert_eq!(caps["capabilities"]["documentFormattingProvider"], true);

    // open: findings with rule ids, severities, related information and a docs link
    let uri = client.open(&dir.path().join("restructure.org"), RESTRUCTURE);
    let published = client.published_for(&uri);
    // the document version the diagnostics are for, as the editor numbered it
    assert_eq!(published["version"], 1, "{published}");
    let diagnostics = published["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(codes(&diagnostics), ["unknown_name", "tier_gap"]);
    let unknown = &diagnostics[0];
    assert_eq!(unknown["severity"], 1);
    assert_eq!(unknown["source"], "orgspec");
    assert_eq!(
        unknown["range"],
        json!({ "start": { "line": 5, "character": 13 }, "end": { "line": 5, "character": 20 } })
    );
    let docs = unknown["codeDescription"]["href"].as_str().unwrap();
    assert!(
        docs.starts_with("file://") && docs.ends_with("/unknown_name.md"),
        "{docs}"
    );
    let tier_gap = &diagnostics[1];
    assert_eq!(tier_gap["severity"], 2);
    // the finding's own label is the first place, at the finding's range, not a bare line
    // of the message
    assert_eq!(
        tier_gap["relatedInformation"][0]["location"]["range"],
        tier_gap["range"]
    );
    assert!(!tier_gap["message"].as_str().unwrap().contains(
        tier_gap["relatedInformation"][0]["message"]
            .as_str()
            .unwrap()
    ));
    assert!(tier_gap["relatedInformation"][1]["message"]
        .as_str()
        .unwrap()
        .contains("tier 2"));

    // code action: the suggestion, stated exactly
    let actions = client.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri }, "range": unknown["range"], "context": { "diagnostics": [unknown] } }),
    );
    let fix = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["edit"]["changes"][&uri][0]["newText"] == "director")
        .unwrap_or_else(|| panic!("no fix in {actions}"));
    assert_eq!(fix["kind"], "quickfix");
    // apply it as the editor would: an incremental change
    let edit = &fix["edit"]["changes"][&uri][0];
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [{ "range": edit["range"], "text": "director" }] }),
    );
    let text = RESTRUCTURE.replace("directr", "director");
    assert_eq!(codes(&client.diagnostics_for(&uri)), ["tier_gap"]);

    // code action: accept the warning with an @allow and a reason to write
    let gap_range = json!({ "start": position(&text, "head_ops\n", 0), "end": position(&text, "head_ops\n", 0) });
    let actions = client.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri }, "range": gap_range, "context": { "diagnostics": [] } }),
    );
    let allow = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"].as_str().unwrap().starts_with("Allow `tier_gap`"))
        .unwrap_or_else(|| panic!("no allow in {actions}"));
    let insert = &allow["edit"]["changes"][&uri][0];
    assert_eq!(
        insert["range"]["start"],
        json!({ "line": 8, "character": 0 })
    );
    assert!(insert["newText"]
        .as_str()
        .unwrap()
        .starts_with("@allow(tier_gap, \""));

    // definition: across files
    let bodies_uri = file_uri(&dir.path().join("bodies.org"));
    let def = client.request("textDocument/definition", at(&uri, &text, "director", 0));
    assert_eq!(def["uri"], bodies_uri.as_str());
    assert_eq!(def["range"]["start"], json!({ "line": 4, "character": 5 }));
    // and `use "bodies.org"` opens the file
    let def = client.request("textDocument/definition", at(&uri, &text, "bodies", 0));
    assert_eq!(def["uri"], bodies_uri.as_str());

    // hover: title, fields, doc comment
    let hover = client.request("textDocument/hover", at(&uri, &text, "director", 0));
    let shown = hover["contents"]["value"].as_str().unwrap();
    assert!(
        shown.contains("**post** `director` — Corporate Director"),
        "{shown}"
    );
    assert!(
        shown.contains("The Director of Children's Services."),
        "{shown}"
    );
    assert!(
        shown.contains("employer sbc") && shown.contains("tier 1"),
        "{shown}"
    );
    let hover = client.request("textDocument/hover", at(&uri, &text, "head_ops", 1));
    let shown = hover["contents"]["value"].as_str().unwrap();
    assert!(shown.contains("reports_to director"), "{shown}");

    // references: the declaration and the uses, in both files
    let refs = client.request(
        "textDocument/references",
        json!({ "textDocument": { "uri": uri }, "position": position(&text, "sbc", 0), "context": { "includeDeclaration": true } }),
    );
    let files: Vec<&str> = refs
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["uri"].as_str().unwrap())
        .collect();
    assert_eq!(files.len(), 4, "{refs}"); // declared once, used in director and both posts
    assert!(files.contains(&bodies_uri.as_str()) && files.contains(&uri.as_str()));

    // completion: ids where a reference goes, fields, rule ids in @allow
    let labels = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|i| i["label"].as_str().unwrap().to_string())
            .collect()
    };
    let ids = client.request("textDocument/completion", at(&uri, &text, "director\n", 0));
    let ids = labels(&ids);
    assert!(
        ids.contains(&"director".to_string()) && ids.contains(&"head_ops".to_string()),
        "{ids:?}"
    );
    assert!(
        !ids.contains(&"sbc".to_string()),
        "an org is not a post: {ids:?}"
    );
    let fields = client.request(
        "textDocument/completion",
        at(&uri, &text, "employer sbc\n  tier 2", 0),
    );
    assert!(labels(&fields).contains(&"employer".to_string()));
    let with_allow = format!("@allow(tier\n{text}");
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 3 }, "contentChanges": [{ "text": with_allow }] }),
    );
    let rules = client.request(
        "textDocument/completion",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 0, "character": 11 } }),
    );
    assert!(labels(&rules).contains(&"tier_gap".to_string()));
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 4 }, "contentChanges": [{ "text": text }] }),
    );

    // rename: every use in every file
    let prepared = client.request("textDocument/prepareRename", at(&uri, &text, "director", 0));
    assert_eq!(prepared["placeholder"], "director");
    let edit = client.request(
        "textDocument/rename",
        json!({ "textDocument": { "uri": uri }, "position": position(&text, "director", 0), "newName": "chief_director" }),
    );
    assert_eq!(edit["changes"][&uri].as_array().unwrap().len(), 1);
    assert_eq!(edit["changes"][&bodies_uri].as_array().unwrap().len(), 1);
    assert_eq!(edit["changes"][&bodies_uri][0]["newText"], "chief_director");
    // a name that is taken is refused
    let id = client.send_request(
        "textDocument/rename",
        json!({ "textDocument": { "uri": uri }, "position": position(&text, "director", 0), "newName": "head_ops" }),
    );
    let refused = client.response(id);
    assert!(refused["error"]["message"]
        .as_str()
        .unwrap()
        .contains("already called `head_ops`"));

    // document symbols
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": uri } }),
    );
    let names: Vec<&str> = symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["use \"bodies.org\"", "head_ops", "team_manager"]);
    assert_eq!(symbols[1]["detail"], "Head of Operations");
    assert_eq!(symbols[1]["children"][0]["name"], "employer");

    // formatting
    let messy = text
        .replace("  tier 2\n", "     tier 2;")
        .replace("\n\npost team", "\n\n\n\npost team");
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 5 }, "contentChanges": [{ "text": messy }] }),
    );
    let edits = client.request(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": uri }, "options": { "tabSize": 2, "insertSpaces": true } }),
    );
    assert_eq!(edits[0]["newText"], text.as_str());

    // multi-file: a change to bodies.org re-checks the file that uses it
    client.clear();
    let without_director = BODIES.replace("post director", "post chief");
    client.open(&dir.path().join("bodies.org"), &without_director);
    let diagnostics = client.diagnostics_for(&uri);
    assert!(
        codes(&diagnostics).contains(&"unknown_name".to_string()),
        "{diagnostics:?}"
    );

    client.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": bodies_uri } }),
    );
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn the_server_survives_bad_requests_and_broken_files() {
    let dir = project();
    let mut client = Client::start(env!("CARGO_BIN_EXE_orgspec"));
    client.initialize(dir.path());

    // malformed parameters: an error answer, not a crash
    let id = client.send_request("textDocument/hover", json!({ "nonsense": true }));
    assert_eq!(client.response(id)["error"]["code"], -32602);
    // an unknown method
    let id = client.send_request("orgspec/unknown", json!({}));
    assert_eq!(client.response(id)["error"]["code"], -32601);
    // a request about a file nobody opened or has
    let missing = dir.path().join("missing.org");
    let hover = client.request("textDocument/hover", at(&file_uri(&missing), "x", "x", 0));
    assert_eq!(hover, Value::Null);
    // a notification that is not JSON the server expects
    client.send_raw(
        r#"{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":7}}"#,
    );

    // broken files give diagnostics
    for (i, text) in [
        "post a {\n  tier [\n",
        "\u{0}\u{1}binary",
        "",
        "post p \"P\" { reports_to ((((( }",
    ]
    .iter()
    .enumerate()
    {
        let uri = client.open(&dir.path().join(format!("broken{i}.org")), text);
        let diagnostics = client.diagnostics_for(&uri);
        assert!(
            codes(&diagnostics).contains(&"syntax_error".to_string()),
            "{text:?}: {diagnostics:?}"
        );
        // formatting a broken file is refused with a reason
        let id = client.send_request(
            "textDocument/formatting",
            json!({ "textDocument": { "uri": uri }, "options": { "tabSize": 2, "insertSpaces": true } }),
        );
        assert!(client.response(id)["error"]["message"]
            .as_str()
            .unwrap()
            .contains("not formatted"));
    }
    // positions past the end of a file are clamped
    let uri = file_uri(&dir.path().join("restructure.org"));
    let hover = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 999, "character": 999 } }),
    );
    assert_eq!(hover, Value::Null);
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn columns_count_what_the_client_negotiated() {
    let text = "org sbc \"S\" { kind council; tiers 6 }\npost p \"£ 𝄞\" { employer sbc; tier 1; reports_to nobody }\n";
    let start_of = |diagnostics: &[Value]| diagnostics[0]["range"]["start"]["character"].clone();
    for (offered, chosen, column) in [
        (json!(["utf-8", "utf-16"]), "utf-8", 52),
        (json!(["utf-32"]), "utf-32", 48),
        (json!([]), "utf-16", 49),
    ] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.org"), text).unwrap();
        let mut client = Client::start(env!("CARGO_BIN_EXE_orgspec"));
        let caps = client.initialize_with(
            dir.path(),
            json!({ "general": { "positionEncodings": offered } }),
        );
        assert_eq!(caps["capabilities"]["positionEncoding"], chosen);
        let uri = client.open(&dir.path().join("a.org"), text);
        let diagnostics = client.diagnostics_for(&uri);
        assert_eq!(codes(&diagnostics), ["unknown_name"]);
        assert_eq!(start_of(&diagnostics), column, "{chosen}");
        assert_eq!(client.shutdown(), Some(0));
    }
}

/// The done-criterion of the editor work: every feature on the shipped specs, with the same
/// findings as `orgspec check`.
#[test]
fn a_session_on_the_shipped_specs() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let specs = root.join("specs");
    let file = specs.join("000-stockton-isa-report-2/restructure.org");
    let text = std::fs::read_to_string(&file).unwrap();

    let cli = std::process::Command::new(env!("CARGO_BIN_EXE_orgspec"))
        .args(["check", "--format", "json", "specs"])
        .current_dir(root)
        .output()
        .unwrap();
    let cli: Value = serde_json::from_slice(&cli.stdout).unwrap();
    let expected: Vec<(String, u64)> = cli["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["file"] == "specs/000-stockton-isa-report-2/restructure.org")
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d["span"]["line"].as_u64().unwrap() - 1,
            )
        })
        .collect();
    assert!(expected.len() > 10);

    let mut client = Client::start(env!("CARGO_BIN_EXE_orgspec"));
    client.initialize(&specs);
    let uri = client.open(&file, &text);
    let diagnostics = client.diagnostics_for(&uri);
    let got: Vec<(String, u64)> = diagnostics
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["range"]["start"]["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(got, expected, "the server and the CLI find the same");

    // definition into the shared file, hover, references
    let bodies = file_uri(&specs.join("stockton-common/bodies.org"));
    let def = client.request(
        "textDocument/definition",
        at(&uri, &text, "sbc\n  tier 1", 0),
    );
    assert_eq!(def["uri"], bodies.as_str());
    let hover = client.request("textDocument/hover", at(&uri, &text, "head_ops\n", 0));
    let shown = hover["contents"]["value"].as_str().unwrap();
    assert!(
        shown.contains("**post** `head_ops` — Assistant Director"),
        "{shown}"
    );
    assert!(
        shown.contains("jointly financed"),
        "the doc comment: {shown}"
    );
    let refs = client.request(
        "textDocument/references",
        json!({ "textDocument": { "uri": uri }, "position": position(&text, "head_ops\n", 0), "context": { "includeDeclaration": false } }),
    );
    assert!(refs.as_array().unwrap().len() >= 5, "{refs}");

    // completion, rename, symbols, formatting, code actions
    let completion = client.request("textDocument/completion", at(&uri, &text, "head_ops\n", 0));
    assert!(completion
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["label"] == "corporate_director"));
    let edit = client.request(
        "textDocument/rename",
        json!({ "textDocument": { "uri": uri }, "position": position(&text, "head_ops\n", 0), "newName": "head_of_operations" }),
    );
    assert!(edit["changes"][&uri].as_array().unwrap().len() > 5);
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": uri } }),
    );
    assert!(symbols
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["name"] == "modernisation_manager"));
    let edits = client.request(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": uri }, "options": { "tabSize": 2, "insertSpaces": true } }),
    );
    assert_eq!(edits, json!([]), "the shipped specs are formatted");
    let slot = diagnostics
        .iter()
        .find(|d| d["code"] == "slot_not_one_to_one")
        .unwrap();
    let actions = client.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri }, "range": slot["range"], "context": { "diagnostics": [slot] } }),
    );
    assert!(actions.as_array().unwrap().iter().any(|a| a["title"]
        .as_str()
        .unwrap()
        .starts_with("Allow `slot_not_one_to_one`")));
    assert_eq!(client.shutdown(), Some(0));
}

/// Random edits and requests at random places, as a user typing quickly might produce:
/// the server answers every request and is alive at the end.
#[test]
fn random_edits_and_requests_never_kill_the_server() {
    const TOKENS: &[&str] = &[
        "{",
        "}",
        "[",
        "(",
        "\"",
        "->",
        ",",
        "..",
        "@allow(",
        "tbd",
        "\n",
        "post x ",
        "£",
        "é",
        "𝄞",
        "//",
        "///",
        "2007-02-30",
        ";",
        " ",
        "reports_to ",
        "use \"x.org\"\n",
        "\u{0}",
    ];
    let dir = project();
    let mut client = Client::start(env!("CARGO_BIN_EXE_orgspec"));
    client.initialize(dir.path());
    let mut text = RESTRUCTURE.to_string();
    let uri = client.open(&dir.path().join("restructure.org"), &text);
    let mut seed: u64 = 0x5eed;
    let mut next = |n: usize| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) as usize % n.max(1)
    };
    for version in 2..300 {
        // an edit at a random character boundary: insert a token or delete a little
        let mut at = next(text.len() + 1);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let mut end = (at + next(4)).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        let insert = if next(3) == 0 {
            ""
        } else {
            TOKENS[next(TOKENS.len())]
        };
        let line = text[..at].matches('\n').count();
        let column = text[text[..at].rfind('\n').map_or(0, |i| i + 1)..at]
            .encode_utf16()
            .count();
        let end_line = text[..end].matches('\n').count();
        let end_column = text[text[..end].rfind('\n').map_or(0, |i| i + 1)..end]
            .encode_utf16()
            .count();
        client.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{
                "range": { "start": { "line": line, "character": column }, "end": { "line": end_line, "character": end_column } },
                "text": insert,
            }] }),
        );
        text.replace_range(at..end, insert);
        // a request at a random position, sometimes past the end
        let method = [
            "textDocument/hover",
            "textDocument/definition",
            "textDocument/completion",
            "textDocument/documentSymbol",
            "textDocument/formatting",
            "textDocument/prepareRename",
        ][next(6)];
        let position = json!({ "line": next(20), "character": next(40) });
        let id = client.send_request(
            method,
            json!({ "textDocument": { "uri": uri }, "position": position,
                    "options": { "tabSize": 2, "insertSpaces": true } }),
        );
        let response = client.response(id);
        if let Some(error) = response.get("error") {
            // refusals are fine (a file that does not parse); failures inside orgspec are not
            assert_ne!(
                error["code"], -32603,
                "{method} at {position}: {response}\n{text}"
            );
        }
    }
    // the server's buffer followed every edit: replacing what the client holds, start to
    // end, with the original gives the original findings
    let lines = text.matches('\n').count();
    let last = text[text.rfind('\n').map_or(0, |i| i + 1)..]
        .encode_utf16()
        .count();
    client.clear();
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 300 }, "contentChanges": [{
            "range": { "start": { "line": 0, "character": 0 }, "end": { "line": lines, "character": last } },
            "text": RESTRUCTURE,
        }] }),
    );
    assert_eq!(
        codes(&client.diagnostics_for(&uri)),
        ["unknown_name", "tier_gap"]
    );
    assert_eq!(client.shutdown(), Some(0));
}

/// An id named in the expressions of the spec's own rule is found and renamed with the
/// others; the rule's own variables are not.
#[test]
fn references_reach_into_the_spec_s_rules() {
    let rules = r#"use "bodies.org"

rule council_posts "Council posts are funded by the council" {
  for p in posts where p.employer == sbc
  let sbc_share = sum(s in p.funded where s.org == sbc: s.share)
  require sbc_share > 0%
  message "`{p.name}` is not funded by {sbc}"
  at p
}
"#;
    let dir = project();
    std::fs::write(dir.path().join("rules.org"), rules).unwrap();
    let mut client = Client::start(env!("CARGO_BIN_EXE_orgspec"));
    client.initialize(dir.path());
    let uri = client.open(&dir.path().join("rules.org"), rules);
    assert_eq!(codes(&client.diagnostics_for(&uri)), Vec::<String>::new());
    let refs = client.request(
        "textDocument/references",
        json!({ "textDocument": { "uri": uri }, "position": position(rules, "sbc\n", 0), "context": { "includeDeclaration": false } }),
    );
    let in_rules: Vec<&Value> = refs
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["uri"] == uri.as_str())
        .collect();
    // `p.employer == sbc`, `s.org == sbc` and `{sbc}`, not `sbc_share`
    assert_eq!(in_rules.len(), 3, "{refs}");
    let edit = client.request(
        "textDocument/rename",
        json!({ "textDocument": { "uri": uri }, "position": position(rules, "sbc\n", 0), "newName": "council" }),
    );
    assert_eq!(edit["changes"][&uri].as_array().unwrap().len(), 3);
    assert_eq!(client.shutdown(), Some(0));
}

/// Completion and rename see what the file can name (itself and what it uses), not every
/// spec of the workspace: another restructure's posts are neither offered nor in the way.
#[test]
fn completion_and_rename_see_the_files_unit() {
    let dir = project();
    let other = "org hbc \"Hartlepool Borough Council\" { kind council; tiers 6 }\n\npost chief \"Chief Executive\" {\n  employer hbc\n  tier 1\n}\n";
    std::fs::write(dir.path().join("other.org"), other).unwrap();
    let mut client = Client::start(env!("CARGO_BIN_EXE_orgspec"));
    client.initialize(dir.path());
    let uri = client.open(&dir.path().join("restructure.org"), RESTRUCTURE);
    client.published_for(&uri);
    let completion = client.request(
        "textDocument/completion",
        at(&uri, RESTRUCTURE, "head_ops\n", 0),
    );
    let labels: Vec<&str> = completion
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert!(
        labels.contains(&"director") && labels.contains(&"head_ops"),
        "{labels:?}"
    );
    assert!(
        !labels.contains(&"chief"),
        "`chief` is in a spec this file does not use: {labels:?}"
    );

    // `chief` is free in every unit bodies.org takes part in: renaming `director` to it is
    // fine. `team_manager` would clash in restructure.org, which uses bodies.org: refused,
    // though bodies.org itself cannot see `team_manager`.
    let bodies = client.open(&dir.path().join("bodies.org"), BODIES);
    let edit = client.request(
        "textDocument/rename",
        json!({ "textDocument": { "uri": bodies }, "position": position(BODIES, "director", 0), "newName": "chief" }),
    );
    assert_eq!(
        edit["changes"][&bodies].as_array().map(Vec::len),
        Some(1),
        "{edit}"
    );
    let id = client.send_request(
        "textDocument/rename",
        json!({ "textDocument": { "uri": bodies }, "position": position(BODIES, "director", 0), "newName": "team_manager" }),
    );
    let refused = client.response(id);
    assert!(
        refused["error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("a post is already called `team_manager`"),
        "{refused}"
    );
    client.shutdown();
}

/// Edits that arrive together are checked once: ten changes in one write give diagnostics
/// for the last version only.
#[test]
fn edits_that_arrive_together_are_checked_once() {
    let dir = project();
    let mut client = Client::start(env!("CARGO_BIN_EXE_orgspec"));
    client.initialize(dir.path());
    let uri = client.open(&dir.path().join("restructure.org"), RESTRUCTURE);
    assert_eq!(client.published_for(&uri)["version"], 1);
    let edits: Vec<(&str, Value)> = (2..=11)
        .map(|version| {
            let text = RESTRUCTURE.replace("tier 4", &format!("tier {}", version % 5 + 2));
            (
                "textDocument/didChange",
                json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "text": text }] }),
            )
        })
        .collect();
    client.notify_all(&edits);
    let published = client.published_for(&uri);
    assert_eq!(
        published["version"], 11,
        "the first diagnostics after the burst are for its last edit: {published}"
    );
    // nothing more is checked: a request is answered with no diagnostics before it
    client.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": uri } }),
    );
    let more: Vec<&Value> = client
        .notifications
        .iter()
        .filter(|m| m["params"]["uri"] == uri.as_str())
        .collect();
    assert!(more.is_empty(), "{more:?}");
    client.shutdown();
}

/// The protocol's end: `exit` after `shutdown` is status 0, `exit` without it 1 (the
/// protocol says so), and a client that goes away without `exit` is 1 too.
#[test]
fn the_exit_status_says_whether_the_client_shut_down() {
    let dir = project();
    let mut client = Client::start(env!("CARGO_BIN_EXE_orgspec"));
    client.initialize(dir.path());
    client.notify("exit", Value::Null);
    assert_eq!(client.wait_exit(), Some(1));

    let mut client = Client::start(env!("CARGO_BIN_EXE_orgspec"));
    client.initialize(dir.path());
    assert_eq!(client.close_and_wait(), Some(1));
}

/// Broken input: a body that is not JSON is passed over and the server answers what
/// follows; a frame that claims a trillion bytes is not allocated (the server reads what
/// comes, and stops when the input ends inside it); a malformed header ends the server
/// with status 1, not 0.
#[test]
fn malformed_frames() {
    let dir = project();
    let mut client = Client::start(env!("CARGO_BIN_EXE_orgspec"));
    client.initialize(dir.path());
    let uri = client.open(&dir.path().join("restructure.org"), RESTRUCTURE);
    client.write_bytes(b"Content-Length: 5\r\n\r\nnope!");
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": uri } }),
    );
    assert!(symbols.is_array(), "{symbols}");
    client.write_bytes(b"Content-Length: 999999999999\r\n\r\n{\"jsonrpc\"");
    assert_eq!(client.close_and_wait(), Some(1));

    let mut client = Client::start(env!("CARGO_BIN_EXE_orgspec"));
    client.initialize(dir.path());
    client.write_bytes(b"Content-Length 12\r\n\r\n{}");
    assert_eq!(client.wait_exit(), Some(1));
}

/// The rules' documentation is written where no other user can plant a link: in the cache
/// folder, a link in a file's place is replaced, not followed; without a cache folder
/// (`HOME` unset), in a folder of the server's own, not a fixed name in the shared
/// temporary folder.
#[cfg(unix)]
#[test]
fn rule_docs_are_never_written_through_a_link() {
    let dir = project();
    let cache = tempfile::tempdir().unwrap();
    let rules = cache
        .path()
        .join("orgspec")
        .join(env!("CARGO_PKG_VERSION"))
        .join("rules");
    std::fs::create_dir_all(&rules).unwrap();
    let victim = cache.path().join("victim.txt");
    std::fs::write(&victim, "keep me").unwrap();
    std::os::unix::fs::symlink(&victim, rules.join("tier_gap.md")).unwrap();
    let mut client = Client::start_with(
        env!("CARGO_BIN_EXE_orgspec"),
        &[("XDG_CACHE_HOME", Some(cache.path()))],
    );
    client.initialize(dir.path());
    let uri = client.open(&dir.path().join("restructure.org"), RESTRUCTURE);
    client.published_for(&uri);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
    let written = std::fs::symlink_metadata(rules.join("tier_gap.md")).unwrap();
    assert!(
        written.is_file(),
        "the link was replaced by the documentation"
    );
    assert_eq!(client.shutdown(), Some(0));

    let mut client = Client::start_with(
        env!("CARGO_BIN_EXE_orgspec"),
        &[("XDG_CACHE_HOME", None), ("HOME", None)],
    );
    client.initialize(dir.path());
    let uri = client.open(&dir.path().join("restructure.org"), RESTRUCTURE);
    let published = client.diagnostics_for(&uri);
    let href = published
        .iter()
        .find_map(|d| d["codeDescription"]["href"].as_str())
        .expect("a documentation link")
        .to_string();
    let folder = Path::new(href.strip_prefix("file://").unwrap())
        .parent()
        .unwrap()
        .to_path_buf();
    let name = folder.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with("orgspec-rules-") && name.len() > "orgspec-rules-".len(),
        "{href}"
    );
    let mode =
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&folder).unwrap().permissions());
    assert_eq!(mode & 0o077, 0, "private to its user: {mode:o}");
    assert_eq!(client.shutdown(), Some(0));
    assert!(!folder.exists(), "removed when the server stops");
}

/// A file with more findings than an editor can show is sent the first thousand, the most
/// severe first and then from the top of the file, and a note at its top says how many
/// there are and how to see them all (a file of garbage once took the server past 20 GB).
#[test]
fn a_file_with_too_many_findings_is_sent_the_worst_thousand() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("orgspec.toml"), "").unwrap();
    let notes =
        (0..700).map(|i| format!("post w{i} \"W\" {{ employer sbc; tier 2; grade tbd }}\n"));
    let errors = (0..700).map(|i| format!("post e{i} \"E\" {{ employer sbx; tier 2 }}\n"));
    let text = std::iter::once("org sbc \"Stockton\" { kind council; tiers 6 }\n".to_string())
        .chain(notes)
        .chain(errors)
        .collect::<String>();
    let path = dir.path().join("many.org");
    std::fs::write(&path, &text).unwrap();
    let mut client = Client::start(env!("CARGO_BIN_EXE_orgspec"));
    client.initialize(dir.path());
    let uri = client.open(&path, &text);
    let diagnostics = client.diagnostics_for(&uri);
    assert_eq!(diagnostics.len(), 1001);
    let note = &diagnostics[0];
    assert_eq!(note["range"]["start"], json!({ "line": 0, "character": 0 }));
    assert_eq!(note["severity"], 3);
    assert_eq!(
        note["message"],
        "this file has 1,401 findings; the editor is shown 1,000, the most severe first, \
         from the top of the file\nhelp: fix these, or run `orgspec check many.org` to see every one"
    );
    let sent = codes(&diagnostics[1..]);
    let count = |code: &str| sent.iter().filter(|c| *c == code).count();
    // every error, the one warning, and the 299 notes nearest the top
    assert_eq!(count("unknown_name"), 700);
    assert_eq!(count("multiple_roots"), 1);
    assert_eq!(count("undecided"), 299);
    let last_note_line = diagnostics[1..]
        .iter()
        .filter(|d| d["code"] == "undecided")
        .map(|d| d["range"]["start"]["line"].as_u64().unwrap())
        .max();
    assert_eq!(
        last_note_line,
        Some(299),
        "posts w0 to w298, on lines 1 to 299"
    );
    client.shutdown();
}
