//! HTTP and websocket routes for GraphQL.
//!
//! `POST /graphql` reads the body itself (bounded by [`MAX_BODY_BYTES`]) so
//! that malformed JSON and oversized bodies get clear 4xx answers, and a bad
//! credential is refused with 401 before anything runs.
use async_graphql::http::{GraphiQLSource, ALL_WEBSOCKET_PROTOCOLS};
use async_graphql::{BatchRequest, Data};
use async_graphql_axum::{GraphQLProtocol, GraphQLResponse, GraphQLWebSocket};
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State, WebSocketUpgrade};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

use super::{AppSchema, MAX_BODY_BYTES};
use crate::auth::{resolve_bearer, Caller, CredentialError};
use crate::AppState;

#[derive(Clone)]
struct GraphqlState {
    app: AppState,
    schema: AppSchema,
}

/// `/graphql` (POST queries and mutations, GET GraphiQL) and `/graphql/ws`.
pub fn router(app: AppState, schema: AppSchema) -> Router {
    Router::new()
        .route("/graphql", get(graphiql).post(execute).layer(DefaultBodyLimit::max(MAX_BODY_BYTES)))
        .route("/graphql/ws", get(websocket))
        .with_state(GraphqlState { app, schema })
}

async fn graphiql() -> Html<String> {
    Html(GraphiQLSource::build().endpoint("/graphql").subscription_endpoint("/graphql/ws").finish())
}

fn error_body(status: StatusCode, code: &str, message: impl Into<String>) -> Response {
    let body = json!({ "errors": [{ "message": message.into(), "extensions": { "code": code } }] });
    (status, Json(body)).into_response()
}

async fn execute(State(state): State<GraphqlState>, headers: HeaderMap, body: Bytes) -> Response {
    let request: BatchRequest = match serde_json::from_slice(&body) {
        Ok(request) => request,
        Err(e) => {
            return error_body(
                StatusCode::BAD_REQUEST,
                "BAD_REQUEST",
                format!(
                    "the request body must be JSON like {{\"query\": \"...\", \"variables\": {{}}}}: {e}"
                ),
            )
        }
    };
    let authorization = headers.get(header::AUTHORIZATION).map(|v| v.to_str().unwrap_or("\u{0}"));
    let caller = match resolve_bearer(authorization, &state.app.jwt, &state.app.db).await {
        Ok(caller) => caller,
        Err(CredentialError::Lookup(e)) => {
            tracing::warn!(error = %e, "could not resolve the caller");
            return error_body(StatusCode::SERVICE_UNAVAILABLE, "UNAVAILABLE", "try again shortly");
        }
        Err(e) => return error_body(StatusCode::UNAUTHORIZED, "UNAUTHENTICATED", e.to_string()),
    };
    GraphQLResponse::from(state.schema.execute_batch(request.data(caller)).await).into_response()
}

async fn websocket(
    State(state): State<GraphqlState>,
    protocol: GraphQLProtocol,
    upgrade: WebSocketUpgrade,
) -> Response {
    upgrade.protocols(ALL_WEBSOCKET_PROTOCOLS).on_upgrade(move |stream| {
        let app = state.app.clone();
        GraphQLWebSocket::new(stream, state.schema.clone(), protocol)
            .on_connection_init(move |payload| authenticate_socket(app, payload))
            .serve()
    })
}

/// The token comes in `connection_init`'s payload as `token` (or
/// `Authorization`/`authorization`, with or without `Bearer `). No token: an
/// anonymous connection. A bad token closes the connection with the reason.
async fn authenticate_socket(app: AppState, payload: serde_json::Value) -> async_graphql::Result<Data> {
    let token = ["token", "Authorization", "authorization"]
        .iter()
        .find_map(|key| payload.get(key).and_then(|v| v.as_str()))
        .map(str::to_owned);
    let caller = match resolve_bearer(token.as_deref(), &app.jwt, &app.db).await {
        Ok(caller) => caller,
        Err(e) => return Err(async_graphql::Error::new(e.to_string())),
    };
    let mut data = Data::default();
    data.insert::<Caller>(caller);
    Ok(data)
}
