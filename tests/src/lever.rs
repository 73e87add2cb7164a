//! The Lever simulator wired to a test server: one US company with a super
//! admin, an OAuth client for Vouch, and the server's Lever hosts pointed at
//! the simulator.
use lever_sim::{AuthServer, DataCentre, NewCompany, NewUser, SimConfig, SimHandle, Simulator};

/// Vouch's OAuth app as registered in the simulator.
pub const CLIENT_ID: &str = "vouch-test";
pub const CLIENT_SECRET: &str = "vouch-test-secret";

/// A simulator with one company.
pub struct LeverWorld {
    pub sim: SimHandle,
    pub company_id: String,
    /// The company's super admin in Lever (who consents to OAuth).
    pub lever_admin_id: String,
}

impl LeverWorld {
    /// Starts a simulator with a company in `dc` and Vouch's OAuth client.
    pub async fn start(dc: DataCentre) -> Self {
        let sim = Simulator::start(SimConfig::for_tests()).await.expect("simulator starts");
        let company = sim
            .create_company(NewCompany { id: None, name: "Acme Robotics".into(), data_centre: dc })
            .expect("company");
        let admin = sim
            .add_user(
                &company.id,
                NewUser {
                    name: "Rita Recruiter".into(),
                    email: "rita@acme.example".into(),
                    access_role: Some("super admin".into()),
                    ..NewUser::default()
                },
            )
            .expect("super admin");
        sim.register_client(lever_sim::ClientSeed {
            client_id: CLIENT_ID.into(),
            client_secret: CLIENT_SECRET.into(),
            name: Some("Vouch".into()),
            redirect_uris: Vec::new(),
        })
        .expect("OAuth client");
        Self { sim, company_id: company.id, lever_admin_id: admin.id }
    }

    /// `vouch serve` flags pointing every data centre at the simulator.
    pub fn server_flags(&self) -> Vec<String> {
        lever_flags(&self.sim, CLIENT_ID, CLIENT_SECRET)
    }
}

/// `vouch serve` flags pointing every data centre at `sim`, with Vouch's
/// OAuth app as registered there.
pub fn lever_flags(sim: &lever_sim::Sim, client_id: &str, client_secret: &str) -> Vec<String> {
    vec![
        "--lever-us-api-base".into(),
        sim.api_base(DataCentre::Us),
        "--lever-eu-api-base".into(),
        sim.api_base(DataCentre::Eu),
        "--lever-sandbox-api-base".into(),
        sim.api_base(DataCentre::Sandbox),
        "--lever-us-auth-base".into(),
        sim.auth_base(AuthServer::Production),
        "--lever-eu-auth-base".into(),
        sim.auth_base(AuthServer::Production),
        "--lever-sandbox-auth-base".into(),
        sim.auth_base(AuthServer::Sandbox),
        "--lever-client-id".into(),
        client_id.into(),
        "--lever-client-secret".into(),
        client_secret.into(),
    ]
}

impl LeverWorld {
    /// Plays the admin's browser through Lever's consent page: GET the
    /// authorize URL, POST Accept (or Deny) with the form's fields, and
    /// answer the redirect Lever sends back (the callback URL with its query).
    pub async fn consent(&self, authorize_url: &str, accept: bool) -> String {
        let http =
            reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
        let page = http.get(authorize_url).send().await.expect("consent page");
        assert_eq!(page.status().as_u16(), 200, "consent page answers");
        let html = page.text().await.expect("html");
        assert!(html.contains("Accept"), "consent page offers Accept");
        let mut form: Vec<(String, String)> = hidden_inputs(&html);
        form.push(("company".into(), self.company_id.clone()));
        form.push(("user".into(), self.lever_admin_id.clone()));
        form.push(("decision".into(), if accept { "accept" } else { "deny" }.into()));
        let answer = http.post(authorize_url).form(&form).send().await.expect("consent decision");
        assert_eq!(answer.status().as_u16(), 302, "Lever redirects back");
        answer.headers()["location"].to_str().expect("location").to_owned()
    }
}

/// The `<input type="hidden" name=".." value="..">` pairs of a page.
fn hidden_inputs(html: &str) -> Vec<(String, String)> {
    let unescape = |s: &str| {
        s.replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&")
    };
    html.split("<input type=\"hidden\" ")
        .skip(1)
        .filter_map(|chunk| {
            let name = chunk.split("name=\"").nth(1)?.split('"').next()?;
            let value = chunk.split("value=\"").nth(1)?.split('"').next()?;
            Some((unescape(name), unescape(value)))
        })
        .collect()
}
