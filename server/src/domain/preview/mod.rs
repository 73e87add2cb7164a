//! Dry run: what Vouch would do if an opportunity in a posting entered a
//! stage, and what would stop it, without changing anything.
//!
//! [`evaluate`] is pure: it takes the resolution [`Setup`], what the
//! catalogue knows of the posting and stage, and optionally what Lever said
//! about the opportunity. [`preview`] gathers those. Reading the opportunity
//! goes through the [`OpportunityReader`] seam: until a Lever client can be
//! built from a stored connection, [`NoLeverReader`] answers that the
//! opportunity was not checked.
mod evaluate;
#[cfg(test)]
mod tests;

use async_trait::async_trait;
use entity::{lever_posting, lever_stage};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

pub use evaluate::{evaluate, Preview, PreviewInput, Reason, ReasonCode};

use super::resolution::{self, Setup};
use super::{catalogue, DomainResult};

/// What Lever says about one opportunity, as far as a trigger cares.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpportunityFacts {
    /// The candidate's e-mail addresses.
    pub emails: Vec<String>,
    /// The posting's tags read together with the opportunity (fresher than
    /// the catalogue); `None` uses the catalogue's.
    pub tags: Option<Vec<String>>,
}

/// The result of asking Lever about an opportunity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpportunityRead {
    Read(OpportunityFacts),
    /// Lever has no such opportunity.
    NotFound,
    /// It could not be asked; the text says why.
    NotChecked(String),
}

/// Reads an opportunity from the organization's Lever connection.
#[async_trait]
pub trait OpportunityReader: Send + Sync {
    async fn read(&self, organization_id: Uuid, opportunity_id: &str) -> OpportunityRead;
}

/// The reader used until Lever clients can be built from stored
/// connections: it never calls Lever.
pub struct NoLeverReader;

#[async_trait]
impl OpportunityReader for NoLeverReader {
    async fn read(&self, _organization_id: Uuid, _opportunity_id: &str) -> OpportunityRead {
        OpportunityRead::NotChecked("opportunity details not checked: no Lever connection".into())
    }
}

/// Longest Lever id accepted (Lever's ids are UUIDs or short slugs).
const MAX_ID_LEN: usize = 64;

/// The dry run for the organization's active connection.
pub async fn preview<C: ConnectionTrait>(
    db: &C,
    organization_id: Uuid,
    reader: &dyn OpportunityReader,
    posting_id: &str,
    stage_id: &str,
    opportunity_id: Option<&str>,
) -> DomainResult<Preview> {
    for (field, value) in
        [("postingId", posting_id), ("stageId", stage_id), ("opportunityId", opportunity_id.unwrap_or("x"))]
    {
        if value.trim().is_empty() || value.len() > MAX_ID_LEN {
            return Err(super::DomainError::invalid(
                field,
                format!("a Lever id: 1 to {MAX_ID_LEN} characters"),
            ));
        }
    }
    let Some(connection) = catalogue::active_connection(db, organization_id).await? else {
        return Ok(Preview::no_connection());
    };
    let setup: Setup = resolution::load(db, organization_id, connection.id).await?;
    let posting = lever_posting::Entity::find()
        .filter(lever_posting::Column::ConnectionId.eq(connection.id))
        .filter(lever_posting::Column::LeverId.eq(posting_id))
        .one(db)
        .await?;
    let stage = lever_stage::Entity::find()
        .filter(lever_stage::Column::ConnectionId.eq(connection.id))
        .filter(lever_stage::Column::LeverId.eq(stage_id))
        .one(db)
        .await?;
    let opportunity = match opportunity_id {
        Some(id) => Some(reader.read(organization_id, id).await),
        None => None,
    };
    Ok(evaluate(
        &setup,
        &PreviewInput {
            posting_id,
            stage_id,
            posting: posting.as_ref(),
            stage: stage.as_ref(),
            opportunity: opportunity.as_ref(),
        },
    ))
}
