//! Notes: list, create (answering `id` or `noteId`), delete.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::{company, opp_not_found, paginate, perform_as, single};
use crate::auth::Caller;
use crate::config::NoteIdStyle;
use crate::error::{ApiError, ApiResult};
use crate::extract::{JsonBody, Params};
use crate::permissions::Permission;
use crate::render;
use crate::sim::Sim;

/// Lists an opportunity's notes (deleted ones left out).
pub async fn list(
    State(sim): State<Sim>,
    caller: Caller,
    Path(id): Path<String>,
    params: Params,
) -> ApiResult<Json<Value>> {
    let mut st = sim.lock();
    caller.require(&st, Permission::ListNotes)?;
    let c = company(&st, &caller)?;
    let o = c.opportunity(&id).ok_or_else(|| opp_not_found(&id))?;
    let items = o.notes.iter().filter(|n| n.deleted_at.is_none()).map(render::note).collect();
    paginate(&mut st, items, &params)
}

/// Body of a new note.
#[derive(Debug, Deserialize)]
pub struct NoteBody {
    value: Option<String>,
}

/// `POST /opportunities/:id/notes?perform_as=`; 201 with the note's id as
/// `id` (full note) or `noteId`, per the `noteIdStyle` setting.
pub async fn create(
    State(sim): State<Sim>,
    caller: Caller,
    Path(id): Path<String>,
    params: Params,
    JsonBody(body): JsonBody<NoteBody>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let mut st = sim.lock();
    caller.require(&st, Permission::CreateNote)?;
    let value = body
        .value
        .filter(|v| !v.trim().is_empty())
        .ok_or_else(|| ApiError::bad_request("value is required (the note text)"))?;
    let c = company(&st, &caller)?;
    let o = c.opportunity(&id).ok_or_else(|| opp_not_found(&id))?;
    let actor = perform_as(c, &params, &c.postings_of(o))?;
    let use_note_id = match st.settings.note_id_style {
        NoteIdStyle::Id => false,
        NoteIdStyle::NoteId => true,
        NoteIdStyle::Alternate => st.notes_created % 2 == 1,
    };
    let cid = caller.company_id.clone();
    let note = st.add_note(&cid, &id, value, Some(&actor))?;
    let data = if use_note_id { json!({ "noteId": note.id }) } else { render::note(&note) };
    Ok((StatusCode::CREATED, single(data)))
}

/// `DELETE /opportunities/:id/notes/:noteId`: 204.
pub async fn delete(
    State(sim): State<Sim>,
    caller: Caller,
    Path((id, note)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let mut st = sim.lock();
    caller.require(&st, Permission::DeleteNote)?;
    company(&st, &caller)?.opportunity(&id).ok_or_else(|| opp_not_found(&id))?;
    let cid = caller.company_id.clone();
    st.delete_note(&cid, &id, &note)?;
    Ok(StatusCode::NO_CONTENT)
}
