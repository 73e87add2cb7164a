//! The Lever client: the only code that talks to Lever.

pub mod config;
mod error;
mod permissions;
mod rate_limit;
pub mod retry;
mod secret;

#[cfg(test)]
mod test_support;

pub use config::{DataCentre, DataCentreUrls, LeverConfig, LeverHosts, OAuthApp};
pub use error::{LeverError, Result};
pub use permissions::{Endpoint, MissingPermission, Repeat};
pub use rate_limit::{Bucket, RateLimit};
pub use retry::{parse_retry_after, RetrySchedule};
pub use secret::Secret;
