//! Secrets at rest: the deployment's key, the AEAD that seals stored values,
//! and the table that holds them.
//!
//! One 32-byte key (`VOUCH_SECRET_KEY`, or generated once into the data
//! folder) is never used directly: HKDF derives a separate key per use
//! (sealing stored secrets, signing sessions), so one use can never be turned
//! against the other.
mod cipher;
mod key;
mod redacted;
mod store;

pub use cipher::{Cipher, CipherError};
pub use key::SecretKey;
pub use redacted::Redacted;
pub use store::{SecretPurpose, SecretStore};
