//! XChaCha20-Poly1305 sealing of stored secrets.
//!
//! The 24-byte nonce is random per value (large enough that random nonces
//! never collide in practice) and stored in front of the ciphertext. The
//! caller's context (row id and purpose) is bound in as associated data.
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;

use super::SecretKey;

const NONCE_LEN: usize = 24;

/// Sealing or opening failed. Deliberately vague: the reason is either a
/// wrong key or tampering, and saying more helps only an attacker.
#[derive(Debug, thiserror::Error)]
pub enum CipherError {
    #[error("stored secret cannot be decrypted: wrong VOUCH_SECRET_KEY, or the value was altered")]
    Open,
    #[error("secret cannot be encrypted")]
    Seal,
}

/// The AEAD for values at rest.
#[derive(Clone)]
pub struct Cipher {
    aead: XChaCha20Poly1305,
}

impl std::fmt::Debug for Cipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Cipher(***)")
    }
}

impl Cipher {
    pub fn new(key: &SecretKey) -> Self {
        let derived = key.derive("vouch secrets at rest v1");
        Self { aead: XChaCha20Poly1305::new(&derived.into()) }
    }

    /// nonce ‖ ciphertext ‖ tag.
    pub fn seal(&self, plaintext: &[u8], context: &[u8]) -> Result<Vec<u8>, CipherError> {
        let mut nonce = [0u8; NONCE_LEN];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let sealed = self
            .aead
            .encrypt(XNonce::from_slice(&nonce), Payload { msg: plaintext, aad: context })
            .map_err(|_| CipherError::Seal)?;
        let mut out = Vec::with_capacity(NONCE_LEN + sealed.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    pub fn open(&self, sealed: &[u8], context: &[u8]) -> Result<Vec<u8>, CipherError> {
        if sealed.len() < NONCE_LEN {
            return Err(CipherError::Open);
        }
        let (nonce, body) = sealed.split_at(NONCE_LEN);
        self.aead
            .decrypt(XNonce::from_slice(nonce), Payload { msg: body, aad: context })
            .map_err(|_| CipherError::Open)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_refusals() {
        let cipher = Cipher::new(&SecretKey::generate());
        let sealed = cipher.seal(b"refresh-token", b"row-1").expect("seals");
        assert!(!sealed.windows(7).any(|w| w == b"refresh"), "ciphertext hides the value");
        assert_eq!(cipher.open(&sealed, b"row-1").expect("opens"), b"refresh-token");
        assert!(cipher.open(&sealed, b"row-2").is_err(), "bound to its context");
        let mut tampered = sealed.clone();
        let last = tampered.len() - 1;
        tampered[last] ^= 1;
        assert!(cipher.open(&tampered, b"row-1").is_err(), "tampering detected");
        assert!(Cipher::new(&SecretKey::generate()).open(&sealed, b"row-1").is_err(), "another key fails");
        assert!(cipher.open(b"short", b"row-1").is_err());
        assert_ne!(
            cipher.seal(b"x", b"c").expect("seals"),
            cipher.seal(b"x", b"c").expect("seals"),
            "fresh nonce"
        );
    }
}
