//! The reader of plain items (`src/syntax/plain.rs`) builds the tree pest and the tree
//! builder build, or leaves the item to them. Compared item by item: every spec and
//! fixture of the repository, generated specs, the shapes at the edge of what it reads,
//! and specs mutated at random.

use std::path::Path;

use orgspec::syntax::plain_reads_as_pest;
use orgspec::FileId;
use proptest::prelude::*;

fn org_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            org_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "org") {
            out.push(path);
        }
    }
}

fn repository_specs() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    for dir in ["specs", "tests/fixtures", "docs"] {
        org_files(&root.join(dir), &mut paths);
    }
    paths.sort();
    paths
        .into_iter()
        .filter_map(|p| {
            let text = String::from_utf8(std::fs::read(&p).unwrap()).ok()?;
            Some((p.display().to_string(), text))
        })
        .collect()
}

/// Every item it reads in the repository is read as pest reads it, and it reads most of
/// them (the others have brackets, keys, annotations or errors, or are rules).
#[test]
fn every_item_of_the_repository_it_reads_is_read_as_pest_reads_it() {
    let specs = repository_specs();
    assert!(specs.len() > 150, "{} spec files", specs.len());
    let mut read = 0;
    let mut items = 0;
    for (path, text) in &specs {
        match plain_reads_as_pest(FileId(0), text) {
            Ok(n) => read += n,
            Err(e) => panic!("{path}: {e}"),
        }
        items += orgspec::syntax::split::split(text).len();
    }
    assert!(read * 10 > items * 9, "read {read} of {items} items");
}

/// A generated spec is plain throughout: every item but its rules is read without pest.
#[test]
fn a_generated_spec_is_read_without_pest() {
    for seed in [1, 2, 3] {
        let text = orgspec::generate::spec(3_000, seed);
        let items = orgspec::syntax::split::split(&text).len();
        let read = plain_reads_as_pest(FileId(0), &text).unwrap();
        assert_eq!(read, items, "seed {seed}");
    }
}

/// The edge of what it reads: each text's item read plainly (`true`) or left to pest,
/// and always as pest reads it.
#[test]
fn what_it_reads_and_what_it_leaves_to_pest() {
    let cases: &[(&str, bool)] = &[
        ("post a \"A\" { tier 1 }", true),
        (
            "post a \"A\" {\n  employer sbc\n  tier 1; grade PO3\n}",
            true,
        ),
        ("new post a \"A\"", true),
        ("deleted post a \"A\" { }", true),
        ("post a \"A\" {\r\n  tier 1\r\n}", true),
        (
            "post a \"A\" { grade G1 -> G2; title \"A\" -> \"B\" }",
            true,
        ),
        (
            "post a \"A\" { funded sbc 50%, ntpct 50% -> sbc 100% }",
            true,
        ),
        (
            "post a \"A\" { notes \"say \\\"hi\\\" // not a comment\" }",
            true,
        ),
        ("grade sbc PO1..PO3 £38_000..£41_000.50", true),
        ("phase p \"P\" 2007-06-01..2007-10-31 { count 3..5 }", true),
        (
            "post a \"A\" { // a comment\n  /// the tier\n  tier 1 // why\n}",
            true,
        ),
        (
            "post a \"A\" {\n  /// far from its field\n\n  tier 1\n}",
            true,
        ),
        ("post a \"A\" { tier 1 } // trailing\n// and more", true),
        ("post a \"A\" { tier 1 grade G2 }", true),
        ("org sbc \"S\" { kind council\ttiers 12 }", true),
        // left to pest: shapes it does not read, and errors
        ("@allow(tier_gap, \"r\") post a \"A\"", false),
        ("post a \"A\" { contacts north: x }", false),
        ("post a \"A\" { holder [x, y] }", false),
        ("post a \"A\" { manages x,\n  y }", false),
        ("post a \"A\" { manages x, // c\n  y }", false),
        ("post a \"A\" { manages x, }", false),
        ("post a \"A\" { manages x,, y }", false),
        ("post a \"A\" { grade a -> b -> c }", false),
        ("post a \"A\" { grade a -> }", false),
        ("align sbc 3 = ntpct 4", true),
        ("align sbc 3 =\n  ntpct 4", false),
        ("align sbc 3 == ntpct 4", false),
        ("post a \"A\" { start 2007-6-1 }", false),
        ("post a \"A\" { count 1_000x }", false),
        ("post a \"A\" { count 1__0 }", false),
        ("post a \"A\" { pay £x }", false),
        ("post a \"A\" { tier: 1 }", false),
        ("post a \"A\" { tier 1 /// doc }", false),
        ("post a \"A\" { title \"open }", false),
        ("post a \"A\" { title \"tab\tok\" }", true),
        ("post a \"A\" { tier 1 }}", false),
        ("post a \"A\" { tier 1 } x", false),
        ("post a \"A\" {\r  tier 1\r}", false),
        ("new { tier 1 }", false),
        ("post a \"A\" { tier 3...5 }", false),
        ("post a \"A\" { tier 1.x }", false),
        ("post a \"A\" { x a..1 }", false),
    ];
    for (text, plain) in cases {
        let read = plain_reads_as_pest(FileId(0), text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(read == 1, *plain, "{text:?}");
    }
}

const TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "\"",
    "\\",
    "->",
    ",",
    "..",
    "..£",
    ":",
    ";",
    "=",
    "%",
    "_",
    "-",
    ".",
    "\n",
    "\r\n",
    "\r",
    "\t",
    " ",
    "//",
    "///",
    "// c\n",
    "£",
    "1",
    "a",
    "new ",
    "2007-02-30",
    "@",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    /// Specs of the repository with tokens inserted and text deleted or repeated.
    #[test]
    fn mutated_specs_are_read_as_pest_reads_them(
        pick in any::<usize>(),
        edits in prop::collection::vec((any::<usize>(), 0..TOKENS.len(), 0usize..6), 1..10),
    ) {
        let specs = repository_specs();
        let mut text = specs[pick % specs.len()].1.clone();
        for (at, token, delete) in edits {
            let mut at = at % (text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let mut end = (at + delete).min(text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            text.replace_range(at..end, TOKENS[token]);
        }
        if let Err(e) = plain_reads_as_pest(FileId(0), &text) {
            prop_assert!(false, "{}", e);
        }
    }
}
