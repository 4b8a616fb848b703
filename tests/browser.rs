//! The charts and reports as a browser shows them: each seed's chart and report, loaded in
//! headless Chromium, render with no console error and a picture of non-zero size.
//!
//! Needs Debian's `chromium`; `.ci/run` installs it and sets `ORGSPEC_BROWSER_TESTS=1`,
//! which makes a missing browser a failure. Without that variable and without a browser
//! the test says it did not run (on standard error) rather than pretend to pass silently.

use std::path::Path;
use std::process::Command;

fn browser() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| {
            Command::new(b)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
}

/// Load `page` headless and return the DOM after its scripts ran, and what the browser
/// wrote on standard error.
fn render(browser: &str, page: &Path) -> (String, String) {
    let o = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=5000",
            "--dump-dom",
        ])
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("run the browser");
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// Load `page`, whose script writes `size W H <what> N` into `<pre id="result">`, and
/// return W, H and N; the page must load with no error the browser reports.
fn measured(browser: &str, page: &Path, what: &str) -> (f64, f64, usize) {
    let (dom, log) = render(browser, page);
    let result = dom
        .split("<pre id=\"result\">")
        .nth(1)
        .and_then(|r| r.split("</pre>").next())
        .unwrap_or_default()
        .to_string();
    let words: Vec<&str> = result.split_whitespace().collect();
    assert_eq!(words.first(), Some(&"size"), "{what}: {result}\n{log}");
    assert!(
        !log.contains("Uncaught") && !log.contains("CONSOLE("),
        "{what}: the browser reported an error:\n{log}"
    );
    (
        words[1].parse().unwrap(),
        words[2].parse().unwrap(),
        words[4].parse().unwrap(),
    )
}

/// What orgspec writes for `args`, run from the repository.
fn orgspec(root: &Path, args: &[&str]) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_orgspec"))
        .args(args)
        .current_dir(root)
        .output()
        .unwrap();
    assert!(o.status.success(), "{args:?}");
    String::from_utf8(o.stdout).unwrap()
}

#[test]
fn every_seed_chart_and_report_render_in_a_browser() {
    let Some(browser) = browser() else {
        assert!(
            std::env::var_os("ORGSPEC_BROWSER_TESTS").is_none(),
            "ORGSPEC_BROWSER_TESTS is set but no Chromium is installed (apt-get install chromium)"
        );
        eprintln!("browser test not run: no Chromium (`.ci/run` installs it)");
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    for seed in [
        "specs/000-stockton-isa-report-2",
        "specs/001-stockton-isa-report-1",
        "specs/002-peterborough-localities",
        "specs/003-banes-people-and-communities",
        "specs/004-stockton-cabinet-2014/decision.org",
    ] {
        // the chart inline in a page whose script reports what the browser made of it
        let svg = orgspec(root, &["chart", seed]);
        let page = dir.path().join("chart.html");
        std::fs::write(
            &page,
            format!(
                r#"<!doctype html><html><head><meta charset="utf-8"><title>chart</title></head><body>{svg}
<pre id="result">pending</pre>
<script>
window.addEventListener("error", e => {{ document.getElementById("result").textContent = "error " + e.message; }});
const svg = document.querySelector("svg");
const box = svg.getBoundingClientRect();
const posts = document.querySelectorAll("g.post").length;
document.getElementById("result").textContent = "size " + Math.round(box.width) + " " + Math.round(box.height) + " posts " + posts;
</script></body></html>"#
            ),
        )
        .unwrap();
        let (w, h, posts) = measured(browser, &page, seed);
        assert!(
            w > 100.0 && h > 100.0 && posts > 0,
            "{seed}: {w} × {h}, {posts} posts"
        );

        // the report: the page as written, its chart measured by a script added here
        let html = orgspec(root, &["report", seed]).replace(
            "</body>",
            r#"<pre id="result">pending</pre><script>
const box = document.querySelector("figure.chart svg").getBoundingClientRect();
document.getElementById("result").textContent = "size " + Math.round(box.width) + " " + Math.round(box.height) + " tables " + document.querySelectorAll("table").length;
</script></body>"#,
        );
        let page = dir.path().join("report.html");
        std::fs::write(&page, html).unwrap();
        let (w, h, tables) = measured(browser, &page, &format!("{seed} report"));
        assert!(
            w > 100.0 && h > 100.0 && tables >= 6,
            "{seed} report: {w} × {h}, {tables} tables"
        );
    }
}
