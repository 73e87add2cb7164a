//! Session tokens: HS256 JWTs with a short expiry, signed with a key derived
//! from the deployment's secret key.
use chrono::{DateTime, Duration, Utc};
use entity::Role;
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::secrets::SecretKey;

/// How long a session lasts.
pub const SESSION_TTL: Duration = Duration::hours(12);
const ISSUER: &str = "vouch";

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: Uuid,
    org: Uuid,
    iss: String,
    iat: i64,
    exp: i64,
}

/// A verified session: who, and in which organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionToken {
    pub user_id: Uuid,
    pub organization_id: Uuid,
}

/// Signs and verifies session tokens.
#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl std::fmt::Debug for JwtKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JwtKeys(***)")
    }
}

impl JwtKeys {
    pub fn new(secret: &SecretKey) -> Self {
        let key = secret.derive("vouch session jwt v1");
        Self { encoding: EncodingKey::from_secret(&key), decoding: DecodingKey::from_secret(&key) }
    }

    /// A token for this user, valid for [`SESSION_TTL`].
    pub fn issue(&self, user_id: Uuid, organization_id: Uuid, _role: Role) -> (String, DateTime<Utc>) {
        let now = Utc::now();
        let expires_at = now + SESSION_TTL;
        (self.issue_at(user_id, organization_id, now, expires_at), expires_at)
    }

    /// A token with explicit times (tests use it to make expired tokens).
    pub fn issue_at(
        &self,
        user_id: Uuid,
        organization_id: Uuid,
        issued: DateTime<Utc>,
        expires: DateTime<Utc>,
    ) -> String {
        let claims = Claims {
            sub: user_id,
            org: organization_id,
            iss: ISSUER.into(),
            iat: issued.timestamp(),
            exp: expires.timestamp(),
        };
        // HS256 over a serialisable struct cannot fail.
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding).unwrap_or_default()
    }

    /// Verifies signature, algorithm (HS256 only: `alg: none` and others are
    /// refused), issuer and expiry (no leeway).
    pub fn verify(&self, token: &str) -> Option<SessionToken> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.leeway = 0;
        validation.set_required_spec_claims(&["exp", "iss", "sub"]);
        decode::<Claims>(token, &self.decoding, &validation)
            .ok()
            .map(|data| SessionToken { user_id: data.claims.sub, organization_id: data.claims.org })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;

    #[test]
    fn issue_verify_and_refusals() {
        let keys = JwtKeys::new(&SecretKey::generate());
        let (user, org) = (Uuid::new_v4(), Uuid::new_v4());
        let (token, _) = keys.issue(user, org, Role::Admin);
        assert_eq!(keys.verify(&token), Some(SessionToken { user_id: user, organization_id: org }));

        let other = JwtKeys::new(&SecretKey::generate());
        assert_eq!(other.verify(&token), None, "another key's signature");

        let expired =
            keys.issue_at(user, org, Utc::now() - Duration::hours(13), Utc::now() - Duration::hours(1));
        assert_eq!(keys.verify(&expired), None, "expired");

        let parts: Vec<&str> = token.split('.').collect();
        let forged_claims = URL_SAFE_NO_PAD.encode(format!(
            r#"{{"sub":"{}","org":"{}","iss":"vouch","iat":0,"exp":9999999999}}"#,
            Uuid::new_v4(),
            org
        ));
        let tampered = format!("{}.{}.{}", parts[0], forged_claims, parts[2]);
        assert_eq!(keys.verify(&tampered), None, "tampered claims");

        let none_header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
        assert_eq!(keys.verify(&format!("{none_header}.{}.", parts[1])), None, "unsigned");
        assert_eq!(keys.verify("garbage"), None);
    }
}
