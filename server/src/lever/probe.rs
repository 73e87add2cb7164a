//! Finding out which permissions an API key lacks, without touching data.
//!
//! A Lever API key is granted endpoint by endpoint, so the connect form asks
//! Lever about each call Vouch needs and lists, by Lever's own names, the
//! ones that are missing — never a bare "failed".
//!
//! - Reads are simply made: users, postings, stages, opportunities
//!   (`limit=1`), tags, webhooks. 403 means the permission is missing.
//! - Reads and writes on one object are aimed at an opportunity, note or
//!   webhook that cannot exist (the nil UUID). A key with the permission
//!   gets 404 (or 400); a key without it gets 403, as Lever checks the
//!   permission before it looks the object up.
//! - Creates are sent with an empty body and no `perform_as`, which Lever
//!   must refuse as invalid (400) when the permission is there; note
//!   creation also aims at the nonexistent opportunity, so even a lenient
//!   server has nothing to attach a note to.
//!
//! So the probe can never change the customer's data. It relies on Lever
//! answering 403 before validating; were Lever to validate first, a missing
//! write permission would show up on first use as `Forbidden` naming it.
//! A 401 anywhere means the key itself is bad and fails the probe.

use reqwest::Method;

use super::{
    client::LeverClient,
    error::{LeverError, Result},
    http::ApiRequest,
    permissions::{Endpoint, MissingPermission},
};

/// An id no Lever object has.
const NONE: &str = "00000000-0000-0000-0000-000000000000";

/// The probe's requests, one per permission Vouch needs.
fn probes() -> Vec<ApiRequest> {
    use Endpoint as E;
    let empty = serde_json::json!({});
    vec![
        ApiRequest::get(E::ListUsers, &["users"]).query("limit", "1"),
        ApiRequest::get(E::ListPostings, &["postings"]).query("limit", "1"),
        ApiRequest::get(E::ListStages, &["stages"]).query("limit", "1"),
        ApiRequest::get(E::ListOpportunities, &["opportunities"]).query("limit", "1"),
        ApiRequest::get(E::RetrieveOpportunity, &["opportunities", NONE]),
        ApiRequest::get(E::ListApplications, &["opportunities", NONE, "applications"]),
        ApiRequest::get(E::ListTags, &["tags"]).query("limit", "1"),
        ApiRequest::get(E::ListWebhooks, &["webhooks"]).query("limit", "1"),
        ApiRequest::new(E::CreateOpportunity, Method::POST, &["opportunities"]).json(&empty),
        ApiRequest::post(E::AddTags, &["opportunities", NONE, "addTags"]).json(&empty),
        ApiRequest::post(E::RemoveTags, &["opportunities", NONE, "removeTags"]).json(&empty),
        ApiRequest::post(E::CreateNote, &["opportunities", NONE, "notes"]).json(&empty),
        ApiRequest::delete(E::DeleteNote, &["opportunities", NONE, "notes", NONE]),
        ApiRequest::post(E::CreateWebhook, &["webhooks"]).json(&empty),
        ApiRequest::delete(E::DeleteWebhook, &["webhooks", NONE]),
    ]
}

/// Whether an answer shows the permission is there.
fn granted(result: &Result<()>) -> Result<bool> {
    match result {
        Ok(()) | Err(LeverError::NotFound { .. }) | Err(LeverError::Invalid { .. }) => Ok(true),
        Err(LeverError::Forbidden { .. }) => Ok(false),
        Err(LeverError::Unauthorized) => Err(LeverError::Unauthorized),
        Err(other) => Err(LeverError::Transport {
            endpoint: None,
            detail: format!("permission probe interrupted: {other}"),
        }),
    }
}

/// The permissions Vouch needs that the connection lacks, named as in
/// Lever's API reference (empty: all there). Fails with `Unauthorized` for
/// a bad key and with a transient error when Lever cannot be asked; a
/// `NotFound` on the user list usually means the wrong data centre.
pub async fn probe_permissions(client: &LeverClient) -> Result<Vec<MissingPermission>> {
    let mut missing = Vec::new();
    for request in probes() {
        let result = client.transport().send(&request).await.map(drop);
        if request.endpoint == Endpoint::ListUsers {
            if let Err(LeverError::NotFound { .. }) = result {
                return Err(LeverError::NotFound { endpoint: Endpoint::ListUsers });
            }
        }
        if !granted(&result)? {
            missing.push(MissingPermission::from(request.endpoint));
        }
    }
    Ok(missing)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lever::permissions::Repeat;

    #[test]
    fn probes_cover_what_vouch_needs_once_each() {
        let endpoints: Vec<_> = probes().iter().map(|r| r.endpoint).collect();
        let unique: std::collections::HashSet<_> = endpoints.iter().collect();
        assert_eq!(unique.len(), endpoints.len());
        for needed in
            [Endpoint::CreateNote, Endpoint::AddTags, Endpoint::CreateWebhook, Endpoint::ListWebhooks]
        {
            assert!(endpoints.contains(&needed), "{needed}");
        }
    }

    #[test]
    fn no_probe_can_write_data() {
        for request in probes() {
            let harmless_target = request.path.iter().any(|s| s == NONE);
            let empty_create = request.endpoint.repeat() == Repeat::Duplicates
                && request.body == Some(serde_json::json!({}))
                && !request.query.iter().any(|(k, _)| *k == "perform_as");
            let read = request.method == Method::GET;
            assert!(read || harmless_target || empty_create, "{:?}", request.endpoint);
        }
    }

    #[test]
    fn answers_are_read_as_permissions() {
        let e = Endpoint::AddTags;
        assert!(granted(&Ok(())).expect("ok"));
        assert!(granted(&Err(LeverError::NotFound { endpoint: e })).expect("ok"));
        assert!(granted(&Err(LeverError::Invalid { message: "x".into() })).expect("ok"));
        assert!(!granted(&Err(LeverError::Forbidden { endpoint: e })).expect("ok"));
        assert!(granted(&Err(LeverError::Unauthorized)).is_err());
        assert!(granted(&Err(LeverError::RateLimited { endpoint: e })).is_err());
    }
}
