//! Lever users (the people who can act in Lever).

use serde::Deserialize;

use super::EpochMillis;

/// A Lever user.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// User id (the value of `perform_as`).
    pub id: String,
    /// Display name.
    #[serde(default)]
    pub name: Option<String>,
    /// E-mail address.
    #[serde(default)]
    pub email: Option<String>,
    /// `super admin`, `admin`, `team member`, `limited team member` or
    /// `interviewer`; kept as text because Lever may add roles.
    #[serde(default)]
    pub access_role: Option<String>,
    /// When the user was created.
    #[serde(default)]
    pub created_at: Option<EpochMillis>,
    /// Set when the user was deactivated (cannot be `perform_as`).
    #[serde(default)]
    pub deactivated_at: Option<EpochMillis>,
}

impl User {
    /// Whether the user is still active in Lever.
    pub fn is_active(&self) -> bool {
        self.deactivated_at.is_none()
    }
}
