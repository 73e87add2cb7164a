//! The domain: what Vouch does, independent of how it is asked (GraphQL,
//! command line, jobs). Every function that reads or writes tenant data takes
//! the organization first, so scoping cannot be forgotten by a caller.
pub mod audit;
pub mod candidates;
pub mod catalogue;
pub mod checks;
pub mod connections;
pub mod email;
mod error;
pub mod invitations;
pub mod organizations;
pub mod preview;
pub mod projects;
pub mod questions;
pub mod resolution;
pub mod rules;
pub mod tag_sync;
pub mod templates;
pub mod users;
pub mod validate;

pub use error::{DomainError, DomainResult};
