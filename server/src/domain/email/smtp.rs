//! SMTP delivery through `lettre` (tokio, rustls): one pooled transport per
//! process, built once from `VOUCH_SMTP_URL`.
//!
//! Failures are sorted for the job queue: a 5xx answer is the server's final
//! word (retrying sends the same refusal), anything else (4xx, connection,
//! TLS, timeout) may pass later. Messages name the SMTP answer but never
//! the URL, which may hold a password.
use std::str::FromStr;
use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// How long one SMTP conversation may take.
const TIMEOUT: Duration = Duration::from_secs(30);

/// Whether a failed delivery may succeed when tried again.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// The server refused for good (5xx), or the message cannot be built.
    #[error("{0}")]
    Permanent(String),
    /// A 4xx answer, or the server could not be reached or timed out.
    #[error("{0}")]
    Transient(String),
}

/// A message to send.
#[derive(Debug, Clone)]
pub struct Outgoing<'a> {
    pub to: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    /// Stable per outbox row, so a retried send carries the same Message-ID.
    pub message_id: String,
}

/// Sends over one pooled SMTP transport.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The transport holds the credentials: show the sender only.
        f.debug_struct("Mailer").field("from", &self.from.to_string()).finish_non_exhaustive()
    }
}

/// Whether `url` is an SMTP URL `lettre` can use (the reason otherwise,
/// without the URL itself).
pub fn check_url(url: &str) -> Result<(), String> {
    AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
        .map(|_| ())
        .map_err(|_| "lettre cannot use it (check the scheme, host, port and tls= parameter)".to_owned())
}

/// Whether `from` is a mailbox such as `Vouch <no-reply@example.com>`.
pub fn check_mailbox(from: &str) -> Result<(), String> {
    Mailbox::from_str(from).map(|_| ()).map_err(|e| e.to_string())
}

impl Mailer {
    /// The transport for `url` (checked by [`check_url`] at start-up) sending as `from`.
    pub fn new(url: &str, from: &str) -> Result<Self, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|_| "VOUCH_SMTP_URL cannot be used by the SMTP client".to_owned())?
            .timeout(Some(TIMEOUT))
            .build();
        let from = Mailbox::from_str(from).map_err(|e| format!("VOUCH_MAIL_FROM: {e}"))?;
        Ok(Self { transport, from })
    }

    /// Sends one plain-text message; `Ok` once the server accepted it.
    pub async fn send(&self, mail: &Outgoing<'_>) -> Result<(), SendError> {
        let to = Mailbox::from_str(mail.to)
            .map_err(|e| SendError::Permanent(format!("the address {:?} cannot be used: {e}", mail.to)))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject)
            .message_id(Some(mail.message_id.clone()))
            .header(ContentType::TEXT_PLAIN)
            .body(mail.body.to_owned())
            .map_err(|e| SendError::Permanent(format!("the message cannot be built: {e}")))?;
        match self.transport.send(message).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_permanent() => {
                Err(SendError::Permanent(format!("the SMTP server refused the message: {e}")))
            }
            Err(e) if e.is_transient() => {
                Err(SendError::Transient(format!("the SMTP server deferred the message: {e}")))
            }
            Err(e) if e.is_timeout() => {
                Err(SendError::Transient(format!("the SMTP server did not answer within {TIMEOUT:?}")))
            }
            Err(e) => Err(SendError::Transient(format!("the SMTP server could not be reached: {e}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_mailboxes() {
        assert!(check_url("smtp://127.0.0.1:2525").is_ok());
        assert!(check_url("smtps://user:pass@mail.example.com").is_ok());
        assert!(check_url("smtp://mail.example.com?tls=required").is_ok());
        assert!(check_url("imap://mail.example.com").is_err());
        assert!(check_mailbox("Vouch <no-reply@example.com>").is_ok());
        assert!(check_mailbox("no-reply@example.com").is_ok());
        assert!(check_mailbox("not an address").is_err());
    }

    #[tokio::test]
    async fn debug_never_shows_the_credentials() {
        let mailer = Mailer::new("smtps://mailer:hunter2@mail.example.com", "a@example.com").expect("mailer");
        assert!(!format!("{mailer:?}").contains("hunter2"));
    }
}
