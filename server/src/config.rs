//! Configuration: flags with environment twins (DESIGN.md section 4), parsed
//! by clap, then validated once into a [`Config`] shared read-only.
//!
//! Every check names the setting the way an operator sets it (the env
//! variable and the flag) and says what was expected, in one line.
use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Args;
use url::Url;

use crate::db::DatabaseUrl;
use crate::lever::DataCentreUrls;
use crate::secrets::SecretKey;

/// Raw settings as clap reads them. Kept as strings so that validation can
/// phrase its own errors instead of clap's generic ones.
#[derive(Debug, Clone, Args)]
pub struct Settings {
    #[command(flatten)]
    pub database: DatabaseSettings,
    /// Address to listen on.
    #[arg(long = "bind", env = "VOUCH_BIND", default_value = "127.0.0.1:8080")]
    pub bind: String,
    /// The URL people and Lever reach this server at (links in e-mails, webhook and OAuth callback URLs). Default: http://BIND.
    #[arg(long = "public-url", env = "VOUCH_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// 32 random bytes, base64 or hex, that encrypt stored secrets and sign sessions. Default: generated once into the data folder.
    #[arg(long = "secret-key", env = "VOUCH_SECRET_KEY", hide_env_values = true)]
    pub secret_key: Option<String>,
    /// Folder holding the built admin app (index.html and assets).
    #[arg(long = "web-dir", env = "VOUCH_WEB_DIR", default_value = "web/dist")]
    pub web_dir: PathBuf,
    #[command(flatten)]
    pub lever: LeverSettings,
    #[command(flatten)]
    pub jobs: JobSettings,
    #[command(flatten)]
    pub mail: MailSettings,
    #[command(flatten)]
    pub deadlines: DeadlineSettings,
}

/// How e-mail leaves Vouch.
#[derive(Debug, Clone, Args)]
pub struct MailSettings {
    /// SMTP server for e-mail: smtp://HOST:PORT (plain), smtp://HOST:PORT?tls=required (STARTTLS) or smtps://USER:PASSWORD@HOST:PORT (TLS); percent-encode special characters in the user and password. Unset: e-mails stay in the outbox the admin app shows.
    #[arg(long = "smtp-url", env = "VOUCH_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// The From of every e-mail, e.g. "Vouch <no-reply@example.com>". Default: vouch@ the public URL's host.
    #[arg(long = "mail-from", env = "VOUCH_MAIL_FROM")]
    pub mail_from: Option<String>,
}

/// Reminders before a check's deadline, and expiry after it.
#[derive(Debug, Clone, Args)]
pub struct DeadlineSettings {
    /// When to remind whoever must act, in hours before a check's link expires, comma separated (e.g. 72,24); empty: no reminders.
    #[arg(long = "reminder-hours", env = "VOUCH_REMINDER_HOURS", default_value = "72,24")]
    pub reminder_hours: String,
    /// Seconds between runs of the job that sends due reminders and expires checks past their deadline.
    #[arg(long = "deadline-interval-secs", env = "VOUCH_DEADLINE_INTERVAL_SECS", default_value_t = 300,
          value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub interval_secs: u64,
}

/// The job queue's workers in this process.
#[derive(Debug, Clone, Args)]
pub struct JobSettings {
    /// Jobs this process runs at once.
    #[arg(long = "job-workers", env = "VOUCH_JOB_WORKERS", default_value_t = 4,
          value_parser = clap::value_parser!(u16).range(1..=256))]
    pub workers: u16,
    /// Seconds a claimed job stays claimed without renewal; a crashed process's jobs run again after this.
    #[arg(long = "job-lease-secs", env = "VOUCH_JOB_LEASE_SECS", default_value_t = 60,
          value_parser = clap::value_parser!(u64).range(2..=3600))]
    pub lease_secs: u64,
    /// Seconds between catch-ups of each connected Lever connection (lost webhooks are found then); 0 turns it off.
    #[arg(long = "catch-up-interval-secs", env = "VOUCH_CATCH_UP_INTERVAL_SECS", default_value_t = 900,
          value_parser = clap::value_parser!(u64).range(0..=7 * 24 * 3600))]
    pub catch_up_interval_secs: u64,
    /// Webhook requests handled at once; more are answered 503 with Retry-After (load shedding).
    #[arg(long = "webhook-max-in-flight", env = "VOUCH_WEBHOOK_MAX_IN_FLIGHT", default_value_t = 512,
          value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub webhook_max_in_flight: u32,
}

/// Where the database (and the data folder) is: all that `migrate` and
/// `create-admin` need.
#[derive(Debug, Clone, Args)]
pub struct DatabaseSettings {
    /// sqlite://PATH or postgres://USER:PASSWORD@HOST/DB. Default: an SQLite file under the data folder.
    #[arg(long = "database-url", env = "DATABASE_URL")]
    pub database_url: Option<String>,
    /// Folder for the default SQLite file and the generated secret key.
    #[arg(long = "data-dir", env = "VOUCH_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,
}

impl DatabaseSettings {
    /// Checks the database location, without touching the disk.
    pub fn database_url(&self) -> Result<DatabaseUrl, ConfigError> {
        match &self.database_url {
            Some(raw) => DatabaseUrl::parse(raw)
                .map_err(|problem| ConfigError::new("DATABASE_URL (--database-url)", problem)),
            None => Ok(DatabaseUrl::sqlite_in(&self.data_dir)),
        }
    }
}

/// Lever's OAuth client and hosts per data centre.
#[derive(Debug, Clone, Args)]
pub struct LeverSettings {
    /// OAuth client id of Vouch's Lever app.
    #[arg(long = "lever-client-id", env = "VOUCH_LEVER_CLIENT_ID")]
    pub client_id: Option<String>,
    /// OAuth client secret of Vouch's Lever app.
    #[arg(long = "lever-client-secret", env = "VOUCH_LEVER_CLIENT_SECRET", hide_env_values = true)]
    pub client_secret: Option<String>,
    #[arg(
        long = "lever-us-api-base",
        env = "VOUCH_LEVER_US_API_BASE",
        default_value = "https://api.lever.co/v1"
    )]
    pub us_api_base: String,
    #[arg(
        long = "lever-eu-api-base",
        env = "VOUCH_LEVER_EU_API_BASE",
        default_value = "https://api.eu.lever.co/v1"
    )]
    pub eu_api_base: String,
    #[arg(
        long = "lever-sandbox-api-base",
        env = "VOUCH_LEVER_SANDBOX_API_BASE",
        default_value = "https://api.sandbox.lever.co/v1"
    )]
    pub sandbox_api_base: String,
    #[arg(
        long = "lever-us-auth-base",
        env = "VOUCH_LEVER_US_AUTH_BASE",
        default_value = "https://auth.lever.co"
    )]
    pub us_auth_base: String,
    #[arg(
        long = "lever-eu-auth-base",
        env = "VOUCH_LEVER_EU_AUTH_BASE",
        default_value = "https://auth.lever.co"
    )]
    pub eu_auth_base: String,
    #[arg(
        long = "lever-sandbox-auth-base",
        env = "VOUCH_LEVER_SANDBOX_AUTH_BASE",
        default_value = "https://sandbox-lever.auth0.com"
    )]
    pub sandbox_auth_base: String,
}

/// A setting that is missing or malformed.
#[derive(Debug, thiserror::Error)]
#[error("{setting}: {problem}")]
pub struct ConfigError {
    /// The env variable and flag, e.g. `VOUCH_BIND (--bind)`.
    pub setting: &'static str,
    pub problem: String,
}

impl ConfigError {
    pub fn new(setting: &'static str, problem: impl Into<String>) -> Self {
        Self { setting, problem: problem.into() }
    }
}

/// Validated configuration, shared read-only through `AppState`.
#[derive(Debug, Clone)]
pub struct Config {
    pub bind: SocketAddr,
    pub database_url: DatabaseUrl,
    pub data_dir: PathBuf,
    pub public_url: Url,
    pub secret_key: SecretKey,
    pub web_dir: PathBuf,
    pub lever: LeverOptions,
    pub jobs: crate::jobs::WorkerConfig,
    /// How often each connected Lever connection is caught up; `None`: never.
    pub catch_up_interval: Option<std::time::Duration>,
    /// Webhook requests handled at once before shedding with 503.
    pub webhook_max_in_flight: usize,
    /// SMTP (or the outbox alone) and the sender.
    pub mail: MailOptions,
    /// Reminder slots and the deadline job's interval.
    pub deadlines: DeadlineOptions,
}

/// Validated e-mail settings.
#[derive(Debug, Clone)]
pub struct MailOptions {
    /// The SMTP URL, credentials included (never printed); `None`: outbox only.
    pub smtp_url: Option<crate::secrets::Redacted>,
    /// The From mailbox.
    pub from: String,
}

/// Validated deadline settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadlineOptions {
    /// Hours before expiry to remind at, largest first, no duplicates.
    pub reminder_hours: Vec<u32>,
    /// Between runs of the deadline job.
    pub interval: std::time::Duration,
}

impl Default for DeadlineOptions {
    fn default() -> Self {
        Self { reminder_hours: vec![72, 24], interval: std::time::Duration::from_secs(300) }
    }
}

/// Validated Lever settings: Vouch's OAuth app (optional: without it only
/// API-key connections work) and the hosts of each data centre.
#[derive(Debug, Clone)]
pub struct LeverOptions {
    pub client_id: Option<String>,
    pub client_secret: Option<crate::secrets::Redacted>,
    pub hosts: crate::lever::LeverHosts,
}

impl Settings {
    /// Validates everything `vouch serve` needs. The secret key is read (or
    /// generated into the data folder) here, so this may touch the disk.
    pub fn validate(&self) -> Result<Config, ConfigError> {
        let bind: SocketAddr = self.bind.parse().map_err(|_| {
            ConfigError::new(
                "VOUCH_BIND (--bind)",
                format!("expected HOST:PORT such as 127.0.0.1:8080, got {:?}", self.bind),
            )
        })?;
        let database_url = self.database.database_url()?;
        let public_url = match &self.public_url {
            Some(raw) => http_url("VOUCH_PUBLIC_URL (--public-url)", raw)?,
            None => http_url("VOUCH_BIND (--bind)", &format!("http://{bind}"))?,
        };
        let secret_key = match &self.secret_key {
            Some(raw) => SecretKey::parse(raw)
                .map_err(|problem| ConfigError::new("VOUCH_SECRET_KEY (--secret-key)", problem))?,
            None => SecretKey::load_or_generate(&self.database.data_dir.join("secret.key")).map_err(|e| {
                ConfigError::new("VOUCH_SECRET_KEY (--secret-key)", format!("not set, and {e}"))
            })?,
        };
        let mail = self.mail.validate(&public_url)?;
        let deadlines = self.deadlines.validate()?;
        Ok(Config {
            bind,
            database_url,
            data_dir: self.database.data_dir.clone(),
            secret_key,
            web_dir: self.web_dir.clone(),
            lever: self.lever.validate()?,
            jobs: crate::jobs::WorkerConfig {
                workers: usize::from(self.jobs.workers),
                lease: std::time::Duration::from_secs(self.jobs.lease_secs),
                ..crate::jobs::WorkerConfig::default()
            },
            catch_up_interval: (self.jobs.catch_up_interval_secs > 0)
                .then(|| std::time::Duration::from_secs(self.jobs.catch_up_interval_secs)),
            webhook_max_in_flight: self.jobs.webhook_max_in_flight as usize,
            mail,
            deadlines,
            public_url,
        })
    }
}

impl MailSettings {
    fn validate(&self, public_url: &Url) -> Result<MailOptions, ConfigError> {
        const URL: &str = "VOUCH_SMTP_URL (--smtp-url)";
        const FROM: &str = "VOUCH_MAIL_FROM (--mail-from)";
        let smtp_url = match self.smtp_url.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(raw) => {
                // The URL may hold a password: errors describe it, never echo it.
                let expected = "expected smtp://HOST:PORT, smtp://HOST:PORT?tls=required or smtps://USER:PASSWORD@HOST:PORT";
                let url = Url::parse(raw).map_err(|_| {
                    ConfigError::new(URL, format!("{expected}; the value does not parse as a URL"))
                })?;
                if !matches!(url.scheme(), "smtp" | "smtps") {
                    return Err(ConfigError::new(
                        URL,
                        format!("{expected}; the scheme is {:?}", url.scheme()),
                    ));
                }
                if url.host_str().is_none_or(str::is_empty) {
                    return Err(ConfigError::new(URL, format!("{expected}; the host is missing")));
                }
                let tls = url.query_pairs().find(|(k, _)| k == "tls").map(|(_, v)| v.into_owned());
                if !matches!(tls.as_deref(), None | Some("required" | "opportunistic")) {
                    return Err(ConfigError::new(
                        URL,
                        format!("{expected}; tls= takes required or opportunistic"),
                    ));
                }
                crate::domain::email::smtp::check_url(raw)
                    .map_err(|problem| ConfigError::new(URL, format!("{expected}; {problem}")))?;
                Some(crate::secrets::Redacted::new(raw))
            }
        };
        let from = match self.mail_from.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(raw) => raw.to_owned(),
            None => format!("Vouch <vouch@{}>", public_url.host_str().unwrap_or("localhost")),
        };
        crate::domain::email::smtp::check_mailbox(&from).map_err(|_| {
            ConfigError::new(
                FROM,
                format!("expected an address such as \"Vouch <no-reply@example.com>\", got {from:?}"),
            )
        })?;
        Ok(MailOptions { smtp_url, from })
    }
}

impl DeadlineSettings {
    fn validate(&self) -> Result<DeadlineOptions, ConfigError> {
        const SETTING: &str = "VOUCH_REMINDER_HOURS (--reminder-hours)";
        let mut hours = Vec::new();
        for part in self.reminder_hours.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let expected = || {
                format!(
                    "expected hours before expiry from 1 to 720, comma separated, such as 72,24; got {:?}",
                    self.reminder_hours
                )
            };
            let h: u32 = part.parse().map_err(|_| ConfigError::new(SETTING, expected()))?;
            if !(1..=720).contains(&h) {
                return Err(ConfigError::new(SETTING, expected()));
            }
            if !hours.contains(&h) {
                hours.push(h);
            }
        }
        hours.sort_unstable_by(|a, b| b.cmp(a));
        Ok(DeadlineOptions {
            reminder_hours: hours,
            interval: std::time::Duration::from_secs(self.interval_secs),
        })
    }
}

impl LeverSettings {
    fn validate(&self) -> Result<LeverOptions, ConfigError> {
        let non_empty = |v: &Option<String>| v.as_ref().filter(|s| !s.trim().is_empty()).cloned();
        let urls =
            |api_setting, api: &str, auth_setting, auth: &str| -> Result<DataCentreUrls, ConfigError> {
                Ok(DataCentreUrls {
                    api_base: http_url(api_setting, api)?,
                    auth_base: http_url(auth_setting, auth)?,
                })
            };
        Ok(LeverOptions {
            client_id: non_empty(&self.client_id),
            client_secret: non_empty(&self.client_secret).map(crate::secrets::Redacted::new),
            hosts: crate::lever::LeverHosts {
                us: urls(
                    "VOUCH_LEVER_US_API_BASE (--lever-us-api-base)",
                    &self.us_api_base,
                    "VOUCH_LEVER_US_AUTH_BASE (--lever-us-auth-base)",
                    &self.us_auth_base,
                )?,
                eu: urls(
                    "VOUCH_LEVER_EU_API_BASE (--lever-eu-api-base)",
                    &self.eu_api_base,
                    "VOUCH_LEVER_EU_AUTH_BASE (--lever-eu-auth-base)",
                    &self.eu_auth_base,
                )?,
                sandbox: urls(
                    "VOUCH_LEVER_SANDBOX_API_BASE (--lever-sandbox-api-base)",
                    &self.sandbox_api_base,
                    "VOUCH_LEVER_SANDBOX_AUTH_BASE (--lever-sandbox-auth-base)",
                    &self.sandbox_auth_base,
                )?,
            },
        })
    }
}

fn http_url(setting: &'static str, raw: &str) -> Result<Url, ConfigError> {
    let expected = || format!("expected an http:// or https:// URL, got {raw:?}");
    let url = Url::parse(raw.trim()).map_err(|_| ConfigError::new(setting, expected()))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(ConfigError::new(setting, expected()));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        settings: Settings,
    }

    fn settings(args: &[&str]) -> Settings {
        let mut argv = vec!["vouch", "--secret-key", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="];
        argv.extend_from_slice(args);
        Cli::try_parse_from(argv).expect("arguments parse").settings
    }

    #[test]
    fn defaults_validate() {
        let config = settings(&[]).validate().expect("defaults are valid");
        assert_eq!(config.bind.to_string(), "127.0.0.1:8080");
        assert_eq!(config.public_url.as_str(), "http://127.0.0.1:8080/");
        assert!(config.database_url.is_sqlite());
        assert_eq!(config.lever.hosts.us.api_base.as_str(), "https://api.lever.co/v1");
    }

    #[test]
    fn malformed_settings_name_the_setting() {
        let cases: &[(&[&str], &str)] = &[
            (&["--bind", "nowhere"], "VOUCH_BIND"),
            (&["--database-url", "mysql://x"], "DATABASE_URL"),
            (&["--public-url", "ftp://x"], "VOUCH_PUBLIC_URL"),
            (&["--lever-eu-api-base", "not a url"], "VOUCH_LEVER_EU_API_BASE"),
            (&["--smtp-url", "http://mail.example.com"], "VOUCH_SMTP_URL"),
            (&["--smtp-url", "smtp://"], "VOUCH_SMTP_URL"),
            (&["--smtp-url", "smtp://mail.example.com?tls=sometimes"], "VOUCH_SMTP_URL"),
            (&["--mail-from", "not an address"], "VOUCH_MAIL_FROM"),
            (&["--reminder-hours", "72,soon"], "VOUCH_REMINDER_HOURS"),
            (&["--reminder-hours", "0"], "VOUCH_REMINDER_HOURS"),
            (&["--reminder-hours", "9000"], "VOUCH_REMINDER_HOURS"),
        ];
        for (args, setting) in cases {
            let err = settings(args).validate().expect_err("must be refused");
            let line = err.to_string();
            assert!(line.starts_with(setting), "{line} should name {setting}");
            assert!(line.contains("expected"), "{line} should say what was expected");
            assert!(!line.contains('\n'), "one line: {line}");
        }
    }

    #[test]
    fn mail_and_deadline_settings() {
        let config = settings(&[]).validate().expect("defaults are valid");
        assert!(config.mail.smtp_url.is_none(), "no SMTP by default: the outbox");
        assert_eq!(config.mail.from, "Vouch <vouch@127.0.0.1>");
        assert_eq!(config.deadlines, DeadlineOptions::default());
        let config = settings(&[
            "--smtp-url",
            "smtps://mailer:p%40ss@mail.example.com:465",
            "--mail-from",
            "Hiring <jobs@example.com>",
            "--reminder-hours",
            "24, 72,24,1",
            "--deadline-interval-secs",
            "5",
        ])
        .validate()
        .expect("valid");
        assert!(config.mail.smtp_url.is_some());
        assert!(!format!("{config:?}").contains("p%40ss"), "the SMTP password is never printed");
        assert_eq!(config.deadlines.reminder_hours, vec![72, 24, 1], "largest first, once each");
        assert_eq!(config.deadlines.interval, std::time::Duration::from_secs(5));
        let none = settings(&["--reminder-hours", ""]).validate().expect("valid");
        assert!(none.deadlines.reminder_hours.is_empty(), "empty turns reminders off");
    }

    #[test]
    fn a_malformed_smtp_url_is_named_without_its_password() {
        let err = settings(&["--smtp-url", "ftp://mailer:hunter2@mail.example.com"])
            .validate()
            .expect_err("must be refused")
            .to_string();
        assert!(err.starts_with("VOUCH_SMTP_URL"), "{err}");
        assert!(!err.contains("hunter2"), "the password is never echoed: {err}");
    }

    #[test]
    fn malformed_secret_key_is_refused() {
        let mut s = settings(&[]);
        s.secret_key = Some("too-short".into());
        let err = s.validate().expect_err("must be refused").to_string();
        assert!(err.starts_with("VOUCH_SECRET_KEY"), "{err}");
        assert!(!err.contains("too-short"), "the value of a secret is never echoed: {err}");
    }
}
