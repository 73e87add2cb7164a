//! Roles ranked, and the GraphQL guard that enforces a minimum role.
use async_graphql::{Context, Guard};
use entity::Role;

/// Higher is more powerful.
pub fn rank(role: Role) -> u8 {
    match role {
        Role::SuperAdmin => 3,
        Role::Admin => 2,
        Role::TeamMember => 1,
        Role::LimitedTeamMember => 0,
    }
}

fn describe(role: Role) -> &'static str {
    match role {
        Role::SuperAdmin => "a super admin",
        Role::Admin => "an admin",
        Role::TeamMember => "a team member",
        Role::LimitedTeamMember => "a limited team member",
    }
}

/// Refuses callers below `min`: unauthenticated ones with UNAUTHENTICATED,
/// signed-in ones with FORBIDDEN naming the role needed.
pub struct RoleGuard {
    min: Role,
}

impl RoleGuard {
    pub fn new(min: Role) -> Self {
        Self { min }
    }
}

impl Guard for RoleGuard {
    async fn check(&self, ctx: &Context<'_>) -> async_graphql::Result<()> {
        let user = crate::graphql::require_user(ctx)?;
        if rank(user.role) >= rank(self.min) {
            Ok(())
        } else {
            Err(crate::graphql::to_graphql_error(crate::domain::DomainError::Forbidden(format!(
                "this needs {} or higher; you are {}",
                describe(self.min),
                describe(user.role)
            ))))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_are_strictly_ordered() {
        assert!(rank(Role::SuperAdmin) > rank(Role::Admin));
        assert!(rank(Role::Admin) > rank(Role::TeamMember));
        assert!(rank(Role::TeamMember) > rank(Role::LimitedTeamMember));
    }
}
