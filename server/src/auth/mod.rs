//! Who is calling, and what they may do.
//!
//! A request carries at most one credential: a session JWT from `login`, or
//! (later) a third-party API key with the `vch_` prefix. "No credential" and
//! "a bad credential" are different outcomes: the first is an anonymous
//! caller (who may still sign in), the second is refused outright.
mod caller;
pub mod jwt;
mod login;
pub mod password;
mod roles;
mod throttle;

pub use caller::{resolve_bearer, AuthUser, Caller, CredentialError};
pub use jwt::{JwtKeys, SessionToken};
pub use login::{login, LoginOutcome};
pub use roles::{rank, RoleGuard};
