//! `DATABASE_URL`: which engine and where, with the password kept out of
//! every message.
use std::path::{Path, PathBuf};

/// A validated database location.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// `sqlite://PATH` (relative or absolute) or `sqlite::memory:` is refused:
    /// each pooled connection would get its own empty database.
    Sqlite { path: PathBuf },
    /// `postgres://` or `postgresql://`, passed to sqlx as given.
    Postgres { raw: String, redacted: String },
}

const EXPECTED: &str = "expected sqlite://PATH or postgres://USER:PASSWORD@HOST[:PORT]/DATABASE";

impl DatabaseUrl {
    /// The default: `vouch.db` in the data folder.
    pub fn sqlite_in(data_dir: &Path) -> Self {
        Self::Sqlite { path: data_dir.join("vouch.db") }
    }

    /// Parses a `DATABASE_URL`; the error never repeats a password.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        if let Some(rest) = raw.strip_prefix("sqlite:") {
            let path = rest.trim_start_matches("//");
            let path = path.split('?').next().unwrap_or_default();
            if path.is_empty() || path == ":memory:" {
                return Err(format!("{EXPECTED} (an SQLite file path is required), got {raw:?}"));
            }
            return Ok(Self::Sqlite { path: PathBuf::from(path) });
        }
        if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            let parsed = url::Url::parse(raw);
            let redacted = redact(raw);
            return match parsed {
                Ok(url) if url.host_str().is_some_and(|h| !h.is_empty()) => {
                    Ok(Self::Postgres { raw: raw.to_owned(), redacted })
                }
                _ => Err(format!("{EXPECTED}, got {redacted:?}")),
            };
        }
        Err(format!("{EXPECTED}, got {:?}", redact(raw)))
    }

    pub fn is_sqlite(&self) -> bool {
        matches!(self, Self::Sqlite { .. })
    }

    /// The URL for messages and logs: any password replaced by `***`.
    pub fn redacted(&self) -> String {
        match self {
            Self::Sqlite { path } => format!("sqlite://{}", path.display()),
            Self::Postgres { redacted, .. } => redacted.clone(),
        }
    }
}

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.redacted())
    }
}

/// Replaces the password of `scheme://user:password@host` with `***`, even
/// when the rest of the URL does not parse.
fn redact(raw: &str) -> String {
    let Some((scheme, rest)) = raw.split_once("://") else {
        return raw.to_owned();
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split(':').next().unwrap_or_default();
            let masked = if userinfo.contains(':') { format!("{user}:***") } else { user.to_owned() };
            format!("{scheme}://{masked}@{host}{tail}")
        }
        None => raw.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sqlite_paths() {
        assert_eq!(
            DatabaseUrl::parse("sqlite://./data/x.db?mode=rwc").expect("valid"),
            DatabaseUrl::Sqlite { path: PathBuf::from("./data/x.db") }
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite:///tmp/x.db").expect("valid"),
            DatabaseUrl::Sqlite { path: PathBuf::from("/tmp/x.db") }
        );
    }

    #[test]
    fn refuses_memory_and_unknown_engines() {
        for bad in ["sqlite::memory:", "sqlite://", "mysql://u:p@h/db", "", "postgres://"] {
            let err = DatabaseUrl::parse(bad).expect_err(bad);
            assert!(err.contains("expected sqlite://"), "{err}");
        }
    }

    #[test]
    fn never_shows_the_password() {
        let url = DatabaseUrl::parse("postgres://vouch:hunter2@db.example:5432/vouch").expect("valid");
        assert_eq!(url.redacted(), "postgres://vouch:***@db.example:5432/vouch");
        assert!(!format!("{url:?}").contains("hunter2"));
        let err = DatabaseUrl::parse("mysql://root:hunter2@h/db").expect_err("refused");
        assert!(!err.contains("hunter2"), "{err}");
    }
}
