//! The audit trail: every change an admin makes to configuration is recorded
//! with who, when and what changed, in the same transaction as the change
//! (so a rolled-back change leaves no trace and a committed one always has).
use chrono::Utc;
use entity::audit_event;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::{Map, Value};
use uuid::Uuid;

use super::DomainResult;

/// Most events one query answers.
pub const MAX_PAGE: u64 = 200;

/// What an event is about.
pub struct Subject<'a> {
    /// e.g. `rule`, `template`, `organization`.
    pub kind: &'a str,
    pub id: Uuid,
}

/// Records one event. `action` is `<subject>.<verb>` (e.g. `rule.updated`);
/// `changes` is what [`diff`] answers for updates, a snapshot otherwise.
pub async fn record<C: ConnectionTrait>(
    db: &C,
    organization_id: Uuid,
    actor_user_id: Option<Uuid>,
    action: &str,
    subject: Subject<'_>,
    changes: Value,
) -> DomainResult<()> {
    audit_event::ActiveModel {
        id: Set(Uuid::new_v4()),
        organization_id: Set(organization_id),
        actor_user_id: Set(actor_user_id),
        action: Set(action.to_owned()),
        subject_type: Set(subject.kind.to_owned()),
        subject_id: Set(subject.id),
        changes: Set(changes),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The top-level fields that differ between two snapshots, as
/// `{field: {"from": old, "to": new}}`.
pub fn diff(before: &Value, after: &Value) -> Value {
    let empty = Map::new();
    let old = before.as_object().unwrap_or(&empty);
    let new = after.as_object().unwrap_or(&empty);
    let mut changes = Map::new();
    for key in old.keys().chain(new.keys()) {
        let (from, to) = (old.get(key).unwrap_or(&Value::Null), new.get(key).unwrap_or(&Value::Null));
        if from != to && !changes.contains_key(key) {
            changes.insert(key.clone(), serde_json::json!({ "from": from, "to": to }));
        }
    }
    Value::Object(changes)
}

/// The organization's events, newest first, optionally about one subject.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    organization_id: Uuid,
    subject_id: Option<Uuid>,
    first: u64,
) -> DomainResult<Vec<audit_event::Model>> {
    let mut query =
        audit_event::Entity::find().filter(audit_event::Column::OrganizationId.eq(organization_id));
    if let Some(subject_id) = subject_id {
        query = query.filter(audit_event::Column::SubjectId.eq(subject_id));
    }
    Ok(query
        .order_by_desc(audit_event::Column::CreatedAt)
        .order_by_desc(audit_event::Column::Id)
        .limit(first.clamp(1, MAX_PAGE))
        .all(db)
        .await?)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::diff;

    #[test]
    fn diff_names_only_changed_fields() {
        let before = json!({ "name": "A", "enabled": true, "postings": ["p1"] });
        let after = json!({ "name": "B", "enabled": true, "postings": ["p1", "p2"], "language": "en" });
        assert_eq!(
            diff(&before, &after),
            json!({
                "name": { "from": "A", "to": "B" },
                "postings": { "from": ["p1"], "to": ["p1", "p2"] },
                "language": { "from": null, "to": "en" },
            })
        );
        assert_eq!(diff(&before, &before), json!({}));
    }
}
