//! Vouch: reference checks and self-assessments for teams that hire with Lever.
pub mod lever;
