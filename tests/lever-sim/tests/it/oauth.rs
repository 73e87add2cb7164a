//! OAuth: consent page, code exchange, expiry, rotation, revocation, scopes.

use crate::common::{err, Fixture, TestResult};
use lever_sim::{ClientSeed, DataCentre};
use serde_json::{json, Value};
use std::time::Duration;

const REDIRECT: &str = "http://127.0.0.1:8080/oauth/lever/callback";
const SCOPES: &str = "offline_access opportunities:write:admin tags:read:admin users:read:admin";

fn register(f: &Fixture) -> anyhow::Result<()> {
    f.sim
        .register_client(ClientSeed {
            client_id: "vouch".into(),
            client_secret: "s3cret".into(),
            name: Some("Vouch".into()),
            redirect_uris: vec![REDIRECT.into()],
        })
        .map_err(err)?;
    Ok(())
}

fn authorize_query(f: &Fixture, audience: Option<String>) -> Vec<(String, String)> {
    let mut q = vec![
        ("client_id".to_string(), "vouch".to_string()),
        ("redirect_uri".into(), REDIRECT.into()),
        ("response_type".into(), "code".into()),
        ("state".into(), "st-42".into()),
        ("scope".into(), SCOPES.into()),
        ("prompt".into(), "consent".into()),
    ];
    if let Some(a) = audience.or_else(|| Some(f.sim.audience(DataCentre::Us))) {
        q.push(("audience".into(), a));
    }
    q
}

fn location(res: &reqwest::Response) -> anyhow::Result<url::Url> {
    let loc = res
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| anyhow::anyhow!("no Location header"))?;
    Ok(url::Url::parse(loc)?)
}

fn param(url: &url::Url, name: &str) -> Option<String> {
    url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
}

/// Runs the consent page by HTTP and returns the code.
async fn get_code(f: &Fixture) -> anyhow::Result<String> {
    let authorize = f.sim.authorize_url(DataCentre::Us);
    let q = authorize_query(f, None);
    let page = f.http.get(&authorize).query(&q).send().await?;
    assert_eq!(page.status(), 200);
    let html = page.text().await?;
    assert!(html.contains("Accept") && html.contains("Deny"), "{html}");
    assert!(html.contains("Test Co") && html.contains("tags:read:admin"));
    let mut form = q.clone();
    form.push(("company".into(), f.company.clone()));
    form.push(("user".into(), f.admin.clone()));
    form.push(("decision".into(), "accept".into()));
    let res = f.http.post(&authorize).form(&form).send().await?;
    assert_eq!(res.status(), 302, "accept redirects");
    let loc = location(&res)?;
    assert!(loc.as_str().starts_with(REDIRECT));
    assert_eq!(param(&loc, "state").as_deref(), Some("st-42"));
    param(&loc, "code").ok_or_else(|| anyhow::anyhow!("no code in {loc}"))
}

async fn exchange_basic(f: &Fixture, form: &[(&str, &str)]) -> anyhow::Result<reqwest::Response> {
    Ok(f.http
        .post(f.sim.token_url(DataCentre::Us))
        .basic_auth("vouch", Some("s3cret"))
        .form(form)
        .send()
        .await?)
}

#[tokio::test]
async fn full_flow_expiry_rotation_revocation() -> TestResult {
    let f = Fixture::new().await?;
    register(&f)?;
    f.sim.set_access_token_ttl(Duration::from_secs(1));

    // Code exchange with HTTP Basic client credentials.
    let code = get_code(&f).await?;
    let form = [("grant_type", "authorization_code"), ("code", code.as_str()), ("redirect_uri", REDIRECT)];
    let res = exchange_basic(&f, &form).await?;
    assert_eq!(res.status(), 200);
    let tok: Value = res.json().await?;
    assert_eq!(tok["token_type"], json!("Bearer"));
    assert_eq!(tok["expires_in"], json!(1));
    assert_eq!(tok["scope"], json!(SCOPES));
    let access = tok["access_token"].as_str().expect("access").to_string();
    let refresh = tok["refresh_token"].as_str().expect("refresh").to_string();
    // The code is single use.
    let res = exchange_basic(&f, &form).await?;
    assert_eq!(res.status(), 400);
    assert_eq!(res.json::<Value>().await?["error"], json!("invalid_grant"));

    // The token works, within its scopes.
    let users = f.url("/users");
    assert_eq!(f.http.get(&users).bearer_auth(&access).send().await?.status(), 200);
    let res = f.http.get(f.url("/stages")).bearer_auth(&access).send().await?;
    assert_eq!(res.status(), 403, "stages:read:admin was not granted");
    // Wrong data centre with a token: 404.
    let eu = format!("{}/users", f.sim.api_base(DataCentre::Eu));
    assert_eq!(f.http.get(&eu).bearer_auth(&access).send().await?.status(), 404);

    // Expiry.
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert_eq!(f.http.get(&users).bearer_auth(&access).send().await?.status(), 401);

    // Refresh with body credentials (JSON), rotation.
    let res = f
        .http
        .post(f.sim.token_url(DataCentre::Us))
        .json(&json!({"grant_type": "refresh_token", "refresh_token": refresh,
                      "client_id": "vouch", "client_secret": "s3cret"}))
        .send()
        .await?;
    assert_eq!(res.status(), 200);
    let tok2: Value = res.json().await?;
    let access2 = tok2["access_token"].as_str().expect("access").to_string();
    let refresh2 = tok2["refresh_token"].as_str().expect("refresh").to_string();
    assert_ne!(refresh2, refresh);
    assert_eq!(f.http.get(&users).bearer_auth(&access2).send().await?.status(), 200);
    let res =
        exchange_basic(&f, &[("grant_type", "refresh_token"), ("refresh_token", refresh.as_str())]).await?;
    assert_eq!(res.status(), 400);
    let body: Value = res.json().await?;
    assert_eq!(body["error"], json!("invalid_grant"));
    assert!(body["error_description"].is_string());
    let stats = f.sim.stats();
    assert_eq!(stats.token_exchanges.get("refresh_token"), Some(&1));
    assert_eq!(stats.token_requests.get("refresh_token"), Some(&2));
    assert_eq!(stats.token_exchanges.get("authorization_code"), Some(&1));

    // Revocation kills access and refresh tokens.
    assert!(f.sim.revoke_grant(&f.company, "vouch"));
    assert_eq!(f.http.get(&users).bearer_auth(&access2).send().await?.status(), 401);
    let res =
        exchange_basic(&f, &[("grant_type", "refresh_token"), ("refresh_token", refresh2.as_str())]).await?;
    assert_eq!(res.status(), 400);
    assert_eq!(res.json::<Value>().await?["error"], json!("invalid_grant"));
    Ok(())
}

#[tokio::test]
async fn bad_client_secret_and_grant_type() -> TestResult {
    let f = Fixture::new().await?;
    register(&f)?;
    let res = f
        .http
        .post(f.sim.token_url(DataCentre::Us))
        .basic_auth("vouch", Some("wrong"))
        .form(&[("grant_type", "refresh_token"), ("refresh_token", "x")])
        .send()
        .await?;
    assert_eq!(res.status(), 401);
    assert_eq!(res.json::<Value>().await?["error"], json!("invalid_client"));
    let res = exchange_basic(&f, &[("grant_type", "password")]).await?;
    assert_eq!(res.status(), 400);
    assert_eq!(res.json::<Value>().await?["error"], json!("unsupported_grant_type"));
    Ok(())
}

#[tokio::test]
async fn authorize_validation() -> TestResult {
    let f = Fixture::new().await?;
    register(&f)?;
    let authorize = f.sim.authorize_url(DataCentre::Us);
    // Missing audience, and audience without its trailing slash: redirect with an error.
    let mut q = authorize_query(&f, None);
    q.retain(|(k, _)| k != "audience");
    for query in [q.clone(), authorize_query(&f, Some(f.sim.api_base(DataCentre::Us)))] {
        let res = f.http.get(&authorize).query(&query).send().await?;
        assert!(res.status().is_redirection(), "{}", res.status());
        let loc = location(&res)?;
        assert_eq!(param(&loc, "error").as_deref(), Some("invalid_request"));
        assert_eq!(param(&loc, "state").as_deref(), Some("st-42"));
    }
    // Unknown client and unregistered redirect: an error page, no redirect.
    let mut bad_client = authorize_query(&f, None);
    bad_client[0].1 = "nope".into();
    let res = f.http.get(&authorize).query(&bad_client).send().await?;
    assert_eq!(res.status(), 400);
    let mut bad_redirect = authorize_query(&f, None);
    bad_redirect[1].1 = "http://evil.example/cb".into();
    assert_eq!(f.http.get(&authorize).query(&bad_redirect).send().await?.status(), 400);
    // The sandbox server does not take the US audience.
    let res =
        f.http.get(f.sim.authorize_url(DataCentre::Sandbox)).query(&authorize_query(&f, None)).send().await?;
    assert!(res.status().is_redirection());
    // Deny.
    let mut form = authorize_query(&f, None);
    form.push(("company".into(), f.company.clone()));
    form.push(("decision".into(), "deny".into()));
    let res = f.http.post(&authorize).form(&form).send().await?;
    let loc = location(&res)?;
    assert_eq!(param(&loc, "error").as_deref(), Some("access_denied"));
    assert!(param(&loc, "error_description").is_some());
    assert_eq!(param(&loc, "state").as_deref(), Some("st-42"));
    Ok(())
}
