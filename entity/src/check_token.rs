//! A single-purpose link token of a check. Only its SHA-256 is stored.
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// What a token lets its holder do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum TokenPurpose {
    #[sea_orm(string_value = "CANDIDATE_SELF_ASSESSMENT")]
    CandidateSelfAssessment,
    #[sea_orm(string_value = "CANDIDATE_NOMINATION")]
    CandidateNomination,
    #[sea_orm(string_value = "REFEREE")]
    Referee,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "check_tokens")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Hex SHA-256 of the token.
    #[sea_orm(unique)]
    pub token_hash: String,
    pub purpose: TokenPurpose,
    pub check_id: Uuid,
    pub referee_id: Option<Uuid>,
    pub expires_at: DateTimeUtc,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
