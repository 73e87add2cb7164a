//! The GraphQL API: one schema for the admin app and third-party tools.
//!
//! Resolvers stay thin: read the caller, call a domain function, map the
//! error. One resolver struct per area, merged into the roots here.
mod candidates;
mod catalogue;
mod checks;
mod clock;
mod error;
mod invitations;
mod jobs;
mod lever;
mod organization;
mod routes;
mod rules;
mod session;
mod templates;
mod types;
mod users;
mod webhooks;

use async_graphql::{Context, MergedObject, MergedSubscription, Schema, SchemaBuilder};

use crate::auth::{AuthUser, Caller};
use crate::AppState;

pub use error::{to_graphql_error, GqlResult, IntoGql};
pub use routes::router;

/// Deepest query accepted. The standard introspection query (GraphiQL,
/// codegen) needs about 13 levels.
pub const MAX_DEPTH: usize = 15;
/// Highest complexity (roughly: fields selected, lists weighted) accepted.
pub const MAX_COMPLEXITY: usize = 1_000;
/// Largest request body accepted on `POST /graphql`.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

#[derive(MergedObject, Default)]
#[graphql(name = "Query")]
pub struct QueryRoot(
    session::SessionQuery,
    users::UsersQuery,
    organization::OrganizationQuery,
    lever::LeverQuery,
    templates::TemplatesQuery,
    rules::RulesQuery,
    catalogue::CatalogueQuery,
    jobs::JobsQuery,
    webhooks::WebhooksQuery,
    checks::ChecksQuery,
    candidates::CandidatesQuery,
    invitations::InvitationsQuery,
);

#[derive(MergedObject, Default)]
#[graphql(name = "Mutation")]
pub struct MutationRoot(
    session::SessionMutation,
    users::UsersMutation,
    organization::OrganizationMutation,
    lever::LeverMutation,
    templates::TemplatesMutation,
    rules::RulesMutation,
    catalogue::CatalogueMutation,
    jobs::JobsMutation,
    webhooks::WebhooksMutation,
    checks::ChecksMutation,
    invitations::InvitationsMutation,
);

#[derive(MergedSubscription, Default)]
#[graphql(name = "Subscription")]
pub struct SubscriptionRoot(clock::ClockSubscription);

pub type AppSchema = Schema<QueryRoot, MutationRoot, SubscriptionRoot>;

/// The schema with its limits, before any runtime data is attached.
pub fn schema_builder() -> SchemaBuilder<QueryRoot, MutationRoot, SubscriptionRoot> {
    Schema::build(QueryRoot::default(), MutationRoot::default(), SubscriptionRoot::default())
        .limit_depth(MAX_DEPTH)
        .limit_complexity(MAX_COMPLEXITY)
}

/// The schema serving requests.
pub fn build_schema(state: AppState) -> AppSchema {
    schema_builder().data(state).finish()
}

/// The SDL that `vouch schema` prints and `schema.graphql` holds.
pub fn sdl() -> String {
    schema_builder().finish().sdl()
}

pub(crate) fn state<'a>(ctx: &Context<'a>) -> &'a AppState {
    ctx.data_unchecked::<AppState>()
}

/// The signed-in user, or UNAUTHENTICATED.
pub fn require_user<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a AuthUser> {
    match ctx.data_opt::<Caller>() {
        Some(Caller::User(user)) => Ok(user),
        _ => Err(to_graphql_error(crate::domain::DomainError::Unauthenticated(
            "sign in first: send `Authorization: Bearer <token>` from the login mutation".into(),
        ))),
    }
}
