//! One candidate as the admin app's candidate page shows them: their
//! details and every check run on them. Same visibility as a check: the
//! caller's organization only, and a LIMITED_TEAM_MEMBER only in projects
//! they belong to (anything else is NOT_FOUND, revealing nothing).
//!
//! A purged candidate (deleted in Lever) answers with blank personal data
//! whatever is stored, so a purge that missed a column cannot leak here.
use entity::{candidate, check, project, user};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::projects::{self, emails_of, phones_of};
use super::{DomainError, DomainResult};
use crate::lever::models::Phone;

/// What is shown of a candidate's personal data once purged.
pub const PURGED_NAME: &str = "(deleted)";

/// A candidate with the project they are in.
#[derive(Debug, Clone)]
pub struct CandidateView {
    pub candidate: candidate::Model,
    pub project: Option<project::Model>,
    pub name: String,
    pub emails: Vec<String>,
    pub phones: Vec<Phone>,
}

/// The candidate `id`, if the viewer may see them.
pub async fn find<C: ConnectionTrait>(db: &C, viewer: &user::Model, id: Uuid) -> DomainResult<CandidateView> {
    let candidate = candidate::Entity::find_by_id(id)
        .filter(candidate::Column::OrganizationId.eq(viewer.organization_id))
        .one(db)
        .await?
        .ok_or_else(|| DomainError::not_found("candidate"))?;
    if let Some(ids) = projects::visible_project_ids(db, viewer).await? {
        if !ids.contains(&candidate.project_id) {
            return Err(DomainError::not_found("candidate"));
        }
    }
    let project = project::Entity::find_by_id(candidate.project_id)
        .filter(project::Column::OrganizationId.eq(viewer.organization_id))
        .one(db)
        .await?;
    let (name, emails, phones) = if candidate.purged_at.is_some() {
        (PURGED_NAME.to_owned(), Vec::new(), Vec::new())
    } else {
        (candidate.name.clone(), emails_of(&candidate), phones_of(&candidate))
    };
    Ok(CandidateView { candidate, project, name, emails, phones })
}

/// Every check of a candidate the viewer could [`find`], newest first.
pub async fn checks<C: ConnectionTrait>(
    db: &C,
    candidate: &candidate::Model,
) -> DomainResult<Vec<check::Model>> {
    Ok(check::Entity::find()
        .filter(check::Column::OrganizationId.eq(candidate.organization_id))
        .filter(check::Column::CandidateId.eq(candidate.id))
        .order_by_desc(check::Column::CreatedAt)
        .all(db)
        .await?)
}
