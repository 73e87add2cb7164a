//! Vouch: reference checks and self-assessments for teams that hire with Lever.
//!
//! The crate is a library with one entry point, [`run`]; `main.rs` only
//! parses the command line. Tests start the real server through the same
//! function on `127.0.0.1:0`.
//!
//! Layout (DESIGN.md section 3): `http/` and `graphql/` take requests,
//! `auth/` says who is calling, `domain/` decides, `db/` and `secrets/` store,
//! `lever/` talks to Lever.
#![forbid(unsafe_code)]

pub mod auth;
pub mod cli;
pub mod commands;
pub mod config;
pub mod db;
pub mod domain;
pub mod graphql;
pub mod http;
pub mod jobs;
pub mod lever;
pub mod secrets;
pub mod server;
pub mod telemetry;
pub mod webhooks;

pub use config::Config;
pub use server::{app, run, AppState};
