//! The control operations, as Rust methods on [`Sim`]. The `/_sim/` HTTP
//! routes ([`crate::control`]) and [`crate::SimHandle`] both call these.

use serde::Serialize;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use crate::config::Settings;
use crate::credentials::{ApiKey, Grant, OAuthClient};
use crate::error::{ApiError, ApiResult};
use crate::faults::Faults;
use crate::inputs::{NewApiKey, NewCandidate, NewCompany, NewPosting, NewStage, NewUser};
use crate::model::{
    new_id, now_ms, ArchiveReason, Company, DataCentre, Note, Opportunity, Posting, Stage, User, Webhook,
    WebhookOwner, WEBHOOK_EVENTS,
};
use crate::permissions::Permission;
use crate::rate_limit::CredentialReport;
use crate::seed::{ClientSeed, Seed};
use crate::sim::Sim;
use crate::webhooks::DeliveryRecord;

/// A company as the control API shows it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CompanyInfo {
    pub id: String,
    pub name: String,
    pub data_centre: DataCentre,
    /// The data API base of its environment.
    pub api_base: String,
    pub users: Vec<User>,
    pub postings: Vec<Posting>,
    pub stages: Vec<Stage>,
    pub archive_reasons: Vec<ArchiveReason>,
    pub opportunity_count: usize,
}

/// A tag on an opportunity with who added it.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct TagView {
    pub text: String,
    /// The `perform_as` user who added it (None for seeded or inherited tags).
    pub added_by: Option<String>,
    pub added_at: Option<i64>,
    /// True when the tag comes from a posting.
    pub inherited: bool,
}

/// Request statistics.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatsReport {
    pub credentials: Vec<CredentialReport>,
    /// Token endpoint requests by grant type (failures included).
    pub token_requests: BTreeMap<String, u64>,
    /// Successful token exchanges by grant type.
    pub token_exchanges: BTreeMap<String, u64>,
    /// Data API requests refused with 401 (counted under no credential).
    pub unauthorized: u64,
}

impl StatsReport {
    /// The report of one credential (`key:<key>` or `grant:<id>`).
    pub fn credential(&self, credential: &str) -> Option<&CredentialReport> {
        self.credentials.iter().find(|c| c.credential == credential)
    }
}

fn info(sim: &Sim, c: &Company) -> CompanyInfo {
    CompanyInfo {
        id: c.id.clone(),
        name: c.name.clone(),
        data_centre: c.data_centre,
        api_base: sim.api_base(c.data_centre),
        users: c.users.clone(),
        postings: c.postings.clone(),
        stages: c.stages.clone(),
        archive_reasons: c.archive_reasons.clone(),
        opportunity_count: c.opportunities.len(),
    }
}

impl Sim {
    /// Creates a company (with Lever's default pipeline).
    pub fn create_company(&self, input: NewCompany) -> ApiResult<CompanyInfo> {
        let c = self.lock().create_company(input)?;
        Ok(info(self, &c))
    }

    /// Every company.
    pub fn companies(&self) -> Vec<CompanyInfo> {
        let st = self.lock();
        st.companies.iter().map(|c| info(self, c)).collect()
    }

    /// One company.
    pub fn company_info(&self, id: &str) -> ApiResult<CompanyInfo> {
        let st = self.lock();
        Ok(info(self, st.company(id)?))
    }

    /// Adds a user.
    pub fn add_user(&self, company: &str, input: NewUser) -> ApiResult<User> {
        self.lock().add_user(company, input)
    }

    /// Deactivates (`active = false`) or reactivates a user.
    pub fn set_user_active(&self, company: &str, user: &str, active: bool) -> ApiResult<User> {
        self.lock().set_user_active(company, user, active)
    }

    /// Adds a posting.
    pub fn add_posting(&self, company: &str, input: NewPosting) -> ApiResult<Posting> {
        self.lock().add_posting(company, input)
    }

    /// Replaces a posting's tags (no webhook: Lever sends none).
    pub fn set_posting_tags(&self, company: &str, posting: &str, tags: Vec<String>) -> ApiResult<Posting> {
        self.lock().set_posting_tags(company, posting, tags)
    }

    /// Adds a custom stage.
    pub fn add_stage(&self, company: &str, input: NewStage) -> ApiResult<Stage> {
        self.lock().add_stage(company, input)
    }

    /// Creates a candidate; fires `applicationCreated` when it has a posting.
    pub fn create_candidate(&self, company: &str, input: NewCandidate) -> ApiResult<Opportunity> {
        let (opp, events) = self.lock().create_opportunity(company, input, None)?;
        self.fire(events);
        Ok(opp)
    }

    /// Moves a candidate (stage id or name) as a user; fires `candidateStageChange`.
    pub fn move_candidate(&self, company: &str, opp: &str, stage: &str, user: Option<&str>) -> ApiResult<()> {
        let events = self.lock().move_candidate(company, opp, stage, user)?;
        self.fire(events);
        Ok(())
    }

    /// Hires; fires `candidateHired` and `candidateArchiveChange`.
    pub fn hire_candidate(&self, company: &str, opp: &str) -> ApiResult<()> {
        let events = self.lock().hire_candidate(company, opp)?;
        self.fire(events);
        Ok(())
    }

    /// Archives with a reason (id or text) or unarchives (`None`); fires
    /// `candidateArchiveChange`.
    pub fn archive_candidate(&self, company: &str, opp: &str, reason: Option<&str>) -> ApiResult<()> {
        let events = self.lock().archive_candidate(company, opp, reason)?;
        self.fire(events);
        Ok(())
    }

    /// Deletes; fires `candidateDeleted` with `deletedBy`.
    pub fn delete_candidate(&self, company: &str, opp: &str, user: Option<&str>) -> ApiResult<()> {
        let events = self.lock().delete_candidate(company, opp, user)?;
        self.fire(events);
        Ok(())
    }

    /// Replaces a candidate's e-mails.
    pub fn set_candidate_emails(&self, company: &str, opp: &str, emails: Vec<String>) -> ApiResult<()> {
        self.lock().set_emails(company, opp, emails)
    }

    /// An opportunity with its own tags (and adders) and notes (and authors).
    pub fn opportunity(&self, company: &str, opp: &str) -> ApiResult<Opportunity> {
        let st = self.lock();
        st.company(company)?
            .opportunity(opp)
            .cloned()
            .ok_or_else(|| ApiError::not_found(format!("opportunity {opp} not found")))
    }

    /// The tags an opportunity shows, with who added them.
    pub fn opportunity_tags(&self, company: &str, opp: &str) -> ApiResult<Vec<TagView>> {
        let st = self.lock();
        let c = st.company(company)?;
        let o =
            c.opportunity(opp).ok_or_else(|| ApiError::not_found(format!("opportunity {opp} not found")))?;
        Ok(c.effective_tags(o)
            .into_iter()
            .map(|text| match o.tags.iter().find(|t| t.text == text) {
                Some(own) => TagView {
                    text,
                    added_by: own.added_by.clone(),
                    added_at: Some(own.added_at),
                    inherited: false,
                },
                None => TagView { text, added_by: None, added_at: None, inherited: true },
            })
            .collect())
    }

    /// An opportunity's notes (deleted ones included, with `deletedAt`).
    pub fn opportunity_notes(&self, company: &str, opp: &str) -> ApiResult<Vec<Note>> {
        Ok(self.opportunity(company, opp)?.notes)
    }

    /// Creates an API key (all permissions unless listed).
    pub fn create_api_key(&self, company: &str, input: NewApiKey) -> ApiResult<ApiKey> {
        self.lock().create_api_key(company, input)
    }

    /// Grants (`grant = true`) or removes a permission (by name) of a key.
    pub fn set_key_permission(&self, key: &str, permission: &str, grant: bool) -> ApiResult<ApiKey> {
        let p = Permission::from_name(permission)
            .ok_or_else(|| ApiError::bad_request(format!("unknown permission: {permission}")))?;
        let mut st = self.lock();
        let k = st.api_keys.get_mut(key).ok_or_else(|| ApiError::not_found("unknown API key"))?;
        if grant {
            k.permissions.insert(p);
        } else {
            k.permissions.remove(&p);
        }
        Ok(k.clone())
    }

    /// Registers (or replaces) an OAuth client.
    pub fn register_client(&self, input: ClientSeed) -> ApiResult<OAuthClient> {
        if input.client_id.is_empty() || input.client_secret.is_empty() {
            return Err(ApiError::bad_request("clientId and clientSecret are required"));
        }
        let client = OAuthClient {
            name: input.name.unwrap_or_else(|| input.client_id.clone()),
            client_id: input.client_id,
            client_secret: input.client_secret,
            redirect_uris: input.redirect_uris,
        };
        self.lock().oauth.clients.insert(client.client_id.clone(), client.clone());
        Ok(client)
    }

    /// Sets the lifetime of access tokens issued from now on.
    pub fn set_access_token_ttl(&self, ttl: Duration) {
        self.lock().settings.access_token_ttl_secs = ttl.as_secs_f64().max(0.001);
    }

    /// Revokes the grant of (company, client): every access and refresh
    /// token dies. False when there was no such grant.
    pub fn revoke_grant(&self, company: &str, client_id: &str) -> bool {
        self.lock().oauth.revoke(company, client_id)
    }

    /// Makes every live access token of (company, client) expire now.
    pub fn expire_access_tokens(&self, company: &str, client_id: &str) -> usize {
        let mut st = self.lock();
        let grant_ids: Vec<String> = st
            .oauth
            .grants
            .values()
            .filter(|g| g.company_id == company && g.client_id == client_id)
            .map(|g| g.id.clone())
            .collect();
        let now = Instant::now();
        let mut n = 0;
        for t in st.oauth.access_tokens.values_mut() {
            if grant_ids.contains(&t.grant_id) && t.expires > now {
                t.expires = now;
                n += 1;
            }
        }
        n
    }

    /// Every OAuth grant.
    pub fn grants(&self) -> Vec<Grant> {
        self.lock().oauth.grants.values().cloned().collect()
    }

    /// Registers a webhook "made in Lever's UI" (invisible to the API).
    pub fn add_ui_webhook(
        &self,
        company: &str,
        event: &str,
        url: &str,
        signature_token: &str,
    ) -> ApiResult<Webhook> {
        if !WEBHOOK_EVENTS.contains(&event) {
            return Err(ApiError::bad_request(format!("event must be one of {}", WEBHOOK_EVENTS.join(", "))));
        }
        if url::Url::parse(url).is_err() || signature_token.is_empty() {
            return Err(ApiError::bad_request("url must be absolute and signatureToken non-empty"));
        }
        let w = Webhook {
            id: new_id(),
            event: event.to_string(),
            url: url.to_string(),
            signature_token: signature_token.to_string(),
            conditions: None,
            owner: WebhookOwner::Ui,
            created_at: now_ms(),
        };
        self.lock().company_mut(company)?.webhooks.push(w.clone());
        Ok(w)
    }

    /// Deletes a webhook as a Lever admin would in Lever's settings (any
    /// owner). Answers whether it existed.
    pub fn remove_webhook(&self, company: &str, webhook: &str) -> ApiResult<bool> {
        let mut st = self.lock();
        let c = st.company_mut(company)?;
        let before = c.webhooks.len();
        c.webhooks.retain(|w| w.id != webhook);
        Ok(c.webhooks.len() != before)
    }

    /// Every webhook of a company (API- and UI-made).
    pub fn webhooks(&self, company: &str) -> ApiResult<Vec<Webhook>> {
        Ok(self.lock().company(company)?.webhooks.clone())
    }

    /// The delivery log, oldest first.
    pub fn deliveries(&self) -> Vec<DeliveryRecord> {
        self.lock().deliveries.clone()
    }

    /// Request statistics and token exchange counts.
    pub fn stats(&self) -> StatsReport {
        let st = self.lock();
        StatsReport {
            credentials: st.limiter.reports(),
            token_requests: st.oauth.token_requests.clone(),
            token_exchanges: st.oauth.token_successes.clone(),
            unauthorized: st.unauthorized,
        }
    }

    /// The call log after `after` (a record's `seq`; 0 for all).
    pub fn calls(&self, after: u64) -> crate::calls::CallsReport {
        self.lock().calls.since(after)
    }

    /// Forgets statistics, token counts, the call log and the delivery log;
    /// refills buckets.
    pub fn reset_stats(&self) {
        let mut st = self.lock();
        st.calls.clear();
        st.limiter.reset_stats();
        st.limiter.reset_buckets();
        st.oauth.token_requests.clear();
        st.oauth.token_successes.clear();
        st.unauthorized = 0;
        st.deliveries.clear();
    }

    /// The faults in force.
    pub fn faults(&self) -> Faults {
        self.lock().faults.clone()
    }

    /// Replaces the faults.
    pub fn set_faults(&self, faults: Faults) -> ApiResult<()> {
        faults.validate().map_err(ApiError::bad_request)?;
        self.lock().faults = faults;
        Ok(())
    }

    /// The behaviour settings.
    pub fn settings(&self) -> Settings {
        self.lock().settings.clone()
    }

    /// Replaces the behaviour settings.
    pub fn set_settings(&self, settings: Settings) -> ApiResult<()> {
        settings.validate().map_err(ApiError::bad_request)?;
        self.lock().settings = settings;
        Ok(())
    }

    /// Loads a seed (adds to what exists).
    pub fn apply_seed(&self, seed: Seed) -> ApiResult<()> {
        for client in seed.clients {
            self.register_client(client)?;
        }
        let mut st = self.lock();
        for cs in seed.companies {
            let c = st.create_company(cs.company)?;
            for u in cs.users {
                st.add_user(&c.id, u)?;
            }
            for s in cs.stages {
                st.add_stage(&c.id, s)?;
            }
            for p in cs.postings {
                st.add_posting(&c.id, p)?;
            }
            for cand in cs.candidates {
                st.create_opportunity(&c.id, cand, None)?;
            }
            for k in cs.api_keys {
                st.create_api_key(&c.id, k)?;
            }
        }
        Ok(())
    }
}
