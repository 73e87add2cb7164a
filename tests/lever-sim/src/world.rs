//! Changes to companies' data: users, postings, stages and the candidate
//! life cycle. Each change that Lever announces by webhook returns the
//! [`Event`]s it fires; the caller dispatches them after releasing the lock.

use serde_json::{json, Value};

use crate::credentials::{random_token, ApiKey};
use crate::error::{ApiError, ApiResult};
use crate::inputs::{NewApiKey, NewCandidate, NewCompany, NewPosting, NewStage, NewUser};
use crate::model::{
    new_id, now_ms, Application, Archived, Company, Note, Opportunity, OwnTag, Posting, Stage, StageChange,
    User, ACCESS_ROLES,
};
use crate::permissions::Permission;
use crate::state::State;

/// A webhook-worthy happening in a company.
#[derive(Debug, Clone)]
pub struct Event {
    pub company_id: String,
    pub event: &'static str,
    pub data: Value,
}

fn bad(msg: impl Into<String>) -> ApiError {
    ApiError::bad_request(msg)
}

/// Resolves a user reference (id or e-mail).
pub fn resolve_user(c: &Company, r: &str) -> ApiResult<String> {
    c.users
        .iter()
        .find(|u| u.id == r || u.email.eq_ignore_ascii_case(r))
        .map(|u| u.id.clone())
        .ok_or_else(|| bad(format!("unknown user: {r}")))
}

fn resolve_posting(c: &Company, r: &str) -> ApiResult<String> {
    c.postings
        .iter()
        .find(|p| p.id == r || p.text == r)
        .map(|p| p.id.clone())
        .ok_or_else(|| bad(format!("unknown posting: {r}")))
}

fn resolve_stage(c: &Company, r: &str) -> ApiResult<String> {
    c.stages
        .iter()
        .find(|s| s.id == r || s.text.eq_ignore_ascii_case(r))
        .map(|s| s.id.clone())
        .ok_or_else(|| bad(format!("unknown stage: {r}")))
}

fn resolve_reason(c: &Company, r: &str) -> ApiResult<String> {
    c.archive_reasons
        .iter()
        .find(|a| a.id == r || a.text.eq_ignore_ascii_case(r))
        .map(|a| a.id.clone())
        .ok_or_else(|| bad(format!("unknown archive reason: {r}")))
}

fn opp_mut<'a>(c: &'a mut Company, id: &str) -> ApiResult<&'a mut Opportunity> {
    c.opportunity_mut(id).ok_or_else(|| ApiError::not_found(format!("opportunity {id} not found")))
}

fn ids(opp: &Opportunity) -> (String, String) {
    (opp.id.clone(), opp.contact.clone())
}

impl State {
    /// Creates a company with Lever's default pipeline.
    pub fn create_company(&mut self, input: NewCompany) -> ApiResult<Company> {
        if input.name.trim().is_empty() {
            return Err(bad("name is required"));
        }
        let mut c = Company::new(&input.name, input.data_centre);
        if let Some(id) = input.id {
            if self.companies.iter().any(|c| c.id == id) {
                return Err(bad(format!("company {id} exists")));
            }
            c.id = id;
        }
        self.companies.push(c.clone());
        Ok(c)
    }

    /// Adds a user.
    pub fn add_user(&mut self, company: &str, input: NewUser) -> ApiResult<User> {
        let role = input.access_role.unwrap_or_else(|| "team member".into());
        if !ACCESS_ROLES.contains(&role.as_str()) {
            return Err(bad(format!("accessRole must be one of {}", ACCESS_ROLES.join(", "))));
        }
        if input.name.trim().is_empty() || input.email.trim().is_empty() {
            return Err(bad("name and email are required"));
        }
        let now = now_ms();
        let user = User {
            id: input.id.unwrap_or_else(new_id),
            name: input.name,
            email: input.email,
            access_role: role,
            created_at: now,
            deactivated_at: input.deactivated.then_some(now),
        };
        let c = self.company_mut(company)?;
        if c.users.iter().any(|u| u.id == user.id) {
            return Err(bad(format!("user {} exists", user.id)));
        }
        c.users.push(user.clone());
        Ok(user)
    }

    /// Deactivates or reactivates a user.
    pub fn set_user_active(&mut self, company: &str, user: &str, active: bool) -> ApiResult<User> {
        let c = self.company_mut(company)?;
        let u = c
            .users
            .iter_mut()
            .find(|u| u.id == user)
            .ok_or_else(|| ApiError::not_found(format!("user {user} not found")))?;
        u.deactivated_at = if active { None } else { Some(now_ms()) };
        Ok(u.clone())
    }

    /// Adds a posting.
    pub fn add_posting(&mut self, company: &str, input: NewPosting) -> ApiResult<Posting> {
        let c = self.company_mut(company)?;
        let owner = input.owner.as_deref().map(|r| resolve_user(c, r)).transpose()?;
        let hiring_manager = input.hiring_manager.as_deref().map(|r| resolve_user(c, r)).transpose()?;
        let followers = input.followers.iter().map(|r| resolve_user(c, r)).collect::<ApiResult<Vec<_>>>()?;
        let now = now_ms();
        let posting = Posting {
            id: input.id.unwrap_or_else(new_id),
            text: input.text,
            state: input.state.unwrap_or_else(|| "published".into()),
            owner,
            hiring_manager,
            followers,
            tags: input.tags,
            categories: input.categories.unwrap_or_else(|| {
                json!({"commitment": null, "department": null, "level": null,
                       "location": null, "team": null, "allLocations": []})
            }),
            created_at: now,
            updated_at: now,
        };
        c.postings.push(posting.clone());
        Ok(posting)
    }

    /// Replaces a posting's tags (as an admin would in Lever's UI).
    pub fn set_posting_tags(
        &mut self,
        company: &str,
        posting: &str,
        tags: Vec<String>,
    ) -> ApiResult<Posting> {
        let c = self.company_mut(company)?;
        let p = c
            .postings
            .iter_mut()
            .find(|p| p.id == posting)
            .ok_or_else(|| ApiError::not_found(format!("posting {posting} not found")))?;
        p.tags = tags;
        p.updated_at = now_ms();
        Ok(p.clone())
    }

    /// Adds a custom stage (UUID id unless given).
    pub fn add_stage(&mut self, company: &str, input: NewStage) -> ApiResult<Stage> {
        let c = self.company_mut(company)?;
        let stage = Stage { id: input.id.unwrap_or_else(new_id), text: input.text };
        if c.stage_index(&stage.id).is_some() {
            return Err(bad(format!("stage {} exists", stage.id)));
        }
        // Custom stages go before the offer stage, as in a usual pipeline.
        let at = c.stage_index("offer").unwrap_or(c.stages.len());
        c.stages.insert(at, stage.clone());
        Ok(stage)
    }

    /// Creates an API key of a company.
    pub fn create_api_key(&mut self, company: &str, input: NewApiKey) -> ApiResult<ApiKey> {
        self.company(company)?;
        let permissions = match input.permissions {
            None => Permission::all().into_iter().collect(),
            Some(names) => names
                .iter()
                .map(|n| Permission::from_name(n).ok_or_else(|| bad(format!("unknown permission: {n}"))))
                .collect::<ApiResult<_>>()?,
        };
        let key = ApiKey {
            key: input.key.unwrap_or_else(|| random_token(32)),
            company_id: company.to_string(),
            label: input.label,
            permissions,
        };
        self.api_keys.insert(key.key.clone(), key.clone());
        Ok(key)
    }

    /// Creates an opportunity; with postings it gets applications and fires
    /// `applicationCreated` for each.
    pub fn create_opportunity(
        &mut self,
        company: &str,
        input: NewCandidate,
        actor: Option<&str>,
    ) -> ApiResult<(Opportunity, Vec<Event>)> {
        let c = self.company_mut(company)?;
        if input.name.trim().is_empty() {
            return Err(bad("name is required"));
        }
        let mut posting_ids = Vec::new();
        for r in input.posting.iter().chain(input.postings.iter()) {
            let id = resolve_posting(c, r)?;
            if !posting_ids.contains(&id) {
                posting_ids.push(id);
            }
        }
        let default_stage = if posting_ids.is_empty() { "lead-new" } else { "applicant-new" };
        let stage = resolve_stage(c, input.stage.as_deref().unwrap_or(default_stage))?;
        let owner = match input.owner.as_deref() {
            Some(r) => Some(resolve_user(c, r)?),
            None => posting_ids.first().and_then(|p| c.posting(p)).and_then(|p| p.owner.clone()),
        };
        let archived = match input.archived_reason.as_deref() {
            Some(r) => Some(Archived { archived_at: now_ms(), reason: resolve_reason(c, r)? }),
            None => None,
        };
        let emails: Vec<String> =
            input.emails.iter().map(|e| e.trim().to_string()).filter(|e| !e.is_empty()).collect();
        // Contacts are de-duplicated by e-mail.
        let contact =
            emails.iter().find_map(|e| c.contacts.get(&e.to_lowercase()).cloned()).unwrap_or_else(new_id);
        for e in &emails {
            c.contacts.insert(e.to_lowercase(), contact.clone());
        }
        let now = now_ms();
        let id = input.id.unwrap_or_else(new_id);
        if c.opportunity(&id).is_some() {
            return Err(bad(format!("opportunity {id} exists")));
        }
        let applications: Vec<Application> = posting_ids
            .iter()
            .map(|p| Application {
                id: new_id(),
                opportunity_id: id.clone(),
                posting: p.clone(),
                created_at: now,
            })
            .collect();
        let stage_index = c.stage_index(&stage).unwrap_or(0);
        let opp = Opportunity {
            id: id.clone(),
            name: input.name,
            headline: input.headline.unwrap_or_default(),
            contact: contact.clone(),
            emails,
            phones: input.phones,
            stage: stage.clone(),
            stage_changes: vec![StageChange {
                to_stage_id: stage,
                to_stage_index: stage_index,
                updated_at: now,
                user_id: actor.map(str::to_string),
            }],
            owner,
            tags: dedup(input.tags)
                .into_iter()
                .map(|text| OwnTag { text, added_by: actor.map(str::to_string), added_at: now })
                .collect(),
            applications: applications.clone(),
            archived,
            origin: input.origin.unwrap_or_else(|| {
                if posting_ids.is_empty() {
                    "sourced".into()
                } else {
                    "applied".into()
                }
            }),
            links: Vec::new(),
            notes: Vec::new(),
            created_at: now,
            updated_at: now,
        };
        c.opportunities.push(opp.clone());
        let events = applications
            .iter()
            .map(|a| Event {
                company_id: company.to_string(),
                event: "applicationCreated",
                data: json!({"applicationId": a.id, "opportunityId": id, "contactId": contact}),
            })
            .collect();
        Ok((opp, events))
    }

    /// Moves a candidate to a stage as a user; fires `candidateStageChange`.
    pub fn move_candidate(
        &mut self,
        company: &str,
        opp: &str,
        stage: &str,
        user: Option<&str>,
    ) -> ApiResult<Vec<Event>> {
        let c = self.company_mut(company)?;
        let stage = resolve_stage(c, stage)?;
        let index = c.stage_index(&stage).unwrap_or(0);
        let user = user.map(|u| resolve_user(c, u)).transpose()?;
        let o = opp_mut(c, opp)?;
        let from = std::mem::replace(&mut o.stage, stage.clone());
        let now = now_ms();
        o.stage_changes.push(StageChange {
            to_stage_id: stage.clone(),
            to_stage_index: index,
            updated_at: now,
            user_id: user,
        });
        o.updated_at = now;
        let (oid, contact) = ids(o);
        Ok(vec![Event {
            company_id: company.to_string(),
            event: "candidateStageChange",
            data: json!({"opportunityId": oid, "contactId": contact,
                         "fromStageId": from, "toStageId": stage}),
        }])
    }

    /// Archives (reason given) or unarchives (no reason); fires
    /// `candidateArchiveChange`.
    pub fn archive_candidate(
        &mut self,
        company: &str,
        opp: &str,
        reason: Option<&str>,
    ) -> ApiResult<Vec<Event>> {
        let c = self.company_mut(company)?;
        let to = match reason {
            Some(r) => Some(Archived { archived_at: now_ms(), reason: resolve_reason(c, r)? }),
            None => None,
        };
        let o = opp_mut(c, opp)?;
        let from = std::mem::replace(&mut o.archived, to.clone());
        o.updated_at = now_ms();
        let (oid, contact) = ids(o);
        Ok(vec![Event {
            company_id: company.to_string(),
            event: "candidateArchiveChange",
            data: json!({"opportunityId": oid, "contactId": contact,
                         "fromArchived": from, "toArchived": to}),
        }])
    }

    /// Hires: archives with the hired reason; fires `candidateHired` and
    /// `candidateArchiveChange`.
    pub fn hire_candidate(&mut self, company: &str, opp: &str) -> ApiResult<Vec<Event>> {
        let reason = self
            .company(company)?
            .hired_reason()
            .map(|r| r.id.clone())
            .ok_or_else(|| bad("the company has no hired archive reason"))?;
        let mut events = self.archive_candidate(company, opp, Some(&reason))?;
        let c = self.company(company)?;
        let o =
            c.opportunity(opp).ok_or_else(|| ApiError::not_found(format!("opportunity {opp} not found")))?;
        events.insert(
            0,
            Event {
                company_id: company.to_string(),
                event: "candidateHired",
                data: json!({"opportunityId": o.id, "contactId": o.contact}),
            },
        );
        Ok(events)
    }

    /// Deletes a candidate; fires `candidateDeleted`.
    pub fn delete_candidate(
        &mut self,
        company: &str,
        opp: &str,
        user: Option<&str>,
    ) -> ApiResult<Vec<Event>> {
        let c = self.company_mut(company)?;
        let user = user.map(|u| resolve_user(c, u)).transpose()?;
        let pos = c
            .opportunities
            .iter()
            .position(|o| o.id == opp)
            .ok_or_else(|| ApiError::not_found(format!("opportunity {opp} not found")))?;
        let o = c.opportunities.remove(pos);
        Ok(vec![Event {
            company_id: company.to_string(),
            event: "candidateDeleted",
            data: json!({"opportunityId": o.id, "contactId": o.contact, "deletedBy": user}),
        }])
    }

    /// Replaces a candidate's e-mails.
    pub fn set_emails(&mut self, company: &str, opp: &str, emails: Vec<String>) -> ApiResult<()> {
        let c = self.company_mut(company)?;
        let o = opp_mut(c, opp)?;
        o.emails = emails;
        o.updated_at = now_ms();
        Ok(())
    }

    /// Adds tags to an opportunity as a user.
    pub fn add_tags(
        &mut self,
        company: &str,
        opp: &str,
        tags: &[String],
        actor: Option<&str>,
    ) -> ApiResult<()> {
        let o = opp_mut(self.company_mut(company)?, opp)?;
        let now = now_ms();
        for t in tags {
            if !o.tags.iter().any(|x| x.text == *t) {
                o.tags.push(OwnTag { text: t.clone(), added_by: actor.map(str::to_string), added_at: now });
            }
        }
        o.updated_at = now;
        Ok(())
    }

    /// Removes an opportunity's own tags (inherited posting tags stay).
    pub fn remove_tags(&mut self, company: &str, opp: &str, tags: &[String]) -> ApiResult<()> {
        let o = opp_mut(self.company_mut(company)?, opp)?;
        o.tags.retain(|t| !tags.contains(&t.text));
        o.updated_at = now_ms();
        Ok(())
    }

    /// Adds a note as a user.
    pub fn add_note(
        &mut self,
        company: &str,
        opp: &str,
        value: String,
        actor: Option<&str>,
    ) -> ApiResult<Note> {
        let o = opp_mut(self.company_mut(company)?, opp)?;
        let note = Note {
            id: new_id(),
            value,
            author: actor.map(str::to_string),
            created_at: now_ms(),
            deleted_at: None,
        };
        o.notes.push(note.clone());
        self.notes_created += 1;
        Ok(note)
    }

    /// Deletes a note (kept with `deletedAt` for inspection).
    pub fn delete_note(&mut self, company: &str, opp: &str, note: &str) -> ApiResult<()> {
        let o = opp_mut(self.company_mut(company)?, opp)?;
        let n = o
            .notes
            .iter_mut()
            .find(|n| n.id == note && n.deleted_at.is_none())
            .ok_or_else(|| ApiError::not_found(format!("note {note} not found")))?;
        n.deleted_at = Some(now_ms());
        Ok(())
    }

    /// Adds or removes links.
    pub fn change_links(&mut self, company: &str, opp: &str, links: &[String], add: bool) -> ApiResult<()> {
        let o = opp_mut(self.company_mut(company)?, opp)?;
        if add {
            for l in links {
                if !o.links.contains(l) {
                    o.links.push(l.clone());
                }
            }
        } else {
            o.links.retain(|l| !links.contains(l));
        }
        o.updated_at = now_ms();
        Ok(())
    }
}

fn dedup(items: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for i in items {
        if !out.contains(&i) {
            out.push(i);
        }
    }
    out
}
