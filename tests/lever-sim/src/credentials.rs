//! API keys and the OAuth store: clients, authorization codes, grants and
//! tokens. Pure data and bookkeeping; the HTTP side is in [`crate::oauth`]
//! and [`crate::auth`].

use rand::distributions::Alphanumeric;
use rand::Rng;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::{Duration, Instant};

use crate::model::AuthServer;
use crate::permissions::Permission;

/// A random token of `len` alphanumeric characters.
pub fn random_token(len: usize) -> String {
    rand::thread_rng().sample_iter(&Alphanumeric).take(len).map(char::from).collect()
}

/// An API key of one company with its explicit permissions.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiKey {
    pub key: String,
    pub company_id: String,
    pub label: Option<String>,
    #[serde(serialize_with = "serialize_permissions")]
    pub permissions: HashSet<Permission>,
}

fn serialize_permissions<S: serde::Serializer>(perms: &HashSet<Permission>, s: S) -> Result<S::Ok, S::Error> {
    let mut names: Vec<&str> =
        Permission::all().into_iter().filter(|p| perms.contains(p)).map(Permission::name).collect();
    names.dedup();
    s.collect_seq(names)
}

/// A registered OAuth client.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OAuthClient {
    pub client_id: String,
    pub client_secret: String,
    pub name: String,
    /// Exact redirect URIs allowed; empty allows any.
    pub redirect_uris: Vec<String>,
}

impl OAuthClient {
    /// Whether `uri` may be redirected to.
    pub fn allows_redirect(&self, uri: &str) -> bool {
        self.redirect_uris.is_empty() || self.redirect_uris.iter().any(|u| u == uri)
    }
}

/// An authorization code waiting to be exchanged (single use).
#[derive(Debug, Clone)]
pub struct AuthCode {
    pub client_id: String,
    pub redirect_uri: String,
    pub company_id: String,
    pub user_id: String,
    pub scopes: Vec<String>,
    pub server: AuthServer,
    pub expires: Instant,
}

/// A company's consent to a client: what revocation kills.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Grant {
    pub id: String,
    pub company_id: String,
    pub client_id: String,
    pub user_id: String,
    pub scopes: Vec<String>,
    pub revoked: bool,
}

/// An issued access token.
#[derive(Debug, Clone)]
pub struct AccessToken {
    pub grant_id: String,
    pub expires: Instant,
}

/// The OAuth side of the state.
#[derive(Debug, Default)]
pub struct OAuthStore {
    pub clients: BTreeMap<String, OAuthClient>,
    pub codes: HashMap<String, AuthCode>,
    /// Grants by id.
    pub grants: BTreeMap<String, Grant>,
    pub access_tokens: HashMap<String, AccessToken>,
    /// Live refresh tokens → grant id. A rotated or revoked token is removed.
    pub refresh_tokens: HashMap<String, String>,
    /// Token requests by grant type (all requests, failed ones included).
    pub token_requests: BTreeMap<String, u64>,
    /// Successful token exchanges by grant type.
    pub token_successes: BTreeMap<String, u64>,
}

/// What the token endpoint answers on success.
#[derive(Debug, Clone, Serialize)]
pub struct TokenAnswer {
    pub access_token: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    pub token_type: &'static str,
    pub expires_in: u64,
    pub scope: String,
}

impl OAuthStore {
    /// The grant of (company, client), created or updated with new scopes.
    pub fn upsert_grant(
        &mut self,
        company_id: &str,
        client_id: &str,
        user_id: &str,
        scopes: &[String],
    ) -> String {
        if let Some(g) =
            self.grants.values_mut().find(|g| g.company_id == company_id && g.client_id == client_id)
        {
            g.scopes = scopes.to_vec();
            g.user_id = user_id.to_string();
            g.revoked = false;
            return g.id.clone();
        }
        let id = crate::model::new_id();
        self.grants.insert(
            id.clone(),
            Grant {
                id: id.clone(),
                company_id: company_id.to_string(),
                client_id: client_id.to_string(),
                user_id: user_id.to_string(),
                scopes: scopes.to_vec(),
                revoked: false,
            },
        );
        id
    }

    /// Issues an access token (and a refresh token with `offline_access`).
    pub fn issue(&mut self, grant_id: &str, ttl: Duration) -> Option<TokenAnswer> {
        let grant = self.grants.get(grant_id)?.clone();
        let access = format!("sim_at_{}", random_token(40));
        self.access_tokens.insert(
            access.clone(),
            AccessToken { grant_id: grant_id.to_string(), expires: Instant::now() + ttl },
        );
        let refresh = if grant.scopes.iter().any(|s| s == "offline_access") {
            let r = format!("v1.sim_rt_{}", random_token(40));
            self.refresh_tokens.insert(r.clone(), grant_id.to_string());
            Some(r)
        } else {
            None
        };
        Some(TokenAnswer {
            access_token: access,
            refresh_token: refresh,
            token_type: "Bearer",
            expires_in: ttl.as_secs().max(1),
            scope: grant.scopes.join(" "),
        })
    }

    /// Revokes every token of the grant of (company, client). Returns
    /// whether such a grant existed.
    pub fn revoke(&mut self, company_id: &str, client_id: &str) -> bool {
        let Some(grant) =
            self.grants.values_mut().find(|g| g.company_id == company_id && g.client_id == client_id)
        else {
            return false;
        };
        grant.revoked = true;
        let id = grant.id.clone();
        self.access_tokens.retain(|_, t| t.grant_id != id);
        self.refresh_tokens.retain(|_, g| *g != id);
        true
    }

    /// Counts a token request of a grant type.
    pub fn count_request(&mut self, grant_type: &str) {
        *self.token_requests.entry(grant_type.to_string()).or_default() += 1;
    }

    /// Counts a successful token exchange of a grant type.
    pub fn count_success(&mut self, grant_type: &str) {
        *self.token_successes.entry(grant_type.to_string()).or_default() += 1;
    }
}
