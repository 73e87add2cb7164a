//! Plain HTTP routes: health, metrics, and the admin app.
pub mod health;
pub mod metrics;
pub mod oauth_callback;
pub mod spa;
