//! The whole in-memory state of the simulator, behind one mutex.
//!
//! The lock is never held across an `.await`; webhook deliveries are built
//! under the lock and sent after it is released.

use std::collections::{BTreeMap, HashMap};

use crate::calls::CallLog;
use crate::config::Settings;
use crate::credentials::{random_token, ApiKey, OAuthStore};
use crate::error::{ApiError, ApiResult};
use crate::faults::Faults;
use crate::model::Company;
use crate::rate_limit::RateLimiter;
use crate::webhooks::{DeliveryJob, DeliveryRecord};

/// Everything the simulator knows.
#[derive(Debug, Default)]
pub struct State {
    pub companies: Vec<Company>,
    pub api_keys: BTreeMap<String, ApiKey>,
    pub oauth: OAuthStore,
    pub limiter: RateLimiter,
    pub faults: Faults,
    pub settings: Settings,
    /// Opaque pagination tokens → position in the list.
    pub page_tokens: HashMap<String, usize>,
    pub deliveries: Vec<DeliveryRecord>,
    /// Deliveries held back by the reorder fault.
    pub held: Vec<DeliveryJob>,
    /// Notes created so far (drives the alternating note id style).
    pub notes_created: u64,
    /// Data API requests refused with 401 (no, bad, expired or revoked
    /// credentials) since the last stats reset. They belong to no
    /// credential's statistics, so they are counted here.
    pub unauthorized: u64,
    /// Every data API request since the last stats reset (see [`crate::calls`]).
    pub calls: CallLog,
}

impl State {
    /// A company by id (404 otherwise).
    pub fn company(&self, id: &str) -> ApiResult<&Company> {
        self.companies
            .iter()
            .find(|c| c.id == id)
            .ok_or_else(|| ApiError::not_found(format!("unknown company {id}")))
    }

    /// A company by id, mutable (404 otherwise).
    pub fn company_mut(&mut self, id: &str) -> ApiResult<&mut Company> {
        self.companies
            .iter_mut()
            .find(|c| c.id == id)
            .ok_or_else(|| ApiError::not_found(format!("unknown company {id}")))
    }

    /// Stores a position and returns an opaque token for it.
    pub fn page_token(&mut self, position: usize) -> String {
        let token = random_token(24);
        self.page_tokens.insert(token.clone(), position);
        token
    }

    /// The position an `offset` token stands for (400 if unknown).
    pub fn resolve_page_token(&self, token: &str) -> ApiResult<usize> {
        self.page_tokens
            .get(token)
            .copied()
            .ok_or_else(|| ApiError::bad_request(format!("invalid offset token: {token}")))
    }
}
