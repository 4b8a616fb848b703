//! Running the built binary from a test: shared by the tests that drive `orgspec` as a user
//! does (`#[path = "common/cli.rs"] mod cli;`).
#![allow(dead_code, reason = "each test file uses some of these")]

use std::path::Path;
use std::process::{Command, Output};

/// `orgspec ARGS` in `dir`, without colour.
pub fn orgspec(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_orgspec"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run orgspec")
}

/// `orgspec ARGS` in `dir`, killed if it has not finished after `seconds`: a guard against a
/// hang or a runaway, far above what the input needs (not a measure of speed).
pub fn orgspec_within(dir: &Path, args: &[&str], seconds: u64) -> Output {
    let child = Command::new(env!("CARGO_BIN_EXE_orgspec"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run orgspec");
    let pid = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    // read its output as it comes, so a long report cannot block it on a full pipe
    std::thread::spawn(move || tx.send(child.wait_with_output()));
    let Ok(output) = rx.recv_timeout(std::time::Duration::from_secs(seconds)) else {
        let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
        panic!("orgspec {args:?} still running after {seconds} s");
    };
    output.unwrap()
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A temporary folder holding `files` (name, contents).
pub fn dir_with(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, body) in files {
        std::fs::write(dir.path().join(name), body).unwrap();
    }
    dir
}
