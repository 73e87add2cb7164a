//! Opportunities: read one, list, applications, create, links.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::Value;

use super::{company, opp_not_found, paginate, perform_as, single};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::extract::{JsonBody, Params};
use crate::inputs::NewCandidate;
use crate::model::Phone;
use crate::permissions::Permission;
use crate::render;
use crate::sim::Sim;

fn expands_applications(params: &Params) -> bool {
    params.all("expand").iter().any(|e| e.split(',').any(|x| x == "applications"))
}

/// One opportunity; `expand=applications` inlines the applications.
pub async fn get_one(
    State(sim): State<Sim>,
    caller: Caller,
    Path(id): Path<String>,
    params: Params,
) -> ApiResult<Json<Value>> {
    let st = sim.lock();
    caller.require(&st, Permission::GetOpportunity)?;
    let c = company(&st, &caller)?;
    let o = c.opportunity(&id).ok_or_else(|| opp_not_found(&id))?;
    Ok(single(render::opportunity(c, o, expands_applications(&params))))
}

/// Lists opportunities. Filters (repeatable where Lever allows): `stage_id`,
/// `posting_id`, `tag`, `email`, `contact_id`, `archived`.
pub async fn list(State(sim): State<Sim>, caller: Caller, params: Params) -> ApiResult<Json<Value>> {
    let mut st = sim.lock();
    caller.require(&st, Permission::ListOpportunities)?;
    let stages = params.all("stage_id");
    let postings = params.all("posting_id");
    let tags = params.all("tag");
    let email = params.get("email");
    let contact = params.get("contact_id");
    let archived = match params.get("archived") {
        None => None,
        Some("true") => Some(true),
        Some("false") => Some(false),
        Some(other) => {
            return Err(ApiError::bad_request(format!("archived must be true or false, got {other:?}")))
        }
    };
    let expand = expands_applications(&params);
    let c = company(&st, &caller)?;
    let items = c
        .opportunities
        .iter()
        .filter(|o| stages.is_empty() || stages.contains(&o.stage.as_str()))
        .filter(|o| {
            postings.is_empty() || o.applications.iter().any(|a| postings.contains(&a.posting.as_str()))
        })
        .filter(|o| {
            let t = c.effective_tags(o);
            tags.iter().all(|x| t.iter().any(|y| y == x))
        })
        .filter(|o| email.is_none_or(|e| o.emails.iter().any(|x| x.eq_ignore_ascii_case(e))))
        .filter(|o| contact.is_none_or(|x| o.contact == x))
        .filter(|o| archived.is_none_or(|a| o.archived.is_some() == a))
        .map(|o| render::opportunity(c, o, expand))
        .collect();
    paginate(&mut st, items, &params)
}

/// The applications of an opportunity.
pub async fn applications(
    State(sim): State<Sim>,
    caller: Caller,
    Path(id): Path<String>,
    params: Params,
) -> ApiResult<Json<Value>> {
    let mut st = sim.lock();
    caller.require(&st, Permission::ListApplications)?;
    let c = company(&st, &caller)?;
    let o = c.opportunity(&id).ok_or_else(|| opp_not_found(&id))?;
    let items = o.applications.iter().map(|a| render::application(c, a)).collect();
    paginate(&mut st, items, &params)
}

/// Body of `POST /opportunities`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateBody {
    name: Option<String>,
    #[serde(default)]
    headline: Option<String>,
    #[serde(default)]
    emails: Vec<String>,
    #[serde(default)]
    phones: Vec<Phone>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    origin: Option<String>,
    #[serde(default)]
    stage: Option<String>,
    #[serde(default)]
    postings: Vec<String>,
    #[serde(default)]
    owner: Option<String>,
    #[serde(default)]
    links: Vec<String>,
}

/// Creates an opportunity as `perform_as` (or the posting owner with
/// `perform_as_posting_owner=true`); answers 201 with it.
pub async fn create(
    State(sim): State<Sim>,
    caller: Caller,
    params: Params,
    JsonBody(body): JsonBody<CreateBody>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let (opp, events) = {
        let mut st = sim.lock();
        caller.require(&st, Permission::CreateOpportunity)?;
        let c = company(&st, &caller)?;
        let name = body
            .name
            .filter(|n| !n.trim().is_empty())
            .ok_or_else(|| ApiError::bad_request("name is required"))?;
        let mut postings = Vec::new();
        for id in &body.postings {
            postings.push(
                c.posting(id)
                    .ok_or_else(|| ApiError::bad_request(format!("postings: unknown posting {id}")))?,
            );
        }
        if let Some(s) = &body.stage {
            if c.stage_index(s).is_none() {
                return Err(ApiError::bad_request(format!("stage: unknown stage {s}")));
            }
        }
        let actor = if params.get("perform_as_posting_owner") == Some("true") {
            postings.first().and_then(|p| p.owner.clone()).ok_or_else(|| {
                ApiError::bad_request("perform_as_posting_owner needs a posting with an owner")
            })?
        } else {
            perform_as(c, &params, &postings)?
        };
        let input = NewCandidate {
            name,
            headline: body.headline,
            emails: body.emails,
            phones: body.phones,
            postings: body.postings,
            stage: body.stage,
            tags: body.tags,
            origin: body.origin,
            owner: body.owner,
            ..NewCandidate::default()
        };
        let cid = caller.company_id.clone();
        let (opp, events) = st.create_opportunity(&cid, input, Some(&actor))?;
        if !body.links.is_empty() {
            st.change_links(&cid, &opp.id, &body.links, true)?;
        }
        let c = company(&st, &caller)?;
        let o = c.opportunity(&opp.id).ok_or_else(|| opp_not_found(&opp.id))?;
        (render::opportunity(c, o, false), events)
    };
    sim.fire(events);
    Ok((StatusCode::CREATED, single(opp)))
}

/// Body of `addLinks` / `removeLinks`.
#[derive(Debug, Deserialize)]
pub struct LinksBody {
    links: Option<Vec<String>>,
}

async fn change_links(
    sim: Sim,
    caller: Caller,
    id: String,
    body: LinksBody,
    add: bool,
) -> ApiResult<Json<Value>> {
    let mut st = sim.lock();
    let p = if add { Permission::AddLinks } else { Permission::RemoveLinks };
    caller.require(&st, p)?;
    let links = body.links.ok_or_else(|| ApiError::bad_request("links is required (an array of URLs)"))?;
    let c = company(&st, &caller)?;
    c.opportunity(&id).ok_or_else(|| opp_not_found(&id))?;
    st.change_links(&caller.company_id, &id, &links, add)?;
    let c = company(&st, &caller)?;
    let o = c.opportunity(&id).ok_or_else(|| opp_not_found(&id))?;
    Ok(single(render::opportunity(c, o, false)))
}

/// `POST /opportunities/:id/addLinks`.
pub async fn add_links(
    State(sim): State<Sim>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<LinksBody>,
) -> ApiResult<Json<Value>> {
    change_links(sim, caller, id, body, true).await
}

/// `POST /opportunities/:id/removeLinks`.
pub async fn remove_links(
    State(sim): State<Sim>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<LinksBody>,
) -> ApiResult<Json<Value>> {
    change_links(sim, caller, id, body, false).await
}
