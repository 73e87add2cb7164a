//! A fresh database per test, on SQLite or PostgreSQL.
use sea_orm::{ConnectionTrait, Database};
use tempfile::TempDir;

/// The engine under test, chosen by `VOUCH_TEST_POSTGRES_URL`.
pub enum TestDatabase {
    Sqlite { url: String },
    Postgres { url: String, admin_url: String, name: String },
}

impl TestDatabase {
    /// Makes a new, empty database. SQLite files live in `dir`.
    pub async fn create(dir: &TempDir) -> anyhow::Result<Self> {
        match std::env::var("VOUCH_TEST_POSTGRES_URL").ok().filter(|v| !v.is_empty()) {
            None => Ok(Self::Sqlite { url: format!("sqlite://{}", dir.path().join("vouch.db").display()) }),
            Some(admin_url) => {
                let name = format!("vouch_test_{}", uuid::Uuid::new_v4().simple());
                let admin = Database::connect(&admin_url).await?;
                admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await?;
                admin.close().await?;
                let url = replace_database(&admin_url, &name)?;
                Ok(Self::Postgres { url, admin_url, name })
            }
        }
    }

    pub fn url(&self) -> &str {
        match self {
            Self::Sqlite { url } | Self::Postgres { url, .. } => url,
        }
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, Self::Postgres { .. })
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Self::Postgres { admin_url, name, .. } = self else { return };
        let (admin_url, name) = (admin_url.clone(), name.clone());
        // Drop runs outside any runtime we may block: use a thread of its own.
        let _ = std::thread::spawn(move || {
            let Ok(runtime) = tokio::runtime::Builder::new_current_thread().enable_all().build() else {
                return;
            };
            runtime.block_on(async {
                if let Ok(admin) = Database::connect(&admin_url).await {
                    let _ = admin
                        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .await;
                    let _ = admin.close().await;
                }
            });
        })
        .join();
    }
}

fn replace_database(admin_url: &str, name: &str) -> anyhow::Result<String> {
    let mut url = url::Url::parse(admin_url)?;
    url.set_path(&format!("/{name}"));
    Ok(url.to_string())
}
