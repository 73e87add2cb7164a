//! Integration tests of the Lever simulator over real HTTP.

mod api;
mod common;
mod control;
mod oauth;
mod rate_and_faults;
mod shapes;
mod webhooks;
