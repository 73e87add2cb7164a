//! The Lever client (`vouch::lever`) against the Lever simulator over real
//! HTTP: lists streamed page by page, pacing under Lever's rate limit,
//! retries of 429 and 5xx (and no blind repeat of a create), single-flight
//! OAuth refresh with the rotated tokens saved before use, revocation,
//! permissions named in Lever's words, the OAuth consent flow and the
//! `perform_as` fallback.
//!
//! Assertions count what the simulator saw (its stats, notes and tags);
//! none measures time. Every test starts its own simulator. Tests that are
//! not about pacing lift the simulator's rate limit and turn the client's
//! bucket off, so they run at full speed.

use std::{
    collections::{BTreeSet, HashSet},
    sync::{Arc, Mutex},
    time::Duration,
};

use async_trait::async_trait;
use futures::TryStreamExt;
use lever_sim::{
    error::ApiResult, DataCentre as SimDataCentre, Faults, NewApiKey, NewCandidate, NewCompany, NewUser, Sim,
    SimConfig, SimHandle, Simulator,
};
use url::Url;
use uuid::Uuid;
use vouch::lever::{
    authorize_url, exchange_code, http_client, probe_permissions, Credentials, DataCentre, DataCentreUrls,
    LeverClient, LeverClients, LeverConfig, LeverConnection, LeverError, LeverHosts, NoTokenStore, OAuthApp,
    OAuthTokens, OpportunityFilter, RateLimit, RetrySchedule, Secret, StoreError, TokenStore,
};

const CLIENT_ID: &str = "vouch-tests";
const CLIENT_SECRET: &str = "vouch-tests-secret";
const REDIRECT_URI: &str = "http://vouch.test/oauth/lever/callback";

/// The simulator's answer, or a panic with its message.
fn sim_ok<T>(result: ApiResult<T>) -> T {
    result.unwrap_or_else(|e| panic!("the simulator refused a set-up step: {}", e.message))
}

/// A simulator with Vouch's OAuth client and one US company: an active
/// super admin (every connection's fallback user) and a deactivated admin.
struct Lever {
    sim: SimHandle,
    company: String,
    admin: String,
    departed: String,
}

impl Lever {
    async fn start() -> Lever {
        let sim = Simulator::start(SimConfig::for_tests()).await.expect("simulator starts");
        sim_ok(sim.register_client(lever_sim::ClientSeed {
            client_id: CLIENT_ID.into(),
            client_secret: CLIENT_SECRET.into(),
            name: Some("Vouch".into()),
            redirect_uris: vec![REDIRECT_URI.into()],
        }));
        let company = sim_ok(sim.create_company(NewCompany {
            name: "Acme Robotics".into(),
            data_centre: SimDataCentre::Us,
            ..Default::default()
        }))
        .id;
        let user = |name: &str, role: &str, deactivated: bool| NewUser {
            name: name.into(),
            email: format!("{}@acme.test", name.to_lowercase()),
            access_role: Some(role.into()),
            deactivated,
            ..Default::default()
        };
        let admin = sim_ok(sim.add_user(&company, user("Rita", "super admin", false))).id;
        let departed = sim_ok(sim.add_user(&company, user("Dora", "admin", true))).id;
        Lever { sim, company, admin, departed }
    }

    /// Lifts the simulator's rate limit (for tests not about pacing).
    fn unlimited(&self) {
        let settings =
            lever_sim::Settings { rate_per_second: 10_000.0, rate_burst: 10_000.0, ..self.sim.settings() };
        sim_ok(self.sim.set_settings(settings));
    }

    /// The client's configuration, every data centre at the simulator.
    fn config(&self, rate_limit: RateLimit, retry: RetrySchedule) -> LeverConfig {
        let urls = |dc: SimDataCentre| {
            DataCentreUrls::parse(&self.sim.api_base(dc), &self.sim.auth_base(dc.auth_server()))
                .expect("simulator URLs parse")
        };
        LeverConfig {
            hosts: LeverHosts {
                us: urls(SimDataCentre::Us),
                eu: urls(SimDataCentre::Eu),
                sandbox: urls(SimDataCentre::Sandbox),
            },
            oauth_app: Some(OAuthApp {
                client_id: CLIENT_ID.into(),
                client_secret: Secret::new(CLIENT_SECRET),
                redirect_uri: Url::parse(REDIRECT_URI).expect("redirect URI"),
            }),
            rate_limit,
            retry,
            ..LeverConfig::default()
        }
    }

    /// No bucket, quick retries: for tests not about pacing.
    fn fast_config(&self) -> LeverConfig {
        self.config(RateLimit::disabled(), quick_retries(6))
    }

    /// A new API key with every permission.
    fn api_key(&self) -> String {
        sim_ok(self.sim.create_api_key(&self.company, NewApiKey::default())).key
    }

    fn key_connection(&self, key: &str) -> LeverConnection {
        LeverConnection {
            id: Uuid::new_v4(),
            data_centre: DataCentre::Us,
            credentials: Credentials::ApiKey(Secret::new(key)),
            fallback_user: Some(self.admin.clone()),
        }
    }

    fn oauth_connection(&self, tokens: OAuthTokens) -> LeverConnection {
        LeverConnection {
            id: Uuid::new_v4(),
            data_centre: DataCentre::Us,
            credentials: Credentials::OAuth(tokens),
            fallback_user: Some(self.admin.clone()),
        }
    }

    fn candidate(&self, name: &str) -> String {
        sim_ok(
            self.sim
                .create_candidate(&self.company, NewCandidate { name: name.into(), ..Default::default() }),
        )
        .id
    }

    /// Requests the simulator accepted or throttled for `credential`
    /// (`key:<key>` or `grant:<id>`); 401s belong to no credential.
    fn requests(&self, credential: &str) -> u64 {
        self.sim.stats().credential(credential).map_or(0, |c| c.requests)
    }

    /// Authenticated data API requests of every credential.
    fn all_requests(&self) -> u64 {
        self.sim.stats().credentials.iter().map(|c| c.requests).sum()
    }

    fn refresh_exchanges(&self) -> u64 {
        self.sim.stats().token_exchanges.get("refresh_token").copied().unwrap_or(0)
    }

    fn refresh_requests(&self) -> u64 {
        self.sim.stats().token_requests.get("refresh_token").copied().unwrap_or(0)
    }

    /// `grant:<id>` of Vouch's grant on the company.
    fn grant_credential(&self) -> String {
        let grant = self
            .sim
            .grants()
            .into_iter()
            .find(|g| g.company_id == self.company && g.client_id == CLIENT_ID)
            .expect("Vouch holds a grant");
        format!("grant:{}", grant.id)
    }

    fn notes(&self, opportunity: &str) -> Vec<lever_sim::model::Note> {
        sim_ok(self.sim.opportunity_notes(&self.company, opportunity))
    }
}

fn quick_retries(max_attempts: u32) -> RetrySchedule {
    RetrySchedule {
        base: Duration::from_millis(10),
        factor: 2.0,
        max_delay: Duration::from_millis(200),
        max_attempts,
        jitter: 0.5,
    }
}

/// A token store that records every save together with what the simulator
/// had seen at that moment.
struct RecordingStore {
    sim: Sim,
    saves: Mutex<Vec<Save>>,
}

#[derive(Debug, Clone)]
struct Save {
    connection_id: Uuid,
    refresh_token: String,
    /// The simulator still held the saved refresh token as unused.
    refresh_token_unused: bool,
    /// Authenticated data API requests the simulator had seen (stats are
    /// reset before each scenario).
    api_requests: u64,
}

impl RecordingStore {
    fn new(sim: Sim) -> Arc<Self> {
        Arc::new(Self { sim, saves: Mutex::new(Vec::new()) })
    }

    fn saves(&self) -> Vec<Save> {
        self.saves.lock().expect("store lock").clone()
    }
}

#[async_trait]
impl TokenStore for RecordingStore {
    async fn save(&self, connection_id: Uuid, tokens: &OAuthTokens) -> Result<(), StoreError> {
        let refresh_token = tokens.refresh_token.expose().to_owned();
        let refresh_token_unused = self.sim.lock().oauth.refresh_tokens.contains_key(&refresh_token);
        let api_requests = self.sim.stats().credentials.iter().map(|c| c.requests).sum();
        self.saves.lock().expect("store lock").push(Save {
            connection_id,
            refresh_token,
            refresh_token_unused,
            api_requests,
        });
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// OAuth consent, by HTTP, as an admin's browser would do it.

fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The value of attribute `name` in one tag's text.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let len = tag[start..].find('"')?;
    Some(unescape(&tag[start..start + len]))
}

/// The hidden inputs of the consent form.
fn hidden_inputs(html: &str) -> Vec<(String, String)> {
    html.split("<input")
        .skip(1)
        .filter_map(|rest| rest.split('>').next())
        .filter(|tag| attribute(tag, "type").as_deref() == Some("hidden"))
        .filter_map(|tag| Some((attribute(tag, "name")?, attribute(tag, "value").unwrap_or_default())))
        .collect()
}

/// The option values of `<select name="…">`.
fn options(html: &str, select: &str) -> Vec<String> {
    let Some(start) = html.find(&format!("<select name=\"{select}\"")) else {
        return Vec::new();
    };
    let body = &html[start..];
    let body = &body[..body.find("</select>").unwrap_or(body.len())];
    body.split("<option").skip(1).filter_map(|tag| attribute(tag, "value")).collect()
}

/// Runs the consent flow for `lever.company` (as its super admin) and
/// exchanges the code: the tokens of a new connection.
async fn connect_by_oauth(lever: &Lever, config: &LeverConfig) -> OAuthTokens {
    let app = config.oauth_app.as_ref().expect("OAuth app configured");
    let urls = config.hosts.get(DataCentre::Us);
    let state = format!("state-{}", Uuid::new_v4());
    let authorize = authorize_url(app, urls, &state);
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("browser client");

    let page = browser.get(authorize.clone()).send().await.expect("consent page answers");
    assert_eq!(page.status(), 200, "the simulator accepted the authorize URL");
    let html = page.text().await.expect("consent page body");
    let companies = options(&html, "company");
    assert!(companies.contains(&lever.company), "the company is offered: {companies:?}");
    assert!(options(&html, "user").contains(&lever.admin), "its super admin may consent");

    let mut form = hidden_inputs(&html);
    assert!(form.iter().any(|(k, v)| k == "state" && *v == state), "the form carries the state");
    form.push(("company".into(), lever.company.clone()));
    form.push(("user".into(), lever.admin.clone()));
    form.push(("decision".into(), "accept".into()));
    let decided = browser.post(authorize).form(&form).send().await.expect("consent decision answers");
    assert_eq!(decided.status(), 302, "Accept redirects back to Vouch");
    let location = decided
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .expect("redirect has a Location")
        .to_owned();
    assert!(location.starts_with(REDIRECT_URI), "{location}");
    let callback = Url::parse(&location).expect("callback URL");
    let query = |name: &str| callback.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned());
    assert_eq!(query("state").as_deref(), Some(state.as_str()), "the state comes back");
    assert_eq!(query("error"), None);
    let code = query("code").expect("the callback carries a code");

    let http = http_client(config).expect("HTTP client");
    exchange_code(&http, app, urls, &config.retry, &code).await.expect("code exchanged for tokens")
}

// ---------------------------------------------------------------------------

#[tokio::test]
async fn lists_stream_every_opportunity_fetching_one_page_at_a_time() {
    let lever = Lever::start().await;
    lever.unlimited();
    const N: usize = 250;
    let created: HashSet<String> = (0..N).map(|i| lever.candidate(&format!("Candidate {i}"))).collect();
    let key = lever.api_key();
    let credential = format!("key:{key}");
    let client = LeverClient::new(&lever.fast_config(), lever.key_connection(&key), Arc::new(NoTokenStore))
        .expect("client");

    let mut stream = client.opportunities(&OpportunityFilter::default());
    let mut seen = HashSet::new();
    while let Some(opportunity) = stream.try_next().await.expect("an opportunity") {
        // The page holding item n was fetched, and none after it: the
        // stream asks for page k+1 only once page k is used up.
        let n = seen.len();
        assert_eq!(lever.requests(&credential), (n / 100 + 1) as u64, "pages fetched by item {n}");
        assert!(seen.insert(opportunity.id), "no opportunity twice");
    }
    assert_eq!(seen, created, "every opportunity, once");
    assert_eq!(lever.requests(&credential), N.div_ceil(100) as u64, "one request per page of 100");
}

#[tokio::test]
async fn a_burst_of_two_hundred_calls_on_one_connection_meets_no_429() {
    // The simulator keeps Lever's limit (10/s, bursts of 20); the client its
    // default bucket (8/s, bursts of 16).
    let lever = Lever::start().await;
    let key = lever.api_key();
    let config = lever.config(RateLimit::default(), RetrySchedule::default());
    let registry = LeverClients::new(Arc::new(config), Arc::new(NoTokenStore)).expect("registry");
    let connection = lever.key_connection(&key);
    let id = connection.id;
    registry.get_or_connect(connection).expect("client");

    // Many tasks, each taking the connection's client from the registry,
    // as the job runner's workers do.
    let tasks: Vec<_> = (0..200)
        .map(|_| {
            let client = registry.get(id).expect("registered client");
            let admin = lever.admin.clone();
            tokio::spawn(async move { client.user(&admin).await })
        })
        .collect();
    for task in tasks {
        let user = task.await.expect("task").expect("the call succeeds");
        assert_eq!(user.id, lever.admin);
    }

    let stats = lever.sim.stats();
    let report = stats.credential(&format!("key:{key}")).expect("the key was used");
    assert_eq!(report.throttled, 0, "not one 429");
    assert_eq!(report.requests, 200, "no call needed a second attempt");
    let settings = lever.sim.settings();
    let most_lever_allows_in_1s = (settings.rate_burst + settings.rate_per_second) as usize;
    assert!(
        report.max_requests_in_1s <= most_lever_allows_in_1s,
        "{} requests in one second, Lever takes at most {most_lever_allows_in_1s}",
        report.max_requests_in_1s
    );
}

#[tokio::test]
async fn without_the_bucket_a_burst_meets_429s_and_completes_through_retries() {
    let lever = Lever::start().await;
    let key = lever.api_key();
    // Enough attempts to outlast the burst; Retry-After paces the retries.
    let retry = RetrySchedule { max_delay: Duration::from_secs(2), ..quick_retries(60) };
    let config = lever.config(RateLimit::disabled(), retry);
    let registry = LeverClients::new(Arc::new(config), Arc::new(NoTokenStore)).expect("registry");
    let connection = lever.key_connection(&key);
    let id = connection.id;
    registry.get_or_connect(connection).expect("client");

    let tasks: Vec<_> = (0..200)
        .map(|_| {
            let client = registry.get(id).expect("registered client");
            let admin = lever.admin.clone();
            tokio::spawn(async move { client.user(&admin).await })
        })
        .collect();
    for task in tasks {
        task.await.expect("task").expect("every call succeeds in the end");
    }

    let stats = lever.sim.stats();
    let report = stats.credential(&format!("key:{key}")).expect("the key was used");
    assert!(report.throttled > 0, "Lever answered 429 to an unpaced burst");
    assert_eq!(report.requests - report.throttled, 200, "each call accepted exactly once");
}

#[tokio::test]
async fn fifty_calls_meeting_an_expired_token_refresh_once_and_save_before_use() {
    let lever = Lever::start().await;
    lever.unlimited();
    let config = lever.fast_config();
    let tokens = connect_by_oauth(&lever, &config).await;
    let first_refresh_token = tokens.refresh_token.expose().to_owned();
    let store = RecordingStore::new(lever.sim.sim());
    let registry = LeverClients::new(Arc::new(config), store.clone()).expect("registry");
    let connection = lever.oauth_connection(tokens);
    let id = connection.id;
    registry.get_or_connect(connection).expect("client");

    let burst = |n: usize| {
        let tasks: Vec<_> = (0..n)
            .map(|_| {
                let client = registry.get(id).expect("registered client");
                let admin = lever.admin.clone();
                tokio::spawn(async move { client.user(&admin).await })
            })
            .collect();
        async move {
            for task in tasks {
                task.await.expect("task").expect("the call succeeds");
            }
        }
    };

    // Lever expires the access token early; the client does not know.
    assert!(lever.sim.expire_access_tokens(&lever.company, CLIENT_ID) > 0);
    lever.sim.reset_stats();
    burst(50).await;
    assert!(lever.sim.stats().unauthorized > 0, "calls met the expired token");
    assert_eq!(lever.refresh_requests(), 1, "one refresh for all fifty calls");
    assert_eq!(lever.refresh_exchanges(), 1);
    assert_eq!(lever.requests(&lever.grant_credential()), 50, "each call went through once");
    let saves = store.saves();
    assert_eq!(saves.len(), 1, "{saves:?}");
    let rotated = &saves[0];
    assert_eq!(rotated.connection_id, id);
    assert_ne!(rotated.refresh_token, first_refresh_token, "the refresh token rotated");
    assert!(rotated.refresh_token_unused, "saved before the rotated refresh token was used");
    assert_eq!(rotated.api_requests, 0, "saved before any call used the new access token");

    // The next refresh presents exactly the token the store saw.
    let client = registry.get(id).expect("registered client");
    client.refresh_now().await.expect("refresh with the saved token");
    assert_eq!(lever.refresh_exchanges(), 2);
    let saves = store.saves();
    assert_eq!(saves.len(), 2);
    assert!(!lever.sim.lock().oauth.refresh_tokens.contains_key(&rotated.refresh_token), "it was used");
    assert!(saves[1].refresh_token_unused);

    // A token the client knows is expired is never sent: it refreshes
    // first, once for all fifty calls.
    let latest = saves[1].refresh_token.clone();
    let expired = OAuthTokens {
        access_token: Secret::new("no longer valid"),
        refresh_token: Secret::new(latest),
        expires_at: chrono::Utc::now() - chrono::Duration::minutes(1),
        scope: None,
    };
    registry.connect(LeverConnection { id, ..lever.oauth_connection(expired) }).expect("reconnected");
    lever.sim.reset_stats();
    burst(50).await;
    assert_eq!(lever.sim.stats().unauthorized, 0, "the expired token was never sent");
    assert_eq!(lever.refresh_requests(), 1);
    let saves = store.saves();
    assert_eq!(saves.len(), 3);
    assert!(saves[2].refresh_token_unused);
    assert_eq!(saves[2].api_requests, 0);
}

#[tokio::test]
async fn a_revoked_grant_is_unauthorized_and_later_calls_fail_without_calling_lever() {
    let lever = Lever::start().await;
    lever.unlimited();
    let config = lever.fast_config();
    let tokens = connect_by_oauth(&lever, &config).await;
    let store = RecordingStore::new(lever.sim.sim());
    let client = LeverClient::new(&config, lever.oauth_connection(tokens), store).expect("client");
    let opportunity = lever.candidate("Ann Applicant");
    client.user(&lever.admin).await.expect("works before revocation");

    assert!(lever.sim.revoke_grant(&lever.company, CLIENT_ID));
    lever.sim.reset_stats();
    let err = client.user(&lever.admin).await.expect_err("revoked");
    assert!(matches!(err, LeverError::Unauthorized), "{err}");
    assert!(!err.is_transient());
    let stats = lever.sim.stats();
    assert_eq!(stats.unauthorized, 1, "one call met the revoked token");
    assert_eq!(lever.refresh_requests(), 1, "one refresh was tried, and refused");

    let err = client.user(&lever.admin).await.expect_err("still revoked");
    assert!(matches!(err, LeverError::Unauthorized), "{err}");
    let err = client.stages().try_collect::<Vec<_>>().await.expect_err("still revoked");
    assert!(matches!(err, LeverError::Unauthorized), "{err}");
    let err = client.create_note(&opportunity, "Reference check", None).await.expect_err("still revoked");
    assert!(matches!(err, LeverError::Unauthorized), "{err}");
    assert_eq!(lever.sim.stats().unauthorized, 1, "no data API call after the revocation was known");
    assert_eq!(lever.refresh_requests(), 1, "no further refresh");
    assert_eq!(lever.all_requests(), 0);
    assert!(lever.notes(&opportunity).is_empty());
}

#[tokio::test]
async fn missing_api_key_permissions_are_named_as_lever_names_them() {
    let lever = Lever::start().await;
    lever.unlimited();
    let config = lever.fast_config();
    let opportunity = lever.candidate("Ann Applicant");
    let client_for = |key: &str| {
        LeverClient::new(&config, lever.key_connection(key), Arc::new(NoTokenStore)).expect("client")
    };

    // A key without "Create a note".
    let key = lever.api_key();
    sim_ok(lever.sim.set_key_permission(&key, "Create a note", false));
    let err = client_for(&key)
        .create_note(&opportunity, "Reference check", Some(&lever.admin))
        .await
        .expect_err("no permission");
    let LeverError::Forbidden { endpoint } = &err else {
        panic!("expected Forbidden, got {err}");
    };
    assert_eq!(endpoint.name(), "Create a note");
    assert!(err.to_string().contains("\"Create a note\""), "{err}");
    assert!(lever.notes(&opportunity).is_empty());

    // A full key lacks nothing.
    let full = lever.api_key();
    let missing = probe_permissions(&client_for(&full)).await.expect("probe");
    assert!(missing.is_empty(), "{missing:?}");
    let probe_requests = lever.requests(&format!("key:{full}"));
    assert!(probe_requests > 0, "the key went as HTTP Basic user");

    // A key with permissions removed by name: exactly those are reported.
    let removed = [
        "List all postings",
        "List all stages",
        "Retrieve a single opportunity",
        "Add tags",
        "Create a note",
        "Delete a note",
        "Create a webhook",
    ];
    let partial = lever.api_key();
    for name in removed {
        sim_ok(lever.sim.set_key_permission(&partial, name, false));
    }
    let missing = probe_permissions(&client_for(&partial)).await.expect("probe");
    let names: BTreeSet<&str> = missing.iter().map(|m| m.name).collect();
    assert_eq!(names, removed.into_iter().collect::<BTreeSet<_>>());
    assert!(missing.iter().all(|m| m.endpoint.name() == m.name));

    // Probing changed nothing in the account.
    let company = sim_ok(lever.sim.company_info(&lever.company));
    assert_eq!(company.opportunity_count, 1, "no opportunity created");
    assert!(sim_ok(lever.sim.webhooks(&lever.company)).is_empty(), "no webhook created");
    assert!(lever.notes(&opportunity).is_empty(), "no note created");
    assert!(sim_ok(lever.sim.opportunity_tags(&lever.company, &opportunity)).is_empty(), "no tag added");
}

#[tokio::test]
async fn reads_outlast_5xx_storms_but_a_create_meeting_a_500_is_not_repeated() {
    let lever = Lever::start().await;
    lever.unlimited();
    let key = lever.api_key();
    let credential = format!("key:{key}");
    let config = lever.config(RateLimit::disabled(), quick_retries(12));
    let client =
        LeverClient::new(&config, lever.key_connection(&key), Arc::new(NoTokenStore)).expect("client");
    let opportunity = lever.candidate("Ann Applicant");
    let fail_next = |n: u32, status: u16| {
        sim_ok(lever.sim.set_faults(Faults {
            fail_next: n,
            error_status: Some(status),
            ..Faults::default()
        }));
        lever.sim.reset_stats();
    };

    fail_next(4, 503);
    let read = client.opportunity(&opportunity).await.expect("read through four 503s");
    assert_eq!(read.id, opportunity);
    assert_eq!(lever.requests(&credential), 5);

    fail_next(3, 500);
    let users: Vec<_> = client.users().try_collect().await.expect("list through three 500s");
    assert!(users.iter().any(|u| u.id == lever.admin));
    assert_eq!(lever.requests(&credential), 4);

    // A storm: a quarter of all calls fail.
    sim_ok(lever.sim.set_faults(Faults { error_rate: 0.25, error_status: Some(503), ..Faults::default() }));
    lever.sim.reset_stats();
    for _ in 0..40 {
        client.user(&lever.admin).await.expect("read through the storm");
    }
    assert!(lever.requests(&credential) > 40, "some calls were retried");

    // A note whose create met a 500 may exist in Lever: not repeated.
    fail_next(1, 500);
    let err = client.create_note(&opportunity, "Reference check", Some(&lever.admin)).await.expect_err("500");
    assert!(matches!(err, LeverError::Server { status: 500, .. }), "{err}");
    assert!(err.is_transient(), "the job runner tries again later, after reconciling");
    assert_eq!(lever.requests(&credential), 1, "the create was sent once");
    assert!(lever.notes(&opportunity).is_empty(), "no note, and certainly no duplicate");

    // A 503 says Lever did not process it: repeated, one note.
    fail_next(1, 503);
    client.create_note(&opportunity, "Reference check", Some(&lever.admin)).await.expect("note after a 503");
    assert_eq!(lever.requests(&credential), 2);
    assert_eq!(lever.notes(&opportunity).len(), 1);
}

#[test]
fn the_simulator_signs_webhooks_as_lever_md_test_vector_says() {
    assert_eq!(
        lever_sim::sign("whsec-test-123", "abc123", 1_717_000_000_123),
        "5c197b952a8ebff65b90ee66ae40971910c25bc41e169470bd757bf0f12280d8"
    );
}

#[tokio::test]
async fn oauth_end_to_end_then_writes_as_a_departed_user_fall_back() {
    let lever = Lever::start().await;
    lever.unlimited();
    let config = lever.fast_config();
    let tokens = connect_by_oauth(&lever, &config).await;
    assert_eq!(lever.sim.stats().token_exchanges.get("authorization_code"), Some(&1));
    for scope in ["offline_access", "notes:write:admin", "opportunities:write:admin", "webhooks:write:admin"]
    {
        assert!(tokens.has_scope(scope), "granted {scope}: {:?}", tokens.scope);
    }
    assert!(tokens.expires_at > chrono::Utc::now());

    let store = RecordingStore::new(lever.sim.sim());
    let client = LeverClient::new(&config, lever.oauth_connection(tokens), store.clone()).expect("client");
    lever.sim.reset_stats();
    let users: Vec<_> = client.users().try_collect().await.expect("users with the bearer token");
    let ids: Vec<&str> = users.iter().map(|u| u.id.as_str()).collect();
    assert_eq!(ids, [lever.admin.as_str()], "Lever lists active users only");
    let stages: Vec<_> = client.stages().try_collect().await.expect("stages");
    assert!(!stages.is_empty());
    let grant = lever.grant_credential();
    assert_eq!(lever.requests(&grant), 2, "both calls went with the grant's token");
    assert_eq!(lever.all_requests(), 2);
    assert!(store.saves().is_empty(), "no refresh was needed");

    // The departed admin cannot act any more: the write falls back to the
    // connection's fallback user, and Lever records that user.
    let opportunity = lever.candidate("Ann Applicant");
    let acted =
        client.create_note(&opportunity, "Reference check: done", Some(&lever.departed)).await.expect("note");
    assert!(acted.fell_back);
    assert_eq!(acted.performed_as.as_deref(), Some(lever.admin.as_str()));
    let notes = lever.notes(&opportunity);
    assert_eq!(notes.len(), 1, "one note, by the fallback user only");
    assert_eq!(notes[0].id, acted.value.id);
    assert_eq!(notes[0].author.as_deref(), Some(lever.admin.as_str()));

    let tags = ["Vouch: reference check".to_owned()];
    let acted = client.add_tags(&opportunity, &tags, Some(&lever.departed)).await.expect("tags");
    assert!(acted.fell_back);
    let on_opportunity = sim_ok(lever.sim.opportunity_tags(&lever.company, &opportunity));
    assert_eq!(on_opportunity.len(), 1);
    assert_eq!(on_opportunity[0].added_by.as_deref(), Some(lever.admin.as_str()));

    // The chosen user acts when able (this note id comes back as `noteId`).
    let acted = client.create_note(&opportunity, "Second note", Some(&lever.admin)).await.expect("note");
    assert!(!acted.fell_back);
    let ids: Vec<_> = lever.notes(&opportunity).into_iter().map(|n| n.id).collect();
    assert!(ids.contains(&acted.value.id), "{ids:?}");
}
