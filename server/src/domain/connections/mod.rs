//! Lever connections: how a company's Lever account is linked, kept healthy
//! and unlinked (DESIGN.md flows 1 to 3 and 12).
//!
//! A company has at most one active (not `DISCONNECTED`) connection.
//! Reconnecting — by OAuth or with a new API key — updates that row in place,
//! so rules, history and paused work stay attached to the same id.
pub mod api_key;
pub mod catalogue;
pub mod clients;
pub mod credentials;
pub mod disconnect;
pub mod jobs;
pub mod oauth;
pub mod opportunity_reader;
pub mod store;
pub mod webhook_setup;
pub mod webhook_test;

use entity::lever_connection::DataCentre as DbDataCentre;

use crate::lever::DataCentre;

/// The client's data centre for a stored one.
pub fn data_centre(stored: DbDataCentre) -> DataCentre {
    match stored {
        DbDataCentre::Us => DataCentre::Us,
        DbDataCentre::Eu => DataCentre::Eu,
        DbDataCentre::Sandbox => DataCentre::Sandbox,
    }
}

/// How admins call a data centre.
pub fn data_centre_name(stored: DbDataCentre) -> &'static str {
    match stored {
        DbDataCentre::Us => "US",
        DbDataCentre::Eu => "EU",
        DbDataCentre::Sandbox => "sandbox",
    }
}
