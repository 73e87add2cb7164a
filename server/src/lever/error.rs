//! The one error type of the Lever client, shaped by what callers do next.
//!
//! | variant | caller's move |
//! |---|---|
//! | `Unauthorized` | mark the connection revoked; stop its work until reconnect |
//! | `Forbidden` | tell the admin which permission to grant (named in Lever's words) |
//! | `NotFound` | the object is gone (or the data centre is wrong) |
//! | `RateLimited`, `Server`, `Transport`, `TokenStore` | retry later (the job runner) |
//! | `Invalid` | a bug or bad data: do not retry |
//! | `Decode` | Lever answered in a shape we do not know: log, alert |
//!
//! No variant carries a credential: error bodies are summarised into a short
//! message, and transport errors keep reqwest's text, which names the URL
//! (never the Authorization header, where every secret travels).

use reqwest::StatusCode;

use super::permissions::Endpoint;

/// Result alias of the Lever client.
pub type Result<T, E = LeverError> = std::result::Result<T, E>;

/// What went wrong talking to Lever.
#[derive(Debug, thiserror::Error)]
pub enum LeverError {
    /// The credentials no longer work (revoked in Lever, `invalid_grant`, or
    /// a 401 again right after a refresh).
    #[error("Lever rejected the connection's credentials (revoked or invalid)")]
    Unauthorized,
    /// The key or grant lacks this call's permission.
    #[error("Lever permission missing: \"{endpoint}\"")]
    Forbidden {
        /// The refused call; its `Display` is Lever's name for it.
        endpoint: Endpoint,
    },
    /// The object does not exist in this data centre.
    #[error("not found in Lever ({endpoint})")]
    NotFound {
        /// The call that answered 404.
        endpoint: Endpoint,
    },
    /// Still 429 after every retry.
    #[error("Lever rate limit exceeded ({endpoint})")]
    RateLimited {
        /// The call that was limited.
        endpoint: Endpoint,
    },
    /// Lever refused the request as invalid (400, 409, 422...).
    #[error("Lever refused the request: {message}")]
    Invalid {
        /// Lever's message, or the start of its body.
        message: String,
    },
    /// Lever failed (5xx) on every attempt.
    #[error("Lever server error {status} ({endpoint})")]
    Server {
        /// The failing call.
        endpoint: Endpoint,
        /// The last status.
        status: u16,
    },
    /// No usable answer: connect error, timeout, reset.
    #[error("could not reach Lever ({}): {detail}", endpoint.map_or("OAuth token", Endpoint::name))]
    Transport {
        /// The call, or `None` for the OAuth token endpoint.
        endpoint: Option<Endpoint>,
        /// What failed.
        detail: String,
    },
    /// A 2xx body that does not have the expected shape.
    #[error("unexpected answer from Lever ({endpoint}): {detail}")]
    Decode {
        /// The call whose answer did not parse.
        endpoint: String,
        /// The parser's complaint (names a field, never quotes a value).
        detail: String,
    },
    /// Fresh OAuth tokens could not be persisted; they are kept in memory
    /// and saved again before the next call uses them.
    #[error("could not save refreshed Lever tokens: {detail}")]
    TokenStore {
        /// The store's error.
        detail: String,
    },
    /// The client is misconfigured (e.g. OAuth tokens but no OAuth app).
    #[error("Lever client misconfigured: {detail}")]
    Config {
        /// What is missing.
        detail: String,
    },
}

impl LeverError {
    /// Whether a later attempt (e.g. by the job runner) may succeed.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            Self::RateLimited { .. } | Self::Server { .. } | Self::Transport { .. } | Self::TokenStore { .. }
        )
    }

    /// Maps a non-2xx status to the error callers act on. `body` is only
    /// summarised into `Invalid`'s message, never parsed strictly.
    pub fn from_status(endpoint: Endpoint, status: StatusCode, body: &[u8]) -> Self {
        match status.as_u16() {
            401 => Self::Unauthorized,
            403 => Self::Forbidden { endpoint },
            404 => Self::NotFound { endpoint },
            429 => Self::RateLimited { endpoint },
            500..=599 => Self::Server { endpoint, status: status.as_u16() },
            _ => Self::Invalid { message: error_message(status, body) },
        }
    }

    pub(crate) fn decode(endpoint: impl ToString, err: impl ToString) -> Self {
        Self::Decode { endpoint: endpoint.to_string(), detail: err.to_string() }
    }
}

/// Lever's `message` (or `error_description`) when the body has one,
/// else the start of the body as text. Lever's error shape is unconfirmed,
/// so anything goes.
pub fn error_message(status: StatusCode, body: &[u8]) -> String {
    const MAX: usize = 300;
    let parsed: Option<serde_json::Value> = serde_json::from_slice(body).ok();
    let field = parsed.as_ref().and_then(|v| {
        ["message", "error_description", "error"]
            .iter()
            .find_map(|k| v.get(k).and_then(|m| m.as_str()))
            .map(str::to_owned)
    });
    let text = field.unwrap_or_else(|| String::from_utf8_lossy(body).into_owned());
    let text: String = text.chars().take(MAX).collect();
    if text.trim().is_empty() {
        format!("HTTP {status}")
    } else {
        format!("HTTP {}: {}", status.as_u16(), text.trim())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(status: u16, body: &str) -> LeverError {
        let status = StatusCode::from_u16(status).expect("valid status");
        LeverError::from_status(Endpoint::CreateNote, status, body.as_bytes())
    }

    #[test]
    fn statuses_map_to_what_callers_act_on() {
        assert!(matches!(map(401, ""), LeverError::Unauthorized));
        assert!(matches!(map(403, "{}"), LeverError::Forbidden { endpoint: Endpoint::CreateNote }));
        assert!(matches!(map(404, ""), LeverError::NotFound { .. }));
        assert!(matches!(map(429, ""), LeverError::RateLimited { .. }));
        assert!(matches!(map(503, ""), LeverError::Server { status: 503, .. }));
        assert!(matches!(map(500, "oops"), LeverError::Server { status: 500, .. }));
        assert!(matches!(map(400, ""), LeverError::Invalid { .. }));
        assert!(matches!(map(422, ""), LeverError::Invalid { .. }));
    }

    #[test]
    fn forbidden_names_the_permission() {
        assert_eq!(map(403, "").to_string(), "Lever permission missing: \"Create a note\"");
    }

    #[test]
    fn invalid_takes_lever_message_leniently() {
        let fixture = crate::lever::test_support::fixture("error-403.json");
        let LeverError::Invalid { message } = map(400, &fixture) else {
            panic!("expected Invalid");
        };
        assert!(message.contains("does not have permission"), "{message}");
        let LeverError::Invalid { message } = map(400, "<html>bad gateway</html>") else {
            panic!("expected Invalid");
        };
        assert!(message.contains("<html>"));
        let LeverError::Invalid { message } = map(400, &"x".repeat(10_000)) else {
            panic!("expected Invalid");
        };
        assert!(message.len() < 400);
    }

    #[test]
    fn transience() {
        assert!(map(429, "").is_transient());
        assert!(map(502, "").is_transient());
        assert!(!map(401, "").is_transient());
        assert!(!map(403, "").is_transient());
        assert!(!map(400, "").is_transient());
    }
}
