//! A connection's credentials and the identity the client works for.
//!
//! Either an API key (HTTP Basic, key as user name, empty password) or OAuth
//! tokens (Bearer). Every secret is a [`Secret`], so `{:?}` of any of these
//! types prints `***` in its place.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{config::DataCentre, secret::Secret};

/// OAuth tokens of one connection, as persisted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OAuthTokens {
    /// Bearer token for the data API.
    pub access_token: Secret,
    /// Single-use: every refresh returns a new one that replaces it.
    pub refresh_token: Secret,
    /// When the access token stops working (from `expires_in`).
    pub expires_at: DateTime<Utc>,
    /// Scopes Lever granted, space separated, when it said (the admin may
    /// grant fewer than asked: e.g. no `webhooks:write:admin` means the
    /// webhooks are set up by hand).
    #[serde(default)]
    pub scope: Option<String>,
}

impl OAuthTokens {
    /// Whether Lever granted `scope` (a write scope implies its read).
    pub fn has_scope(&self, scope: &str) -> bool {
        let granted = self.scope.as_deref().unwrap_or_default();
        let write = scope.replace(":read:", ":write:");
        granted.split(' ').any(|s| s == scope || s == write)
    }
}

/// How the client authenticates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credentials {
    /// A Lever API key (sent as HTTP Basic user name).
    ApiKey(Secret),
    /// OAuth tokens, refreshed by the client as needed.
    OAuth(OAuthTokens),
}

/// One Vouch connection to one Lever account.
#[derive(Debug, Clone)]
pub struct LeverConnection {
    /// Vouch's id of the connection; also the key of its token bucket.
    pub id: Uuid,
    /// Where the company's data lives.
    pub data_centre: DataCentre,
    /// How to authenticate.
    pub credentials: Credentials,
    /// Lever user id that writes fall back to when the chosen user cannot
    /// act (deactivated, no access).
    pub fallback_user: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_a_secret() {
        let conn = LeverConnection {
            id: Uuid::nil(),
            data_centre: DataCentre::Eu,
            credentials: Credentials::ApiKey(Secret::new("api-key-123")),
            fallback_user: None,
        };
        let text = format!("{conn:?}");
        assert!(!text.contains("api-key-123"), "{text}");

        let tokens = Credentials::OAuth(OAuthTokens {
            access_token: Secret::new("access-abc"),
            refresh_token: Secret::new("refresh-def"),
            expires_at: Utc::now(),
            scope: None,
        });
        let text = format!("{tokens:?}");
        assert!(!text.contains("access-abc") && !text.contains("refresh-def"), "{text}");
    }

    #[test]
    fn write_scopes_imply_read() {
        let tokens = OAuthTokens {
            access_token: Secret::new("a"),
            refresh_token: Secret::new("r"),
            expires_at: Utc::now(),
            scope: Some("offline_access webhooks:write:admin tags:read:admin".into()),
        };
        assert!(tokens.has_scope("webhooks:write:admin"));
        assert!(tokens.has_scope("webhooks:read:admin"));
        assert!(tokens.has_scope("tags:read:admin"));
        assert!(!tokens.has_scope("tags:write:admin"));
        assert!(!tokens.has_scope("notes:write:admin"));
    }
}
