//! `GET /oauth/lever/callback`: where Lever sends the admin back.
//!
//! Every outcome redirects to the Integrations page with the result in the
//! query (`lever=connected`, or `lever_error=<code>&message=<plain words>`),
//! so the admin always lands in the app, never on a bare error.
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::Redirect;
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

use crate::domain::connections::oauth::{self, Callback};
use crate::AppState;

pub fn router(state: AppState) -> Router {
    Router::new().route("/oauth/lever/callback", get(callback)).with_state(state)
}

/// Lever's redirect parameters; anything else is ignored.
#[derive(Debug, Deserialize)]
struct Params {
    state: Option<String>,
    code: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

async fn callback(State(app): State<AppState>, params: Result<Query<Params>, QueryRejection>) -> Redirect {
    let Ok(Query(params)) = params else {
        return Redirect::to(&failure_target(
            "wrong_state",
            "Lever's answer could not be read: start connecting again",
        ));
    };
    let callback = Callback {
        state: params.state,
        code: params.code,
        error: params.error,
        error_description: params.error_description,
    };
    match oauth::finish(&app, callback).await {
        Ok(connection) => {
            Redirect::to(&format!("/integrations?lever=connected&connection={}", connection.id))
        }
        Err(failure) => {
            tracing::info!(code = failure.code, "Lever OAuth callback refused");
            Redirect::to(&failure_target(failure.code, &failure.message))
        }
    }
}

fn failure_target(code: &str, message: &str) -> String {
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("lever_error", code)
        .append_pair("message", message)
        .finish();
    format!("/integrations?{query}")
}
