//! A minimal language client: launches `orgspec lsp` and speaks JSON-RPC over its stdio
//! with `Content-Length` framing, as an editor does. Shared by `tests/lsp.rs` and
//! `benches/lsp.rs`.
#![allow(dead_code)]
#![allow(
    clippy::needless_pass_by_value,
    reason = "callers pass `json!(…)` values straight in"
)]

use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

pub struct Client {
    child: Child,
    /// `None` once closed.
    stdin: Option<ChildStdin>,
    messages: Receiver<Value>,
    next_id: i64,
    /// Notifications received while waiting for something else.
    pub notifications: Vec<Value>,
}

/// How long any one wait may take before the test fails (a hung server).
const PATIENCE: Duration = Duration::from_secs(60);

impl Client {
    pub fn start(binary: &str) -> Client {
        Client::start_with(binary, &[])
    }

    /// Start the server with environment variables set (`Some`) or removed (`None`).
    pub fn start_with(binary: &str, env: &[(&str, Option<&Path>)]) -> Client {
        let mut command = Command::new(binary);
        for (name, value) in env {
            match value {
                Some(v) => command.env(name, v),
                None => command.env_remove(name),
            };
        }
        let mut child = command
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start orgspec lsp");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, messages) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = n.parse::<usize>().ok();
                    }
                }
                let Some(length) = length else { return };
                let mut body = vec![0; length];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                let Ok(value) = serde_json::from_slice::<Value>(&body) else {
                    return;
                };
                if tx.send(value).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            stdin: Some(stdin),
            messages,
            next_id: 0,
            notifications: Vec::new(),
        }
    }

    pub fn send_raw(&mut self, body: &str) {
        let stdin = self.stdin.as_mut().expect("the input is open");
        write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        stdin.flush().unwrap();
    }

    /// Write bytes as they are, framing and all (for malformed input).
    pub fn write_bytes(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("the input is open");
        stdin.write_all(bytes).unwrap();
        stdin.flush().unwrap();
    }

    /// Close the server's input (as a client that dies does), and wait for it to exit.
    pub fn close_and_wait(mut self) -> Option<i32> {
        self.stdin = None;
        self.wait_exit()
    }

    /// The server's exit status, waiting for it to exit.
    pub fn wait_exit(&mut self) -> Option<i32> {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Send notifications in one write, as an editor flushing a burst of edits does.
    pub fn notify_all(&mut self, notifications: &[(&str, Value)]) {
        let mut framed = String::new();
        for (method, params) in notifications {
            let body = json!({ "jsonrpc": "2.0", "method": method, "params": params }).to_string();
            let _ = write!(framed, "Content-Length: {}\r\n\r\n{body}", body.len());
        }
        let stdin = self.stdin.as_mut().expect("the input is open");
        stdin.write_all(framed.as_bytes()).unwrap();
        stdin.flush().unwrap();
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        let body = json!({ "jsonrpc": "2.0", "method": method, "params": params }).to_string();
        self.send_raw(&body);
    }

    /// Send a request; its id.
    pub fn send_request(&mut self, method: &str, params: Value) -> i64 {
        self.next_id += 1;
        let body =
            json!({ "jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params })
                .to_string();
        self.send_raw(&body);
        self.next_id
    }

    fn next_message(&mut self, deadline: Instant) -> Value {
        match self
            .messages
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            Ok(m) => m,
            Err(RecvTimeoutError::Timeout) => panic!("the server did not answer in time"),
            Err(RecvTimeoutError::Disconnected) => panic!("the server closed its output"),
        }
    }

    /// The whole response to request `id` (`result` or `error`).
    pub fn response(&mut self, id: i64) -> Value {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let m = self.next_message(deadline);
            if m.get("id").and_then(Value::as_i64) == Some(id) && m.get("method").is_none() {
                return m;
            }
            if m.get("method").is_some() {
                self.notifications.push(m);
            }
        }
    }

    /// Send a request and return its `result`, failing on an error response.
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        let response = self.response(id);
        assert!(
            response.get("error").is_none(),
            "{method} failed: {response}"
        );
        response["result"].clone()
    }

    /// The next `publishDiagnostics` for `uri` (earlier ones kept are searched first).
    pub fn diagnostics_for(&mut self, uri: &str) -> Vec<Value> {
        self.published_for(uri)["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// The next `publishDiagnostics` for `uri`: its whole `params` (uri, version,
    /// diagnostics).
    pub fn published_for(&mut self, uri: &str) -> Value {
        let is_for = |m: &Value| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        };
        if let Some(i) = self.notifications.iter().position(is_for) {
            let m = self.notifications.remove(i);
            return m["params"].clone();
        }
        let deadline = Instant::now() + PATIENCE;
        loop {
            let m = self.next_message(deadline);
            if is_for(&m) {
                return m["params"].clone();
            }
            if m.get("method").is_some() {
                self.notifications.push(m);
            }
        }
    }

    /// Forget the notifications received so far.
    pub fn clear(&mut self) {
        while let Ok(m) = self.messages.try_recv() {
            drop(m);
        }
        self.notifications.clear();
    }

    pub fn initialize(&mut self, root: &Path) -> Value {
        self.initialize_with(root, json!({}))
    }

    /// Initialise with the client capabilities given.
    pub fn initialize_with(&mut self, root: &Path, capabilities: Value) -> Value {
        let uri = file_uri(root);
        let result = self.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": uri,
                "workspaceFolders": [{ "uri": uri, "name": "specs" }],
                "capabilities": capabilities,
            }),
        );
        self.notify("initialized", json!({}));
        result
    }

    pub fn open(&mut self, path: &Path, text: &str) -> String {
        let uri = file_uri(path);
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "orgspec", "version": 1, "text": text } }),
        );
        uri
    }

    /// Shut down and exit; the process's exit code.
    pub fn shutdown(mut self) -> Option<i32> {
        let id = self.send_request("shutdown", Value::Null);
        let response = self.response(id);
        assert!(response.get("error").is_none(), "{response}");
        self.notify("exit", Value::Null);
        self.wait_exit()
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

pub fn file_uri(path: &Path) -> String {
    let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}
