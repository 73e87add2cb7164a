//! An e-mail Vouch sends, written in the transaction that needs it.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub to_address: String,
    pub subject: String,
    pub body: String,
    /// `INVITATION`, `CANDIDATE_LINK`, `REFEREE_REQUEST`, `REMINDER`.
    pub kind: String,
    pub check_id: Option<Uuid>,
    /// `QUEUED`, `DELIVERED_TO_OUTBOX` (no SMTP configured), `SENT` (the
    /// SMTP server accepted it), `FAILED` (refused, or retries ran out).
    pub status: String,
    pub created_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
    /// SMTP attempts made.
    pub attempts: i32,
    /// Why the last SMTP attempt failed.
    pub last_error: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
