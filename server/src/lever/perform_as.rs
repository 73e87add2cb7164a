//! `perform_as`: the Lever user a write is done as, with one fallback.
//!
//! Lever records writes (notes, tags, new opportunities) as done by the
//! user named in `perform_as`. Vouch names the person who caused the write
//! (the recruiter who moved the candidate, the admin who exported); when
//! Lever refuses that user (deactivated, no access to the posting) the
//! write is tried once more as the connection's fallback user, and the
//! caller learns who actually acted. A refused write changed nothing, so the
//! second try is safe even for creates.

use std::future::Future;

use super::{client::LeverClient, error::LeverError, error::Result};

/// A write's result and the Lever user it was done as.
#[derive(Debug, Clone, PartialEq)]
pub struct Acted<T> {
    /// What Lever answered.
    pub value: T,
    /// The `perform_as` user that succeeded (`None`: sent without one).
    pub performed_as: Option<String>,
    /// Whether that is the fallback user rather than the one asked for.
    pub fell_back: bool,
}

/// Whether Lever's refusal may be about the `perform_as` user rather than
/// the request: 403, or a 400 whose message talks about the user. Lever's
/// wording is unconfirmed, so this errs towards one extra try, which costs
/// a call and changes nothing when the refusal was about something else.
pub(crate) fn refuses_user(error: &LeverError) -> bool {
    match error {
        LeverError::Forbidden { .. } => true,
        LeverError::Invalid { message } => {
            let message = message.to_ascii_lowercase();
            message.contains("perform_as") || message.contains("user")
        }
        _ => false,
    }
}

impl LeverClient {
    /// Runs `write` as `perform_as` (or the fallback user when `None`), then
    /// once as the fallback user if Lever refuses the first.
    pub(crate) async fn write_as<T, F, Fut>(&self, perform_as: Option<&str>, write: F) -> Result<Acted<T>>
    where
        F: Fn(Option<String>) -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        let fallback = self.fallback_user().map(str::to_owned);
        let first = perform_as.map(str::to_owned).or_else(|| fallback.clone());
        let error = match write(first.clone()).await {
            Ok(value) => {
                let fell_back = perform_as.is_none() && first.is_some();
                return Ok(Acted { value, performed_as: first, fell_back });
            }
            Err(error) => error,
        };
        match fallback {
            Some(fallback) if refuses_user(&error) && first.as_deref() != Some(fallback.as_str()) => {
                tracing::info!(%error, "Lever refused the perform_as user; retrying as the fallback user");
                let value = write(Some(fallback.clone())).await?;
                Ok(Acted { value, performed_as: Some(fallback), fell_back: true })
            }
            _ => Err(error),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lever::permissions::Endpoint;

    #[test]
    fn which_refusals_are_about_the_user() {
        assert!(refuses_user(&LeverError::Forbidden { endpoint: Endpoint::CreateNote }));
        assert!(refuses_user(&LeverError::Invalid {
            message: "HTTP 400: perform_as user is deactivated".into()
        }));
        assert!(!refuses_user(&LeverError::Invalid { message: "HTTP 400: value is required".into() }));
        assert!(!refuses_user(&LeverError::NotFound { endpoint: Endpoint::CreateNote }));
        assert!(!refuses_user(&LeverError::Unauthorized));
    }
}
