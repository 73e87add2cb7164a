//! Projects: one per Lever posting, created on first use and named after
//! it; its candidates (one per Lever opportunity); and its members, the
//! Vouch users who may see it. Lever users unknown to Vouch are invited:
//! a TEAM_MEMBER with no usable password, an invitation with a single-use
//! token (only its SHA-256 stored) and an invitation e-mail.
use chrono::{Duration, Utc};
use entity::{candidate, invitation, lever_user, organization, project, project_member, user, Role};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use uuid::Uuid;

use super::checks::tokens;
use super::email::{self, templates, EmailKind};
use super::{validate, DomainError, DomainResult};
use crate::lever::models::{Opportunity, Phone};

/// How long an invitation link works.
pub const INVITATION_DAYS: i64 = 14;
/// Stored instead of a password hash: no password ever verifies against it
/// (accepting the invitation replaces it, see [`super::invitations`]).
pub const NO_PASSWORD: &str = "!invited";

/// The project of a posting, made on first use.
pub async fn ensure_project<C: ConnectionTrait>(
    db: &C,
    organization_id: Uuid,
    connection_id: Uuid,
    posting_id: &str,
    posting_name: &str,
) -> DomainResult<project::Model> {
    let row = project::ActiveModel {
        id: Set(Uuid::new_v4()),
        organization_id: Set(organization_id),
        connection_id: Set(connection_id),
        lever_posting_id: Set(posting_id.to_owned()),
        name: Set(posting_name.chars().take(500).collect()),
        created_at: Set(Utc::now()),
    };
    project::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([project::Column::ConnectionId, project::Column::LeverPostingId])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    project::Entity::find()
        .filter(project::Column::ConnectionId.eq(connection_id))
        .filter(project::Column::LeverPostingId.eq(posting_id))
        .filter(project::Column::OrganizationId.eq(organization_id))
        .one(db)
        .await?
        .ok_or_else(|| DomainError::internal("project vanished after insert"))
}

/// The candidate of an opportunity in a project, created or refreshed from
/// what Lever answered (never from the unsigned webhook body).
pub async fn ensure_candidate<C: ConnectionTrait>(
    db: &C,
    project: &project::Model,
    opportunity: &Opportunity,
) -> DomainResult<candidate::Model> {
    let now = Utc::now();
    let name = opportunity.name.clone().unwrap_or_else(|| "(no name in Lever)".into());
    let emails = serde_json::json!(opportunity.emails);
    let phones = serde_json::to_value(&opportunity.phones).unwrap_or_default();
    let existing = candidate::Entity::find()
        .filter(candidate::Column::ProjectId.eq(project.id))
        .filter(candidate::Column::LeverOpportunityId.eq(opportunity.id.as_str()))
        .one(db)
        .await?;
    if let Some(existing) = existing {
        let mut row: candidate::ActiveModel = existing.into();
        row.name = Set(name.chars().take(500).collect());
        row.emails = Set(emails);
        row.phones = Set(phones);
        row.updated_at = Set(now);
        return Ok(row.update(db).await?);
    }
    Ok(candidate::ActiveModel {
        id: Set(Uuid::new_v4()),
        organization_id: Set(project.organization_id),
        connection_id: Set(project.connection_id),
        project_id: Set(project.id),
        lever_opportunity_id: Set(opportunity.id.clone()),
        name: Set(name.chars().take(500).collect()),
        emails: Set(emails),
        phones: Set(phones),
        purged_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?)
}

/// A candidate's e-mail addresses as stored.
pub fn emails_of(candidate: &candidate::Model) -> Vec<String> {
    serde_json::from_value(candidate.emails.clone()).unwrap_or_default()
}

/// A candidate's phone numbers as stored.
pub fn phones_of(candidate: &candidate::Model) -> Vec<Phone> {
    serde_json::from_value(candidate.phones.clone()).unwrap_or_default()
}

/// A Lever user as Vouch needs them to grant access.
#[derive(Debug, Clone)]
pub struct LeverPerson {
    pub lever_id: String,
    pub name: String,
    pub email: Option<String>,
}

/// The Lever user from the catalogue, if synced.
pub async fn lever_person<C: ConnectionTrait>(
    db: &C,
    connection_id: Uuid,
    lever_id: &str,
) -> DomainResult<Option<LeverPerson>> {
    Ok(lever_user::Entity::find()
        .filter(lever_user::Column::ConnectionId.eq(connection_id))
        .filter(lever_user::Column::LeverId.eq(lever_id))
        .one(db)
        .await?
        .map(|u| LeverPerson { lever_id: u.lever_id, name: u.text, email: u.email }))
}

/// Gives `person` access to the project: the Vouch user with their e-mail
/// (in this organization), or a new invited TEAM_MEMBER. Answers the Vouch
/// user id, or `None` when the person cannot be matched (no e-mail, or the
/// address belongs to a user of another organization).
pub async fn grant_access<C: ConnectionTrait>(
    db: &C,
    public_url: &url::Url,
    project: &project::Model,
    person: &LeverPerson,
) -> DomainResult<Option<Uuid>> {
    let Some(email) = person.email.as_deref().and_then(|e| validate::email("email", e).ok()) else {
        return Ok(None);
    };
    let user_id = match user::Entity::find().filter(user::Column::Email.eq(email.as_str())).one(db).await? {
        Some(u) if u.organization_id == project.organization_id => u.id,
        Some(_) => {
            tracing::warn!(project = %project.id, "a Lever user's address belongs to another organization's user; not added");
            return Ok(None);
        }
        None => invite(db, public_url, project, person, &email).await?,
    };
    project_member::Entity::insert(project_member::ActiveModel {
        project_id: Set(project.id),
        user_id: Set(user_id),
        created_at: Set(Utc::now()),
    })
    .on_conflict(
        OnConflict::columns([project_member::Column::ProjectId, project_member::Column::UserId])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(Some(user_id))
}

async fn invite<C: ConnectionTrait>(
    db: &C,
    public_url: &url::Url,
    project: &project::Model,
    person: &LeverPerson,
    email: &str,
) -> DomainResult<Uuid> {
    let now = Utc::now();
    let id = Uuid::new_v4();
    let name = validate::name("name", &person.name).unwrap_or_else(|_| email.to_owned());
    user::ActiveModel {
        id: Set(id),
        organization_id: Set(project.organization_id),
        email: Set(email.to_owned()),
        name: Set(name.clone()),
        password_hash: Set(NO_PASSWORD.to_owned()),
        role: Set(Role::TeamMember),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    let token = tokens::generate();
    invitation::ActiveModel {
        id: Set(Uuid::new_v4()),
        organization_id: Set(project.organization_id),
        user_id: Set(id),
        token_hash: Set(tokens::hash(&token)),
        expires_at: Set(now + Duration::days(INVITATION_DAYS)),
        used_at: Set(None),
        created_at: Set(now),
    }
    .insert(db)
    .await?;
    let org = organization::Entity::find_by_id(project.organization_id)
        .one(db)
        .await?
        .ok_or_else(|| DomainError::not_found("organization"))?;
    let link = public_url.join(&format!("invitation/{token}")).map(|u| u.to_string()).unwrap_or_default();
    let values =
        templates::Values { name: &name, company: &org.name, job: &project.name, link: &link, candidate: "" };
    let message = templates::render(EmailKind::Invitation, org.default_language, &values);
    email::queue(db, project.organization_id, email, EmailKind::Invitation, message, None).await?;
    Ok(id)
}

/// The projects a user may see: every project of the organization, or for
/// LIMITED_TEAM_MEMBER those they are a member of.
pub async fn visible_project_ids<C: ConnectionTrait>(
    db: &C,
    viewer: &user::Model,
) -> DomainResult<Option<Vec<Uuid>>> {
    if viewer.role != Role::LimitedTeamMember {
        return Ok(None);
    }
    Ok(Some(
        project_member::Entity::find()
            .filter(project_member::Column::UserId.eq(viewer.id))
            .all(db)
            .await?
            .into_iter()
            .map(|m| m.project_id)
            .collect(),
    ))
}

/// The projects a user may see, newest first, with their member ids.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    viewer: &user::Model,
) -> DomainResult<Vec<(project::Model, Vec<Uuid>)>> {
    let mut query = project::Entity::find()
        .filter(project::Column::OrganizationId.eq(viewer.organization_id))
        .order_by_desc(project::Column::CreatedAt);
    if let Some(ids) = visible_project_ids(db, viewer).await? {
        query = query.filter(project::Column::Id.is_in(ids));
    }
    let projects = query.all(db).await?;
    let ids: Vec<Uuid> = projects.iter().map(|p| p.id).collect();
    let members =
        project_member::Entity::find().filter(project_member::Column::ProjectId.is_in(ids)).all(db).await?;
    Ok(projects
        .into_iter()
        .map(|p| {
            let ids = members.iter().filter(|m| m.project_id == p.id).map(|m| m.user_id).collect();
            (p, ids)
        })
        .collect())
}
