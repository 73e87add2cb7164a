//! A user's role in their organization, stored as text.
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// What a user may do in Vouch, from most to least powerful.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Role {
    #[sea_orm(string_value = "SUPER_ADMIN")]
    SuperAdmin,
    #[sea_orm(string_value = "ADMIN")]
    Admin,
    #[sea_orm(string_value = "TEAM_MEMBER")]
    TeamMember,
    #[sea_orm(string_value = "LIMITED_TEAM_MEMBER")]
    LimitedTeamMember,
}
