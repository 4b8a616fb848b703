//! No input makes orgspec panic: the shipped specs and rule fixtures, mutated at random
//! (tokens inserted, text deleted or repeated, bytes that are not UTF-8), go through the
//! whole pipeline and every output format; every span must lie inside its file. And the
//! language server's re-parse after an edit, which reuses unchanged items, must equal a
//! fresh parse of the mutated text; a check that parses each post as it is lowered and
//! frees its tree must find what a check that keeps the trees (the language server's)
//! finds; and a check that asks only the subjects its filter can hold of must find what
//! one that asks every subject finds.

use std::path::Path;

use orgspec::diagnostic::Summary;
use orgspec::report::{render_human, render_json, render_short, HumanOptions};
use proptest::prelude::*;

const TOKENS: &[&[u8]] = &[
    b"{",
    b"}",
    b"[",
    b"]",
    b"(",
    b")",
    b"\"",
    b"->",
    b",",
    b"..",
    b"@allow(",
    b"tbd",
    b"none",
    b"\n",
    b"\r\n",
    b"//",
    b"///",
    b"// c\n",
    "£".as_bytes(),
    b"\xff",
    b"\x00",
    b"post ",
    b"new ",
    b"deleted ",
    b"2007-02-30",
    b"1_000x",
    b"%",
    b":",
    b";",
    b"=",
    b" ",
    b"\t",
    b"\xef\xbb\xbf",
    b"use \"x.org\"\n",
];

fn corpus() -> Vec<Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in [
        "specs/000-stockton-isa-report-2",
        "specs/001-stockton-isa-report-1",
        "specs/examples",
        "tests/fixtures/rules",
    ] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap().flatten() {
            if entry.path().extension().is_some_and(|e| e == "org") {
                out.push(std::fs::read(entry.path()).unwrap());
            }
        }
    }
    out
}

#[derive(Debug, Clone)]
enum Mutation {
    Insert(usize, usize),
    Delete(usize, usize),
    Repeat(usize, usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 0..TOKENS.len()).prop_map(|(at, t)| Mutation::Insert(at, t)),
        (any::<usize>(), 1usize..40).prop_map(|(at, n)| Mutation::Delete(at, n)),
        (any::<usize>(), any::<usize>(), 1usize..60)
            .prop_map(|(at, from, n)| Mutation::Repeat(at, from, n)),
    ]
}

fn apply(mut data: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for m in mutations {
        let len = data.len();
        match *m {
            Mutation::Insert(at, t) => {
                let at = at % (len + 1);
                data.splice(at..at, TOKENS[t].iter().copied());
            }
            Mutation::Delete(at, n) if len > 0 => {
                let at = at % len;
                data.drain(at..(at + n).min(len));
            }
            Mutation::Repeat(at, from, n) if len > 0 => {
                let (at, from) = (at % (len + 1), from % len);
                let piece: Vec<u8> = data[from..(from + n).min(len)].to_vec();
                data.splice(at..at, piece);
            }
            _ => {}
        }
    }
    data
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_specs_never_panic(pick in any::<usize>(), mutations in prop::collection::vec(mutation(), 1..8)) {
        let bytes = mutated(pick, &mutations);
        let mut loader = orgspec::resolve::MemoryLoader::default();
        loader.files.insert("f.org".into(), bytes.clone());
        let mut ws = orgspec::resolve::Workspace::new();
        let id = ws.load_root(&mut loader, Path::new("f.org"), Path::new(".")).unwrap();
        let (diagnostics, _) = orgspec::driver::check_units(&mut ws, &[id], &orgspec::driver::Settings::default());
        for d in &diagnostics {
            for span in std::iter::once(d.span).chain(d.labels.iter().map(|l| l.span)) {
                let text = &ws.sources.get(span.file).text;
                prop_assert!(span.start <= span.end && span.end as usize <= text.len(), "{d:?}");
                prop_assert!(text.is_char_boundary(span.start as usize) && text.is_char_boundary(span.end as usize), "{d:?}");
            }
        }
        let summary = Summary::count(&diagnostics, 1);
        render_human(&ws.sources, &diagnostics, HumanOptions { color: false, width: 100 });
        render_short(&ws.sources, &diagnostics);
        let json: serde_json::Value = serde_json::from_str(&render_json(&ws.sources, &diagnostics, summary)).unwrap();
        prop_assert_eq!(json["version"].as_u64(), Some(1));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    /// The formatter on broken and odd text: it refuses what does not parse, and what it
    /// formats it formats safely (its own check finds no change of meaning) and for good.
    #[test]
    fn mutated_specs_format_safely_or_not_at_all(pick in any::<usize>(), mutations in prop::collection::vec(mutation(), 1..8)) {
        let bytes = mutated(pick, &mutations);
        let Ok(text) = String::from_utf8(bytes) else { return Ok(()) };
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        match orgspec::format::format(orgspec::FileId(0), text) {
            Ok(formatted) => {
                let again = orgspec::format::format(orgspec::FileId(0), &formatted);
                prop_assert!(matches!(&again, Ok(t) if *t == formatted), "not idempotent: {again:?}");
            }
            Err(orgspec::format::FormatError::Syntax(d)) => prop_assert!(!d.is_empty()),
            Err(orgspec::format::FormatError::Unsafe(why)) => prop_assert!(false, "unsafe layout: {why}\n{text}"),
        }
    }
}

const SETTINGS: &str = "[rules]\nselect = [\"tier_gap\", \"span_of_control\"]\nignore = [\"service_classification\"]\njoint_accountability = \"off\"\n\n[rules.span_of_control]\nseverity = \"error\"\nlimit = 15\n\n[rules.cross_employer_management]\nkinds = [\"s113\", \"s75\"]\n\n[rules.budget_exceeded]\nseverity = \"warning\"\n";

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    /// A damaged orgspec.toml gives diagnostics inside the file, never a panic.
    #[test]
    fn mutated_settings_never_panic(mutations in prop::collection::vec(mutation(), 1..6)) {
        let bytes = apply(SETTINGS.as_bytes().to_vec(), &mutations);
        let mut sources = orgspec::SourceMap::default();
        let (_, diagnostics) = orgspec::config::load(Path::new("orgspec.toml"), bytes, &mut sources);
        for d in &diagnostics {
            for span in std::iter::once(d.span).chain(d.labels.iter().map(|l| l.span)) {
                let text = &sources.get(span.file).text;
                prop_assert!(span.start <= span.end && span.end as usize <= text.len(), "{d:?}");
                prop_assert!(text.is_char_boundary(span.start as usize) && text.is_char_boundary(span.end as usize), "{d:?}");
            }
        }
        render_human(&sources, &diagnostics, HumanOptions { color: false, width: 100 });
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    /// The language server's parse after an edit, which moves the unchanged items of the
    /// previous parse rather than parsing them again, gives exactly the fresh parse — items,
    /// spans, lost items and diagnostics — after two random edits in turn.
    #[test]
    fn a_reused_parse_is_the_fresh_parse(
        pick in any::<usize>(),
        first in prop::collection::vec(mutation(), 1..4),
        second in prop::collection::vec(mutation(), 1..4),
    ) {
        use orgspec::syntax::{parse_file, parse_file_reusing, reuse::Previous};
        use orgspec::FileId;
        let corpus = corpus();
        let original = corpus[pick % corpus.len()].clone();
        let edited = apply(original.clone(), &first);
        let again = apply(edited.clone(), &second);
        let texts: Vec<String> = [original, edited, again]
            .iter()
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .collect();
        let (mut parsed, _) = parse_file(FileId(0), &texts[0]);
        for step in 1..texts.len() {
            let previous = Previous { text: texts[step - 1].clone(), parsed };
            let (reused, reused_diagnostics) = parse_file_reusing(FileId(0), &texts[step], Some(previous));
            let (fresh, fresh_diagnostics) = parse_file(FileId(0), &texts[step]);
            prop_assert_eq!(format!("{reused:?}"), format!("{fresh:?}"), "edit {}", step);
            prop_assert_eq!(format!("{reused_diagnostics:?}"), format!("{fresh_diagnostics:?}"));
            parsed = reused;
        }
    }

    /// `orgspec check` parses each post as it is lowered and frees its tree at once (a
    /// post whose text does not read as its first line said sends the unit back to a full
    /// parse); the language server's check parses everything first and keeps every tree.
    /// Both must find the same, on any text.
    #[test]
    fn a_check_that_frees_the_trees_finds_what_one_that_keeps_them_finds(
        pick in any::<usize>(),
        mutations in prop::collection::vec(mutation(), 0..6),
    ) {
        let bytes = mutated(pick, &mutations);
        let check = |keep: bool| {
            let (diagnostics, anchors) = check_unit(&[("f.org", &bytes)], keep);
            (format!("{diagnostics:?}"), anchors)
        };
        prop_assert_eq!(check(false), check(true));
    }

    /// A check asks only the posts (or shares) its filter can hold of
    /// (`check/engine/eval/guard.rs`): asking every one of them must find the same, on any
    /// text. (Turning guards off is for the whole process; the other tests here would find
    /// the same either way, which is what this one shows.)
    #[test]
    fn a_guarded_check_finds_what_one_that_asks_every_subject_finds(
        pick in any::<usize>(),
        mutations in prop::collection::vec(mutation(), 0..6),
    ) {
        let bytes = mutated(pick, &mutations);
        let check = |guarded: bool| {
            orgspec::check::engine::eval::set_guarded(guarded);
            let (diagnostics, anchors) = check_unit(&[("f.org", &bytes)], false);
            orgspec::check::engine::eval::set_guarded(true);
            (format!("{diagnostics:?}"), anchors)
        };
        prop_assert_eq!(check(true), check(false));
    }
}

/// A spec or fixture of the corpus, picked by `pick`, with `mutations` applied.
fn mutated(pick: usize, mutations: &[Mutation]) -> Vec<u8> {
    let corpus = corpus();
    apply(corpus[pick % corpus.len()].clone(), mutations)
}

/// Check the unit rooted at the first of `files` as `orgspec check` reads it (posts parsed
/// as they are lowered, each tree freed at once), or with `keep` as the language server
/// does (every tree parsed first, and kept): its findings, and the item each one is
/// anchored to (what is left of an item must still name it, for SARIF's fingerprints).
fn check_unit(
    files: &[(&str, &[u8])],
    keep: bool,
) -> (Vec<orgspec::diagnostic::Diagnostic>, Vec<Option<String>>) {
    let mut loader = orgspec::resolve::MemoryLoader::default();
    for (name, bytes) in files {
        loader.files.insert((*name).into(), bytes.to_vec());
    }
    let mut ws = if keep {
        orgspec::resolve::Workspace::new()
    } else {
        orgspec::resolve::Workspace::deferring_posts()
    };
    let id = ws
        .load_root(&mut loader, Path::new(files[0].0), Path::new("."))
        .unwrap();
    let settings = orgspec::driver::Settings::default();
    let (diagnostics, _, _) = orgspec::driver::check_units_indexed(&mut ws, &[id], &settings, keep);
    let anchors = diagnostics
        .iter()
        .map(|d| ws.item_at(d.span).map(|(kind, id)| format!("{kind} {id}")))
        .collect();
    (diagnostics, anchors)
}

/// A file that two checked specs both `use` is lowered for each of them: the first one's
/// check must not free the posts the second one reads.
#[test]
fn a_file_two_specs_use_is_read_whole_by_both() {
    let shared = "org sbc \"Borough\" { kind council; tiers 3 }\n\
                  grade sbc G1\n\
                  post head \"Head of Service\" { employer sbc; tier 1; grade G1 }\n";
    let spec = |id: &str| {
        format!(
            "use \"shared.org\"\n\
             spec {id} \"A restructure\" {{ authority sbc; published 2025-01-15; status draft }}\n\
             post {id}_lead \"Lead\" {{ employer sbc; tier 2; grade G1; reports_to head; reports_to head }}\n"
        )
    };
    let (a, b) = (spec("a"), spec("b"));
    let files = [
        ("a.org", a.as_str()),
        ("b.org", b.as_str()),
        ("shared.org", shared),
    ];
    let alone = |name: &str| {
        let text = files.iter().find(|f| f.0 == name).unwrap().1;
        let (_, diagnostics) = orgspec::driver::check_memory(&[(name, text)], &files);
        diagnostics
    };
    let (_, together) = orgspec::driver::check_memory(&files[..2], &files[2..]);
    let mut apart = alone("a.org");
    apart.extend(alone("b.org"));
    let describe = |ds: &[orgspec::diagnostic::Diagnostic]| {
        let mut lines: Vec<String> = ds
            .iter()
            .map(|d| format!("{} {}", d.rule, d.message))
            .collect();
        lines.sort();
        lines
    };
    assert_eq!(describe(&together), describe(&apart));
    // each spec's own post names the shared head, and the head is read whole for both:
    // no finding says the head lacks a field
    assert!(
        !together.iter().any(|d| d.rule.as_ref() == "missing_field"),
        "{together:#?}"
    );
}

/// A post whose text does not read as its first line said sends its whole unit back to a
/// full parse — the files it uses too, whose posts the first lowering already freed (here
/// posts read when loaded, for their annotations: none of that file's is left for later).
#[test]
fn a_post_that_reads_otherwise_sends_its_whole_unit_back_to_a_full_parse() {
    let shared = "org sbc \"Borough\" { kind council; tiers 3 }\n\
                  grade sbc G1\n\
                  @allow(span_of_control, \"agreed\")\n\
                  post head \"Head of Service\" { employer sbc; tier 1; grade G1 }\n\
                  @allow(span_of_control, \"agreed\")\n\
                  post deputy \"Deputy\" { employer sbc; tier 2; grade G1; reports_to head }\n";
    let root = "use \"shared.org\"\n\
                spec a \"A restructure\" { authority sbc; published 2025-01-15; status draft }\n\
                post lead \"Lead\" { employer sbc; tier 2 = 2; grade G1; reports_to head }\n";
    let check = |keep: bool| {
        let files: [(&str, &[u8]); 2] = [
            ("a.org", root.as_bytes()),
            ("shared.org", shared.as_bytes()),
        ];
        check_unit(&files, keep)
            .0
            .iter()
            .map(|d| format!("{} {}", d.rule, d.message))
            .collect::<Vec<_>>()
    };
    let found = check(false);
    assert_eq!(found, check(true));
    assert!(
        found.iter().any(|d| d.starts_with("syntax_error")),
        "{found:#?}"
    );
    assert!(
        !found.iter().any(|d| d.starts_with("missing_field")),
        "{found:#?}"
    );
}
