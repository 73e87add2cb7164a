//! The command line (DESIGN.md section 4). Every flag has an env twin.
use clap::{Parser, Subcommand, ValueEnum};

use crate::config::{DatabaseSettings, Settings};
use crate::telemetry::LogFormat;

#[derive(Debug, Parser)]
#[command(
    name = "vouch",
    version,
    about = "Reference checks and self-assessments for teams that hire with Lever"
)]
pub struct Cli {
    /// Log format.
    #[arg(long, env = "VOUCH_LOG_FORMAT", value_enum, default_value = "text", global = true)]
    pub log_format: LogFormat,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the API, the Lever webhook route and the admin app (applies pending migrations first).
    Serve(Box<Settings>),
    /// Apply pending database migrations and exit.
    Migrate(DatabaseSettings),
    /// Create an organization (or reuse the one with this exact name) and an admin user in it.
    CreateAdmin(CreateAdminArgs),
    /// Print the GraphQL schema (SDL) that `schema.graphql` holds.
    Schema,
    /// Run the demo: Vouch with a seeded Lever simulator, connected and ready to click through.
    /// Starts the `vouch-demo` program built beside this one; arguments are passed on.
    Demo {
        /// Passed to vouch-demo (see `vouch demo -- --help`).
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
}

#[derive(Debug, clap::Args)]
pub struct CreateAdminArgs {
    /// Name of the organization (company).
    #[arg(long)]
    pub org: String,
    /// The admin's e-mail address; it signs in with it.
    #[arg(long)]
    pub email: String,
    /// At least 10 characters.
    #[arg(long, env = "VOUCH_ADMIN_PASSWORD", hide_env_values = true)]
    pub password: String,
    /// Display name (default: the part of the e-mail before @).
    #[arg(long)]
    pub name: Option<String>,
    /// SUPER_ADMIN may connect Lever; ADMIN may not.
    #[arg(long, value_enum, default_value = "SUPER_ADMIN")]
    pub role: AdminRole,
    #[command(flatten)]
    pub database: DatabaseSettings,
}

/// Roles `create-admin` can give.
#[derive(Debug, Clone, Copy, ValueEnum)]
#[value(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AdminRole {
    SuperAdmin,
    Admin,
}

impl From<AdminRole> for entity::Role {
    fn from(role: AdminRole) -> Self {
        match role {
            AdminRole::SuperAdmin => Self::SuperAdmin,
            AdminRole::Admin => Self::Admin,
        }
    }
}
