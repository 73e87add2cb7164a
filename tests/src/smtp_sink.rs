//! A tiny SMTP server for tests: it speaks enough of RFC 5321 for a real
//! client (EHLO, AUTH PLAIN, MAIL, RCPT, DATA with dot-stuffing, RSET,
//! NOOP, QUIT), records every accepted message, and can be told to refuse
//! recipients (a 5xx for good, or a 4xx for the next few) to test failures.
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use base64::Engine;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// One message the sink accepted.
#[derive(Debug, Clone)]
pub struct ReceivedMail {
    pub mail_from: String,
    pub rcpt_to: Vec<String>,
    /// Headers and body as sent, dot-stuffing removed, CRLF line ends.
    pub data: String,
    /// The user of AUTH PLAIN, when the client signed in.
    pub auth_user: Option<String>,
}

impl ReceivedMail {
    /// The value of the first header `name` (case-insensitive), unfolded.
    pub fn header(&self, name: &str) -> Option<String> {
        let head = self.data.split("\r\n\r\n").next()?;
        let mut value: Option<String> = None;
        for line in head.split("\r\n") {
            match &mut value {
                Some(v) if line.starts_with([' ', '\t']) => v.push_str(line.trim_start_matches([' ', '\t'])),
                Some(_) => break,
                None => {
                    if let Some((k, v)) = line.split_once(':') {
                        if k.eq_ignore_ascii_case(name) {
                            value = Some(v.trim().to_owned());
                        }
                    }
                }
            }
        }
        value
    }

    /// The body after the headers.
    pub fn body(&self) -> &str {
        self.data.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or_default()
    }
}

/// Refuse recipients containing `matching` (all when empty), `times`
/// times (`None`: until told otherwise).
struct Refusal {
    matching: String,
    times: Option<usize>,
    code: u16,
    text: String,
}

#[derive(Default)]
struct SinkState {
    messages: Vec<ReceivedMail>,
    refusals: Vec<Refusal>,
    /// Passwords seen in AUTH, so tests can show they never leak elsewhere.
    passwords: Vec<String>,
}

impl SinkState {
    /// The refusal for `address`, if any (one use of it is spent).
    fn refusal_for(&mut self, address: &str) -> Option<(u16, String)> {
        let rule = self
            .refusals
            .iter_mut()
            .find(|r| address.contains(&r.matching) && r.times.is_none_or(|n| n > 0))?;
        if let Some(n) = &mut rule.times {
            *n -= 1;
        }
        Some((rule.code, rule.text.clone()))
    }
}

/// A running sink on 127.0.0.1.
#[derive(Clone)]
pub struct SmtpSink {
    pub addr: SocketAddr,
    state: Arc<Mutex<SinkState>>,
}

impl SmtpSink {
    /// Listens on a free port; serves until the test process ends.
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind the SMTP sink");
        let addr = listener.local_addr().expect("sink address");
        let state = Arc::new(Mutex::new(SinkState::default()));
        let shared = state.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let state = shared.clone();
                tokio::spawn(async move {
                    let _ = serve(stream, state).await;
                });
            }
        });
        Self { addr, state }
    }

    /// `smtp://127.0.0.1:PORT` (no TLS).
    pub fn url(&self) -> String {
        format!("smtp://{}", self.addr)
    }

    /// The URL with credentials, for AUTH PLAIN.
    pub fn url_with_credentials(&self, user: &str, password: &str) -> String {
        format!("smtp://{user}:{password}@{}", self.addr)
    }

    /// Messages accepted so far.
    pub fn messages(&self) -> Vec<ReceivedMail> {
        self.lock().messages.clone()
    }

    /// Answers recipients whose address contains `matching` with `code
    /// text` (e.g. 550 for good, 451 for "later"): `times` times, or until
    /// [`Self::accept`] when `None`.
    pub fn refuse(&self, matching: &str, times: Option<usize>, code: u16, text: &str) {
        self.lock().refusals.push(Refusal {
            matching: matching.to_owned(),
            times,
            code,
            text: text.to_owned(),
        });
    }

    /// Accepts every recipient again.
    pub fn accept(&self) {
        self.lock().refusals.clear();
    }

    /// Passwords clients signed in with.
    pub fn passwords(&self) -> Vec<String> {
        self.lock().passwords.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, SinkState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

async fn serve(stream: TcpStream, state: Arc<Mutex<SinkState>>) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    write.write_all(b"220 sink.test ESMTP ready\r\n").await?;
    let mut from = String::new();
    let mut rcpt: Vec<String> = Vec::new();
    let mut auth_user: Option<String> = None;
    loop {
        let mut line = String::new();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let command = line.trim_end_matches(['\r', '\n']);
        let upper = command.to_ascii_uppercase();
        let reply: String = if upper.starts_with("EHLO") {
            "250-sink.test\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250-AUTH PLAIN\r\n250 SIZE 10485760".into()
        } else if upper.starts_with("HELO") {
            "250 sink.test".into()
        } else if upper.starts_with("AUTH PLAIN") {
            let encoded = command.get("AUTH PLAIN ".len()..).unwrap_or_default().trim();
            let decoded = base64::engine::general_purpose::STANDARD.decode(encoded).unwrap_or_default();
            let parts: Vec<String> =
                decoded.split(|b| *b == 0).map(|p| String::from_utf8_lossy(p).into_owned()).collect();
            auth_user = parts.get(1).cloned();
            if let Some(password) = parts.get(2) {
                lock(&state).passwords.push(password.clone());
            }
            "235 2.7.0 accepted".into()
        } else if upper.starts_with("MAIL FROM:") {
            from = address(&command["MAIL FROM:".len()..]);
            rcpt.clear();
            "250 2.1.0 ok".into()
        } else if upper.starts_with("RCPT TO:") {
            let to = address(&command["RCPT TO:".len()..]);
            let refusal = lock(&state).refusal_for(&to);
            match refusal {
                Some((code, text)) => format!("{code} {text}"),
                None => {
                    rcpt.push(to);
                    "250 2.1.5 ok".into()
                }
            }
        } else if upper == "DATA" {
            if rcpt.is_empty() {
                "554 5.5.1 no valid recipients".into()
            } else {
                write.write_all(b"354 end with <CRLF>.<CRLF>\r\n").await?;
                let mut data = String::new();
                loop {
                    let mut l = String::new();
                    if lines.read_line(&mut l).await? == 0 {
                        return Ok(());
                    }
                    let content = l.trim_end_matches(['\r', '\n']);
                    if content == "." {
                        break;
                    }
                    data.push_str(content.strip_prefix('.').unwrap_or(content));
                    data.push_str("\r\n");
                }
                lock(&state).messages.push(ReceivedMail {
                    mail_from: std::mem::take(&mut from),
                    rcpt_to: std::mem::take(&mut rcpt),
                    data,
                    auth_user: auth_user.clone(),
                });
                "250 2.0.0 queued".into()
            }
        } else if upper == "RSET" {
            from.clear();
            rcpt.clear();
            "250 2.0.0 ok".into()
        } else if upper == "NOOP" {
            "250 2.0.0 ok".into()
        } else if upper == "QUIT" {
            write.write_all(b"221 2.0.0 bye\r\n").await?;
            return Ok(());
        } else {
            "502 5.5.2 command not implemented".into()
        };
        write.write_all(reply.as_bytes()).await?;
        write.write_all(b"\r\n").await?;
    }
}

fn lock(state: &Mutex<SinkState>) -> std::sync::MutexGuard<'_, SinkState> {
    state.lock().unwrap_or_else(|e| e.into_inner())
}

/// `<a@b> SIZE=12` → `a@b`.
fn address(arg: &str) -> String {
    let arg = arg.trim();
    match (arg.find('<'), arg.find('>')) {
        (Some(start), Some(end)) if start < end => arg[start + 1..end].to_owned(),
        _ => arg.split_whitespace().next().unwrap_or_default().to_owned(),
    }
}
