//! One run of the sync (see the module above for the design): find or make
//! the carrier, add the missing tags, remove the stale ones, then report the
//! postings Vouch cannot clean up.
use std::collections::BTreeSet;

use async_trait::async_trait;
use chrono::Utc;
use entity::lever_connection::{self, ConnectionStatus};
use entity::{job, template};
use futures::TryStreamExt;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::{AffectedPosting, LeftoverTag, Payload, TagSyncReport, CARRIER_NAME};
use crate::domain::connections::{clients, store};
use crate::domain::resolution::{template_tag, template_tag_name};
use crate::jobs::{JobContext, JobError, JobHandler, JobOutcome};
use crate::lever::models::{NewOpportunity, Opportunity};
use crate::lever::{LeverClient, LeverError};
use crate::AppState;

/// The handler of [`super::JOB_KIND`].
pub struct SyncTemplateTags {
    state: AppState,
}

impl SyncTemplateTags {
    pub fn new(state: AppState) -> Self {
        Self { state }
    }
}

#[async_trait]
impl JobHandler for SyncTemplateTags {
    async fn run(&self, ctx: &JobContext, job: &job::Model) -> Result<JobOutcome, JobError> {
        let payload: Payload = crate::jobs::payload(job)?;
        let connection = store::find(&self.state.db, payload.organization_id, payload.connection_id).await?;
        match connection.status {
            ConnectionStatus::Revoked => {
                return Err(JobError::paused("Lever revoked Vouch's access: reconnect Lever to sync tags"))
            }
            ConnectionStatus::Disconnected => {
                return Err(JobError::permanent("Lever is disconnected: connect it again, then sync tags"))
            }
            ConnectionStatus::Connected | ConnectionStatus::NeedsAttention => {}
        }
        let client = clients::client_for(&self.state, &connection).await?;
        let sync = Sync { state: &self.state, connection: &connection, client: &client };
        let report = sync.run(ctx, payload.organization_id).await?;
        let value = serde_json::to_value(&report).map_err(|e| JobError::permanent(e.to_string()))?;
        ctx.set_result(value).await?;
        Ok(JobOutcome::Done)
    }
}

struct Sync<'a> {
    state: &'a AppState,
    connection: &'a lever_connection::Model,
    client: &'a LeverClient,
}

impl Sync<'_> {
    async fn run(&self, ctx: &JobContext, organization_id: uuid::Uuid) -> Result<TagSyncReport, JobError> {
        let wanted = self.wanted_tags(organization_id).await?;
        let (carrier, created) = self.carrier(&wanted).await?;
        let have: BTreeSet<String> = carrier.tags.iter().cloned().collect();
        let missing: Vec<String> =
            if created { Vec::new() } else { wanted.difference(&have).cloned().collect() };
        let stale: Vec<String> = have.iter().filter(|t| is_stale(t, &wanted)).cloned().collect();
        // Steps: the carrier, each tag to add or remove, the posting scan.
        let total = 2 + (missing.len() + stale.len()) as i64;
        let mut done = 1;
        ctx.report_progress(done, Some(total)).await?;

        let mut report = TagSyncReport {
            carrier_opportunity_id: carrier.id.clone(),
            tags: wanted.iter().cloned().collect(),
            added: if created { wanted.iter().cloned().collect() } else { Vec::new() },
            ..TagSyncReport::default()
        };
        for tag in missing {
            let tags = [tag.clone()];
            self.lever(self.client.add_tags(&carrier.id, &tags, None).await).await?;
            report.added.push(tag);
            done += 1;
            ctx.report_progress(done, Some(total)).await?;
        }
        for tag in stale {
            let tags = [tag.clone()];
            self.lever(self.client.remove_tags(&carrier.id, &tags, None).await).await?;
            report.removed.push(tag);
            done += 1;
            ctx.report_progress(done, Some(total)).await?;
        }

        let postings = self.lever(self.client.postings().try_collect::<Vec<_>>().await).await?;
        for posting in postings {
            let stale_tags: Vec<String> =
                posting.tags.iter().filter(|t| is_stale(t, &wanted)).cloned().collect();
            if !stale_tags.is_empty() {
                report.affected_postings.push(AffectedPosting {
                    name: posting.text.clone().unwrap_or_else(|| posting.id.clone()),
                    posting_id: posting.id,
                    stale_tags,
                });
            }
        }
        let listed = self.lever(self.client.tags().try_collect::<Vec<_>>().await).await?;
        report.leftover_tags = listed
            .into_iter()
            .filter(|t| is_stale(&t.text, &wanted))
            .map(|t| LeftoverTag { text: t.text, count: t.count })
            .collect();
        ctx.report_progress(total, Some(total)).await?;
        Ok(report)
    }

    /// `Vouch Template: <name>` of every active template.
    async fn wanted_tags(&self, organization_id: uuid::Uuid) -> Result<BTreeSet<String>, JobError> {
        let templates = template::Entity::find()
            .filter(template::Column::OrganizationId.eq(organization_id))
            .filter(template::Column::ArchivedAt.is_null())
            .order_by_asc(template::Column::Name)
            .all(&self.state.db)
            .await?;
        Ok(templates.iter().map(|t| template_tag(&t.name)).collect())
    }

    /// The carrier opportunity, read back by its stored id, or made now
    /// (already carrying `wanted`; the flag says so).
    async fn carrier(&self, wanted: &BTreeSet<String>) -> Result<(Opportunity, bool), JobError> {
        if let Some(id) = &self.connection.tag_carrier_opportunity_id {
            match self.client.opportunity(id).await {
                Ok(found) => {
                    store::touch_success(&self.state.db, self.connection.id).await?;
                    return Ok((found, false));
                }
                Err(LeverError::NotFound { .. }) => {
                    tracing::warn!(connection_id = %self.connection.id, "the tag carrier opportunity is gone from Lever; making a new one");
                }
                Err(other) => return Err(self.lever_error(other).await),
            }
        }
        if self.client.fallback_user().is_none() {
            return Err(JobError::permanent(
                "choose a fallback Lever user on the Integrations page: Lever needs a user to create the tag carrier as",
            ));
        }
        let new = NewOpportunity {
            name: CARRIER_NAME.to_owned(),
            tags: wanted.iter().cloned().collect(),
            origin: Some("sourced".to_owned()),
            stage: self.connection.default_export_stage_id.clone(),
            ..NewOpportunity::default()
        };
        let created = self.lever(self.client.create_opportunity(&new, None).await).await?.value;
        // Stored at once: the next run finds this one instead of making another.
        lever_connection::Entity::update_many()
            .col_expr(
                lever_connection::Column::TagCarrierOpportunityId,
                Expr::value(Some(created.id.clone())),
            )
            .col_expr(lever_connection::Column::UpdatedAt, Expr::value(Utc::now()))
            .filter(lever_connection::Column::Id.eq(self.connection.id))
            .exec(&self.state.db)
            .await?;
        Ok((created, true))
    }

    /// A Lever call's outcome as the job sees it.
    async fn lever<T>(&self, outcome: Result<T, LeverError>) -> Result<T, JobError> {
        match outcome {
            Ok(value) => {
                store::touch_success(&self.state.db, self.connection.id).await?;
                Ok(value)
            }
            Err(err) => Err(self.lever_error(err).await),
        }
    }

    /// A 401 marks the connection revoked (through [`clients::observe`]) and
    /// parks the job; transient failures retry; anything else fails with a
    /// message an admin can act on.
    async fn lever_error(&self, err: LeverError) -> JobError {
        let transient = err.is_transient();
        let unauthorized = matches!(err, LeverError::Unauthorized);
        let message =
            match clients::observe::<(), _>(&self.state.db, self.state, self.connection, Err(err)).await {
                Ok(()) => "Lever call failed".to_owned(),
                Err(e) => e.to_string(),
            };
        if unauthorized {
            JobError::paused(message)
        } else if transient {
            JobError::retryable(message)
        } else {
            JobError::permanent(message)
        }
    }
}

/// A template tag that no active template wants.
fn is_stale(tag: &str, wanted: &BTreeSet<String>) -> bool {
    template_tag_name(tag).is_some() && !wanted.contains(tag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_unwanted_template_tags_are_stale() {
        let wanted: BTreeSet<String> = ["Vouch Template: Standard".to_owned()].into();
        assert!(!is_stale("Vouch Template: Standard", &wanted));
        assert!(is_stale("Vouch Template: Old name", &wanted));
        assert!(!is_stale("Remote", &wanted));
        assert!(!is_stale("Vouch Template:   ", &wanted));
    }
}
