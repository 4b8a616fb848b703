//! The language server's stdio: `Content-Length` frames of JSON-RPC, read and written on
//! threads of their own. `lsp-server`'s transport is not used: it allocates whatever a
//! frame's `Content-Length` claims before reading a byte of it, ends silently (status 0) on
//! a malformed frame, and hands messages over one at a time, so that none is ever waiting
//! when a check ends. Here a body grows only as its bytes arrive, a frame is at most
//! [`MAX_MESSAGE_BYTES`], a body that is not JSON-RPC is reported and passed over, a
//! broken frame ends the server with its reason, and messages queue without bound.

use std::io::{self, BufRead, Read, Write};
use std::thread::JoinHandle;

use lsp_server::{Connection, Message};

/// The largest message the server reads: a document this size could not be edited
/// interactively anyway. A larger frame is read past, without being kept, and reported.
pub const MAX_MESSAGE_BYTES: usize = 256 << 20;

/// The threads behind a [`Connection`].
pub struct Transport {
    reader: JoinHandle<Result<(), String>>,
    writer: JoinHandle<io::Result<()>>,
}

impl Transport {
    /// Wait for both threads; why reading stopped, if not at the end of the input or
    /// after `exit`.
    pub fn join(self) -> Result<(), String> {
        let read = self
            .reader
            .join()
            .unwrap_or_else(|_| Err("the reader thread failed".into()));
        let written = self
            .writer
            .join()
            .map_err(|_| "the writer thread failed".to_string())
            .and_then(|r| r.map_err(|e| format!("cannot write to the client: {e}")));
        read.and(written)
    }
}

/// A connection over standard input and output.
pub fn stdio() -> (Connection, Transport) {
    let (to_client, outgoing) = crossbeam_channel::unbounded::<Message>();
    let (incoming, from_client) = crossbeam_channel::unbounded::<Message>();
    let writer = std::thread::Builder::new()
        .name("orgspec-lsp-writer".into())
        .spawn(move || {
            let stdout = io::stdout();
            let mut out = stdout.lock();
            for message in outgoing {
                message.write(&mut out)?;
            }
            out.flush()
        })
        .expect("start the writer thread");
    let reader = std::thread::Builder::new()
        .name("orgspec-lsp-reader".into())
        .spawn(move || {
            let stdin = io::stdin();
            read_messages(&mut stdin.lock(), &incoming)
        })
        .expect("start the reader thread");
    (
        Connection {
            sender: to_client,
            receiver: from_client,
        },
        Transport { reader, writer },
    )
}

/// Read frames until the input ends or `exit` arrives; `Err` says why a frame broke.
fn read_messages(
    input: &mut impl BufRead,
    incoming: &crossbeam_channel::Sender<Message>,
) -> Result<(), String> {
    loop {
        let body = match read_frame(input)? {
            Frame::End => return Ok(()),
            Frame::PassedOver => continue,
            Frame::Body(body) => body,
        };
        let message: Message = match serde_json::from_slice(&body) {
            Ok(m) => m,
            Err(e) => {
                eprintln!(
                    "orgspec lsp: a message from the client is not JSON-RPC ({e}); it is passed over"
                );
                continue;
            }
        };
        let exit = matches!(&message, Message::Notification(n) if n.method == "exit");
        if incoming.send(message).is_err() || exit {
            return Ok(());
        }
    }
}

/// What reading one frame gave.
enum Frame {
    /// The input ended between frames.
    End,
    /// A frame too large to keep, read past and reported.
    PassedOver,
    Body(Vec<u8>),
}

/// One frame; `Err` says why it is broken.
fn read_frame(input: &mut impl BufRead) -> Result<Frame, String> {
    let mut length: Option<usize> = None;
    let mut line = Vec::new();
    let mut first = true;
    loop {
        line.clear();
        // a header line is short: a client that sends megabytes without a line end is
        // not speaking the protocol
        let read = input
            .by_ref()
            .take(4096)
            .read_until(b'\n', &mut line)
            .map_err(|e| format!("cannot read from the client: {e}"))?;
        if read == 0 {
            return if first {
                Ok(Frame::End)
            } else {
                Err("the input ended inside a message's header".into())
            };
        }
        first = false;
        let text = String::from_utf8_lossy(&line);
        let Some(header) = text.strip_suffix("\r\n") else {
            return Err(format!("a malformed header line: {:?}", shorten(&text)));
        };
        if header.is_empty() {
            break;
        }
        let Some((name, value)) = header.split_once(": ") else {
            return Err(format!("a malformed header line: {:?}", shorten(header)));
        };
        if name.eq_ignore_ascii_case("Content-Length") {
            length = Some(value.trim().parse().map_err(|_| {
                format!(
                    "a Content-Length that is not a length: {:?}",
                    shorten(value)
                )
            })?);
        }
    }
    let length = length.ok_or("a message without a Content-Length")?;
    if length > MAX_MESSAGE_BYTES {
        let skipped = io::copy(&mut input.by_ref().take(length as u64), &mut io::sink())
            .map_err(|e| format!("cannot read from the client: {e}"))?;
        if skipped < length as u64 {
            return Err("the input ended inside a message".into());
        }
        eprintln!(
            "orgspec lsp: a message of {length} bytes is larger than the {} MiB the server reads; it is passed over",
            MAX_MESSAGE_BYTES >> 20
        );
        return Ok(Frame::PassedOver);
    }
    let mut body = Vec::new();
    input
        .by_ref()
        .take(length as u64)
        .read_to_end(&mut body)
        .map_err(|e| format!("cannot read from the client: {e}"))?;
    if body.len() < length {
        return Err("the input ended inside a message".into());
    }
    Ok(Frame::Body(body))
}

fn shorten(text: &str) -> String {
    text.chars().take(80).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &[u8]) -> (Vec<Message>, Result<(), String>) {
        let (tx, rx) = crossbeam_channel::unbounded();
        let result = read_messages(&mut io::BufReader::new(input), &tx);
        drop(tx);
        (rx.into_iter().collect(), result)
    }

    #[test]
    fn a_huge_claimed_length_is_not_allocated() {
        // 999,999,999,999 bytes claimed, 2 sent: the input ends inside the message
        let (messages, result) = frames(b"Content-Length: 999999999999\r\n\r\n{}");
        assert!(messages.is_empty());
        assert_eq!(result, Err("the input ended inside a message".into()));
    }

    #[test]
    fn a_body_that_is_not_json_is_passed_over() {
        let ok = br#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;
        let mut input = b"Content-Length: 5\r\n\r\nnope!".to_vec();
        input.extend(format!("Content-Length: {}\r\n\r\n", ok.len()).as_bytes());
        input.extend(ok);
        let (messages, result) = frames(&input);
        assert_eq!(messages.len(), 1);
        assert_eq!(result, Ok(()));
    }

    #[test]
    fn a_malformed_header_stops_with_its_reason() {
        let (_, result) = frames(b"Content-Length 12\r\n\r\n");
        assert!(result.unwrap_err().contains("a malformed header line"));
        let (_, result) = frames(b"X: y\r\n\r\n");
        assert_eq!(result, Err("a message without a Content-Length".into()));
    }
}
