//! `orgspec export` and `orgspec import`, run as a user would: the establishment list out
//! to CSV and Excel, a starting spec in from an HR system's export, and the two round-trip.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn orgspec(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_orgspec"))
        .args(args)
        .current_dir(root())
        .output()
        .unwrap()
}

/// The rows of an export as a set: each row's cells, the outcome cut to its first word
/// (deleted, new, changed, continues): slots, pools and reasons are not imported.
fn rows(csv_text: &[u8]) -> BTreeSet<Vec<String>> {
    let mut reader = csv::Reader::from_reader(csv_text);
    let headers = reader.headers().unwrap().clone();
    assert_eq!(
        headers.iter().collect::<Vec<_>>(),
        [
            "side",
            "id",
            "title",
            "employer",
            "tier",
            "grade",
            "fte",
            "count",
            "cost",
            "reports_to",
            "funded",
            "holder",
            "outcome"
        ]
    );
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            let mut cells: Vec<String> = r.iter().map(str::to_string).collect();
            let outcome = cells.pop().unwrap();
            cells.push(outcome.split(';').next().unwrap().to_string());
            cells
        })
        .collect()
}

fn shipped_specs() -> Vec<PathBuf> {
    let mut out = vec![
        PathBuf::from("specs/000-stockton-isa-report-2"),
        PathBuf::from("specs/001-stockton-isa-report-1"),
        PathBuf::from("specs/002-peterborough-localities"),
        PathBuf::from("specs/003-banes-people-and-communities"),
        PathBuf::from("specs/004-stockton-cabinet-2014/decision.org"),
        PathBuf::from("specs/004-stockton-cabinet-2014/deletion-2011.org"),
    ];
    for entry in std::fs::read_dir(root().join("specs/examples"))
        .unwrap()
        .flatten()
    {
        if entry.path().extension().is_some_and(|e| e == "org") {
            out.push(entry.path().strip_prefix(root()).unwrap().to_path_buf());
        }
    }
    out.push(PathBuf::from(
        "specs/examples/04-shared-bodies/early-help.org",
    ));
    out
}

#[test]
fn export_then_import_gives_the_same_establishment_for_every_shipped_spec() {
    let dir = tempfile::tempdir().unwrap();
    let mut checked = 0;
    for spec in shipped_specs() {
        let spec = spec.to_str().unwrap();
        let first = orgspec(&["export", spec]);
        assert_eq!(first.status.code(), Some(0), "{spec}");
        let csv_path = dir.path().join("export.csv");
        std::fs::write(&csv_path, &first.stdout).unwrap();
        let imported = dir.path().join("imported.org");
        let o = orgspec(&[
            "import",
            csv_path.to_str().unwrap(),
            "--mapping",
            "docs/import-example/orgspec-export.toml",
            "--output",
            imported.to_str().unwrap(),
        ]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{spec}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        // the imported spec reads without an error of the language
        let check = orgspec(&["check", imported.to_str().unwrap(), "--format", "short"]);
        let findings = String::from_utf8_lossy(&check.stdout);
        for rule in [
            "syntax_error",
            "unknown_name",
            "type_mismatch",
            "missing_field",
            "invalid_value",
        ] {
            assert!(!findings.contains(rule), "{spec}: {findings}");
        }
        let second = orgspec(&["export", imported.to_str().unwrap()]);
        let (a, b) = (rows(&first.stdout), rows(&second.stdout));
        assert!(!a.is_empty(), "{spec}");
        assert_eq!(
            a.symmetric_difference(&b).collect::<Vec<_>>(),
            Vec::<&Vec<String>>::new(),
            "{spec}: the establishment changed in the round trip"
        );
        checked += 1;
    }
    assert!(checked >= 9);
}

#[test]
fn the_shipped_example_export_imports_as_a_starting_spec() {
    let o = orgspec(&[
        "import",
        "docs/import-example/establishment.csv",
        "--mapping",
        "docs/import-example/mapping.toml",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        "imported 9 rows as 6 posts\n"
    );
    let text = String::from_utf8(o.stdout).unwrap();
    insta::assert_snapshot!(text);
    // formatted: `orgspec fmt --check` has nothing to change
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("establishment.org");
    std::fs::write(&spec, &text).unwrap();
    let fmt = orgspec(&["fmt", "--check", spec.to_str().unwrap()]);
    assert_eq!(
        fmt.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&fmt.stderr)
    );
}

#[test]
fn every_row_that_cannot_be_read_is_reported_with_its_number() {
    let dir = tempfile::tempdir().unwrap();
    let csv_path = dir.path().join("hr.csv");
    std::fs::write(
        &csv_path,
        "Post Number,Job Title,Tier,FTE,Reports To\n\
         A1,Director,1,1,\n\
         A2,Head of Service,two,1,A1\n\
         A3,Team Manager,3,1.5,A2\n\
         ,,3,1,A2\n\
         A4,Practitioner,4,1,A9\n\
         A5,Worker,4,1\n\
         A4,Practitioner,5,1,A3\n",
    )
    .unwrap();
    let map = dir.path().join("map.toml");
    std::fs::write(
        &map,
        "[columns]\nid = \"Post Number\"\ntitle = \"Job Title\"\ntier = \"Tier\"\nfte = \"FTE\"\nreports_to = \"Reports To\"\n[defaults]\nemployer = \"sbc\"\n",
    )
    .unwrap();
    let o = orgspec(&[
        "import",
        csv_path.to_str().unwrap(),
        "--mapping",
        map.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "problems make the run exit 1");
    let err = String::from_utf8_lossy(&o.stderr);
    let file = csv_path.display().to_string();
    for expected in [
        format!("{file}: row 3: `tier` is a whole number, not `two`"),
        format!("{file}: row 4: `fte` is more than 0 and at most 1, not `1.5`"),
        format!("{file}: row 5: the row has neither an id nor a title"),
        format!("{file}: row 6: `a4` reports to `a9`, which is no post of the export"),
        format!("{file}: row 7: the row cannot be read"),
        format!("{file}: row 8: `A4` is one post with row 6, where `tier` is `4`; this row's `5` is not kept"),
    ] {
        assert!(err.contains(&expected), "{expected}\n{err}");
    }
    // every data row is a post, a row of a post already read, or a reported problem
    assert!(err.contains("imported 7 rows as 4 posts"), "{err}");
    let spec = String::from_utf8(o.stdout).unwrap();
    assert!(spec.contains("post a2 \"Head of Service\""), "{spec}");
    assert!(
        !spec.contains("two"),
        "an unreadable value is left out: {spec}"
    );
}

#[test]
fn an_excel_workbook_holds_the_same_rows() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("establishment.xlsx");
    let o = orgspec(&[
        "export",
        "specs/examples/03-a-restructure.org",
        "--format",
        "xlsx",
        "--output",
        book.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let bytes = std::fs::read(&book).unwrap();
    assert!(
        bytes.starts_with(b"PK\x03\x04"),
        "an xlsx file is a zip archive"
    );
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut names = Vec::new();
    for i in 0..archive.len() {
        names.push(archive.by_index(i).unwrap().name().to_string());
    }
    assert!(
        names.iter().any(|n| n == "xl/worksheets/sheet1.xml"),
        "{names:?}"
    );
    let mut strings = String::new();
    std::io::Read::read_to_string(
        &mut archive.by_name("xl/sharedStrings.xml").unwrap(),
        &mut strings,
    )
    .unwrap();
    for cell in [
        "side",
        "locality_coordinator",
        "Early Help Team Manager",
        "deleted",
    ] {
        assert!(strings.contains(cell), "{cell}: {strings}");
    }
}
