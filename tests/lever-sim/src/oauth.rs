//! OAuth 2.0 authorization code flow: the consent page
//! (`{prefix}/authorize`, GET renders, POST decides) and the token endpoint
//! (`{prefix}/oauth/token`), for both authorization servers
//! (`/auth` for US and EU, `/sandbox-auth` for sandbox).

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use base64::Engine;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::credentials::{random_token, AuthCode};
use crate::extract::Params;
use crate::html::{escape, page};
use crate::model::{AuthServer, Company};
use crate::sim::Sim;
use crate::state::State as SimState;

/// Both authorization servers' routes.
pub fn router() -> Router<Sim> {
    let server = |s: AuthServer| {
        Router::new()
            .route("/authorize", get(authorize_page).post(authorize_decide))
            .route("/oauth/token", post(token))
            .layer(Extension(s))
    };
    Router::new()
        .nest("/auth", server(AuthServer::Production))
        .nest("/sandbox-auth", server(AuthServer::Sandbox))
}

/// A validated authorization request.
struct AuthRequest {
    client_id: String,
    client_name: String,
    redirect_uri: String,
    state: String,
    scopes: Vec<String>,
    params: Vec<(String, String)>,
}

/// Why an authorization request cannot go on.
enum AuthFailure {
    /// Shown on a page: the redirect cannot be trusted.
    Page(String),
    /// Sent back to the client.
    Redirect(String),
}

fn redirect_with(uri: &str, pairs: &[(&str, &str)]) -> Response {
    match url::Url::parse(uri) {
        Ok(mut url) => {
            url.query_pairs_mut().extend_pairs(pairs.iter());
            // Lever's authorization server answers 302 Found.
            (StatusCode::FOUND, [(header::LOCATION, url.to_string())]).into_response()
        }
        Err(_) => error_page("The redirect_uri is not a valid URL"),
    }
}

fn error_page(message: &str) -> Response {
    let body = format!("<h1>Authorization error</h1><p class=\"error\">{}</p>", escape(message));
    (StatusCode::BAD_REQUEST, Html(page("Lever (simulated) — error", &body))).into_response()
}

fn valid_scope(s: &str) -> bool {
    if s == "offline_access" {
        return true;
    }
    let parts: Vec<&str> = s.split(':').collect();
    parts.len() == 3
        && !parts[0].is_empty()
        && parts[0].chars().all(|c| c.is_ascii_lowercase() || c == '_')
        && ["read", "write", "access"].contains(&parts[1])
        && parts[2] == "admin"
}

fn validate(
    sim: &Sim,
    st: &SimState,
    server: AuthServer,
    params: &Params,
) -> Result<AuthRequest, AuthFailure> {
    let client_id = params.get("client_id").unwrap_or_default();
    let client = st
        .oauth
        .clients
        .get(client_id)
        .ok_or_else(|| AuthFailure::Page(format!("Unknown client_id {client_id:?}")))?;
    let redirect_uri = params
        .get("redirect_uri")
        .filter(|r| client.allows_redirect(r) && url::Url::parse(r).is_ok())
        .ok_or_else(|| {
            AuthFailure::Page("The redirect_uri is missing or not allowed for this client".into())
        })?;
    if params.get("response_type") != Some("code") {
        return Err(AuthFailure::Redirect("response_type must be code".into()));
    }
    let audiences: Vec<String> = server.data_centres().iter().map(|dc| sim.audience(*dc)).collect();
    match params.get("audience") {
        None | Some("") => {
            return Err(AuthFailure::Redirect("audience is required".into()));
        }
        Some(a) if !audiences.iter().any(|x| x == a) => {
            return Err(AuthFailure::Redirect(format!(
                "Service not found: {a} (the audience must be the API base with its trailing slash)"
            )));
        }
        Some(_) => {}
    }
    let scopes: Vec<String> =
        params.get("scope").unwrap_or_default().split_whitespace().map(str::to_string).collect();
    if let Some(bad) = scopes.iter().find(|s| !valid_scope(s)) {
        return Err(AuthFailure::Redirect(format!("unknown scope {bad}")));
    }
    Ok(AuthRequest {
        client_id: client.client_id.clone(),
        client_name: client.name.clone(),
        redirect_uri: redirect_uri.to_string(),
        state: params.get("state").unwrap_or_default().to_string(),
        scopes,
        params: params
            .0
            .iter()
            .filter(|(k, _)| !["company", "user", "decision"].contains(&k.as_str()))
            .cloned()
            .collect(),
    })
}

fn failure_response(params: &Params, f: AuthFailure) -> Response {
    match f {
        AuthFailure::Page(msg) => error_page(&msg),
        AuthFailure::Redirect(msg) => redirect_with(
            params.get("redirect_uri").unwrap_or_default(),
            &[
                ("error", "invalid_request"),
                ("error_description", &msg),
                ("state", params.get("state").unwrap_or_default()),
            ],
        ),
    }
}

fn eligible_companies(st: &SimState, server: AuthServer) -> Vec<&Company> {
    st.companies
        .iter()
        .filter(|c| server.data_centres().contains(&c.data_centre))
        .filter(|c| super_admins(c).next().is_some())
        .collect()
}

fn super_admins(c: &Company) -> impl Iterator<Item = &crate::model::User> {
    c.users.iter().filter(|u| u.access_role == "super admin" && u.deactivated_at.is_none())
}

fn consent_html(req: &AuthRequest, companies: &[&Company]) -> String {
    let hidden: String = req
        .params
        .iter()
        .map(|(k, v)| format!("<input type=\"hidden\" name=\"{}\" value=\"{}\">", escape(k), escape(v)))
        .collect();
    let company_options: String = companies
        .iter()
        .map(|c| {
            format!(
                "<option value=\"{}\">{} ({})</option>",
                escape(&c.id),
                escape(&c.name),
                c.data_centre.segment().to_uppercase()
            )
        })
        .collect();
    let user_options: String = companies
        .iter()
        .flat_map(|c| {
            super_admins(c).map(move |u| {
                format!(
                    "<option value=\"{}\">{} &lt;{}&gt; — {}</option>",
                    escape(&u.id),
                    escape(&u.name),
                    escape(&u.email),
                    escape(&c.name)
                )
            })
        })
        .collect();
    let scopes: String = req.scopes.iter().map(|s| format!("<li><code>{}</code></li>", escape(s))).collect();
    format!(
        "<h1>Authorize {name}</h1>\
         <p><strong>{name}</strong> (client <code>{id}</code>) asks for access to your Lever account.</p>\
         <h2>Requested scopes</h2><ul id=\"scopes\">{scopes}</ul>\
         <form method=\"post\">{hidden}\
         <p><label>Company <select name=\"company\" id=\"company\">{company_options}</select></label></p>\
         <p><label>Signed in as <select name=\"user\" id=\"user\">{user_options}</select></label></p>\
         <p><button type=\"submit\" name=\"decision\" value=\"accept\" id=\"accept\">Accept</button> \
         <button type=\"submit\" name=\"decision\" value=\"deny\" id=\"deny\">Deny</button></p>\
         </form>",
        name = escape(&req.client_name),
        id = escape(&req.client_id),
    )
}

/// `GET {prefix}/authorize`: the consent page.
async fn authorize_page(
    State(sim): State<Sim>,
    Extension(server): Extension<AuthServer>,
    params: Params,
) -> Response {
    let st = sim.lock();
    let req = match validate(&sim, &st, server, &params) {
        Ok(r) => r,
        Err(f) => return failure_response(&params, f),
    };
    let companies = eligible_companies(&st, server);
    if companies.is_empty() {
        return error_page("No company of this environment has an active super admin");
    }
    Html(page("Lever (simulated) — authorize", &consent_html(&req, &companies))).into_response()
}

/// `POST {prefix}/authorize`: Accept or Deny from the consent form.
async fn authorize_decide(
    State(sim): State<Sim>,
    Extension(server): Extension<AuthServer>,
    query: Params,
    body: Bytes,
) -> Response {
    // The form repeats the request; the query string may carry it too.
    let mut params = Params::parse(&String::from_utf8_lossy(&body));
    for (k, v) in query.0 {
        if params.get(&k).is_none() {
            params.0.push((k, v));
        }
    }
    let mut st = sim.lock();
    let req = match validate(&sim, &st, server, &params) {
        Ok(r) => r,
        Err(f) => return failure_response(&params, f),
    };
    if params.get("decision") != Some("accept") {
        return redirect_with(
            &req.redirect_uri,
            &[
                ("error", "access_denied"),
                ("error_description", "The user denied access to the application"),
                ("state", &req.state),
            ],
        );
    }
    let companies = eligible_companies(&st, server);
    let company_id = params.get("company").unwrap_or_default();
    let Some(company) = companies.iter().find(|c| c.id == company_id) else {
        return error_page("Pick a company of this environment");
    };
    // The chosen user must be an active super admin of the chosen company;
    // otherwise the company's first super admin consents.
    let user = params
        .get("user")
        .and_then(|u| super_admins(company).find(|x| x.id == u))
        .or_else(|| super_admins(company).next());
    let Some(user) = user else {
        return error_page("The company has no active super admin");
    };
    let code = random_token(32);
    let ttl = Duration::from_secs_f64(st.settings.auth_code_ttl_secs);
    let entry = AuthCode {
        client_id: req.client_id.clone(),
        redirect_uri: req.redirect_uri.clone(),
        company_id: company.id.clone(),
        user_id: user.id.clone(),
        scopes: req.scopes.clone(),
        server,
        expires: Instant::now() + ttl,
    };
    st.oauth.codes.insert(code.clone(), entry);
    redirect_with(&req.redirect_uri, &[("code", &code), ("state", &req.state)])
}

fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    (
        status,
        [(header::CACHE_CONTROL, "no-store")],
        Json(json!({"error": error, "error_description": description})),
    )
        .into_response()
}

/// The token request's fields, from a JSON or a form body.
fn token_fields(headers: &HeaderMap, body: &[u8]) -> Result<HashMap<String, String>, String> {
    let is_json =
        headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|ct| ct.contains("json"));
    if is_json {
        let v: Value = serde_json::from_slice(body).map_err(|e| format!("invalid JSON: {e}"))?;
        let obj = v.as_object().ok_or("the JSON body must be an object")?;
        Ok(obj.iter().filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string()))).collect())
    } else {
        Ok(url::form_urlencoded::parse(body).into_owned().collect())
    }
}

/// Client credentials from HTTP Basic (form-url-encoded parts, RFC 6749) or the body.
fn client_credentials(headers: &HeaderMap, fields: &HashMap<String, String>) -> Option<(String, String)> {
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic ").or_else(|| v.strip_prefix("basic ")))
        .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b.trim()).ok())
        .and_then(|d| String::from_utf8(d).ok());
    if let Some(text) = basic {
        let (id, secret) = text.split_once(':')?;
        let decode = |s: &str| {
            url::form_urlencoded::parse(format!("x={s}").as_bytes())
                .next()
                .map(|(_, v)| v.into_owned())
                .unwrap_or_default()
        };
        return Some((decode(id), decode(secret)));
    }
    Some((fields.get("client_id")?.clone(), fields.get("client_secret").cloned().unwrap_or_default()))
}

/// `POST {prefix}/oauth/token`: `authorization_code` and `refresh_token`
/// grants; refresh tokens rotate.
async fn token(
    State(sim): State<Sim>,
    Extension(server): Extension<AuthServer>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let fields = match token_fields(&headers, &body) {
        Ok(f) => f,
        Err(e) => return oauth_error(StatusCode::BAD_REQUEST, "invalid_request", &e),
    };
    let grant_type = fields.get("grant_type").cloned().unwrap_or_default();
    let mut st = sim.lock();
    st.oauth.count_request(&grant_type);
    let Some((client_id, secret)) = client_credentials(&headers, &fields) else {
        return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", "Missing client credentials");
    };
    if st.oauth.clients.get(&client_id).is_none_or(|c| c.client_secret != secret) {
        return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", "Unknown client or wrong secret");
    }
    let ttl = Duration::from_secs_f64(st.settings.access_token_ttl_secs);
    let grant_id = match grant_type.as_str() {
        "authorization_code" => {
            let code = fields.get("code").cloned().unwrap_or_default();
            // Single use: the code is gone whatever happens next.
            let entry = st.oauth.codes.remove(&code);
            let valid = entry.filter(|e| {
                e.client_id == client_id
                    && e.server == server
                    && e.expires > Instant::now()
                    && fields.get("redirect_uri") == Some(&e.redirect_uri)
            });
            let Some(e) = valid else {
                return oauth_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "Invalid authorization code (unknown, used, expired, or redirect_uri mismatch).",
                );
            };
            st.oauth.upsert_grant(&e.company_id, &client_id, &e.user_id, &e.scopes)
        }
        "refresh_token" => {
            let token = fields.get("refresh_token").cloned().unwrap_or_default();
            let grant = st
                .oauth
                .refresh_tokens
                .get(&token)
                .and_then(|g| st.oauth.grants.get(g))
                .filter(|g| g.client_id == client_id && !g.revoked)
                .filter(|g| st.company(&g.company_id).is_ok_and(|c| c.data_centre.auth_server() == server))
                .map(|g| g.id.clone());
            let Some(grant) = grant else {
                return oauth_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "Unknown or invalid refresh token.",
                );
            };
            // Rotation: the presented refresh token dies now.
            st.oauth.refresh_tokens.remove(&token);
            grant
        }
        "" => return oauth_error(StatusCode::BAD_REQUEST, "invalid_request", "grant_type is required"),
        other => {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                &format!("grant_type {other} is not supported"),
            )
        }
    };
    match st.oauth.issue(&grant_id, ttl) {
        Some(answer) => {
            st.oauth.count_success(&grant_type);
            (StatusCode::OK, [(header::CACHE_CONTROL, "no-store")], Json(answer)).into_response()
        }
        None => oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", "Unknown grant"),
    }
}
