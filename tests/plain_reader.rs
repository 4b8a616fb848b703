//! The reader of plain items (`src/syntax/plain.rs`) builds the tree pest and the tree
//! builder build, or leaves the item to them. Compared item by item: every `.org` file of
//! the repository (specs, the standard library, fixtures, the docs' examples) and copies
//! of them with CRLF line ends and tabs, generated specs, the shapes at the edge of what
//! it reads, specs mutated at random, and well-formed plain items generated at random
//! (which it must read itself).

use orgspec::syntax::plain_reads_as_pest;
use orgspec::FileId;
use proptest::prelude::*;

mod common;

/// Every `.org` file of the repository, as (path, text).
fn repository_specs() -> Vec<(String, String)> {
    common::repository().into_iter().collect()
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

/// The same files written with CRLF line ends, and indented with tabs: each item the
/// reader reads in the original it reads in these too, as pest does.
#[test]
fn crlf_and_tab_indented_copies_are_read_as_pest_reads_them() {
    for (path, text) in &repository_specs() {
        let plain = plain_reads_as_pest(FileId(0), text).unwrap_or_else(|e| panic!("{e}"));
        let crlf = text.replace("\r\n", "\n").replace('\n', "\r\n");
        let mut tabs = String::with_capacity(text.len());
        for line in text.lines() {
            let body = line.trim_start_matches(' ');
            let depth = (line.len() - body.len()).div_ceil(2);
            tabs.extend(std::iter::repeat_n('\t', depth));
            tabs.push_str(body);
            tabs.push('\n');
        }
        for (how, copy) in [("CRLF", crlf), ("tabs", tabs)] {
            match plain_reads_as_pest(FileId(0), &copy) {
                Ok(n) => assert_eq!(n, plain, "{path} with {how}: items read plainly"),
                Err(e) => panic!("{path} with {how}: {e}"),
            }
        }
    }
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

/// A value's atom, as written: names, ranges of names, numbers, percentages, dates,
/// ranges of them, money, strings with escapes, tabs and letters beyond ASCII.
fn atom() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z_][a-z0-9_]{0,6}",
        "[A-Z]{1,2}[0-9]{1,2}\\.\\.[A-Z]{1,2}[0-9]{1,2}",
        "[0-9]{1,3}(_[0-9]{3})?(\\.[0-9]{1,2})?%?",
        "20[0-9]{2}-[01][0-9](-[0-3][0-9])?",
        "[0-9]{1,2}\\.\\.[0-9]{1,3}",
        "20[0-9]{2}-0[1-9]-[0-2][0-9]\\.\\.20[0-9]{2}-1[0-2]-[0-2][0-9]",
        "£[0-9]{1,2}(_[0-9]{3})?(\\.[0-9]{2})?(\\.\\.£[0-9]{2}_[0-9]{3})?",
        "\"([a-zA-Z0-9 ,.;:{}()\\[\\]/@£é\\t-]|\\\\\"|\\\\\\\\|\\\\n){0,12}\"",
    ]
}

/// Terms of atoms side by side, joined by `,` and at most one `->`, with any spacing.
fn list() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(prop::collection::vec(atom(), 1..3), 1..4),
        prop::collection::vec(prop::collection::vec(atom(), 1..3), 0..3),
        "[ \t]{1,2}",
        "[ \t]{0,2}",
    )
        .prop_map(|(old, new, gap, before)| {
            let terms = |terms: &[Vec<String>]| {
                terms
                    .iter()
                    .map(|t| t.join(&gap))
                    .collect::<Vec<_>>()
                    .join(&format!("{before},{gap}"))
            };
            if new.is_empty() {
                terms(&old)
            } else {
                // `5->4` is a malformed date to pest (`5-`): a `->` is spaced
                format!("{}{gap}->{gap}{}", terms(&old), terms(&new))
            }
        })
}

/// An item of the plain shape: lifecycle, keyword, header, and a block whose fields are
/// separated by line ends (LF or CRLF), `;` or nothing before `}`, with comments, doc
/// comments and blank lines among them.
fn plain_item() -> impl Strategy<Value = String> {
    let field = (
        "[a-z_]{1,8}",
        prop::option::of(list()),
        prop_oneof!["", " // why"],
        prop_oneof![
            "",
            "  /// the field\n",
            "  /// one\n\n  /// two\n",
            "  // note\n"
        ],
    );
    (
        prop_oneof!["", "new ", "deleted "],
        "[a-z]{2,6}",
        prop::option::of(list()),
        prop::option::of(prop::collection::vec(field, 0..5)),
        prop_oneof!["\n", "\r\n"],
        prop_oneof!["", " // end"],
    )
        .prop_map(|(lifecycle, kind, header, block, eol, trailing)| {
            let mut text = format!("{lifecycle}{kind}");
            if let Some(h) = header {
                text.push(' ');
                text.push_str(&h);
            }
            if let Some(fields) = block {
                text.push_str(" {");
                text.push_str(&eol);
                for (name, value, comment, above) in fields {
                    text.push_str(&above.replace('\n', &eol));
                    text.push_str("  ");
                    text.push_str(&name);
                    if let Some(v) = value {
                        text.push(' ');
                        text.push_str(&v);
                    }
                    text.push_str(&comment);
                    text.push_str(&eol);
                }
                text.push('}');
            }
            text.push_str(&trailing);
            text.push_str(&eol);
            text
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, failure_persistence: None, ..ProptestConfig::default() })]

    /// Well-formed plain items of every shape are read without pest, into pest's tree.
    #[test]
    fn plain_items_of_every_shape_are_read_as_pest_reads_them(item in plain_item()) {
        match plain_reads_as_pest(FileId(0), &item) {
            Ok(read) => prop_assert_eq!(read, 1, "left to pest: {:?}", item),
            Err(e) => prop_assert!(false, "{}", e),
        }
    }
}
