//! Lever's JSON shapes for the simulated objects (field names as in
//! `tests/fixtures/lever/`).

use serde_json::{json, Value};

use crate::model::{Application, Company, DataCentre, Note, Opportunity, Posting, User, Webhook};

fn hire_host(dc: DataCentre) -> &'static str {
    match dc {
        DataCentre::Sandbox => "https://hire.sandbox.lever.co",
        DataCentre::Eu => "https://hire.eu.lever.co",
        DataCentre::Us => "https://hire.lever.co",
    }
}

/// A user.
pub fn user(u: &User) -> Value {
    json!({
        "id": u.id,
        "name": u.name,
        "username": u.email.split('@').next().unwrap_or_default(),
        "email": u.email,
        "accessRole": u.access_role,
        "photo": null,
        "createdAt": u.created_at,
        "deactivatedAt": u.deactivated_at,
        "externalDirectoryId": null,
        "linkedContactIds": [],
        "jobTitle": null,
        "managerId": null,
    })
}

/// A posting.
pub fn posting(c: &Company, p: &Posting) -> Value {
    let slug = c.name.to_lowercase().replace(' ', "");
    json!({
        "id": p.id,
        "text": p.text,
        "state": p.state,
        "user": p.owner,
        "owner": p.owner,
        "hiringManager": p.hiring_manager,
        "followers": p.followers,
        "categories": p.categories,
        "tags": p.tags,
        "confidentiality": "non-confidential",
        "content": {"description": "", "descriptionHtml": "", "lists": [], "closing": "", "closingHtml": ""},
        "distributionChannels": ["public"],
        "country": match c.data_centre { DataCentre::Eu => "DE", _ => "US" },
        "workplaceType": "unspecified",
        "reqCode": "",
        "requisitionCodes": [],
        "urls": {
            "list": format!("https://jobs.lever.co/{slug}"),
            "show": format!("https://jobs.lever.co/{slug}/{}", p.id),
            "apply": format!("https://jobs.lever.co/{slug}/{}/apply", p.id),
        },
        "createdAt": p.created_at,
        "updatedAt": p.updated_at,
    })
}

/// An application.
pub fn application(c: &Company, a: &Application) -> Value {
    let p = c.posting(&a.posting);
    json!({
        "id": a.id,
        "opportunityId": a.opportunity_id,
        "candidateId": a.opportunity_id,
        "type": "posting",
        "posting": a.posting,
        "postingOwner": p.and_then(|p| p.owner.clone()),
        "postingHiringManager": p.and_then(|p| p.hiring_manager.clone()),
        "user": null,
        "createdAt": a.created_at,
        "requisitionForHire": null,
        "archived": null,
    })
}

/// An opportunity; `expand_applications` inlines application objects.
pub fn opportunity(c: &Company, o: &Opportunity, expand_applications: bool) -> Value {
    let applications: Vec<Value> = if expand_applications {
        o.applications.iter().map(|a| application(c, a)).collect()
    } else {
        o.applications.iter().map(|a| json!(a.id)).collect()
    };
    let last_advanced = o.stage_changes.last().map(|s| s.updated_at);
    json!({
        "id": o.id,
        "name": o.name,
        "headline": o.headline,
        "contact": o.contact,
        "emails": o.emails,
        "phones": o.phones,
        "confidentiality": "non-confidential",
        "location": "",
        "links": o.links,
        "createdAt": o.created_at,
        "updatedAt": o.updated_at,
        "lastInteractionAt": o.updated_at,
        "lastAdvancedAt": last_advanced,
        "snoozedUntil": null,
        "archivedAt": o.archived.as_ref().map(|a| a.archived_at),
        "archiveReason": o.archived.as_ref().map(|a| a.reason.clone()),
        "stage": o.stage,
        "stageChanges": o.stage_changes,
        "owner": o.owner,
        "tags": c.effective_tags(o),
        "sources": [],
        "origin": o.origin,
        "sourcedBy": null,
        "followers": o.owner.iter().collect::<Vec<_>>(),
        "applications": applications,
        "archived": o.archived,
        "urls": {
            "list": format!("{}/candidates", hire_host(c.data_centre)),
            "show": format!("{}/candidates/{}", hire_host(c.data_centre), o.id),
        },
        "isAnonymized": false,
        "dataProtection": null,
    })
}

/// A note in the full (`id`) shape.
pub fn note(n: &Note) -> Value {
    json!({
        "id": n.id,
        "text": n.value,
        "value": n.value,
        "user": n.author,
        "secret": false,
        "createdAt": n.created_at,
        "deletedAt": n.deleted_at,
    })
}

/// A webhook as the webhooks API answers it.
pub fn webhook(w: &Webhook) -> Value {
    let mut configuration = json!({ "signatureToken": w.signature_token });
    if let Some(cond) = &w.conditions {
        configuration["conditions"] = cond.clone();
    }
    json!({
        "id": w.id,
        "event": w.event,
        "url": w.url,
        "configuration": configuration,
        "createdAt": w.created_at,
        "updatedAt": w.created_at,
    })
}
